/*
 * RAM filesystem internals shared by ramfs.c (namespace), ramfs_data.c
 * (file contents) and ramfs_unpack.c. Field groups name the lock that
 * guards them; the lock order is written at the top of ramfs.c.
 */
#ifndef KERNEL_FS_RAMFS_INTERNAL_H
#define KERNEL_FS_RAMFS_INTERNAL_H

#include <copra/ramfs.h>
#include <copra/spinlock.h>
#include <copra/types.h>

#define RAMFS_MAX_FRAMES (RAMFS_FILE_MAX / PAGE_SIZE)
#define RAMFS_FRAME_PRESENT 1ULL /* low bit of a frames[] entry; 0 = hole */

struct ramfs_node {
	/* Set at creation, then constant. */
	u32 type;                      /* enum ramfs_type */
	u32 mode;
	u64 ino;
	/* Atomic: one reference per link (parent or root) and per holder. */
	u32 refs;

	/* Guarded by ramfs_ns_lock. */
	struct ramfs_node *parent;     /* NULL for the root and once unlinked */
	char name[RAMFS_NAME_MAX + 1];
	struct ramfs_node **children;  /* directories: sorted by name */
	u32 child_count, child_cap;

	/* Files, guarded by lock. */
	spinlock_t lock;
	u64 size;
	u64 *frames;                   /* frame address | RAMFS_FRAME_PRESENT, 0 = hole */
	u64 frame_cap;                 /* entries in frames[] */
};

/* ramfs_data.c */
u64 ramfs_data_size(struct ramfs_node *n);      /* takes n->lock */
void ramfs_data_release(struct ramfs_node *n);  /* last reference gone: frees the data */
u64 ramfs_data_frames(void);

#endif
