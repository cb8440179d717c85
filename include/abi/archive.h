/*
 * The user-program archive: the wire format `igvmtool pack` writes, the
 * IGVM image carries as measured page data and the kernel unpacks into the
 * RAM filesystem at boot. Little-endian. docs/archive.md describes every
 * field and rule; the static asserts pin the layout.
 *
 *   [header, 64 bytes][entry table: entry_count x 32 bytes]
 *   [path area: each entry's path, zero-padded to 8 bytes, in table order]
 *   [data area: each file's bytes, zero-padded to 8 bytes, in table order]
 *
 * The layout is canonical: every offset is determined by the entries before
 * it, so a tree has exactly one valid encoding.
 */
#ifndef ABI_ARCHIVE_H
#define ABI_ARCHIVE_H

#include <copra/types.h>

#define ARCHIVE_MAGIC "COPRAARC"        /* 8 bytes, no NUL */
#define ARCHIVE_VERSION 1u
#define ARCHIVE_ALIGN 8u                /* paths and data are padded to this */

/* Limits. */
#define ARCHIVE_MAX_ENTRIES 4096u
#define ARCHIVE_MAX_SIZE (256ULL << 20) /* total_size */
#define ARCHIVE_FILE_MAX (64ULL << 20)  /* one file's data_size */
#define ARCHIVE_PATH_MAX 254u           /* '/' + path fits the RAM fs's 255 */
#define ARCHIVE_NAME_MAX 63u            /* one path component */
#define ARCHIVE_DEPTH_MAX 16u           /* components in a path */

/* Entry types. */
#define ARCHIVE_TYPE_DIR 1u
#define ARCHIVE_TYPE_FILE 2u

/* Mode: POSIX permission bits only. */
#define ARCHIVE_MODE_MASK 0777u
#define ARCHIVE_MODE_EXEC 0100u         /* owner execute: a runnable program */

struct archive_header {
	u8 magic[8];        /* ARCHIVE_MAGIC */
	u32 version;        /* ARCHIVE_VERSION */
	u32 header_size;    /* sizeof(struct archive_header) */
	u32 entry_size;     /* sizeof(struct archive_entry) */
	u32 entry_count;    /* 0..ARCHIVE_MAX_ENTRIES */
	u64 total_size;     /* the whole archive, bytes; a multiple of 8 */
	u32 crc32;          /* CRC-32 (IEEE) of all total_size bytes, this field as 0 */
	u32 flags;          /* 0 */
	u8 reserved[24];    /* 0 */
};

struct archive_entry {
	u8 type;            /* ARCHIVE_TYPE_* */
	u8 reserved0;       /* 0 */
	u16 path_len;       /* 1..ARCHIVE_PATH_MAX bytes, no NUL */
	u32 mode;           /* within ARCHIVE_MODE_MASK */
	u32 path_offset;    /* from the start of the archive */
	u32 reserved1;      /* 0 */
	u64 data_offset;    /* files: from the start of the archive; directories: 0 */
	u64 data_size;      /* files: 0..ARCHIVE_FILE_MAX; directories: 0 */
};

_Static_assert(sizeof(struct archive_header) == 64, "archive header size");
_Static_assert(offsetof(struct archive_header, version) == 8, "archive header layout");
_Static_assert(offsetof(struct archive_header, entry_count) == 20, "archive header layout");
_Static_assert(offsetof(struct archive_header, total_size) == 24, "archive header layout");
_Static_assert(offsetof(struct archive_header, crc32) == 32, "archive header layout");
_Static_assert(offsetof(struct archive_header, flags) == 36, "archive header layout");
_Static_assert(offsetof(struct archive_header, reserved) == 40, "archive header layout");
_Static_assert(sizeof(struct archive_entry) == 32, "archive entry size");
_Static_assert(offsetof(struct archive_entry, path_len) == 2, "archive entry layout");
_Static_assert(offsetof(struct archive_entry, mode) == 4, "archive entry layout");
_Static_assert(offsetof(struct archive_entry, path_offset) == 8, "archive entry layout");
_Static_assert(offsetof(struct archive_entry, data_offset) == 16, "archive entry layout");
_Static_assert(offsetof(struct archive_entry, data_size) == 24, "archive entry layout");
_Static_assert(ARCHIVE_MAX_SIZE <= 0xFFFFFFFFull, "path_offset is a u32");

#endif
