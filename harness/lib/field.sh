# SPDX-License-Identifier: GPL-2.0
# The field: lkmdemo built the ways its users build it, against a Debian release's own
# production kernel rather than one the harness configured. The kernel image, headers
# and kbuild packages of one exact version are fetched through the private apt lists
# and unpacked under the cache (never installed into the host). Then:
#   (a) the out-of-tree build exactly as the README says, `make sign` with a key made
#       for this run, and the Makefile's one-line answers to bad input;
#   (b) dkms add/build/install/remove with the repository's dkms.conf in a private
#       DKMS tree, signed with DKMS's own (generated) key;
#   (c) that Debian kernel booted in QEMU (TCG) once with the README-built modules and
#       once with the DKMS-built ones, running the guest tests that apply to a module
#       build, and the taint flags the modules give the kernel read back and compared.
#
# usage: harness/run field [DEBIAN="12 13 11 sid"]   (default 12; several in one run)
# Sourced by harness/run (needs common.sh, kernel.sh, build.sh, guest.sh, docs.sh and the
# other files harness/run sources); runs as root (debootstrap, chroot, dkms).

# Debian release -> the suites its kernel comes from (the newest version in any of them),
# and the suite of the userland to build in when the host's (Debian 12) cannot: the
# headers name their release's compiler (gcc-10 for 11, gcc-14 for 13) and the kbuild
# tools of 13 and sid need a newer glibc. That userland is made by debootstrap from the
# machine's mirror under the cache, keyed by suite and package versions, and entered
# with chroot (never installed into the host).
declare -A FIELD_SUITES=([11]="bullseye bullseye-security" [12]="bookworm bookworm-security"
			 [13]="trixie trixie-security" [sid]=sid)
declare -A FIELD_USERLAND=([11]=bullseye [13]=trixie [sid]=sid)
FIELD_RELEASES=(12 13 11 sid)
FIELD_DEFAULT=12

# Taint flags (kernel/panic.c, Documentation/admin-guide/tainted-kernels.rst) of a
# module built out of tree on a kernel with CONFIG_MODULE_SIG: O (bit 12,
# TAINT_OOT_MODULE: no "intree" in its modinfo) and E (bit 13, TAINT_UNSIGNED_MODULE:
# no signature the kernel can verify - DKMS's key is not in Debian's keyring either).
FIELD_TAINT=OE
FIELD_TAINTED=$(( (1 << 12) | (1 << 13) ))

# field_step <name> <command...>: one checked step of the field run, one result.
field_step()
{
	local name=$1 t0=$(date +%s) out
	shift
	out=$RUN_DIR/field-$(echo "$name" | tr -c 'a-zA-Z0-9.\n' _ | cut -c1-80).log
	if "$@" > "$out" 2>&1; then
		record pass $(( $(date +%s) - t0 )) "$name"; count 1 0 0
		grep '^SHOW ' "$out" | sed 's/^SHOW /    /' >&2
	else
		record fail $(( $(date +%s) - t0 )) "$name"; count 0 1 0
		sed 's/^/    /' "$out" | tail -n 40 >&2
		return 1
	fi
}

# field_version <suites>: print "<package version> <kernel release>" of the newest
# linux-image-amd64 in <suites>, e.g. "6.1.192-3 6.1.0-57-amd64".
field_version()
{
	local suites=$1
	private_apt_update "$suites" amd64
	private_apt "$suites" amd64 apt-cache show linux-image-amd64 2>/dev/null |
		awk '/^Version: / { v = $2 }
		     /^Depends: / { for (i = 2; i <= NF; i++) if ($i ~ /^linux-image-/) { print v, substr($i, 13); break } }' |
		sort -V | tail -n 1
}

