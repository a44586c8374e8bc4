// SPDX-License-Identifier: GPL-2.0-only
/*
 * Tests of /dev/lkmdemo: the FIFO with pipe(7) semantics shared by every
 * opener, its ioctls, sysfs attributes and module parameters. With
 * LKMDEMO_DEVICE=/dev/lkmdemo_rs, the same tests of the Rust twin, where those
 * that need what it lacks skip with the reason (struct lkmdemo_dut).
 *
 * Copyright (C) 2025 The lkmdemo authors
 *
 * Run as root with lkmdemo loaded; without the device every test skips
 * (exit status KSFT_SKIP). The FIFO is shared by every opener, so the tests
 * never discard data that is not theirs: they skip when the FIFO is not
 * empty to begin with, and remove only what they wrote. The lkmdemo_client
 * module posts into the FIFO on its own timer: the tests that count bytes
 * skip while it is loaded, and only the client test needs it.
 */

#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/select.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/lkmdemo.h>
#include "../../../kselftest_harness.h"

/*
 * The device under test and what it lacks, each with the reason: a test that
 * needs a feature skips where the device has a reason for it (lacks()).
 */
struct lkmdemo_dut {
	const char *name;	/* of the misc device and of the module */
	const char *no_poll;	/* poll(), select(), epoll */
	const char *no_sysfs;	/* attributes in /sys/class/misc/<name>/ */
	const char *no_params;	/* files in /sys/module/<name>/parameters/ */
	const char *no_stream;	/* pread() and pwrite() fail with ESPIPE */
	const char *no_splice;	/* splice(), sendfile() */
	const char *no_nowait;	/* RWF_NOWAIT, O_NONBLOCK set after open() */
	const char *no_pin;	/* an open file pins the module */
	const char *no_api;	/* the in-kernel API that lkmdemo_client uses */
};

static const struct lkmdemo_dut duts[] = {
	{ .name = "lkmdemo" },
	{	/* drivers/misc/lkmdemo/lkmdemo_rs.rs: what 7.2's Rust abstractions lack */
		.name = "lkmdemo_rs",
		.no_poll = "Rust's MiscDevice has no poll",
		.no_sysfs = "Rust's MiscDevice has no sysfs attributes",
		.no_params = "Rust module parameters have no sysfs files",
		.no_stream = "Rust's MiscDevice opens with generic_file_open(), not stream_open()",
		.no_splice = "Rust's MiscDevice has no splice_read or splice_write",
		.no_nowait = "Rust's Kiocb does not show the file's flags",
		.no_pin = "Rust's MiscDevice sets no .owner (Rust-for-Linux issue 1182)",
		.no_api = "no exports to C modules from Rust",
	},
};

/* The device under test: LKMDEMO_DEVICE (default /dev/lkmdemo), see pick_device(). */
static const struct lkmdemo_dut *dut = &duts[0];
static char dev_path[64], sysfs_dev[96], sysfs_mod[96], sysfs_param[128];

#define DEV		dev_path
#define SYSFS_CLIENT	"/sys/module/lkmdemo_client/"

/* @file in @dir, in one of four buffers: a call can name two paths. */
static const char *in_dir(const char *dir, const char *file)
{
	static char bufs[4][PATH_MAX];
	static unsigned int next;
	char *path = bufs[next++ % 4];

	snprintf(path, PATH_MAX, "%s%s", dir, file);
	return path;
}

#define DEV_ATTR(file)	in_dir(sysfs_dev, file)
#define MOD_FILE(file)	in_dir(sysfs_mod, file)
#define PARAM(file)	in_dir(sysfs_param, file)

/*
 * LKMDEMO_DEVICE=/dev/<name> picks the device under test, one of duts[];
 * anything else is an error, not a silent test of another device.
 */
static void pick_device(void)
{
	const char *env = getenv("LKMDEMO_DEVICE");
	size_t i;

	if (env && *env) {
		dut = NULL;
		for (i = 0; i < ARRAY_SIZE(duts); i++) {
			snprintf(dev_path, sizeof(dev_path), "/dev/%s", duts[i].name);
			if (!strcmp(env, dev_path))
				dut = &duts[i];
		}
		if (!dut) {
			ksft_print_header();
			ksft_exit_fail_msg("LKMDEMO_DEVICE=%s: not %s or %s\n", env,
					   "/dev/lkmdemo", "/dev/lkmdemo_rs");
		}
	}
	snprintf(dev_path, sizeof(dev_path), "/dev/%s", dut->name);
	snprintf(sysfs_dev, sizeof(sysfs_dev), "/sys/class/misc/%s/", dut->name);
	snprintf(sysfs_mod, sizeof(sysfs_mod), "/sys/module/%s/", dut->name);
	snprintf(sysfs_param, sizeof(sysfs_param), "%sparameters/", sysfs_mod);
}

/* Skip the test if the device under test lacks what it needs (@why: why). */
static bool lacks(struct __test_metadata *_metadata, const char *why)
{
	if (why)
		SKIP(return true, "%s: %s", dut->name, why);
	return false;
}

#define READABLE	(POLLIN | POLLRDNORM)
#define WRITABLE	(POLLOUT | POLLWRNORM)

/* Largest FIFO: bufsize is a power of two up to 1 MiB. */
#define MAX_CAPACITY	1048576

/* Time a child gets to reach its blocking call before we check it blocks. */
#define SETTLE_US	100000

/* Room for more than the largest FIFO holds. */
static unsigned char big[MAX_CAPACITY + 2 * PIPE_BUF];

/* sysfs helpers: 0 or -errno */

static int sysfs_read(const char *path, char *buf, size_t size)
{
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, size - 1);
	if (n < 0)
		n = -errno;
	close(fd);
	if (n < 0)
		return n;
	buf[n] = '\0';
	if (n > 0 && buf[n - 1] == '\n')
		buf[n - 1] = '\0';
	return 0;
}

static int sysfs_read_ull(const char *path, unsigned long long *val)
{
	char buf[64], *end;
	int ret;

	ret = sysfs_read(path, buf, sizeof(buf));
	if (ret)
		return ret;
	errno = 0;
	*val = strtoull(buf, &end, 10);
	if (errno || end == buf || *end)
		return -EINVAL;
	return 0;
}

/* One write(2) of @val, without a newline, on a fresh open file. */
static int sysfs_write(const char *path, const char *val)
{
	ssize_t n;
	int fd;

	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -errno;
	n = write(fd, val, strlen(val));
	if (n < 0)
		n = -errno;
	close(fd);
	if (n < 0)
		return n;
	return n == (ssize_t)strlen(val) ? 0 : -EIO;
}

static int sysfs_write_ull(const char *path, unsigned long long val)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%llu", val);
	return sysfs_write(path, buf);
}

/* Permission bits of @path, or -errno. */
static int file_mode(const char *path)
{
	struct stat st;

	if (stat(path, &st))
		return -errno;
	return st.st_mode & 07777;
}

static bool client_loaded(void)
{
	return access(SYSFS_CLIENT, F_OK) == 0;
}

/* FIFO helpers */

static int get_stats(int fd, struct lkmdemo_stats *st)
{
	memset(st, 0xcc, sizeof(*st));
	return ioctl(fd, LKMDEMO_IOC_GET_STATS, st);
}

static long long fifo_fill(int fd)
{
	struct lkmdemo_stats st;

	if (get_stats(fd, &st))
		return -1;
	return st.fill;
}

static int peek(int fd, void *buf, __u32 *len)
{
	struct lkmdemo_peek args = {
		.buf = (uintptr_t)buf,
		.len = *len,
	};
	int ret;

	ret = ioctl(fd, LKMDEMO_IOC_PEEK, &args);
	*len = args.len;
	return ret;
}

/* The byte at offset @i of a test stream: period 251, prime to any FIFO size. */
static void pattern(unsigned char *buf, size_t len, size_t start)
{
	size_t i;

	for (i = 0; i < len; i++)
		buf[i] = (start + i) % 251;
}

/* Offset of the first byte of @buf that is not the pattern, or @len. */
static size_t pattern_mismatch(const unsigned char *buf, size_t len, size_t start)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (buf[i] != (start + i) % 251)
			break;
	return i;
}

/* Write @len pattern bytes from offset @start with O_NONBLOCK: bytes stored. */
static size_t put(int nbfd, size_t len, size_t start)
{
	unsigned char chunk[PIPE_BUF];
	size_t done = 0;
	ssize_t n;

	while (done < len) {
		size_t c = len - done < sizeof(chunk) ? len - done : sizeof(chunk);

		pattern(chunk, c, start + done);
		n = write(nbfd, chunk, c);
		if (n <= 0)
			break;
		done += n;
	}
	return done;
}

/* Read @len bytes with O_NONBLOCK and check they continue the pattern at @start. */
static bool get(int nbfd, size_t len, size_t start)
{
	unsigned char chunk[PIPE_BUF];
	size_t done = 0;
	ssize_t n;

	while (done < len) {
		size_t c = len - done < sizeof(chunk) ? len - done : sizeof(chunk);

		n = read(nbfd, chunk, c);
		if (n <= 0 || pattern_mismatch(chunk, n, start + done) != (size_t)n)
			return false;
		done += n;
	}
	return true;
}

static short poll_events(int fd)
{
	struct pollfd pfd = { .fd = fd, .events = READABLE | WRITABLE };

	if (poll(&pfd, 1, 0) < 0)
		return -1;
	return pfd.revents;
}

/* Signals: SIGALRM makes blocked calls fail with EINTR instead of hanging. */

static atomic_int signals_caught;

static void count_signal(int sig)
{
	signals_caught++;
}

static int catch_signal(int sig, bool restart)
{
	struct sigaction sa = {
		.sa_handler = count_signal,
		.sa_flags = restart ? SA_RESTART : 0,
	};

	sigemptyset(&sa.sa_mask);
	atomic_store(&signals_caught, 0);
	return sigaction(sig, &sa, NULL);
}

