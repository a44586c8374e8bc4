# SPDX-License-Identifier: GPL-2.0
# The test command as a plan of units, so that it can be split into shards and the
# shards' results merged into the summary of the whole.
#
# A unit is one line of `harness/run plan`:
#   gate <name>            a static gate that needs no kernel of its own
#   kernel <kver>          git am of the series onto <kver>, and that tree's docs and
#                          get_maintainer.pl gates
#   cells <kver> <arch>    the N, M and Y cells of one kernel and arch (they share one
#                          build directory), their sparse/W=1 gates; on x86_64 the
#                          tree-without-git gate (lib/plaintree.sh, seeded with that
#                          directory's configuration), and for the newest kernel on x86_64
#                          the menuconfig and bisect gates (which reuse that build directory)
#   kunit <kver> <um|arch> TIER=full: the kunit.py command of our document, as it says,
#                          under UML or with --arch=<arch> in QEMU (lib/kunit.sh)
#   profile <name>         TIER=full: a profile of harness/profiles/ with FULL=1: a
#                          profile cell (next, clang, signing), the debug kernel (stress)
#                          or Debian's own kernels (field)
# SHARD=i/n runs unit j (counted from 0 in plan order) when j mod n = i - 1: the shards
# of one plan cover every unit exactly once, whatever the machine.

# The kernels of the CI tier: the newest and the oldest supported one, the two ends of
# every compat.h wrapper. A cold run of all four kernels (eight kernel builds, ~8 min each
# for x86_64 here) does not fit CI's 75 minutes on an empty cache; TIER=full runs them all.
CI_KVERS=("${SUPPORTED_KVERS[-1]}" "${SUPPORTED_KVERS[0]}")

# test_kernels: the kernels of the test command, newest first (KVER= picks one).
test_kernels()
{
	if [ -n "${KVER:-}" ]; then echo "$KVER"; return; fi
	case "$TIER" in
	full) printf '%s\n' "${SUPPORTED_KVERS[@]}" | tac ;;
	*) printf '%s\n' "${CI_KVERS[@]}" ;;
	esac
}

# test_arches: ARCH= picks one; TIER=full every arch of harness/arches/; else SUPPORTED_ARCHES.
test_arches()
{
	if [ -n "${ARCH:-}" ]; then echo "$ARCH"; return; fi
	case "$TIER" in
	full) arch_list | tr ' ' '\n' ;;
	ci) printf '%s\n' "${SUPPORTED_ARCHES[@]}" ;;
	*) echo "lkmdemo-harness: error: unknown TIER=$TIER (ci or full)" >&2; return 2 ;;
	esac
}

# test_plan: the units of the whole test run, one per line, in run order.
test_plan()
{
	local k a arches
	arches=$(test_arches) || return 2
	echo "gate series"
	echo "gate checkpatch"
	echo "gate readme-map"
	echo "gate doc-commands"
	echo "gate doc-commands-selftest"
	echo "gate gitignore"
	echo "gate shard-merge"
	echo "gate workflow-lint"
	echo "gate arches"
	echo "gate profiles"
	echo "gate dev-groups"
	echo "gate stray-hunk"
	echo "gate bench-tables"
	echo "gate kcsan-reports"
	echo "gate verdict"
	echo "gate exercise-patches"
	echo "gate lessons-refs"
	echo "gate lessons-translations"
	echo "gate lessons-compare"
	echo "gate lessons-drift"
	echo "gate lessons-code"
	for k in $(test_kernels); do
		echo "kernel $k"
		for a in $arches; do
			echo "cells $k $a"
		done
	done
	# The documented kunit.py command on every kernel of the full tier.
	if [ "$TIER" = full ]; then
		for k in $(test_kernels); do
			# shellcheck disable=SC2086
			for a in $(kunit_units $arches); do echo "kunit $k $a"; done
		done
	fi
	# Every profile of the full tier; with KVER= or ARCH= the run is about those cells.
	if [ "$TIER" = full ] && [ -z "${KVER:-}" ] && [ -z "${ARCH:-}" ]; then
		profile_list full | sed 's/^/profile /'
	fi
}

# profile_unit <name>: the unit "profile <name>", recorded into the current run.
profile_unit()
{
	case "$(profile_get "$1" RUNNER)" in
	"") run_profile_cells "$1" ;;
	stress)
		. "$HARNESS_DIR/lib/stress.sh"
		stress_check || return 2
		stress_cell ;;
	field)
		. "$HARNESS_DIR/lib/field.sh"
		field_releases ;;
	*) echo "lkmdemo-harness: error: profile $1 is not a unit of the full tier" >&2; return 2 ;;
	esac
}

# shard_check: SHARD is empty or i/n with 1 <= i <= n.
shard_check()
{
	[ -z "${SHARD:-}" ] && return 0
	if [[ "$SHARD" =~ ^([0-9]+)/([0-9]+)$ ]] && [ "${BASH_REMATCH[2]}" -ge 1 ] &&
	   [ "${BASH_REMATCH[1]}" -ge 1 ] && [ "${BASH_REMATCH[1]}" -le "${BASH_REMATCH[2]}" ]; then
		return 0
	fi
	echo "lkmdemo-harness: error: SHARD=$SHARD is not i/n with 1 <= i <= n" >&2
	return 2
}

