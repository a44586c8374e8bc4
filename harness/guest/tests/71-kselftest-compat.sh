# The kselftest built and installed for the 32-bit user space of a 64-bit kernel (x86_64's
# i686: compat_ioctl, 32-bit pointers in PEEK), where the arch has one (COMPAT_KARCH):
# /harness/bin/kselftest32, run as 70-kselftest.sh runs the 64-bit one (the field's bin
# directory: the binary lkmdemo_test_32 only).
if [ -x /harness/bin/kselftest32/run_kselftest.sh ]; then
	KSFT_DIR=/harness/bin/kselftest32 KSFT_NAME=lkmdemo_test_32
elif [ -x /harness/bin/lkmdemo_test_32 ]; then
	KSFT_DIR=/nonexistent KSFT_NAME=lkmdemo_test_32 KSFT_BIN=/harness/bin/lkmdemo_test_32
else
	return 0
fi
. /harness/tests/70-kselftest.sh
