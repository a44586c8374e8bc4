# SPDX-License-Identifier: GPL-2.0
# Gates on the harness and the repository themselves (no kernel needed; each takes
# seconds). For `harness/run test`:
#
#   gitignore_hides_nothing
#	.gitignore matches no file we commit.

gitignore_hides_nothing()
{
	local hidden
	hidden=$(git -C "$REPO_DIR" ls-files -ci --exclude-standard) || return 1
	[ -z "$hidden" ] || { echo ".gitignore hides committed files:"; echo "$hidden"; return 1; }
	echo ".gitignore hides no committed file"
}
