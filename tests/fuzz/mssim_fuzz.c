/*
 * libFuzzer target for the mssim serial receiver (services/vtpm/mssim_rx.c).
 * Input: byte 0 picks the port; then records {u8 gap, u8 len, len bytes}
 * feed the receiver with the clock advanced by gap milliseconds (gaps above
 * 200 ms stall any partial frame). Every frame must satisfy the acceptance
 * rules, and the same stream fed one byte at a time must give the same frames.
 *   make build/fuzz/mssim && build/fuzz/mssim -max_total_time=300 build/fuzz-corpus/mssim
 */
#include <stdlib.h>

#include <copra/string.h>

#include "../../services/vtpm/mssim_rx.h"

#define FZ_MAX_FRAMES 256

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

struct fz_sig {
	u32 kind, code, locality, value, size, sum;
};

static struct mssim_rx fz_rx;
static struct fz_sig fz_a[FZ_MAX_FRAMES], fz_b[FZ_MAX_FRAMES];
static u8 fz_out[MSSIM_MAX_TPM_SIZE + 8];

static u32 fz_be32(const u8 *p)
{
	return (u32)p[0] << 24 | (u32)p[1] << 16 | (u32)p[2] << 8 | (u32)p[3];
}

/* Checks one frame against the acceptance rules and records its signature. */
static void fz_check(const struct mssim_rx_frame *f, struct fz_sig *s)
{
	u32 i, sum = 0;

	if (f->size > MSSIM_MAX_TPM_SIZE || (f->size && !f->data))
		abort();
	if (f->kind == MSSIM_RX_TPM_COMMAND) {
		if (f->code != MSSIM_SEND_COMMAND || f->locality > 4 || f->size < 10 ||
		    fz_be32(f->data + 2) != f->size || f->data[0] != 0x80 ||
		    (f->data[1] != 0x01 && f->data[1] != 0x02))
			abort();
		if (mssim_encode_tpm_response(fz_out, sizeof(fz_out), f->data, f->size) !=
			    f->size + 8 || fz_be32(fz_out) != f->size)
			abort();
	} else if (f->kind == MSSIM_RX_HASH_DATA) {
		if (f->code != MSSIM_SIGNAL_HASH_DATA || f->size == 0)
			abort();
	} else if (f->kind == MSSIM_RX_VALUE) {
		if (f->code != MSSIM_REMOTE_HANDSHAKE && f->code != MSSIM_SET_ALTERNATIVE_RESULT)
			abort();
	} else if (f->kind != MSSIM_RX_SIGNAL || f->size != 0) {
		abort();
	}
	for (i = 0; i < f->size; i++)
		sum = sum * 31 + f->data[i];
	*s = (struct fz_sig){ f->kind, f->code, f->locality, f->value, f->size, sum };
}

/* Runs the whole input; step 0 feeds each record at once, else `step` bytes at a time. */
static unsigned fz_run(const u8 *data, size_t size, size_t step, struct fz_sig *sigs)
{
	struct mssim_rx_frame f;
	unsigned frames = 0;
	size_t i = 1, n, chunk, used;
	u64 now = 1;

	mssim_rx_init(&fz_rx, data[0] & 1 ? MSSIM_RX_PLATFORM_PORT : MSSIM_RX_TPM_PORT, 0);
	while (i + 2 <= size) {
		now += (u64)data[i] * 1000000ULL;
		n = MIN((size_t)data[i + 1], size - i - 2);
		i += 2;
		while (n > 0) {
			chunk = step ? MIN(step, n) : n;
			if (mssim_rx_feed(&fz_rx, data + i, chunk, now, &used, &f)) {
				if (frames < FZ_MAX_FRAMES)
					fz_check(&f, &sigs[frames]);
				frames++;
			}
			if (used == 0 || used > chunk)
				abort();
			i += used;
			n -= used;
		}
	}
	mssim_rx_expire(&fz_rx, now + 1000000000ULL);
	if (!mssim_rx_idle(&fz_rx) || fz_rx.stats.frames != frames)
		abort();
	return frames;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	unsigned a, b;

	if (size < 1 || size > 3 * MSSIM_MAX_TPM_SIZE)
		return 0;
	a = fz_run(data, size, 0, fz_a);
	b = fz_run(data, size, 1, fz_b);
	if (a != b || memcmp(fz_a, fz_b, MIN(a, (unsigned)FZ_MAX_FRAMES) * sizeof(fz_a[0])) != 0)
		abort();
	return 0;
}
