/*
 * ELF loader plan: validates a static x86-64 executable (every byte hostile)
 * and produces a struct elf_plan. Two stages: each program header is checked
 * on its own (bounds, alignment, flags, notes), then the cross-header rules
 * (segment order and overlap, entry point, program-header address, TLS
 * placement). Headers are copied out with memcpy, so the image needs no
 * alignment. Pure: no allocation, no global state.
 */
#include <abi/elf.h>
#include <copra/elf.h>
#include <copra/errno.h>
#include <copra/pgtable.h>
#include <copra/string.h>

_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "ELF fields are read in place");

/* What the first stage found besides the PT_LOADs. */
struct elf_scan {
	const struct elf64_ehdr *eh;
	bool has_phdr;
	u64 phdr_vaddr;          /* PT_PHDR p_vaddr */
	u64 tls_offset;          /* PT_TLS p_offset */
	bool copra_note;
};

static int elf_fail(const char **why, const char *reason)
{
	*why = reason;
	return -E_NOEXEC;
}

static bool elf_pow2(u64 x)
{
	return x && !(x & (x - 1));
}

/* true when [off, off + len) lies inside the image. */
static bool elf_in_file(u64 off, u64 len, size_t size)
{
	u64 end;

	return !add_overflow(off, len, &end) && end <= size;
}

/* true when [va, va + len) lies inside [base, top). */
static bool elf_in_user(u64 va, u64 len, u64 base, u64 top)
{
	u64 end;

	return va >= base && !add_overflow(va, len, &end) && end <= top;
}

static int elf_check_ehdr(const struct elf64_ehdr *eh, size_t size, const char **why)
{
	if (memcmp(eh->e_ident, ELFMAG, 4) != 0)
		return elf_fail(why, "not an ELF file");
	if (eh->e_ident[EI_CLASS] != ELFCLASS64)
		return elf_fail(why, "not ELFCLASS64");
	if (eh->e_ident[EI_DATA] != ELFDATA2LSB)
		return elf_fail(why, "not little-endian");
	if (eh->e_ident[EI_VERSION] != EV_CURRENT || eh->e_version != EV_CURRENT)
		return elf_fail(why, "bad ELF version");
	if (eh->e_ident[EI_OSABI] != ELFOSABI_SYSV && eh->e_ident[EI_OSABI] != ELFOSABI_GNU)
		return elf_fail(why, "unsupported OS ABI");
	if (eh->e_type == ET_DYN)
		return elf_fail(why, "position-independent executables are not supported");
	if (eh->e_type != ET_EXEC)
		return elf_fail(why, "not an executable (e_type)");
	if (eh->e_machine != EM_X86_64)
		return elf_fail(why, "not x86-64");
	if (eh->e_ehsize != sizeof(struct elf64_ehdr))
		return elf_fail(why, "bad e_ehsize");
	if (eh->e_phentsize != sizeof(struct elf64_phdr))
		return elf_fail(why, "bad e_phentsize");
	if (eh->e_phnum == 0 || eh->e_phnum > ELF_MAX_PHNUM)
		return elf_fail(why, "program header count out of range");
	if (!elf_in_file(eh->e_phoff, (u64)eh->e_phnum * sizeof(struct elf64_phdr), size))
		return elf_fail(why, "program headers outside the file");
	return 0;
}

/* Is this note the Copra ABI note? Then records it (once). */
static int elf_note_one(const u8 *name, const struct elf64_nhdr *nh, const u8 *desc,
			struct elf_scan *s, struct elf_plan *plan, const char **why)
{
	if (nh->n_namesz != ELF_NOTE_COPRA_NAMESZ ||
	    memcmp(name, ELF_NOTE_COPRA_NAME, ELF_NOTE_COPRA_NAMESZ) != 0 ||
	    nh->n_type != ELF_NOTE_COPRA_ABI)
		return 0;
	if (s->copra_note)
		return elf_fail(why, "duplicate Copra note");
	if (nh->n_descsz != 0 && nh->n_descsz != sizeof(u32))
		return elf_fail(why, "Copra note descriptor is not a u32");
	s->copra_note = true;
	plan->abi = ELF_ABI_COPRA;
	plan->abi_version = 0;
	if (nh->n_descsz)
		memcpy(&plan->abi_version, desc, sizeof(u32));
	return 0;
}

