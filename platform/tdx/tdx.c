/*
 * Intel TDX partitioning back end (L1 VMM). Not implemented yet: like the
 * SNP table, it stops the boot at early_init with -E_NOSYS.
 */
#include <arch/x86.h>
#include <copra/errno.h>
#include <platform/platform.h>

static int tdx_early_init(const struct bootinfo *bi)
{
	(void)bi;
	return -E_NOSYS;
}

static __noreturn void tdx_terminate(int code)
{
	(void)code;
	for (;;) {
		cli();
		hlt();
	}
}

const struct platform_ops platform_tdx_ops = {
	.name = "tdx",
	.type = BOOT_PLATFORM_TDX,
	.early_init = tdx_early_init,
	.terminate = tdx_terminate,
};
