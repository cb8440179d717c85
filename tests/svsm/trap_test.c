/*
 * In-SVSM tests of exception delivery: exception-table fixups for a faulting
 * read and for #UD/#BP, and the fault probe used by the isolation tests.
 */
#include <arch/trap.h>
#include <copra/errno.h>
#include <copra/memlayout.h>
#include <copra/test.h>

TEST(trap, faulting_read_is_fixed_up)
{
	u64 before = trap_counts[VEC_PF], v = 0x5a5a;
	const void *unmapped = (const void *)(uintptr_t)(GLOBAL_MAP_BASE + GLOBAL_MAP_SIZE - PAGE_SIZE);

	CHECK_EQ(t, arch_safe_read_u64(unmapped, &v), -E_FAULT);
	CHECK_EQ(t, v, 0x5a5a);
	CHECK_EQ(t, trap_counts[VEC_PF], before + 1);
	/* A mapped address reads normally through the same path. */
	CHECK_EQ(t, arch_safe_read_u64(&before, &v), 0);
	CHECK_EQ(t, v, before);
}

static int trap_test_ud(void)
{
	int r = 0;

	__asm__ volatile("1: ud2\n\t"
			 "movl $1, %0\n\t"
			 "2:\n\t"
			 ".pushsection .extable, \"a\"\n\t"
			 ".quad 1b, 2b\n\t"
			 ".popsection"
			 : "+r"(r) : : "memory");
	return r;
}

TEST(trap, invalid_opcode_and_breakpoint_delivered)
{
	u64 ud = trap_counts[VEC_UD], bp = trap_counts[VEC_BP];

	CHECK_EQ(t, trap_test_ud(), 0); /* the fixup skipped the movl */
	CHECK_EQ(t, trap_counts[VEC_UD], ud + 1);
	__asm__ volatile("1: int3\n\t"
			 "2:\n\t"
			 ".pushsection .extable, \"a\"\n\t"
			 ".quad 2b, 2b\n\t"
			 ".popsection" : : : "memory");
	CHECK_EQ(t, trap_counts[VEC_BP], bp + 1);
}

static void trap_test_write(void *addr)
{
	*(volatile u64 *)addr = 1;
}

TEST(trap, probe_recovers_from_page_fault)
{
	u64 vec = 0, addr = 0;
	u64 target = GLOBAL_MAP_BASE + GLOBAL_MAP_SIZE - 2 * PAGE_SIZE;

	CHECK_EQ(t, arch_probe_call(trap_test_write, (void *)(uintptr_t)target, &vec, &addr),
		 -E_FAULT);
	CHECK_EQ(t, vec, VEC_PF);
	CHECK_EQ(t, addr, target);
	CHECK_EQ(t, arch_probe_call(trap_test_write, &vec, &vec, &addr), 0);
}
