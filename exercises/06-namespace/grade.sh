# SPDX-License-Identifier: GPL-2.0
# Exercise 06-namespace (importing a symbol namespace), guest checks: the kernel's module loader
# accepts the client, which calls lkmdemo_post() and lkmdemo_get_whom() from namespace
# LKMDEMO. Sourced by harness/guest/run-exercises.sh: KO and CLIENT are this variant's.

gcheck "lkmdemo loads" "insmod of your lkmdemo.ko fails: see dmesg" insmod "$KO"
geq "modinfo: the client imports namespace LKMDEMO" \
	"MODULE_IMPORT_NS() records import_ns in the .modinfo section; use the LKMDEMO_IMPORT_NS() wrapper from compat.h" \
	LKMDEMO "$(modinfo -F import_ns "$CLIENT" 2>/dev/null | grep -x LKMDEMO)"
geq "modinfo: the client depends on lkmdemo" \
	"modpost records the modules whose symbols a module uses; the client calls lkmdemo's functions" \
	lkmdemo "$(modinfo -F depends "$CLIENT" 2>/dev/null)"
dmesg_mark
gcheck "the module loader accepts the client" \
	"the loader refuses a module that uses a namespaced symbol without importing the namespace (dmesg: 'uses symbol ... from namespace LKMDEMO, but does not import it')" \
	insmod "$CLIENT" interval_ms=20
geq "no namespace complaint in the kernel log" \
	"import the namespace the symbols are exported in: LKMDEMO" \
	0 "$(dmesg_new | grep -c 'from namespace')"
gcheck "the client's lines arrive in the FIFO" \
	"the client posts a line every interval_ms once it is loaded" \
	wait_for '[ "$(cat /sys/class/misc/lkmdemo/fill)" -gt 40 ]' 50
gcheck "lkmdemo is held by the client" \
	"a module that uses another's symbols holds it: lkmdemo's holders/ lists the client" \
	test -e /sys/module/lkmdemo/holders/lkmdemo_client
gcheck "rmmod the client" "rmmod lkmdemo_client fails" rmmod lkmdemo_client
gcheck "rmmod lkmdemo" "rmmod lkmdemo fails" rmmod lkmdemo
