/*
 * Guest-physical layout of the boot image and the bootinfo page. After the
 * highest kernel page, consecutively: boot page tables, the 16 KiB boot
 * stack (its guard is the last page-table page, which the global slot never
 * maps), the bootinfo page (struct bootinfo + boot GDT), the BSP's per-CPU
 * data (zeroed, mapped at PERCPU_DATA), the three parameter pages (general,
 * memory map, MADT) and the archive. The page-table count
 * depends on where the stack and bootinfo land, so it is found by iteration.
 */
#include <string.h>

#include "igvm_build.h"

#define IGVM_GDT_DESC_CODE64 0x00AF9B000000FFFFULL /* L, P, DPL0, code RX, accessed */
#define IGVM_GDT_DESC_DATA 0x00CF93000000FFFFULL   /* G, D/B, P, DPL0, data RW, accessed */
#define IGVM_GDT_ENTRIES 3u

_Static_assert(BOOTINFO_GDT_OFFSET >= sizeof(struct bootinfo), "GDT after struct bootinfo");
_Static_assert(BOOTINFO_GDT_OFFSET % 8 == 0, "GDT 8-byte aligned");
_Static_assert(BOOTINFO_GDT_OFFSET + IGVM_GDT_ENTRIES * 8 <= IGVM_PAGE_SIZE, "GDT in the page");
_Static_assert(BOOT_GDT_CODE64 / 8 < IGVM_GDT_ENTRIES && BOOT_GDT_DATA / 8 < IGVM_GDT_ENTRIES,
	       "boot selectors inside the boot GDT");

static void igvm_layout_place(const struct igvm_elf *elf, u64 archive_size, u32 pt_count,
			      struct igvm_layout *l)
{
	u64 p = elf->phys_end;

	memset(l, 0, sizeof(*l));
	l->image_start = KERNEL_PHYS_BASE;
	l->pt_base = p;
	l->pt_count = pt_count;
	p += (u64)pt_count * IGVM_PAGE_SIZE;
	l->stack_bottom = p;
	p += IGVM_BOOT_STACK_SIZE;
	l->stack_top = p;
	l->bootinfo = p;
	p += IGVM_PAGE_SIZE;
	l->percpu = p;
	p += IGVM_BSP_PERCPU_SIZE;
	l->param_general = p;
	p += IGVM_PAGE_SIZE;
	l->param_memmap = p;
	p += IGVM_PAGE_SIZE;
	l->param_madt = p;
	p += IGVM_PAGE_SIZE;
	if (archive_size) {
		l->archive = p;
		l->archive_size = archive_size;
		p += ALIGN_UP(archive_size, PAGE_SIZE);
	}
	l->image_end = p;
}

int igvm_layout_compute(const struct igvm_elf *elf, u64 archive_size, struct igvm_layout *l,
			struct igvm_pt *pt, struct igvm_err *e)
{
	u32 count = 1;

	if (archive_size > KERNEL_PHYS_MAX)
		return igvm_errf(e, "archive of %llu bytes cannot fit below 0x%llx",
				 (unsigned long long)archive_size, KERNEL_PHYS_MAX);
	for (int iter = 0; iter < 16; iter++) {
		igvm_layout_place(elf, archive_size, count, l);
		if (l->image_end > KERNEL_PHYS_MAX)
			return igvm_errf(e, "boot image ends at 0x%llx, above KERNEL_PHYS_MAX 0x%llx",
					 (unsigned long long)l->image_end, KERNEL_PHYS_MAX);
		if (igvm_pt_build(pt, elf, l, e) < 0)
			return -1;
		if (pt->count <= count)
			return 0; /* spare table pages, if any, stay zero */
		count = pt->count;
	}
	return igvm_errf(e, "page-table layout does not converge");
}

void igvm_layout_bootinfo(const struct igvm_layout *l, const struct igvm_build_cfg *cfg,
			  const u8 archive_sha256[32], u8 *page)
{
	u64 gdt[IGVM_GDT_ENTRIES] = { 0 };
	struct bootinfo bi;

	memset(&bi, 0, sizeof(bi));
	bi.magic = BOOTINFO_MAGIC;
	bi.version = BOOTINFO_VERSION;
	bi.size = sizeof(bi);
	bi.image_phys_start = l->image_start;
	bi.image_phys_end = l->image_end;
	bi.pml4_phys = l->pt_base;
	bi.trampoline_phys = TRAMPOLINE_PHYS;
	bi.param_general_gpa = l->param_general;
	bi.param_memmap_gpa = l->param_memmap;
	bi.param_memmap_size = IGVM_PAGE_SIZE;
	bi.param_madt_gpa = l->param_madt;
	bi.param_madt_size = IGVM_PAGE_SIZE;
	bi.archive_gpa = l->archive;
	bi.archive_size = l->archive_size;
	memcpy(bi.archive_sha256, archive_sha256, sizeof(bi.archive_sha256));
	bi.boot_stack_bottom_va = KERNEL_VBASE + l->stack_bottom;
	bi.boot_stack_top_va = KERNEL_VBASE + l->stack_top;
	bi.console_port = cfg->console_port;
	bi.flags = cfg->test_build ? BOOTINFO_F_TEST_BUILD : 0;
	bi.platforms = cfg->platforms;
	gdt[BOOT_GDT_CODE64 / 8] = IGVM_GDT_DESC_CODE64;
	gdt[BOOT_GDT_DATA / 8] = IGVM_GDT_DESC_DATA;
	memset(page, 0, IGVM_PAGE_SIZE);
	memcpy(page, &bi, sizeof(bi));
	memcpy(page + BOOTINFO_GDT_OFFSET, gdt, sizeof(gdt));
}
