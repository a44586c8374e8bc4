# 64-bit ARM guest: QEMU's virt board with a Cortex-A57 (ARMv8.0: quick under TCG, where
# -cpu max spends its time on pointer authentication), Image, console on the PL011.
KARCH=arm64
CROSS=aarch64-linux-gnu-
IMAGE=arch/arm64/boot/Image
QEMU=qemu-system-aarch64
QEMU_MACHINE=virt
QEMU_CPU=cortex-a57
QEMU_ARGS=
CONSOLE=ttyAMA0
DEB_ARCH=arm64
BUSYBOX_SUITE=bookworm
PACKAGES="qemu-system-arm gcc-aarch64-linux-gnu libc6-dev-arm64-cross"
