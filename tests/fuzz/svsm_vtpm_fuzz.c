/*
 * libFuzzer target for the SVSM vTPM protocol-2 buffer codec
 * (services/vtpm/svsm_vtpm.c): any bytes a guest could leave in its request
 * page. Accepted requests must be consistent; every error must map to an
 * SVSM error result; the response encoder must accept exactly the
 * well-formed responses and write them in place.
 *   make build/fuzz/svsm_vtpm && build/fuzz/svsm_vtpm -max_total_time=300 build/fuzz-corpus/svsm_vtpm
 */
#include <stdlib.h>

#include <copra/errno.h>
#include <copra/string.h>

#include "../../services/vtpm/svsm_vtpm.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

static u8 fz_page[SVSM_VTPM_BUFFER_SIZE];

static u32 fz_be32(const u8 *p)
{
	return (u32)p[0] << 24 | (u32)p[1] << 16 | (u32)p[2] << 8 | (u32)p[3];
}

static void fz_check_result(int err)
{
	u64 r = svsm_vtpm_result(err);

	if ((err == 0) != (r == SVSM_SUCCESS))
		abort();
	if (r != SVSM_SUCCESS && (r < SVSM_ERR_INCOMPLETE || r > SVSM_ERR_BUSY))
		abort();
}

/* Uses the guest's bytes as a (hostile) vTPM response, encoded into the page in place. */
static void fz_check_encode(const u8 *data, size_t size)
{
	u32 len = (u32)MIN(size, (size_t)SVSM_VTPM_BUFFER_SIZE - 4);
	bool valid;
	size_t n;

	memmove(fz_page + 4, data, len);
	valid = len >= 10 && fz_be32(fz_page + 4 + 2) == len;
	n = svsm_vtpm_encode_response(fz_page, sizeof(fz_page), fz_page + 4, len);
	if (n != (valid ? 4 + (size_t)len : 0))
		abort();
	if (n && (fz_page[0] | fz_page[1] << 8 | fz_page[2] << 16 | (u32)fz_page[3] << 24) != len)
		abort();
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct svsm_vtpm_request req;
	int err;

	if (size > SVSM_VTPM_BUFFER_SIZE)
		return 0;
	memset(fz_page, 0, sizeof(fz_page));
	memcpy(fz_page, data, size);
	/* The guest controls every byte of the page; size is how many it wrote. */
	err = svsm_vtpm_decode(fz_page, size, &req);
	fz_check_result(err);
	if (err == 0) {
		if (req.platform_cmd != SVSM_VTPM_PLATFORM_SEND_COMMAND || req.locality != 0 ||
		    req.cmd_size < 10 || req.cmd_size > SVSM_VTPM_MAX_CMD_SIZE ||
		    req.cmd != fz_page + 9 || 9 + (size_t)req.cmd_size > size ||
		    fz_be32(req.cmd + 2) != req.cmd_size)
			abort();
	} else if (err != -E_INVAL && err != -E_NOSYS && err != -E_RANGE && err != -E_TOOBIG) {
		abort();
	}
	fz_check_result(-(int)(size % (E_MAX + 2)));
	fz_check_encode(data, size);
	if (svsm_vtpm_encode_tpm_error(fz_page, sizeof(fz_page), (u32)size) != 14)
		abort();
	return 0;
}
