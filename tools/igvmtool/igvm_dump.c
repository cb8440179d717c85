/*
 * `igvmtool dump`: prints a parsed IGVM model, one header or directive per
 * line. Runs of page data that are contiguous in both directive order and
 * GPA, with equal mask, flags and type, share one line unless verbose; a
 * native VP context is followed by indented lines with every register.
 */
#include <string.h>

#include "igvm_model.h"

static const char *igvm_page_type_name(u16 t)
{
	static const char *const names[] = { "normal", "secrets", "cpuid", "cpuid-xf" };

	return t < ARRAY_SIZE(names) ? names[t] : "unknown";
}

static void igvm_dump_fixed(FILE *f, const struct igvm_model *m)
{
	fprintf(f, "header: format_version=%u architecture=%s page_size=%u "
		"variable_header_offset=0x%x variable_header_size=0x%x total_file_size=0x%x "
		"checksum=0x%08x\n", m->format_version,
		m->arch == IGVM_ARCH_X64 ? "x64" : "aarch64", m->page_size, m->vh_offset,
		m->vh_size, m->total_size, m->checksum);
	for (u32 i = 0; i < m->plat_count; i++) {
		const struct igvm_platform *p = &m->plat[i];

		fprintf(f, "platform %u: %s mask=0x%x highest_vtl=%u version=%u "
			"shared_gpa_boundary=0x%llx\n", i, igvm_platform_name(p->type), p->mask,
			p->highest_vtl, p->version, (unsigned long long)p->shared_gpa_boundary);
	}
	for (u32 i = 0; i < m->init_count; i++) {
		const struct igvm_init *in = &m->inits[i];

		fprintf(f, "init %u: %s mask=0x%x", i, igvm_type_name(in->type), in->mask);
		if (in->type == IGVM_VHT_GUEST_POLICY)
			fprintf(f, " policy=0x%llx", (unsigned long long)in->policy);
		fprintf(f, "\n");
	}
}

/* Number of directives from i on that continue one page-data run. */
static u32 igvm_dump_run_length(const struct igvm_model *m, u32 i)
{
	const struct igvm_dir *a = &m->dirs[i];
	u32 n = 1;

	while (i + n < m->dir_count) {
		const struct igvm_dir *b = &m->dirs[i + n];

		if (b->type != IGVM_VHT_PAGE_DATA || b->mask != a->mask || b->flags != a->flags ||
		    b->data_type != a->data_type || b->gpa != a->gpa + (u64)n * IGVM_PAGE_SIZE)
			break;
		n++;
	}
	return n;
}

static u32 igvm_dump_pages(FILE *f, const struct igvm_model *m, u32 i, bool verbose)
{
	const struct igvm_dir *d = &m->dirs[i];
	u32 n = verbose ? 1 : igvm_dump_run_length(m, i);
	u32 zero = 0;

	for (u32 k = 0; k < n; k++)
		zero += m->dirs[i + k].data == NULL;
	if (n == 1)
		fprintf(f, "directive %u: PAGE_DATA gpa=0x%llx mask=0x%x flags=0x%x type=%s "
			"file_offset=0x%x%s\n", i, (unsigned long long)d->gpa, d->mask, d->flags,
			igvm_page_type_name(d->data_type), d->file_offset, zero ? " (zero)" : "");
	else
		fprintf(f, "directive %u-%u: PAGE_DATA gpa=0x%llx end=0x%llx pages=%u mask=0x%x "
			"flags=0x%x type=%s zero_pages=%u\n", i, i + n - 1,
			(unsigned long long)d->gpa,
			(unsigned long long)(d->gpa + (u64)n * IGVM_PAGE_SIZE), n, d->mask, d->flags,
			igvm_page_type_name(d->data_type), zero);
	return n;
}

