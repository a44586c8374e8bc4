# The kselftest (tools/testing/selftests/drivers/misc/lkmdemo), built by the kernel's
# selftests build for this arch. Each of its results becomes one result here.
# (69-kselftest-rules.sh: how it skips; 71-kselftest-compat.sh: its 32-bit build.)
ensure_loaded
# From an empty FIFO (the harness may discard; the kselftest itself never does).
drain > /dev/null
for bin in ${KSFT_BINS:-/harness/bin/lkmdemo_test}; do
	[ -x "$bin" ] || continue
	name=$(basename "$bin")
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
done
[ -x "${KSFT_BINS:-/harness/bin/lkmdemo_test}" ] || fail "the kselftest binary is missing"
