# Module signing: the newest kernel with MODULE_SIG_FORCE, whose builtin trusted keyring
# holds a key made for this run; the installed modules are signed with the kernel's
# scripts/sign-file, the guest tests run on them, then the guest loads lkmdemo signed,
# unsigned, tampered with and signed by an unknown key (guest/run-signing.sh).
# The key and the signing are lib/signing.sh.
ENTRY=signing
CMDLINE=signing.cmdline
CONFIGS=signing.config
KERNEL=newest
ARCH=x86_64
MODES=m
LABEL='${KVER}-sig'
BUILD_TAG=sig
STAGE=signing
PACKAGES="openssl kmod"
FULL=1
