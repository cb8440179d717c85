/*
 * Host unit tests of unpacking an archive into the RAM filesystem
 * (kernel/fs/ramfs_unpack.c): every entry created with its contents, and a
 * failure part-way (bad entry, existing path, exhaustion) removing what was
 * created. Host-only: the tests reset global state.
 */
#include <copra/archive.h>
#include <copra/errno.h>
#include <copra/pmm.h>
#include <copra/ramfs.h>
#include <copra/string.h>
#include <copra/test.h>

#include "../host/fake/fake.h"
#include "ramfs_test.h"

static u8 rfs_t_buf[3 * 4096 + 100];
static u8 rfs_t_out[3 * 4096 + 100];

/* A small canonical archive writer (the format: include/abi/archive.h). */
struct rfs_t_ent {
	u8 type;
	u32 mode;
	const char *path;
	u32 size;
};

static u8 rfs_t_arc[4 * 4096 + 1024] __aligned(8);

static size_t rfs_t_archive(const struct rfs_t_ent *ents, u32 n)
{
	struct archive_header *h = (struct archive_header *)rfs_t_arc;
	struct archive_entry *e = (struct archive_entry *)(h + 1);
	u64 cur = sizeof(*h) + (u64)n * sizeof(*e);
	u32 i;

	memset(rfs_t_arc, 0, sizeof(rfs_t_arc));
	for (i = 0; i < n; i++) {
		e[i].type = ents[i].type;
		e[i].mode = ents[i].mode;
		e[i].path_len = (u16)strlen(ents[i].path);
		e[i].path_offset = (u32)cur;
		memcpy(rfs_t_arc + cur, ents[i].path, e[i].path_len);
		cur += ALIGN_UP((u64)e[i].path_len, 8);
	}
	for (i = 0; i < n; i++) {
		if (ents[i].type != ARCHIVE_TYPE_FILE)
			continue;
		e[i].data_offset = cur;
		e[i].data_size = ents[i].size;
		rfs_t_pattern(rfs_t_arc + cur, ents[i].size, (u8)i);
		cur += ALIGN_UP((u64)ents[i].size, 8);
	}
	memcpy(h->magic, ARCHIVE_MAGIC, 8);
	h->version = ARCHIVE_VERSION;
	h->header_size = sizeof(*h);
	h->entry_size = sizeof(*e);
	h->entry_count = n;
	h->total_size = cur;
	h->crc32 = archive_checksum(rfs_t_arc, cur);
	return cur;
}

static const struct rfs_t_ent rfs_t_tree[] = {
	{ ARCHIVE_TYPE_DIR, 0755, "bin", 0 },
	{ ARCHIVE_TYPE_FILE, 0755, "bin/init", 5000 },
	{ ARCHIVE_TYPE_FILE, 0644, "bin/zero", 0 },
	{ ARCHIVE_TYPE_DIR, 0700, "var", 0 },
	{ ARCHIVE_TYPE_DIR, 0700, "var/tpm", 0 },
	{ ARCHIVE_TYPE_FILE, 0600, "var/tpm/nvchip", 9000 },
};

static void rfs_t_remove_tree(struct test_ctx *t)
{
	CHECK_EQ(t, ramfs_unlink("/var/tpm/nvchip"), 0);
	CHECK_EQ(t, ramfs_unlink("/var/tpm"), 0);
	CHECK_EQ(t, ramfs_unlink("/var"), 0);
	CHECK_EQ(t, ramfs_unlink("/bin/zero"), 0);
	CHECK_EQ(t, ramfs_unlink("/bin/init"), 0);
	CHECK_EQ(t, ramfs_unlink("/bin"), 0);
}

static void rfs_t_unpack(struct test_ctx *t)
{
	size_t size = rfs_t_archive(rfs_t_tree, ARRAY_SIZE(rfs_t_tree)), done;
	struct ramfs_node *n;
	struct ramfs_stat st;
	u64 frames, nodes;

	CHECK_EQ(t, ramfs_unpack_archive(rfs_t_arc, size), 0);
	ramfs_usage(&frames, &nodes);
	CHECK(t, frames == 2 + 3 && nodes == 7);
	CHECK_EQ(t, ramfs_lookup("/var/tpm/nvchip", &n), 0);
	CHECK_EQ(t, ramfs_stat(n, &st), 0);
	CHECK(t, st.type == RAMFS_FILE && st.mode == 0600 && st.size == 9000);
	CHECK_EQ(t, ramfs_read(n, 0, rfs_t_out, sizeof(rfs_t_out), &done), 0);
	rfs_t_pattern(rfs_t_buf, 9000, 5);
	CHECK(t, done == 9000 && !memcmp(rfs_t_out, rfs_t_buf, 9000));
	ramfs_put(n);
	CHECK_EQ(t, ramfs_lookup("/bin/init", &n), 0);
	CHECK_EQ(t, ramfs_stat(n, &st), 0);
	CHECK(t, st.mode == 0755 && st.size == 5000);
	ramfs_put(n);
	/* Unpacking again collides on "/bin": nothing is created or removed. */
	CHECK_EQ(t, ramfs_unpack_archive(rfs_t_arc, size), -E_EXIST);
	ramfs_usage(&frames, &nodes);
	CHECK(t, frames == 5 && nodes == 7);
	rfs_t_remove_tree(t);
}

static void rfs_t_unpack_fail(struct test_ctx *t)
{
	size_t size = rfs_t_archive(rfs_t_tree, ARRAY_SIZE(rfs_t_tree));
	static spa_t hog[64];
	struct ramfs_node *n;
	u64 frames, nodes, hogged;

	/* A corrupt archive: refused before anything is created. */
	rfs_t_arc[size - 1] ^= 1;
	CHECK_EQ(t, ramfs_unpack_archive(rfs_t_arc, size), -E_IO);
	rfs_t_arc[size - 1] ^= 1;
	/* Frames for the last file run out: everything created is removed again. */
	hogged = rfs_t_hog(hog, ARRAY_SIZE(hog), 3);
	CHECK_EQ(t, ramfs_unpack_archive(rfs_t_arc, size), -E_NOMEM);
	rfs_t_unhog(hog, hogged);
	ramfs_usage(&frames, &nodes);
	CHECK(t, frames == 0 && nodes == 1);
	CHECK_EQ(t, ramfs_lookup("/bin", &n), -E_NOENT);
	/* A node allocation fails half-way: the same. */
	fake_heap_fail_after(4);
	CHECK_EQ(t, ramfs_unpack_archive(rfs_t_arc, size), -E_NOMEM);
	fake_heap_fail_after(-1);
	ramfs_usage(&frames, &nodes);
	CHECK(t, frames == 0 && nodes == 1);
	CHECK_EQ(t, ramfs_unpack_archive(rfs_t_arc, size), 0);
	rfs_t_remove_tree(t);
}

TEST_FLAGS(ramfs, unpack_archive, TEST_F_HOST_ONLY)
{
	rfs_t_run(t, rfs_t_unpack, FAKE_FRAMES);
}

TEST_FLAGS(ramfs, unpack_rolls_back, TEST_F_HOST_ONLY)
{
	rfs_t_run(t, rfs_t_unpack_fail, 64);
}
