/*
 * Open files and directories of the RAM filesystem as kernel objects
 * (COPRA_OBJ_FILE / COPRA_OBJ_DIR). The native system calls and the Linux
 * personality both go through these, so one place checks access modes,
 * offsets and user buffers.
 */
#ifndef COPRA_FILE_H
#define COPRA_FILE_H

#include <abi/syscall.h>
#include <copra/object.h>
#include <copra/types.h>

/* path: a kernel string; flags: COPRA_O_*. Returns a referenced object. */
int file_open(const char *path, u32 flags, struct object **out) __must_check;
/* Transfers at the object's offset and advances it; bytes or -E_*. */
s64 file_read_user(struct object *o, u64 ubuf, u64 len);
s64 file_write_user(struct object *o, u64 ubuf, u64 len);
/* New offset or -E_INVAL / -E_TYPE. */
s64 file_seek(struct object *o, s64 offset, u32 whence);
int file_stat(struct object *o, struct copra_stat *st) __must_check;
int file_truncate(struct object *o, u64 size) __must_check;

#endif
