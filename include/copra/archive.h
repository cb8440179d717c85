/*
 * Parser of the user-program archive (format: include/abi/archive.h and
 * docs/archive.md). archive_validate() checks everything and touches
 * nothing; archive_walk() and archive_get() hand out validated entries.
 * Shared by the kernel, host tests, the fuzzer and `igvmtool pack`.
 *
 * The buffer must not change between validation and use (keep it in
 * private memory): the walk trusts what validation saw.
 */
#ifndef COPRA_ARCHIVE_H
#define COPRA_ARCHIVE_H

#include <abi/archive.h>
#include <copra/types.h>

/* One entry as handed to a visitor. */
struct archive_item {
	u32 index;                         /* position in the table */
	u32 type;                          /* ARCHIVE_TYPE_DIR or ARCHIVE_TYPE_FILE */
	u32 mode;                          /* permission bits, <= 0777 */
	u32 path_len;
	char path[ARCHIVE_PATH_MAX + 1];   /* relative, normalized, NUL-terminated */
	const void *data;                  /* files: data_size bytes in the buffer; dirs: NULL */
	u64 size;                          /* files: data bytes; dirs: 0 */
};

/*
 * Validates size bytes at buf. Returns 0, or with *why set to a short reason:
 *   -E_INVAL   malformed (bad magic, field, path, order, parent, layout, padding)
 *   -E_TOOBIG  a limit exceeded (entries, total size, file size)
 *   -E_IO      checksum mismatch (corruption)
 */
int archive_validate(const void *buf, size_t size, const char **why);

/*
 * Calls fn for each entry in table order (parents before children); a
 * non-zero return from fn stops the walk and is returned. Validates first
 * (returning its error), so it cannot act on a bad archive.
 */
typedef int (*archive_visit_fn)(void *arg, const struct archive_item *item);
int archive_walk(const void *buf, size_t size, archive_visit_fn fn, void *arg);

/*
 * Entry `index` of an archive that passed archive_validate(): 0, -E_RANGE
 * for an index past the end, -E_INVAL when the buffer is obviously not a
 * validated archive (a cheap bounds re-check, not a validation).
 */
int archive_get(const void *buf, size_t size, u32 index, struct archive_item *out);

/* Number of entries of a validated archive. */
u32 archive_count(const void *buf, size_t size);

/* The header checksum of size bytes at buf (the crc32 field read as zero). */
u32 archive_checksum(const void *buf, size_t size);

#endif
