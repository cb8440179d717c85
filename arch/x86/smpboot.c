/* Installs the AP trampoline (arch/x86/trampoline.S) in its page for the next AP. */
#include <arch/smpboot.h>
#include <copra/string.h>
#include <copra/tmpmap.h>

extern const u8 ap_trampoline_start[], ap_trampoline_end[];
extern const u8 ap_trampoline_boot_cr3[], ap_trampoline_root[], ap_trampoline_stack[];
extern const u8 ap_trampoline_entry[];
extern const u8 arch_ap_entry[];

static void tramp_put(u8 *page, const u8 *field, u64 v)
{
	memcpy(page + (field - ap_trampoline_start), &v, sizeof(v));
}

void arch_ap_trampoline_prepare(spa_t tramp, spa_t boot_root, spa_t ap_root, u64 stack_top)
{
	size_t len = (size_t)(ap_trampoline_end - ap_trampoline_start);
	struct tmpmap m;
	u8 *page = tmpmap_map(tramp, &m);

	memcpy(page, ap_trampoline_start, len);
	tramp_put(page, ap_trampoline_boot_cr3, spa_addr(boot_root));
	tramp_put(page, ap_trampoline_root, spa_addr(ap_root));
	tramp_put(page, ap_trampoline_stack, stack_top);
	tramp_put(page, ap_trampoline_entry, (u64)(uintptr_t)arch_ap_entry);
	tmpmap_unmap(&m);
}
