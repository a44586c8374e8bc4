# SPDX-License-Identifier: GPL-2.0
# The lessons (lessons/en, lessons/zh_CN): every command they show is run and its output
# compared with what the lesson says, on every kernel and arch; the translations are
# checked to be in step with their English sources.
#
#   run_lessons			`harness/run lessons` (KVER=, ARCH= restrict it): for each
#				kernel x arch, build it with LKMDEMO=m if needed, then
#				lessons_check_cell; plus the two static gates below.
#   lessons_check_cell <b> <arch> [kver] [config]
#				one boot of the M build directory <b> runs the guest blocks of
#				every lesson (all languages); the host blocks run against <b>
#				(out-of-tree build etc.); one result per lesson and kind.
#				The tree is the one <b> was built from. Call it on a
#				build directory configured for LKMDEMO=m.
#   lessons_refs		gate: every `file:symbol` of every lesson exists, every
#				command block parses.
#   lessons_translations	gate: every translated lesson and document names the
#				English commit it translates, and the English file has not
#				changed since.
#   lessons_compare_selftest	gate: the transcript comparison passes a true transcript and
#				fails a false one (a lesson run on the host with sh).
#   lessons_code_selftest	gate: the code check (quoted blocks, file:symbol) passes the
#				lessons as they are, and fails once a quoted function changes
#				in its source file and on a name only a comment or a string
#				has (a scratch copy of the repository).
#   lessons_drift_selftest	gate: the drift check fails on an English lesson and on the
#				English driver document changed after their translation (in a
#				scratch clone of the repository), and passes before.
#   module_dir_check <dir>	one line on stderr and status 1 unless <dir> is a directory
#				with a Makefile or Kbuild (MODULE_DIR=, before any build).
#   module_dir_build <b> <arch> <dir> <root>
#				build <dir> out of tree (M=) against the build directory <b>,
#				in a copy under <b>/module-dirs, and put its .ko files in
#				<root>/<name of dir>/ (the guest's /root/<name>); one error
#				line and status 1 if it does not build or builds no module.
#				`harness/run shell MODULE_DIR=<dir>` and the lessons'
#				examples (lessons/examples/*) go this way.
#   lessons_examples_style <tree>
#				gate: checkpatch --strict (the tree's scripts/checkpatch.pl) is
#				clean on every C file of lessons/examples/, except the
#				printk(KERN_INFO ...) that hello-1 exists to show
#				(PREFER_PR_LEVEL, in hello-1.c only).
#   lessons_checktransupdate <applied tree>
#				gate: the kernel's own checktransupdate.py (6.12: scripts/,
#				7.2: tools/docs/) finds the zh_CN driver document up to date in
#				the tree the series was applied to, and finds it outdated once
#				a commit changes the English document after it. Trees without
#				the tool (5.10, 6.1) pass with a note.
#
# Wiring into `harness/run test` (run_test in lib/plan.sh), at most one extra boot per
# kernel x arch: once, the gates lessons_refs, lessons_translations,
# lessons_compare_selftest, lessons_drift_selftest and lessons_code_selftest; per kernel, after prepare_kernel,
#	gate "..." lessons_checktransupdate "$SRC"
# and per arch, right after the M cell booted (while the build directory is still
# configured for M; the Y cell reconfigures it):
#	[ "$mode" = m ] && [ -n "$cell_b" ] && lessons_check_cell "$cell_b" "$arch" "$kver"

LESSONS_PY=$HARNESS_DIR/lib/lessons.py
# The driver document and its translation.
LESSONS_DOC_EN=Documentation/misc-devices/lkmdemo.rst
LESSONS_DOC_ZH=Documentation/translations/zh_CN/misc-devices/lkmdemo.rst

