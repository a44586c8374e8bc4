# SPDX-License-Identifier: GPL-2.0
# Building test kernels: apply the series to a kernel tree, configure with
# merge_config.sh (tinyconfig + common + arches/<arch> + lkmdemo-<mode> fragments), build with
# kbuild into an O= directory cached per (kernel package, arch, mode, compiler).

# The facts of each architecture (arch_karch, arch_cross, arch_image, arch_config) are
# looked up in harness/arches/ by lib/arch.sh.

# kmake <src> <build dir> <arch> make-args...: make with our toolchain and ccache.
kmake()
{
	local src=$1 b=$2 arch=$3 cross hostcc
	shift 3
	cross=$(arch_cross "$arch")
	# KCC_LLVM=-NN (a profile with TOOLCHAIN=llvm-NN, lib/cells.sh): LLVM=-NN picks clang-NN, ld.lld-NN,
	# llvm-ar-NN...; on make's command line these later CC= and HOSTCC= win over gcc's.
	# In a userland (KBUILD_ROOT: the rust profile) HOSTCC is one word, without ccache: Rust's
	# host programs take it as their linker (-Clinker=$(HOSTCC)).
	if [ -n "${KCC_LLVM:-}" ]; then
		hostcc="ccache clang$KCC_LLVM"
		[ -z "${KBUILD_ROOT:-}" ] || hostcc=clang$KCC_LLVM
		set -- LLVM="$KCC_LLVM" CC="ccache clang$KCC_LLVM" HOSTCC="$hostcc" "$@"
	fi
	# KMAKE_ARGS (a profile's MAKE_ARGS, lib/cells.sh): on every make of its kernel.
	# shellcheck disable=SC2086
	set -- ${KMAKE_ARGS:-} "$@"
	# KBUILD_ROOT (a profile with USERLAND, lib/cells.sh): make runs in that userland.
	CCACHE_DIR=$CACHE_DIR/ccache CCACHE_BASEDIR=$CACHE_DIR \
	${KBUILD_ROOT:+userland_exec "$KBUILD_ROOT"} make -C "$src" O="$b" ARCH="$(arch_karch "$arch")" ${cross:+CROSS_COMPILE=$cross} \
		CC="ccache ${cross}gcc" HOSTCC="ccache gcc" -j"$JOBS" "$@"
}

# Print the directory of a tree with the series applied by `git am`: a clone of the
# pristine tree, reset to its baseline each time so every run proves the series applies.
# A third argument puts the clone under another directory (the stress kernel has its own).
applied_tree()
{
	local kver=$1 pristine=$2 root=${3:-$WORK_DIR/src} dst base
	dst=$root/linux-$kver-$(cat "$pristine/.lkmdemo-baseline")
	if [ ! -d "$dst/.git" ]; then
		log "cloning $pristine for the series"
		rm -rf "$dst"
		mkdir -p "$(dirname "$dst")"
		git clone -q --shared -b baseline "$pristine" "$dst" || die "git clone $pristine failed"
		cp "$pristine/.lkmdemo-baseline" "$dst/"
	fi
	base=$(git -C "$pristine" rev-parse baseline)
	apply_series "$dst" "$base" >&2 || return 1
	echo "$dst"
}

# series_key: a hash of the series as committed (the list and every patch in it).
series_key()
{
	(cd "$REPO_DIR" && cat series $(sed -e 's/#.*//' series)) | sha256sum | cut -c1-16
}

# The README's command (user story 1) that applies the series to the kernel tree in the
# current directory, with the repository in ~/lkmdemo. user_git_am runs this text itself,
# with HOME pointing at a directory whose lkmdemo is the repository (harness/doc-commands
# maps the README's command here; the gate doc-commands checks the text is the same).
USER_GIT_AM=$(cat <<'EOF'
git am $(sed -e 's/#.*//' -e "s|^patches|$HOME/lkmdemo/patches|" ~/lkmdemo/series)
EOF
)

# user_git_am: USER_GIT_AM in the current directory (its "Applying:" lines dropped).
user_git_am()
{
	local home rc
	home=$(mktemp -d) || return 1
	ln -s "$REPO_DIR" "$home/lkmdemo"
	HOME=$home GIT_COMMITTER_NAME=lkmdemo-harness GIT_COMMITTER_EMAIL=harness@lkmdemo.invalid \
		sh -c "$USER_GIT_AM" > /dev/null
	rc=$?
	rm -rf "$home"
	return $rc
}

