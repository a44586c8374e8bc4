# SPDX-License-Identifier: GPL-2.0
# Graded exercises (exercises/NN-name/): a learner's scratch copy of the driver sources
# with a starting-point patch applied, built out of tree (M=) against the build directory
# of an M cell, graded in one booted guest (guest checks: exercises/NN-name/grade.sh, run
# by harness/guest/run-exercises.sh) plus host checks (exercises/NN-name/host.sh).
#
#   harness/run exercise [N [grade|diff|reset|solution]]   the learner's commands
#   harness/run exercises [refresh]                         prove / refresh every exercise
#
# Starting points that can leave the guest's kernel unusable for the variants graded
# after them, in the order they are graded, after all others: 06's race can corrupt the
# FIFO; 01 leaves a stale misc device behind on purpose (its grader then marks the
# guest unsafe, and nothing else is loaded).
EX_RISKY_STARTS="06-race 01-unwind"

# ex_order <start|solution> <exercise...>: the grading order of one variant's exercises.
ex_order()
{
	local v=$1 e
	shift
	for e in "$@"; do
		[ "$v" = start ] && [[ " $EX_RISKY_STARTS " == *" $e "* ]] && continue
		echo "$e"
	done
	if [ "$v" = start ]; then
		for e in $EX_RISKY_STARTS; do
			[[ " $* " == *" $e "* ]] && echo "$e"
		done
	fi
	return 0
}

# Entry points for `harness/run test`:
#   gate "..." exercises_patches_apply     static: every exercise's patches still apply
#   exercises_gate <kver> <arch> <M build dir>
#            records, per exercise, that the untouched starting point scores below full
#            marks and that the reference solution scores full marks (record/count)

EXERCISES_DIR=$REPO_DIR/exercises
EXERCISE_DIR=${EXERCISE_DIR:-$WORK_DIR/exercises}
# What a scratch copy holds: the repository's files at these paths (tracked files only).
EX_FILES="drivers/misc/lkmdemo include/uapi/linux/lkmdemo.h Documentation/ABI/testing"
EX_GIT=(git -c user.name=lkmdemo-exercise -c user.email=exercise@lkmdemo.invalid
	-c init.defaultBranch=main -c advice.detachedHead=false)

# ex_list: the exercise directory names (NN-name), in order.
ex_list()
{
	local d
	for d in "$EXERCISES_DIR"/[0-9][0-9]-*/; do
		[ -f "$d/start.patch" ] && basename "$d"
	done
}

# ex_resolve <N|NN|NN-name|name>: print the exercise's directory name, or fail.
ex_resolve()
{
	local want=$1 e
	case "$want" in [0-9]) want=0$want ;; esac
	for e in $(ex_list); do
		case "$want" in "$e"|"${e%%-*}"|"${e#*-}") echo "$e"; return 0 ;; esac
	done
	echo "no exercise '$1'; there are: $(ex_list | tr '\n' ' ')" >&2
	return 1
}

# ex_title <NN-name>: the first line of its README.
ex_title() { sed -n '1p' "$EXERCISES_DIR/$1/README"; }

# ex_copy_sources <dst>: the repository's driver sources (EX_FILES) into <dst>, paths kept.
ex_copy_sources()
{
	local dst=$1
	mkdir -p "$dst" || return 1
	(cd "$REPO_DIR" && git ls-files -z -- $EX_FILES | xargs -0 cp --parents -t "$dst") ||
		{ echo "copying the lkmdemo sources to $dst failed" >&2; return 1; }
}

