/* Parsing of the ACPI MADT the loader provides (untrusted): the CPUs' APIC IDs. */
#ifndef COPRA_MADT_H
#define COPRA_MADT_H

#include <copra/types.h>

/*
 * Validates the table (signature, length, checksum, every entry's bounds) and
 * collects the APIC IDs of enabled processors in table order. Up to max IDs
 * are stored; *count is the number of enabled processors found. Duplicate
 * IDs are an error. Returns 0 or -E_INVAL with *why set.
 */
int madt_parse(const void *buf, size_t len, u32 *ids, unsigned max, unsigned *count,
	       const char **why);

#endif
