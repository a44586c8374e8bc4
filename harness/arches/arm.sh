# 32-bit ARM guest (ARMv7, hard float): QEMU's virt board, zImage, console on the PL011.
KARCH=arm
CROSS=arm-linux-gnueabihf-
IMAGE=arch/arm/boot/zImage
QEMU=qemu-system-arm
QEMU_MACHINE=virt
QEMU_CPU=cortex-a15
QEMU_ARGS=
CONSOLE=ttyAMA0
DEB_ARCH=armhf
BUSYBOX_SUITE=bookworm
# device-tree-compiler: dtc, for the device-tree lesson's board tree (lessons/en/24-*)
PACKAGES="qemu-system-arm gcc-arm-linux-gnueabihf libc6-dev-armhf-cross device-tree-compiler"
# arch/arm/include/asm/memory.h: MODULES_VADDR = PAGE_OFFSET - 16 MiB to PAGE_OFFSET
# (VMSPLIT_3G, the default: PAGE_OFFSET 0xC0000000)
MODULE_AREA=0xbf000000-0xc0000000
