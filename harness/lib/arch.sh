# SPDX-License-Identifier: GPL-2.0
# Architectures as data. Each guest architecture is two files under harness/arches/:
#   <arch>.sh      its facts, as shell assignments (the fields below; read, never run here)
#   <arch>.config  its kconfig fragment, merged after configs/common.config
# Adding an architecture means adding those two files; nothing else names one.
#
# Fields of <arch>.sh:
#   KARCH          the kernel's ARCH=
#   CROSS          CROSS_COMPILE= prefix (unused when DEB_ARCH is the host's architecture)
#   IMAGE          the boot image, relative to the build directory
#   QEMU           the qemu-system binary
#   QEMU_MACHINE   its -M (empty: QEMU's default machine)
#   QEMU_CPU       its -cpu under TCG (KVM, where it works, uses -cpu host)
#   QEMU_ARGS      more QEMU options (e.g. firmware)
#   CONSOLE        the console= device on the kernel command line
#   KERNEL_ARGS    more kernel command line for every boot of the arch (optional)
#   DEB_ARCH       Debian's name of the architecture: the guest's busybox-static
#   BUSYBOX_SUITE  the Debian suite that busybox-static is taken from
#   PACKAGES       host Debian packages the arch needs (cross compiler, libc, QEMU)
#   COMPAT_KARCH, COMPAT_CROSS
#                  optional: a second, 32-bit build of the kselftest (compat ioctls)
#   MODULE_AREA    optional: start-end of the kernel's module area (MODULES_VADDR to
#                  MODULES_END), for `harness/run stress`: its fault injection counts only
#                  allocations with module code on the stack

ARCH_FIELDS="KARCH CROSS IMAGE QEMU QEMU_MACHINE QEMU_CPU QEMU_ARGS CONSOLE KERNEL_ARGS
	DEB_ARCH BUSYBOX_SUITE PACKAGES COMPAT_KARCH COMPAT_CROSS MODULE_AREA"
ARCH_DIR=$HARNESS_DIR/arches

# The fields of the architecture last loaded, by name: ${AR[QEMU]} ...
declare -A AR=()

# arch_list: every architecture there is a file for.
arch_list()
{
	local f
	for f in "$ARCH_DIR"/*.sh; do
		f=${f##*/}
		printf '%s ' "${f%.sh}"
	done | sed 's/ $//'
}

# arch_load <arch>: read harness/arches/<arch>.sh into AR. An unknown arch is a one-line
# error and status 2.
arch_load()
{
	local arch=$1 f=$ARCH_DIR/$1.sh kv
	[ "${AR[NAME]:-}" = "$arch" ] && return 0
	if [[ ! "$arch" =~ ^[a-z0-9_]+$ ]] || [ ! -f "$f" ] || [ ! -f "$ARCH_DIR/$arch.config" ]; then
		echo "lkmdemo-harness: error: unknown ARCH=$arch (known: $(arch_list))" >&2
		return 2
	fi
	AR=([NAME]="$arch")
	while IFS= read -r -d '' kv; do
		AR[${kv%%=*}]=${kv#*=}
	# shellcheck disable=SC2086
	done < <(facts_read "$f" $ARCH_FIELDS)
	[ -n "${AR[KARCH]:-}" ] && [ -n "${AR[IMAGE]:-}" ] && [ -n "${AR[QEMU]:-}" ] &&
		[ -n "${AR[DEB_ARCH]:-}" ] ||
		{ echo "lkmdemo-harness: error: $f lacks KARCH, IMAGE, QEMU or DEB_ARCH" >&2; AR=(); return 2; }
}

# arch_check <arch>...: all of them known (for the command line: fail before any work).
arch_check()
{
	local a
	for a in "$@"; do arch_load "$a" || return 2; done
}

# arch_get <arch> <FIELD>: one field.
arch_get() { arch_load "$1" && printf '%s\n' "${AR[$2]:-}"; }

# arch_native <arch>: the host runs this architecture's binaries (no cross compiler; KVM).
arch_native() { arch_load "$1" && [ "${AR[DEB_ARCH]}" = "$(dpkg --print-architecture)" ]; }

# The kernel's ARCH, the cross prefix (empty on the native arch) and the image path.
arch_karch() { arch_get "$1" KARCH; }
arch_cross() { arch_native "$1" || arch_get "$1" CROSS; }
arch_image() { arch_get "$1" IMAGE; }
arch_config() { arch_load "$1" && echo "$ARCH_DIR/$1.config"; }

# arch_packages <arch>...: the host packages those architectures need.
arch_packages()
{
	local a
	for a in "$@"; do arch_get "$a" PACKAGES; done | tr -s ' \n' '\n\n' | sort -u | tr '\n' ' '
}

# arch_qemu <arch> <accel tcg|kvm>: fill the array QEMU_CMD with the machine part of the
# QEMU command line (binary, machine, accelerator, CPU, memory, CPUs, extra options).
arch_qemu()
{
	local arch=$1 accel=$2
	arch_load "$arch" || return 2
	QEMU_CMD=("${AR[QEMU]}")
	[ -n "${AR[QEMU_MACHINE]}" ] && QEMU_CMD+=(-M "${AR[QEMU_MACHINE]}")
	if [ "$accel" = kvm ]; then
		QEMU_CMD+=(-accel kvm -cpu host)
	else
		QEMU_CMD+=(-accel tcg ${AR[QEMU_CPU]:+-cpu "${AR[QEMU_CPU]}"})
	fi
	QEMU_CMD+=(-m 512 -smp 2)
	# shellcheck disable=SC2206
	[ -n "${AR[QEMU_ARGS]}" ] && QEMU_CMD+=(${AR[QEMU_ARGS]})
	return 0
}
