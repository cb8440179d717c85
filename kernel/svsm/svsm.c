/*
 * SVSM protocol dispatcher (include/copra/svsm.h) and the core protocol
 * (protocol 0). The registry of protocols is a const table; a call id is
 * split into protocol and call, the handler runs, and the protocol's own
 * conversion turns its internal result into the SVSM result code, so each
 * protocol converts errors in exactly one place.
 *
 * Core calls offered: QUERY_PROTOCOL (RCX = (protocol << 32) | version in,
 * RCX = (max << 32) | min out, 0 when unsupported). The calls that manage
 * guest VMSAs, Calling Areas and page validation need the SEV-SNP back end
 * and answer UNSUPPORTED_CALL until it exists.
 */
#include <abi/svsm.h>
#include <copra/errno.h>
#include <copra/svsm.h>

#include "svsm_internal.h"

static const struct svsm_protocol *const svsm_protocols[] = {
	&svsm_proto_core,
	&svsm_proto_vtpm,
};

const struct svsm_protocol *svsm_protocol_find(u32 id)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(svsm_protocols); i++) {
		if (svsm_protocols[i]->id == id)
			return svsm_protocols[i];
	}
	return NULL;
}

void svsm_call(const struct guest_mem *gm, struct svsm_regs *r)
{
	const struct svsm_protocol *p = svsm_protocol_find(SVSM_CALL_PROTOCOL(r->rax));
	u32 call = SVSM_CALL_CALL(r->rax);
	int err;

	if (!p) {
		r->rax = SVSM_ERR_UNSUPPORTED_PROTOCOL;
		return;
	}
	if (call >= p->ncalls || !p->calls[call])
		err = -E_NOSYS;
	else
		err = p->calls[call](gm, r);
	r->rax = p->result(err);
}

/* ---- Core protocol ---- */

static int svsm_core_query_protocol(const struct guest_mem *gm, struct svsm_regs *r)
{
	const struct svsm_protocol *p = svsm_protocol_find((u32)(r->rcx >> 32));
	u32 version = (u32)r->rcx;

	(void)gm;
	if (p && version >= p->version_min && version <= p->version_max)
		r->rcx = (u64)p->version_max << 32 | p->version_min;
	else
		r->rcx = 0;
	return 0;
}

/* The core protocol's one conversion of internal results. */
static u64 svsm_core_result(int err)
{
	switch (err) {
	case 0:
		return SVSM_SUCCESS;
	case -E_NOSYS:
		return SVSM_ERR_UNSUPPORTED_CALL;
	case -E_FAULT:
		return SVSM_ERR_INVALID_ADDRESS;
	case -E_INVAL:
	case -E_RANGE:
		return SVSM_ERR_INVALID_PARAMETER;
	case -E_BUSY:
	case -E_AGAIN:
		return SVSM_ERR_BUSY;
	default:
		return SVSM_ERR_INVALID_REQUEST;
	}
}

static const svsm_handler_fn svsm_core_calls[] = {
	[SVSM_CORE_QUERY_PROTOCOL] = svsm_core_query_protocol,
};

const struct svsm_protocol svsm_proto_core = {
	.id = SVSM_PROTO_CORE,
	.version_min = 1,
	.version_max = 1,
	.calls = svsm_core_calls,
	.ncalls = ARRAY_SIZE(svsm_core_calls),
	.result = svsm_core_result,
};