/* SIGALRM in @ms milliseconds, without SA_RESTART. */
static int alarm_ms(unsigned int ms)
{
	struct itimerval it = {
		.it_value = { .tv_sec = ms / 1000, .tv_usec = ms % 1000 * 1000 },
	};

	if (catch_signal(SIGALRM, false))
		return -1;
	return setitimer(ITIMER_REAL, &it, NULL);
}

static void alarm_cancel(void)
{
	struct itimerval it = {};

	setitimer(ITIMER_REAL, &it, NULL);
}

/* Children: they die with the test and report through their exit status. */

static pid_t fork_child(void)
{
	pid_t pid = fork();

	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		signal(SIGALRM, SIG_DFL);
		alarm(10);	/* a stuck child dies */
	}
	return pid;
}

/* Exit status of @pid, 128 + signal if killed, -1 on error. */
static int wait_child(pid_t pid)
{
	int status;

	if (waitpid(pid, &status, 0) != pid)
		return -1;
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

/*
 * A child that writes @len pattern bytes from @start to @fd after SETTLE_US,
 * when the parent is blocked waiting for them; it exits 0 if all were stored.
 */
static pid_t fork_late_put(int fd, size_t len, size_t start)
{
	pid_t pid = fork_child();

	if (pid == 0) {
		usleep(SETTLE_US);
		_exit(put(fd, len, start) == len ? 0 : 1);
	}
	return pid;
}

/* An epoll instance that watches @fd for EPOLLIN, edge-triggered; -1 on error. */
static int epoll_in_et(int fd)
{
	struct epoll_event ev = { .events = EPOLLIN | EPOLLET };
	int ep = epoll_create1(0);

	if (ep >= 0 && epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev)) {
		close(ep);
		ep = -1;
	}
	return ep;
}

/* True if @pid is still running after SETTLE_US: it is blocked. */
static bool child_blocks(pid_t pid)
{
	int status;

	usleep(SETTLE_US);
	return waitpid(pid, &status, WNOHANG) == 0;
}

/* /proc/modules reference count of the module, -1 if it is not a loaded one. */
static int module_refcount(void)
{
	char line[512], name[64];
	int refs = -1, n;
	FILE *f;

	f = fopen("/proc/modules", "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%63s %*u %d", name, &n) == 2 && !strcmp(name, dut->name)) {
			refs = n;
			break;
		}
	}
	fclose(f);
	return refs;
}

/*
 * Without the device there is nothing to test: skip the whole program, as
 * kselftests do for a feature the running kernel lacks (exit KSFT_SKIP).
 */
static void __attribute__((constructor)) skip_without_device(void)
{
	pick_device();
	if (access(DEV, F_OK) && errno == ENOENT) {
		ksft_print_header();
		ksft_exit_skip("%s does not exist: load %s (modprobe %s)\n", DEV,
			       dut->name, dut->name);
	}
}

/*
 * Everything that was queued at load (banner lines) is consumed by the first
 * fixture, so this runs first: the banner module parameter, one line each, is
 * at the head of the FIFO if nothing was read or flushed since load.
 */
TEST(banner_queued_at_load)
{
	char banner[1024], want[1100], *line, *save;
	struct lkmdemo_stats st;
	unsigned char got[1100];
	__u32 len;
	int fd;

	if (access(DEV, F_OK) && errno == ENOENT)
		SKIP(return, "%s does not exist: lkmdemo is not loaded", DEV);
	if (geteuid() != 0)
		SKIP(return, "needs root: %s is mode 0600", DEV);
	if (lacks(_metadata, dut->no_params))
		return;
	ASSERT_EQ(0, sysfs_read(PARAM("banner"), banner, sizeof(banner)));
	fd = open(DEV, O_RDWR | O_NONBLOCK);
	ASSERT_LE(0, fd) TH_LOG("open %s: %s", DEV, strerror(errno));
	ASSERT_EQ(0, get_stats(fd, &st));
	if (st.bytes_out || st.bytes_flushed || !banner[0] || client_loaded()) {
		close(fd);
		SKIP(return, "no banner given, or the FIFO was used since load");
	}

	want[0] = '\0';
	for (line = strtok_r(banner, ",", &save); line; line = strtok_r(NULL, ",", &save)) {
		strncat(want, line, sizeof(want) - strlen(want) - 2);
		strcat(want, "\n");
	}
	memset(got, 0xcc, sizeof(got));
	len = strlen(want);
	EXPECT_EQ(0, peek(fd, got, &len));
	EXPECT_EQ(strlen(want), len);
	EXPECT_EQ(0, memcmp(want, got, strlen(want)));
	close(fd);
}

TEST(device_node)
{
	char sysdev[32], want[32];
	struct stat st;

	if (stat(DEV, &st) && errno == ENOENT)
		SKIP(return, "%s does not exist: lkmdemo is not loaded", DEV);
	ASSERT_EQ(0, stat(DEV, &st)) TH_LOG("%s: %s", DEV, strerror(errno));
	EXPECT_TRUE(S_ISCHR(st.st_mode));
	EXPECT_EQ(0600, st.st_mode & 07777);
	EXPECT_EQ(10, major(st.st_rdev));	/* MISC_MAJOR */
	ASSERT_EQ(0, sysfs_read(DEV_ATTR("dev"), sysdev, sizeof(sysdev)));
	snprintf(want, sizeof(want), "%u:%u", major(st.st_rdev), minor(st.st_rdev));
	EXPECT_STREQ(want, sysdev);
}

FIXTURE(lkmdemo) {
	int fd;			/* blocking */
	int nbfd;		/* O_NONBLOCK */
	unsigned int capacity;
	unsigned long long lowat;	/* write_lowat at setup, restored at teardown */
};

FIXTURE_SETUP(lkmdemo)
{
	struct lkmdemo_stats st;
	int fd;

	/*
	 * The harness of 5.10 and 6.1 runs the test body even after a SKIP()
	 * here: every body returns at once if self->fd < 0.
	 */
	self->fd = -1;
	self->nbfd = -1;
	if (access(DEV, F_OK) && errno == ENOENT)
		SKIP(return, "%s does not exist: lkmdemo is not loaded", DEV);
	if (geteuid() != 0)
		SKIP(return, "needs root: %s is mode 0600", DEV);
	if (client_loaded())
		SKIP(return, "lkmdemo_client is loaded and posts into the FIFO");

	fd = open(DEV, O_RDWR);
	ASSERT_LE(0, fd) TH_LOG("open %s: %s", DEV, strerror(errno));
	ASSERT_EQ(0, get_stats(fd, &st));
	if (st.fill) {
		close(fd);
		SKIP(return, "the FIFO holds %u bytes of someone else's: not discarding them",
		     st.fill);
	}
	self->fd = fd;
	self->nbfd = open(DEV, O_RDWR | O_NONBLOCK);
	ASSERT_LE(0, self->nbfd);
	self->capacity = st.capacity;
	ASSERT_GE(MAX_CAPACITY, self->capacity);
	if (!dut->no_sysfs)
		ASSERT_EQ(0, sysfs_read_ull(DEV_ATTR("write_lowat"), &self->lowat));
}

FIXTURE_TEARDOWN(lkmdemo)
{
	__u64 flushed;

	if (self->fd < 0)
		return;
	alarm_cancel();
	if (!dut->no_sysfs)
		EXPECT_EQ(0, sysfs_write_ull(DEV_ATTR("write_lowat"), self->lowat));
	/* The FIFO was empty at setup: what is left, the test wrote. */
	EXPECT_EQ(0, ioctl(self->fd, LKMDEMO_IOC_FLUSH, &flushed));
	close(self->nbfd);
	close(self->fd);
}

TEST_F(lkmdemo, read_empty_nonblock)
{
	unsigned char buf[16];

	if (self->fd < 0)
		return;
	memset(buf, 0xcc, sizeof(buf));
	EXPECT_EQ(-1, read(self->nbfd, buf, sizeof(buf)));
	EXPECT_EQ(EAGAIN, errno);
	EXPECT_EQ(0xcc, buf[0]);
}

/* O_NONBLOCK set after open() counts too. */
TEST_F(lkmdemo, nonblock_set_after_open)
{
	unsigned char buf[16];
	int flags;

	if (self->fd < 0 || lacks(_metadata, dut->no_nowait))
		return;
	flags = fcntl(self->fd, F_GETFL);
	ASSERT_EQ(0, fcntl(self->fd, F_SETFL, flags | O_NONBLOCK));
	EXPECT_EQ(-1, read(self->fd, buf, sizeof(buf)));
	EXPECT_EQ(EAGAIN, errno);
	ASSERT_EQ(0, fcntl(self->fd, F_SETFL, flags));
}

/* RWF_NOWAIT makes one call non-blocking on a blocking file. */
TEST_F(lkmdemo, rwf_nowait)
{
	unsigned char buf[16] = {};
	struct iovec iov = { .iov_base = buf, .iov_len = sizeof(buf) };

	if (self->fd < 0 || lacks(_metadata, dut->no_nowait))
		return;
	ASSERT_EQ(0, alarm_ms(2000));
	EXPECT_EQ(-1, preadv2(self->fd, &iov, 1, -1, RWF_NOWAIT));
	EXPECT_EQ(EAGAIN, errno);
	ASSERT_EQ(self->capacity, put(self->nbfd, self->capacity, 0));
	EXPECT_EQ(-1, pwritev2(self->fd, &iov, 1, -1, RWF_NOWAIT));
	EXPECT_EQ(EAGAIN, errno);
	alarm_cancel();
	EXPECT_EQ(0, atomic_load(&signals_caught));
	EXPECT_EQ(self->capacity, fifo_fill(self->fd));
}