# field_fetch <suites> <version> <krel>: download the image, the headers, and the common
# headers and kbuild packages the headers depend on; fail unless every one is exactly
# <version>. Prints the .debs.
field_fetch()
{
	local suites=$1 ver=$2 krel=$3 p deb hdr img
	hdr=$(fetch_deb "$suites" amd64 "linux-headers-$krel") || return 1
	img=$(fetch_deb "$suites" amd64 "linux-image-$krel") || return 1
	for p in "linux-image-$krel" "linux-headers-$krel" \
		 $(field_deps "$img" | grep -E '^linux-(binary|modules|base)-' | sort -u) \
		 $(dpkg-deb -f "$hdr" Depends | tr ',|' '\n\n' | sed 's/(.*//; s/ //g' |
		   grep -E '^linux-(headers-.*-common|kbuild-)' | sort -u); do
		deb=$(fetch_deb "$suites" amd64 "$p") || return 1
		[ "$(dpkg-deb -f "$deb" Version)" = "$ver" ] ||
			{ echo "$p is $(dpkg-deb -f "$deb" Version) in $suites, not $ver" >&2; return 1; }
		echo "$deb"
	done
}

# re_escape <text>: <text> as an extended regular expression matching only itself
# (Debian 13's kernel releases have a +).
re_escape() { printf '%s' "$1" | sed 's/[.+*?^$()|{}]/\\&/g'; }

# field_image_files <deb> <krel> <dir>: of a kernel image package (Debian 14 splits it
# into linux-binary-* and linux-modules-*) only /boot and the modules.* lists.
field_image_files()
{
	local deb=$1 krel=$2 dir=$3 members
	members=$(dpkg-deb --fsys-tarfile "$deb" | tar -t |
		grep -E "^\./(boot/.|(usr/)?lib/modules/$(re_escape "$krel")/(vmlinuz|modules\.(builtin|builtin\.modinfo|order))\$)") ||
		return 0
	dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$dir" $members
}

# field_unpack <version> <krel> <deb>...: unpack once under the cache, keyed by the exact
# package version, and fix what assumes an installation in /: the headers' Makefile
# names /usr/src paths (the common headers' Makefile, Debian 14's KBUILD_OUTPUT), and
# /lib/modules/<krel>/build and source are absolute links. Of the image only /boot and the modules.* lists are
# kept (the Debian modules themselves are not needed). Prints the root.
field_unpack()
{
	local ver=$1 krel=$2 root tmp deb lockfd common
	shift 2
	root=$CACHE_DIR/field/debian-amd64-$ver
	mkdir -p "$CACHE_DIR/field"
	exec {lockfd}>"$root.lock"
	flock "$lockfd"
	# Unpacked and still intact (a kernel build directory keeps its auto.conf).
	if [ ! -f "$root/.unpacked" ] || [ ! -f "$root/usr/src/linux-headers-$krel/include/config/auto.conf" ] ||
	   [ ! -f "$root/usr/src/linux-headers-$krel/include/generated/autoconf.h" ]; then
		log "unpacking Debian's $krel ($ver)"
		tmp=$root.tmp
		rm -rf "$root" "$tmp"
		mkdir -p "$tmp"
		for deb in "$@"; do
			case "$deb" in
			*/linux-image-*|*/linux-binary-*|*/linux-modules-*|*/linux-base-*)
				field_image_files "$deb" "$krel" "$tmp" ;;
			*)	dpkg-deb -x "$deb" "$tmp" ;;
			esac || { echo "unpacking $deb failed" >&2; return 1; }
		done
		# Debian 13 and later (merged /usr) ship /usr/lib/modules; 14 has the kernel
		# image there too, not in /boot.
		if [ -d "$tmp/usr/lib/modules/$krel" ]; then
			mkdir -p "$tmp/lib/modules/$krel" && cp -a "$tmp/usr/lib/modules/$krel/." "$tmp/lib/modules/$krel/" &&
				rm -rf "$tmp/usr/lib/modules/$krel"
		fi
		if [ ! -f "$tmp/boot/vmlinuz-$krel" ] && [ -f "$tmp/lib/modules/$krel/vmlinuz" ]; then
			mkdir -p "$tmp/boot" && mv "$tmp/lib/modules/$krel/vmlinuz" "$tmp/boot/vmlinuz-$krel"
		fi
		[ -f "$tmp/boot/vmlinuz-$krel" ] || { echo "no vmlinuz in the image packages" >&2; return 1; }
		common=$(sed -n 's|^include \(/usr/src/.*\)/Makefile$|\1|p' "$tmp/usr/src/linux-headers-$krel/Makefile")
		[ -n "$common" ] || { echo "unexpected linux-headers-$krel/Makefile" >&2; return 1; }
		# Debian 14's also sets KBUILD_OUTPUT=/usr/src/linux-headers-<krel>.
		sed -i "s|/usr/src/|$root/usr/src/|g" "$tmp/usr/src/linux-headers-$krel/Makefile"
		ln -sfn "$root/usr/src/linux-headers-$krel" "$tmp/lib/modules/$krel/build"
		ln -sfn "$root$common" "$tmp/lib/modules/$krel/source"
		touch "$tmp/.unpacked"
		mv "$tmp" "$root"
	fi
	exec {lockfd}>&-
	echo "$root"
}

# field_deps <deb>: the packages <deb> depends on (first of alternatives), one a line.
field_deps()
{
	dpkg-deb -f "$1" Depends | tr ',' '\n' | sed 's/|.*//; s/(.*//; s/ //g; /^$/d'
}

# field_exec <dir> <command...>: run <command> in <dir>, on the host, or with FIELD_CHROOT
# set in that userland (chroot in a private mount namespace), where the cache's field
# directory, our work directory and the repository are mounted at their own paths: the
# same paths work on both sides.
field_exec()
{
	local dir=$1
	shift
	if [ -z "${FIELD_CHROOT:-}" ]; then
		(cd "$dir" && "$@")
		return
	fi
	# The unpacked kernel packages and the repository are mounted read-only: nothing
	# run in there may change them (dkms 2.x "prepares" a --kernelsourcedir with
	# make mrproper unless told not to).
	unshare --mount --propagation private -- bash -c '
		r=$1 dir=$2 n=$3
		shift 3
		while [ "$n" -gt 0 ]; do
			mkdir -p "$r${1#*:}" && mount --rbind "${1#*:}" "$r${1#*:}" || exit 125
			case "$1" in ro:*) mount -o remount,bind,ro "$r${1#*:}" || exit 125 ;; esac
			shift; n=$((n - 1))
		done
		exec chroot "$r" /bin/sh -c "cd \"\$0\" && exec \"\$@\"" "$dir" "$@"' \
		_ "$FIELD_CHROOT" "$dir" 6 rw:/proc rw:/sys rw:/dev "ro:$CACHE_DIR/field" "rw:$WORK_DIR/field" \
		"ro:$REPO_DIR" "$@"
}

# field_sources <dir>: the files a user of the README needs, copied (the repository's
# own directory stays clean, and runs do not share build products).
field_sources()
{
	local dir=$1
	rm -rf "$dir"
	mkdir -p "$dir/drivers/misc/lkmdemo" "$dir/include/uapi/linux"
	cp "$REPO_DIR"/drivers/misc/lkmdemo/{*.c,*.h,Kbuild,Kconfig,Makefile} "$dir/drivers/misc/lkmdemo/" &&
		cp "$REPO_DIR/include/uapi/linux/lkmdemo.h" "$dir/include/uapi/linux/"
}

# field_readme_build <dir> <kdir> <krel>: `make -C drivers/misc/lkmdemo KDIR=...`
field_readme_build()
{
	local dir=$1 kdir=$2 krel=$3 m vm
	field_sources "$dir" || return 1
	field_exec "$dir" make -C drivers/misc/lkmdemo KDIR="$kdir" || return 1
	for m in lkmdemo lkmdemo_client; do
		vm=$(modinfo -F vermagic "$dir/drivers/misc/lkmdemo/$m.ko") || return 1
		echo "SHOW $m.ko: vermagic $vm"
		[ "${vm%% *}" = "$krel" ] || { echo "$m.ko is for ${vm%% *}, not $krel"; return 1; }
	done
}

