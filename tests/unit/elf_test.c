/*
 * Unit tests of the ELF loader plan (kernel/exec/elf.c), run on the host and
 * inside Copra: one well-formed static executable is built in memory, then
 * mutated into every shape the loader must refuse.
 */
#include <abi/elf.h>
#include <copra/elf.h>
#include <copra/errno.h>
#include <copra/pgtable.h>
#include <copra/string.h>
#include <copra/test.h>

#define ELF_T_BASE 0x1000ULL            /* user range given to the parser */
#define ELF_T_TOP 0x0000008000000000ULL
#define ELF_T_SIZE 0x1100u              /* file size of the base image */
#define ELF_T_VA 0x400000ULL            /* text segment address */
#define ELF_T_NOTES 0x400u              /* file offset of the notes */
#define ELF_T_ENTRY (ELF_T_VA + 0x500)

static u8 elf_t_img[0x2000] __aligned(8);
static struct elf_plan elf_t_plan;

static struct elf64_ehdr *elf_t_eh(void)
{
	return (struct elf64_ehdr *)elf_t_img;
}

static struct elf64_phdr *elf_t_ph(unsigned i)
{
	return (struct elf64_phdr *)(elf_t_img + sizeof(struct elf64_ehdr)) + i;
}

static void elf_t_set_ph(unsigned i, u32 type, u32 flags, u64 off, u64 va, u64 filesz,
			 u64 memsz, u64 align)
{
	struct elf64_phdr *p = elf_t_ph(i);

	p->p_type = type;
	p->p_flags = flags;
	p->p_offset = off;
	p->p_vaddr = va;
	p->p_paddr = va;
	p->p_filesz = filesz;
	p->p_memsz = memsz;
	p->p_align = align;
}

/* Writes a note at file offset off; returns its padded size. */
static u32 elf_t_note(u32 off, const char *name, u32 namesz, u32 type, const void *desc,
		      u32 descsz)
{
	struct elf64_nhdr nh = { namesz, descsz, type };
	u32 name_pad = (u32)ALIGN_UP(namesz, 4), desc_pad = (u32)ALIGN_UP(descsz, 4);

	memcpy(elf_t_img + off, &nh, sizeof(nh));
	memcpy(elf_t_img + off + sizeof(nh), name, namesz);
	memcpy(elf_t_img + off + sizeof(nh) + name_pad, desc, descsz);
	return (u32)sizeof(nh) + name_pad + desc_pad;
}

/*
 * The accepted shape: text (R+X, holding the headers and notes), data (R+W
 * with .bss), a GNU note, TLS inside the data segment and a non-executable
 * stack marker. Five program headers.
 */
static void elf_t_base(void)
{
	static const u8 build_id[4] = { 1, 2, 3, 4 };
	struct elf64_ehdr *eh = elf_t_eh();
	u32 notes;

	memset(elf_t_img, 0, sizeof(elf_t_img));
	memcpy(eh->e_ident, ELFMAG, 4);
	eh->e_ident[EI_CLASS] = ELFCLASS64;
	eh->e_ident[EI_DATA] = ELFDATA2LSB;
	eh->e_ident[EI_VERSION] = EV_CURRENT;
	eh->e_ident[EI_OSABI] = ELFOSABI_SYSV;
	eh->e_type = ET_EXEC;
	eh->e_machine = EM_X86_64;
	eh->e_version = EV_CURRENT;
	eh->e_entry = ELF_T_ENTRY;
	eh->e_phoff = sizeof(*eh);
	eh->e_ehsize = sizeof(*eh);
	eh->e_phentsize = sizeof(struct elf64_phdr);
	eh->e_phnum = 5;
	notes = elf_t_note(ELF_T_NOTES, "GNU", 4, 3, build_id, 4);
	elf_t_set_ph(0, PT_LOAD, PF_R | PF_X, 0, ELF_T_VA, 0x600, 0x600, 0x1000);
	elf_t_set_ph(1, PT_LOAD, PF_R | PF_W, 0x1000, ELF_T_VA + 0x1000, 0x100, 0x2000, 0x1000);
	elf_t_set_ph(2, PT_NOTE, PF_R, ELF_T_NOTES, ELF_T_VA + ELF_T_NOTES, notes, notes, 4);
	elf_t_set_ph(3, PT_TLS, PF_R, 0x1000, ELF_T_VA + 0x1000, 0x10, 0x40, 8);
	elf_t_set_ph(4, PT_GNU_STACK, PF_R | PF_W, 0, 0, 0, 0, 16);
	elf_t_img[0x500] = 0xF4; /* hlt */
}

/* Appends the Copra note after the GNU one (descsz 0 or 4). */
static void elf_t_add_copra_note(u32 descsz, u32 version)
{
	struct elf64_phdr *n = elf_t_ph(2);

	n->p_filesz += elf_t_note((u32)(ELF_T_NOTES + n->p_filesz), "Copra", 6,
				  ELF_NOTE_COPRA_ABI, &version, descsz);
	n->p_memsz = n->p_filesz;
}

