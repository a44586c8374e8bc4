# The machine the tests run on: every concurrency test of this boot needs more than one
# CPU, on every architecture (qemu -smp 2).
expect_eq "two CPUs online (SMP guest)" "0-1" "$(cat /sys/devices/system/cpu/online)"