# field_sign <dir> <kdir> <keydir>: `make sign` (after a build in <dir>) with a key made
# for this run; the signer modinfo reads back must be that key's.
field_sign()
{
	local dir=$1 kdir=$2 keys=$3 cn="lkmdemo field run $$" m s
	rm -rf "$keys" && mkdir -p "$keys"
	openssl req -new -x509 -nodes -days 2 -subj "/CN=$cn" -newkey rsa:2048 \
		-keyout "$keys/key.pem" -outform DER -out "$keys/cert.der" >/dev/null 2>&1 || return 1
	field_exec "$dir" make -C drivers/misc/lkmdemo KDIR="$kdir" sign \
		SIGN_KEY="$keys/key.pem" SIGN_CERT="$keys/cert.der" || return 1
	for m in lkmdemo lkmdemo_client; do
		s=$(modinfo -F signer "$dir/drivers/misc/lkmdemo/$m.ko")
		echo "SHOW $m.ko signed by make sign: signer '$s', hash $(modinfo -F sig_hashalgo "$dir/drivers/misc/lkmdemo/$m.ko")"
		[ "$s" = "$cn" ] || return 1
	done
}

# field_bad_input <dir> <root> <krel>: each bad input gets exactly one line, naming the
# problem, and make fails. And the Makefile passes LLVM=1 for a clang-built kernel.
field_bad_input()
{
	local dir=$1 root=$2 krel=$3 kdir fake bad=0 out f
	kdir=$root/usr/src/linux-headers-$krel
	fake=$dir-fake
	rm -rf "$fake"
	# A build directory whose kernel has no module support, and one for 32-bit ARM.
	for f in nomod arm clang; do
		mkdir -p "$fake/$f/include/config" "$fake/$f/scripts/mod" "$fake/$f/include/generated"
		touch "$fake/$f/Makefile" "$fake/$f/Module.symvers" "$fake/$f/scripts/mod/modpost" \
			"$fake/$f/include/generated/autoconf.h"
	done
	grep -v '^CONFIG_MODULES=' "$kdir/include/config/auto.conf" > "$fake/nomod/include/config/auto.conf"
	sed 's/^CONFIG_X86=y/CONFIG_ARM=y/' "$kdir/include/config/auto.conf" > "$fake/arm/include/config/auto.conf"
	sed 's/^CONFIG_CC_IS_GCC=y/CONFIG_CC_IS_CLANG=y/' "$kdir/include/config/auto.conf" > "$fake/clang/include/config/auto.conf"
	if [ ! -e "/lib/modules/$krel/build" ]; then
		field_one_line "$dir" "no headers: install linux-headers-$krel" \
			"apt install linux-headers-$krel" KERNELRELEASE="$krel" || bad=1
	fi
	field_one_line "$dir" "KDIR does not exist" "does not exist" KDIR=/nonexistent || bad=1
	field_one_line "$dir" "KDIR is a source tree, not a build directory" \
		"not a configured kernel build directory" KDIR="$(readlink "$root/lib/modules/$krel/source")" || bad=1
	field_one_line "$dir" "KERNELRELEASE is not the KDIR's" "not of KERNELRELEASE=0.0.0-other" \
		KDIR="$kdir" KERNELRELEASE=0.0.0-other || bad=1
	field_one_line "$dir" "kernel without CONFIG_MODULES" "CONFIG_MODULES is not set" KDIR="$fake/nomod" || bad=1
	field_one_line "$dir" "headers of another architecture" "CONFIG_ARM=y, no CONFIG_X86" KDIR="$fake/arm" || bad=1
	field_one_line "$dir" "sign without a key" "no signing key" KDIR="$kdir" sign || bad=1
	# Not bad input: a clang-built kernel's modules are built with LLVM=1, unless LLVM=.
	out=$(field_exec "$dir" make -s -n -C drivers/misc/lkmdemo KDIR="$fake/clang" 2>&1)
	echo "SHOW clang-built kernel (CONFIG_CC_IS_CLANG=y): $(grep -o 'make -C .* modules' <<< "$out")"
	grep -q "M=.* LLVM=1 modules" <<< "$out" || { echo "no LLVM=1 for a clang-built kernel: $out"; bad=1; }
	out=$(field_exec "$dir" make -s -n -C drivers/misc/lkmdemo KDIR="$fake/clang" LLVM= 2>&1)
	! grep -q "LLVM=1" <<< "$out" || { echo "LLVM= did not keep gcc: $out"; bad=1; }
	out=$(field_exec "$dir" make -s -n -C drivers/misc/lkmdemo KDIR="$kdir" 2>&1)
	! grep -q "LLVM=" <<< "$out" || { echo "LLVM= for a gcc-built kernel: $out"; bad=1; }
	return $bad
}

