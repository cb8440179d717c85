/*
 * IGVM parser. The file is hostile: every header and every file_offset is
 * bounds-checked with overflow-safe arithmetic before it is read, bodies are
 * copied out with memcpy (no unaligned access), nothing is allocated from an
 * unchecked size, and the first violation ends parsing with a one-line reason.
 * Cross-header rules live in igvm_validate.c.
 */
#include <string.h>

#include "igvm_parse.h"

static int igvm_parse_fixed_rest(struct igvm_parser *p, const struct igvm_fixed_header_v2 *h,
				 u32 hsize);

static int igvm_parse_fixed(struct igvm_parser *p)
{
	struct igvm_fixed_header_v2 h;
	u32 hsize = sizeof(struct igvm_fixed_header);

	memset(&h, 0, sizeof(h));
	if (p->len < hsize)
		return igvm_errf(p->e, "truncated: file is %zu bytes, smaller than the fixed header",
				 p->len);
	memcpy(&h.v1, p->buf, hsize);
	if (h.v1.magic != IGVM_MAGIC)
		return igvm_errf(p->e, "bad magic 0x%08x (not an IGVM file)", h.v1.magic);
	if (h.v1.format_version == IGVM_FORMAT_V2) {
		hsize = sizeof(struct igvm_fixed_header_v2);
		if (p->len < hsize)
			return igvm_errf(p->e, "truncated: file is %zu bytes, smaller than the "
					 "version 2 fixed header", p->len);
		memcpy(&h, p->buf, hsize);
		if (h.architecture != IGVM_ARCH_X64)
			return igvm_errf(p->e, "architecture %u not supported (only x64)",
					 h.architecture);
		if (h.page_size != IGVM_PAGE_SIZE)
			return igvm_errf(p->e, "page size %u not supported (only 4096)", h.page_size);
	} else if (h.v1.format_version != IGVM_FORMAT_V1) {
		return igvm_errf(p->e, "format version %u not supported", h.v1.format_version);
	} else {
		h.architecture = IGVM_ARCH_X64;
		h.page_size = IGVM_PAGE_SIZE;
	}
	return igvm_parse_fixed_rest(p, &h, hsize);
}

static int igvm_parse_fixed_rest(struct igvm_parser *p, const struct igvm_fixed_header_v2 *h,
				 u32 hsize)
{
	const struct igvm_fixed_header *f = &h->v1;
	u8 hdr[sizeof(struct igvm_fixed_header_v2)];
	u32 crc;

	if (f->total_file_size != p->len)
		return igvm_errf(p->e, "%s: file is %zu bytes, header says %u",
				 p->len < f->total_file_size ? "truncated" : "size mismatch", p->len,
				 f->total_file_size);
	if (f->variable_header_offset < hsize)
		return igvm_errf(p->e, "variable header offset 0x%x overlaps the fixed header",
				 f->variable_header_offset);
	if (f->variable_header_offset % IGVM_TL_ALIGN)
		return igvm_errf(p->e, "variable header offset 0x%x not 8-byte aligned",
				 f->variable_header_offset);
	p->vh_end = (u64)f->variable_header_offset + f->variable_header_size;
	if (p->vh_end > p->len)
		return igvm_errf(p->e, "truncated: variable headers end at 0x%llx, file is %zu bytes",
				 (unsigned long long)p->vh_end, p->len);
	if (f->variable_header_size == 0)
		return igvm_errf(p->e, "no variable headers");
	for (u32 i = hsize; i < f->variable_header_offset; i++) {
		if (p->buf[i])
			return igvm_errf(p->e, "nonzero byte at 0x%x before the variable headers", i);
	}
	memcpy(hdr, p->buf, hsize);
	memset(hdr + offsetof(struct igvm_fixed_header, checksum), 0, sizeof(u32));
	crc = igvm_crc32(0, hdr, hsize);
	crc = igvm_crc32(crc, p->buf + f->variable_header_offset, f->variable_header_size);
	if (crc != f->checksum)
		return igvm_errf(p->e, "bad checksum: stored 0x%08x computed 0x%08x", f->checksum,
				 crc);
	p->m->format_version = f->format_version;
	p->m->arch = h->architecture;
	p->m->page_size = h->page_size;
	p->m->vh_offset = f->variable_header_offset;
	p->m->vh_size = f->variable_header_size;
	p->m->total_size = f->total_file_size;
	p->m->checksum = f->checksum;
	return 0;
}

