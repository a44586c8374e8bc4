# SPDX-License-Identifier: GPL-2.0
# Debian userlands of other releases, made by debootstrap under the cache, for what the
# host's release cannot do: the field profile builds against Debian 11, 13 and sid's
# kernels with their own compilers and DKMS; the rust profile builds its kernel with
# Debian 13's rustc and bindgen. Nothing of another release is installed into the host.

# userland <suite> <package>...: a minimal Debian <suite> made by debootstrap from the
# machine's mirror with <package>s, once per suite and exact package versions (as the
# private apt lists give them). Prints its root.
userland()
{
	local suite=$1 key main sec r lockfd
	shift
	private_apt_update "$suite" amd64
	key=$(private_apt "$suite" amd64 apt-cache show "$@" 2>/dev/null |
		awk '/^Package: / { p = $2 } /^Version: / { print p "=" $2 }' | sort -u | sha256sum | cut -c1-12)
	r=$CACHE_DIR/userland/$suite-$key
	mkdir -p "$CACHE_DIR/userland"
	exec {lockfd}>"$r.lock"
	flock "$lockfd"
	if [ ! -f "$r/.complete" ]; then
		read -r main sec < <(apt_mirrors)
		log "debootstrap $suite with $*"
		rm -rf "$r"
		debootstrap --variant=minbase --include="$(echo "$@" | tr ' ' ,)" \
			--keyring=/usr/share/keyrings/debian-archive-keyring.gpg "$suite" "$r" "$main" > "$r.log" 2>&1 ||
			{ echo "debootstrap $suite failed, see $r.log:" >&2; tail -n 5 "$r.log" >&2; return 1; }
		touch "$r/.complete"
	fi
	exec {lockfd}>&-
	echo "$r"
}

# userland_exec <root> <command...>: <command> in the userland at <root>, in the current
# directory, with the standard PATH, in a private mount namespace where /proc, /sys,
# /dev, the cache, the work directory and the repository are at their own paths: the
# same paths work on both sides (kmake runs there for a profile with USERLAND).
userland_exec()
{
	local root=$1
	shift
	unshare --mount --propagation private -- bash -c '
		r=$1 dir=$2
		shift 2
		for d in /proc /sys /dev "$@"; do
			[ "$d" = -- ] && break
			mkdir -p "$r$d" && mount --rbind "$d" "$r$d" || exit 125
		done
		while [ "$1" != -- ]; do shift; done
		shift
		exec chroot "$r" env PATH=/usr/sbin:/usr/bin:/sbin:/bin \
			/bin/sh -c "cd \"\$0\" && exec \"\$@\"" "$dir" "$@"' \
		_ "$root" "$PWD" "$CACHE_DIR" "$WORK_DIR" "$REPO_DIR" -- "$@"
}
