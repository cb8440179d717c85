/*
 * The native platform: Copra as an ordinary VM guest. Hardware is reached
 * directly (port I/O, MSRs, CPUID); there is no memory to validate.
 */
#include <arch/x86.h>
#include <copra/errno.h>
#include <copra/section.h>
#include <platform/platform.h>

#include "native.h"

static bool native_test_exit __ro_after_init;

static int native_early_init(const struct bootinfo *bi)
{
	native_test_exit = (bi->flags & BOOTINFO_F_TEST_BUILD) != 0;
	/* Mask the legacy PICs: Copra takes interrupts through the local APIC only. */
	outb(0x21, 0xff);
	outb(0xa1, 0xff);
	return 0;
}

static int native_init(const struct bootinfo *bi)
{
	(void)bi;
	return 0;
}

static u32 native_io_read(u16 port, unsigned size)
{
	switch (size) {
	case 1: return inb(port);
	case 2: return inw(port);
	default: return inl(port);
	}
}

static void native_io_write(u16 port, unsigned size, u32 v)
{
	switch (size) {
	case 1: outb(port, (u8)v); break;
	case 2: outw(port, (u16)v); break;
	default: outl(port, v); break;
	}
}

static void native_cpuid(u32 leaf, u32 sub, u32 out[4])
{
	struct cpuid_regs r = cpuid(leaf, sub);

	out[0] = r.eax;
	out[1] = r.ebx;
	out[2] = r.ecx;
	out[3] = r.edx;
}

static u64 native_apic_read(u32 reg)
{
	return rdmsr(0x800 + reg);
}

static void native_apic_write(u32 reg, u64 v)
{
	wrmsr(0x800 + reg, v);
}

static void native_apic_enable(void)
{
	u64 base = rdmsr(MSR_APIC_BASE);

	/* EN and EXTD together: xAPIC -> x2APIC. */
	wrmsr(MSR_APIC_BASE, base | BIT(11) | BIT(10));
}

static int native_validate_frames(spa_t first, u64 count, bool valid)
{
	(void)first;
	(void)count;
	(void)valid;
	return 0;
}

static void native_idle_halt(void)
{
	__asm__ volatile("sti; hlt; cli" ::: "memory");
}

static __noreturn void native_terminate(int code)
{
	/* isa-debug-exit (test images): QEMU exits with (value << 1) | 1. */
	if (native_test_exit)
		outb(0xf4, code == 0 ? 0x10 : 0x11);
	for (;;) {
		cli();
		hlt();
	}
}

static bool native_is_external_interrupt(u8 vector)
{
	/* In-service bit of the vector: set only for interrupts the APIC delivered. */
	return (rdmsr(0x810 + vector / 32) >> (vector % 32)) & 1;
}

const struct platform_ops platform_native_ops = {
	.name = "native",
	.type = BOOT_PLATFORM_NATIVE,
	.early_init = native_early_init,
	.init = native_init,
	.io_read = native_io_read,
	.io_write = native_io_write,
	.cpuid = native_cpuid,
	.apic_enable = native_apic_enable,
	.apic_read = native_apic_read,
	.apic_write = native_apic_write,
	.start_cpu = native_start_cpu,
	.validate_frames = native_validate_frames,
	.tsc_khz = native_tsc_khz,
	.idle_halt = native_idle_halt,
	.terminate = native_terminate,
	.is_external_interrupt = native_is_external_interrupt,
	.cmdline = native_cmdline,
};
