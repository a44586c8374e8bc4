# SPDX-License-Identifier: GPL-2.0
# Exercise 11-race (a data race between writers), guest checks: four writers, two pinned to
# each CPU, released at the same moment, each write(2) 4 KiB records (PIPE_BUF: atomic)
# of 64-byte lines of the writer's letter into a FIFO big enough for a whole round, so
# nobody blocks. The checks read everything back: bytes, whole lines, per-writer
# counts, whole records, bytes_in. This detects the race by its effects, so it is
# probabilistic (two vCPUs must really overlap; a loaded host makes that rarer); a pass
# is evidence, not a proof.
# The grading kernel has lockdep: fifo.c's helpers say with lockdep_assert_held() which
# lock they need, and a WARN naming lkmdemo says one was not held, deterministically.
# Last, a writer that waited for room and was interrupted must leave the FIFO usable.
# Sourced by harness/guest/run-exercises.sh: KO is this variant's lkmdemo.ko.

PER=131072			# bytes per writer per round: 32 records
BS=4096
LINES=$((BS / 64))		# lines per record
WRITERS="A B C D"
ROUNDS=10
CPUS=$(nproc)

# The writer's file: 4096 lines of 63 letters and a newline.
for l in $WRITERS; do
	yes "$(printf '%063d' 0 | tr 0 "$l")" | head -c $PER > /tmp/w.$l
done

# A counter attribute, 0 if it cannot be read (so that the arithmetic below never fails).
counter() { v=$(attr "$1" 2>/dev/null); case "$v" in ''|*[!0-9]*) echo 0 ;; *) echo "$v" ;; esac; }

# round <writers...>: all given writers at once, then read the whole round back into
# /tmp/out. Prints nothing; the checks below look at /tmp/out and bytes_in.
round() {
	n=0
	rm -f /tmp/go
	in0=$(counter bytes_in)
	for l in "$@"; do
		# Each writer spins until /tmp/go exists, so that all start together.
		taskset "$(printf %x $((1 << (n % CPUS))))" sh -c "until [ -e /tmp/go ]; do :; done
			exec timeout 10 dd if=/tmp/w.$l of=/dev/lkmdemo bs=$BS 2>/dev/null" &
		n=$((n + 1))
	done
	usleep 300000
	touch /tmp/go
	wait
	# Everything written is in the FIFO now: read what it holds (never blocks; a racy
	# driver may hold fewer bytes than were written).
	drain > /tmp/out
	WANT=$((n * PER))
	IN=$(( $(counter bytes_in) - in0 ))
}

# Lines that are not one writer's whole line.
bad_lines() { grep -cvE '^(A{63}|B{63}|C{63}|D{63})$' /tmp/out; }
# Each writer's line count, "A:2048 B:2048 ...".
counts() { for l in $WRITERS; do printf '%s:%s ' $l "$(grep -c "^$l" /tmp/out)"; done; }
# Records (LINES lines = one write(2)) that hold more than one letter: torn writes. (The
# FIFO always has room for a whole record here, so the driver stores each in one piece.)
torn() { awk -v L=$LINES '{ b = int((NR - 1) / L); c = substr($0, 1, 1); if (NR % L == 1) f = c; else if (c != f && !(b in t)) { t[b] = 1; n++ } } END { print n + 0 }' /tmp/out; }

gcheck "lkmdemo loads with bufsize=1048576" "insmod of your lkmdemo.ko fails: see dmesg" \
	insmod "$KO" bufsize=1048576

round A
geq "one writer: every byte arrives in order" \
	"a single writer already loses data: that is not the race, look at what you changed in the write path" \
	"0 $PER" "$(bad_lines) $(wc -c < /tmp/out)"

want_counts=$(for l in $WRITERS; do printf '%s:%s ' $l $((PER / 64)); done)
all_bytes= lines= perw= whole= bin=
i=1
while [ $i -le $ROUNDS ]; do
	round $WRITERS
	got=$(wc -c < /tmp/out)
	[ "$got" = "$WANT" ] || all_bytes="$all_bytes round $i: $got of $WANT bytes;"
	b=$(bad_lines); [ "$b" = 0 ] || lines="$lines round $i: $b mixed or garbage lines;"
	c=$(counts); [ "$c" = "$want_counts" ] || perw="$perw round $i: $c;"
	t=$(torn); [ "$t" = 0 ] || whole="$whole round $i: $t torn records;"
	[ "$IN" = "$WANT" ] || bin="$bin round $i: bytes_in grew by $IN, $WANT were written;"
	drain > /dev/null
	# One round that shows the race is enough: the verdict cannot change.
	[ -z "$all_bytes$lines$perw$whole$bin" ] || break
	i=$((i + 1))
done
HINT="two writers stored at the same place at the same time: which lock serialises the producers (see the lock list in internal.h)? fifo.c's lockdep_assert_held() calls say what each helper needs"
geq "4 concurrent writers: all bytes arrive" "$HINT" "" "$all_bytes"
geq "4 concurrent writers: no mixed or garbage lines" "$HINT" "" "$lines"
geq "4 concurrent writers: each writer's lines arrive exactly once" "$HINT" "" "$perw"
geq "4 concurrent writers: every write(2) arrives in one piece" "$HINT" "" "$whole"
geq "4 concurrent writers: bytes_in counts exactly what was written" \
	"bytes_in is updated by the producer that commits: without the producers' lock two updates can overwrite each other" "" "$bin"
gcheck "rmmod" "rmmod lkmdemo fails (a writer still running?)" rmmod lkmdemo
rm -f /tmp/w.? /tmp/out /tmp/go

# lockdep_assert_held() WARNs (the kernel's log has the file and function).
n=$(dmesg_new | grep -cE 'WARNING: .* at .*lkmdemo|lockdep_assert_held|lock_is_held')
geq "lockdep: the helpers that need write_lock always run with it held" \
	"lkmdemo_fifo_room() and lkmdemo_fifo_store() say lockdep_assert_held(&f->write_lock): hold the FIFO's write_lock (not another lock) from before the room is computed until the bytes are stored" \
	0 "$n"
[ "$n" = 0 ] || dmesg_new | grep -m 3 -E 'WARNING: .* at .*lkmdemo' | sed 's/^/#   /'

# A full FIFO, a blocking writer waiting for room, interrupted; then the FIFO must take
# and give back data as before (a path that returns with the lock held fails here).
insmod "$KO" bufsize=4096 2>/dev/null
timeout 5 sh -c 'head -c 4096 /dev/zero > /dev/lkmdemo' 2>/dev/null
timeout 2 sh -c 'echo waiting > /dev/lkmdemo' 2>/dev/null
timeout 5 head -c 4096 /dev/lkmdemo > /dev/null 2>&1
gcheck "after an interrupted writer, writes still work" \
	"a writer that found no room and was interrupted left the FIFO unusable: does every path out of the locked section (including -EAGAIN) release the lock?" \
	sh -c 'timeout 5 sh -c "echo after > /dev/lkmdemo" && [ "$(timeout 5 head -c 6 /dev/lkmdemo)" = after ]'
rmmod lkmdemo 2>/dev/null
