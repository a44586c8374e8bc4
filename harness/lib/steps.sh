# SPDX-License-Identifier: GPL-2.0
# The harness's commands: dependencies, one matrix cell, the whole matrix, the demo,
# the interactive shell and series regeneration. Results of the matrix are collected
# in $RESULTS (one line per check: "<status> <seconds> <name>") and summarised at the end.

DEB_PACKAGES="make gcc libc6-dev flex bison bc libelf-dev libssl-dev ccache git perl python3
	qemu-system-x86 qemu-system-arm gcc-arm-linux-gnueabihf libc6-dev-armhf-cross
	busybox-static sparse cpio kmod xz-utils rsync file libncurses-dev tmux openssl gcc-i686-linux-gnu libc6-dev-i386-cross
	python3-sphinx python3-yaml python3-ply python3-git"

install_deps()
{
	local missing="" p
	for p in $DEB_PACKAGES; do
		[ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)" = "install ok installed" ] || missing="$missing $p"
	done
	[ -z "$missing" ] && return 0
	[ "$(id -u)" = 0 ] || die "missing Debian packages:$missing (run as root, or: sudo apt-get install$missing)"
	log "installing:$missing"
	apt-get update -q >/dev/null 2>&1
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing >/dev/null ||
		die "apt-get install$missing failed"
}

# ---- kernel sources --------------------------------------------------------------

# kernel_src <kver>: print the tree to build for <kver> (or for KDIR), series applied.
kernel_src()
{
	local kver=$1 pristine
	if [ -n "${KDIR:-}" ]; then
		user_tree "$KDIR"
		return
	fi
	pristine=$(kernel_tree "$kver") || return 1
	applied_tree "$kver" "$pristine"
}

# user_tree <dir>: a user's own kernel tree. One that already has the driver is used as
# it is (out-of-place O= builds); otherwise a private copy gets the series with git am.
user_tree()
{
	local dir key copy
	dir=$(cd "$1" 2>/dev/null && pwd) || die "KDIR=$1: no such directory"
	[ -f "$dir/Makefile" ] && [ -f "$dir/drivers/misc/Kconfig" ] || die "KDIR=$1 is not a kernel source tree"
	if [ -f "$dir/drivers/misc/lkmdemo/Kconfig" ]; then
		[ -f "$dir/.lkmdemo-baseline" ] || echo "kdir-$(echo "$dir" | sha1sum | cut -c1-12)" > "$dir/.lkmdemo-baseline" 2>/dev/null ||
			die "KDIR=$1 already has lkmdemo but is not writable"
		echo "$dir"
		return
	fi
	key=$(echo "$dir" | sha1sum | cut -c1-12)
	copy=$WORK_DIR/src/kdir-$key
	log "copying $dir to $copy to apply the series"
	mkdir -p "$copy"
	rsync -a --delete --exclude=/.git "$dir/" "$copy/" || die "copying $dir failed"
	rm -f "$copy/.lkmdemo-baseline"
	[ -d "$copy/.git" ] && [ "$(git -C "$copy" log -1 --format=%s baseline 2>/dev/null)" = "baseline: $dir" ] ||
		{ rm -rf "$copy/.git"; kernel_tree_git_init "$copy" "$dir"; }
	echo "kdir-$key-$(make -s -C "$copy" kernelversion 2>/dev/null)" > "$copy/.lkmdemo-baseline"
	apply_series "$copy" "$(git -C "$copy" rev-parse baseline)" >&2 || die "the series does not apply to KDIR=$1"
	echo "$copy"
}

# ---- results ----------------------------------------------------------------------

RESULTS=${RESULTS:-}
PASSED=0 FAILED=0 SKIPPED=0

# record <pass|fail|skip> <seconds> <name> [count passed failed skipped]
record()
{
	printf '%s\t%s\t%s\n' "$1" "$2" "$3" >> "$RESULTS"
	case "$1" in
	pass) log "PASS $3 (${2}s)" ;;
	fail) log "FAIL $3 (${2}s)" ;;
	skip) log "SKIP $3" ;;
	esac
}

count() { PASSED=$((PASSED + $1)); FAILED=$((FAILED + $2)); SKIPPED=$((SKIPPED + $3)); }

