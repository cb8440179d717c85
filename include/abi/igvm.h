/*
 * IGVM file format: the wire structures igvmtool writes and parses, and the
 * parameter layouts (memory map, native VP context) the kernel reads at boot.
 * Everything is little-endian. Sizes and offsets follow the IGVM definitions
 * (microsoft/igvm igvm_defs); the static asserts pin each one.
 */
#ifndef ABI_IGVM_H
#define ABI_IGVM_H

#include <copra/types.h>

#define IGVM_MAGIC 0x4D564749u /* "IGVM" */
#define IGVM_FORMAT_V1 1u
#define IGVM_FORMAT_V2 2u
#define IGVM_ARCH_X64 0u
#define IGVM_ARCH_AARCH64 1u
#define IGVM_PAGE_SIZE 4096u
#define IGVM_TL_ALIGN 8u /* every variable header starts 8-byte aligned */

/* Fixed header, format version 1 (24 bytes). */
struct igvm_fixed_header {
	u32 magic;
	u32 format_version;
	u32 variable_header_offset;
	u32 variable_header_size;
	u32 total_file_size;
	u32 checksum; /* CRC-32 of this header (checksum 0) + variable headers */
};

/* Fixed header, format version 2 (32 bytes). */
struct igvm_fixed_header_v2 {
	struct igvm_fixed_header v1;
	u32 architecture; /* IGVM_ARCH_* */
	u32 page_size;    /* must be 4096 */
};

/* Variable header type/length prefix; length counts the body only. */
struct igvm_vhs_header {
	u32 type;
	u32 length;
};

/* Variable header types: platform 0x001-0x100, init 0x101-0x200, directive 0x301-0x400. */
#define IGVM_VHT_OPTIONAL 0x80000000u
#define IGVM_VHT_SUPPORTED_PLATFORM 0x001u
#define IGVM_VHT_GUEST_POLICY 0x101u
#define IGVM_VHT_RELOCATABLE_REGION 0x102u
#define IGVM_VHT_PAGE_TABLE_RELOCATION_REGION 0x103u
#define IGVM_VHT_PARAMETER_AREA 0x301u
#define IGVM_VHT_PAGE_DATA 0x302u
#define IGVM_VHT_PARAMETER_INSERT 0x303u
#define IGVM_VHT_VP_CONTEXT 0x304u
#define IGVM_VHT_REQUIRED_MEMORY 0x305u
#define IGVM_VHT_VP_COUNT_PARAMETER 0x307u
#define IGVM_VHT_SRAT 0x308u
#define IGVM_VHT_MADT 0x309u
#define IGVM_VHT_MMIO_RANGES 0x30Au
#define IGVM_VHT_SNP_ID_BLOCK 0x30Bu
#define IGVM_VHT_MEMORY_MAP 0x30Cu
#define IGVM_VHT_ERROR_RANGE 0x30Du
#define IGVM_VHT_COMMAND_LINE 0x30Eu
#define IGVM_VHT_SLIT 0x30Fu
#define IGVM_VHT_PPTT 0x310u
#define IGVM_VHT_VBS_MEASUREMENT 0x311u
#define IGVM_VHT_DEVICE_TREE 0x312u
#define IGVM_VHT_ENVIRONMENT_INFO_PARAMETER 0x313u

#define IGVM_VHT_PLATFORM_FIRST 0x001u
#define IGVM_VHT_PLATFORM_LAST 0x100u
#define IGVM_VHT_INIT_FIRST 0x101u
#define IGVM_VHT_INIT_LAST 0x200u
#define IGVM_VHT_DIRECTIVE_FIRST 0x301u
#define IGVM_VHT_DIRECTIVE_LAST 0x400u

/* Platform types (u8). */
#define IGVM_PLATFORM_NATIVE 0x00u
#define IGVM_PLATFORM_VSM_ISOLATION 0x01u
#define IGVM_PLATFORM_SEV_SNP 0x02u
#define IGVM_PLATFORM_TDX 0x03u
#define IGVM_PLATFORM_SEV 0x04u
#define IGVM_PLATFORM_SEV_ES 0x05u
#define IGVM_PLATFORM_CCA 0x06u

struct igvm_vhs_supported_platform {
	u32 compatibility_mask; /* exactly one bit, unique per platform */
	u8 highest_vtl;         /* 0 or 2 */
	u8 platform_type;       /* IGVM_PLATFORM_* */
	u16 platform_version;   /* 1 */
	u64 shared_gpa_boundary;
};

