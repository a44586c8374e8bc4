# SPDX-License-Identifier: GPL-2.0
# Graded exercises (exercises/NN-name/): a learner's scratch copy of the driver sources
# with a starting-point patch applied, built out of tree (M=) against the build directory
# of an M cell, graded in one booted guest (guest checks: exercises/NN-name/grade.sh, run
# by harness/guest/run-exercises.sh) plus host checks (exercises/NN-name/host.sh).
#
#   harness/run exercise [N [grade|diff|reset|solution]]   the learner's commands
#   harness/run exercises [refresh]                         prove / refresh every exercise
#
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
		[ -f "$d/start.patch" ] || [ -d "$d/skeleton" ] && basename "$d"
	done
	return 0
}

# Two kinds of exercise. A driver exercise (start.patch) works on a copy of lkmdemo's
# sources (EX_FILES), its modules built from drivers/misc/lkmdemo. A module exercise
# (skeleton/) is self-contained: the copy is its skeleton's files, with numbered TODO
# markers to fill in, and its modules are built from the copy's top directory.
ex_is_module() { [ -d "$EXERCISES_DIR/$1/skeleton" ]; }
# ex_moddir <NN-name>: where in a copy its modules are built.
ex_moddir() { if ex_is_module "$1"; then echo .; else echo drivers/misc/lkmdemo; fi; }

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

# ex_copy_sources <dst> [NN-name]: the repository's driver sources (EX_FILES) into <dst>,
# paths kept; for a module exercise, its skeleton's files.
ex_copy_sources()
{
	local dst=$1 ex=${2:-}
	mkdir -p "$dst" || return 1
	if [ -n "$ex" ] && ex_is_module "$ex"; then
		cp -r "$EXERCISES_DIR/$ex/skeleton/." "$dst/" && return 0
		echo "copying the skeleton of $ex to $dst failed" >&2
		return 1
	fi
	(cd "$REPO_DIR" && git ls-files -z -- $EX_FILES | xargs -0 cp --parents -t "$dst") ||
		{ echo "copying the lkmdemo sources to $dst failed" >&2; return 1; }
}

# ex_variants <NN-name>: the variants the proof grades: start, solution, then each
# wrong/<name>.patch and right/<name>.patch (a learner's mistake, a right solution
# written differently), as start, solution, wrong/<name>, right/<name>.
ex_variants()
{
	local ex=$1 p
	echo start
	echo solution
	for p in "$EXERCISES_DIR/$ex"/wrong/*.patch "$EXERCISES_DIR/$ex"/right/*.patch; do
		[ -f "$p" ] || continue
		p=${p#"$EXERCISES_DIR/$ex/"}
		echo "${p%.patch}"
	done
}

# ex_variant_id <variant>: a name for directories and the guest (wrong/foo -> wrong-foo).
ex_variant_id() { echo "${1//\//-}"; }

# ex_variant_what <NN-name> <variant>: what it is, for the reports: the patch's first
# line for wrong/ and right/ ("Mistake: ..." or "Right: ...").
ex_variant_what()
{
	case "$2" in
	start) echo "the untouched starting point" ;;
	solution) echo "the reference solution" ;;
	*) sed -n '1{s/^[A-Za-z]*: *//;p}' "$EXERCISES_DIR/$1/$2.patch" ;;
	esac
}

# ex_prepare <NN-name> <dir> <variant>: a fresh scratch copy in <dir>, a git repository
# whose commits are the sources, the starting point and, for "solution", the reference
# solution, for wrong/<name> or right/<name>, that patch (applied on the starting
# point). Fails with a clear message when a patch no longer applies.
ex_prepare()
{
	local ex=$1 dir=$2 variant=$3 p f what
	rm -rf "$dir"
	ex_copy_sources "$dir" "$ex" || return 1
	(cd "$dir" && "${EX_GIT[@]}" init -q && "${EX_GIT[@]}" add -A &&
		"${EX_GIT[@]}" commit -qm "$(ex_is_module "$ex" && echo "exercise $ex: the skeleton" || echo "lkmdemo sources")") || return 1
	for p in start $([ "$variant" = start ] || echo "$variant"); do
		f=$EXERCISES_DIR/$ex/$p.patch
		# A module exercise starts from its skeleton as it is.
		[ "$p" = start ] && [ ! -f "$f" ] && ex_is_module "$ex" && continue
		case "$p" in
		start) what=starting-point ;; solution) what=reference-solution ;; *) what=$p ;;
		esac
		if ! "${EX_GIT[@]}" -C "$dir" apply --whitespace=nowarn "$f" > "$dir.apply.log" 2>&1; then
			echo "$what patch for exercise $ex no longer applies" \
				"to drivers/misc/lkmdemo (refresh: harness/run exercises refresh):" >&2
			sed 's/^/    /' "$dir.apply.log" >&2
			return 1
		fi
		rm -f "$dir.apply.log"
		(cd "$dir" && "${EX_GIT[@]}" add -A &&
			"${EX_GIT[@]}" commit -qm "exercise $ex: $what") || return 1
	done
	return 0
}