TEST_F(lkmdemo, zero_length)
{
	struct lkmdemo_stats st0, st;
	unsigned char buf[1];

	if (self->fd < 0)
		return;
	ASSERT_EQ(0, get_stats(self->fd, &st0));
	/* neither blocks, on an empty or a full FIFO */
	ASSERT_EQ(0, alarm_ms(2000));
	EXPECT_EQ(0, read(self->fd, buf, 0));
	EXPECT_EQ(0, write(self->fd, buf, 0));
	ASSERT_EQ(self->capacity, put(self->nbfd, self->capacity, 0));
	EXPECT_EQ(0, write(self->fd, buf, 0));
	alarm_cancel();
	EXPECT_EQ(0, atomic_load(&signals_caught));
	ASSERT_EQ(0, get_stats(self->fd, &st));
	EXPECT_EQ(st0.bytes_in + self->capacity, st.bytes_in);
	EXPECT_EQ(st0.bytes_out, st.bytes_out);
}

TEST_F(lkmdemo, write_then_read)
{
	unsigned char in[1000], out[PIPE_BUF];
	ssize_t n;

	if (self->fd < 0)
		return;
	pattern(in, sizeof(in), 0);
	EXPECT_EQ(sizeof(in), write(self->fd, in, sizeof(in)));
	EXPECT_EQ(sizeof(in), fifo_fill(self->fd));

	/* a read returns what is there, without waiting for more */
	memset(out, 0xcc, sizeof(out));
	ASSERT_EQ(0, alarm_ms(2000));
	n = read(self->fd, out, sizeof(out));
	alarm_cancel();
	EXPECT_EQ(sizeof(in), n);
	EXPECT_EQ(0, memcmp(in, out, sizeof(in)));
	EXPECT_EQ(0xcc, out[sizeof(in)]);
	EXPECT_EQ(0, fifo_fill(self->fd));

	/* a short read leaves the rest, in order */
	EXPECT_EQ(100, write(self->fd, in, 100));
	memset(out, 0xcc, sizeof(out));
	EXPECT_EQ(30, read(self->fd, out, 30));
	EXPECT_EQ(0xcc, out[30]);
	EXPECT_EQ(70, read(self->fd, out + 30, 1000));
	EXPECT_EQ(0, memcmp(in, out, 100));
	EXPECT_EQ(0xcc, out[100]);
}

TEST_F(lkmdemo, readv_writev)
{
	unsigned char in[30], out[64];
	struct iovec wv[] = {
		{ .iov_base = in, .iov_len = 10 },
		{ .iov_base = in + 10, .iov_len = 0 },
		{ .iov_base = in + 10, .iov_len = 20 },
	};
	struct iovec rv[] = {
		{ .iov_base = out, .iov_len = 7 },
		{ .iov_base = out + 7, .iov_len = 50 },
	};

	if (self->fd < 0)
		return;
	pattern(in, sizeof(in), 0);
	memset(out, 0xcc, sizeof(out));
	EXPECT_EQ(30, writev(self->fd, wv, ARRAY_SIZE(wv)));
	EXPECT_EQ(30, readv(self->fd, rv, ARRAY_SIZE(rv)));
	EXPECT_EQ(0, memcmp(in, out, sizeof(in)));
	EXPECT_EQ(0xcc, out[30]);
}

TEST_F(lkmdemo, fill_to_capacity)
{
	unsigned char byte = 0;

	if (self->fd < 0)
		return;
	EXPECT_EQ(self->capacity, put(self->nbfd, self->capacity + PIPE_BUF, 0));
	EXPECT_EQ(self->capacity, fifo_fill(self->nbfd));
	EXPECT_EQ(-1, write(self->nbfd, &byte, 1));
	EXPECT_EQ(EAGAIN, errno);
	if (!dut->no_poll)
		EXPECT_EQ(READABLE, poll_events(self->fd));
	/* everything comes back in order */
	EXPECT_TRUE(get(self->nbfd, self->capacity, 0));
	EXPECT_EQ(0, fifo_fill(self->nbfd));
}

/* Past PIPE_BUF, a non-blocking write stores what fits and returns its size. */
TEST_F(lkmdemo, nonblock_large_write_partial)
{
	size_t len = self->capacity + 2 * PIPE_BUF;

	if (self->fd < 0)
		return;
	pattern(big, len, 0);
	EXPECT_EQ(self->capacity, write(self->nbfd, big, len));
	EXPECT_EQ(-1, write(self->nbfd, big, len));
	EXPECT_EQ(EAGAIN, errno);
	EXPECT_TRUE(get(self->nbfd, self->capacity, 0));
}

/* Up to PIPE_BUF, a write is all or nothing: EAGAIN if it doesn't fit now. */
TEST_F(lkmdemo, nonblock_atomic_write)
{
	size_t fill = self->capacity - (PIPE_BUF - 1);
	struct lkmdemo_stats st0, st;
	unsigned char buf[PIPE_BUF];

	if (self->fd < 0)
		return;
	ASSERT_EQ(fill, put(self->nbfd, fill, 0));
	ASSERT_EQ(0, get_stats(self->fd, &st0));
	pattern(buf, sizeof(buf), fill);
	EXPECT_EQ(-1, write(self->nbfd, buf, PIPE_BUF));
	EXPECT_EQ(EAGAIN, errno);
	ASSERT_EQ(0, get_stats(self->fd, &st));
	EXPECT_EQ(st0.bytes_in, st.bytes_in);
	EXPECT_EQ(fill, st.fill);

	EXPECT_EQ(PIPE_BUF - 1, write(self->nbfd, buf, PIPE_BUF - 1));
	EXPECT_EQ(self->capacity, fifo_fill(self->fd));
	EXPECT_TRUE(get(self->nbfd, self->capacity, 0));
}

TEST_F(lkmdemo, blocking_read_waits_for_data)
{
	pid_t pid;

	if (self->fd < 0)
		return;
	pid = fork_child();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		char buf[16] = {};

		_exit(read(self->fd, buf, sizeof(buf)) == 4 && !memcmp(buf, "ping", 4) ? 0 : 1);
	}
	EXPECT_TRUE(child_blocks(pid));
	EXPECT_EQ(4, write(self->fd, "ping", 4));
	EXPECT_EQ(0, wait_child(pid));
}

TEST_F(lkmdemo, blocking_write_waits_for_room)
{
	unsigned char buf[PIPE_BUF];
	pid_t pid;

	if (self->fd < 0)
		return;
	ASSERT_EQ(self->capacity, put(self->nbfd, self->capacity, 0));
	pid = fork_child();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		pattern(buf, 100, self->capacity);
		_exit(write(self->fd, buf, 100) == 100 ? 0 : 1);
	}
	EXPECT_TRUE(child_blocks(pid));
	EXPECT_EQ(self->capacity, fifo_fill(self->fd));
	EXPECT_EQ(sizeof(buf), read(self->fd, buf, sizeof(buf)));
	EXPECT_EQ(0, wait_child(pid));
	EXPECT_EQ(self->capacity - sizeof(buf) + 100, fifo_fill(self->fd));
	EXPECT_TRUE(get(self->nbfd, self->capacity - sizeof(buf) + 100, sizeof(buf)));
}

/*
 * PIPE_BUF atomicity: writers write tagged PIPE_BUF records (with write() and
 * with a 3-segment writev()) into a FIFO they keep full; the reader reads odd
 * sizes and checks that no record is interleaved with another. A 100-byte
 * prefix makes records straddle the end of the ring.
 */
#define WRITERS		4
#define RECORDS		64
#define PREFIX		100

struct record_hdr {
	uint32_t writer;
	uint32_t seq;
};

static unsigned char record_tag(uint32_t writer, uint32_t seq)
{
	return writer * RECORDS + seq % RECORDS;
}

static int write_records(int fd, uint32_t writer)
{
	static unsigned char rec[PIPE_BUF];
	struct record_hdr hdr = { .writer = writer };
	struct iovec iov[] = {
		{ .iov_base = rec, .iov_len = 1000 },
		{ .iov_base = rec + 1000, .iov_len = 2000 },
		{ .iov_base = rec + 3000, .iov_len = PIPE_BUF - 3000 },
	};
	uint32_t seq;
	ssize_t n;

	for (seq = 0; seq < RECORDS; seq++) {
		memset(rec, record_tag(writer, seq), sizeof(rec));
		hdr.seq = seq;
		memcpy(rec, &hdr, sizeof(hdr));
		if (seq % 2)
			n = writev(fd, iov, ARRAY_SIZE(iov));
		else
			n = write(fd, rec, sizeof(rec));
		if (n != PIPE_BUF)
			return 1;
	}
	return 0;
}

/* Number of bad records among @nrec PIPE_BUF records read in odd-sized pieces. */
static int read_records(int fd, size_t nrec)
{
	static const size_t sizes[] = { 1500, 777, 3000, PIPE_BUF };
	uint32_t next_seq[WRITERS] = {};
	static unsigned char rec[PIPE_BUF];
	struct record_hdr hdr;
	size_t have = 0, i = 0, j;
	int bad = 0;
	ssize_t n;

	while (nrec) {
		size_t want = sizes[i++ % ARRAY_SIZE(sizes)];

		if (want > sizeof(rec) - have)
			want = sizeof(rec) - have;
		n = read(fd, rec + have, want);
		if (n <= 0)
			return -1;
		have += n;
		if (have < sizeof(rec))
			continue;

		memcpy(&hdr, rec, sizeof(hdr));
		if (hdr.writer >= WRITERS || hdr.seq != next_seq[hdr.writer]) {
			bad++;
		} else {
			for (j = sizeof(hdr); j < sizeof(rec); j++)
				if (rec[j] != record_tag(hdr.writer, hdr.seq))
					break;
			bad += j < sizeof(rec);
			next_seq[hdr.writer]++;
		}
		have = 0;
		nrec--;
	}
	return bad;
}

