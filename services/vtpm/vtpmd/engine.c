/*
 * vtpmd: the libtpms engine. Registers the NV and I/O callbacks, powers the
 * TPM on (TPMLIB_MainInit loads or manufactures the NV state) and runs one
 * command at a time at the locality its request carried. Responses are
 * checked before they leave: a malformed one becomes TPM_RC_FAILURE.
 */
#include <stdlib.h>
#include <string.h>

#include <libtpms/tpm_error.h>
#include <libtpms/tpm_library.h>

#include "vtpmd.h"

static struct {
	bool chosen;           /* TPM version chosen and callbacks registered */
	bool running;
	uint8_t locality;      /* of the command being executed */
	unsigned char *rbuf;   /* libtpms' response buffer (it reallocates it) */
	uint32_t rbuf_size;
	uint8_t err[VTPMD_TPM_HDR];
} eng;

static TPM_RESULT eng_io_init(void)
{
	return TPM_SUCCESS;
}

static TPM_RESULT eng_get_locality(TPM_MODIFIER_INDICATOR *locality, uint32_t tpm_number)
{
	(void)tpm_number;
	*locality = eng.locality;
	return TPM_SUCCESS;
}

static TPM_RESULT eng_get_pp(TPM_BOOL *pp, uint32_t tpm_number)
{
	(void)tpm_number;
	*pp = 0; /* no physical presence */
	return TPM_SUCCESS;
}

static int eng_choose(void)
{
	struct libtpms_callbacks cbs;
	TPM_RESULT rc;

	memset(&cbs, 0, sizeof(cbs));
	cbs.sizeOfStruct = sizeof(cbs);
	vtpmd_nv_fill_callbacks(&cbs);
	cbs.tpm_io_init = eng_io_init;
	cbs.tpm_io_getlocality = eng_get_locality;
	cbs.tpm_io_getphysicalpresence = eng_get_pp;
	rc = TPMLIB_ChooseTPMVersion(TPMLIB_TPM_VERSION_2);
	if (rc == TPM_SUCCESS)
		rc = TPMLIB_RegisterCallbacks(&cbs);
	if (rc != TPM_SUCCESS) {
		vtpmd_log("libtpms setup failed: 0x%x", rc);
		return -1;
	}
	eng.chosen = true;
	return 0;
}

int vtpmd_engine_start(void)
{
	TPM_RESULT rc;

	if (!eng.chosen && eng_choose() != 0)
		return -1;
	rc = TPMLIB_MainInit();
	if (rc != TPM_SUCCESS) {
		vtpmd_log("libtpms initialisation failed: 0x%x", rc);
		return -1;
	}
	eng.running = true;
	return 0;
}

void vtpmd_engine_stop(void)
{
	if (!eng.running)
		return;
	TPMLIB_Terminate();
	eng.running = false;
}

void vtpmd_engine_exec(uint8_t locality, uint8_t *cmd, uint32_t len, const uint8_t **rsp,
		       uint32_t *rsp_len)
{
	uint32_t out_len = 0;
	TPM_RESULT rc;

	eng.locality = locality;
	rc = TPMLIB_Process(&eng.rbuf, &out_len, &eng.rbuf_size, cmd, len);
	if (rc != TPM_SUCCESS || !eng.rbuf || out_len < VTPMD_TPM_HDR || out_len > VTPMD_MAX_CMD ||
	    out_len > eng.rbuf_size || vtpmd_be32(eng.rbuf + 2) != out_len) {
		vtpmd_log("libtpms produced no valid response (rc 0x%x, %u bytes)", rc, out_len);
		vtpmd_make_error(eng.err, VTPMD_RC_FAILURE);
		*rsp = eng.err;
		*rsp_len = sizeof(eng.err);
		return;
	}
	*rsp = eng.rbuf;
	*rsp_len = out_len;
}
