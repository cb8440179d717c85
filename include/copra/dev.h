/*
 * Devices: kernel objects opened by path under /dev/. file_open() hands
 * every path that starts with DEV_PREFIX to dev_open(), which consults a
 * const registry (kernel/dev/dev.c); the RAM filesystem never sees them.
 */
#ifndef COPRA_DEV_H
#define COPRA_DEV_H

#include <copra/object.h>
#include <copra/types.h>

#define DEV_PREFIX "/dev/"

/* True when path names a device (starts with DEV_PREFIX). */
bool dev_is_device_path(const char *path);
/*
 * Opens the device at path with COPRA_O_* flags (already checked for
 * consistency by the caller): a referenced object, or -E_NOENT (no such
 * device), -E_TYPE (COPRA_O_DIR), -E_EXIST (CREATE with EXCL), -E_INVAL
 * (TRUNC, or an access mode the device does not offer), or the device's
 * own error (e.g. -E_PERM).
 */
int dev_open(const char *path, u32 flags, struct object **out) __must_check;

#endif
