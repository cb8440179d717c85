/*
 * vtpmd: the command loop. One request in, one response out, until the
 * channel reaches EOF (clean exit) or fails. Rejected requests are logged
 * (the first few, then every 1000th, so a hostile peer cannot flood the log).
 */
#include "vtpmd.h"

static void loop_log_reject(const struct vtpmd_request *req)
{
	static unsigned long rejects;

	rejects++;
	if (rejects <= 10 || rejects % 1000 == 0)
		vtpmd_log("rejected request #%lu: %s (answered TPM rc 0x%x)", rejects,
			  req->reject_why, req->reject_rc);
}

int vtpmd_loop_run(int fd)
{
	struct vtpmd_request req;
	const uint8_t *rsp;
	uint32_t rsp_len;
	int rc;

	for (;;) {
		switch (vtpmd_chan_recv(fd, &req)) {
		case VTPMD_CHAN_EOF:
			return 0;
		case VTPMD_CHAN_FATAL:
			return 1;
		case VTPMD_CHAN_REJECT:
			loop_log_reject(&req);
			rc = vtpmd_chan_send_error(fd, req.reject_rc);
			break;
		case VTPMD_CHAN_REQUEST:
		default:
			vtpmd_engine_exec(req.locality, req.cmd, req.size, &rsp, &rsp_len);
			rc = vtpmd_chan_send(fd, rsp, rsp_len);
			break;
		}
		if (rc != 0)
			return 1;
	}
}
