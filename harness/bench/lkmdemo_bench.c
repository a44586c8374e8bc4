// SPDX-License-Identifier: GPL-2.0
/*
 * lkmdemo_bench - /dev/lkmdemo against the kernel's own pipe, side by side
 *
 * Runs inside the test guest (static, libc only). Every measurement is made
 * on /dev/lkmdemo and on a pipe(2) sized with F_SETPIPE_SZ to the capacity
 * of the lkmdemo FIFO, with the same byte budget or iteration count, in
 * alternating order, several times; the report gives the median, the
 * spread (min-max) and the ratio lkmdemo/pipe of the medians.
 *
 * Rows:
 * - stream: 1 writer process + 1 reader process, transfer sizes 1 B, 64 B,
 *   4 KiB and 64 KiB per write() and per read(); MB/s (10^6 bytes/s).
 *   Every read is checked against the writer's byte pattern (first and last
 *   byte of each read at its stream offset), and the total must match.
 * - sendfile file->fifo: 1 writer process moves a regular file into the
 *   channel with sendfile(2), 64 KiB per call (the kernel's sendfile() reads
 *   only from regular files and block devices, so this is the direction a
 *   FIFO or a pipe can take part in); 1 reader process read()s 64 KiB at a
 *   time and checks the bytes as in the stream rows. The file is made in
 *   /tmp (tmpfs in the guest) at the start, about 4 MiB of the writer's byte
 *   pattern, unlinked at once and sent round and round from the offset that
 *   keeps the pattern going. Into /dev/lkmdemo sendfile() copies through
 *   .write_iter (iter_file_splice_write); into a pipe the kernel may pass
 *   references to the file's pages instead. MB/s.
 * - splice fifo->pipe: 1 writer process write()s 64 KiB per call; 1 reader
 *   process splice(2)s up to 64 KiB at a time from the channel into an
 *   intermediate pipe (of the same capacity) and read()s them back from it,
 *   checking the bytes as in the stream rows, so the time includes that
 *   read. On /dev/lkmdemo splice() copies into new pages (copy_splice_read
 *   or generic_file_splice_read); from a pipe it moves the page references.
 *   MB/s.
 * - 4 writers + 4 readers, 4 KiB writes: each write is one atomic record
 *   (4 KiB <= PIPE_BUF) tagged with its writer and sequence number
 *   (record_tag(), harness/include/lkmdemo_record.h); the
 *   readers check every record and, per writer, the count and the sum of
 *   the sequence numbers, so a lost, duplicated or torn record fails.
 * - 4 writers + 4 readers, 64 KiB writes (not atomic, may interleave):
 *   byte counts only.
 * - one-byte ping-pong. /dev/lkmdemo is one FIFO shared by every opener:
 *   a process that writes a byte and then reads may read its own byte, so
 *   both directions cannot go over the device. The forward direction goes
 *   over the channel under test and the return always over a second pipe:
 *   "lkmdemo" is lkmdemo forward + pipe back, "pipe" is pipe + pipe. The
 *   round trip is measured; the one-way row is derived per repetition as
 *   rtt(lkmdemo+pipe) - rtt(pipe+pipe) / 2 against rtt(pipe+pipe) / 2.
 *
 * The byte budget (or iteration count) of a row is calibrated so that one
 * measurement on each channel takes about the target time on average. On
 * /dev/lkmdemo the FIFO is flushed (LKMDEMO_IOC_FLUSH) before each run,
 * which must discard nothing, and the counters (LKMDEMO_IOC_GET_STATS) must
 * grow by exactly the bytes sent and end with an empty FIFO. Any lost,
 * extra or corrupted byte, or a run that hangs (alarm), fails the whole
 * benchmark with exit status 1 and a LKMDEMO-BENCH-FAIL line.
 *
 * Each row also gives the context switches of the run's processes per 1000
 * transfers of the row's size (write() or sendfile() calls) or round trips
 * (getrusage() of the children), which shows wake-up behaviour independently
 * of the emulator's timing noise.
 *
 * Where the ring starts: the FIFO's head index equals its bytes_in counter
 * and a flush does not move it, so each lkmdemo run is started at the same
 * offset past a page boundary of the ring (-O, default 0: page-aligned, as
 * a pipe starts each write to an empty pipe on a fresh page) by writing and
 * flushing a few padding bytes. Without that, a run would start wherever the
 * previous run left the ring, and results would depend on test order.
 *
 * Under QEMU TCG without -icount the guest clock follows the host's, which
 * is shared: spreads can be wide. -p pins every process to one CPU; a QEMU
 * started with -icount gives deterministic times (instruction counts).
 *
 * Self-test: with -F the device is a named FIFO (mkfifo) instead, without
 * the ioctls; both columns are then pipes and every ratio should be near 1.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>

#include <linux/lkmdemo.h>

#include "lkmdemo_record.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define __printf(a, b)	__attribute__((format(printf, a, b)))
#define __noreturn	__attribute__((noreturn))

#define MAX_SIDE	4		/* writers or readers of one run */
#define MAX_REPS	51
#define PATTERN_MOD	251		/* prime: never aligned with a size */
#define CHILD_ALARM_S	60		/* a hung run fails after this */
#define CAL_MIN_S	0.02		/* calibration trial long enough */
/* sendfile source: the pattern repeats every SRC_PERIOD bytes of the file */
#define SRC_PERIOD	(PATTERN_MOD * 16384)
#define SRC_MAX_XFER	65536		/* the file goes on this far past it */

