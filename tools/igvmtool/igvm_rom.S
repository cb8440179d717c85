/*
 * Reset ROM for the QEMU launcher (`-bios rom.bin`, 64 KiB ending at 4 GiB).
 * Runs on the BSP from the reset vector: 16-bit real mode -> 32-bit flat
 * protected mode through a GDT inside the ROM -> jumps to the start stub
 * whose GPA igvmtool patched in at ROM_STUB_PTR_OFF, with EBX = that GPA.
 * Assembled without relocations: every address is ROM_BASE + offset.
 */
#include "igvm_blob.h"

	.text
	.code16
rom_start:
rom_real:
	cli
	cld
	/* CS base is 0xFFFF0000 here: address ROM data CS-relative. */
	lgdtl	%cs:(rom_gdtr - rom_start)
	movl	%cr0, %eax
	orl	$1, %eax			/* PE */
	movl	%eax, %cr0
	ljmpl	$ROM_SEL_CODE32, $(ROM_BASE + rom_pm32 - rom_start)

	.code32
rom_pm32:
	movl	$ROM_SEL_DATA, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %ss
	movl	%eax, %fs
	movl	%eax, %gs
	movl	(ROM_BASE + ROM_STUB_PTR_OFF), %ebx
	jmp	*%ebx

	.p2align 3
rom_gdt:
	.quad	0
	.quad	0x00CF9B000000FFFF		/* 0x08: flat 32-bit code, accessed */
	.quad	0x00CF93000000FFFF		/* 0x10: flat data, accessed */
rom_gdtr:
	.word	rom_gdtr - rom_gdt - 1
	.long	ROM_BASE + rom_gdt - rom_start

	.org	ROM_STUB_PTR_OFF
	.long	0
	.org	ROM_MAGIC_OFF
	.ascii	"CPRAROM1"

	/* Reset vector: hand-encoded near jump (GNU as picks a wrong form here). */
	.org	ROM_RESET_OFF
	.byte	0xE9
	.word	((rom_real - rom_start) - (ROM_RESET_OFF + 3)) & 0xFFFF
	.org	ROM_SIZE
