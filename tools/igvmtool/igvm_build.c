/*
 * `igvmtool build`: kernel ELF (+ archive) -> IGVM v2 file. The guest memory
 * of the image is assembled in one buffer, then emitted as directives in this
 * fixed order (the launch measurement follows it):
 *   1. REQUIRED_MEMORY for [image_phys_start, image_phys_end)
 *   2. PAGE_DATA: kernel ELF pages by ascending GPA
 *   3. PAGE_DATA: boot page tables, boot stack, bootinfo page, BSP per-CPU data
 *   4. PARAMETER_AREA 0 (general), 1 (memory map), 2 (MADT); VP_COUNT (0,+0),
 *      ENVIRONMENT_INFO (0,+4), MEMORY_MAP (1,+0), MADT (2,+0); then
 *      PARAMETER_INSERT 0, 1, 2 at their GPAs (unmeasured, as IGVM defines)
 *   5. PAGE_DATA: the archive
 *   6. VP_CONTEXT (per platform; native: vp 0, gpa 0)
 * Every page whose 4096 bytes are all zero (bss, stack, spare tables) is an
 * IGVM zero page: file_offset 0, still measured page data. No timestamps, no
 * host state: equal inputs give byte-identical files.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "igvm_build.h"

struct igvm_builder {
	const struct igvm_build_cfg *cfg;
	struct igvm_elf elf;
	struct igvm_layout l;
	struct igvm_pt pt;
	u8 *mem; /* guest memory [l.image_start, l.image_end) */
	u8 ctx_page[IGVM_PAGE_SIZE];
	struct igvm_model m;
};

int igvm_build_parse_platforms(const char *list, u32 *mask, struct igvm_err *e)
{
	char buf[256], *save = NULL, *tok;

	*mask = 0;
	if (strlen(list) >= sizeof(buf))
		return igvm_errf(e, "platform list too long");
	strcpy(buf, list);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (!strcmp(tok, "native"))
			*mask |= BOOT_MASK_NATIVE;
		else if (!strcmp(tok, "snp") || !strcmp(tok, "sev-snp") || !strcmp(tok, "tdx"))
			return igvm_errf(e, "platform %s: not supported yet", tok);
		else
			return igvm_errf(e, "unknown platform '%s' (known: native, snp, tdx)", tok);
	}
	if (!*mask)
		return igvm_errf(e, "no platform given");
	return 0;
}

static u8 *igvm_build_page(struct igvm_builder *b, u64 gpa)
{
	return b->mem + (gpa - b->l.image_start);
}

static bool igvm_page_is_zero(const u8 *p)
{
	for (u32 i = 0; i < IGVM_PAGE_SIZE; i++) {
		if (p[i])
			return false;
	}
	return true;
}

static int igvm_build_pages(struct igvm_builder *b, u64 gpa, u64 size, struct igvm_err *e)
{
	for (u64 off = 0; off < size; off += IGVM_PAGE_SIZE) {
		struct igvm_dir *d = igvm_model_add_dir(&b->m, IGVM_VHT_PAGE_DATA);
		const u8 *page = igvm_build_page(b, gpa + off);

		if (!d)
			return igvm_errf(e, "out of memory");
		d->gpa = gpa + off;
		d->mask = b->cfg->platforms;
		d->data_type = IGVM_PAGE_TYPE_NORMAL;
		if (!igvm_page_is_zero(page)) {
			d->data = page;
			d->data_len = IGVM_PAGE_SIZE;
		}
	}
	return 0;
}

static struct igvm_dir *igvm_build_dir(struct igvm_builder *b, u32 type, u32 area, u32 off)
{
	struct igvm_dir *d = igvm_model_add_dir(&b->m, type);

	if (d) {
		d->area = area;
		d->byte_offset = off;
	}
	return d;
}

static int igvm_build_params(struct igvm_builder *b, struct igvm_err *e)
{
	static const u32 params[][3] = {
		{ IGVM_VHT_VP_COUNT_PARAMETER, 0, 0 },
		{ IGVM_VHT_ENVIRONMENT_INFO_PARAMETER, 0, 4 },
		{ IGVM_VHT_MEMORY_MAP, 1, 0 },
		{ IGVM_VHT_MADT, 2, 0 },
	};
	const u64 gpas[3] = { b->l.param_general, b->l.param_memmap, b->l.param_madt };
	struct igvm_dir *d;

	for (u32 i = 0; i < 3; i++) {
		d = igvm_build_dir(b, IGVM_VHT_PARAMETER_AREA, i, 0);
		if (!d)
			return igvm_errf(e, "out of memory");
		d->size = IGVM_PAGE_SIZE;
	}
	for (u32 i = 0; i < ARRAY_SIZE(params); i++) {
		if (!igvm_build_dir(b, params[i][0], params[i][1], params[i][2]))
			return igvm_errf(e, "out of memory");
	}
	for (u32 i = 0; i < 3; i++) {
		d = igvm_build_dir(b, IGVM_VHT_PARAMETER_INSERT, i, 0);
		if (!d)
			return igvm_errf(e, "out of memory");
		d->gpa = gpas[i];
		d->mask = b->cfg->platforms;
	}
	return 0;
}

