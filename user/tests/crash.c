/*
 * /tests/crash MODE: ends with a fault the kernel must report (how =
 * COPRA_EXIT_FAULT, the faulting address, a reason), or a chosen exit.
 *   stack   unbounded recursion until the stack guard page
 *   code    writes to its own code (_start)
 *   data    jumps into its own data (no-execute)
 *   null    reads address 0
 *   ud      executes ud2 (invalid opcode)
 *   ro      writes to a page it mapped and then protected read-only
 *           (at CRASH_RO_ADDR)
 *   kernel  writes to a kernel address
 *   gp      reads a non-canonical address
 *   priv    executes hlt (privileged)
 *   div     divides by zero
 *   exit N  exits with code N
 *   hang    sleeps forever (for kill tests)
 * Each mode logs what it is about to do first. Unknown modes exit with 100.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <copra/runtime.h>
#include <copra/sys.h>

#define CRASH_RO_ADDR 0x5100000000ULL
#define CRASH_KERNEL_ADDR 0xffffffff80100000ULL
#define CRASH_NONCANONICAL 0x0000800000000000ULL
#define CRASH_BAD_MODE 100
#define CRASH_SURVIVED 101 /* the fault did not happen */

void _start(void);

/* A ret instruction in .data: executing it must fault. */
unsigned char crash_data_code[16] = { 0xc3 };

static void crash_say(const char *what, uint64_t addr)
{
	printf("crash: %s at 0x%llx\n", what, (unsigned long long)addr);
	fflush(stdout);
}

static void crash_note(const char *what)
{
	printf("crash: %s\n", what);
	fflush(stdout);
}

/* Never set: it only keeps the compiler from proving the recursion endless. */
volatile int crash_stop;

/* Not a tail call: the frame stays live across the recursive call. */
static __attribute__((noinline)) unsigned long crash_recurse(unsigned long depth)
{
	volatile char frame[256];

	if (crash_stop)
		return depth;
	frame[depth % sizeof(frame)] = (char)depth;
	return crash_recurse(depth + 1) + frame[(depth + 1) % sizeof(frame)];
}

static int crash_ro(void)
{
	long h = sys_mem_create(4096), addr;

	if (h < 0)
		return 102;
	addr = sys_mem_map((copra_handle_t)h, CRASH_RO_ADDR, COPRA_PROT_READ | COPRA_PROT_WRITE);
	if (addr != (long)CRASH_RO_ADDR)
		return 103;
	*(volatile uint64_t *)CRASH_RO_ADDR = 1; /* writable now */
	if (sys_mem_protect(CRASH_RO_ADDR, 4096, COPRA_PROT_READ) < 0)
		return 104;
	if (*(volatile uint64_t *)CRASH_RO_ADDR != 1) /* still readable */
		return 105;
	crash_say("write to read-only page", CRASH_RO_ADDR);
	*(volatile uint64_t *)CRASH_RO_ADDR = 2;
	return CRASH_SURVIVED;
}

static int crash_fault(const char *mode)
{
	if (strcmp(mode, "stack") == 0) {
		crash_say("stack overflow from", (uint64_t)(uintptr_t)__builtin_frame_address(0));
		return (int)crash_recurse(0);
	}
	if (strcmp(mode, "code") == 0) {
		crash_say("write to code", (uint64_t)(uintptr_t)_start);
		*(volatile unsigned char *)(uintptr_t)_start = 0xcc;
	} else if (strcmp(mode, "data") == 0) {
		crash_say("jump into data", (uint64_t)(uintptr_t)crash_data_code);
		((void (*)(void))(uintptr_t)crash_data_code)();
	} else if (strcmp(mode, "null") == 0) {
		crash_say("read", 0);
		return *(volatile int *)(uintptr_t)0;
	} else if (strcmp(mode, "ud") == 0) {
		crash_note("ud2");
		__builtin_trap();
	} else if (strcmp(mode, "ro") == 0) {
		return crash_ro();
	} else if (strcmp(mode, "kernel") == 0) {
		crash_say("write to kernel address", CRASH_KERNEL_ADDR);
		*(volatile uint64_t *)(uintptr_t)CRASH_KERNEL_ADDR = 0;
	} else if (strcmp(mode, "gp") == 0) {
		crash_say("read non-canonical address", CRASH_NONCANONICAL);
		return (int)*(volatile uint64_t *)(uintptr_t)CRASH_NONCANONICAL;
	} else if (strcmp(mode, "priv") == 0) {
		crash_note("hlt (privileged)");
		__asm__ volatile("hlt");
	} else if (strcmp(mode, "div") == 0) {
		unsigned int x = 1;

		crash_note("divide by zero");
		/* In assembly: the compiler may turn 1 / x into a comparison. */
		__asm__ volatile("xorl %%edx, %%edx\n\tdivl %1" : "+a"(x) : "r"(0u) : "rdx");
		return (int)x;
	} else {
		return CRASH_BAD_MODE;
	}
	return CRASH_SURVIVED;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		printf("usage: crash stack|code|data|null|ud|ro|kernel|gp|priv|div|hang|exit N\n");
		return CRASH_BAD_MODE;
	}
	if (strcmp(argv[1], "exit") == 0)
		return argc > 2 ? (int)strtol(argv[2], NULL, 0) : 0;
	if (strcmp(argv[1], "hang") == 0) {
		for (;;)
			(void)sys_sleep(3600ULL * 1000 * 1000 * 1000);
	}
	return crash_fault(argv[1]);
}
