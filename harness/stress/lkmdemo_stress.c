// SPDX-License-Identifier: GPL-2.0
/*
 * lkmdemo_stress - stress and random-input tests of /dev/lkmdemo for the debug
 * kernel run (harness/run stress; the guest side is guest/run-stress.sh).
 *
 *   lkmdemo_stress stream  <writers> <seconds>          records, one reader
 *   lkmdemo_stress records <writers> <readers> <seconds> fixed-size records
 *   lkmdemo_stress fuzz    <iterations> [seed]           bounded random inputs
 *   lkmdemo_stress churn                                 open/use/close until SIGTERM
 *   lkmdemo_stress failnth <module.ko> [params]          init fault sweep by fail-nth
 *
 * What the pipe(7) guarantee promises, and so what is tested: a write of at
 * most PIPE_BUF bytes lands in the byte stream as one contiguous run, never
 * interleaved with other writes; a read returns some prefix of what is
 * stored. Reads are not record-aligned, so with several readers a record of
 * random length can be split between two readers, and nothing is promised
 * about that. Hence two tests:
 *
 *  - stream: N writers write records of random length (header + payload,
 *    at most PIPE_BUF) and one reader reads with random sizes and reassembles
 *    the stream: every record must be whole (record_check() of
 *    harness/include/lkmdemo_record.h: magic, length, checksum and the
 *    payload regenerated from (writer, seq)), and each writer's sequence
 *    numbers must go up by exactly one: nothing lost, duplicated, reordered
 *    or interleaved.
 *  - records: every write is one record of the same size L <= PIPE_BUF, so
 *    (writes being atomic) the FIFO always holds whole records and every
 *    read of exactly L bytes returns exactly one whole record, whichever of
 *    the M readers does it. Each reader checks each record and that every
 *    writer's sequence numbers it sees increase; a shared bitmap proves that
 *    every record was read exactly once.
 *
 * Half the writers and readers are O_NONBLOCK and wait in poll(); a
 * non-blocking write of a record must be all or nothing (EAGAIN).
 *
 * Each mode prints "# STRESS-COUNT <key> <value>" lines and exits 0 only if
 * no check failed (1 otherwise, 2 for a usage or setup error).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/lkmdemo.h>

#include "lkmdemo_record.h"

#define DEV		"/dev/lkmdemo"
#define PARAMS		"/sys/module/lkmdemo/parameters/"
#define CLASS		"/sys/class/misc/lkmdemo/"
#define MAX_WRITERS	16
#define MAX_READERS	16
#define MAX_SEQ		(1u << 22)	/* per writer, for the records bitmap */

static int failures;

static void bad(const char *fmt, ...)
{
	va_list ap;

	if (failures++ >= 50)
		return;
	printf("# FAIL: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

static void count(const char *key, unsigned long long v)
{
	printf("# STRESS-COUNT %s %llu\n", key, v);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* xorshift64*: the test's only source of randomness (seeded, reproducible) */
static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 2685821657736338717ull;
}

static uint64_t rnd_below(uint64_t n) { return n ? rnd() % n : 0; }

/* Counters shared by the processes of one test (MAP_SHARED). */
struct shared {
	volatile int stop;
	unsigned long long w_records[MAX_WRITERS], w_bytes[MAX_WRITERS];
	unsigned long long w_calls[MAX_WRITERS], w_eagain[MAX_WRITERS], w_polls[MAX_WRITERS];
	unsigned long long r_records[MAX_READERS], r_bytes[MAX_READERS], r_vbytes[MAX_READERS];
	unsigned long long r_calls[MAX_READERS], r_eagain[MAX_READERS], r_polls[MAX_READERS];
	unsigned long long r_bad[MAX_READERS], r_dup[MAX_READERS], r_order[MAX_READERS];
	int child_failures;
	uint8_t seen[MAX_WRITERS][MAX_SEQ / 8];
};

static struct shared *sh;

static int open_dev(int nonblock)
{
	int fd = open(DEV, O_RDWR | (nonblock ? O_NONBLOCK : 0));

	if (fd < 0) {
		fprintf(stderr, "open %s: %s\n", DEV, strerror(errno));
		exit(2);
	}
	return fd;
}

static int wait_fd(int fd, short ev, unsigned long long *polls)
{
	struct pollfd p = { .fd = fd, .events = ev };
	int r;

	(*polls)++;
	do
		r = poll(&p, 1, 1000);
	while (r < 0 && errno == EINTR);
	return r;
}

/* Write one whole record; 0, or -1 after reporting a failure. */
static int write_record(int fd, int nonblock, const void *buf, size_t len, int w)
{
	ssize_t n;

	for (;;) {
		sh->w_calls[w]++;
		n = write(fd, buf, len);
		if (n == (ssize_t)len)
			return 0;
		if (n >= 0) {
			bad("writer %d: write of %zu bytes returned %zd: a write <= PIPE_BUF must be atomic", w, len, n);
			return -1;
		}
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN || !nonblock) {
			bad("writer %d: write of %zu bytes: %s", w, len, strerror(errno));
			return -1;
		}
		sh->w_eagain[w]++;
		wait_fd(fd, POLLOUT, &sh->w_polls[w]);
	}
}

/* Writer @w: records of @fixed bytes (or random lengths if 0) until stop. */
static void writer(int w, size_t fixed)
{
	int nonblock = w & 1;
	int fd = open_dev(nonblock);
	uint8_t buf[PIPE_BUF];
	uint32_t seq = 0;
	size_t len;

	rng_state ^= (uint64_t)(w + 1) * 0x2545f4914f6cdd1dull;
	while (!sh->stop && seq < MAX_SEQ - 1) {
		len = fixed ? fixed : sizeof(struct record_hdr) + rnd_below(PIPE_BUF - sizeof(struct record_hdr) + 1);
		record_make(buf, w, seq, len);
		if (write_record(fd, nonblock, buf, len, w))
			break;
		sh->w_records[w]++;
		sh->w_bytes[w] += len;
		seq++;
	}
	close(fd);
	__atomic_add_fetch(&sh->child_failures, failures, __ATOMIC_RELAXED);
	_exit(failures ? 1 : 0);
}

/* read() into @buf, waiting in poll() if non-blocking; bytes read or -1. */
static ssize_t read_some(int fd, int nonblock, void *buf, size_t len, int r)
{
	ssize_t n;

	for (;;) {
		sh->r_calls[r]++;
		n = read(fd, buf, len);
		if (n > 0)
			return n;
		if (n == 0) {
			bad("reader %d: read of %zu bytes returned 0", r, len);
			return -1;
		}
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN || !nonblock) {
			bad("reader %d: read: %s", r, strerror(errno));
			return -1;
		}
		sh->r_eagain[r]++;
		wait_fd(fd, POLLIN, &sh->r_polls[r]);
	}
}

