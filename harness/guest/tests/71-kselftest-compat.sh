# The kselftest built for the 32-bit user space of a 64-bit kernel (x86_64's i686:
# compat_ioctl, 32-bit pointers in PEEK), where the arch has one (COMPAT_KARCH).
[ -x /harness/bin/lkmdemo_test_32 ] || return 0
KSFT_BINS=/harness/bin/lkmdemo_test_32
. /harness/tests/70-kselftest.sh
