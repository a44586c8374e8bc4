# SPDX-License-Identifier: GPL-2.0
# Kernel trees: fetch Debian's linux-source-<ver> through a private apt configuration
# (the machine's own mirror, the machine's sources untouched), unpack it once into a
# cache keyed by the exact package version, and make it a git repository with a
# baseline commit so that `git am` can run on it.

# Print "<main-archive-uri> <security-archive-uri>" taken from the machine's apt sources.
apt_mirrors()
{
	local main="" sec="" f line uris="" suites=""

	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[ -r "$f" ] || continue
		while read -r line; do
			set -- $line
			[ "${1:-}" = deb ] || continue
			shift
			case "${1:-}" in \[*) while [ $# -gt 0 ] && [[ $1 != *\] ]]; do shift; done; shift ;; esac
			case "${2:-}" in
			*-security) [ -n "$sec" ] || sec=$1 ;;
			*-updates|*-backports) ;;
			*) [ -n "$main" ] || main=$1 ;;
			esac
		done < "$f"
	done
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -r "$f" ] || continue
		# deb822: stanzas separated by blank lines
		while IFS= read -r line || [ -n "$line" ]; do
			case "$line" in
			URIs:*) uris=${line#URIs:} ;;
			Suites:*) suites=${line#Suites:} ;;
			"")
				apt_mirrors_stanza
				uris="" suites="" ;;
			esac
		done < "$f"
		apt_mirrors_stanza
		uris="" suites=""
	done
	[ -n "$main" ] || die "no Debian archive found in the machine's apt sources"
	# The security archive's URI is the main one's with -security on the path, if not configured.
	[ -n "$sec" ] || sec=${main%/}-security
	echo "${main%/} ${sec%/}"
}

apt_mirrors_stanza()
{
	local u s
	[ -n "$uris" ] && [ -n "$suites" ] || return 0
	u=$(echo $uris | cut -d' ' -f1)
	s=$(echo $suites | cut -d' ' -f1)
	case "$s" in
	*-security) [ -n "$sec" ] || sec=$u ;;
	*-updates|*-backports) ;;
	*) [ -n "$main" ] || main=$u ;;
	esac
}

# Run apt-get/apt-cache against some suites with a private state directory.
# usage: private_apt "<suite> [<suite>...]" <arch> <apt-get|apt-cache> args...
private_apt()
{
	local suites=$1 arch=$2 tool=$3 dir uri main sec suite
	shift 3
	read -r main sec < <(apt_mirrors)
	dir=$CACHE_DIR/apt/${suites// /+}-$arch
	mkdir -p "$dir/lists/partial" "$dir/archives/partial"
	for suite in $suites; do
		case "$suite" in
		*-security) uri=$sec ;;
		*) uri=$main ;;
		esac
		echo "deb [arch=$arch signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $uri $suite main"
	done > "$dir/sources.list"
	"$tool" -q -o Dir::Etc::SourceList="$dir/sources.list" -o Dir::Etc::SourceParts=/nonexistent \
		-o Dir::State::Lists="$dir/lists" -o Dir::Cache="$dir" \
		-o Dir::Cache::Archives="$dir/archives" -o Dir::State::Status=/dev/null \
		-o APT::Architecture="$arch" -o APT::Architectures::="$arch" \
		-o Debug::NoLocking=1 -o APT::Sandbox::User=root "$@"
}

