/* `igvmtool dump` output for a built image: coalesced runs, -v pages, registers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "igvmtool_test.h"

static char *dump_image(bool verbose)
{
	struct igvm_model m;
	struct igvm_err e;
	u8 *elf = igvm_test_elf(), *file = NULL;
	size_t len, out_len;
	char *out = NULL;
	FILE *f;

	if (igvm_test_build(elf, NULL, 0, &file, &len, &e) == 0 &&
	    igvm_test_parse(file, len, &m, &e) == 0) {
		f = open_memstream(&out, &out_len);
		if (f) {
			igvm_dump(f, &m, verbose);
			fclose(f);
		}
		igvm_model_free(&m);
	}
	free(elf);
	free(file);
	return out;
}

TEST(igvm_dump, summary_lines)
{
	char *out = dump_image(false);

	CHECK(t, out != NULL);
	CHECK(t, strstr(out, "header: format_version=2 architecture=x64 page_size=4096 ") == out);
	CHECK(t, strstr(out, "\nplatform 0: native mask=0x2 highest_vtl=0 version=1 "
			"shared_gpa_boundary=0x0\n"));
	CHECK(t, strstr(out, "\ndirective 0: REQUIRED_MEMORY gpa=0x100000 size=0x2a000 mask=0x2"));
	CHECK(t, strstr(out, "\ndirective 1-39: PAGE_DATA gpa=0x100000 end=0x127000 pages=39 "
			"mask=0x2 flags=0x0 type=normal zero_pages="));
	CHECK(t, strstr(out, "\ndirective 44: ENVIRONMENT_INFO_PARAMETER area=0 byte_offset=0x4\n"));
	CHECK(t, strstr(out, "\ndirective 50: VP_CONTEXT gpa=0x0 mask=0x2 vp_index=0"));
	CHECK(t, strstr(out, "\n    rip=0xffffffff80100010 rflags=0x2\n"));
	CHECK(t, strstr(out, "\n    cr0=0x80010033 cr3=0x106000 cr4=0x20 efer=0xd00\n"));
	CHECK(t, strstr(out, "\n    cs=0x8 attr=0xa09b base=0x0 limit=0xffffffff\n"));
	free(out);
}

TEST(igvm_dump, verbose_pages)
{
	char *out = dump_image(true);

	CHECK(t, out != NULL);
	CHECK(t, strstr(out, "\ndirective 1: PAGE_DATA gpa=0x100000 mask=0x2 flags=0x0 "
			"type=normal file_offset=0x"));
	CHECK(t, strstr(out, "\ndirective 4: PAGE_DATA gpa=0x103000 mask=0x2 flags=0x0 "
			"type=normal file_offset=0x0 (zero)\n"));
	CHECK(t, strstr(out, "\ndirective 23: PAGE_DATA gpa=0x116000 "));
	free(out);
}
