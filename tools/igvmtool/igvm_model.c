/*
 * The IGVM model's bookkeeping: growing header arrays, the table of known
 * header types (name and exact body size), platform names, error messages
 * and the CRC-32 the fixed header's checksum uses.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "igvm_model.h"

struct igvm_type_info {
	u32 type;
	u32 size;
	const char *name;
};

static const struct igvm_type_info igvm_types[] = {
	{ IGVM_VHT_SUPPORTED_PLATFORM, sizeof(struct igvm_vhs_supported_platform),
	  "SUPPORTED_PLATFORM" },
	{ IGVM_VHT_GUEST_POLICY, sizeof(struct igvm_vhs_guest_policy), "GUEST_POLICY" },
	{ IGVM_VHT_RELOCATABLE_REGION, sizeof(struct igvm_vhs_relocatable_region),
	  "RELOCATABLE_REGION" },
	{ IGVM_VHT_PAGE_TABLE_RELOCATION_REGION, sizeof(struct igvm_vhs_page_table_relocation),
	  "PAGE_TABLE_RELOCATION_REGION" },
	{ IGVM_VHT_PARAMETER_AREA, sizeof(struct igvm_vhs_parameter_area), "PARAMETER_AREA" },
	{ IGVM_VHT_PAGE_DATA, sizeof(struct igvm_vhs_page_data), "PAGE_DATA" },
	{ IGVM_VHT_PARAMETER_INSERT, sizeof(struct igvm_vhs_parameter_insert),
	  "PARAMETER_INSERT" },
	{ IGVM_VHT_VP_CONTEXT, sizeof(struct igvm_vhs_vp_context), "VP_CONTEXT" },
	{ IGVM_VHT_REQUIRED_MEMORY, sizeof(struct igvm_vhs_required_memory), "REQUIRED_MEMORY" },
	{ IGVM_VHT_VP_COUNT_PARAMETER, sizeof(struct igvm_vhs_parameter), "VP_COUNT_PARAMETER" },
	{ IGVM_VHT_SRAT, sizeof(struct igvm_vhs_parameter), "SRAT" },
	{ IGVM_VHT_MADT, sizeof(struct igvm_vhs_parameter), "MADT" },
	{ IGVM_VHT_MMIO_RANGES, sizeof(struct igvm_vhs_parameter), "MMIO_RANGES" },
	{ IGVM_VHT_SNP_ID_BLOCK, IGVM_VHS_SNP_ID_BLOCK_SIZE, "SNP_ID_BLOCK" },
	{ IGVM_VHT_MEMORY_MAP, sizeof(struct igvm_vhs_parameter), "MEMORY_MAP" },
	{ IGVM_VHT_ERROR_RANGE, sizeof(struct igvm_vhs_error_range), "ERROR_RANGE" },
	{ IGVM_VHT_COMMAND_LINE, sizeof(struct igvm_vhs_parameter), "COMMAND_LINE" },
	{ IGVM_VHT_SLIT, sizeof(struct igvm_vhs_parameter), "SLIT" },
	{ IGVM_VHT_PPTT, sizeof(struct igvm_vhs_parameter), "PPTT" },
	{ IGVM_VHT_VBS_MEASUREMENT, IGVM_VHS_VBS_MEASUREMENT_SIZE, "VBS_MEASUREMENT" },
	{ IGVM_VHT_DEVICE_TREE, sizeof(struct igvm_vhs_parameter), "DEVICE_TREE" },
	{ IGVM_VHT_ENVIRONMENT_INFO_PARAMETER, sizeof(struct igvm_vhs_parameter),
	  "ENVIRONMENT_INFO_PARAMETER" },
};

int igvm_errf(struct igvm_err *e, const char *fmt, ...)
{
	va_list ap;

	if (e) {
		va_start(ap, fmt);
		vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
		va_end(ap);
	}
	return -1;
}

void igvm_model_init(struct igvm_model *m)
{
	memset(m, 0, sizeof(*m));
}

void igvm_model_free(struct igvm_model *m)
{
	free(m->inits);
	free(m->dirs);
	igvm_model_init(m);
}

/* Makes room for one more element in arr (count used of *cap); NULL when out of memory. */
static void *igvm_model_reserve(void *arr, u32 count, u32 *cap, size_t sz)
{
	void *p;
	u32 ncap;

	if (count < *cap)
		return arr;
	ncap = *cap ? *cap * 2 : 64;
	if (ncap <= *cap)
		return NULL;
	p = realloc(arr, (size_t)ncap * sz);
	if (p)
		*cap = ncap;
	return p;
}

