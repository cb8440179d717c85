/*
 * igvmtool build: round trip through the parser, directive order, the VP
 * context, the bootinfo page, determinism, archive placement and the strict
 * kernel ELF checks.
 */
#include <stdlib.h>
#include <string.h>

#include "igvmtool_test.h"

struct built {
	u8 *file;
	size_t len;
	struct igvm_model m;
};

static int built_make(struct built *b, const u8 *archive, size_t archive_len)
{
	struct igvm_err e;
	u8 *elf = igvm_test_elf();
	int ret = igvm_test_build(elf, archive, archive_len, &b->file, &b->len, &e);

	free(elf);
	if (ret == 0)
		ret = igvm_test_parse(b->file, b->len, &b->m, &e);
	return ret;
}

static void built_free(struct built *b)
{
	igvm_model_free(&b->m);
	free(b->file);
}

static const struct igvm_dir *find_page(const struct igvm_model *m, u64 gpa)
{
	for (u32 i = 0; i < m->dir_count; i++) {
		if (m->dirs[i].type == IGVM_VHT_PAGE_DATA && m->dirs[i].gpa == gpa)
			return &m->dirs[i];
	}
	return NULL;
}

static const struct igvm_dir *find_type(const struct igvm_model *m, u32 type, u32 nth)
{
	for (u32 i = 0; i < m->dir_count; i++) {
		if (m->dirs[i].type == type && nth-- == 0)
			return &m->dirs[i];
	}
	return NULL;
}

TEST(igvm_build, round_trip_header_and_platform)
{
	struct built b;

	CHECK(t, built_make(&b, NULL, 0) == 0);
	CHECK_EQ(t, b.m.format_version, 2);
	CHECK_EQ(t, b.m.arch, IGVM_ARCH_X64);
	CHECK_EQ(t, b.m.page_size, 4096);
	CHECK_EQ(t, b.m.total_size, b.len);
	CHECK_EQ(t, b.m.vh_offset, sizeof(struct igvm_fixed_header_v2));
	CHECK_EQ(t, b.m.plat_count, 1);
	CHECK_EQ(t, b.m.plat[0].type, IGVM_PLATFORM_NATIVE);
	CHECK_EQ(t, b.m.plat[0].mask, BOOT_MASK_NATIVE);
	CHECK_EQ(t, b.m.plat[0].highest_vtl, 0);
	CHECK_EQ(t, b.m.plat[0].version, 1);
	CHECK_EQ(t, b.m.plat[0].shared_gpa_boundary, 0);
	CHECK_EQ(t, b.m.init_count, 0);
	built_free(&b);
}

/* Writing the parsed model again must give the very same bytes. */
TEST(igvm_build, reserialize_is_identical)
{
	struct built b;
	struct igvm_err e;
	u8 *again;
	size_t len;

	CHECK(t, built_make(&b, (const u8 *)"archive!", 8) == 0);
	CHECK(t, igvm_write(&b.m, &again, &len, &e) == 0);
	CHECK_EQ(t, len, b.len);
	CHECK(t, memcmp(again, b.file, len) == 0);
	free(again);
	built_free(&b);
}

TEST(igvm_build, directive_order)
{
	static const u32 params[] = {
		IGVM_VHT_PARAMETER_AREA, IGVM_VHT_PARAMETER_AREA, IGVM_VHT_PARAMETER_AREA,
		IGVM_VHT_VP_COUNT_PARAMETER, IGVM_VHT_ENVIRONMENT_INFO_PARAMETER,
		IGVM_VHT_MEMORY_MAP, IGVM_VHT_MADT, IGVM_VHT_PARAMETER_INSERT,
		IGVM_VHT_PARAMETER_INSERT, IGVM_VHT_PARAMETER_INSERT,
	};
	struct built b;
	u32 i = 1, p;
	u64 prev = 0;

	CHECK(t, built_make(&b, (const u8 *)"abc", 3) == 0);
	CHECK_EQ(t, b.m.dirs[0].type, IGVM_VHT_REQUIRED_MEMORY);
	for (; b.m.dirs[i].type == IGVM_VHT_PAGE_DATA; i++) {
		CHECK(t, b.m.dirs[i].gpa > prev);
		prev = b.m.dirs[i].gpa;
	}
	CHECK_EQ(t, i, 1 + 6 + 12 + 4 + 1 + 16); /* kernel, tables, stack, bootinfo, percpu */
	for (p = 0; p < ARRAY_SIZE(params); p++)
		CHECK_EQ(t, b.m.dirs[i + p].type, params[p]);
	CHECK_EQ(t, b.m.dirs[i + p].type, IGVM_VHT_PAGE_DATA); /* the archive */
	CHECK_EQ(t, b.m.dirs[i + p + 1].type, IGVM_VHT_VP_CONTEXT);
	CHECK_EQ(t, b.m.dir_count, i + p + 2);
	built_free(&b);
}