/*
 * The stream test's single reader: random read sizes, reassembly, and the
 * per-writer sequence check. Stops at the parent's end record.
 */
static void stream_reader(int nonblock)
{
	static uint8_t buf[1 << 17];
	uint32_t next[MAX_WRITERS] = { 0 };
	size_t have = 0, want;
	const char *why;
	struct record_hdr h;
	ssize_t n;
	int fd = open_dev(nonblock), done = 0, insync = 1;

	while (!done) {
		want = 1 + rnd_below(3 * PIPE_BUF);
		if (want > sizeof(buf) - have)
			want = sizeof(buf) - have;
		n = read_some(fd, nonblock, buf + have, want, 0);
		if (n < 0)
			break;
		sh->r_bytes[0] += n;
		have += n;
		while (have >= sizeof(h)) {
			memcpy(&h, buf, sizeof(h));
			if (h.magic != RECORD_MAGIC || h.len < sizeof(h) || h.len > PIPE_BUF) {
				/* not at a record boundary: interleaved or corrupt; resync */
				if (insync) {
					sh->r_bad[0]++;
					bad("stream: no record header at stream offset %llu",
					    sh->r_bytes[0] - have);
				}
				insync = 0;
				memmove(buf, buf + 1, --have);
				continue;
			}
			insync = 1;
			if (have < h.len)
				break;
			if (record_check(buf, h.len, &why)) {
				sh->r_bad[0]++;
				bad("stream: record (writer %u, seq %u, %u bytes): %s", h.writer, h.seq, h.len, why);
			} else if (h.writer == RECORD_END) {
				done = 1;
			} else if (h.writer >= MAX_WRITERS) {
				sh->r_bad[0]++;
				bad("stream: writer %u out of range", h.writer);
			} else {
				if (h.seq != next[h.writer]) {
					if (h.seq < next[h.writer])
						sh->r_dup[0]++;
					else
						sh->r_order[0]++;
					bad("stream: writer %u: seq %u, expected %u", h.writer, h.seq, next[h.writer]);
				}
				next[h.writer] = h.seq + 1;
				sh->r_records[0]++;
				sh->r_vbytes[0] += h.len;
			}
			memmove(buf, buf + h.len, have - h.len);
			have -= h.len;
		}
	}
	if (have)
		bad("stream: %zu bytes after the end record", have);
	close(fd);
	__atomic_add_fetch(&sh->child_failures, failures, __ATOMIC_RELAXED);
	_exit(failures ? 1 : 0);
}

/* A reader of the records test: reads of exactly @len bytes. */
static void records_reader(int r, size_t len)
{
	int nonblock = r & 1;
	int fd = open_dev(nonblock);
	int64_t last[MAX_WRITERS];
	uint8_t buf[PIPE_BUF];
	const char *why;
	struct record_hdr h;
	ssize_t n;
	int w;

	for (w = 0; w < MAX_WRITERS; w++)
		last[w] = -1;
	for (;;) {
		n = read_some(fd, nonblock, buf, len, r);
		if (n < 0)
			break;
		sh->r_bytes[r] += n;
		if ((size_t)n != len) {
			sh->r_bad[r]++;
			bad("reader %d: read of %zu bytes returned %zd: the FIFO holds only whole records", r, len, n);
			break;
		}
		if (record_check(buf, len, &why)) {
			sh->r_bad[r]++;
			bad("reader %d: %s", r, why);
			continue;
		}
		memcpy(&h, buf, sizeof(h));
		if (h.writer == RECORD_END)
			break;
		if (h.writer >= MAX_WRITERS || h.seq >= MAX_SEQ) {
			sh->r_bad[r]++;
			bad("reader %d: writer %u seq %u out of range", r, h.writer, h.seq);
			continue;
		}
		if ((int64_t)h.seq <= last[h.writer]) {
			sh->r_order[r]++;
			bad("reader %d: writer %u: seq %u after %lld", r, h.writer, h.seq, (long long)last[h.writer]);
		}
		last[h.writer] = h.seq;
		if (__atomic_fetch_or(&sh->seen[h.writer][h.seq / 8], 1u << (h.seq % 8), __ATOMIC_RELAXED) &
		    (1u << (h.seq % 8))) {
			sh->r_dup[r]++;
			bad("reader %d: writer %u seq %u read twice", r, h.writer, h.seq);
		}
		sh->r_records[r]++;
		sh->r_vbytes[r] += len;
	}
	close(fd);
	__atomic_add_fetch(&sh->child_failures, failures, __ATOMIC_RELAXED);
	_exit(failures ? 1 : 0);
}