/*
 * Walks the notes of one PT_NOTE: [p, p + len). With alignment a, a note's
 * descriptor starts at ALIGN_UP(12 + namesz, a) from the note's start and
 * the next note at ALIGN_UP(that + descsz, a), as the gABI and the x86-64
 * 8-byte property notes lay them out.
 */
static int elf_parse_notes(const u8 *p, u64 len, u64 align, struct elf_scan *s,
			   struct elf_plan *plan, const char **why)
{
	while (len > 0) {
		struct elf64_nhdr nh;
		u64 desc_off, next;
		int ret;

		if (len < sizeof(nh))
			return elf_fail(why, "truncated note header");
		memcpy(&nh, p, sizeof(nh));
		/* u32 sizes in u64 arithmetic: no overflow possible. */
		desc_off = ALIGN_UP(sizeof(nh) + (u64)nh.n_namesz, align);
		next = ALIGN_UP(desc_off + (u64)nh.n_descsz, align);
		if (next > len)
			return elf_fail(why, "note runs past its segment");
		ret = elf_note_one(p + sizeof(nh), &nh, p + desc_off, s, plan, why);
		if (ret)
			return ret;
		p += next;
		len -= next;
	}
	return 0;
}

static int elf_check_note(const u8 *img, size_t size, const struct elf64_phdr *ph,
			  struct elf_scan *s, struct elf_plan *plan, const char **why)
{
	u64 align = ph->p_align <= 4 ? 4 : ph->p_align;

	if (!elf_in_file(ph->p_offset, ph->p_filesz, size))
		return elf_fail(why, "PT_NOTE outside the file");
	if ((ph->p_align != 0 && ph->p_align != 1 && ph->p_align != 4 && ph->p_align != 8) ||
	    !IS_ALIGNED(ph->p_offset, align))
		return elf_fail(why, "bad PT_NOTE alignment");
	return elf_parse_notes(img + ph->p_offset, ph->p_filesz, align, s, plan, why);
}

static int elf_check_load(const struct elf64_phdr *ph, size_t size, u64 base, u64 top,
			  struct elf_plan *plan, const char **why)
{
	struct elf_segment *seg;
	u64 align = ph->p_align <= 1 ? PAGE_SIZE : ph->p_align;

	if (plan->seg_count == ELF_MAX_LOADS)
		return elf_fail(why, "too many PT_LOAD segments");
	if (!elf_pow2(align) || align < PAGE_SIZE)
		return elf_fail(why, "PT_LOAD alignment not a power of two >= 4096");
	if ((ph->p_offset & (PAGE_SIZE - 1)) != (ph->p_vaddr & (PAGE_SIZE - 1)))
		return elf_fail(why, "PT_LOAD offset and address differ modulo 4096");
	if (ph->p_memsz == 0)
		return elf_fail(why, "empty PT_LOAD");
	if (ph->p_filesz > ph->p_memsz)
		return elf_fail(why, "PT_LOAD p_filesz > p_memsz");
	if (!elf_in_file(ph->p_offset, ph->p_filesz, size))
		return elf_fail(why, "PT_LOAD outside the file");
	if (!elf_in_user(ph->p_vaddr, ph->p_memsz, base, top))
		return elf_fail(why, "PT_LOAD outside the user address range");
	if ((ph->p_flags & PF_W) && (ph->p_flags & PF_X))
		return elf_fail(why, "PT_LOAD both writable and executable");
	seg = &plan->segs[plan->seg_count++];
	seg->vaddr = ph->p_vaddr;
	seg->memsz = ph->p_memsz;
	seg->filesz = ph->p_filesz;
	seg->offset = ph->p_offset;
	seg->prot = ((ph->p_flags & PF_W) ? PROT_W : 0) | ((ph->p_flags & PF_X) ? PROT_X : 0);
	return 0;
}

static int elf_check_tls(const struct elf64_phdr *ph, size_t size, u64 base, u64 top,
			 struct elf_scan *s, struct elf_plan *plan, const char **why)
{
	u64 align = ph->p_align == 0 ? 1 : ph->p_align;