# field_one_line <dir> <what> <expected text> <make args...>
field_one_line()
{
	local dir=$1 what=$2 want=$3 out rc
	shift 3
	out=$(field_exec "$dir" make -s -C drivers/misc/lkmdemo "$@" 2>&1)
	rc=$?
	if [ "$rc" != 0 ] && [ "$(echo "$out" | wc -l)" = 1 ] && grep -qF "lkmdemo: " <<< "$out" &&
	   grep -qF -- "$want" <<< "$out"; then
		echo "SHOW $what: $out"
		return 0
	fi
	echo "$what (make $*): exit $rc, expected one line with '$want', got:"
	echo "$out"
	return 1
}

# field_dkms <repo> <root> <krel> <dkms dir>: dkms add, build, install in a private DKMS
# tree (--dkmstree/--sourcetree/--installtree), signed with DKMS's own key, generated
# in the private tree as Debian's dkms generates /var/lib/dkms/mok.key.
field_dkms()
{
	local repo=$1 root=$2 krel=$3 d=$4 ver kdir m s st out dv
	kdir=$root/usr/src/linux-headers-$krel
	rm -rf "$d"
	mkdir -p "$d/tree" "$d/src" "$d/lib/modules/$krel" "$d/keys"
	ver=$(bash -c '. "$1/dkms.conf"; echo "$PACKAGE_VERSION"' _ "$repo")
	[ -n "$ver" ] || { echo "no PACKAGE_VERSION from dkms.conf"; return 1; }
	echo "SHOW dkms.conf: lkmdemo version $ver"
	field_dkms_cmd "$d" "$kdir" add "$repo" || return 1
	# "dkms-3.0.10", "dkms-3.2.2", "dkms:2.8"
	dv=$(field_exec / dkms --version | sed -n 's/^dkms[-: ]*\([0-9]\)/\1/p')
	[ -n "$dv" ] || { echo "cannot read dkms --version"; return 1; }
	# dkms before 3.0 runs make mrproper in a --kernelsourcedir unless told not to.
	out=$(field_dkms_cmd "$d" "$kdir" build "lkmdemo/$ver" -k "$krel" --kernelsourcedir "$kdir" --verbose \
		$(dkms_signs "$dv" || echo --no-prepare-kernel --no-clean-kernel)) ||
		{ echo "$out"; cat "$d/tree/lkmdemo/$ver/build/make.log" 2>/dev/null; return 1; }
	echo "$out"
	echo "SHOW dkms ran: $(grep -oE "make .*KERNELRELEASE=$(re_escape "$krel").*" <<< "$out" | sed 's/\.*$//; s/;* *}* >>.*//; s/; }$//' | head -n 1)"
	# --no-depmod: dkms's depmod would look at the host's /lib/modules.
	field_dkms_cmd "$d" "$kdir" install "lkmdemo/$ver" -k "$krel" --no-depmod || return 1
	st=$(field_dkms_cmd "$d" "$kdir" status lkmdemo) || return 1
	echo "SHOW dkms status: $st"
	# dkms 3 writes "lkmdemo/1.0, <krel>, ...", dkms 2 "lkmdemo, 1.0, <krel>, ...".
	case "$st" in
	"lkmdemo/$ver, $krel, x86_64: installed"|"lkmdemo, $ver, $krel, x86_64: installed") ;;
	*) return 1 ;;
	esac
	echo "SHOW $(dkms_signs "$dv" && echo "dkms $dv signs with its own key" || echo "dkms $dv does not sign (signing came with 3.0)")"
	for m in lkmdemo lkmdemo_client; do
		s=$(modinfo -F signer "$d/lib/modules/$krel/updates/dkms/$m.ko") || return 1
		echo "SHOW $m.ko installed by dkms in /lib/modules/$krel/updates/dkms, signer '$s'"
		if dkms_signs "$dv"; then [ "$s" = "DKMS module signing key" ] || return 1; else [ -z "$s" ] || return 1; fi
	done
	echo "$ver" > "$d/version"
}

