/*
 * Tests of the self-synchronising mssim receiver and reply encoders
 * (services/vtpm/mssim_rx.c): whole, split, stalled, truncated, oversized
 * and garbage-surrounded frames on both ports, and a random-split property.
 */
#include <abi/mssim.h>
#include <copra/string.h>
#include <copra/test.h>

#include "../../services/vtpm/mssim_rx.h"

#define MS 1000000ULL

static struct mssim_rx ms_t_rx;
static u8 ms_t_buf[3 * MSSIM_MAX_TPM_SIZE];
static u8 ms_t_cmd[MSSIM_MAX_TPM_SIZE];

static void ms_t_be32(u8 *p, u32 v)
{
	p[0] = (u8)(v >> 24);
	p[1] = (u8)(v >> 16);
	p[2] = (u8)(v >> 8);
	p[3] = (u8)v;
}

/* A TPM command of size bytes (consistent header) in ms_t_cmd. */
static void ms_t_make_cmd(u32 size, u8 fill)
{
	memset(ms_t_cmd, fill, size);
	ms_t_cmd[0] = 0x80;
	ms_t_cmd[1] = 0x01;
	ms_t_be32(ms_t_cmd + 2, size);
	ms_t_be32(ms_t_cmd + 6, 0x17B);
}

/* Appends a TPM_SEND_COMMAND frame carrying ms_t_cmd[0..size). */
static size_t ms_t_send(u8 *out, u8 locality, u32 size)
{
	ms_t_be32(out, MSSIM_SEND_COMMAND);
	out[4] = locality;
	ms_t_be32(out + 5, size);
	memcpy(out + 9, ms_t_cmd, size);
	return 9 + (size_t)size;
}

static size_t ms_t_u32(u8 *out, u32 v)
{
	ms_t_be32(out, v);
	return 4;
}

/* Feeds all of data at now; returns the number of frames, the last in *last. */
static unsigned ms_t_feed_all(const u8 *data, size_t n, u64 now, struct mssim_rx_frame *last)
{
	struct mssim_rx_frame f;
	unsigned frames = 0;
	size_t used;

	while (n > 0) {
		if (mssim_rx_feed(&ms_t_rx, data, n, now, &used, &f)) {
			frames++;
			if (last)
				*last = f;
		}
		if (used == 0 || used > n)
			return 1000; /* no progress: a bug */
		data += used;
		n -= used;
	}
	return frames;
}

TEST(mssim_rx, whole_command)
{
	struct mssim_rx_frame f;
	size_t n, used;

	mssim_rx_init(&ms_t_rx, MSSIM_RX_TPM_PORT, 0);
	CHECK_EQ(t, ms_t_rx.timeout_ns, MSSIM_RX_DEFAULT_TIMEOUT_NS);
	ms_t_make_cmd(12, 0x42);
	n = ms_t_send(ms_t_buf, 3, 12);
	CHECK(t, mssim_rx_feed(&ms_t_rx, ms_t_buf, n, 1, &used, &f));
	CHECK_EQ(t, used, n);
	CHECK_EQ(t, f.kind, MSSIM_RX_TPM_COMMAND);
	CHECK_EQ(t, f.code, MSSIM_SEND_COMMAND);
	CHECK_EQ(t, f.locality, 3);
	CHECK_EQ(t, f.size, 12);
	CHECK(t, memcmp(f.data, ms_t_cmd, 12) == 0);
	CHECK(t, mssim_rx_idle(&ms_t_rx));
	CHECK_EQ(t, ms_t_rx.stats.frames, 1);
	CHECK_EQ(t, ms_t_rx.stats.garbage_bytes, 0);
}

