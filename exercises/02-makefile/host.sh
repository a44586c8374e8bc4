# SPDX-License-Identifier: GPL-2.0
# Exercise 02-makefile (the out-of-tree Makefile), host checks: your Makefile used the ways a
# learner uses it: make in the directory and make -C <directory> from elsewhere, both
# with KDIR= the grading kernel, then make clean. (kbuild reading it, make -C <kernel>
# M=<directory>, is the build check before these.) Each runs in a fresh copy under
# EX_OUT. Prints TAP lines.

fresh() { rm -rf "${EX_OUT:?}/$1" && cp -r "$EX_SRC" "$EX_OUT/$1" && rm -rf "$EX_OUT/$1/.git"; }
# built_for_kernel <dir>: hello.ko is there, built for the grading kernel.
built_for_kernel()
{
	[ -f "$1/hello.ko" ] || { echo "no hello.ko in $1"; return 1; }
	modinfo -F vermagic "$1/hello.ko" | grep -q "^$(ex_krel "$EX_B") " && return 0
	echo "hello.ko is for $(modinfo -F vermagic "$1/hello.ko"), not $(ex_krel "$EX_B")"
	return 1
}
make_here()
{
	fresh mk-here || return 1
	(cd "$EX_OUT/mk-here" && ex_learner_make . "$EX_OUT/mk-here.log" KDIR="$EX_B") &&
		built_for_kernel "$EX_OUT/mk-here" && return 0
	grep -E 'rror|No rule|No such' "$EX_OUT/mk-here.log" | head -n 4
	return 1
}
make_elsewhere()
{
	fresh mk-c || return 1
	(cd / && ex_learner_make "$EX_OUT/mk-c" "$EX_OUT/mk-c.log" KDIR="$EX_B") &&
		built_for_kernel "$EX_OUT/mk-c" && return 0
	grep -E 'rror|No rule|No such' "$EX_OUT/mk-c.log" | head -n 4
	return 1
}
make_clean()
{
	local left
	[ -f "$EX_OUT/mk-here/hello.ko" ] || { echo "not tried: make did not build hello.ko"; return 1; }
	ex_learner_make "$EX_OUT/mk-here" "$EX_OUT/mk-clean.log" KDIR="$EX_B" clean ||
		{ tail -n 3 "$EX_OUT/mk-clean.log"; return 1; }
	left=$(cd "$EX_OUT/mk-here" && ls -d ./*.ko ./*.o ./*.mod ./*.mod.c Module.symvers modules.order 2>/dev/null)
	[ -z "$left" ] || { echo "left behind: $left"; return 1; }
}

hcheck "make KDIR=<kernel> in the directory builds hello.ko for that kernel" \
	"the default (first) target runs \$(MAKE) -C \$(KDIR) M=<this directory> modules; KDIR defaults to /lib/modules/\$(shell uname -r)/build, and KDIR=... on make's command line replaces it" \
	make_here
hcheck "make -C <directory> KDIR=<kernel> from another directory builds it too" \
	"make -C changes make's directory but not the environment: \$(PWD) is still where make was started; use \$(CURDIR) (or \$(shell pwd)) for M=" \
	make_elsewhere
hcheck "make clean removes what the build made" \
	"a clean target: \$(MAKE) -C \$(KDIR) M=<this directory> clean" \
	make_clean