static int elf_t_parse(void)
{
	const char *why = NULL;

	return elf_plan_parse(elf_t_img, ELF_T_SIZE, ELF_T_BASE, ELF_T_TOP, &elf_t_plan, &why);
}

TEST(elf, accepts_static_executable)
{
	const struct elf_plan *p = &elf_t_plan;

	elf_t_base();
	CHECK_EQ(t, elf_t_parse(), 0);
	CHECK_EQ(t, p->entry, ELF_T_ENTRY);
	CHECK_EQ(t, p->seg_count, 2);
	CHECK_EQ(t, p->segs[0].vaddr, ELF_T_VA);
	CHECK_EQ(t, p->segs[0].filesz, 0x600);
	CHECK_EQ(t, p->segs[0].prot, PROT_X);
	CHECK_EQ(t, p->segs[1].offset, 0x1000);
	CHECK_EQ(t, p->segs[1].memsz, 0x2000);
	CHECK_EQ(t, p->segs[1].prot, PROT_W);
	CHECK_EQ(t, p->phdr_vaddr, ELF_T_VA + sizeof(struct elf64_ehdr));
	CHECK_EQ(t, p->phnum, 5);
	CHECK_EQ(t, p->phent, 56);
	CHECK(t, p->tls.present);
	CHECK_EQ(t, p->tls.vaddr, ELF_T_VA + 0x1000);
	CHECK_EQ(t, p->tls.filesz, 0x10);
	CHECK_EQ(t, p->tls.memsz, 0x40);
	CHECK_EQ(t, p->tls.align, 8);
	CHECK_EQ(t, p->image_end, ELF_T_VA + 0x3000);
	CHECK_EQ(t, p->mem_pages, 3);
	CHECK_EQ(t, p->abi, ELF_ABI_LINUX);
}

TEST(elf, accepts_variants)
{
	/* Alignment 0 means 4096; a large power of two is fine; GNU OS ABI. */
	elf_t_base();
	elf_t_ph(0)->p_align = 0;
	elf_t_ph(1)->p_align = 0x200000;
	elf_t_eh()->e_ident[EI_OSABI] = ELFOSABI_GNU;
	CHECK_EQ(t, elf_t_parse(), 0);
	/* A matching PT_PHDR; without TLS or notes. */
	elf_t_base();
	elf_t_set_ph(3, PT_PHDR, PF_R, sizeof(struct elf64_ehdr),
		     ELF_T_VA + sizeof(struct elf64_ehdr), 5 * 56, 5 * 56, 8);
	elf_t_set_ph(2, PT_NULL, 0, 0, 0, 0, 0, 0);
	CHECK_EQ(t, elf_t_parse(), 0);
	CHECK_EQ(t, elf_t_plan.phdr_vaddr, ELF_T_VA + 64);
	CHECK(t, !elf_t_plan.tls.present);
	/* Program headers outside every segment: AT_PHDR is 0. */
	elf_t_base();
	elf_t_ph(0)->p_offset = 0x1000;
	elf_t_ph(0)->p_filesz = 0x100;
	elf_t_ph(0)->p_memsz = 0x100;
	elf_t_eh()->e_entry = ELF_T_VA;
	elf_t_ph(3)->p_type = PT_NULL;
	CHECK_EQ(t, elf_t_parse(), 0);
	CHECK_EQ(t, elf_t_plan.phdr_vaddr, 0);
	/* An 8-byte aligned property note (x86-64 layout). */
	elf_t_base();
	elf_t_ph(2)->p_filesz = elf_t_note(ELF_T_NOTES, "GNU", 4, 5, "\2\0\0\xc0\4\0\0\0", 8);
	elf_t_ph(2)->p_align = 8;
	CHECK_EQ(t, elf_t_parse(), 0);
	elf_t_ph(2)->p_filesz -= 4; /* 8-byte padding of the descriptor missing */
	CHECK_EQ(t, elf_t_parse(), -E_NOEXEC);
	/* A stack size request in PT_GNU_STACK is not an address range. */
	elf_t_base();
	elf_t_ph(4)->p_memsz = 0x800000;
	CHECK_EQ(t, elf_t_parse(), 0);
	/* Segments may touch at a page boundary. */
	elf_t_base();
	elf_t_ph(0)->p_memsz = 0x1000;
	CHECK_EQ(t, elf_t_parse(), 0);
}

