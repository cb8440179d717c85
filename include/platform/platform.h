/*
 * The platform operations table: everything that differs between a plain
 * VM (native), AMD SEV-SNP at VMPL0 and the L1 of Intel TDX partitioning.
 * The table is chosen once at entry from the platform type the boot image
 * passes in RSI and is read-only afterwards. Core code calls the platform_*
 * wrappers below, never an instruction that a platform must intercept.
 */
#ifndef PLATFORM_PLATFORM_H
#define PLATFORM_PLATFORM_H

#include <abi/boot.h>
#include <copra/errno.h>
#include <copra/types.h>

struct bootinfo;

struct platform_ops {
	const char *name;              /* "native", "snp", "tdx" */
	enum boot_platform type;

	/* Earliest setup, before the console exists (SNP: GHCB MSR protocol). */
	int (*early_init)(const struct bootinfo *bi);
	/* Setup once memory and the BSP per-CPU area exist. */
	int (*init)(const struct bootinfo *bi);

	/* Port I/O (native: in/out; SNP: GHCB IOIO; TDX: TDVMCALL). */
	u32 (*io_read)(u16 port, unsigned size);
	void (*io_write)(u16 port, unsigned size, u32 value);

	/* CPUID as the platform wants it answered (SNP: the CPUID page). */
	void (*cpuid)(u32 leaf, u32 subleaf, u32 out[4]);

	/* Switches this CPU's local APIC to x2APIC mode (TDX: already on). */
	void (*apic_enable)(void);
	/* Local APIC in x2APIC register numbering (MSR 0x800 + reg). */
	u64 (*apic_read)(u32 reg);
	void (*apic_write)(u32 reg, u64 value);
	/* Starts the AP with this APIC ID at the real-mode trampoline page. */
	int (*start_cpu)(u32 apic_id, spa_t trampoline);

	/* Make frames private/accepted (SNP: PVALIDATE; TDX: ACCEPT) or release them. */
	int (*validate_frames)(spa_t first, u64 count, bool valid);

	/* TSC frequency in kHz (native: calibrated against the PIT). */
	u64 (*tsc_khz)(void);
	/* Halt until an interrupt with interrupts enabled atomically. */
	void (*idle_halt)(void);
	/* Ends the VM: code 0 = success (tests), other = failure. */
	__noreturn void (*terminate)(int code);
	/* true when vector was delivered as a hardware interrupt. */
	bool (*is_external_interrupt)(u8 vector);
	/* Host-provided command line (untrusted; test images only use it). */
	int (*cmdline)(char *buf, size_t size);
};

/* The selected table; valid after platform_select(). */
extern const struct platform_ops *platform;

int platform_select(enum boot_platform type);

static inline const char *platform_name(void) { return platform->name; }
static inline u8 platform_inb(u16 port) { return (u8)platform->io_read(port, 1); }
static inline void platform_outb(u16 port, u8 v) { platform->io_write(port, 1, v); }
static inline u32 platform_inl(u16 port) { return platform->io_read(port, 4); }
static inline void platform_outl(u16 port, u32 v) { platform->io_write(port, 4, v); }
static inline void platform_cpuid(u32 leaf, u32 sub, u32 out[4]) { platform->cpuid(leaf, sub, out); }
static inline u64 platform_apic_read(u32 reg) { return platform->apic_read(reg); }
static inline void platform_apic_write(u32 reg, u64 v) { platform->apic_write(reg, v); }
static inline int platform_start_cpu(u32 apic_id, spa_t tramp) { return platform->start_cpu(apic_id, tramp); }
static inline int platform_validate_frames(spa_t f, u64 n, bool valid) { return platform->validate_frames(f, n, valid); }
static inline u64 platform_tsc_khz(void) { return platform->tsc_khz(); }
static inline void platform_idle_halt(void) { platform->idle_halt(); }
static inline __noreturn void platform_terminate(int code) { platform->terminate(code); }
static inline int platform_cmdline(char *buf, size_t size)
{
	return platform->cmdline ? platform->cmdline(buf, size) : -E_NOSYS;
}

/* The back ends. */
extern const struct platform_ops platform_native_ops;
extern const struct platform_ops platform_snp_ops;
extern const struct platform_ops platform_tdx_ops;

#endif