TEST(mssim_rx, largest_command_and_byte_by_byte)
{
	struct mssim_rx_frame f;
	size_t n, i, used;

	mssim_rx_init(&ms_t_rx, MSSIM_RX_TPM_PORT, 0);
	ms_t_make_cmd(MSSIM_MAX_TPM_SIZE, 0x33);
	n = ms_t_send(ms_t_buf, 0, MSSIM_MAX_TPM_SIZE);
	for (i = 0; i < n; i++) {
		bool got = mssim_rx_feed(&ms_t_rx, ms_t_buf + i, 1, 5 + i, &used, &f);

		CHECK_EQ(t, used, 1);
		CHECK_EQ(t, got, i == n - 1);
	}
	CHECK_EQ(t, f.size, MSSIM_MAX_TPM_SIZE);
	CHECK(t, memcmp(f.data, ms_t_cmd, MSSIM_MAX_TPM_SIZE) == 0);
}

TEST(mssim_rx, rejects_oversized_and_inconsistent_headers)
{
	struct mssim_rx_frame f;
	size_t n;

	mssim_rx_init(&ms_t_rx, MSSIM_RX_TPM_PORT, 0);
	ms_t_make_cmd(64, 0x11);
	n = ms_t_send(ms_t_buf, 0, 64);
	ms_t_be32(ms_t_buf + 5, MSSIM_MAX_TPM_SIZE + 1);            /* too large */
	ms_t_be32(ms_t_buf + 11, MSSIM_MAX_TPM_SIZE + 1);
	CHECK_EQ(t, ms_t_feed_all(ms_t_buf, n, 1, &f), 0);
	n = ms_t_send(ms_t_buf, 0, 64);
	ms_t_be32(ms_t_buf + 11, 65);                                /* commandSize lies */
	CHECK_EQ(t, ms_t_feed_all(ms_t_buf, n, 2, &f), 0);
	n = ms_t_send(ms_t_buf, 5, 64);                              /* locality 5 */
	CHECK_EQ(t, ms_t_feed_all(ms_t_buf, n, 3, &f), 0);
	n = ms_t_send(ms_t_buf, 0, 64);
	ms_t_buf[9] = 0x00;                                          /* tag 0x00C1 */
	ms_t_buf[10] = 0xC1;
	CHECK_EQ(t, ms_t_feed_all(ms_t_buf, n, 4, &f), 0);
	ms_t_make_cmd(9, 0x11);                                      /* smaller than a header */
	ms_t_be32(ms_t_cmd + 2, 9);
	n = ms_t_send(ms_t_buf, 0, 9);
	CHECK_EQ(t, ms_t_feed_all(ms_t_buf, n, 5, &f), 0);
	CHECK_EQ(t, ms_t_rx.stats.frames, 0);
	/* After all that garbage a valid frame still gets through. */
	ms_t_make_cmd(30, 0x22);
	n = ms_t_send(ms_t_buf, 0, 30);
	CHECK_EQ(t, ms_t_feed_all(ms_t_buf, n, 6, &f), 1);
	CHECK_EQ(t, f.size, 30);
}

TEST(mssim_rx, split_with_short_gap_is_kept)
{
	struct mssim_rx_frame f;
	size_t n, used;

	mssim_rx_init(&ms_t_rx, MSSIM_RX_TPM_PORT, 100 * MS);
	ms_t_make_cmd(22, 0x55);
	n = ms_t_send(ms_t_buf, 0, 22);
	/* tpm2-tss: the 9-byte prefix and the command ~40 ms apart (Nagle). */
	CHECK(t, !mssim_rx_feed(&ms_t_rx, ms_t_buf, 9, 1000 * MS, &used, &f));
	CHECK(t, !mssim_rx_expire(&ms_t_rx, 1090 * MS));
	CHECK(t, mssim_rx_feed(&ms_t_rx, ms_t_buf + 9, n - 9, 1040 * MS, &used, &f));
	CHECK_EQ(t, f.size, 22);
	CHECK_EQ(t, ms_t_rx.stats.stalled_frames, 0);
}