# shard_units: the units of this shard (all of them without SHARD), numbered:
# "<index> <unit>".
shard_units()
{
	local i=1 n=1
	shard_check || return 2
	[ -n "${SHARD:-}" ] && { i=${SHARD%/*}; n=${SHARD#*/}; }
	test_plan | awk -v i="$i" -v n="$n" '(NR - 1) % n == i - 1 { print NR - 1, $0 }'
}

# use_kernel <kver> [record]: SRC = the tree of <kver> with the series applied. With
# "record", the git am is a result (the kernel unit); without, a unit that only needs the
# tree gets it quietly (in another shard the kernel unit records it).
use_kernel()
{
	local kver=$1 rec=${2:-}
	[ "${SRC_KVER:-}" = "$kver" ] && [ -z "$rec" ] && return 0
	SRC_KVER=""
	if [ -n "$rec" ]; then
		prepare_kernel "$kver" || return 1
	else
		SRC=$(kernel_src "$kver" 2> "$RUN_DIR/git-am-$kver.log") || return 1
	fi
	SRC_KVER=$kver
}

# The cells whose M build also runs the lessons in the CI tier (TIER=full: every cell),
# as "<kver>:<arch>": all of them. One boot runs the guest commands of all 26 lessons
# (English and zh_CN), then their host commands run: about 40 s on x86_64 and 70 s on
# arm under TCG.
LESSONS_CI_CELLS="7.2:x86_64 7.2:arm 5.10:x86_64 5.10:arm"
lessons_in_tier() { [ "$TIER" = full ] || [[ " $LESSONS_CI_CELLS " == *" $1:$2 "* ]]; }