# dkms_signs <dkms version>: Debian's dkms signs what it builds since 3.0.
dkms_signs() { [ "${1%%.*}" -ge 3 ] 2>/dev/null; }

# field_dkms_remove <dkms dir> <root> <krel>: dkms remove --all; nothing may be left.
field_dkms_remove()
{
	local d=$1 root=$2 krel=$3 kdir left
	kdir=$root/usr/src/linux-headers-$krel
	field_dkms_cmd "$d" "$kdir" remove "lkmdemo/$(cat "$d/version")" --all --no-depmod || return 1
	left=$(find "$d/lib/modules" -name '*.ko*'; field_dkms_cmd "$d" "$kdir" status lkmdemo)
	echo "SHOW after dkms remove: ${left:-no module installed, dkms status empty}"
	[ -z "$left" ]
}

# field_dkms_cmd <dkms dir> <kdir> <dkms args...>: dkms with the private trees, Debian's
# sign-file from the unpacked kbuild and a key of its own.
field_dkms_cmd()
{
	local d=$1 kdir=$2 cmd=$3
	shift 3
	field_exec / env sign_file="$kdir/scripts/sign-file" mok_signing_key="$d/keys/mok.key" \
		mok_certificate="$d/keys/mok.pub" \
		dkms "$cmd" --dkmstree "$d/tree" --sourcetree "$d/src" --installtree "$d/lib/modules" "$@"
}

# field_kselftest <out> <tree>: the kselftest, 64-bit and 32-bit, built against the
# repository's uapi header with the kselftest framework of <tree>, Debian's
# linux-source of the same kernel (the headers package has no selftests). Prints the
# bin directory.
field_kselftest()
{
	local out=$1 base=$2 t
	rm -rf "$out" && mkdir -p "$out/bin" "$out/64" "$out/32" "$out/tools/testing/selftests/drivers/misc"
	cp "$base"/tools/testing/selftests/{lib.mk,kselftest.h,kselftest_harness.h} "$out/tools/testing/selftests/" &&
		cp -r "$REPO_DIR/tools/testing/selftests/drivers/misc/lkmdemo" "$out/tools/testing/selftests/drivers/misc/" ||
		return 1
	t=$out/tools/testing/selftests/drivers/misc/lkmdemo
	make -s -C "$t" OUTPUT="$out/64" KHDR_INCLUDES="-isystem $REPO_DIR/include/uapi" LDFLAGS=-static >&2 &&
		make -s -C "$t" OUTPUT="$out/32" ARCH=x86 CROSS_COMPILE=i686-linux-gnu- \
			KHDR_INCLUDES="-isystem $REPO_DIR/include/uapi" LDFLAGS=-static >&2 || return 1
	cp "$out/64/lkmdemo_test" "$out/bin/lkmdemo_test" && cp "$out/32/lkmdemo_test" "$out/bin/lkmdemo_test_32" || return 1
	echo "$out/bin"
}