TEST(igvm_build, parameters_and_required_memory)
{
	struct built b;
	const struct igvm_dir *d;

	CHECK(t, built_make(&b, NULL, 0) == 0);
	d = find_type(&b.m, IGVM_VHT_REQUIRED_MEMORY, 0);
	CHECK_EQ(t, d->gpa, KERNEL_PHYS_BASE);
	CHECK_EQ(t, d->size, 0x12A000 - KERNEL_PHYS_BASE);
	for (u32 a = 0; a < 3; a++) {
		d = find_type(&b.m, IGVM_VHT_PARAMETER_AREA, a);
		CHECK_EQ(t, d->area, a);
		CHECK_EQ(t, d->size, 4096);
		CHECK(t, d->data == NULL);
		d = find_type(&b.m, IGVM_VHT_PARAMETER_INSERT, a);
		CHECK_EQ(t, d->area, a);
		CHECK_EQ(t, d->gpa, 0x127000 + 0x1000 * a);
		CHECK_EQ(t, d->mask, BOOT_MASK_NATIVE);
	}
	d = find_type(&b.m, IGVM_VHT_ENVIRONMENT_INFO_PARAMETER, 0);
	CHECK_EQ(t, d->area, 0);
	CHECK_EQ(t, d->byte_offset, 4);
	d = find_type(&b.m, IGVM_VHT_MADT, 0);
	CHECK_EQ(t, d->area, 2);
	built_free(&b);
}

TEST(igvm_build, native_vp_context)
{
	struct igvm_native_vp_context_x64 c;
	struct built b;
	const struct igvm_dir *d;

	CHECK(t, built_make(&b, NULL, 0) == 0);
	d = find_type(&b.m, IGVM_VHT_VP_CONTEXT, 0);
	CHECK(t, d != NULL);
	CHECK_EQ(t, d->gpa, 0);
	CHECK_EQ(t, d->vp_index, 0);
	CHECK_EQ(t, d->mask, BOOT_MASK_NATIVE);
	memcpy(&c, d->data, sizeof(c));
	CHECK_EQ(t, c.rip, KERNEL_VBASE + KERNEL_PHYS_BASE + 0x10);
	CHECK_EQ(t, c.rsp, KERNEL_VBASE + 0x116000);
	CHECK_EQ(t, c.rdi, KERNEL_VBASE + 0x116000);
	CHECK_EQ(t, c.rsi, BOOT_PLATFORM_NATIVE);
	CHECK_EQ(t, c.rflags, 0x2);
	CHECK_EQ(t, c.cr0, 0x80010033);
	CHECK_EQ(t, c.cr3, 0x106000);
	CHECK_EQ(t, c.cr4, 0x20);
	CHECK_EQ(t, c.efer, 0xD00);
	CHECK_EQ(t, c.gdtr_base, KERNEL_VBASE + 0x116000 + BOOTINFO_GDT_OFFSET);
	CHECK_EQ(t, c.gdtr_limit, 23);
	CHECK_EQ(t, c.idtr_base, 0);
	CHECK_EQ(t, c.idtr_limit, 0);
	CHECK_EQ(t, c.code_selector, 0x08);
	CHECK_EQ(t, c.code_attributes, 0xA09B);
	CHECK_EQ(t, c.data_selector, 0x10);
	CHECK_EQ(t, c.data_attributes, 0xC093);
	CHECK_EQ(t, c.rax | c.rbx | c.rcx | c.rdx | c.rbp | c.r8 | c.r15 | c.gs_base, 0);
	built_free(&b);
}

