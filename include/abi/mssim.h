/*
 * Microsoft TPM simulator ("mssim") TCP protocol, as spoken by tpm2-tss's
 * mssim TCTI and served by Copra on its serial ports (specs.md §7).
 *
 * Two byte streams: the TPM command port P and the platform port P+1.
 * Every integer is BIG-ENDIAN (unlike the SVSM vTPM buffer, abi/svsm.h).
 *   command port:  u32 code, then a code-specific body; for TPM_SEND_COMMAND
 *                  u8 locality, u32 size, size bytes of TPM command.
 *                  Reply: u32 size, size bytes of response, u32 0.
 *                  Other codes are acknowledged with u32 0 (HANDSHAKE first
 *                  sends u32 server version and u32 endpoint flags).
 *   platform port: u32 code; reply u32 0 (u32 1 for an unknown code).
 *   SESSION_END and STOP are not acknowledged; EOF also ends a session.
 */
#ifndef ABI_MSSIM_H
#define ABI_MSSIM_H

#include <copra/types.h>

#define MSSIM_SIGNAL_POWER_ON 1u
#define MSSIM_SIGNAL_POWER_OFF 2u
#define MSSIM_SIGNAL_PHYS_PRES_ON 3u
#define MSSIM_SIGNAL_PHYS_PRES_OFF 4u
#define MSSIM_SIGNAL_HASH_START 5u
#define MSSIM_SIGNAL_HASH_DATA 6u   /* body: u32 size, data */
#define MSSIM_SIGNAL_HASH_END 7u
#define MSSIM_SEND_COMMAND 8u       /* body: u8 locality, u32 size, command */
#define MSSIM_SIGNAL_CANCEL_ON 9u
#define MSSIM_SIGNAL_CANCEL_OFF 10u
#define MSSIM_SIGNAL_NV_ON 11u
#define MSSIM_SIGNAL_NV_OFF 12u
#define MSSIM_SIGNAL_KEY_CACHE_ON 13u
#define MSSIM_SIGNAL_KEY_CACHE_OFF 14u
#define MSSIM_REMOTE_HANDSHAKE 15u  /* body: u32 client version (non-zero) */
#define MSSIM_SET_ALTERNATIVE_RESULT 16u /* body: u32 */
#define MSSIM_SIGNAL_RESET 17u
#define MSSIM_SIGNAL_RESTART 18u
#define MSSIM_SESSION_END 20u
#define MSSIM_STOP 21u
#define MSSIM_GET_COMMAND_RESPONSE_SIZES 25u
#define MSSIM_ACT_GET_SIGNALED 26u
#define MSSIM_TEST_FAILURE_MODE 30u

/* Default ports; Copra and its tests choose free ones at run time. */
#define MSSIM_DEFAULT_TPM_PORT 2321u
#define MSSIM_PLATFORM_PORT_OFFSET 1u

/* REMOTE_HANDSHAKE reply: server version and endpoint flags. */
#define MSSIM_SERVER_VERSION 1u
#define MSSIM_EP_PLATFORM_AVAILABLE 0x1u
#define MSSIM_EP_USES_TBS 0x2u
#define MSSIM_EP_IN_RAW_MODE 0x4u
#define MSSIM_EP_SUPPORTS_PP 0x8u

/* Copra's limit for one TPM command or response carried over mssim. */
#define MSSIM_MAX_TPM_SIZE 4096u

/* TPM_SEND_COMMAND prefix on the command port (big-endian fields). */
struct mssim_send_hdr {
	u8 code[4];          /* MSSIM_SEND_COMMAND */
	u8 locality;
	u8 size[4];          /* bytes of TPM command that follow */
} __packed;

/* TPM_SEND_COMMAND reply prefix; the response is followed by a u32 0. */
struct mssim_rsp_hdr {
	u8 size[4];
} __packed;

_Static_assert(sizeof(struct mssim_send_hdr) == 9, "mssim send prefix is 9 bytes");
_Static_assert(offsetof(struct mssim_send_hdr, locality) == 4, "mssim locality offset");
_Static_assert(offsetof(struct mssim_send_hdr, size) == 5, "mssim size offset");
_Static_assert(sizeof(struct mssim_rsp_hdr) == 4, "mssim reply prefix is 4 bytes");

#define MSSIM_RSP_TRAILER_SIZE 4u /* u32 0 after every TPM response */

#endif