TEST(elf, copra_note_selects_native_abi)
{
	elf_t_base();
	elf_t_add_copra_note(4, 7);
	CHECK_EQ(t, elf_t_parse(), 0);
	CHECK_EQ(t, elf_t_plan.abi, ELF_ABI_COPRA);
	CHECK_EQ(t, elf_t_plan.abi_version, 7);
	elf_t_base();
	elf_t_add_copra_note(0, 0);
	CHECK_EQ(t, elf_t_parse(), 0);
	CHECK_EQ(t, elf_t_plan.abi, ELF_ABI_COPRA);
	CHECK_EQ(t, elf_t_plan.abi_version, 0);
	/* "Copra" without its NUL, or another note type: still Linux. */
	elf_t_base();
	elf_t_ph(2)->p_filesz += elf_t_note(ELF_T_NOTES + (u32)elf_t_ph(2)->p_filesz, "Copra", 5,
					    ELF_NOTE_COPRA_ABI, "", 0);
	elf_t_ph(2)->p_filesz += elf_t_note(ELF_T_NOTES + (u32)elf_t_ph(2)->p_filesz, "Copra", 6,
					    2, "", 0);
	CHECK_EQ(t, elf_t_parse(), 0);
	CHECK_EQ(t, elf_t_plan.abi, ELF_ABI_LINUX);
}

/* Mutations of the base image that must be rejected with -E_NOEXEC: header, PT_LOAD. */
static void elf_t_mutate_load(unsigned c)
{
	struct elf64_ehdr *eh = elf_t_eh();
	struct elf64_phdr *text = elf_t_ph(0), *data = elf_t_ph(1);
	unsigned i;

	switch (c) {
	case 0: eh->e_ident[1] = 'X'; break;
	case 1: eh->e_ident[EI_CLASS] = 1; break;
	case 2: eh->e_ident[EI_DATA] = 2; break;
	case 3: eh->e_ident[EI_VERSION] = 0; break;
	case 4: eh->e_version = 2; break;
	case 5: eh->e_ident[EI_OSABI] = 9; break;
	case 6: eh->e_type = ET_DYN; break;
	case 7: eh->e_type = 1; break;
	case 8: eh->e_machine = 3; break;
	case 9: eh->e_ehsize = 52; break;
	case 10: eh->e_phentsize = 32; break;
	case 11: eh->e_phnum = 0; break;
	case 12: eh->e_phnum = 17; break;
	case 13: eh->e_phoff = ELF_T_SIZE - 56 * 4; break;
	case 14: eh->e_phoff = ~0ULL - 8; break;
	case 15: text->p_type = PT_NULL; data->p_type = PT_NULL; break;
	case 16:
		eh->e_phnum = 14;
		for (i = 5; i < 14; i++)
			elf_t_set_ph(i, PT_LOAD, PF_R, 0x1000, 0x10000000ULL + i * 0x1000, 0,
				     0x10, 0x1000);
		break;
	case 17: data->p_align = 0x800; break;
	case 18: data->p_align = 0x3000; break;
	case 19: data->p_vaddr += 0x10; break;
	case 20: data->p_filesz = data->p_memsz + 1; break;
	case 21: data->p_filesz = ELF_T_SIZE; break;
	case 22: data->p_offset = 0xFFFFFFFFFFFFF000ULL; break;
	case 23: text->p_vaddr = 0; eh->e_entry = 0x500; break;
	case 24: data->p_vaddr = ELF_T_TOP - 0x1000; break;
	case 25: data->p_vaddr = 0xFFFFFFFFFFFFF000ULL; break;
	case 26: text->p_memsz = 0x1001; break;              /* shares a page with data */
	case 27: data->p_vaddr = ELF_T_VA - 0x10000; break; /* out of order */
	case 28: data->p_vaddr = ELF_T_VA; break;            /* same pages */
	case 29: text->p_flags |= PF_W; break;
	case 30: text->p_memsz = 0; text->p_filesz = 0; break;
	case 31: eh->e_entry = ELF_T_VA + 0x600; break;     /* just past the text */
	case 32: eh->e_entry = ELF_T_VA + 0x1000; break;    /* in the data segment */
	default: break;
	}
}

