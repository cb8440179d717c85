/*
 * SVSM vTPM protocol (protocol 2, version 1; specs.md §3.5):
 *   VTPM_QUERY: RCX = supported platform commands (bit 8, TPM_SEND_COMMAND),
 *               RDX = supported features (0).
 *   VTPM_CMD:   RCX = GPA of the 4096-byte request/response buffer.
 * VTPM_CMD checks the GPA (SVSM_VTPM_BUFFER_ALIGN-aligned, inside the
 * accessor's limit, no wrap), copies the whole buffer once into a private
 * kernel copy, hands it to vtpm_command_buffer() (decode, forward to the
 * service, check its answer) and copies the response back. Nothing is
 * written to guest memory unless the call succeeds. Results go through
 * svsm_vtpm_result(), the protocol's one error conversion.
 */
#include <abi/svsm.h>
#include <copra/errno.h>
#include <copra/heap.h>
#include <copra/vtpm.h>

#include "../../services/vtpm/svsm_vtpm.h"
#include "svsm_internal.h"

static int svsm_vtpm_query(const struct guest_mem *gm, struct svsm_regs *r)
{
	(void)gm;
	r->rcx = svsm_vtpm_query_commands();
	r->rdx = svsm_vtpm_query_features();
	return 0;
}

static int svsm_vtpm_cmd(const struct guest_mem *gm, struct svsm_regs *r)
{
	gpa_t gpa = gpa_init(r->rcx);
	size_t rsp_len = 0;
	u8 *buf;
	int ret = guest_mem_check(gm, gpa, SVSM_VTPM_BUFFER_SIZE, SVSM_VTPM_BUFFER_ALIGN);

	if (ret)
		return ret;
	buf = kmalloc(SVSM_VTPM_BUFFER_SIZE);
	if (!buf)
		return -E_NOMEM;
	ret = gm->read(gm, gpa, buf, SVSM_VTPM_BUFFER_SIZE);
	if (!ret)
		ret = vtpm_command_buffer(buf, &rsp_len);
	if (!ret && (rsp_len < sizeof(struct svsm_vtpm_cmd_rsp_hdr) ||
		     rsp_len > SVSM_VTPM_BUFFER_SIZE))
		ret = -E_IO; /* broken invariant of the glue: never write past the buffer */
	if (!ret)
		ret = gm->write(gm, gpa, buf, rsp_len);
	kfree(buf);
	return ret;
}

static const svsm_handler_fn svsm_vtpm_calls[] = {
	[SVSM_VTPM_QUERY] = svsm_vtpm_query,
	[SVSM_VTPM_CMD] = svsm_vtpm_cmd,
};

const struct svsm_protocol svsm_proto_vtpm = {
	.id = SVSM_PROTO_VTPM,
	.version_min = SVSM_VTPM_VERSION,
	.version_max = SVSM_VTPM_VERSION,
	.calls = svsm_vtpm_calls,
	.ncalls = ARRAY_SIZE(svsm_vtpm_calls),
	.result = svsm_vtpm_result,
};
