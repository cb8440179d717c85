/*
 * Symbol lookup in the table scripts/gen-ksyms appends to the image:
 *   u64 count; u64 addr[count] (sorted); u32 size[count]; u32 name_off[count];
 *   char names[]. A size of 0 (assembly labels) means "unknown".
 * Only __ksyms_start is referenced, so the table's size does not move code.
 */
#include <copra/ksyms.h>

extern const u8 __ksyms_start[], __ksyms_end[];

const char *ksyms_lookup(u64 addr, u64 *offset)
{
	const u8 *base = __ksyms_start;
	u64 size = (u64)(__ksyms_end - __ksyms_start), count, lo, hi;
	const u64 *addrs;
	const u32 *sizes, *offs;
	const char *names;

	if (size < 8)
		return NULL;
	count = *(const u64 *)base;
	if (count == 0 || count > (size - 8) / 16)
		return NULL;
	addrs = (const u64 *)(base + 8);
	sizes = (const u32 *)(base + 8 + count * 8);
	offs = (const u32 *)(base + 8 + count * 12);
	names = (const char *)(base + 8 + count * 16);
	if (addr < addrs[0])
		return NULL;
	lo = 0;
	hi = count;
	while (hi - lo > 1) {
		u64 mid = lo + (hi - lo) / 2;

		if (addrs[mid] <= addr)
			lo = mid;
		else
			hi = mid;
	}
	if (names + offs[lo] >= (const char *)__ksyms_end)
		return NULL;
	if (sizes[lo] && addr - addrs[lo] >= sizes[lo])
		return NULL;
	*offset = addr - addrs[lo];
	return names + offs[lo];
}
