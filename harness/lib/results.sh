# SPDX-License-Identifier: GPL-2.0
# Results of a run, and the one path from results to a verdict: every command (test,
# cell, merge) records into $RESULTS and ends with summary.
#
# $RESULTS (results.tsv in the run directory) has one line per check and one per count:
#   <pass|fail|skip> TAB <seconds> TAB <name> TAB <unit>   record: a check, as listed
#   count TAB <passed> TAB <failed> TAB <skipped>           count: what it adds to the totals
# A cell's name starts with "cell <kernel> <arch> <N|M|Y>:", which places it in the matrix;
# <unit> is the index of the test plan's unit that ran it (lib/plan.sh; empty outside
# `test`), by which the checks are listed. The totals are the sums of the count lines, so
# the results of several runs (the shards of one test run) give the totals of the whole.

RESULTS=${RESULTS:-}
PASSED=0 FAILED=0 SKIPPED=0

# new_run_dir <name>: a new run directory $WORK_DIR/runs/<time>-<name>-<pid>: RUN_DIR,
# and RESULTS, its empty results.tsv, which record and count add to; and testid.txt, the
# tree the run tests (run_testid).
new_run_dir()
{
	RUN_DIR=$WORK_DIR/runs/$(date -u +%Y%m%dT%H%M%SZ)-$1-$$
	mkdir -p "$RUN_DIR"
	RESULTS=$RUN_DIR/results.tsv
	: > "$RESULTS"
	run_testid > "$RUN_DIR/testid.txt"
	log "run directory: $RUN_DIR"
}

# run_testid: what rcutorture's kvm.sh keeps in testid.txt: the commit of the repository
# and a hash of what differs from it (the uncommitted diff and the untracked files that
# .gitignore does not hide), so that a result names the exact tree it came from.
run_testid()
{
	local diff
	echo "commit $(git -C "$REPO_DIR" rev-parse HEAD 2>/dev/null || echo none)"
	diff=$( { git -C "$REPO_DIR" diff HEAD --binary 2>/dev/null
		  git -C "$REPO_DIR" ls-files -o --exclude-standard -z 2>/dev/null |
			(cd "$REPO_DIR" && xargs -0 -r sha256sum); } | sha256sum | cut -c1-16)
	if [ -z "$(git -C "$REPO_DIR" status --porcelain 2>/dev/null)" ]; then
		echo "clean"
	else
		echo "changed $diff"
		git -C "$REPO_DIR" status --porcelain 2>/dev/null | sed 's/^/  /'
	fi
}

# record <pass|fail|skip> <seconds> <name>: one check.
record()
{
	printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "${UNIT_INDEX:-}" >> "$RESULTS"
	case "$1" in
	pass) log "PASS $3 (${2}s)" ;;
	fail) log "FAIL $3 (${2}s)" ;;
	skip) log "SKIP $3" ;;
	esac
}

# count <passed> <failed> <skipped>: add to the totals.
count()
{
	PASSED=$((PASSED + $1)); FAILED=$((FAILED + $2)); SKIPPED=$((SKIPPED + $3))
	printf 'count\t%s\t%s\t%s\n' "$1" "$2" "$3" >> "$RESULTS"
}

# gate <name> <command...>: one static check, one result.
gate()
{
	local name=$1 t0=$(date +%s) out
	shift
	out=$RUN_DIR/gate-$(echo "$name" | tr -c 'a-zA-Z0-9.\n' _).log
	if "$@" > "$out" 2>&1; then
		record pass $(( $(date +%s) - t0 )) "$name"; count 1 0 0
	else
		record fail $(( $(date +%s) - t0 )) "$name"; count 0 1 0
		sed 's/^/    /' "$out" | tail -n 40 >&2
	fi
}

# judge <console log> <verdict file> [--kunit]: the verdict of one boot by lib/verdict.py
# (the details go to stderr and <verdict file>); prints its last line:
# "VERDICT <passed> <failed> <skipped> <kunit passed> <kunit failed> <kunit skipped>".
judge()
{
	local logf=$1 vf=$2 kunit=${3:-}
	python3 "$HARNESS_DIR/lib/verdict.py" "$logf" "${KUNIT_PY:--}" $kunit > "$vf"
	grep -v '^VERDICT' "$vf" >&2
	grep '^VERDICT' "$vf" | tail -n 1
}

