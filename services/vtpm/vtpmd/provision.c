/*
 * vtpmd: first-start provisioning. After libtpms has manufactured a fresh
 * TPM, vtpmd starts it (TPM2_Startup(CLEAR): the one Startup vtpmd ever
 * sends), creates the two endorsement keys from the TCG EK Credential
 * Profile templates L-1 (RSA 2048) and L-2 (ECC NIST P-256) in the
 * endorsement hierarchy, makes them persistent at 0x81010001 and 0x81010002
 * with TPM2_EvictControl, and shuts the TPM down (TPM2_Shutdown(CLEAR)).
 * The caller then power-cycles libtpms, so clients see TPM_RC_INITIALIZE
 * until they send TPM2_Startup themselves.
 */
#include <string.h>

#include "vtpmd.h"

#define CC_EVICT_CONTROL 0x00000120u
#define CC_CREATE_PRIMARY 0x00000131u
#define CC_STARTUP 0x00000144u
#define CC_SHUTDOWN 0x00000145u
#define CC_FLUSH_CONTEXT 0x00000165u
#define RH_OWNER 0x40000001u
#define RH_ENDORSEMENT 0x4000000Bu
#define SU_CLEAR 0x0000u

#define ALG_RSA 0x0001u
#define ALG_SHA256 0x000Bu
#define ALG_NULL 0x0010u
#define ALG_AES 0x0006u
#define ALG_CFB 0x0043u
#define ALG_ECC 0x0023u
#define ECC_NIST_P256 0x0003u

/* fixedTPM | fixedParent | sensitiveDataOrigin | adminWithPolicy | restricted | decrypt */
#define EK_ATTRIBUTES 0x000300B2u

/* PolicyA: TPM2_PolicySecret(TPM_RH_ENDORSEMENT), SHA-256. */
static const uint8_t prov_policy_a[32] = {
	0x83, 0x71, 0x97, 0x67, 0x44, 0x84, 0xb3, 0xf8, 0x1a, 0x90, 0xcc, 0x8d, 0x46, 0xa5, 0xd7, 0x24,
	0xfd, 0x52, 0xd7, 0x6e, 0x06, 0x52, 0x0b, 0x64, 0xf2, 0xa1, 0xda, 0x1b, 0x33, 0x14, 0x69, 0xaa,
};

/* The part of templates L-1 and L-2 before the type-specific parameters. */
static void prov_ek_common(struct vtpmd_buf *b, uint16_t type)
{
	vtpmd_buf_u16(b, type);
	vtpmd_buf_u16(b, ALG_SHA256);
	vtpmd_buf_u32(b, EK_ATTRIBUTES);
	vtpmd_buf_u16(b, sizeof(prov_policy_a));
	vtpmd_buf_bytes(b, prov_policy_a, sizeof(prov_policy_a));
	vtpmd_buf_u16(b, ALG_AES); /* symmetric: AES-128-CFB */
	vtpmd_buf_u16(b, 128);
	vtpmd_buf_u16(b, ALG_CFB);
	vtpmd_buf_u16(b, ALG_NULL); /* scheme */
}

/* TPMT_PUBLIC of template L-1 (RSA 2048) or L-2 (ECC NIST P-256). */
static void prov_ek_template(struct vtpmd_buf *b, bool ecc)
{
	if (!ecc) {
		prov_ek_common(b, ALG_RSA);
		vtpmd_buf_u16(b, 2048);  /* keyBits */
		vtpmd_buf_u32(b, 0);     /* exponent: default */
		vtpmd_buf_u16(b, 256);   /* unique: 256 zero bytes */
		vtpmd_buf_zeros(b, 256);
		return;
	}
	prov_ek_common(b, ALG_ECC);
	vtpmd_buf_u16(b, ECC_NIST_P256);
	vtpmd_buf_u16(b, ALG_NULL); /* kdf */
	vtpmd_buf_u16(b, 32);       /* unique.x, unique.y: 32 zero bytes each */
	vtpmd_buf_zeros(b, 32);
	vtpmd_buf_u16(b, 32);
	vtpmd_buf_zeros(b, 32);
}

