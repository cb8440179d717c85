/*
 * Build-time boot page tables (4-level, 4 KiB leaves only). The PML4 holds:
 *   SLOT_SELFMAP -> the PML4 itself (P|W|NX): the kernel edits tables here;
 *   SLOT_GLOBAL  -> kernel ELF pages (permissions from their segment), the
 *                   boot stack (RW, guard page below unmapped) and the
 *                   bootinfo page (RO), all at VA = KERNEL_VBASE + PA, Global;
 *   SLOT_PERCPU  -> the BSP's struct percpu at PERCPU_DATA (RW, NX, Global;
 *                   the kernel uses this_cpu() before it maps anything) and
 *                   an empty PT for the PERCPU_TEMP_BASE window;
 *   SLOT_USER    -> TRAMPOLINE_PHYS identity-mapped RX (AP start page).
 * Table pages are mapped nowhere else. Intermediate entries are P|W.
 */
#include <elf.h>
#include <string.h>

#include "igvm_build.h"

_Static_assert(((KERNEL_VBASE >> 39) & 511) == SLOT_GLOBAL, "kernel image in the global slot");
_Static_assert(((PERCPU_TEMP_BASE >> 39) & 511) == SLOT_PERCPU, "temp window in percpu slot");
_Static_assert(((PERCPU_DATA >> 39) & 511) == SLOT_PERCPU, "per-CPU data in the percpu slot");
_Static_assert(PERCPU_DATA % PAGE_SIZE == 0 && PERCPU_DATA_SIZE % PAGE_SIZE == 0, "percpu pages");
_Static_assert(((TRAMPOLINE_PHYS >> 39) & 511) == SLOT_USER, "trampoline in the user slot");
_Static_assert(KERNEL_PHYS_MAX <= (1ULL << 30), "image fits one PD of the global slot");

#define IGVM_PTE_TABLE (IGVM_PTE_P | IGVM_PTE_W)

static unsigned igvm_pt_index(u64 va, int level)
{
	return (unsigned)((va >> (12 + 9 * (level - 1))) & 511);
}

static u64 *igvm_pt_table(struct igvm_pt *pt, u64 gpa)
{
	return pt->pages[(gpa - pt->base) / IGVM_PAGE_SIZE];
}

static int igvm_pt_alloc(struct igvm_pt *pt, u64 *gpa, struct igvm_err *e)
{
	if (pt->count == IGVM_PT_MAX_PAGES)
		return igvm_errf(e, "boot page tables need more than %u pages", IGVM_PT_MAX_PAGES);
	*gpa = pt->base + (u64)pt->count * IGVM_PAGE_SIZE;
	pt->count++;
	return 0;
}

void igvm_pt_init(struct igvm_pt *pt, u64 base)
{
	memset(pt->pages, 0, sizeof(pt->pages));
	pt->base = base;
	pt->count = 1; /* the PML4 */
}

/* The table below entry idx of table, created (P|W) when absent. */
static int igvm_pt_next(struct igvm_pt *pt, u64 table, unsigned idx, u64 *next,
			struct igvm_err *e)
{
	u64 *slot = &igvm_pt_table(pt, table)[idx];

	if (!(*slot & IGVM_PTE_P)) {
		if (igvm_pt_alloc(pt, next, e) < 0)
			return -1;
		*slot = *next | IGVM_PTE_TABLE;
		return 0;
	}
	if (*slot & IGVM_PTE_PS)
		return igvm_errf(e, "page table entry 0x%llx is a large page",
				 (unsigned long long)*slot);
	*next = *slot & IGVM_PTE_ADDR;
	return 0;
}

/* Walks (creating) from the PML4 down to the level-1 table that maps va. */
static int igvm_pt_walk_create(struct igvm_pt *pt, u64 va, u64 *pt_gpa, struct igvm_err *e)
{
	u64 table = pt->base;

	for (int level = 4; level > 1; level--) {
		if (igvm_pt_next(pt, table, igvm_pt_index(va, level), &table, e) < 0)
			return -1;
	}
	*pt_gpa = table;
	return 0;
}