# ex_prepare <NN-name> <dir> <start|solution>: a fresh scratch copy in <dir>, a git
# repository whose commits are the sources, the starting point and (for "solution")
# the reference solution. Fails with a clear message when a patch no longer applies.
ex_prepare()
{
	local ex=$1 dir=$2 variant=$3 p
	rm -rf "$dir"
	ex_copy_sources "$dir" || return 1
	(cd "$dir" && "${EX_GIT[@]}" init -q && "${EX_GIT[@]}" add -A &&
		"${EX_GIT[@]}" commit -qm "lkmdemo sources") || return 1
	for p in start solution; do
		if ! "${EX_GIT[@]}" -C "$dir" apply --whitespace=nowarn "$EXERCISES_DIR/$ex/$p.patch" \
			> "$dir.$p-apply.log" 2>&1; then
			echo "$( [ $p = start ] && echo starting-point || echo reference-solution) patch for exercise $ex no longer applies" \
				"to drivers/misc/lkmdemo (refresh: harness/run exercises refresh):" >&2
			sed 's/^/    /' "$dir.$p-apply.log" >&2
			return 1
		fi
		rm -f "$dir.$p-apply.log"
		(cd "$dir" && "${EX_GIT[@]}" add -A &&
			"${EX_GIT[@]}" commit -qm "exercise $ex: $([ $p = start ] && echo 'starting point' || echo 'reference solution')") ||
			return 1
		[ "$variant" = "$p" ] && break
	done
	return 0
}

# ---- building ---------------------------------------------------------------------

# ex_other_build_dir <kver> <arch>: the build directory of another supported kernel for
# <arch> (the oldest one present), for the "builds on two kernels" checks; empty if none.
ex_other_build_dir()
{
	local kver=$1 arch=$2 k b
	for k in "${SUPPORTED_KVERS[@]}"; do
		[ "$k" = "$kver" ] && continue
		for b in "$WORK_DIR"/build/linux-"$k"-*/"$arch"-gcc"$(cc_key "$arch")"; do
			# Built, or at least prepared for modules (make modules_prepare).
			[ -x "$b/scripts/mod/modpost" ] && [ -f "$b/include/generated/autoconf.h" ] &&
				[ -e "$b/source" ] && { echo "$b"; return 0; }
		done
	done
}

# ex_krel <build dir>: the kernel release it builds.
ex_krel() { cat "$1/include/config/kernel.release" 2>/dev/null || echo unknown; }

