# SPDX-License-Identifier: GPL-2.0
# The static gates of `harness/run test` that look at the series and the trees it lands
# in: no drift of patches/, checkpatch, every patch building on its own, get_maintainer.pl.
# (docs_check is in lib/docs.sh, the harness's own gates in lib/selfcheck.sh.)

series_no_drift() { python3 "$HARNESS_DIR/gen-series" --base "$1" --check; }

# checkpatch --strict on every patch. Tolerated, each for a stated reason:
#  - the MAINTAINERS reminder (FILE_PATH_CHANGES) on patches that come before the one
#    adding the entry;
#  - LINUX_VERSION_CODE in drivers/misc/lkmdemo/compat.h, and only there: keeping the
#    version conditionals in that one file is the point of it (one source, 5.10-7.2).
# Anything else, in any patch, fails the gate.
checkpatch_clean()
{
	local tree=$1 p maint_seen=0 out bad=0
	for p in $(sed -e 's/#.*//' "$REPO_DIR/series"); do
		out=$(cd "$tree" && perl scripts/checkpatch.pl --strict --show-types --no-summary "$REPO_DIR/$p" 2>&1)
		grep -q '^+++ b/MAINTAINERS' "$REPO_DIR/$p" && maint_seen=1
		out=$(echo "$out" | awk -v maint="$maint_seen" '
			/^(ERROR|WARNING|CHECK):/ { skip = 0 }
			/^WARNING:FILE_PATH_CHANGES:/ && !maint { skip = 1 }
			/^WARNING:LINUX_VERSION_CODE:/ { held = $0; getline; if ($0 ~ /FILE: drivers\/misc\/lkmdemo\/compat\.h:/) { skip = 1; next } print held }
			!skip')
		if grep -qE '^(ERROR|WARNING|CHECK):' <<< "$out"; then
			echo "== $p"; echo "$out"; bad=1
		else
			echo "$p: clean"
		fi
	done
	return $bad
}

# Each patch builds on its own (bisectable): check out every commit of the series in the
# applied tree and build our directory as modules (with W=1) and built in, in a build
# directory of its own seeded from the tree's N build. The result is kept per (series,
# kernel tree, compiler, arch): the same inputs never need building again.
bisect_builds()
{
	local src=$1 arch=$2 seed=$3 b n c key stamp mode rc=0
	key=$({ series_key; cat "$src/.lkmdemo-baseline"; cc_key "$arch"; echo "$arch"; } | sha256sum | cut -c1-16)
	stamp=$WORK_DIR/bisect-pass-$key
	if [ -f "$stamp" ]; then echo "passed before for this exact series, tree and compiler ($key)"; return 0; fi
	b=$seed
	configure "$src" "$b" "$arch" n || return 1
	cp "$b/.config" "$b/.config.bisect-base"
	n=0
	for c in $(git -C "$src" rev-list --reverse baseline..lkmdemo); do
		n=$((n + 1))
		git -C "$src" checkout -q --detach "$c" || { rc=1; break; }
		echo "== patch $n: $(git -C "$src" log -1 --format=%s "$c")"
		for mode in m y; do
			cp "$b/.config.bisect-base" "$b/.config"
			"$src/scripts/config" --file "$b/.config" --set-val LKMDEMO "$mode" \
				--set-val LKMDEMO_CLIENT m --set-val LKMDEMO_KUNIT_TEST "$mode"
			kmake "$src" "$b" "$arch" -s olddefconfig || { rc=1; break 2; }
			if [ "$mode" = m ]; then
				# vmlinux first, without W=1 (which would recompile the whole
				# kernel): the directory may hold a Y build, whose vmlinux
				# exports our symbols. Relinked once, then unchanged.
				kmake "$src" "$b" "$arch" -s vmlinux || { rc=1; break 2; }
				kmake "$src" "$b" "$arch" -s W=1 modules || { rc=1; break 2; }
			else
				kmake "$src" "$b" "$arch" -s W=1 drivers/misc/ || { rc=1; break 2; }
			fi
		done
	done
	git -C "$src" checkout -q lkmdemo
	[ "$rc" = 0 ] && touch "$stamp"
	return $rc
}

# maintainer_named <tree>: scripts/get_maintainer.pl on every file of ours in the tree
# names the MAINTAINERS entry the series adds.
maintainer_named()
{
	local tree=$1 f out bad=0
	for f in $(cd "$tree" && git diff --name-only baseline lkmdemo -- drivers/misc/lkmdemo include/uapi \
			Documentation tools/testing/selftests | grep lkmdemo); do
		out=$(cd "$tree" && perl scripts/get_maintainer.pl --no-git --no-git-fallback -f "$f" 2>&1)
		if grep -q 'maintainers@users.noreply.r-seed-45eb6060.example' <<< "$out"; then
			echo "$f: $(grep -m1 'lkmdemo maintainers' <<< "$out")"
		else
			echo "$f: not named; get_maintainer.pl said:"; echo "$out"; bad=1
		fi
	done
	return $bad
}
