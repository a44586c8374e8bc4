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

# make_initramfs <build dir> <arch> <out> [extra dir to add under /harness/bin]:
# a newc cpio made by the kernel's own usr/gen_init_cpio from a generated file list.
# The modules come from <build dir>/modroot, or from INITRAMFS_MODROOT (lib/dev.sh).
make_initramfs()
{
	local b=$1 arch=$2 out=$3 bindir=${4:-} bb list stage d p modroot=${INITRAMFS_MODROOT:-$1/modroot}
	bb=$(busybox_for "$arch") || return 1
	stage=$(mktemp -d)
	mkdir -p "$stage/bin" "$stage/harness/bin" "$stage/lib" "$stage/etc"
	cp "$bb" "$stage/bin/busybox" || { rm -rf "$stage"; return 1; }
	cp "$HARNESS_DIR/guest/init" "$stage/init"
	cp -r "$HARNESS_DIR/guest/lib.sh" "$HARNESS_DIR/guest/run-"*.sh "$HARNESS_DIR/guest/"*.awk \
		"$HARNESS_DIR/guest/tests" "$stage/harness/"
	[ -d "$modroot/lib/modules" ] && cp -r "$modroot/lib/modules" "$stage/lib/"
	[ -n "$bindir" ] && [ -d "$bindir" ] && cp -r "$bindir/." "$stage/harness/bin/"
	# INITRAMFS_ROOT: files for the guest's /root (MODULE_DIR=, the lessons' examples).
	mkdir -p "$stage/root"
	[ -n "${INITRAMFS_ROOT:-}" ] && [ -d "$INITRAMFS_ROOT" ] && cp -r "$INITRAMFS_ROOT/." "$stage/root/"
	# The What: paths of the ABI files in the tree being tested, for tests/45-abi.sh.
	(cd "$SRC" && abi_paths $DOCS_ABI) > "$stage/harness/abi-paths.txt" 2>/dev/null
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
	"$b/usr/gen_init_cpio" "$list" > "$out" || { rm -rf "$stage" "$list"; return 1; }
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
	f=$CACHE_DIR/accel-$(cat /proc/sys/kernel/random/boot_id)-$arch-$("${AR[QEMU]}" --version | head -n 1 | tr -c 'a-zA-Z0-9.\n' _)
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

# run_qemu <arch> <kernel image> <initrd> <append> <log> [timeout s] [interactive]
run_qemu()
{
	local arch=$1 kernel=$2 initrd=$3 append=$4 logf=$5 tmo=${6:-600} inter=${7:-} accel cmd
	accel=$(pick_accel "$arch" "$kernel" "$initrd")
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
