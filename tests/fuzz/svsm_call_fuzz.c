/*
 * libFuzzer target for the SVSM dispatcher and the vTPM protocol-2 handler
 * (kernel/svsm): hostile registers and guest memory. The vTPM service is a
 * stub of vtpm_command_buffer() that decodes like the real one and answers
 * well, badly or not at all as the input says. Checked: every result is a
 * defined SVSM code; a failed call changes no output register and no guest
 * byte; a successful VTPM_CMD writes exactly the response, inside the
 * buffer; VTPM_CMD succeeds exactly when the GPA, the request and the
 * service all are good; no heap block leaks.
 *   make build/fuzz/svsm_call && build/fuzz/svsm_call -max_total_time=300 build/fuzz-corpus/svsm_call
 *
 * Input: byte 0 protocol (0-3, or 0xFF: the raw u32 that follows), byte 1
 * call (0-7, or raw), byte 2 GPA mode, bytes 3-10 GPA or offset, byte 11
 * service behaviour, then the guest memory (3 pages at FZ_BASE; the last
 * page is refused by the accessor when byte 2 is odd).
 */
#include <stdlib.h>

#include <copra/errno.h>
#include <copra/string.h>
#include <copra/svsm.h>
#include <copra/vtpm.h>

#include "../../services/vtpm/svsm_vtpm.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);
long fake_heap_live(void);

#define FZ_BASE 0x10000ULL
#define FZ_PAGES 3u
#define FZ_HDR 12u

static u8 fz_mem[FZ_PAGES * 4096];
static u8 fz_copy[FZ_PAGES * 4096];
static bool fz_refuse_last;
static u8 fz_service;          /* 0-3 answer well, 4 -E_PIPE, 5 -E_TIMEDOUT, 6 -E_IO, 7 bad size */
static bool fz_service_ok;     /* the stub answered with a response */
static size_t fz_rsp_len;

static bool fz_range(gpa_t gpa, size_t len, u64 *off)
{
	u64 g = gpa_addr(gpa), o = g - FZ_BASE;

	if (g < FZ_BASE || o > sizeof(fz_mem) || len > sizeof(fz_mem) - o)
		return false;
	if (fz_refuse_last && o + len > (FZ_PAGES - 1) * 4096)
		return false;
	*off = o;
	return true;
}

static int fz_read(const struct guest_mem *gm, gpa_t gpa, void *dst, size_t len)
{
	u64 off;

	(void)gm;
	if (!fz_range(gpa, len, &off))
		return -E_FAULT;
	memcpy(dst, fz_mem + off, len);
	return 0;
}

static int fz_write(const struct guest_mem *gm, gpa_t gpa, const void *src, size_t len)
{
	u64 off;

	(void)gm;
	if (!fz_range(gpa, len, &off))
		return -E_FAULT;
	memcpy(fz_mem + off, src, len);
	return 0;
}

static const struct guest_mem fz_gm = {
	.limit = FZ_BASE + sizeof(fz_mem), .read = fz_read, .write = fz_write,
};

/* The service stub: decode as the kernel does, then answer per fz_service. */
int vtpm_command_buffer(u8 buf[SVSM_VTPM_BUFFER_SIZE], size_t *rsp_len)
{
	static const int errors[] = { -E_PIPE, -E_TIMEDOUT, -E_IO };
	struct svsm_vtpm_request req;
	u32 len = 10 + (u32)(fz_service & 3) * 1000;
	u8 rsp[4092];
	int ret = svsm_vtpm_decode(buf, SVSM_VTPM_BUFFER_SIZE, &req);

	if (ret)
		return ret;
	if (fz_service >= 4 && fz_service < 7)
		return errors[fz_service - 4];
	if (fz_service >= 7)
		len = 4093; /* too big for protocol 2: the glue answers -E_IO */
	memset(rsp, 0x3C, sizeof(rsp));
	rsp[0] = 0x80;
	rsp[1] = 0x01;
	rsp[2] = (u8)(len >> 24);
	rsp[3] = (u8)(len >> 16);
	rsp[4] = (u8)(len >> 8);
	rsp[5] = (u8)len;
	*rsp_len = len <= sizeof(rsp) ? svsm_vtpm_encode_response(buf, SVSM_VTPM_BUFFER_SIZE,
								  rsp, len) : 0;
	if (!*rsp_len)
		return -E_IO;
	fz_service_ok = true;
	fz_rsp_len = *rsp_len;
	return 0;
}

