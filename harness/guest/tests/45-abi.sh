# Documentation/ABI/testing, both directions, against this running kernel: every What:
# path of our ABI files exists, and every file of ours in sysfs has an entry. The host
# put the What: paths in /harness/abi-paths.txt. The driver core's own files of the
# device (dev, uevent, power/, subsystem) are documented by the driver core.
ensure_loaded
[ -s /harness/abi-paths.txt ] || { fail "no ABI paths from the host"; return 0; }
modprobe lkmdemo_client 2>/dev/null
while read -r p; do
	check "documented path exists: $p" test -e "$p"
done < /harness/abi-paths.txt
for f in $LKMDEMO_PARAMS/* $LKMDEMO_CLASS/* /sys/module/lkmdemo_client/parameters/*; do
	case "${f##*/}" in dev|uevent|power|subsystem) continue ;; esac
	check "sysfs file has an ABI entry: $f" grep -qx "$f" /harness/abi-paths.txt
done
rmmod lkmdemo_client
drain >/dev/null
