/*
 * SVSM vTPM protocol-2 buffer codec (see svsm_vtpm.h): every field of the
 * guest's buffer is decoded and validated before anything acts on it.
 */
#include <copra/errno.h>
#include <copra/string.h>

#include "svsm_vtpm.h"

#define VTPM_TPM_ST_NO_SESSIONS 0x8001u

static u32 vtpm_get_le32(const u8 *p)
{
	return (u32)p[0] | (u32)p[1] << 8 | (u32)p[2] << 16 | (u32)p[3] << 24;
}

static void vtpm_put_le32(u8 *p, u32 v)
{
	p[0] = (u8)v;
	p[1] = (u8)(v >> 8);
	p[2] = (u8)(v >> 16);
	p[3] = (u8)(v >> 24);
}

static u32 vtpm_get_be32(const u8 *p)
{
	return (u32)p[0] << 24 | (u32)p[1] << 16 | (u32)p[2] << 8 | (u32)p[3];
}

static void vtpm_put_be32(u8 *p, u32 v)
{
	p[0] = (u8)(v >> 24);
	p[1] = (u8)(v >> 16);
	p[2] = (u8)(v >> 8);
	p[3] = (u8)v;
}

int svsm_vtpm_decode(const u8 *buf, size_t len, struct svsm_vtpm_request *req)
{
	const size_t hdr = sizeof(struct svsm_vtpm_cmd_req_hdr);
	u32 cmd, size;
	u8 locality;

	if (!buf || !req || len < sizeof(u32) || len > SVSM_VTPM_BUFFER_SIZE)
		return -E_INVAL;
	cmd = vtpm_get_le32(buf + offsetof(struct svsm_vtpm_cmd_req_hdr, platform_cmd));
	if (cmd != SVSM_VTPM_PLATFORM_SEND_COMMAND)
		return -E_NOSYS;
	if (len < hdr)
		return -E_INVAL;
	locality = buf[offsetof(struct svsm_vtpm_cmd_req_hdr, locality)];
	size = vtpm_get_le32(buf + offsetof(struct svsm_vtpm_cmd_req_hdr, size));
	if (locality != 0)
		return -E_RANGE;
	if (size > SVSM_VTPM_MAX_CMD_SIZE || size > len - hdr)
		return -E_TOOBIG;
	if (size < SVSM_VTPM_TPM_HEADER_SIZE)
		return -E_INVAL;
	/* TPM header: tag u16, commandSize u32, commandCode u32 (big-endian). */
	if (vtpm_get_be32(buf + hdr + 2) != size)
		return -E_INVAL;
	req->platform_cmd = cmd;
	req->locality = locality;
	req->cmd_size = size;
	req->tpm_code = vtpm_get_be32(buf + hdr + 6);
	req->cmd = buf + hdr;
	return 0;
}

size_t svsm_vtpm_encode_response(u8 *buf, size_t cap, const u8 *rsp, u32 rsp_len)
{
	const size_t hdr = sizeof(struct svsm_vtpm_cmd_rsp_hdr);

	if (!buf || !rsp || rsp_len < SVSM_VTPM_TPM_HEADER_SIZE ||
	    rsp_len > SVSM_VTPM_MAX_RSP_SIZE || cap < hdr || cap - hdr < rsp_len)
		return 0;
	if (vtpm_get_be32(rsp + 2) != rsp_len)
		return 0;
	memmove(buf + hdr, rsp, rsp_len);
	vtpm_put_le32(buf, rsp_len);
	return hdr + rsp_len;
}

size_t svsm_vtpm_encode_tpm_error(u8 *buf, size_t cap, u32 rc)
{
	u8 rsp[SVSM_VTPM_TPM_HEADER_SIZE];

	rsp[0] = (u8)(VTPM_TPM_ST_NO_SESSIONS >> 8);
	rsp[1] = (u8)VTPM_TPM_ST_NO_SESSIONS;
	vtpm_put_be32(rsp + 2, sizeof(rsp));
	vtpm_put_be32(rsp + 6, rc);
	return svsm_vtpm_encode_response(buf, cap, rsp, sizeof(rsp));
}

u64 svsm_vtpm_query_commands(void)
{
	return BIT(SVSM_VTPM_PLATFORM_SEND_COMMAND);
}

u64 svsm_vtpm_query_features(void)
{
	return 0;
}

u64 svsm_vtpm_result(int err)
{
	if (err == 0)
		return SVSM_SUCCESS;
	if (err > 0 || err <= -E_MAX)
		return SVSM_ERR_INVALID_REQUEST; /* not an internal code: never negate it */
	switch (-err) {
	case E_INVAL:
	case E_RANGE:
	case E_TOOBIG:
		return SVSM_ERR_INVALID_PARAMETER;
	case E_NOSYS:
		return SVSM_ERR_UNSUPPORTED_CALL;
	case E_FAULT:
		return SVSM_ERR_INVALID_ADDRESS;
	case E_TYPE:
		return SVSM_ERR_INVALID_FORMAT;
	case E_BUSY:
	case E_AGAIN:
	case E_INTR:
		return SVSM_ERR_BUSY;
	default:
		return SVSM_ERR_INVALID_REQUEST;
	}
}