static void dev_stats(int fd, struct lkmdemo_stats *st)
{
	if (ioctl(fd, LKMDEMO_IOC_GET_STATS, st)) {
		fprintf(stderr, "LKMDEMO_IOC_GET_STATS: %s\n", strerror(errno));
		exit(2);
	}
}

static void flush_dev(int fd)
{
	__u64 n;

	if (ioctl(fd, LKMDEMO_IOC_FLUSH, &n)) {
		fprintf(stderr, "LKMDEMO_IOC_FLUSH: %s\n", strerror(errno));
		exit(2);
	}
}

static pid_t spawn(void (*fn)(int, size_t), int i, size_t arg)
{
	pid_t p = fork();

	if (p < 0) {
		perror("fork");
		exit(2);
	}
	if (!p)
		fn(i, arg);
	return p;
}

static void stream_reader_fn(int nonblock, size_t unused) { (void)unused; stream_reader(nonblock); }
static void writer_fn(int w, size_t len) { writer(w, len); }
static void records_reader_fn(int r, size_t len) { records_reader(r, len); }

/* Wait for every child; a child that fails or hangs past @deadline fails. */
static void reap(pid_t *pids, int n, double deadline, const char *what)
{
	int i, st, left = n;

	while (left) {
		for (i = 0; i < n; i++) {
			if (!pids[i] || waitpid(pids[i], &st, WNOHANG) != pids[i])
				continue;
			if (!WIFEXITED(st) || WEXITSTATUS(st))
				bad("%s %d exited with status %#x", what, i, st);
			pids[i] = 0;
			left--;
		}
		if (left && now() > deadline) {
			bad("%d %s(s) hung (lost wake-up?)", left, what);
			for (i = 0; i < n; i++)
				if (pids[i])
					kill(pids[i], SIGKILL);
			deadline = now() + 1e9;
		}
		if (left)
			usleep(20000);
	}
}

static void setup_shared(void)
{
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED) {
		perror("mmap");
		exit(2);
	}
}

/* The end records: @n records of @len bytes from writer RECORD_END. */
static void write_end(int fd, int n, size_t len)
{
	uint8_t buf[PIPE_BUF];

	record_make(buf, RECORD_END, 0, len);
	while (n--)
		if (write(fd, buf, len) != (ssize_t)len)
			bad("end record: %s", strerror(errno));
}

/* Common end of both traffic tests: totals, FIFO counters, verdict. */
static int traffic_report(const char *name, int fd, int writers, int readers,
			  const struct lkmdemo_stats *before, size_t endbytes)
{
	unsigned long long wr = 0, wb = 0, wc = 0, rr = 0, rb = 0, rc = 0, ea = 0, po = 0, vb = 0;
	unsigned long long dup = 0, ord = 0, cor = 0;
	struct lkmdemo_stats st;
	int i;

	for (i = 0; i < writers; i++) {
		wr += sh->w_records[i]; wb += sh->w_bytes[i]; wc += sh->w_calls[i];
		ea += sh->w_eagain[i]; po += sh->w_polls[i];
	}
	for (i = 0; i < readers; i++) {
		rr += sh->r_records[i]; rb += sh->r_bytes[i]; rc += sh->r_calls[i]; vb += sh->r_vbytes[i];
		ea += sh->r_eagain[i]; po += sh->r_polls[i];
		dup += sh->r_dup[i]; ord += sh->r_order[i]; cor += sh->r_bad[i];
	}
	dev_stats(fd, &st);
	if (rb != wb + endbytes)
		bad("%s: %llu bytes read, %llu written", name, rb, wb + endbytes);
	if (vb != wb)
		bad("%s: %llu bytes of records verified, %llu written", name, vb, wb);
	if (rr != wr)
		bad("%s: %llu records verified, %llu written: %lld lost", name, rr, wr, (long long)(wr - rr));
	if (st.bytes_in - before->bytes_in != wb + endbytes || st.bytes_out - before->bytes_out != rb)
		bad("%s: FIFO counters moved by %llu in, %llu out", name,
		    (unsigned long long)(st.bytes_in - before->bytes_in),
		    (unsigned long long)(st.bytes_out - before->bytes_out));
	if (st.fill)
		bad("%s: %u bytes left in the FIFO", name, st.fill);
	printf("# %s: %d writers, %d readers: %llu records (%llu bytes) written in %llu write calls,"
	       " %llu records (%llu bytes) verified in %llu read calls (%llu bytes); EAGAIN %llu, poll %llu;"
	       " lost %lld, duplicated %llu, out of order %llu, corrupt/interleaved %llu\n",
	       name, writers, readers, wr, wb, wc, rr, vb, rc, rb, ea, po,
	       (long long)(wr - rr), dup, ord, cor);
	printf("# STRESS-COUNT %s_ops %llu\n", name, wc + rc);
	printf("# STRESS-COUNT %s_records %llu\n", name, rr);
	printf("# STRESS-COUNT %s_bytes_verified %llu\n", name, vb);
	printf("# STRESS-COUNT %s_lost %lld\n", name, (long long)(wr - rr));
	printf("# STRESS-COUNT %s_duplicated %llu\n", name, dup);
	printf("# STRESS-COUNT %s_interleaved %llu\n", name, cor + ord);
	return failures ? 1 : 0;
}

