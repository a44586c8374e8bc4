# SPDX-License-Identifier: GPL-2.0
# The guest: a busybox initramfs holding the installed modules, the guest tests and the
# kselftest binaries, and QEMU to boot it (KVM only when a real boot proves it works).

# guest_prog <arch> <source.c> <output>: one of the harness's own guest programs
# (bench/lkmdemo_bench.c, stress/lkmdemo_stress.c), static for <arch>, against this
# repository's uapi header and the record format they share (include/lkmdemo_record.h);
# <linux/ioctl.h> and <linux/types.h> come from the cross toolchain's kernel headers.
guest_prog()
{
	local arch=$1 src=$2 out=$3 cross
	cross=$(arch_cross "$arch") || return 2
	mkdir -p "$(dirname "$out")"
	"${cross}gcc" -static -O2 -g -Wall -Wextra -Werror \
		-I"$REPO_DIR/include/uapi" -I"$HARNESS_DIR/include" -o "$out" "$src"
}

# busybox_for <arch>: path of a static busybox that runs in the guest: the host's own on
# the native arch, else Debian's busybox-static of the arch's DEB_ARCH and BUSYBOX_SUITE,
# unpacked (never installed) under the cache.
busybox_for()
{
	local arch=$1 deb dir bb
	arch_load "$arch" || return 2
	if arch_native "$arch" && [ -x /bin/busybox ] &&
	   file -L /bin/busybox 2>/dev/null | grep -c 'statically linked' >/dev/null; then
		echo /bin/busybox
		return
	fi
	deb=$(fetch_deb "${AR[BUSYBOX_SUITE]}" "${AR[DEB_ARCH]}" busybox-static) || return 1
	dir=$CACHE_DIR/busybox/$(basename "$deb" .deb)
	if [ ! -d "$dir" ]; then
		mkdir -p "$dir.tmp" && dpkg-deb -x "$deb" "$dir.tmp" && mv "$dir.tmp" "$dir" ||
			{ rm -rf "$dir.tmp"; echo "unpacking $deb failed" >&2; return 1; }
	fi
	# Debian 13 and later ship it in /usr/bin (merged /usr), earlier releases in /bin.
	for bb in "$dir/usr/bin/busybox" "$dir/bin/busybox"; do
		[ -x "$bb" ] && { echo "$bb"; return 0; }
	done
	echo "no busybox in $deb" >&2
	return 1
}

