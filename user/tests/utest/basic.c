/*
 * utest: calls without objects (unknown numbers, log, yield, sleep, clock,
 * random, proc_id) and the handle calls (handle_info, dup, close).
 */
#include <string.h>
#include <unistd.h>

#include "utest.h"

UTEST(sys, unknown_numbers_enosys)
{
	static const long nrs[] = { 9, 19, 23, 29, 35, 44, 49, SYS_COUNT, 1000, 0x7fffffff,
				    0x100000000L, -1L };
	unsigned int i;

	for (i = 0; i < sizeof(nrs) / sizeof(nrs[0]); i++)
		UCHECK_ERR(t, copra_syscall6(nrs[i], 1, 2, 3, 4, 5, 6), ENOSYS);
}

/*
 * RCX and R11 may change; every other register must survive a call. The
 * block saves the callee-saved registers itself, stays below the red zone,
 * loads a known value into each register, calls SYS_yield and stores them.
 */
UTEST(sys, registers_preserved)
{
	static const char *const names[] = { "rbx", "rbp", "rdi", "rsi", "rdx", "r8",
					     "r9",  "r10", "r12", "r13", "r14", "r15" };
	unsigned long vals[13];
	unsigned int i;

	__asm__ volatile("subq $128, %%rsp\n\t"
			 "pushq %[out]\n\t"
			 "pushq %%rbx\n\tpushq %%rbp\n\tpushq %%r12\n\t"
			 "pushq %%r13\n\tpushq %%r14\n\tpushq %%r15\n\t"
			 "movq $0x1001, %%rbx\n\tmovq $0x1002, %%rbp\n\tmovq $0x1003, %%rdi\n\t"
			 "movq $0x1004, %%rsi\n\tmovq $0x1005, %%rdx\n\tmovq $0x1006, %%r8\n\t"
			 "movq $0x1007, %%r9\n\tmovq $0x1008, %%r10\n\tmovq $0x1009, %%r12\n\t"
			 "movq $0x100a, %%r13\n\tmovq $0x100b, %%r14\n\tmovq $0x100c, %%r15\n\t"
			 "movl %[nr], %%eax\n\t"
			 "syscall\n\t"
			 "movq 48(%%rsp), %%rcx\n\t"
			 "movq %%rbx, 0(%%rcx)\n\tmovq %%rbp, 8(%%rcx)\n\tmovq %%rdi, 16(%%rcx)\n\t"
			 "movq %%rsi, 24(%%rcx)\n\tmovq %%rdx, 32(%%rcx)\n\tmovq %%r8, 40(%%rcx)\n\t"
			 "movq %%r9, 48(%%rcx)\n\tmovq %%r10, 56(%%rcx)\n\tmovq %%r12, 64(%%rcx)\n\t"
			 "movq %%r13, 72(%%rcx)\n\tmovq %%r14, 80(%%rcx)\n\tmovq %%r15, 88(%%rcx)\n\t"
			 "movq %%rax, 96(%%rcx)\n\t"
			 "popq %%r15\n\tpopq %%r14\n\tpopq %%r13\n\t"
			 "popq %%r12\n\tpopq %%rbp\n\tpopq %%rbx\n\t"
			 "addq $136, %%rsp"
			 :
			 : [out] "r"(vals), [nr] "i"(SYS_yield)
			 : "rax", "rcx", "rdx", "rsi", "rdi", "r8", "r9", "r10", "r11", "memory");
	UCHECK_EQ(t, vals[12], 0);
	for (i = 0; i < 12; i++) {
		if (vals[i] != 0x1001 + i)
			utest_fail(t, __FILE__, __LINE__, "%s changed: 0x%lx", names[i], vals[i]);
	}
}

UTEST(sys, log)
{
	static const char msg[] = "utest: a line written with SYS_log\n";

	UCHECK_EQ(t, sys_log(msg, sizeof(msg) - 1), sizeof(msg) - 1);
	UCHECK_EQ(t, sys_log(NULL, 0), 0);
	UCHECK_EQ(t, sys_write(COPRA_HANDLE_LOG, msg, sizeof(msg) - 1), sizeof(msg) - 1);
}

UTEST(sys, yield)
{
	long r;

	UCHECK_OK(t, r, sys_yield());
	UCHECK_EQ(t, r, 0);
}

UTEST(sys, clock_monotonic)
{
	long a, b;

	UCHECK_OK(t, a, sys_clock());
	UCHECK_OK(t, b, sys_clock());
	UCHECK(t, b >= a);
}

UTEST(sys, sleep_waits)
{
	long start, end;

	UCHECK_OK(t, start, sys_clock());
	UCHECK_EQ(t, sys_sleep(5 * UT_MS), 0);
	UCHECK_OK(t, end, sys_clock());
	UCHECK(t, (uint64_t)(end - start) >= 5 * UT_MS);
	UCHECK_EQ(t, sys_sleep(0), 0);
}