static int cmd_traffic(int records, int writers, int readers, double seconds)
{
	pid_t wp[MAX_WRITERS], rp[MAX_READERS];
	struct lkmdemo_stats before;
	int fd, i;
	size_t len = 0, endbytes;
	double t0 = now();
	char name[64];

	setup_shared();
	fd = open_dev(0);
	flush_dev(fd);
	dev_stats(fd, &before);
	if (records) {
		/* one size per run, from the seed: a header only .. PIPE_BUF */
		len = sizeof(struct record_hdr) + rnd_below(PIPE_BUF - sizeof(struct record_hdr) + 1);
		printf("# records: record size %zu\n", len);
		for (i = 0; i < readers; i++)
			rp[i] = spawn(records_reader_fn, i, len);
	} else {
		readers = 1;
		rp[0] = spawn(stream_reader_fn, 1, 0);
	}
	for (i = 0; i < writers; i++)
		wp[i] = spawn(writer_fn, i, len);
	while (now() - t0 < seconds)
		usleep(100000);
	sh->stop = 1;
	reap(wp, writers, now() + 60, "writer");
	/* every reader gets one end record; the stream reader needs only one */
	endbytes = records ? len : sizeof(struct record_hdr) + 100;
	write_end(fd, records ? readers : 1, endbytes);
	endbytes *= records ? readers : 1;
	reap(rp, readers, now() + 60, "reader");
	failures += sh->child_failures;
	/* STRESS_TAG in the environment tells one run of a test from another in the counts */
	snprintf(name, sizeof(name), "%s%s", records ? "records" : "stream",
		 getenv("STRESS_TAG") ? getenv("STRESS_TAG") : "");
	return traffic_report(name, fd, writers, readers, &before, endbytes);
}

/* ---- random inputs ---------------------------------------------------------------- */

static uint8_t *good;		/* a valid buffer of 2 pages... */
static uint8_t *edge;		/* ...whose second page is PROT_NONE: good + 4096 */
static long pagesz;

/*
 * True if no page of [p, p + len) is mapped (msync() fails with ENOMEM on a
 * hole) and the range is not within 64 MiB of our stack: a fault below the
 * stack grows it (up to RLIMIT_STACK), so such an address is valid for the
 * kernel's copy_to_user() although nothing is mapped there yet.
 */
static int unmapped(uintptr_t p, size_t len)
{
	uintptr_t first = p & ~((uintptr_t)pagesz - 1), end = p + (len ? len : 1);
	uintptr_t a, sp = (uintptr_t)&a, near = (uintptr_t)64 << 20;

	if (end < p)
		return 1;	/* wraps around the top: no such range */
	if (end > sp - near && p < sp + near)
		return 0;
	/* a >= first: stop where a wraps past the top */
	for (a = first; a < end && a >= first; a += pagesz)
		if (msync((void *)a, pagesz, MS_ASYNC) == 0 || errno != ENOMEM)
			return 0;
	return 1;
}

/*
 * A random pointer to @len bytes; *valid says whether the kernel must accept
 * it. The random address of case 5 is drawn until it is unmapped: on a
 * 32-bit machine a random word lands in one of our writable mappings often
 * enough (the first 32-bit ARM run found three) to be a valid buffer.
 */
static void *rnd_ptr(size_t len, int *valid)
{
	uintptr_t r;

	switch (rnd_below(8)) {
	case 0: *valid = 0; return NULL;
	case 1: *valid = 0; return (void *)1;
	case 2:	/* kernel text, of either word size (3G/1G split on 32-bit) */
		*valid = 0;
		return (void *)(uintptr_t)(sizeof(long) == 8 ? 0xffffffff81000000ull : 0xc0008000ul);
	case 3: *valid = 0; return edge;				/* PROT_NONE */
	case 4:	/* starts in the valid page, ends in the PROT_NONE one */
		*valid = 0;
		if (len < 2 || len > (size_t)pagesz)
			return edge;
		return edge - 1 - rnd_below(len - 1);
	case 5:
		*valid = 0;
		do
			r = (uintptr_t)rnd();
		while (!unmapped(r, len < (size_t)pagesz ? len : (size_t)pagesz));
		return (void *)r;
	default:
		*valid = len <= (size_t)pagesz;
		return *valid ? edge - len : good;
	}
}

static int errno_in(int e, const int *ok)
{
	for (; *ok; ok++)
		if (e == *ok)
			return 1;
	return 0;
}

static unsigned long long fz_ops, fz_rejects, fz_accepts;

