# SPDX-License-Identifier: GPL-2.0
# Profile cells: kernels built differently from the matrix's gcc tinyconfig kernels.
#   next     the newest linux-source Debian ships (experimental's release candidate, or
#            sid's newest release), x86_64, gcc: M and Y booted with the guest tests,
#            sparse (C=2) + W=1 on our files
#   clang    the newest supported kernel (7.2), x86_64, built with LLVM=1 (Debian's
#            clang-19: 7.2 needs LLVM 17.0.1, scripts/min-tool-version.sh; bookworm's
#            clang-14/15/16 are older): M and Y booted, sparse (C=2) + W=1 on our files
#   signing  7.2 x86_64 with MODULE_SIG_FORCE whose builtin trusted keyring holds a key
#            generated for this run; the installed modules are signed with the kernel's
#            scripts/sign-file; the guest tests run on the signed modules, then
#            guest/run-signing.sh: signed loads, unsigned, tampered and signed by an
#            unknown key are refused
# Sourced by harness/run: `harness/run cell PROFILE=next|clang|signing` runs one,
# `harness/run profiles` runs all three. run_profile_cells is the entry point for
# another command (`harness/run test`): it records into that command's $RESULTS and
# counts, and the matrix table shows the cells as rows "next", "7.2-clang", "7.2-sig".

PROFILES=(next clang signing)
PROFILE_ARCH=x86_64
# LLVM= of the clang cell: the version suffix of Debian's clang-NN, ld.lld-NN, llvm-*-NN
# (kmake, lib/build.sh, builds with them when KCC_LLVM is set).
PROFILE_LLVM=-19
# Debian (bookworm) packages each profile needs on top of DEB_PACKAGES (lib/steps.sh).
declare -A PROFILE_DEB_PACKAGES=([next]="" [clang]="clang-19 lld-19 llvm-19" [signing]="openssl kmod")

# profile_check <name>: a one-line error for anything but a known profile.
profile_check()
{
	local p
	for p in "${PROFILES[@]}"; do [ "$1" = "$p" ] && return 0; done
	echo "lkmdemo-harness: error: unknown PROFILE=$1 (profiles: ${PROFILES[*]})" >&2
	return 1
}

# profile_deps <name>...: install the profiles' extra Debian packages (as install_deps).
profile_deps()
{
	local p pkgs=""
	for p in "$@"; do pkgs="$pkgs ${PROFILE_DEB_PACKAGES[$p]}"; done
	DEB_PACKAGES=$pkgs install_deps
}

# llvm_version: clang's version (cc_key of an LLVM=1 build), e.g. 19.1.7.
llvm_version()
{
	"clang$KCC_LLVM" --version 2>/dev/null | sed -n '1s/.*clang version \([0-9.]*\).*/\1/p'
}

# ---- next and clang: matrix cells under another kernel or compiler -----------------

# profile_src <kver>: SRC = the tree of <kver> with the series applied; recorded as a
# result unless this run has already recorded it (`harness/run test` did for 7.2).
profile_src()
{
	if grep -qF "git am of the series onto $1 (" "$RESULTS" 2>/dev/null; then
		SRC=$(kernel_src "$1" 2>/dev/null) && return 0
	fi
	prepare_kernel "$1"
}

# profile_matrix_cells <label> <kver>: the M and Y cells of <kver> x86_64 with their
# static checks, named "<label> x86_64 M|Y" (SRC must be the applied tree).
profile_matrix_cells()
{
	local label=$1 kver=$2 mode cell_b
	for mode in $(cell_order "$(build_dir "$kver" "$SRC" "$PROFILE_ARCH")"); do
		[ "$mode" = n ] && continue
		CELL_LABEL=$label run_cell "$kver" "$PROFILE_ARCH" "$mode" cell_b
		if [ -n "$cell_b" ]; then
			static_checks "$label" "$PROFILE_ARCH" "$cell_b" "$(echo $mode | tr a-z A-Z)"
		fi
	done
	return 0
}

# The next kernel: git am onto the newest linux-source, then its M and Y cells.
profile_next()
{
	profile_src next || return 0
	profile_matrix_cells next next
}

# The clang cell: the newest supported kernel built with LLVM=1, in a build directory
# of its own (cc_tag: x86_64-clang19.1.7), never shared with a gcc build.
profile_clang()
{
	local kver=${SUPPORTED_KVERS[-1]} KCC_LLVM=$PROFILE_LLVM
	[ -n "$(llvm_version)" ] || { record fail 0 "cell $kver-clang: clang$KCC_LLVM not found"; count 0 1 0; return 0; }
	profile_src "$kver" || return 0
	profile_matrix_cells "$kver-clang" "$kver"
}

# ---- signing ----------------------------------------------------------------------

