/*
 * SVSM protocol wire ABI (guest <-> Copra): the call convention, result
 * codes, protocol and call numbers, the Calling Area layout and the vTPM
 * protocol-2 command buffer. Facts from specs.md §3. The vTPM buffer's
 * framing integers are little-endian; the TPM command inside is big-endian.
 */
#ifndef ABI_SVSM_H
#define ABI_SVSM_H

#include <copra/types.h>

/* ------------------------------------------------------------ call convention */
/* RAX in = (protocol << 32) | call id; RCX, RDX, R8, R9 = arguments. */
#define SVSM_CALL_ID(proto, call) (((u64)(u32)(proto) << 32) | (u32)(call))
#define SVSM_CALL_PROTOCOL(rax) ((u32)((u64)(rax) >> 32))
#define SVSM_CALL_CALL(rax) ((u32)(rax))

/* GHCB MSR protocol request/response that asks for a VMPL0 run (SVSM call). */
#define SVSM_GHCB_MSR_RUN_VMPL_REQ 0x016ULL
#define SVSM_GHCB_MSR_RUN_VMPL_RESP 0x017ULL
/* GHCB-page protocol exit code of the same request. */
#define SVSM_GHCB_EXIT_RUN_VMPL 0x80000018ULL

/* ------------------------------------------------------------ result codes (RAX out) */
#define SVSM_SUCCESS 0x00000000ULL
#define SVSM_ERR_INCOMPLETE 0x80000000ULL
#define SVSM_ERR_UNSUPPORTED_PROTOCOL 0x80000001ULL
#define SVSM_ERR_UNSUPPORTED_CALL 0x80000002ULL
#define SVSM_ERR_INVALID_ADDRESS 0x80000003ULL
#define SVSM_ERR_INVALID_FORMAT 0x80000004ULL
#define SVSM_ERR_INVALID_PARAMETER 0x80000005ULL
#define SVSM_ERR_INVALID_REQUEST 0x80000006ULL
#define SVSM_ERR_BUSY 0x80000007ULL
/* Protocol-specific results: base + n. */
#define SVSM_ERR_PROTOCOL_BASE 0x80001000ULL
#define SVSM_PVALIDATE_FAIL_INPUT (SVSM_ERR_PROTOCOL_BASE + 0x01)
#define SVSM_PVALIDATE_FAIL_PERMISSION (SVSM_ERR_PROTOCOL_BASE + 0x02)
#define SVSM_PVALIDATE_FAIL_SIZEMISMATCH (SVSM_ERR_PROTOCOL_BASE + 0x06)
#define SVSM_PVALIDATE_FAIL_UNCHANGED (SVSM_ERR_PROTOCOL_BASE + 0x10)

/* ------------------------------------------------------------ protocols and calls */
#define SVSM_PROTO_CORE 0u
#define SVSM_PROTO_ATTEST 1u
#define SVSM_PROTO_VTPM 2u
#define SVSM_PROTO_APIC 3u
#define SVSM_PROTO_UEFI_MM 4u

#define SVSM_CORE_REMAP_CA 0u
#define SVSM_CORE_PVALIDATE 1u
#define SVSM_CORE_CREATE_VCPU 2u
#define SVSM_CORE_DELETE_VCPU 3u
#define SVSM_CORE_DEPOSIT_MEM 4u
#define SVSM_CORE_WITHDRAW_MEM 5u
#define SVSM_CORE_QUERY_PROTOCOL 6u
#define SVSM_CORE_CONFIGURE_VTOM 7u

#define SVSM_ATTEST_SERVICES 0u
#define SVSM_ATTEST_SINGLE_SERVICE 1u

#define SVSM_VTPM_QUERY 0u /* out: RCX = platform-command bitmap, RDX = features (0) */
#define SVSM_VTPM_CMD 1u   /* in: RCX = GPA of the 4096-byte request/response buffer */

#define SVSM_APIC_QUERY_FEATURES 0u
#define SVSM_APIC_CONFIGURE 1u
#define SVSM_APIC_READ_REGISTER 2u
#define SVSM_APIC_WRITE_REGISTER 3u
#define SVSM_APIC_CONFIGURE_VECTOR 4u

#define SVSM_VTPM_VERSION 1u

/* ------------------------------------------------------------ Calling Area page */
struct svsm_ca {
	u8 call_pending;     /* guest sets 1; Copra clears it when it services the call */
	u8 mem_available;
	u8 no_eoi_required;
	u8 reserved[5];
	u8 buffer[4088];     /* call payloads */
} __packed;

_Static_assert(sizeof(struct svsm_ca) == 4096, "svsm_ca is one page");
_Static_assert(offsetof(struct svsm_ca, no_eoi_required) == 2, "svsm_ca.no_eoi_required");
_Static_assert(offsetof(struct svsm_ca, buffer) == 8, "svsm_ca.buffer");

/* ------------------------------------------------------------ vTPM protocol 2 buffer */
/*
 * One 4096-byte buffer holds the request and, afterwards, the response.
 * Request:  u32 platform command | u8 locality | u32 size (unaligned) | command
 * Response: u32 response size | response
 * Platform command numbers are the mssim ones (abi/mssim.h); only
 * TPM_SEND_COMMAND is offered, so VTPM_QUERY reports bit 8.
 */
#define SVSM_VTPM_BUFFER_SIZE 4096u
#define SVSM_VTPM_PLATFORM_SEND_COMMAND 8u
#define SVSM_VTPM_TPM_HEADER_SIZE 10u /* tag u16, size u32, code u32 (big-endian) */

struct svsm_vtpm_cmd_req_hdr {
	u32 platform_cmd;    /* little-endian; SVSM_VTPM_PLATFORM_SEND_COMMAND */
	u8 locality;         /* must be 0 */
	u32 size;            /* little-endian, unaligned: bytes of TPM command that follow */
} __packed;

struct svsm_vtpm_cmd_rsp_hdr {
	u32 size;            /* little-endian: bytes of TPM response that follow */
} __packed;

_Static_assert(sizeof(struct svsm_vtpm_cmd_req_hdr) == 9, "vTPM request header is 9 bytes");
_Static_assert(offsetof(struct svsm_vtpm_cmd_req_hdr, platform_cmd) == 0, "req.platform_cmd");
_Static_assert(offsetof(struct svsm_vtpm_cmd_req_hdr, locality) == 4, "req.locality");
_Static_assert(offsetof(struct svsm_vtpm_cmd_req_hdr, size) == 5, "req.size");
_Static_assert(sizeof(struct svsm_vtpm_cmd_rsp_hdr) == 4, "vTPM response header is 4 bytes");

#define SVSM_VTPM_MAX_CMD_SIZE (SVSM_VTPM_BUFFER_SIZE - sizeof(struct svsm_vtpm_cmd_req_hdr))
#define SVSM_VTPM_MAX_RSP_SIZE (SVSM_VTPM_BUFFER_SIZE - sizeof(struct svsm_vtpm_cmd_rsp_hdr))
_Static_assert(SVSM_VTPM_MAX_CMD_SIZE == 4087, "largest TPM command in the buffer");
_Static_assert(SVSM_VTPM_MAX_RSP_SIZE == 4092, "largest TPM response in the buffer");

#endif
