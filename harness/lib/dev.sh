# SPDX-License-Identifier: GPL-2.0
# The developer loop, `harness/run dev` (KVER=7.2 ARCH=x86_64): edit a file under
# drivers/misc/lkmdemo, run it, read the verdict. One run:
#
#   sync	the repository's driver sources (the work tree, uncommitted edits
#		included) into one scratch directory per kernel build, rsync --checksum:
#		only files whose content changed get a new time, so kbuild recompiles
#		only those; the changed files pick the guest test groups
#   build	the modules out of tree (M=) against the warm LKMDEMO=m build of that
#		kernel: no walk over the kernel tree, no vmlinux check; installed with
#		kbuild's modules_install (which runs depmod) into a copy of the cell's
#		module tree, in place of the in-tree lkmdemo modules
#   boot	the initramfs and QEMU as for a cell, with
#		lkmdemo_harness.groups=<groups that cover the changed files>
#   judge	verdict.py (KUnit's KTAP with kunit.py when the kunit group ran)
#
# The first run builds the kernel (a cell's cold build, minutes); after that only the
# steps above run. The modules are out-of-tree builds, so the guest expects taint O
# (the taint group checks it). A kselftest edit is copied into the applied tree (the
# next run re-applies the series there, a few seconds). `harness/run bench` times the
# loop; `harness/run cell` remains the full check of the series itself.