# signing_build_dir <kver> <src>: the signing kernel's own O= directory.
signing_build_dir()
{
	echo "$WORK_DIR/build/linux-$1-$(cat "$2/.lkmdemo-baseline")/$PROFILE_ARCH-sig-$(cc_tag "$PROFILE_ARCH")"
}

# signing_keys <src> <dir> <cn>: in <dir>, a new RSA key and self-signed certificate made
# with the kernel's own openssl recipe (certs/default_x509.genkey, our CN):
# signing_key.pem (key + certificate, for CONFIG_MODULE_SIG_KEY and sign-file),
# signing_key.x509 (the certificate, DER), and other_key.pem/.x509, a key the kernel
# will not know. Nothing of it is committed or kept outside the run directory.
signing_keys()
{
	local src=$1 dir=$2 cn=$3 k
	mkdir -p "$dir" && chmod 700 "$dir" || return 1
	for k in signing_key other_key; do
		[ "$k" = other_key ] && cn=$cn-unknown
		sed "s/^CN = .*/CN = $cn/" "$src/certs/default_x509.genkey" > "$dir/$k.genkey" &&
		openssl req -new -nodes -utf8 -sha256 -days 2 -batch -x509 -config "$dir/$k.genkey" \
			-outform PEM -out "$dir/$k.pem" -keyout "$dir/$k.pem" 2>"$dir/$k.log" &&
		openssl x509 -in "$dir/$k.pem" -outform DER -out "$dir/$k.x509" ||
			{ cat "$dir/$k.log" >&2; return 1; }
	done
}

# sign_module <b> <key.pem> <cert.x509> <module>: sign in place with the kernel's
# scripts/sign-file and the hash the kernel was configured with (the same command as
# `make -C drivers/misc/lkmdemo sign SIGN_KEY=<key> SIGN_CERT=<cert>` out of tree).
sign_module()
{
	local b=$1 key=$2 cert=$3 ko=$4 hash
	hash=$(sed -n 's/^CONFIG_MODULE_SIG_HASH="\(.*\)"$/\1/p' "$b/.config")
	[ -n "$hash" ] || { echo "$b/.config has no CONFIG_MODULE_SIG_HASH" >&2; return 1; }
	"$b/scripts/sign-file" "$hash" "$key" "$cert" "$ko"
}

# signing_stage <b> <keys> <out>: sign every installed module in <b>/modroot, and put
# the test's variants of lkmdemo.ko in <out>/sig: unsigned, signed, signed by the
# unknown key, and signed and then changed (one byte of its description).
signing_stage()
{
	local b=$1 keys=$2 out=$3 ko mod off
	mod=$(find "$b/modroot" -name lkmdemo.ko) && [ -n "$mod" ] || { echo "lkmdemo.ko is not installed" >&2; return 1; }
	mkdir -p "$out/sig"
	cp "$mod" "$out/sig/lkmdemo-unsigned.ko"
	cp "$mod" "$out/sig/lkmdemo-otherkey.ko"
	sign_module "$b" "$keys/other_key.pem" "$keys/other_key.x509" "$out/sig/lkmdemo-otherkey.ko" || return 1
	for ko in $(find "$b/modroot" -name '*.ko'); do
		sign_module "$b" "$keys/signing_key.pem" "$keys/signing_key.x509" "$ko" || return 1
	done
	cp "$mod" "$out/sig/lkmdemo-signed.ko"
	cp "$mod" "$out/sig/lkmdemo-tampered.ko"
	off=$(grep -obUa 'description=' "$mod" | head -n 1 | cut -d: -f1)
	[ -n "$off" ] || { echo "no description= in lkmdemo.ko" >&2; return 1; }
	# "description=X..." becomes "description=x...": one bit of signed content.
	off=$((off + 12))
	printf '%s' "$(dd if="$mod" bs=1 skip="$off" count=1 2>/dev/null | tr 'A-Za-z' 'a-zA-Z')" |
		dd of="$out/sig/lkmdemo-tampered.ko" bs=1 seek="$off" conv=notrunc 2>/dev/null
	! cmp -s "$out/sig/lkmdemo-signed.ko" "$out/sig/lkmdemo-tampered.ko" ||
		{ echo "tampering changed nothing" >&2; return 1; }
}

# signing_host_checks <b> <keys> <sig dir> <cn>: what the host can read back: the kernel
# embeds this run's certificate, and modinfo (kmod) reads the signer from the module.
signing_host_checks()
{
	local b=$1 keys=$2 sig=$3 cn=$4 signer
	cmp "$b/certs/signing_key.x509" "$keys/signing_key.x509" ||
		{ echo "the kernel's certs/signing_key.x509 is not this run's certificate"; return 1; }
	echo "certs/signing_key.x509 is this run's certificate ($cn)"
	signer=$(modinfo -F signer "$sig/lkmdemo-signed.ko")
	echo "modinfo -F signer lkmdemo-signed.ko: $signer"
	echo "modinfo -F sig_hashalgo: $(modinfo -F sig_hashalgo "$sig/lkmdemo-signed.ko")"
	[ "$signer" = "$cn" ] || { echo "expected signer $cn"; return 1; }
	[ -z "$(modinfo -F signer "$sig/lkmdemo-unsigned.ko")" ] ||
		{ echo "lkmdemo-unsigned.ko has a signer"; return 1; }
}

