/*
 * The IGVM parser on hostile input: each rejection `igvmtool check` reports
 * (truncation, checksum, alignment, overlaps, file offsets, TL framing,
 * section order, platforms, parameter-area lifecycle, VP contexts), built
 * with the raw writer so that the files are otherwise well-formed.
 */
#include <stdlib.h>
#include <string.h>

#include "igvmtool_test.h"

#define FILE_MAX (IGVM_TEST_DATA_OFF + IGVM_TEST_DATA_MAX)

static struct igvm_test_raw raw;
static u8 file[FILE_MAX];
static u8 page[IGVM_PAGE_SIZE];

/* Serializes raw, parses it; true when parsing failed with a message starting with msg. */
static bool rejects(struct test_ctx *t, const char *msg)
{
	struct igvm_model m;
	struct igvm_err e;
	size_t len = igvm_test_raw_file(&raw, file, sizeof(file));

	if (igvm_test_parse(file, len, &m, &e) == 0) {
		igvm_model_free(&m);
		test_fail(t, __FILE__, __LINE__, "accepted, expected '%s'", msg);
		return false;
	}
	return igvm_test_msg(t, &e, msg);
}

static bool accepts(struct test_ctx *t)
{
	struct igvm_model m;
	struct igvm_err e;
	size_t len = igvm_test_raw_file(&raw, file, sizeof(file));

	if (igvm_test_parse(file, len, &m, &e) < 0) {
		test_fail(t, __FILE__, __LINE__, "rejected: %s", e.msg);
		return false;
	}
	igvm_model_free(&m);
	return true;
}

/* A native platform (mask 0x2) and one page of data at 1 MiB. */
static void raw_basic(void)
{
	igvm_test_raw_init(&raw);
	igvm_test_raw_platform(&raw, IGVM_PLATFORM_NATIVE, 0x2);
	memset(page, 0xAB, sizeof(page));
	igvm_test_raw_page(&raw, 0x100000, 0x2, igvm_test_raw_data(&raw, page, sizeof(page)));
}

static void raw_area(u32 index, u64 size)
{
	struct igvm_vhs_parameter_area a = { .number_of_bytes = size,
					     .parameter_area_index = index };

	igvm_test_raw_add(&raw, IGVM_VHT_PARAMETER_AREA, &a, sizeof(a));
}

static void raw_param(u32 type, u32 index, u32 offset)
{
	struct igvm_vhs_parameter p = { .parameter_area_index = index, .byte_offset = offset };

	igvm_test_raw_add(&raw, type, &p, sizeof(p));
}

static void raw_insert(u32 index, u64 gpa)
{
	struct igvm_vhs_parameter_insert in = { .gpa = gpa, .compatibility_mask = 0x2,
						.parameter_area_index = index };

	igvm_test_raw_add(&raw, IGVM_VHT_PARAMETER_INSERT, &in, sizeof(in));
}

static void raw_vp_context(const u8 *ctx_page)
{
	struct igvm_vhs_vp_context vp = { .compatibility_mask = 0x2 };

	vp.file_offset = igvm_test_raw_data(&raw, ctx_page, IGVM_PAGE_SIZE);
	igvm_test_raw_add(&raw, IGVM_VHT_VP_CONTEXT, &vp, sizeof(vp));
}

TEST(igvm_parse, valid_minimal_file)
{
	raw_basic();
	CHECK(t, accepts(t));
}

TEST(igvm_parse, truncated_file)
{
	struct igvm_model m;
	struct igvm_err e;
	size_t len;

	raw_basic();
	len = igvm_test_raw_file(&raw, file, sizeof(file));
	CHECK(t, igvm_test_parse(file, len - 96, &m, &e) < 0);
	CHECK(t, igvm_test_msg(t, &e, "truncated: file is 20384 bytes, header says 20480"));
	CHECK(t, igvm_test_parse(file, 20, &m, &e) < 0);
	CHECK(t, igvm_test_msg(t, &e, "truncated: file is 20 bytes, smaller than the fixed"));
	CHECK(t, igvm_test_parse(file, 28, &m, &e) < 0);
	CHECK(t, igvm_test_msg(t, &e, "truncated: file is 28 bytes, smaller than the version 2"));
}