/* Runs the command in b; returns its response code (the response in *rsp). */
static uint32_t prov_run(struct vtpmd_buf *b, const char *what, const uint8_t **rsp,
			 uint32_t *rsp_len)
{
	uint32_t rc;

	vtpmd_buf_cmd_end(b);
	if (b->overflow) {
		vtpmd_log("manufacture: %s does not fit its buffer", what);
		return VTPMD_RC_FAILURE;
	}
	vtpmd_engine_exec(0, b->p, (uint32_t)b->len, rsp, rsp_len);
	rc = vtpmd_rsp_code(*rsp, *rsp_len);
	if (rc != VTPMD_RC_SUCCESS)
		vtpmd_log("manufacture: %s failed: TPM rc 0x%x", what, rc);
	return rc;
}

static int prov_simple(uint32_t code, uint16_t arg16, uint32_t arg32, bool is32,
		       const char *what)
{
	uint8_t cmd[32];
	struct vtpmd_buf b;
	const uint8_t *rsp;
	uint32_t rsp_len;

	vtpmd_buf_init(&b, cmd, sizeof(cmd));
	vtpmd_buf_cmd_begin(&b, VTPMD_ST_NO_SESSIONS, code);
	if (is32)
		vtpmd_buf_u32(&b, arg32);
	else
		vtpmd_buf_u16(&b, arg16);
	return prov_run(&b, what, &rsp, &rsp_len) == VTPMD_RC_SUCCESS ? 0 : -1;
}

/* TPM2_CreatePrimary in the endorsement hierarchy; *handle = the new object. */
static int prov_create_ek(bool ecc, uint32_t *handle)
{
	uint8_t cmd[1024];
	struct vtpmd_buf b;
	const uint8_t *rsp;
	uint32_t rsp_len;
	size_t mark;

	vtpmd_buf_init(&b, cmd, sizeof(cmd));
	vtpmd_buf_cmd_begin(&b, VTPMD_ST_SESSIONS, CC_CREATE_PRIMARY);
	vtpmd_buf_u32(&b, RH_ENDORSEMENT);
	vtpmd_buf_pw_session(&b);
	vtpmd_buf_u16(&b, 4);  /* inSensitive: empty userAuth and data */
	vtpmd_buf_u16(&b, 0);
	vtpmd_buf_u16(&b, 0);
	mark = vtpmd_buf_size16_begin(&b);
	prov_ek_template(&b, ecc);
	vtpmd_buf_size16_end(&b, mark);
	vtpmd_buf_u16(&b, 0);  /* outsideInfo */
	vtpmd_buf_u32(&b, 0);  /* creationPCR: no selection */
	if (prov_run(&b, ecc ? "CreatePrimary(ECC EK)" : "CreatePrimary(RSA EK)", &rsp,
		     &rsp_len) != VTPMD_RC_SUCCESS)
		return -1;
	if (rsp_len < VTPMD_TPM_HDR + 4)
		return -1;
	*handle = vtpmd_be32(rsp + VTPMD_TPM_HDR);
	return 0;
}

static int prov_evict(uint32_t object, uint32_t persistent)
{
	uint8_t cmd[64];
	struct vtpmd_buf b;
	const uint8_t *rsp;
	uint32_t rsp_len;

	vtpmd_buf_init(&b, cmd, sizeof(cmd));
	vtpmd_buf_cmd_begin(&b, VTPMD_ST_SESSIONS, CC_EVICT_CONTROL);
	vtpmd_buf_u32(&b, RH_OWNER);
	vtpmd_buf_u32(&b, object);
	vtpmd_buf_pw_session(&b);
	vtpmd_buf_u32(&b, persistent);
	return prov_run(&b, "EvictControl", &rsp, &rsp_len) == VTPMD_RC_SUCCESS ? 0 : -1;
}

static int prov_persist_ek(bool ecc, uint32_t persistent)
{
	uint32_t handle;

	if (prov_create_ek(ecc, &handle) != 0 || prov_evict(handle, persistent) != 0)
		return -1;
	return prov_simple(CC_FLUSH_CONTEXT, 0, handle, true, "FlushContext");
}

int vtpmd_prov_manufacture(void)
{
	if (prov_simple(CC_STARTUP, SU_CLEAR, 0, false, "Startup(CLEAR)") != 0)
		return -1;
	if (prov_persist_ek(false, VTPMD_EK_RSA_HANDLE) != 0 ||
	    prov_persist_ek(true, VTPMD_EK_ECC_HANDLE) != 0)
		return -1;
	return prov_simple(CC_SHUTDOWN, SU_CLEAR, 0, false, "Shutdown(CLEAR)");
}
