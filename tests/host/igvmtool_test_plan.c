/*
 * Launch planning on a built image: the stub page found by walking the
 * boot page tables (the trampoline page), the parameter areas as filled,
 * refusals (no identity page, too little RAM, GDT mismatch), the patched
 * ROM and stub, and the files `igvmtool launch` writes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <abi/acpi.h>

#include "igvm_blob.h"
#include "igvmtool_test.h"

struct plan {
	u8 *file;
	size_t len;
	struct igvm_model m;
	struct igvm_launch l;
	struct igvm_err e;
};

static int plan_build(struct plan *p)
{
	u8 *elf = igvm_test_elf();
	int ret = igvm_test_build(elf, NULL, 0, &p->file, &p->len, &p->e);

	free(elf);
	memset(&p->l, 0, sizeof(p->l));
	return ret ? ret : igvm_test_parse(p->file, p->len, &p->m, &p->e);
}

/* File offset of the page data at gpa (0: none). */
static u32 plan_page_offset(struct plan *p, u64 gpa)
{
	for (u32 i = 0; i < p->m.dir_count; i++) {
		if (p->m.dirs[i].type == IGVM_VHT_PAGE_DATA && p->m.dirs[i].gpa == gpa)
			return p->m.dirs[i].file_offset;
	}
	return 0;
}

static void plan_free(struct plan *p)
{
	igvm_launch_free(&p->l);
	igvm_model_free(&p->m);
	free(p->file);
}

static const u8 *plan_load(struct plan *p, u64 gpa)
{
	const struct igvm_page_ref *r = igvm_memview_find(&p->l.load, gpa);

	return r ? r->data : NULL;
}

TEST(igvm_plan, stub_page_is_trampoline_and_params_filled)
{
	struct igvm_memory_map_entry map[3];
	struct acpi_madt_local_apic a;
	struct plan p;
	u32 v[2];

	CHECK(t, plan_build(&p) == 0);
	CHECK(t, igvm_launch_prepare(&p.l, &p.m, "6,sockets=2,cores=3", "3G", &p.e) == 0);
	CHECK_EQ(t, p.l.stub_gpa, TRAMPOLINE_PHYS);
	CHECK_EQ(t, p.l.ctx.rip, KERNEL_VBASE + KERNEL_PHYS_BASE + 0x10);
	CHECK(t, plan_load(&p, 0x127000) != NULL);
	memcpy(v, plan_load(&p, 0x127000), sizeof(v));
	CHECK_EQ(t, v[0], 6);
	CHECK_EQ(t, v[1], 0);
	memcpy(map, plan_load(&p, 0x128000), sizeof(map));
	CHECK_EQ(t, map[1].starting_gpa_page_number, 0x100);
	CHECK_EQ(t, map[2].starting_gpa_page_number, 0x100000);
	memcpy(v, plan_load(&p, 0x128000) + 3 * sizeof(map[0]), sizeof(v));
	CHECK_EQ(t, v[0] | v[1], 0); /* zero terminator */
	CHECK(t, !memcmp(plan_load(&p, 0x129000), "APIC", 4));
	memcpy(&a, plan_load(&p, 0x129000) + sizeof(struct acpi_madt) + 3 * 8, sizeof(a));
	CHECK_EQ(t, a.apic_id, 4);
	plan_free(&p);
}

TEST(igvm_plan, refuses_without_identity_page)
{
	struct plan p;
	u32 off;

	CHECK(t, plan_build(&p) == 0);
	off = plan_page_offset(&p, 0x106000 + 11 * 0x1000); /* the slot-0 PT, built last */
	CHECK(t, off != 0);
	igvm_model_free(&p.m);
	memset(p.file + off + 8 * (TRAMPOLINE_PHYS >> 12), 0, 8); /* file data: not checksummed */
	CHECK(t, igvm_test_parse(p.file, p.len, &p.m, &p.e) == 0);
	CHECK(t, igvm_launch_prepare(&p.l, &p.m, "1", "512M", &p.e) < 0);
	CHECK(t, igvm_test_msg(t, &p.e, "launch: the VP context's page tables map no free page"));
	plan_free(&p);
}

TEST(igvm_plan, refuses_too_little_ram)
{
	struct plan p;

	CHECK(t, plan_build(&p) == 0);
	CHECK(t, igvm_launch_prepare(&p.l, &p.m, "1", "1M", &p.e) < 0);
	CHECK(t, igvm_test_msg(t, &p.e, "launch: required memory 0x100000+0x2a000 is not RAM"));
	plan_free(&p);
}

