/*
 * Host unit tests of the RAM filesystem (kernel/fs/ramfs*.c) over fake
 * physical memory (the real frame allocator, tmpmap into fake memory) and
 * the calloc-backed fake heap: files, holes, truncation, unlink while
 * referenced, readdir, hostile paths, exhaustion leaving everything as it
 * was, and no leaked frame, node or block (archive unpacking:
 * ramfs_unpack_test.c, rename: ramfs_rename_test.c).
 * Host-only: the tests reset global state.
 */
#include <stdlib.h>

#include <copra/archive.h>
#include <copra/errno.h>
#include <copra/pmm.h>
#include <copra/ramfs.h>
#include <copra/string.h>
#include <copra/test.h>

#include "../host/fake/fake.h"
#include "ramfs_test.h"

static u64 *rfs_t_storage;
static long rfs_t_heap_base;
static bool rfs_t_broken; /* an earlier test failed and left state behind */
static u8 rfs_t_buf[3 * 4096 + 100];
static u8 rfs_t_out[3 * 4096 + 100];

/* Fresh frame allocator over `frames` fake frames; an empty tree. */
static bool rfs_t_setup(u64 frames)
{
	struct pmm_range r = { FAKE_PHYS_BASE, frames };

	fake_heap_fail_after(-1);
	fake_mmu_reset();
	if (pmm_early_setup(&r, 1))
		abort();
	free(rfs_t_storage);
	rfs_t_storage = calloc(1, pmm_bitmap_bytes() + 8);
	pmm_init(rfs_t_storage);
	if (ramfs_init() != 0)
		return false;
	rfs_t_heap_base = fake_heap_live();
	return true;
}

static u64 rfs_t_free_frames(void)
{
	struct pmm_stats s;

	pmm_get_stats(&s);
	return s.free;
}

/*
 * Runs one test body on a fresh filesystem with `frames` frames; afterwards
 * the tree must be empty again with every frame, node and heap block back.
 */
void rfs_t_run(struct test_ctx *t, void (*body)(struct test_ctx *), u64 frames)
{
	u64 used_frames, nodes;

	if (rfs_t_broken)
		SKIP(t, "an earlier ramfs test failed and left state behind");
	if (!rfs_t_setup(frames)) {
		rfs_t_broken = true;
		test_fail(t, __FILE__, __LINE__, "ramfs_init failed: tree not empty");
		return;
	}
	body(t);
	fake_heap_fail_after(-1);
	if (t->failed) {
		rfs_t_broken = true;
		return;
	}
	ramfs_usage(&used_frames, &nodes);
	CHECK_EQ(t, used_frames, 0);
	CHECK_EQ(t, nodes, 1);
	CHECK_EQ(t, rfs_t_free_frames(), frames);
	CHECK_EQ(t, fake_heap_live() - rfs_t_heap_base, 0);
}

void rfs_t_pattern(u8 *p, size_t n, u8 seed)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (u8)(seed + i * 7 + (i >> 8));
}

