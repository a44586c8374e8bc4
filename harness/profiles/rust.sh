# The newest supported kernel with CONFIG_RUST (configs/rust.config), built with LLVM=1
# in a Debian 13 (trixie) userland: 7.2's scripts/min-tool-version.sh asks for rustc
# 1.85.0 and bindgen 0.71.1, what trixie ships (bookworm's are older). lkmdemo_rs is
# built beside lkmdemo, M and Y; every guest test, and the kselftest run against both
# devices by run_kselftest.sh (guest/tests/72-rust.sh). Its build directory is its own:
# x86_64-rust-clang<version>-rustc<version>. The whole kernel is built with CLIPPY=1; the
# static checks add rustfmt --check, clippy and W=1 on lkmdemo_rs.rs (lib/cells.sh); the
# lessons run on its M build, among them the one only it can run (lessons/en/25-*).
ENTRY=test
CMDLINE=builtin.cmdline
CONFIGS=rust.config
KERNEL=newest
ARCH=x86_64
MODES="m y"
LABEL='${KVER}-rust'
TOOLCHAIN=llvm-19
BUILD_TAG=rust
USERLAND=trixie
# What the kernel's build needs (Documentation/process/changes.rst, rust/quick-start.rst);
# clang, lld and llvm bring clang-19, lld-19 and llvm-19.
PACKAGES="make gcc libc6-dev flex bison bc libelf-dev libssl-dev ccache git perl python3 cpio kmod
	xz-utils rsync clang lld llvm libclang-dev rustc rust-src bindgen rustfmt rust-clippy"
FULL=1
MAKE_ARGS=CLIPPY=1
STATIC=1
LESSONS=1