# lessons_cell_files <arch> <b>: the lessons a cell of that arch and build directory runs:
# every lesson but one whose line "<!-- lessons: arch <arch>... -->" does not name the
# arch (a transcript only one architecture prints, such as an oops report), or whose line
# "<!-- lessons: config CONFIG_<NAME> -->" names an option <b>/.config does not set (a
# lesson about lkmdemo_rs needs a kernel with Rust). lessons_skipped <arch> <b>: those
# others, each as "<file><TAB><why>": for another arch, the reason its line "<!-- lessons:
# other arches: <why> -->" gives (or "its transcript is another architecture's").
# With a third argument "config", only the lessons with a config line count (a profile's
# kernel built in another userland runs those; the others run on the matrix's kernels).
lessons_cell_files() { lessons_select "$1" "$2" in "${3:-}"; }
lessons_skipped() { lessons_select "$1" "$2" out "${3:-}"; }
lessons_select()
{
	local f a c why
	for f in $(lessons_files); do
		a=$(sed -n 's/^<!-- lessons: arch \(.*\) -->$/\1/p' "$f")
		c=$(sed -n 's/^<!-- lessons: config \(CONFIG_[A-Z0-9_]*\) -->$/\1/p' "$f")
		[ "${4:-}" = config ] && [ -z "$c" ] && continue
		why=""
		if [ -n "$a" ] && [[ " $a " != *" $1 "* ]]; then
			why=$(sed -n 's/^<!-- lessons: other arches: \(.*\) -->$/\1/p' "$f" | head -n 1)
			[ -n "$why" ] || why="its transcript is another architecture's"
		elif [ -n "$c" ] && ! grep -qE "^$c=[my]\$" "$2/.config" 2>/dev/null; then
			why="it needs a kernel with $c (harness/run lessons PROFILE=rust)"
		fi
		if [ -z "$why" ]; then
			[ "$3" = in ] && echo "$f"
		else
			[ "$3" = out ] && printf '%s\t%s\n' "$f" "$why"
		fi
	done
	return 0
}

# lessons_dtb_fragments <lesson...>: the device-tree fragments those lessons add to the
# machine's own tree, each named in a line "<!-- lessons: dtb <file> -->" (a file of the
# repository, dtc source: "/ { node { ... }; };").
lessons_dtb_fragments()
{
	sed -n 's/^<!-- lessons: dtb \(.*\) -->$/\1/p' "$@" | sort -u
}

# lessons_dtb <arch> <out> <fragment...>: the device tree the lessons' guest of <arch>
# boots with: QEMU's own tree of the arch's machine, dumped with the options of that
# boot (-machine dumpdtb=), decompiled with dtc, the fragments added at its end (dtc
# merges a second "/ { }" into the first), compiled again. What a lesson shows the
# learner doing by hand, on the host.
lessons_dtb()
{
	local arch=$1 out=$2 f
	shift 2
	command -v dtc >/dev/null || { echo "lessons: no dtc (Debian: device-tree-compiler)" >&2; return 1; }
	arch_qemu "$arch" tcg || return 1
	rm -f "$out" "$out.qemu"
	"${QEMU_CMD[@]}" -machine dumpdtb="$out.qemu" -nographic </dev/null >/dev/null 2>&1
	if [ ! -s "$out.qemu" ]; then
		echo "lessons: ${AR[QEMU]} -M ${AR[QEMU_MACHINE]} did not dump its device tree" >&2
		return 1
	fi
	dtc -q -I dtb -O dts -o "$out.dts" "$out.qemu" || return 1
	for f; do
		cat "$REPO_DIR/$f" || return 1
	done >> "$out.dts"
	dtc -q -I dts -O dtb -o "$out" "$out.dts"
}

# lessons_files: every lesson, English first, in order.
lessons_files()
{
	ls "$REPO_DIR"/lessons/en/[0-9][0-9]-*.md "$REPO_DIR"/lessons/zh_CN/[0-9][0-9]-*.md 2>/dev/null
}