/* One result: @r < 0 must carry an errno from @ok; @must_ok: it had to succeed. */
static void expect(const char *what, long r, int e, const int *ok, int must_ok)
{
	fz_ops++;
	if (r >= 0) {
		fz_accepts++;
		return;
	}
	fz_rejects++;
	if (must_ok)
		bad("%s: failed with %s, expected success", what, strerror(e));
	else if (!errno_in(e, ok))
		bad("%s: failed with unexpected errno %d (%s)", what, e, strerror(e));
}

/* The counters must always add up. */
static void check_invariant(int fd, const char *after)
{
	struct lkmdemo_stats st;

	dev_stats(fd, &st);
	if (st.bytes_in != st.bytes_out + st.bytes_flushed + st.fill || st.fill > st.capacity ||
	    st.pad || !st.openers)
		bad("after %s: stats inconsistent: in %llu out %llu flushed %llu fill %u cap %u openers %u pad %u",
		    after, (unsigned long long)st.bytes_in, (unsigned long long)st.bytes_out,
		    (unsigned long long)st.bytes_flushed, st.fill, st.capacity, st.openers, st.pad);
}

static const int E_IOCTL[] = { EFAULT, EINVAL, ENOTTY, 0 };
static const int E_RW[] = { EFAULT, EAGAIN, EINVAL, 0 };
static const int E_ATTR[] = { EINVAL, ENOSPC, ERANGE, E2BIG, 0 };

/* generic VFS ioctls that do_vfs_ioctl() handles before the driver sees them */
static int vfs_ioctl(unsigned int cmd)
{
	unsigned int type = _IOC_TYPE(cmd);

	return type == 'T' || type == 'X' || type == 'f' || type == 0x94 || type == 0 ||
	       type == 0x15 || type == 'v';
}

static void fuzz_ioctl(int fd)
{
	static const unsigned int cmds[] = { LKMDEMO_IOC_GET_STATS, LKMDEMO_IOC_FLUSH, LKMDEMO_IOC_PEEK };
	struct lkmdemo_stats st0, st1;
	unsigned int cmd;
	int valid, known = 0, pick = rnd_below(6);
	struct lkmdemo_peek *pk;
	void *arg;
	char what[96];
	long r;

	if (pick < 3) {
		cmd = cmds[pick];
		known = 1;
	} else if (pick == 3) {	/* our magic, random nr/size/direction */
		cmd = _IOC(rnd_below(4), LKMDEMO_IOC_MAGIC, rnd_below(8), rnd_below(64));
		known = cmd == cmds[0] || cmd == cmds[1] || cmd == cmds[2];
	} else {
		do
			cmd = rnd();
		while (vfs_ioctl(cmd) || _IOC_TYPE(cmd) == LKMDEMO_IOC_MAGIC);
	}
	snprintf(what, sizeof(what), "ioctl %#x", cmd);

	if (cmd == LKMDEMO_IOC_PEEK && rnd_below(2)) {
		/* a valid struct, random contents: buf, len and pad */
		int bvalid;
		uint32_t pad;
		size_t len = rnd_below(3) ? rnd_below(2 * pagesz) : (uint32_t)rnd();

		pk = (struct lkmdemo_peek *)(edge - sizeof(*pk));
		pk->buf = (uintptr_t)rnd_ptr(len, &bvalid);
		pk->len = len;
		pad = pk->pad = rnd_below(3) ? 0 : (uint32_t)rnd() | 1;
		dev_stats(fd, &st0);
		errno = 0;
		r = ioctl(fd, cmd, pk);
		if (pad && (r != -1 || errno != EINVAL))
			bad("PEEK with pad %#x: %ld (%s), expected EINVAL", pad, r, strerror(errno));
		expect(what, r, errno, E_IOCTL, !pad && bvalid && len <= (size_t)pagesz);
		dev_stats(fd, &st1);
		if (st1.bytes_out != st0.bytes_out || st1.fill != st0.fill)
			bad("PEEK consumed bytes");
		if (r == 0 && pk->len > st0.fill)
			bad("PEEK returned len %u > fill %u", pk->len, st0.fill);
		return;
	}
	arg = rnd_ptr(known ? _IOC_SIZE(cmd) : 64, &valid);
	snprintf(what, sizeof(what), "ioctl %#x, argument %p", cmd, arg);
	if (known && cmd == LKMDEMO_IOC_PEEK && valid)
		memset(arg, 0, sizeof(struct lkmdemo_peek));	/* buf 0, len 0 */
	errno = 0;
	r = ioctl(fd, cmd, arg);
	if (!known && (r != -1 || errno != ENOTTY))
		bad("unknown %s: %ld (%s), expected ENOTTY", what, r, strerror(errno));
	expect(what, r, errno, E_IOCTL, known && valid);
	if (known && !valid && r == 0)
		bad("%s (a bad pointer) succeeded", what);
}

static size_t rnd_size(unsigned int cap)
{
	static const size_t sizes[] = { 0, 1, PIPE_BUF - 1, PIPE_BUF, PIPE_BUF + 1 };

	switch (rnd_below(5)) {
	case 0: return sizes[rnd_below(5)];
	case 1: return cap + rnd_below(3) - 1;
	case 2: return rnd_below(1 << 20) + 1;
	default: return rnd_below(2 * PIPE_BUF);
	}
}

static uint8_t *bigbuf;
#define BIGBUF	(2u << 20)

