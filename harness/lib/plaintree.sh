# SPDX-License-Identifier: GPL-2.0
# User story 1 without git: lkmdemo added to a kernel tree that is not a git repository
# (a vendor BSP tarball, an unpacked linux-source), the way the README tells such a user:
# copy our files into the tree, then patch -p1 with the top-level Kconfig.patch and
# Makefile.patch. The gate plain_tree_builds proves it on an export of the pristine
# kernel tree (git archive of its baseline, no .git), with the test configuration of a
# matrix cell, in a build directory of its own:
#   M  make olddefconfig keeps CONFIG_LKMDEMO=m (drivers/misc/Kconfig sources ours);
#      make drivers/misc/ builds our objects and lists our modules in its
#      modules.order (drivers/misc/Makefile descends into ours); lkmdemo.ko and
#      lkmdemo_client.ko link (make <dir>/<module>.ko, after modules_prepare);
#   Y  make olddefconfig keeps CONFIG_LKMDEMO=y; make drivers/misc/ puts our objects in
#      drivers/misc/built-in.a, what vmlinux links.
# vmlinux itself is not linked here: that would be a whole kernel build per kernel, and
# the matrix cells link and boot the same configuration from the git tree.
# Run for each kernel of the test command, on x86_64 (lib/plan.sh, the cells unit).
# Sourced by harness/run (needs common.sh, kernel.sh and build.sh).

# The commands a user types in the top of the kernel tree, with the repository in
# ~/lkmdemo, one per line. plain_tree_apply runs this text itself, with HOME pointing at a
# directory whose lkmdemo is the repository; harness/doc-commands maps the README's
# commands to it.
PLAIN_TREE_COMMANDS='cp -r ~/lkmdemo/drivers/misc/lkmdemo drivers/misc/
cp ~/lkmdemo/include/uapi/linux/lkmdemo.h include/uapi/linux/
patch -p1 < ~/lkmdemo/Kconfig.patch
patch -p1 < ~/lkmdemo/Makefile.patch'

# plain_tree_export <kver>: print the directory of a pristine tree of <kver> without .git:
# the baseline of the cached kernel tree, exported once with git archive and, on later
# runs, reset (drivers/misc/Kconfig and Makefile from the baseline, our files removed)
# so that its other files keep their times and the build stays incremental.
plain_tree_export()
{
	local kver=$1 pristine dst f
	pristine=$(kernel_tree "$kver") || return 1
	dst=$WORK_DIR/plain/src/linux-$kver-$(cat "$pristine/.lkmdemo-baseline")
	if [ ! -f "$dst/.lkmdemo-exported" ]; then
		rm -rf "$dst" && mkdir -p "$dst" || return 1
		git -C "$pristine" archive --format=tar baseline | tar -x -C "$dst" || return 1
		touch "$dst/.lkmdemo-exported"
	fi
	for f in drivers/misc/Kconfig drivers/misc/Makefile; do
		git -C "$pristine" show "baseline:$f" > "$dst/$f.new" || return 1
		cmp -s "$dst/$f.new" "$dst/$f" && rm "$dst/$f.new" || mv "$dst/$f.new" "$dst/$f"
	done
	rm -rf "$dst/drivers/misc/lkmdemo" "$dst/include/uapi/linux/lkmdemo.h" "$dst"/drivers/misc/*.orig \
		"$dst"/drivers/misc/*.rej
	[ ! -e "$dst/.git" ] || { echo "$dst has a .git" >&2; return 1; }
	echo "$dst"
}

# plain_tree_apply <tree>: run PLAIN_TREE_COMMANDS in <tree>, each echoed, the first
# failure stopping them.
plain_tree_apply()
{
	local tree=$1 home cmd rc=0
	home=$(mktemp -d) || return 1
	ln -s "$REPO_DIR" "$home/lkmdemo"
	while IFS= read -r cmd; do
		echo "\$ $cmd"
		(cd "$tree" && HOME=$home sh -c "$cmd") || { echo "failed: $cmd"; rc=1; break; }
	done <<< "$PLAIN_TREE_COMMANDS"
	rm -rf "$home"
	return $rc
}

# plain_tree_config <tree> <b> <arch> <mode>: the build directory's .config with
# CONFIG_LKMDEMO=<mode>, through make olddefconfig, which drops a symbol no Kconfig
# defines: the option must survive.
plain_tree_config()
{
	local tree=$1 b=$2 arch=$3 mode=$4
	"$tree/scripts/config" --file "$b/.config" --set-val LKMDEMO "$mode" \
		--set-val LKMDEMO_CLIENT m --set-val LKMDEMO_KUNIT_TEST "$mode" || return 1
	kmake "$tree" "$b" "$arch" -s olddefconfig || return 1
	grep -x "CONFIG_LKMDEMO=$mode" "$b/.config" ||
		{ echo "make olddefconfig dropped CONFIG_LKMDEMO=$mode: drivers/misc/Kconfig does not source ours"; return 1; }
}

# plain_tree_builds <kver> <arch> <config>: the gate. <config> is a .config of the test
# configuration (a matrix cell's), copied into a build directory of the plain tree.
plain_tree_builds()
{
	local kver=$1 arch=$2 config=$3 tree b m objs
	tree=$(plain_tree_export "$kver") || { echo "cannot export a pristine $kver tree"; return 1; }
	echo "pristine $kver tree without .git: $tree"
	plain_tree_apply "$tree" || return 1
	b=$WORK_DIR/plain/build/$(basename "$tree")/$arch-$(cc_tag "$arch")
	mkdir -p "$b" && cp "$config" "$b/.config" || return 1
	# M. KBUILD_MODULES=1: 5.10 builds the modules of a directory target only then.
	# KBUILD_MODPOST_WARN=1 for the .ko targets: no vmlinux is linked here, so from 6.x
	# on modpost cannot resolve the kernel's symbols and would refuse every one of them
	# (5.10 only warned); the modules are linked against a real vmlinux in the cells.
	plain_tree_config "$tree" "$b" "$arch" m || return 1
	rm -rf "$b/drivers/misc/lkmdemo"
	{ kmake "$tree" "$b" "$arch" modules_prepare &&
	  kmake "$tree" "$b" "$arch" KBUILD_MODULES=1 drivers/misc/ &&
	  kmake "$tree" "$b" "$arch" KBUILD_MODPOST_WARN=1 \
		drivers/misc/lkmdemo/lkmdemo.ko drivers/misc/lkmdemo/lkmdemo_client.ko
	} > "$b/build-m.log" 2>&1 || { tail -n 30 "$b/build-m.log"; return 1; }
	grep -q 'lkmdemo/lkmdemo\.\(o\|ko\)$' "$b/drivers/misc/modules.order" ||
		{ echo "M: make drivers/misc/ did not descend into lkmdemo/ (drivers/misc/modules.order)"; return 1; }
	for m in lkmdemo lkmdemo_client; do
		[ -f "$b/drivers/misc/lkmdemo/$m.ko" ] || { echo "M: no drivers/misc/lkmdemo/$m.ko"; return 1; }
		echo "M: drivers/misc/lkmdemo/$m.ko built"
	done
	# Y: into drivers/misc/built-in.a.
	plain_tree_config "$tree" "$b" "$arch" y || return 1
	kmake "$tree" "$b" "$arch" drivers/misc/ > "$b/build-y.log" 2>&1 || { tail -n 30 "$b/build-y.log"; return 1; }
	objs=$(ar t "$b/drivers/misc/built-in.a") || return 1
	grep -q 'lkmdemo/main\.o' <<< "$objs" || { echo "Y: drivers/misc/built-in.a has no lkmdemo/main.o"; return 1; }
	echo "Y: drivers/misc/built-in.a holds $(grep -c lkmdemo/ <<< "$objs") lkmdemo objects"
}
