/*
 * vtpmd: framing on the command channel (fd 3). The channel keeps message
 * boundaries (a Copra channel object; a SOCK_SEQPACKET socket on the host):
 * each read returns one request
 *     u32 locality | u32 size | size bytes of TPM command   (little-endian)
 * and each write sends one response
 *     u32 size | size bytes of TPM response.
 * A malformed request is never passed on, in part or whole: it is answered
 * with a 10-byte TPM error response, so every request gets exactly one
 * response and a waiting client never hangs.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "vtpmd.h"

/* One byte more than the largest request, to see an oversized one. */
static uint8_t chan_in[VTPMD_MSG_HDR + VTPMD_MAX_CMD + 1];
static uint8_t chan_out[VTPMD_RSP_HDR + VTPMD_MAX_CMD];

static uint32_t chan_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static enum vtpmd_chan_status chan_reject(struct vtpmd_request *req, uint32_t rc,
					  const char *why)
{
	req->reject_rc = rc;
	req->reject_why = why;
	return VTPMD_CHAN_REJECT;
}

/* Validates one whole message; on success req->cmd points into msg. */
enum vtpmd_chan_status vtpmd_chan_decode(uint8_t *msg, size_t n, struct vtpmd_request *req)
{
	uint32_t locality, size;

	memset(req, 0, sizeof(*req));
	if (n < VTPMD_MSG_HDR)
		return chan_reject(req, VTPMD_RC_COMMAND_SIZE, "message shorter than its header");
	if (n > VTPMD_MSG_HDR + VTPMD_MAX_CMD)
		return chan_reject(req, VTPMD_RC_COMMAND_SIZE, "message larger than 4096+8 bytes");
	locality = chan_le32(msg);
	size = chan_le32(msg + 4);
	if (locality > VTPMD_MAX_LOCALITY)
		return chan_reject(req, VTPMD_RC_LOCALITY, "locality above 4");
	if (size > VTPMD_MAX_CMD)
		return chan_reject(req, VTPMD_RC_COMMAND_SIZE, "size above 4096");
	if (size != n - VTPMD_MSG_HDR)
		return chan_reject(req, VTPMD_RC_COMMAND_SIZE, "size does not match the message");
	req->locality = (uint8_t)locality;
	req->size = size;
	req->cmd = msg + VTPMD_MSG_HDR;
	return VTPMD_CHAN_REQUEST;
}

enum vtpmd_chan_status vtpmd_chan_recv(int fd, struct vtpmd_request *req)
{
	ssize_t n;

	do
		n = read(fd, chan_in, sizeof(chan_in));
	while (n < 0 && errno == EINTR);
	if (n == 0)
		return VTPMD_CHAN_EOF;
	if (n < 0) {
		vtpmd_log("read on the command channel failed: %s", strerror(errno));
		return VTPMD_CHAN_FATAL;
	}
	return vtpmd_chan_decode(chan_in, (size_t)n, req);
}

int vtpmd_chan_send(int fd, const uint8_t *rsp, uint32_t len)
{
	const uint8_t *p = chan_out;
	size_t left = VTPMD_RSP_HDR + (size_t)len;
	ssize_t w;

	if (len > VTPMD_MAX_CMD)
		return -1;
	chan_out[0] = (uint8_t)len;
	chan_out[1] = (uint8_t)(len >> 8);
	chan_out[2] = (uint8_t)(len >> 16);
	chan_out[3] = (uint8_t)(len >> 24);
	memcpy(chan_out + VTPMD_RSP_HDR, rsp, len);
	while (left > 0) {
		w = write(fd, p, left);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			vtpmd_log("write on the command channel failed: %s",
				  w < 0 ? strerror(errno) : "short write");
			return -1;
		}
		p += w;
		left -= (size_t)w;
	}
	return 0;
}

void vtpmd_make_error(uint8_t out[VTPMD_TPM_HDR], uint32_t rc)
{
	out[0] = (uint8_t)(VTPMD_ST_NO_SESSIONS >> 8);
	out[1] = (uint8_t)VTPMD_ST_NO_SESSIONS;
	out[2] = 0;
	out[3] = 0;
	out[4] = 0;
	out[5] = VTPMD_TPM_HDR;
	out[6] = (uint8_t)(rc >> 24);
	out[7] = (uint8_t)(rc >> 16);
	out[8] = (uint8_t)(rc >> 8);
	out[9] = (uint8_t)rc;
}

int vtpmd_chan_send_error(int fd, uint32_t rc)
{
	uint8_t rsp[VTPMD_TPM_HDR];

	vtpmd_make_error(rsp, rc);
	return vtpmd_chan_send(fd, rsp, sizeof(rsp));
}