# gate <name> <command...>: one static check, one result.
gate()
{
	local name=$1 t0=$(date +%s) out
	shift
	out=$RUN_DIR/gate-$(echo "$name" | tr -c 'a-zA-Z0-9.\n' _).log
	if "$@" > "$out" 2>&1; then
		record pass $(( $(date +%s) - t0 )) "$name"; count 1 0 0
	else
		record fail $(( $(date +%s) - t0 )) "$name"; count 0 1 0
		sed 's/^/    /' "$out" | tail -n 40 >&2
	fi
}

# ---- one cell -----------------------------------------------------------------------

# cell_build <kver> <src> <arch> <mode>: configure and build; print the build dir.
cell_build()
{
	local kver=$1 src=$2 arch=$3 mode=$4 b
	b=$(build_dir "$kver" "$src" "$arch")
	configure "$src" "$b" "$arch" "$mode" >&2 || return 1
	build "$src" "$b" "$arch" >&2 || return 1
	echo "$b"
}

# cell_order <b>: N, M and Y starting from the mode the build directory is in, so a
# repeated run relinks vmlinux once (Y <-> N), not twice.
cell_order()
{
	case "$(build_mode "$1")" in
	y) echo y n m ;;
	m) echo m n y ;;
	*) echo n m y ;;
	esac
}

# check_nothing_built <b>: with LKMDEMO=n nothing of ours is built or linked.
# (Outputs are read into variables first: under pipefail, `producer | grep -q` can
# fail for the producer's SIGPIPE when grep stops early.)
check_nothing_built()
{
	local b=$1 objs syms mods
	objs=$(ar t "$b/drivers/misc/built-in.a") || { echo "cannot read drivers/misc/built-in.a"; return 1; }
	syms=$(nm "$b/vmlinux") || { echo "cannot read the symbols of vmlinux"; return 1; }
	mods=$(find "$b/modroot" -name '*.ko*') || { echo "cannot list the installed modules"; return 1; }
	! grep -q lkmdemo <<< "$objs" || { echo "drivers/misc/built-in.a has lkmdemo objects"; return 1; }
	! grep -qi lkmdemo <<< "$syms" || { echo "vmlinux has lkmdemo symbols"; return 1; }
	! grep -q lkmdemo "$b/modules.order" || { echo "modules.order lists lkmdemo"; return 1; }
	! grep -q lkmdemo <<< "$mods" || { echo "lkmdemo modules installed"; return 1; }
	echo "no lkmdemo object in drivers/misc/built-in.a, symbol in vmlinux, or module"
}

