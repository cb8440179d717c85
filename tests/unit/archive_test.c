/*
 * Unit tests of the user-program archive parser (kernel/fs/archive.c), run
 * on the host and inside Copra: archives are built in memory by a small
 * canonical writer, then corrupted field by field.
 */
#include <abi/archive.h>
#include <copra/archive.h>
#include <copra/errno.h>
#include <copra/string.h>
#include <copra/test.h>

struct arc_t_ent {
	u8 type;
	u32 mode;
	const char *path;
	const char *data;
};

static u8 arc_t_buf[16384] __aligned(8);
static size_t arc_t_size;

static struct archive_header *arc_t_hdr(void)
{
	return (struct archive_header *)arc_t_buf;
}

static struct archive_entry *arc_t_ent(u32 i)
{
	return (struct archive_entry *)(arc_t_buf + sizeof(struct archive_header)) + i;
}

static void arc_t_fix_crc(void)
{
	arc_t_hdr()->crc32 = archive_checksum(arc_t_buf, arc_t_size);
}

/* Writes the canonical encoding of ents[0..n) into arc_t_buf. */
static void arc_t_build(const struct arc_t_ent *ents, u32 n)
{
	struct archive_header *h = arc_t_hdr();
	u64 cur = sizeof(*h) + (u64)n * sizeof(struct archive_entry);
	u32 i;

	memset(arc_t_buf, 0, sizeof(arc_t_buf));
	memcpy(h->magic, ARCHIVE_MAGIC, 8);
	h->version = ARCHIVE_VERSION;
	h->header_size = sizeof(*h);
	h->entry_size = sizeof(struct archive_entry);
	h->entry_count = n;
	for (i = 0; i < n; i++) {
		struct archive_entry *e = arc_t_ent(i);

		e->type = ents[i].type;
		e->mode = ents[i].mode;
		e->path_len = (u16)strlen(ents[i].path);
		e->path_offset = (u32)cur;
		memcpy(arc_t_buf + cur, ents[i].path, e->path_len);
		cur += ALIGN_UP((u64)e->path_len, 8);
	}
	for (i = 0; i < n; i++) {
		struct archive_entry *e = arc_t_ent(i);

		if (ents[i].type != ARCHIVE_TYPE_FILE)
			continue;
		e->data_offset = cur;
		e->data_size = ents[i].data ? strlen(ents[i].data) : 0;
		memcpy(arc_t_buf + cur, ents[i].data ? ents[i].data : "", e->data_size);
		cur += ALIGN_UP(e->data_size, 8);
	}
	h->total_size = cur;
	arc_t_size = cur;
	arc_t_fix_crc();
}

static const struct arc_t_ent arc_t_tree[] = {
	{ ARCHIVE_TYPE_DIR, 0755, "bin", NULL },
	{ ARCHIVE_TYPE_FILE, 0755, "bin/init", "\177ELF-init" },
	{ ARCHIVE_TYPE_FILE, 0755, "bin/vtpmd", "\177ELF-vtpmd-longer-than-eight" },
	{ ARCHIVE_TYPE_FILE, 0644, "empty", NULL },
	{ ARCHIVE_TYPE_DIR, 0755, "etc", NULL },
	{ ARCHIVE_TYPE_FILE, 0644, "etc/init.conf", "service vtpmd /bin/vtpmd\n" },
	{ ARCHIVE_TYPE_DIR, 0700, "var", NULL },
	{ ARCHIVE_TYPE_DIR, 0700, "var/tpm", NULL },
};

#define ARC_T_TREE_N ((u32)ARRAY_SIZE(arc_t_tree))

struct arc_t_walk {
	u32 seen;
	u32 stop_at;
	bool mismatch;
};

static int arc_t_visit(void *arg, const struct archive_item *it)
{
	struct arc_t_walk *w = arg;
	const struct arc_t_ent *want = &arc_t_tree[w->seen];
	u64 size = want->data ? strlen(want->data) : 0;

	if (it->index != w->seen || it->type != want->type || it->mode != want->mode ||
	    strcmp(it->path, want->path) != 0 || it->size != size ||
	    (want->type == ARCHIVE_TYPE_DIR) != (it->data == NULL) ||
	    (size && memcmp(it->data, want->data, size) != 0))
		w->mismatch = true;
	w->seen++;
	return w->seen == w->stop_at ? -E_INTR : 0;
}

TEST(archive, checksum_is_crc32)
{
	CHECK_EQ(t, archive_checksum("123456789", 9), 0xCBF43926u);
	CHECK_EQ(t, archive_checksum("", 0), 0);
}

