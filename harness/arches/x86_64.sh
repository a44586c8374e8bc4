# x86_64 guest: the PC machine, bzImage, console on the first 16550 UART; KVM when the
# host can (lib/guest.sh pick_accel). A 32-bit kselftest build exercises compat_ioctl.
KARCH=x86_64
CROSS=x86_64-linux-gnu-
IMAGE=arch/x86/boot/bzImage
QEMU=qemu-system-x86_64
QEMU_MACHINE=
QEMU_CPU=max
QEMU_ARGS=
CONSOLE=ttyS0
# Under TCG on a busy host the IO-APIC timer check can miss its window and panic the
# boot ("IO-APIC + timer doesn't work!", seen at load 21 on 2 CPUs); the virtual PIT and
# APIC are known to work.
KERNEL_ARGS=no_timer_check
DEB_ARCH=amd64
BUSYBOX_SUITE=bookworm
# gcc-multilib cannot be installed next to the ARM cross compilers: Debian's i686 cross
# compiler builds the 32-bit userspace instead.
PACKAGES="qemu-system-x86 gcc-i686-linux-gnu libc6-dev-i386-cross"
COMPAT_KARCH=x86
COMPAT_CROSS=i686-linux-gnu-
# arch/x86/include/asm/pgtable_64_types.h: MODULES_VADDR (for either kernel image size)
# to MODULES_END
MODULE_AREA=0xffffffffa0000000-0xffffffffff000000
