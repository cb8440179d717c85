/*
 * Host unit tests of ramfs_rename (kernel/fs/ramfs.c): replacing a file
 * while someone holds it open, moves across directories, directories over
 * empty directories, every refusal leaving the tree as it was, allocation
 * failure changing nothing, and no leaked frame, node or block (rfs_t_run).
 */
#include <copra/errno.h>
#include <copra/ramfs.h>
#include <copra/string.h>
#include <copra/test.h>

#include "../host/fake/fake.h"
#include "ramfs_test.h"

/* Creates path holding text; false on any failure. */
static bool rnt_file(const char *path, const char *text)
{
	struct ramfs_node *n;
	size_t done;
	int ret = ramfs_create(path, RAMFS_FILE, 0644, &n);

	if (ret)
		return false;
	ret = ramfs_write(n, 0, text, strlen(text), &done);
	ramfs_put(n);
	return ret == 0;
}

/* Whether node n holds exactly text. */
static bool rnt_holds(struct ramfs_node *n, const char *text)
{
	char buf[64];
	size_t done;

	if (ramfs_read(n, 0, buf, sizeof(buf), &done))
		return false;
	return done == strlen(text) && memcmp(buf, text, done) == 0;
}

/* Whether path exists and holds text. */
static bool rnt_is(const char *path, const char *text)
{
	struct ramfs_node *n;
	bool ok;

	if (ramfs_lookup(path, &n))
		return false;
	ok = rnt_holds(n, text);
	ramfs_put(n);
	return ok;
}

static bool rnt_missing(const char *path)
{
	struct ramfs_node *n;

	return ramfs_lookup(path, &n) == -E_NOENT;
}

static u64 rnt_ino(const char *path)
{
	struct ramfs_node *n;
	struct ramfs_stat st;

	if (ramfs_lookup(path, &n))
		return 0;
	if (ramfs_stat(n, &st))
		st.ino = 0;
	ramfs_put(n);
	return st.ino;
}

static void rnt_files(struct test_ctx *t)
{
	struct ramfs_node *held;
	struct ramfs_dirent de;
	u64 ino;

	CHECK_EQ(t, ramfs_mkdir("/a"), 0);
	CHECK_EQ(t, ramfs_mkdir("/b"), 0);
	CHECK(t, rnt_file("/a/x", "old contents"));
	CHECK(t, rnt_file("/a/y", "new"));
	/* Replace /a/x while it is held open: the holder keeps the old data. */
	CHECK_EQ(t, ramfs_lookup("/a/x", &held), 0);
	ino = rnt_ino("/a/y");
	CHECK_EQ(t, ramfs_rename("/a/y", "/a/x"), 0);
	CHECK(t, rnt_missing("/a/y"));
	CHECK(t, rnt_is("/a/x", "new"));
	CHECK_EQ(t, rnt_ino("/a/x"), ino); /* the same node, under its new name */
	CHECK(t, rnt_holds(held, "old contents"));
	ramfs_put(held);
	/* Into an empty directory (its children array must be allocated). */
	CHECK_EQ(t, ramfs_rename("/a/x", "/b/z"), 0);
	CHECK(t, rnt_is("/b/z", "new"));
	CHECK(t, rnt_missing("/a/x"));
	/* The only child renamed within its directory; onto itself. */
	CHECK_EQ(t, ramfs_rename("/b/z", "/b/w"), 0);
	CHECK_EQ(t, ramfs_rename("/b/w", "/b/w"), 0);
	CHECK(t, rnt_is("/b/w", "new"));
	CHECK_EQ(t, ramfs_lookup("/b", &held), 0);
	CHECK_EQ(t, ramfs_readdir(held, 0, &de), 0);
	CHECK(t, strcmp(de.name, "w") == 0);
	CHECK_EQ(t, ramfs_readdir(held, 1, &de), -E_NOENT);
	ramfs_put(held);
	/* Order is kept: a name that sorts first lands first. */
	CHECK(t, rnt_file("/b/m", "m"));
	CHECK_EQ(t, ramfs_rename("/b/w", "/b/a"), 0);
	CHECK_EQ(t, ramfs_lookup("/b", &held), 0);
	CHECK_EQ(t, ramfs_readdir(held, 0, &de), 0);
	CHECK(t, strcmp(de.name, "a") == 0);
	CHECK_EQ(t, ramfs_readdir(held, 1, &de), 0);
	CHECK(t, strcmp(de.name, "m") == 0);
	ramfs_put(held);
	CHECK_EQ(t, ramfs_unlink("/b/a"), 0);
	CHECK_EQ(t, ramfs_unlink("/b/m"), 0);
	CHECK_EQ(t, ramfs_unlink("/b"), 0);
	CHECK_EQ(t, ramfs_unlink("/a"), 0);
}

TEST_FLAGS(ramfs, rename_files, TEST_F_HOST_ONLY)
{
	rfs_t_run(t, rnt_files, FAKE_FRAMES);
}