TEST_F(lkmdemo, pipe_buf_atomicity)
{
	struct lkmdemo_stats st0, st;
	pid_t pids[WRITERS];
	int i;

	if (self->fd < 0)
		return;
	ASSERT_EQ(PREFIX, put(self->nbfd, PREFIX, 0));
	ASSERT_EQ(0, get_stats(self->fd, &st0));
	for (i = 0; i < WRITERS; i++) {
		pids[i] = fork_child();
		ASSERT_LE(0, pids[i]);
		if (pids[i] == 0)
			_exit(write_records(self->fd, i));
	}
	EXPECT_TRUE(get(self->fd, PREFIX, 0));
	EXPECT_EQ(0, read_records(self->fd, WRITERS * RECORDS));
	for (i = 0; i < WRITERS; i++)
		EXPECT_EQ(0, wait_child(pids[i]));

	ASSERT_EQ(0, get_stats(self->fd, &st));
	EXPECT_EQ(st0.bytes_in + WRITERS * RECORDS * PIPE_BUF, st.bytes_in);
	EXPECT_EQ(st0.bytes_out + PREFIX + WRITERS * RECORDS * PIPE_BUF, st.bytes_out);
	EXPECT_EQ(0, st.fill);
}

/* EPOLLIN iff fill > 0; EPOLLOUT iff free >= write_lowat */
TEST_F(lkmdemo, poll_write_lowat)
{
	unsigned int lowat = self->capacity / 2;
	unsigned char byte;

	if (self->fd < 0 || lacks(_metadata, dut->no_poll))
		return;
	ASSERT_EQ(0, sysfs_write_ull(DEV_ATTR("write_lowat"), lowat));
	EXPECT_EQ(WRITABLE, poll_events(self->fd));
	ASSERT_EQ(1, put(self->nbfd, 1, 0));
	EXPECT_EQ(READABLE | WRITABLE, poll_events(self->fd));

	/* free == lowat, then lowat - 1 */
	ASSERT_EQ(self->capacity - lowat - 1, put(self->nbfd, self->capacity - lowat - 1, 1));
	EXPECT_EQ(READABLE | WRITABLE, poll_events(self->fd));
	ASSERT_EQ(1, put(self->nbfd, 1, self->capacity - lowat));
	EXPECT_EQ(READABLE, poll_events(self->fd));
	EXPECT_EQ(1, read(self->nbfd, &byte, 1));
	EXPECT_EQ(READABLE | WRITABLE, poll_events(self->fd));

	/* the attribute takes effect at once, both ways */
	ASSERT_EQ(0, sysfs_write_ull(DEV_ATTR("write_lowat"), lowat + 1));
	EXPECT_EQ(READABLE, poll_events(self->fd));
	ASSERT_EQ(0, sysfs_write_ull(DEV_ATTR("write_lowat"), 1));
	EXPECT_EQ(READABLE | WRITABLE, poll_events(self->fd));
	ASSERT_EQ(lowat, put(self->nbfd, lowat, 0));
	EXPECT_EQ(READABLE, poll_events(self->fd));	/* full */

	ASSERT_EQ(0, ioctl(self->fd, LKMDEMO_IOC_FLUSH, &(__u64){ 0 }));
	ASSERT_EQ(0, sysfs_write_ull(DEV_ATTR("write_lowat"), self->capacity));
	EXPECT_EQ(WRITABLE, poll_events(self->fd));	/* empty */
	ASSERT_EQ(1, put(self->nbfd, 1, 0));
	EXPECT_EQ(READABLE, poll_events(self->fd));
}

TEST_F(lkmdemo, write_lowat_default)
{
	unsigned int want = self->capacity < PIPE_BUF ? self->capacity : PIPE_BUF;

	if (self->fd < 0 || lacks(_metadata, dut->no_sysfs))
		return;
	EXPECT_EQ(want, self->lowat);
}

TEST_F(lkmdemo, select)
{
	struct timeval tv = {};
	fd_set rfds, wfds;

	if (self->fd < 0 || lacks(_metadata, dut->no_poll))
		return;
	FD_ZERO(&rfds);
	FD_ZERO(&wfds);
	FD_SET(self->fd, &rfds);
	FD_SET(self->fd, &wfds);
	EXPECT_EQ(1, select(self->fd + 1, &rfds, &wfds, NULL, &tv));
	EXPECT_FALSE(FD_ISSET(self->fd, &rfds));
	EXPECT_TRUE(FD_ISSET(self->fd, &wfds));

	ASSERT_EQ(self->capacity, put(self->nbfd, self->capacity, 0));
	FD_SET(self->fd, &rfds);
	FD_SET(self->fd, &wfds);
	EXPECT_EQ(1, select(self->fd + 1, &rfds, &wfds, NULL, &tv));
	EXPECT_TRUE(FD_ISSET(self->fd, &rfds));
	EXPECT_FALSE(FD_ISSET(self->fd, &wfds));
}

TEST_F(lkmdemo, epoll)
{
	struct epoll_event ev = { .events = EPOLLIN | EPOLLOUT };
	int ep;

	if (self->fd < 0 || lacks(_metadata, dut->no_poll))
		return;
	ASSERT_EQ(0, sysfs_write(DEV_ATTR("write_lowat"), "1"));
	ep = epoll_create1(0);
	ASSERT_LE(0, ep);
	ASSERT_EQ(0, epoll_ctl(ep, EPOLL_CTL_ADD, self->fd, &ev));
	EXPECT_EQ(1, epoll_wait(ep, &ev, 1, 0));
	EXPECT_EQ(EPOLLOUT, ev.events);
	ASSERT_EQ(1, put(self->nbfd, 1, 0));
	EXPECT_EQ(1, epoll_wait(ep, &ev, 1, 0));
	EXPECT_EQ(EPOLLIN | EPOLLOUT, ev.events);
	ASSERT_EQ(self->capacity - 1, put(self->nbfd, self->capacity - 1, 1));
	EXPECT_EQ(1, epoll_wait(ep, &ev, 1, 0));
	EXPECT_EQ(EPOLLIN, ev.events);
	close(ep);
}

/* A writer wakes a blocked epoll_wait() (edge-triggered) and poll(). */
TEST_F(lkmdemo, poll_wakeup_in)
{
	struct pollfd pfd = { .fd = self->fd, .events = POLLIN };
	struct epoll_event ev = {};
	pid_t pid;
	int ep;

	if (self->fd < 0 || lacks(_metadata, dut->no_poll))
		return;
	ep = epoll_in_et(self->fd);
	ASSERT_LE(0, ep);
	EXPECT_EQ(0, epoll_wait(ep, &ev, 1, 0));

	pid = fork_late_put(self->fd, 1, 0);
	ASSERT_LE(0, pid);
	EXPECT_EQ(1, epoll_wait(ep, &ev, 1, 5000));
	EXPECT_EQ(EPOLLIN, ev.events);
	EXPECT_EQ(0, wait_child(pid));
	close(ep);

	EXPECT_TRUE(get(self->nbfd, 1, 0));
	pid = fork_late_put(self->fd, 1, 1);
	ASSERT_LE(0, pid);
	EXPECT_EQ(1, poll(&pfd, 1, 5000));
	EXPECT_EQ(POLLIN, pfd.revents);
	EXPECT_EQ(0, wait_child(pid));
}

/*
 * Edge-triggered epoll reports every write, also one into a FIFO that holds
 * data, as a pipe does: a writer must not skip the wake-up because readers
 * are already due.
 */
TEST_F(lkmdemo, epollet_every_write)
{
	struct epoll_event ev = {};
	pid_t pid;
	int ep;

	if (self->fd < 0 || lacks(_metadata, dut->no_poll))
		return;
	ep = epoll_in_et(self->fd);
	ASSERT_LE(0, ep);
	ASSERT_EQ(1, put(self->nbfd, 1, 0));
	EXPECT_EQ(1, epoll_wait(ep, &ev, 1, 0));
	/* the edge is consumed; the byte stays */
	EXPECT_EQ(0, epoll_wait(ep, &ev, 1, 0));

	pid = fork_late_put(self->nbfd, 1, 1);
	ASSERT_LE(0, pid);
	EXPECT_EQ(1, epoll_wait(ep, &ev, 1, 5000))
		TH_LOG("no EPOLLIN edge for a write into a FIFO holding data");
	EXPECT_EQ(EPOLLIN, ev.events);
	EXPECT_EQ(0, wait_child(pid));
	EXPECT_TRUE(get(self->nbfd, 2, 0));
	close(ep);
}

/*
 * Several readers blocked on an empty FIFO, then one-byte writes back to
 * back, most of them into a FIFO that still holds the previous byte: every
 * reader gets its byte. A writer wakes a reader only for bytes into an
 * empty FIFO, so this needs every woken reader to pass the wake-up on.
 */
TEST_F(lkmdemo, blocked_readers_all_served)
{
	enum { READERS = 4 };
	pid_t pid[READERS];
	int i;

	if (self->fd < 0)
		return;
	for (i = 0; i < READERS; i++) {
		pid[i] = fork_child();
		ASSERT_LE(0, pid[i]);
		if (pid[i] == 0) {
			char byte;

			_exit(read(self->fd, &byte, 1) == 1 ? 0 : 1);
		}
	}
	for (i = 0; i < READERS; i++)
		ASSERT_TRUE(child_blocks(pid[i]));
	for (i = 0; i < READERS; i++)
		ASSERT_EQ(1, write(self->fd, "r", 1));
	ASSERT_EQ(0, alarm_ms(5000));
	for (i = 0; i < READERS; i++)
		EXPECT_EQ(0, wait_child(pid[i])) TH_LOG("reader %d left asleep", i);
	alarm_cancel();
	EXPECT_EQ(0, fifo_fill(self->fd));
}