# field_boot <name> <root> <krel> <subdir> <ko dir> <bin dir> <tree>: boot Debian's
# vmlinuz with the modules installed in /lib/modules/<krel>/<subdir>, run the guest
# tests, and count their verdict. usr/gen_init_cpio is built from the linux-source <tree>.
field_boot()
{
	local name=$1 root=$2 krel=$3 sub=$4 kos=$5 bin=$6 base=$7 b t0=$(date +%s) v
	b=$WORK_DIR/field/$(echo "$name" | tr -c "a-zA-Z0-9\n" -)
	rm -rf "$b" && mkdir -p "$b/modroot/lib/modules/$krel/$sub" "$b/usr"
	cp "$kos"/*.ko "$b/modroot/lib/modules/$krel/$sub/" &&
		cp "$root/lib/modules/$krel"/modules.{builtin,builtin.modinfo,order} "$b/modroot/lib/modules/$krel/" &&
		depmod -b "$b/modroot" "$krel" || { record fail 0 "$name: modules staged"; count 0 1 0; return 1; }
	gcc -O2 -o "$b/usr/gen_init_cpio" "$base/usr/gen_init_cpio.c" ||
		{ record fail 0 "$name: usr/gen_init_cpio"; count 0 1 0; return 1; }
	log "$name: booting Debian's vmlinuz-$krel in QEMU"
	# The ABI files' What: paths come from the repository (Debian's tree has none of ours).
	v=$(boot_profile field "$b" x86_64 "$b/console.log" --kernel "$root/boot/vmlinuz-$krel" \
		--tree "$REPO_DIR" --bin "$bin" --accel tcg --verdict "$b/verdict.txt" \
		MODE=m ARCH=x86_64 TAINT="$FIELD_TAINT" TAINTED="$FIELD_TAINTED")
	grep '^# taint' "$b/console.log" | tr -d '\r' | sed "s/^# /    $name: /" >&2
	printf '%-28s %-28s %-10s %s\n' "$name" "$krel" \
		"$(tr -d '\r' < "$b/console.log" | sed -n 's|^# taint: /proc/sys/kernel/tainted=\([0-9]*\) .*|\1|p')" \
		"$(tr -d '\r' < "$b/console.log" | sed -n 's|^# taint: .* /sys/module/lkmdemo/taint=\([A-Z]*\) .*|\1|p')" \
		>> "$RUN_DIR/field-taint.txt"
	record_verdict "$name: guest tests in Debian's $krel" "$t0" "$b/console.log" $v
}

# field_userland_step <suite> <deb>...: the userland for these kernel packages: their
# compiler, their kbuild tools' libraries, make, dkms, openssl and kmod. Its root goes
# to $w/userland.
field_userland_step()
{
	local suite=$1 hdr kb r
	shift
	hdr=$(printf '%s\n' "$@" | grep '/linux-headers-.*-amd64_')
	kb=$(printf '%s\n' "$@" | grep '/linux-kbuild-')
	r=$(userland "$suite" make dkms openssl kmod \
		$(field_deps "$hdr" | grep -E '^(gcc-[0-9]+(-for-host)?|linux-compiler-.*)$') \
		$(field_deps "$kb" | sort -u)) || return 1
	echo "SHOW userland: $r ($(chroot "$r" sh -c 'for c in /usr/bin/gcc-[0-9]*; do "$c" --version; done' |
		head -n 1), $(chroot "$r" ldd --version | head -n 1))"
	echo "$r" > "$w/userland"
}

# field_release <release>: everything above for one Debian release.
field_release()
{
	local rel=$1 suites=${FIELD_SUITES[$1]:-} ver krel debs root w kdir bin t0 series tree
	[ -n "$suites" ] || die "DEBIAN=$rel is not supported (supported: ${FIELD_RELEASES[*]})"
	w=$WORK_DIR/field/debian$rel
	mkdir -p "$w"
	t0=$(date +%s)
	read -r ver krel < <(field_version "$suites")
	[ -n "${krel:-}" ] || die "no linux-image-amd64 in Debian $suites"
	if ! debs=$(field_fetch "$suites" "$ver" "$krel" 2> "$RUN_DIR/field-fetch-$rel.log") ||
	   ! root=$(field_unpack "$ver" "$krel" $debs 2>> "$RUN_DIR/field-fetch-$rel.log"); then
		record fail $(( $(date +%s) - t0 )) "Debian $rel: fetch and unpack $krel ($ver)"; count 0 1 0
		sed 's/^/    /' "$RUN_DIR/field-fetch-$rel.log" >&2
		return 1
	fi
	record pass $(( $(date +%s) - t0 )) "Debian $rel: fetch and unpack linux-image/headers/kbuild of $krel ($ver)"
	count 1 0 0
	kdir=$root/usr/src/linux-headers-$krel
	series=$(echo "$krel" | cut -d. -f1,2)
	FIELD_CHROOT=""
	if [ -n "${FIELD_USERLAND[$rel]:-}" ]; then
		field_step "Debian $rel: a ${FIELD_USERLAND[$rel]} userland to build in (debootstrap)" \
			field_userland_step "${FIELD_USERLAND[$rel]}" $debs || return 1
		FIELD_CHROOT=$(cat "$w/userland")
	fi

	field_step "Debian $rel: out of tree as the README says (make -C drivers/misc/lkmdemo KDIR=...)" \
		field_readme_build "$w/oot" "$kdir" "$krel"
	field_step "Debian $rel: bad input gets one line from the Makefile; clang-built kernels get LLVM=1" \
		field_bad_input "$w/oot" "$root" "$krel"
	field_step "Debian $rel: dkms add, build (KERNELRELEASE=$krel), install, status, signer" \
		field_dkms "$REPO_DIR" "$root" "$krel" "$w/dkms"

	# Debian's linux-source of the same kernel series (for the kselftest framework and
	# gen_init_cpio), else the newest tree.
	if [ -n "${KERNEL_SUITE[$series]:-}" ]; then tree=$(kernel_tree "$series"); else tree=$(series_base); fi ||
		{ record fail 0 "Debian $rel: linux-source tree for the kselftest"; count 0 1 0; return 1; }
	if ! bin=$(field_kselftest "$w/kselftest" "$tree" 2> "$RUN_DIR/field-kselftest.log"); then
		log "the kselftest did not build (see $RUN_DIR/field-kselftest.log); its guest test fails"
		bin=""
	fi
	if [ -f "$w/oot/drivers/misc/lkmdemo/lkmdemo.ko" ]; then
		field_boot "Debian $rel README build" "$root" "$krel" extra "$w/oot/drivers/misc/lkmdemo" "$bin" "$tree"
	else
		record skip 0 "Debian $rel README build: boot (nothing built)"; count 0 0 1
	fi
	if [ -f "$w/dkms/version" ]; then
		field_boot "Debian $rel DKMS build" "$root" "$krel" updates/dkms "$w/dkms/lib/modules/$krel/updates/dkms" "$bin" "$tree"
		field_step "Debian $rel: dkms remove --all leaves nothing installed" \
			field_dkms_remove "$w/dkms" "$root" "$krel"
	else
		record skip 0 "Debian $rel DKMS build: boot (dkms failed)"; count 0 0 1
	fi
	# After the boot of the unsigned README build: signs those modules in place.
	field_step "Debian $rel: make sign with a key made for this run, modinfo signer" \
		field_sign "$w/oot" "$kdir" "$w/keys"
}

# field_releases: every release of DEBIAN=, recorded and counted into the current run
# (`harness/run field`, and the unit "profile field" of the full tier).
field_releases()
{
	local rel
	for rel in ${DEBIAN:-$FIELD_DEFAULT}; do
		field_release "$rel"
	done
}

run_field()
{
	new_run_dir field
	field_releases
	echo
	echo "== taint flags the modules gave each kernel (expected: tainted=$FIELD_TAINTED, $FIELD_TAINT) =="
	echo "O: out-of-tree module; E: no signature the kernel can verify (unsigned, or DKMS's key)"
	printf '%-28s %-28s %-10s %s\n' boot kernel tainted lkmdemo
	cat "$RUN_DIR/field-taint.txt" 2>/dev/null
	echo
	echo "== lkmdemo in the field: Debian's production kernels =="
	summary
}