static bool rfs_t_is_zero(const u8 *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

static void rfs_t_files(struct test_ctx *t)
{
	struct ramfs_node *f, *g;
	struct ramfs_stat st;
	size_t done;
	u64 frames;

	CHECK_EQ(t, ramfs_mkdir("/etc"), 0);
	CHECK_EQ(t, ramfs_create("/etc/conf", RAMFS_FILE, 0644, &f), 0);
	rfs_t_pattern(rfs_t_buf, sizeof(rfs_t_buf), 1);
	/* Unaligned write across three pages, then read it back in pieces. */
	CHECK_EQ(t, ramfs_write(f, 100, rfs_t_buf, 9000, &done), 0);
	CHECK_EQ(t, done, 9000);
	CHECK_EQ(t, ramfs_stat(f, &st), 0);
	CHECK(t, st.type == RAMFS_FILE && st.mode == 0644 && st.size == 9100 && st.ino > 1);
	CHECK_EQ(t, ramfs_read(f, 0, rfs_t_out, sizeof(rfs_t_out), &done), 0);
	CHECK_EQ(t, done, 9100);
	CHECK(t, rfs_t_is_zero(rfs_t_out, 100));
	CHECK(t, !memcmp(rfs_t_out + 100, rfs_t_buf, 9000));
	CHECK_EQ(t, ramfs_read(f, 9000, rfs_t_out, 500, &done), 0);
	CHECK_EQ(t, done, 100);
	CHECK_EQ(t, ramfs_read(f, 9100, rfs_t_out, 10, &done), 0);
	CHECK_EQ(t, done, 0);
	CHECK_EQ(t, ramfs_read(f, ~0ULL, rfs_t_out, 10, &done), 0);
	CHECK_EQ(t, done, 0);
	/* A hole: only the written page gets a frame. */
	CHECK_EQ(t, ramfs_lookup("/etc/conf", &g), 0);
	CHECK(t, g == f);
	ramfs_put(g);
	CHECK_EQ(t, ramfs_create("/etc/sparse", RAMFS_FILE, 0600, &g), 0);
	CHECK_EQ(t, ramfs_write(g, 5 * 4096 + 10, "x", 1, &done), 0);
	CHECK_EQ(t, ramfs_read(g, 0, rfs_t_out, sizeof(rfs_t_out), &done), 0);
	CHECK(t, done == sizeof(rfs_t_out) && rfs_t_is_zero(rfs_t_out, sizeof(rfs_t_out)));
	CHECK_EQ(t, ramfs_read(g, 5 * 4096, rfs_t_out, 100, &done), 0);
	CHECK(t, done == 11 && rfs_t_out[10] == 'x' && rfs_t_is_zero(rfs_t_out, 10));
	ramfs_usage(&frames, NULL);
	CHECK_EQ(t, frames, 3 + 1);
	/* Zero-length write and directory misuse. */
	CHECK_EQ(t, ramfs_write(g, 1ULL << 40, "x", 0, &done), 0);
	CHECK_EQ(t, ramfs_stat(g, &st), 0);
	CHECK_EQ(t, st.size, 5 * 4096 + 11);
	ramfs_put(g);
	ramfs_put(f);
	CHECK_EQ(t, ramfs_lookup("/etc", &g), 0);
	CHECK_EQ(t, ramfs_write(g, 0, "x", 1, &done), -E_TYPE);
	CHECK_EQ(t, ramfs_read(g, 0, rfs_t_out, 1, &done), -E_TYPE);
	CHECK_EQ(t, ramfs_truncate(g, 0), -E_TYPE);
	ramfs_put(g);
	CHECK_EQ(t, ramfs_unlink("/etc/conf"), 0);
	CHECK_EQ(t, ramfs_unlink("/etc/sparse"), 0);
	CHECK_EQ(t, ramfs_unlink("/etc"), 0);
}

TEST_FLAGS(ramfs, files_holes_and_reads, TEST_F_HOST_ONLY)
{
	rfs_t_run(t, rfs_t_files, FAKE_FRAMES);
}

static void rfs_t_truncate(struct test_ctx *t)
{
	struct ramfs_node *f;
	u64 frames;
	size_t done;

	CHECK_EQ(t, ramfs_create("/f", RAMFS_FILE, 0644, &f), 0);
	memset(rfs_t_buf, 0xEE, sizeof(rfs_t_buf));
	CHECK_EQ(t, ramfs_write(f, 0, rfs_t_buf, 3 * 4096, &done), 0);
	ramfs_usage(&frames, NULL);
	CHECK_EQ(t, frames, 3);
	/* Shrink into the middle of page 1: page 2 goes, page 1's tail reads zero later. */
	CHECK_EQ(t, ramfs_truncate(f, 4096 + 10), 0);
	ramfs_usage(&frames, NULL);
	CHECK_EQ(t, frames, 2);
	CHECK_EQ(t, ramfs_truncate(f, 3 * 4096), 0);
	ramfs_usage(&frames, NULL);
	CHECK_EQ(t, frames, 2);
	CHECK_EQ(t, ramfs_read(f, 0, rfs_t_out, sizeof(rfs_t_out), &done), 0);
	CHECK_EQ(t, done, 3 * 4096);
	CHECK(t, rfs_t_out[4096 + 9] == 0xEE && rfs_t_is_zero(rfs_t_out + 4096 + 10, 2 * 4096 - 10));
	/* A write past a shrunk end: the gap reads zero too. */
	CHECK_EQ(t, ramfs_truncate(f, 20), 0);
	CHECK_EQ(t, ramfs_write(f, 100, "y", 1, &done), 0);
	CHECK_EQ(t, ramfs_read(f, 0, rfs_t_out, 200, &done), 0);
	CHECK(t, done == 101 && rfs_t_out[19] == 0xEE && rfs_t_is_zero(rfs_t_out + 20, 80));
	CHECK_EQ(t, ramfs_truncate(f, 0), 0);
	ramfs_usage(&frames, NULL);
	CHECK_EQ(t, frames, 0);
	/* Limits. */
	CHECK_EQ(t, ramfs_truncate(f, RAMFS_FILE_MAX + 1), -E_TOOBIG);
	CHECK_EQ(t, ramfs_truncate(f, RAMFS_FILE_MAX), 0);
	ramfs_usage(&frames, NULL);
	CHECK_EQ(t, frames, 0);
	CHECK_EQ(t, ramfs_write(f, RAMFS_FILE_MAX - 1, "z", 1, &done), 0);
	CHECK_EQ(t, ramfs_write(f, RAMFS_FILE_MAX, "z", 1, &done), -E_TOOBIG);
	CHECK_EQ(t, ramfs_write(f, ~0ULL - 1, "zz", 2, &done), -E_TOOBIG);
	CHECK_EQ(t, ramfs_write(f, 0, NULL, 2, &done), -E_INVAL);
	ramfs_usage(&frames, NULL);
	CHECK_EQ(t, frames, 1);
	ramfs_put(f);
	CHECK_EQ(t, ramfs_unlink("/f"), 0);
}

TEST_FLAGS(ramfs, truncate_and_limits, TEST_F_HOST_ONLY)
{
	rfs_t_run(t, rfs_t_truncate, FAKE_FRAMES);
}

static void rfs_t_refs(struct test_ctx *t)
{
	struct ramfs_node *f, *d;
	struct ramfs_dirent de;
	u64 frames, nodes;
	size_t done;

	CHECK_EQ(t, ramfs_mkdir("/d"), 0);
	CHECK_EQ(t, ramfs_create("/d/f", RAMFS_FILE, 0755, &f), 0);
	CHECK_EQ(t, ramfs_write(f, 0, "hello", 5, &done), 0);
	CHECK_EQ(t, ramfs_create("/d/f", RAMFS_FILE, 0755, NULL), -E_EXIST);
	CHECK_EQ(t, ramfs_create("/d", RAMFS_DIR, 0755, NULL), -E_EXIST);
	CHECK_EQ(t, ramfs_create("/", RAMFS_DIR, 0755, NULL), -E_EXIST);
	CHECK_EQ(t, ramfs_create("/d/f/x", RAMFS_FILE, 0755, NULL), -E_TYPE);
	CHECK_EQ(t, ramfs_lookup("/d/f/x", &d), -E_TYPE);
	CHECK_EQ(t, ramfs_create("/nope/x", RAMFS_FILE, 0755, NULL), -E_NOENT);
	CHECK_EQ(t, ramfs_unlink("/d"), -E_BUSY);
	CHECK_EQ(t, ramfs_unlink("/"), -E_BUSY);
	CHECK_EQ(t, ramfs_unlink("/d/missing"), -E_NOENT);
	/* Unlinked but referenced: still usable, gone from the namespace. */
	ramfs_get(f);
	CHECK_EQ(t, ramfs_unlink("/d/f"), 0);
	CHECK_EQ(t, ramfs_lookup("/d/f", &d), -E_NOENT);
	CHECK_EQ(t, ramfs_write(f, 5, " world", 6, &done), 0);
	CHECK_EQ(t, ramfs_read(f, 0, rfs_t_out, 64, &done), 0);
	CHECK(t, done == 11 && !memcmp(rfs_t_out, "hello world", 11));
	ramfs_usage(&frames, &nodes);
	CHECK(t, frames == 1 && nodes == 3);
	ramfs_put(f);
	ramfs_usage(&frames, &nodes);
	CHECK(t, frames == 1 && nodes == 3);
	ramfs_put(f); /* the last reference frees node and frame */
	ramfs_usage(&frames, &nodes);
	CHECK(t, frames == 0 && nodes == 2);
	/* The name can be reused; an unlinked directory reads as empty. */
	CHECK_EQ(t, ramfs_create("/d/f", RAMFS_FILE, 0755, NULL), 0);
	CHECK_EQ(t, ramfs_unlink("/d/f"), 0);
	CHECK_EQ(t, ramfs_lookup("/d", &d), 0);
	CHECK_EQ(t, ramfs_unlink("/d"), 0);
	CHECK_EQ(t, ramfs_readdir(d, 0, &de), -E_NOENT);
	ramfs_put(d);
	CHECK_EQ(t, ramfs_init(), 0); /* empty again: re-initialising is allowed */
}

TEST_FLAGS(ramfs, refcounts_and_unlink, TEST_F_HOST_ONLY)
{
	rfs_t_run(t, rfs_t_refs, FAKE_FRAMES);
}

static void rfs_t_readdir(struct test_ctx *t)
{
	static const char *const names[] = { "b", "a", "c-long-name", "B", "a.b" };
	static const char *const sorted[] = { "B", "a", "a.b", "b", "c-long-name" };
	struct ramfs_dirent de;
	struct ramfs_node *root, *f;
	struct ramfs_stat st;
	char path[16];
	size_t done;
	unsigned i;

	for (i = 0; i < ARRAY_SIZE(names); i++) {
		path[0] = '/';
		strlcpy(path + 1, names[i], sizeof(path) - 1);
		CHECK_EQ(t, ramfs_create(path, i == 3 ? RAMFS_DIR : RAMFS_FILE, 0644, &f), 0);
		if (i != 3)
			CHECK_EQ(t, ramfs_write(f, 0, "0123456789", i + 1, &done), 0);
		ramfs_put(f);
	}
	CHECK_EQ(t, ramfs_lookup("/", &root), 0);
	CHECK_EQ(t, ramfs_stat(root, &st), 0);
	CHECK(t, st.type == RAMFS_DIR && st.size == 5 && st.ino == 1);
	for (i = 0; i < ARRAY_SIZE(sorted); i++) {
		CHECK_EQ(t, ramfs_readdir(root, i, &de), 0);
		CHECK(t, !strcmp(de.name, sorted[i]));
	}
	CHECK_EQ(t, ramfs_readdir(root, 5, &de), -E_NOENT);
	CHECK_EQ(t, ramfs_readdir(root, 0, &de), 0);
	CHECK(t, de.type == RAMFS_DIR && de.size == 0);
	CHECK_EQ(t, ramfs_readdir(root, 4, &de), 0);
	CHECK(t, de.type == RAMFS_FILE && de.size == 3);
	CHECK_EQ(t, ramfs_lookup("/a", &f), 0);
	CHECK_EQ(t, ramfs_readdir(f, 0, &de), -E_TYPE);
	ramfs_put(f);
	CHECK_EQ(t, ramfs_unlink("/a"), 0);
	CHECK_EQ(t, ramfs_readdir(root, 1, &de), 0);
	CHECK(t, !strcmp(de.name, "a.b"));
	for (i = 0; i < ARRAY_SIZE(sorted); i++) {
		path[0] = '/';
		strlcpy(path + 1, sorted[i], sizeof(path) - 1);
		CHECK_EQ(t, ramfs_unlink(path), i == 1 ? -E_NOENT : 0);
	}
	CHECK_EQ(t, ramfs_readdir(root, 0, &de), -E_NOENT);
	ramfs_put(root);
}

TEST_FLAGS(ramfs, readdir_order, TEST_F_HOST_ONLY)
{
	rfs_t_run(t, rfs_t_readdir, FAKE_FRAMES);
}

static void rfs_t_paths(struct test_ctx *t)
{
	static const char *const bad[] = {
		"", "rel", "//", "/a/", "/a//b", "/.", "/..", "/a/.", "/a/../b", "/sp ace",
		"/tab\t", "/del\177", "/\x80", "/a/b/", "/./a",
	};
	static char longp[300], name64[70];
	struct ramfs_node *n;
	unsigned i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		if (ramfs_create(bad[i], RAMFS_FILE, 0644, NULL) != -E_INVAL ||
		    ramfs_lookup(bad[i], &n) != -E_INVAL || ramfs_unlink(bad[i]) != -E_INVAL) {
			test_fail(t, __FILE__, __LINE__, "path %u \"%s\" not refused", i, bad[i]);
			return;
		}
	}
	CHECK_EQ(t, ramfs_lookup(NULL, &n), -E_INVAL);
	CHECK_EQ(t, ramfs_create("/x", 3, 0644, NULL), -E_INVAL);
	CHECK_EQ(t, ramfs_create("/x", RAMFS_FILE, 01000, NULL), -E_INVAL);
	/* 63-byte names are fine, 64 are not. */
	name64[0] = '/';
	memset(name64 + 1, 'n', 64);
	CHECK_EQ(t, ramfs_create(name64, RAMFS_FILE, 0644, NULL), -E_TOOBIG);
	name64[64] = '\0';
	CHECK_EQ(t, ramfs_create(name64, RAMFS_FILE, 0644, NULL), 0);
	CHECK_EQ(t, ramfs_unlink(name64), 0);
	/* 255-byte paths (/63/63/63/62) resolve, to nothing here; 256 are refused. */
	memset(longp, 'p', sizeof(longp));
	for (i = 0; i < 256; i += 64)
		longp[i] = '/';
	longp[255] = '\0';
	CHECK_EQ(t, ramfs_lookup(longp, &n), -E_NOENT);
	longp[255] = 'q';
	longp[256] = '\0';
	CHECK_EQ(t, ramfs_lookup(longp, &n), -E_TOOBIG);
	CHECK_EQ(t, ramfs_lookup("/", &n), 0);
	ramfs_put(n);
}