TEST(igvm_parse, bad_checksum)
{
	struct igvm_model m;
	struct igvm_err e;
	size_t len;

	raw_basic();
	len = igvm_test_raw_file(&raw, file, sizeof(file));
	file[sizeof(struct igvm_fixed_header_v2) + 8 + 16 + 8] ^= 1; /* page data gpa */
	CHECK(t, igvm_test_parse(file, len, &m, &e) < 0);
	CHECK(t, igvm_test_msg(t, &e, "bad checksum: stored 0x"));
	CHECK(t, strstr(e.msg, " computed 0x") != NULL);
}

TEST(igvm_parse, fixed_header_fields)
{
	struct igvm_model m;
	struct igvm_err e;
	u32 v;
	size_t len;

	raw_basic();
	len = igvm_test_raw_file(&raw, file, sizeof(file));
	file[0] = 'X';
	CHECK(t, igvm_test_parse(file, len, &m, &e) < 0);
	CHECK(t, igvm_test_msg(t, &e, "bad magic"));
	len = igvm_test_raw_file(&raw, file, sizeof(file));
	v = 3;
	memcpy(file + 4, &v, 4);
	CHECK(t, igvm_test_parse(file, len, &m, &e) < 0);
	CHECK(t, igvm_test_msg(t, &e, "format version 3 not supported"));
	len = igvm_test_raw_file(&raw, file, sizeof(file));
	v = 0x2000;
	memcpy(file + 0x1C, &v, 4);
	igvm_test_fix_checksum(file, len);
	CHECK(t, igvm_test_parse(file, len, &m, &e) < 0);
	CHECK(t, igvm_test_msg(t, &e, "page size 8192 not supported"));
}

TEST(igvm_parse, bad_tl_alignment)
{
	struct igvm_model m;
	struct igvm_err e;
	u32 off = 0x24, size;
	size_t len;

	raw_basic();
	len = igvm_test_raw_file(&raw, file, sizeof(file));
	memcpy(&size, file + 0x0C, 4);
	size -= 4;
	memcpy(file + 0x08, &off, 4);
	memcpy(file + 0x0C, &size, 4);
	igvm_test_fix_checksum(file, len);
	CHECK(t, igvm_test_parse(file, len, &m, &e) < 0);
	CHECK(t, igvm_test_msg(t, &e, "variable header offset 0x24 not 8-byte aligned"));

	/* The 4 padding bytes after a VP_CONTEXT body must be zero. */
	raw_basic();
	memset(page, 0, sizeof(page));
	raw_vp_context(page);
	raw.vh[raw.vh_len - 1] = 0x5A;
	CHECK(t, rejects(t, "header at 0x58: nonzero padding byte at 0x77"));
}

TEST(igvm_parse, tl_framing)
{
	struct igvm_vhs_page_data p = { .gpa = 0x200000, .compatibility_mask = 0x2 };

	raw_basic();
	igvm_test_raw_add(&raw, IGVM_VHT_PAGE_DATA, &p, 16);
	CHECK(t, rejects(t, "header at 0x58: PAGE_DATA body is 16 bytes, expected 24"));
	raw_basic();
	igvm_test_raw_add(&raw, 0x3FF, &p, 8);
	CHECK(t, rejects(t, "header at 0x58: unknown type 0x3ff"));
	raw_basic();
	igvm_test_raw_add(&raw, IGVM_VHT_OPTIONAL | IGVM_VHT_PAGE_DATA, &p, sizeof(p));
	CHECK(t, rejects(t, "header at 0x58: unknown type 0x80000302 (optional types"));
	raw_basic();
	igvm_test_raw_add(&raw, IGVM_VHT_PAGE_DATA, &p, sizeof(p));
	raw.vh[raw.vh_len - 28] = 0xFF; /* length 24 -> 255 */
	CHECK(t, rejects(t, "header at 0x58: length"));
}

TEST(igvm_parse, misaligned_page_data)
{
	raw_basic();
	igvm_test_raw_page(&raw, 0x200800, 0x2, 0);
	CHECK(t, rejects(t, "page data at 0x200800: gpa not 4 KiB aligned"));
}

