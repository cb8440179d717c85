/* Shared by the host unit tests of the RAM filesystem (ramfs_test.c, ramfs_rename_test.c,
 * ramfs_unpack_test.c). */
#ifndef TESTS_UNIT_RAMFS_TEST_H
#define TESTS_UNIT_RAMFS_TEST_H

#include <copra/test.h>
#include <copra/types.h>

void fake_heap_fail_after(long n); /* tests/host/fake/fake_heap.c */
long fake_heap_live(void);

/*
 * Runs body on a fresh filesystem with `frames` fake frames; afterwards the
 * tree must be empty again with every frame, node and heap block back.
 */
void rfs_t_run(struct test_ctx *t, void (*body)(struct test_ctx *), u64 frames);
/* Fills p with a pattern that depends on seed and the offset. */
void rfs_t_pattern(u8 *p, size_t n, u8 seed);
/* Takes frames from the allocator until only `left` remain; returns how many. */
u64 rfs_t_hog(spa_t *hog, u64 max, u64 left);
void rfs_t_unhog(spa_t *hog, u64 n);

#endif