# ex_make <src dir> <build dir> <arch> <log> <ko dir> [make args]: the out-of-tree build
# of a scratch copy; the modules built are copied to <ko dir> (if not empty). The sources
# are synced into one fixed directory per kernel build directory, only changed files
# rewritten, so kbuild and ccache rebuild only what differs from the last exercise or
# variant built there (a lock keeps concurrent graders apart).
ex_make()
{
	local src=$1 b=$2 arch=$3 logf=$4 kodir=$5 bd lockfd rc
	shift 5
	bd=$WORK_DIR/exercise-build/$(basename "$(dirname "$b")")-$(basename "$b")
	mkdir -p "$bd"
	exec {lockfd}>"$bd.lock"
	flock "$lockfd"
	rsync -r --checksum --delete --exclude=.git --exclude='*.mod.c' --include='*/' --include='*.[ch]' \
		--include=Kbuild --include=Makefile --include=Kconfig --include='sysfs-*' \
		--exclude='*' "$src/" "$bd/" || { exec {lockfd}>&-; return 1; }
	rm -f "$bd"/drivers/misc/lkmdemo/*.ko
	kmake "$b/source" "$b" "$arch" M="$bd/drivers/misc/lkmdemo" "$@" modules > "$logf" 2>&1
	rc=$?
	[ -n "$kodir" ] && cp "$bd"/drivers/misc/lkmdemo/*.ko "$kodir/" 2>/dev/null
	exec {lockfd}>&-
	EX_MADE=$bd/drivers/misc/lkmdemo
	return $rc
}

# Diagnostics about our files, and modpost's, in a build log.
ex_log_problems()
{
	local out
	out=$(grep -E '(error|warning):|^(ERROR|WARNING): modpost' "$1" | grep -v '^make.*warning: jobserver')
	[ -n "$out" ] || out=$(grep -E '^make.*Error' "$1")
	head -n "${2:-8}" <<< "$out" | grep .
}

# ex_build <src dir> <build dir> <arch> <out dir>: build, copy the modules to <out dir>,
# and write the build check (TAP) to <out dir>/host.tap. A build that fails is retried
# with make -k and modpost errors (missing namespace imports too) as warnings, so the
# guest can still grade what built: the module loader then says what modpost said.
ex_build()
{
	local src=$1 b=$2 arch=$3 out=$4 krel logf
	krel=$(ex_krel "$b")
	logf=$out/build-$krel.log
	mkdir -p "$out"
	rm -f "$out"/*.ko
	if ex_make "$src" "$b" "$arch" "$logf" "$out" && [ -z "$(ex_log_problems "$logf")" ]; then
		echo "ok - builds against Linux $krel ($arch), no errors or warnings" >> "$out/host.tap"
	else
		{
			echo "not ok - builds against Linux $krel ($arch), no errors or warnings"
			echo "# hint: fix what the compiler or modpost says (full log: $logf):"
			ex_log_problems "$logf" | sed "s|$EX_MADE/||; s/^/#   /"
		} >> "$out/host.tap"
		ex_make "$src" "$b" "$arch" "$logf.salvage" "$out" -k KBUILD_MODPOST_WARN=1 \
			CONFIG_MODULE_ALLOW_MISSING_NAMESPACE_IMPORTS=y
	fi
	return 0
}

# ---- host checks (sourced by exercises/NN-name/host.sh) ------------------------------

# hcheck <description> <hint> <command...>: ok when the command succeeds.
hcheck()
{
	local d=$1 h=$2
	shift 2
	if "$@" > "$EX_TMP" 2>&1; then
		echo "ok - $d"
	else
		echo "not ok - $d"; echo "# hint: $h"; head -n 5 "$EX_TMP" | sed 's/^/#   /'
	fi
}

# hcheck_other_kernel <description> <hint>: the scratch copy builds against another
# supported kernel's build directory (the oldest present); skipped if there is none.
# modpost runs as warnings there: that directory may have lkmdemo built in (a Y cell).
hcheck_other_kernel()
{
	local d=$1 h=$2 b krel
	b=$(ex_other_build_dir "$EX_KVER" "$EX_ARCH")
	if [ -z "$b" ]; then
		echo "ok - $d # SKIP no other kernel is built for $EX_ARCH (e.g. harness/run cell KVER=6.1 ARCH=$EX_ARCH MODE=m)"
		return
	fi
	krel=$(ex_krel "$b")
	if ex_make "$EX_SRC" "$b" "$EX_ARCH" "$EX_OUT/build-$krel.log" "" KBUILD_MODPOST_WARN=1 &&
	   ! grep -qE '(error|warning):' "$EX_OUT/build-$krel.log"; then
		echo "ok - $d: Linux $krel"
	else
		echo "not ok - $d: Linux $krel"; echo "# hint: $h"
		ex_log_problems "$EX_OUT/build-$krel.log" 5 | sed "s|$EX_MADE/||; s/^/#   /"
	fi
}

# ex_host_checks <NN-name> <src dir> <out dir> <kver> <arch>: the exercise's host.sh.
ex_host_checks()
{
	local ex=$1
	[ -f "$EXERCISES_DIR/$ex/host.sh" ] || return 0
	(
		EX_SRC=$2 EX_OUT=$3 EX_KVER=$4 EX_ARCH=$5 EX_TMP=$3/hcheck.out
		D=$EX_SRC/drivers/misc/lkmdemo
		. "$EXERCISES_DIR/$ex/host.sh"
	) >> "$3/host.tap"
}

# ---- the guest ------------------------------------------------------------------------

# ex_stage <NN-name> <variant> <out dir> <stage dir>: one variant's modules and grader
# into the guest's /harness/bin/exercises/<NN-name>-<variant>/, in grading order.
ex_stage()
{
	local ex=$1 variant=$2 out=$3 stage=$4 d
	d=$stage/exercises/$ex-$variant
	mkdir -p "$d"
	cp "$out"/*.ko "$d/" 2>/dev/null
	cp "$EXERCISES_DIR/$ex/grade.sh" "$d/"
	echo "$ex-$variant" >> "$stage/exercises/order"
}

# ex_boot <build dir> <arch> <stage dir> <console log>: one guest runs every staged grader.
ex_boot()
{
	local b=$1 arch=$2 stage=$3 logf=$4 append
	SRC=${SRC:-$(readlink -f "$b/source")} make_initramfs "$b" "$arch" "$stage.cpio" "$stage" || return 1
	append=$(profile_cmdline exercises ARCH="$arch") || return 1
	rm -f "$logf"
	run_qemu "$arch" "$b/$(arch_image "$arch")" "$stage.cpio" "$append" "$logf" 900
}

# ex_score <NN-name-variant> <host.tap> <console log>: print the report of one variant
# (a line per check, a hint per failed one) and set EX_GOT and EX_OF (ok / graded).
ex_score()
{
	local id=$1 tap=$2 logf=$3 res
	res=$(
		{
			cat "$tap" 2>/dev/null
			awk -v b="LKMDEMO-EXERCISE-BEGIN $id" -v e="LKMDEMO-EXERCISE-END $id" '
				{ sub(/\r$/, "") }
				$0 == b { on = 1; seen = 1; next }
				$0 == e { on = 0; done = 1; next }
				on { sub(/^ok [0-9]+ /, "ok "); sub(/^not ok [0-9]+ /, "not ok "); print }
				END {
					if (!seen) print "not ok - graded in the guest\n# hint: the guest did not reach this exercise (see the console log)"
					else if (!done) print "not ok - the guest survived grading\n# hint: the kernel crashed or hung while grading (see the console log)"
				}' "$logf"
		} | grep -E '^(ok|not ok|#)'
	)
	EX_GOT=$(grep '^ok ' <<< "$res" | grep -vc '# SKIP')
	EX_OF=$(( EX_GOT + $(grep -c '^not ok ' <<< "$res") ))
	awk '
		/^ok .*# SKIP/ { sub(/^ok - /, ""); sub(/ # SKIP /, " (skipped: "); print "  skip " $0 ")"; next }
		/^ok / { sub(/^ok - /, ""); print "  PASS " $0; next }
		/^not ok / { sub(/^not ok - /, ""); print "  FAIL " $0; next }
		/^# hint: / { sub(/^# hint: /, ""); print "       hint: " $0; next }
		/^#/ { sub(/^# ?/, ""); print "       " $0 }' <<< "$res"
	echo "  score $EX_GOT/$EX_OF"
}

# ---- the learner's commands ---------------------------------------------------------------

ex_usage()
{
	cat >&2 <<-EOF
	usage: harness/run exercise                 list the exercises
	       harness/run exercise N               set up exercise N (if needed) and show the task
	       harness/run exercise N grade         build your copy and grade it in a guest
	       harness/run exercise N diff          your changes to the starting point
	       harness/run exercise N reset         start again (your copy is kept as .old-<time>)
	       harness/run exercise N solution      show the reference solution (spoiler)
	knobs: EXERCISE_DIR=<where the copies go, default $EXERCISE_DIR>  KVER= ARCH=
	EOF
	exit 2
}

run_exercise_cmd()
{
	local ex dir action=${2:-show} e
	EXERCISE_DIR=$(realpath -m "$EXERCISE_DIR")
	if [ $# -eq 0 ]; then
		echo "lkmdemo exercises (harness/run exercise N to start one):"
		for e in $(ex_list); do printf '  %s  %s\n' "${e%%-*}" "$(ex_title "$e")"; done
		return 0
	fi
	[ $# -le 2 ] || ex_usage
	ex=$(ex_resolve "$1") || exit 2
	dir=$EXERCISE_DIR/$ex
	case "$action" in
	show|grade|diff|reset|solution) ;;
	*) echo "unknown action: $action" >&2; ex_usage ;;
	esac
	if [ "$action" = reset ] && [ -d "$dir" ]; then
		mv "$dir" "$dir.old-$(date +%Y%m%d%H%M%S)" && log "your copy is kept in $dir.old-*"
	fi
	if [ ! -d "$dir/.git" ]; then
		ex_prepare "$ex" "$dir" start || exit 2
		log "exercise $ex set up in $dir"
		action=show
	fi
	case "$action" in
	show)
		sed -n '1,/^What is graded/p' "$EXERCISES_DIR/$ex/README" | sed '$d'
		echo "Your copy of the driver sources: $dir/drivers/misc/lkmdemo"
		echo "Edit there, then grade with:     harness/run exercise ${ex%%-*} grade"
		echo "Full README (hints, what is graded): $EXERCISES_DIR/$ex/README"
		;;
	diff) "${EX_GIT[@]}" -C "$dir" diff HEAD -- . ;;
	solution)
		echo "Reference solution of exercise $ex ($EXERCISES_DIR/$ex/solution.patch);"
		echo "apply it to your copy with: git -C $dir apply $EXERCISES_DIR/$ex/solution.patch"
		echo
		cat "$EXERCISES_DIR/$ex/solution.patch"
		;;
	grade) ex_grade_one "$ex" "$dir" ;;
	esac
}

# ex_grade_one <NN-name> <dir>: the learner's copy, built and graded in a guest of
# KVER/ARCH (default: the newest kernel, x86_64; its kernel is built first if needed).
ex_grade_one()
{
	local ex=$1 dir=$2 kver=${KVER:-${SUPPORTED_KVERS[-1]}} arch=${ARCH:-x86_64} b out
	new_run_dir "exercise-$ex"
	prepare_kernel "$kver" || exit 1
	log "the $kver $arch kernel (built once, a few minutes the first time)"
	b=$(cell_build "$kver" "$SRC" "$arch" m) || exit 1
	out=$RUN_DIR/$ex-yours
	mkdir -p "$out"
	log "building your copy of exercise $ex against Linux $(ex_krel "$b")"
	ex_build "$dir" "$b" "$arch" "$out"
	ex_host_checks "$ex" "$dir" "$out" "$kver" "$arch"
	ex_stage "$ex" yours "$out" "$RUN_DIR/stage"
	log "grading in a guest"
	ex_boot "$b" "$arch" "$RUN_DIR/stage" "$RUN_DIR/console.log"
	echo
	echo "exercise $ex: $(ex_title "$ex")"
	ex_score "$ex-yours" "$out/host.tap" "$RUN_DIR/console.log"
	echo "(console log: $RUN_DIR/console.log)"
	[ "$EX_GOT" = "$EX_OF" ]
}

# ---- proving every exercise (harness/run exercises, and harness/run test) ----------------

# exercises_gate <kver> <arch> <build dir of an M cell>: for each exercise, its untouched
# starting point and its reference solution, built out of tree against <build dir> and
# graded in ONE guest boot; records "start scores below full marks" and "reference
# solution scores full marks" per exercise (record/count). The build directory must be
# configured with LKMDEMO=m (its kernel must not have lkmdemo built in).
exercises_gate()
{
	local kver=$1 arch=$2 b=$3 root ex v out t0 name ok
	local -a exs=()
	t0=$(date +%s)
	root=$RUN_DIR/exercises-$kver-$arch
	rm -rf "$root"
	mkdir -p "$root/stage/exercises"
	if [ "$(build_mode "$b")" != m ]; then
		record fail 0 "exercises on $kver $arch: the build directory is not an M build ($b)"; count 0 1 0
		return 1
	fi
	mapfile -t exs < <(ex_list)
	# Solutions first, then the starting points, the risky ones last (EX_RISKY_STARTS).
	for v in solution start; do
		for ex in $(ex_order "$v" "${exs[@]}"); do
			out=$root/$ex-$v
			mkdir -p "$out"
			if ! ex_prepare "$ex" "$out/src" "$v" 2> "$out/prepare.log"; then
				touch "$out/unapplied"
				continue
			fi
			log "exercises: building $ex ($v) against Linux $(ex_krel "$b")"
			ex_build "$out/src" "$b" "$arch" "$out"
			ex_host_checks "$ex" "$out/src" "$out" "$kver" "$arch"
			ex_stage "$ex" "$v" "$out" "$root/stage"
		done
	done
	log "exercises: grading every variant in one $kver $arch guest"
	ex_boot "$b" "$arch" "$root/stage" "$root/console.log"
	for ex in "${exs[@]}"; do
		for v in start solution; do
			out=$root/$ex-$v
			if [ -f "$out/unapplied" ]; then
				name="exercise $ex: $([ $v = start ] && echo starting-point || echo reference-solution) patch no longer applies (harness/run exercises refresh)"
				record fail $(( $(date +%s) - t0 )) "$name"; count 0 1 0
				sed 's/^/    /' "$out/prepare.log" >&2
				continue
			fi
			ex_score "$ex-$v" "$out/host.tap" "$root/console.log" > "$out/report.txt"
			if [ $v = start ]; then
				name="exercise $ex: the starting point scores below full marks ($EX_GOT/$EX_OF) on $kver $arch"
				ok=$([ "$EX_GOT" -lt "$EX_OF" ] && echo pass || echo fail)
			else
				name="exercise $ex: the reference solution scores full marks ($EX_GOT/$EX_OF) on $kver $arch"
				ok=$([ "$EX_GOT" = "$EX_OF" ] && [ "$EX_OF" -gt 0 ] && echo pass || echo fail)
			fi
			record "$ok" $(( $(date +%s) - t0 )) "$name"
			if [ "$ok" = pass ]; then count 1 0 0; else count 0 1 0; sed 's/^/    /' "$out/report.txt" >&2; fi
		done
	done
	log "exercises: reports in $root/*/report.txt, console log $root/console.log"
}

