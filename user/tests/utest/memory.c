/*
 * utest: memory objects (create, map anywhere and at a fixed address,
 * protect, unmap), W+X refusal, argument errors, a write to a page made
 * read-only faulting (in a child: /tests/crash ro), and the heap.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <copra/memlayout.h>

#include "utest.h"

#define RW (COPRA_PROT_READ | COPRA_PROT_WRITE)
#define RX (COPRA_PROT_READ | COPRA_PROT_EXEC)
#define WX (COPRA_PROT_WRITE | COPRA_PROT_EXEC)
#define MEM_FIXED 0x5000000000ULL
#define MEM_RO_ADDR 0x5100000000ULL /* /tests/crash ro */

UTEST(mem, create_map_anywhere)
{
	struct copra_handle_info info;
	volatile uint8_t *p;
	long h, va;

	UCHECK_OK(t, h, sys_mem_create(2 * 4096));
	UCHECK_EQ(t, sys_handle_info((copra_handle_t)h, &info), 0);
	UCHECK_EQ(t, info.type, COPRA_OBJ_MEMORY);
	UCHECK_OK(t, va, sys_mem_map((copra_handle_t)h, 0, RW));
	UCHECK(t, va >= 0x1000 && (uint64_t)va < USER_TOP && (va & 4095) == 0);
	p = UT_PTR(va);
	UCHECK_EQ(t, p[0], 0); /* zero-filled */
	UCHECK_EQ(t, p[8191], 0);
	p[0] = 1;
	p[8191] = 2;
	UCHECK_EQ(t, p[0] + p[8191], 3);
	UCHECK_EQ(t, sys_mem_unmap((uint64_t)va, 8192), 0);
	UCHECK_EQ(t, sys_close((copra_handle_t)h), 0);
}

UTEST(mem, map_fixed_and_overlap)
{
	long h, va;

	UCHECK_OK(t, h, sys_mem_create(4096));
	UCHECK_OK(t, va, sys_mem_map((copra_handle_t)h, MEM_FIXED, RW));
	UCHECK_EQ(t, va, MEM_FIXED);
	*(volatile uint64_t *)UT_PTR(MEM_FIXED) = 7;
	UCHECK_ERR(t, sys_mem_map((copra_handle_t)h, MEM_FIXED, RW), EEXIST);
	UCHECK_ERR(t, sys_mem_map((copra_handle_t)h, 0x400000, COPRA_PROT_READ), EEXIST);
	UCHECK_EQ(t, sys_mem_unmap(MEM_FIXED, 4096), 0);
	/* Unmapped: the same address can be mapped again, same contents. */
	UCHECK_EQ(t, sys_mem_map((copra_handle_t)h, MEM_FIXED, COPRA_PROT_READ), MEM_FIXED);
	UCHECK_EQ(t, *(volatile uint64_t *)UT_PTR(MEM_FIXED), 7);
	UCHECK_EQ(t, sys_mem_unmap(MEM_FIXED, 4096), 0);
	UCHECK_EQ(t, sys_close((copra_handle_t)h), 0);
}

UTEST(mem, mapping_outlives_handle)
{
	long h, va;

	UCHECK_OK(t, h, sys_mem_create(4096));
	UCHECK_OK(t, va, sys_mem_map((copra_handle_t)h, 0, RW));
	UCHECK_EQ(t, sys_close((copra_handle_t)h), 0);
	*(volatile uint32_t *)UT_PTR(va) = 0xabcd;
	UCHECK_EQ(t, *(volatile uint32_t *)UT_PTR(va), 0xabcd);
	UCHECK_EQ(t, sys_mem_unmap((uint64_t)va, 4096), 0);
}

UTEST(mem, create_errors)
{
	UCHECK_ERR(t, sys_mem_create(0), EINVAL);
	UCHECK_ERR(t, sys_mem_create(100), EINVAL);
	UCHECK_ERR(t, sys_mem_create(4096 + 1), EINVAL);
	UCHECK_ERR(t, sys_mem_create((64ULL << 20) + 4096), ETOOBIG);
	UCHECK_ERR(t, sys_mem_create(UINT64_MAX & ~4095ULL), ETOOBIG);
}

UTEST(mem, map_errors)
{
	long h;

	UCHECK_OK(t, h, sys_mem_create(2 * 4096));
	UCHECK_ERR(t, sys_mem_map((copra_handle_t)h, 0, WX), EPERM);
	UCHECK_ERR(t, sys_mem_map((copra_handle_t)h, 0, COPRA_PROT_READ | WX), EPERM);
	UCHECK_ERR(t, sys_mem_map((copra_handle_t)h, 0, 0x8 | COPRA_PROT_READ), EINVAL);
	UCHECK_ERR(t, sys_mem_map((copra_handle_t)h, 0, 0), EINVAL);
	UCHECK_ERR(t, sys_mem_map((copra_handle_t)h, MEM_FIXED + 1, RW), EINVAL);
	UCHECK_ERR(t, sys_mem_map((copra_handle_t)h, UT_KERNEL_PTR, RW), EFAULT);
	UCHECK_ERR(t, sys_mem_map((copra_handle_t)h, UT_NONCANON_PTR, RW), EFAULT);
	UCHECK_ERR(t, sys_mem_map((copra_handle_t)h, USER_TOP - 4096, RW), EFAULT);
	UCHECK_ERR(t, sys_mem_map(COPRA_HANDLE_LOG, 0, RW), ETYPE);
	UCHECK_ERR(t, sys_mem_map(COPRA_HANDLE_INVALID, 0, RW), EBADH);
	UCHECK_EQ(t, sys_close((copra_handle_t)h), 0);
}

