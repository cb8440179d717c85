/*
 * mssim receiver state machine and reply encoders (see mssim_rx.h). Bytes go
 * first into a small header buffer that is checked after every byte; the
 * first byte of an invalid prefix is dropped and the rest rescanned, so the
 * receiver finds the next valid header after any garbage.
 */
#include <copra/string.h>

#include "mssim_rx.h"

#define RX_TPM_HDR 10u      /* tag u16, commandSize u32, commandCode u32 */
#define RX_SEND_PREFIX 9u   /* code u32, locality u8, size u32 */
#define RX_MAX_LOCALITY 4u

enum rx_check {
	RX_BAD,   /* the buffered prefix cannot start a valid frame */
	RX_MORE,  /* valid so far, incomplete */
	RX_DONE,  /* a complete, valid header */
};

static u32 rx_be32(const u8 *p)
{
	return (u32)p[0] << 24 | (u32)p[1] << 16 | (u32)p[2] << 8 | (u32)p[3];
}

static void rx_put_be32(u8 *p, u32 v)
{
	p[0] = (u8)(v >> 24);
	p[1] = (u8)(v >> 16);
	p[2] = (u8)(v >> 8);
	p[3] = (u8)v;
}

static bool rx_code_known(enum mssim_rx_port port, u32 code)
{
	switch (code) {
	case MSSIM_SESSION_END:
	case MSSIM_STOP:
		return true;
	case MSSIM_SIGNAL_HASH_START:
	case MSSIM_SIGNAL_HASH_DATA:
	case MSSIM_SIGNAL_HASH_END:
	case MSSIM_SEND_COMMAND:
	case MSSIM_REMOTE_HANDSHAKE:
	case MSSIM_SET_ALTERNATIVE_RESULT:
		return port == MSSIM_RX_TPM_PORT;
	case MSSIM_SIGNAL_POWER_ON:
	case MSSIM_SIGNAL_POWER_OFF:
	case MSSIM_SIGNAL_PHYS_PRES_ON:
	case MSSIM_SIGNAL_PHYS_PRES_OFF:
	case MSSIM_SIGNAL_CANCEL_ON:
	case MSSIM_SIGNAL_CANCEL_OFF:
	case MSSIM_SIGNAL_NV_ON:
	case MSSIM_SIGNAL_NV_OFF:
	case MSSIM_SIGNAL_KEY_CACHE_ON:
	case MSSIM_SIGNAL_KEY_CACHE_OFF:
	case MSSIM_SIGNAL_RESET:
	case MSSIM_SIGNAL_RESTART:
	case MSSIM_GET_COMMAND_RESPONSE_SIZES:
	case MSSIM_ACT_GET_SIGNALED:
	case MSSIM_TEST_FAILURE_MODE:
		return port == MSSIM_RX_PLATFORM_PORT;
	default:
		return false;
	}
}

static u32 rx_hdr_size(u32 code)
{
	switch (code) {
	case MSSIM_SEND_COMMAND:
		return RX_SEND_PREFIX + RX_TPM_HDR;
	case MSSIM_SIGNAL_HASH_DATA:
	case MSSIM_REMOTE_HANDSHAKE:
	case MSSIM_SET_ALTERNATIVE_RESULT:
		return 8;
	default:
		return 4;
	}
}

/* The TPM_SEND_COMMAND prefix plus the embedded TPM header must agree. */
static bool rx_send_prefix_ok(const u8 *h, u32 len)
{
	u32 size = 0, tag;

	if (len > 4 && h[4] > RX_MAX_LOCALITY)
		return false;
	if (len >= RX_SEND_PREFIX) {
		size = rx_be32(h + 5);
		if (size < RX_TPM_HDR || size > MSSIM_MAX_TPM_SIZE)
			return false;
	}
	if (len >= RX_SEND_PREFIX + 2) {
		tag = (u32)h[9] << 8 | h[10];
		if (tag != 0x8001 && tag != 0x8002)
			return false;
	}
	if (len >= RX_SEND_PREFIX + 6 && rx_be32(h + 11) != size)
		return false;
	return true;
}

static enum rx_check rx_check(const struct mssim_rx *rx)
{
	const u8 *h = rx->hdr;
	u32 len = rx->hdr_len, i, code, v;

	for (i = 0; i < len && i < 3; i++)
		if (h[i] != 0)
			return RX_BAD;
	if (len < 4)
		return RX_MORE;
	code = h[3];
	if (!rx_code_known(rx->port, code))
		return RX_BAD;
	/* Out of sync, only the strongly checked TPM_SEND_COMMAND header counts. */
	if (!rx->synced && code != MSSIM_SEND_COMMAND)
		return RX_BAD;
	if (code == MSSIM_SEND_COMMAND && !rx_send_prefix_ok(h, len))
		return RX_BAD;
	if (len >= 8) {
		v = rx_be32(h + 4);
		if (code == MSSIM_SIGNAL_HASH_DATA && (v == 0 || v > MSSIM_MAX_TPM_SIZE))
			return RX_BAD;
		if (code == MSSIM_REMOTE_HANDSHAKE && v == 0)
			return RX_BAD;
	}
	return len >= rx_hdr_size(code) ? RX_DONE : RX_MORE;
}

/* Drops leading bytes until the buffered prefix is valid (possibly empty). */
static enum rx_check rx_resync(struct mssim_rx *rx)
{
	enum rx_check r;

	while ((r = rx_check(rx)) == RX_BAD) {
		memmove(rx->hdr, rx->hdr + 1, rx->hdr_len - 1);
		rx->hdr_len--;
		rx->stats.garbage_bytes++;
		if (rx->port == MSSIM_RX_TPM_PORT)
			rx->synced = false;
	}
	return r;
}

