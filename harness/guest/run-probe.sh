# SPDX-License-Identifier: GPL-2.0
# Nothing to do: the host only wanted to see the guest come up.
:
