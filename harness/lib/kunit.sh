# SPDX-License-Identifier: GPL-2.0
# The documented kunit.py command, run. Documentation/misc-devices/lkmdemo.rst tells a
# user, at the top of a kernel tree with the series, to type
#
#     ./tools/testing/kunit/kunit.py run --kunitconfig=drivers/misc/lkmdemo
#
# (a User Mode Linux kernel with drivers/misc/lkmdemo/.kunitconfig), and to add
# --arch=x86_64 to run the tests in QEMU instead. The unit "kunit <kver> <um|arch>" of the
# full tier (lib/plan.sh) runs that very command in the applied tree of <kver> and reads
# the counts back from kunit.py's own summary line ("Testing complete. Ran N tests:
# passed: N, failed: ..."): nothing is assumed.
#
# UML builds in kunit.py's default build directory, .kunit in the tree (ignored by git, so
# it survives the series being applied again). A QEMU arch builds in .kunit-<arch>/.kunit,
# through KBUILD_OUTPUT, which kunit.py takes its default build directory from: the
# command stays the document's, and the UML and QEMU builds never undo each other. (A
# kunit.py that does not read KBUILD_OUTPUT is given --build_dir= for the same place.)
#
# A kernel whose kunit.py cannot run the command (5.10's has neither --kunitconfig nor
# --arch) passes only while the document says so: it gives kunit_tool as "Linux X.Y and
# later", and <kver> is older than X.Y.

KUNIT_DOC=Documentation/misc-devices/lkmdemo.rst
# The arches of harness/arches/ whose kunit.py QEMU configuration (kunit's --arch) the
# full tier runs, besides UML.
KUNIT_QEMU_ARCHES="x86_64"

# kunit_doc_since: the X.Y of "kunit_tool (Linux X.Y and later)" in our document.
kunit_doc_since()
{
	tr '\n' ' ' < "$REPO_DIR/$KUNIT_DOC" | tr -s ' ' |
		sed -n 's/.*kunit_tool (Linux \([0-9][0-9.]*\) and later).*/\1/p'
}

# kunit_units <arch>...: the kunit units' second words for the test arches given: um,
# then each arch of KUNIT_QEMU_ARCHES among them.
kunit_units()
{
	local a
	echo um
	for a in "$@"; do
		[[ " $KUNIT_QEMU_ARCHES " == *" $a "* ]] && echo "$a"
	done
	return 0
}

# kunit_tool_unit <kver> <um|arch> <tree>: the documented command in <tree> (the series
# applied), for UML or, with --arch=, for one arch in QEMU; one result, counted by the
# tests kunit.py reports.
kunit_tool_unit()
{
	local kver=$1 arch=$2 tree=$3 t0 name logf opts="" since karch help out kb hide
	t0=$(date +%s)
	[ "$arch" = um ] || { karch=$(arch_karch "$arch") || return 2; opts=" --arch=$karch"; }
	name="kunit.py run --kunitconfig=drivers/misc/lkmdemo$opts on $kver ($([ "$arch" = um ] && echo UML || echo QEMU))"
	logf=$RUN_DIR/kunit-$kver-$arch.log
	# The command the document shows, still there.
	if ! grep -qF '$ ./tools/testing/kunit/kunit.py run --kunitconfig=drivers/misc/lkmdemo' "$REPO_DIR/$KUNIT_DOC"; then
		record fail 0 "$name: $KUNIT_DOC no longer shows the command this unit runs"; count 0 1 0
		return 0
	fi
	help=$(cd "$tree" && python3 tools/testing/kunit/kunit.py run --help 2>&1)
	if ! grep -q -- '--kunitconfig' <<< "$help" || { [ "$arch" != um ] && ! grep -q -- '--arch' <<< "$help"; }; then
		since=$(kunit_doc_since)
		if [ -n "$since" ] && [ "$kver" != "$since" ] &&
		   [ "$(printf '%s\n' "$kver" "$since" | sort -V | head -n 1)" = "$kver" ]; then
			record pass 0 "$name: its kunit.py has no --kunitconfig${opts:+ or --arch}; $KUNIT_DOC says Linux $since and later"
			count 1 0 0
		else
			record fail 0 "$name: its kunit.py has no --kunitconfig${opts:+ or --arch}, and $KUNIT_DOC does not exclude $kver"
			count 0 1 0
		fi
		return 0
	fi
	log "$name (log: $logf)"
	kb=""
	if [ "$arch" != um ]; then
		kb=$tree/.kunit-$arch
		mkdir -p "$kb" || return 1
		grep -q KBUILD_OUTPUT "$tree/tools/testing/kunit/kunit.py" || opts="$opts --build_dir=$kb/.kunit"
	fi
	# kunit.py asks QEMU for -accel kvm first. Where a real boot has shown that this
	# machine's KVM does not boot guests (pick_accel's probe said tcg), QEMU would take
	# KVM and hang: there kunit.py runs with /dev/kvm hidden (a private mount namespace),
	# so that QEMU falls back to TCG as on a machine without KVM.
	hide=()
	if [ "$arch" != um ] && [ -e /dev/kvm ] && [ "$(cat "$(accel_cache "$arch")" 2>/dev/null)" = tcg ]; then
		hide=(unshare -m sh -c 'mount --bind /dev/null /dev/kvm && exec "$@"' kunit-no-kvm)
		log "$name: this machine's KVM does not boot guests (pick_accel): /dev/kvm hidden from QEMU"
	fi
	# shellcheck disable=SC2086
	(cd "$tree" && "${hide[@]}" env ${kb:+KBUILD_OUTPUT=$kb} \
		./tools/testing/kunit/kunit.py run --kunitconfig=drivers/misc/lkmdemo $opts) > "$logf" 2>&1
	# kunit.py's own summary: "Testing complete. Ran 21 tests: passed: 21[, failed: 1...]".
	out=$(sed 's/\x1b\[[0-9;]*m//g' "$logf" | sed -n 's/.*Testing complete\. Ran \([0-9]*\) tests*: *\(.*\)$/\1 \2/p' | tail -n 1)
	if [ -z "$out" ]; then
		record fail $(( $(date +%s) - t0 )) "$name: no summary from kunit.py (log: $logf)"; count 0 1 0
		tail -n 20 "$logf" | sed 's/^/    /' >&2
		return 0
	fi
	kunit_tool_record "$name" "$t0" "$out"
}

# kunit_tool_record <name> <t0> "<N> passed: P, failed: F, ...": count and record it.
kunit_tool_record()
{
	local name=$1 t0=$2 n p f c s e
	n=${3%% *}
	p=$(sed -n 's/.*passed: \([0-9]*\).*/\1/p' <<< "$3")
	f=$(sed -n 's/.*failed: \([0-9]*\).*/\1/p' <<< "$3")
	c=$(sed -n 's/.*crashed: \([0-9]*\).*/\1/p' <<< "$3")
	s=$(sed -n 's/.*skipped: \([0-9]*\).*/\1/p' <<< "$3")
	e=$(sed -n 's/.*errors: \([0-9]*\).*/\1/p' <<< "$3")
	p=${p:-0} f=$(( ${f:-0} + ${c:-0} + ${e:-0} )) s=${s:-0}
	count "$p" "$f" "$s"
	if [ "$f" = 0 ] && [ "$p" -gt 0 ]; then
		record pass $(( $(date +%s) - t0 )) "$name: ran $n, $p passed, $s skipped"
	else
		record fail $(( $(date +%s) - t0 )) "$name: ran $n, $f failed or crashed, $p passed"
		[ "$p" -gt 0 ] || [ "$f" -gt 0 ] || count 0 1 0
	fi
}
