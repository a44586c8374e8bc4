# SPDX-License-Identifier: GPL-2.0
# One cell (kernel x arch x mode x profile): configure and build (lib/build.sh), the
# kselftest, boot (lib/guest.sh) with the profile's command line (lib/profile.sh), judge
# (lib/results.sh judge); and the profile cells (harness/profiles/ with a KERNEL: next,
# clang, signing), run by run_profile_cell. The sparse/W=1 gate is lib/sparse.sh.

# cell_build <kver> <src> <arch> <mode> [profile [fragment...]]: configure (the common,
# arch and lkmdemo-<mode> fragments, then the profile's CONFIGS and the fragments given)
# and build, in the profile's build directory; print that directory.
cell_build()
{
	local kver=$1 src=$2 arch=$3 mode=$4 profile=${5:-test} b frags
	shift $(( $# < 5 ? $# : 5 ))
	frags=$(profile_configs "$profile") || return 1
	b=$(build_dir "$kver" "$src" "$arch" "$(profile_get "$profile" BUILD_TAG)")
	# shellcheck disable=SC2086
	configure "$src" "$b" "$arch" "$mode" $frags "$@" >&2 || return 1
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

# build_kselftest <src> <b> <arch>: the selftest built and installed the kernel's way,
# make -C tools/testing/selftests TARGETS=drivers/misc/lkmdemo install, with INSTALL_PATH
# in the directory that becomes the guest's /harness/bin: kselftest/ holds
# run_kselftest.sh, kselftest-list.txt and drivers/misc/lkmdemo/ (lkmdemo_test, config,
# settings), static (the guest has no libc). For an arch with COMPAT_KARCH (x86_64) the
# 32-bit build goes to kselftest32/. lkmdemo_test (and lkmdemo_test_32) beside them are
# the installed binaries, for what runs the binary itself (69-kselftest-rules.sh, the
# lessons). Prints the bin dir.
build_kselftest()
{
	local src=$1 b=$2 arch=$3 out=$2/kselftest cross key compat
	cross=$(arch_cross "$arch")
	# Kept between runs, keyed by the sources the binaries come from: the selftests'
	# make would not notice a changed uapi header.
	key=$(cat "$src/include/uapi/linux/lkmdemo.h" "$src"/tools/testing/selftests/drivers/misc/lkmdemo/* |
		sha256sum | cut -c1-16)
	[ "$(cat "$out/key" 2>/dev/null)" = "$key" ] || rm -rf "$out"
	mkdir -p "$out/bin"
	echo "$key" > "$out/key"
	kmake "$src" "$b" "$arch" -s headers_install INSTALL_HDR_PATH="$out/usr" >/dev/null || return 1
	kselftest_install "$src" "$out/64" "$out/bin/kselftest" "$out/usr/include" \
		ARCH="$(arch_karch "$arch")" ${cross:+CROSS_COMPILE=$cross} || return 1
	cp "$out/bin/kselftest/drivers/misc/lkmdemo/lkmdemo_test" "$out/bin/lkmdemo_test" || return 1
	compat=$(arch_get "$arch" COMPAT_KARCH)
	if [ -n "$compat" ]; then
		# The 32-bit userspace of a 64-bit arch (compat_ioctl), e.g. x86_64's i686.
		kselftest_install "$src" "$out/32" "$out/bin/kselftest32" "$out/usr/include" \
			ARCH="$compat" CROSS_COMPILE="$(arch_get "$arch" COMPAT_CROSS)" || return 1
		cp "$out/bin/kselftest32/drivers/misc/lkmdemo/lkmdemo_test" "$out/bin/lkmdemo_test_32" || return 1
	fi
	echo "$out/bin"
}

# kselftest_install <src> <obj dir> <install dir> <uapi headers> <make args...>: make -C
# tools/testing/selftests TARGETS=drivers/misc/lkmdemo install INSTALL_PATH=<install dir>
# (O=<obj dir>, the headers exported by headers_install); the install must hold the
# runner, the test in its list, and the settings file run_kselftest.sh reads.
kselftest_install()
{
	local src=$1 obj=$2 inst=$3 hdr=$4 t=drivers/misc/lkmdemo
	shift 4
	rm -rf "$inst"
	make -s -C "$src/tools/testing/selftests" TARGETS=$t O="$obj" "$@" \
		KHDR_INCLUDES="-isystem $hdr" LDFLAGS=-static install INSTALL_PATH="$inst" >/dev/null || return 1
	[ -x "$inst/run_kselftest.sh" ] && [ -x "$inst/$t/lkmdemo_test" ] && [ -f "$inst/$t/settings" ] &&
		grep -qx "$t:lkmdemo_test" "$inst/kselftest-list.txt" ||
		{ echo "make install of the kselftest left an incomplete $inst" >&2; return 1; }
}

# boot_cell <b> <arch> <mode> <profile> [boot_profile option...]: a boot of a cell's
# kernel: the kselftest, the profile's STAGE if it has one (<b>/<STAGE>-stage replaces
# the kselftest's directory in the guest's /harness), then boot_profile with the
# profile's command line for <mode>; the log is $b/console.log.
boot_cell()
{
	local b=$1 arch=$2 mode=$3 profile=$4 bin="" stage ctx=()
	shift 4
	bin=$(build_kselftest "$(readlink -f "$b/source")" "$b" "$arch") || { echo "kselftest build failed" >&2; bin=""; }
	stage=$(profile_get "$profile" STAGE) || return 2
	if [ -n "$stage" ]; then
		"${stage}_stage" "$b" "$arch" "$bin" || return 1
		bin=$b/$stage-stage
		read -r -a ctx < <("${stage}_cmdline" "$b")
	fi
	boot_profile "$profile" "$b" "$arch" "$b/console.log" --bin "$bin" "$@" \
		MODE="$mode" ARCH="$arch" "${ctx[@]}"
}

# run_cell <kver> <arch> <mode> [var] [profile]: build, boot and judge one cell of the
# profile (default: test, a cell of the matrix); records its results, in the row of the
# profile's LABEL (the kernel for the matrix). With [var], the name of a variable of the
# caller, that variable is set to the build directory of a cell that booted (for the
# static checks), else to "". A profile with a STAGE configures with the fragment its
# <STAGE>_configure prints.
run_cell()
{
	local kver=$1 arch=$2 mode=$3 out_var=${4:-} profile=${5:-test} t0 b name v label stage frag=""
	[ -n "$out_var" ] && printf -v "$out_var" '%s' ""
	label=$(profile_expand "$(profile_get "$profile" LABEL)" KVER="$kver") || return 2
	name="${label:-$kver} $arch $(echo "$mode" | tr a-z A-Z)"
	t0=$(date +%s)
	log "cell $name: building"
	stage=$(profile_get "$profile" STAGE)
	if [ -n "$stage" ] &&
	   ! frag=$("${stage}_configure" "$(build_dir "$kver" "$SRC" "$arch" "$(profile_get "$profile" BUILD_TAG)")"); then
		record fail $(( $(date +%s) - t0 )) "cell $name: $stage: configure"; count 0 1 0
		return 1
	fi
	if ! b=$(cell_build "$kver" "$SRC" "$arch" "$mode" "$profile" $frag); then
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
	v=$(boot_cell "$b" "$arch" "$mode" "$profile" --verdict "$b/verdict.txt" --kunit)
	record_verdict "cell $name" "$t0" "$b/console.log" $v
	[ -n "$out_var" ] && printf -v "$out_var" '%s' "$b"
	return 0
}

# run_initfail <kver> <arch> <b>: boot the Y kernel in <b> with a bufsize that lkmdemo's
# init refuses; the exports stay in vmlinux, and the client module must fail cleanly.
# Reported in the Y column of the matrix.
run_initfail()
{
	local kver=$1 arch=$2 b=$3 t0 name v
	name="cell $kver $arch Y: init fails, client refused"
	t0=$(date +%s)
	v=$(boot_cell "$b" "$arch" y initfail --verdict "$b/verdict-initfail.txt")
	record_verdict "$name" "$t0" "$b/console.log" $v
}

# ---- profile cells ----------------------------------------------------------------
# A profile with a KERNEL (harness/profiles/: next, clang, signing) is a cell of its own:
# `harness/run cell PROFILE=<name>`, `harness/run profiles`, and the unit "profile
# <name>" of the full tier. Its rows in the matrix table are its LABEL.

# profile_cell_check <name>: a one-line error for anything but a profile cell.
profile_cell_check()
{
	profile_load "$1" || return 2
	[ -n "${PF[KERNEL]}" ] && return 0
	echo "lkmdemo-harness: error: PROFILE=$1 is not a profile cell (they are: $(echo $(profile_list cells)))" >&2
	return 2
}

# profile_kver <name>: the kernel of a profile cell (KERNEL newest or next).
profile_kver()
{
	profile_load "$1" || return 2
	case "${PF[KERNEL]}" in
	newest) echo "${SUPPORTED_KVERS[-1]}" ;;
	next) echo next ;;
	*) echo "lkmdemo-harness: error: profiles/$1.sh: KERNEL=${PF[KERNEL]} is not newest or next" >&2; return 2 ;;
	esac
}

# llvm_version: the version of clang$KCC_LLVM (cc_key of an LLVM=1 build), e.g. 19.1.7.
llvm_version()
{
	${KBUILD_ROOT:+userland_exec "$KBUILD_ROOT"} "clang$KCC_LLVM" --version 2>/dev/null | sed -n '1s/.*clang version \([0-9.]*\).*/\1/p'
}

# profile_src <kver>: SRC = the tree of <kver> with the series applied; recorded as a
# result unless this run has already recorded it (`harness/run test` did for 7.2).
profile_src()
{
	if grep -qF "git am of the series onto $1 (" "$RESULTS" 2>/dev/null; then
		SRC=$(kernel_src "$1" 2>/dev/null) && return 0
	fi
	prepare_kernel "$1"
}

# profile_setup <name>: for a profile cell, set the caller's kver, arch and label, and the
# build's KCC_LLVM (TOOLCHAIN), KMAKE_ARGS (MAKE_ARGS) and KBUILD_ROOT (USERLAND: made
# by debootstrap with its PACKAGES) that kmake reads; the caller declares them local.
# Status 2 for a profile that is not a cell, 1 (recorded) when its tools are missing.
profile_setup()
{
	local p=$1 tc
	profile_cell_check "$p" || return 2
	kver=$(profile_kver "$p") || return 2
	arch=${PF[ARCH]} tc=${PF[TOOLCHAIN]:-gcc} KMAKE_ARGS=${PF[MAKE_ARGS]:-} KCC_LLVM="" KBUILD_ROOT=""
	label=$(profile_expand "${PF[LABEL]}" KVER="$kver") || return 2
	if [ -n "${PF[USERLAND]:-}" ]; then
		# Its kernel is built in a Debian ${PF[USERLAND]} userland with its PACKAGES.
		KBUILD_ROOT=$(userland "${PF[USERLAND]}" ${PF[PACKAGES]}) || {
			record fail 0 "cell $label $arch: a ${PF[USERLAND]} userland (debootstrap)"; count 0 1 0; return 1; }
	fi
	case "$tc" in
	gcc) ;;
	llvm-*)
		# LLVM=-NN: kmake (lib/build.sh) builds with clang-NN, ld.lld-NN, llvm-*-NN.
		KCC_LLVM=-${tc#llvm-}
		[ -n "$(llvm_version)" ] || {
			record fail 0 "cell $label $arch: clang$KCC_LLVM not found"; count 0 1 0; return 1; } ;;
	*) echo "lkmdemo-harness: error: profiles/$p.sh: TOOLCHAIN=$tc is not gcc or llvm-NN" >&2; return 2 ;;
	esac
}

# run_profile_cell <name>: the profile's kernel, with the series applied, built with its
# TOOLCHAIN and CONFIGS, each of its MODES booted and judged (run_cell), then sparse and
# W=1 if it asks for STATIC, and the lessons after its M cell if it asks for LESSONS.
run_profile_cell()
{
	local p=$1 kver arch label modes mode cell_b KCC_LLVM KBUILD_ROOT KMAKE_ARGS rc
	profile_setup "$p"
	rc=$?
	[ "$rc" = 2 ] && return 2
	[ "$rc" = 0 ] || return 0
	modes=" ${PF[MODES]} "
	profile_src "$kver" || return 0
	# In the order that relinks least, as the matrix does.
	for mode in $(cell_order "$(build_dir "$kver" "$SRC" "$arch" "${PF[BUILD_TAG]}")"); do
		[[ "$modes" == *" $mode "* ]] || continue
		run_cell "$kver" "$arch" "$mode" cell_b "$p"
		if [ -n "$cell_b" ] && [ "$(profile_get "$p" STATIC)" = 1 ]; then
			static_checks "$label" "$arch" "$cell_b" "$(echo "$mode" | tr a-z A-Z)"
		fi
		if [ -n "$cell_b" ] && [ "$mode" = m ] && [ "$(profile_get "$p" LESSONS)" = 1 ]; then
			lessons_check_cell "$cell_b" "$arch" "$label" config
		fi
	done
	return 0
}

# profile_deps <name>...: install the profiles' extra Debian packages (as install_deps).
profile_deps()
{
	local p pkgs=""
	# A profile with USERLAND installs its PACKAGES there, not here.
	for p in "$@"; do
		[ -n "$(profile_get "$p" USERLAND)" ] || pkgs="$pkgs $(profile_get "$p" PACKAGES)"
	done
	DEB_PACKAGES=$pkgs install_deps
}

# run_profile_cells [name...]: the given profile cells (default: all), recorded and
# counted into the current run (the profile units of `harness/run test TIER=full`).
run_profile_cells()
{
	local p
	[ $# -gt 0 ] || set -- $(profile_list cells)
	for p in "$@"; do profile_cell_check "$p" || return 2; done
	profile_deps "$@"
	[ -n "${KUNIT_PY:-}" ] || KUNIT_PY=$(series_base)/tools/testing/kunit/kunit.py
	for p in "$@"; do
		log "profile $p"
		run_profile_cell "$p" || return
	done
}

# run_profiles_cmd: `harness/run profiles` (PROFILE= restricts it to one) and
# `harness/run cell PROFILE=...`: a run of its own with the table and the count line.
run_profiles_cmd()
{
	[ -z "${PROFILE:-}" ] || profile_cell_check "$PROFILE" || exit 2
	new_run_dir "profiles-${PROFILE:-all}"
	run_profile_cells ${PROFILE:-} || exit 2
	summary
}