# Refresh a private suite index at most once an hour (a stale index only means an older
# package version, which is still a valid, exactly keyed download).
private_apt_update()
{
	local suite=$1 arch=$2 stamp=$CACHE_DIR/apt/${1// /+}-$2/updated
	if [ -z "$(find "$stamp" -mmin -60 2>/dev/null)" ]; then
		private_apt "$suite" "$arch" apt-get update >/dev/null || die "apt-get update for $suite failed"
		touch "$stamp"
	fi
}

# deb_version <suite> <arch> <pkg>: the newest version of the package in the suites.
deb_version()
{
	local suite=$1 arch=$2 pkg=$3 ver
	private_apt_update "$suite" "$arch"
	ver=$(private_apt "$suite" "$arch" apt-cache show "$pkg" 2>/dev/null |
		sed -n 's/^Version: //p' | sort -V | tail -n 1)
	[ -n "$ver" ] || die "$pkg not found in Debian $suite ($arch)"
	echo "$ver"
}

# Download package <pkg> of <suite>/<arch> into the cache; print the .deb path.
fetch_deb()
{
	local suite=$1 arch=$2 pkg=$3 ver dir deb
	ver=$(deb_version "$suite" "$arch" "$pkg") || exit 1
	dir=$CACHE_DIR/debs
	mkdir -p "$dir"
	deb=$dir/${pkg}_${ver//:/%3a}_$arch.deb
	if [ ! -s "$deb" ]; then
		log "downloading $pkg $ver ($suite, $arch)"
		(mkdir -p "$dir.tmp/$pkg" && cd "$dir.tmp/$pkg" && rm -f ./*.deb &&
		 private_apt "$suite" "$arch" apt-get download "$pkg=$ver" >/dev/null 2>&1 &&
		 mv ./*.deb "$deb") || die "downloading $pkg=$ver failed"
	fi
	echo "$deb"
}

# kernel_source_pkg <kver>: the linux-source package of <kver>. For "next", the one with
# the highest <x.y> in KERNEL_SUITE[next] (sid and experimental): experimental's release
# candidate while there is one, else sid's newest release.
kernel_source_pkg()
{
	local kver=$1 pkg arch
	[ "$kver" = next ] || { echo "linux-source-$kver"; return; }
	arch=$(dpkg --print-architecture)
	private_apt_update "${KERNEL_SUITE[next]}" "$arch"
	pkg=$(private_apt "${KERNEL_SUITE[next]}" "$arch" apt-cache pkgnames linux-source- 2>/dev/null |
		grep -E '^linux-source-[0-9]+\.[0-9]+$' | sort -V | tail -n 1)
	[ -n "$pkg" ] || die "no linux-source-<x.y> package in Debian ${KERNEL_SUITE[next]}"
	echo "$pkg"
}

# Print the path of a pristine git tree of Debian's linux-source-<kver>, creating it once.
# The tree's directory name carries the exact package version: a new upload gets a new tree.
kernel_tree()
{
	local kver=$1 suite=${KERNEL_SUITE[$1]:-} deb ver tree tmp tarball lockfd pkg

	[ -n "$suite" ] || die "unsupported KVER=$kver (supported: ${SUPPORTED_KVERS[*]})"
	# One fetch and unpack per kernel at a time (prefetch_kernels runs them in parallel).
	mkdir -p "$CACHE_DIR/trees"
	exec {lockfd}>"$CACHE_DIR/trees/.lock-$kver"
	flock "$lockfd"
	# arch "all" packages are listed in every binary-<arch> index too; use the host's.
	# The package is downloaded only when its tree is not there yet (CI restores the
	# trees from its cache, keyed by `harness/run kernel-versions`).
	pkg=$(kernel_source_pkg "$kver") || exit 1
	ver=$(kernel_version "$kver") || exit 1
	tree=$CACHE_DIR/trees/$pkg-$ver
	if [ ! -f "$tree/.lkmdemo-baseline" ]; then
		deb=$(fetch_deb "$suite" "$(dpkg --print-architecture)" "$pkg") || exit 1
		[ "$(dpkg-deb -f "$deb" Version)" = "$ver" ] || die "$deb is not version $ver"
		log "unpacking $pkg $ver"
		rm -rf "$tree" "$tree.tmp"
		tmp=$tree.tmp
		mkdir -p "$tmp"
		dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$tmp" --wildcards '*/linux-source-*.tar.*' ||
			die "extracting $deb failed"
		tarball=$(find "$tmp" -name 'linux-source-*.tar.*' | head -n 1)
		mkdir -p "$tmp/src"
		tar -xf "$tarball" -C "$tmp/src" --strip-components=1 || die "unpacking $tarball failed"
		mv "$tmp/src" "$tree"
		rm -rf "$tmp"
		kernel_tree_git_init "$tree" "Debian $pkg $ver"
		echo "$ver" > "$tree/.lkmdemo-baseline"
	fi
	exec {lockfd}>&-
	echo "$tree"
}

# series_base: the pristine kernel tree the series is generated against (gen-series
# --base), whose kunit.py, checkpatch.pl and Sphinx the gates use: the newest supported
# kernel's.
series_base() { kernel_tree "${SUPPORTED_KVERS[-1]}"; }

# kernel_version <kver>: the exact Debian version of linux-source-<kver> that is used.
kernel_version()
{
	local suite=${KERNEL_SUITE[$1]:-}
	[ -n "$suite" ] || die "unsupported KVER=$1 (supported: ${SUPPORTED_KVERS[*]})"
	deb_version "$suite" "$(dpkg --print-architecture)" "$(kernel_source_pkg "$1")"
}

# prefetch_kernels <kver>...: fetch and unpack kernel trees in the background, so the
# downloads overlap the first builds. kernel_tree waits for them through the lock.
prefetch_kernels()
{
	local k
	for k in "$@"; do
		(kernel_tree "$k" >/dev/null 2>"$WORK_DIR/prefetch-$k.log" || true) &
	done
}

# Make <tree> a git repository whose first commit is the pristine source.
kernel_tree_git_init()
{
	local tree=$1 what=$2
	(
		cd "$tree" || exit 1
		# Debian's tarball ignores every top-level path ("/*" at the end of .gitignore):
		# track the tree as shipped by ignoring nothing at the baseline.
		# No automatic gc (it would pack the ~80k objects of the first commit in
		# the background, minutes of CPU that the builds need, holding kernel_tree's
		# lock through the descriptor it inherits) and no zlib for loose objects: the
		# tree is written once and read by local clones.
		git init -q -b baseline . &&
		git config gc.auto 0 && git config maintenance.auto false &&
		git config core.looseCompression 0 &&
		git -c core.excludesFile=/dev/null add -A -f . >/dev/null &&
		git -c user.name=lkmdemo-harness -c user.email=harness@lkmdemo.invalid \
			commit -q -m "baseline: $what" --date='2000-01-01T00:00:00Z'
	) || die "creating the git baseline in $tree failed"
}

# ---- kernel sources --------------------------------------------------------------

# kernel_src <kver>: print the tree to build for <kver> (or for KDIR), series applied.
kernel_src()
{
	local kver=$1 pristine
	if [ -n "${KDIR:-}" ]; then
		user_tree "$KDIR"
		return
	fi
	pristine=$(kernel_tree "$kver") || return 1
	applied_tree "$kver" "$pristine"
}

# prepare_kernel <kver>: SRC = the tree with the series applied by git am (a result).
prepare_kernel()
{
	local kver=$1 t0=$(date +%s) out=$RUN_DIR/git-am-$1.log
	if SRC=$(kernel_src "$kver" 2> "$out"); then
		record pass $(( $(date +%s) - t0 )) "git am of the series onto $kver ($(cat "$SRC/.lkmdemo-baseline"))"
		count 1 0 0
	else
		record fail $(( $(date +%s) - t0 )) "git am of the series onto $kver"
		count 0 1 0
		sed 's/^/    /' "$out" >&2
		return 1
	fi
}

# user_tree <dir>: a user's own kernel tree. One that already has the driver is used as
# it is (out-of-place O= builds); otherwise a private copy gets the series with git am.
user_tree()
{
	local dir key copy
	dir=$(cd "$1" 2>/dev/null && pwd) || die "KDIR=$1: no such directory"
	[ -f "$dir/Makefile" ] && [ -f "$dir/drivers/misc/Kconfig" ] || die "KDIR=$1 is not a kernel source tree"
	if [ -f "$dir/drivers/misc/lkmdemo/Kconfig" ]; then
		[ -f "$dir/.lkmdemo-baseline" ] || echo "kdir-$(echo "$dir" | sha1sum | cut -c1-12)" > "$dir/.lkmdemo-baseline" 2>/dev/null ||
			die "KDIR=$1 already has lkmdemo but is not writable"
		echo "$dir"
		return
	fi
	key=$(echo "$dir" | sha1sum | cut -c1-12)
	copy=$WORK_DIR/src/kdir-$key
	log "copying $dir to $copy to apply the series"
	mkdir -p "$copy"
	rsync -a --delete --exclude=/.git "$dir/" "$copy/" || die "copying $dir failed"
	rm -f "$copy/.lkmdemo-baseline"
	[ -d "$copy/.git" ] && [ "$(git -C "$copy" log -1 --format=%s baseline 2>/dev/null)" = "baseline: $dir" ] ||
		{ rm -rf "$copy/.git"; kernel_tree_git_init "$copy" "$dir"; }
	echo "kdir-$key-$(make -s -C "$copy" kernelversion 2>/dev/null)" > "$copy/.lkmdemo-baseline"
	apply_series "$copy" "$(git -C "$copy" rev-parse baseline)" >&2 || die "the series does not apply to KDIR=$1"
	echo "$copy"
}
