# The boot that tells whether KVM works here (lib/guest.sh pick_accel): the guest
# prints one line and powers off (guest/run-probe.sh).
ENTRY=probe
RUNNER="pick_accel (lib/guest.sh), once per kernel image"
