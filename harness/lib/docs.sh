# SPDX-License-Identifier: GPL-2.0
# Documentation checks of lkmdemo, made with the tools of the kernel tree they land in.
#
#   docs_check <kernel tree with the series applied> <out dir>
#	1. kernel-doc -none -Wall (-v where -Wall is unknown) on drivers/misc/lkmdemo/*.[ch]
#	   and include/uapi/linux/lkmdemo.h: no warning at all;
#	2. every identifier of every `.. kernel-doc::` directive in our pages has a comment;
#	3. the tree's ABI validator (tools/docs/get_abi.py, or scripts/get_abi.pl) over
#	   Documentation/ABI: no complaint about our ABI files;
#	4. make SPHINXDIRS="misc-devices userspace-api translations/zh_CN/misc-devices"
#	   htmldocs: our pages (and the zh_CN translation) are built and no warning
#	   mentions lkmdemo. The big subtrees of userspace-api that our
#	   pages do not touch are excluded, unless DOCS_FULL=1 (about 25 s instead of 3 min
#	   on two cores). Where Sphinx cannot build that tree at all (too old or too new for
#	   the installed Sphinx), the build is reported as skipped and steps 1-3 decide.
#	Logs go to <out dir>, the HTML to <out dir>/html. Returns 0 if all passed, 1 if a
#	check failed, 2 on bad usage.
#
#   abi_paths <ABI file>...
#	Print the What: paths of the files, one per line, for the guest test that checks
#	both directions: every path exists on a booted system, and every file under
#	/sys/module/lkmdemo/parameters/ and /sys/class/misc/lkmdemo/ is documented.
#	The driver core's own files of the device (dev, uevent, power/, subsystem) are
#	documented elsewhere and are not in our files.

# Our files, relative to the top of a kernel tree.
DOCS_PAGES="Documentation/misc-devices/lkmdemo.rst Documentation/userspace-api/lkmdemo.rst
	Documentation/translations/zh_CN/misc-devices/lkmdemo.rst"
# The Sphinx directories of our pages, and the pages they must produce.
DOCS_SPHINXDIRS="misc-devices userspace-api translations/zh_CN/misc-devices"
DOCS_HTML="misc-devices/lkmdemo.html userspace-api/lkmdemo.html translations/zh_CN/misc-devices/lkmdemo.html"
DOCS_ABI="Documentation/ABI/testing/sysfs-driver-lkmdemo Documentation/ABI/testing/sysfs-module-lkmdemo"
DOCS_SOURCES="drivers/misc/lkmdemo/*.[ch] include/uapi/linux/lkmdemo.h"
# Subtrees of userspace-api left out of the quick build: large, and unrelated to our page.
DOCS_EXCLUDE="media/** netlink/** ebpf/** gpio/**"