struct igvm_dir *igvm_model_add_dir(struct igvm_model *m, u32 type)
{
	struct igvm_dir *dirs, *d;

	dirs = igvm_model_reserve(m->dirs, m->dir_count, &m->dir_cap, sizeof(*d));
	if (!dirs)
		return NULL;
	m->dirs = dirs;
	d = &dirs[m->dir_count++];
	memset(d, 0, sizeof(*d));
	d->type = type;
	return d;
}

struct igvm_init *igvm_model_add_init(struct igvm_model *m, u32 type)
{
	struct igvm_init *inits, *in;

	inits = igvm_model_reserve(m->inits, m->init_count, &m->init_cap, sizeof(*in));
	if (!inits)
		return NULL;
	m->inits = inits;
	in = &inits[m->init_count++];
	memset(in, 0, sizeof(*in));
	in->type = type;
	return in;
}

const struct igvm_platform *igvm_model_platform(const struct igvm_model *m, u8 type)
{
	for (u32 i = 0; i < m->plat_count; i++) {
		if (m->plat[i].type == type)
			return &m->plat[i];
	}
	return NULL;
}

u32 igvm_model_all_masks(const struct igvm_model *m)
{
	u32 all = 0;

	for (u32 i = 0; i < m->plat_count; i++)
		all |= m->plat[i].mask;
	return all;
}

bool igvm_dir_is_parameter(u32 type)
{
	switch (type) {
	case IGVM_VHT_VP_COUNT_PARAMETER:
	case IGVM_VHT_SRAT:
	case IGVM_VHT_MADT:
	case IGVM_VHT_MMIO_RANGES:
	case IGVM_VHT_MEMORY_MAP:
	case IGVM_VHT_COMMAND_LINE:
	case IGVM_VHT_SLIT:
	case IGVM_VHT_PPTT:
	case IGVM_VHT_DEVICE_TREE:
	case IGVM_VHT_ENVIRONMENT_INFO_PARAMETER:
		return true;
	default:
		return false;
	}
}

/* Directives that carry a compatibility mask (the others apply to every platform). */
bool igvm_dir_has_mask(u32 type)
{
	return type != IGVM_VHT_PARAMETER_AREA && !igvm_dir_is_parameter(type);
}

static const struct igvm_type_info *igvm_type_lookup(u32 type)
{
	for (size_t i = 0; i < ARRAY_SIZE(igvm_types); i++) {
		if (igvm_types[i].type == type)
			return &igvm_types[i];
	}
	return NULL;
}

u32 igvm_type_body_size(u32 type)
{
	const struct igvm_type_info *t = igvm_type_lookup(type);

	return t ? t->size : 0;
}

const char *igvm_type_name(u32 type)
{
	const struct igvm_type_info *t = igvm_type_lookup(type);

	return t ? t->name : "UNKNOWN";
}

const char *igvm_platform_name(u8 type)
{
	switch (type) {
	case IGVM_PLATFORM_NATIVE:
		return "native";
	case IGVM_PLATFORM_VSM_ISOLATION:
		return "vsm";
	case IGVM_PLATFORM_SEV_SNP:
		return "sev-snp";
	case IGVM_PLATFORM_TDX:
		return "tdx";
	case IGVM_PLATFORM_SEV:
		return "sev";
	case IGVM_PLATFORM_SEV_ES:
		return "sev-es";
	case IGVM_PLATFORM_CCA:
		return "cca";
	default:
		return "unknown";
	}
}

/* CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), as zlib's crc32(). */
u32 igvm_crc32(u32 crc, const void *buf, size_t len)
{
	static u32 table[256];
	static bool ready;
	const u8 *p = buf;

	if (!ready) {
		for (u32 i = 0; i < 256; i++) {
			u32 c = i;

			for (int k = 0; k < 8; k++)
				c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
			table[i] = c;
		}
		ready = true;
	}
	crc = ~crc;
	while (len--)
		crc = table[(crc ^ *p++) & 0xFF] ^ (crc >> 8);
	return ~crc;
}
