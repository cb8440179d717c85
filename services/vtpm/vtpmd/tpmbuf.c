/*
 * vtpmd: a tiny big-endian marshaller for the few TPM commands vtpmd sends
 * itself during manufacture. Writes past the end set `overflow` instead.
 */
#include <string.h>

#include "vtpmd.h"

#define VTPMD_RS_PW 0x40000009u

void vtpmd_buf_init(struct vtpmd_buf *b, uint8_t *p, size_t cap)
{
	b->p = p;
	b->cap = cap;
	b->len = 0;
	b->overflow = false;
}

void vtpmd_buf_bytes(struct vtpmd_buf *b, const void *p, size_t n)
{
	if (b->overflow || n > b->cap - b->len) {
		b->overflow = true;
		return;
	}
	memcpy(b->p + b->len, p, n);
	b->len += n;
}

void vtpmd_buf_zeros(struct vtpmd_buf *b, size_t n)
{
	if (b->overflow || n > b->cap - b->len) {
		b->overflow = true;
		return;
	}
	memset(b->p + b->len, 0, n);
	b->len += n;
}

void vtpmd_buf_u8(struct vtpmd_buf *b, uint8_t v)
{
	vtpmd_buf_bytes(b, &v, 1);
}

void vtpmd_buf_u16(struct vtpmd_buf *b, uint16_t v)
{
	uint8_t x[2] = { (uint8_t)(v >> 8), (uint8_t)v };

	vtpmd_buf_bytes(b, x, sizeof(x));
}

void vtpmd_buf_u32(struct vtpmd_buf *b, uint32_t v)
{
	uint8_t x[4] = { (uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v };

	vtpmd_buf_bytes(b, x, sizeof(x));
}

size_t vtpmd_buf_size16_begin(struct vtpmd_buf *b)
{
	size_t mark = b->len;

	vtpmd_buf_u16(b, 0);
	return mark;
}

void vtpmd_buf_size16_end(struct vtpmd_buf *b, size_t mark)
{
	size_t n = b->len - mark - 2;

	if (b->overflow || n > 0xffff) {
		b->overflow = true;
		return;
	}
	b->p[mark] = (uint8_t)(n >> 8);
	b->p[mark + 1] = (uint8_t)n;
}

void vtpmd_buf_cmd_begin(struct vtpmd_buf *b, uint16_t tag, uint32_t code)
{
	b->len = 0;
	b->overflow = false;
	vtpmd_buf_u16(b, tag);
	vtpmd_buf_u32(b, 0);
	vtpmd_buf_u32(b, code);
}

void vtpmd_buf_cmd_end(struct vtpmd_buf *b)
{
	uint32_t n = (uint32_t)b->len;

	if (b->overflow || b->len < VTPMD_TPM_HDR)
		return;
	b->p[2] = (uint8_t)(n >> 24);
	b->p[3] = (uint8_t)(n >> 16);
	b->p[4] = (uint8_t)(n >> 8);
	b->p[5] = (uint8_t)n;
}

/* Authorization area with one password session and an empty password. */
void vtpmd_buf_pw_session(struct vtpmd_buf *b)
{
	vtpmd_buf_u32(b, 9);          /* authorizationSize */
	vtpmd_buf_u32(b, VTPMD_RS_PW);
	vtpmd_buf_u16(b, 0);          /* nonce */
	vtpmd_buf_u8(b, 0);           /* session attributes */
	vtpmd_buf_u16(b, 0);          /* hmac (password) */
}

uint32_t vtpmd_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* The response code, or TPM_RC_FAILURE for a response too short to hold one. */
uint32_t vtpmd_rsp_code(const uint8_t *rsp, uint32_t len)
{
	if (!rsp || len < VTPMD_TPM_HDR || vtpmd_be32(rsp + 2) != len)
		return VTPMD_RC_FAILURE;
	return vtpmd_be32(rsp + 6);
}