enum chan_kind { CH_DEV, CH_PIPE, CH_NR };

static const char *const chan_name[CH_NR] = { "lkmdemo", "pipe" };

enum test_kind { T_STREAM, T_PINGPONG };

/* How a stream row moves its bytes into and out of the channel. */
enum io_kind {
	IO_RW,		/* write() and read() */
	IO_SENDFILE,	/* sendfile() from a file in, read() out */
	IO_SPLICE,	/* write() in, splice() to a pipe and read() out */
};

struct test {
	const char *name;	/* row label */
	enum test_kind kind;
	int writers;
	int readers;
	size_t xfer;		/* bytes per write() and read() */
	bool records;		/* tagged, checked 4 KiB records */
	enum io_kind io;
	uint64_t budget;	/* bytes (stream) or round trips (ping-pong) */
	double val[CH_NR][MAX_REPS];	/* MB/s or us per round trip */
	double csw[CH_NR][MAX_REPS];	/* context switches per 1000 ops */
};

/* What the children report back, in a MAP_SHARED page. */
struct shared {
	double t_end[2 * MAX_SIDE];
	uint64_t bytes[2 * MAX_SIDE];
	/* per reader, per writer: records seen and the sum of seq + 1 */
	uint64_t rec_count[MAX_SIDE][MAX_SIDE];
	uint64_t rec_sum[MAX_SIDE][MAX_SIDE];
};

static const char *dev_path = "/dev/lkmdemo";
static const char *accel = "unknown";
static const char *csv_path;
static int reps = 5;		/* -r */
static int target_ms = 250;
static bool fifo_mode;		/* -F: dev_path is a named FIFO */
static int pin_cpu = -1;	/* -p: every process on this CPU */
static unsigned int ring_off;	/* -O: ring offset (mod 4096) of a run */
static unsigned int capacity;	/* FIFO capacity, bytes */
static int pipe_size;		/* what F_SETPIPE_SZ gave */
static int ctl_fd = -1;		/* parent's fd of the device */
static int src_fd = -1;		/* the sendfile source, unlinked */
static struct shared *sh;

static __printf(1, 2) __noreturn void fail(const char *fmt, ...);

static void fail(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "LKMDEMO-BENCH-FAIL: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	/* The host reads the console: say it on stdout too. */
	printf("LKMDEMO-BENCH-FAIL (see the message above)\n");
	fflush(stdout);
	exit(1);
}

/* In a child: report and leave without flushing the parent's stdio. */
static __printf(1, 2) __noreturn void child_fail(const char *fmt, ...);