static void igvm_dump_native_ctx(FILE *f, const u8 *data)
{
	struct igvm_native_vp_context_x64 c;

	memcpy(&c, data, sizeof(c));
	fprintf(f, "    rax=0x%llx rcx=0x%llx rdx=0x%llx rbx=0x%llx\n", (unsigned long long)c.rax,
		(unsigned long long)c.rcx, (unsigned long long)c.rdx, (unsigned long long)c.rbx);
	fprintf(f, "    rsp=0x%llx rbp=0x%llx rsi=0x%llx rdi=0x%llx\n", (unsigned long long)c.rsp,
		(unsigned long long)c.rbp, (unsigned long long)c.rsi, (unsigned long long)c.rdi);
	fprintf(f, "    r8=0x%llx r9=0x%llx r10=0x%llx r11=0x%llx\n", (unsigned long long)c.r8,
		(unsigned long long)c.r9, (unsigned long long)c.r10, (unsigned long long)c.r11);
	fprintf(f, "    r12=0x%llx r13=0x%llx r14=0x%llx r15=0x%llx\n", (unsigned long long)c.r12,
		(unsigned long long)c.r13, (unsigned long long)c.r14, (unsigned long long)c.r15);
	fprintf(f, "    rip=0x%llx rflags=0x%llx\n", (unsigned long long)c.rip,
		(unsigned long long)c.rflags);
	fprintf(f, "    cr0=0x%llx cr3=0x%llx cr4=0x%llx efer=0x%llx\n", (unsigned long long)c.cr0,
		(unsigned long long)c.cr3, (unsigned long long)c.cr4, (unsigned long long)c.efer);
	fprintf(f, "    gdtr=0x%llx/0x%x idtr=0x%llx/0x%x gs_base=0x%llx\n",
		(unsigned long long)c.gdtr_base, c.gdtr_limit, (unsigned long long)c.idtr_base,
		c.idtr_limit, (unsigned long long)c.gs_base);
	fprintf(f, "    cs=0x%x attr=0x%x base=0x%x limit=0x%x\n", c.code_selector,
		c.code_attributes, c.code_base, c.code_limit);
	fprintf(f, "    ds=es=ss=fs=gs=0x%x attr=0x%x base=0x%x limit=0x%x\n", c.data_selector,
		c.data_attributes, c.data_base, c.data_limit);
}

static bool igvm_dump_is_native(const struct igvm_model *m, u32 mask)
{
	const struct igvm_platform *p = igvm_model_platform(m, IGVM_PLATFORM_NATIVE);

	return p && (p->mask & mask);
}

static void igvm_dump_dir(FILE *f, const struct igvm_model *m, u32 i)
{
	const struct igvm_dir *d = &m->dirs[i];
	const char *name = igvm_type_name(d->type);
	unsigned long long gpa = d->gpa, size = d->size;

	fprintf(f, "directive %u: %s", i, name);
	switch (d->type) {
	case IGVM_VHT_PARAMETER_AREA:
		fprintf(f, " area=%u size=0x%llx file_offset=0x%x\n", d->area, size, d->file_offset);
		break;
	case IGVM_VHT_PARAMETER_INSERT:
		fprintf(f, " gpa=0x%llx mask=0x%x area=%u\n", gpa, d->mask, d->area);
		break;
	case IGVM_VHT_REQUIRED_MEMORY:
		fprintf(f, " gpa=0x%llx size=0x%llx mask=0x%x flags=0x%x\n", gpa, size, d->mask,
			d->flags);
		break;
	case IGVM_VHT_ERROR_RANGE:
		fprintf(f, " gpa=0x%llx size=0x%llx mask=0x%x\n", gpa, size, d->mask);
		break;
	case IGVM_VHT_VP_CONTEXT:
		fprintf(f, " gpa=0x%llx mask=0x%x vp_index=%u file_offset=0x%x\n", gpa, d->mask,
			d->vp_index, d->file_offset);
		if (igvm_dump_is_native(m, d->mask))
			igvm_dump_native_ctx(f, d->data);
		break;
	case IGVM_VHT_SNP_ID_BLOCK:
	case IGVM_VHT_VBS_MEASUREMENT:
		fprintf(f, " mask=0x%x size=%u\n", d->mask, d->body_len);
		break;
	default:
		fprintf(f, " area=%u byte_offset=0x%x\n", d->area, d->byte_offset);
		break;
	}
}

void igvm_dump(FILE *f, const struct igvm_model *m, bool verbose)
{
	igvm_dump_fixed(f, m);
	for (u32 i = 0; i < m->dir_count;) {
		if (m->dirs[i].type == IGVM_VHT_PAGE_DATA) {
			i += igvm_dump_pages(f, m, i, verbose);
		} else {
			igvm_dump_dir(f, m, i);
			i++;
		}
	}
}