# build_kselftest <src> <b> <arch>: the selftest built by the kernel's selftests build
# (static: the guest has no libc); for x86_64 a 32-bit build as well. Prints the bin dir.
build_kselftest()
{
	local src=$1 b=$2 arch=$3 out=$2/kselftest cross
	cross=$(arch_cross "$arch")
	local key
	# Kept between runs, keyed by the sources the binaries come from: the selftests'
	# make would not notice a changed uapi header.
	key=$(cat "$src/include/uapi/linux/lkmdemo.h" "$src"/tools/testing/selftests/drivers/misc/lkmdemo/* |
		sha256sum | cut -c1-16)
	[ "$(cat "$out/key" 2>/dev/null)" = "$key" ] || rm -rf "$out"
	mkdir -p "$out/bin"
	echo "$key" > "$out/key"
	kmake "$src" "$b" "$arch" -s headers_install INSTALL_HDR_PATH="$out/usr" >/dev/null || return 1
	make -s -C "$src/tools/testing/selftests" TARGETS=drivers/misc/lkmdemo O="$out/64" \
		ARCH="$(arch_karch "$arch")" ${cross:+CROSS_COMPILE=$cross} \
		KHDR_INCLUDES="-isystem $out/usr/include" LDFLAGS=-static >/dev/null || return 1
	cp "$(find "$out/64" -type f -name lkmdemo_test | head -n 1)" "$out/bin/lkmdemo_test" || return 1
	if [ "$arch" = x86_64 ]; then
		# 32-bit x86 userspace through Debian's i686 cross compiler (gcc-multilib
		# cannot be installed next to the ARM cross compiler).
		make -s -C "$src/tools/testing/selftests" TARGETS=drivers/misc/lkmdemo O="$out/32" \
			ARCH=x86 CROSS_COMPILE=i686-linux-gnu- KHDR_INCLUDES="-isystem $out/usr/include" \
			LDFLAGS=-static >/dev/null || return 1
		cp "$(find "$out/32" -type f -name lkmdemo_test | head -n 1)" "$out/bin/lkmdemo_test_32" || return 1
	fi
	echo "$out/bin"
}

# Kernel command line of a Y cell: the parameters the built-in tests expect.
Y_CMDLINE="lkmdemo.whom=Builtin lkmdemo.howmany=2 lkmdemo.bufsize=16384 lkmdemo.banner=boot1,boot2"

# boot_cell <b> <arch> <mode> <run> [interactive]: initramfs + qemu; the log is $b/console.log
boot_cell()
{
	local b=$1 arch=$2 mode=$3 run=$4 inter=${5:-} bin="" append
	bin=$(build_kselftest "$SRC" "$b" "$arch") || { echo "kselftest build failed" >&2; bin=""; }
	make_initramfs "$b" "$arch" "$b/initramfs.cpio" "$bin" || return 1
	append="lkmdemo_harness.run=$run lkmdemo_harness.mode=$mode"
	[ "$mode" = y ] && append="$append $Y_CMDLINE"
	run_qemu "$arch" "$b/$(arch_image "$arch")" "$b/initramfs.cpio" "$append" "$b/console.log" 900 "$inter"
}

# run_cell <kver> <arch> <mode>: build, boot and judge one cell; records its results.
run_cell()
{
	local kver=$1 arch=$2 mode=$3 t0 b name v
	name="$kver $arch $(echo "$mode" | tr a-z A-Z)"
	t0=$(date +%s)
	log "cell $name: building"
	if ! b=$(cell_build "$kver" "$SRC" "$arch" "$mode"); then
		record fail $(( $(date +%s) - t0 )) "cell $name: build"; count 0 1 0
		return 1
	fi
	if [ "$mode" = n ]; then
		# The cell's time includes its build, as for M and Y.
		if check_nothing_built "$b" > "$RUN_DIR/cell-$kver-$arch-n.log" 2>&1; then
			record pass $(( $(date +%s) - t0 )) "cell $name: LKMDEMO=n builds nothing of ours"
			count 1 0 0
		else
			record fail $(( $(date +%s) - t0 )) "cell $name: LKMDEMO=n builds nothing of ours"
			count 0 1 0
			sed 's/^/    /' "$RUN_DIR/cell-$kver-$arch-n.log" >&2
		fi
		return
	fi
	log "cell $name: booting"
	boot_cell "$b" "$arch" "$mode" test
	v=$(python3 "$HARNESS_DIR/lib/verdict.py" "$b/console.log" "$KUNIT_PY" --kunit | tee "$b/verdict.txt" | tail -n 1)
	grep -v '^VERDICT' "$b/verdict.txt" >&2
	set -- $v
	count $(( $2 + $5 )) $(( $3 + $6 )) $(( $4 + $7 ))
	if [ "$3" = 0 ] && [ "$6" = 0 ]; then
		record pass $(( $(date +%s) - t0 )) "cell $name: $2 passed, $4 skipped, kunit $5 passed ($(cat "$b/console.log.accel"))"
	else
		record fail $(( $(date +%s) - t0 )) "cell $name: $3 failed, $2 passed, kunit $6 failed ($(cat "$b/console.log.accel"))"
	fi
	CELL_B=$b
}

# static_checks <kver> <arch> <b> <mode>: sparse (C=2) and W=1 on our directory.
static_checks()
{
	local kver=$1 arch=$2 b=$3 mode=$4
	gate "sparse C=2 + W=1, $kver $arch $mode" sparse_w1_clean "$b" "$arch"
}

sparse_w1_clean()
{
	local b=$1 arch=$2 out check
	check=$(sparse_bin) || return 1
	# KBUILD_MODULES=1: 5.10 compiles the modules of a directory target only when it is
	# set (later kernels set it themselves); without it, =m files were never checked.
	out=$(kmake "$SRC" "$b" "$arch" C=2 W=1 CHECK="$check" KBUILD_MODULES=1 drivers/misc/lkmdemo/ 2>&1) ||
		{ echo "$out"; return 1; }
	echo "$out"
	# kbuild skips the checker with only a warning when it is too old: that is a failure.
	! grep -q 'not available or not up to date' <<< "$out" || return 1
	grep -q 'CHECK .*drivers/misc/lkmdemo/fifo\.c' <<< "$out" || { echo "sparse did not check fifo.c"; return 1; }
	# Ours are the files of the series; a W=1 warning inside an old kernel's own
	# header (5.10's mmzone.h with gcc 12) is that kernel's, reported but not counted.
	! grep -qE '(drivers/misc/lkmdemo/|include/uapi/linux/lkmdemo\.h)[^ ]*: *(warning|error):' <<< "$out"
}

# ---- series gates -------------------------------------------------------------------

# The kernel tree the series is generated against: the newest supported kernel.
series_base() { kernel_tree "${SUPPORTED_KVERS[-1]}"; }

run_series()
{
	local base
	base=$(series_base) || exit 2
	python3 "$HARNESS_DIR/gen-series" --base "$base"
}

series_no_drift() { python3 "$HARNESS_DIR/gen-series" --base "$1" --check; }

# checkpatch --strict on every patch. Tolerated, each for a stated reason:
#  - the MAINTAINERS reminder (FILE_PATH_CHANGES) on patches that come before the one
#    adding the entry;
#  - LINUX_VERSION_CODE in drivers/misc/lkmdemo/compat.h, and only there: keeping the
#    version conditionals in that one file is the point of it (one source, 5.10-7.2).
# Anything else, in any patch, fails the gate.
checkpatch_clean()
{
	local tree=$1 p maint_seen=0 out bad=0
	for p in $(sed -e 's/#.*//' "$REPO_DIR/series"); do
		out=$(cd "$tree" && perl scripts/checkpatch.pl --strict --show-types --no-summary "$REPO_DIR/$p" 2>&1)
		grep -q '^+++ b/MAINTAINERS' "$REPO_DIR/$p" && maint_seen=1
		out=$(echo "$out" | awk -v maint="$maint_seen" '
			/^(ERROR|WARNING|CHECK):/ { skip = 0 }
			/^WARNING:FILE_PATH_CHANGES:/ && !maint { skip = 1 }
			/^WARNING:LINUX_VERSION_CODE:/ { held = $0; getline; if ($0 ~ /FILE: drivers\/misc\/lkmdemo\/compat\.h:/) { skip = 1; next } print held }
			!skip')
		if grep -qE '^(ERROR|WARNING|CHECK):' <<< "$out"; then
			echo "== $p"; echo "$out"; bad=1
		else
			echo "$p: clean"
		fi
	done
	return $bad
}

# Each patch builds on its own (bisectable): check out every commit of the series in the
# applied tree and build our directory as modules (with W=1) and built in, in a build
# directory of its own seeded from the tree's N build. The result is kept per (series,
# kernel tree, compiler, arch): the same inputs never need building again.
bisect_builds()
{
	local src=$1 arch=$2 seed=$3 b n c key stamp mode rc=0
	key=$({ series_key; cat "$src/.lkmdemo-baseline"; cc_key "$arch"; echo "$arch"; } | sha256sum | cut -c1-16)
	stamp=$WORK_DIR/bisect-pass-$key
	if [ -f "$stamp" ]; then echo "passed before for this exact series, tree and compiler ($key)"; return 0; fi
	b=$seed
	configure "$src" "$b" "$arch" n || return 1
	cp "$b/.config" "$b/.config.bisect-base"
	n=0
	for c in $(git -C "$src" rev-list --reverse baseline..lkmdemo); do
		n=$((n + 1))
		git -C "$src" checkout -q --detach "$c" || { rc=1; break; }
		echo "== patch $n: $(git -C "$src" log -1 --format=%s "$c")"
		for mode in m y; do
			cp "$b/.config.bisect-base" "$b/.config"
			"$src/scripts/config" --file "$b/.config" --set-val LKMDEMO "$mode" \
				--set-val LKMDEMO_CLIENT m --set-val LKMDEMO_KUNIT_TEST "$mode"
			kmake "$src" "$b" "$arch" -s olddefconfig || { rc=1; break 2; }
			if [ "$mode" = m ]; then
				# vmlinux first, without W=1 (which would recompile the whole
				# kernel): the directory may hold a Y build, whose vmlinux
				# exports our symbols. Relinked once, then unchanged.
				kmake "$src" "$b" "$arch" -s vmlinux || { rc=1; break 2; }
				kmake "$src" "$b" "$arch" -s W=1 modules || { rc=1; break 2; }
			else
				kmake "$src" "$b" "$arch" -s W=1 drivers/misc/ || { rc=1; break 2; }
			fi
		done
	done
	git -C "$src" checkout -q lkmdemo
	[ "$rc" = 0 ] && touch "$stamp"
	return $rc
}

# ---- commands -------------------------------------------------------------------------

new_run_dir()
{
	RUN_DIR=$WORK_DIR/runs/$(date -u +%Y%m%dT%H%M%SZ)-$1-$$
	mkdir -p "$RUN_DIR"
	RESULTS=$RUN_DIR/results.tsv
	: > "$RESULTS"
	log "run directory: $RUN_DIR"
}

# prepare_kernel <kver>: SRC = the tree with the series applied by git am (a result).
prepare_kernel()
{
	local kver=$1 t0=$(date +%s) out=$RUN_DIR/git-am-$1.log
	if SRC=$(kernel_src "$kver" 2> "$out"); then
		record pass $(( $(date +%s) - t0 )) "git am of the series onto $kver ($(cat "$SRC/.lkmdemo-baseline"))"
		count 1 0 0
	else
		record fail $(( $(date +%s) - t0 )) "git am of the series onto $kver"
		count 0 1 0
		sed 's/^/    /' "$out" >&2
		return 1
	fi
}

run_cell_cmd()
{
	local kver=${KVER:-${SUPPORTED_KVERS[-1]}} arch=${ARCH:-x86_64} mode=${MODE:-m}
	new_run_dir "cell-$kver-$arch-$mode"
	KUNIT_PY=$(series_base)/tools/testing/kunit/kunit.py
	prepare_kernel "$kver" || exit 1
	run_cell "$kver" "$arch" "$mode"
	summary
}

run_shell()
{
	local kver=${KVER:-${SUPPORTED_KVERS[-1]}} arch=${ARCH:-x86_64} mode=${MODE:-m} b
	new_run_dir "shell-$kver-$arch-$mode"
	prepare_kernel "$kver" || exit 1
	b=$(cell_build "$kver" "$SRC" "$arch" "$mode") || exit 1
	log "booting $kver $arch ($mode); leave the guest with: reboot -f"
	boot_cell "$b" "$arch" "$mode" shell interactive
}

run_demo()
{
	local kver=${KVER:-${SUPPORTED_KVERS[-1]}} arch=${ARCH:-arm} b
	new_run_dir "demo-$kver-$arch"
	log "lkmdemo demo: Linux $kver on $arch (change with KVER= ARCH=)"
	prepare_kernel "$kver" || exit 1
	log "building the kernel (LKMDEMO=m) - a few minutes the first time"
	b=$(cell_build "$kver" "$SRC" "$arch" m) || exit 1
	log "booting it in QEMU"
	boot_cell "$b" "$arch" m demo
	sed -n '/^LKMDEMO-DEMO-BEGIN/,/^LKMDEMO-DEMO-END/p' "$b/console.log" | sed '1d;$d'
	grep -q '^LKMDEMO-DEMO-END' "$b/console.log" || { log "the demo did not finish; see $b/console.log"; exit 1; }
	log "demo finished; console log: $b/console.log"
}

run_test()
{
	local kver arch base
	new_run_dir test
	mkdir -p "$WORK_DIR"
	prefetch_kernels $(printf '%s\n' "${SUPPORTED_KVERS[@]}" | tac | sed 1d)
	base=$(series_base) || exit 2
	KUNIT_PY=$base/tools/testing/kunit/kunit.py
	gate "series: patches/ and series regenerate without drift" series_no_drift "$base"
	gate "checkpatch --strict on every patch" checkpatch_clean "$base"
	gate "README concept map: every file:symbol it names exists" \
		python3 "$HARNESS_DIR/lib/readme-map.py" "$REPO_DIR/README"
	for kver in $(printf '%s\n' "${SUPPORTED_KVERS[@]}" | tac); do
		[ -n "${KVER:-}" ] && [ "$kver" != "$KVER" ] && continue
		prepare_kernel "$kver" || continue
		gate "docs: kernel-doc, ABI validation and htmldocs of our pages on $kver" \
			docs_check "$SRC" "$RUN_DIR/docs-$kver"
		gate "get_maintainer.pl names the lkmdemo entry for each of our files on $kver" \
			maintainer_named "$SRC"
		for arch in "${SUPPORTED_ARCHES[@]}"; do
			[ -n "${ARCH:-}" ] && [ "$arch" != "$ARCH" ] && continue
			for mode in $(cell_order "$(build_dir "$kver" "$SRC" "$arch")"); do
				CELL_B=""
				run_cell "$kver" "$arch" "$mode"
				[ -n "$CELL_B" ] && static_checks "$kver" "$arch" "$CELL_B" "$(echo $mode | tr a-z A-Z)"
			done
			if [ "$kver" = "${SUPPORTED_KVERS[-1]}" ] && [ "$arch" = x86_64 ]; then
				gate "make menuconfig in tmux: Misc devices -> LKM demonstration driver -> help -> M -> save" \
					menuconfig_test "$SRC" "$(build_dir "$kver" "$SRC" "$arch")" "$arch"
				gate "every patch builds on its own ($kver $arch, M and Y, W=1)" \
					bisect_builds "$SRC" "$arch" "$(build_dir "$kver" "$SRC" "$arch")"
			fi
		done
	done
	summary
}

# summary: the matrix table, every failure, and the closing count line.
summary()
{
	local k a m line st secs
	echo
	echo "== lkmdemo test matrix (seconds) =="
	printf '%-8s %-7s %-14s %-14s %-14s\n' kernel arch N M Y
	for k in "${SUPPORTED_KVERS[@]}"; do
		for a in "${SUPPORTED_ARCHES[@]}"; do
			line=$(printf '%-8s %-7s' "$k" "$a")
			for m in N M Y; do
				st=$(awk -F'\t' -v n="cell $k $a $m:" 'index($3, n) == 1 { print $1 " " $2 }' "$RESULTS" |
					awk '{ s = ($1 == "fail") ? "fail" : (s == "fail" ? s : $1); t += $2 } END { if (s) print s " " t }')
				[ -n "$st" ] || st="-"
				line="$line $(printf '%-14s' "$st")"
			done
			echo "$line"
		done
	done
	echo
	echo "== checks =="
	awk -F'\t' '{ printf "%-4s %5ss  %s\n", toupper($1), $2, $3 }' "$RESULTS"
	echo
	echo "total time $(elapsed); results in $RESULTS"
	echo "$PASSED passed, $FAILED failed, $SKIPPED skipped"
	[ "$FAILED" = 0 ]
}

# maintainer_named <tree>: scripts/get_maintainer.pl on every file of ours in the tree
# names the MAINTAINERS entry the series adds.
maintainer_named()
{
	local tree=$1 f out bad=0
	for f in $(cd "$tree" && git diff --name-only baseline lkmdemo -- drivers/misc/lkmdemo include/uapi \
			Documentation tools/testing/selftests | grep lkmdemo); do
		out=$(cd "$tree" && perl scripts/get_maintainer.pl --no-git --no-git-fallback -f "$f" 2>&1)
		if grep -q 'maintainers@users.noreply.r-seed-45eb6060.example' <<< "$out"; then
			echo "$f: $(grep -m1 'lkmdemo maintainers' <<< "$out")"
		else
			echo "$f: not named; get_maintainer.pl said:"; echo "$out"; bad=1
		fi
	done
	return $bad
}

# ---- benchmark ------------------------------------------------------------------------

# run_bench: the data-path benchmark (lkmdemo vs pipe(2)) and the footprint in one booted
# guest, the module footprint from the built objects of every kernel built so far, and
# the warm developer loop: one driver file changed -> module rebuilt -> initramfs ->
# guest booted -> verdict, each phase timed. Writes harness/bench/results/latest.{md,csv}.
run_bench()
{
	local kver=${KVER:-${SUPPORTED_KVERS[-1]}} arch=${ARCH:-x86_64} b res t0 t1 t2 t3 v accel bin
	new_run_dir "bench-$kver-$arch"
	res=$HARNESS_DIR/bench/results
	mkdir -p "$res"
	KUNIT_PY=$(series_base)/tools/testing/kunit/kunit.py
	prepare_kernel "$kver" || exit 1
	b=$(cell_build "$kver" "$SRC" "$arch" m) || exit 1
	log "benchmark: booting $kver $arch"
	# Under TCG, wall-clock time in the guest follows the host's load; counting guest
	# time in instructions (-icount) makes runs repeatable, at about 4x the run time.
	QEMU_TCG_EXTRA="-icount shift=0,sleep=off" \
	BENCH_APPEND="lkmdemo_harness.bench_reps=${BENCH_REPS:-5} lkmdemo_harness.bench_ms=${BENCH_MS:-60}" \
		bench_boot "$b" "$arch" m "$RUN_DIR/bench-console.log" || exit 1
	bench_extract "$RUN_DIR/bench-console.log" "$RUN_DIR/bench" || die "the benchmark failed; see $RUN_DIR/bench-console.log"
	accel=$(cat "$RUN_DIR/bench-console.log.accel")

	log "developer loop: touch drivers/misc/lkmdemo/fifo.c, rebuild, boot, test"
	touch "$SRC/drivers/misc/lkmdemo/fifo.c"
	t0=$(date +%s.%N)
	cell_build "$kver" "$SRC" "$arch" m >/dev/null || exit 1
	t1=$(date +%s.%N)
	bin=$(build_kselftest "$SRC" "$b" "$arch") && make_initramfs "$b" "$arch" "$b/initramfs.cpio" "$bin" || exit 1
	t2=$(date +%s.%N)
	run_qemu "$arch" "$b/$(arch_image "$arch")" "$b/initramfs.cpio" \
		"lkmdemo_harness.run=test lkmdemo_harness.mode=m" "$b/console.log" 900
	t3=$(date +%s.%N)
	v=$(python3 "$HARNESS_DIR/lib/verdict.py" "$b/console.log" "$KUNIT_PY" --kunit | tail -n 1)

	{
		echo "# lkmdemo benchmark results"
		echo
		echo "Measured $(date -u '+%Y-%m-%d %H:%M UTC') by \`harness/run bench KVER=$kver ARCH=$arch\`"
		echo "on $(nproc) host CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')),"
		echo "guest: Linux $(cat "$b/include/config/kernel.release") $arch under QEMU ($accel$([ "$accel" = tcg ] && echo ', -icount shift=0: guest time in instructions, repeatable')), git $(git -C "$REPO_DIR" rev-parse --short HEAD)."
		echo
		cat "$RUN_DIR/bench/bench.md"
		echo
		echo "### Developer loop (warm): one driver .c file changed"
		echo
		echo "| phase | seconds |"
		echo "|---|---:|"
		printf '| rebuild (kbuild, module) | %.1f |\n' "$(echo "$t1 - $t0" | bc)"
		printf '| kselftest + initramfs | %.1f |\n' "$(echo "$t2 - $t1" | bc)"
		printf '| boot + guest tests | %.1f |\n' "$(echo "$t3 - $t2" | bc)"
		printf '| total to verdict | %.1f |\n' "$(echo "$t3 - $t0" | bc)"
		echo
		echo "Verdict of that run: $v (passed failed skipped, KUnit passed failed skipped)."
		echo
		footprint_table $(ls -d "$WORK_DIR"/build/*/*-gcc* 2>/dev/null)
	} > "$res/latest.md"
	cp "$RUN_DIR/bench/bench.csv" "$res/latest.csv"
	cat "$res/latest.md"
	log "results: $res/latest.md and latest.csv"
}
