/*
 * IGVM directive decoders: each copies its fixed-size body out of the
 * hostile file, checks alignment, reserved fields, flags and file-data
 * bounds, and appends the decoded directive to the model.
 */
#include <string.h>

#include "igvm_parse.h"

/* True when [gpa, gpa + size) does not wrap around the address space. */
static bool igvm_range_ok(u64 gpa, u64 size)
{
	u64 end;

	return !add_overflow(gpa, size, &end);
}

static int igvm_parse_page_data(struct igvm_parser *p, struct igvm_dir *d, const u8 *body)
{
	struct igvm_vhs_page_data w;
	unsigned long long gpa;

	memcpy(&w, body, sizeof(w));
	gpa = w.gpa;
	d->gpa = w.gpa;
	d->mask = w.compatibility_mask;
	d->file_offset = w.file_offset;
	d->flags = w.flags;
	d->data_type = w.data_type;
	if (igvm_parse_mask(p, d->mask) < 0)
		return -1;
	if (!IS_ALIGNED(w.gpa, (u64)IGVM_PAGE_SIZE))
		return igvm_errf(p->e, "page data at 0x%llx: gpa not 4 KiB aligned", gpa);
	if (!igvm_range_ok(w.gpa, IGVM_PAGE_SIZE))
		return igvm_errf(p->e, "page data at 0x%llx: page wraps around", gpa);
	if (w.flags & ~IGVM_PAGE_F_KNOWN)
		return igvm_errf(p->e, "page data at 0x%llx: unknown flags 0x%x", gpa, w.flags);
	if (w.flags & IGVM_PAGE_F_2MB)
		return igvm_errf(p->e, "page data at 0x%llx: 2 MiB pages not supported", gpa);
	if (w.data_type > IGVM_PAGE_TYPE_CPUID_XF)
		return igvm_errf(p->e, "page data at 0x%llx: unknown data type %u", gpa,
				 w.data_type);
	if (w.reserved)
		return igvm_errf(p->e, "page data at 0x%llx: reserved field 0x%x not zero", gpa,
				 w.reserved);
	d->data_len = w.file_offset ? IGVM_PAGE_SIZE : 0;
	return igvm_parse_data(p, w.file_offset, IGVM_PAGE_SIZE, &d->data);
}

static int igvm_parse_area(struct igvm_parser *p, struct igvm_dir *d, const u8 *body)
{
	struct igvm_vhs_parameter_area w;

	memcpy(&w, body, sizeof(w));
	d->size = w.number_of_bytes;
	d->area = w.parameter_area_index;
	d->file_offset = w.file_offset;
	if (w.number_of_bytes == 0 || !IS_ALIGNED(w.number_of_bytes, (u64)IGVM_PAGE_SIZE))
		return igvm_errf(p->e, "%s: parameter area %u size 0x%llx not a nonzero multiple "
				 "of 4 KiB", p->label, w.parameter_area_index,
				 (unsigned long long)w.number_of_bytes);
	if (w.number_of_bytes > IGVM_MAX_FILE_SIZE && w.file_offset)
		return igvm_errf(p->e, "%s: parameter area %u initial data larger than a file",
				 p->label, w.parameter_area_index);
	d->data_len = w.file_offset ? (u32)w.number_of_bytes : 0;
	return igvm_parse_data(p, w.file_offset, w.number_of_bytes, &d->data);
}

static int igvm_parse_insert(struct igvm_parser *p, struct igvm_dir *d, const u8 *body)
{
	struct igvm_vhs_parameter_insert w;

	memcpy(&w, body, sizeof(w));
	d->gpa = w.gpa;
	d->mask = w.compatibility_mask;
	d->area = w.parameter_area_index;
	if (igvm_parse_mask(p, d->mask) < 0)
		return -1;
	if (!IS_ALIGNED(w.gpa, (u64)IGVM_PAGE_SIZE))
		return igvm_errf(p->e, "parameter insert at 0x%llx: gpa not 4 KiB aligned",
				 (unsigned long long)w.gpa);
	return 0;
}

static int igvm_parse_vp_context(struct igvm_parser *p, struct igvm_dir *d, const u8 *body)
{
	struct igvm_vhs_vp_context w;

	memcpy(&w, body, sizeof(w));
	d->gpa = w.gpa;
	d->mask = w.compatibility_mask;
	d->file_offset = w.file_offset;
	d->vp_index = w.vp_index;
	if (igvm_parse_mask(p, d->mask) < 0)
		return -1;
	if (w.reserved)
		return igvm_errf(p->e, "%s: reserved field 0x%x not zero", p->label, w.reserved);
	if (w.file_offset == 0)
		return igvm_errf(p->e, "%s: VP context has no data", p->label);
	d->data_len = IGVM_PAGE_SIZE;
	return igvm_parse_data(p, w.file_offset, IGVM_PAGE_SIZE, &d->data);
}