TEST(igvm_build, bootinfo_page)
{
	const u8 *sha_abc = (const u8 *)"\xba\x78\x16\xbf\x8f\x01\xcf\xea\x41\x41\x40\xde\x5d\xae"
					"\x22\x23\xb0\x03\x61\xa3\x96\x17\x7a\x9c\xb4\x10\xff\x61"
					"\xf2\x00\x15\xad";
	struct bootinfo bi;
	u64 gdt[3];
	struct built b;
	const struct igvm_dir *d;

	CHECK(t, built_make(&b, (const u8 *)"abc", 3) == 0);
	d = find_page(&b.m, 0x116000);
	CHECK(t, d && d->data);
	memcpy(&bi, d->data, sizeof(bi));
	memcpy(gdt, d->data + BOOTINFO_GDT_OFFSET, sizeof(gdt));
	CHECK_EQ(t, bi.magic, BOOTINFO_MAGIC);
	CHECK_EQ(t, bi.version, BOOTINFO_VERSION);
	CHECK_EQ(t, bi.size, sizeof(bi));
	CHECK_EQ(t, bi.image_phys_start, KERNEL_PHYS_BASE);
	CHECK_EQ(t, bi.image_phys_end, 0x12B000);
	CHECK_EQ(t, bi.pml4_phys, 0x106000);
	CHECK_EQ(t, bi.trampoline_phys, TRAMPOLINE_PHYS);
	CHECK_EQ(t, bi.param_general_gpa, 0x127000);
	CHECK_EQ(t, bi.param_memmap_gpa, 0x128000);
	CHECK_EQ(t, bi.param_madt_gpa, 0x129000);
	CHECK_EQ(t, bi.param_memmap_size + bi.param_madt_size, 0x2000);
	CHECK_EQ(t, bi.archive_gpa, 0x12A000);
	CHECK_EQ(t, bi.archive_size, 3);
	CHECK(t, memcmp(bi.archive_sha256, sha_abc, 32) == 0);
	CHECK_EQ(t, bi.boot_stack_bottom_va, KERNEL_VBASE + 0x112000);
	CHECK_EQ(t, bi.boot_stack_top_va, KERNEL_VBASE + 0x116000);
	CHECK_EQ(t, bi.console_port, 0x3F8);
	CHECK_EQ(t, bi.flags, BOOTINFO_F_TEST_BUILD);
	CHECK_EQ(t, bi.platforms, BOOT_MASK_NATIVE);
	CHECK_EQ(t, gdt[0], 0);
	CHECK_EQ(t, gdt[1], 0x00AF9B000000FFFFULL);
	CHECK_EQ(t, gdt[2], 0x00CF93000000FFFFULL);
	d = find_page(&b.m, 0x12A000);
	CHECK(t, d && d->data && !memcmp(d->data, "abc", 3) && d->data[3] == 0);
	built_free(&b);
}

TEST(igvm_build, kernel_pages_and_zero_pages)
{
	struct built b;
	const struct igvm_dir *d;

	CHECK(t, built_make(&b, NULL, 0) == 0);
	d = find_page(&b.m, 0x100000);
	CHECK(t, d && d->data && d->data[0] == 0xC0 && d->data[4095] == 0xC0);
	d = find_page(&b.m, 0x102000);
	CHECK(t, d && d->data && d->data[0xF] == 0xC2 && d->data[0x10] == 0);
	for (u64 gpa = 0x103000; gpa < 0x106000; gpa += 0x1000) {
		d = find_page(&b.m, gpa); /* bss: IGVM zero pages */
		CHECK(t, d && d->data == NULL && d->file_offset == 0);
	}
	d = find_page(&b.m, 0x112000); /* boot stack */
	CHECK(t, d && d->data == NULL);
	d = find_page(&b.m, 0x117000); /* BSP per-CPU data */
	CHECK(t, d && d->data == NULL);
	CHECK(t, find_page(&b.m, 0x8000) == NULL); /* the trampoline is not page data */
	built_free(&b);
}

TEST(igvm_build, deterministic)
{
	struct built a, b;

	CHECK(t, built_make(&a, (const u8 *)"xyz", 3) == 0);
	CHECK(t, built_make(&b, (const u8 *)"xyz", 3) == 0);
	CHECK_EQ(t, a.len, b.len);
	CHECK(t, memcmp(a.file, b.file, a.len) == 0);
	built_free(&a);
	built_free(&b);
}

TEST(igvm_build, platform_list)
{
	struct igvm_err e;
	u32 mask;

	CHECK(t, igvm_build_parse_platforms("native", &mask, &e) == 0);
	CHECK_EQ(t, mask, BOOT_MASK_NATIVE);
	CHECK(t, igvm_build_parse_platforms("native,snp", &mask, &e) < 0);
	CHECK(t, igvm_test_msg(t, &e, "platform snp: not supported yet"));
	CHECK(t, igvm_build_parse_platforms("tdx", &mask, &e) < 0);
	CHECK(t, igvm_test_msg(t, &e, "platform tdx: not supported yet"));
	CHECK(t, igvm_build_parse_platforms("arm", &mask, &e) < 0);
	CHECK(t, igvm_test_msg(t, &e, "unknown platform 'arm'"));
	CHECK(t, igvm_build_parse_platforms("", &mask, &e) < 0);
}