# ---- building ---------------------------------------------------------------------

# EX_OLD_KVER: the older kernel the compat exercises must build on too, the oldest
# supported one (the only one of the four with from_timer() alone and identifier
# namespaces).
EX_OLD_KVER=${SUPPORTED_KVERS[0]}

# ex_old_build_dir <arch>: a build directory of EX_OLD_KVER for <arch>, configured like
# the matrix's N cell and prepared for out-of-tree modules (make modules_prepare: a
# minute or two the first time, no kernel image); printed, or fail with a message. The
# pristine Debian tree is enough: the exercises build lkmdemo out of tree (M=).
ex_old_build_dir()
{
	local arch=$1 tree b
	tree=$(kernel_tree "$EX_OLD_KVER") || return 1
	b=$(build_dir "$EX_OLD_KVER" "$tree" "$arch" exold)
	if [ ! -x "$b/scripts/mod/modpost" ] || [ ! -f "$b/include/generated/autoconf.h" ] ||
	   [ ! -e "$b/source" ]; then
		log "exercises: preparing Linux $EX_OLD_KVER ($arch) for out-of-tree modules (once)"
		configure "$tree" "$b" "$arch" n >&2 &&
			kmake "$tree" "$b" "$arch" modules_prepare > "$b/modules_prepare.log" 2>&1 ||
			{ tail -n 20 "$b/modules_prepare.log" >&2; return 1; }
	fi
	echo "$b"
}

# ex_krel <build dir>: the kernel release it builds.
ex_krel() { cat "$1/include/config/kernel.release" 2>/dev/null || echo unknown; }

