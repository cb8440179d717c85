/*
 * The boot page tables of a built image, checked by walking them from the
 * VP context's CR3 over the parsed page data, as the launcher does.
 */
#include <stdlib.h>
#include <string.h>

#include "igvmtool_test.h"

struct pt_fixture {
	u8 *file;
	size_t len;
	struct igvm_model m;
	struct igvm_memview v;
	u64 cr3;
};

static int pt_setup(struct pt_fixture *f)
{
	struct igvm_err e;
	u8 *elf = igvm_test_elf();
	int ret = igvm_test_build(elf, NULL, 0, &f->file, &f->len, &e);

	free(elf);
	memset(&f->v, 0, sizeof(f->v));
	if (ret || igvm_test_parse(f->file, f->len, &f->m, &e))
		return -1;
	for (u32 i = 0; i < f->m.dir_count; i++) {
		const struct igvm_dir *d = &f->m.dirs[i];

		if (d->type == IGVM_VHT_PAGE_DATA && igvm_memview_add(&f->v, d->gpa, d->data))
			return -1;
	}
	igvm_memview_sort(&f->v);
	f->cr3 = 0x106000;
	return 0;
}

static void pt_teardown(struct pt_fixture *f)
{
	igvm_memview_free(&f->v);
	igvm_model_free(&f->m);
	free(f->file);
}

static bool pt_walk(struct pt_fixture *f, u64 va, struct igvm_walk *w)
{
	return igvm_pt_walk(&f->v, f->cr3, va, true, w);
}

static u64 pt_entry(struct pt_fixture *f, u64 table, unsigned idx)
{
	return igvm_memview_read64(&f->v, table + idx * 8);
}

TEST(igvm_pgtable, kernel_segment_permissions)
{
	struct pt_fixture f;
	struct igvm_walk w;

	CHECK(t, pt_setup(&f) == 0);
	CHECK(t, pt_walk(&f, KERNEL_VBASE + 0x100010, &w));
	CHECK_EQ(t, w.pa, 0x100010);
	CHECK(t, w.executable && !w.writable && !w.user);
	CHECK(t, pt_walk(&f, KERNEL_VBASE + 0x101000, &w));
	CHECK(t, !w.executable && !w.writable);
	for (u64 pa = 0x102000; pa < 0x106000; pa += 0x1000) {
		CHECK(t, pt_walk(&f, KERNEL_VBASE + pa, &w));
		CHECK_EQ(t, w.pa, pa);
		CHECK(t, !w.executable && w.writable);
	}
	pt_teardown(&f);
}

TEST(igvm_pgtable, stack_guard_bootinfo)
{
	struct pt_fixture f;
	struct igvm_walk w;

	CHECK(t, pt_setup(&f) == 0);
	for (u64 pa = 0x112000; pa < 0x116000; pa += 0x1000) {
		CHECK(t, pt_walk(&f, KERNEL_VBASE + pa, &w));
		CHECK(t, w.writable && !w.executable);
	}
	CHECK(t, !pt_walk(&f, KERNEL_VBASE + 0x111000, &w)); /* guard */
	CHECK(t, !pt_walk(&f, KERNEL_VBASE + 0x106000, &w)); /* tables: not mapped */
	CHECK(t, pt_walk(&f, KERNEL_VBASE + 0x116F00, &w));
	CHECK_EQ(t, w.pa, 0x116F00);
	CHECK(t, !w.writable && !w.executable);
	CHECK(t, !pt_walk(&f, KERNEL_VBASE + 0x117000, &w)); /* per-CPU data: own slot */
	CHECK(t, !pt_walk(&f, KERNEL_VBASE + 0x127000, &w)); /* parameter pages */
	pt_teardown(&f);
}

TEST(igvm_pgtable, global_bit_and_intermediates)
{
	struct pt_fixture f;
	u64 pml4e, pdpte, pde, e;

	CHECK(t, pt_setup(&f) == 0);
	pml4e = pt_entry(&f, f.cr3, SLOT_GLOBAL);
	CHECK_EQ(t, pml4e & 0x8000000000000FFFULL, 0x3);
	pdpte = pt_entry(&f, pml4e & IGVM_PTE_ADDR, 510);
	CHECK_EQ(t, pdpte & 0x8000000000000FFFULL, 0x3);
	pde = pt_entry(&f, pdpte & IGVM_PTE_ADDR, 0);
	CHECK_EQ(t, pde & 0x8000000000000FFFULL, 0x3);
	e = pt_entry(&f, pde & IGVM_PTE_ADDR, 0x100);
	CHECK_EQ(t, e, 0x100000 | IGVM_PTE_P | IGVM_PTE_G);
	e = pt_entry(&f, pde & IGVM_PTE_ADDR, 0x101);
	CHECK_EQ(t, e, 0x101000 | IGVM_PTE_P | IGVM_PTE_G | IGVM_PTE_NX);
	e = pt_entry(&f, pde & IGVM_PTE_ADDR, 0x102);
	CHECK_EQ(t, e, 0x102000 | IGVM_PTE_P | IGVM_PTE_W | IGVM_PTE_G | IGVM_PTE_NX);
	pt_teardown(&f);
}