# harness/run exercises [refresh]
run_exercises_cmd()
{
	local kver=${KVER:-${SUPPORTED_KVERS[-1]}} arch=${ARCH:-x86_64} b
	case "${1:-}" in
	"") ;;
	refresh) [ $# -eq 1 ] || ex_usage; ex_refresh; return ;;
	*) echo "unknown argument: $1" >&2; ex_usage ;;
	esac
	new_run_dir "exercises-$kver-$arch"
	prepare_kernel "$kver" || exit 1
	b=$(cell_build "$kver" "$SRC" "$arch" m) || exit 1
	exercises_gate "$kver" "$arch" "$b"
	echo
	echo "== exercises =="
	summary
}

# ex_refresh: re-derive every start.patch and solution.patch against the current sources:
# applied with patch(1)'s fuzz to a fresh copy, then regenerated exactly. A patch that
# does not apply even with fuzz is reported with its rejects, for a hand edit.
ex_refresh()
{
	local ex dir p bad=0
	for ex in $(ex_list); do
		dir=$WORK_DIR/exercise-refresh/$ex
		rm -rf "$dir"
		ex_copy_sources "$dir" || return 1
		(cd "$dir" && "${EX_GIT[@]}" init -q && "${EX_GIT[@]}" add -A && "${EX_GIT[@]}" commit -qm sources) || return 1
		for p in start solution; do
			if ! (cd "$dir" && patch -p1 -F3 -s --no-backup-if-mismatch < "$EXERCISES_DIR/$ex/$p.patch") > "$dir.log" 2>&1; then
				echo "exercise $ex: $p.patch does not apply even with fuzz; make the change by hand in $dir" >&2
				echo "  (rejects: $(cd "$dir" && find . -name '*.rej' | tr '\n' ' ')), delete the .rej and .orig files, then:" >&2
				echo "  git -C $dir add -A && git -C $dir diff --cached HEAD > $EXERCISES_DIR/$ex/$p.patch" >&2
				echo "  and run harness/run exercises refresh again" >&2
				sed 's/^/    /' "$dir.log" >&2
				bad=1
				break
			fi
			find "$dir" -name '*.orig' -delete
			(cd "$dir" && "${EX_GIT[@]}" add -A && "${EX_GIT[@]}" diff --cached HEAD > "$EXERCISES_DIR/$ex/$p.patch" &&
				"${EX_GIT[@]}" commit -qm "$p") || return 1
			echo "exercise $ex: $p.patch refreshed"
		done
	done
	[ "$bad" = 0 ] && echo "refreshed; review with git diff exercises/, then prove with: harness/run exercises"
	return "$bad"
}

# not <command...>: succeeds when the command fails (for hcheck: "no such line").
not() { ! "$@"; }

# exercises_patches_apply: a static gate (no kernel needed): every exercise's
# start.patch, and its solution.patch on top, applies to the current driver sources.
exercises_patches_apply()
{
	local ex bad=0 tmp
	tmp=$(mktemp -d)
	for ex in $(ex_list); do
		if ex_prepare "$ex" "$tmp/$ex" solution; then
			echo "exercise $ex: start.patch and solution.patch apply"
		else
			bad=1
		fi
	done
	rm -rf "$tmp"
	return $bad
}
