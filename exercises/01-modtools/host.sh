# SPDX-License-Identifier: GPL-2.0
# Exercise 01-modtools (the module tools), host side: nothing to build; the learner's tools.sh goes
# to the guest, which runs its answers (grade.sh).
mkdir -p "$EX_OUT/stage"
cp "$EX_SRC/tools.sh" "$EX_OUT/stage/tools.sh"
touch "$EX_OUT/stage/nomodule"
hcheck "tools.sh is a shell script the guest's sh can read" \
	"sh -n tools.sh says what is wrong" sh -n "$EX_SRC/tools.sh"