/* A reader that frees write_lowat bytes wakes a blocked poll(POLLOUT). */
TEST_F(lkmdemo, poll_wakeup_out)
{
	struct pollfd pfd = { .fd = self->fd, .events = POLLOUT };
	pid_t pid;

	if (self->fd < 0 || lacks(_metadata, dut->no_poll))
		return;
	ASSERT_EQ(self->capacity, put(self->nbfd, self->capacity, 0));
	EXPECT_EQ(0, poll(&pfd, 1, 0));
	pid = fork_child();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		usleep(SETTLE_US);
		_exit(get(self->nbfd, self->lowat, 0) ? 0 : 1);
	}
	EXPECT_EQ(1, poll(&pfd, 1, 5000));
	EXPECT_EQ(POLLOUT, pfd.revents);
	EXPECT_EQ(0, wait_child(pid));
}

TEST_F(lkmdemo, stats_ioctl)
{
	struct lkmdemo_stats st0, st;
	unsigned long long bufsize;
	unsigned char buf[1000];
	__u64 flushed;
	int fd2;

	if (self->fd < 0)
		return;
	ASSERT_EQ(0, get_stats(self->fd, &st0));
	EXPECT_EQ(0, st0.pad);
	EXPECT_EQ(0, st0.fill);
	EXPECT_EQ(st0.bytes_in, st0.bytes_out + st0.bytes_flushed + st0.fill);
	if (!dut->no_params) {
		ASSERT_EQ(0, sysfs_read_ull(PARAM("bufsize"), &bufsize));
		EXPECT_EQ(bufsize, st0.capacity);
	}
	EXPECT_LE(2, st0.openers);	/* the fixture's two */
	EXPECT_LE(2, st0.opens);

	pattern(buf, sizeof(buf), 0);
	EXPECT_EQ(1000, write(self->fd, buf, 1000));
	EXPECT_EQ(300, read(self->fd, buf, 300));
	ASSERT_EQ(0, ioctl(self->fd, LKMDEMO_IOC_FLUSH, &flushed));
	EXPECT_EQ(700, flushed);
	EXPECT_EQ(50, write(self->fd, buf, 50));
	ASSERT_EQ(0, get_stats(self->fd, &st));
	EXPECT_EQ(st0.bytes_in + 1050, st.bytes_in);
	EXPECT_EQ(st0.bytes_out + 300, st.bytes_out);
	EXPECT_EQ(st0.bytes_flushed + 700, st.bytes_flushed);
	EXPECT_EQ(50, st.fill);
	EXPECT_EQ(st.bytes_in, st.bytes_out + st.bytes_flushed + st.fill);
	EXPECT_EQ(st0.capacity, st.capacity);
	EXPECT_EQ(0, st.pad);

	/* opens counts open() calls, openers the files open now */
	fd2 = open(DEV, O_RDONLY);
	ASSERT_LE(0, fd2);
	ASSERT_EQ(0, get_stats(fd2, &st));
	EXPECT_EQ(st0.opens + 1, st.opens);
	EXPECT_EQ(st0.openers + 1, st.openers);
	close(fd2);
	ASSERT_EQ(0, get_stats(self->fd, &st));
	EXPECT_EQ(st0.opens + 1, st.opens);
	EXPECT_EQ(st0.openers, st.openers);
}

TEST_F(lkmdemo, stats_sysfs)
{
	static const char * const ro[] = {
		"bytes_in", "bytes_out", "bytes_flushed", "fill", "capacity", "opens", "openers",
	};
	unsigned long long v[ARRAY_SIZE(ro)];
	struct lkmdemo_stats st;
	unsigned char buf[7];
	char path[128];
	size_t i;

	if (self->fd < 0 || lacks(_metadata, dut->no_sysfs))
		return;
	ASSERT_EQ(123, put(self->nbfd, 123, 0));
	EXPECT_EQ(sizeof(buf), read(self->nbfd, buf, sizeof(buf)));
	for (i = 0; i < ARRAY_SIZE(ro); i++) {
		snprintf(path, sizeof(path), "%s%s", sysfs_dev, ro[i]);
		EXPECT_EQ(0444, file_mode(path)) TH_LOG("%s", path);
		ASSERT_EQ(0, sysfs_read_ull(path, &v[i])) TH_LOG("%s", path);
	}
	ASSERT_EQ(0, get_stats(self->fd, &st));
	EXPECT_EQ(st.bytes_in, v[0]);
	EXPECT_EQ(st.bytes_out, v[1]);
	EXPECT_EQ(st.bytes_flushed, v[2]);
	EXPECT_EQ(116, v[3]);
	EXPECT_EQ(st.fill, v[3]);
	EXPECT_EQ(self->capacity, v[4]);
	EXPECT_EQ(st.opens, v[5]);
	EXPECT_EQ(st.openers, v[6]);
	EXPECT_EQ(0644, file_mode(DEV_ATTR("write_lowat")));
}

TEST_F(lkmdemo, flush)
{
	unsigned char buf[100];
	__u64 flushed;
	pid_t pid;

	if (self->fd < 0)
		return;
	ASSERT_EQ(123, put(self->nbfd, 123, 0));
	memset(&flushed, 0xcc, sizeof(flushed));
	EXPECT_EQ(0, ioctl(self->fd, LKMDEMO_IOC_FLUSH, &flushed));
	EXPECT_EQ(123, flushed);
	EXPECT_EQ(0, fifo_fill(self->fd));
	EXPECT_EQ(-1, read(self->nbfd, buf, sizeof(buf)));
	EXPECT_EQ(EAGAIN, errno);
	memset(&flushed, 0xcc, sizeof(flushed));
	EXPECT_EQ(0, ioctl(self->fd, LKMDEMO_IOC_FLUSH, &flushed));
	EXPECT_EQ(0, flushed);

	/* flushing a full FIFO wakes a blocked writer */
	ASSERT_EQ(self->capacity, put(self->nbfd, self->capacity, 0));
	pid = fork_child();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		pattern(buf, sizeof(buf), 0);
		_exit(write(self->fd, buf, sizeof(buf)) == sizeof(buf) ? 0 : 1);
	}
	EXPECT_TRUE(child_blocks(pid));
	EXPECT_EQ(0, ioctl(self->fd, LKMDEMO_IOC_FLUSH, &flushed));
	EXPECT_EQ(self->capacity, flushed);
	EXPECT_EQ(0, wait_child(pid));
	EXPECT_EQ(sizeof(buf), fifo_fill(self->fd));
	EXPECT_TRUE(get(self->nbfd, sizeof(buf), 0));
}

TEST_F(lkmdemo, peek)
{
	unsigned char buf[64];
	__u32 len;

	if (self->fd < 0)
		return;
	/* empty: copies nothing and does not block */
	memset(buf, 0xcc, sizeof(buf));
	len = sizeof(buf);
	ASSERT_EQ(0, alarm_ms(2000));
	EXPECT_EQ(0, peek(self->fd, buf, &len));
	alarm_cancel();
	EXPECT_EQ(0, len);
	EXPECT_EQ(0xcc, buf[0]);

	ASSERT_EQ(11, write(self->fd, "hello world", 11));
	len = 5;
	EXPECT_EQ(0, peek(self->fd, buf, &len));
	EXPECT_EQ(5, len);
	EXPECT_EQ(0, memcmp(buf, "hello", 5));
	EXPECT_EQ(0xcc, buf[5]);

	memset(buf, 0xcc, sizeof(buf));
	len = sizeof(buf);
	EXPECT_EQ(0, peek(self->fd, buf, &len));
	EXPECT_EQ(11, len);
	EXPECT_EQ(0, memcmp(buf, "hello world", 11));
	EXPECT_EQ(0xcc, buf[11]);

	len = 0;
	EXPECT_EQ(0, peek(self->fd, buf, &len));
	EXPECT_EQ(0, len);

	/* nothing was consumed */
	EXPECT_EQ(11, fifo_fill(self->fd));
	memset(buf, 0xcc, sizeof(buf));
	EXPECT_EQ(11, read(self->fd, buf, sizeof(buf)));
	EXPECT_EQ(0, memcmp(buf, "hello world", 11));
}

