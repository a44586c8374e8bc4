# SPDX-License-Identifier: GPL-2.0
# The sparse/W=1 gate of a booted cell: sparse (C=2) and W=1 on our directory of the
# cell's build, with a sparse new enough for every supported kernel. Run by the cells
# unit of the plan (lib/plan.sh) and by profile cells with STATIC=1 (lib/cells.sh).

# static_checks <kver> <arch> <b> <mode>: sparse (C=2) and W=1 on our directory.
static_checks()
{
	local kver=$1 arch=$2 b=$3 mode=$4
	gate "sparse C=2 + W=1, $kver $arch $mode" sparse_w1_clean "$b" "$arch"
	if grep -q '^CONFIG_LKMDEMO_RS=[my]$' "$b/.config"; then
		gate "rustfmt, clippy and W=1 on lkmdemo_rs.rs, $kver $arch $mode" rust_clean "$b" "$arch"
	fi
}

# sparse_w1_clean <b> <arch>: kbuild's C=2 (sparse) and W=1 on drivers/misc/lkmdemo/ of
# the build directory <b>, in the tree it was built from; fails on a warning in our files.
sparse_w1_clean()
{
	local b=$1 arch=$2 out check
	check=$(sparse_bin) || return 1
	# KBUILD_MODULES=1: 5.10 compiles the modules of a directory target only when it is
	# set (later kernels set it themselves); without it, =m files were never checked.
	out=$(kmake "$(readlink -f "$b/source")" "$b" "$arch" C=2 W=1 CHECK="$check" KBUILD_MODULES=1 drivers/misc/lkmdemo/ 2>&1) ||
		{ echo "$out"; return 1; }
	echo "$out"
	# kbuild skips the checker with only a warning when it is too old: that is a failure.
	! grep -q 'not available or not up to date' <<< "$out" || return 1
	grep -q 'CHECK .*drivers/misc/lkmdemo/fifo\.c' <<< "$out" || { echo "sparse did not check fifo.c"; return 1; }
	# Ours are the files of the series; a W=1 warning inside an old kernel's own
	# header (5.10's mmzone.h with gcc 12) is that kernel's, reported but not counted.
	! grep -qE '(drivers/misc/lkmdemo/|include/uapi/linux/lkmdemo\.h)[^ ]*: *(warning|error):' <<< "$out"
}

# sparse_bin: a sparse new enough for every supported kernel. Debian 12's sparse 0.6.4
# cannot parse 7.2's headers (__typeof_unqual__), and kbuild then silently turns C=2
# off ("not available or not up to date"). Build sid's sparse from its source package
# (fetched through a private deb-src configuration), once per source version.
sparse_bin()
{
	local dir uri main sec ver out src lockfd
	dir=$CACHE_DIR/apt/sid-src
	mkdir -p "$dir/lists/partial"
	read -r main sec < <(apt_mirrors)
	echo "deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $main sid main" > "$dir/sources.list"
	set -- -q -o Dir::Etc::SourceList="$dir/sources.list" -o Dir::Etc::SourceParts=/nonexistent \
		-o Dir::State::Lists="$dir/lists" -o Dir::Cache="$dir" -o Dir::State::Status=/dev/null \
		-o Debug::NoLocking=1 -o APT::Sandbox::User=root
	if [ -z "$(find "$dir/updated" -mmin -60 2>/dev/null)" ]; then
		apt-get "$@" update >/dev/null 2>&1 || die "apt-get update (deb-src sid) failed"
		touch "$dir/updated"
	fi
	ver=$(apt-cache "$@" showsrc sparse 2>/dev/null | sed -n 's/^Version: //p' | sort -V | tail -n 1)
	[ -n "$ver" ] || die "no sparse source package in Debian sid"
	out=$CACHE_DIR/sparse/$ver
	exec {lockfd}>"$CACHE_DIR/sparse.lock"
	flock "$lockfd"
	if [ ! -x "$out/sparse" ]; then
		log "building sparse $ver from Debian's source package"
		rm -rf "$out" && mkdir -p "$out/dl" "$out/src" || die "cannot create $out"
		(cd "$out/dl" && apt-get "$@" source --download-only "sparse=$ver" >/dev/null 2>&1) ||
			die "downloading the sparse source failed"
		src=$(ls "$out"/dl/sparse_*.orig.tar.* | head -n 1)
		tar -xf "$src" -C "$out/src" --strip-components=1 &&
			make -s -C "$out/src" -j"$(nproc)" sparse >/dev/null 2>&1 &&
			cp "$out/src/sparse" "$out/sparse" || die "building sparse $ver failed"
	fi
	exec {lockfd}>&-
	echo "$out/sparse"
}
