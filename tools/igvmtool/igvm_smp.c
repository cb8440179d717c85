/*
 * QEMU's -smp and -m, resolved as QEMU 10 does for the x86 pc/q35 machines
 * (hw/core/machine-smp.c, include/hw/i386/topology.h, hw/i386/pc_q35.c), so
 * that the launcher's MADT and memory map describe the machine QEMU builds:
 *  - omitted topology values: dies, modules = 1; cores are preferred over
 *    sockets (machine types since 6.2), threads computed last; clusters,
 *    books and drawers > 1 are not supported on x86;
 *  - APIC ID = socket | die | module | core | thread fields, each as wide as
 *    ceil(log2(count)), so 6,sockets=2,cores=3 gives 0,1,2,4,5,6;
 *  - -m defaults to MiB, is rounded up to 8 KiB, and q35 keeps at most
 *    2 GiB below 4 GiB when the RAM is 0xB0000000 bytes or more.
 */
#include <stdlib.h>
#include <string.h>

#include "igvm_launch.h"

enum { SMP_CPUS, SMP_MAXCPUS, SMP_SOCKETS, SMP_DIES, SMP_MODULES, SMP_CORES, SMP_THREADS,
       SMP_CLUSTERS, SMP_BOOKS, SMP_DRAWERS, SMP_NKEYS };

static const char *const igvm_smp_keys[SMP_NKEYS] = {
	"cpus", "maxcpus", "sockets", "dies", "modules", "cores", "threads",
	"clusters", "books", "drawers",
};

static int igvm_smp_number(const char *s, u32 *out, struct igvm_err *e)
{
	char *end;
	unsigned long v;

	if (*s < '0' || *s > '9')
		return igvm_errf(e, "-smp: '%s' is not a number", s);
	v = strtoul(s, &end, 10);
	if (*end || v > IGVM_MAX_CPUS)
		return igvm_errf(e, "-smp: bad value '%s' (at most %u)", s, IGVM_MAX_CPUS);
	*out = (u32)v;
	return 0;
}

/* Splits "N,key=value,..." into val[] / has[]. */
static int igvm_smp_tokens(const char *spec, u32 *val, bool *has, struct igvm_err *e)
{
	char buf[256], *save = NULL, *tok;
	bool first = true;

	if (strlen(spec) >= sizeof(buf))
		return igvm_errf(e, "-smp: specification too long");
	strcpy(buf, spec);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save), first = false) {
		char *eq = strchr(tok, '=');
		int k;

		if (!eq && first) {
			eq = tok - 1; /* bare leading number: cpus */
			k = SMP_CPUS;
		} else {
			if (!eq)
				return igvm_errf(e, "-smp: '%s' is not key=value", tok);
			*eq = '\0';
			for (k = 0; k < SMP_NKEYS && strcmp(tok, igvm_smp_keys[k]); k++)
				;
			if (k == SMP_NKEYS)
				return igvm_errf(e, "-smp: unknown parameter '%s'", tok);
		}
		if (has[k])
			return igvm_errf(e, "-smp: %s given twice", igvm_smp_keys[k]);
		if (igvm_smp_number(eq + 1, &val[k], e) < 0)
			return -1;
		if (val[k] == 0)
			return igvm_errf(e, "-smp: CPU topology parameters must be greater than zero");
		has[k] = true;
	}
	return 0;
}

/* Fills omitted sockets/cores/threads as QEMU does (cores preferred). */
static void igvm_smp_fill(struct igvm_smp *s)
{
	u32 maxcpus;

	if (s->cpus == 0 && s->maxcpus == 0) {
		s->sockets = s->sockets ? s->sockets : 1;
		s->cores = s->cores ? s->cores : 1;
		s->threads = s->threads ? s->threads : 1;
		return;
	}
	maxcpus = s->maxcpus ? s->maxcpus : s->cpus;
	if (s->cores == 0) {
		s->sockets = s->sockets ? s->sockets : 1;
		s->threads = s->threads ? s->threads : 1;
		s->cores = maxcpus / (s->sockets * s->dies * s->modules * s->threads);
	} else if (s->sockets == 0) {
		s->threads = s->threads ? s->threads : 1;
		s->sockets = maxcpus / (s->dies * s->modules * s->cores * s->threads);
	}
	if (s->threads == 0)
		s->threads = maxcpus / (s->sockets * s->dies * s->modules * s->cores);
	s->maxcpus = maxcpus;
}

