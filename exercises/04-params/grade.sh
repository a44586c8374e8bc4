# SPDX-License-Identifier: GPL-2.0
# Exercise 04-params (module parameters, skeleton hello5.c), guest checks: what modinfo says,
# what the module prints and what sysfs shows for each parameter, with the
# permissions asked for. Sourced by harness/guest/run-exercises.sh.

M=./hello5.ko
P=/sys/module/hello5/parameters
mode() { ls -l "$1" 2>/dev/null | cut -c1-10; }
# parm <name> <type>: 1 if modinfo has a description of the parameter and its type (in
# the module: parm=<name>:<description> and parmtype=<name>:<type>), else 0.
parm()
{
	modinfo -F parm $M 2>/dev/null | grep -q "^$1:.*[a-z]" &&
		modinfo -F parmtype $M 2>/dev/null | grep -qx "$1:$2" && echo 1 || echo 0
}

for p in "count int" "name charp" "loud bool" "values array of int"; do
	set -- $p
	n=$1
	shift
	geq "modinfo: parameter $n, type $*, with a description" \
		"declare $n with module_param() (module_param_array() for an array) and describe it with MODULE_PARM_DESC($n, \"...\")" \
		1 "$(parm $n "$*")"
done

dmesg_mark
gcheck "loads with count=3 name=Linux loud=y values=5,6,7" \
	"insmod refuses these parameters: is every one declared, with the right type (loud is a bool: y, n, 1, 0)?" \
	insmod $M count=3 name=Linux loud=y values=5,6,7
geq "prints the greeting with the values given" \
	"print exactly: pr_info(\"hello5: hello %s, count=%d loud=%d\\n\", ...)" \
	1 "$(dmesg_new | grep -c 'hello5: hello Linux, count=3 loud=1$')"
geq "prints each value given, and only those" \
	"loop over the nvalues elements the kernel stored (module_param_array's third argument), not over the whole array" \
	"values[0]=5 values[1]=6 values[2]=7" "$(dmesg_new | sed -n 's/.*hello5: \(values\[[0-9]*\]=.*\)/\1/p' | tr '\n' ' ' | sed 's/ $//')"
geq "count: mode 0644" "module_param(count, int, 0644)" "-rw-r--r--" "$(mode $P/count)"
geq "count reads 3" "the sysfs file shows the variable" 3 "$(cat $P/count 2>/dev/null)"
gcheck "count is writable by root" "mode 0644 lets root write it" sh -c "echo 9 > $P/count && [ \"\$(cat $P/count)\" = 9 ]"
geq "name: mode 0444" "a charp must not be writable: 0444" "-r--r--r--" "$(mode $P/name)"
geq "name reads Linux" "the sysfs file shows the string" Linux "$(cat $P/name 2>/dev/null)"
gcheck_fails "loud has no sysfs file" "permissions 0: no file in sysfs" test -e $P/loud
geq "values: mode 0400" "root only: 0400" "-r--------" "$(mode $P/values)"
geq "values reads 5,6,7" "an array parameter reads back as its elements, separated by commas" \
	"5,6,7" "$(cat $P/values 2>/dev/null)"
gcheck "rmmod" "rmmod hello5 fails" rmmod hello5

gcheck_fails "five values are refused (the array holds four)" \
	"module_param_array() over an array of 4 refuses a fifth element by itself" \
	insmod $M values=1,2,3,4,5
loaded hello5 && rmmod hello5
dmesg_mark
gcheck "loads without parameters" "insmod hello5.ko fails" insmod $M
geq "the defaults: world, count=1, loud=0, no values" \
	"defaults are the variables' initial values; with no values given, nvalues is 0 and nothing is printed" \
	"hello5: hello world, count=1 loud=0" "$(dmesg_new | grep -o 'hello5: .*' | tr '\n' ' ' | sed 's/ $//')"
gcheck "rmmod" "rmmod hello5 fails" rmmod hello5