TEST_F(lkmdemo, peek_errors)
{
	struct lkmdemo_peek args;
	unsigned char buf[16];
	void *bad;

	if (self->fd < 0)
		return;
	bad = mmap(NULL, getpagesize(), PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_TRUE(bad != MAP_FAILED);
	ASSERT_EQ(5, write(self->fd, "hello", 5));

	args = (struct lkmdemo_peek){ .buf = (uintptr_t)buf, .len = sizeof(buf), .pad = 1 };
	EXPECT_EQ(-1, ioctl(self->fd, LKMDEMO_IOC_PEEK, &args));
	EXPECT_EQ(EINVAL, errno);
	args.pad = 0x80000000;
	EXPECT_EQ(-1, ioctl(self->fd, LKMDEMO_IOC_PEEK, &args));
	EXPECT_EQ(EINVAL, errno);

	args = (struct lkmdemo_peek){ .buf = (uintptr_t)bad, .len = sizeof(buf) };
	EXPECT_EQ(-1, ioctl(self->fd, LKMDEMO_IOC_PEEK, &args));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(-1, ioctl(self->fd, LKMDEMO_IOC_PEEK, bad));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(-1, ioctl(self->fd, LKMDEMO_IOC_PEEK, NULL));
	EXPECT_EQ(EFAULT, errno);

	EXPECT_EQ(5, fifo_fill(self->fd));
	munmap(bad, getpagesize());
}

/*
 * PEEK and FLUSH read or discard the contents: like read(2), they need a
 * descriptor opened for reading (EBADF). GET_STATS works on any.
 */
TEST_F(lkmdemo, ioctl_needs_read_mode)
{
	struct lkmdemo_stats st;
	unsigned char buf[16];
	__u64 flushed = 0xcccccccc;
	__u32 len = sizeof(buf);
	int wfd;

	if (self->fd < 0)
		return;
	ASSERT_EQ(5, write(self->fd, "hello", 5));
	wfd = open(DEV, O_WRONLY);
	ASSERT_LE(0, wfd);
	memset(buf, 0xcc, sizeof(buf));
	EXPECT_EQ(-1, peek(wfd, buf, &len));
	EXPECT_EQ(EBADF, errno);
	EXPECT_EQ(0xcc, buf[0]);
	EXPECT_EQ(-1, ioctl(wfd, LKMDEMO_IOC_FLUSH, &flushed));
	EXPECT_EQ(EBADF, errno);
	EXPECT_EQ(0xcccccccc, flushed);
	EXPECT_EQ(0, get_stats(wfd, &st));
	EXPECT_EQ(5, st.fill);
	close(wfd);
	EXPECT_EQ(5, fifo_fill(self->fd));

	/* read-only is enough for both */
	wfd = open(DEV, O_RDONLY);
	ASSERT_LE(0, wfd);
	len = sizeof(buf);
	EXPECT_EQ(0, peek(wfd, buf, &len));
	EXPECT_EQ(5, len);
	EXPECT_EQ(0, ioctl(wfd, LKMDEMO_IOC_FLUSH, &flushed));
	EXPECT_EQ(5, flushed);
	close(wfd);
}

/*
 * The buffer address is a __u64 for every ABI. A 32-bit kernel must refuse
 * one that does not fit its pointers rather than use the lower half.
 */
TEST_F(lkmdemo, peek_address_high_bits)
{
	unsigned char buf[16];
	struct lkmdemo_peek args;

	if (self->fd < 0)
		return;
	ASSERT_EQ(5, write(self->fd, "hello", 5));
	memset(buf, 0xcc, sizeof(buf));
	args = (struct lkmdemo_peek){
		.buf = (uintptr_t)buf | (1ULL << 63),
		.len = sizeof(buf),
	};
	EXPECT_EQ(-1, ioctl(self->fd, LKMDEMO_IOC_PEEK, &args));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(0xcc, buf[0]);
	EXPECT_EQ(5, fifo_fill(self->fd));
}

/*
 * Blocked writers need different amounts of room (an atomic write all of
 * it, others less). A wake-up that reaches a writer which cannot go on
 * must not leave one that can asleep: with write_lowat = 1, a PIPE_BUF
 * writer blocks first, a 1-byte writer second; a read of 100 bytes must
 * let the second one finish although the first is ahead of it in line.
 */
TEST_F(lkmdemo, writer_wakeup_not_lost)
{
	unsigned char buf[PIPE_BUF];
	pid_t big, small;

	if (self->fd < 0)
		return;
	/* lkmdemo_rs has no threshold: every read wakes its writers */
	if (!dut->no_sysfs)
		ASSERT_EQ(0, sysfs_write_ull(DEV_ATTR("write_lowat"), 1));
	ASSERT_EQ(self->capacity, put(self->nbfd, self->capacity, 0));

	big = fork_child();
	ASSERT_LE(0, big);
	if (big == 0) {
		memset(buf, 'B', sizeof(buf));
		_exit(write(self->fd, buf, sizeof(buf)) == sizeof(buf) ? 0 : 1);
	}
	ASSERT_TRUE(child_blocks(big));
	small = fork_child();
	ASSERT_LE(0, small);
	if (small == 0)
		_exit(write(self->fd, "s", 1) == 1 ? 0 : 1);
	ASSERT_TRUE(child_blocks(small));

	ASSERT_EQ(100, read(self->fd, buf, 100));
	ASSERT_EQ(0, alarm_ms(2000));
	EXPECT_EQ(0, wait_child(small)) TH_LOG("the 1-byte writer was left asleep");
	alarm_cancel();
	EXPECT_TRUE(child_blocks(big));

	/* all the room: the PIPE_BUF writer goes on too */
	EXPECT_TRUE(get(self->nbfd, self->capacity - 100, 100));
	EXPECT_EQ(0, wait_child(big));
}

/*
 * A woken writer passes the wake-up on to the next writer whose write fits,
 * however little room it leaves; the wake threshold (write_lowat) only
 * decides when a reader starts waking writers. Default settings: a full
 * FIFO, a PIPE_BUF writer blocks first, a 100-byte writer second. A read of
 * PIPE_BUF + 904 bytes wakes the first, which stores its PIPE_BUF bytes and
 * leaves 904 free: the second must go on, as a new 100-byte write would.
 */
TEST_F(lkmdemo, woken_writer_passes_on_below_lowat)
{
	unsigned char buf[PIPE_BUF + 904];
	pid_t first, second;
	int st;

	if (self->fd < 0)
		return;
	if (self->capacity < 2 * sizeof(buf))
		SKIP(return, "bufsize=%u: too small for this sequence", self->capacity);
	if (!dut->no_sysfs)
		ASSERT_EQ(0, sysfs_write_ull(DEV_ATTR("write_lowat"), PIPE_BUF));
	ASSERT_EQ(self->capacity, put(self->nbfd, self->capacity, 0));

	first = fork_child();
	ASSERT_LE(0, first);
	if (first == 0) {
		memset(buf, 'A', PIPE_BUF);
		_exit(write(self->fd, buf, PIPE_BUF) == PIPE_BUF ? 0 : 1);
	}
	ASSERT_TRUE(child_blocks(first));
	second = fork_child();
	ASSERT_LE(0, second);
	if (second == 0) {
		memset(buf, 'B', 100);
		_exit(write(self->fd, buf, 100) == 100 ? 0 : 1);
	}
	ASSERT_TRUE(child_blocks(second));

	ASSERT_EQ(sizeof(buf), read(self->fd, buf, sizeof(buf)));
	ASSERT_EQ(0, alarm_ms(2000));
	EXPECT_EQ(0, wait_child(first)) TH_LOG("the PIPE_BUF writer was not woken");
	st = wait_child(second);
	alarm_cancel();
	EXPECT_EQ(0, st) TH_LOG("the 100-byte writer was left asleep with room for its write");
	if (st) {
		kill(second, SIGKILL);
		wait_child(second);
	}
	EXPECT_EQ(self->capacity - sizeof(buf) + PIPE_BUF + 100, fifo_fill(self->fd));
	EXPECT_TRUE(get(self->nbfd, self->capacity - sizeof(buf), sizeof(buf)));
}

/* splice(2) and sendfile(2) move data to and from the device as with a pipe. */
TEST_F(lkmdemo, splice_pipe)
{
	unsigned char buf[PIPE_BUF];
	int p[2];

	if (self->fd < 0 || lacks(_metadata, dut->no_splice))
		return;
	ASSERT_EQ(0, pipe(p));
	/* pipe -> device */
	pattern(buf, 3000, 0);
	ASSERT_EQ(3000, write(p[1], buf, 3000));
	EXPECT_EQ(3000, splice(p[0], NULL, self->fd, NULL, 3000, 0));
	EXPECT_EQ(3000, fifo_fill(self->fd));
	/* device -> pipe */
	EXPECT_EQ(3000, splice(self->fd, NULL, p[1], NULL, 3000, 0));
	EXPECT_EQ(0, fifo_fill(self->fd));
	memset(buf, 0xcc, sizeof(buf));
	EXPECT_EQ(3000, read(p[0], buf, sizeof(buf)));
	EXPECT_EQ(3000, pattern_mismatch(buf, 3000, 0));
	/* empty and O_NONBLOCK: EAGAIN, as read(2) */
	EXPECT_EQ(-1, splice(self->nbfd, NULL, p[1], NULL, 100, SPLICE_F_NONBLOCK));
	EXPECT_EQ(EAGAIN, errno);
	close(p[0]);
	close(p[1]);
}

TEST_F(lkmdemo, sendfile_file)
{
	char path[] = "/tmp/lkmdemo_test.XXXXXX";
	unsigned char buf[8192];
	int tmp, p[2], pipe_errno;

	if (self->fd < 0 || lacks(_metadata, dut->no_splice))
		return;
	tmp = mkstemp(path);
	ASSERT_LE(0, tmp);
	unlink(path);
	pattern(buf, sizeof(buf), 7);
	ASSERT_EQ(sizeof(buf), write(tmp, buf, sizeof(buf)));
	/* file -> device */
	ASSERT_EQ(0, lseek(tmp, 0, SEEK_SET));
	EXPECT_EQ(sizeof(buf), sendfile(self->fd, tmp, NULL, sizeof(buf)));
	EXPECT_EQ(sizeof(buf), fifo_fill(self->fd));
	EXPECT_TRUE(get(self->nbfd, sizeof(buf), 7));

	/*
	 * device -> file: sendfile() reads only from regular files and block
	 * devices, so it fails as it does from a pipe, with the same error,
	 * and consumes nothing; splice() through a pipe is the way.
	 */
	ASSERT_EQ(0, pipe(p));
	ASSERT_EQ(3, write(p[1], "abc", 3));
	errno = 0;
	EXPECT_EQ(-1, sendfile(tmp, p[0], NULL, 3));
	pipe_errno = errno;
	EXPECT_NE(0, pipe_errno);
	ASSERT_EQ(3, write(self->fd, "abc", 3));
	errno = 0;
	EXPECT_EQ(-1, sendfile(tmp, self->fd, NULL, 3));
	EXPECT_EQ(pipe_errno, errno);
	EXPECT_EQ(3, fifo_fill(self->fd));
	/* a stream has no offset to send from */
	EXPECT_EQ(-1, sendfile(tmp, self->fd, &(off_t){ 0 }, 3));
	EXPECT_EQ(ESPIPE, errno);
	close(p[0]);
	close(p[1]);
	close(tmp);
}

/* True if the running kernel is @major.@minor or later. */
static bool kernel_at_least(int major, int minor)
{
	struct utsname u;
	int ma, mi;

	if (uname(&u) || sscanf(u.release, "%d.%d", &ma, &mi) != 2)
		return false;
	return ma > major || (ma == major && mi >= minor);
}

/*
 * sendfile() from the device into a pipe: since 5.12 the kernel's sendfile()
 * splices into a pipe directly (splice_file_to_pipe()), so the data moves as
 * with splice(); before, it took only regular files and block devices as
 * the source, as it still does for any other destination, and failed with
 * EINVAL. Either way nothing is lost or consumed twice.
 */
TEST_F(lkmdemo, sendfile_to_pipe)
{
	char buf[8] = {};
	int p[2];

	if (self->fd < 0 || lacks(_metadata, dut->no_splice))
		return;
	ASSERT_EQ(0, pipe(p));
	ASSERT_EQ(3, write(self->fd, "dev", 3));
	errno = 0;
	if (kernel_at_least(5, 12)) {
		EXPECT_EQ(3, sendfile(p[1], self->fd, NULL, 3));
		EXPECT_EQ(0, fifo_fill(self->fd));
		EXPECT_EQ(3, read(p[0], buf, sizeof(buf)));
		EXPECT_EQ(0, memcmp(buf, "dev", 3));
	} else {
		EXPECT_EQ(-1, sendfile(p[1], self->fd, NULL, 3));
		EXPECT_EQ(EINVAL, errno);
		EXPECT_EQ(3, fifo_fill(self->fd));
	}
	close(p[0]);
	close(p[1]);
}

/* Data that straddles the end of the ring reads and peeks back in order. */
TEST_F(lkmdemo, wrap_around)
{
	size_t pre = self->capacity - 100;
	unsigned char buf[300];
	__u32 len = sizeof(buf);

	if (self->fd < 0)
		return;
	ASSERT_EQ(pre, put(self->nbfd, pre, 0));
	ASSERT_TRUE(get(self->nbfd, pre, 0));
	ASSERT_EQ(sizeof(buf), put(self->nbfd, sizeof(buf), 1234));
	EXPECT_EQ(sizeof(buf), fifo_fill(self->fd));
	memset(buf, 0xcc, sizeof(buf));
	EXPECT_EQ(0, peek(self->fd, buf, &len));
	EXPECT_EQ(sizeof(buf), len);
	EXPECT_EQ(sizeof(buf), pattern_mismatch(buf, sizeof(buf), 1234));
	EXPECT_TRUE(get(self->nbfd, sizeof(buf), 1234));
}

TEST_F(lkmdemo, bad_ioctl)
{
	struct lkmdemo_stats st;

	if (self->fd < 0)
		return;
	memset(&st, 0, sizeof(st));
	EXPECT_EQ(-1, ioctl(self->fd, _IO(LKMDEMO_IOC_MAGIC, 0x03)));
	EXPECT_EQ(ENOTTY, errno);
	EXPECT_EQ(-1, ioctl(self->fd, _IOR(LKMDEMO_IOC_MAGIC, 0x03, __u64), &st));
	EXPECT_EQ(ENOTTY, errno);
	/* right number, wrong size or direction */
	EXPECT_EQ(-1, ioctl(self->fd, _IOR(LKMDEMO_IOC_MAGIC, 0x00, __u32), &st));
	EXPECT_EQ(ENOTTY, errno);
	EXPECT_EQ(-1, ioctl(self->fd, _IOW(LKMDEMO_IOC_MAGIC, 0x00, struct lkmdemo_stats), &st));
	EXPECT_EQ(ENOTTY, errno);
	EXPECT_EQ(-1, ioctl(self->fd, _IOR(0xBA, 0x00, struct lkmdemo_stats), &st));
	EXPECT_EQ(ENOTTY, errno);
	EXPECT_EQ(0, isatty(self->fd));
	EXPECT_EQ(ENOTTY, errno);
}

TEST_F(lkmdemo, bad_user_pointers)
{
	struct lkmdemo_stats st0, st;
	unsigned char buf[8];
	void *bad;

	if (self->fd < 0)
		return;
	bad = mmap(NULL, getpagesize(), PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_TRUE(bad != MAP_FAILED);
	ASSERT_EQ(0, get_stats(self->fd, &st0));

	/* a faulting write stores nothing */
	EXPECT_EQ(-1, write(self->fd, bad, 10));
	EXPECT_EQ(EFAULT, errno);
	ASSERT_EQ(0, get_stats(self->fd, &st));
	EXPECT_EQ(st0.bytes_in, st.bytes_in);
	EXPECT_EQ(0, st.fill);

	/* a faulting read consumes nothing */
	ASSERT_EQ(3, write(self->fd, "abc", 3));
	EXPECT_EQ(-1, read(self->fd, bad, 3));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(3, fifo_fill(self->fd));
	EXPECT_EQ(3, read(self->fd, buf, sizeof(buf)));
	EXPECT_EQ(0, memcmp(buf, "abc", 3));

	EXPECT_EQ(-1, ioctl(self->fd, LKMDEMO_IOC_GET_STATS, bad));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(-1, ioctl(self->fd, LKMDEMO_IOC_GET_STATS, NULL));
	EXPECT_EQ(EFAULT, errno);
	munmap(bad, getpagesize());
}

/*
 * FLUSH stores the number of bytes it discards: with an address it cannot
 * store to, it fails with EFAULT and discards nothing.
 */
TEST_F(lkmdemo, flush_bad_pointer_keeps_data)
{
	struct lkmdemo_stats st0, st;
	void *bad;

	if (self->fd < 0)
		return;
	bad = mmap(NULL, getpagesize(), PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_TRUE(bad != MAP_FAILED);
	ASSERT_EQ(300, put(self->nbfd, 300, 11));
	ASSERT_EQ(0, get_stats(self->fd, &st0));

	EXPECT_EQ(-1, ioctl(self->fd, LKMDEMO_IOC_FLUSH, bad));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(-1, ioctl(self->fd, LKMDEMO_IOC_FLUSH, NULL));
	EXPECT_EQ(EFAULT, errno);
	ASSERT_EQ(0, get_stats(self->fd, &st));
	EXPECT_EQ(st0.bytes_flushed, st.bytes_flushed);
	EXPECT_EQ(300, st.fill);
	EXPECT_TRUE(get(self->nbfd, 300, 11)) TH_LOG("a failed FLUSH discarded data");
	munmap(bad, getpagesize());
}

/* Without SA_RESTART, a signal ends a blocked read or write with EINTR. */
TEST_F(lkmdemo, signal_interrupts_read)
{
	unsigned char buf[16];

	if (self->fd < 0)
		return;
	ASSERT_EQ(0, alarm_ms(200));
	EXPECT_EQ(-1, read(self->fd, buf, sizeof(buf)));
	EXPECT_EQ(EINTR, errno);
	EXPECT_EQ(1, atomic_load(&signals_caught));
}

TEST_F(lkmdemo, signal_interrupts_write)
{
	struct lkmdemo_stats st0, st;
	unsigned char buf[10] = {};

	if (self->fd < 0)
		return;
	ASSERT_EQ(self->capacity, put(self->nbfd, self->capacity, 0));
	ASSERT_EQ(0, get_stats(self->fd, &st0));
	ASSERT_EQ(0, alarm_ms(200));
	EXPECT_EQ(-1, write(self->fd, buf, sizeof(buf)));
	EXPECT_EQ(EINTR, errno);
	EXPECT_EQ(1, atomic_load(&signals_caught));
	ASSERT_EQ(0, get_stats(self->fd, &st));
	EXPECT_EQ(st0.bytes_in, st.bytes_in);
}

/* A write larger than PIPE_BUF interrupted after some bytes returns their count. */
TEST_F(lkmdemo, signal_partial_write)
{
	size_t len = self->capacity + PIPE_BUF;

	if (self->fd < 0)
		return;
	pattern(big, len, 0);
	ASSERT_EQ(0, alarm_ms(200));
	EXPECT_EQ(self->capacity, write(self->fd, big, len));
	EXPECT_EQ(1, atomic_load(&signals_caught));
	EXPECT_TRUE(get(self->nbfd, self->capacity, 0));
}

/* With SA_RESTART, the read goes on after the handler and gets the data. */
TEST_F(lkmdemo, signal_restart)
{
	char buf[16] = {};
	pid_t pid;

	if (self->fd < 0)
		return;
	ASSERT_EQ(0, catch_signal(SIGUSR1, true));
	pid = fork_child();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		usleep(SETTLE_US);
		kill(getppid(), SIGUSR1);
		usleep(SETTLE_US);
		_exit(write(self->fd, "late", 4) == 4 ? 0 : 1);
	}
	EXPECT_EQ(4, read(self->fd, buf, sizeof(buf)));
	EXPECT_EQ(0, memcmp(buf, "late", 4));
	EXPECT_EQ(1, atomic_load(&signals_caught));
	EXPECT_EQ(0, wait_child(pid));
}

TEST_F(lkmdemo, lseek_espipe)
{
	if (self->fd < 0)
		return;
	EXPECT_EQ(-1, lseek(self->fd, 0, SEEK_SET));
	EXPECT_EQ(ESPIPE, errno);
	EXPECT_EQ(-1, lseek(self->fd, 0, SEEK_CUR));
	EXPECT_EQ(ESPIPE, errno);
	EXPECT_EQ(-1, lseek(self->fd, 0, SEEK_END));
	EXPECT_EQ(ESPIPE, errno);
	EXPECT_EQ(0, fifo_fill(self->fd));
}

TEST_F(lkmdemo, pread_pwrite_espipe)
{
	unsigned char buf[4] = {};

	if (self->fd < 0 || lacks(_metadata, dut->no_stream))
		return;
	EXPECT_EQ(-1, pwrite(self->fd, buf, sizeof(buf), 0));
	EXPECT_EQ(ESPIPE, errno);
	EXPECT_EQ(-1, pread(self->fd, buf, sizeof(buf), 0));
	EXPECT_EQ(ESPIPE, errno);
	EXPECT_EQ(0, fifo_fill(self->fd));
}

TEST_F(lkmdemo, write_lowat_sysfs)
{
	static const char * const bad[] = { "0", "-1", "abc", "12abc", " " };
	unsigned long long v;
	char over[32];
	size_t i;

	if (self->fd < 0 || lacks(_metadata, dut->no_sysfs))
		return;
	EXPECT_EQ(0, sysfs_write(DEV_ATTR("write_lowat"), "1"));
	EXPECT_EQ(0, sysfs_read_ull(DEV_ATTR("write_lowat"), &v));
	EXPECT_EQ(1, v);
	EXPECT_EQ(0, sysfs_write_ull(DEV_ATTR("write_lowat"), self->capacity));
	EXPECT_EQ(0, sysfs_read_ull(DEV_ATTR("write_lowat"), &v));
	EXPECT_EQ(self->capacity, v);
	EXPECT_EQ(0, sysfs_write(DEV_ATTR("write_lowat"), "100\n"));

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		EXPECT_EQ(-EINVAL, sysfs_write(DEV_ATTR("write_lowat"), bad[i]))
			TH_LOG("'%s'", bad[i]);
		EXPECT_EQ(0, sysfs_read_ull(DEV_ATTR("write_lowat"), &v));
		EXPECT_EQ(100, v);
	}
	snprintf(over, sizeof(over), "%u", self->capacity + 1);
	EXPECT_EQ(-EINVAL, sysfs_write(DEV_ATTR("write_lowat"), over));
	EXPECT_EQ(0, sysfs_read_ull(DEV_ATTR("write_lowat"), &v));
	EXPECT_EQ(100, v);
}

/* An open file pins the module: its reference count follows open/close. */
TEST_F(lkmdemo, module_refcount)
{
	unsigned long long refcnt;
	int refs, fd2, fd3;

	if (self->fd < 0 || lacks(_metadata, dut->no_pin))
		return;
	refs = module_refcount();
	if (refs < 0)
		SKIP(return, "%s is not a loaded module (built in?)", dut->name);
	EXPECT_LE(2, refs);	/* the fixture's two files */
	if (sysfs_read_ull(MOD_FILE("refcnt"), &refcnt) == 0)
		EXPECT_EQ(refs, refcnt);

	fd2 = open(DEV, O_RDONLY);
	ASSERT_LE(0, fd2);
	EXPECT_EQ(refs + 1, module_refcount());
	fd3 = dup(fd2);		/* same open file: no new reference */
	ASSERT_LE(0, fd3);
	EXPECT_EQ(refs + 1, module_refcount());
	close(fd3);
	close(fd2);
	EXPECT_EQ(refs, module_refcount());
}

/* Module parameters: none world-writable, validated writes keep the old value. */

static bool params_writable(struct __test_metadata *_metadata)
{
	if (geteuid() != 0)
		SKIP(return false, "needs root to write module parameters");
	if (lacks(_metadata, dut->no_params))
		return false;
	if (access(sysfs_param, F_OK))
		SKIP(return false, "%s: %s", sysfs_param, strerror(errno));
	return true;
}

TEST(param_modes)
{
	static const struct {
		const char *name;
		int mode;
	} params[] = {
		{ "whom", 0644 }, { "howmany", 0444 }, { "bufsize", 0444 },
		{ "verbose", 0644 }, { "banner", 0444 },
	};
	char path[512];
	struct dirent *de;
	size_t i;
	DIR *dir;

	dir = opendir(sysfs_param);
	if (!dir)
		SKIP(return, "%s: %s", sysfs_param, strerror(errno));
	while ((de = readdir(dir))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s%s", sysfs_param, de->d_name);
		EXPECT_EQ(0, file_mode(path) & 0002) TH_LOG("%s is world-writable", path);
	}
	closedir(dir);
	for (i = 0; i < ARRAY_SIZE(params); i++) {
		snprintf(path, sizeof(path), "%s%s", sysfs_param, params[i].name);
		EXPECT_EQ(params[i].mode, file_mode(path)) TH_LOG("%s", path);
	}
}

/* howmany only acts at load: read-only afterwards, even for root. */
TEST(param_howmany)
{
	char old[32], v[32];
	char *end;
	long n;

	if (!params_writable(_metadata))
		return;
	ASSERT_EQ(0, sysfs_read(PARAM("howmany"), old, sizeof(old)));
	n = strtol(old, &end, 10);
	EXPECT_EQ('\0', *end);
	EXPECT_LE(0, n);
	EXPECT_GE(100, n);
	EXPECT_EQ(-EACCES, sysfs_write(PARAM("howmany"), "5"));
	EXPECT_EQ(0, sysfs_read(PARAM("howmany"), v, sizeof(v)));
	EXPECT_STREQ(old, v);
}

TEST(param_whom)
{
	char old[1100], v[1100];

	if (!params_writable(_metadata))
		return;
	ASSERT_EQ(0, sysfs_read(PARAM("whom"), old, sizeof(old)));
	EXPECT_EQ(0, sysfs_write(PARAM("whom"), "kselftest"));
	EXPECT_EQ(0, sysfs_read(PARAM("whom"), v, sizeof(v)));
	EXPECT_STREQ("kselftest", v);
	/* "echo name > whom": the newline is not part of the name */
	EXPECT_EQ(0, sysfs_write(PARAM("whom"), "echoed\n"));
	EXPECT_EQ(0, sysfs_read(PARAM("whom"), v, sizeof(v)));
	EXPECT_STREQ("echoed", v);
	EXPECT_EQ(-EINVAL, sysfs_write(PARAM("whom"), "two\nlines"));
	EXPECT_EQ(0, sysfs_read(PARAM("whom"), v, sizeof(v)));
	EXPECT_STREQ("echoed", v);
	EXPECT_EQ(0, sysfs_write(PARAM("whom"), old));
	EXPECT_EQ(0, sysfs_read(PARAM("whom"), v, sizeof(v)));
	EXPECT_STREQ(old, v);
}

TEST(param_bufsize)
{
	unsigned long long bufsize, capacity;

	if (!params_writable(_metadata))
		return;
	ASSERT_EQ(0, sysfs_read_ull(PARAM("bufsize"), &bufsize));
	ASSERT_EQ(0, sysfs_read_ull(DEV_ATTR("capacity"), &capacity));
	EXPECT_EQ(capacity, bufsize);
	EXPECT_EQ(0, bufsize & (bufsize - 1));
	/* 0444: not even root may write it */
	EXPECT_EQ(-EACCES, sysfs_write(PARAM("bufsize"), "4096"));
}

TEST(param_verbose)
{
	char old[8], v[8];

	if (!params_writable(_metadata))
		return;
	ASSERT_EQ(0, sysfs_read(PARAM("verbose"), old, sizeof(old)));
	EXPECT_EQ(0, sysfs_write(PARAM("verbose"), "1"));
	EXPECT_EQ(0, sysfs_read(PARAM("verbose"), v, sizeof(v)));
	EXPECT_STREQ("Y", v);
	EXPECT_EQ(-EINVAL, sysfs_write(PARAM("verbose"), "maybe"));
	EXPECT_EQ(0, sysfs_read(PARAM("verbose"), v, sizeof(v)));
	EXPECT_STREQ("Y", v);
	EXPECT_EQ(0, sysfs_write(PARAM("verbose"), "0"));
	EXPECT_EQ(0, sysfs_read(PARAM("verbose"), v, sizeof(v)));
	EXPECT_STREQ("N", v);
	EXPECT_EQ(0, sysfs_write(PARAM("verbose"), old));
}

/* Read one '\n'-terminated line, waiting at most @ms per byte. */
static int read_line(int fd, char *line, size_t size, int ms)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	size_t n = 0;

	while (n < size - 1) {
		if (poll(&pfd, 1, ms) != 1 || read(fd, line + n, 1) != 1)
			return -1;
		if (line[n++] == '\n')
			break;
	}
	line[n] = '\0';
	return n;
}

