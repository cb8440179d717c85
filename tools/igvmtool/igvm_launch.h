/*
 * igvmtool's QEMU launcher back end (`igvmtool launch`): loads a parsed IGVM
 * model's native platform the way an IGVM loader would, for a q35 machine
 * with a given -smp and -m, and writes -device loader blobs, a reset ROM, a
 * start stub that applies the native VP context, and the QEMU arguments.
 */
#ifndef IGVMTOOL_LAUNCH_H
#define IGVMTOOL_LAUNCH_H

#include "igvm_model.h"

#define IGVM_MAX_AREA_SIZE (16u << 20) /* largest parameter area the launcher fills */
#define IGVM_MAX_CPUS 4096u
#define IGVM_MEMMAP_MAX 4u
#define IGVM_LOW_RAM_TOP 0xA0000ULL /* RAM below 1 MiB the loader may fill */

/* -smp, resolved the way QEMU 10 resolves it for the x86 pc/q35 machines. */
struct igvm_smp {
	u32 cpus, maxcpus;
	u32 sockets, dies, modules, cores, threads;
};

/* q35 RAM split: min(MEM, 2 GiB if MEM >= 0xB0000000 else MEM) below 4 GiB. */
struct igvm_ram {
	u64 size;
	u64 below_4g;
	u64 above_4g;
};

/* One platform's guest memory as loaded: pages sorted by GPA (data NULL: zeros). */
struct igvm_page_ref {
	u64 gpa;
	const u8 *data;
};

struct igvm_memview {
	struct igvm_page_ref *pages;
	u32 count;
};

struct igvm_walk {
	u64 pa;
	bool writable, executable, user;
};

struct igvm_area_ref {
	u32 area; /* parameter area index */
	u32 dir;  /* its PARAMETER_AREA directive */
};

struct igvm_launch {
	const struct igvm_model *m;
	u32 mask; /* the native platform's */
	struct igvm_smp smp;
	struct igvm_ram ram;
	struct igvm_memview load;      /* page data + inserted parameter pages */
	u8 **areas;                    /* filled parameter areas, by directive index */
	struct igvm_area_ref *area_dirs; /* sorted by area index */
	u32 area_count;
	struct igvm_native_vp_context_x64 ctx;
	u64 stub_gpa;
};

/* igvm_smp.c */
int igvm_smp_parse(const char *spec, struct igvm_smp *s, struct igvm_err *e);
u32 igvm_smp_apic_id(const struct igvm_smp *s, u32 cpu_index);
int igvm_mem_parse(const char *spec, struct igvm_ram *r, struct igvm_err *e);

/* igvm_params.c */
u32 igvm_params_memmap(const struct igvm_ram *r, struct igvm_memory_map_entry *out, u32 max);
int igvm_params_madt(const struct igvm_smp *s, u8 *buf, size_t size, struct igvm_err *e);

/* igvm_memview.c */
int igvm_memview_add(struct igvm_memview *v, u64 gpa, const u8 *data);
void igvm_memview_sort(struct igvm_memview *v);
void igvm_memview_free(struct igvm_memview *v);
const struct igvm_page_ref *igvm_memview_find(const struct igvm_memview *v, u64 gpa);
u64 igvm_memview_read64(const struct igvm_memview *v, u64 gpa);
bool igvm_pt_walk(const struct igvm_memview *v, u64 cr3, u64 va, bool nxe, struct igvm_walk *w);

/* igvm_launch.c: prepare is pure (the fuzzer runs it); write creates the files. */
int igvm_launch_prepare(struct igvm_launch *l, const struct igvm_model *m, const char *smp,
			const char *mem, struct igvm_err *e);
int igvm_launch_write(const struct igvm_launch *l, const char *outdir, struct igvm_err *e);
void igvm_launch_free(struct igvm_launch *l);

/* igvm_launch_ctx.c: the VP context's requirements and the stub page. */
int igvm_launch_check_context(const struct igvm_launch *l, struct igvm_err *e);
int igvm_launch_find_stub(struct igvm_launch *l, struct igvm_err *e);

/* igvm_stub.c: the reset ROM and the start stub, patched for one launch. */
int igvm_stub_rom(u8 *rom, size_t size, u64 stub_gpa, struct igvm_err *e);
int igvm_stub_page(u8 *page, u64 stub_gpa, const struct igvm_native_vp_context_x64 *ctx,
		   struct igvm_err *e);
size_t igvm_stub_rom_size(void);

#endif
