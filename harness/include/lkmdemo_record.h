/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lkmdemo_record.h - the checked record of the harness's test programs
 * (bench/lkmdemo_bench.c, stress/lkmdemo_stress.c)
 *
 * A record is one write() of at most PIPE_BUF bytes, which the FIFO must
 * store whole and never interleave with another write (pipe(7)). It starts
 * with struct record_hdr: its writer and that writer's sequence number, so
 * that the readers can prove that nothing was lost, duplicated, reordered
 * or torn. Two ways to fill and check one:
 *
 *   record_make() / record_check(): every byte. The payload is regenerated
 *	from (writer, seq, offset) and the whole record carries an FNV-1a
 *	checksum. The stress test uses these.
 *   record_tag() / record_tag_check(): the header and a last byte derived
 *	from (writer, seq): a torn or mixed record has another writer's bytes
 *	at one end. The benchmark uses these, since checking every byte would
 *	be most of what it measured.
 */
#ifndef LKMDEMO_RECORD_H
#define LKMDEMO_RECORD_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define RECORD_MAGIC	0x4c4b4d52u	/* "LKMR" */
#define RECORD_END	0xffff		/* writer of the end-of-test records */

struct record_hdr {
	uint32_t magic;
	uint16_t writer;
	uint16_t len;		/* whole record, header included */
	uint32_t seq;
	uint32_t csum;		/* record_make(): FNV-1a of the record with csum = 0 */
};

static inline uint32_t record_fnv1a(const void *p, size_t n)
{
	const uint8_t *b = p;
	uint32_t h = 2166136261u;

	while (n--)
		h = (h ^ *b++) * 16777619u;
	return h;
}

/* Payload byte @i of record (@writer, @seq): recomputable by the reader. */
static inline uint8_t record_byte(unsigned int writer, uint32_t seq, size_t i)
{
	uint32_t x = (writer * 0x9e3779b1u) ^ (seq * 0x85ebca6bu) ^
		     (uint32_t)(i * 0xc2b2ae35u);

	x ^= x >> 15;
	return (uint8_t)(x * 0x2c1b3c6du >> 24);
}

static inline void record_hdr_set(void *buf, unsigned int writer, uint32_t seq,
				  size_t len)
{
	struct record_hdr h = {
		.magic = RECORD_MAGIC, .writer = writer, .len = len, .seq = seq,
	};

	memcpy(buf, &h, sizeof(h));
}

/* A whole record of @len bytes (sizeof(struct record_hdr)..PIPE_BUF) in @buf. */
static inline size_t record_make(void *buf, unsigned int writer, uint32_t seq,
				 size_t len)
{
	uint8_t *p = buf;
	uint32_t csum;
	size_t i;

	record_hdr_set(buf, writer, seq, len);
	for (i = sizeof(struct record_hdr); i < len; i++)
		p[i] = record_byte(writer, seq, i);
	csum = record_fnv1a(buf, len);
	memcpy(p + offsetof(struct record_hdr, csum), &csum, sizeof(csum));
	return len;
}

/*
 * 0 if @buf holds one whole, correct record of @len bytes (made by
 * record_make()); else -1, with the reason in *@why.
 */
static inline int record_check(const void *buf, size_t len, const char **why)
{
	uint8_t tmp[PIPE_BUF];
	struct record_hdr h;
	const uint8_t *p = buf;
	size_t i;

	if (len < sizeof(h) || len > PIPE_BUF) {
		*why = "bad length";
		return -1;
	}
	memcpy(&h, buf, sizeof(h));
	if (h.magic != RECORD_MAGIC) {
		*why = "bad magic";
		return -1;
	}
	if (h.len != len) {
		*why = "bad length";
		return -1;
	}
	memcpy(tmp, buf, len);
	memset(tmp + offsetof(struct record_hdr, csum), 0, sizeof(h.csum));
	if (record_fnv1a(tmp, len) != h.csum) {
		*why = "bad checksum";
		return -1;
	}
	for (i = sizeof(h); i < len; i++)
		if (p[i] != record_byte(h.writer, h.seq, i)) {
			*why = "bad payload";
			return -1;
		}
	return 0;
}

static inline uint8_t record_tag_byte(unsigned int writer, uint32_t seq)
{
	return (uint8_t)(seq ^ writer);
}

/*
 * The header and the last byte of a @len-byte record in @buf, whose other
 * bytes are left as they are (a benchmark fills them once).
 */
static inline void record_tag(void *buf, unsigned int writer, uint32_t seq,
			      size_t len)
{
	record_hdr_set(buf, writer, seq, len);
	((uint8_t *)buf)[len - 1] = record_tag_byte(writer, seq);
}

/*
 * True if @buf starts a record of @len bytes made by record_tag(), from a
 * writer below @writers, whose last byte is that writer's for that seq.
 */
static inline bool record_tag_check(const void *buf, size_t len,
				    unsigned int writers, struct record_hdr *h)
{
	memcpy(h, buf, sizeof(*h));
	return len > sizeof(*h) && h->magic == RECORD_MAGIC && h->len == len &&
	       h->writer < writers &&
	       ((const uint8_t *)buf)[len - 1] == record_tag_byte(h->writer, h->seq);
}

#endif /* LKMDEMO_RECORD_H */
