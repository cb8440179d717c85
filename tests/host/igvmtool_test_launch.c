/*
 * The QEMU launcher back end: -smp and -m resolution as QEMU 10 does it,
 * the memory map and MADT it deposits, launch planning on a built image
 * (stub page, parameter contents, refusals) and the files it writes.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <abi/acpi.h>

#include "igvm_blob.h"
#include "igvmtool_test.h"

static bool apic_ids(struct test_ctx *t, const char *spec, const u32 *want, u32 n)
{
	struct igvm_smp s;
	struct igvm_err e;

	if (igvm_smp_parse(spec, &s, &e) < 0) {
		test_fail(t, __FILE__, __LINE__, "-smp %s: %s", spec, e.msg);
		return false;
	}
	if (s.cpus != n) {
		test_fail(t, __FILE__, __LINE__, "-smp %s: %u cpus, want %u", spec, s.cpus, n);
		return false;
	}
	for (u32 i = 0; i < n; i++) {
		if (igvm_smp_apic_id(&s, i) != want[i]) {
			test_fail(t, __FILE__, __LINE__, "-smp %s: cpu %u has APIC ID %u, want %u",
				  spec, i, igvm_smp_apic_id(&s, i), want[i]);
			return false;
		}
	}
	return true;
}

TEST(igvm_launch, smp_topologies)
{
	static const u32 seq[] = { 0, 1, 2, 3, 4, 5, 6, 7 };
	static const u32 sparse[] = { 0, 1, 2, 4, 5, 6 };
	static const u32 dies[] = { 0, 1, 2, 4, 5, 6, 8, 9, 10, 12, 13, 14 };
	static const u32 mods[] = { 0, 1, 2, 4, 5, 6 };

	CHECK(t, apic_ids(t, "1", seq, 1));
	CHECK(t, apic_ids(t, "4", seq, 4));
	CHECK(t, apic_ids(t, "cpus=4", seq, 4));
	CHECK(t, apic_ids(t, "6,sockets=2,cores=3", sparse, 6));
	CHECK(t, apic_ids(t, "sockets=2,cores=3", sparse, 6));
	CHECK(t, apic_ids(t, "6,sockets=2", sparse, 6)); /* cores = 6 / 2 */
	CHECK(t, apic_ids(t, "8,sockets=2,cores=2,threads=2", seq, 8));
	CHECK(t, apic_ids(t, "12,sockets=2,dies=2,cores=3", dies, 12));
	CHECK(t, apic_ids(t, "6,modules=2,cores=3", mods, 6));
	CHECK(t, apic_ids(t, "4,maxcpus=8", seq, 4));
	CHECK(t, apic_ids(t, "6,cores=3", sparse, 6)); /* sockets = 6 / 3 */
}

static bool smp_rejects(struct test_ctx *t, const char *spec, const char *msg)
{
	struct igvm_smp s;
	struct igvm_err e;

	if (igvm_smp_parse(spec, &s, &e) == 0) {
		test_fail(t, __FILE__, __LINE__, "-smp %s accepted", spec);
		return false;
	}
	return igvm_test_msg(t, &e, msg);
}

TEST(igvm_launch, smp_rejections)
{
	CHECK(t, smp_rejects(t, "6,sockets=4,cores=2", "-smp 6,sockets=4,cores=2: invalid CPU"));
	CHECK(t, smp_rejects(t, "0", "-smp: CPU topology parameters must be greater than zero"));
	CHECK(t, smp_rejects(t, "4,clusters=2", "-smp: clusters, books and drawers > 1"));
	CHECK(t, smp_rejects(t, "4,foo=1", "-smp: unknown parameter 'foo'"));
	CHECK(t, smp_rejects(t, "4,maxcpus=2", "-smp 4,maxcpus=2: maxcpus (2) < cpus (4)"));
	CHECK(t, smp_rejects(t, "4,cores=2,cores=2", "-smp: cores given twice"));
	CHECK(t, smp_rejects(t, "x", "-smp: 'x' is not a number"));
	CHECK(t, smp_rejects(t, "5000", "-smp: bad value '5000'"));
}

TEST(igvm_launch, mem_sizes_and_q35_split)
{
	static const struct { const char *spec; u64 below, above; } cases[] = {
		{ "512M", 512ULL << 20, 0 },
		{ "1024", 1ULL << 30, 0 },
		{ "2815M", 2815ULL << 20, 0 },
		{ "2816M", 2ULL << 30, 0x30000000 }, /* exactly 0xB0000000 */
		{ "3G", 2ULL << 30, 1ULL << 30 },
		{ "8g", 2ULL << 30, 6ULL << 30 },
		{ "1000k", 1024000, 0 },
		{ "size=1G,slots=2,maxmem=4G", 1ULL << 30, 0 },
	};
	struct igvm_ram r;
	struct igvm_err e;

	for (u32 i = 0; i < ARRAY_SIZE(cases); i++) {
		CHECK(t, igvm_mem_parse(cases[i].spec, &r, &e) == 0);
		CHECK_EQ(t, r.below_4g, cases[i].below);
		CHECK_EQ(t, r.above_4g, cases[i].above);
	}
	CHECK(t, igvm_mem_parse("0", &r, &e) < 0);
	CHECK(t, igvm_mem_parse("5X", &r, &e) < 0);
	CHECK(t, igvm_mem_parse("M", &r, &e) < 0);
}

