# SPDX-License-Identifier: GPL-2.0
# The one-kernel commands: cell, shell, demo and series (the test command is lib/plan.sh,
# bench harness/bench/bench.sh), and the kernel and arch they pick (one_kver, one_arch).
# Their run directory is new_run_dir (lib/results.sh), their kernel tree prepare_kernel
# (lib/kernel.sh).

# run_series: `harness/run series`: patches/ and series from the sources.
run_series()
{
	local base
	base=$(series_base) || exit 2
	python3 "$HARNESS_DIR/gen-series" --base "$base"
}

# The kernel and arch of a one-kernel command (cell, shell, bench): KVER and ARCH, else
# the newest kernel on x86_64 (as listed by `harness/run help`).
one_kver() { echo "${KVER:-${SUPPORTED_KVERS[-1]}}"; }
one_arch() { echo "${ARCH:-x86_64}"; }

run_cell_cmd()
{
	local kver arch mode=$MODE cell_b
	kver=$(one_kver) arch=$(one_arch)
	new_run_dir "cell-$kver-$arch-$mode"
	KUNIT_PY=$(series_base)/tools/testing/kunit/kunit.py
	prepare_kernel "$kver" || exit 1
	# A Y cell of the matrix includes the boot whose init fails (as in `test`).
	run_cell "$kver" "$arch" "$mode" cell_b
	[ "$mode" = y ] && [ -n "$cell_b" ] && run_initfail "$kver" "$arch" "$cell_b"
	summary
}

run_shell()
{
	local kver arch mode=$MODE b
	kver=$(one_kver) arch=$(one_arch)
	# A bad MODULE_DIR stops here, before a kernel is built.
	[ -z "${MODULE_DIR:-}" ] || module_dir_check "$MODULE_DIR" || exit 2
	new_run_dir "shell-$kver-$arch-$mode"
	prepare_kernel "$kver" || exit 1
	b=$(cell_build "$kver" "$SRC" "$arch" "$mode") || exit 1
	local root=$RUN_DIR/guest-root
	if [ -n "${MODULE_DIR:-}" ]; then
		rm -rf "$root" && mkdir -p "$root"
		module_dir_build "$b" "$arch" "$MODULE_DIR" "$root" || exit 1
		log "$(basename "$MODULE_DIR"): $(cd "$root" && echo */*.ko) in the guest's /root"
	fi
	log "booting $kver $arch ($mode); leave the guest with: reboot -f"
	boot_cell "$b" "$arch" "$mode" shell --root "$root" --interactive
}

run_demo()
{
	local kver arch=${ARCH:-arm} b
	kver=$(one_kver)
	new_run_dir "demo-$kver-$arch"
	log "lkmdemo demo: Linux $kver on $arch (change with KVER= ARCH=)"
	prepare_kernel "$kver" || exit 1
	log "building the kernel (LKMDEMO=m) - a few minutes the first time"
	b=$(cell_build "$kver" "$SRC" "$arch" m) || exit 1
	log "booting it in QEMU"
	boot_cell "$b" "$arch" m demo || exit 1
	sed -n '/^LKMDEMO-DEMO-BEGIN/,/^LKMDEMO-DEMO-END/p' "$b/console.log" | sed '1d;$d'
	grep -q '^LKMDEMO-DEMO-END' "$b/console.log" || { log "the demo did not finish; see $b/console.log"; exit 1; }
	log "demo finished; console log: $b/console.log"
}