TEST_FLAGS(ramfs, hostile_paths, TEST_F_HOST_ONLY)
{
	rfs_t_run(t, rfs_t_paths, FAKE_FRAMES);
}

/* Takes frames from the allocator until only `left` remain; returns how many. */
u64 rfs_t_hog(spa_t *hog, u64 max, u64 left)
{
	u64 n = 0;

	while (n < max && rfs_t_free_frames() > left && pmm_alloc_frame(&hog[n]) == 0)
		n++;
	return n;
}

void rfs_t_unhog(spa_t *hog, u64 n)
{
	while (n)
		pmm_free_frame(hog[--n]);
}

static void rfs_t_exhaust(struct test_ctx *t)
{
	static spa_t hog[64];
	struct ramfs_node *f;
	u64 frames, nodes, hogged;
	size_t done;

	CHECK_EQ(t, ramfs_create("/f", RAMFS_FILE, 0644, &f), 0);
	rfs_t_pattern(rfs_t_buf, sizeof(rfs_t_buf), 3);
	CHECK_EQ(t, ramfs_write(f, 0, rfs_t_buf, 4096 + 50, &done), 0);
	/* Frames run out mid-write: nothing changes, not even the first page. */
	hogged = rfs_t_hog(hog, ARRAY_SIZE(hog), 1);
	memset(rfs_t_out, 0x55, sizeof(rfs_t_out));
	CHECK_EQ(t, ramfs_write(f, 10, rfs_t_out, 3 * 4096, &done), -E_NOMEM);
	CHECK_EQ(t, done, 0);
	CHECK_EQ(t, ramfs_read(f, 0, rfs_t_out, sizeof(rfs_t_out), &done), 0);
	CHECK(t, done == 4096 + 50 && !memcmp(rfs_t_out, rfs_t_buf, done));
	ramfs_usage(&frames, NULL);
	CHECK_EQ(t, frames, 2);
	/* The frame-array growth fails: the same. */
	rfs_t_unhog(hog, hogged);
	fake_heap_fail_after(0);
	CHECK_EQ(t, ramfs_write(f, 40 * 4096, "x", 1, &done), -E_NOMEM);
	CHECK_EQ(t, ramfs_create("/g", RAMFS_FILE, 0644, NULL), -E_NOMEM);
	fake_heap_fail_after(-1);
	CHECK_EQ(t, ramfs_read(f, 0, rfs_t_out, sizeof(rfs_t_out), &done), 0);
	CHECK(t, done == 4096 + 50 && !memcmp(rfs_t_out, rfs_t_buf, done));
	/* With memory back, the same writes succeed. */
	CHECK_EQ(t, ramfs_write(f, 10, rfs_t_buf, 3 * 4096, &done), 0);
	CHECK_EQ(t, ramfs_write(f, 40 * 4096, "x", 1, &done), 0);
	ramfs_usage(&frames, &nodes);
	CHECK(t, frames == 5 && nodes == 2);
	ramfs_put(f);
	CHECK_EQ(t, ramfs_unlink("/f"), 0);
}

