/*
 * The boot contract between igvmtool (which lays out the boot image at build
 * time) and the kernel: the boot information block, the kernel entry state
 * and the platform type values. Part of the launch measurement.
 *
 * Kernel entry (every platform, BSP): 64-bit mode, CS = BOOT_GDT_CODE64,
 * paging on with CR3 = bootinfo.pml4_phys, interrupts off,
 *   RSP = bootinfo.boot_stack_top_va (16-byte aligned),
 *   RDI = virtual address of the struct bootinfo,
 *   RSI = enum boot_platform.
 */
#ifndef ABI_BOOT_H
#define ABI_BOOT_H

#include <copra/types.h>

#define BOOTINFO_MAGIC 0x314F4F4241525043ULL /* "CPRABOO1" little-endian */
#define BOOTINFO_VERSION 1

/* Value of RSI at kernel entry. */
enum boot_platform {
	BOOT_PLATFORM_NATIVE = 0,
	BOOT_PLATFORM_SNP = 1,
	BOOT_PLATFORM_TDX = 2,
};

/* IGVM compatibility-mask bits igvmtool uses for each platform. */
#define BOOT_MASK_SNP (1u << 0)
#define BOOT_MASK_NATIVE (1u << 1)
#define BOOT_MASK_TDX (1u << 2)

/* Boot GDT that igvmtool places in the bootinfo page (accessed bits preset). */
#define BOOT_GDT_CODE64 0x08
#define BOOT_GDT_DATA 0x10
#define BOOTINFO_GDT_OFFSET 0xF00 /* offset of the boot GDT inside the bootinfo page */

/* Flags. */
#define BOOTINFO_F_TEST_BUILD (1u << 0) /* test or benchmark image: exit QEMU through isa-debug-exit */

struct bootinfo {
	u64 magic;               /* BOOTINFO_MAGIC */
	u32 version;             /* BOOTINFO_VERSION */
	u32 size;                /* sizeof(struct bootinfo) */

	/* Frames in [image_phys_start, image_phys_end) are in use at entry. */
	u64 image_phys_start;
	u64 image_phys_end;
	u64 pml4_phys;           /* boot PML4 */
	u64 trampoline_phys;     /* identity-mapped page for AP start */

	/* Parameter areas the IGVM loader fills: untrusted contents. */
	u64 param_general_gpa;   /* u32 vp_count at +0, u32 environment_info at +4 */
	u64 param_memmap_gpa;    /* IGVM memory map entries, zero-terminated */
	u32 param_memmap_size;
	u32 reserved0;
	u64 param_madt_gpa;      /* ACPI MADT */
	u32 param_madt_size;
	u32 reserved1;

	/* User-program archive (measured page data), 0 when absent. */
	u64 archive_gpa;
	u64 archive_size;
	u8 archive_sha256[32];

	/* Boot stack in the global slot; the page below bottom is a guard. */
	u64 boot_stack_bottom_va;
	u64 boot_stack_top_va;

	u16 console_port;        /* COM1 I/O port for the early console */
	u16 reserved2;
	u32 flags;               /* BOOTINFO_F_* */
	u32 platforms;           /* BOOT_MASK_* of the platforms in the image */
	u32 reserved3;
};

_Static_assert(sizeof(struct bootinfo) == 0xa8, "bootinfo size");
_Static_assert(offsetof(struct bootinfo, image_phys_start) == 0x10, "bootinfo layout");
_Static_assert(offsetof(struct bootinfo, param_general_gpa) == 0x30, "bootinfo layout");
_Static_assert(offsetof(struct bootinfo, archive_gpa) == 0x58, "bootinfo layout");
_Static_assert(offsetof(struct bootinfo, archive_sha256) == 0x68, "bootinfo layout");
_Static_assert(offsetof(struct bootinfo, boot_stack_bottom_va) == 0x88, "bootinfo layout");
_Static_assert(offsetof(struct bootinfo, console_port) == 0x98, "bootinfo layout");
_Static_assert(offsetof(struct bootinfo, platforms) == 0xa0, "bootinfo layout");

#endif
