/*
 * The SVSM protocol dispatcher (specs.md §3): one guest call in, one result
 * out. RAX = (protocol << 32) | call id selects a handler from a const table
 * of protocols; RCX, RDX, R8, R9 are its arguments and RCX, RDX, R8 its
 * outputs. Guest memory named by an argument is reached only through the
 * accessor the caller passes (include/copra/guest_mem.h).
 *
 * Offered: the core protocol's QUERY_PROTOCOL (other core calls belong to
 * the SEV-SNP back end and answer UNSUPPORTED_CALL until it exists) and the
 * vTPM protocol 2, version 1 (VTPM_QUERY, VTPM_CMD).
 *
 * Callers: the platform's guest request loop (SEV-SNP, later) and tests.
 * Task context only: VTPM_CMD waits for the vTPM service.
 */
#ifndef COPRA_SVSM_H
#define COPRA_SVSM_H

#include <copra/guest_mem.h>
#include <copra/types.h>

struct svsm_regs {
	u64 rax;    /* in: call id; out: SVSM result code */
	u64 rcx, rdx, r8, r9;
};

/*
 * Serves the call in r. Outputs other than RAX are written only when the
 * call succeeds; on failure they keep their input values.
 */
void svsm_call(const struct guest_mem *gm, struct svsm_regs *r);

/* Alignment the vTPM request buffer's GPA must have (it may cross a page). */
#define SVSM_VTPM_BUFFER_ALIGN 8u

#endif