TEST(archive, accepts_and_walks_a_tree)
{
	struct arc_t_walk w = { 0, 0, false };
	struct archive_item it;
	const char *why = NULL;

	arc_t_build(arc_t_tree, ARC_T_TREE_N);
	CHECK_EQ(t, archive_validate(arc_t_buf, arc_t_size, &why), 0);
	CHECK(t, why && !strcmp(why, "ok"));
	CHECK_EQ(t, archive_count(arc_t_buf, arc_t_size), ARC_T_TREE_N);
	CHECK_EQ(t, archive_walk(arc_t_buf, arc_t_size, arc_t_visit, &w), 0);
	CHECK_EQ(t, w.seen, ARC_T_TREE_N);
	CHECK(t, !w.mismatch);
	/* A visitor's error stops the walk and is returned. */
	w.seen = 0;
	w.stop_at = 3;
	CHECK_EQ(t, archive_walk(arc_t_buf, arc_t_size, arc_t_visit, &w), -E_INTR);
	CHECK_EQ(t, w.seen, 3);
	CHECK_EQ(t, archive_get(arc_t_buf, arc_t_size, 5, &it), 0);
	CHECK(t, !strcmp(it.path, "etc/init.conf") && it.size == 25);
	CHECK_EQ(t, archive_get(arc_t_buf, arc_t_size, ARC_T_TREE_N, &it), -E_RANGE);
	/* The empty archive is valid. */
	arc_t_build(arc_t_tree, 0);
	CHECK_EQ(t, arc_t_size, sizeof(struct archive_header));
	CHECK_EQ(t, archive_validate(arc_t_buf, arc_t_size, &why), 0);
	/* A walk refuses an archive that does not validate. */
	arc_t_build(arc_t_tree, ARC_T_TREE_N);
	arc_t_buf[arc_t_size - 1] ^= 1;
	CHECK_EQ(t, archive_walk(arc_t_buf, arc_t_size, arc_t_visit, &w), -E_IO);
}

/* Header and table corruptions: case -> expected error. */
static int arc_t_corrupt(unsigned c)
{
	struct archive_header *h = arc_t_hdr();
	struct archive_entry *dir = arc_t_ent(0), *file = arc_t_ent(1), *empty = arc_t_ent(3);

	switch (c) {
	case 0: h->magic[0] = 'c'; return -E_INVAL;
	case 1: h->version = 2; return -E_INVAL;
	case 2: h->header_size = 72; return -E_INVAL;
	case 3: h->entry_size = 40; return -E_INVAL;
	case 4: h->flags = 1; return -E_INVAL;
	case 5: h->reserved[23] = 1; return -E_INVAL;
	case 6: h->total_size += 8; return -E_INVAL;
	case 7: h->total_size = ARCHIVE_MAX_SIZE + 8; return -E_TOOBIG;
	case 8: h->entry_count = ARCHIVE_MAX_ENTRIES + 1; return -E_TOOBIG;
	case 9: h->entry_count = 400; return -E_INVAL; /* table past the end */
	case 10: dir->type = 3; return -E_INVAL;
	case 11: dir->type = 0; return -E_INVAL;
	case 12: dir->reserved0 = 1; return -E_INVAL;
	case 13: file->reserved1 = 1; return -E_INVAL;
	case 14: file->mode = 01755; return -E_INVAL;
	case 15: dir->data_size = 8; return -E_INVAL;
	case 16: dir->data_offset = 8; return -E_INVAL;
	case 17: file->path_len = 0; return -E_INVAL;
	case 18: file->path_len = 255; return -E_INVAL;
	case 19: file->path_offset += 8; return -E_INVAL;
	case 20: arc_t_buf[dir->path_offset + dir->path_len] = 'x'; return -E_INVAL;
	case 21: file->data_offset += 8; return -E_INVAL;
	case 22: file->data_size += 8; return -E_INVAL;        /* overlaps the next file */
	case 23: arc_t_buf[file->data_offset + file->data_size] = 1; return -E_INVAL;
	case 24: file->data_size = ARCHIVE_FILE_MAX + 8; return -E_TOOBIG;
	case 25: empty->type = ARCHIVE_TYPE_DIR; return -E_INVAL; /* data offset set */
	case 26: file->type = ARCHIVE_TYPE_DIR; return -E_INVAL;
	case 27: arc_t_ent(6)->type = ARCHIVE_TYPE_FILE; return -E_INVAL; /* parent a file */
	case 28: arc_t_buf[dir->path_offset] = 'c'; return -E_INVAL; /* "cin" > "bin/init" */
	case 29: arc_t_buf[arc_t_ent(6)->path_offset] = 'e'; return -E_INVAL; /* "ear" < "etc/" */
	case 30: h->entry_count = 0; return -E_INVAL;           /* leftovers after the table */
	case 31: h->entry_count = 7; return -E_INVAL;
	default: return 0;
	}
}

#define ARC_T_CORRUPTIONS 32u

