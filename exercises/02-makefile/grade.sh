# SPDX-License-Identifier: GPL-2.0
# Exercise 02-makefile (the out-of-tree Makefile), guest checks: the module kbuild built from your
# Makefile (make -C <kernel> M=<directory>) is one module from both source files.
# Sourced by harness/guest/run-exercises.sh.

dmesg_mark
gcheck "hello.ko loads" \
	"kbuild built no hello.ko, or one that does not load: obj-m := hello.o and hello-y := hello_main.o hello_util.o (one module of two objects)" \
	insmod ./hello.ko
geq "it runs code from both source files" "hello_main.c calls hello_multiply() of hello_util.c: both must be in hello.ko" \
	1 "$(dmesg_new | grep -c 'hello: 6 \* 7 = 42')"
gcheck "rmmod" "rmmod hello fails" rmmod hello
