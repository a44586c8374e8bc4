# modinfo: the metadata MODULE_*() put into each .ko, read by busybox modinfo from the
# installed modules (found through modules.dep, which the host's kmod depmod wrote).
[ "$MODE" = m ] || { skip "modinfo of lkmdemo.ko" "lkmdemo is built in"; return 0; }

mi() { modinfo -F "$2" "$1" 2>/dev/null | tr '\n' ' ' | sed 's/ $//'; }
expect_eq "lkmdemo license" "GPL" "$(mi lkmdemo license)"
expect_match "lkmdemo description" "*LKM demonstration*" "$(mi lkmdemo description)"
expect_match "lkmdemo author" "?*" "$(mi lkmdemo author)"
expect_match "lkmdemo version" "[0-9]*.[0-9]*" "$(mi lkmdemo version)"
expect_match "lkmdemo alias" "*lkmdemo-fifo*" "$(mi lkmdemo alias)"
expect_match "lkmdemo vermagic names the running kernel" "$(uname -r) *" "$(mi lkmdemo vermagic)"
for p in whom howmany bufsize verbose banner; do
	expect_match "lkmdemo parm $p is described" "*$p:?*" "$(modinfo -F parm lkmdemo | tr '\n' ' ')"
done
expect_eq "lkmdemo_client depends on lkmdemo" "lkmdemo" "$(mi lkmdemo_client depends)"
expect_match "lkmdemo_client imports namespace LKMDEMO" "*LKMDEMO*" "$(mi lkmdemo_client import_ns)"
expect_eq "lkmdemo_client license" "GPL" "$(mi lkmdemo_client license)"
if no_kunit; then
	skip "lkmdemo_kunit depends on lkmdemo" "the kernel has no KUnit"
else
	expect_match "lkmdemo_kunit depends on lkmdemo" "*lkmdemo*" "$(mi lkmdemo_kunit depends)"
fi
