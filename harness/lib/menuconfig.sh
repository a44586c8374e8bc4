# SPDX-License-Identifier: GPL-2.0
# make menuconfig as a person uses it: in a real terminal (tmux), walk from the top menu
# to Device Drivers -> Misc devices, find "LKM demonstration driver", read its help,
# set it to M, save, and check the saved .config. The monochrome theme draws the
# selected line in reverse video, which is how the test knows where the cursor is.

MC_SESSION=lkmdemo-menuconfig-$$

mc_screen() { tmux capture-pane -p -t "$MC_SESSION"; }
mc_screen_esc() { tmux capture-pane -p -e -t "$MC_SESSION"; }
mc_key() { tmux send-keys -t "$MC_SESSION" "$@"; sleep 0.3; }

# mc_wait <text> [tenths]: until the screen shows <text>.
mc_wait()
{
	local i=0
	while ! mc_screen | grep -cF -- "$1" >/dev/null; do
		i=$((i + 1))
		[ "$i" -le "${2:-100}" ] || { echo "menuconfig never showed '$1'; screen:"; mc_screen; return 1; }
		sleep 0.1
	done
}

# The text of the selected (reverse video) line.
mc_selected() { mc_screen_esc | grep -F $'\e[7m' | head -n 1 | sed 's/\x1b\[[0-9;]*m//g'; }

# mc_select <text>: move down until the selected line contains <text> (at most 400 steps).
mc_select()
{
	local i=0
	while ! mc_selected | grep -cF -- "$1" >/dev/null; do
		i=$((i + 1))
		[ "$i" -le 400 ] || { echo "could not select '$1'; screen:"; mc_screen; return 1; }
		mc_key Down
	done
}

# menuconfig_test <src> <seed build dir> <arch>
menuconfig_test()
{
	local src=$1 seed=$2 arch=$3 b cross rc=0
	b=$(mktemp -d)
	cp "$seed/.config" "$b/.config"
	cross=$(arch_cross "$arch")
	# Start from LKMDEMO unset, as a person who has just applied the series would.
	"$src/scripts/config" --file "$b/.config" --disable LKMDEMO
	make -s -C "$src" O="$b" ARCH="$(arch_karch "$arch")" ${cross:+CROSS_COMPILE=$cross} olddefconfig || return 1
	tmux new-session -d -s "$MC_SESSION" -x 160 -y 48 \
		"MENUCONFIG_COLOR=mono make -C '$src' O='$b' ARCH=$(arch_karch "$arch") ${cross:+CROSS_COMPILE=$cross} menuconfig; echo MENUCONFIG-EXITED \$?; sleep 30"
	{
		mc_wait "Kernel Configuration" 600 &&
		mc_select "Device Drivers" && mc_key Enter && mc_wait "Device Drivers" &&
		mc_select "Misc devices" && mc_key Enter && mc_wait "Misc devices" &&
		mc_select "LKM demonstration driver" &&
		echo "found: $(mc_selected)" &&
		mc_key '?' && mc_wait "CONFIG_LKMDEMO" &&
		mc_screen | grep -F -e "Symbol: LKMDEMO" -e "module will be called lkmdemo" -e "Location:" -e "Misc devices" &&
		mc_screen | grep -cF "To compile this driver as a module, choose M here" >/dev/null &&
		mc_key Enter && mc_wait "LKM demonstration driver" &&
		mc_key m && sleep 0.5 &&
		echo "after 'm': $(mc_selected)" &&
		mc_selected | grep -cF "<M>" >/dev/null &&
		mc_key Escape Escape && sleep 0.5 && mc_key Escape Escape && sleep 0.5 &&
		mc_key Escape Escape && mc_wait "Do you wish to save" &&
		mc_key Enter && mc_wait "MENUCONFIG-EXITED 0" 300
	} || rc=1
	tmux kill-session -t "$MC_SESSION" 2>/dev/null
	if [ "$rc" = 0 ]; then
		grep -x 'CONFIG_LKMDEMO=m' "$b/.config" || { echo "the saved .config has no CONFIG_LKMDEMO=m"; rc=1; }
	fi
	rm -rf "$b"
	return $rc
}