# dev_groups <changed file>...: the guest test groups (harness/guest/tests/NN-<group>.sh)
# that cover the changed files; "all" for a file with no entry (main.c, Kbuild, ...).
dev_groups()
{
	local f g=""
	for f in "$@"; do
		case "$f" in
		*/lkmdemo/params.c) g="$g modinfo device kunit" ;;
		*/lkmdemo/fifo.c|*/lkmdemo/internal.h) g="$g device abi kselftest kunit" ;;
		*/lkmdemo/chardev.c|*/lkmdemo/compat.h)
			g="$g device abi kselftest kselftest-compat kunit" ;;
		*/lkmdemo/sysfs.c) g="$g device abi" ;;
		*/lkmdemo/api.c|*/lkmdemo/lkmdemo.h|*/lkmdemo/lkmdemo_client.c) g="$g client usecount" ;;
		*/lkmdemo/lkmdemo_kunit.c) g="$g kunit" ;;
		*/uapi/linux/lkmdemo.h) g="$g device kselftest kselftest-compat" ;;
		tools/testing/selftests/*) g="$g kselftest-rules kselftest kselftest-compat" ;;
		*) echo all; return ;;
		esac
	done
	# Every run loads the modules, checks their taint and the kernel log.
	echo load $g taint kernel-log | tr ' ' '\n' | awk 'NF && !seen[$0]++' | tr '\n' ' '
}

# dev_check_groups <group>...: each one a guest test group (or "all"), else say which exist.
dev_check_groups()
{
	local g all
	all=$(cd "$HARNESS_DIR/guest/tests" && ls [0-9][0-9]-*.sh | sed 's/^[0-9]*-//; s/\.sh$//' | tr '\n' ' ')
	for g in "$@"; do
		[ "$g" = all ] || [[ " $all " == *" $g "* ]] && continue
		echo "lkmdemo-harness: error: DEV_GROUPS: no guest test group '$g' (there are: $all)" >&2
		return 1
	done
}

# dev_sync <scratch dir>: copy the driver sources in (the layout of the repository, so
# that the Kbuild file finds <uapi/linux/lkmdemo.h>); print the files that changed.
dev_sync()
{
	local d=$1 dir=drivers/misc/lkmdemo
	mkdir -p "$d/$dir" "$d/include/uapi/linux" || return 1
	# Only sources: the build's own files (.o, .ko, .cmd) in the scratch directory stay.
	rsync -r --checksum --delete -i --include='*.[ch]' --include=Kbuild --include=Makefile \
		--exclude='*' "$REPO_DIR/$dir/" "$d/$dir/" | awk -v p="$dir/" '$1 ~ /^>f/ { print p $2 }'
	rsync --checksum -i "$REPO_DIR/include/uapi/linux/lkmdemo.h" "$d/include/uapi/linux/" |
		awk '$1 ~ /^>f/ { print "include/uapi/linux/" $2 }'
}

# dev_dir <build dir>: the loop's scratch directory of that kernel build.
dev_dir() { echo "$WORK_DIR/dev/$(basename "$(dirname "$1")")-$(basename "$1")"; }

# dev_prepare <kver> <arch>: SRC (the applied tree), and its warm LKMDEMO=m build
# directory (build_dir) built now if there is none.
dev_prepare()
{
	local kver=$1 arch=$2 b
	SRC=$(kernel_src "$kver" 2> "$RUN_DIR/git-am.log") ||
		{ cat "$RUN_DIR/git-am.log" >&2; die "git am of the series onto $kver failed"; }
	b=$(build_dir "$kver" "$SRC" "$arch")
	if [ "$(build_mode "$b")" != m ] || [ ! -d "$b/modroot/lib/modules" ]; then
		log "dev: no LKMDEMO=m build of $kver $arch yet: building it once (a cold kernel build)"
		cell_build "$kver" "$SRC" "$arch" m > /dev/null || die "the kernel build failed"
	fi
}

run_dev()
{
	local kver arch b
	kver=$(one_kver) arch=$(one_arch)
	new_run_dir "dev-$kver-$arch"
	dev_prepare "$kver" "$arch"
	b=$(build_dir "$kver" "$SRC" "$arch")
	KUNIT_PY=$SRC/tools/testing/kunit/kunit.py
	dev_loop "$kver" "$arch" "$b"
	echo "$PASSED passed, $FAILED failed, $SKIPPED skipped in $(cut -d' ' -f4 "$RUN_DIR/dev-times") s"
	[ "$FAILED" = 0 ]
}

# dev_loop <kver> <arch> <b>: one turn of the loop against the build directory <b>
# (dev_prepare's); records its result, and writes its phases' seconds to
# $RUN_DIR/dev-times: "<build> <stage> <boot> <total>" (sync, module build and install;
# kselftest and initramfs; boot and tests; all).
dev_loop()
{
	local kver=$1 arch=$2 b=$3 d krel mr groups changed st t0 t1 t2 t3 bin v kunit="" sel logf
	krel=$(cat "$b/include/config/kernel.release")
	d=$(dev_dir "$b")

	t0=$(date +%s.%N)
	changed=$(dev_sync "$d/src") || die "copying the sources to $d/src failed"
	# Files synced by a run that did not get to a verdict (a build error) count again.
	changed=$(echo $(cat "$d/pending" 2>/dev/null) $changed | tr ' ' '\n' | awk 'NF && !seen[$0]++')
	printf '%s\n' $changed > "$d/pending"
	# The selftest: the applied tree is where the kselftest build finds it.
	st=tools/testing/selftests/drivers/misc/lkmdemo
	if ! diff -rq "$REPO_DIR/$st" "$SRC/$st" > /dev/null 2>&1; then
		cp "$REPO_DIR/$st"/* "$SRC/$st/" && changed="$changed $st"
	fi
	# Nothing changed since the last run: run everything (a re-run means "check again").
	groups=${DEV_GROUPS:-$([ -n "$changed" ] && dev_groups $changed || echo all)}
	dev_check_groups $groups || exit 2
	log "dev: changed since the last run: $(echo ${changed:-nothing})"
	kmake "$b/source" "$b" "$arch" M="$d/src/drivers/misc/lkmdemo" W=1 modules > "$RUN_DIR/build.log" 2>&1 ||
		{ tail -n 30 "$RUN_DIR/build.log" >&2; die "the module build failed (log: $RUN_DIR/build.log)"; }
	if grep -E '(error|warning):|^WARNING: modpost' "$RUN_DIR/build.log" | grep -v 'jobserver' >&2; then
		die "the module build warns (log: $RUN_DIR/build.log)"
	fi
	# The cell's module tree, with our out-of-tree modules instead of the in-tree ones.
	mr=$d/modroot
	rsync -a --delete "$b/modroot/" "$mr/"
	rm -rf "$mr/lib/modules/$krel/kernel/drivers/misc/lkmdemo"
	kmake "$b/source" "$b" "$arch" M="$d/src/drivers/misc/lkmdemo" INSTALL_MOD_PATH="$mr" \
		INSTALL_MOD_STRIP=1 modules_install > "$RUN_DIR/modules_install.log" 2>&1 ||
		{ cat "$RUN_DIR/modules_install.log" >&2; die "modules_install failed"; }
	t1=$(date +%s.%N)
	bin=$(build_kselftest "$SRC" "$b" "$arch") || die "the kselftest build failed"
	[ "$groups" = all ] && sel="" || sel=$(echo $groups | tr ' ' ,)
	log "dev: booting $kver $arch, groups: ${sel:-all}"
	case ",${sel:-kunit}," in *,kunit,*) kunit=--kunit ;; esac
	# Out-of-tree modules taint the kernel with O (TAINT_OOT_MODULE, bit 12); the KUnit
	# group's test module, which runs before the taint group, adds N (TAINT_TEST, 18).
	logf=$RUN_DIR/console.log
	v=$(boot_profile dev "$b" "$arch" "$logf" --modroot "$mr" --tree "$SRC" --bin "$bin" \
		--verdict "$RUN_DIR/verdict.txt" $kunit MODE=m ARCH="$arch" GROUPS="$sel" \
		TAINTED=$(( (1 << 12) + ${kunit:+(1 << 18) +} 0 )))
	t3=$(date +%s.%N)
	# The initramfs is made before QEMU starts: it counts with the kselftest.
	t2=$(cat "$logf.start" 2>/dev/null || echo "$t3")
	rm -f "$d/pending"
	set -- $(printf %.1f "$(echo "$t1 - $t0" | bc)") $(printf %.1f "$(echo "$t2 - $t1" | bc)") \
		$(printf %.1f "$(echo "$t3 - $t2" | bc)") $(printf %.1f "$(echo "$t3 - $t0" | bc)")
	echo "$*" > "$RUN_DIR/dev-times"
	log "dev: sync+build+install $1 s, kselftest+initramfs $2 s, boot+tests $3 s; console log: $logf"
	# The loop's result counts the whole loop's time, from the sync on.
	record_verdict "dev $kver $arch (groups: ${sel:-all})" "$(printf %.0f "$t0")" "$logf" $v
}
