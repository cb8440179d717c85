/*
 * Validation of the loader-provided memory map (IGVM MEMORY_MAP parameter):
 * entries must be sorted, non-overlapping, page counts non-zero and free of
 * overflow; only plain, private MEMORY entries are used. Holes (the boot
 * image, low memory) are cut out of the usable ranges.
 */
#include <abi/igvm.h>
#include <copra/errno.h>
#include <copra/memmap.h>
#include <copra/string.h>

#define MEMMAP_MAX_PFN (1ULL << 40) /* 52-bit physical addresses */

static int memmap_fail(const char **why, const char *reason)
{
	*why = reason;
	return -E_INVAL;
}

static int memmap_emit(u64 start, u64 end, struct memmap_result *out)
{
	if (start >= end)
		return 0;
	if (out->count == PMM_MAX_RANGES)
		return -E_NOSPC;
	out->ranges[out->count].base = start;
	out->ranges[out->count].npages = (end - start) / PAGE_SIZE;
	out->count++;
	return 0;
}

/* Appends [start, end) minus the holes (sorted, disjoint) to out. */
static int memmap_add_range(u64 start, u64 end, const struct memmap_hole *holes,
			    unsigned hole_count, struct memmap_result *out)
{
	unsigned i;

	for (i = 0; i < hole_count && start < end; i++) {
		const struct memmap_hole *h = &holes[i];

		if (h->end <= start || h->start >= end)
			continue;
		if (memmap_emit(start, h->start, out))
			return -E_NOSPC;
		start = h->end;
	}
	return memmap_emit(start, end, out);
}

static int memmap_cmp_ranges(const struct pmm_range *a, const struct pmm_range *b)
{
	return a->base < b->base ? -1 : a->base > b->base;
}

static void memmap_sort(struct memmap_result *out)
{
	unsigned i, j;

	for (i = 1; i < out->count; i++) {
		struct pmm_range r = out->ranges[i];

		for (j = i; j > 0 && memmap_cmp_ranges(&out->ranges[j - 1], &r) > 0; j--)
			out->ranges[j] = out->ranges[j - 1];
		out->ranges[j] = r;
	}
}

int memmap_parse(const void *area, size_t size, const struct memmap_hole *holes,
		 unsigned hole_count, struct memmap_result *out, const char **why)
{
	const struct igvm_memory_map_entry *e = area;
	size_t n = size / sizeof(*e), i;
	u64 prev_end = 0;

	memset(out, 0, sizeof(*out));
	*why = "ok";
	for (i = 0; i < n && i < MEMMAP_MAX_ENTRIES; i++) {
		struct igvm_memory_map_entry x;

		memcpy(&x, &e[i], sizeof(x));
		if (x.number_of_pages == 0)
			break;
		if (x.starting_gpa_page_number >= MEMMAP_MAX_PFN ||
		    x.number_of_pages > MEMMAP_MAX_PFN - x.starting_gpa_page_number)
			return memmap_fail(why, "entry beyond the physical address width");
		if (x.starting_gpa_page_number < prev_end)
			return memmap_fail(why, "entries unsorted or overlapping");
		prev_end = x.starting_gpa_page_number + x.number_of_pages;
		if (x.entry_type != IGVM_MEMMAP_MEMORY || (x.flags & IGVM_MEMMAP_F_SHARED))
			continue;
		out->ram_bytes += x.number_of_pages * PAGE_SIZE;
		if (memmap_add_range(x.starting_gpa_page_number * PAGE_SIZE, prev_end * PAGE_SIZE,
				     holes, hole_count, out))
			return memmap_fail(why, "too many usable ranges");
	}
	if (i == n)
		return memmap_fail(why, "no terminating entry");
	if (i == MEMMAP_MAX_ENTRIES) {
		u64 next_pages;

		memcpy(&next_pages, (const u8 *)&e[i] + offsetof(struct igvm_memory_map_entry,
								 number_of_pages), 8);
		if (next_pages != 0)
			return memmap_fail(why, "more than 64 entries");
	}
	if (out->count == 0)
		return memmap_fail(why, "no usable memory");
	memmap_sort(out);
	return 0;
}
