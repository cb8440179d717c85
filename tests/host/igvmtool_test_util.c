/* Helpers of igvmtool's host unit tests (see igvmtool_test.h). */
#include <stdlib.h>
#include <string.h>

#include "igvmtool_test.h"

/* Segment i: file page 0x1000 * (i + 1), loaded at 1 MiB + 0x1000 * i. */
static const u32 test_elf_flags[TEST_ELF_SEGS] = { PF_R | PF_X, PF_R, PF_R | PF_W };

u8 *igvm_test_elf(void)
{
	u8 *elf = calloc(1, TEST_ELF_SIZE);
	Elf64_Ehdr *h = (Elf64_Ehdr *)elf;

	memcpy(h->e_ident, ELFMAG, SELFMAG);
	h->e_ident[EI_CLASS] = ELFCLASS64;
	h->e_ident[EI_DATA] = ELFDATA2LSB;
	h->e_ident[EI_VERSION] = EV_CURRENT;
	h->e_type = ET_EXEC;
	h->e_machine = EM_X86_64;
	h->e_version = EV_CURRENT;
	h->e_entry = KERNEL_VBASE + KERNEL_PHYS_BASE + 0x10;
	h->e_phoff = sizeof(*h);
	h->e_ehsize = sizeof(*h);
	h->e_phentsize = sizeof(Elf64_Phdr);
	h->e_phnum = TEST_ELF_SEGS;
	for (u32 i = 0; i < TEST_ELF_SEGS; i++) {
		Elf64_Phdr *ph = igvm_test_phdr(elf, i);

		ph->p_type = PT_LOAD;
		ph->p_flags = test_elf_flags[i];
		ph->p_offset = 0x1000 * (i + 1);
		ph->p_paddr = KERNEL_PHYS_BASE + 0x1000 * i;
		ph->p_vaddr = KERNEL_VBASE + ph->p_paddr;
		ph->p_filesz = i == 2 ? 0x10 : 0x1000;
		ph->p_memsz = i == 2 ? 0x1000 + TEST_ELF_BSS : 0x1000;
		ph->p_align = 0x1000;
		memset(elf + ph->p_offset, 0xC0 + i, ph->p_filesz);
	}
	return elf;
}

Elf64_Ehdr *igvm_test_ehdr(u8 *elf)
{
	return (Elf64_Ehdr *)elf;
}

Elf64_Phdr *igvm_test_phdr(u8 *elf, u32 i)
{
	return (Elf64_Phdr *)(elf + sizeof(Elf64_Ehdr)) + i;
}

int igvm_test_build(const u8 *elf, const u8 *archive, size_t archive_len, u8 **out,
		    size_t *out_len, struct igvm_err *e)
{
	struct igvm_build_cfg cfg = {
		.platforms = BOOT_MASK_NATIVE, .console_port = 0x3F8, .test_build = true,
	};

	return igvm_build_image(elf, TEST_ELF_SIZE, archive, archive_len, &cfg, out, out_len, e);
}

void igvm_test_raw_init(struct igvm_test_raw *r)
{
	memset(r, 0, sizeof(*r));
}

void igvm_test_raw_add(struct igvm_test_raw *r, u32 type, const void *body, u32 len)
{
	struct igvm_vhs_header tl = { type, len };

	memcpy(r->vh + r->vh_len, &tl, sizeof(tl));
	memcpy(r->vh + r->vh_len + sizeof(tl), body, len);
	r->vh_len += ALIGN_UP((u32)sizeof(tl) + len, 8u);
}

u32 igvm_test_raw_data(struct igvm_test_raw *r, const void *bytes, u32 len)
{
	u32 off = r->data_len;

	memcpy(r->data + off, bytes, len);
	r->data_len += len;
	return IGVM_TEST_DATA_OFF + off;
}

void igvm_test_raw_platform(struct igvm_test_raw *r, u8 type, u32 mask)
{
	struct igvm_vhs_supported_platform p = {
		.compatibility_mask = mask, .platform_type = type, .platform_version = 1,
	};

	igvm_test_raw_add(r, IGVM_VHT_SUPPORTED_PLATFORM, &p, sizeof(p));
}

void igvm_test_raw_page(struct igvm_test_raw *r, u64 gpa, u32 mask, u32 file_offset)
{
	struct igvm_vhs_page_data p = { .gpa = gpa, .compatibility_mask = mask,
					.file_offset = file_offset };

	igvm_test_raw_add(r, IGVM_VHT_PAGE_DATA, &p, sizeof(p));
}

size_t igvm_test_raw_file(const struct igvm_test_raw *r, u8 *out, size_t max)
{
	struct igvm_fixed_header_v2 h = {
		.v1 = { .magic = IGVM_MAGIC, .format_version = IGVM_FORMAT_V2,
			.variable_header_offset = sizeof(h), .variable_header_size = r->vh_len,
			.total_file_size = IGVM_TEST_DATA_OFF + r->data_len },
		.architecture = IGVM_ARCH_X64,
		.page_size = IGVM_PAGE_SIZE,
	};
	size_t len = IGVM_TEST_DATA_OFF + r->data_len;

	if (len > max)
		return 0;
	memset(out, 0, len);
	memcpy(out, &h, sizeof(h));
	memcpy(out + sizeof(h), r->vh, r->vh_len);
	memcpy(out + IGVM_TEST_DATA_OFF, r->data, r->data_len);
	igvm_test_fix_checksum(out, len);
	return len;
}

void igvm_test_fix_checksum(u8 *file, size_t len)
{
	struct igvm_fixed_header h;
	u32 hsize, crc;

	memcpy(&h, file, sizeof(h));
	hsize = h.format_version == IGVM_FORMAT_V2 ? sizeof(struct igvm_fixed_header_v2)
						   : sizeof(struct igvm_fixed_header);
	memset(file + offsetof(struct igvm_fixed_header, checksum), 0, 4);
	crc = igvm_crc32(0, file, hsize);
	if ((u64)h.variable_header_offset + h.variable_header_size <= len)
		crc = igvm_crc32(crc, file + h.variable_header_offset, h.variable_header_size);
	memcpy(file + offsetof(struct igvm_fixed_header, checksum), &crc, 4);
}

int igvm_test_parse(const u8 *file, size_t len, struct igvm_model *m, struct igvm_err *e)
{
	memset(e, 0, sizeof(*e));
	return igvm_parse(file, len, m, e);
}

bool igvm_test_msg(struct test_ctx *t, const struct igvm_err *e, const char *prefix)
{
	if (!strncmp(e->msg, prefix, strlen(prefix)))
		return true;
	test_fail(t, __FILE__, __LINE__, "message '%s' does not start with '%s'", e->msg, prefix);
	return false;
}
