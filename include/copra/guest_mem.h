/*
 * Guest-memory accessor: how SVSM protocol handlers reach memory a guest
 * names by guest-physical address. The platform that serves guests
 * implements it (SEV-SNP: private guest pages through temporary mappings,
 * refusing Copra's own memory; native has no guest); tests supply a fake.
 *
 * Handlers copy a guest structure once into a private kernel buffer, decode
 * and validate the copy, act, and copy the result back: no field is read
 * twice from guest memory. guest_mem_check() is the common range test every
 * handler applies before it calls read or write; the accessor still refuses
 * pages the guest may not name (-E_FAULT) and may fail on any page.
 */
#ifndef COPRA_GUEST_MEM_H
#define COPRA_GUEST_MEM_H

#include <copra/errno.h>
#include <copra/types.h>

struct guest_mem {
	/* Guest-physical addresses the accessor may serve are below this. */
	u64 limit;
	/* Copy len bytes at gpa (any alignment, may cross pages): 0 or -E_FAULT. */
	int (*read)(const struct guest_mem *gm, gpa_t gpa, void *dst, size_t len);
	int (*write)(const struct guest_mem *gm, gpa_t gpa, const void *src, size_t len);
	void *priv;
};

/*
 * [gpa, gpa + len) is a plausible guest range: gpa non-zero and a multiple
 * of align (a power of two), no wrap-around, inside the accessor's limit.
 * 0 or -E_FAULT.
 */
static inline int guest_mem_check(const struct guest_mem *gm, gpa_t gpa, u64 len, u64 align)
{
	u64 start = gpa_addr(gpa), end;

	if (!gm || start == 0 || !IS_ALIGNED(start, align))
		return -E_FAULT;
	if (add_overflow(start, len, &end) || end > gm->limit)
		return -E_FAULT;
	return 0;
}

#endif