# test_unit <unit words...>: run one unit of the plan, recording its results.
test_unit()
{
	local what=$1 kver arch mode cell_b b missing
	case "$what" in
	gate)
		case "$2" in
		series) gate "series: patches/ and series regenerate without drift" series_no_drift "$BASE" ;;
		checkpatch) gate "checkpatch --strict on every patch" checkpatch_clean "$BASE" ;;
		readme-map) gate "README concept map: every file:symbol it names exists" \
				python3 "$HARNESS_DIR/lib/readme-map.py" "$REPO_DIR/README" ;;
		doc-commands) gate "every command README and our .rst pages give is run by a test or listed (harness/doc-commands)" \
				doc_commands_check ;;
		doc-commands-selftest) gate "doc-commands: the gate fails on a README command no test runs" \
				doc_commands_selftest ;;
		# The harness's own gates (lib/selfcheck.sh), run when the plan lists them.
		gitignore) gate ".gitignore hides no committed file" gitignore_hides_nothing ;;
		shard-merge) gate "SHARD=i/n: the shards of a test run, merged, are the whole run" shard_merge_check ;;
		workflow-lint) gate "actionlint on .github/workflows" workflow_lint ;;
		arches) gate "every harness/arches/ file has what the steps read" arches_complete ;;
		profiles) gate "every harness/profiles/ file has what the steps read; boots take their command line from it" \
				profiles_complete ;;
		dev-groups) gate "harness/run dev: every driver file maps to guest test groups that exist" dev_groups_check ;;
		stray-hunk) gate "gen-series refuses a hunk that no patch applies, and a second copy of a top-level hunk" \
				series_refuses_stray_hunk "$BASE" ;;
		bench-tables) gate "bench/results: each Markdown table is bench/table.py of its CSV" \
				bench_tables_check ;;
		kcsan-reports) gate "stress: KCSAN reports are ours only by a frame of lkmdemo code (saved reports)" \
				kcsan_reports_check ;;
		verdict)
			# Until a saved log of each kind is committed, say so rather than pass.
			missing=$(verdict_fixtures_missing)
			if [ -n "$missing" ]; then
				record skip 0 "verdict.py fixtures: no saved log yet for: $(echo $missing) (harness/tests/verdict-fixture)"
				count 0 0 1
			else
				gate "verdict.py on the saved console logs of 5.10, 6.1 and 7.2" verdict_fixtures "$KUNIT_PY"
			fi ;;
		exercise-patches) gate "every exercise's starting point and solution apply to the driver" \
				exercises_patches_apply ;;
		lessons-refs) gate "lessons: every file:symbol exists, every command block parses" lessons_refs ;;
		lessons-translations) gate "lessons: every translation names its English commit, which is current" \
				lessons_translations ;;
		lessons-compare) gate "lessons: the transcript comparison fails a false transcript" \
				lessons_compare_selftest ;;
		lessons-drift) gate "lessons: the drift check fails on a changed English source" \
				lessons_drift_selftest ;;
		lessons-code) gate "lessons: the code check fails on a changed quoted function and a comment-only name" \
				lessons_code_selftest ;;
		*) echo "lkmdemo-harness: error: unknown gate unit '$2'" >&2; return 2 ;;
		esac ;;
	kernel)
		kver=$2
		use_kernel "$kver" record || return 0
		gate "docs: kernel-doc, ABI validation and htmldocs of our pages on $kver" \
			docs_check "$SRC" "$RUN_DIR/docs-$kver"
		gate "get_maintainer.pl names the lkmdemo entry for each of our files on $kver" \
			maintainer_named "$SRC"
		gate "checktransupdate.py: the zh_CN document is in step on $kver" \
			lessons_checktransupdate "$SRC"
		gate "lessons: checkpatch --strict of $kver on every example" lessons_examples_style "$SRC" ;;
	cells)
		kver=$2 arch=$3
		# A kernel whose series does not apply has failed in its kernel unit.
		use_kernel "$kver" || return 0
		b=$(build_dir "$kver" "$SRC" "$arch")
		for mode in $(cell_order "$b"); do
			run_cell "$kver" "$arch" "$mode" cell_b
			[ -n "$cell_b" ] && [ "$mode" = y ] && run_initfail "$kver" "$arch" "$cell_b"
			# The lessons' commands, in one more boot of the M build: on every cell
			# with TIER=full, on LESSONS_CI_CELLS in the CI tier.
			[ -n "$cell_b" ] && [ "$mode" = m ] && lessons_in_tier "$kver" "$arch" &&
				lessons_check_cell "$cell_b" "$arch" "$kver"
			# The exercises' proof (every start, wrong and right variant graded in the
			# grading kernel, which exercises_gate builds itself: lib/exercises.sh),
			# with the newest kernel on x86_64, in the full tier only: its own kernel
			# build and some 85 gradings do not fit the CI tier's budget. The CI tier
			# keeps the static gate exercise-patches.
			[ -n "$cell_b" ] && [ "$mode" = m ] && [ "$kver" = "${SUPPORTED_KVERS[-1]}" ] &&
				[ "$arch" = x86_64 ] && [ "$TIER" = full ] && exercises_gate "$kver" "$arch" "$cell_b"
			[ -n "$cell_b" ] && static_checks "$kver" "$arch" "$cell_b" "$(echo "$mode" | tr a-z A-Z)"
		done
		# User story 1 on a tree without git, once per kernel (the hunks do not
		# depend on the arch), in a build directory of its own seeded with this
		# one's configuration (lib/plaintree.sh).
		[ "$arch" = x86_64 ] &&
			gate "no git: our files copied, patch -p1 < Kconfig.patch, Makefile.patch; M and Y build ($kver)" \
				plain_tree_builds "$kver" "$arch" "$b/.config"
		if [ "$kver" = "${SUPPORTED_KVERS[-1]}" ] && [ "$arch" = x86_64 ]; then
			gate "make menuconfig in tmux: Misc devices -> LKM demonstration driver -> help -> M -> save" \
				menuconfig_test "$SRC" "$b" "$arch"
			gate "every patch builds on its own ($kver $arch, M and Y, W=1)" \
				bisect_builds "$SRC" "$arch" "$b"
		fi ;;
	kunit)
		use_kernel "$2" || return 0
		kunit_tool_unit "$2" "$3" "$SRC" ;;
	profile) profile_unit "$2" ;;
	*) echo "lkmdemo-harness: error: unknown unit '$*'" >&2; return 2 ;;
	esac
}

# run_test: the units of this shard (all without SHARD), then the summary.
run_test()
{
	local units
	units=$(shard_units) || exit 2
	new_run_dir "test${SHARD:+-shard-${SHARD/\//of}}"
	printf '%s\n' "$units" > "$RUN_DIR/units"
	# Fetch the other kernels this shard needs while the newest is fetched and used.
	prefetch_kernels $(awk '$2 == "kernel" || $2 == "cells" || $2 == "kunit" { print $3 }' <<< "$units" |
		sort -u | grep -vx -- "${SUPPORTED_KVERS[-1]}")
	BASE=$(series_base) || exit 2
	KUNIT_PY=$BASE/tools/testing/kunit/kunit.py
	run_units "$units"
	summary
}

# run_units <units>: test_unit for each "<index> <unit>" line; their records carry the index.
run_units()
{
	local UNIT_INDEX unit
	while read -r UNIT_INDEX unit; do
		[ -n "$unit" ] || continue
		log "unit $UNIT_INDEX: $unit"
		# shellcheck disable=SC2086
		test_unit $unit
	done <<< "$1"
}

# run_kernel_versions: `harness/run kernel-versions`: "<kver> <Debian version>" of each
# kernel tree the test command would use (KVER=: that one, and the newest, which the
# gates and kunit.py come from); the key of CI's kernel tree cache.
run_kernel_versions()
{
	local k
	for k in $(test_kernels) "${SUPPORTED_KVERS[-1]}"; do
		echo "$k $(kernel_version "$k")" || return 1
	done | sort -u -V
}

# run_plan: `harness/run plan`: the units of the test command (of SHARD= if given), one
# per line as "<index> <unit>", without running anything or installing anything.
run_plan()
{
	shard_units
}