# make_initramfs <build dir> <arch> <out> <modroot> <tree> [bin dir] [root dir]: a newc
# cpio made by the kernel's own usr/gen_init_cpio (in <build dir>) from a generated file
# list: busybox, the guest's tests, the modules under <modroot>/lib/modules, the What:
# paths of <tree>'s ABI files, [bin dir] under /harness/bin and [root dir] as /root.
# Called by boot_profile, which every boot goes through.
make_initramfs()
{
	local b=$1 arch=$2 out=$3 modroot=$4 tree=$5 bindir=${6:-} rootdir=${7:-} bb list stage d p
	local cpio=$b/usr/gen_init_cpio
	bb=$(busybox_for "$arch") || return 1
	# A kernel built in another Debian userland (KBUILD_ROOT, the rust profile) has a
	# gen_init_cpio linked against that userland's C library: build one for this host
	# from the same source.
	if [ -n "${KBUILD_ROOT:-}" ]; then
		cpio=$b/usr/gen_init_cpio.host
		[ "$cpio" -nt "$tree/usr/gen_init_cpio.c" ] ||
			gcc -O2 -o "$cpio" "$tree/usr/gen_init_cpio.c" || return 1
	fi
	stage=$(mktemp -d)
	mkdir -p "$stage/bin" "$stage/harness/bin" "$stage/lib" "$stage/etc"
	cp "$bb" "$stage/bin/busybox" || { rm -rf "$stage"; return 1; }
	cp "$HARNESS_DIR/guest/init" "$stage/init"
	cp -r "$HARNESS_DIR/guest/lib.sh" "$HARNESS_DIR/guest/run-"*.sh "$HARNESS_DIR/guest/"*.awk \
		"$HARNESS_DIR/guest/tests" "$stage/harness/"
	[ -d "$modroot/lib/modules" ] && cp -r "$modroot/lib/modules" "$stage/lib/"
	[ -n "$bindir" ] && [ -d "$bindir" ] && cp -r "$bindir/." "$stage/harness/bin/"
	# The guest's /root (MODULE_DIR=, the lessons' examples).
	mkdir -p "$stage/root"
	[ -n "$rootdir" ] && [ -d "$rootdir" ] && cp -r "$rootdir/." "$stage/root/"
	# The What: paths of the ABI files in the tree being tested, for tests/45-abi.sh.
	# shellcheck disable=SC2086
	(cd "$tree" && abi_paths $DOCS_ABI) > "$stage/harness/abi-paths.txt" 2>/dev/null
	list=$stage.list
	{
		echo "dir /dev 755 0 0"
		echo "nod /dev/console 600 0 0 c 5 1"
		for d in proc sys tmp sbin; do echo "dir /$d 755 0 0"; done
		(cd "$stage" && find . -mindepth 1 | sort) | while read -r p; do
			p=${p#.}
			if [ -d "$stage$p" ]; then echo "dir $p 755 0 0"
			elif [ -x "$stage$p" ] || [ "$p" = /init ]; then echo "file $p $stage$p 755 0 0"
			else echo "file $p $stage$p 644 0 0"
			fi
		done
		# /init is a script: its interpreter must exist before busybox --install runs.
		echo "slink /bin/sh busybox 777 0 0"
	} > "$list"
	"$cpio" "$list" > "$out" || { rm -rf "$stage" "$list"; return 1; }
	rm -rf "$stage" "$list"
}

# The accelerator: "kvm" only for the host's own architecture, and only when a guest
# really booted with it on this machine since it last started (cached per boot id and
# QEMU version); else "tcg". ACCEL= forces one.
pick_accel()
{
	local arch=$1 kernel=$2 initrd=$3 f
	arch_native "$arch" && [ -w /dev/kvm ] || { echo tcg; return; }
	[ -n "${ACCEL:-}" ] && { echo "$ACCEL"; return; }
	f=$(accel_cache "$arch")
	if [ ! -s "$f" ]; then
		log "probing KVM with a real boot (20 s at most)"
		arch_qemu "$arch" kvm
		if timeout 20 "${QEMU_CMD[@]}" -nographic -no-reboot -kernel "$kernel" -initrd "$initrd" \
			-append "console=${AR[CONSOLE]} ${AR[KERNEL_ARGS]} panic=-1 $(profile_cmdline probe)" </dev/null 2>/dev/null |
			grep -q LKMDEMO-GUEST-UP; then
			echo kvm > "$f"
		else
			echo tcg > "$f"
		fi
		mkdir -p "$CACHE_DIR"
	fi
	cat "$f"
}

# accel_cache <arch>: the file where pick_accel keeps its probe's answer for <arch> on this
# machine since it last started, with this QEMU.
accel_cache()
{
	arch_load "$1" || return 2
	echo "$CACHE_DIR/accel-$(cat /proc/sys/kernel/random/boot_id)-$1-$("${AR[QEMU]}" --version | head -n 1 | tr -c 'a-zA-Z0-9.\n' _)"
}

# run_qemu <arch> <accel> <kernel image> <initrd> <append> <log> [timeout s] [interactive]
# (boot_profile's last step)
run_qemu()
{
	local arch=$1 accel=$2 kernel=$3 initrd=$4 append=$5 logf=$6 tmo=${7:-600} inter=${8:-} cmd
	arch_qemu "$arch" "$accel" || return 2
	cmd=("${QEMU_CMD[@]}")
	append="console=${AR[CONSOLE]} ${AR[KERNEL_ARGS]:+${AR[KERNEL_ARGS]} }$append"
	# QEMU_TCG_EXTRA: more options for a TCG guest, e.g. "-icount shift=0,sleep=off" for
	# the benchmark (guest time counted in instructions: repeatable on a busy host).
	[ "$accel" = tcg ] && [ -n "${QEMU_TCG_EXTRA:-}" ] && cmd+=($QEMU_TCG_EXTRA)
	# QEMU_EXTRA: more options for any guest, e.g. the lessons' "-dtb <file>".
	[ -n "${QEMU_EXTRA:-}" ] && cmd+=($QEMU_EXTRA)
	cmd+=(-nographic -no-reboot -kernel "$kernel" -initrd "$initrd"
	      -append "panic=-1 oops=panic panic_on_warn=1 $append")
	echo "$accel" > "$logf.accel"
	if [ -n "$inter" ]; then
		"${cmd[@]}"
	else
		timeout --foreground -k 5 "$tmo" "${cmd[@]}" </dev/null > "$logf" 2>&1
	fi
}

# boot_profile <profile> <build dir> <arch> <log> [option...] [NAME=value...]: the one
# way the harness boots a guest (cells, shell, demo, dev, bench, stress, lessons,
# exercises, field). In order: the old <log> (and verdict) removed; the initramfs
# <log>.cpio (make_initramfs: <build dir>'s usr/gen_init_cpio, the modules, the guest's
# tests, the options' files); the accelerator (pick_accel); the profile's kernel command
# line (profile_cmdline <profile> ACCEL=<accel> NAME=value...); QEMU (run_qemu: console
# into <log>, the accelerator into <log>.accel, QEMU's start time into <log>.start); with
# --verdict, the judgement (judge), whose VERDICT line it prints. Options:
#   --kernel <image>   the kernel to boot (default <build dir>/<the arch's image>)
#   --modroot <dir>    whose lib/modules the guest gets (default <build dir>/modroot)
#   --tree <dir>       the source tree whose ABI files the guest checks (default
#                      <build dir>/source, the tree the build directory was made from)
#   --bin <dir>        the guest's /harness/bin
#   --root <dir>       the guest's /root
#   --accel <tcg|kvm>  the accelerator unless the knob ACCEL is set (default: pick_accel)
#   --timeout <s>      QEMU's time limit (default 900)
#   --interactive      the console on this terminal (no log, no time limit)
#   --verdict <file>   judge <log> into <file> and print its VERDICT line
#   --kunit            with --verdict: the KUnit KTAP too ($KUNIT_PY)
# A boot that could not start (no initramfs, no command line, QEMU wrote nothing) is
# reported one way: the line "boot <profile> <arch>: could not start: <why>" on stderr
# and as the whole <log>, with --verdict a verdict of one failure, and status 3.
boot_profile()
{
	local profile=$1 b=$2 arch=$3 logf=$4 kernel="" modroot="" tree="" bin="" root="" accel=""
	local tmo=900 inter="" vf="" kunit="" initrd why="" append rc
	shift 4
	while [ $# -gt 0 ]; do
		case "$1" in
		--kernel) kernel=$2; shift ;;
		--modroot) modroot=$2; shift ;;
		--tree) tree=$2; shift ;;
		--bin) bin=$2; shift ;;
		--root) root=$2; shift ;;
		--accel) accel=$2; shift ;;
		--timeout) tmo=$2; shift ;;
		--interactive) inter=interactive ;;
		--verdict) vf=$2; shift ;;
		--kunit) kunit=--kunit ;;
		--*) echo "lkmdemo-harness: error: boot_profile: unknown option $1" >&2; return 2 ;;
		*) break ;;
		esac
		shift
	done
	kernel=${kernel:-$b/$(arch_image "$arch")} modroot=${modroot:-$b/modroot}
	tree=${tree:-$(readlink -f "$b/source")}
	initrd=${logf%.log}.cpio
	[ "$initrd" != "$logf" ] || initrd=$logf.cpio
	rm -f "$logf" "$logf.accel" "$logf.start" ${vf:+"$vf"}
	if ! make_initramfs "$b" "$arch" "$initrd" "$modroot" "$tree" "$bin" "$root"; then
		why="making the initramfs failed"
	else
		accel=$(ACCEL=${ACCEL:-$accel} pick_accel "$arch" "$kernel" "$initrd")
		append=$(profile_cmdline "$profile" ACCEL="$accel" "$@") || why="profile $profile: no command line"
	fi
	if [ -z "$why" ]; then
		date +%s.%N > "$logf.start"
		run_qemu "$arch" "$accel" "$kernel" "$initrd" "$append" "$logf" "$tmo" "$inter"
		rc=$?
		[ -n "$inter" ] && return 0
		[ -s "$logf" ] || why="QEMU wrote nothing (status $rc)"
	fi
	if [ -n "$why" ]; then
		echo "boot $profile $arch: could not start: $why" | tee "$logf" >&2
		[ -z "$vf" ] || { echo "VERDICT 0 1 0 0 0 0" | tee "$vf"; }
		return 3
	fi
	[ -z "$vf" ] || judge "$logf" "$vf" $kunit
}