static int igvm_build_emit(struct igvm_builder *b, struct igvm_err *e)
{
	const struct igvm_layout *l = &b->l;
	struct igvm_dir *d = igvm_model_add_dir(&b->m, IGVM_VHT_REQUIRED_MEMORY);

	if (!d)
		return igvm_errf(e, "out of memory");
	d->gpa = l->image_start;
	d->size = l->image_end - l->image_start;
	d->mask = b->cfg->platforms;
	for (u32 i = 0; i < b->elf.seg_count; i++) {
		const struct igvm_elf_seg *s = &b->elf.segs[i];
		u64 start = ALIGN_DOWN(s->paddr, PAGE_SIZE);

		if (igvm_build_pages(b, start, ALIGN_UP(s->paddr + s->memsz, PAGE_SIZE) - start,
				     e) < 0)
			return -1;
	}
	if (igvm_build_pages(b, l->pt_base, l->param_general - l->pt_base, e) < 0 ||
	    igvm_build_params(b, e) < 0 ||
	    igvm_build_pages(b, l->archive, ALIGN_UP(l->archive_size, PAGE_SIZE), e) < 0)
		return -1;
	d = igvm_model_add_dir(&b->m, IGVM_VHT_VP_CONTEXT);
	if (!d)
		return igvm_errf(e, "out of memory");
	d->mask = BOOT_MASK_NATIVE;
	d->vp_index = 0;
	d->gpa = 0;
	d->data = b->ctx_page;
	d->data_len = IGVM_PAGE_SIZE;
	return 0;
}

/* Fills guest memory: ELF segments, tables, bootinfo, archive, VP context. */
static int igvm_build_fill(struct igvm_builder *b, const u8 *archive, size_t archive_len,
			   struct igvm_err *e)
{
	struct igvm_native_vp_context_x64 ctx;
	u8 sha[32] = { 0 };

	b->mem = calloc(1, b->l.image_end - b->l.image_start);
	if (!b->mem)
		return igvm_errf(e, "out of memory");
	for (u32 i = 0; i < b->elf.seg_count; i++)
		memcpy(igvm_build_page(b, b->elf.segs[i].paddr), b->elf.segs[i].data,
		       b->elf.segs[i].filesz);
	memcpy(igvm_build_page(b, b->l.pt_base), b->pt.pages,
	       (size_t)b->l.pt_count * IGVM_PAGE_SIZE);
	if (archive_len) {
		if (!EVP_Digest(archive, archive_len, sha, NULL, EVP_sha256(), NULL))
			return igvm_errf(e, "SHA-256 of the archive failed");
		memcpy(igvm_build_page(b, b->l.archive), archive, archive_len);
	}
	igvm_layout_bootinfo(&b->l, b->cfg, sha, igvm_build_page(b, b->l.bootinfo));
	igvm_native_context(&b->l, b->elf.entry, &ctx);
	memcpy(b->ctx_page, &ctx, sizeof(ctx));
	return 0;
}

static int igvm_build_run(struct igvm_builder *b, const u8 *elf, size_t elf_len,
			  const u8 *archive, size_t archive_len, struct igvm_err *e)
{
	if (b->cfg->platforms != BOOT_MASK_NATIVE)
		return igvm_errf(e, "only the native platform is supported yet");
	if (igvm_elf_load(elf, elf_len, &b->elf, e) < 0 ||
	    igvm_layout_compute(&b->elf, archive_len, &b->l, &b->pt, e) < 0 ||
	    igvm_build_fill(b, archive, archive_len, e) < 0)
		return -1;
	b->m.format_version = IGVM_FORMAT_V2;
	b->m.arch = IGVM_ARCH_X64;
	b->m.page_size = IGVM_PAGE_SIZE;
	if (igvm_native_add_platform(&b->m) < 0)
		return igvm_errf(e, "too many platforms");
	return igvm_build_emit(b, e);
}

int igvm_build_image(const u8 *elf, size_t elf_len, const u8 *archive, size_t archive_len,
		     const struct igvm_build_cfg *cfg, u8 **out, size_t *out_len,
		     struct igvm_err *e)
{
	struct igvm_builder *b = calloc(1, sizeof(*b));
	int ret;

	if (!b)
		return igvm_errf(e, "out of memory");
	b->cfg = cfg;
	igvm_model_init(&b->m);
	ret = igvm_build_run(b, elf, elf_len, archive, archive_len, e);
	if (ret == 0)
		ret = igvm_write(&b->m, out, out_len, e);
	igvm_model_free(&b->m);
	free(b->mem);
	free(b);
	return ret;
}