static void child_fail(const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(msg, sizeof(msg) - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	if (n > (int)sizeof(msg) - 2)
		n = sizeof(msg) - 2;
	msg[n++] = '\n';
	if (write(STDERR_FILENO, msg, n) < 0)
		_exit(3);
	_exit(2);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void *xalloc(size_t size)
{
	void *p;

	if (posix_memalign(&p, 4096, size))
		child_fail("out of memory (%zu bytes)", size);
	return p;
}

/* write() all of @len bytes, as one call unless the kernel returns short. */
static void write_all(int fd, const void *buf, size_t len, const char *what)
{
	const char *p = buf;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			child_fail("%s: write: %s", what,
				   n ? strerror(errno) : "returned 0");
		p += n;
		len -= n;
	}
}

/* One read() of up to @len bytes; end of file or an error fails. */
static size_t read_some(int fd, void *buf, size_t len, const char *what)
{
	for (;;) {
		ssize_t n = read(fd, buf, len);

		if (n > 0)
			return n;
		if (n < 0 && errno == EINTR)
			continue;
		child_fail("%s: read: %s", what,
			   n ? strerror(errno) : "end of file (bytes lost)");
	}
}

static void dev_stats(struct lkmdemo_stats *st)
{
	if (ioctl(ctl_fd, LKMDEMO_IOC_GET_STATS, st))
		fail("%s: LKMDEMO_IOC_GET_STATS: %s", dev_path,
		     strerror(errno));
}

static uint64_t dev_flush(void)
{
	uint64_t n;

	if (ioctl(ctl_fd, LKMDEMO_IOC_FLUSH, &n))
		fail("%s: LKMDEMO_IOC_FLUSH: %s", dev_path, strerror(errno));
	return n;
}

/*
 * Start every run at the same place in the ring, ring_off bytes past a page
 * boundary: the head index is bytes_in, and a flush does not move it, so
 * otherwise each run would start wherever the previous traffic left it (a
 * pipe starts each write to an empty pipe on a fresh page). Writes and
 * flushes the padding; the FIFO is empty before and after.
 */
static void dev_align(void)
{
	static char pad[4096];
	struct lkmdemo_stats st;
	unsigned int off;
	ssize_t len, n;

	dev_stats(&st);
	off = st.bytes_in % 4096;
	len = (ring_off + 4096 - off) % 4096;
	if (!len)
		return;
	n = write(ctl_fd, pad, len);
	if (n != len)
		fail("%s: padding write of %zd bytes: %zd (%s)", dev_path, len,
		     n, n < 0 ? strerror(errno) : "short");
	if (dev_flush() != (uint64_t)len)
		fail("%s: flushing the padding: another producer is writing",
		     dev_path);
}

/* A data channel of one run: the device, or a fresh pipe of its capacity. */
struct chan {
	enum chan_kind kind;
	int pfd[2];
	struct lkmdemo_stats before;
};

static int make_pipe(int pfd[2], int size)
{
	int got;

	if (pipe(pfd))
		fail("pipe: %s", strerror(errno));
	if (!size)
		return 0;
	got = fcntl(pfd[1], F_SETPIPE_SZ, size);
	if (got < 0)
		fail("F_SETPIPE_SZ %d: %s", size, strerror(errno));
	return got;
}

static void chan_setup(struct chan *c, enum chan_kind kind)
{
	uint64_t n;

	c->kind = kind;
	c->pfd[0] = -1;
	c->pfd[1] = -1;
	if (kind == CH_PIPE) {
		if (make_pipe(c->pfd, capacity) != pipe_size)
			fail("pipe size changed");
		return;
	}
	if (fifo_mode)
		return;
	n = dev_flush();
	if (n)
		fail("flush before a run discarded %" PRIu64
		     " bytes: another producer is writing to %s", n, dev_path);
	dev_align();
	dev_stats(&c->before);
}

/* In a child: the fd of one end of the channel. */
static int chan_end(struct chan *c, bool writer)
{
	int fd;

	if (c->kind == CH_PIPE) {
		close(c->pfd[writer ? 0 : 1]);
		return c->pfd[writer ? 1 : 0];
	}
	fd = open(dev_path, writer ? O_WRONLY : O_RDONLY);
	if (fd < 0)
		child_fail("open %s: %s", dev_path, strerror(errno));
	return fd;
}

/* After a run: nothing left over, and the counters moved by @bytes. */
static void chan_check(struct chan *c, uint64_t bytes, const char *what)
{
	struct lkmdemo_stats st;
	int left = 0;

	if (c->kind == CH_PIPE) {
		if (ioctl(c->pfd[0], FIONREAD, &left) || left)
			fail("%s: pipe holds %d bytes after the run", what,
			     left);
		close(c->pfd[0]);
		close(c->pfd[1]);
		return;
	}
	if (fifo_mode) {
		if (ioctl(ctl_fd, FIONREAD, &left) || left)
			fail("%s: FIFO holds %d bytes after the run", what,
			     left);
		return;
	}
	dev_stats(&st);
	if (st.bytes_in - c->before.bytes_in != bytes ||
	    st.bytes_out - c->before.bytes_out != bytes || st.fill ||
	    st.bytes_flushed != c->before.bytes_flushed)
		fail("%s: lkmdemo counters moved by in %" PRIu64 " out %"
		     PRIu64 " flushed %" PRIu64 ", fill %u; expected %" PRIu64
		     " in and out, empty", what,
		     (uint64_t)(st.bytes_in - c->before.bytes_in),
		     (uint64_t)(st.bytes_out - c->before.bytes_out),
		     (uint64_t)(st.bytes_flushed - c->before.bytes_flushed),
		     st.fill, bytes);
}

/* Start barrier: children say "ready", then wait for end of file on go. */
struct barrier {
	int ready[2];
	int go[2];
};

static void child_wait_go(struct barrier *b)
{
	char c = 'r';

	close(b->ready[0]);
	close(b->go[1]);
	alarm(CHILD_ALARM_S);
	write_all(b->ready[1], &c, 1, "ready");
	close(b->ready[1]);
	if (read(b->go[0], &c, 1) != 0)
		child_fail("start barrier broken");
	close(b->go[0]);
}

/* The barrier of the run being started, for the children. */
static struct barrier *cur_barrier;

typedef void (*child_fn)(struct test *t, struct chan *c, int role);

/*
 * Fork @n children running @fn(t, c, role) for role 0..n-1, wait until
 * each has opened its ends and is ready, release them all at once and
 * return the time of the release.
 */
static double start_children(struct test *t, struct chan *c, child_fn fn,
			     int n, pid_t *pids)
{
	struct barrier b;
	char buf[2 * MAX_SIDE];
	size_t ready = 0;
	double t0;
	int i;

	cur_barrier = &b;
	if (pipe(b.ready) || pipe(b.go))
		fail("pipe: %s", strerror(errno));
	fflush(stdout);
	fflush(stderr);
	for (i = 0; i < n; i++) {
		pids[i] = fork();
		if (pids[i] < 0)
			fail("fork: %s", strerror(errno));
		if (!pids[i]) {
			fn(t, c, i);
			_exit(0);
		}
	}
	close(b.ready[1]);
	close(b.go[0]);
	while (ready < (size_t)n) {
		ssize_t r = read(b.ready[0], buf, n - ready);

		if (r <= 0)
			break;	/* a child died: wait_children() says why */
		ready += r;
	}
	t0 = now();
	close(b.go[1]);
	close(b.ready[0]);
	return t0;
}

/*
 * Reap the @n children of a run in the order they end. The first one that
 * fails takes the others down, as they may wait forever for its bytes.
 */
static void wait_children(struct test *t, enum chan_kind k, int n,
			  pid_t *pids)
{
	int left, i, j, status;
	pid_t pid;

	for (left = n; left; left--) {
		pid = waitpid(-1, &status, 0);
		if (pid < 0)
			fail("waitpid: %s", strerror(errno));
		for (i = 0; i < n && pids[i] != pid; i++)
			;
		if (i == n)
			fail("waitpid: unknown child %d", (int)pid);
		pids[i] = 0;
		if (WIFEXITED(status) && !WEXITSTATUS(status))
			continue;
		for (j = 0; j < n; j++)
			if (pids[j])
				kill(pids[j], SIGKILL);
		if (WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM)
			fail("%s, %zu B, on %s: child %d hung for %d s (bytes lost or a wake-up missed)",
			     t->name, t->xfer, chan_name[k], i, CHILD_ALARM_S);
		fail("%s, %zu B, on %s: child %d failed (status 0x%x)",
		     t->name, t->xfer, chan_name[k], i, status);
	}
}

/*
 * The source of the sendfile row: a regular file in /tmp of SRC_PERIOD +
 * SRC_MAX_XFER bytes, byte i being i % PATTERN_MOD, so that the stream byte
 * at offset n is at file offset n % SRC_PERIOD. Unlinked at once.
 */
static void setup_src_file(void)
{
	char path[] = "/tmp/lkmdemo_bench.XXXXXX";
	size_t len = SRC_PERIOD + SRC_MAX_XFER, done = 0;
	static char buf[PATTERN_MOD * 256];
	size_t i;

	src_fd = mkstemp(path);
	if (src_fd < 0)
		fail("%s: %s", path, strerror(errno));
	unlink(path);
	for (i = 0; i < sizeof(buf); i++)
		buf[i] = i % PATTERN_MOD;
	while (done < len) {
		size_t n = len - done < sizeof(buf) ? len - done : sizeof(buf);
		ssize_t r = write(src_fd, buf, n);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			fail("%s: write: %s", path,
			     r ? strerror(errno) : "returned 0");
		if (r != (ssize_t)n)
			fail("%s: short write", path);
		done += r;
	}
}

/* In a child: a pipe of the channel's capacity, for splice(2). */
static void child_pipe(int pfd[2])
{
	if (pipe(pfd))
		child_fail("pipe: %s", strerror(errno));
	if (fcntl(pfd[1], F_SETPIPE_SZ, capacity) != pipe_size)
		child_fail("F_SETPIPE_SZ %u: not %d bytes (%s)", capacity,
			   pipe_size, strerror(errno));
}

/*
 * The splice reader's read(): when the intermediate pipe @ip is empty
 * (*@held is 0), splice(2) up to @len bytes from the channel @fd into it;
 * then read() back up to @len of the bytes it holds into @buf.
 */
static size_t splice_read_some(int fd, int ip[2], size_t *held, void *buf,
			       size_t len)
{
	size_t r;

	while (!*held) {
		ssize_t n = splice(fd, NULL, ip[1], NULL, len, 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			child_fail("reader: splice: %s", n ?
				   strerror(errno) : "end of file (bytes lost)");
		*held = n;
	}
	r = read_some(ip[0], buf, *held < len ? *held : len, "reader");
	*held -= r;
	return r;
}

/* Roles 0..writers-1 write, the next readers roles read. */
static void stream_child(struct test *t, struct chan *c, int role)
{
	bool writer = role < t->writers;
	int idx = writer ? role : role - t->writers;
	int n = writer ? t->writers : t->readers;
	uint64_t quota = t->budget / n, done = 0;
	int fd = chan_end(c, writer);
	char *buf;

	buf = xalloc(t->xfer + PATTERN_MOD);
	if (writer) {
		size_t i;

		for (i = 0; i < t->xfer + PATTERN_MOD; i++)
			buf[i] = i % PATTERN_MOD;
	}
	child_wait_go(cur_barrier);

	if (writer && t->records) {
		uint32_t seq;

		for (seq = 0; done < quota; seq++) {
			record_tag(buf, idx, seq, t->xfer);
			write_all(fd, buf, t->xfer, "record writer");
			done += t->xfer;
		}
	} else if (writer && t->io == IO_SENDFILE) {
		while (done < quota) {
			size_t len = quota - done < t->xfer ?
				     quota - done : t->xfer;
			off_t off = done % SRC_PERIOD;
			ssize_t r = sendfile(fd, src_fd, &off, len);

			if (r < 0 && errno == EINTR)
				continue;
			if (r <= 0)
				child_fail("writer: sendfile: %s",
					   r ? strerror(errno) : "returned 0");
			done += r;
		}
	} else if (writer) {
		while (done < quota) {
			size_t len = quota - done < t->xfer ?
				     quota - done : t->xfer;
			ssize_t r = write(fd, buf + done % PATTERN_MOD, len);

			if (r < 0 && errno == EINTR)
				continue;
			if (r <= 0)
				child_fail("writer: write: %s",
					   r ? strerror(errno) : "returned 0");
			done += r;
		}
	} else {
		bool pattern = t->writers == 1 && t->readers == 1;
		size_t held = 0;
		int ip[2] = { -1, -1 };

		if (t->io == IO_SPLICE)
			child_pipe(ip);
		while (done < quota) {
			size_t len = quota - done < t->xfer ?
				     quota - done : t->xfer;
			size_t r = t->io == IO_SPLICE ?
				   splice_read_some(fd, ip, &held, buf, len) :
				   read_some(fd, buf, len, "reader");

			if (pattern &&
			    ((unsigned char)buf[0] != done % PATTERN_MOD ||
			     (unsigned char)buf[r - 1] !=
			     (done + r - 1) % PATTERN_MOD))
				child_fail("reader: wrong bytes at offset %" PRIu64
					   " (read of %zu): data lost, duplicated or reordered",
					   done, r);
			if (t->records) {
				struct record_hdr h;

				if (r != t->xfer)
					child_fail("reader: read %zu bytes, expected a whole %zu-byte record",
						   r, t->xfer);
				if (!record_tag_check(buf, r, t->writers, &h))
					child_fail("reader: torn or corrupt record at offset %" PRIu64,
						   done);
				sh->rec_count[idx][h.writer]++;
				sh->rec_sum[idx][h.writer] += (uint64_t)h.seq + 1;
			}
			done += r;
		}
		sh->t_end[role] = now();
	}
	sh->bytes[role] = done;
	_exit(0);
}

static double run_stream(struct test *t, enum chan_kind k)
{
	int n = t->writers + t->readers, i, w;
	pid_t pids[2 * MAX_SIDE];
	struct chan c;
	double t0, t1 = 0;
	uint64_t got = 0;

	memset(sh, 0, sizeof(*sh));
	chan_setup(&c, k);
	t0 = start_children(t, &c, stream_child, n, pids);
	wait_children(t, k, n, pids);

	for (i = 0; i < t->writers; i++)
		if (sh->bytes[i] != t->budget / t->writers)
			fail("%s on %s: writer %d wrote %" PRIu64 " bytes",
			     t->name, chan_name[k], i, sh->bytes[i]);
	for (i = t->writers; i < n; i++) {
		got += sh->bytes[i];
		if (sh->t_end[i] > t1)
			t1 = sh->t_end[i];
	}
	if (got != t->budget)
		fail("%s on %s: %" PRIu64 " bytes received, %" PRIu64 " sent",
		     t->name, chan_name[k], got, t->budget);
	for (w = 0; t->records && w < t->writers; w++) {
		uint64_t cnt = 0, sum = 0;
		uint64_t want = t->budget / t->writers / t->xfer;

		for (i = 0; i < t->readers; i++) {
			cnt += sh->rec_count[i][w];
			sum += sh->rec_sum[i][w];
		}
		if (cnt != want || sum != want * (want + 1) / 2)
			fail("%s on %s: writer %d: %" PRIu64 " of %" PRIu64
			     " records received (sequence sum %" PRIu64 ")",
			     t->name, chan_name[k], w, cnt, want, sum);
	}
	chan_check(&c, t->budget, t->name);
	return t1 - t0;
}

/* Role 0 pings over the channel and waits for the echo on a pipe. */
static int ret_pipe[2];

static void pingpong_child(struct test *t, struct chan *c, int role)
{
	bool pinger = role == 0;
	int fd = chan_end(c, pinger);
	uint64_t i;
	char b, e;

	if (pinger)
		close(ret_pipe[1]);
	else
		close(ret_pipe[0]);
	child_wait_go(cur_barrier);
	for (i = 0; i < t->budget; i++) {
		b = (char)i;
		if (pinger) {
			write_all(fd, &b, 1, "ping");
			read_some(ret_pipe[0], &e, 1, "ping");
		} else {
			read_some(fd, &e, 1, "pong");
			write_all(ret_pipe[1], &e, 1, "pong");
		}
		if (e != b)
			child_fail("%s: byte %" PRIu64 " came back as %d, sent %d",
				   pinger ? "ping" : "pong", i, e, b);
	}
	if (pinger)
		sh->t_end[0] = now();
	sh->bytes[role] = i;
	_exit(0);
}

static double run_pingpong(struct test *t, enum chan_kind k)
{
	pid_t pids[2];
	struct chan c;
	double t0;

	memset(sh, 0, sizeof(*sh));
	chan_setup(&c, k);
	make_pipe(ret_pipe, 0);
	t0 = start_children(t, &c, pingpong_child, 2, pids);
	wait_children(t, k, 2, pids);
	close(ret_pipe[0]);
	close(ret_pipe[1]);
	if (sh->bytes[0] != t->budget || sh->bytes[1] != t->budget)
		fail("%s on %s: %" PRIu64 "/%" PRIu64 " round trips of %" PRIu64,
		     t->name, chan_name[k], sh->bytes[0], sh->bytes[1],
		     t->budget);
	chan_check(&c, t->budget, t->name);
	return sh->t_end[0] - t0;
}

/* Context switches of all reaped children so far. */
static long children_csw(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_CHILDREN, &ru))
		fail("getrusage: %s", strerror(errno));
	return ru.ru_nvcsw + ru.ru_nivcsw;
}

