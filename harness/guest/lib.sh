# SPDX-License-Identifier: GPL-2.0
# TAP helpers for the guest tests (busybox sh). One TAP stream for the whole boot:
# test numbers are kept in /tmp/tap.n across the test scripts. The helpers keep their
# variables local: a caller's n or i must survive a call (drain() once overwrote the
# writer count of exercise 06's grader).

TAP_N=/tmp/tap.n
LKMDEMO_MOD=/sys/module/lkmdemo
LKMDEMO_PARAMS=$LKMDEMO_MOD/parameters
LKMDEMO_CLASS=/sys/class/misc/lkmdemo
LKMDEMO_DEV=/dev/lkmdemo

tap_next() { local n=$(( $(cat $TAP_N 2>/dev/null || echo 0) + 1 )); echo $n > $TAP_N; echo $n; }

# pass/fail <description>
pass() { echo "ok $(tap_next) - $TEST_GROUP: $*"; }
fail() { echo "not ok $(tap_next) - $TEST_GROUP: $*"; }
skip() { echo "ok $(tap_next) - $TEST_GROUP: $1 # SKIP $2"; }
diag() { echo "# $*"; }

# check <description> <command...>: passes when the command succeeds.
check() { local d=$1; shift; if "$@" >/tmp/check.out 2>&1; then pass "$d"; else fail "$d"; sed 's/^/#   /' /tmp/check.out; fi; }
# check_fails <description> <command...>: passes when the command fails.
check_fails() { d=$1; shift; if "$@" >/tmp/check.out 2>&1; then fail "$d (succeeded)"; else pass "$d"; fi; }
# expect_eq <description> <expected> <seen>
expect_eq() { if [ "$2" = "$3" ]; then pass "$1"; else fail "$1"; diag "  expected: '$2'"; diag "  seen:     '$3'"; fi; }
# expect_match <description> <glob> <seen>
expect_match() { case "$3" in $2) pass "$1" ;; *) fail "$1"; diag "  expected: '$2'"; diag "  seen:     '$3'" ;; esac; }

# Kernel log lines since the mark set by dmesg_mark.
dmesg_mark() { dmesg | wc -l > /tmp/dmesg.mark; }
dmesg_new() { dmesg | tail -n +$(( $(cat /tmp/dmesg.mark) + 1 )); }

param() { cat "$LKMDEMO_PARAMS/$1"; }
attr() { cat "$LKMDEMO_CLASS/$1"; }
# Read exactly what the FIFO holds now (its fill level), so the read never blocks.
drain() { local n=$(attr fill); [ "$n" -eq 0 ] || head -c "$n" $LKMDEMO_DEV; }
is_module() { grep -q "^$1 " /proc/modules; }
kver() { uname -r; }
# A kernel without KUnit (a distribution's): the host says lkmdemo_harness.kunit=n.
no_kunit() { grep -q 'lkmdemo_harness.kunit=n' /proc/cmdline; }
# harness_arg <name> [default]: the value of lkmdemo_harness.<name>= on the kernel
# command line (the host's way to pass settings to the guest), else <default>.
harness_arg()
{
	local arg
	for arg in $(cat /proc/cmdline); do
		case "$arg" in "lkmdemo_harness.$1="*) echo "${arg#*=}"; return ;; esac
	done
	echo "${2:-}"
}
# Make sure lkmdemo is there (loaded if it is a module).
ensure_loaded() { [ -e $LKMDEMO_DEV ] || modprobe lkmdemo; }
# Wait up to $2 tenths of a second for the command $1 to succeed.
wait_for() { local i=0; while ! eval "$1" 2>/dev/null; do i=$((i + 1)); [ $i -le "$2" ] || return 1; usleep 100000; done; }

# kselftest_userspace: what the kernel's run_kselftest.sh expects of a system and a busybox
# initramfs lacks: /dev/stdout (its log) and /dev/fd, and /usr/bin/timeout taking
# coreutils' --foreground (without it the runner applies no timeout at all; busybox's
# timeout has no such option and exits 143, not coreutils' 124, when time runs out).
kselftest_userspace()
{
	[ -e /dev/stdout ] || ln -s /proc/self/fd/1 /dev/stdout
	[ -e /dev/fd ] || ln -s /proc/self/fd /dev/fd
	[ -x /usr/bin/timeout ] && return 0
	mkdir -p /usr/bin
	cat > /usr/bin/timeout <<'EOF'
#!/bin/sh
# coreutils' timeout for run_kselftest.sh, made of busybox's (harness/guest/lib.sh)
[ "$1" = --foreground ] && shift
/bin/busybox timeout "$@"
rc=$?
[ "$rc" = 143 ] && rc=124
exit "$rc"
EOF
	chmod 755 /usr/bin/timeout
}

# run_groups [a,b,...]: every guest test group (/harness/tests/NN-<group>.sh) in order,
# or only the named ones, each in a subshell with TEST_GROUP set.
run_groups()
{
	local t only=${1:+,$1,}
	for t in /harness/tests/*.sh; do
		TEST_GROUP=$(basename "$t" .sh)
		TEST_GROUP=${TEST_GROUP#[0-9][0-9]-}
		case "${only:-,$TEST_GROUP,}" in *",$TEST_GROUP,"*) ;; *) continue ;; esac
		export TEST_GROUP
		diag "group $TEST_GROUP (uptime $(cut -d' ' -f1 /proc/uptime) s)"
		( . "$t" ) 2>&1
	done
}