# apply_series <tree> <baseline commit>: reset the tree and `git am` every patch in
# `series`. A tree that already holds exactly this series on this baseline, unmodified,
# is left as it is (so its files keep their times and builds stay incremental).
apply_series()
{
	local tree=$1 base=$2 key
	key=$(series_key)-$base
	if [ "$(cat "$tree/.git/lkmdemo-series" 2>/dev/null)" = "$key" ] &&
	   [ "$(git -C "$tree" symbolic-ref -q --short HEAD)" = lkmdemo ] &&
	   git -C "$tree" diff --quiet HEAD; then
		echo "series $key already applied with git am on $tree"
		return 0
	fi
	rm -f "$tree/.git/lkmdemo-series"
	(
		cd "$tree" || exit 1
		git am --abort >/dev/null 2>&1
		git checkout -q -f -B lkmdemo "$base" && git clean -fdq || exit 1
		user_git_am
	) || { echo "git am of the series failed on $tree" >&2; return 1; }
	echo "$key" > "$tree/.git/lkmdemo-series"
	echo "series $key applied with git am on $tree"
}

# The compiler's identity, part of every build directory's cache key (for LLVM=1
# builds, clang's version: llvm_version).
cc_key()
{
	[ -n "${KCC_LLVM:-}" ] && { llvm_version; return; }
	"$(arch_cross "$1")gcc" -dumpfullversion 2>/dev/null | tr -c '0-9.\n' _
}

# cc_tag <arch>: compiler name and version, e.g. gcc12.2.0 or clang19.1.7; with rustc's
# in a userland that has one (the rust profile), e.g. clang19.1.7-rustc1.85.1.
cc_tag()
{
	local rust=""
	[ -n "${KBUILD_ROOT:-}" ] &&
		rust=$(userland_exec "$KBUILD_ROOT" rustc --version 2>/dev/null | sed -n 's/^rustc \([0-9.]*\).*/-rustc\1/p')
	if [ -n "${KCC_LLVM:-}" ]; then echo "clang$(cc_key "$1")$rust"; else echo "gcc$(cc_key "$1")$rust"; fi
}

# build_dir <kver> <src tree> <arch> [tag]: the O= directory of one kernel and arch. The
# N, M and Y cells share it: switching CONFIG_LKMDEMO rebuilds only our objects (and
# relinks vmlinux for Y), where a copy or a fresh directory would rebuild the whole kernel.
# A profile configured unlike the matrix (its BUILD_TAG, e.g. sig) has its own,
# <arch>-<tag>-<compiler>.
build_dir()
{
	echo "$WORK_DIR/build/linux-$1-$(cat "$2/.lkmdemo-baseline")/$3-${4:+$4-}$(cc_tag "$3")"
}

# build_mode <b>: the LKMDEMO mode the directory was last configured for (n, m or y).
build_mode()
{
	sed -n 's/^CONFIG_LKMDEMO=\([my]\)$/\1/p' "$1/.config" 2>/dev/null | grep . || echo n
}

# configure <src> <b> <arch> <mode> [extra fragments...]: tinyconfig + fragments, strictly:
# every option a fragment asks for must be in the resulting .config, except one that a
# "# optional: CONFIG_FOO" line in the fragment exempts (an option only some kernels have).
configure()
{
	local src=$1 b=$2 arch=$3 mode=$4 frags f line optional
	shift 4
	frags="$HARNESS_DIR/configs/common.config $(arch_config "$arch")" || return 2
	frags="$frags $HARNESS_DIR/configs/lkmdemo-$mode.config $*"
	mkdir -p "$b"
	# An unchanged .config keeps its time, so that nothing is regenerated for nothing.
	[ -f "$b/.config" ] && cp -p "$b/.config" "$b/.config.prev"
	kmake "$src" "$b" "$arch" -s tinyconfig >/dev/null || return 1
	# merge_config.sh: -m merges into the existing .config (the tinyconfig), -O output dir
	(cd "$src" && ARCH=$(arch_karch "$arch") CROSS_COMPILE=$(arch_cross "$arch") \
		scripts/kconfig/merge_config.sh -m -O "$b" "$b/.config" $frags) > "$b/merge_config.log" 2>&1 ||
		{ cat "$b/merge_config.log" >&2; return 1; }
	kmake "$src" "$b" "$arch" -s olddefconfig >/dev/null || return 1
	for f in $frags; do
		optional=" $(sed -n 's/^# optional: \(CONFIG_[A-Za-z0-9_]*\).*/\1/p' "$f" | tr '\n' ' ')"
		while read -r line; do
			case "$optional" in *" ${line%%=*} "*) continue ;; esac
			case "$line" in
			CONFIG_*=*) grep -qx -- "$line" "$b/.config" ||
				{ echo "$f: $line did not survive into $b/.config" >&2; return 1; } ;;
			"# CONFIG_"*" is not set")
				line=${line#\# }; line=${line% is not set}
				! grep -q "^$line=" "$b/.config" ||
				{ echo "$f: $line is set in $b/.config" >&2; return 1; } ;;
			esac
		done < "$f"
	done
	if [ -f "$b/.config.prev" ] && cmp -s "$b/.config" "$b/.config.prev"; then
		touch -r "$b/.config.prev" "$b/.config"
	fi
	rm -f "$b/.config.prev"
}