TEST(igvm_plan, refuses_gdt_mismatch)
{
	struct plan p;
	u32 off;

	CHECK(t, plan_build(&p) == 0);
	off = plan_page_offset(&p, 0x116000);
	igvm_model_free(&p.m);
	p.file[off + BOOTINFO_GDT_OFFSET + 8 + 5] = 0x9A; /* code: clear the accessed bit */
	CHECK(t, igvm_test_parse(p.file, p.len, &p.m, &p.e) == 0);
	CHECK(t, igvm_launch_prepare(&p.l, &p.m, "1", "512M", &p.e) < 0);
	CHECK(t, igvm_test_msg(t, &p.e, "launch: GDT entry 0x8 is 0x00af9a000000ffff"));
	plan_free(&p);
}

TEST(igvm_plan, rom_and_stub_patching)
{
	static u8 rom[ROM_SIZE];
	u8 stub[STUB_SIZE];
	struct plan p;
	u64 frame[5];
	u32 v;

	CHECK(t, plan_build(&p) == 0);
	CHECK(t, igvm_launch_prepare(&p.l, &p.m, "1", "512M", &p.e) == 0);
	CHECK(t, igvm_stub_rom(rom, ROM_SIZE, p.l.stub_gpa, &p.e) == 0);
	memcpy(&v, rom + ROM_STUB_PTR_OFF, 4);
	CHECK_EQ(t, v, TRAMPOLINE_PHYS);
	CHECK_EQ(t, rom[ROM_RESET_OFF], 0xE9);
	CHECK(t, igvm_stub_page(stub, p.l.stub_gpa, &p.l.ctx, &p.e) == 0);
	memcpy(&v, stub + STUB_GDTR32_OFF + 2, 4);
	CHECK_EQ(t, v, TRAMPOLINE_PHYS + STUB_GDT_OFF);
	memcpy(&v, stub + STUB_FARPTR_OFF, 4);
	CHECK_EQ(t, v, TRAMPOLINE_PHYS + STUB_ENTRY64_OFF);
	memcpy(frame, stub + STUB_FRAME_OFF, sizeof(frame));
	CHECK_EQ(t, frame[0], p.l.ctx.rip);
	CHECK_EQ(t, frame[1], 0x08);
	CHECK_EQ(t, frame[2], 0x2);
	CHECK_EQ(t, frame[3], p.l.ctx.rsp);
	CHECK_EQ(t, frame[4], 0x10);
	CHECK(t, !memcmp(stub + STUB_CTX_OFF, &p.l.ctx, sizeof(p.l.ctx)));
	plan_free(&p);
}

TEST(igvm_plan, writes_files_and_args)
{
	char dir[] = "/tmp/igvmtool-test.XXXXXX", path[256], args[2048];
	struct plan p;
	FILE *f;
	size_t n;

	CHECK(t, mkdtemp(dir) != NULL);
	CHECK(t, plan_build(&p) == 0);
	CHECK(t, igvm_launch_prepare(&p.l, &p.m, "2", "256M", &p.e) == 0);
	CHECK(t, igvm_launch_write(&p.l, dir, &p.e) == 0);
	snprintf(path, sizeof(path), "%s/qemu-args", dir);
	f = fopen(path, "r");
	CHECK(t, f != NULL);
	n = fread(args, 1, sizeof(args) - 1, f);
	fclose(f);
	args[n] = '\0';
	CHECK(t, strstr(args, "-bios\n/tmp/igvmtool-test.") == args);
	CHECK(t, strstr(args, "/stub.bin,addr=0x8000,force-raw=on\n") != NULL);
	CHECK(t, strstr(args, "/mem-0x100000.bin,addr=0x100000,force-raw=on\n") != NULL);
	snprintf(path, sizeof(path), "%s/mem-0x100000.bin", dir);
	f = fopen(path, "r");
	CHECK(t, f != NULL);
	fseek(f, 0, SEEK_END);
	CHECK_EQ(t, ftell(f), 0x2A000); /* kernel up to the MADT page, one run */
	fclose(f);
	for (const char *name = "rom.bin\0stub.bin\0qemu-args\0mem-0x100000.bin\0"; *name;
	     name += strlen(name) + 1) {
		snprintf(path, sizeof(path), "%s/%s", dir, name);
		unlink(path);
	}
	rmdir(dir);
	plan_free(&p);
}
