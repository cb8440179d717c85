/*
 * libFuzzer target for the memory-map parser (kernel/mm/memmap.c): any
 * bytes a loader could put in the MEMORY_MAP parameter page. Accepted maps
 * must yield sorted, disjoint, page-aligned ranges that avoid the holes.
 *   make build/fuzz/memmap && build/fuzz/memmap -max_total_time=300 build/fuzz-corpus/memmap
 */
#include <stdlib.h>

#include <copra/memmap.h>
#include <copra/string.h>

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	static const struct memmap_hole holes[2] = { { 0, 0x100000 }, { 0x100000, 0x800000 } };
	struct memmap_result r;
	const char *why;
	unsigned i, k;

	if (size > 4096)
		return 0;
	if (memmap_parse(data, size, holes, 2, &r, &why) != 0)
		return 0;
	if (r.count == 0 || r.count > PMM_MAX_RANGES)
		abort();
	for (i = 0; i < r.count; i++) {
		const struct pmm_range *x = &r.ranges[i];
		u64 end = x->base + x->npages * 4096;

		if (x->npages == 0 || x->base % 4096 || end <= x->base)
			abort();
		if (i > 0 && x->base < r.ranges[i - 1].base + r.ranges[i - 1].npages * 4096)
			abort();
		for (k = 0; k < 2; k++)
			if (x->base < holes[k].end && end > holes[k].start)
				abort();
	}
	return 0;
}