/* Operations of a run: write() calls (stream) or round trips. */
static double ops_of(const struct test *t)
{
	return t->kind == T_STREAM ? (double)t->budget / t->xfer : t->budget;
}

/*
 * One run on channel @k: return its time in seconds; *@csw gets the
 * context switches (voluntary and not) of its processes per 1000 ops.
 */
static double run_once(struct test *t, enum chan_kind k, double *csw)
{
	long c0 = children_csw();
	double s;

	s = t->kind == T_STREAM ? run_stream(t, k) : run_pingpong(t, k);
	if (csw)
		*csw = (children_csw() - c0) * 1000.0 / ops_of(t);
	return s;
}

/* Smallest budget step: whole transfers for every writer and reader. */
static uint64_t budget_unit(const struct test *t)
{
	if (t->kind == T_PINGPONG)
		return 1;
	return t->xfer * t->writers * t->readers;
}

/*
 * Find a budget for which one run on each channel takes target_ms on
 * average: time growing trials on both channels until each takes
 * CAL_MIN_S, then scale with the harmonic mean of their rates.
 */
static void calibrate(struct test *t)
{
	uint64_t unit = budget_unit(t), start;
	double inv_rate = 0;
	int k;

	start = t->kind == T_PINGPONG ? 64 : 4096;
	start = (start + unit - 1) / unit * unit;
	for (k = 0; k < CH_NR; k++) {
		double s;

		t->budget = start;
		for (;;) {
			s = run_once(t, k, NULL);
			if (s >= CAL_MIN_S || t->budget >= (UINT64_C(1) << 40))
				break;
			t->budget *= 4;
		}
		inv_rate += s / t->budget / CH_NR;
	}
	t->budget = (uint64_t)(target_ms / 1e3 / inv_rate) / unit * unit;
	if (t->budget < unit)
		t->budget = unit;
}