static void fuzz_rw(int fd)
{
	struct lkmdemo_stats st0, st1;
	int valid, wr = rnd_below(2);
	size_t len = rnd_size(1 << 16);
	void *p;
	ssize_t r;
	char what[64];

	if (rnd_below(3) && len <= BIGBUF) {
		p = bigbuf;
		valid = 1;
	} else {
		p = rnd_ptr(len, &valid);
	}
	snprintf(what, sizeof(what), "%s of %zu bytes", wr ? "write" : "read", len);
	dev_stats(fd, &st0);
	errno = 0;
	r = wr ? write(fd, p, len) : read(fd, p, len);
	expect(what, r, errno, E_RW, 0);
	if (r < 0 && errno == EAGAIN && !(wr ? st0.fill == st0.capacity || len > st0.capacity - st0.fill
					     : st0.fill == 0))
		bad("%s: EAGAIN with fill %u of %u", what, st0.fill, st0.capacity);
	if (r > (ssize_t)len)
		bad("%s returned %zd", what, r);
	if (valid && r < 0 && errno == EFAULT)
		bad("%s: EFAULT on a valid buffer", what);
	dev_stats(fd, &st1);
	/* nothing else uses the FIFO now: the counters move by exactly the result */
	if (wr && st1.bytes_in - st0.bytes_in != (unsigned long long)(r > 0 ? r : 0))
		bad("%s returned %zd, bytes_in moved by %llu", what, r,
		    (unsigned long long)(st1.bytes_in - st0.bytes_in));
	if (!wr && st1.bytes_out - st0.bytes_out != (unsigned long long)(r > 0 ? r : 0))
		bad("%s returned %zd, bytes_out moved by %llu", what, r,
		    (unsigned long long)(st1.bytes_out - st0.bytes_out));
	if (wr && r > 0 && (size_t)r < len && len <= PIPE_BUF)
		bad("%s: short write %zd of an atomic size", what, r);
	/* vectors: a random split of the same request */
	if (rnd_below(4) == 0 && len <= BIGBUF && len > 1) {
		struct iovec iov[3];
		size_t a = rnd_below(len), b = rnd_below(len - a);

		iov[0] = (struct iovec){ bigbuf, a };
		iov[1] = (struct iovec){ rnd_below(2) ? bigbuf + a : (void *)edge, b };
		iov[2] = (struct iovec){ bigbuf + a + b, len - a - b };
		errno = 0;
		r = wr ? writev(fd, iov, 3) : readv(fd, iov, 3);
		expect(wr ? "writev" : "readv", r, errno, E_RW, 0);
	}
}

/* sysfs / parameter files */
static int read_file(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = 0;
	return 0;
}

/* write(2) of @val to @path: 0 or -errno (open errors too) */
static int write_file(const char *path, const char *val, size_t len)
{
	int fd = open(path, O_WRONLY), e;
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, val, len);
	e = errno;
	close(fd);
	if (n < 0)
		return -e;
	return 0;
}

static void rnd_value(char *buf, size_t size, size_t *len)
{
	static const char *const words[] = {
		"0", "1", "-1", "2", "99", "100", "101", "4096", "4097", "65536", "65537",
		"0x10", "010", "1e3", "", " ", "\n", "y", "n", "Y", "N", "on", "off", "true",
		"2147483647", "2147483648", "-2147483648", "4294967295", "4294967296",
		"18446744073709551616", "12abc", "+5", "0x", "whom\n", "a,b", "\xff\xfe",
	};
	size_t i, n;

	switch (rnd_below(4)) {
	case 0:	/* random bytes, any length up to the buffer */
		n = rnd_below(rnd_below(2) ? 16 : size);
		for (i = 0; i < n; i++)
			buf[i] = rnd();
		*len = n;
		return;
	case 1:
		*len = snprintf(buf, size, "%lld", (long long)(int64_t)rnd() >> rnd_below(64));
		return;
	default:
		n = rnd_below(sizeof(words) / sizeof(words[0]));
		*len = strlen(words[n]);
		memcpy(buf, words[n], *len);
		if (rnd_below(3) == 0)
			buf[(*len)++] = '\n';
		return;
	}
}

struct attr {
	const char *path;
	int numeric;		/* the accepted value reads back as the number written */
};

/* the writable ones; howmany is read-only (0444) and among fuzz_readonly()'s */
static const struct attr attrs[] = {
	{ PARAMS "whom", 0 },
	{ PARAMS "verbose", 0 },
	{ CLASS "write_lowat", 1 },
};

#define N_ATTRS (sizeof(attrs) / sizeof(attrs[0]))

static char saved[N_ATTRS][4096];

static void fuzz_attr(void)
{
	static char val[4000];
	const struct attr *a = &attrs[rnd_below(N_ATTRS)];
	char before[4096], after[4096], what[160];
	size_t len;
	int r;

	rnd_value(val, rnd_below(8) ? 64 : sizeof(val) - 1, &len);
	val[len] = 0;
	if (read_file(a->path, before, sizeof(before))) {
		bad("read %s: %s", a->path, strerror(errno));
		return;
	}
	r = write_file(a->path, val, len);
	snprintf(what, sizeof(what), "write of %zu bytes to %s", len, a->path);
	expect(what, r, -r, E_ATTR, 0);
	if (read_file(a->path, after, sizeof(after))) {
		bad("read %s: %s", a->path, strerror(errno));
		return;
	}
	if (r < 0 && strcmp(before, after))
		bad("%s was rejected (%s) but changed the value from %s to %s", what, strerror(-r), before, after);
	if (r == 0 && a->numeric) {
		char *end;
		long long want = strtoll(val, &end, 0), got = strtoll(after, NULL, 0);

		if (end != val && want != got)
			bad("%s: accepted %.*s, reads back %s", what, (int)len, val, after);
	}
}