TEST(igvm_pgtable, selfmap_slot)
{
	struct pt_fixture f;
	struct igvm_walk w;

	CHECK(t, pt_setup(&f) == 0);
	CHECK_EQ(t, pt_entry(&f, f.cr3, SLOT_SELFMAP),
		 f.cr3 | IGVM_PTE_P | IGVM_PTE_W | IGVM_PTE_NX);
	/* Through the self-map 4 times: the PML4 page itself, RW NX. */
	CHECK(t, pt_walk(&f, SELFMAP_BASE | (510ULL << 30) | (510ULL << 21) | (510ULL << 12), &w));
	CHECK_EQ(t, w.pa, f.cr3);
	CHECK(t, w.writable && !w.executable);
	pt_teardown(&f);
}

TEST(igvm_pgtable, percpu_data_of_the_bsp)
{
	struct pt_fixture f;
	struct igvm_walk w;

	CHECK(t, pt_setup(&f) == 0);
	for (u64 off = 0; off < PERCPU_DATA_SIZE; off += 0x1000) {
		CHECK(t, pt_walk(&f, PERCPU_DATA + off, &w));
		CHECK_EQ(t, w.pa, 0x117000 + off);
		CHECK(t, w.writable && !w.executable && !w.user);
	}
	CHECK(t, !pt_walk(&f, PERCPU_DATA + PERCPU_DATA_SIZE, &w));
	CHECK(t, !pt_walk(&f, PERCPU_STACKS, &w));
	pt_teardown(&f);
}

TEST(igvm_pgtable, percpu_temp_window_table)
{
	struct pt_fixture f;
	struct igvm_walk w;
	u64 pdpt, pd, pt;

	CHECK(t, pt_setup(&f) == 0);
	pdpt = pt_entry(&f, f.cr3, SLOT_PERCPU) & IGVM_PTE_ADDR;
	CHECK(t, pdpt != 0);
	pd = pt_entry(&f, pdpt, (PERCPU_TEMP_BASE >> 30) & 511);
	CHECK_EQ(t, pd & 0xFFF, 0x3);
	pt = pt_entry(&f, pd & IGVM_PTE_ADDR, 0);
	CHECK_EQ(t, pt & 0xFFF, 0x3);
	for (unsigned i = 0; i < 512; i++)
		CHECK_EQ(t, pt_entry(&f, pt & IGVM_PTE_ADDR, i), 0);
	for (unsigned i = 2; i < 512; i++) /* 0: per-CPU data, 1: temp window */
		CHECK_EQ(t, pt_entry(&f, pdpt, i), 0);
	CHECK(t, !pt_walk(&f, PERCPU_TEMP_BASE, &w));
	pt_teardown(&f);
}

TEST(igvm_pgtable, trampoline_identity)
{
	struct pt_fixture f;
	struct igvm_walk w;

	CHECK(t, pt_setup(&f) == 0);
	CHECK(t, pt_walk(&f, TRAMPOLINE_PHYS, &w));
	CHECK_EQ(t, w.pa, TRAMPOLINE_PHYS);
	CHECK(t, w.executable && !w.writable && !w.user);
	CHECK(t, !pt_walk(&f, TRAMPOLINE_PHYS - 0x1000, &w));
	CHECK(t, !pt_walk(&f, TRAMPOLINE_PHYS + 0x1000, &w));
	CHECK(t, !pt_walk(&f, 0, &w));
	/* Only slots 0, 509, 510, 511 are present. */
	for (unsigned i = 1; i < 509; i++)
		CHECK_EQ(t, pt_entry(&f, f.cr3, i), 0);
	pt_teardown(&f);
}

TEST(igvm_pgtable, walker_large_pages_and_noncanonical)
{
	static u64 tables[3][512];
	struct igvm_memview v = { NULL, 0 };
	struct igvm_walk w;

	memset(tables, 0, sizeof(tables));
	tables[0][0] = 0x2000 | 0x3;                         /* PML4 -> PDPT */
	tables[1][1] = 0x40000000ULL | 0x83;                  /* 1 GiB page at 1 GiB */
	tables[1][0] = 0x3000 | 0x7;                          /* PDPT -> PD */
	tables[2][1] = 0x200000ULL | 0x1083 | IGVM_PTE_NX;    /* 2 MiB page, PAT bit set */
	CHECK(t, igvm_memview_add(&v, 0x1000, (const u8 *)tables[0]) == 0);
	CHECK(t, igvm_memview_add(&v, 0x2000, (const u8 *)tables[1]) == 0);
	CHECK(t, igvm_memview_add(&v, 0x3000, (const u8 *)tables[2]) == 0);
	igvm_memview_sort(&v);
	CHECK(t, igvm_pt_walk(&v, 0x1000, 0x40123456, true, &w));
	CHECK_EQ(t, w.pa, 0x40123456);
	CHECK(t, igvm_pt_walk(&v, 0x1000, 0x2ABCDE, true, &w));
	CHECK_EQ(t, w.pa, 0x2ABCDE);
	CHECK(t, !w.executable && !w.user);
	CHECK(t, igvm_pt_walk(&v, 0x1000, 0x2ABCDE, false, &w) && w.executable);
	CHECK(t, !igvm_pt_walk(&v, 0x1000, 0x0000800000000000ULL, true, &w));
	igvm_memview_free(&v);
}