TEST(mssim_rx, stalled_frame_is_dropped)
{
	struct mssim_rx_frame f;
	size_t n, m;

	mssim_rx_init(&ms_t_rx, MSSIM_RX_TPM_PORT, 100 * MS);
	ms_t_make_cmd(200, 0x00);
	n = ms_t_send(ms_t_buf, 0, 200);
	CHECK_EQ(t, ms_t_feed_all(ms_t_buf, 50, 0, &f), 0);
	/* The rest arrives 150 ms later: the partial frame is gone, the tail is garbage. */
	CHECK_EQ(t, ms_t_feed_all(ms_t_buf + 50, n - 50, 150 * MS, &f), 0);
	CHECK_EQ(t, ms_t_rx.stats.stalled_frames, 1);
	CHECK_EQ(t, ms_t_rx.stats.stalled_bytes, 50);
	ms_t_make_cmd(12, 0x01);
	m = ms_t_send(ms_t_buf, 1, 12);
	CHECK_EQ(t, ms_t_feed_all(ms_t_buf, m, 151 * MS, &f), 1);
	CHECK_EQ(t, f.locality, 1);
	/* Stalled in the header, found by a timer tick without new input. */
	CHECK_EQ(t, ms_t_feed_all(ms_t_buf, 6, 200 * MS, &f), 0);
	CHECK(t, !mssim_rx_expire(&ms_t_rx, 300 * MS));
	CHECK(t, !mssim_rx_expire(&ms_t_rx, 100 * MS)); /* clock went backwards */
	CHECK(t, mssim_rx_expire(&ms_t_rx, 301 * MS));
	CHECK(t, mssim_rx_idle(&ms_t_rx));
	CHECK_EQ(t, ms_t_rx.stats.stalled_frames, 2);
}

TEST(mssim_rx, resynchronises_after_garbage)
{
	static const u8 junk[] = { 0xFF, 0x00, 0x00, 0x00, 0x08, 0x07, 0x00, 0x00, 0x00, 0x00,
				   0x00, 0x00, 0x08, 0x00, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00,
				   0x16, 0x00, 0x00, 0x00, 0x63, 0x80, 0x01, 0x00 };
	struct mssim_rx_frame f;
	size_t n = 0;
	unsigned i;

	mssim_rx_init(&ms_t_rx, MSSIM_RX_TPM_PORT, 0);
	ms_t_make_cmd(40, 0x99);
	/* garbage, frame, zeros, frame, garbage, SESSION_END, truncated prefix, frame */
	memcpy(ms_t_buf, junk, sizeof(junk));
	n = sizeof(junk);
	n += ms_t_send(ms_t_buf + n, 0, 40);
	memset(ms_t_buf + n, 0, 37);
	n += 37;
	n += ms_t_send(ms_t_buf + n, 2, 40);
	for (i = 0; i < 50; i++)
		ms_t_buf[n++] = (u8)(i * 37 + 0x80);
	n += ms_t_u32(ms_t_buf + n, MSSIM_SESSION_END);
	n += ms_t_u32(ms_t_buf + n, MSSIM_SEND_COMMAND);
	ms_t_buf[n++] = 0;
	n += ms_t_send(ms_t_buf + n, 4, 40);
	/* SESSION_END right after garbage is not believed: three commands. */
	CHECK_EQ(t, ms_t_feed_all(ms_t_buf, n, 1, &f), 3);
	CHECK_EQ(t, f.kind, MSSIM_RX_TPM_COMMAND);
	CHECK_EQ(t, f.locality, 4);
	CHECK(t, memcmp(f.data, ms_t_cmd, 40) == 0);
	CHECK(t, ms_t_rx.stats.garbage_bytes >= sizeof(junk) + 37 + 50 + 4);
	/* Garbage inside a broken command yields no 4-byte signal frames. */
	n = ms_t_send(ms_t_buf, 0, 40);
	for (i = 0; i < 40; i++)
		ms_t_be32(ms_t_buf + n + 4 * i, i % 31);
	CHECK_EQ(t, ms_t_feed_all(ms_t_buf + 1, n - 1 + 160, 2, &f), 0);
}

