/*
 * Cross-header rules of an IGVM file, checked after every header decoded on
 * its own: the parameter-area lifecycle (declared once, used only while not
 * inserted, inserted once), VP-context formats and uniqueness, page types
 * per platform, and no two loaded ranges overlapping on any platform.
 */
#include <stdlib.h>
#include <string.h>

#include "igvm_model.h"

struct igvm_area_slot {
	u32 index;
	bool used;
	bool inserted;
	u64 size;
};

struct igvm_range {
	u64 start, end;
	u32 mask;
	u32 dir;
	u32 type;
};

struct igvm_vstate {
	const struct igvm_model *m;
	struct igvm_err *e;
	struct igvm_area_slot *areas; /* open-addressing hash on the area index */
	u32 area_cap;
	struct igvm_range *ranges;
	u32 range_count;
};

static struct igvm_area_slot *igvm_area_find(struct igvm_vstate *v, u32 index, bool create)
{
	u32 h = (index * 2654435761u) & (v->area_cap - 1);

	for (u32 n = 0; n < v->area_cap; n++, h = (h + 1) & (v->area_cap - 1)) {
		struct igvm_area_slot *s = &v->areas[h];

		if (s->used && s->index == index)
			return s;
		if (!s->used)
			return create ? s : NULL;
	}
	return NULL; /* unreachable: the table is at least twice the area count */
}

static int igvm_check_param(struct igvm_vstate *v, u32 i, const struct igvm_dir *d)
{
	struct igvm_area_slot *s = igvm_area_find(v, d->area, false);
	u32 need = (d->type == IGVM_VHT_VP_COUNT_PARAMETER ||
		    d->type == IGVM_VHT_ENVIRONMENT_INFO_PARAMETER) ? 4 : 1;

	if (!s)
		return igvm_errf(v->e, "directive %u: %s uses undeclared parameter area %u", i,
				 igvm_type_name(d->type), d->area);
	if (s->inserted)
		return igvm_errf(v->e, "directive %u: %s uses parameter area %u after its insert",
				 i, igvm_type_name(d->type), d->area);
	if ((u64)d->byte_offset + need > s->size)
		return igvm_errf(v->e, "directive %u: %s byte_offset 0x%x outside parameter area "
				 "%u (0x%llx bytes)", i, igvm_type_name(d->type), d->byte_offset,
				 d->area, (unsigned long long)s->size);
	return 0;
}

static void igvm_add_range(struct igvm_vstate *v, u32 i, const struct igvm_dir *d, u64 size)
{
	struct igvm_range *r = &v->ranges[v->range_count++];

	r->start = d->gpa;
	r->end = d->gpa + size;
	r->mask = d->mask;
	r->dir = i;
	r->type = d->type;
}

static int igvm_check_insert(struct igvm_vstate *v, u32 i, const struct igvm_dir *d)
{
	struct igvm_area_slot *s = igvm_area_find(v, d->area, false);
	u64 end;

	if (!s)
		return igvm_errf(v->e, "directive %u: insert of undeclared parameter area %u", i,
				 d->area);
	if (s->inserted)
		return igvm_errf(v->e, "directive %u: parameter area %u inserted twice", i,
				 d->area);
	if (add_overflow(d->gpa, s->size, &end))
		return igvm_errf(v->e, "parameter insert at 0x%llx: area %u wraps around",
				 (unsigned long long)d->gpa, d->area);
	s->inserted = true;
	igvm_add_range(v, i, d, s->size);
	return 0;
}