	if (plan->tls.present)
		return elf_fail(why, "more than one PT_TLS");
	if (ph->p_filesz > ph->p_memsz || ph->p_memsz > ELF_TLS_MAX_SIZE)
		return elf_fail(why, "bad PT_TLS size");
	if (!elf_pow2(align) || align > ELF_TLS_MAX_ALIGN)
		return elf_fail(why, "bad PT_TLS alignment");
	if (!elf_in_file(ph->p_offset, ph->p_filesz, size))
		return elf_fail(why, "PT_TLS outside the file");
	if (ph->p_filesz && !elf_in_user(ph->p_vaddr, ph->p_filesz, base, top))
		return elf_fail(why, "PT_TLS outside the user address range");
	plan->tls.present = true;
	plan->tls.vaddr = ph->p_vaddr;
	plan->tls.filesz = ph->p_filesz;
	plan->tls.memsz = ph->p_memsz;
	plan->tls.align = align;
	s->tls_offset = ph->p_offset;
	return 0;
}

/* PT_PHDR, PT_GNU_*: bounds only (their meaning is checked in stage two). */
static int elf_check_info(const struct elf64_phdr *ph, size_t size, u64 base, u64 top,
			  const char **why)
{
	if (!elf_in_file(ph->p_offset, ph->p_filesz, size))
		return elf_fail(why, "program header range outside the file");
	if (ph->p_memsz && !elf_in_user(ph->p_vaddr, ph->p_memsz, base, top))
		return elf_fail(why, "program header range outside the user address range");
	return 0;
}

static int elf_check_special(const struct elf64_phdr *ph, size_t size, u64 base, u64 top,
			     struct elf_scan *s, const char **why)
{
	if (ph->p_type == PT_PHDR) {
		if (s->has_phdr)
			return elf_fail(why, "more than one PT_PHDR");
		s->has_phdr = true;
		s->phdr_vaddr = ph->p_vaddr;
		if (ph->p_offset != s->eh->e_phoff ||
		    ph->p_filesz < (u64)s->eh->e_phnum * sizeof(struct elf64_phdr))
			return elf_fail(why, "PT_PHDR does not describe the program headers");
	}
	if (ph->p_type == PT_GNU_STACK) {
		if (ph->p_flags & PF_X)
			return elf_fail(why, "executable stack requested");
		/* p_memsz may hold a requested stack size (-z stack-size), not a range. */
		if (!elf_in_file(ph->p_offset, ph->p_filesz, size))
			return elf_fail(why, "program header range outside the file");
		return 0;
	}
	return elf_check_info(ph, size, base, top, why);
}

/* Stage one: one program header on its own. */
static int elf_check_one(const u8 *img, size_t size, const struct elf64_phdr *ph, u64 base,
			 u64 top, struct elf_scan *s, struct elf_plan *plan, const char **why)
{
	switch (ph->p_type) {
	case PT_NULL:
		return 0;
	case PT_LOAD:
		return elf_check_load(ph, size, base, top, plan, why);
	case PT_INTERP:
		return elf_fail(why, "dynamically linked (PT_INTERP)");
	case PT_DYNAMIC:
		return elf_fail(why, "dynamic section present (PT_DYNAMIC)");
	case PT_NOTE:
		return elf_check_note(img, size, ph, s, plan, why);
	case PT_TLS:
		return elf_check_tls(ph, size, base, top, s, plan, why);
	case PT_PHDR:
	case PT_GNU_STACK:
	case PT_GNU_RELRO:
	case PT_GNU_PROPERTY:
	case PT_GNU_EH_FRAME:
		return elf_check_special(ph, size, base, top, s, why);
	default:
		return elf_fail(why, "unsupported program header type");
	}
}

/*
 * Finds the virtual address at which the file bytes [off, off + len) appear:
 * false unless one PT_LOAD maps all of them from the file.
 */
static bool elf_file_to_vaddr(const struct elf_plan *plan, u64 off, u64 len, u64 *va)
{
	u32 i;

	for (i = 0; i < plan->seg_count; i++) {
		const struct elf_segment *g = &plan->segs[i];

		if (off >= g->offset && len <= g->filesz && off - g->offset <= g->filesz - len) {
			*va = g->vaddr + (off - g->offset);
			return true;
		}
	}
	return false;
}

