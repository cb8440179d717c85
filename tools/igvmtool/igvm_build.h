/*
 * igvmtool's image builder: kernel ELF validation, the guest-physical layout
 * of the boot image, the build-time page tables, and the per-platform parts
 * (today only native). igvm_build.c ties them together.
 */
#ifndef IGVMTOOL_BUILD_H
#define IGVMTOOL_BUILD_H

#include <abi/boot.h>
#include <copra/memlayout.h>

#include "igvm_model.h"

#define IGVM_ELF_MAX_SEGS 16u
#define IGVM_BOOT_STACK_SIZE (16u << 10)
#define IGVM_BSP_PERCPU_SIZE PERCPU_DATA_SIZE /* the BSP's struct percpu at PERCPU_DATA */
#define IGVM_PT_MAX_PAGES 64u

/* Leaf and table entry bits of x86-64 4-level paging. */
#define IGVM_PTE_P BIT(0)
#define IGVM_PTE_W BIT(1)
#define IGVM_PTE_U BIT(2)
#define IGVM_PTE_PS BIT(7)
#define IGVM_PTE_G BIT(8)
#define IGVM_PTE_NX BIT(63)
#define IGVM_PTE_ADDR 0x000FFFFFFFFFF000ULL

struct igvm_elf_seg {
	u64 paddr, vaddr;
	u64 memsz, filesz;
	const u8 *data; /* filesz bytes inside the ELF buffer */
	u32 flags;      /* PF_R / PF_W / PF_X */
};

struct igvm_elf {
	u64 entry;
	u32 seg_count;
	struct igvm_elf_seg segs[IGVM_ELF_MAX_SEGS]; /* sorted by paddr */
	u64 phys_end; /* page-aligned end of the highest segment */
};

/* Guest-physical placement of everything in the image (all page-aligned). */
struct igvm_layout {
	u64 image_start; /* KERNEL_PHYS_BASE */
	u64 pt_base;     /* boot page tables, PML4 first */
	u32 pt_count;
	u64 stack_bottom, stack_top;
	u64 bootinfo;
	u64 percpu; /* IGVM_BSP_PERCPU_SIZE bytes mapped at PERCPU_DATA */
	u64 param_general, param_memmap, param_madt;
	u64 archive;
	u64 archive_size; /* bytes */
	u64 image_end;
};

/* Build-time page tables: table pages allocated consecutively from base. */
struct igvm_pt {
	u64 base;
	u32 count;
	u64 pages[IGVM_PT_MAX_PAGES][512];
};

struct igvm_build_cfg {
	u32 platforms; /* BOOT_MASK_* */
	u16 console_port;
	bool test_build;
};

/* igvm_elf.c */
int igvm_elf_load(const u8 *buf, size_t len, struct igvm_elf *elf, struct igvm_err *e);

/* igvm_pgtable.c */
void igvm_pt_init(struct igvm_pt *pt, u64 base); /* allocates the PML4 at base */
int igvm_pt_map(struct igvm_pt *pt, u64 va, u64 pa, u64 leaf_flags, struct igvm_err *e);
int igvm_pt_add_table(struct igvm_pt *pt, u64 va, struct igvm_err *e);
int igvm_pt_build(struct igvm_pt *pt, const struct igvm_elf *elf, const struct igvm_layout *l,
		  struct igvm_err *e);

/* igvm_layout.c */
int igvm_layout_compute(const struct igvm_elf *elf, u64 archive_size, struct igvm_layout *l,
			struct igvm_pt *pt, struct igvm_err *e);
void igvm_layout_bootinfo(const struct igvm_layout *l, const struct igvm_build_cfg *cfg,
			  const u8 archive_sha256[32], u8 *page);

/* igvm_native.c */
int igvm_native_add_platform(struct igvm_model *m);
void igvm_native_context(const struct igvm_layout *l, u64 entry,
			 struct igvm_native_vp_context_x64 *ctx);

/* igvm_build.c */
int igvm_build_parse_platforms(const char *list, u32 *mask, struct igvm_err *e);
int igvm_build_image(const u8 *elf, size_t elf_len, const u8 *archive, size_t archive_len,
		     const struct igvm_build_cfg *cfg, u8 **out, size_t *out_len,
		     struct igvm_err *e);

#endif
