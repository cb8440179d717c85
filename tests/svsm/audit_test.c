/*
 * In-SVSM audit of the live page tables, self-map included: every present
 * leaf lies in a designed region of its part, nothing is writable and
 * executable, and only kernel text is executable.
 */
#include <abi/boot.h>
#include <copra/memlayout.h>
#include <copra/pgtable.h>
#include <copra/test.h>

extern char __text_start[], __text_end[], __kernel_start[];

struct audit {
	unsigned leaves, bad_region, wx, bad_exec, user, selfmap;
	u64 first_bad;
};

static bool audit_in(u64 va, u64 size, u64 start, u64 end)
{
	return va >= start && va + size <= end;
}

static bool audit_designed(u64 va, u64 size)
{
	/* Kernel image area: image, boot stack, boot information (igvmtool). */
	if (audit_in(va, size, (u64)(uintptr_t)__kernel_start, KERNEL_VBASE + KERNEL_PHYS_MAX))
		return true;
	return audit_in(va, size, GLOBAL_HEAP_BASE, GLOBAL_HEAP_BASE + GLOBAL_HEAP_SIZE) ||
	       audit_in(va, size, GLOBAL_MAP_BASE, GLOBAL_MAP_BASE + GLOBAL_MAP_SIZE) ||
	       audit_in(va, size, PERCPU_DATA, PERCPU_DATA + PERCPU_DATA_SIZE) ||
	       audit_in(va, size, PERCPU_STACKS, PERCPU_STACKS + 3 * PERCPU_STACK_STRIDE) ||
	       audit_in(va, size, PERCPU_TEMP_BASE, PERCPU_TEMP_BASE + PERCPU_TEMP_SLOTS * PAGE_SIZE) ||
	       audit_in(va, size, PERCPU_HEAP_BASE, PERCPU_HEAP_BASE + PERCPU_HEAP_SIZE) ||
	       audit_in(va, size, PERTASK_KSTACK_BOTTOM, PERTASK_KSTACK_TOP) ||
	       audit_in(va, size, PERTASK_HEAP_BASE, PERTASK_HEAP_BASE + PERTASK_HEAP_SIZE) ||
	       audit_in(va, size, PERTASK_MAP_BASE, PERTASK_MAP_BASE + PERTASK_MAP_SIZE);
}

static void audit_leaf(void *arg, u64 va, const struct pt_mapping *m, int level)
{
	struct audit *a = arg;

	a->leaves++;
	if (level == 4) {
		/* The self-map: supervisor only, never executable. */
		a->selfmap++;
		if (va != SLOT_VA(SLOT_SELFMAP) || (m->prot & (PROT_U | PROT_X)))
			a->bad_region++;
		return;
	}
	if ((m->prot & PROT_W) && (m->prot & PROT_X))
		a->wx++;
	/* The text segment is page aligned; its last page may end past __text_end. */
	if ((m->prot & PROT_X) &&
	    !audit_in(va, m->size, (u64)(uintptr_t)__text_start,
		      ALIGN_UP((u64)(uintptr_t)__text_end, PAGE_SIZE)))
		a->bad_exec++;
	if (m->prot & PROT_U)
		a->user++;
	if (!audit_designed(va, m->size)) {
		if (!a->bad_region)
			a->first_bad = va;
		a->bad_region++;
	}
}

TEST(isolation, live_tables_audit)
{
	struct audit a = { 0, 0, 0, 0, 0, 0, 0 };

	pgtable_walk(PT_SELF, 0, ~0ULL, audit_leaf, &a);
	CHECK(t, a.leaves > 100);
	CHECK_EQ(t, a.selfmap, 1);
	CHECK_EQ(t, a.wx, 0);
	CHECK_EQ(t, a.bad_exec, 0);
	CHECK_EQ(t, a.user, 0);
	if (a.bad_region)
		test_fail(t, __FILE__, __LINE__, "%u leaves outside the designed regions (first 0x%llx)",
			  a.bad_region, (unsigned long long)a.first_bad);
}