# The signing cell: build (the key changes every run: kbuild re-extracts
# certs/signing_key.x509 and relinks vmlinux, nothing else), sign, check, boot, judge.
profile_signing()
{
	local kver=${SUPPORTED_KVERS[-1]} name t0 b keys cn frag stage bin v
	name="cell $kver-sig $PROFILE_ARCH M"
	profile_src "$kver" || return 0
	t0=$(date +%s)
	b=$(signing_build_dir "$kver" "$SRC")
	keys=$RUN_DIR/signing-keys
	cn=lkmdemo-run-$(date -u +%Y%m%d%H%M%S)-$$
	log "$name: key $cn in $keys; building $b"
	frag=$b/lkmdemo-signing-key.config
	mkdir -p "$b/lkmdemo-run-key"
	if ! signing_keys "$SRC" "$keys" "$cn" ||
	   ! cp "$keys/signing_key.pem" "$b/lkmdemo-run-key/signing_key.pem" ||
	   ! echo "CONFIG_MODULE_SIG_KEY=\"$b/lkmdemo-run-key/signing_key.pem\"" > "$frag" ||
	   ! configure "$SRC" "$b" "$PROFILE_ARCH" m "$HARNESS_DIR/configs/signing.config" "$frag" >&2 ||
	   ! build "$SRC" "$b" "$PROFILE_ARCH" >&2; then
		record fail $(( $(date +%s) - t0 )) "$name: build"; count 0 1 0
		return 0
	fi
	stage=$b/signing-stage
	rm -rf "$stage"
	if ! bin=$(build_kselftest "$SRC" "$b" "$PROFILE_ARCH") || ! cp -r "$bin" "$stage" ||
	   ! signing_stage "$b" "$keys" "$stage" > "$RUN_DIR/signing-stage.log" 2>&1; then
		cat "$RUN_DIR/signing-stage.log" >&2
		record fail $(( $(date +%s) - t0 )) "$name: signing the modules"; count 0 1 0
		return 0
	fi
	gate "$kver-sig $PROFILE_ARCH: the kernel embeds this run's key; modinfo reads the signer" \
		signing_host_checks "$b" "$keys" "$stage/sig" "$cn"
	log "$name: booting"
	make_initramfs "$b" "$PROFILE_ARCH" "$b/initramfs-signing.cpio" "$stage" || die "initramfs failed"
	run_qemu "$PROFILE_ARCH" "$b/$(arch_image "$PROFILE_ARCH")" "$b/initramfs-signing.cpio" \
		"lkmdemo_harness.run=signing lkmdemo_harness.mode=m lkmdemo_harness.sig_cn=$cn" \
		"$b/console-signing.log" 900
	v=$(python3 "$HARNESS_DIR/lib/verdict.py" "$b/console-signing.log" "$KUNIT_PY" --kunit |
		tee "$b/verdict-signing.txt" | tail -n 1)
	grep -v '^VERDICT' "$b/verdict-signing.txt" >&2
	set -- $v
	count $(( $2 + $5 )) $(( $3 + $6 )) $(( $4 + $7 ))
	if [ "$3" = 0 ] && [ "$6" = 0 ]; then
		record pass $(( $(date +%s) - t0 )) "$name: $2 passed, $4 skipped, kunit $5 passed ($(cat "$b/console-signing.log.accel"))"
	else
		record fail $(( $(date +%s) - t0 )) "$name: $3 failed, $2 passed, kunit $6 failed ($(cat "$b/console-signing.log.accel"))"
	fi
}

# ---- entry points -----------------------------------------------------------------

# run_profile_cells [profile...]: the given profiles (default: all), recorded and counted
# into the current run. The function `harness/run test` calls.
run_profile_cells()
{
	local p
	[ $# -gt 0 ] || set -- "${PROFILES[@]}"
	for p in "$@"; do profile_check "$p" || return 2; done
	profile_deps "$@"
	[ -n "${KUNIT_PY:-}" ] || KUNIT_PY=$(series_base)/tools/testing/kunit/kunit.py
	for p in "$@"; do
		log "profile $p"
		"profile_$p"
	done
}

# run_profiles_cmd: `harness/run profiles` (PROFILE= restricts it to one) and
# `harness/run cell PROFILE=...`: a run of its own with the table and the count line.
run_profiles_cmd()
{
	[ -z "${PROFILE:-}" ] || profile_check "$PROFILE" || exit 2
	new_run_dir "profiles-${PROFILE:-all}"
	run_profile_cells ${PROFILE:-} || exit 2
	summary
}