# lessons_translated: every file that names the English file it translates.
lessons_translated()
{
	ls "$REPO_DIR"/lessons/zh_CN/*.md "$REPO_DIR/$LESSONS_DOC_ZH" 2>/dev/null
}

lessons_refs()
{
	# shellcheck disable=SC2046
	python3 "$LESSONS_PY" refs $(lessons_files)
}

lessons_compare_selftest()
{
	python3 "$LESSONS_PY" selftest
}

lessons_code_selftest()
{
	python3 "$LESSONS_PY" selftest-code
}

lessons_translations()
{
	# shellcheck disable=SC2046
	python3 "$LESSONS_PY" drift $(lessons_translated)
}

# lessons_drift_selftest: change an English source after its translation, commit, and
# expect the drift check to fail for exactly that translation.
lessons_drift_selftest()
{
	local tmp rc=0 en zh
	tmp=$(mktemp -d) || return 1
	git clone -q --shared "$REPO_DIR" "$tmp/repo" || { rm -rf "$tmp"; return 1; }
	# The work tree as it is now (uncommitted changes included), as one commit.
	rsync -a --exclude=/.git "$REPO_DIR/" "$tmp/repo/"
	(cd "$tmp/repo" && git add -A && git -c user.name=selftest -c user.email=selftest@lkmdemo.invalid \
		commit -q --allow-empty -m "selftest: the work tree") || { rm -rf "$tmp"; return 1; }
	for zh in lessons/zh_CN/01-what-is-a-module.md "$LESSONS_DOC_ZH"; do
		en=$(sed -n 's/.*Translated-from:[[:space:]]*\([^[:space:]]*\)[[:space:]]*@.*/\1/p' "$tmp/repo/$zh" | head -n 1)
		[ -n "$en" ] || { echo "FAIL $zh names no English source"; rc=1; continue; }
		if ! python3 "$LESSONS_PY" drift --repo "$tmp/repo" "$tmp/repo/$zh" >/dev/null; then
			echo "FAIL $zh: drift reported before any change"; rc=1; continue
		fi
		echo "A line added later." >> "$tmp/repo/$en"
		(cd "$tmp/repo" && git -c user.name=selftest -c user.email=selftest@lkmdemo.invalid \
			commit -q -am "selftest: change $en")
		if python3 "$LESSONS_PY" drift --repo "$tmp/repo" "$tmp/repo/$zh"; then
			echo "FAIL $zh: the drift check passed although $en changed after its translation"; rc=1
		else
			echo "ok   $zh: drift detected after a change to $en"
		fi
	done
	rm -rf "$tmp"
	return $rc
}

module_dir_check()
{
	local d=$1
	[ -d "$d" ] || { echo "lkmdemo-harness: error: MODULE_DIR=$d: no such directory" >&2; return 1; }
	[ -f "$d/Makefile" ] || [ -f "$d/Kbuild" ] ||
		{ echo "lkmdemo-harness: error: MODULE_DIR=$d: no Makefile or Kbuild (it needs obj-m += <name>.o)" >&2; return 1; }
}

