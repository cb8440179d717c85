/*
 * Memory bring-up: copy and validate the loader's memory map, start the
 * frame allocator (its bitmap mapped in the global mapping area), the global
 * heap and each CPU's stacks and heap; seal boot-only memory afterwards.
 */
#include <abi/boot.h>
#include <arch/cpu.h>
#include <copra/aspace.h>
#include <copra/errno.h>
#include <copra/heap.h>
#include <copra/log.h>
#include <copra/memlayout.h>
#include <copra/memmap.h>
#include <copra/mm.h>
#include <copra/panic.h>
#include <copra/percpu.h>
#include <copra/pgtable.h>
#include <copra/pmm.h>
#include <copra/section.h>
#include <copra/string.h>
#include <copra/tlb.h>
#include <copra/tmpmap.h>

#include "mm_internal.h"

#define GLOBAL_HEAP_USED (4ULL << 30)   /* virtual range the global heap manages */
#define PERCPU_HEAP_USED (1ULL << 30)

struct heap global_heap;
struct mm_boot_info mm_boot __ro_after_init;
static u64 mm_ram __ro_after_init;
static u64 mm_global_map_next = GLOBAL_MAP_BASE;

u64 mm_boot_stack_top(void)
{
	return mm_boot.stack_top;
}

u64 mm_ram_bytes(void)
{
	return mm_ram;
}

u64 mm_map_global(spa_t first, u64 npages, u32 prot)
{
	u64 va = mm_global_map_next;

	if (npages > (GLOBAL_MAP_BASE + GLOBAL_MAP_SIZE - va) / PAGE_SIZE)
		return 0;
	if (pgtable_map(PT_SELF, va, first, npages, prot | PROT_G))
		return 0;
	mm_global_map_next += npages * PAGE_SIZE;
	return va;
}

/* Copies the memory-map parameter page (untrusted contents) and parses it. */
static __init int mm_read_memmap(const struct bootinfo *bi, struct memmap_result *res)
{
	static u8 area[PAGE_SIZE];
	struct memmap_hole holes[2] = {
		{ 0, 0x100000 }, /* real-mode area and the AP trampoline */
		{ bi->image_phys_start, bi->image_phys_end },
	};
	const char *why = "";
	struct tmpmap m;
	u32 size = bi->param_memmap_size;
	int ret;

	if (!IS_ALIGNED(bi->param_memmap_gpa, PAGE_SIZE) || size == 0 || size > PAGE_SIZE)
		return -E_INVAL;
	memcpy(area, tmpmap_map(spa_init(bi->param_memmap_gpa), &m), size);
	tmpmap_unmap(&m);
	ret = memmap_parse(area, size, holes, 2, res, &why);
	if (ret)
		log_err("memory map rejected: %s", why);
	return ret;
}

__init int mm_init(const struct bootinfo *bi)
{
	static struct memmap_result res;
	u64 bytes, pages, va, i;
	spa_t f;
	int ret;

	mm_boot.stack_bottom = bi->boot_stack_bottom_va;
	mm_boot.stack_top = bi->boot_stack_top_va;
	ret = mm_read_memmap(bi, &res);
	if (ret)
		return ret;
	mm_ram = res.ram_bytes;
	ret = pmm_early_setup(res.ranges, res.count);
	if (ret)
		return ret;
	bytes = pmm_bitmap_bytes();
	pages = ALIGN_UP(bytes, PAGE_SIZE) / PAGE_SIZE;
	va = mm_global_map_next;
	for (i = 0; i < pages; i++) {
		if (pmm_alloc_frame(&f) || !mm_map_global(f, 1, PROT_W))
			return -E_NOMEM;
	}
	pmm_init((u64 *)(uintptr_t)va);
	/* Not interrupt-safe on purpose: freeing may shoot down TLBs on other CPUs. */
	return heap_init(&global_heap, "global", GLOBAL_HEAP_BASE, GLOBAL_HEAP_USED, PROT_G, false);
}