/* Parameter-area lifecycle, in file order; also collects the loaded ranges. */
static int igvm_check_areas(struct igvm_vstate *v)
{
	for (u32 i = 0; i < v->m->dir_count; i++) {
		const struct igvm_dir *d = &v->m->dirs[i];
		struct igvm_area_slot *s;

		if (d->type == IGVM_VHT_PARAMETER_AREA) {
			s = igvm_area_find(v, d->area, true);
			if (s->used)
				return igvm_errf(v->e, "directive %u: parameter area %u declared twice",
						 i, d->area);
			s->used = true;
			s->index = d->area;
			s->size = d->size;
		} else if (igvm_dir_is_parameter(d->type)) {
			if (igvm_check_param(v, i, d) < 0)
				return -1;
		} else if (d->type == IGVM_VHT_PARAMETER_INSERT) {
			if (igvm_check_insert(v, i, d) < 0)
				return -1;
		} else if (d->type == IGVM_VHT_PAGE_DATA) {
			igvm_add_range(v, i, d, IGVM_PAGE_SIZE);
		}
	}
	return 0;
}

/* The context format every platform in mask shares, or -1 when they differ. */
static int igvm_vp_format(const struct igvm_model *m, u32 mask)
{
	int fmt = -2;

	for (u32 i = 0; i < m->plat_count; i++) {
		int f;

		if (!(m->plat[i].mask & mask))
			continue;
		switch (m->plat[i].type) {
		case IGVM_PLATFORM_NATIVE:
		case IGVM_PLATFORM_SEV:
			f = IGVM_PLATFORM_NATIVE;
			break;
		case IGVM_PLATFORM_SEV_SNP:
		case IGVM_PLATFORM_SEV_ES:
			f = IGVM_PLATFORM_SEV_SNP;
			break;
		default:
			f = m->plat[i].type;
			break;
		}
		if (fmt != -2 && fmt != f)
			return -1;
		fmt = f;
	}
	return fmt;
}

static int igvm_check_native_ctx(struct igvm_vstate *v, u32 i, const struct igvm_dir *d)
{
	if (v->m->format_version < IGVM_FORMAT_V2)
		return igvm_errf(v->e, "directive %u: native VP context needs a format version 2 "
				 "file", i);
	if (d->gpa != 0)
		return igvm_errf(v->e, "directive %u: native VP context gpa 0x%llx (must be 0)", i,
				 (unsigned long long)d->gpa);
	for (u32 k = sizeof(struct igvm_native_vp_context_x64); k < d->data_len; k++) {
		if (d->data[k])
			return igvm_errf(v->e, "directive %u: native VP context padding not zero at "
					 "+0x%x", i, k);
	}
	return 0;
}

static int igvm_check_vp_context(struct igvm_vstate *v, u32 i, const struct igvm_dir *d)
{
	int fmt = igvm_vp_format(v->m, d->mask);

	switch (fmt) {
	case IGVM_PLATFORM_NATIVE:
		return igvm_check_native_ctx(v, i, d);
	case IGVM_PLATFORM_SEV_SNP:
		if (!IS_ALIGNED(d->gpa, (u64)IGVM_PAGE_SIZE) ||
		    d->gpa > ~0ULL - IGVM_PAGE_SIZE)
			return igvm_errf(v->e, "directive %u: VMSA gpa 0x%llx not 4 KiB aligned", i,
					 (unsigned long long)d->gpa);
		igvm_add_range(v, i, d, IGVM_PAGE_SIZE);
		return 0;
	case -1:
		return igvm_errf(v->e, "directive %u: VP context mask 0x%x mixes platforms with "
				 "different context formats", i, d->mask);
	default:
		return igvm_errf(v->e, "directive %u: VP context not supported for platform %s",
				 i, igvm_platform_name((u8)fmt));
	}
}

static int igvm_check_page_types(struct igvm_vstate *v, const struct igvm_dir *d)
{
	for (u32 k = 0; k < v->m->plat_count; k++) {
		if ((v->m->plat[k].mask & d->mask) && v->m->plat[k].type != IGVM_PLATFORM_SEV_SNP)
			return igvm_errf(v->e, "page data at 0x%llx: data type %u is only valid for "
					 "SEV-SNP", (unsigned long long)d->gpa, d->data_type);
	}
	return 0;
}