int igvm_smp_parse(const char *spec, struct igvm_smp *s, struct igvm_err *e)
{
	u32 val[SMP_NKEYS] = { 0 };
	bool has[SMP_NKEYS] = { false };
	u64 total;

	memset(s, 0, sizeof(*s));
	if (igvm_smp_tokens(spec, val, has, e) < 0)
		return -1;
	if (val[SMP_CLUSTERS] > 1 || val[SMP_BOOKS] > 1 || val[SMP_DRAWERS] > 1)
		return igvm_errf(e, "-smp: clusters, books and drawers > 1 are not supported by "
				 "QEMU's x86 machines");
	s->cpus = val[SMP_CPUS];
	s->maxcpus = val[SMP_MAXCPUS];
	s->sockets = val[SMP_SOCKETS];
	s->dies = has[SMP_DIES] ? val[SMP_DIES] : 1;
	s->modules = has[SMP_MODULES] ? val[SMP_MODULES] : 1;
	s->cores = val[SMP_CORES];
	s->threads = val[SMP_THREADS];
	igvm_smp_fill(s);
	total = (u64)s->sockets * s->dies * s->modules * s->cores * s->threads;
	if (s->maxcpus == 0)
		s->maxcpus = total > IGVM_MAX_CPUS ? 0 : (u32)total;
	if (s->cpus == 0)
		s->cpus = s->maxcpus;
	if (total != s->maxcpus || total == 0)
		return igvm_errf(e, "-smp %s: invalid CPU topology: sockets (%u) * dies (%u) * "
				 "modules (%u) * cores (%u) * threads (%u) != maxcpus (%u)", spec,
				 s->sockets, s->dies, s->modules, s->cores, s->threads, s->maxcpus);
	if (s->maxcpus < s->cpus)
		return igvm_errf(e, "-smp %s: maxcpus (%u) < cpus (%u)", spec, s->maxcpus, s->cpus);
	return 0;
}

static u32 igvm_smp_width(u32 count)
{
	return count > 1 ? 32 - (u32)__builtin_clz(count - 1) : 0;
}

u32 igvm_smp_apic_id(const struct igvm_smp *s, u32 idx)
{
	u32 smt_w = igvm_smp_width(s->threads), core_w = igvm_smp_width(s->cores);
	u32 mod_w = igvm_smp_width(s->modules), die_w = igvm_smp_width(s->dies);
	u32 pkg = idx / (s->dies * s->modules * s->cores * s->threads);
	u32 die = idx / (s->modules * s->cores * s->threads) % s->dies;
	u32 mod = idx / (s->cores * s->threads) % s->modules;
	u32 core = idx / s->threads % s->cores;
	u32 smt = idx % s->threads;

	return (pkg << (smt_w + core_w + mod_w + die_w)) | (die << (smt_w + core_w + mod_w)) |
	       (mod << (smt_w + core_w)) | (core << smt_w) | smt;
}

static int igvm_mem_value(const char *s, u64 *bytes, struct igvm_err *e)
{
	unsigned long long v;
	unsigned shift = 20; /* no suffix: MiB */
	char *end;

	if (*s < '0' || *s > '9')
		return igvm_errf(e, "-m: '%s' is not a size", s);
	v = strtoull(s, &end, 10);
	switch (*end) {
	case '\0': break;
	case 'b': case 'B': shift = 0; end++; break;
	case 'k': case 'K': shift = 10; end++; break;
	case 'm': case 'M': shift = 20; end++; break;
	case 'g': case 'G': shift = 30; end++; break;
	case 't': case 'T': shift = 40; end++; break;
	default: return igvm_errf(e, "-m: bad size '%s'", s);
	}
	if (*end || v == 0 || v > (~0ULL >> (shift + 1)))
		return igvm_errf(e, "-m: bad size '%s'", s);
	*bytes = ALIGN_UP((u64)v << shift, 8192ULL);
	return 0;
}

int igvm_mem_parse(const char *spec, struct igvm_ram *r, struct igvm_err *e)
{
	char buf[128], *comma;
	const char *val = buf;
	u64 lowmem;

	if (strlen(spec) >= sizeof(buf))
		return igvm_errf(e, "-m: specification too long");
	strcpy(buf, spec);
	comma = strchr(buf, ',');
	if (comma)
		*comma = '\0'; /* slots=, maxmem= do not change boot RAM */
	if (!strncmp(buf, "size=", 5))
		val = buf + 5;
	if (igvm_mem_value(val, &r->size, e) < 0)
		return -1;
	lowmem = r->size >= 0xB0000000ULL ? 0x80000000ULL : 0xB0000000ULL;
	r->below_4g = MIN(r->size, lowmem);
	r->above_4g = r->size - r->below_4g;
	return 0;
}