/* Maps one guard-separated stack in the per-CPU slot and returns its top. */
static int mm_map_percpu_stack(unsigned k, u64 *top)
{
	u64 bottom = PERCPU_STACKS + k * PERCPU_STACK_STRIDE + PAGE_SIZE;
	u64 n = PERCPU_STACK_SIZE / PAGE_SIZE, i;
	spa_t f;

	for (i = 0; i < n; i++) {
		if (pmm_alloc_frame(&f))
			return -E_NOMEM;
		if (pgtable_map(PT_SELF, bottom + i * PAGE_SIZE, f, 1, PROT_W | PROT_G)) {
			pmm_free_frame(f);
			return -E_NOMEM;
		}
	}
	*top = bottom + PERCPU_STACK_SIZE;
	return 0;
}

int mm_percpu_activate(void)
{
	struct percpu *c = this_cpu();
	u64 tops[3];
	unsigned k;

	for (k = 0; k < 3; k++)
		tops[k] = PERCPU_STACKS + k * PERCPU_STACK_STRIDE + PAGE_SIZE + PERCPU_STACK_SIZE;
	arch_cpu_load_gdt_tss(tops);
	c->heap = &c->heap_storage;
	return heap_init(c->heap, "percpu", PERCPU_HEAP_BASE, PERCPU_HEAP_USED, PROT_G, true);
}

__init int mm_percpu_init_bsp(void)
{
	struct percpu *c = this_cpu();
	unsigned k;
	u64 top;
	int ret;

	c->percpu_slot_entry = pgtable_get_root_entry(PT_SELF, SLOT_PERCPU);
	for (k = 0; k < 3; k++) {
		ret = mm_map_percpu_stack(k, &top);
		if (ret)
			return ret;
	}
	return mm_percpu_activate();
}

void mm_seal_boot(void)
{
	u64 ro = (u64)(uintptr_t)__ro_after_init_start;
	u64 ro_end = (u64)(uintptr_t)__ro_after_init_end;
	u64 it = (u64)(uintptr_t)__init_text_start;
	u64 it_end = (u64)(uintptr_t)__init_text_end;
	struct pt_flush f;

	pt_flush_init(&f);
	if (ro_end > ro &&
	    pgtable_protect(PT_SELF, ro, (ro_end - ro) / PAGE_SIZE, PROT_G, &f))
		log_warn("could not make ro-after-init data read-only");
	if (it_end > it && pgtable_unmap(PT_SELF, it, (it_end - it) / PAGE_SIZE, &f))
		log_warn("could not unmap boot-only code");
	tlb_flush(&f);
}

static void mm_log_part(const char *part, struct heap *h, enum pt_part pt)
{
	struct heap_stats s = { 0, 0, 0, 0, 0 };

	if (h)
		heap_get_stats(h, &s);
	log_info("memory: %-6s heap %llu bytes in %llu pages, page tables %llu pages", part,
		 (unsigned long long)s.bytes_in_use, (unsigned long long)s.pages_mapped,
		 (unsigned long long)pgtable_pages_of_part(pt));
}

void mm_log_usage(void)
{
	struct pmm_stats ps;
	struct aspace *as = aspace_current();

	pmm_get_stats(&ps);
	log_info("memory: frames %llu free of %llu (%llu MiB), %llu reserved",
		 (unsigned long long)ps.free, (unsigned long long)ps.total,
		 (unsigned long long)(ps.total * PAGE_SIZE >> 20), (unsigned long long)ps.reserved);
	mm_log_part("global", &global_heap, PT_PART_GLOBAL);
	mm_log_part("cpu", this_cpu()->heap, PT_PART_CPU);
	mm_log_part("task", as && as->heap_ready ? &as->heap : NULL, PT_PART_TASK);
	mm_log_part("user", NULL, PT_PART_USER);
}

void *kmalloc(size_t size)
{
	return heap_alloc(&global_heap, size);
}

void *kzalloc(size_t size)
{
	return heap_zalloc(&global_heap, size);
}

void kfree(void *p)
{
	struct percpu *c = this_cpu();
	struct aspace *as = c->aspace;

	if (!p)
		return;
	if (heap_contains(&global_heap, p))
		heap_free(&global_heap, p);
	else if (c->heap && heap_contains(c->heap, p))
		heap_free(c->heap, p);
	else if (as && as->heap_ready && heap_contains(&as->heap, p))
		heap_free(&as->heap, p);
	else
		panic("kfree(%p): not in the global, this CPU's or this task's heap", p);
}
