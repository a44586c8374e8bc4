# The newest supported kernel built with LLVM=1 (Debian's clang-19: 7.2 needs LLVM
# 17.0.1, scripts/min-tool-version.sh; bookworm's clang-14/15/16 are older), M and Y,
# every guest test, then sparse (C=2) + W=1 on our files. Its build directory is its
# own by the compiler's name (x86_64-clang19.1.7), never shared with a gcc build.
ENTRY=test
CMDLINE=builtin.cmdline
KERNEL=newest
ARCH=x86_64
MODES="m y"
LABEL='${KVER}-clang'
TOOLCHAIN=llvm-19
STATIC=1
PACKAGES="clang-19 lld-19 llvm-19"
FULL=1