int igvm_parse_data(struct igvm_parser *p, u32 off, u64 n, const u8 **data)
{
	*data = NULL;
	if (off == 0)
		return 0;
	if (off < p->vh_end)
		return igvm_errf(p->e, "%s: file_offset 0x%x inside the headers", p->label, off);
	if (n > p->len || off > p->len - n)
		return igvm_errf(p->e, "%s: file_offset 0x%x + %llu past end of file", p->label, off,
				 (unsigned long long)n);
	*data = p->buf + off;
	return 0;
}

int igvm_parse_mask(struct igvm_parser *p, u32 mask)
{
	u32 all = igvm_model_all_masks(p->m);

	if (mask == 0)
		return igvm_errf(p->e, "%s: compatibility mask is 0", p->label);
	if (mask & ~all)
		return igvm_errf(p->e, "%s: compatibility mask 0x%x names an undeclared platform",
				 p->label, mask);
	return 0;
}

static int igvm_parse_platform(struct igvm_parser *p, const u8 *body)
{
	struct igvm_vhs_supported_platform w;
	struct igvm_platform *pl;
	u32 n = p->m->plat_count;

	memcpy(&w, body, sizeof(w));
	if (n >= IGVM_MAX_PLATFORMS)
		return igvm_errf(p->e, "%s: too many platforms", p->label);
	if (__builtin_popcount(w.compatibility_mask) != 1)
		return igvm_errf(p->e, "%s: compatibility mask 0x%x must have exactly one bit set",
				 p->label, w.compatibility_mask);
	if (w.compatibility_mask & igvm_model_all_masks(p->m))
		return igvm_errf(p->e, "%s: duplicate compatibility mask 0x%x", p->label,
				 w.compatibility_mask);
	if (w.platform_type > IGVM_PLATFORM_SEV_ES)
		return igvm_errf(p->e, "%s: platform type %u not supported on x64", p->label,
				 w.platform_type);
	if (igvm_model_platform(p->m, w.platform_type))
		return igvm_errf(p->e, "%s: duplicate platform %s", p->label,
				 igvm_platform_name(w.platform_type));
	if (w.highest_vtl != 0 && w.highest_vtl != 2)
		return igvm_errf(p->e, "%s: highest_vtl %u (must be 0 or 2)", p->label,
				 w.highest_vtl);
	if (w.platform_version != 1)
		return igvm_errf(p->e, "%s: platform version %u (must be 1)", p->label,
				 w.platform_version);
	if ((w.platform_type == IGVM_PLATFORM_NATIVE ||
	     w.platform_type == IGVM_PLATFORM_VSM_ISOLATION) && w.shared_gpa_boundary)
		return igvm_errf(p->e, "%s: shared_gpa_boundary 0x%llx must be 0 for %s", p->label,
				 (unsigned long long)w.shared_gpa_boundary,
				 igvm_platform_name(w.platform_type));
	pl = &p->m->plat[n];
	pl->mask = w.compatibility_mask;
	pl->type = w.platform_type;
	pl->highest_vtl = w.highest_vtl;
	pl->version = w.platform_version;
	pl->shared_gpa_boundary = w.shared_gpa_boundary;
	p->m->plat_count = n + 1;
	return 0;
}

static int igvm_parse_init(struct igvm_parser *p, u32 type, const u8 *body, u32 len)
{
	struct igvm_vhs_guest_policy gp;
	struct igvm_init *in;
	u32 mask;

	memcpy(&mask, body, sizeof(mask)); /* first field of the relocation bodies */
	if (type == IGVM_VHT_GUEST_POLICY) {
		memcpy(&gp, body, sizeof(gp));
		mask = gp.compatibility_mask;
		if (gp.reserved)
			return igvm_errf(p->e, "%s: reserved field 0x%x not zero", p->label,
					 gp.reserved);
	}
	if (igvm_parse_mask(p, mask) < 0)
		return -1;
	in = igvm_model_add_init(p->m, type);
	if (!in)
		return igvm_errf(p->e, "out of memory");
	in->mask = mask;
	if (type == IGVM_VHT_GUEST_POLICY) {
		in->policy = gp.policy;
	} else {
		in->body = body;
		in->body_len = len;
	}
	return 0;
}

