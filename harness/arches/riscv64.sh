# 64-bit RISC-V guest: QEMU's virt board, Image, started by the OpenSBI firmware QEMU ships
# (qemu-system-data: opensbi-riscv64-generic-fw_dynamic.bin, "-bios default"); console on
# the 16550 UART. Debian has riscv64 binaries from Debian 13 (trixie): busybox from there.
KARCH=riscv
CROSS=riscv64-linux-gnu-
IMAGE=arch/riscv/boot/Image
QEMU=qemu-system-riscv64
QEMU_MACHINE=virt
QEMU_CPU=rv64
QEMU_ARGS="-bios default"
CONSOLE=ttyS0
# earlycon (the UART that the device tree's stdout-path names): the kernel's first lines
# reach the console log before the 8250 driver is up. One 7.2 Y boot here stopped after
# OpenSBI's banner with no kernel line at all, under a loaded host, and passed when run
# again; with earlycon, such a log shows how far the kernel got.
KERNEL_ARGS=earlycon
DEB_ARCH=riscv64
BUSYBOX_SUITE=trixie
PACKAGES="qemu-system-misc gcc-riscv64-linux-gnu libc6-dev-riscv64-cross"