int igvm_pt_add_table(struct igvm_pt *pt, u64 va, struct igvm_err *e)
{
	u64 table;

	return igvm_pt_walk_create(pt, va, &table, e);
}

int igvm_pt_map(struct igvm_pt *pt, u64 va, u64 pa, u64 leaf_flags, struct igvm_err *e)
{
	u64 table, *slot;

	if (igvm_pt_walk_create(pt, va, &table, e) < 0)
		return -1;
	slot = &igvm_pt_table(pt, table)[igvm_pt_index(va, 1)];
	if (*slot & IGVM_PTE_P)
		return igvm_errf(e, "virtual address 0x%llx mapped twice", (unsigned long long)va);
	*slot = (pa & IGVM_PTE_ADDR) | leaf_flags;
	return 0;
}

/* Maps [pa, pa + size) at KERNEL_VBASE + pa. */
static int igvm_pt_map_global(struct igvm_pt *pt, u64 pa, u64 size, u64 flags,
			      struct igvm_err *e)
{
	for (u64 off = 0; off < size; off += IGVM_PAGE_SIZE) {
		if (igvm_pt_map(pt, KERNEL_VBASE + pa + off, pa + off,
				flags | IGVM_PTE_P | IGVM_PTE_G, e) < 0)
			return -1;
	}
	return 0;
}

/* The BSP's per-CPU data: [pa, pa + IGVM_BSP_PERCPU_SIZE) at PERCPU_DATA. */
static int igvm_pt_map_percpu(struct igvm_pt *pt, u64 pa, struct igvm_err *e)
{
	for (u64 off = 0; off < IGVM_BSP_PERCPU_SIZE; off += IGVM_PAGE_SIZE) {
		if (igvm_pt_map(pt, PERCPU_DATA + off, pa + off,
				IGVM_PTE_P | IGVM_PTE_W | IGVM_PTE_NX | IGVM_PTE_G, e) < 0)
			return -1;
	}
	return 0;
}

static int igvm_pt_map_kernel(struct igvm_pt *pt, const struct igvm_elf *elf, struct igvm_err *e)
{
	for (u32 i = 0; i < elf->seg_count; i++) {
		const struct igvm_elf_seg *s = &elf->segs[i];
		u64 start = ALIGN_DOWN(s->paddr, PAGE_SIZE);
		u64 end = ALIGN_UP(s->paddr + s->memsz, PAGE_SIZE);
		u64 flags = 0;

		if (s->flags & PF_W)
			flags |= IGVM_PTE_W;
		if (!(s->flags & PF_X))
			flags |= IGVM_PTE_NX;
		if (igvm_pt_map_global(pt, start, end - start, flags, e) < 0)
			return -1;
	}
	return 0;
}

int igvm_pt_build(struct igvm_pt *pt, const struct igvm_elf *elf, const struct igvm_layout *l,
		  struct igvm_err *e)
{
	igvm_pt_init(pt, l->pt_base);
	igvm_pt_table(pt, pt->base)[SLOT_SELFMAP] = pt->base | IGVM_PTE_TABLE | IGVM_PTE_NX;
	if (igvm_pt_map_kernel(pt, elf, e) < 0 ||
	    igvm_pt_map_global(pt, l->stack_bottom, l->stack_top - l->stack_bottom,
			       IGVM_PTE_W | IGVM_PTE_NX, e) < 0 ||
	    igvm_pt_map_global(pt, l->bootinfo, IGVM_PAGE_SIZE, IGVM_PTE_NX, e) < 0 ||
	    igvm_pt_map_percpu(pt, l->percpu, e) < 0 ||
	    igvm_pt_add_table(pt, PERCPU_TEMP_BASE, e) < 0 ||
	    igvm_pt_map(pt, TRAMPOLINE_PHYS, TRAMPOLINE_PHYS, IGVM_PTE_P, e) < 0)
		return -1;
	return 0;
}