/* One variable header: section order, exact body size, then its decoder. */
static int igvm_parse_one(struct igvm_parser *p, u64 pos, u32 type, const u8 *body, u32 len)
{
	enum igvm_section sec;
	u32 size;

	if (type >= IGVM_VHT_PLATFORM_FIRST && type <= IGVM_VHT_PLATFORM_LAST)
		sec = IGVM_SEC_PLATFORM;
	else if (type >= IGVM_VHT_INIT_FIRST && type <= IGVM_VHT_INIT_LAST)
		sec = IGVM_SEC_INIT;
	else
		sec = IGVM_SEC_DIRECTIVE;
	size = igvm_type_body_size(type);
	if (size == 0)
		return igvm_errf(p->e, "header at 0x%llx: unknown type 0x%x%s",
				 (unsigned long long)pos, type,
				 (type & IGVM_VHT_OPTIONAL) ? " (optional types are not supported)" : "");
	if (sec < p->section)
		return igvm_errf(p->e, "header at 0x%llx: %s after the %s section (wrong section "
				 "order)", (unsigned long long)pos, igvm_type_name(type),
				 p->section == IGVM_SEC_INIT ? "initialization" : "directive");
	p->section = sec;
	if (len != size)
		return igvm_errf(p->e, "header at 0x%llx: %s body is %u bytes, expected %u",
				 (unsigned long long)pos, igvm_type_name(type), len, size);
	if (sec == IGVM_SEC_PLATFORM) {
		snprintf(p->label, sizeof(p->label), "platform %u", p->m->plat_count);
		return igvm_parse_platform(p, body);
	}
	if (p->m->plat_count == 0)
		return igvm_errf(p->e, "header at 0x%llx: %s before any SUPPORTED_PLATFORM",
				 (unsigned long long)pos, igvm_type_name(type));
	if (sec == IGVM_SEC_INIT) {
		snprintf(p->label, sizeof(p->label), "init header %u", p->m->init_count);
		return igvm_parse_init(p, type, body, len);
	}
	snprintf(p->label, sizeof(p->label), "directive %u", p->m->dir_count);
	return igvm_parse_directive(p, type, body, len);
}

static int igvm_parse_headers(struct igvm_parser *p)
{
	u64 pos = p->m->vh_offset;
	u32 count = 0;

	while (pos < p->vh_end) {
		struct igvm_vhs_header tl;
		u64 end, pad_end;

		if (++count > IGVM_MAX_HEADERS)
			return igvm_errf(p->e, "more than %u variable headers", IGVM_MAX_HEADERS);

		if (p->vh_end - pos < sizeof(tl))
			return igvm_errf(p->e, "header at 0x%llx: truncated type/length",
					 (unsigned long long)pos);
		memcpy(&tl, p->buf + pos, sizeof(tl));
		if (tl.length > p->vh_end - pos - sizeof(tl))
			return igvm_errf(p->e, "header at 0x%llx: length %u runs past the variable "
					 "headers", (unsigned long long)pos, tl.length);
		end = pos + sizeof(tl) + tl.length;
		pad_end = MIN(ALIGN_UP(end, (u64)IGVM_TL_ALIGN), p->vh_end);
		for (u64 i = end; i < pad_end; i++) {
			if (p->buf[i])
				return igvm_errf(p->e, "header at 0x%llx: nonzero padding byte at "
						 "0x%llx", (unsigned long long)pos,
						 (unsigned long long)i);
		}
		if (igvm_parse_one(p, pos, tl.type, p->buf + pos + sizeof(tl), tl.length) < 0)
			return -1;
		pos = ALIGN_UP(end, (u64)IGVM_TL_ALIGN);
	}
	if (p->m->plat_count == 0)
		return igvm_errf(p->e, "no SUPPORTED_PLATFORM header");
	return 0;
}

int igvm_parse(const u8 *buf, size_t len, struct igvm_model *m, struct igvm_err *e)
{
	struct igvm_parser p;

	igvm_model_init(m);
	memset(&p, 0, sizeof(p));
	p.buf = buf;
	p.len = len;
	p.m = m;
	p.e = e;
	if ((u64)len > IGVM_MAX_FILE_SIZE)
		return igvm_errf(e, "file is %zu bytes, larger than IGVM allows", len);
	if (igvm_parse_fixed(&p) < 0 || igvm_parse_headers(&p) < 0 || igvm_validate(m, e) < 0) {
		igvm_model_free(m);
		return -1;
	}
	return 0;
}
