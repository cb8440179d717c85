/* XSAVE/FXSAVE management for user tasks' extended register state. */
#include <arch/cpu.h>
#include <arch/fpu.h>
#include <arch/x86.h>
#include <copra/section.h>
#include <copra/string.h>
#include <platform/platform.h>

#define XCR0_X87 BIT(0)
#define XCR0_SSE BIT(1)
#define XCR0_AVX BIT(2)

static u64 fpu_xcr0 __ro_after_init;
static size_t fpu_size __ro_after_init = 512;

static void xsetbv(u32 reg, u64 v)
{
	__asm__ volatile("xsetbv" : : "c"(reg), "a"((u32)v), "d"((u32)(v >> 32)));
}

void arch_fpu_init_cpu(void)
{
	u32 r[4];

	write_cr4(read_cr4() | X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT);
	if (!cpu_features.xsave)
		return;
	write_cr4(read_cr4() | X86_CR4_OSXSAVE);
	platform_cpuid(0xD, 0, r);
	fpu_xcr0 = XCR0_X87 | XCR0_SSE | (r[0] & XCR0_AVX);
	xsetbv(0, fpu_xcr0);
	platform_cpuid(0xD, 0, r);
	fpu_size = r[1]; /* EBX: size for the enabled components */
}

size_t arch_fpu_area_size(void)
{
	return fpu_size;
}

u64 arch_fpu_xcr0(void)
{
	return fpu_xcr0;
}

void arch_fpu_init_area(void *area)
{
	u8 *a = area;
	u32 mxcsr = 0x1F80;
	u16 fcw = 0x037F;

	memset(a, 0, fpu_size);
	memcpy(a + 0, &fcw, sizeof(fcw));
	memcpy(a + 24, &mxcsr, sizeof(mxcsr));
}

void arch_fpu_save(void *area)
{
	if (fpu_xcr0)
		__asm__ volatile("xsave64 (%0)" : : "r"(area), "a"(0xFFFFFFFFu), "d"(0xFFFFFFFFu)
				 : "memory");
	else
		__asm__ volatile("fxsave64 (%0)" : : "r"(area) : "memory");
}

void arch_fpu_restore(void *area)
{
	if (fpu_xcr0)
		__asm__ volatile("xrstor64 (%0)" : : "r"(area), "a"(0xFFFFFFFFu), "d"(0xFFFFFFFFu)
				 : "memory");
	else
		__asm__ volatile("fxrstor64 (%0)" : : "r"(area) : "memory");
}
