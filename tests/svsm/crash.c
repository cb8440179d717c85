/*
 * Deliberate faults for the end-to-end fault-report test (test images only,
 * selected with copra.crash=<kind> on the host command line). Each kind
 * must end in a panic whose report names the region.
 */
#include <arch/cpu.h>
#include <copra/log.h>
#include <copra/memlayout.h>
#include <copra/mm.h>
#include <copra/string.h>

void svsm_crash_run(const char *kind);

extern char __text_start[];
static u8 crash_data[16] = { 0xc3 };
static volatile u64 *volatile crash_null = (volatile u64 *)8;

/* Recursion with a large frame: overflows whatever stack it runs on. */
static volatile int crash_depth_limit = 1 << 30;

static __attribute__((noinline)) u64 crash_recurse(volatile u8 *prev, int depth)
{
	volatile u8 frame[512];

	frame[0] = prev ? prev[0] + 1 : 1;
	if (depth >= crash_depth_limit)
		return frame[0];
	return crash_recurse(frame, depth + 1) + frame[0];
}

static void crash_on_stack(void *arg)
{
	(void)arg;
	crash_recurse(NULL, 0);
}

void svsm_crash_run(const char *kind)
{
	log_info("deliberate fault: %s", kind);
	if (strcmp(kind, "text-write") == 0)
		*(volatile u64 *)(uintptr_t)((u64)(uintptr_t)__text_start + 0x40) = 0;
	else if (strcmp(kind, "exec-data") == 0)
		((void (*)(void))(uintptr_t)crash_data)();
	else if (strcmp(kind, "null-read") == 0)
		(void)*crash_null;
	else if (strcmp(kind, "boot-stack-overflow") == 0)
		arch_call_on_stack(crash_on_stack, NULL, mm_boot_stack_top());
	else if (strcmp(kind, "task-stack-overflow") == 0)
		crash_recurse(NULL, 0); /* tests run in the "main" kernel thread */
	log_err("unknown or harmless crash kind '%s'", kind);
}