TEST_FLAGS(ramfs, exhaustion_changes_nothing, TEST_F_HOST_ONLY)
{
	rfs_t_run(t, rfs_t_exhaust, 48);
}

static void rfs_t_dir_growth(struct test_ctx *t)
{
	char path[16];
	u64 nodes;
	long before;
	unsigned i;

	/* Eight entries fill the first children array; the ninth must grow it. */
	for (i = 0; i < 8; i++) {
		path[0] = '/';
		path[1] = (char)('a' + i);
		path[2] = '\0';
		CHECK_EQ(t, ramfs_mkdir(path), 0);
	}
	before = fake_heap_live();
	fake_heap_fail_after(1); /* the node succeeds, the larger array fails */
	CHECK_EQ(t, ramfs_mkdir("/z"), -E_NOMEM);
	fake_heap_fail_after(-1);
	CHECK_EQ(t, fake_heap_live(), before);
	ramfs_usage(NULL, &nodes);
	CHECK_EQ(t, nodes, 9);
	CHECK_EQ(t, ramfs_mkdir("/z"), 0);
	CHECK_EQ(t, ramfs_unlink("/z"), 0);
	for (i = 0; i < 8; i++) {
		path[1] = (char)('a' + i);
		CHECK_EQ(t, ramfs_unlink(path), 0);
	}
}

TEST_FLAGS(ramfs, directory_growth_failure, TEST_F_HOST_ONLY)
{
	rfs_t_run(t, rfs_t_dir_growth, FAKE_FRAMES);
}