static int igvm_parse_required(struct igvm_parser *p, struct igvm_dir *d, const u8 *body)
{
	struct igvm_vhs_required_memory w;

	memcpy(&w, body, sizeof(w));
	d->gpa = w.gpa;
	d->mask = w.compatibility_mask;
	d->size = w.number_of_bytes;
	d->flags = w.flags;
	if (igvm_parse_mask(p, d->mask) < 0)
		return -1;
	if (!IS_ALIGNED(w.gpa, (u64)IGVM_PAGE_SIZE) || w.number_of_bytes == 0 ||
	    !IS_ALIGNED(w.number_of_bytes, IGVM_PAGE_SIZE))
		return igvm_errf(p->e, "%s: required memory 0x%llx+0x%x not 4 KiB aligned",
				 p->label, (unsigned long long)w.gpa, w.number_of_bytes);
	if (!igvm_range_ok(w.gpa, w.number_of_bytes))
		return igvm_errf(p->e, "%s: required memory wraps around", p->label);
	if (w.flags & ~IGVM_REQUIRED_MEMORY_F_VTL2_PROTECTABLE)
		return igvm_errf(p->e, "%s: unknown flags 0x%x", p->label, w.flags);
	if (w.reserved)
		return igvm_errf(p->e, "%s: reserved field 0x%x not zero", p->label, w.reserved);
	return 0;
}

static int igvm_parse_error_range(struct igvm_parser *p, struct igvm_dir *d, const u8 *body)
{
	struct igvm_vhs_error_range w;

	memcpy(&w, body, sizeof(w));
	d->gpa = w.gpa;
	d->mask = w.compatibility_mask;
	d->size = w.size_bytes;
	if (igvm_parse_mask(p, d->mask) < 0)
		return -1;
	if (!IS_ALIGNED(w.gpa, (u64)IGVM_PAGE_SIZE) || !igvm_range_ok(w.gpa, w.size_bytes))
		return igvm_errf(p->e, "%s: error range at 0x%llx not 4 KiB aligned", p->label,
				 (unsigned long long)w.gpa);
	return 0;
}

static void igvm_parse_param(struct igvm_dir *d, const u8 *body)
{
	struct igvm_vhs_parameter w;

	memcpy(&w, body, sizeof(w));
	d->area = w.parameter_area_index;
	d->byte_offset = w.byte_offset;
}

/* Bodies igvmtool does not interpret: keep them, check their leading mask. */
static int igvm_parse_opaque(struct igvm_parser *p, struct igvm_dir *d, const u8 *body,
			     u32 len)
{
	memcpy(&d->mask, body, sizeof(d->mask));
	d->body = body;
	d->body_len = len;
	return igvm_parse_mask(p, d->mask);
}

int igvm_parse_directive(struct igvm_parser *p, u32 type, const u8 *body, u32 len)
{
	struct igvm_dir *d = igvm_model_add_dir(p->m, type);

	if (!d)
		return igvm_errf(p->e, "out of memory");
	switch (type) {
	case IGVM_VHT_PAGE_DATA:
		return igvm_parse_page_data(p, d, body);
	case IGVM_VHT_PARAMETER_AREA:
		return igvm_parse_area(p, d, body);
	case IGVM_VHT_PARAMETER_INSERT:
		return igvm_parse_insert(p, d, body);
	case IGVM_VHT_VP_CONTEXT:
		return igvm_parse_vp_context(p, d, body);
	case IGVM_VHT_REQUIRED_MEMORY:
		return igvm_parse_required(p, d, body);
	case IGVM_VHT_ERROR_RANGE:
		return igvm_parse_error_range(p, d, body);
	case IGVM_VHT_SNP_ID_BLOCK:
	case IGVM_VHT_VBS_MEASUREMENT:
		return igvm_parse_opaque(p, d, body, len);
	default:
		if (igvm_dir_is_parameter(type)) {
			igvm_parse_param(d, body);
			return 0;
		}
		return igvm_errf(p->e, "%s: %s is not a directive", p->label,
				 igvm_type_name(type));
	}
}