module_dir_build()
{
	local b=$1 arch=$2 d=$3 root=$4 name copy logf ko
	d=$(realpath -m "$d")
	module_dir_check "$d" || return 1
	name=$(basename "$d")
	copy=$b/module-dirs/$name
	logf=$b/module-dirs/$name.log
	# A copy, without what an earlier build left there: the learner's directory stays
	# as it is, and a build for another kernel or arch never leaks in.
	rm -rf "$copy" && mkdir -p "$copy" || return 1
	rsync -a --exclude='*.o' --exclude='*.ko' --exclude='*.mod' --exclude='*.mod.c' --exclude='.*.cmd' \
		--exclude=Module.symvers --exclude=modules.order --exclude='.tmp*' "$d/" "$copy/" || return 1
	if ! kmake "$b/source" "$b" "$arch" M="$copy" modules > "$logf" 2>&1; then
		echo "lkmdemo-harness: error: MODULE_DIR=$d does not build against $(cat "$b/include/config/kernel.release") $arch: see $logf" >&2
		return 1
	fi
	mkdir -p "$root/$name"
	for ko in "$copy"/*.ko; do
		[ -f "$ko" ] || { echo "lkmdemo-harness: error: MODULE_DIR=$d built no .ko file (obj-m += <name>.o in its Makefile?): see $logf" >&2; return 1; }
		cp "$ko" "$root/$name/"
	done
}

# lessons_check_cell helper: build every example of lessons/examples/ into <root>,
# one result per example.
lessons_build_examples()
{
	local b=$1 arch=$2 root=$3 tag=$4 d t0
	for d in "$REPO_DIR"/lessons/examples/*/; do
		[ -d "$d" ] || continue
		t0=$(date +%s)
		if module_dir_build "$b" "$arch" "$d" "$root"; then
			record pass $(( $(date +%s) - t0 )) "$tag: example $(basename "$d") builds"; count 1 0 0
		else
			record fail $(( $(date +%s) - t0 )) "$tag: example $(basename "$d") builds"; count 0 1 0
		fi
	done
}

