/*
 * Parameter contents the launcher deposits as an IGVM loader would for a
 * q35 machine: the memory map (RAM only, sorted; the EBDA, VGA and BIOS area
 * between 0x9F000 and 1 MiB is not claimed) and the MADT (one enabled entry
 * per present CPU: Local APIC for APIC IDs below 255, Local x2APIC above).
 */
#include <string.h>

#include <abi/acpi.h>

#include "igvm_launch.h"

#define IGVM_LOW_RAM_END 0x9F000ULL
#define IGVM_HIGH_RAM_START 0x100000ULL
#define IGVM_4G (1ULL << 32)
#define IGVM_LAPIC_BASE 0xFEE00000u
#define IGVM_MADT_REVISION 5

static u32 igvm_memmap_add(struct igvm_memory_map_entry *out, u32 n, u32 max, u64 start,
			   u64 size)
{
	if (n >= max || size < IGVM_PAGE_SIZE)
		return n;
	memset(&out[n], 0, sizeof(out[n]));
	out[n].starting_gpa_page_number = start / IGVM_PAGE_SIZE;
	out[n].number_of_pages = size / IGVM_PAGE_SIZE;
	out[n].entry_type = IGVM_MEMMAP_MEMORY;
	return n + 1;
}

u32 igvm_params_memmap(const struct igvm_ram *r, struct igvm_memory_map_entry *out, u32 max)
{
	u32 n = 0;

	n = igvm_memmap_add(out, n, max, 0, MIN(r->below_4g, IGVM_LOW_RAM_END));
	if (r->below_4g > IGVM_HIGH_RAM_START)
		n = igvm_memmap_add(out, n, max, IGVM_HIGH_RAM_START,
				    r->below_4g - IGVM_HIGH_RAM_START);
	if (r->above_4g)
		n = igvm_memmap_add(out, n, max, IGVM_4G, r->above_4g);
	return n;
}

static size_t igvm_madt_entry(const struct igvm_smp *s, u32 i, u8 *p)
{
	u32 id = igvm_smp_apic_id(s, i);

	if (id < 255) {
		struct acpi_madt_local_apic a = {
			.header = { ACPI_MADT_TYPE_LOCAL_APIC, sizeof(a) },
			.processor_uid = (u8)i,
			.apic_id = (u8)id,
			.flags = ACPI_MADT_ENABLED,
		};
		if (p)
			memcpy(p, &a, sizeof(a));
		return sizeof(a);
	} else {
		struct acpi_madt_local_x2apic x = {
			.header = { ACPI_MADT_TYPE_LOCAL_X2APIC, sizeof(x) },
			.x2apic_id = id,
			.flags = ACPI_MADT_ENABLED,
			.processor_uid = i,
		};
		if (p)
			memcpy(p, &x, sizeof(x));
		return sizeof(x);
	}
}

static void igvm_madt_header(u8 *buf, size_t len)
{
	struct acpi_madt h;

	memset(&h, 0, sizeof(h));
	memcpy(h.header.signature, ACPI_SIG_MADT, 4);
	h.header.length = (u32)len;
	h.header.revision = IGVM_MADT_REVISION;
	memcpy(h.header.oem_id, "COPRA ", 6);
	memcpy(h.header.oem_table_id, "IGVMTOOL", 8);
	h.header.oem_revision = 1;
	memcpy(&h.header.creator_id, "CPRA", 4);
	h.header.creator_revision = 1;
	h.local_apic_address = IGVM_LAPIC_BASE;
	h.flags = ACPI_MADT_PCAT_COMPAT;
	memcpy(buf, &h, sizeof(h));
}

int igvm_params_madt(const struct igvm_smp *s, u8 *buf, size_t size, struct igvm_err *e)
{
	size_t len = sizeof(struct acpi_madt), off;
	u8 sum = 0;

	for (u32 i = 0; i < s->cpus; i++)
		len += igvm_madt_entry(s, i, NULL);
	if (len > size)
		return igvm_errf(e, "launch: the MADT for %u CPUs needs %zu bytes, its parameter "
				 "area has %zu", s->cpus, len, size);
	igvm_madt_header(buf, len);
	off = sizeof(struct acpi_madt);
	for (u32 i = 0; i < s->cpus; i++)
		off += igvm_madt_entry(s, i, buf + off);
	for (size_t i = 0; i < len; i++)
		sum = (u8)(sum + buf[i]);
	buf[offsetof(struct acpi_sdt_header, checksum)] = (u8)(0x100 - sum);
	return 0;
}
