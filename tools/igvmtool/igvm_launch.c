/*
 * `igvmtool launch`, first half: load the native platform of a parsed (hence
 * validated) IGVM model as an IGVM loader would for q35: collect its page
 * data, fill the parameter areas (VP count, environment info, memory map,
 * MADT) and insert them, take the BSP's native VP context, check that QEMU's
 * RAM holds every page, and pick the start stub's page: the first page in
 * [0x1000, 0xA0000) that the context's page tables map identity, present and
 * executable and that nothing else loads. Pure: files come in the second half.
 */
#include <stdlib.h>
#include <string.h>

#include "igvm_launch.h"

static int igvm_launch_page_dir(struct igvm_launch *l, u32 i, const struct igvm_dir *d,
				bool *have_ctx, struct igvm_err *e)
{
	switch (d->type) {
	case IGVM_VHT_PAGE_DATA:
		if (igvm_memview_add(&l->load, d->gpa, d->data) < 0)
			return igvm_errf(e, "out of memory");
		return 0;
	case IGVM_VHT_VP_CONTEXT:
		if (d->vp_index != 0)
			return igvm_errf(e, "launch: directive %u: VP context for vp %u (only the "
					 "BSP, vp 0, is supported)", i, d->vp_index);
		memcpy(&l->ctx, d->data, sizeof(l->ctx));
		*have_ctx = true;
		return 0;
	case IGVM_VHT_REQUIRED_MEMORY:
	case IGVM_VHT_PARAMETER_INSERT:
		return 0; /* checked against RAM with the loaded pages */
	default:
		return igvm_errf(e, "launch: directive %u: %s not supported for native", i,
				 igvm_type_name(d->type));
	}
}

static int igvm_launch_area_cmp(const void *a, const void *b)
{
	const struct igvm_area_ref *x = a, *y = b;

	return x->area < y->area ? -1 : (x->area > y->area);
}

/* Sorts the PARAMETER_AREA directives by area index for igvm_launch_area(). */
static int igvm_launch_index_areas(struct igvm_launch *l, struct igvm_err *e)
{
	l->area_dirs = calloc((size_t)l->m->dir_count + 1, sizeof(*l->area_dirs));
	if (!l->area_dirs)
		return igvm_errf(e, "out of memory");
	for (u32 i = 0; i < l->m->dir_count; i++) {
		if (l->m->dirs[i].type == IGVM_VHT_PARAMETER_AREA) {
			l->area_dirs[l->area_count].area = l->m->dirs[i].area;
			l->area_dirs[l->area_count++].dir = i;
		}
	}
	qsort(l->area_dirs, l->area_count, sizeof(*l->area_dirs), igvm_launch_area_cmp);
	return 0;
}

