# SPDX-License-Identifier: GPL-2.0
# The signing cell's guest (lkmdemo_harness.run=signing; the kernel has MODULE_SIG_FORCE
# and this run's key, lkmdemo_harness.sig_cn=<its CN>): first every guest test group on
# the signed modules, then the group "signing" on the variants of lkmdemo.ko the host put
# in /harness/bin/sig: signed loads; unsigned, signed by a key the kernel does not know,
# and signed then changed are refused, each with the error the kernel returns. One TAP
# stream between the markers the host looks for.

. /harness/lib.sh
MODE=m
export MODE
SIG_CN=$(harness_arg sig_cn)
SIG=/harness/bin/sig

# refused <description> <module> <kernel log reason>: insmod fails, says why (the errno's
# text, shown as diag), the kernel logs <reason>, and nothing is loaded.
refused()
{
	dmesg_mark
	if out=$(insmod "$2" 2>&1); then
		fail "$1: refused (it loaded)"
		rmmod lkmdemo
		return
	fi
	pass "$1: refused"
	diag "  insmod said: $out"
	diag "  kernel said: $(dmesg_new | tr '\n' ' ')"
	expect_match "$1: insmod reports EKEYREJECTED" "*Key was rejected by service*" "$out"
	[ -z "$3" ] || expect_match "$1: kernel log says why" "*$3*" "$(dmesg_new | tr '\n' ' ')"
	check_fails "$1: nothing loaded" is_module lkmdemo
}

signing_tests()
{
	# The guest test groups before may leave our modules loaded: start without them.
	for m in lkmdemo_client lkmdemo_kunit lkmdemo; do
		! is_module $m || rmmod $m
	done
	check_fails "lkmdemo is not loaded before the signing tests" is_module lkmdemo
	check "signatures are enforced (sig_enforce is Y)" grep -qx Y /sys/module/module/parameters/sig_enforce
	expect_match "the kernel loaded this run's certificate at boot" "*Loaded X.509 cert '$SIG_CN: *" \
		"$(dmesg | grep 'Loaded X.509 cert' | tr '\n' ' ')"
	expect_eq "lkmdemo-signed.ko ends with the signature marker" "~Module signature appended~" \
		"$(tail -c 28 $SIG/lkmdemo-signed.ko | tr -d '\n')"
	expect_eq "lkmdemo-unsigned.ko has no signature" "" \
		"$(tail -c 28 $SIG/lkmdemo-unsigned.ko | grep -a 'Module signature appended')"

	dmesg_mark
	check "signed module loads" insmod $SIG/lkmdemo-signed.ko whom=Signed
	expect_eq "signed module: not tainted (no E)" "" "$(cat $LKMDEMO_MOD/taint 2>&1)"
	expect_eq "signed module: greeting" 1 "$(dmesg_new | grep -c 'lkmdemo: Hello, Signed$')"
	check "rmmod" rmmod lkmdemo

	refused "unsigned module" $SIG/lkmdemo-unsigned.ko "Loading of unsigned module is rejected"
	refused "module signed by an unknown key" $SIG/lkmdemo-otherkey.ko \
		"Loading of module with unavailable key is rejected"
	# A changed byte leaves the signature well-formed but no longer matching: the
	# kernel's PKCS#7 check rejects it (no "Loading of ..." line: it is not a missing key).
	refused "signed module changed afterwards" $SIG/lkmdemo-tampered.ko ""

	check "the signed module still loads after the refusals" insmod $SIG/lkmdemo-signed.ko
	check "rmmod" rmmod lkmdemo
}

echo "LKMDEMO-TAP-BEGIN mode=$MODE kernel=$(uname -r) arch=$(uname -m) signing"
run_groups
TEST_GROUP=signing
diag "group $TEST_GROUP"
signing_tests 2>&1
echo "LKMDEMO-TAP-END"