TEST(igvm_parse, overlapping_page_data)
{
	raw_basic();
	igvm_test_raw_page(&raw, 0x100000, 0x2, 0);
	CHECK(t, rejects(t, "page data at 0x100000 overlaps page data at 0x100000"));

	/* The same GPA on two different platforms is fine. */
	igvm_test_raw_init(&raw);
	igvm_test_raw_platform(&raw, IGVM_PLATFORM_NATIVE, 0x2);
	igvm_test_raw_platform(&raw, IGVM_PLATFORM_SEV_SNP, 0x1);
	igvm_test_raw_page(&raw, 0x100000, 0x2, 0);
	igvm_test_raw_page(&raw, 0x100000, 0x1, 0);
	CHECK(t, accepts(t));

	/* A parameter insert covering a page. */
	raw_basic();
	raw_area(0, 0x2000);
	raw_insert(0, 0xFF000);
	CHECK(t, rejects(t, "page data at 0x100000 overlaps parameter insert at 0xff000"));
}

TEST(igvm_parse, out_of_range_file_offset)
{
	raw_basic();
	igvm_test_raw_page(&raw, 0x200000, 0x2, 0x4800);
	CHECK(t, rejects(t, "directive 1: file_offset 0x4800 + 4096 past end of file"));
	raw_basic();
	igvm_test_raw_page(&raw, 0x200000, 0x2, 0x30);
	CHECK(t, rejects(t, "directive 1: file_offset 0x30 inside the headers"));
	raw_basic();
	igvm_test_raw_page(&raw, 0x200000, 0x2, 0xFFFFFFFF);
	CHECK(t, rejects(t, "directive 1: file_offset 0xffffffff + 4096 past end of file"));
}

TEST(igvm_parse, wrong_section_order)
{
	struct igvm_vhs_guest_policy gp = { .policy = 0x30000, .compatibility_mask = 0x2 };

	raw_basic();
	igvm_test_raw_add(&raw, IGVM_VHT_GUEST_POLICY, &gp, sizeof(gp));
	CHECK(t, rejects(t, "header at 0x58: GUEST_POLICY after the directive section"));
	raw_basic();
	igvm_test_raw_platform(&raw, IGVM_PLATFORM_SEV_SNP, 0x1);
	CHECK(t, rejects(t, "header at 0x58: SUPPORTED_PLATFORM after the directive section"));
	igvm_test_raw_init(&raw);
	igvm_test_raw_page(&raw, 0x100000, 0x2, 0);
	CHECK(t, rejects(t, "header at 0x20: PAGE_DATA before any SUPPORTED_PLATFORM"));
	igvm_test_raw_init(&raw);
	igvm_test_raw_platform(&raw, IGVM_PLATFORM_NATIVE, 0x2);
	igvm_test_raw_add(&raw, IGVM_VHT_GUEST_POLICY, &gp, sizeof(gp));
	igvm_test_raw_page(&raw, 0x100000, 0x2, 0);
	CHECK(t, accepts(t));
}

TEST(igvm_parse, duplicate_platform)
{
	igvm_test_raw_init(&raw);
	igvm_test_raw_platform(&raw, IGVM_PLATFORM_NATIVE, 0x2);
	igvm_test_raw_platform(&raw, IGVM_PLATFORM_NATIVE, 0x4);
	CHECK(t, rejects(t, "platform 1: duplicate platform native"));
	igvm_test_raw_init(&raw);
	igvm_test_raw_platform(&raw, IGVM_PLATFORM_NATIVE, 0x2);
	igvm_test_raw_platform(&raw, IGVM_PLATFORM_SEV_SNP, 0x2);
	CHECK(t, rejects(t, "platform 1: duplicate compatibility mask 0x2"));
	igvm_test_raw_init(&raw);
	igvm_test_raw_platform(&raw, IGVM_PLATFORM_NATIVE, 0x3);
	CHECK(t, rejects(t, "platform 0: compatibility mask 0x3 must have exactly one bit set"));
	igvm_test_raw_init(&raw);
	igvm_test_raw_platform(&raw, IGVM_PLATFORM_CCA, 0x1);
	CHECK(t, rejects(t, "platform 0: platform type 6 not supported on x64"));
}

TEST(igvm_parse, directive_masks)
{
	raw_basic();
	igvm_test_raw_page(&raw, 0x200000, 0x4, 0);
	CHECK(t, rejects(t, "directive 1: compatibility mask 0x4 names an undeclared platform"));
	raw_basic();
	igvm_test_raw_page(&raw, 0x200000, 0, 0);
	CHECK(t, rejects(t, "directive 1: compatibility mask is 0"));
}

