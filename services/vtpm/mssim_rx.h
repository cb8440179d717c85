/*
 * Self-synchronising receiver for the mssim protocol (abi/mssim.h) on a byte
 * stream that shows no connects or disconnects (a serial line, design §7.2),
 * and encoders for the replies. Pure: no allocation, no I/O, no clock of its
 * own (the caller passes a monotonic time in nanoseconds).
 *
 * Pull-style use, one receiver per port:
 *
 *   mssim_rx_init(&rx, MSSIM_RX_TPM_PORT, MSSIM_RX_DEFAULT_TIMEOUT_NS);
 *   while (n > 0) {
 *       if (mssim_rx_feed(&rx, p, n, now_ns, &used, &frame))
 *           handle(&frame);              // frame.data valid until the next call
 *       p += used; n -= used;
 *   }
 *   mssim_rx_expire(&rx, now_ns);        // optional, e.g. from a timer tick
 *
 * A frame is accepted only with a code known on that port and a size of at
 * most MSSIM_MAX_TPM_SIZE. For TPM_SEND_COMMAND the locality must be 0..4 and
 * the embedded TPM header must agree (tag 0x8001/0x8002, commandSize == size),
 * so random bytes rarely pass as a header. A byte that cannot start or
 * continue a valid header is dropped and the scan resumes at the next byte.
 * On the TPM port, once bytes were dropped, only a TPM_SEND_COMMAND header
 * (strongly checked) is accepted until a frame completes or the line has been
 * quiet for the timeout: 4-byte codes (HASH_START, SESSION_END, ...) are too
 * easy to find inside the rest of a broken command. Platform signals are
 * idempotent and always accepted.
 * A frame whose bytes stop arriving for longer than the timeout (measured
 * between consecutive bytes) is dropped when the next bytes or an expire call
 * come. Which codes get which reply (u32 0, none for SESSION_END/STOP) is the
 * caller's decision; see mssim_code_acked().
 */
#ifndef SERVICES_VTPM_MSSIM_RX_H
#define SERVICES_VTPM_MSSIM_RX_H

#include <abi/mssim.h>
#include <copra/types.h>

#define MSSIM_RX_DEFAULT_TIMEOUT_NS (100ULL * 1000 * 1000)
#define MSSIM_RX_HDR_MAX 19u /* code, locality, size and the 10-byte TPM header */

enum mssim_rx_port {
	MSSIM_RX_TPM_PORT,      /* SEND_COMMAND, HASH_*, HANDSHAKE, SET_ALT_RESULT, SESSION_END, STOP */
	MSSIM_RX_PLATFORM_PORT, /* signals (POWER_ON, NV_ON, ...), SESSION_END, STOP */
};

enum mssim_rx_kind {
	MSSIM_RX_TPM_COMMAND = 1, /* locality, data[size]: one TPM command */
	MSSIM_RX_SIGNAL,          /* code only */
	MSSIM_RX_HASH_DATA,       /* data[size] */
	MSSIM_RX_VALUE,           /* code with a u32 value (HANDSHAKE, SET_ALTERNATIVE_RESULT) */
};

struct mssim_rx_frame {
	enum mssim_rx_kind kind;
	u32 code;            /* MSSIM_* */
	u8 locality;         /* MSSIM_RX_TPM_COMMAND */
	u32 value;           /* MSSIM_RX_VALUE */
	u32 size;            /* bytes at data (TPM_COMMAND, HASH_DATA) */
	const u8 *data;      /* inside the receiver; valid until the next call */
};

struct mssim_rx_stats {
	u64 frames;          /* complete frames returned */
	u64 garbage_bytes;   /* bytes skipped while scanning for a header */
	u64 stalled_frames;  /* partial frames dropped by the timeout */
	u64 stalled_bytes;   /* bytes those frames had received */
};

struct mssim_rx {
	enum mssim_rx_port port;
	u64 timeout_ns;
	u64 last_ns;         /* time the last byte of the frame in progress arrived */
	u32 hdr_len;         /* header bytes collected (0: idle) */
	u32 hdr_need;        /* header size for the code seen, 0 while unknown */
	bool in_body;
	bool synced;         /* at a frame boundary: after a frame, a quiet gap or init */
	u32 code;            /* code of the frame in its body */
	u8 locality;
	u32 body_len;
	u32 body_size;
	u8 hdr[MSSIM_RX_HDR_MAX];
	u8 body[MSSIM_MAX_TPM_SIZE];
	struct mssim_rx_stats stats;
};

/* timeout_ns 0 selects MSSIM_RX_DEFAULT_TIMEOUT_NS. */
void mssim_rx_init(struct mssim_rx *rx, enum mssim_rx_port port, u64 timeout_ns);

/*
 * Consumes data[0..n) until one frame completes or the input runs out and
 * sets *used to the bytes consumed. Returns true with *frame filled when a
 * frame completed (call again with the rest of the input), false otherwise.
 */
bool mssim_rx_feed(struct mssim_rx *rx, const u8 *data, size_t n, u64 now_ns, size_t *used,
		   struct mssim_rx_frame *frame);

/* Drops a partial frame older than the timeout; true when one was dropped. */
bool mssim_rx_expire(struct mssim_rx *rx, u64 now_ns);

/* True when no partial frame is buffered. */
bool mssim_rx_idle(const struct mssim_rx *rx);

/* Whether the protocol replies to code at all (SESSION_END and STOP: no). */
bool mssim_code_acked(u32 code);

/* Reply encoders (big-endian); each returns the bytes written, 0 if cap is too small. */
size_t mssim_encode_u32(u8 *out, size_t cap, u32 value);          /* ack 0, error 1 */
size_t mssim_encode_tpm_response(u8 *out, size_t cap, const u8 *rsp, u32 len);
size_t mssim_encode_handshake(u8 *out, size_t cap, u32 endpoint_flags);

#endif
