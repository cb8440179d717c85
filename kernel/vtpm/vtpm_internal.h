/*
 * Internals shared by the files of kernel/vtpm: the channel state
 * (vtpm.c), command forwarding (command.c), the mssim transport logic
 * (mssim.c) and its serial-port thread (serial.c).
 */
#ifndef KERNEL_VTPM_INTERNAL_H
#define KERNEL_VTPM_INTERNAL_H

#include <abi/mssim.h>
#include <copra/channel.h>
#include <copra/vtpm.h>

#include "../../services/vtpm/mssim_rx.h"

/* The current client end with a new reference, or NULL. */
struct channel_end *vtpm_client_get(void);
/* The service closed its end: forget c if it is still the current client. */
void vtpm_drop(struct channel_end *c);
/* vtpm_service_stop, limited to the channel `only` when it is not NULL. */
bool vtpm_stop_channel(struct channel_end *only, const char *why);

void vtpm_count(u64 *counter);
struct vtpm_stats *vtpm_stats_ptr(void);

/*
 * The mssim transport without the wire: receivers for both ports and the
 * platform's power state. mssim_reply() answers one frame into out (at most
 * cap bytes; VTPM_MSSIM_REPLY_MAX suffices) and returns the bytes to send
 * (0: no reply).
 */
#define VTPM_MSSIM_REPLY_MAX (MSSIM_MAX_TPM_SIZE + 8)

struct vtpm_mssim {
	struct mssim_rx rx[2];      /* [MSSIM_RX_TPM_PORT], [MSSIM_RX_PLATFORM_PORT] */
	bool powered;               /* POWER_ON / POWER_OFF */
	u8 buf[SVSM_VTPM_BUFFER_SIZE]; /* the protocol-2 request/response */
	u64 timeout_ns;             /* per command; 0: VTPM_COMMAND_TIMEOUT_NS */
};

void vtpm_mssim_init(struct vtpm_mssim *m);
size_t vtpm_mssim_reply(struct vtpm_mssim *m, const struct mssim_rx_frame *f, u8 *out,
			size_t cap);
/* The mssim transport's one conversion of internal errors into TPM response codes. */
u32 vtpm_mssim_rc(int err);

#endif
