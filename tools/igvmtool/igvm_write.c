/*
 * IGVM serializer: turns a model into file bytes. Layout: fixed header,
 * variable headers (each 8-byte aligned, zero padding), then file data
 * starting at the next 4 KiB boundary, in directive order. Deterministic: the
 * output depends on the model only.
 */
#include <stdlib.h>
#include <string.h>

#include "igvm_model.h"

#define IGVM_MAX_BODY 1024u

struct igvm_writer {
	u8 *buf;
	size_t pos;
};

static u32 igvm_encode_platform(const struct igvm_platform *pl, u8 *body)
{
	struct igvm_vhs_supported_platform w = {
		.compatibility_mask = pl->mask,
		.highest_vtl = pl->highest_vtl,
		.platform_type = pl->type,
		.platform_version = pl->version,
		.shared_gpa_boundary = pl->shared_gpa_boundary,
	};

	memcpy(body, &w, sizeof(w));
	return sizeof(w);
}

static u32 igvm_encode_init(const struct igvm_init *in, u8 *body)
{
	struct igvm_vhs_guest_policy w = { .policy = in->policy, .compatibility_mask = in->mask };

	if (in->type != IGVM_VHT_GUEST_POLICY) {
		memcpy(body, in->body, in->body_len);
		return in->body_len;
	}
	memcpy(body, &w, sizeof(w));
	return sizeof(w);
}

static u32 igvm_encode_pages(const struct igvm_dir *d, u8 *body)
{
	if (d->type == IGVM_VHT_PAGE_DATA) {
		struct igvm_vhs_page_data w = {
			.gpa = d->gpa, .compatibility_mask = d->mask, .file_offset = d->file_offset,
			.flags = d->flags, .data_type = d->data_type,
		};
		memcpy(body, &w, sizeof(w));
		return sizeof(w);
	}
	if (d->type == IGVM_VHT_VP_CONTEXT) {
		struct igvm_vhs_vp_context w = {
			.gpa = d->gpa, .compatibility_mask = d->mask, .file_offset = d->file_offset,
			.vp_index = d->vp_index,
		};
		memcpy(body, &w, sizeof(w));
		return sizeof(w);
	}
	{
		struct igvm_vhs_required_memory w = {
			.gpa = d->gpa, .compatibility_mask = d->mask,
			.number_of_bytes = (u32)d->size, .flags = d->flags,
		};
		memcpy(body, &w, sizeof(w));
		return sizeof(w);
	}
}

static u32 igvm_encode_params(const struct igvm_dir *d, u8 *body)
{
	if (d->type == IGVM_VHT_PARAMETER_AREA) {
		struct igvm_vhs_parameter_area w = {
			.number_of_bytes = d->size, .parameter_area_index = d->area,
			.file_offset = d->file_offset,
		};
		memcpy(body, &w, sizeof(w));
		return sizeof(w);
	}
	if (d->type == IGVM_VHT_PARAMETER_INSERT) {
		struct igvm_vhs_parameter_insert w = {
			.gpa = d->gpa, .compatibility_mask = d->mask,
			.parameter_area_index = d->area,
		};
		memcpy(body, &w, sizeof(w));
		return sizeof(w);
	}
	{
		struct igvm_vhs_parameter w = {
			.parameter_area_index = d->area, .byte_offset = d->byte_offset,
		};
		memcpy(body, &w, sizeof(w));
		return sizeof(w);
	}
}

/* Encodes a directive body; 0 for types the writer does not produce. */
static u32 igvm_encode_dir(const struct igvm_dir *d, u8 *body)
{
	switch (d->type) {
	case IGVM_VHT_PAGE_DATA:
	case IGVM_VHT_VP_CONTEXT:
	case IGVM_VHT_REQUIRED_MEMORY:
		return igvm_encode_pages(d, body);
	case IGVM_VHT_PARAMETER_AREA:
	case IGVM_VHT_PARAMETER_INSERT:
		return igvm_encode_params(d, body);
	case IGVM_VHT_SNP_ID_BLOCK:
	case IGVM_VHT_VBS_MEASUREMENT:
		if (d->body_len > IGVM_MAX_BODY)
			return 0;
		memcpy(body, d->body, d->body_len);
		return d->body_len;
	default:
		return igvm_dir_is_parameter(d->type) ? igvm_encode_params(d, body) : 0;
	}
}