# record_verdict <name> <t0> <console log> VERDICT <p> <f> <s> <kp> <kf> <ks>: the result
# of one judged boot (boot_profile --verdict), counted and recorded as one check named
# <name> that took since <t0>, with the accelerator boot_profile left beside the log.
record_verdict()
{
	local name=$1 t0=$2 logf=$3 kunit="" accel
	shift 4
	[ $# -eq 6 ] || set -- 0 1 0 0 0 0
	accel=$(cat "$logf.accel" 2>/dev/null || echo "not booted")
	count $(( $1 + $4 )) $(( $2 + $5 )) $(( $3 + $6 ))
	if [ "$2" = 0 ] && [ "$5" = 0 ]; then
		[ $(( $4 + $5 + $6 )) = 0 ] || kunit=", kunit $4 passed"
		record pass $(( $(date +%s) - t0 )) "$name: $1 passed, $3 skipped$kunit ($accel)"
	else
		[ $(( $4 + $5 + $6 )) = 0 ] || kunit=", kunit $5 failed"
		record fail $(( $(date +%s) - t0 )) "$name: $2 failed, $1 passed$kunit ($accel)"
	fi
}

# results_rows <results file>...: "<kernel> <arch>" of every row of the matrix, that is
# of every kernel and arch with a cell in the files: the supported kernels first, newest
# last, then other row labels (profile cells such as "next" or "7.2-clang") by the plan's
# unit that ran them, then by name; the arches in the order of harness/arches. Nothing
# depends on the order of the files or of their lines, so the shards of a run, merged,
# give the rows of the whole run.
results_rows()
{
	local order
	order=$(printf '%s\n' "${SUPPORTED_KVERS[@]}"; arch_list | tr ' ' '\n')
	awk -F'\t' '$1 != "count" && $3 ~ /^cell [^ ]+ [^ ]+ [NMY]:/ { split($3, w, " "); print w[2], w[3], $4 }' "$@" |
		awk -v order="$order" '
		BEGIN { n = split(order, o, "\n"); for (i = 1; i <= n; i++) rank[o[i]] = i }
		!seen[$1 " " $2]++ { k = ($1 in rank) ? rank[$1] : 1000 + $3; printf "%06d %s %03d %s %s\n", k, $1, rank[$2], $1, $2 }' |
		sort | cut -d' ' -f4-
}

# summary_of <results file>...: the matrix table (when a cell ran), every check, the
# closing count line; status 0 when nothing failed. Used by summary (every command's
# run) and merge (several runs).
summary_of()
{
	local k a m line st totals rows
	rows=$(results_rows "$@")
	if [ -n "$rows" ]; then
		echo
		echo "== lkmdemo test matrix (seconds) =="
		printf '%-10s %-8s %-14s %-14s %-14s\n' kernel arch N M Y
	fi
	while read -r k a; do
		[ -n "$k" ] || continue
		line=$(printf '%-10s %-8s' "$k" "$a")
		for m in N M Y; do
			st=$(awk -F'\t' -v n="cell $k $a $m:" '$1 != "count" && index($3, n) == 1 { print $1 " " $2 }' "$@" |
				awk '{ s = ($1 == "fail") ? "fail" : (s == "fail" ? s : $1); t += $2 } END { if (s) print s " " t }')
			line="$line $(printf '%-14s' "${st:--}")"
		done
		echo "$line"
	done <<< "$rows"
	echo
	echo "== checks =="
	awk -F'\t' '$1 != "count"' "$@" | sort -s -t$'\t' -k4,4n |
		awk -F'\t' '{ printf "%-4s %5ss  %s\n", toupper($1), $2, $3 }'
	totals=$(awk -F'\t' '$1 == "count" { p += $2; f += $3; s += $4 } END { printf "%d %d %d", p, f, s }' "$@")
	set -- $totals
	echo
	echo "$1 passed, $2 failed, $3 skipped"
	[ "$2" = 0 ]
}

# summary: the summary of this run ($RESULTS), with its time.
summary()
{
	local rc=0 out
	out=$(summary_of "$RESULTS") || rc=1
	# The count line stays the last line of the output.
	printf '%s\n' "$out" | sed '$d'
	echo "total time $(elapsed); results in $RESULTS"
	printf '%s\n' "$out" | tail -n 1
	return $rc
}

# merge_results <run dir>...: one summary of several runs (the shards of one test run,
# e.g. the artifacts of the GitHub Actions jobs). Each directory holds a results.tsv.
merge_results()
{
	local d files=()
	[ $# -gt 0 ] || { echo "lkmdemo-harness: error: merge needs result directories" >&2; return 2; }
	for d in "$@"; do
		[ -f "$d/results.tsv" ] || { echo "lkmdemo-harness: error: $d has no results.tsv" >&2; return 2; }
		files+=("$d/results.tsv")
	done
	echo "merged: $*"
	summary_of "${files[@]}"
}
