/*
 * The launcher's reset ROM and start stub (igvm_rom.S, igvm_stub.S, embedded
 * by igvm_blobs.S) patched for one launch: the ROM learns the stub's GPA, the
 * stub gets its own GPA in its GDTR and far pointer, the context's GDTR/IDTR,
 * the iretq frame (RIP, CS, RFLAGS, RSP, SS) and a copy of the whole context.
 */
#include <string.h>

#include "igvm_blob.h"
#include "igvm_launch.h"

extern const u8 igvm_rom_blob[], igvm_rom_blob_end[];
extern const u8 igvm_stub_blob[], igvm_stub_blob_end[];

#define CTX_OFF(f) offsetof(struct igvm_native_vp_context_x64, f)
_Static_assert(CTX_OFF(rax) == CTX_RAX && CTX_OFF(rcx) == CTX_RCX && CTX_OFF(rdx) == CTX_RDX &&
	       CTX_OFF(rbx) == CTX_RBX && CTX_OFF(rbp) == CTX_RBP && CTX_OFF(rsi) == CTX_RSI &&
	       CTX_OFF(rdi) == CTX_RDI, "stub context offsets (GPRs)");
_Static_assert(CTX_OFF(r8) == CTX_R8 && CTX_OFF(r9) == CTX_R9 && CTX_OFF(r10) == CTX_R10 &&
	       CTX_OFF(r11) == CTX_R11 && CTX_OFF(r12) == CTX_R12 && CTX_OFF(r13) == CTX_R13 &&
	       CTX_OFF(r14) == CTX_R14 && CTX_OFF(r15) == CTX_R15, "stub context offsets (r8+)");
_Static_assert(CTX_OFF(data_selector) == CTX_DATA_SEL && CTX_OFF(gs_base) == CTX_GS_BASE &&
	       CTX_OFF(cr0) == CTX_CR0 && CTX_OFF(cr3) == CTX_CR3 && CTX_OFF(cr4) == CTX_CR4 &&
	       CTX_OFF(efer) == CTX_EFER, "stub context offsets (system)");
_Static_assert(STUB_CTX_OFF + sizeof(struct igvm_native_vp_context_x64) <= STUB_SIZE,
	       "context copy inside the stub page");
_Static_assert(STUB_FRAME_OFF + 5 * 8 <= STUB_MAGIC_OFF, "iretq frame before the magic");
_Static_assert(STUB_SIZE == IGVM_PAGE_SIZE, "the stub is one page");

static void igvm_put32(u8 *p, u32 v)
{
	memcpy(p, &v, sizeof(v));
}

static void igvm_put_dtr(u8 *p, u16 limit, u64 base)
{
	memcpy(p, &limit, sizeof(limit));
	memcpy(p + 2, &base, sizeof(base));
}

size_t igvm_stub_rom_size(void)
{
	return ROM_SIZE;
}

int igvm_stub_rom(u8 *rom, size_t size, u64 stub_gpa, struct igvm_err *e)
{
	if ((size_t)(igvm_rom_blob_end - igvm_rom_blob) != ROM_SIZE || size != ROM_SIZE ||
	    memcmp(igvm_rom_blob + ROM_MAGIC_OFF, "CPRAROM1", 8))
		return igvm_errf(e, "launch: the embedded reset ROM is corrupt");
	if (stub_gpa >> 32)
		return igvm_errf(e, "launch: stub page 0x%llx above 4 GiB",
				 (unsigned long long)stub_gpa);
	memcpy(rom, igvm_rom_blob, ROM_SIZE);
	igvm_put32(rom + ROM_STUB_PTR_OFF, (u32)stub_gpa);
	return 0;
}

int igvm_stub_page(u8 *page, u64 stub_gpa, const struct igvm_native_vp_context_x64 *ctx,
		   struct igvm_err *e)
{
	u64 frame[5] = { ctx->rip, ctx->code_selector, ctx->rflags, ctx->rsp, ctx->data_selector };

	if ((size_t)(igvm_stub_blob_end - igvm_stub_blob) != STUB_SIZE ||
	    memcmp(igvm_stub_blob + STUB_MAGIC_OFF, "CPRASTB1", 8))
		return igvm_errf(e, "launch: the embedded start stub is corrupt");
	if (stub_gpa >> 32)
		return igvm_errf(e, "launch: stub page 0x%llx above 4 GiB",
				 (unsigned long long)stub_gpa);
	memcpy(page, igvm_stub_blob, STUB_SIZE);
	igvm_put32(page + STUB_GDTR32_OFF + 2, (u32)stub_gpa + STUB_GDT_OFF);
	igvm_put32(page + STUB_FARPTR_OFF, (u32)stub_gpa + STUB_ENTRY64_OFF);
	igvm_put_dtr(page + STUB_GDTR64_OFF, ctx->gdtr_limit, ctx->gdtr_base);
	igvm_put_dtr(page + STUB_IDTR64_OFF, ctx->idtr_limit, ctx->idtr_base);
	memcpy(page + STUB_FRAME_OFF, frame, sizeof(frame));
	memcpy(page + STUB_CTX_OFF, ctx, sizeof(*ctx));
	return 0;
}
