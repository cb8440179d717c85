/*
 * SVSM vTPM protocol (protocol 2) buffer codec: decodes a guest's
 * TPM_SEND_COMMAND request from a private copy of its 4096-byte buffer,
 * encodes the response into it, answers VTPM_QUERY, and converts internal
 * error codes to SVSM result codes in one place. Pure: no allocation, no I/O.
 */
#ifndef SERVICES_VTPM_SVSM_VTPM_H
#define SERVICES_VTPM_SVSM_VTPM_H

#include <abi/svsm.h>
#include <copra/types.h>

struct svsm_vtpm_request {
	u32 platform_cmd;    /* SVSM_VTPM_PLATFORM_SEND_COMMAND */
	u8 locality;         /* 0 */
	u32 cmd_size;        /* 10 .. SVSM_VTPM_MAX_CMD_SIZE, equal to the TPM header's size */
	u32 tpm_code;        /* TPM command code from the header (for logs) */
	const u8 *cmd;       /* the TPM command, inside the decoded buffer */
};

/*
 * Decodes buf[0..len) (the caller's private copy of the guest buffer; len is
 * at most SVSM_VTPM_BUFFER_SIZE) into *req. Returns 0, or:
 *   -E_INVAL   buffer too short for the header, len too large, command shorter
 *              than a TPM header, or size != the TPM header's commandSize;
 *   -E_NOSYS   platform command other than TPM_SEND_COMMAND;
 *   -E_RANGE   locality other than 0;
 *   -E_TOOBIG  size larger than SVSM_VTPM_MAX_CMD_SIZE or than the buffer.
 * *req is only written on success.
 */
int svsm_vtpm_decode(const u8 *buf, size_t len, struct svsm_vtpm_request *req);

/*
 * Writes the response (u32 size little-endian, then the bytes) to buf, which
 * may overlap rsp. The response comes from the vTPM process and is checked
 * as untrusted: 10 <= rsp_len <= SVSM_VTPM_MAX_RSP_SIZE and its header's
 * responseSize must equal rsp_len. Returns the bytes written, 0 on error.
 */
size_t svsm_vtpm_encode_response(u8 *buf, size_t cap, const u8 *rsp, u32 rsp_len);

/* Writes a 10-byte TPM error response with code rc (for a vTPM that failed). */
size_t svsm_vtpm_encode_tpm_error(u8 *buf, size_t cap, u32 rc);

/* VTPM_QUERY: supported platform commands (bit 8) and features (none). */
u64 svsm_vtpm_query_commands(void);
u64 svsm_vtpm_query_features(void);

/*
 * The one conversion of internal results (0 or -E_xxx) to SVSM result codes
 * for the vTPM protocol:
 *   0                       SVSM_SUCCESS
 *   -E_INVAL -E_RANGE -E_TOOBIG  SVSM_ERR_INVALID_PARAMETER
 *   -E_NOSYS                SVSM_ERR_UNSUPPORTED_CALL
 *   -E_FAULT                SVSM_ERR_INVALID_ADDRESS
 *   -E_TYPE                 SVSM_ERR_INVALID_FORMAT
 *   -E_BUSY -E_AGAIN -E_INTR  SVSM_ERR_BUSY (the guest retries)
 *   anything else           SVSM_ERR_INVALID_REQUEST (e.g. -E_PIPE: vTPM gone)
 */
u64 svsm_vtpm_result(int err);

#endif