/* Appends one TL header + body (+ zero padding); a NULL buffer only counts. */
static void igvm_put_header(struct igvm_writer *w, u32 type, const u8 *body, u32 len)
{
	struct igvm_vhs_header tl = { .type = type, .length = len };
	size_t padded = ALIGN_UP(sizeof(tl) + len, (size_t)IGVM_TL_ALIGN);

	if (w->buf) {
		memcpy(w->buf + w->pos, &tl, sizeof(tl));
		memcpy(w->buf + w->pos + sizeof(tl), body, len);
		memset(w->buf + w->pos + sizeof(tl) + len, 0, padded - sizeof(tl) - len);
	}
	w->pos += padded;
}

static int igvm_put_headers(struct igvm_writer *w, const struct igvm_model *m,
			    struct igvm_err *e)
{
	u8 body[IGVM_MAX_BODY];

	for (u32 i = 0; i < m->plat_count; i++)
		igvm_put_header(w, IGVM_VHT_SUPPORTED_PLATFORM, body,
				igvm_encode_platform(&m->plat[i], body));
	for (u32 i = 0; i < m->init_count; i++) {
		if (m->inits[i].type != IGVM_VHT_GUEST_POLICY && m->inits[i].body_len > sizeof(body))
			return igvm_errf(e, "init header %u: body too large", i);
		igvm_put_header(w, m->inits[i].type, body, igvm_encode_init(&m->inits[i], body));
	}
	for (u32 i = 0; i < m->dir_count; i++) {
		u32 len = igvm_encode_dir(&m->dirs[i], body);

		if (len == 0)
			return igvm_errf(e, "directive %u: cannot write %s", i,
					 igvm_type_name(m->dirs[i].type));
		igvm_put_header(w, m->dirs[i].type, body, len);
	}
	return 0;
}

/* Assigns file offsets to the directives' data; returns the total file size. */
static u64 igvm_place_data(struct igvm_model *m, u64 data_start)
{
	u64 pos = data_start;

	for (u32 i = 0; i < m->dir_count; i++) {
		struct igvm_dir *d = &m->dirs[i];

		d->file_offset = 0;
		if (!d->data || pos > IGVM_MAX_FILE_SIZE)
			continue;
		d->file_offset = (u32)pos;
		pos += d->data_len;
	}
	return pos;
}

static void igvm_put_fixed(struct igvm_writer *w, struct igvm_model *m, u32 hsize)
{
	struct igvm_fixed_header_v2 h = {
		.v1 = {
			.magic = IGVM_MAGIC,
			.format_version = m->format_version,
			.variable_header_offset = m->vh_offset,
			.variable_header_size = m->vh_size,
			.total_file_size = m->total_size,
		},
		.architecture = m->arch,
		.page_size = m->page_size,
	};

	memcpy(w->buf, &h, hsize);
	m->checksum = igvm_crc32(0, w->buf, hsize);
	m->checksum = igvm_crc32(m->checksum, w->buf + m->vh_offset, m->vh_size);
	memcpy(w->buf + offsetof(struct igvm_fixed_header, checksum), &m->checksum,
	       sizeof(m->checksum));
}

int igvm_write(struct igvm_model *m, u8 **out, size_t *out_len, struct igvm_err *e)
{
	struct igvm_writer w = { NULL, 0 };
	u32 hsize = m->format_version == IGVM_FORMAT_V2 ? sizeof(struct igvm_fixed_header_v2)
							 : sizeof(struct igvm_fixed_header);
	u64 total;

	w.pos = hsize;
	if (igvm_put_headers(&w, m, e) < 0)
		return -1;
	m->vh_offset = hsize;
	m->vh_size = (u32)(w.pos - hsize);
	total = igvm_place_data(m, ALIGN_UP((u64)w.pos, (u64)IGVM_PAGE_SIZE));
	if (total > IGVM_MAX_FILE_SIZE)
		return igvm_errf(e, "image too large for an IGVM file (%llu bytes)",
				 (unsigned long long)total);
	m->total_size = (u32)total;
	w.buf = calloc(1, total);
	if (!w.buf)
		return igvm_errf(e, "out of memory");
	w.pos = hsize;
	igvm_put_headers(&w, m, e);
	for (u32 i = 0; i < m->dir_count; i++) {
		if (m->dirs[i].data)
			memcpy(w.buf + m->dirs[i].file_offset, m->dirs[i].data, m->dirs[i].data_len);
	}
	igvm_put_fixed(&w, m, hsize);
	*out = w.buf;
	*out_len = total;
	return 0;
}
