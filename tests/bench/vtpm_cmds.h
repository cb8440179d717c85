/*
 * Raw TPM 2.0 commands for the vTPM benchmarks, shared by the Linux peer
 * (tests/bench/linux/bench_vtpm.c) and Copra (tests/bench/copra/vtpm_bench.c)
 * so both sides send the same bytes: PCR_Extend(16, SHA-256), GetRandom(32),
 * CreatePrimary of an ECC P-256 ECDSA signing key in the owner hierarchy,
 * Sign (ECDSA, SHA-256) with it, FlushContext and Startup. Big-endian TPM
 * wire format; every builder returns the command's length. Also the framing
 * of vtpmd's command channel (docs/vtpm.md section 1): a request is
 * u32 locality | u32 size | command, a response u32 size | response, both
 * little-endian.
 */
#ifndef TESTS_BENCH_VTPM_CMDS_H
#define TESTS_BENCH_VTPM_CMDS_H

#include <stddef.h>
#include <stdint.h>

#define VC_MAX 512                 /* every command here is shorter */
#define VC_RC_RETRY 0x922u

struct vc_buf {
	uint8_t b[VC_MAX];
	size_t n;
};

static inline void vc_u8(struct vc_buf *c, uint8_t v) { c->b[c->n++] = v; }
static inline void vc_u16(struct vc_buf *c, uint16_t v) { vc_u8(c, (uint8_t)(v >> 8)); vc_u8(c, (uint8_t)v); }
static inline void vc_u32(struct vc_buf *c, uint32_t v) { vc_u16(c, (uint16_t)(v >> 16)); vc_u16(c, (uint16_t)v); }

static inline void vc_bytes(struct vc_buf *c, const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		vc_u8(c, p[i]);
}

/* Starts a command; vc_end() fills in its size. */
static inline void vc_begin(struct vc_buf *c, int sessions, uint32_t code)
{
	c->n = 0;
	vc_u16(c, sessions ? 0x8002 : 0x8001);
	vc_u32(c, 0);
	vc_u32(c, code);
}

static inline size_t vc_end(struct vc_buf *c)
{
	c->b[2] = (uint8_t)(c->n >> 24);
	c->b[3] = (uint8_t)(c->n >> 16);
	c->b[4] = (uint8_t)(c->n >> 8);
	c->b[5] = (uint8_t)c->n;
	return c->n;
}

/* One password session with an empty password. */
static inline void vc_pw_session(struct vc_buf *c)
{
	vc_u32(c, 9);
	vc_u32(c, 0x40000009);
	vc_u16(c, 0);
	vc_u8(c, 0);
	vc_u16(c, 0);
}

static inline size_t vc_startup(struct vc_buf *c)
{
	vc_begin(c, 0, 0x144);
	vc_u16(c, 0); /* TPM_SU_CLEAR */
	return vc_end(c);
}

static inline size_t vc_get_random(struct vc_buf *c, uint16_t n)
{
	vc_begin(c, 0, 0x17B);
	vc_u16(c, n);
	return vc_end(c);
}

static inline size_t vc_pcr_extend(struct vc_buf *c, uint32_t pcr, const uint8_t digest[32])
{
	vc_begin(c, 1, 0x182);
	vc_u32(c, pcr);
	vc_pw_session(c);
	vc_u32(c, 1);
	vc_u16(c, 0x000B); /* SHA-256 */
	vc_bytes(c, digest, 32);
	return vc_end(c);
}

/* ECC P-256, ECDSA/SHA-256, fixedTPM|fixedParent|sensitiveDataOrigin|userWithAuth|sign. */
static inline size_t vc_create_primary_ecc(struct vc_buf *c)
{
	size_t at;

	vc_begin(c, 1, 0x131);
	vc_u32(c, 0x40000001); /* owner hierarchy */
	vc_pw_session(c);
	vc_u16(c, 4);          /* TPM2B_SENSITIVE_CREATE: empty auth and data */
	vc_u16(c, 0);
	vc_u16(c, 0);
	at = c->n;
	vc_u16(c, 0);          /* TPM2B_PUBLIC size, filled in below */
	vc_u16(c, 0x0023);     /* ECC */
	vc_u16(c, 0x000B);     /* name algorithm SHA-256 */
	vc_u32(c, 0x00040072);
	vc_u16(c, 0);          /* no policy */
	vc_u16(c, 0x0010);     /* symmetric: null */
	vc_u16(c, 0x0018);     /* scheme ECDSA */
	vc_u16(c, 0x000B);     /*   with SHA-256 */
	vc_u16(c, 0x0003);     /* NIST P-256 */
	vc_u16(c, 0x0010);     /* kdf: null */
	vc_u16(c, 0);          /* unique x, y: empty */
	vc_u16(c, 0);
	c->b[at] = (uint8_t)((c->n - at - 2) >> 8);
	c->b[at + 1] = (uint8_t)(c->n - at - 2);
	vc_u16(c, 0);          /* outsideInfo */
	vc_u32(c, 0);          /* creationPCR: none */
	return vc_end(c);
}

static inline size_t vc_sign_ecdsa(struct vc_buf *c, uint32_t handle, const uint8_t digest[32])
{
	vc_begin(c, 1, 0x15D);
	vc_u32(c, handle);
	vc_pw_session(c);
	vc_u16(c, 32);
	vc_bytes(c, digest, 32);
	vc_u16(c, 0x0018);     /* ECDSA */
	vc_u16(c, 0x000B);     /* SHA-256 */
	vc_u16(c, 0x8024);     /* TPM_ST_HASHCHECK ticket */
	vc_u32(c, 0x40000007); /*   TPM_RH_NULL */
	vc_u16(c, 0);
	return vc_end(c);
}

static inline size_t vc_flush(struct vc_buf *c, uint32_t handle)
{
	vc_begin(c, 0, 0x165);
	vc_u32(c, handle);
	return vc_end(c);
}

static inline uint32_t vc_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Response code of a response (0x101, TPM_RC_FAILURE, when malformed). */
static inline uint32_t vc_rc(const uint8_t *rsp, size_t len)
{
	if (len < 10 || vc_be32(rsp + 2) != len)
		return 0x101;
	return vc_be32(rsp + 6);
}

/* The object handle a successful CreatePrimary returns. */
static inline uint32_t vc_created_handle(const uint8_t *rsp, size_t len)
{
	return len >= 14 ? vc_be32(rsp + 10) : 0;
}

/* vtpmd's framing: writes u32 locality 0 | u32 size | command into out (cap >= n + 8). */
static inline size_t vc_frame(uint8_t *out, const struct vc_buf *c)
{
	size_t i;

	for (i = 0; i < 4; i++) {
		out[i] = 0;
		out[4 + i] = (uint8_t)(c->n >> (8 * i));
	}
	for (i = 0; i < c->n; i++)
		out[8 + i] = c->b[i];
	return c->n + 8;
}

#endif
