/*
 * In-SVSM tests of kernel isolation (issue "Kernel isolation"): a second
 * address space cannot see the first one's per-task area or heap; text is
 * not writable, data not executable; user pages are out of reach without
 * the user-access gateway (SMAP) and never executable by the kernel (SMEP);
 * guard pages fault with a report naming the region.
 */
#include <arch/trap.h>
#include <arch/x86.h>
#include <copra/aspace.h>
#include <copra/errno.h>
#include <copra/memlayout.h>
#include <copra/mm.h>
#include <copra/pgtable.h>
#include <copra/pmm.h>
#include <copra/string.h>
#include <copra/task.h>
#include <copra/test.h>
#include <copra/tlb.h>

static void iso_read(void *p)
{
	(void)*(volatile u64 *)p;
}

static void iso_write(void *p)
{
	*(volatile u64 *)p = 0x42;
}

static void iso_exec(void *p)
{
	((void (*)(void))p)();
}

/* Runs fn(p) under the fault probe; returns the vector (~0 = no fault). */
static u64 iso_probe(void (*fn)(void *), void *p, u64 *addr)
{
	u64 vec, a;

	if (arch_probe_call(fn, p, &vec, &a) == 0)
		return ~0ULL;
	if (addr)
		*addr = a;
	return vec;
}

struct iso_peer {
	u64 a_addr;      /* an object in the first task's per-task heap */
	u64 a_frame;     /* the frame behind it */
	u64 fault_vec;   /* what the second task saw reading a_addr */
	u64 b_frame;     /* frame behind the second task's own object there */
	u64 b_stack;     /* frame behind the second task's kernel stack */
	bool b_alloc_ok;
};

static struct iso_peer iso_peer;

/* Runs as a second task, in its own address space. */
static void iso_second_task(void *arg)
{
	struct iso_peer *p = arg;
	struct pt_mapping m;
	u64 *pb;

	p->fault_vec = iso_probe(iso_read, (void *)(uintptr_t)p->a_addr, NULL);
	pb = heap_alloc(aspace_heap(), 64);
	p->b_alloc_ok = pb != NULL;
	if (pb && pgtable_query(PT_SELF, (u64)(uintptr_t)pb, &m) == 0)
		p->b_frame = spa_addr(m.pa);
	if (pgtable_query(PT_SELF, PERTASK_KSTACK_BOTTOM, &m) == 0)
		p->b_stack = spa_addr(m.pa);
	if (pb)
		heap_free(aspace_heap(), pb);
}

TEST(isolation, second_task_cannot_see_per_task_area)
{
	struct pt_mapping m;
	struct task *b;
	u64 *pa;

	pa = heap_alloc(aspace_heap(), 64);
	CHECK(t, pa != NULL);
	*pa = 0xAAAAAAAAAAAAAAAAULL;
	CHECK_EQ(t, pgtable_query(PT_SELF, (u64)(uintptr_t)pa, &m), 0);
	memset(&iso_peer, 0, sizeof(iso_peer));
	iso_peer.a_addr = (u64)(uintptr_t)pa;
	iso_peer.a_frame = spa_addr(m.pa);
	b = task_create_kernel("iso-peer", iso_second_task, &iso_peer, NULL);
	CHECK(t, b != NULL);
	task_join(b);
	task_put(b);
	/* The other task faulted on our heap object and got its own frames. */
	CHECK_EQ(t, iso_peer.fault_vec, VEC_PF);
	CHECK(t, iso_peer.b_alloc_ok);
	CHECK(t, iso_peer.b_frame != iso_peer.a_frame);
	CHECK_EQ(t, pgtable_query(PT_SELF, PERTASK_KSTACK_BOTTOM, &m), 0);
	CHECK(t, iso_peer.b_stack && iso_peer.b_stack != spa_addr(m.pa));
	CHECK_EQ(t, *pa, 0xAAAAAAAAAAAAAAAAULL);
	heap_free(aspace_heap(), pa);
}

extern char __text_start[], __rodata_start[];
static u8 iso_data_code[16] = { 0xc3 }; /* "ret", in a data page */