UTEST(mem, protect)
{
	long h, va;

	UCHECK_OK(t, h, sys_mem_create(2 * 4096));
	UCHECK_OK(t, va, sys_mem_map((copra_handle_t)h, 0, RW));
	UCHECK_ERR(t, sys_mem_protect((uint64_t)va, 4096, WX), EPERM);
	UCHECK_ERR(t, sys_mem_protect((uint64_t)va, 4096, RW | COPRA_PROT_EXEC), EPERM);
	UCHECK_ERR(t, sys_mem_protect((uint64_t)va + 1, 4096, RW), EINVAL);
	UCHECK_ERR(t, sys_mem_protect((uint64_t)va, 100, RW), EINVAL);
	UCHECK_ERR(t, sys_mem_protect(UT_KERNEL_PTR, 4096, RW), EFAULT);
	UCHECK_ERR(t, sys_mem_protect(UT_UNMAPPED_PTR, 4096, RW), EFAULT);
	UCHECK_EQ(t, sys_mem_protect((uint64_t)va, 8192, COPRA_PROT_READ), 0);
	UCHECK_EQ(t, *(volatile uint8_t *)UT_PTR(va), 0); /* still readable */
	UCHECK_EQ(t, sys_mem_protect((uint64_t)va, 4096, RX), 0);
	UCHECK_EQ(t, sys_mem_protect((uint64_t)va, 4096, RW), 0);
	*(volatile uint8_t *)UT_PTR(va) = 1;
	UCHECK_EQ(t, sys_mem_unmap((uint64_t)va, 8192), 0);
	UCHECK_EQ(t, sys_close((copra_handle_t)h), 0);
}

/* Our own code may not become writable-and-executable either. */
UTEST(mem, no_wx_on_image)
{
	uint64_t code = (uint64_t)copra_startinfo()->entry & ~4095ULL;

	UCHECK_ERR(t, sys_mem_protect(code, 4096, RW | COPRA_PROT_EXEC), EPERM);
	UCHECK_ERR(t, sys_mem_protect(code, 4096, WX), EPERM);
}

UTEST(mem, unmap_errors)
{
	UCHECK_ERR(t, sys_mem_unmap(MEM_FIXED + 1, 4096), EINVAL);
	UCHECK_ERR(t, sys_mem_unmap(MEM_FIXED, 0), EINVAL);
	UCHECK_ERR(t, sys_mem_unmap(MEM_FIXED, 123), EINVAL);
	UCHECK_ERR(t, sys_mem_unmap(UT_KERNEL_PTR, 4096), EFAULT);
	UCHECK_ERR(t, sys_mem_unmap(0xfffffffffffff000ULL, 0x2000), EFAULT);
	UCHECK_ERR(t, sys_mem_unmap(0x1000, UT_HUGE_LEN), EFAULT);
}

/* A write to a page made read-only must fault: done by a child. */
UTEST(mem, readonly_page_faults)
{
	static const char *const argv[] = { UT_CRASH, "ro", NULL };
	struct copra_exit ex;

	UCHECK(t, ut_run(argv, NULL, 0, &ex) > 0);
	UCHECK_EQ(t, ex.how, COPRA_EXIT_FAULT);
	UCHECK_EQ(t, ex.fault_addr, MEM_RO_ADDR);
	UCHECK(t, ex.reason[0] != '\0');
}

UTEST(mem, heap_malloc)
{
	size_t size = 8u << 20;
	char *p = malloc(size), *q;

	UCHECK(t, p != NULL);
	memset(p, 0xa5, size);
	UCHECK_EQ(t, (unsigned char)p[size - 1], 0xa5);
	UCHECK(t, copra_heap_mapped() >= size); /* a free tail may have been reused */
	q = realloc(p, 2 * size);
	UCHECK(t, q != NULL);
	UCHECK_EQ(t, (unsigned char)q[size - 1], 0xa5);
	free(q);
}

UTEST(mem, heap_exhaustion_returns_null)
{
	void *p;

	errno = 0;
	p = malloc((size_t)1 << 40); /* beyond the heap region */
	UCHECK(t, p == NULL);
	UCHECK_EQ(t, errno, ENOMEM);
	p = malloc(64);
	UCHECK(t, p != NULL);
	free(p);
}

UTEST(mem, heap_in_child)
{
	static const char *const argv[] = { UT_HELPER, "heap", "32", NULL };

	UCHECK(t, ut_run_ok(argv));
}