/* VP contexts (format, one per vp_index and platform) and special page types. */
static int igvm_check_contexts(struct igvm_vstate *v)
{
	u8 (*seen)[65536 / 8] = calloc(IGVM_MAX_PLATFORMS, sizeof(*seen));
	int ret = 0;

	if (!seen)
		return igvm_errf(v->e, "out of memory");
	for (u32 i = 0; i < v->m->dir_count && !ret; i++) {
		const struct igvm_dir *d = &v->m->dirs[i];

		if (d->type == IGVM_VHT_PAGE_DATA && d->data_type != IGVM_PAGE_TYPE_NORMAL)
			ret = igvm_check_page_types(v, d);
		if (d->type != IGVM_VHT_VP_CONTEXT || ret)
			continue;
		ret = igvm_check_vp_context(v, i, d);
		for (u32 k = 0; k < v->m->plat_count && !ret; k++) {
			u8 *b = &seen[k][d->vp_index / 8];
			u8 bit = (u8)(1u << (d->vp_index % 8));

			if (!(v->m->plat[k].mask & d->mask))
				continue;
			if (*b & bit)
				ret = igvm_errf(v->e, "directive %u: second VP context for vp %u on %s",
						i, d->vp_index, igvm_platform_name(v->m->plat[k].type));
			*b |= bit;
		}
	}
	free(seen);
	return ret;
}

static int igvm_range_cmp(const void *a, const void *b)
{
	const struct igvm_range *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->dir < y->dir ? -1 : (x->dir > y->dir);
}

static const char *igvm_range_name(u32 type)
{
	if (type == IGVM_VHT_PAGE_DATA)
		return "page data";
	if (type == IGVM_VHT_PARAMETER_INSERT)
		return "parameter insert";
	return "VMSA";
}

/* No two loaded ranges may overlap on any one platform. */
static int igvm_check_overlaps(struct igvm_vstate *v)
{
	struct igvm_range *sel = malloc(((size_t)v->range_count + 1) * sizeof(*sel));
	int ret = 0;

	if (!sel)
		return igvm_errf(v->e, "out of memory");
	for (u32 k = 0; k < v->m->plat_count && !ret; k++) {
		u32 n = 0, far = 0;

		for (u32 i = 0; i < v->range_count; i++) {
			if (v->ranges[i].mask & v->m->plat[k].mask)
				sel[n++] = v->ranges[i];
		}
		qsort(sel, n, sizeof(*sel), igvm_range_cmp);
		for (u32 i = 1; i < n && !ret; i++) {
			if (sel[i].start < sel[far].end)
				ret = igvm_errf(v->e, "%s at 0x%llx overlaps %s at 0x%llx",
						igvm_range_name(sel[i].type),
						(unsigned long long)sel[i].start,
						igvm_range_name(sel[far].type),
						(unsigned long long)sel[far].start);
			if (sel[i].end > sel[far].end)
				far = i;
		}
	}
	free(sel);
	return ret;
}

int igvm_validate(const struct igvm_model *m, struct igvm_err *e)
{
	struct igvm_vstate v;
	u32 areas = 0;
	int ret;

	memset(&v, 0, sizeof(v));
	v.m = m;
	v.e = e;
	for (u32 i = 0; i < m->dir_count; i++)
		areas += m->dirs[i].type == IGVM_VHT_PARAMETER_AREA;
	v.area_cap = 16;
	while (v.area_cap < 2 * areas)
		v.area_cap *= 2;
	v.areas = calloc(v.area_cap, sizeof(*v.areas));
	v.ranges = calloc((size_t)m->dir_count + 1, sizeof(*v.ranges));
	if (!v.areas || !v.ranges) {
		free(v.areas);
		free(v.ranges);
		return igvm_errf(e, "out of memory");
	}
	ret = igvm_check_areas(&v);
	if (!ret)
		ret = igvm_check_contexts(&v);
	if (!ret)
		ret = igvm_check_overlaps(&v);
	free(v.areas);
	free(v.ranges);
	return ret;
}
