# SPDX-License-Identifier: GPL-2.0
# The one-kernel commands: cell, shell, demo and series (the test command is lib/plan.sh,
# bench harness/bench/bench.sh), and what they share: a run directory, a kernel tree with
# the series.

new_run_dir()
{
	RUN_DIR=$WORK_DIR/runs/$(date -u +%Y%m%dT%H%M%SZ)-$1-$$
	mkdir -p "$RUN_DIR"
	RESULTS=$RUN_DIR/results.tsv
	: > "$RESULTS"
	log "run directory: $RUN_DIR"
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