/* Rejected mutations, continued: other program header types, notes, TLS, PT_PHDR. */
static void elf_t_mutate_other(unsigned c)
{
	struct elf64_phdr *note = elf_t_ph(2), *tls = elf_t_ph(3), *last = elf_t_ph(4);

	switch (c) {
	case 33: last->p_type = PT_INTERP; break;
	case 34: last->p_type = PT_DYNAMIC; break;
	case 35: last->p_type = PT_SHLIB; break;
	case 36: last->p_type = 0x70000000u; break;
	case 37: last->p_flags |= PF_X; break;              /* executable stack */
	case 38: note->p_offset = ELF_T_SIZE - 8; break;
	case 39: note->p_filesz = 8; break;
	case 40: memset(elf_t_img + ELF_T_NOTES, 0xFF, 4); break; /* namesz 0xffffffff */
	case 41: memset(elf_t_img + ELF_T_NOTES + 4, 0xFF, 4); break; /* descsz */
	case 42: note->p_filesz -= 4; break;
	case 43: note->p_align = 16; break;
	case 44: note->p_offset += 2; break;
	case 45: elf_t_add_copra_note(4, 1); elf_t_add_copra_note(0, 0); break;
	case 46: elf_t_add_copra_note(2, 1); break;
	case 47: elf_t_set_ph(4, PT_TLS, PF_R, 0x1000, ELF_T_VA + 0x1000, 0, 8, 8); break;
	case 48: tls->p_filesz = tls->p_memsz + 1; break;
	case 49: tls->p_memsz = ELF_TLS_MAX_SIZE + 1; break;
	case 50: tls->p_align = 3; break;
	case 51: tls->p_align = 0x2000; break;
	case 52: tls->p_vaddr += 0x10; break;
	case 53: tls->p_offset = 0x200; tls->p_vaddr = ELF_T_VA + 0x3000; break;
	case 54: elf_t_set_ph(4, PT_PHDR, PF_R, 64, ELF_T_VA + 0x80, 280, 280, 8); break;
	case 55: elf_t_set_ph(4, PT_PHDR, PF_R, 128, ELF_T_VA + 128, 280, 280, 8); break;
	case 56: elf_t_set_ph(4, PT_PHDR, PF_R, 64, ELF_T_VA + 64, 56, 56, 8); break;
	case 57:
		elf_t_eh()->e_phnum = 6;
		elf_t_set_ph(4, PT_PHDR, PF_R, 64, ELF_T_VA + 64, 336, 336, 8);
		elf_t_set_ph(5, PT_PHDR, PF_R, 64, ELF_T_VA + 64, 336, 336, 8);
		break;
	case 58: elf_t_set_ph(4, PT_GNU_RELRO, PF_R, 0x1000, 0x401000, ELF_T_SIZE, 0x10, 1); break;
	case 59: elf_t_set_ph(4, PT_GNU_PROPERTY, PF_R, 0x400, ~0ULL - 0x10, 8, 0x20, 8); break;
	default: break;
	}
}

static void elf_t_mutate(unsigned c)
{
	if (c < 33)
		elf_t_mutate_load(c);
	else
		elf_t_mutate_other(c);
}

#define ELF_T_CASES 60u

TEST(elf, rejects_hostile_images)
{
	const char *why;
	unsigned c;
	int ret;

	for (c = 0; c < ELF_T_CASES; c++) {
		elf_t_base();
		elf_t_mutate(c);
		why = NULL;
		ret = elf_plan_parse(elf_t_img, ELF_T_SIZE, ELF_T_BASE, ELF_T_TOP, &elf_t_plan,
				     &why);
		if (ret != -E_NOEXEC || !why || !strcmp(why, "ok")) {
			test_fail(t, __FILE__, __LINE__, "case %u: returned %d (%s)", c, ret,
				  why ? why : "no reason");
			return;
		}
	}
}

TEST(elf, rejects_truncation_and_bad_arguments)
{
	const char *why;
	u32 n;

	elf_t_base();
	/* Every proper prefix of a valid image is refused. */
	for (n = 0; n < ELF_T_SIZE; n += (n < 0x400 ? 1 : 0x40)) {
		if (elf_plan_parse(elf_t_img, n, ELF_T_BASE, ELF_T_TOP, &elf_t_plan, &why) !=
		    -E_NOEXEC) {
			test_fail(t, __FILE__, __LINE__, "prefix of %u bytes accepted", n);
			return;
		}
	}
	CHECK_EQ(t, elf_plan_parse(elf_t_img, ELF_T_SIZE, ELF_T_BASE, ELF_T_TOP, &elf_t_plan,
				   NULL), 0);
	CHECK_EQ(t, elf_plan_parse(NULL, 64, ELF_T_BASE, ELF_T_TOP, &elf_t_plan, &why), -E_INVAL);
	CHECK_EQ(t, elf_plan_parse(elf_t_img, ELF_T_SIZE, ELF_T_TOP, ELF_T_BASE, &elf_t_plan,
				   &why), -E_INVAL);
	CHECK_EQ(t, elf_plan_parse(elf_t_img, ELF_T_SIZE, 0x1234, ELF_T_TOP, &elf_t_plan, &why),
		 -E_INVAL);
	/* A user range that excludes the segments. */
	CHECK_EQ(t, elf_plan_parse(elf_t_img, ELF_T_SIZE, ELF_T_VA + 0x1000, ELF_T_TOP,
				   &elf_t_plan, &why), -E_NOEXEC);
	CHECK_EQ(t, elf_plan_parse(elf_t_img, ELF_T_SIZE, ELF_T_BASE, ELF_T_VA + 0x2000,
				   &elf_t_plan, &why), -E_NOEXEC);
}
