/*
 * The user runtime's own entry points (user/lib): start-up information, the
 * heap region, and process helpers built on the system calls.
 */
#ifndef COPRA_USER_RUNTIME_H
#define COPRA_USER_RUNTIME_H

#include <stddef.h>
#include <stdint.h>

#include <abi/syscall.h>

/* What the kernel passed at start (start.c). */
struct copra_startinfo {
	int argc;
	char **argv;
	uintptr_t phdr, phnum, pagesz, entry; /* from the auxiliary vector */
	const uint8_t *random;                /* AT_RANDOM: 16 bytes, or NULL */
};

const struct copra_startinfo *copra_startinfo(void);

/*
 * The heap (heap.c): sbrk() grows a break inside [COPRA_HEAP_BASE,
 * COPRA_HEAP_BASE + COPRA_HEAP_MAX), backing it with memory objects of at
 * least COPRA_HEAP_CHUNK bytes mapped at fixed addresses.
 */
#define COPRA_HEAP_BASE 0x400000000ULL  /* 16 GiB */
#define COPRA_HEAP_MAX (16ULL << 30)    /* 16 GiB of address space */
#define COPRA_HEAP_CHUNK (256ULL << 10) /* smallest growth step */
#define COPRA_MEM_OBJECT_MAX (64ULL << 20) /* SYS_mem_create limit */

/* Bytes of the heap currently backed by memory (for tests and statistics). */
uint64_t copra_heap_mapped(void);

/*
 * Processes (proc.c). copra_spawn packs argv (NULL-terminated; argv[0] first)
 * into the NUL-separated form and calls SYS_proc_spawn: returns the process
 * handle or -COPRA_E* (-COPRA_ETOOBIG when argv does not fit).
 */
long copra_spawn(const char *path, const char *const argv[],
		 const struct copra_spawn_handle *handles, uint32_t nhandles);

/* SYS_open with a NUL-terminated path. */
long copra_open(const char *path, uint32_t flags);

/* Writes one message (no newline added) straight to the log: no stdio. */
void copra_log_str(const char *s);

#endif