/* lkmdemo_client posts "Hello, <whom> #<n>\n" every interval_ms, n counting up. */
TEST(client_posts_hello)
{
	char whom[1100], prefix[1200], line[1300];
	unsigned long long interval;
	unsigned long n1, n2;
	int fd;

	if (geteuid() != 0)
		SKIP(return, "needs root: %s is mode 0600", DEV);
	if (lacks(_metadata, dut->no_api))
		return;
	if (!client_loaded())
		SKIP(return, "lkmdemo_client is not loaded");
	ASSERT_EQ(0, sysfs_read_ull(SYSFS_CLIENT "parameters/interval_ms", &interval));
	EXPECT_LE(10, interval);
	EXPECT_GE(60000, interval);
	if (interval > 5000)
		SKIP(return, "interval_ms=%llu is too slow for this test", interval);
	ASSERT_EQ(0, sysfs_read(PARAM("whom"), whom, sizeof(whom)));
	snprintf(prefix, sizeof(prefix), "Hello, %s #", whom);

	fd = open(DEV, O_RDWR | O_NONBLOCK);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ioctl(fd, LKMDEMO_IOC_FLUSH, &(__u64){ 0 }));
	/* a line may have been cut by the flush: resynchronise on '\n' */
	ASSERT_LT(0, read_line(fd, line, sizeof(line), 2 * interval + 1000));
	ASSERT_LT(0, read_line(fd, line, sizeof(line), 2 * interval + 1000));
	ASSERT_EQ(0, strncmp(line, prefix, strlen(prefix))) TH_LOG("line: %s", line);
	n1 = strtoul(line + strlen(prefix), NULL, 10);
	ASSERT_LT(0, read_line(fd, line, sizeof(line), 2 * interval + 1000));
	ASSERT_EQ(0, strncmp(line, prefix, strlen(prefix))) TH_LOG("line: %s", line);
	n2 = strtoul(line + strlen(prefix), NULL, 10);
	EXPECT_EQ(n1 + 1, n2);
	close(fd);
}

TEST_HARNESS_MAIN