/* The PARAMETER_AREA directive declaring area: its buffer and size. */
static bool igvm_launch_area(const struct igvm_launch *l, u32 area, u8 **buf, u64 *size)
{
	u32 lo = 0, hi = l->area_count;

	while (lo < hi) {
		u32 mid = lo + (hi - lo) / 2;

		if (l->area_dirs[mid].area == area) {
			*buf = l->areas[l->area_dirs[mid].dir];
			*size = l->m->dirs[l->area_dirs[mid].dir].size;
			return *buf != NULL;
		}
		if (l->area_dirs[mid].area < area)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

static int igvm_launch_param(struct igvm_launch *l, u32 i, const struct igvm_dir *d,
			     struct igvm_err *e)
{
	struct igvm_memory_map_entry map[IGVM_MEMMAP_MAX + 1];
	u32 n, zero = 0;
	u64 size;
	size_t room;
	u8 *buf;

	if (!igvm_launch_area(l, d->area, &buf, &size) || d->byte_offset + 4ull > size)
		return igvm_errf(e, "launch: directive %u: bad parameter area %u", i, d->area);
	buf += d->byte_offset;
	room = size - d->byte_offset;
	switch (d->type) {
	case IGVM_VHT_VP_COUNT_PARAMETER:
		memcpy(buf, &l->smp.cpus, sizeof(u32));
		return 0;
	case IGVM_VHT_ENVIRONMENT_INFO_PARAMETER:
		memcpy(buf, &zero, sizeof(u32)); /* native: memory is private, not shared */
		return 0;
	case IGVM_VHT_MEMORY_MAP:
		memset(map, 0, sizeof(map));
		n = igvm_params_memmap(&l->ram, map, IGVM_MEMMAP_MAX);
		if ((n + 1) * sizeof(map[0]) > room)
			return igvm_errf(e, "launch: directive %u: memory map does not fit", i);
		memcpy(buf, map, (n + 1) * sizeof(map[0])); /* with its zero terminator */
		return 0;
	case IGVM_VHT_MADT:
		return igvm_params_madt(&l->smp, buf, room, e);
	default:
		return igvm_errf(e, "launch: directive %u: parameter %s not supported", i,
				 igvm_type_name(d->type));
	}
}

static int igvm_launch_insert(struct igvm_launch *l, const struct igvm_dir *d,
			      struct igvm_err *e)
{
	u64 size;
	u8 *buf;

	if (!igvm_launch_area(l, d->area, &buf, &size))
		return igvm_errf(e, "launch: insert of bad parameter area %u", d->area);
	for (u64 off = 0; off < size; off += IGVM_PAGE_SIZE) {
		if (igvm_memview_add(&l->load, d->gpa + off, buf + off) < 0)
			return igvm_errf(e, "out of memory");
	}
	return 0;
}

/* Allocates and fills every parameter area, then loads the inserted ones. */
static int igvm_launch_params(struct igvm_launch *l, struct igvm_err *e)
{
	u64 total = 0;

	l->areas = calloc((size_t)l->m->dir_count + 1, sizeof(*l->areas));
	if (!l->areas)
		return igvm_errf(e, "out of memory");
	if (igvm_launch_index_areas(l, e) < 0)
		return -1;
	for (u32 i = 0; i < l->m->dir_count; i++) {
		const struct igvm_dir *d = &l->m->dirs[i];

		if (d->type == IGVM_VHT_PARAMETER_AREA) {
			total += d->size;
			if (d->size > IGVM_MAX_AREA_SIZE || total > IGVM_MAX_AREA_SIZE)
				return igvm_errf(e, "launch: parameter areas exceed %u bytes",
						 IGVM_MAX_AREA_SIZE);
			l->areas[i] = calloc(1, d->size);
			if (!l->areas[i])
				return igvm_errf(e, "out of memory");
			if (d->data)
				memcpy(l->areas[i], d->data, d->data_len);
		} else if (igvm_dir_is_parameter(d->type)) {
			if (igvm_launch_param(l, i, d, e) < 0)
				return -1;
		} else if (d->type == IGVM_VHT_PARAMETER_INSERT && (d->mask & l->mask)) {
			if (igvm_launch_insert(l, d, e) < 0)
				return -1;
		}
	}
	return 0;
}

static int igvm_launch_scan(struct igvm_launch *l, struct igvm_err *e)
{
	bool have_ctx = false;

	for (u32 i = 0; i < l->m->dir_count; i++) {
		const struct igvm_dir *d = &l->m->dirs[i];

		if (!igvm_dir_has_mask(d->type) || !(d->mask & l->mask))
			continue;
		if (igvm_launch_page_dir(l, i, d, &have_ctx, e) < 0)
			return -1;
	}
	if (!have_ctx)
		return igvm_errf(e, "launch: no native VP context for vp 0");
	return 0;
}

/* True when [gpa, gpa + size) lies in one RAM range QEMU's loader can fill. */
static bool igvm_launch_in_ram(const struct igvm_ram *r, u64 gpa, u64 size)
{
	const u64 ranges[3][2] = {
		{ 0, MIN(r->below_4g, IGVM_LOW_RAM_TOP) },
		{ 0x100000ULL, r->below_4g },
		{ 1ULL << 32, (1ULL << 32) + r->above_4g },
	};

	for (u32 i = 0; i < 3; i++) {
		if (gpa >= ranges[i][0] && gpa < ranges[i][1] && size <= ranges[i][1] - gpa)
			return true;
	}
	return false;
}

static int igvm_launch_check_ram(struct igvm_launch *l, struct igvm_err *e)
{
	for (u32 i = 0; i < l->m->dir_count; i++) {
		const struct igvm_dir *d = &l->m->dirs[i];

		if (d->type != IGVM_VHT_REQUIRED_MEMORY || !(d->mask & l->mask))
			continue;
		if (!igvm_launch_in_ram(&l->ram, d->gpa, d->size))
			return igvm_errf(e, "launch: required memory 0x%llx+0x%llx is not RAM with "
					 "-m %lluM", (unsigned long long)d->gpa,
					 (unsigned long long)d->size,
					 (unsigned long long)(l->ram.size >> 20));
	}
	for (u32 i = 0; i < l->load.count; i++) {
		if (i && l->load.pages[i].gpa == l->load.pages[i - 1].gpa)
			return igvm_errf(e, "launch: two pages load at 0x%llx",
					 (unsigned long long)l->load.pages[i].gpa);
		if (!igvm_launch_in_ram(&l->ram, l->load.pages[i].gpa, IGVM_PAGE_SIZE))
			return igvm_errf(e, "launch: page at 0x%llx is not RAM with -m %lluM",
					 (unsigned long long)l->load.pages[i].gpa,
					 (unsigned long long)(l->ram.size >> 20));
	}
	return 0;
}

int igvm_launch_prepare(struct igvm_launch *l, const struct igvm_model *m, const char *smp,
			const char *mem, struct igvm_err *e)
{
	const struct igvm_platform *p = igvm_model_platform(m, IGVM_PLATFORM_NATIVE);

	memset(l, 0, sizeof(*l));
	l->m = m;
	if (!p)
		return igvm_errf(e, "launch: the image has no native platform");
	l->mask = p->mask;
	if (igvm_smp_parse(smp, &l->smp, e) < 0 || igvm_mem_parse(mem, &l->ram, e) < 0 ||
	    igvm_launch_scan(l, e) < 0 || igvm_launch_params(l, e) < 0)
		return -1;
	igvm_memview_sort(&l->load);
	if (igvm_launch_check_ram(l, e) < 0 || igvm_launch_check_context(l, e) < 0)
		return -1;
	return igvm_launch_find_stub(l, e);
}

void igvm_launch_free(struct igvm_launch *l)
{
	if (l->areas && l->m) {
		for (u32 i = 0; i < l->m->dir_count; i++)
			free(l->areas[i]);
	}
	free(l->areas);
	free(l->area_dirs);
	igvm_memview_free(&l->load);
	memset(l, 0, sizeof(*l));
}
