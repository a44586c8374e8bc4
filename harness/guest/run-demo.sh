# SPDX-License-Identifier: GPL-2.0
# The README's main job, inside the guest: a narrated session of the classic module
# commands on lkmdemo. Each command is shown, then what the running kernel answered.

. /harness/lib.sh

say() { printf '\n### %s\n' "$*"; }
run() { printf '$ %s\n' "$*"; sh -c "$*" 2>&1; }

echo "LKMDEMO-DEMO-BEGIN"
say "Linux $(uname -r) on $(uname -m); lkmdemo is a module (CONFIG_LKMDEMO=m)"
say "modinfo reads the metadata that MODULE_*() and MODULE_PARM_DESC() put into the .ko"
run "modinfo lkmdemo"
say "insmod loads one file, with parameters; the greeting appears in the kernel log"
run "dmesg -c >/dev/null; insmod /lib/modules/\$(uname -r)/kernel/drivers/misc/lkmdemo/lkmdemo.ko whom=Embedded howmany=2 banner=hello,board"
run "dmesg | grep lkmdemo"
run "lsmod"
say "the parameters, in /sys/module/lkmdemo/parameters (permissions from module_param)"
run "cd /sys/module/lkmdemo/parameters && for p in *; do echo \"\$p = \$(cat \$p)\"; done"
run "ls -l /sys/module/lkmdemo/parameters"
say "howmany only counts at load, so it is read-only (0444): not even root may change it"
run "echo 5 > /sys/module/lkmdemo/parameters/howmany; cat /sys/module/lkmdemo/parameters/howmany"
say "whom is writable (0644), and a sysfs attribute validates what it is given: the old value stays"
run "echo Board > /sys/module/lkmdemo/parameters/whom; cat /sys/module/lkmdemo/parameters/whom"
run "echo 0 > /sys/class/misc/lkmdemo/write_lowat; cat /sys/class/misc/lkmdemo/write_lowat"
say "the misc device and its sysfs attributes"
run "ls -l /dev/lkmdemo"
run "cd /sys/class/misc/lkmdemo && grep . bytes_in bytes_out fill capacity write_lowat opens"
say "device I/O: the banner lines were queued at load; a write and a read go through the FIFO"
run "head -c \$(cat /sys/class/misc/lkmdemo/fill) /dev/lkmdemo"
run "echo 'bytes through the FIFO' > /dev/lkmdemo; cat /sys/class/misc/lkmdemo/fill"
run "head -n 1 /dev/lkmdemo"
say "an open file pins the module: rmmod is refused while /dev/lkmdemo is open"
run "exec 3</dev/lkmdemo; cat /sys/module/lkmdemo/refcnt; rmmod lkmdemo; exec 3<&-"
run "rmmod lkmdemo; dmesg | grep Goodbye"
say "modprobe resolves dependencies: loading the client loads lkmdemo first"
run "modprobe lkmdemo_client interval_ms=100"
run "lsmod"
run "grep -E ' lkmdemo_(post|get_stats|get_whom)' /proc/kallsyms"
run "usleep 500000; head -c \$(cat /sys/class/misc/lkmdemo/fill) /dev/lkmdemo"
run "rmmod lkmdemo"
say "unloading: the client first, then the driver"
run "rmmod lkmdemo_client; rmmod lkmdemo; lsmod"
run "dmesg | grep -E 'lkmdemo|Goodbye' | tail -n 4"
echo "LKMDEMO-DEMO-END"
