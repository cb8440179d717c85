/*
 * Exception table: pairs (faulting instruction, resume address) emitted into
 * the .extable section next to code that may fault on purpose (user copies,
 * safe reads, tests). Linear search: the table is small and faults are rare.
 */
#include <arch/trap.h>

struct extable_entry {
	u64 insn;
	u64 fixup;
};

extern const struct extable_entry __extable_start[], __extable_end[];

u64 extable_fixup(u64 rip)
{
	const struct extable_entry *e;

	for (e = __extable_start; e < __extable_end; e++)
		if (e->insn == rip)
			return e->fixup;
	return 0;
}
