/*
 * ELF loader plan: a pure decoder (no allocation, no mapping, no global
 * state) that validates a static x86-64 executable and says what to map
 * where. The exec code then acts on the plan alone, never on the image's
 * headers again. Shared by the kernel, host tests and the fuzzer.
 */
#ifndef COPRA_ELF_H
#define COPRA_ELF_H

#include <copra/types.h>

#define ELF_MAX_PHNUM 16u   /* program headers accepted */
#define ELF_MAX_LOADS 8u    /* PT_LOAD segments accepted (at least 1) */
#define ELF_TLS_MAX_SIZE (16ULL << 20) /* PT_TLS p_memsz limit */
#define ELF_TLS_MAX_ALIGN PAGE_SIZE

/* How the program talks to the kernel (design §7.1). */
enum elf_abi {
	ELF_ABI_LINUX = 0, /* no Copra note: Linux static-ELF personality */
	ELF_ABI_COPRA = 1, /* Copra note present: native object ABI */
};

/* One PT_LOAD, as the loader maps it. */
struct elf_segment {
	u64 vaddr;   /* p_vaddr: not page aligned in general */
	u64 memsz;   /* > 0 */
	u64 filesz;  /* <= memsz; bytes [vaddr, vaddr+filesz) come from the file */
	u64 offset;  /* p_offset; offset % 4096 == vaddr % 4096 */
	u32 prot;    /* PROT_W and/or PROT_X (never both); readable is implied */
};

/* The PT_TLS initialisation image, when present. */
struct elf_tls {
	bool present;
	u64 vaddr;   /* template address (inside a PT_LOAD when filesz > 0) */
	u64 filesz;  /* initialised bytes */
	u64 memsz;   /* total block size; the rest is zero */
	u64 align;   /* power of two, 1..ELF_TLS_MAX_ALIGN */
};

struct elf_plan {
	u64 entry;                            /* inside an executable segment */
	u32 seg_count;                        /* 1..ELF_MAX_LOADS */
	struct elf_segment segs[ELF_MAX_LOADS]; /* ascending, page ranges disjoint */
	u64 phdr_vaddr;                       /* for AT_PHDR; 0 when not loaded */
	u32 phnum;                            /* AT_PHNUM */
	u32 phent;                            /* AT_PHENT (56) */
	struct elf_tls tls;
	u64 image_end;                        /* page-rounded end: the initial break */
	u64 mem_pages;                        /* pages the segments span, for reservations */
	u32 abi;                              /* enum elf_abi */
	u32 abi_version;                      /* from the Copra note (0 if none) */
};

/*
 * Validates size bytes at image (hostile) as a static ET_EXEC x86-64
 * executable whose segments lie in [user_base, user_top) (both page aligned,
 * base < top) and fills *plan. Returns 0, or a negative error with *why set
 * to a short reason (plan contents are then unspecified):
 *   -E_NOEXEC  not an executable Copra can run (any malformed or refused field)
 *   -E_INVAL   bad arguments (NULL, or a bad user range)
 */
int elf_plan_parse(const void *image, size_t size, u64 user_base, u64 user_top,
		   struct elf_plan *plan, const char **why);

#endif
