/*
 * sbrk() for picolibc's malloc: the break moves inside a fixed region
 * [COPRA_HEAP_BASE, +COPRA_HEAP_MAX) and the pages below it are backed by
 * memory objects (SYS_mem_create) mapped read-write at fixed addresses, in
 * steps of at least COPRA_HEAP_CHUNK. The handles are closed once mapped: a
 * mapping keeps its object alive. Failure sets ENOMEM and returns (void *)-1
 * with the break unchanged and the memory mapped for the attempt given back,
 * so malloc returns NULL; nothing aborts.
 */
#include <errno.h>
#include <unistd.h>

#include <copra/runtime.h>
#include <copra/sys.h>

#define HEAP_END (COPRA_HEAP_BASE + COPRA_HEAP_MAX)
#define HEAP_PAGE 4096ULL

static uint64_t heap_brk = COPRA_HEAP_BASE;    /* the break */
static uint64_t heap_mapped = COPRA_HEAP_BASE; /* end of the backed pages */

uint64_t copra_heap_mapped(void)
{
	return heap_mapped - COPRA_HEAP_BASE;
}

/* Backs [heap_mapped, heap_mapped + size) with one new memory object. */
static int heap_map_chunk(uint64_t size)
{
	long h, addr;

	h = sys_mem_create(size);
	if (h < 0)
		return -1;
	addr = sys_mem_map((copra_handle_t)h, heap_mapped, COPRA_PROT_READ | COPRA_PROT_WRITE);
	/* The mapping holds the object; a close failure cannot lose memory. */
	(void)sys_close((copra_handle_t)h);
	if (addr < 0)
		return -1;
	if ((uint64_t)addr != heap_mapped) {
		/* A kernel that ignored the fixed address: give the range back. */
		(void)sys_mem_unmap((uint64_t)addr, size);
		return -1;
	}
	heap_mapped += size;
	return 0;
}

/* Backs the heap up to at least end (<= HEAP_END). */
static int heap_grow(uint64_t end)
{
	while (heap_mapped < end) {
		uint64_t need = (end - heap_mapped + HEAP_PAGE - 1) & ~(HEAP_PAGE - 1);
		uint64_t size = need < COPRA_HEAP_CHUNK ? COPRA_HEAP_CHUNK : need;

		if (size > COPRA_MEM_OBJECT_MAX)
			size = COPRA_MEM_OBJECT_MAX;
		if (size > HEAP_END - heap_mapped)
			size = HEAP_END - heap_mapped;
		if (heap_map_chunk(size) < 0)
			return -1;
	}
	return 0;
}

/* Gives back what a failed growth had mapped beyond end. */
static void heap_trim(uint64_t end)
{
	if (heap_mapped > end && sys_mem_unmap(end, heap_mapped - end) == 0)
		heap_mapped = end;
}

void *sbrk(ptrdiff_t incr)
{
	uint64_t old = heap_brk, mapped = heap_mapped;
	uint64_t end;

	if (incr < 0) {
		/* Shrinking only moves the break; the pages stay for regrowth. */
		if ((uint64_t)-(incr + 1) >= old - COPRA_HEAP_BASE)
			goto fail;
		heap_brk = old - (uint64_t)-(incr + 1) - 1;
		return (void *)old;
	}
	if ((uint64_t)incr > HEAP_END - old)
		goto fail;
	end = old + (uint64_t)incr;
	if (heap_grow(end) < 0) {
		heap_trim(mapped);
		goto fail;
	}
	heap_brk = end;
	return (void *)old;
fail:
	errno = ENOMEM;
	return (void *)-1;
}