static void restore_attrs(void)
{
	size_t i;
	int r;

	for (i = 0; i < N_ATTRS; i++) {
		r = write_file(attrs[i].path, saved[i], strlen(saved[i]));
		if (r)
			bad("restoring %s to %s: %s", attrs[i].path, saved[i], strerror(-r));
	}
}

/* read-only files: root may open them for writing only where that makes sense */
static void fuzz_readonly(void)
{
	static const char *const ro[] = {
		PARAMS "bufsize", PARAMS "banner", PARAMS "howmany", CLASS "bytes_in",
		CLASS "capacity", CLASS "fill",
	};
	const char *p = ro[rnd_below(sizeof(ro) / sizeof(ro[0]))];
	int r = write_file(p, "4096\n", 5);

	fz_ops++;
	if (r == 0)
		bad("write to read-only %s succeeded", p);
	else if (r != -EACCES && r != -EPERM && r != -EIO)
		bad("write to read-only %s: %s", p, strerror(-r));
	else
		fz_rejects++;
}

static int cmd_fuzz(unsigned long iters, uint64_t seed)
{
	unsigned long i;
	size_t k;
	int fd, fd2;

	rng_state = seed ? seed : 1;
	printf("# fuzz: %lu iterations, seed %llu\n", iters, (unsigned long long)seed);
	pagesz = sysconf(_SC_PAGESIZE);
	good = mmap(NULL, 2 * pagesz, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	bigbuf = mmap(NULL, BIGBUF, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (good == MAP_FAILED || bigbuf == MAP_FAILED || mprotect(good + pagesz, pagesz, PROT_NONE)) {
		perror("mmap");
		return 2;
	}
	edge = good + pagesz;
	memset(bigbuf, 'z', BIGBUF);
	for (k = 0; k < N_ATTRS; k++) {
		if (read_file(attrs[k].path, saved[k], sizeof(saved[k]))) {
			fprintf(stderr, "read %s: %s\n", attrs[k].path, strerror(errno));
			return 2;
		}
		saved[k][strcspn(saved[k], "\n")] = 0;
	}
	fd = open_dev(1);
	fd2 = open_dev(1);
	for (i = 0; i < iters; i++) {
		switch (rnd_below(10)) {
		case 0: case 1: case 2: fuzz_ioctl(fd); break;
		case 3: case 4: case 5: fuzz_rw(rnd_below(2) ? fd : fd2); break;
		case 6: case 7: fuzz_attr(); break;
		case 8: fuzz_readonly(); break;
		default: {
			/* lseek must fail on a stream; reopen now and then */
			off_t o = lseek(fd2, rnd_below(100), SEEK_SET);

			expect("lseek", o, errno, (const int[]){ ESPIPE, 0 }, 0);
			if (o >= 0)
				bad("lseek on /dev/lkmdemo succeeded");
			if (rnd_below(4) == 0) {
				close(fd2);
				fd2 = open_dev(rnd_below(2));
				fcntl(fd2, F_SETFL, O_NONBLOCK);
			}
		}
		}
		check_invariant(fd, "a random input");
		if (failures > 50)
			break;
	}
	restore_attrs();
	flush_dev(fd);
	close(fd2);
	close(fd);
	printf("# fuzz: %llu operations, %llu accepted, %llu rejected cleanly\n", fz_ops, fz_accepts, fz_rejects);
	count("fuzz_ops", fz_ops);
	count("fuzz_rejected", fz_rejects);
	return failures ? 1 : 0;
}

/* ---- open/close churn during load/unload cycles ---------------------------------- */

static volatile sig_atomic_t churn_stop;

static void on_term(int sig) { (void)sig; churn_stop = 1; }

static int cmd_churn(void)
{
	unsigned long long opens = 0, absent = 0, io = 0;
	struct lkmdemo_stats st;
	char buf[256];
	int fd;

	signal(SIGTERM, on_term);
	while (!churn_stop) {
		fd = open(DEV, O_RDWR | O_NONBLOCK);
		if (fd < 0) {
			/* between unload and load: no node, or the module is going */
			if (errno != ENOENT && errno != ENODEV && errno != ENXIO)
				bad("churn: open: %s", strerror(errno));
			absent++;
			usleep(2000);
			continue;
		}
		opens++;
		if (read(fd, buf, sizeof(buf)) < 0 && errno != EAGAIN)
			bad("churn: read: %s", strerror(errno));
		if (write(fd, "churn\n", 6) < 0 && errno != EAGAIN)
			bad("churn: write: %s", strerror(errno));
		if (ioctl(fd, LKMDEMO_IOC_GET_STATS, &st))
			bad("churn: GET_STATS: %s", strerror(errno));
		io += 3;
		close(fd);
		usleep(rnd_below(5000));
	}
	printf("# churn: %llu opens (with read, write, ioctl), %llu while absent\n", opens, absent);
	count("churn_opens", opens);
	count("churn_ops", io);
	return failures ? 1 : 0;
}

/* ---- init fault sweep -------------------------------------------------------------- */

static int exists(const char *p)
{
	struct stat s;

	return !lstat(p, &s);
}

static int set_fail_nth(int fd, unsigned int n)
{
	char b[16];
	int l = snprintf(b, sizeof(b), "%u", n);

	return pwrite(fd, b, l, 0) == l ? 0 : -1;
}

/*
 * For N = 1, 2, ...: fail the Nth fault-injection point (slab, page
 * allocation) that this task reaches inside finit_module(), then read
 * fail-nth back: 0 means the fault was injected. A load that fails must
 * leave nothing behind; the first load in which the Nth point is never
 * reached has run to completion with no fault and must succeed.
 */
static int cmd_failnth(const char *ko, const char *params)
{
	unsigned long long injected = 0, failed = 0, absorbed = 0;
	const char *left;
	char b[16];
	unsigned int n;
	int fnth, mfd, r, e, ok = 0;

	fnth = open("/proc/thread-self/fail-nth", O_RDWR);
	if (fnth < 0) {
		perror("/proc/thread-self/fail-nth");
		return 2;
	}
	for (n = 1; n < 100000; n++) {
		mfd = open(ko, O_RDONLY | O_CLOEXEC);
		if (mfd < 0) {
			perror(ko);
			return 2;
		}
		if (set_fail_nth(fnth, n)) {
			perror("fail-nth");
			return 2;
		}
		r = syscall(SYS_finit_module, mfd, params, 0);
		e = errno;
		if (pread(fnth, b, sizeof(b) - 1, 0) < 0) {
			perror("fail-nth");
			return 2;
		}
		b[sizeof(b) - 1] = 0;
		set_fail_nth(fnth, 0);
		close(mfd);
		if (atoi(b) != 0) {
			/* the Nth point was never reached: a load with no fault at all */
			if (r)
				bad("load with no fault injected failed: %s", strerror(e));
			else
				ok = 1;
			break;
		}
		injected++;
		if (r == 0) {
			/* the fault was absorbed (a fallback); the load is complete */
			absorbed++;
			if (syscall(SYS_delete_module, "lkmdemo", O_NONBLOCK))
				bad("fault %u absorbed, unload: %s", n, strerror(errno));
			continue;
		}
		failed++;
		if (e != ENOMEM && e != EINVAL && e != ENOSPC && e != EFAULT && e != EAGAIN && e != EIO &&
		    e != ENOENT && e != EEXIST && e != EBUSY && e != ENOEXEC)
			bad("fault %u: load failed with unexpected %s", n, strerror(e));
		left = exists("/sys/module/lkmdemo") ? "/sys/module/lkmdemo" :
		       exists(DEV) ? DEV : exists("/sys/class/misc/lkmdemo") ? "/sys/class/misc/lkmdemo" : NULL;
		if (left) {
			bad("fault %u (%s): %s remains after the failed load", n, strerror(e), left);
			if (failures > 10)
				break;
		}
	}
	close(fnth);
	printf("# failnth: %llu faults injected into the load: %llu failed cleanly, %llu absorbed;"
	       " load %u with no fault %s\n", injected, failed, absorbed, n, ok ? "succeeded" : "FAILED");
	count("faults_injected", injected);
	count("fault_failed_loads", failed);
	count("fault_absorbed", absorbed);
	if (ok && syscall(SYS_delete_module, "lkmdemo", O_NONBLOCK))
		bad("unload after the sweep: %s", strerror(errno));
	return failures || !ok ? 1 : 0;
}

static int usage(void)
{
	fprintf(stderr, "usage: lkmdemo_stress stream <writers> <seconds>\n"
			"       lkmdemo_stress records <writers> <readers> <seconds>\n"
			"       lkmdemo_stress fuzz <iterations> [seed]\n"
			"       lkmdemo_stress churn\n"
			"       lkmdemo_stress failnth <module.ko> [params]\n");
	return 2;
}

int main(int argc, char **argv)
{
	int r;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc < 2)
		return usage();
	rng_state ^= (uint64_t)time(NULL) * 0x9e3779b97f4a7c15ull;
	if ((!strcmp(argv[1], "stream") || !strcmp(argv[1], "records")) && argc >= 4 &&
	    (atoi(argv[2]) < 1 || atoi(argv[2]) > MAX_WRITERS ||
	     (argc == 5 && (atoi(argv[3]) < 1 || atoi(argv[3]) > MAX_READERS))))
		return usage();
	if (!strcmp(argv[1], "stream") && argc == 4)
		r = cmd_traffic(0, atoi(argv[2]), 1, atof(argv[3]));
	else if (!strcmp(argv[1], "records") && argc == 5)
		r = cmd_traffic(1, atoi(argv[2]), atoi(argv[3]), atof(argv[4]));
	else if (!strcmp(argv[1], "fuzz") && (argc == 3 || argc == 4))
		r = cmd_fuzz(strtoul(argv[2], NULL, 0), argc == 4 ? strtoull(argv[3], NULL, 0) : (uint64_t)time(NULL));
	else if (!strcmp(argv[1], "churn") && argc == 2)
		r = cmd_churn();
	else if (!strcmp(argv[1], "failnth") && (argc == 3 || argc == 4))
		r = cmd_failnth(argv[2], argc == 4 ? argv[3] : "");
	else
		return usage();
	printf("# STRESS-COUNT %s%s_failures %d\n", argv[1],
	       getenv("STRESS_TAG") ? getenv("STRESS_TAG") : "", failures);
	return r;
}
