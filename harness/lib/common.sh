# SPDX-License-Identifier: GPL-2.0
# Shared helpers for the lkmdemo harness: logging, cache locations, error exit.
# Sourced by harness/run and the other harness/lib scripts; defines no commands of its own.

HARNESS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
REPO_DIR=$(cd "$HARNESS_DIR/.." && pwd)

# The knobs and their defaults (lib/knobs.sh). harness/run has read the VAR=value
# arguments already; a script that sources this file gets the defaults here.
declare -F knobs_apply >/dev/null || . "$HARNESS_DIR/lib/knobs.sh"
knobs_apply

# Everything downloaded or built lives outside the repository, keyed by content.
CACHE_DIR=$LKMDEMO_CACHE
WORK_DIR=$LKMDEMO_WORK

# The four supported kernels: short version -> Debian suites carrying linux-source-<ver>
# (the newest version found in any of them is used).
declare -A KERNEL_SUITE=([5.10]="bullseye bullseye-security" [6.1]="bookworm bookworm-security"
			 [6.12]="trixie trixie-security" [7.2]=sid)
# "next": the newest linux-source-<x.y> that Debian ships at all, a release candidate in
# experimental or a release in sid (kernel_source_pkg resolves it). Not in SUPPORTED_KVERS:
# its cell is run by `harness/run cell PROFILE=next` (harness/profiles/next.sh).
KERNEL_SUITE[next]="sid experimental"
SUPPORTED_KVERS=(5.10 6.1 6.12 7.2)
SUPPORTED_ARCHES=(x86_64 arm)

# Debian's tools first: the kernel's scripts want Debian's python3 modules (sphinx, ply,
# git), which another python3 earlier in PATH may not have.
export PATH=/usr/sbin:/usr/bin:/sbin:/bin:$PATH

T0=${T0:-$(date +%s)}

# Globals shared between files. Besides the knobs (lib/knobs.sh) and the constants above,
# these are the only variables one file of the harness sets and another reads; any other
# state passes as arguments.
#   RUN_DIR, RESULTS       this run's directory and its results.tsv (new_run_dir,
#                          lib/results.sh); every record and log of the run goes there
#   PASSED FAILED SKIPPED  the run's totals so far (count, lib/results.sh)
#   UNIT_INDEX             the plan unit being run (run_units, lib/plan.sh; a local there),
#                          written by record beside each result
#   SRC                    the kernel tree, series applied, of the kernel the command or
#                          unit works on (prepare_kernel, use_kernel, dev_prepare,
#                          profile_src, stress_cell); a step given a build directory takes
#                          the tree from its source link instead
#   KUNIT_PY               the kunit.py that judge parses KUnit's KTAP with (the command
#                          sets it: series_base's, or the applied tree's for dev)
#   KCC_LLVM               -NN while a profile cell builds with clang-NN
#   KMAKE_ARGS             the profile's MAKE_ARGS (CLIPPY=1), on every make of its kernel
#   KBUILD_ROOT            the Debian userland its kernel is built in (USERLAND, made by
#                          userland, lib/userland.sh)
#                          (the three: set by profile_setup, lib/cells.sh, into locals of
#                          run_profile_cell or lessons_profile; read by kmake, cc_key,
#                          cc_tag, llvm_version, rust_clean and make_initramfs)
#   AR, QEMU_CMD, ARCH_DIR the facts of the arch last loaded, the QEMU command of the last
#                          arch_qemu, the arches' directory (lib/arch.sh)
#   PF, PROFILE_DIR        the fields of the profile last loaded, the profiles' directory
#                          (lib/profile.sh)
#   DOCS_ABI               our ABI files (lib/docs.sh), whose What: paths the initramfs
#                          carries (make_initramfs, lib/guest.sh)

# facts_read <file> <NAME>...: the values a facts file (harness/arches/*.sh,
# harness/profiles/*.sh: shell assignments) gives those names, as NUL-terminated
# "NAME=value" records. The file is sourced in a subshell with the names unset, so that
# nothing of it reaches the harness and a field it leaves out is empty.
facts_read()
{
	local f=$1 kv
	shift
	(
		unset "$@"
		# shellcheck disable=SC1090
		. "$f" || exit 1
		for kv in "$@"; do printf '%s=%s\0' "$kv" "${!kv:-}"; done
	)
}

elapsed() { local s=$(( $(date +%s) - T0 )); printf '%02d:%02d' $((s / 60)) $((s % 60)); }
log() { printf '[%s] %s\n' "$(elapsed)" "$*" >&2; }
die() { printf 'lkmdemo-harness: error: %s\n' "$*" >&2; exit 1; }