# ex_make <src dir> <build dir> <arch> <log> <ko dir> [make args]: the out-of-tree build
# of a scratch copy (its EX_MODDIR, default drivers/misc/lkmdemo); the modules built are
# copied to <ko dir> (if not empty). The sources
# are synced into one fixed directory per kernel build directory, only changed files
# rewritten, so kbuild and ccache rebuild only what differs from the last exercise or
# variant built there (a lock keeps concurrent graders apart).
ex_make()
{
	local src=$1 b=$2 arch=$3 logf=$4 kodir=$5 bd lockfd rc md=${EX_MODDIR:-drivers/misc/lkmdemo}
	shift 5
	bd=$WORK_DIR/exercise-build/$(basename "$(dirname "$b")")-$(basename "$b")
	# A module exercise's copy has files of other names: a directory of its own; the
	# proof builds each exercise in its own (EX_BUILD_TAG), side by side.
	[ "$md" = . ] && bd=$bd-module
	[ -n "${EX_BUILD_TAG:-}" ] && bd=$bd-$EX_BUILD_TAG
	mkdir -p "$bd"
	exec {lockfd}>"$bd.lock"
	flock "$lockfd"
	rsync -r --checksum --delete --exclude=.git --exclude='*.mod.c' --include='*/' --include='*.[ch]' \
		--include=Kbuild --include=Makefile --include=Kconfig --include='sysfs-*' \
		--exclude='*' "$src/" "$bd/" || { exec {lockfd}>&-; return 1; }
	rm -f "$bd/$md"/*.ko
	kmake "$b/source" "$b" "$arch" M="$(realpath -m "$bd/$md")" "$@" modules > "$logf" 2>&1
	rc=$?
	[ -n "$kodir" ] && cp "$bd/$md"/*.ko "$kodir/" 2>/dev/null
	exec {lockfd}>&-
	EX_MADE=$(realpath -m "$bd/$md")
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
	# A module exercise about the tools has no module of its own to build.
	[ -f "$src/${EX_MODDIR:-drivers/misc/lkmdemo}/Kbuild" ] ||
		[ -f "$src/${EX_MODDIR:-drivers/misc/lkmdemo}/Makefile" ] || return 0
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

# hcheck_other_kernel <description> <hint>: the scratch copy builds, modpost included,
# against EX_OLD_KVER (EX_OLD_B, prepared by ex_old_build_dir) with no error, no
# warning and no namespace complaint. Never skipped: without that kernel the check
# fails, as a build that fails there would.
hcheck_other_kernel()
{
	local d=$1 h=$2 b=${EX_OLD_B:-} krel logf
	if [ -z "$b" ]; then
		echo "not ok - $d"
		echo "# hint: Linux $EX_OLD_KVER could not be prepared for $EX_ARCH (see the messages above the score); this check needs it"
		return
	fi
	krel=$(ex_krel "$b")
	logf=$EX_OUT/build-old-$krel.log
	# Without the old kernel's Module.symvers (modules_prepare only), modpost cannot
	# resolve the kernel's symbols: warnings, which are not what is graded here. It does
	# check the namespace imports between the two modules built together.
	if ex_make "$EX_SRC" "$b" "$EX_ARCH" "$logf" "" KBUILD_MODPOST_WARN=1 &&
	   ! grep -qE '(error|warning):' "$logf" && ! grep -qE 'from namespace|MODULE_IMPORT_NS' "$logf"; then
		echo "ok - $d: Linux $krel"
	else
		echo "not ok - $d: Linux $krel"; echo "# hint: $h"
		{ ex_log_problems "$logf" 5; grep -hE 'from namespace|MODULE_IMPORT_NS' "$logf" | head -n 3; } |
			sed "s|$EX_MADE/||; s/^/#   /"
	fi
}

# ex_learner_make <dir> <log> [make args]: make as the learner runs it, in <dir> (the
# copy's own Makefile), for the grading kernel's arch and compiler (EX_ARCH).
ex_learner_make()
{
	local dir=$1 logf=$2 cross
	shift 2
	cross=$(arch_cross "$EX_ARCH")
	CCACHE_DIR=$CACHE_DIR/ccache CCACHE_BASEDIR=$CACHE_DIR \
	make -C "$dir" ARCH="$(arch_karch "$EX_ARCH")" ${cross:+CROSS_COMPILE=$cross} \
		CC="ccache ${cross}gcc" HOSTCC="ccache gcc" "$@" > "$logf" 2>&1
}

# ex_host_checks <NN-name> <src dir> <out dir> <kver> <arch> <build dir>: the exercise's
# host.sh, with EX_SRC, EX_OUT, EX_KVER, EX_ARCH, EX_B (the grading kernel's build
# directory) and D (where the copy's modules are built from).
ex_host_checks()
{
	local ex=$1
	[ -f "$EXERCISES_DIR/$ex/host.sh" ] || return 0
	(
		EX_SRC=$2 EX_OUT=$3 EX_KVER=$4 EX_ARCH=$5 EX_B=$6 EX_TMP=$3/hcheck.out
		D=$(realpath -m "$EX_SRC/$(ex_moddir "$ex")")
		. "$EXERCISES_DIR/$ex/host.sh"
	) >> "$3/host.tap"
}

# ---- the guest ------------------------------------------------------------------------

# ex_stage <NN-name> <variant> <out dir> <stage dir>: one variant's modules, grader and
# the files its host checks left in <out dir>/stage into the guest's
# /harness/bin/exercises/<NN-name>-<variant>/, in grading order.
ex_stage()
{
	local ex=$1 variant=$2 out=$3 stage=$4 d m
	d=$stage/exercises/$ex-$variant
	mkdir -p "$d"
	cp "$out"/*.ko "$d/" 2>/dev/null
	# What the host checks left for the guest's (e.g. 03's ABI paths).
	[ -d "$out/stage" ] && cp -r "$out/stage/." "$d/"
	cp "$EXERCISES_DIR/$ex/grade.sh" "$d/"
	echo "$ex-$variant" >> "$stage/exercises/order"
	# Every module a variant may load, for the guest to unload between variants.
	for m in "$d"/*.ko; do
		[ -f "$m" ] && basename "$m" .ko | tr - _
	done >> "$stage/exercises/modules"
	sort -u -o "$stage/exercises/modules" "$stage/exercises/modules"
}

# ex_boot <build dir> <arch> <stage dir> <console log>: guests grade every staged
# variant, in the order of <stage dir>/exercises/order. A variant that crashes the guest
# or leaves it unsafe (guest/run-exercises.sh) ends that boot; the variants it did not
# reach are graded in the next boot, as many boots as that takes. <console log> is the
# boots' console logs one after the other; EX_BOOTS says how many boots it took.
ex_boot()
{
	local b=$1 arch=$2 stage=$3 logf=$4 all left n=0
	# The guest's helper program (exercise 01's init fault sweep: lkmdemo_stress failnth).
	guest_prog "$arch" "$HARNESS_DIR/stress/lkmdemo_stress.c" "$stage/lkmdemo_stress" || return 1
	rm -f "$logf"
	all=$(cat "$stage/exercises/order")
	left=$all
	EX_BOOTS=0
	while [ -n "$left" ]; do
		n=$((n + 1))
		printf '%s\n' $left > "$stage/exercises/order"
		# Every grader bounds its own waits; a boot that still runs past EX_BOOT_TIMEOUT
		# is stopped, and its unfinished variant fails ("the guest survived grading").
		boot_profile exercises "$b" "$arch" "$logf.$n" --bin "$stage" --timeout "${EX_BOOT_TIMEOUT:-2400}" \
			ARCH="$arch" MODULE_AREA="$(arch_get "$arch" MODULE_AREA)" || break
		cat "$logf.$n" >> "$logf"
		EX_BOOTS=$n
		# What this boot began is graded (a crash is that variant's failed check).
		left=$(for id in $left; do
			grep -q "^LKMDEMO-EXERCISE-BEGIN $id[[:space:]]*\$" "$logf.$n" || echo "$id"
		done)
		[ "$(printf '%s\n' $left | grep -c .)" -lt "$(grep -c . "$stage/exercises/order")" ] || break
	done
	printf '%s\n' $all > "$stage/exercises/order"
	return 0
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
				# A variant that crashed its boot has no END: its lines stop where the
				# next variant or the next boot begins.
				on && /^LKMDEMO-(EXERCISE-BEGIN |EXERCISES-BEGIN|GUEST-UP)/ { on = 0 }
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
	       harness/run exercises [N...]         prove every exercise (or those): all variants
	       harness/run exercises refresh        re-derive every patch after a driver change
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
		echo "Your copy: $(realpath -m "$dir/$(ex_moddir "$ex")")"
		echo "Edit there, then grade with:     harness/run exercise ${ex%%-*} grade"
		echo "Full README (hints, what is graded): $EXERCISES_DIR/$ex/README"
		[ -f "$EXERCISES_DIR/$ex/README.zh_CN" ] &&
			echo "中文（任务、提示、评分内容）:           $EXERCISES_DIR/$ex/README.zh_CN"
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
	b=$(cell_build "$kver" "$SRC" "$arch" m exercises) || exit 1
	out=$RUN_DIR/$ex-yours
	mkdir -p "$out"
	ex_prepare_old "$arch" "$ex"
	export EX_MODDIR=$(ex_moddir "$ex")
	log "building your copy of exercise $ex against Linux $(ex_krel "$b")"
	ex_build "$dir" "$b" "$arch" "$out"
	ex_host_checks "$ex" "$dir" "$out" "$kver" "$arch" "$b"
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

# ex_needs_old <NN-name>: its host checks build on the older kernel too.
ex_needs_old() { grep -qs '^hcheck_other_kernel' "$EXERCISES_DIR/$1/host.sh"; }

# ex_prepare_old <arch> <NN-name...>: EX_OLD_B for the exercises that need the older
# kernel (empty if none does, or it cannot be prepared: their check then fails).
ex_prepare_old()
{
	local arch=$1 ex
	shift
	EX_OLD_B=
	for ex in "$@"; do
		ex_needs_old "$ex" || continue
		EX_OLD_B=$(ex_old_build_dir "$arch") || EX_OLD_B=
		break
	done
	export EX_OLD_B
}

# ex_build_variants <NN-name> <build dir> <arch> <kver> <root>: every variant of one
# exercise prepared, built and host-checked into <root>/<NN-name>-<variant>/, in a
# build directory of the exercise's own (EX_BUILD_TAG).
ex_build_variants()
{
	local ex=$1 b=$2 arch=$3 kver=$4 root=$5 v out
	export EX_MODDIR EX_BUILD_TAG=$ex
	EX_MODDIR=$(ex_moddir "$ex")
	for v in $(ex_variants "$ex"); do
		out=$root/$ex-$(ex_variant_id "$v")
		mkdir -p "$out"
		if ! ex_prepare "$ex" "$out/src" "$v" 2> "$out/prepare.log"; then
			touch "$out/unapplied"
			continue
		fi
		ex_build "$out/src" "$b" "$arch" "$out"
		ex_host_checks "$ex" "$out/src" "$out" "$kver" "$arch" "$b"
	done
}

# exercises_gate <kver> <arch> [ignored]: proves every exercise on the exercises'
# grading kernel (profile exercises: <kver>'s tree in SRC, LKMDEMO=m, built here), one
# kernel build and one guest boot (more only when a variant crashes the guest). For
# each exercise: its untouched starting point scores below full marks, the reference
# solution and each right/*.patch full marks, each wrong/*.patch below full marks
# (record/count). (The third argument, the matrix's M build directory that lib/plan.sh
# passes, is not used: the grading kernel is configured unlike the matrix's.)
exercises_gate()
{
	local kver=$1 arch=$2 b root ex v id out t0 name ok what
	local -a exs=() order=()
	t0=$(date +%s)
	root=$RUN_DIR/exercises-$kver-$arch
	rm -rf "$root"
	mkdir -p "$root/stage/exercises"
	if ! b=$(cell_build "$kver" "$SRC" "$arch" m exercises); then
		record fail $(( $(date +%s) - t0 )) "exercises on $kver $arch: the grading kernel builds"; count 0 1 0
		return 1
	fi
	mapfile -t exs < <(ex_list | while read -r ex; do
		[ -z "${EX_ONLY:-}" ] || [[ " $EX_ONLY " == *" $ex "* ]] && echo "$ex"
	done)
	ex_prepare_old "$arch" "${exs[@]}"
	# Every variant of every exercise, built: the exercises side by side (JOBS at a time,
	# each in a build directory of its own, its variants in turn there, so that each
	# build recompiles only what differs from the variant before), then staged in order.
	log "exercises: building $(for ex in "${exs[@]}"; do ex_variants "$ex"; done | wc -l) variants of ${#exs[@]} exercises against Linux $(ex_krel "$b")"
	for ex in "${exs[@]}"; do
		while [ "$(jobs -rp | wc -l)" -ge "${JOBS:-2}" ]; do wait -n; done
		ex_build_variants "$ex" "$b" "$arch" "$kver" "$root" &
	done
	wait
	for ex in "${exs[@]}"; do
		for v in $(ex_variants "$ex"); do
			out=$root/$ex-$(ex_variant_id "$v")
			[ -f "$out/unapplied" ] || ex_stage "$ex" "$(ex_variant_id "$v")" "$out" "$root/stage"
		done
	done
	log "exercises: grading every variant in a $kver $arch guest"
	ex_boot "$b" "$arch" "$root/stage" "$root/console.log"
	log "exercises: $(grep -c . "$root/stage/exercises/order") variants graded in $EX_BOOTS boot(s)"
	for ex in "${exs[@]}"; do
		for v in $(ex_variants "$ex"); do
			id=$ex-$(ex_variant_id "$v")
			out=$root/$id
			what=$(ex_variant_what "$ex" "$v")
			if [ -f "$out/unapplied" ]; then
				name="exercise $ex: $v ($what) no longer applies (harness/run exercises refresh)"
				record fail $(( $(date +%s) - t0 )) "$name"; count 0 1 0
				sed 's/^/    /' "$out/prepare.log" >&2
				continue
			fi
			ex_score "$id" "$out/host.tap" "$root/console.log" > "$out/report.txt"
			case "$v" in
			start|wrong/*)
				name="exercise $ex: $v scores below full marks ($EX_GOT/$EX_OF): $what"
				ok=$([ "$EX_GOT" -lt "$EX_OF" ] && echo pass || echo fail) ;;
			*)
				name="exercise $ex: $v scores full marks ($EX_GOT/$EX_OF): $what"
				ok=$([ "$EX_GOT" = "$EX_OF" ] && [ "$EX_OF" -gt 0 ] && echo pass || echo fail) ;;
			esac
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
	local e
	case "${1:-}" in
	refresh) [ $# -eq 1 ] || ex_usage; ex_refresh; return ;;
	esac
	# harness/run exercises N...: prove only those (while working on their graders).
	EX_ONLY=
	for e in "$@"; do
		EX_ONLY="$EX_ONLY $(ex_resolve "$e")" || ex_usage
	done
	new_run_dir "exercises-$kver-$arch"
	prepare_kernel "$kver" || exit 1
	exercises_gate "$kver" "$arch"
	echo
	echo "== exercises =="
	summary
}

# ex_patch_header <patch>: the lines before its first "diff --git" (a wrong/ or right/
# patch's description), kept when the patch is regenerated.
ex_patch_header() { sed -n '/^diff --git /q;p' "$1"; }

# ex_refresh: re-derive every exercise's patches against the current sources: start.patch
# applied with patch(1)'s fuzz to a fresh copy, then regenerated exactly; solution.patch
# and every wrong/ and right/ patch the same way on top of the starting point (their
# description lines kept). A patch that does not apply even with fuzz is reported with
# its rejects, for a hand edit.
ex_refresh()
{
	local ex dir v f hdr bad=0
	for ex in $(ex_list); do
		dir=$WORK_DIR/exercise-refresh/$ex
		rm -rf "$dir"
		ex_copy_sources "$dir" "$ex" || return 1
		(cd "$dir" && "${EX_GIT[@]}" init -q && "${EX_GIT[@]}" add -A && "${EX_GIT[@]}" commit -qm sources) || return 1
		for v in $(ex_variants "$ex"); do
			f=$EXERCISES_DIR/$ex/$v.patch
			# A module exercise starts from its skeleton: nothing to refresh.
			if [ "$v" = start ] && [ ! -f "$f" ]; then
				"${EX_GIT[@]}" -C "$dir" tag start
				continue
			fi
			[ "$v" = start ] || (cd "$dir" && "${EX_GIT[@]}" reset -q --hard start && "${EX_GIT[@]}" clean -qfdx) ||
				return 1
			if ! (cd "$dir" && patch -p1 -F3 -s --no-backup-if-mismatch < "$f") > "$dir.log" 2>&1; then
				echo "exercise $ex: $v.patch does not apply even with fuzz; make the change by hand in $dir" >&2
				echo "  (rejects: $(cd "$dir" && find . -name '*.rej' | tr '\n' ' ')), delete the .rej and .orig files, then:" >&2
				echo "  git -C $dir add -A && git -C $dir diff --cached HEAD > $f" >&2
				echo "  (keep the patch's description lines) and run harness/run exercises refresh again" >&2
				sed 's/^/    /' "$dir.log" >&2
				bad=1
				[ "$v" = start ] && break
				continue
			fi
			find "$dir" -name '*.orig' -delete
			hdr=$(ex_patch_header "$f")
			(cd "$dir" && "${EX_GIT[@]}" add -A &&
				{ [ -z "$hdr" ] || printf '%s\n' "$hdr"; "${EX_GIT[@]}" diff --cached HEAD; } > "$f.new" &&
				mv "$f.new" "$f" && "${EX_GIT[@]}" commit -qm "$v") || return 1
			[ "$v" = start ] && "${EX_GIT[@]}" -C "$dir" tag start
			echo "exercise $ex: $v.patch refreshed"
		done
	done
	[ "$bad" = 0 ] && echo "refreshed; review with git diff exercises/, then prove with: harness/run exercises"
	return "$bad"
}

# not <command...>: succeeds when the command fails (for hcheck: "no such line").
not() { ! "$@"; }

# exercises_patches_apply: a static gate (no kernel needed): every exercise's
# start.patch, and its solution.patch and each wrong/ and right/ patch on top, applies
# to the current driver sources; each wrong/ and right/ patch says what it is.
exercises_patches_apply()
{
	local ex v bad=0 tmp
	tmp=$(mktemp -d)
	for ex in $(ex_list); do
		for v in $(ex_variants "$ex"); do
			[ "$v" = start ] && continue
			if ! ex_prepare "$ex" "$tmp/$ex" "$v"; then
				bad=1
			elif [ "$v" != solution ] && ! head -n 1 "$EXERCISES_DIR/$ex/$v.patch" | grep -qE '^(Mistake|Right): .'; then
				echo "exercise $ex: $v.patch does not start with a 'Mistake: ...' or 'Right: ...' line" >&2
				bad=1
			fi
		done
		[ "$bad" = 0 ] && echo "exercise $ex: every patch applies ($(ex_variants "$ex" | wc -l) variants)"
	done
	rm -rf "$tmp"
	return $bad
}
