# SPDX-License-Identifier: GPL-2.0
# Exercise 01-modtools (the module tools), guest checks: each answer of your tools.sh run on its own
# (in a subshell, at most 20 s), then what it printed or changed is compared with what
# the modules really are. The modules are the grading kernel's installed lkmdemo.ko and
# lkmdemo_client.ko. Sourced by harness/guest/run-exercises.sh.

# answer <function>: run one answer of tools.sh; its output in /tmp/tools.out.
answer() { timeout 20 sh -c ". ./tools.sh && $1" > /tmp/tools.out 2>/tmp/tools.err; }
both_gone() { ! loaded lkmdemo_client && ! loaded lkmdemo; }
modprobe -r lkmdemo_client 2>/dev/null
modprobe -r lkmdemo 2>/dev/null
mkdir -p /etc/modprobe.d
conf0=$(ls /etc/modprobe.d)

# 1. Every parameter's description, as modinfo has it.
answer params_of_client
miss=
modinfo -F parm lkmdemo_client | while IFS= read -r l; do
	grep -qF "${l#*:}" /tmp/tools.out || echo "$l"
done > /tmp/tools.miss
geq "1. prints every parameter of lkmdemo_client with its description" \
	"modinfo reads the .modinfo section of a module file: modinfo -F parm <module> (a name: it looks in /lib/modules/\$(uname -r))" \
	"" "$(cat /tmp/tools.miss)"
gcheck_fails "1. ... without loading it" "modinfo only reads the file" loaded lkmdemo_client

# 2. The modules it needs.
answer deps_of_client
geq "2. prints the modules lkmdemo_client needs" \
	"modpost recorded them in the module: modinfo -F depends <module>" \
	"$(modinfo -F depends lkmdemo_client | tr ',' '\n' | grep . | sort)" \
	"$(tr ', ' '\n\n' < /tmp/tools.out | grep . | sort -u)"
gcheck_fails "2. ... without loading it" "modinfo only reads the file" loaded lkmdemo_client

# 3. Load with its dependency and a parameter.
answer load_client
gcheck "3. lkmdemo_client is loaded" \
	"insmod loads one file and knows no dependencies; modprobe <name> loads what modules.dep lists first" \
	loaded lkmdemo_client
gcheck "3. lkmdemo, which it needs, is loaded" "modprobe loads the dependencies first" loaded lkmdemo
geq "3. with interval_ms=250" "parameters follow the module name: modprobe <module> name=value" \
	250 "$(cat /sys/module/lkmdemo_client/parameters/interval_ms 2>/dev/null)"

# 5 (before 4, with the modules loaded). Unload both.
loaded lkmdemo_client || modprobe lkmdemo_client 2>/dev/null
answer unload_client
gcheck "5. lkmdemo_client and lkmdemo are unloaded" \
	"rmmod removes one module; modprobe -r <module> removes it and the dependencies nothing else uses" \
	both_gone
rmmod lkmdemo_client 2>/dev/null
rmmod lkmdemo 2>/dev/null

# 4. An option every modprobe of lkmdemo gets.
answer persist_whom
modprobe lkmdemo 2>/dev/null
geq "4. modprobe lkmdemo then gets whom=tools" \
	"a line 'options <module> <name>=<value>' in a file /etc/modprobe.d/<something>.conf" \
	tools "$(cat /sys/module/lkmdemo/parameters/whom 2>/dev/null)"
rmmod lkmdemo 2>/dev/null
# Leave /etc/modprobe.d as it was.
for f in $(ls /etc/modprobe.d); do
	case " $conf0 " in *" $f "*) ;; *) rm -f "/etc/modprobe.d/$f" ;; esac
done
