# SPDX-License-Identifier: GPL-2.0
# kcsan-reports.awk: KCSAN's reports in a kernel log (dmesg, with or without timestamps),
# one line each: "ours<TAB><title>" if a stack frame of the report is lkmdemo code,
# "other<TAB><title>" if not. Run in the stress guest (guest/run-stress.sh, busybox awk)
# and on the host by the gate kcsan-reports (harness/tests/testdata/kcsan/).
#
# A report runs from "BUG: KCSAN: <title>" to its closing line of "=". It shows the stack
# of each of the two accesses ("write to 0x... by interrupt on cpu 0:"). Only the frames
# of the racing code count, a function of ours ("lkmdemo_fifo_read+0x5c/0x1a0", built in
# or not) or any function of one of our modules ("... [lkmdemo]", "[lkmdemo_client]"):
#  - not the frames under an interrupt's entry (asm_sysvec_*, asm_common_interrupt,
#    asm_exc_* on x86, *_64_irq on arm64): they are whatever the interrupt hit;
#  - not the lines after "Reported by": "Comm: lkmdemo_stress" names only the task that
#    was running. The first strict KCSAN run here counted a clocksource watchdog race in
#    timer and IPI handlers as one of ours because of that line.
/BUG: KCSAN:/ {
	inrep = 1
	ours = 0
	below = 0
	title = substr($0, index($0, "BUG: KCSAN: ") + 12)
	next
}
!inrep { next }
/ on cpu [0-9]+:$/ { below = 0; next }
/Reported by Kernel Concurrency Sanitizer/ { below = 1; next }
/^(\[[ 0-9.]*\])? *=+$/ {
	inrep = 0
	print (ours ? "ours" : "other") "\t" title
	next
}
below { next }
/asm_sysvec_|asm_common_interrupt|asm_exc_|_64_irq/ { below = 1; next }
/(^|[] \t])lkmdemo[A-Za-z0-9_]*\+0x[0-9a-f]+\/0x[0-9a-f]+/ { ours = 1 }
/\[lkmdemo(_[a-z]+)?\]/ { ours = 1 }
END {
	if (inrep)
		print (ours ? "ours" : "other") "\t" title
}
