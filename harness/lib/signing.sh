# SPDX-License-Identifier: GPL-2.0
# The STAGE of the signing profile (harness/profiles/signing.sh): the newest kernel with
# MODULE_SIG_FORCE (configs/signing.config) whose builtin trusted keyring holds a key
# generated for this run; the installed modules are signed with the kernel's
# scripts/sign-file; the guest runs every test on the signed modules, then
# guest/run-signing.sh: signed loads; unsigned, tampered and signed by an unknown key are
# refused. run_cell (lib/cells.sh) calls the three functions of a STAGE:
#   signing_configure <b>            make the run's keys; print the fragment that names
#                                    the key (CONFIG_MODULE_SIG_KEY)
#   signing_stage <b> <arch> <bin>   after the build: sign, make the test's variants of
#                                    lkmdemo.ko, check what the host can read back (a
#                                    gate); fills <b>/signing-stage, the guest's /harness/bin
#   signing_cmdline <b>              SIG_CN=<the key's CN>, for profiles/signing.cmdline
# The keys are made in the run directory; nothing of them is committed or kept.

# signing_dir: this run's keys.
signing_dir() { echo "$RUN_DIR/signing-keys"; }

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

# signing_sign <b> <keys> <out>: sign every installed module in <b>/modroot, and put
# the test's variants of lkmdemo.ko in <out>/sig: unsigned, signed, signed by the
# unknown key, and signed and then changed (one byte of its description).
signing_sign()
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

# signing_configure <b>: new keys for this run (the key changes every run: kbuild
# re-extracts certs/signing_key.x509 and relinks vmlinux, nothing else); prints the
# fragment that points CONFIG_MODULE_SIG_KEY at a copy of the key in <b>.
signing_configure()
{
	local b=$1 keys cn
	keys=$(signing_dir)
	cn=lkmdemo-run-$(date -u +%Y%m%d%H%M%S)-$$
	rm -rf "$keys"
	signing_keys "$SRC" "$keys" "$cn" >&2 || return 1
	echo "$cn" > "$keys/cn"
	mkdir -p "$b/lkmdemo-run-key" &&
		cp "$keys/signing_key.pem" "$b/lkmdemo-run-key/signing_key.pem" &&
		echo "CONFIG_MODULE_SIG_KEY=\"$b/lkmdemo-run-key/signing_key.pem\"" > "$b/lkmdemo-signing-key.config" ||
		return 1
	log "signing: key $cn in $keys"
	echo "$b/lkmdemo-signing-key.config"
}

# signing_stage <b> <arch> <kselftest bin>: <b>/signing-stage holds the kselftest and
# sig/ with the variants of lkmdemo.ko; the host's checks are a gate of their own.
signing_stage()
{
	local b=$1 arch=$2 bin=$3 keys stage=$1/signing-stage
	keys=$(signing_dir)
	rm -rf "$stage" && mkdir -p "$stage" || return 1
	[ -z "$bin" ] || cp -r "$bin/." "$stage/" || return 1
	if ! signing_sign "$b" "$keys" "$stage" > "$RUN_DIR/signing-stage.log" 2>&1; then
		cat "$RUN_DIR/signing-stage.log" >&2
		record fail 0 "signing: the modules signed with the run's key"; count 0 1 0
		return 1
	fi
	gate "signing $arch: the kernel embeds this run's key; modinfo reads the signer" \
		signing_host_checks "$b" "$keys" "$stage/sig" "$(cat "$keys/cn")"
}

# signing_cmdline <b>: the words for the command line files.
signing_cmdline() { echo "SIG_CN=$(cat "$(signing_dir)/cn")"; }
