/*
 * Strict validation of the kernel ELF for `igvmtool build`: a static x86-64
 * ET_EXEC whose PT_LOAD segments are linked at VA = KERNEL_VBASE + PA inside
 * [KERNEL_PHYS_BASE, KERNEL_PHYS_MAX), never share a page, and are never both
 * writable and executable. Any violation is one line naming the segment.
 */
#include <elf.h>
#include <string.h>

#include "igvm_build.h"

static int igvm_elf_header(const u8 *buf, size_t len, Elf64_Ehdr *h, struct igvm_err *e)
{
	u64 ph_end;

	if (len < sizeof(*h))
		return igvm_errf(e, "not an ELF file: %zu bytes", len);
	memcpy(h, buf, sizeof(*h));
	if (memcmp(h->e_ident, ELFMAG, SELFMAG))
		return igvm_errf(e, "not an ELF file: bad magic");
	if (h->e_ident[EI_CLASS] != ELFCLASS64 || h->e_ident[EI_DATA] != ELFDATA2LSB ||
	    h->e_ident[EI_VERSION] != EV_CURRENT || h->e_version != EV_CURRENT)
		return igvm_errf(e, "not a little-endian ELF64 version 1 file");
	if (h->e_machine != EM_X86_64)
		return igvm_errf(e, "ELF machine %u is not x86-64", h->e_machine);
	if (h->e_type != ET_EXEC)
		return igvm_errf(e, "ELF type %u is not ET_EXEC", h->e_type);
	if (h->e_phentsize != sizeof(Elf64_Phdr) || h->e_phnum == 0 || h->e_phnum == PN_XNUM)
		return igvm_errf(e, "bad program header table (entry size %u, count %u)",
				 h->e_phentsize, h->e_phnum);
	ph_end = (u64)h->e_phnum * sizeof(Elf64_Phdr);
	if (h->e_phoff > len || ph_end > len - h->e_phoff)
		return igvm_errf(e, "program headers at 0x%llx run past the end of the file",
				 (unsigned long long)h->e_phoff);
	return 0;
}

static int igvm_elf_segment(const u8 *buf, size_t len, u32 i, const Elf64_Phdr *ph,
			    struct igvm_elf_seg *s, struct igvm_err *e)
{
	unsigned long long pa = ph->p_paddr, va = ph->p_vaddr;
	u64 end;

	if (ph->p_filesz > ph->p_memsz)
		return igvm_errf(e, "segment %u: p_filesz 0x%llx > p_memsz 0x%llx", i,
				 (unsigned long long)ph->p_filesz, (unsigned long long)ph->p_memsz);
	if (ph->p_offset > len || ph->p_filesz > len - ph->p_offset)
		return igvm_errf(e, "segment %u: file data runs past the end of the file", i);
	if (va < KERNEL_VBASE || va - KERNEL_VBASE != pa)
		return igvm_errf(e, "segment %u: p_vaddr 0x%llx is not KERNEL_VBASE + p_paddr "
				 "(p_paddr 0x%llx)", i, va, pa);
	if (pa < KERNEL_PHYS_BASE || add_overflow(pa, ph->p_memsz, &end) ||
	    end > KERNEL_PHYS_MAX)
		return igvm_errf(e, "segment %u: physical range 0x%llx+0x%llx outside "
				 "[0x%llx, 0x%llx)", i, pa, (unsigned long long)ph->p_memsz,
				 KERNEL_PHYS_BASE, KERNEL_PHYS_MAX);
	if ((ph->p_flags & PF_W) && (ph->p_flags & PF_X))
		return igvm_errf(e, "segment %u at 0x%llx is both writable and executable", i, pa);
	s->paddr = pa;
	s->vaddr = va;
	s->memsz = ph->p_memsz;
	s->filesz = ph->p_filesz;
	s->data = buf + ph->p_offset;
	s->flags = ph->p_flags & (PF_R | PF_W | PF_X);
	return 0;
}

/* Insertion sort by paddr, then reject segments that share a page. */
static int igvm_elf_sort(struct igvm_elf *elf, struct igvm_err *e)
{
	for (u32 i = 1; i < elf->seg_count; i++) {
		struct igvm_elf_seg s = elf->segs[i];
		u32 j = i;

		for (; j > 0 && elf->segs[j - 1].paddr > s.paddr; j--)
			elf->segs[j] = elf->segs[j - 1];
		elf->segs[j] = s;
	}
	for (u32 i = 1; i < elf->seg_count; i++) {
		const struct igvm_elf_seg *a = &elf->segs[i - 1], *b = &elf->segs[i];

		if (ALIGN_DOWN(b->paddr, PAGE_SIZE) < ALIGN_UP(a->paddr + a->memsz, PAGE_SIZE))
			return igvm_errf(e, "segments at 0x%llx and 0x%llx share or overlap the page "
					 "at 0x%llx", (unsigned long long)a->paddr,
					 (unsigned long long)b->paddr,
					 (unsigned long long)ALIGN_DOWN(b->paddr, PAGE_SIZE));
	}
	return 0;
}

static int igvm_elf_check_entry(struct igvm_elf *elf, struct igvm_err *e)
{
	for (u32 i = 0; i < elf->seg_count; i++) {
		const struct igvm_elf_seg *s = &elf->segs[i];

		if ((s->flags & PF_X) && elf->entry >= s->vaddr && elf->entry - s->vaddr < s->memsz)
			return 0;
	}
	return igvm_errf(e, "entry point 0x%llx is not inside an executable segment",
			 (unsigned long long)elf->entry);
}

int igvm_elf_load(const u8 *buf, size_t len, struct igvm_elf *elf, struct igvm_err *e)
{
	Elf64_Ehdr h;

	memset(elf, 0, sizeof(*elf));
	memset(&h, 0, sizeof(h));
	if (igvm_elf_header(buf, len, &h, e) < 0)
		return -1;
	for (u32 i = 0; i < h.e_phnum; i++) {
		Elf64_Phdr ph;

		memcpy(&ph, buf + h.e_phoff + (u64)i * sizeof(ph), sizeof(ph));
		if (ph.p_type == PT_INTERP || ph.p_type == PT_DYNAMIC)
			return igvm_errf(e, "segment %u: dynamic linking is not supported", i);
		if (ph.p_type != PT_LOAD || ph.p_memsz == 0)
			continue;
		if (elf->seg_count == IGVM_ELF_MAX_SEGS)
			return igvm_errf(e, "more than %u PT_LOAD segments", IGVM_ELF_MAX_SEGS);
		if (igvm_elf_segment(buf, len, i, &ph, &elf->segs[elf->seg_count], e) < 0)
			return -1;
		elf->seg_count++;
	}
	if (elf->seg_count == 0)
		return igvm_errf(e, "no PT_LOAD segments");
	if (igvm_elf_sort(elf, e) < 0)
		return -1;
	elf->entry = h.e_entry;
	elf->phys_end = ALIGN_UP(elf->segs[elf->seg_count - 1].paddr +
				 elf->segs[elf->seg_count - 1].memsz, PAGE_SIZE);
	return igvm_elf_check_entry(elf, e);
}