UTEST(sys, random)
{
	unsigned char a[64], b[64], big[4096];

	memset(a, 0, sizeof(a));
	memset(b, 0, sizeof(b));
	UCHECK_EQ(t, sys_random(a, sizeof(a)), sizeof(a));
	UCHECK_EQ(t, sys_random(b, sizeof(b)), sizeof(b));
	UCHECK(t, memcmp(a, b, sizeof(a)) != 0);
	UCHECK_EQ(t, sys_random(big, sizeof(big)), sizeof(big));
	UCHECK_EQ(t, sys_random(NULL, 0), 0);
	UCHECK_ERR(t, sys_random(big, sizeof(big) + 1), ETOOBIG);
}

UTEST(sys, getentropy_and_auxv)
{
	const struct copra_startinfo *si = copra_startinfo();
	unsigned char buf[32];

	UCHECK_EQ(t, getentropy(buf, sizeof(buf)), 0);
	UCHECK(t, si->argc >= 1 && si->argv[si->argc] == NULL);
	UCHECK_EQ(t, si->pagesz, 4096);
	UCHECK(t, si->random != NULL);
	UCHECK(t, si->entry >= 0x400000 && si->phdr >= 0x400000 && si->phnum > 0);
}

UTEST(sys, proc_id_self)
{
	long a, b;

	UCHECK_OK(t, a, sys_proc_id(COPRA_HANDLE_INVALID));
	UCHECK_OK(t, b, sys_proc_id(COPRA_HANDLE_INVALID));
	UCHECK(t, a > 0 && a == b);
}

UTEST(handle, log_is_handle_0)
{
	struct copra_handle_info info;

	UCHECK_EQ(t, sys_handle_info(COPRA_HANDLE_LOG, &info), 0);
	UCHECK_EQ(t, info.type, COPRA_OBJ_LOG);
}

UTEST(handle, invalid_handles)
{
	struct copra_handle_info info;

	UCHECK_ERR(t, sys_handle_info(COPRA_HANDLE_INVALID, &info), EBADH);
	UCHECK_ERR(t, sys_handle_info(COPRA_HANDLES_MAX, &info), EBADH);
	UCHECK_ERR(t, sys_handle_info(COPRA_HANDLES_MAX - 1, &info), EBADH);
	UCHECK_ERR(t, sys_close(COPRA_HANDLE_INVALID), EBADH);
	UCHECK_ERR(t, sys_close(COPRA_HANDLES_MAX + 7), EBADH);
	UCHECK_ERR(t, sys_dup(COPRA_HANDLE_INVALID), EBADH);
	UCHECK_ERR(t, copra_syscall2(SYS_handle_info, 0x100000000L, (long)&info), EBADH);
}

UTEST(handle, dup_shares_object)
{
	struct copra_handle_info a, b;
	long ev, d;

	UCHECK_OK(t, ev, sys_event_create());
	UCHECK_OK(t, d, sys_dup((copra_handle_t)ev));
	UCHECK(t, d != ev);
	UCHECK_EQ(t, sys_handle_info((copra_handle_t)ev, &a), 0);
	UCHECK_EQ(t, sys_handle_info((copra_handle_t)d, &b), 0);
	UCHECK_EQ(t, a.type, COPRA_OBJ_EVENT);
	UCHECK_EQ(t, a.id, b.id);
	/* Signal through one handle, consume through the other. */
	UCHECK_EQ(t, sys_event_signal((copra_handle_t)ev), 0);
	UCHECK_EQ(t, sys_close((copra_handle_t)ev), 0);
	UCHECK_EQ(t, sys_event_wait((copra_handle_t)d, 0), 0);
	UCHECK_EQ(t, sys_close((copra_handle_t)d), 0);
}

UTEST(handle, closed_handle_rejected)
{
	long ev;

	UCHECK_OK(t, ev, sys_event_create());
	UCHECK_EQ(t, sys_close((copra_handle_t)ev), 0);
	UCHECK_ERR(t, sys_close((copra_handle_t)ev), EBADH);
	UCHECK_ERR(t, sys_event_signal((copra_handle_t)ev), EBADH);
	UCHECK_ERR(t, sys_read((copra_handle_t)ev, NULL, 0), EBADH);
}

UTEST(handle, lowest_free_number)
{
	long a, b, c;

	UCHECK_OK(t, a, sys_event_create());
	UCHECK_OK(t, b, sys_event_create());
	UCHECK(t, b > a);
	UCHECK_EQ(t, sys_close((copra_handle_t)a), 0);
	UCHECK_OK(t, c, sys_event_create());
	UCHECK_EQ(t, c, a);
	UCHECK_EQ(t, sys_close((copra_handle_t)b), 0);
	UCHECK_EQ(t, sys_close((copra_handle_t)c), 0);
}