TEST(isolation, text_readonly_data_noexec)
{
	char why[96];
	u64 addr = 0, vec;
	void *text = (void *)(uintptr_t)((u64)(uintptr_t)__text_start + 0x40);

	vec = iso_probe(iso_write, text, &addr);
	CHECK_EQ(t, vec, VEC_PF);
	mm_describe_address(addr, PF_P | PF_W, why, sizeof(why));
	CHECK(t, strcmp(why, "write to kernel text") == 0);
	CHECK_EQ(t, iso_probe(iso_write, __rodata_start, NULL), VEC_PF);
	vec = iso_probe(iso_exec, iso_data_code, &addr);
	CHECK_EQ(t, vec, VEC_PF);
	CHECK_EQ(t, addr, (u64)(uintptr_t)iso_data_code);
	mm_describe_address(addr, PF_P | PF_I, why, sizeof(why));
	CHECK(t, strcmp(why, "execution of kernel data") == 0);
	/* Heap memory is no more executable than data. */
	{
		u8 *h = kmalloc(64);

		CHECK(t, h != NULL);
		h[0] = 0xc3;
		vec = iso_probe(iso_exec, h, NULL);
		kfree(h);
		CHECK_EQ(t, vec, VEC_PF);
	}
}

TEST(isolation, cpu_protections_enabled)
{
	u64 cr4 = read_cr4();

	CHECK(t, read_cr0() & X86_CR0_WP);
	CHECK(t, rdmsr(MSR_EFER) & EFER_NXE);
	CHECK(t, cr4 & X86_CR4_SMEP);
	CHECK(t, cr4 & X86_CR4_SMAP);
	CHECK(t, cr4 & X86_CR4_UMIP);
}

TEST(isolation, selfmap_is_supervisor_nx_and_foreign_slot_empty)
{
	pte_t e = pgtable_get_root_entry(PT_SELF, SLOT_SELFMAP);

	CHECK(t, e & PTE_P);
	CHECK(t, !(e & PTE_U));
	CHECK(t, e & PTE_NX);
	CHECK_EQ(t, e & PTE_ADDR, read_cr3() & PTE_ADDR);
	CHECK_EQ(t, pgtable_get_root_entry(PT_SELF, SLOT_FOREIGN), 0);
	CHECK_EQ(t, pgtable_get_root_entry(PT_SELF, SLOT_USER), 0);
}

TEST(isolation, user_pages_need_the_gateway)
{
	u64 va = 0x400000;
	spa_t f;
	struct pt_flush fl;
	u64 v = 0;
	u8 *p = (u8 *)(uintptr_t)va;

	CHECK_EQ(t, pmm_alloc_frame(&f), 0);
	CHECK_EQ(t, pgtable_slot_create(spa_init(read_cr3() & PTE_ADDR), SLOT_USER), 0);
	tlb_flush_local(&(struct pt_flush){ 0, ~0ULL, true, false });
	CHECK_EQ(t, pgtable_map(PT_SELF, va, f, 1, PROT_U | PROT_W | PROT_X), 0);
	/* SMAP: a plain kernel access to a user page faults. */
	CHECK_EQ(t, iso_probe(iso_read, p, NULL), VEC_PF);
	/* With access explicitly allowed (stac), the same read works. */
	stac();
	p[0] = 0xc3;
	v = p[0];
	clac();
	CHECK_EQ(t, v, 0xc3);
	/* SMEP: the kernel never executes a user page. */
	CHECK_EQ(t, iso_probe(iso_exec, p, NULL), VEC_PF);
	pt_flush_init(&fl);
	CHECK_EQ(t, pgtable_unmap(PT_SELF, va, 1, &fl), 0);
	tlb_flush(&fl);
	pmm_free_frame(f);
	pgtable_slot_destroy(PT_SELF, SLOT_USER);
	tlb_flush_local(&(struct pt_flush){ 0, ~0ULL, true, false });
}

TEST(isolation, guard_pages_fault_and_are_named)
{
	char why[128];
	u64 addr = 0;

	CHECK_EQ(t, iso_probe(iso_write, (void *)(uintptr_t)(PERTASK_KSTACK_BOTTOM - 8), &addr),
		 VEC_PF);
	mm_describe_address(addr, PF_W, why, sizeof(why));
	CHECK(t, strstr(why, "access to the guard page below the kernel stack of task ") == why);
	CHECK(t, strstr(why, "(main)") != NULL);
	CHECK_EQ(t, iso_probe(iso_write, (void *)(uintptr_t)(PERCPU_STACKS + 8), &addr), VEC_PF);
	mm_describe_address(addr, PF_W, why, sizeof(why));
	CHECK(t, strcmp(why, "access to the guard page below the #DF stack of cpu 0") == 0);
}
