/*
 * The native platform of `igvmtool build`: its SUPPORTED_PLATFORM header and
 * its BSP start state, an IGVM native VP context that enters the kernel in
 * 64-bit mode exactly as include/abi/boot.h's "Kernel entry" describes.
 * SNP (VMSA, C-bit, secrets/CPUID pages) and TDX (stage-1 page) go into
 * sibling files with the same shape.
 */
#include <string.h>

#include "igvm_build.h"

#define IGVM_CR0_BOOT 0x80010033ULL   /* PG | WP | NE | ET | MP | PE */
#define IGVM_CR4_BOOT 0x20ULL         /* PAE */
#define IGVM_EFER_BOOT 0xD00ULL       /* NXE | LMA | LME */
#define IGVM_RFLAGS_BOOT 0x2ULL       /* reserved bit 1 only: interrupts off */
#define IGVM_CODE64_ATTR 0xA09Bu      /* G, L, P, DPL0, code RX accessed */
#define IGVM_DATA_ATTR 0xC093u        /* G, D/B, P, DPL0, data RW accessed */

int igvm_native_add_platform(struct igvm_model *m)
{
	struct igvm_platform *p;

	if (m->plat_count == IGVM_MAX_PLATFORMS)
		return -1;
	p = &m->plat[m->plat_count++];
	memset(p, 0, sizeof(*p));
	p->mask = BOOT_MASK_NATIVE;
	p->type = IGVM_PLATFORM_NATIVE;
	p->highest_vtl = 0;
	p->version = 1;
	p->shared_gpa_boundary = 0;
	return 0;
}

void igvm_native_context(const struct igvm_layout *l, u64 entry,
			 struct igvm_native_vp_context_x64 *c)
{
	memset(c, 0, sizeof(*c));
	c->rip = entry;
	c->rsp = KERNEL_VBASE + l->stack_top;
	c->rdi = KERNEL_VBASE + l->bootinfo;
	c->rsi = BOOT_PLATFORM_NATIVE;
	c->rflags = IGVM_RFLAGS_BOOT;
	c->cr0 = IGVM_CR0_BOOT;
	c->cr3 = l->pt_base;
	c->cr4 = IGVM_CR4_BOOT;
	c->efer = IGVM_EFER_BOOT;
	c->gdtr_base = KERNEL_VBASE + l->bootinfo + BOOTINFO_GDT_OFFSET;
	c->gdtr_limit = 3 * 8 - 1;
	c->idtr_base = 0;
	c->idtr_limit = 0;
	c->code_selector = BOOT_GDT_CODE64;
	c->code_attributes = IGVM_CODE64_ATTR;
	c->code_base = 0;
	c->code_limit = 0xFFFFFFFFu;
	c->data_selector = BOOT_GDT_DATA;
	c->data_attributes = IGVM_DATA_ATTR;
	c->data_base = 0;
	c->data_limit = 0xFFFFFFFFu;
}
