/*
 * Internals of the SVSM dispatcher (kernel/svsm): the protocol table entry.
 * Each protocol is a const table of call handlers plus the one function
 * that converts its handlers' internal results into SVSM result codes.
 */
#ifndef KERNEL_SVSM_INTERNAL_H
#define KERNEL_SVSM_INTERNAL_H

#include <copra/svsm.h>

/* A call handler: 0 or -E_xxx; writes outputs to r only on success. */
typedef int (*svsm_handler_fn)(const struct guest_mem *gm, struct svsm_regs *r);

struct svsm_protocol {
	u32 id;                        /* SVSM_PROTO_* */
	u32 version_min, version_max;
	const svsm_handler_fn *calls;  /* indexed by call id; NULL: unsupported */
	u32 ncalls;
	u64 (*result)(int err);        /* internal result -> SVSM result code */
};

extern const struct svsm_protocol svsm_proto_core;
extern const struct svsm_protocol svsm_proto_vtpm;

/* The protocol with this id, or NULL. */
const struct svsm_protocol *svsm_protocol_find(u32 id);

#endif
