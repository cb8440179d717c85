/*
 * RAM filesystem: one tree of directories and files in kernel memory.
 * Nodes come from the global heap; file data lives in physical frames that
 * are only ever reached through temporary mappings (there is no direct map).
 * Every node is reference counted: lookup/create hand out a reference the
 * caller drops with ramfs_put(); an unlinked node lives on while referenced.
 *
 * Paths are absolute and normalized: "/" or "/name(/name)*", each name 1..63
 * printable ASCII bytes (0x21-0x7E, no '/'), not "." or "..", no empty
 * components, no trailing '/', at most 255 bytes in all.
 *
 * Every operation either completes or fails with nothing changed; on
 * allocation failure it returns -E_NOMEM. Buffers passed to read/write must
 * be kernel memory (the system-call gateway copies user data first): they
 * are accessed with a spinlock held. Not for interrupt context.
 */
#ifndef COPRA_RAMFS_H
#define COPRA_RAMFS_H

#include <copra/types.h>

#define RAMFS_NAME_MAX 63u
#define RAMFS_PATH_MAX 255u
#define RAMFS_FILE_MAX (64ULL << 20)
#define RAMFS_DIR_MAX 16384u       /* entries in one directory */
#define RAMFS_MODE_MASK 0777u
#define RAMFS_MODE_EXEC 0100u      /* owner execute */

enum ramfs_type {
	RAMFS_DIR = 1,
	RAMFS_FILE = 2,
};

struct ramfs_node;

struct ramfs_stat {
	u32 type;      /* enum ramfs_type */
	u32 mode;      /* permission bits */
	u64 size;      /* files: bytes; directories: entry count */
	u64 ino;       /* unique while the filesystem lives; the root is 1 */
};

struct ramfs_dirent {
	char name[RAMFS_NAME_MAX + 1];
	u32 type;
	u64 size;
	u64 ino;
};

/*
 * Creates the empty root. Calling it again is allowed only when the tree is
 * empty (nothing but the root, no outstanding references): -E_BUSY otherwise.
 */
int ramfs_init(void);

/* On success *out holds a reference. -E_INVAL/-E_TOOBIG bad path, -E_NOENT, -E_TYPE. */
int ramfs_lookup(const char *path, struct ramfs_node **out);
/*
 * Creates a file or directory (type RAMFS_FILE/RAMFS_DIR, mode <= 0777).
 * The parent must exist and be a directory (-E_NOENT, -E_TYPE); -E_EXIST
 * if the name is taken; -E_NOSPC if the directory is full. out may be NULL.
 */
int ramfs_create(const char *path, u32 type, u32 mode, struct ramfs_node **out);
int ramfs_mkdir(const char *path); /* ramfs_create(path, RAMFS_DIR, 0755, NULL) */

/* Reads up to len bytes at off; *done is 0 at or past the end. -E_TYPE on a directory. */
int ramfs_read(struct ramfs_node *n, u64 off, void *buf, size_t len, size_t *done);
/*
 * Writes all len bytes at off (growing the file; holes read as zero) or
 * nothing: -E_TOOBIG past RAMFS_FILE_MAX, -E_NOMEM, -E_TYPE.
 */
int ramfs_write(struct ramfs_node *n, u64 off, const void *buf, size_t len, size_t *done);
/* Sets the size; shrinking frees frames, growing adds a hole. Never -E_NOMEM. */
int ramfs_truncate(struct ramfs_node *n, u64 size);
/* Removes a file or an empty directory (-E_BUSY if not empty or the root). */
int ramfs_unlink(const char *path);
/*
 * Moves the node at from to the path to, atomically: anyone looking up to
 * sees the old node or the new one, never neither. An existing file at to is
 * replaced (it lives on while referenced), as is an empty directory by a
 * directory. -E_NOENT (from or to's parent missing), -E_TYPE (a file over a
 * directory or the reverse, a parent that is a file), -E_BUSY (the root, or
 * a non-empty directory at to), -E_INVAL (a directory into itself or below
 * it), -E_NOSPC, -E_NOMEM: nothing changed. from == to succeeds.
 */
int ramfs_rename(const char *from, const char *to);
/* Entry `index` of a directory (name order); -E_NOENT past the end. */
int ramfs_readdir(struct ramfs_node *dir, u32 index, struct ramfs_dirent *out);

void ramfs_get(struct ramfs_node *n);
void ramfs_put(struct ramfs_node *n);
int ramfs_stat(struct ramfs_node *n, struct ramfs_stat *st);
/* Frames holding file data and live nodes (the root included), for leak checks. */
void ramfs_usage(u64 *frames, u64 *nodes);

/*
 * Validates an archive (include/copra/archive.h), then creates every entry
 * under "/". All or nothing: on any failure, entries already created are
 * removed again. Archive errors as archive_validate(); -E_EXIST if a path
 * exists already; -E_NOMEM.
 */
int ramfs_unpack_archive(const void *buf, size_t size);

#endif