TEST(igvm_parse, parameter_index_misuse)
{
	raw_basic();
	raw_param(IGVM_VHT_VP_COUNT_PARAMETER, 0, 0);
	CHECK(t, rejects(t, "directive 1: VP_COUNT_PARAMETER uses undeclared parameter area 0"));
	raw_basic();
	raw_area(0, 0x1000);
	raw_area(0, 0x1000);
	CHECK(t, rejects(t, "directive 2: parameter area 0 declared twice"));
	raw_basic();
	raw_area(0, 0x1000);
	raw_insert(0, 0x200000);
	raw_insert(0, 0x300000);
	CHECK(t, rejects(t, "directive 3: parameter area 0 inserted twice"));
	raw_basic();
	raw_area(0, 0x1000);
	raw_insert(0, 0x200000);
	raw_param(IGVM_VHT_MADT, 0, 0);
	CHECK(t, rejects(t, "directive 3: MADT uses parameter area 0 after its insert"));
	raw_basic();
	raw_insert(5, 0x200000);
	CHECK(t, rejects(t, "directive 1: insert of undeclared parameter area 5"));
	raw_basic();
	raw_area(0, 0x1000);
	raw_param(IGVM_VHT_VP_COUNT_PARAMETER, 0, 0xFFE);
	CHECK(t, rejects(t, "directive 2: VP_COUNT_PARAMETER byte_offset 0xffe outside"));
	raw_basic();
	raw_area(0, 0x800);
	CHECK(t, rejects(t, "directive 1: parameter area 0 size 0x800 not a nonzero multiple"));
	raw_basic();
	raw_area(7, 0x1000);
	raw_param(IGVM_VHT_VP_COUNT_PARAMETER, 7, 0);
	raw_param(IGVM_VHT_MEMORY_MAP, 7, 8);
	raw_insert(7, 0x200000);
	CHECK(t, accepts(t));
}

TEST(igvm_parse, vp_context_rules)
{
	raw_basic();
	memset(page, 0, sizeof(page));
	raw_vp_context(page);
	CHECK(t, accepts(t));
	raw_vp_context(page);
	CHECK(t, rejects(t, "directive 2: second VP context for vp 0 on native"));
	raw_basic();
	memset(page, 0, sizeof(page));
	page[300] = 1;
	raw_vp_context(page);
	CHECK(t, rejects(t, "directive 1: native VP context padding not zero at +0x12c"));
	igvm_test_raw_init(&raw);
	igvm_test_raw_platform(&raw, IGVM_PLATFORM_TDX, 0x4);
	igvm_test_raw_platform(&raw, IGVM_PLATFORM_NATIVE, 0x2);
	memset(page, 0, sizeof(page));
	raw_vp_context(page);
	raw.vh[raw.vh_len - 16] = 0x6; /* mask: native + tdx */
	CHECK(t, rejects(t, "directive 0: VP context mask 0x6 mixes platforms"));
}

TEST(igvm_parse, page_data_fields)
{
	struct igvm_vhs_page_data p = { .gpa = 0x200000, .compatibility_mask = 0x2 };

	raw_basic();
	p.flags = 0x8;
	igvm_test_raw_add(&raw, IGVM_VHT_PAGE_DATA, &p, sizeof(p));
	CHECK(t, rejects(t, "page data at 0x200000: unknown flags 0x8"));
	raw_basic();
	p.flags = IGVM_PAGE_F_2MB;
	igvm_test_raw_add(&raw, IGVM_VHT_PAGE_DATA, &p, sizeof(p));
	CHECK(t, rejects(t, "page data at 0x200000: 2 MiB pages not supported"));
	raw_basic();
	p.flags = 0;
	p.reserved = 1;
	igvm_test_raw_add(&raw, IGVM_VHT_PAGE_DATA, &p, sizeof(p));
	CHECK(t, rejects(t, "page data at 0x200000: reserved field 0x1 not zero"));
	raw_basic();
	p.reserved = 0;
	p.data_type = IGVM_PAGE_TYPE_SECRETS;
	igvm_test_raw_add(&raw, IGVM_VHT_PAGE_DATA, &p, sizeof(p));
	CHECK(t, rejects(t, "page data at 0x200000: data type 1 is only valid for SEV-SNP"));
	raw_basic();
	p.gpa = 0xFFFFFFFFFFFFF000ULL;
	p.data_type = 0;
	igvm_test_raw_add(&raw, IGVM_VHT_PAGE_DATA, &p, sizeof(p));
	CHECK(t, rejects(t, "page data at 0xfffffffffffff000: page wraps around"));
}
