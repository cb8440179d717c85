/*
 * libFuzzer target for the MADT parser (kernel/acpi/madt.c): any bytes a
 * loader could put in the MADT parameter page. Accepted tables yield
 * distinct, valid APIC IDs.
 *   make build/fuzz/madt && build/fuzz/madt -max_total_time=300 build/fuzz-corpus/madt
 */
#include <stdlib.h>

#include <copra/madt.h>

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	u32 ids[16];
	unsigned n, i, k;
	const char *why;

	if (size > 4096 || madt_parse(data, size, ids, 16, &n, &why) != 0)
		return 0;
	if (n == 0)
		abort();
	for (i = 0; i < n && i < 16; i++)
		for (k = i + 1; k < n && k < 16; k++)
			if (ids[i] == ids[k] || ids[i] == 0xFFFFFFFFu)
				abort();
	return 0;
}
