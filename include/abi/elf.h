/*
 * ELF64 wire structures and the constants Copra's user-program loader reads
 * (System V gABI and the x86-64 psABI). Everything is little-endian; the
 * static asserts pin each size and offset to the specification's tables.
 */
#ifndef ABI_ELF_H
#define ABI_ELF_H

#include <copra/types.h>

/* e_ident[] indices and values. */
#define EI_MAG0 0
#define EI_CLASS 4
#define EI_DATA 5
#define EI_VERSION 6
#define EI_OSABI 7
#define EI_NIDENT 16

#define ELFMAG "\177ELF"
#define ELFCLASS64 2
#define ELFDATA2LSB 1
#define EV_CURRENT 1
#define ELFOSABI_SYSV 0
#define ELFOSABI_GNU 3

/* e_type, e_machine. */
#define ET_EXEC 2
#define ET_DYN 3
#define EM_X86_64 62

/* p_type. */
#define PT_NULL 0
#define PT_LOAD 1
#define PT_DYNAMIC 2
#define PT_INTERP 3
#define PT_NOTE 4
#define PT_SHLIB 5
#define PT_PHDR 6
#define PT_TLS 7
#define PT_GNU_EH_FRAME 0x6474e550u
#define PT_GNU_STACK 0x6474e551u
#define PT_GNU_RELRO 0x6474e552u
#define PT_GNU_PROPERTY 0x6474e553u

/* p_flags. */
#define PF_X (1u << 0)
#define PF_W (1u << 1)
#define PF_R (1u << 2)

struct elf64_ehdr {
	u8 e_ident[EI_NIDENT];
	u16 e_type;
	u16 e_machine;
	u32 e_version;
	u64 e_entry;
	u64 e_phoff;
	u64 e_shoff;
	u32 e_flags;
	u16 e_ehsize;
	u16 e_phentsize;
	u16 e_phnum;
	u16 e_shentsize;
	u16 e_shnum;
	u16 e_shstrndx;
};

struct elf64_phdr {
	u32 p_type;
	u32 p_flags;
	u64 p_offset;
	u64 p_vaddr;
	u64 p_paddr;
	u64 p_filesz;
	u64 p_memsz;
	u64 p_align;
};

/* Note header; the name, then the descriptor follow, each padded. */
struct elf64_nhdr {
	u32 n_namesz;
	u32 n_descsz;
	u32 n_type;
};

_Static_assert(sizeof(struct elf64_ehdr) == 64, "Elf64_Ehdr size");
_Static_assert(offsetof(struct elf64_ehdr, e_type) == 16, "Elf64_Ehdr layout");
_Static_assert(offsetof(struct elf64_ehdr, e_entry) == 24, "Elf64_Ehdr layout");
_Static_assert(offsetof(struct elf64_ehdr, e_phoff) == 32, "Elf64_Ehdr layout");
_Static_assert(offsetof(struct elf64_ehdr, e_flags) == 48, "Elf64_Ehdr layout");
_Static_assert(offsetof(struct elf64_ehdr, e_phentsize) == 54, "Elf64_Ehdr layout");
_Static_assert(offsetof(struct elf64_ehdr, e_phnum) == 56, "Elf64_Ehdr layout");
_Static_assert(offsetof(struct elf64_ehdr, e_shstrndx) == 62, "Elf64_Ehdr layout");
_Static_assert(sizeof(struct elf64_phdr) == 56, "Elf64_Phdr size");
_Static_assert(offsetof(struct elf64_phdr, p_offset) == 8, "Elf64_Phdr layout");
_Static_assert(offsetof(struct elf64_phdr, p_vaddr) == 16, "Elf64_Phdr layout");
_Static_assert(offsetof(struct elf64_phdr, p_filesz) == 32, "Elf64_Phdr layout");
_Static_assert(offsetof(struct elf64_phdr, p_memsz) == 40, "Elf64_Phdr layout");
_Static_assert(offsetof(struct elf64_phdr, p_align) == 48, "Elf64_Phdr layout");
_Static_assert(sizeof(struct elf64_nhdr) == 12, "Elf64_Nhdr size");

/*
 * The Copra ABI note (design §7.1): in a PT_NOTE, owner "Copra" (namesz 6,
 * the NUL included), type ELF_NOTE_COPRA_ABI, descriptor empty or one u32
 * ABI version. An executable carrying it runs with the native ABI.
 */
#define ELF_NOTE_COPRA_NAME "Copra"
#define ELF_NOTE_COPRA_NAMESZ 6u
#define ELF_NOTE_COPRA_ABI 1u

#endif
