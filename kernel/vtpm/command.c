/*
 * vtpm_command_buffer(): the one entry point of both vTPM transports
 * (include/copra/vtpm.h). Decode the protocol-2 request in the kernel's
 * private buffer, forward the TPM command to the service as
 *     u32 locality | u32 size | size bytes      (little-endian framing)
 * wait for its answer
 *     u32 size | size bytes
 * until the deadline, check the answer (it comes from another process:
 * untrusted) and encode the protocol-2 response in place.
 *
 * One command is in flight at a time: the channel carries no request ids,
 * so a second outstanding call could take the first one's answer. Callers
 * queue on vtpm_cmd_wq. A service that misses the deadline is stopped, so a
 * late answer can never be taken for the next command's.
 */
#include <copra/errno.h>
#include <copra/log.h>
#include <copra/string.h>
#include <copra/time.h>
#include <copra/waitq.h>

#include "../../services/vtpm/svsm_vtpm.h"
#include "vtpm_internal.h"

#define VTPM_MSG_HDR 8u
/* Log the first ten malformed answers, then every thousandth. */
#define VTPM_LOG_FIRST 10u
#define VTPM_LOG_EVERY 1000u

static struct waitq vtpm_cmd_wq = WAITQ_INIT;
static bool vtpm_cmd_busy;                    /* guarded by vtpm_cmd_wq's lock */
/* Request and answer buffers of the command in flight (owned by vtpm_cmd_busy). */
static u8 vtpm_msg[VTPM_MSG_HDR + SVSM_VTPM_MAX_CMD_SIZE];
static u8 vtpm_rsp[COPRA_CHANNEL_MSG_MAX];    /* any message fits: none stays queued */
static u64 vtpm_bad_answers;

static void vtpm_put_le32(u8 *p, u32 v)
{
	p[0] = (u8)v;
	p[1] = (u8)(v >> 8);
	p[2] = (u8)(v >> 16);
	p[3] = (u8)(v >> 24);
}

static u32 vtpm_get_le32(const u8 *p)
{
	return (u32)p[0] | (u32)p[1] << 8 | (u32)p[2] << 16 | (u32)p[3] << 24;
}

/* Waits for the command slot until the deadline: 0, -E_BUSY or -E_INTR. */
static int vtpm_cmd_lock(u64 deadline)
{
	int ret = 0;

	waitq_lock(&vtpm_cmd_wq);
	while (vtpm_cmd_busy && ret == 0) {
		ret = waitq_sleep_locked(&vtpm_cmd_wq, deadline);
		waitq_lock(&vtpm_cmd_wq);
	}
	if (!vtpm_cmd_busy)
		ret = 0;
	else if (ret == -E_TIMEDOUT)
		ret = -E_BUSY;
	if (!ret)
		vtpm_cmd_busy = true;
	waitq_unlock(&vtpm_cmd_wq);
	return ret;
}

static void vtpm_cmd_unlock(void)
{
	waitq_lock(&vtpm_cmd_wq);
	vtpm_cmd_busy = false;
	waitq_wake_one_locked(&vtpm_cmd_wq, 0);
	waitq_unlock(&vtpm_cmd_wq);
}

/* Checks the service's answer (n bytes in vtpm_rsp) and encodes it into buf. */
static int vtpm_take_answer(size_t n, u8 *buf, size_t *rsp_len)
{
	size_t w = 0;
	u64 bad;

	if (n >= 4 && vtpm_get_le32(vtpm_rsp) == n - 4)
		w = svsm_vtpm_encode_response(buf, SVSM_VTPM_BUFFER_SIZE, vtpm_rsp + 4,
					      (u32)(n - 4));
	if (w) {
		*rsp_len = w;
		return 0;
	}
	bad = __atomic_add_fetch(&vtpm_bad_answers, 1, __ATOMIC_RELAXED);
	if (bad <= VTPM_LOG_FIRST || bad % VTPM_LOG_EVERY == 0)
		log_warn("vtpm: malformed answer from the service (%zu bytes; %llu so far)", n,
			 (unsigned long long)bad);
	return -E_IO;
}

/* Sends the decoded command over the current channel and takes the answer. */
static int vtpm_forward(const struct svsm_vtpm_request *req, u8 *buf, size_t *rsp_len,
			u64 deadline)
{
	struct channel_end *c = vtpm_client_get();
	size_t n = 0;
	int ret;

	if (!c)
		return -E_PIPE;
	vtpm_put_le32(vtpm_msg, req->locality);
	vtpm_put_le32(vtpm_msg + 4, req->cmd_size);
	memcpy(vtpm_msg + VTPM_MSG_HDR, req->cmd, req->cmd_size);
	vtpm_count(&vtpm_stats_ptr()->commands);
	ret = channel_kernel_call(c, vtpm_msg, VTPM_MSG_HDR + req->cmd_size, vtpm_rsp,
				  sizeof(vtpm_rsp), deadline, &n);
	if (ret == -E_TIMEDOUT)
		vtpm_stop_channel(c, "it did not answer a command in time");
	else if (ret == -E_PIPE)
		vtpm_drop(c);
	else if (!ret)
		ret = vtpm_take_answer(n, buf, rsp_len);
	if (ret)
		vtpm_count(&vtpm_stats_ptr()->failures);
	channel_end_put(c);
	return ret;
}

int vtpm_command_timeout(u8 buf[SVSM_VTPM_BUFFER_SIZE], size_t *rsp_len, u64 timeout_ns)
{
	struct svsm_vtpm_request req;
	u64 deadline = time_ns() + timeout_ns;
	int ret = svsm_vtpm_decode(buf, SVSM_VTPM_BUFFER_SIZE, &req);

	if (ret)
		return ret;
	if (!vtpm_connected())
		return -E_PIPE; /* fail fast, without queueing behind other commands */
	ret = vtpm_cmd_lock(deadline);
	if (ret)
		return ret;
	ret = vtpm_forward(&req, buf, rsp_len, deadline);
	vtpm_cmd_unlock();
	return ret;
}

int vtpm_command_buffer(u8 buf[SVSM_VTPM_BUFFER_SIZE], size_t *rsp_len)
{
	return vtpm_command_timeout(buf, rsp_len, VTPM_COMMAND_TIMEOUT_NS);
}