struct igvm_vhs_guest_policy {
	u64 policy;
	u32 compatibility_mask;
	u32 reserved;
};

struct igvm_vhs_relocatable_region {
	u32 compatibility_mask;
	u16 vp_index;
	u8 vtl;
	u8 flags;
	u64 relocation_alignment;
	u64 relocation_region_gpa;
	u64 relocation_region_size;
	u64 minimum_relocation_gpa;
	u64 maximum_relocation_gpa;
};

struct igvm_vhs_page_table_relocation {
	u32 compatibility_mask;
	u16 vp_index;
	u8 vtl;
	u8 reserved;
	u64 gpa;
	u64 size;
	u64 used_size;
};

/* Page data flags and types. */
#define IGVM_PAGE_F_2MB (1u << 0)
#define IGVM_PAGE_F_UNMEASURED (1u << 1)
#define IGVM_PAGE_F_SHARED (1u << 2)
#define IGVM_PAGE_F_KNOWN 0x7u
#define IGVM_PAGE_TYPE_NORMAL 0u
#define IGVM_PAGE_TYPE_SECRETS 1u
#define IGVM_PAGE_TYPE_CPUID_DATA 2u
#define IGVM_PAGE_TYPE_CPUID_XF 3u

struct igvm_vhs_page_data {
	u64 gpa;
	u32 compatibility_mask;
	u32 file_offset; /* 0: a page of zeros */
	u32 flags;       /* IGVM_PAGE_F_* */
	u16 data_type;   /* IGVM_PAGE_TYPE_* */
	u16 reserved;
};

struct igvm_vhs_parameter_area {
	u64 number_of_bytes; /* multiple of 4096 */
	u32 parameter_area_index;
	u32 file_offset; /* initial contents; 0: zeros */
};

struct igvm_vhs_parameter_insert {
	u64 gpa;
	u32 compatibility_mask;
	u32 parameter_area_index;
};

/* Body of every parameter directive (VP count, memory map, MADT, ...). */
struct igvm_vhs_parameter {
	u32 parameter_area_index;
	u32 byte_offset;
};

/* 20 bytes on the wire; the next header starts 24 bytes after the body. */
struct igvm_vhs_vp_context {
	u64 gpa;
	u32 compatibility_mask;
	u32 file_offset;
	u16 vp_index;
	u16 reserved;
} __packed;

#define IGVM_REQUIRED_MEMORY_F_VTL2_PROTECTABLE (1u << 0)

struct igvm_vhs_required_memory {
	u64 gpa;
	u32 compatibility_mask;
	u32 number_of_bytes;
	u32 flags;
	u32 reserved;
};

struct igvm_vhs_error_range {
	u64 gpa;
	u32 compatibility_mask;
	u32 size_bytes;
};

/* Bodies igvmtool only frames and reports (sizes pinned below). */
#define IGVM_VHS_SNP_ID_BLOCK_SIZE 696u
#define IGVM_VHS_VBS_MEASUREMENT_SIZE 864u

/* ENVIRONMENT_INFO parameter bits. */
#define IGVM_ENV_MEMORY_IS_SHARED (1u << 0)

/* MEMORY_MAP parameter: sorted entries, terminated by number_of_pages == 0. */
#define IGVM_MEMMAP_MEMORY 0u
#define IGVM_MEMMAP_PLATFORM_RESERVED 1u
#define IGVM_MEMMAP_PERSISTENT 2u
#define IGVM_MEMMAP_VTL2_PROTECTABLE 3u
#define IGVM_MEMMAP_F_SHARED (1u << 0)

struct igvm_memory_map_entry {
	u64 starting_gpa_page_number;
	u64 number_of_pages;
	u16 entry_type; /* IGVM_MEMMAP_* */
	u16 flags;      /* IGVM_MEMMAP_F_* */
	u32 reserved;
};

/*
 * Native x64 VP context (file data of a VP_CONTEXT whose mask selects the
 * NATIVE platform; zero-padded to 4096 bytes). Segment attributes use the
 * VMX layout: type/S/DPL/P in bits 7:0, AVL/L/DB/G in bits 15:12.
 */
struct igvm_native_vp_context_x64 {
	u64 rax, rcx, rdx, rbx, rsp, rbp, rsi, rdi;
	u64 r8, r9, r10, r11, r12, r13, r14, r15;
	u64 rip;
	u64 rflags;
	u64 idtr_base;
	u16 idtr_limit;
	u16 reserved[2];
	u16 gdtr_limit;
	u64 gdtr_base;
	u16 code_selector;
	u16 code_attributes;
	u32 code_base;
	u32 code_limit;
	u16 data_selector; /* ES, DS, SS, FS, GS */
	u16 data_attributes;
	u32 data_base;
	u32 data_limit;
	u64 gs_base;
	u64 cr0;
	u64 cr3;
	u64 cr4;
	u64 efer;
};

