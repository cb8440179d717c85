/*
 * ACPI table layouts Copra exchanges at boot: the common system description
 * table header and the MADT with its Processor Local APIC (type 0) and
 * Processor Local x2APIC (type 9) entries. The IGVM loader (or igvmtool's
 * launcher) writes the MADT into a parameter area; the kernel parses it.
 */
#ifndef ABI_ACPI_H
#define ABI_ACPI_H

#include <copra/types.h>

#define ACPI_SIG_MADT "APIC"

struct acpi_sdt_header {
	char signature[4];
	u32 length; /* of the whole table, header included */
	u8 revision;
	u8 checksum; /* all bytes of the table sum to 0 (mod 256) */
	char oem_id[6];
	char oem_table_id[8];
	u32 oem_revision;
	u32 creator_id;
	u32 creator_revision;
} __packed;

#define ACPI_MADT_PCAT_COMPAT (1u << 0) /* dual 8259 PICs present */

struct acpi_madt {
	struct acpi_sdt_header header;
	u32 local_apic_address;
	u32 flags; /* ACPI_MADT_PCAT_COMPAT */
	/* followed by variable-length entries */
} __packed;

struct acpi_madt_entry_header {
	u8 type;
	u8 length;
} __packed;

#define ACPI_MADT_TYPE_LOCAL_APIC 0
#define ACPI_MADT_TYPE_LOCAL_X2APIC 9

#define ACPI_MADT_ENABLED (1u << 0)        /* processor usable now */
#define ACPI_MADT_ONLINE_CAPABLE (1u << 1) /* may be enabled later */

struct acpi_madt_local_apic {
	struct acpi_madt_entry_header header; /* type 0, length 8 */
	u8 processor_uid;
	u8 apic_id;
	u32 flags;
} __packed;

struct acpi_madt_local_x2apic {
	struct acpi_madt_entry_header header; /* type 9, length 16 */
	u16 reserved;
	u32 x2apic_id;
	u32 flags;
	u32 processor_uid;
} __packed;

_Static_assert(sizeof(struct acpi_sdt_header) == 36, "ACPI SDT header");
_Static_assert(offsetof(struct acpi_sdt_header, checksum) == 9, "ACPI SDT header");
_Static_assert(offsetof(struct acpi_sdt_header, oem_revision) == 24, "ACPI SDT header");
_Static_assert(sizeof(struct acpi_madt) == 44, "ACPI MADT header");
_Static_assert(offsetof(struct acpi_madt, local_apic_address) == 36, "ACPI MADT header");
_Static_assert(sizeof(struct acpi_madt_local_apic) == 8, "MADT local APIC");
_Static_assert(offsetof(struct acpi_madt_local_apic, apic_id) == 3, "MADT local APIC");
_Static_assert(sizeof(struct acpi_madt_local_x2apic) == 16, "MADT local x2APIC");
_Static_assert(offsetof(struct acpi_madt_local_x2apic, x2apic_id) == 4, "MADT local x2APIC");
_Static_assert(offsetof(struct acpi_madt_local_x2apic, processor_uid) == 12, "MADT x2APIC");

#endif
