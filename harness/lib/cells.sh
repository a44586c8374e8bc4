# SPDX-License-Identifier: GPL-2.0
# One cell of the matrix (kernel x arch x mode): configure and build (lib/build.sh), the
# kselftest, boot (lib/guest.sh) and judge (lib/results.sh judge); the sparse/W=1 gate of
# a booted cell.

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
# (static: the guest has no libc); for an arch with COMPAT_KARCH (x86_64) a 32-bit build
# as well. Prints the bin dir.
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
	make -s -C "$src/tools/testing/selftests" TARGETS=drivers/misc/lkmdemo O="$out/64" \
		ARCH="$(arch_karch "$arch")" ${cross:+CROSS_COMPILE=$cross} \
		KHDR_INCLUDES="-isystem $out/usr/include" LDFLAGS=-static >/dev/null || return 1
	cp "$(find "$out/64" -type f -name lkmdemo_test | head -n 1)" "$out/bin/lkmdemo_test" || return 1
	compat=$(arch_get "$arch" COMPAT_KARCH)
	if [ -n "$compat" ]; then
		# The 32-bit userspace of a 64-bit arch (compat_ioctl), e.g. x86_64's i686.
		make -s -C "$src/tools/testing/selftests" TARGETS=drivers/misc/lkmdemo O="$out/32" \
			ARCH="$compat" CROSS_COMPILE="$(arch_get "$arch" COMPAT_CROSS)" \
			KHDR_INCLUDES="-isystem $out/usr/include" LDFLAGS=-static >/dev/null || return 1
		cp "$(find "$out/32" -type f -name lkmdemo_test | head -n 1)" "$out/bin/lkmdemo_test_32" || return 1
	fi
	echo "$out/bin"
}

# Kernel command line of a Y cell: the parameters the built-in tests expect.
Y_CMDLINE="lkmdemo.whom=Builtin lkmdemo.howmany=2 lkmdemo.bufsize=16384 lkmdemo.banner=boot1,boot2"
# ... and of the Y boot whose init fails (run=initfail): a bufsize lkmdemo refuses.
INITFAIL_CMDLINE="lkmdemo.bufsize=1000"

# boot_cell <b> <arch> <mode> <run> [interactive]: initramfs + qemu; the log is $b/console.log
boot_cell()
{
	local b=$1 arch=$2 mode=$3 run=$4 inter=${5:-} bin="" append
	bin=$(build_kselftest "$SRC" "$b" "$arch") || { echo "kselftest build failed" >&2; bin=""; }
	make_initramfs "$b" "$arch" "$b/initramfs.cpio" "$bin" || return 1
	append="lkmdemo_harness.run=$run lkmdemo_harness.mode=$mode"
	case "$mode-$run" in
	y-initfail) append="$append $INITFAIL_CMDLINE" ;;
	y-*) append="$append $Y_CMDLINE" ;;
	esac
	run_qemu "$arch" "$b/$(arch_image "$arch")" "$b/initramfs.cpio" "$append" "$b/console.log" 900 "$inter"
}

# run_cell <kver> <arch> <mode> [var]: build, boot and judge one cell; records its
# results. With [var], the name of a variable of the caller, that variable is set to the
# build directory of a cell that booted (for the static checks), else to "".
run_cell()
{
	local kver=$1 arch=$2 mode=$3 out_var=${4:-} t0 b name v
	[ -n "$out_var" ] && printf -v "$out_var" '%s' ""
	# CELL_LABEL: the row of a profile cell in the table (lib/kcells.sh), e.g. 7.2-clang
	name="${CELL_LABEL:-$kver} $arch $(echo "$mode" | tr a-z A-Z)"
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
	v=$(judge "$b/console.log" "$b/verdict.txt" --kunit)
	set -- $v
	count $(( $2 + $5 )) $(( $3 + $6 )) $(( $4 + $7 ))
	if [ "$3" = 0 ] && [ "$6" = 0 ]; then
		record pass $(( $(date +%s) - t0 )) "cell $name: $2 passed, $4 skipped, kunit $5 passed ($(cat "$b/console.log.accel"))"
	else
		record fail $(( $(date +%s) - t0 )) "cell $name: $3 failed, $2 passed, kunit $6 failed ($(cat "$b/console.log.accel"))"
	fi
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
	boot_cell "$b" "$arch" y initfail
	v=$(judge "$b/console.log" "$b/verdict-initfail.txt")
	set -- $v
	count "$2" "$3" "$4"
	if [ "$3" = 0 ]; then
		record pass $(( $(date +%s) - t0 )) "$name ($2 passed)"
	else
		record fail $(( $(date +%s) - t0 )) "$name ($3 failed)"
	fi
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
