# SPDX-License-Identifier: GPL-2.0
# The static checks of lkmdemo_rs.rs, the Rust twin, where a build has it
# (CONFIG_LKMDEMO_RS: the rust profile). Called from static_checks (lib/sparse.sh).

# rust_clean <b> <arch>: lkmdemo_rs.rs compiled again (its object removed first: W=1
# does not change a Rust object's command line, so kbuild would find it up to date) with
# no warning of rustc or, where the profile asks for CLIPPY=1 (KMAKE_ARGS), of clippy;
# and rustfmt --check as `make rustfmtcheck` runs it, on that file, in the build's
# userland (KBUILD_ROOT) when it has one.
rust_clean()
{
	local b=$1 arch=$2 src out f=drivers/misc/lkmdemo/lkmdemo_rs
	src=$(readlink -f "$b/source")
	rm -f "$b/$f.o"
	out=$(kmake "$src" "$b" "$arch" W=1 $f.o 2>&1) || { echo "$out"; return 1; }
	echo "$out"
	grep -q "RUSTC .*$f\\.o\\|CLIPPY .*$f\\.o" <<< "$out" || { echo "$f.rs was not compiled"; return 1; }
	! grep -qE '^(warning|error)' <<< "$out" || return 1
	(cd "$src" && ${KBUILD_ROOT:+userland_exec "$KBUILD_ROOT"} \
		rustfmt --check --edition 2021 --config-path .rustfmt.toml $f.rs)
}