TEST(mssim_rx, header_lookalike_inside_a_command_is_data)
{
	struct mssim_rx_frame f;
	size_t n;

	mssim_rx_init(&ms_t_rx, MSSIM_RX_TPM_PORT, 0);
	ms_t_make_cmd(64, 0);
	ms_t_be32(ms_t_cmd + 20, MSSIM_SESSION_END);
	ms_t_be32(ms_t_cmd + 30, MSSIM_SEND_COMMAND);
	n = ms_t_send(ms_t_buf, 0, 64);
	CHECK_EQ(t, ms_t_feed_all(ms_t_buf, n, 1, &f), 1);
	CHECK_EQ(t, f.size, 64);
	CHECK(t, memcmp(f.data, ms_t_cmd, 64) == 0);
}

TEST(mssim_rx, tpm_port_other_codes)
{
	struct mssim_rx_frame f;
	size_t n = 0;

	mssim_rx_init(&ms_t_rx, MSSIM_RX_TPM_PORT, 0);
	n += ms_t_u32(ms_t_buf, MSSIM_REMOTE_HANDSHAKE);
	n += ms_t_u32(ms_t_buf + n, 1);
	CHECK_EQ(t, ms_t_feed_all(ms_t_buf, n, 1, &f), 1);
	CHECK_EQ(t, f.kind, MSSIM_RX_VALUE);
	CHECK_EQ(t, f.value, 1);
	n = ms_t_u32(ms_t_buf, MSSIM_REMOTE_HANDSHAKE);              /* version 0: invalid */
	n += ms_t_u32(ms_t_buf + n, 0);
	n += ms_t_u32(ms_t_buf + n, MSSIM_SIGNAL_POWER_ON);          /* platform code here: junk */
	n += ms_t_u32(ms_t_buf + n, MSSIM_SIGNAL_HASH_DATA);         /* size 0: invalid */
	n += ms_t_u32(ms_t_buf + n, 0);
	CHECK_EQ(t, ms_t_feed_all(ms_t_buf, n, 2, &f), 0);
	n = ms_t_u32(ms_t_buf, MSSIM_SIGNAL_HASH_DATA);
	n += ms_t_u32(ms_t_buf + n, 3);
	memcpy(ms_t_buf + n, "abc", 3);
	n += 3;
	/* Right after garbage only TPM_SEND_COMMAND is believed; after a quiet gap all codes. */
	CHECK_EQ(t, ms_t_feed_all(ms_t_buf, n, 3, &f), 0);
	CHECK_EQ(t, ms_t_feed_all(ms_t_buf, n, 3 + 101 * MS, &f), 1);
	CHECK_EQ(t, f.kind, MSSIM_RX_HASH_DATA);
	CHECK(t, f.size == 3 && memcmp(f.data, "abc", 3) == 0);
	n = ms_t_u32(ms_t_buf, MSSIM_SET_ALTERNATIVE_RESULT);
	n += ms_t_u32(ms_t_buf + n, 0xDEADBEEF);
	n += ms_t_u32(ms_t_buf + n, MSSIM_SIGNAL_HASH_START);
	n += ms_t_u32(ms_t_buf + n, MSSIM_SIGNAL_HASH_END);
	n += ms_t_u32(ms_t_buf + n, MSSIM_STOP);
	CHECK_EQ(t, ms_t_feed_all(ms_t_buf, n, 4 + 101 * MS, &f), 4);
	CHECK_EQ(t, f.kind, MSSIM_RX_SIGNAL);
	CHECK_EQ(t, f.code, MSSIM_STOP);
}