#define IGVM_SEG_ATTR_L (1u << 13)

_Static_assert(sizeof(struct igvm_fixed_header) == 24, "IGVM fixed header v1");
_Static_assert(offsetof(struct igvm_fixed_header, checksum) == 0x14, "IGVM fixed header");
_Static_assert(sizeof(struct igvm_fixed_header_v2) == 32, "IGVM fixed header v2");
_Static_assert(offsetof(struct igvm_fixed_header_v2, page_size) == 0x1C, "IGVM v2 header");
_Static_assert(sizeof(struct igvm_vhs_header) == 8, "IGVM TL header");
_Static_assert(sizeof(struct igvm_vhs_supported_platform) == 16, "IGVM platform");
_Static_assert(offsetof(struct igvm_vhs_supported_platform, platform_type) == 5, "IGVM platform");
_Static_assert(offsetof(struct igvm_vhs_supported_platform, shared_gpa_boundary) == 8,
	       "IGVM platform");
_Static_assert(sizeof(struct igvm_vhs_guest_policy) == 16, "IGVM guest policy");
_Static_assert(sizeof(struct igvm_vhs_relocatable_region) == 48, "IGVM relocatable region");
_Static_assert(sizeof(struct igvm_vhs_page_table_relocation) == 32, "IGVM PT relocation");
_Static_assert(sizeof(struct igvm_vhs_page_data) == 24, "IGVM page data");
_Static_assert(offsetof(struct igvm_vhs_page_data, file_offset) == 0x0C, "IGVM page data");
_Static_assert(offsetof(struct igvm_vhs_page_data, data_type) == 0x14, "IGVM page data");
_Static_assert(sizeof(struct igvm_vhs_parameter_area) == 16, "IGVM parameter area");
_Static_assert(offsetof(struct igvm_vhs_parameter_area, file_offset) == 0x0C, "IGVM param area");
_Static_assert(sizeof(struct igvm_vhs_parameter_insert) == 16, "IGVM parameter insert");
_Static_assert(offsetof(struct igvm_vhs_parameter_insert, parameter_area_index) == 0x0C,
	       "IGVM parameter insert");
_Static_assert(sizeof(struct igvm_vhs_parameter) == 8, "IGVM parameter");
_Static_assert(sizeof(struct igvm_vhs_vp_context) == 20, "IGVM VP context");
_Static_assert(offsetof(struct igvm_vhs_vp_context, vp_index) == 0x10, "IGVM VP context");
_Static_assert(sizeof(struct igvm_vhs_required_memory) == 24, "IGVM required memory");
_Static_assert(offsetof(struct igvm_vhs_required_memory, flags) == 0x10, "IGVM required memory");
_Static_assert(sizeof(struct igvm_vhs_error_range) == 16, "IGVM error range");
_Static_assert(sizeof(struct igvm_memory_map_entry) == 24, "IGVM memory map entry");
_Static_assert(offsetof(struct igvm_memory_map_entry, entry_type) == 0x10, "IGVM memory map");
_Static_assert(sizeof(struct igvm_native_vp_context_x64) == 232, "IGVM native VP context");
_Static_assert(offsetof(struct igvm_native_vp_context_x64, rip) == 0x80, "native VP context");
_Static_assert(offsetof(struct igvm_native_vp_context_x64, idtr_limit) == 0x98, "native VP ctx");
_Static_assert(offsetof(struct igvm_native_vp_context_x64, gdtr_limit) == 0x9E, "native VP ctx");
_Static_assert(offsetof(struct igvm_native_vp_context_x64, gdtr_base) == 0xA0, "native VP ctx");
_Static_assert(offsetof(struct igvm_native_vp_context_x64, code_selector) == 0xA8, "native VP");
_Static_assert(offsetof(struct igvm_native_vp_context_x64, data_selector) == 0xB4, "native VP");
_Static_assert(offsetof(struct igvm_native_vp_context_x64, gs_base) == 0xC0, "native VP ctx");
_Static_assert(offsetof(struct igvm_native_vp_context_x64, cr0) == 0xC8, "native VP context");
_Static_assert(offsetof(struct igvm_native_vp_context_x64, efer) == 0xE0, "native VP context");

#endif
