/*
 * Fake physical memory and MMU for host unit tests of the page-table code:
 * FAKE_FRAMES frames starting at FAKE_PHYS_BASE, an emulated 4-level walk
 * from fake_cr3 (so self-map addresses resolve exactly as on hardware), and
 * temporary mappings that point straight into the fake memory.
 */
#include <stdio.h>
#include <stdlib.h>

#include <arch/mmu.h>
#include <copra/pmm.h>
#include <copra/string.h>
#include <copra/tmpmap.h>

#include "fake.h"

static u8 *fake_mem;
static u64 fake_cr3;
unsigned fake_tlb_flushes;

void fake_mmu_reset(void)
{
	free(fake_mem);
	fake_mem = aligned_alloc(4096, FAKE_FRAMES * PAGE_SIZE);
	if (!fake_mem)
		abort();
	memset(fake_mem, 0xA5, FAKE_FRAMES * PAGE_SIZE); /* garbage, as real RAM */
	fake_cr3 = 0;
	fake_tlb_flushes = 0;
}

void *fake_phys_ptr(u64 pa)
{
	if (pa < FAKE_PHYS_BASE || pa - FAKE_PHYS_BASE >= FAKE_FRAMES * PAGE_SIZE) {
		fprintf(stderr, "fake_mmu: physical address 0x%llx outside fake memory\n",
			(unsigned long long)pa);
		abort();
	}
	return fake_mem + (pa - FAKE_PHYS_BASE);
}

void fake_set_root(u64 pa) { fake_cr3 = pa; }
u64 fake_root(void) { return fake_cr3; }
void fake_tlb_flush(void) { fake_tlb_flushes++; }

/* Emulated hardware walk; a not-present entry is a fault the code must never cause. */
volatile pte_t *fake_translate(u64 va)
{
	u64 table = fake_cr3;
	int level;

	for (level = 4; level >= 1; level--) {
		pte_t e = ((pte_t *)fake_phys_ptr(table))[pt_index(va, level)];

		if (!(e & PTE_P)) {
			fprintf(stderr, "fake_mmu: page fault at 0x%llx (level %d)\n",
				(unsigned long long)va, level);
			abort();
		}
		if (level <= 3 && (e & PTE_PS)) {
			u64 size = 1ULL << (12 + 9 * (level - 1));

			return fake_phys_ptr((e & PTE_ADDR & ~(size - 1)) + (va & (size - 1)));
		}
		table = e & PTE_ADDR;
	}
	return fake_phys_ptr(table + (va & 0xFFF));
}

/* Temporary mappings: the fake memory is always reachable. */
static unsigned fake_tmpmap_depth;

void *tmpmap_map(spa_t frame, struct tmpmap *m)
{
	m->slot = fake_tmpmap_depth++;
	m->va = fake_phys_ptr(spa_addr(frame));
	return m->va;
}

void tmpmap_unmap(struct tmpmap *m)
{
	if (m->slot + 1 != fake_tmpmap_depth)
		abort();
	fake_tmpmap_depth--;
	m->va = NULL;
}

void tmpmap_zero_frame(spa_t frame)
{
	memset(fake_phys_ptr(spa_addr(frame)), 0, PAGE_SIZE);
}

void tmpmap_copy_frame(spa_t dst, spa_t src)
{
	memcpy(fake_phys_ptr(spa_addr(dst)), fake_phys_ptr(spa_addr(src)), PAGE_SIZE);
}
