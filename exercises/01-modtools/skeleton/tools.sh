# SPDX-License-Identifier: GPL-2.0
# The module tools (lesson 2): each function below is one question. Replace its TODO
# with the command that answers it. The grader runs them, one at a time, in a guest
# where lkmdemo.ko and lkmdemo_client.ko are installed under /lib/modules/$(uname -r)
# and depmod has run: use module names, not paths. Try them in harness/run shell.

# TODO 1: print every parameter of lkmdemo_client with its description (one per
# line), without loading it.
params_of_client()
{
	:
}

# TODO 2: print the names of the modules lkmdemo_client needs (one per line),
# without loading it.
deps_of_client()
{
	:
}

# TODO 3: load lkmdemo_client, with interval_ms=250, and whatever it needs before
# it, in one command.
load_client()
{
	:
}

# TODO 4: make whom=tools the value lkmdemo gets every time modprobe loads it, with
# a file in /etc/modprobe.d (create the directory if needed).
persist_whom()
{
	:
}

# TODO 5: unload lkmdemo_client and the modules it needed, in one command.
unload_client()
{
	:
}