static void rx_reset(struct mssim_rx *rx)
{
	rx->hdr_len = 0;
	rx->in_body = false;
	rx->body_len = 0;
	rx->body_size = 0;
}

static void rx_emit(struct mssim_rx *rx, enum mssim_rx_kind kind, u32 value,
		    struct mssim_rx_frame *f)
{
	f->kind = kind;
	f->code = rx->code;
	f->locality = rx->locality;
	f->value = value;
	f->size = kind == MSSIM_RX_TPM_COMMAND || kind == MSSIM_RX_HASH_DATA ? rx->body_len : 0;
	f->data = f->size ? rx->body : NULL;
	rx->stats.frames++;
	rx->synced = true;
	rx_reset(rx);
}

/* A complete header: emits a body-less frame or starts collecting the body. */
static bool rx_header_done(struct mssim_rx *rx, struct mssim_rx_frame *f)
{
	rx->code = rx->hdr[3];
	rx->locality = 0;
	switch (rx->code) {
	case MSSIM_SEND_COMMAND:
		rx->locality = rx->hdr[4];
		rx->body_size = rx_be32(rx->hdr + 5);
		memcpy(rx->body, rx->hdr + RX_SEND_PREFIX, RX_TPM_HDR);
		rx->body_len = RX_TPM_HDR;
		break;
	case MSSIM_SIGNAL_HASH_DATA:
		rx->body_size = rx_be32(rx->hdr + 4);
		rx->body_len = 0;
		break;
	case MSSIM_REMOTE_HANDSHAKE:
	case MSSIM_SET_ALTERNATIVE_RESULT:
		rx_emit(rx, MSSIM_RX_VALUE, rx_be32(rx->hdr + 4), f);
		return true;
	default:
		rx_emit(rx, MSSIM_RX_SIGNAL, 0, f);
		return true;
	}
	rx->hdr_len = 0;
	rx->in_body = true;
	if (rx->body_len < rx->body_size)
		return false;
	rx_emit(rx, MSSIM_RX_TPM_COMMAND, 0, f);
	return true;
}

void mssim_rx_init(struct mssim_rx *rx, enum mssim_rx_port port, u64 timeout_ns)
{
	memset(rx, 0, sizeof(*rx));
	rx->port = port;
	rx->timeout_ns = timeout_ns ? timeout_ns : MSSIM_RX_DEFAULT_TIMEOUT_NS;
	rx->synced = true;
}

bool mssim_rx_idle(const struct mssim_rx *rx)
{
	return rx->hdr_len == 0 && !rx->in_body;
}

/* Bytes of the partial frame received so far (the TPM header is in both buffers). */
static u64 rx_pending_bytes(const struct mssim_rx *rx)
{
	if (!rx->in_body)
		return rx->hdr_len;
	if (rx->code == MSSIM_SEND_COMMAND)
		return RX_SEND_PREFIX + rx->body_len;
	return rx_hdr_size(rx->code) + rx->body_len;
}

bool mssim_rx_expire(struct mssim_rx *rx, u64 now_ns)
{
	if (now_ns <= rx->last_ns || now_ns - rx->last_ns <= rx->timeout_ns)
		return false;
	rx->synced = true; /* a quiet line: the next byte starts a frame */
	if (mssim_rx_idle(rx))
		return false;
	rx->stats.stalled_frames++;
	rx->stats.stalled_bytes += rx_pending_bytes(rx);
	rx_reset(rx);
	return true;
}

bool mssim_rx_feed(struct mssim_rx *rx, const u8 *data, size_t n, u64 now_ns, size_t *used,
		   struct mssim_rx_frame *frame)
{
	size_t i = 0, take;

	mssim_rx_expire(rx, now_ns);
	while (i < n) {
		rx->last_ns = now_ns;
		if (rx->in_body) {
			take = MIN(n - i, (size_t)(rx->body_size - rx->body_len));
			memcpy(rx->body + rx->body_len, data + i, take);
			rx->body_len += (u32)take;
			i += take;
			if (rx->body_len == rx->body_size) {
				rx_emit(rx, rx->code == MSSIM_SEND_COMMAND ? MSSIM_RX_TPM_COMMAND
									   : MSSIM_RX_HASH_DATA,
					0, frame);
				*used = i;
				return true;
			}
			continue;
		}
		rx->hdr[rx->hdr_len++] = data[i++];
		if (rx_resync(rx) == RX_DONE && rx_header_done(rx, frame)) {
			*used = i;
			return true;
		}
	}
	*used = i;
	return false;
}

bool mssim_code_acked(u32 code)
{
	return code != MSSIM_SESSION_END && code != MSSIM_STOP;
}

size_t mssim_encode_u32(u8 *out, size_t cap, u32 value)
{
	if (!out || cap < 4)
		return 0;
	rx_put_be32(out, value);
	return 4;
}

size_t mssim_encode_tpm_response(u8 *out, size_t cap, const u8 *rsp, u32 len)
{
	if (!out || len > MSSIM_MAX_TPM_SIZE || (len && !rsp) || cap < 8 + (size_t)len)
		return 0;
	rx_put_be32(out, len);
	if (len)
		memmove(out + 4, rsp, len);
	rx_put_be32(out + 4 + len, 0);
	return 8 + (size_t)len;
}

size_t mssim_encode_handshake(u8 *out, size_t cap, u32 endpoint_flags)
{
	if (!out || cap < 12)
		return 0;
	rx_put_be32(out, MSSIM_SERVER_VERSION);
	rx_put_be32(out + 4, endpoint_flags);
	rx_put_be32(out + 8, 0);
	return 12;
}
