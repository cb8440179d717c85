/*
 * Embeds the launcher's reset ROM and start stub (flat binaries assembled
 * from igvm_rom.S and igvm_stub.S at build time) into igvmtool.
 */
	.section .rodata
	.balign 16
	.globl	igvm_rom_blob, igvm_rom_blob_end
igvm_rom_blob:
	.incbin	"igvm_rom.bin"
igvm_rom_blob_end:
	.balign 16
	.globl	igvm_stub_blob, igvm_stub_blob_end
igvm_stub_blob:
	.incbin	"igvm_stub.bin"
igvm_stub_blob_end:

	.section .note.GNU-stack, "", @progbits
