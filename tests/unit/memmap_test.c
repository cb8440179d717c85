/* Host unit tests of the memory-map parser (kernel/mm/memmap.c), fed hostile maps. */
#include <abi/igvm.h>
#include <copra/errno.h>
#include <copra/memmap.h>
#include <copra/string.h>
#include <copra/test.h>

static struct igvm_memory_map_entry mm_t_e[70];

static void mm_t_entry(unsigned i, u64 start_pfn, u64 pages, u16 type)
{
	mm_t_e[i].starting_gpa_page_number = start_pfn;
	mm_t_e[i].number_of_pages = pages;
	mm_t_e[i].entry_type = type;
	mm_t_e[i].flags = 0;
	mm_t_e[i].reserved = 0;
}

TEST_FLAGS(memmap, q35_layout_with_holes, TEST_F_HOST_ONLY)
{
	struct memmap_hole holes[2] = { { 0, 0x100000 }, { 0x100000, 0x400000 } };
	struct memmap_result r;
	const char *why;

	memset(mm_t_e, 0, sizeof(mm_t_e));
	mm_t_entry(0, 0, 0x9f, IGVM_MEMMAP_MEMORY);
	mm_t_entry(1, 0x100, 0x1ff00, IGVM_MEMMAP_MEMORY);          /* 1 MiB .. 512 MiB */
	mm_t_entry(2, 0x100000, 0x100, IGVM_MEMMAP_PLATFORM_RESERVED);
	CHECK_EQ(t, memmap_parse(mm_t_e, sizeof(mm_t_e), holes, 2, &r, &why), 0);
	CHECK_EQ(t, r.count, 1);
	CHECK_EQ(t, r.ranges[0].base, 0x400000);
	CHECK_EQ(t, r.ranges[0].npages, 0x1ff00 - 0x300);
	CHECK_EQ(t, r.ram_bytes, (0x9fULL + 0x1ff00) * 4096);
}

TEST_FLAGS(memmap, rejects_hostile_maps, TEST_F_HOST_ONLY)
{
	struct memmap_result r;
	const char *why;
	unsigned i;

	memset(mm_t_e, 0, sizeof(mm_t_e));
	mm_t_entry(0, 0x200, 0x100, IGVM_MEMMAP_MEMORY);
	mm_t_entry(1, 0x250, 0x100, IGVM_MEMMAP_MEMORY); /* overlaps */
	CHECK_EQ(t, memmap_parse(mm_t_e, sizeof(mm_t_e), NULL, 0, &r, &why), -E_INVAL);
	mm_t_entry(1, 0x100, 0x10, IGVM_MEMMAP_MEMORY); /* unsorted */
	CHECK_EQ(t, memmap_parse(mm_t_e, sizeof(mm_t_e), NULL, 0, &r, &why), -E_INVAL);
	mm_t_entry(1, ~0ULL - 4, 0x10, IGVM_MEMMAP_MEMORY); /* wraps */
	CHECK_EQ(t, memmap_parse(mm_t_e, sizeof(mm_t_e), NULL, 0, &r, &why), -E_INVAL);
	mm_t_entry(1, 0, 0, 0);
	mm_t_entry(0, 0x200, 0x100, IGVM_MEMMAP_PLATFORM_RESERVED); /* no RAM at all */
	CHECK_EQ(t, memmap_parse(mm_t_e, sizeof(mm_t_e), NULL, 0, &r, &why), -E_INVAL);
	/* No terminator inside the area. */
	for (i = 0; i < 3; i++)
		mm_t_entry(i, 0x1000 * (i + 1), 0x10, IGVM_MEMMAP_MEMORY);
	CHECK_EQ(t, memmap_parse(mm_t_e, 3 * sizeof(mm_t_e[0]), NULL, 0, &r, &why), -E_INVAL);
	/* More than 64 entries (few enough usable ones for the range table). */
	for (i = 0; i < 70; i++)
		mm_t_entry(i, 0x1000 * (i + 1), 0x10,
			   i % 3 ? IGVM_MEMMAP_PLATFORM_RESERVED : IGVM_MEMMAP_MEMORY);
	CHECK_EQ(t, memmap_parse(mm_t_e, sizeof(mm_t_e), NULL, 0, &r, &why), -E_INVAL);
	CHECK(t, strstr(why, "64") != NULL);
	/* More usable ranges than the frame allocator tracks. */
	for (i = 0; i < 40; i++)
		mm_t_entry(i, 0x1000 * (i + 1), 0x10, IGVM_MEMMAP_MEMORY);
	mm_t_entry(40, 0, 0, 0);
	CHECK_EQ(t, memmap_parse(mm_t_e, sizeof(mm_t_e), NULL, 0, &r, &why), -E_INVAL);
	CHECK(t, strstr(why, "usable") != NULL);
}

TEST_FLAGS(memmap, skips_shared_and_reserved, TEST_F_HOST_ONLY)
{
	struct memmap_result r;
	const char *why;

	memset(mm_t_e, 0, sizeof(mm_t_e));
	mm_t_entry(0, 0x100, 0x10, IGVM_MEMMAP_MEMORY);
	mm_t_e[0].flags = IGVM_MEMMAP_F_SHARED;
	mm_t_entry(1, 0x200, 0x10, IGVM_MEMMAP_PERSISTENT);
	mm_t_entry(2, 0x300, 0x10, IGVM_MEMMAP_MEMORY);
	CHECK_EQ(t, memmap_parse(mm_t_e, sizeof(mm_t_e), NULL, 0, &r, &why), 0);
	CHECK_EQ(t, r.count, 1);
	CHECK_EQ(t, r.ranges[0].base, 0x300000);
}
