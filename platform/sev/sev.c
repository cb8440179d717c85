/*
 * AMD SEV-SNP back end (VMPL0). Not implemented yet: the table exists so the
 * kernel's platform seam is shaped for it, and an SNP boot stops at
 * early_init with -E_NOSYS instead of running with native assumptions.
 */
#include <arch/x86.h>
#include <copra/errno.h>
#include <platform/platform.h>

static int snp_early_init(const struct bootinfo *bi)
{
	(void)bi;
	return -E_NOSYS;
}

static __noreturn void snp_terminate(int code)
{
	(void)code;
	for (;;) {
		cli();
		hlt();
	}
}

const struct platform_ops platform_snp_ops = {
	.name = "snp",
	.type = BOOT_PLATFORM_SNP,
	.early_init = snp_early_init,
	.terminate = snp_terminate,
};