static double value_of(const struct test *t, double s)
{
	if (t->kind == T_PINGPONG)
		return s * 1e6 / t->budget;	/* us per round trip */
	return t->budget / s / 1e6;		/* MB/s */
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

struct summary {
	double med, min, max;
};

static struct summary summarize(const double *v, int n)
{
	double s[MAX_REPS];
	struct summary r;

	memcpy(s, v, n * sizeof(*v));
	qsort(s, n, sizeof(*s), cmp_double);
	r.min = s[0];
	r.max = s[n - 1];
	r.med = n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
	return r;
}

static void run_test(struct test *t)
{
	int r;

	calibrate(t);
	for (r = 0; r < reps; r++) {
		/* alternate the order, so that drift hits both sides */
		int first = r % 2 ? CH_PIPE : CH_DEV;
		int k;

		for (k = 0; k < CH_NR; k++) {
			int ch = k ? !first : first;

			t->val[ch][r] = value_of(t, run_once(t, ch,
							&t->csw[ch][r]));
		}
	}
	fprintf(stderr, "lkmdemo_bench: %s done (budget %" PRIu64 ")\n",
		t->name, t->budget);
}

/* One output row: a label and two series of the same unit. */
struct row {
	char test[96];
	size_t size_bytes;
	int writers, readers;
	const char *unit;
	bool higher_better;
	uint64_t budget;
	const char *budget_unit;
	const double *v[CH_NR];
	const double *csw[CH_NR];
};

static const char *verdict(const struct row *r,
			   const struct summary s[CH_NR])
{
	bool overlap = s[CH_DEV].min <= s[CH_PIPE].max &&
		       s[CH_PIPE].min <= s[CH_DEV].max;
	bool dev_better = r->higher_better ? s[CH_DEV].med > s[CH_PIPE].med :
					     s[CH_DEV].med < s[CH_PIPE].med;

	if (overlap)
		return "within spread";
	return dev_better ? "lkmdemo faster" : "lkmdemo slower";
}

/* Median, min and max of a row's values (@s) and context switches (@c), per side. */
static void summarize_row(const struct row *r, struct summary *s, struct summary *c)
{
	int k;

	for (k = 0; k < CH_NR; k++) {
		s[k] = summarize(r->v[k], reps);
		c[k] = summarize(r->csw[k], reps);
	}
}

static void print_values(FILE *f, const double *v)
{
	int i;

	for (i = 0; i < reps; i++)
		fprintf(f, "%s%.6g", i ? " " : "", v[i]);
}

static void emit_csv(FILE *f, const struct row *rows, int nrows)
{
	struct utsname u;
	int i;

	uname(&u);
	fprintf(f, "kernel,machine,cpus,accel,capacity,test,writers,readers,size_bytes,unit,budget,budget_unit,lkmdemo_median,lkmdemo_min,lkmdemo_max,pipe_median,pipe_min,pipe_max,ratio,verdict,lkmdemo_cs_per_1k_ops,pipe_cs_per_1k_ops,lkmdemo_runs,pipe_runs\n");
	for (i = 0; i < nrows; i++) {
		const struct row *r = &rows[i];
		struct summary s[CH_NR], c[CH_NR];

		summarize_row(r, s, c);
		fprintf(f, "%s,%s,%ld,%s,%u,\"%s\",%d,%d,%zu,%s,%" PRIu64 ",%s,%.6g,%.6g,%.6g,%.6g,%.6g,%.6g,%.4f,%s,%.4g,%.4g,",
			u.release, u.machine, sysconf(_SC_NPROCESSORS_ONLN),
			accel, capacity, r->test, r->writers, r->readers,
			r->size_bytes, r->unit, r->budget, r->budget_unit,
			s[CH_DEV].med, s[CH_DEV].min, s[CH_DEV].max,
			s[CH_PIPE].med, s[CH_PIPE].min, s[CH_PIPE].max,
			s[CH_DEV].med / s[CH_PIPE].med, verdict(r, s),
			c[CH_DEV].med, c[CH_PIPE].med);
		print_values(f, r->v[CH_DEV]);
		fputc(',', f);
		print_values(f, r->v[CH_PIPE]);
		fputc('\n', f);
	}
}

static FILE *open_out(const char *path)
{
	FILE *f;

	if (!path)
		return NULL;
	f = fopen(path, "w");
	if (!f)
		fail("%s: %s", path, strerror(errno));
	return f;
}

static __noreturn void help(const char *argv0)
{
	fprintf(stderr,
		"usage: %s [-a accel] [-r reps] [-t target_ms] [-c out.csv]\n"
		"          [-d device] [-F -C capacity] [-p cpu] [-O offset]\n"
		"  -a  accelerator string for the header (tcg, kvm, ...)\n"
		"  -r  repetitions per side (default 5, at most %d)\n"
		"  -t  target time of one measurement in ms (default 250)\n"
		"  -c  write the CSV to a file; default: stdout, between\n"
		"      LKMDEMO-BENCH-CSV-BEGIN/END (bench/table.py renders it as Markdown)\n"
		"  -d  the device (default /dev/lkmdemo)\n"
		"  -F  self-test: -d is a named FIFO (mkfifo), -C its capacity;\n"
		"      both columns are then pipes and the ratios should be near 1\n"
		"  -p  run every process on this CPU (sched_setaffinity): measures the\n"
		"      driver's own costs without cross-CPU wake-ups, which an emulator\n"
		"      on a busy host makes very noisy\n"
		"  -O  start each lkmdemo run this many bytes past a page boundary of\n"
		"      the ring (default 0, like a pipe, whose writes to an empty pipe\n"
		"      start on a fresh page)\n",
		argv0, MAX_REPS);
	exit(2);
}

static void setup_device(void)
{
	struct lkmdemo_stats st;
	char path[] = "/sys/class/misc/lkmdemo/capacity";
	unsigned int sys_cap = 0;
	uint64_t n;
	FILE *f;

	if (fifo_mode) {
		ctl_fd = open(dev_path, O_RDWR);	/* keeps it open */
		if (ctl_fd < 0)
			fail("%s: %s", dev_path, strerror(errno));
		if (!capacity)
			fail("-F needs -C capacity");
		if (fcntl(ctl_fd, F_SETPIPE_SZ, capacity) < 0)
			fail("%s: F_SETPIPE_SZ: %s", dev_path, strerror(errno));
		return;
	}
	ctl_fd = open(dev_path, O_RDWR | O_NONBLOCK);
	if (ctl_fd < 0)
		fail("%s: %s (is lkmdemo loaded?)", dev_path, strerror(errno));
	dev_stats(&st);
	capacity = st.capacity;
	f = fopen(path, "r");
	if (f) {
		if (fscanf(f, "%u", &sys_cap) != 1 || sys_cap != capacity)
			fail("%s says %u, LKMDEMO_IOC_GET_STATS %u", path,
			     sys_cap, capacity);
		fclose(f);
	}
	n = dev_flush();
	fprintf(stderr, "lkmdemo_bench: flushed %" PRIu64
		" bytes queued before the benchmark\n", n);
}

int main(int argc, char **argv)
{
	static struct test tests[] = {
		{ .name = "stream 1w+1r", .writers = 1, .readers = 1,
		  .xfer = 1 },
		{ .name = "stream 1w+1r", .writers = 1, .readers = 1,
		  .xfer = 64 },
		{ .name = "stream 1w+1r", .writers = 1, .readers = 1,
		  .xfer = 4096 },
		{ .name = "stream 1w+1r", .writers = 1, .readers = 1,
		  .xfer = 65536 },
		{ .name = "stream 4w+4r, checked records", .writers = 4,
		  .readers = 4, .xfer = 4096, .records = true },
		{ .name = "stream 4w+4r", .writers = 4, .readers = 4,
		  .xfer = 65536 },
		/* sendfile: at most SRC_MAX_XFER, the file's slack */
		{ .name = "sendfile file->fifo", .writers = 1, .readers = 1,
		  .xfer = SRC_MAX_XFER, .io = IO_SENDFILE },
		{ .name = "splice fifo->pipe", .writers = 1, .readers = 1,
		  .xfer = 65536, .io = IO_SPLICE },
		{ .name = "ping-pong 1 B, round trip", .kind = T_PINGPONG,
		  .writers = 1, .readers = 1, .xfer = 1 },
	};
	const int ntests = ARRAY_SIZE(tests);
	struct row rows[ARRAY_SIZE(tests) + 1];
	static double ow[CH_NR][MAX_REPS];
	char header[512], pin_str[16] = "no";
	struct utsname u;
	FILE *csv;
	int opt, i, nrows = 0;
	double t_start = now();

	while ((opt = getopt(argc, argv, "a:r:t:c:d:FC:p:O:h")) != -1) {
		switch (opt) {
		case 'a':
			accel = optarg;
			break;
		case 'r':
			reps = atoi(optarg);
			break;
		case 't':
			target_ms = atoi(optarg);
			break;
		case 'c':
			csv_path = optarg;
			break;
		case 'd':
			dev_path = optarg;
			break;
		case 'F':
			fifo_mode = true;
			break;
		case 'C':
			capacity = strtoul(optarg, NULL, 0);
			break;
		case 'p':
			pin_cpu = atoi(optarg);
			break;
		case 'O':
			ring_off = strtoul(optarg, NULL, 0) % 4096;
			break;
		default:
			help(argv[0]);
		}
	}
	if (optind != argc || reps < 1 || reps > MAX_REPS || target_ms < 1)
		help(argv[0]);

	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED)
		fail("mmap: %s", strerror(errno));
	if (pin_cpu >= 0) {
		cpu_set_t set;

		CPU_ZERO(&set);
		CPU_SET(pin_cpu, &set);
		if (sched_setaffinity(0, sizeof(set), &set))
			fail("sched_setaffinity(cpu %d): %s", pin_cpu,
			     strerror(errno));
	}
	setup_device();
	{
		int pfd[2];

		pipe_size = make_pipe(pfd, capacity);
		close(pfd[0]);
		close(pfd[1]);
	}
	if ((unsigned int)pipe_size != capacity)
		fail("F_SETPIPE_SZ(%u) gave %d: no pipe of the same capacity",
		     capacity, pipe_size);
	setup_src_file();

	if (pin_cpu >= 0)
		snprintf(pin_str, sizeof(pin_str), "cpu%d", pin_cpu);
	uname(&u);
	snprintf(header, sizeof(header),
		 "LKMDEMO-BENCH kernel=%s machine=%s cpus=%ld accel=%s capacity=%u pipe_size=%d reps=%d target_ms=%d pinned=%s ring_offset=%u%s",
		 u.release, u.machine, sysconf(_SC_NPROCESSORS_ONLN), accel,
		 capacity, pipe_size, reps, target_ms, pin_str, ring_off,
		 fifo_mode ? " self-test=named-fifo" : "");
	printf("%s\n", header);
	fflush(stdout);

	for (i = 0; i < ntests; i++) {
		struct test *t = &tests[i];
		struct row *r = &rows[nrows++];

		run_test(t);
		memset(r, 0, sizeof(*r));
		snprintf(r->test, sizeof(r->test), "%s", t->name);
		r->size_bytes = t->xfer;
		r->writers = t->writers;
		r->readers = t->readers;
		r->budget = t->budget;
		r->v[CH_DEV] = t->val[CH_DEV];
		r->v[CH_PIPE] = t->val[CH_PIPE];
		r->csw[CH_DEV] = t->csw[CH_DEV];
		r->csw[CH_PIPE] = t->csw[CH_PIPE];
		if (t->kind == T_STREAM) {
			r->unit = "MB/s";
			r->higher_better = true;
			r->budget_unit = "bytes/run";
		} else {
			int j;

			r->unit = "us";
			r->budget_unit = "round trips/run";
			/* derived one-way latency, per repetition */
			for (j = 0; j < reps; j++) {
				ow[CH_PIPE][j] = t->val[CH_PIPE][j] / 2;
				ow[CH_DEV][j] = t->val[CH_DEV][j] -
						ow[CH_PIPE][j];
			}
			r = &rows[nrows++];
			*r = rows[nrows - 2];
			snprintf(r->test, sizeof(r->test),
				 "ping-pong 1 B, one-way (derived)");
			r->v[CH_DEV] = ow[CH_DEV];
			r->v[CH_PIPE] = ow[CH_PIPE];
		}
	}

	csv = open_out(csv_path);
	if (csv) {
		emit_csv(csv, rows, nrows);
		fclose(csv);
	} else {
		printf("LKMDEMO-BENCH-CSV-BEGIN\n");
		emit_csv(stdout, rows, nrows);
		printf("LKMDEMO-BENCH-CSV-END\n");
	}
	printf("LKMDEMO-BENCH-DONE %.1f s\n", now() - t_start);
	return 0;
}
