/*
 * vtpmd: the vTPM service, a static Linux executable built around libtpms.
 * Shared declarations of its small parts: the NV state file and the libtpms
 * NV callbacks (nvstore.c), the libtpms engine (engine.c), first-start
 * manufacture with the endorsement keys (provision.c), a tiny TPM command
 * marshaller (tpmbuf.c), the fd-3 message framing (channel.c) and the
 * command loop (loop.c). See docs/vtpm.md.
 */
#ifndef VTPMD_H
#define VTPMD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VTPMD_DEFAULT_NVCHIP "/var/tpm/nvchip"
#define VTPMD_DEFAULT_FD 3
#define VTPMD_MAX_CMD 4096u           /* largest TPM command or response */
#define VTPMD_MSG_HDR 8u              /* request: u32 locality, u32 size (LE) */
#define VTPMD_RSP_HDR 4u              /* response: u32 size (LE) */
#define VTPMD_MAX_LOCALITY 4u

/* TPM 2.0 constants vtpmd itself uses. */
#define VTPMD_TPM_HDR 10u
#define VTPMD_ST_NO_SESSIONS 0x8001u
#define VTPMD_ST_SESSIONS 0x8002u
#define VTPMD_RC_SUCCESS 0x000u
#define VTPMD_RC_FAILURE 0x101u
#define VTPMD_RC_COMMAND_SIZE 0x142u
#define VTPMD_RC_LOCALITY 0x907u
#define VTPMD_EK_RSA_HANDLE 0x81010001u
#define VTPMD_EK_ECC_HANDLE 0x81010002u

void vtpmd_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* ---- nvstore.c: the NV state file (one libtpms "permall" blob) */
/* Loads path if it exists (*exists tells); -1 if it is unreadable or corrupt. */
int vtpmd_nv_open(const char *path, bool *exists);
/* While deferred, stores stay in memory; vtpmd_nv_commit() writes the file. */
void vtpmd_nv_set_deferred(bool deferred);
int vtpmd_nv_commit(void);
struct libtpms_callbacks;
void vtpmd_nv_fill_callbacks(struct libtpms_callbacks *cbs);

/* ---- engine.c: libtpms */
int vtpmd_engine_start(void);         /* (re)initialises libtpms: a power-on */
void vtpmd_engine_stop(void);
/* Runs one command; *rsp stays valid until the next call. Never fails: an
 * engine error becomes a TPM_RC_FAILURE response. */
void vtpmd_engine_exec(uint8_t locality, uint8_t *cmd, uint32_t len, const uint8_t **rsp,
		       uint32_t *rsp_len);

/* ---- provision.c: first start */
int vtpmd_prov_manufacture(void);

/* ---- tpmbuf.c: TPM command marshalling (big-endian) */
struct vtpmd_buf {
	uint8_t *p;
	size_t cap;
	size_t len;
	bool overflow;
};
void vtpmd_buf_init(struct vtpmd_buf *b, uint8_t *p, size_t cap);
void vtpmd_buf_u8(struct vtpmd_buf *b, uint8_t v);
void vtpmd_buf_u16(struct vtpmd_buf *b, uint16_t v);
void vtpmd_buf_u32(struct vtpmd_buf *b, uint32_t v);
void vtpmd_buf_bytes(struct vtpmd_buf *b, const void *p, size_t n);
void vtpmd_buf_zeros(struct vtpmd_buf *b, size_t n);
size_t vtpmd_buf_size16_begin(struct vtpmd_buf *b);   /* u16 size placeholder */
void vtpmd_buf_size16_end(struct vtpmd_buf *b, size_t mark);
void vtpmd_buf_cmd_begin(struct vtpmd_buf *b, uint16_t tag, uint32_t code);
void vtpmd_buf_cmd_end(struct vtpmd_buf *b);          /* patches commandSize */
void vtpmd_buf_pw_session(struct vtpmd_buf *b);       /* empty-password auth area */
uint32_t vtpmd_be32(const uint8_t *p);
uint32_t vtpmd_rsp_code(const uint8_t *rsp, uint32_t len);

/* ---- channel.c: one message per read/write on the command channel */
enum vtpmd_chan_status {
	VTPMD_CHAN_REQUEST,  /* a valid request in *req */
	VTPMD_CHAN_REJECT,   /* malformed: answer with req->reject_rc */
	VTPMD_CHAN_EOF,
	VTPMD_CHAN_FATAL,
};
struct vtpmd_request {
	uint8_t locality;
	uint32_t size;
	uint8_t *cmd;
	uint32_t reject_rc;
	const char *reject_why;
};
enum vtpmd_chan_status vtpmd_chan_decode(uint8_t *msg, size_t n, struct vtpmd_request *req);
enum vtpmd_chan_status vtpmd_chan_recv(int fd, struct vtpmd_request *req);
int vtpmd_chan_send(int fd, const uint8_t *rsp, uint32_t len);
int vtpmd_chan_send_error(int fd, uint32_t rc);
void vtpmd_make_error(uint8_t out[VTPMD_TPM_HDR], uint32_t rc);

/* ---- loop.c */
int vtpmd_loop_run(int fd);

#endif