TEST(archive, rejects_corruption)
{
	const char *why;
	unsigned c;
	int want, ret;

	for (c = 0; c < ARC_T_CORRUPTIONS; c++) {
		arc_t_build(arc_t_tree, ARC_T_TREE_N);
		want = arc_t_corrupt(c);
		if (c == 6)
			arc_t_size += 8; /* the buffer grows with the field: extra bytes */
		arc_t_fix_crc();
		why = NULL;
		ret = archive_validate(arc_t_buf, arc_t_size, &why);
		if (ret != want || !why || !strcmp(why, "ok")) {
			test_fail(t, __FILE__, __LINE__, "case %u: returned %d, want %d (%s)", c,
				  ret, want, why ? why : "no reason");
			return;
		}
	}
	/* Checksum and size mismatches. */
	arc_t_build(arc_t_tree, ARC_T_TREE_N);
	arc_t_buf[arc_t_size - 1] ^= 0x80;
	CHECK_EQ(t, archive_validate(arc_t_buf, arc_t_size, &why), -E_IO);
	arc_t_build(arc_t_tree, ARC_T_TREE_N);
	CHECK_EQ(t, archive_validate(arc_t_buf, arc_t_size - 8, &why), -E_INVAL);
	CHECK_EQ(t, archive_validate(arc_t_buf, 63, &why), -E_INVAL);
	CHECK_EQ(t, archive_validate(NULL, 64, &why), -E_INVAL);
	CHECK_EQ(t, archive_validate(arc_t_buf, arc_t_size, NULL), 0);
}

static int arc_t_one(const char *path)
{
	struct arc_t_ent e = { ARCHIVE_TYPE_FILE, 0644, path, "x" };

	arc_t_build(&e, 1);
	return archive_validate(arc_t_buf, arc_t_size, NULL);
}

TEST(archive, rejects_hostile_paths)
{
	static const char *const bad[] = {
		"/abs", "trail/", "a//b", ".", "..", "./x", "x/.", "a/../b", "sp ace",
		"tab\t", "del\177", "\x80hi", "bs\\", "",
		/* 64-byte component */
		"0123456789012345678901234567890123456789012345678901234567890123",
		/* 17 components */
		"a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p/q",
	};
	unsigned i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		int ret = arc_t_one(bad[i]);

		/* "bs\\" is a valid name (printable ASCII); everything else fails. */
		if (i == 12 ? ret != 0 : ret != -E_INVAL) {
			test_fail(t, __FILE__, __LINE__, "path %u \"%s\": %d", i, bad[i], ret);
			return;
		}
	}
	CHECK_EQ(t, arc_t_one("..."), 0);
	CHECK_EQ(t, arc_t_one(".hidden"), 0);
	CHECK_EQ(t, arc_t_one("012345678901234567890123456789012345678901234567890123456789012"),
		 0);
	CHECK_EQ(t, arc_t_one("a/b"), -E_INVAL); /* no parent */
}

TEST(archive, rejects_duplicates)
{
	static const struct arc_t_ent dup[] = {
		{ ARCHIVE_TYPE_DIR, 0755, "d", NULL },
		{ ARCHIVE_TYPE_FILE, 0644, "d/f", "1" },
		{ ARCHIVE_TYPE_FILE, 0644, "d/f", "2" },
	};

	arc_t_build(dup, 3);
	CHECK_EQ(t, archive_validate(arc_t_buf, arc_t_size, NULL), -E_INVAL);
	arc_t_build(dup, 2);
	CHECK_EQ(t, archive_validate(arc_t_buf, arc_t_size, NULL), 0);
}

TEST(archive, deepest_path)
{
	static char p[16][40];
	struct arc_t_ent e[16];
	unsigned i;

	/* 16 nested directories are the deepest allowed (17: rejects_hostile_paths). */
	for (i = 0; i < 16; i++) {
		memcpy(p[i], "a/a/a/a/a/a/a/a/a/a/a/a/a/a/a/a", 2 * i + 1);
		p[i][2 * i + 1] = '\0';
		e[i].type = ARCHIVE_TYPE_DIR;
		e[i].mode = 0755;
		e[i].path = p[i];
		e[i].data = NULL;
	}
	arc_t_build(e, 16);
	CHECK_EQ(t, archive_validate(arc_t_buf, arc_t_size, NULL), 0);
}

TEST(archive, longest_path)
{
	static const char c63[] =
		"012345678901234567890123456789012345678901234567890123456789012";
	static char d1[64], d2[128], d3[192], f[256];
	struct arc_t_ent l[4] = {
		{ ARCHIVE_TYPE_DIR, 0755, d1, NULL }, { ARCHIVE_TYPE_DIR, 0755, d2, NULL },
		{ ARCHIVE_TYPE_DIR, 0755, d3, NULL }, { ARCHIVE_TYPE_FILE, 0755, f, "z" },
	};

	/* 63/63/63/62: 254 bytes, the longest path; one more byte is refused. */
	memcpy(d1, c63, 63);
	memcpy(d2, d1, 63);
	d2[63] = '/';
	memcpy(d2 + 64, c63, 63);
	memcpy(d3, d2, 127);
	d3[127] = '/';
	memcpy(d3 + 128, c63, 63);
	memcpy(f, d3, 191);
	f[191] = '/';
	memcpy(f + 192, c63, 62);
	CHECK_EQ(t, strlen(f), ARCHIVE_PATH_MAX);
	arc_t_build(l, 4);
	CHECK_EQ(t, archive_validate(arc_t_buf, arc_t_size, NULL), 0);
	f[254] = '3';
	arc_t_build(l, 4);
	CHECK_EQ(t, archive_validate(arc_t_buf, arc_t_size, NULL), -E_INVAL);
}