TEST(mssim_rx, platform_port_signals)
{
	static const u32 ok[] = { 1, 2, 3, 4, 9, 10, 11, 12, 13, 14, 17, 18, 20, 21, 25, 26, 30 };
	static const u32 bad[] = { 0, 5, 6, 7, 8, 15, 16, 19, 22, 0x101, 0x01000001 };
	struct mssim_rx_frame f;
	unsigned i;

	mssim_rx_init(&ms_t_rx, MSSIM_RX_PLATFORM_PORT, 0);
	for (i = 0; i < ARRAY_SIZE(ok); i++) {
		ms_t_u32(ms_t_buf, ok[i]);
		CHECK_EQ(t, ms_t_feed_all(ms_t_buf, 4, 1, &f), 1);
		CHECK_EQ(t, f.kind, MSSIM_RX_SIGNAL);
		CHECK_EQ(t, f.code, ok[i]);
	}
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		ms_t_u32(ms_t_buf, bad[i]);
		ms_t_u32(ms_t_buf + 4, 0xFFFFFFFF);
		CHECK_EQ(t, ms_t_feed_all(ms_t_buf, 8, 2, &f), 0);
	}
	CHECK(t, mssim_rx_idle(&ms_t_rx));
	CHECK(t, mssim_code_acked(MSSIM_SIGNAL_POWER_ON) && mssim_code_acked(MSSIM_SEND_COMMAND));
	CHECK(t, !mssim_code_acked(MSSIM_SESSION_END) && !mssim_code_acked(MSSIM_STOP));
}

TEST(mssim_rx, reply_encoders)
{
	static const u8 rsp[10] = { 0x80, 0x01, 0, 0, 0, 10, 0, 0, 0, 0 };
	u8 out[32];

	CHECK_EQ(t, mssim_encode_u32(out, 4, 0), 4);
	CHECK(t, out[0] == 0 && out[3] == 0);
	CHECK_EQ(t, mssim_encode_u32(out, 4, 1), 4);
	CHECK_EQ(t, out[3], 1);
	CHECK_EQ(t, mssim_encode_u32(out, 3, 0), 0);
	CHECK_EQ(t, mssim_encode_tpm_response(out, sizeof(out), rsp, 10), 18);
	CHECK(t, out[3] == 10 && memcmp(out + 4, rsp, 10) == 0);
	CHECK(t, out[14] == 0 && out[15] == 0 && out[16] == 0 && out[17] == 0);
	CHECK_EQ(t, mssim_encode_tpm_response(out, 17, rsp, 10), 0);
	CHECK_EQ(t, mssim_encode_tpm_response(out, sizeof(out), NULL, 0), 8);
	CHECK_EQ(t, mssim_encode_tpm_response(out, sizeof(out), NULL, 1), 0);
	CHECK_EQ(t, mssim_encode_tpm_response(ms_t_buf, sizeof(ms_t_buf), ms_t_cmd, 4097), 0);
	CHECK_EQ(t, mssim_encode_handshake(out, sizeof(out), 0x5), 12);
	CHECK(t, out[3] == 1 && out[7] == 5 && out[11] == 0);
	CHECK_EQ(t, mssim_encode_handshake(out, 11, 0x5), 0);
}

/* A stream of frames cut at random points is received intact and in order. */
TEST(mssim_rx, random_splits)
{
	struct mssim_rx_frame f;
	u64 x = 0x243F6A8885A308D3ULL, now = 0;
	size_t n = 0, off, chunk, used;
	unsigned round, i, frames;
	u32 sizes[16];

	for (round = 0; round < 40; round++) {
		mssim_rx_init(&ms_t_rx, MSSIM_RX_TPM_PORT, 100 * MS);
		n = 0;
		for (i = 0; i < 16; i++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			sizes[i] = 11 + (u32)(x % 500);
			ms_t_make_cmd(sizes[i], (u8)i);
			n += ms_t_send(ms_t_buf + n, (u8)(i % 5), sizes[i]);
		}
		for (off = 0, frames = 0; off < n; off += chunk) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			chunk = MIN(n - off, 1 + (size_t)(x % 64));
			now += x % (50 * MS);
			while (chunk > 0 && mssim_rx_feed(&ms_t_rx, ms_t_buf + off, chunk, now, &used, &f)) {
				CHECK_EQ(t, f.size, sizes[frames]);
				CHECK_EQ(t, f.locality, frames % 5);
				CHECK_EQ(t, f.data[10], (u8)frames);
				frames++;
				off += used;
				chunk -= used;
			}
		}
		CHECK_EQ(t, frames, 16);
		CHECK_EQ(t, ms_t_rx.stats.garbage_bytes, 0);
	}
}
