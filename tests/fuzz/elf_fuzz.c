/*
 * libFuzzer target for the ELF loader plan (kernel/exec/elf.c): any bytes a
 * user-program archive could hold. Every accepted plan must satisfy the
 * guarantees the exec code relies on without re-checking.
 *   make build/fuzz/elf && mkdir -p build/fuzz-corpus/elf &&
 *   build/fuzz/elf -max_total_time=300 build/fuzz-corpus/elf tests/fuzz/corpus/elf
 */
#include <stdlib.h>

#include <abi/elf.h>
#include <copra/elf.h>
#include <copra/pgtable.h>
#include <copra/string.h>

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

#define ELF_FUZZ_ASSERT(c)      \
	do {                    \
		if (!(c))       \
			abort(); \
	} while (0)

static bool elf_fuzz_in(u64 va, u64 len, const struct elf_segment *g, bool file_only)
{
	u64 lim = file_only ? g->filesz : g->memsz;

	return va >= g->vaddr && len <= lim && va - g->vaddr <= lim - len;
}

static void elf_fuzz_check_segs(const struct elf_plan *p, size_t size, u64 base, u64 top)
{
	u64 prev_end = 0, pages = 0;
	bool entry_ok = false, phdr_ok = p->phdr_vaddr == 0, tls_ok = true;
	u32 i;

	ELF_FUZZ_ASSERT(p->seg_count >= 1 && p->seg_count <= ELF_MAX_LOADS);
	if (p->tls.present && p->tls.filesz)
		tls_ok = false;
	for (i = 0; i < p->seg_count; i++) {
		const struct elf_segment *g = &p->segs[i];
		u64 start = g->vaddr & PAGE_MASK, end = ALIGN_UP(g->vaddr + g->memsz, PAGE_SIZE);

		ELF_FUZZ_ASSERT(g->memsz > 0 && g->filesz <= g->memsz);
		ELF_FUZZ_ASSERT(g->offset <= size && g->filesz <= size - g->offset);
		ELF_FUZZ_ASSERT(g->vaddr >= base && g->memsz <= top - g->vaddr);
		ELF_FUZZ_ASSERT((g->offset & 0xFFF) == (g->vaddr & 0xFFF));
		ELF_FUZZ_ASSERT((g->prot & ~(PROT_W | PROT_X)) == 0);
		ELF_FUZZ_ASSERT(g->prot != (PROT_W | PROT_X));
		ELF_FUZZ_ASSERT(i == 0 || start >= prev_end);
		prev_end = end;
		pages += (end - start) / PAGE_SIZE;
		if ((g->prot & PROT_X) && elf_fuzz_in(p->entry, 1, g, false))
			entry_ok = true;
		if (p->phdr_vaddr && elf_fuzz_in(p->phdr_vaddr, (u64)p->phnum * 56, g, true))
			phdr_ok = true;
		if (!tls_ok && elf_fuzz_in(p->tls.vaddr, p->tls.filesz, g, true))
			tls_ok = true;
	}
	ELF_FUZZ_ASSERT(entry_ok && phdr_ok && tls_ok);
	ELF_FUZZ_ASSERT(p->image_end == prev_end && p->mem_pages == pages);
}

static void elf_fuzz_one(const unsigned char *data, size_t size, u64 base, u64 top)
{
	struct elf_plan p;
	const char *why = NULL;
	int ret;

	ret = elf_plan_parse(data, size, base, top, &p, &why);
	ELF_FUZZ_ASSERT(why != NULL);
	if (ret != 0)
		return;
	ELF_FUZZ_ASSERT(!strcmp(why, "ok"));
	elf_fuzz_check_segs(&p, size, base, top);
	ELF_FUZZ_ASSERT(p.phnum >= 1 && p.phnum <= ELF_MAX_PHNUM && p.phent == 56);
	ELF_FUZZ_ASSERT(p.abi == ELF_ABI_LINUX || p.abi == ELF_ABI_COPRA);
	ELF_FUZZ_ASSERT(p.abi == ELF_ABI_COPRA || p.abi_version == 0);
	if (p.tls.present) {
		ELF_FUZZ_ASSERT(p.tls.filesz <= p.tls.memsz && p.tls.memsz <= ELF_TLS_MAX_SIZE);
		ELF_FUZZ_ASSERT(p.tls.align && !(p.tls.align & (p.tls.align - 1)));
		ELF_FUZZ_ASSERT(p.tls.align <= ELF_TLS_MAX_ALIGN);
	}
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	if (size > (1u << 20))
		return 0;
	elf_fuzz_one(data, size, 0x1000, 0x0000008000000000ULL);
	/* A narrow range exercises the address checks with ordinary images. */
	elf_fuzz_one(data, size, 0x400000, 0x402000);
	return 0;
}
