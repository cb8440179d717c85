/*
 * Fixed offsets shared by the launcher's reset ROM (igvm_rom.S), its start
 * stub (igvm_stub.S) and the C code that patches them (igvm_stub.c). Only
 * #defines: this header is included from assembly too.
 */
#ifndef IGVMTOOL_BLOB_H
#define IGVMTOOL_BLOB_H

/* Reset ROM: 64 KiB, mapped to end at 4 GiB (CS base 0xFFFF0000 at reset). */
#define ROM_SIZE 0x10000
#define ROM_BASE 0xFFFF0000
#define ROM_SEL_CODE32 0x08
#define ROM_SEL_DATA 0x10
#define ROM_STUB_PTR_OFF 0xFFE0 /* u32: GPA of the stub page (patched) */
#define ROM_MAGIC_OFF 0xFFE8    /* "CPRAROM1" */
#define ROM_RESET_OFF 0xFFF0    /* reset vector */

/* Start stub: one page, entered in 32-bit flat protected mode, EBX = its GPA. */
#define STUB_SIZE 0x1000
#define STUB_ENTRY64_OFF 0x100  /* 64-bit part */
#define STUB_GDT_OFF 0xE00      /* temporary GDT: null, code64, data */
#define STUB_SEL_CODE64 0x08
#define STUB_GDTR32_OFF 0xE20   /* u16 limit, u32 base (patched) */
#define STUB_FARPTR_OFF 0xE28   /* u32 offset (patched), u16 selector */
#define STUB_GDTR64_OFF 0xE30   /* u16 limit, u64 base: the context's GDTR (patched) */
#define STUB_IDTR64_OFF 0xE40   /* u16 limit, u64 base: the context's IDTR (patched) */
#define STUB_FRAME_OFF 0xE50    /* iretq frame: rip, cs, rflags, rsp, ss (patched) */
#define STUB_MAGIC_OFF 0xEF0    /* "CPRASTB1" */
#define STUB_CTX_OFF 0xF00      /* copy of the native VP context (patched) */

/* Offsets inside struct igvm_native_vp_context_x64 (static-asserted in igvm_stub.c). */
#define CTX_RAX 0x00
#define CTX_RCX 0x08
#define CTX_RDX 0x10
#define CTX_RBX 0x18
#define CTX_RBP 0x28
#define CTX_RSI 0x30
#define CTX_RDI 0x38
#define CTX_R8 0x40
#define CTX_R9 0x48
#define CTX_R10 0x50
#define CTX_R11 0x58
#define CTX_R12 0x60
#define CTX_R13 0x68
#define CTX_R14 0x70
#define CTX_R15 0x78
#define CTX_DATA_SEL 0xB4
#define CTX_GS_BASE 0xC0
#define CTX_CR0 0xC8
#define CTX_CR3 0xD0
#define CTX_CR4 0xD8
#define CTX_EFER 0xE0

#define STUB_MSR_EFER 0xC0000080
#define STUB_MSR_GS_BASE 0xC0000101
#define STUB_EFER_LMA 0x400
#define STUB_CR4_PCIDE 0x20000

#endif
