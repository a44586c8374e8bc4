# Nothing of ours may have warned, oopsed or tripped a sanitizer in this boot.
expect_eq "no splat in the kernel log" "" \
	"$(dmesg | grep -E 'WARNING:|BUG:|Oops|KASAN|UBSAN|kmemleak|possible recursive|circular locking|Call Trace' | head -n 5)"