/* Segments ascending, their page-rounded ranges disjoint; totals. */
static int elf_check_layout(struct elf_plan *plan, const char **why)
{
	u64 prev_end = 0;
	u32 i;

	plan->mem_pages = 0;
	for (i = 0; i < plan->seg_count; i++) {
		const struct elf_segment *g = &plan->segs[i];
		u64 start = ALIGN_DOWN(g->vaddr, PAGE_SIZE);
		u64 end = ALIGN_UP(g->vaddr + g->memsz, PAGE_SIZE); /* <= user_top */

		if (i > 0 && start < prev_end)
			return elf_fail(why, "PT_LOAD segments overlap or are out of order");
		prev_end = end;
		plan->mem_pages += (end - start) / PAGE_SIZE;
	}
	plan->image_end = prev_end;
	return 0;
}

static bool elf_entry_ok(const struct elf_plan *plan)
{
	u32 i;

	for (i = 0; i < plan->seg_count; i++) {
		const struct elf_segment *g = &plan->segs[i];

		if ((g->prot & PROT_X) && plan->entry >= g->vaddr &&
		    plan->entry - g->vaddr < g->memsz)
			return true;
	}
	return false;
}

/* Stage two: the rules that relate headers to each other. */
static int elf_check_cross(const struct elf_scan *s, struct elf_plan *plan, const char **why)
{
	u64 phdr_len = (u64)s->eh->e_phnum * sizeof(struct elf64_phdr);
	bool phdr_loaded;
	u64 tls_va;
	int ret;

	if (plan->seg_count == 0)
		return elf_fail(why, "no PT_LOAD segment");
	ret = elf_check_layout(plan, why);
	if (ret)
		return ret;
	if (!elf_entry_ok(plan))
		return elf_fail(why, "entry point not in an executable segment");
	phdr_loaded = elf_file_to_vaddr(plan, s->eh->e_phoff, phdr_len, &plan->phdr_vaddr);
	if (s->has_phdr && (!phdr_loaded || plan->phdr_vaddr != s->phdr_vaddr))
		return elf_fail(why, "PT_PHDR does not match the loaded program headers");
	if (plan->tls.present && plan->tls.filesz &&
	    (!elf_file_to_vaddr(plan, s->tls_offset, plan->tls.filesz, &tls_va) ||
	     tls_va != plan->tls.vaddr))
		return elf_fail(why, "PT_TLS template not inside a loaded segment");
	return 0;
}

int elf_plan_parse(const void *image, size_t size, u64 user_base, u64 user_top,
		   struct elf_plan *plan, const char **why)
{
	const char *why_local;
	const u8 *img = image;
	struct elf64_ehdr eh;
	struct elf_scan s;
	u32 i;
	int ret;

	if (!why)
		why = &why_local;
	*why = "ok";
	if (!image || !plan || !IS_ALIGNED(user_base, PAGE_SIZE) ||
	    !IS_ALIGNED(user_top, PAGE_SIZE) || user_base >= user_top) {
		*why = "bad arguments";
		return -E_INVAL;
	}
	memset(plan, 0, sizeof(*plan));
	memset(&s, 0, sizeof(s));
	if (size < sizeof(eh))
		return elf_fail(why, "shorter than an ELF header");
	memcpy(&eh, img, sizeof(eh));
	ret = elf_check_ehdr(&eh, size, why);
	if (ret)
		return ret;
	s.eh = &eh;
	plan->abi = ELF_ABI_LINUX;
	for (i = 0; i < eh.e_phnum; i++) {
		struct elf64_phdr ph;

		memcpy(&ph, img + eh.e_phoff + (u64)i * sizeof(ph), sizeof(ph));
		ret = elf_check_one(img, size, &ph, user_base, user_top, &s, plan, why);
		if (ret)
			return ret;
	}
	plan->entry = eh.e_entry;
	plan->phnum = eh.e_phnum;
	plan->phent = eh.e_phentsize;
	return elf_check_cross(&s, plan, why);
}
