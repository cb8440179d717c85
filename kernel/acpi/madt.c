/*
 * MADT parser: the loader (an untrusted party) lists the CPUs in an ACPI
 * MADT. Everything is bounds-checked before use; disabled processors are
 * skipped; duplicates and malformed entries reject the whole table.
 */
#include <abi/acpi.h>
#include <copra/errno.h>
#include <copra/madt.h>
#include <copra/string.h>

static int madt_fail(const char **why, const char *reason)
{
	*why = reason;
	return -E_INVAL;
}

static bool madt_seen(const u32 *ids, unsigned stored, u32 id)
{
	unsigned i;

	for (i = 0; i < stored; i++)
		if (ids[i] == id)
			return true;
	return false;
}

/* Extracts (enabled, id) from one entry; false for entries that name no CPU. */
static int madt_entry_cpu(const u8 *e, u8 type, u8 len, bool *enabled, u32 *id)
{
	if (type == ACPI_MADT_TYPE_LOCAL_APIC) {
		struct acpi_madt_local_apic la;

		if (len != sizeof(la))
			return -E_INVAL;
		memcpy(&la, e, sizeof(la));
		*enabled = la.flags & ACPI_MADT_ENABLED;
		*id = la.apic_id;
		return 1;
	}
	if (type == ACPI_MADT_TYPE_LOCAL_X2APIC) {
		struct acpi_madt_local_x2apic lx;

		if (len != sizeof(lx))
			return -E_INVAL;
		memcpy(&lx, e, sizeof(lx));
		*enabled = lx.flags & ACPI_MADT_ENABLED;
		*id = lx.x2apic_id;
		return 1;
	}
	return 0;
}

int madt_parse(const void *buf, size_t len, u32 *ids, unsigned max, unsigned *count,
	       const char **why)
{
	const u8 *p = buf;
	struct acpi_madt hdr;
	u32 total, off, i;
	u8 sum = 0;
	unsigned n = 0;

	*count = 0;
	if (len < sizeof(hdr))
		return madt_fail(why, "shorter than the MADT header");
	memcpy(&hdr, p, sizeof(hdr));
	if (memcmp(hdr.header.signature, ACPI_SIG_MADT, 4) != 0)
		return madt_fail(why, "signature is not APIC");
	total = hdr.header.length;
	if (total < sizeof(hdr) || total > len)
		return madt_fail(why, "length field out of range");
	for (i = 0; i < total; i++)
		sum = (u8)(sum + p[i]);
	if (sum != 0)
		return madt_fail(why, "bad checksum");
	for (off = sizeof(hdr); off < total;) {
		u8 type, elen;
		bool enabled = false;
		u32 id = 0;
		int r;

		if (total - off < 2)
			return madt_fail(why, "truncated entry header");
		type = p[off];
		elen = p[off + 1];
		if (elen < 2 || elen > total - off)
			return madt_fail(why, "entry length out of range");
		r = madt_entry_cpu(p + off, type, elen, &enabled, &id);
		if (r < 0)
			return madt_fail(why, "processor entry with a wrong length");
		if (r > 0 && enabled) {
			if (id == 0xFFFFFFFFu || madt_seen(ids, n < max ? n : max, id))
				return madt_fail(why, "invalid or duplicate APIC ID");
			if (n < max)
				ids[n] = id;
			n++;
		}
		off += elen;
	}
	if (n == 0)
		return madt_fail(why, "no enabled processor");
	*count = n;
	return 0;
}
