/*
 * The native host transport's protocol logic (design.md §7.2, docs/vtpm.md
 * §5.2), without the serial ports: one frame from an mssim receiver in, the
 * reply bytes out. serial.c moves the bytes.
 *
 * TPM port: each TPM_SEND_COMMAND is placed in a protocol-2 request buffer,
 * exactly as a guest would place it, and handed to vtpm_command_timeout(),
 * the entry point of the SVSM protocol-2 handler too; the reply is
 * u32 size | response | u32 0. When the command cannot be served (platform
 * powered off, no service, service failed, locality other than 0) the reply
 * is a 10-byte TPM error response from vtpm_mssim_rc(). HASH_*,
 * SET_ALTERNATIVE_RESULT get u32 0; REMOTE_HANDSHAKE gets the server
 * version and endpoint flags; SESSION_END and STOP get nothing.
 *
 * Platform port: signals are idempotent and acknowledged with u32 0.
 * POWER_OFF (when on) stops the service: it is killed and init restarts it,
 * and until POWER_ON every command is answered TPM_RC_FAILURE. POWER_ON and
 * NV_ON when on change nothing (every tpm2-tools run sends them). RESET and
 * RESTART stop the service too (a TPM reset) without powering off.
 */
#include <copra/errno.h>
#include <copra/log.h>
#include <copra/string.h>

#include "../../services/vtpm/svsm_vtpm.h"
#include "vtpm_internal.h"

/* TPM 2.0 response codes the transport produces itself. */
#define VTPM_RC_FAILURE 0x101u
#define VTPM_RC_COMMAND_SIZE 0x142u
#define VTPM_RC_LOCALITY 0x907u
#define VTPM_RC_RETRY 0x922u

/* REMOTE_HANDSHAKE: a platform and raw commands, as the simulator reports. */
#define VTPM_MSSIM_EP_FLAGS (MSSIM_EP_PLATFORM_AVAILABLE | MSSIM_EP_IN_RAW_MODE)

void vtpm_mssim_init(struct vtpm_mssim *m)
{
	mssim_rx_init(&m->rx[MSSIM_RX_TPM_PORT], MSSIM_RX_TPM_PORT, 0);
	mssim_rx_init(&m->rx[MSSIM_RX_PLATFORM_PORT], MSSIM_RX_PLATFORM_PORT, 0);
	m->powered = true;
	m->timeout_ns = 0;
}

u32 vtpm_mssim_rc(int err)
{
	switch (err) {
	case -E_RANGE:
		return VTPM_RC_LOCALITY;
	case -E_INVAL:
	case -E_TOOBIG:
		return VTPM_RC_COMMAND_SIZE;
	case -E_BUSY:
	case -E_AGAIN:
		return VTPM_RC_RETRY;
	default: /* -E_PIPE, -E_TIMEDOUT, -E_IO, -E_NOMEM, powered off */
		return VTPM_RC_FAILURE;
	}
}

static void vtpm_mssim_put_le32(u8 *p, u32 v)
{
	p[0] = (u8)v;
	p[1] = (u8)(v >> 8);
	p[2] = (u8)(v >> 16);
	p[3] = (u8)(v >> 24);
}

/* Runs one TPM command through the protocol-2 buffer; the response is left in m->buf. */
static int vtpm_mssim_run(struct vtpm_mssim *m, const struct mssim_rx_frame *f)
{
	size_t rsp_len;

	if (!m->powered)
		return -E_PIPE;
	if (f->size > SVSM_VTPM_MAX_CMD_SIZE)
		return -E_TOOBIG;
	memset(m->buf, 0, sizeof(m->buf));
	vtpm_mssim_put_le32(m->buf + offsetof(struct svsm_vtpm_cmd_req_hdr, platform_cmd),
			    SVSM_VTPM_PLATFORM_SEND_COMMAND);
	m->buf[offsetof(struct svsm_vtpm_cmd_req_hdr, locality)] = f->locality;
	vtpm_mssim_put_le32(m->buf + offsetof(struct svsm_vtpm_cmd_req_hdr, size), f->size);
	memcpy(m->buf + sizeof(struct svsm_vtpm_cmd_req_hdr), f->data, f->size);
	return vtpm_command_timeout(m->buf, &rsp_len,
				    m->timeout_ns ? m->timeout_ns : VTPM_COMMAND_TIMEOUT_NS);
}

static size_t vtpm_mssim_command(struct vtpm_mssim *m, const struct mssim_rx_frame *f, u8 *out,
				 size_t cap)
{
	int err = vtpm_mssim_run(m, f);
	u32 size;

	if (err && !svsm_vtpm_encode_tpm_error(m->buf, sizeof(m->buf), vtpm_mssim_rc(err)))
		return 0;
	size = (u32)m->buf[0] | (u32)m->buf[1] << 8 | (u32)m->buf[2] << 16 |
	       (u32)m->buf[3] << 24;
	return mssim_encode_tpm_response(out, cap, m->buf + 4, size);
}

static void vtpm_mssim_signal(struct vtpm_mssim *m, u32 code)
{
	switch (code) {
	case MSSIM_SIGNAL_POWER_ON:
		if (!m->powered)
			log_info("vtpm: mssim POWER_ON");
		m->powered = true;
		break;
	case MSSIM_SIGNAL_POWER_OFF:
		if (m->powered) {
			log_info("vtpm: mssim POWER_OFF");
			m->powered = false;
			vtpm_service_stop("platform POWER_OFF");
		}
		break;
	case MSSIM_SIGNAL_RESET:
	case MSSIM_SIGNAL_RESTART:
		vtpm_service_stop("platform RESET");
		break;
	default: /* NV, physical presence, cancel, key cache, ...: nothing to do */
		break;
	}
}

/* GET_COMMAND_RESPONSE_SIZES: u32 16, largest command and response (no codes), u32 0. */
static size_t vtpm_mssim_sizes(u8 *out, size_t cap)
{
	static const u32 words[] = { 16, SVSM_VTPM_MAX_CMD_SIZE, 0, SVSM_VTPM_MAX_RSP_SIZE, 0 };
	size_t n = 0, i;

	for (i = 0; i < ARRAY_SIZE(words); i++)
		n += mssim_encode_u32(out + n, cap - n, words[i]);
	n += mssim_encode_u32(out + n, cap - n, 0);
	return n == 4 * (ARRAY_SIZE(words) + 1) ? n : 0;
}

size_t vtpm_mssim_reply(struct vtpm_mssim *m, const struct mssim_rx_frame *f, u8 *out,
			size_t cap)
{
	switch (f->kind) {
	case MSSIM_RX_TPM_COMMAND:
		return vtpm_mssim_command(m, f, out, cap);
	case MSSIM_RX_VALUE:
		if (f->code == MSSIM_REMOTE_HANDSHAKE)
			return mssim_encode_handshake(out, cap, VTPM_MSSIM_EP_FLAGS);
		return mssim_encode_u32(out, cap, 0);
	case MSSIM_RX_HASH_DATA:
		return mssim_encode_u32(out, cap, 0);
	case MSSIM_RX_SIGNAL:
		if (!mssim_code_acked(f->code))
			return 0;
		if (f->code == MSSIM_GET_COMMAND_RESPONSE_SIZES)
			return vtpm_mssim_sizes(out, cap);
		vtpm_mssim_signal(m, f->code);
		return mssim_encode_u32(out, cap, 0);
	}
	return 0;
}