abi_paths()
{
	[ $# -gt 0 ] || { echo "usage: abi_paths <ABI file>..." >&2; return 2; }
	awk '/^What:/ { sub(/^What:[ \t]*/, ""); sub(/[ \t]+$/, ""); print }' "$@"
}

# docs_say <fmt> <args>...: one line of the report, on stderr.
docs_say()
{
	# shellcheck disable=SC2059
	printf "docs: $1\n" "${@:2}" >&2
}

# docs_python: a python3 that has Sphinx (Debian's python3-sphinx lives in /usr/bin).
docs_python()
{
	local py
	for py in python3 /usr/bin/python3; do
		command -v "$py" >/dev/null 2>&1 && "$py" -c 'import sphinx' 2>/dev/null &&
			{ command -v "$py"; return 0; }
	done
	return 1
}

# docs_ours <tree>: keep the lines of stdin that concern our files. Paths are made
# relative to the tree first, so that a tree or out dir under /var/cache/lkmdemo does
# not count as a mention.
docs_ours()
{
	local tree=$1 out=$2
	sed -e "s#$tree/##g" -e "s#$out/##g" -e "s#${CACHE_DIR:-/var/cache/lkmdemo}/##g" |
		grep -i 'lkmdemo'
}

# docs_kerneldoc <tree> <out>: kernel-doc warnings on our sources.
docs_kerneldoc()
{
	local tree=$1 out=$2 warn=-Wall files log rc
	log=$out/kernel-doc.log
	(cd "$tree" && scripts/kernel-doc -h 2>&1 | grep -c -- '-Wall' >/dev/null) || warn=-v
	# shellcheck disable=SC2086
	files=$(cd "$tree" && ls $DOCS_SOURCES 2>/dev/null)
	[ -n "$files" ] || { docs_say "FAIL kernel-doc: none of %s in %s" "$DOCS_SOURCES" "$tree"; return 1; }
	# shellcheck disable=SC2086
	(cd "$tree" && PYTHONDONTWRITEBYTECODE=1 scripts/kernel-doc -none $warn $files) > "$log" 2>&1
	rc=$?
	if [ $rc -ne 0 ] || grep -qi 'warning\|error' "$log"; then
		docs_say "FAIL kernel-doc -none %s on our sources:" "$warn"
		sed 's/^/    /' "$log" >&2
		return 1
	fi
	docs_say "ok   kernel-doc -none %s: %s" "$warn" "$(echo "$files" | tr '\n' ' ')"
}

# docs_directives <tree> <out>: each `.. kernel-doc:: FILE` with `:identifiers:` or
# `:functions:` in our pages names comments that exist in FILE.
docs_directives()
{
	local tree=$1 out=$2 page src ids id bad=0 n=0
	for page in $DOCS_PAGES; do
		[ -f "$tree/$page" ] || { docs_say "FAIL %s is missing from the tree" "$page"; return 1; }
		while read -r src ids; do
			[ -f "$tree/$src" ] || { docs_say "FAIL %s: kernel-doc file %s does not exist" "$page" "$src"; bad=1; continue; }
			for id in $ids; do
				n=$((n + 1))
				if ! (cd "$tree" && PYTHONDONTWRITEBYTECODE=1 scripts/kernel-doc -rst -function "$id" "$src" 2>>"$out/kernel-doc.log") |
					grep -c "$id" >/dev/null; then
					docs_say "FAIL %s: no kernel-doc comment for %s in %s" "$page" "$id" "$src"
					bad=1
				fi
			done
		done < <(awk '/^\.\. kernel-doc::/ { if (f) print f, ids; f = $3; ids = ""; next }
			f && /^[ \t]+:(identifiers|functions):/ { sub(/^[ \t]+:[a-z]+:[ \t]*/, ""); ids = ids " " $0; next }
			f && !/^[ \t]+:/ { print f, ids; f = "" }
			END { if (f) print f, ids }' "$tree/$page")
	done
	[ $bad -eq 0 ] && docs_say "ok   kernel-doc directives: %d identifier(s) found" "$n"
	return $bad
}

# docs_abi <tree> <out>: the tree's own ABI validator.
docs_abi()
{
	local tree=$1 out=$2 f log py
	log=$out/abi-validate.log
	for f in $DOCS_ABI; do
		[ -f "$tree/$f" ] || { docs_say "FAIL %s is missing from the tree" "$f"; return 1; }
	done
	if [ -x "$tree/tools/docs/get_abi.py" ] || [ -x "$tree/scripts/get_abi.py" ]; then
		f=$tree/tools/docs/get_abi.py
		[ -x "$f" ] || f=$tree/scripts/get_abi.py
		py=$(command -v python3)
		PYTHONDONTWRITEBYTECODE=1 "$py" "$f" --dir "$tree/Documentation/ABI" validate > "$log" 2>&1
	elif [ -x "$tree/scripts/get_abi.pl" ]; then
		f=$tree/scripts/get_abi.pl
		perl "$f" --dir "$tree/Documentation/ABI" validate > "$log" 2>&1
	else
		docs_say "FAIL no ABI validator (tools/docs/get_abi.py, scripts/get_abi.pl) in %s" "$tree"
		return 1
	fi
	if docs_ours "$tree" "$out" < "$log" | grep -c . >/dev/null; then
		docs_say "FAIL %s validate complains about our ABI files:" "${f#"$tree"/}"
		docs_ours "$tree" "$out" < "$log" | sed 's/^/    /' >&2
		return 1
	fi
	# shellcheck disable=SC2086
	docs_say "ok   %s validate: %d What: entries of ours" "${f#"$tree"/}" \
		"$(cd "$tree" && abi_paths $DOCS_ABI | wc -l)"
}

# docs_html <tree> <out>: the real Sphinx build of the two directories our pages are in.
# Returns 0 if clean, 1 if a warning concerns us, 3 if Sphinx cannot build this tree.
docs_html()
{
	local tree=$1 out=$2 log py opts="" p t0 rc
	log=$out/htmldocs.log
	py=$(docs_python) || { docs_say "SKIP htmldocs: no python3 with Sphinx (apt-get install python3-sphinx python3-yaml)"; return 3; }
	if [ "$DOCS_FULL" != 1 ]; then
		opts="-D exclude_patterns=$(echo "$DOCS_EXCLUDE" | tr ' ' ,)"
	fi
	rm -rf "$out/html"
	t0=$(date +%s)
	# No O=: a tree built in place refuses O=. BUILDDIR keeps the output out of the tree.
	PATH=$(dirname "$py"):$PATH PYTHONDONTWRITEBYTECODE=1 \
	make -C "$tree" -s PYTHON3="$py" BUILDDIR="$out/html" SPHINXOPTS="$opts" \
		SPHINXDIRS="$DOCS_SPHINXDIRS" htmldocs > "$log" 2>&1
	rc=$?
	docs_say "     htmldocs took %ds (log: %s)" $(( $(date +%s) - t0 )) "$log"
	if docs_ours "$tree" "$out" < "$log" | grep -E -i -q 'warning|error|critical|severe|exception'; then
		docs_say "FAIL htmldocs: warnings about our pages:"
		docs_ours "$tree" "$out" < "$log" | grep -E -i 'warning|error|critical|severe|exception' |
			sed 's/^/    /' >&2
		return 1
	fi
	for p in $DOCS_HTML; do
		[ -s "$out/html/$p" ] && continue
		if [ $rc -ne 0 ]; then
			docs_say "SKIP htmldocs: Sphinx %s cannot build this tree (exit %d, nothing about lkmdemo):" \
				"$("$py" -c 'import sphinx; print(sphinx.__version__)')" $rc
			grep -E -i 'error|exception|version' "$log" | tail -n 5 | sed 's/^/    /' >&2
			return 3
		fi
		docs_say "FAIL htmldocs: %s was not built" "$p"
		return 1
	done
	docs_say "ok   htmldocs SPHINXDIRS=\"%s\"%s: no warning about lkmdemo" "$DOCS_SPHINXDIRS" \
		"$([ -n "$opts" ] && echo " (without $DOCS_EXCLUDE)")"
}

docs_check()
{
	local tree out bad=0 rc
	if [ $# -ne 2 ] || [ ! -d "$1/Documentation" ]; then
		echo "usage: docs_check <kernel tree with lkmdemo applied> <out dir>" >&2
		return 2
	fi
	tree=$(cd "$1" && pwd) || return 2
	mkdir -p "$2" && out=$(cd "$2" && pwd) || return 2
	: > "$out/kernel-doc.log"
	docs_say "checking %s (%s)" "$tree" "$(make -s -C "$tree" kernelversion 2>/dev/null)"
	docs_kerneldoc "$tree" "$out" || bad=1
	docs_directives "$tree" "$out" || bad=1
	docs_abi "$tree" "$out" || bad=1
	docs_html "$tree" "$out"
	rc=$?
	[ $rc -eq 1 ] && bad=1
	if [ $bad -eq 0 ]; then
		docs_say "PASS%s" "$([ $rc -eq 3 ] && echo " (htmldocs skipped)")"
	else
		docs_say "FAIL"
	fi
	return $bad
}