static u32 fz_u32(const u8 *p)
{
	return (u32)p[0] | (u32)p[1] << 8 | (u32)p[2] << 16 | (u32)p[3] << 24;
}

static u64 fz_u64(const u8 *p)
{
	return (u64)fz_u32(p) | (u64)fz_u32(p + 4) << 32;
}

/* The GPA: raw, or an offset into (or just around) the fake guest memory. */
static u64 fz_gpa(const u8 *d)
{
	u64 v = fz_u64(d + 3);

	switch (d[2] >> 1 & 3) {
	case 0:
		return v;
	case 1:
		return FZ_BASE + (v % sizeof(fz_mem) & ~7ULL);
	default:
		return FZ_BASE + v % (sizeof(fz_mem) + 64) - 32;
	}
}

static void fz_check(const struct svsm_regs *in, const struct svsm_regs *out, bool is_cmd)
{
	u64 r = out->rax, gpa = in->rcx, off = gpa - FZ_BASE;

	if (r != SVSM_SUCCESS && (r < SVSM_ERR_INCOMPLETE || r > SVSM_ERR_BUSY))
		abort();
	if (r != SVSM_SUCCESS) {
		if (out->rcx != in->rcx || out->rdx != in->rdx || out->r8 != in->r8 ||
		    memcmp(fz_mem, fz_copy, sizeof(fz_mem)) != 0)
			abort();
		return;
	}
	if (!is_cmd) {
		if (memcmp(fz_mem, fz_copy, sizeof(fz_mem)) != 0)
			abort();
		return;
	}
	/* VTPM_CMD succeeded: the GPA was good and exactly the response was written. */
	if (!fz_service_ok || gpa < FZ_BASE || (gpa & 7) || off + SVSM_VTPM_BUFFER_SIZE > sizeof(fz_mem))
		abort();
	if (memcmp(fz_mem, fz_copy, off) != 0 ||
	    memcmp(fz_mem + off + fz_rsp_len, fz_copy + off + fz_rsp_len,
		   sizeof(fz_mem) - off - fz_rsp_len) != 0)
		abort();
	if (fz_u32(fz_mem + off) + 4 != fz_rsp_len)
		abort();
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct svsm_regs in, out;
	u32 proto, call;
	bool is_cmd;
	long live = fake_heap_live();

	if (size < FZ_HDR)
		return 0;
	proto = data[0] == 0xFF ? fz_u32(data + 3) : data[0] % 4;
	call = data[1] == 0xFF ? fz_u32(data + 7) : data[1] % 8;
	memset(&in, 0, sizeof(in));
	in.rax = (u64)proto << 32 | call;
	in.rcx = fz_gpa(data);
	in.rdx = 0x1111;
	in.r8 = 0x2222;
	fz_refuse_last = data[2] & 1;
	fz_service = data[11] % 8;
	fz_service_ok = false;
	memset(fz_mem, 0, sizeof(fz_mem));
	memcpy(fz_mem, data + FZ_HDR, MIN(size - FZ_HDR, sizeof(fz_mem)));
	memcpy(fz_copy, fz_mem, sizeof(fz_mem));
	out = in;
	svsm_call(&fz_gm, &out);
	is_cmd = proto == SVSM_PROTO_VTPM && call == SVSM_VTPM_CMD;
	fz_check(&in, &out, is_cmd);
	if (!is_cmd && fz_service_ok)
		abort();
	if (fake_heap_live() != live)
		abort();
	return 0;
}
