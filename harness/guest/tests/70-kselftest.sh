# The kselftest (tools/testing/selftests/drivers/misc/lkmdemo) as the kernel runs it:
# installed on the host by `make -C tools/testing/selftests TARGETS=drivers/misc/lkmdemo
# install` into /harness/bin/kselftest (KSFT_DIR=, KSFT_NAME= for another build) and run
# by its run_kselftest.sh, with the timeout of its settings file. run_kselftest.sh's
# KTAP, the test's own KTAP nested in it, goes to the console between
# "LKMDEMO-KSFT-BEGIN <name>" and "LKMDEMO-KSFT-END <name>": the host's lib/verdict.py
# counts each nested result and the runner's. A bin directory with the binary only (the
# field's, harness/lib/field.sh) runs it directly, each result one result here.
# (69-kselftest-rules.sh: how it skips; 71-kselftest-compat.sh: its 32-bit build.)
ensure_loaded
# The Rust twin too, where the kernel has it: lkmdemo_rs_test.sh tests it (72-rust.sh).
[ -e /dev/lkmdemo_rs ] || modprobe -q lkmdemo_rs 2>/dev/null || :
# From an empty FIFO (the harness may discard; the kselftest itself never does).
drain > /dev/null
dir=${KSFT_DIR:-/harness/bin/kselftest}
name=${KSFT_NAME:-lkmdemo_test}
if [ -x "$dir/run_kselftest.sh" ]; then
	kselftest_userspace
	want=$(sed -n 's/^timeout=//p' "$dir/drivers/misc/lkmdemo/settings" 2>/dev/null)
	echo "LKMDEMO-KSFT-BEGIN $name"
	{ (cd "$dir" && ./run_kselftest.sh); echo $? > /tmp/ksft.rc; } 2>&1 | tee /tmp/ksft.out
	echo "LKMDEMO-KSFT-END $name"
	expect_eq "$name: run_kselftest.sh exit status" 0 "$(cat /tmp/ksft.rc)"
	# The runner says which timeout it took from settings (5.10's says nothing).
	if grep -q 'timeout set to' "$dir/kselftest/runner.sh"; then
		check "$name: settings gives the timeout (${want:-none})" grep -qx "# timeout set to ${want:-none}" /tmp/ksft.out
	else
		skip "$name: settings gives the timeout (${want:-none})" "this kernel's run_kselftest.sh does not print it"
	fi
	return 0
fi
bin=${KSFT_BIN:-/harness/bin/lkmdemo_test}
[ -x "$bin" ] || { fail "the kselftest is missing: no $dir/run_kselftest.sh, no $bin"; return 0; }
"$bin" > /tmp/ksft.out 2>&1
rc=$?
sed -n 's/^\(not \)\{0,1\}ok [0-9]* /&/p' /tmp/ksft.out | while read -r line; do
	case "$line" in
	"not ok "*) fail "$name: ${line#not ok [0-9]* }" ;;
	"ok "*"# SKIP"*) d=${line#ok [0-9]* }; skip "$name: ${d%% \# SKIP*}" "${d#*\# SKIP}" ;;
	"ok "*) pass "$name: ${line#ok [0-9]* }" ;;
	esac
done
grep -v '^\(not \)\{0,1\}ok [0-9]' /tmp/ksft.out | sed 's/^/# /' | tail -n 40
expect_eq "$name exit status" 0 "$rc"
