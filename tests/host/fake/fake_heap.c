/*
 * Host stand-in for the global kernel heap (kernel/mm/heap.c): kmalloc,
 * kzalloc and kfree on top of calloc/free, with a count of live blocks for
 * leak checks and failure injection for out-of-memory tests.
 */
#include <stdlib.h>
#include <string.h>

#include <copra/heap.h>

/* Test hooks (declared again by the tests that use them). */
void fake_heap_fail_after(long n);
long fake_heap_live(void);

static long fake_heap_blocks;    /* live allocations */
static long fake_heap_countdown = -1; /* allocations left before failing; -1: never */

/* The next n allocations succeed, then every one fails until reset with -1. */
void fake_heap_fail_after(long n)
{
	fake_heap_countdown = n;
}

long fake_heap_live(void)
{
	return fake_heap_blocks;
}

static bool fake_heap_may_allocate(void)
{
	if (fake_heap_countdown == 0)
		return false;
	if (fake_heap_countdown > 0)
		fake_heap_countdown--;
	return true;
}

void *kzalloc(size_t size)
{
	void *p = fake_heap_may_allocate() ? calloc(1, size ? size : 1) : NULL;

	if (p)
		fake_heap_blocks++;
	return p;
}

/* Not zeroed: filled with garbage, as reused heap memory would be. */
void *kmalloc(size_t size)
{
	void *p = fake_heap_may_allocate() ? malloc(size ? size : 1) : NULL;

	if (p) {
		memset(p, 0xA5, size);
		fake_heap_blocks++;
	}
	return p;
}

void kfree(void *p)
{
	if (!p)
		return;
	fake_heap_blocks--;
	free(p);
}
