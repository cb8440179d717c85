/* Tests of the MADT parser (kernel/acpi/madt.c) with well-formed and hostile tables. */
#include <abi/acpi.h>
#include <copra/errno.h>
#include <copra/madt.h>
#include <copra/string.h>
#include <copra/test.h>

static u8 madt_t_buf[512];

static void madt_t_checksum(u32 len)
{
	u8 sum = 0;
	u32 i;

	madt_t_buf[9] = 0;
	for (i = 0; i < len; i++)
		sum = (u8)(sum + madt_t_buf[i]);
	madt_t_buf[9] = (u8)(0 - sum);
}

/* Builds a MADT with type-0 entries for ids[] (and type 9 for ids >= 255). */
static u32 madt_t_build(const u32 *ids, unsigned n, u32 disabled_mask)
{
	struct acpi_madt h;
	u32 off = sizeof(h);
	unsigned i;

	memset(madt_t_buf, 0, sizeof(madt_t_buf));
	memset(&h, 0, sizeof(h));
	memcpy(h.header.signature, "APIC", 4);
	h.local_apic_address = 0xFEE00000;
	for (i = 0; i < n; i++) {
		u32 flags = (disabled_mask >> i) & 1 ? 0 : ACPI_MADT_ENABLED;

		if (ids[i] < 255) {
			struct acpi_madt_local_apic e = { { 0, 8 }, (u8)i, (u8)ids[i], flags };

			memcpy(madt_t_buf + off, &e, sizeof(e));
			off += sizeof(e);
		} else {
			struct acpi_madt_local_x2apic e = { { 9, 16 }, 0, ids[i], flags, i };

			memcpy(madt_t_buf + off, &e, sizeof(e));
			off += sizeof(e);
		}
	}
	h.header.length = off;
	memcpy(madt_t_buf, &h, sizeof(h));
	madt_t_checksum(off);
	return off;
}

TEST(madt, sparse_topology)
{
	static const u32 want[6] = { 0, 1, 2, 4, 5, 6 };
	u32 ids[8];
	unsigned n, i;
	const char *why;
	u32 len = madt_t_build(want, 6, 0);

	CHECK_EQ(t, madt_parse(madt_t_buf, len, ids, 8, &n, &why), 0);
	CHECK_EQ(t, n, 6);
	for (i = 0; i < 6; i++)
		CHECK_EQ(t, ids[i], want[i]);
}

TEST(madt, x2apic_entries_disabled_and_cap)
{
	static const u32 in[4] = { 0, 300, 7, 9 };
	u32 ids[2];
	unsigned n;
	const char *why;
	u32 len = madt_t_build(in, 4, 1u << 2); /* id 7 disabled */

	CHECK_EQ(t, madt_parse(madt_t_buf, len, ids, 2, &n, &why), 0);
	CHECK_EQ(t, n, 3);
	CHECK_EQ(t, ids[0], 0);
	CHECK_EQ(t, ids[1], 300);
}

TEST(madt, rejects_hostile_tables)
{
	static const u32 in[3] = { 0, 1, 1 };
	u32 ids[4];
	unsigned n;
	const char *why;
	u32 len;

	len = madt_t_build(in, 3, 0); /* duplicate id 1 */
	CHECK_EQ(t, madt_parse(madt_t_buf, len, ids, 4, &n, &why), -E_INVAL);
	len = madt_t_build(in, 2, 0);
	madt_t_buf[40] ^= 1; /* checksum broken */
	CHECK_EQ(t, madt_parse(madt_t_buf, len, ids, 4, &n, &why), -E_INVAL);
	len = madt_t_build(in, 2, 0);
	CHECK_EQ(t, madt_parse(madt_t_buf, len - 1, ids, 4, &n, &why), -E_INVAL); /* truncated */
	madt_t_buf[44 + 1] = 200; /* entry runs past the table */
	madt_t_checksum(len);
	CHECK_EQ(t, madt_parse(madt_t_buf, len, ids, 4, &n, &why), -E_INVAL);
	len = madt_t_build(in, 2, 0);
	madt_t_buf[44 + 1] = 0; /* zero-length entry would loop forever */
	madt_t_checksum(len);
	CHECK_EQ(t, madt_parse(madt_t_buf, len, ids, 4, &n, &why), -E_INVAL);
	len = madt_t_build(in, 2, 3); /* nothing enabled */
	CHECK_EQ(t, madt_parse(madt_t_buf, len, ids, 4, &n, &why), -E_INVAL);
	madt_t_buf[0] = 'X';
	CHECK_EQ(t, madt_parse(madt_t_buf, len, ids, 4, &n, &why), -E_INVAL);
	CHECK_EQ(t, madt_parse(madt_t_buf, 10, ids, 4, &n, &why), -E_INVAL);
}
