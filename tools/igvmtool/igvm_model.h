/*
 * igvmtool's in-memory model of an IGVM file, shared by the hostile-input
 * parser (igvm_parse.c, igvm_validate.c), the serializer (igvm_write.c), the
 * dump formatter, the image builder and the QEMU launcher. Data pointers in a
 * parsed model point into the caller's file buffer; a built model points into
 * the builder's guest-memory image.
 */
#ifndef IGVMTOOL_MODEL_H
#define IGVMTOOL_MODEL_H

#include <stdio.h>

#include <abi/igvm.h>

_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "igvmtool assumes a little-endian host");

#define IGVM_MAX_PLATFORMS 8u
#define IGVM_MAX_FILE_SIZE 0xFFFFFFFFull /* total_file_size is a u32 */
#define IGVM_MAX_HEADERS (1u << 22)       /* bounds the model's memory on hostile input */

/* One-line error message; every failing function fills it and returns -1. */
struct igvm_err {
	char msg[320];
};

int igvm_errf(struct igvm_err *e, const char *fmt, ...) __printf(2, 3);

struct igvm_platform {
	u32 mask;
	u8 type; /* IGVM_PLATFORM_* */
	u8 highest_vtl;
	u16 version;
	u64 shared_gpa_boundary;
};

/* A header of the initialization section. */
struct igvm_init {
	u32 type;
	u32 mask;
	u64 policy;       /* GUEST_POLICY */
	const u8 *body;   /* other types: the raw body inside the file */
	u32 body_len;
};

/*
 * A directive, decoded. Which fields are meaningful depends on type:
 *   PAGE_DATA         gpa mask flags data_type file_offset data
 *   PARAMETER_AREA    size area file_offset data (initial contents)
 *   PARAMETER_INSERT  gpa mask area
 *   parameters        area byte_offset (VP_COUNT, MEMORY_MAP, MADT, ...)
 *   VP_CONTEXT        gpa mask vp_index file_offset data (4096 bytes)
 *   REQUIRED_MEMORY   gpa mask size flags
 *   ERROR_RANGE       gpa mask size
 *   SNP_ID_BLOCK, VBS_MEASUREMENT  mask body
 */
struct igvm_dir {
	u32 type;
	u32 mask;
	u64 gpa;
	u64 size;
	u32 area;
	u32 byte_offset;
	u32 flags;
	u16 data_type;
	u16 vp_index;
	u32 file_offset;
	const u8 *data; /* file data, data_len bytes; NULL: none (zeros) */
	u32 data_len;
	const u8 *body; /* raw body of types igvmtool only frames */
	u32 body_len;
};

struct igvm_model {
	u32 format_version;
	u32 arch;
	u32 page_size;
	/* Filled by the parser and by the writer. */
	u32 vh_offset;
	u32 vh_size;
	u32 total_size;
	u32 checksum;

	struct igvm_platform plat[IGVM_MAX_PLATFORMS];
	u32 plat_count;
	struct igvm_init *inits;
	u32 init_count, init_cap;
	struct igvm_dir *dirs;
	u32 dir_count, dir_cap;
};

/* igvm_model.c */
void igvm_model_init(struct igvm_model *m);
void igvm_model_free(struct igvm_model *m);
struct igvm_dir *igvm_model_add_dir(struct igvm_model *m, u32 type);
struct igvm_init *igvm_model_add_init(struct igvm_model *m, u32 type);
const struct igvm_platform *igvm_model_platform(const struct igvm_model *m, u8 type);
u32 igvm_model_all_masks(const struct igvm_model *m);
bool igvm_dir_has_mask(u32 type);
bool igvm_dir_is_parameter(u32 type);
u32 igvm_type_body_size(u32 type); /* exact body length; 0 for unknown types */
const char *igvm_type_name(u32 type);
const char *igvm_platform_name(u8 type);
u32 igvm_crc32(u32 crc, const void *buf, size_t len);

/* igvm_parse.c: the file is hostile; on success m describes it (pointers into buf). */
int igvm_parse(const u8 *buf, size_t len, struct igvm_model *m, struct igvm_err *e);

/* igvm_validate.c: cross-header rules (masks, parameter areas, overlaps, VP contexts). */
int igvm_validate(const struct igvm_model *m, struct igvm_err *e);

/* igvm_write.c: serializes m (fills file offsets, sizes, checksum); *out is malloc'ed. */
int igvm_write(struct igvm_model *m, u8 **out, size_t *out_len, struct igvm_err *e);

/* igvm_dump.c */
void igvm_dump(FILE *f, const struct igvm_model *m, bool verbose);

/* igvm_file.c: whole-file I/O with size limits and atomic replacement. */
int igvm_file_read(const char *path, u64 max, u8 **buf, size_t *len, struct igvm_err *e);
int igvm_file_write(const char *path, const void *buf, size_t len, struct igvm_err *e);

#endif