# build <src> <b> <arch>: the image and the modules, then install the modules (depmod runs
# as part of modules_install) into <b>/modroot. A long build shows its progress.
build()
{
	local src=$1 b=$2 arch=$3 pid mon rc
	kmake "$src" "$b" "$arch" all > "$b/build.log" 2>&1 &
	pid=$!
	build_progress "$b" "$pid" &
	mon=$!
	wait "$pid"
	rc=$?
	kill "$mon" 2>/dev/null
	wait "$mon" 2>/dev/null
	[ "$rc" = 0 ] || { tail -n 40 "$b/build.log" >&2; return 1; }
	build_objects_save "$b"
	rm -rf "$b/modroot"
	kmake "$src" "$b" "$arch" -s INSTALL_MOD_PATH="$b/modroot" INSTALL_MOD_STRIP=1 \
		modules_install > "$b/modules_install.log" 2>&1 ||
		{ cat "$b/modules_install.log" >&2; return 1; }
}

# ---- progress of a kernel build -------------------------------------------------------
# kbuild prints one "  CC"/"  AS" line per object it builds; a build is done when it has
# built as many objects as the build directory held after the last complete build of
# the same kernel and arch (in anyone's build directory: $CACHE_DIR/build-objects), or
# roughly as many as a build of another kernel for the same arch.

# build_objects_key <b>: the cache file of the object count of <b>'s kernel and arch.
build_objects_key()
{
	local b=$1
	echo "$CACHE_DIR/build-objects/$(basename "$(dirname "$b")")-$(basename "$b")"
}

# build_objects_save <b>: remember how many objects a complete build of <b> has.
build_objects_save()
{
	local b=$1 n key
	n=$(find "$b" -name '*.o' ! -name '*.mod.o' | wc -l)
	key=$(build_objects_key "$b")
	mkdir -p "$(dirname "$key")"
	echo "$n" > "$key.tmp" && mv "$key.tmp" "$key"
}

# build_progress <b> <make pid>: while make runs, one line every PROGRESS_EVERY seconds:
# objects built, of how many, time so far and an estimate of the time left. Quiet for a
# build shorter than that (a rebuild of our module).
build_progress()
{
	local b=$1 pid=$2 t0 now next n total pct left
	t0=$(date +%s)
	next=$((t0 + PROGRESS_EVERY))
	# Never built here: the count of another kernel on this arch is a rough estimate.
	total=$(cat "$(build_objects_key "$b")" 2>/dev/null ||
		cat "$(ls -t "$CACHE_DIR"/build-objects/*-"$(basename "$b")" 2>/dev/null | head -n 1)" 2>/dev/null ||
		echo 0)
	while kill -0 "$pid" 2>/dev/null; do
		sleep 1
		now=$(date +%s)
		[ "$now" -ge "$next" ] || continue
		next=$((now + PROGRESS_EVERY))
		n=$(grep -cE '^  (CC|AS)( \[M\])? ' "$b/build.log" 2>/dev/null)
		n=${n:-0}
		if [ "$total" -gt 0 ]; then
			[ "$n" -lt "$total" ] || n=$total
			pct=$(( n * 100 / total ))
			left=$(( n > 0 ? (now - t0) * (total - n) / n : 0 ))
			log "building $(basename "$b"): $n of ~$total objects ($pct%), $(( (now - t0) / 60 ))m$(( (now - t0) % 60 ))s so far$([ "$n" -gt 0 ] && echo ", about $(( left / 60 ))m$(( left % 60 ))s left")"
		else
			log "building $(basename "$b"): $n objects, $(( (now - t0) / 60 ))m$(( (now - t0) % 60 ))s so far (no earlier build of this arch to estimate from)"
		fi
	done
}