/* Builds the test ELF after mutate() and expects a failure starting with msg. */
static void elf_rejects(struct test_ctx *t, void (*mutate)(u8 *elf), const char *msg)
{
	struct igvm_err e;
	u8 *elf = igvm_test_elf(), *out = NULL;
	size_t len;
	int ret;

	mutate(elf);
	ret = igvm_test_build(elf, NULL, 0, &out, &len, &e);
	free(elf);
	free(out);
	CHECK(t, ret < 0);
	CHECK(t, igvm_test_msg(t, &e, msg));
}

static void elf_wx(u8 *elf) { igvm_test_phdr(elf, 0)->p_flags |= PF_W; }
static void elf_va(u8 *elf) { igvm_test_phdr(elf, 1)->p_vaddr += 0x1000; }
static void elf_low(u8 *elf)
{
	igvm_test_phdr(elf, 0)->p_paddr = 0x80000;
	igvm_test_phdr(elf, 0)->p_vaddr = KERNEL_VBASE + 0x80000;
}
static void elf_high(u8 *elf) { igvm_test_phdr(elf, 2)->p_memsz = KERNEL_PHYS_MAX; }
static void elf_overlap(u8 *elf)
{
	igvm_test_phdr(elf, 1)->p_paddr -= 0x800;
	igvm_test_phdr(elf, 1)->p_vaddr -= 0x800;
}
static void elf_filesz(u8 *elf) { igvm_test_phdr(elf, 0)->p_filesz = 0x2000; }
static void elf_trunc(u8 *elf) { igvm_test_phdr(elf, 2)->p_offset = TEST_ELF_SIZE - 8; }
static void elf_dyn(u8 *elf) { igvm_test_ehdr(elf)->e_type = ET_DYN; }
static void elf_arch(u8 *elf) { igvm_test_ehdr(elf)->e_machine = EM_AARCH64; }
static void elf_entry(u8 *elf) { igvm_test_ehdr(elf)->e_entry += 0x1000; }
static void elf_phoff(u8 *elf) { igvm_test_ehdr(elf)->e_phoff = TEST_ELF_SIZE - 16; }
static void elf_interp(u8 *elf) { igvm_test_phdr(elf, 1)->p_type = PT_INTERP; }

TEST(igvm_build, elf_rejections)
{
	elf_rejects(t, elf_wx, "segment 0 at 0x100000 is both writable and executable");
	elf_rejects(t, elf_va, "segment 1: p_vaddr 0xffffffff80102000 is not KERNEL_VBASE");
	elf_rejects(t, elf_low, "segment 0: physical range 0x80000+0x1000 outside");
	elf_rejects(t, elf_high, "segment 2: physical range");
	elf_rejects(t, elf_overlap, "segments at 0x100000 and 0x100800 share or overlap");
	elf_rejects(t, elf_filesz, "segment 0: p_filesz 0x2000 > p_memsz 0x1000");
	elf_rejects(t, elf_trunc, "segment 2: file data runs past the end of the file");
	elf_rejects(t, elf_dyn, "ELF type 3 is not ET_EXEC");
	elf_rejects(t, elf_arch, "ELF machine 183 is not x86-64");
	elf_rejects(t, elf_entry, "entry point 0xffffffff80101010 is not inside an executable");
	elf_rejects(t, elf_phoff, "program headers at");
	elf_rejects(t, elf_interp, "segment 1: dynamic linking is not supported");
}

TEST(igvm_build, archive_too_large)
{
	struct igvm_err e;
	u8 *elf = igvm_test_elf(), *out = NULL, *arc = calloc(1, KERNEL_PHYS_MAX - 0x110000);
	size_t len;
	int ret;

	CHECK(t, arc != NULL);
	ret = igvm_test_build(elf, arc, KERNEL_PHYS_MAX - 0x110000, &out, &len, &e);
	free(elf);
	free(arc);
	free(out);
	CHECK(t, ret < 0);
	CHECK(t, igvm_test_msg(t, &e, "boot image ends at 0x"));
}
