/*
 * utest: resource exhaustion. Handles: open until -COPRA_ENOSPC, then close
 * them all. Memory: create objects until -COPRA_ENOMEM (64 MiB, then 1 MiB,
 * then 4 KiB steps), then free everything and check the memory came back.
 * Failures here must be clean errors, never a dead kernel or process.
 */
#include <stdio.h>

#include "utest.h"

#define LIMIT_STEPS 3

static copra_handle_t limit_handles[COPRA_HANDLES_MAX];

static void limit_close_all(unsigned int n)
{
	while (n > 0)
		(void)sys_close(limit_handles[--n]);
}

UTEST(limits, exhaust_handles)
{
	unsigned int n = 0, before = ut_handle_count();
	long h = 0;

	while (n < COPRA_HANDLES_MAX) {
		h = sys_dup(COPRA_HANDLE_LOG);
		if (h < 0)
			break;
		limit_handles[n++] = (copra_handle_t)h;
	}
	if (h != -COPRA_ENOSPC) {
		limit_close_all(n);
		utest_fail(t, __FILE__, __LINE__, "dup after %u handles -> %ld (%s), want ENOSPC", n,
			   h, copra_errname(h));
		return;
	}
	UCHECK_EQ(t, n + before, COPRA_HANDLES_MAX);
	/* Full table: every call that makes a handle says so. */
	UCHECK_ERR(t, sys_event_create(), ENOSPC);
	UCHECK_ERR(t, copra_open("/etc/init.conf", COPRA_O_READ), ENOSPC);
	UCHECK_ERR(t, sys_mem_create(4096), ENOSPC);
	limit_close_all(n);
	UCHECK_EQ(t, ut_handle_count(), before);
	UCHECK_OK(t, h, sys_event_create());
	UCHECK_EQ(t, sys_close((copra_handle_t)h), 0);
}

/* Channel creation needs two handles: with one free it must fail cleanly. */
UTEST(limits, channel_needs_two_handles)
{
	unsigned int n = 0, before = ut_handle_count();
	copra_handle_t e[2] = { COPRA_HANDLE_INVALID, COPRA_HANDLE_INVALID };
	long ret;

	while (n + before < COPRA_HANDLES_MAX - 1) {
		long h = sys_dup(COPRA_HANDLE_LOG);

		if (h < 0)
			break;
		limit_handles[n++] = (copra_handle_t)h;
	}
	ret = sys_channel_create(e);
	limit_close_all(n);
	UCHECK_ERR(t, ret, ENOSPC);
	UCHECK_EQ(t, ut_handle_count(), before);
}

/* Creates objects of size bytes until one fails; returns the error. */
static long limit_fill(uint64_t size, unsigned int *n)
{
	while (*n < COPRA_HANDLES_MAX) {
		long h = sys_mem_create(size);

		if (h < 0)
			return h;
		limit_handles[(*n)++] = (copra_handle_t)h;
	}
	return 0;
}

UTEST(limits, exhaust_memory)
{
	static const uint64_t steps[LIMIT_STEPS] = { 64ULL << 20, 1ULL << 20, 4096 };
	unsigned int n = 0, i, before = ut_handle_count();
	bool saw_enomem = false;
	long h;

	for (i = 0; i < LIMIT_STEPS; i++) {
		long ret = limit_fill(steps[i], &n);

		if (ret == -COPRA_ENOMEM)
			saw_enomem = true;
		else if (ret != -COPRA_ENOSPC) {
			limit_close_all(n);
			utest_fail(t, __FILE__, __LINE__, "mem_create(%llu) -> %ld (%s)",
				   (unsigned long long)steps[i], ret, copra_errname(ret));
			return;
		}
	}
	printf("utest: %u memory objects before the limit\n", n);
	limit_close_all(n);
	UCHECK(t, saw_enomem);
	/* All of it came back: one large object fits again. */
	UCHECK_OK(t, h, sys_mem_create(1ULL << 20));
	UCHECK_EQ(t, sys_close((copra_handle_t)h), 0);
	UCHECK_EQ(t, ut_handle_count(), before);
}