TEST(igvm_launch, memory_map)
{
	struct igvm_memory_map_entry map[IGVM_MEMMAP_MAX];
	struct igvm_ram r;
	struct igvm_err e;

	CHECK(t, igvm_mem_parse("512M", &r, &e) == 0);
	CHECK_EQ(t, igvm_params_memmap(&r, map, IGVM_MEMMAP_MAX), 2);
	CHECK_EQ(t, map[0].starting_gpa_page_number, 0);
	CHECK_EQ(t, map[0].number_of_pages, 0x9F);
	CHECK_EQ(t, map[0].entry_type, IGVM_MEMMAP_MEMORY);
	CHECK_EQ(t, map[1].starting_gpa_page_number, 0x100);
	CHECK_EQ(t, map[1].number_of_pages, 0x20000 - 0x100);
	CHECK(t, igvm_mem_parse("3G", &r, &e) == 0);
	CHECK_EQ(t, igvm_params_memmap(&r, map, IGVM_MEMMAP_MAX), 3);
	CHECK_EQ(t, map[1].number_of_pages, 0x80000 - 0x100);
	CHECK_EQ(t, map[2].starting_gpa_page_number, 0x100000);
	CHECK_EQ(t, map[2].number_of_pages, 0x40000);
	CHECK(t, igvm_mem_parse("2816M", &r, &e) == 0);
	CHECK_EQ(t, igvm_params_memmap(&r, map, IGVM_MEMMAP_MAX), 3);
	CHECK_EQ(t, map[2].number_of_pages, 0x30000);
	CHECK(t, igvm_mem_parse("512K", &r, &e) == 0);
	CHECK_EQ(t, igvm_params_memmap(&r, map, IGVM_MEMMAP_MAX), 1);
	CHECK_EQ(t, map[0].number_of_pages, 0x80);
}

/* Builds the MADT for spec; checks header, checksum and each entry's APIC ID. */
static bool madt_ok(struct test_ctx *t, const char *spec, const u32 *ids, u32 n)
{
	u8 buf[4096], sum = 0;
	struct acpi_madt h;
	struct igvm_smp s;
	struct igvm_err e;
	size_t off = sizeof(h);

	if (igvm_smp_parse(spec, &s, &e) < 0 || igvm_params_madt(&s, buf, sizeof(buf), &e) < 0) {
		test_fail(t, __FILE__, __LINE__, "%s: %s", spec, e.msg);
		return false;
	}
	memcpy(&h, buf, sizeof(h));
	for (u32 i = 0; i < h.header.length; i++)
		sum = (u8)(sum + buf[i]);
	if (memcmp(h.header.signature, "APIC", 4) || sum || h.local_apic_address != 0xFEE00000u ||
	    h.flags != ACPI_MADT_PCAT_COMPAT) {
		test_fail(t, __FILE__, __LINE__, "%s: bad MADT header", spec);
		return false;
	}
	for (u32 i = 0; i < n; i++) {
		struct acpi_madt_local_apic a;
		struct acpi_madt_local_x2apic x;
		bool ok;

		memcpy(&a, buf + off, sizeof(a));
		memcpy(&x, buf + off, sizeof(x));
		if (ids[i] < 255)
			ok = a.header.type == 0 && a.header.length == 8 && a.apic_id == ids[i] &&
			     a.processor_uid == i && a.flags == ACPI_MADT_ENABLED;
		else
			ok = x.header.type == 9 && x.header.length == 16 && x.x2apic_id == ids[i] &&
			     x.processor_uid == i && x.flags == ACPI_MADT_ENABLED;
		if (!ok) {
			test_fail(t, __FILE__, __LINE__, "%s: bad MADT entry %u", spec, i);
			return false;
		}
		off += a.header.length;
	}
	if (off != h.header.length)
		test_fail(t, __FILE__, __LINE__, "%s: MADT length %u, entries end at %zu", spec,
			  h.header.length, off);
	return off == h.header.length;
}

TEST(igvm_launch, madt_tables)
{
	static const u32 seq[] = { 0, 1, 2, 3, 4, 5, 6, 7 };
	static const u32 sparse[] = { 0, 1, 2, 4, 5, 6 };
	static u32 many[300];
	struct igvm_smp s;
	struct igvm_err e;
	u8 buf[4096];

	for (u32 i = 0; i < ARRAY_SIZE(many); i++)
		many[i] = i;
	CHECK(t, madt_ok(t, "1", seq, 1));
	CHECK(t, madt_ok(t, "4", seq, 4));
	CHECK(t, madt_ok(t, "6,sockets=2,cores=3", sparse, 6));
	CHECK(t, madt_ok(t, "8,sockets=2,cores=2,threads=2", seq, 8));
	CHECK(t, madt_ok(t, "300", many, 300)); /* IDs 255+ use x2APIC entries */
	CHECK(t, igvm_smp_parse("600", &s, &e) == 0);
	CHECK(t, igvm_params_madt(&s, buf, sizeof(buf), &e) < 0);
	CHECK(t, igvm_test_msg(t, &e, "launch: the MADT for 600 CPUs needs 7604 bytes"));
}
