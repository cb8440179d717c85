/*
 * Parsing of the IGVM memory-map parameter the loader (an untrusted party)
 * fills in: validated entries become the usable RAM ranges given to the
 * frame allocator, minus the regions Copra must not hand out.
 */
#ifndef COPRA_MEMMAP_H
#define COPRA_MEMMAP_H

#include <copra/pmm.h>
#include <copra/types.h>

#define MEMMAP_MAX_ENTRIES 64

struct memmap_hole {
	u64 start, end; /* [start, end) physical, excluded from the result */
};

struct memmap_result {
	struct pmm_range ranges[PMM_MAX_RANGES];
	unsigned count;
	u64 ram_bytes; /* all RAM the map describes, including excluded parts */
};

/*
 * Parses size bytes of IGVM memory-map entries at area (a private copy).
 * Returns 0, or -E_INVAL with *why set to a short reason.
 */
int memmap_parse(const void *area, size_t size, const struct memmap_hole *holes,
		 unsigned hole_count, struct memmap_result *out, const char **why);

#endif
