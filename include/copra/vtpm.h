/*
 * The kernel side of the vTPM (docs/vtpm.md): the channel to the vTPM
 * service process (vtpmd), the one entry point both transports use, and the
 * service's life cycle.
 *
 * /dev/vtpm: each open by init creates a fresh channel; init gets the
 * server end (and passes it to vtpmd as fd 3), the kernel keeps the client
 * end and closes the previous one, so an old vtpmd sees end of file.
 *
 * vtpm_command_buffer() takes a protocol-2 request buffer (abi/svsm.h, the
 * kernel's private copy), decodes it, forwards the TPM command to the
 * service (u32 locality | u32 size | command) with a deadline, checks the
 * service's answer as untrusted and writes the protocol-2 response into the
 * same buffer. The SVSM protocol-2 handler and the native mssim transport
 * both call it. Commands are serialised (one call in flight on the
 * channel). With no service connected, or one that died, it fails at once
 * with -E_PIPE; a service that does not answer before the deadline is
 * stopped (killed, so init restarts it) and the command fails with
 * -E_TIMEDOUT. Task context only.
 */
#ifndef COPRA_VTPM_H
#define COPRA_VTPM_H

#include <abi/svsm.h>
#include <copra/object.h>
#include <copra/types.h>

struct process;

/* How long a command may wait for the service (first commands after manufacture are slow). */
#define VTPM_COMMAND_TIMEOUT_NS (120ULL * 1000 * 1000 * 1000)

/*
 * buf: a protocol-2 request. 0 with the response in buf (*rsp_len bytes:
 * u32 size, then the TPM response), or: the decoder's errors (-E_INVAL,
 * -E_NOSYS, -E_RANGE, -E_TOOBIG; buf unchanged), -E_PIPE (no service),
 * -E_TIMEDOUT (the service did not answer), -E_BUSY (other commands kept
 * the vTPM busy until the deadline), -E_IO (malformed answer), -E_NOMEM.
 */
int vtpm_command_buffer(u8 buf[SVSM_VTPM_BUFFER_SIZE], size_t *rsp_len) __must_check;
/* The same with a deadline timeout_ns from now (tests). */
int vtpm_command_timeout(u8 buf[SVSM_VTPM_BUFFER_SIZE], size_t *rsp_len,
			 u64 timeout_ns) __must_check;

/* /dev/vtpm's open: only init may; -E_PERM otherwise. *out: the server end. */
int vtpm_dev_open(u32 flags, struct object **out) __must_check;
/* True when the process may open /dev/vtpm (the kernel's init). */
bool vtpm_dev_may_open(struct process *p);
/* A fresh channel: *server (a reference) for the service; replaces the old client. */
int vtpm_connect(struct object **server) __must_check;
/* A service channel is connected (its server end may still be closing). */
bool vtpm_connected(void);
/*
 * Stops the service: closes the client end and kills every child of init
 * that holds the server end (init restarts it per its policy). Returns true
 * when a channel was connected. why goes to the log.
 */
bool vtpm_service_stop(const char *why);

/* Counters for logs and tests. */
struct vtpm_stats {
	u64 commands;       /* forwarded to the service */
	u64 failures;       /* forwarded commands that did not get a valid answer */
	u64 connects;
	u64 stops;          /* vtpm_service_stop and time-outs */
	u64 kills;          /* service processes killed */
};
void vtpm_get_stats(struct vtpm_stats *st);

/* Native platform: starts the mssim transport on COM2/COM3 when they exist. */
void vtpm_serial_start(void);

#endif
