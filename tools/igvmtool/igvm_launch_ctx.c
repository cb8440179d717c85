/*
 * What the start stub needs from the native VP context: 64-bit long mode,
 * CR3 below 4 GiB (it is loaded from 32-bit code), ring-0 GDT selectors whose
 * descriptors in the loaded image match the context's segment attributes
 * (the stub loads segments from that GDT), and an identity-mapped executable
 * page below 640 KiB for the stub itself that the image neither loads nor
 * declares as required memory.
 */
#include <string.h>

#include "igvm_launch.h"

#define IGVM_CR0_PE (1ULL << 0)
#define IGVM_CR0_PG (1ULL << 31)
#define IGVM_CR4_PAE (1ULL << 5)
#define IGVM_CR4_SMEP (1ULL << 20)
#define IGVM_EFER_LME (1ULL << 8)
#define IGVM_EFER_NXE (1ULL << 11)
#define IGVM_STUB_LOW 0x1000ULL

/* Reads n bytes at virtual address va through the context's page tables. */
static bool igvm_launch_read_va(const struct igvm_launch *l, u64 va, u8 *buf, size_t n)
{
	const struct igvm_native_vp_context_x64 *c = &l->ctx;

	while (n) {
		size_t off = va & (IGVM_PAGE_SIZE - 1), chunk = MIN(n, IGVM_PAGE_SIZE - off);
		const struct igvm_page_ref *p;
		struct igvm_walk w;

		if (!igvm_pt_walk(&l->load, c->cr3, va, c->efer & IGVM_EFER_NXE, &w))
			return false;
		p = igvm_memview_find(&l->load, w.pa);
		if (p && p->data)
			memcpy(buf, p->data + off, chunk);
		else
			memset(buf, 0, chunk);
		buf += chunk;
		va += chunk;
		n -= chunk;
	}
	return true;
}

static int igvm_launch_check_desc(const struct igvm_launch *l, const char *name, u16 sel,
				  u16 attr, struct igvm_err *e)
{
	const struct igvm_native_vp_context_x64 *c = &l->ctx;
	u64 desc;
	u16 got;

	if (sel == 0 || (sel & 7))
		return igvm_errf(e, "launch: %s selector 0x%x is not a ring-0 GDT selector", name,
				 sel);
	if ((u32)sel + 7 > c->gdtr_limit)
		return igvm_errf(e, "launch: %s selector 0x%x is beyond the GDT limit 0x%x", name,
				 sel, c->gdtr_limit);
	if (!igvm_launch_read_va(l, c->gdtr_base + sel, (u8 *)&desc, sizeof(desc)))
		return igvm_errf(e, "launch: the GDT at 0x%llx is not mapped by the VP context's "
				 "page tables", (unsigned long long)c->gdtr_base);
	got = (u16)(((desc >> 40) & 0xFF) | (((desc >> 52) & 0xF) << 12));
	if (got != attr)
		return igvm_errf(e, "launch: GDT entry 0x%x is 0x%016llx (attributes 0x%x), the VP "
				 "context's %s attributes are 0x%x", sel, (unsigned long long)desc,
				 got, name, attr);
	return 0;
}

int igvm_launch_check_context(const struct igvm_launch *l, struct igvm_err *e)
{
	const struct igvm_native_vp_context_x64 *c = &l->ctx;

	if ((c->cr0 & (IGVM_CR0_PG | IGVM_CR0_PE)) != (IGVM_CR0_PG | IGVM_CR0_PE) ||
	    !(c->efer & IGVM_EFER_LME) || !(c->cr4 & IGVM_CR4_PAE) ||
	    !(c->code_attributes & IGVM_SEG_ATTR_L))
		return igvm_errf(e, "launch: the native VP context is not 64-bit long mode (cr0 "
				 "0x%llx cr4 0x%llx efer 0x%llx cs attributes 0x%x)",
				 (unsigned long long)c->cr0, (unsigned long long)c->cr4,
				 (unsigned long long)c->efer, c->code_attributes);
	if (c->cr3 >> 32 || c->cr0 >> 32)
		return igvm_errf(e, "launch: CR3 0x%llx / CR0 0x%llx do not fit 32 bits",
				 (unsigned long long)c->cr3, (unsigned long long)c->cr0);
	if (igvm_launch_check_desc(l, "code", c->code_selector, c->code_attributes, e) < 0 ||
	    igvm_launch_check_desc(l, "data", c->data_selector, c->data_attributes, e) < 0)
		return -1;
	return 0;
}

/* True when gpa is inside a REQUIRED_MEMORY range of the platform. */
static bool igvm_launch_required(const struct igvm_launch *l, u64 gpa)
{
	for (u32 i = 0; i < l->m->dir_count; i++) {
		const struct igvm_dir *d = &l->m->dirs[i];

		if (d->type == IGVM_VHT_REQUIRED_MEMORY && (d->mask & l->mask) && gpa >= d->gpa &&
		    gpa - d->gpa < d->size)
			return true;
	}
	return false;
}

int igvm_launch_find_stub(struct igvm_launch *l, struct igvm_err *e)
{
	const struct igvm_native_vp_context_x64 *c = &l->ctx;
	bool nxe = c->efer & IGVM_EFER_NXE;

	for (u64 p = IGVM_STUB_LOW; p < IGVM_LOW_RAM_TOP && p < l->ram.below_4g;
	     p += IGVM_PAGE_SIZE) {
		struct igvm_walk w;

		if (igvm_memview_find(&l->load, p) || igvm_launch_required(l, p) ||
		    !igvm_pt_walk(&l->load, c->cr3, p, nxe, &w))
			continue;
		if (w.pa != p || !w.executable || (w.user && (c->cr4 & IGVM_CR4_SMEP)))
			continue;
		l->stub_gpa = p;
		return 0;
	}
	return igvm_errf(e, "launch: the VP context's page tables map no free page in "
			 "[0x1000, 0xa0000) identity and executable (needed for the start stub)");
}