/* Every refusal leaves both names as they were. */
static void rnt_refusals(struct test_ctx *t)
{
	CHECK_EQ(t, ramfs_mkdir("/d"), 0);
	CHECK(t, rnt_file("/d/f", "f"));
	CHECK_EQ(t, ramfs_rename("/d/missing", "/d/g"), -E_NOENT);
	CHECK_EQ(t, ramfs_rename("/d/f", "/nodir/g"), -E_NOENT);
	CHECK_EQ(t, ramfs_rename("/d/f", "/d/f/g"), -E_TYPE);
	CHECK_EQ(t, ramfs_rename("/d/f/g", "/d/h"), -E_TYPE);
	CHECK_EQ(t, ramfs_rename("/", "/r"), -E_BUSY);
	CHECK_EQ(t, ramfs_rename("/d/f", "/"), -E_BUSY);
	CHECK_EQ(t, ramfs_rename("/d/f", "/d"), -E_TYPE);   /* a file over a directory */
	CHECK_EQ(t, ramfs_rename("/d", "/d/new"), -E_INVAL); /* below itself */
	CHECK_EQ(t, ramfs_rename("/d/../f", "/g"), -E_INVAL);
	CHECK_EQ(t, ramfs_rename("d/f", "/g"), -E_INVAL);
	CHECK_EQ(t, ramfs_rename("/d/f", "/g/"), -E_INVAL);
	CHECK_EQ(t, ramfs_rename("/d/f", NULL), -E_INVAL);
	CHECK(t, rnt_is("/d/f", "f"));
	CHECK(t, rnt_missing("/g"));
	CHECK_EQ(t, ramfs_unlink("/d/f"), 0);
	CHECK_EQ(t, ramfs_unlink("/d"), 0);
}

TEST_FLAGS(ramfs, rename_refusals, TEST_F_HOST_ONLY)
{
	rfs_t_run(t, rnt_refusals, FAKE_FRAMES);
}

static void rnt_dirs(struct test_ctx *t)
{
	CHECK_EQ(t, ramfs_mkdir("/d1"), 0);
	CHECK_EQ(t, ramfs_mkdir("/d1/sub"), 0);
	CHECK(t, rnt_file("/d1/sub/f", "deep"));
	CHECK_EQ(t, ramfs_mkdir("/d2"), 0);
	CHECK_EQ(t, ramfs_mkdir("/d3"), 0);
	CHECK(t, rnt_file("/d3/k", "k"));
	/* Never below itself, however deep. */
	CHECK_EQ(t, ramfs_rename("/d1", "/d1/sub/x"), -E_INVAL);
	CHECK_EQ(t, ramfs_rename("/d1", "/d1/x"), -E_INVAL);
	CHECK_EQ(t, ramfs_rename("/d1", "/d1"), 0);
	/* A directory replaces an empty directory; its subtree moves with it. */
	CHECK_EQ(t, ramfs_rename("/d1", "/d2"), 0);
	CHECK(t, rnt_missing("/d1"));
	CHECK(t, rnt_is("/d2/sub/f", "deep"));
	/* Not a non-empty one, and never across types. */
	CHECK_EQ(t, ramfs_rename("/d2", "/d3"), -E_BUSY);
	CHECK_EQ(t, ramfs_rename("/d3/k", "/d2"), -E_TYPE);
	CHECK_EQ(t, ramfs_rename("/d2", "/d3/k"), -E_TYPE);
	CHECK(t, rnt_is("/d3/k", "k"));
	CHECK(t, rnt_is("/d2/sub/f", "deep"));
	/* Moving a directory into another directory. */
	CHECK_EQ(t, ramfs_rename("/d2/sub", "/d3/sub"), 0);
	CHECK(t, rnt_is("/d3/sub/f", "deep"));
	CHECK_EQ(t, ramfs_unlink("/d3/sub/f"), 0);
	CHECK_EQ(t, ramfs_unlink("/d3/sub"), 0);
	CHECK_EQ(t, ramfs_unlink("/d3/k"), 0);
	CHECK_EQ(t, ramfs_unlink("/d3"), 0);
	CHECK_EQ(t, ramfs_unlink("/d2"), 0);
}

TEST_FLAGS(ramfs, rename_directories, TEST_F_HOST_ONLY)
{
	rfs_t_run(t, rnt_dirs, FAKE_FRAMES);
}

/* Out of memory: a move that needs a larger array changes nothing; a replace needs none. */
static void rnt_nomem(struct test_ctx *t)
{
	long before;

	CHECK_EQ(t, ramfs_mkdir("/src"), 0);
	CHECK_EQ(t, ramfs_mkdir("/dst"), 0);
	CHECK(t, rnt_file("/src/f", "f"));
	CHECK(t, rnt_file("/src/g", "g"));
	before = fake_heap_live();
	fake_heap_fail_after(0);
	CHECK_EQ(t, ramfs_rename("/src/f", "/dst/f"), -E_NOMEM);
	CHECK_EQ(t, fake_heap_live(), before);
	CHECK(t, rnt_is("/src/f", "f"));
	CHECK_EQ(t, ramfs_rename("/src/g", "/src/f"), 0);
	fake_heap_fail_after(-1);
	CHECK(t, fake_heap_live() < before); /* the replaced node is freed */
	CHECK(t, rnt_is("/src/f", "g"));
	CHECK(t, rnt_missing("/src/g"));
	CHECK(t, rnt_missing("/dst/f"));
	CHECK_EQ(t, ramfs_rename("/src/f", "/dst/f"), 0);
	CHECK(t, rnt_is("/dst/f", "g"));
	CHECK_EQ(t, ramfs_unlink("/dst/f"), 0);
	CHECK_EQ(t, ramfs_unlink("/dst"), 0);
	CHECK_EQ(t, ramfs_unlink("/src"), 0);
}

TEST_FLAGS(ramfs, rename_out_of_memory, TEST_F_HOST_ONLY)
{
	rfs_t_run(t, rnt_nomem, FAKE_FRAMES);
}