lessons_examples_style()
{
	local tree=$1 f rc=0 out ignore
	[ -x "$tree/scripts/checkpatch.pl" ] || { echo "no scripts/checkpatch.pl in $tree"; return 1; }
	for f in "$REPO_DIR"/lessons/examples/*/*.[ch]; do
		ignore=""
		[ "$(basename "$f")" = hello-1.c ] && ignore="--ignore PREFER_PR_LEVEL"
		# shellcheck disable=SC2086
		if out=$("$tree/scripts/checkpatch.pl" --strict --no-tree --terse --show-types $ignore -f "$f" 2>&1); then
			echo "ok   ${f#"$REPO_DIR"/}"
		else
			echo "FAIL ${f#"$REPO_DIR"/}:"; echo "$out" | sed 's/^/    /'; rc=1
		fi
	done
	return $rc
}

# lessons_checktransupdate <applied tree>
lessons_checktransupdate()
{
	local tree=$1 tool="" t tmp out rc=0
	for t in tools/docs/checktransupdate.py scripts/checktransupdate.py; do
		[ -f "$tree/$t" ] && { tool=$t; break; }
	done
	if [ -z "$tool" ]; then
		echo "no checktransupdate.py in $(cat "$tree/.lkmdemo-baseline" 2>/dev/null || echo "$tree"): not applicable"
		return 0
	fi
	[ -f "$tree/$LESSONS_DOC_ZH" ] || { echo "$LESSONS_DOC_ZH is not in $tree"; return 1; }
	out=$(cd "$tree" && python3 "$tool" "$LESSONS_DOC_ZH" 2>&1)
	echo "$tool on the applied tree: ${out:-nothing to resolve}" | sed '2,$s/^/    /'
	if grep -q 'commits needs resolving' <<< "$out" || grep -q 'No translation' <<< "$out"; then
		echo "FAIL: the translation is not up to date in the series"; rc=1
	fi
	# The same tree with one later commit to the English document: now it must be reported.
	tmp=$(mktemp -d) || return 1
	# A sparse checkout: the tool, the two documents (not 90000 files of a kernel).
	if ! git clone -q --shared --no-checkout "$tree" "$tmp/t" ||
	   ! git -C "$tmp/t" sparse-checkout set --no-cone "/$tool" "/$LESSONS_DOC_EN" "/$LESSONS_DOC_ZH" ||
	   ! git -C "$tmp/t" checkout -q "$(git -C "$tree" rev-parse HEAD)"; then
		rm -rf "$tmp"
		return 1
	fi
	echo "A later change." >> "$tmp/t/$LESSONS_DOC_EN"
	git -C "$tmp/t" -c user.name=selftest -c user.email=selftest@lkmdemo.invalid commit -q -a \
		--date="$(date -R)" -m "docs: lkmdemo: a later change" || { rm -rf "$tmp"; return 1; }
	out=$(cd "$tmp/t" && python3 "$tool" "$LESSONS_DOC_ZH" 2>&1)
	if grep -q 'commits needs resolving' <<< "$out"; then
		echo "ok   $tool reports the translation outdated after a later change to $LESSONS_DOC_EN"
	else
		echo "FAIL: $tool did not notice a later change to $LESSONS_DOC_EN:"; echo "$out" | sed 's/^/    /'
		rc=1
	fi
	rm -rf "$tmp"
	return $rc
}

# lessons_check_cell <b> <arch> [kver] [config]: one boot for the guest blocks of every
# lesson, then the host blocks against <b>; records one result per lesson and kind. The
# result names start with "lessons <kver> <arch>:", <kver> defaulting to the build dir's
# release. With "config", only the lessons that need an option of <b> (lessons_select),
# without the examples: a profile kernel built in another userland (rust), whose host
# programs (modpost) do not run here.
lessons_check_cell()
{
	local b=$1 arch=$2 only=${4:-} stage bin t0 tag st name line rc frags extra why
	t0=$(date +%s)
	tag="lessons ${3:-$(cat "$b/include/config/kernel.release" 2>/dev/null)} $arch"
	[ "$(build_mode "$b")" = m ] || { record skip 0 "$tag: the build directory is not LKMDEMO=m"; count 0 0 1; return 0; }
	stage=$b/lessons-stage
	rm -rf "$stage" && mkdir -p "$stage/lessons"
	# shellcheck disable=SC2046
	python3 "$LESSONS_PY" guest-scripts "$stage/lessons" $(lessons_cell_files "$arch" "$b" "$only") ||
		{ record fail 0 "$tag: the lessons do not parse"; count 0 1 0; return 1; }
	# The kselftest binaries too: a lesson runs them as a learner would in `harness/run shell`.
	bin=$(build_kselftest "$(readlink -f "$b/source")" "$b" "$arch") && cp -r "$bin/." "$stage/"
	# The examples, built as `harness/run shell MODULE_DIR=lessons/examples/<name>`
	# builds them, in the guest's /root/<name>/.
	rm -rf "$b/lessons-root" && mkdir -p "$b/lessons-root"
	[ "$only" = config ] || lessons_build_examples "$b" "$arch" "$b/lessons-root" "$tag"
	log "$tag: booting for the guest commands of every lesson"
	# A lesson that binds a driver to a device-tree node boots with that node added.
	# shellcheck disable=SC2046
	frags=$(lessons_dtb_fragments $(lessons_cell_files "$arch" "$b" "$only"))
	extra=
	if [ -n "$frags" ]; then
		# shellcheck disable=SC2086
		lessons_dtb "$arch" "$b/lessons.dtb" $frags ||
			{ record fail 0 "$tag: the device tree with $(echo $frags)"; count 0 1 0; return 1; }
		extra="-dtb $b/lessons.dtb"
	fi
	QEMU_EXTRA=$extra boot_profile lessons "$b" "$arch" "$b/lessons-console.log" --bin "$stage" \
		--root "$b/lessons-root" --timeout 1800 MODE=m ARCH="$arch" ||
		{ record fail $(( $(date +%s) - t0 )) "$tag: the guest booted"; count 0 1 0; return 1; }
	grep -q '^LKMDEMO-LESSONS-END' "$b/lessons-console.log" ||
		log "$tag: the guest did not finish the lessons; see $b/lessons-console.log"
	# shellcheck disable=SC2046
	python3 "$LESSONS_PY" check "$b/lessons-console.log" "$b" "$(arch_karch "$arch")" "$(arch_cross "$arch")" $(lessons_cell_files "$arch" "$b" "$only") \
		> "$b/lessons-results.tsv" 2> "$b/lessons-diff.txt"
	rc=$?
	while IFS=$'\t' read -r st name; do
		case "$st" in
		pass) record pass $(( $(date +%s) - t0 )) "$tag: $name"; count 1 0 0 ;;
		fail) record fail $(( $(date +%s) - t0 )) "$tag: $name"; count 0 1 0 ;;
		*) record skip 0 "$tag: $name"; count 0 0 1 ;;
		esac
	done < "$b/lessons-results.tsv"
	[ -s "$b/lessons-results.tsv" ] || { record fail $(( $(date +%s) - t0 )) "$tag: no results"; count 0 1 0; }
	# 1 is "a lesson failed" (recorded above); anything else means lessons.py stopped early.
	[ "$rc" -le 1 ] || { record fail $(( $(date +%s) - t0 )) "$tag: lessons.py check stopped (status $rc)"; count 0 1 0; }
	while IFS=$'\t' read -r name why; do
		record skip 0 "$tag: ${name#"$REPO_DIR"/lessons/}: $why"
		count 0 0 1
	done < <(lessons_skipped "$arch" "$b" "$only")
	if [ -s "$b/lessons-diff.txt" ]; then
		while IFS= read -r line; do printf '    %s\n' "$line"; done < "$b/lessons-diff.txt" >&2
	fi
	! grep -q '^fail' "$b/lessons-results.tsv"
}

# lessons_profile <name>: the lessons on the M build of a profile cell (PROFILE=rust: its
# kernel with lkmdemo_rs, built in its userland), as `harness/run lessons PROFILE=<name>`.
lessons_profile()
{
	local p=$1 kver arch label b KCC_LLVM KBUILD_ROOT KMAKE_ARGS
	profile_setup "$p" || return
	prepare_kernel "$kver" || return 0
	log "lessons $label $arch: building (LKMDEMO=m)"
	if ! b=$(cell_build "$kver" "$SRC" "$arch" m "$p"); then
		record fail 0 "lessons $label $arch: build"; count 0 1 0
		return 0
	fi
	lessons_check_cell "$b" "$arch" "$label" config
}

# run_lessons: the `lessons` command.
run_lessons()
{
	local kver arch b
	new_run_dir lessons
	mkdir -p "$WORK_DIR"
	gate "lessons: every command block parses, every file:symbol exists, every quote is its source" lessons_refs
	gate "lessons: every translation is in step with its English source" lessons_translations
	gate "lessons: the transcript comparison fails on a false transcript" lessons_compare_selftest
	gate "lessons: the translation drift check fails on a changed English source" lessons_drift_selftest
	gate "lessons: the code check fails on a changed quoted function and a comment-only name" lessons_code_selftest
	[ -z "${PROFILE:-}" ] || { lessons_profile "$PROFILE"; echo; echo "== lessons =="; summary; return; }
	for kver in $(printf '%s\n' "${SUPPORTED_KVERS[@]}" | tac); do
		[ -n "${KVER:-}" ] && [ "$kver" != "$KVER" ] && continue
		prepare_kernel "$kver" || continue
		gate "lessons: the kernel's checktransupdate.py on the zh_CN driver document, $kver" \
			lessons_checktransupdate "$SRC"
		gate "lessons: checkpatch --strict of $kver on every example" lessons_examples_style "$SRC"
		for arch in "${SUPPORTED_ARCHES[@]}"; do
			[ -n "${ARCH:-}" ] && [ "$arch" != "$ARCH" ] && continue
			log "lessons $kver $arch: building (LKMDEMO=m)"
			if ! b=$(cell_build "$kver" "$SRC" "$arch" m); then
				record fail 0 "lessons $kver $arch: build"; count 0 1 0
				continue
			fi
			lessons_check_cell "$b" "$arch" "$kver"
		done
	done
	echo
	echo "== lessons =="
	summary
}
