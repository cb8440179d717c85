/* Chooses the platform operations table once, from the type the boot image passes. */
#include <copra/errno.h>
#include <copra/section.h>
#include <platform/platform.h>

const struct platform_ops *platform __ro_after_init = &platform_native_ops;

int platform_select(enum boot_platform type)
{
	switch (type) {
	case BOOT_PLATFORM_NATIVE:
		platform = &platform_native_ops;
		return 0;
	case BOOT_PLATFORM_SNP:
		platform = &platform_snp_ops;
		return 0;
	case BOOT_PLATFORM_TDX:
		platform = &platform_tdx_ops;
		return 0;
	}
	return -E_INVAL;
}
