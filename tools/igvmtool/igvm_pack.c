/*
 * `igvmtool pack --out FILE --root DIR`: packs the directories and regular
 * files under DIR into a user-program archive (include/abi/archive.h,
 * docs/archive.md). Deterministic: entries sorted by path bytewise, no
 * timestamps or owners, modes normalized (directories 0755, files 0755 when
 * the owner may execute them, else 0644). Symbolic links, devices, sockets
 * and FIFOs are refused. The result is checked with the kernel's own
 * validator before it is written.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <copra/archive.h>

#include "igvm_model.h"

/* Entry of `igvmtool pack` (called from main.c): exit status 0, 1 or 2 (misuse). */
int igvm_pack_main(int argc, char **argv);

struct pack_item {
	char *path;      /* relative to the root */
	u8 type;         /* ARCHIVE_TYPE_* */
	u32 mode;
	u64 size;
};

struct pack_list {
	const char *root;
	struct pack_item *v;
	u32 n, cap;
	u64 bytes;       /* archive size so far (header, table, paths, data) */
};

static bool pack_name_ok(const char *name)
{
	size_t i, len = strlen(name);

	if (len == 0 || len > ARCHIVE_NAME_MAX)
		return false;
	for (i = 0; i < len; i++)
		if ((unsigned char)name[i] < 0x21 || (unsigned char)name[i] > 0x7E)
			return false;
	return true;
}

static int pack_add(struct pack_list *l, const char *path, u8 type, u32 mode, u64 size,
		    struct igvm_err *e)
{
	struct pack_item *it;

	if (l->n == ARCHIVE_MAX_ENTRIES)
		return igvm_errf(e, "%s: more than %u entries", l->root, ARCHIVE_MAX_ENTRIES);
	l->bytes += sizeof(struct archive_entry) + ALIGN_UP(strlen(path), ARCHIVE_ALIGN) +
		    ALIGN_UP(size, ARCHIVE_ALIGN);
	if (l->bytes > ARCHIVE_MAX_SIZE)
		return igvm_errf(e, "%s: archive would exceed %llu bytes", l->root,
				 (unsigned long long)ARCHIVE_MAX_SIZE);
	if (l->n == l->cap) {
		u32 cap = l->cap ? l->cap * 2 : 64;
		struct pack_item *v = realloc(l->v, cap * sizeof(*v));

		if (!v)
			return igvm_errf(e, "out of memory");
		l->v = v;
		l->cap = cap;
	}
	it = &l->v[l->n];
	it->path = strdup(path);
	if (!it->path)
		return igvm_errf(e, "out of memory");
	it->type = type;
	it->mode = mode;
	it->size = size;
	l->n++;
	return 0;
}

static int pack_scan(struct pack_list *l, const char *rel, unsigned depth, struct igvm_err *e);

/* One directory entry `name` inside the directory rel (fd dfd). */
static int pack_one(struct pack_list *l, int dfd, const char *rel, const char *name,
		    unsigned depth, struct igvm_err *e)
{
	char path[ARCHIVE_PATH_MAX + 2];
	struct stat st;
	int n;

	n = snprintf(path, sizeof(path), "%s%s%s", rel, *rel ? "/" : "", name);
	if (!pack_name_ok(name))
		return igvm_errf(e, "%s/%s%s%s: name not allowed (1..63 printable ASCII bytes, "
				 "no space)", l->root, rel, *rel ? "/" : "", name);
	if (n < 0 || (size_t)n > ARCHIVE_PATH_MAX)
		return igvm_errf(e, "%s/%s%s%s: path longer than %u bytes", l->root, rel,
				 *rel ? "/" : "", name, ARCHIVE_PATH_MAX);
	if (depth + 1 > ARCHIVE_DEPTH_MAX)
		return igvm_errf(e, "%s/%s: deeper than %u levels", l->root, path,
				 ARCHIVE_DEPTH_MAX);
	if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return igvm_errf(e, "%s/%s: %s", l->root, path, strerror(errno));
	if (S_ISDIR(st.st_mode)) {
		if (pack_add(l, path, ARCHIVE_TYPE_DIR, 0755, 0, e) < 0)
			return -1;
		return pack_scan(l, path, depth + 1, e);
	}
	if (!S_ISREG(st.st_mode))
		return igvm_errf(e, "%s/%s: %s not allowed (only directories and regular files)",
				 l->root, path, S_ISLNK(st.st_mode) ? "symbolic link" : "special file");
	if ((u64)st.st_size > ARCHIVE_FILE_MAX)
		return igvm_errf(e, "%s/%s: larger than %llu bytes", l->root, path,
				 (unsigned long long)ARCHIVE_FILE_MAX);
	return pack_add(l, path, ARCHIVE_TYPE_FILE, (st.st_mode & S_IXUSR) ? 0755 : 0644,
			(u64)st.st_size, e);
}

/* Adds everything under root/rel ("" for the root itself). */
static int pack_scan(struct pack_list *l, const char *rel, unsigned depth, struct igvm_err *e)
{
	char dir[PATH_MAX];
	struct dirent *de;
	DIR *d;
	int n, ret = 0;

	n = snprintf(dir, sizeof(dir), "%s/%s", l->root, rel);
	if (n < 0 || (size_t)n >= sizeof(dir))
		return igvm_errf(e, "%s/%s: path too long", l->root, rel);
	d = opendir(dir);
	if (!d)
		return igvm_errf(e, "%s: %s", dir, strerror(errno));
	errno = 0;
	while (!ret && (de = readdir(d)) != NULL) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		ret = pack_one(l, dirfd(d), rel, de->d_name, depth, e);
		errno = 0;
	}
	if (!ret && errno)
		ret = igvm_errf(e, "%s: %s", dir, strerror(errno));
	closedir(d);
	return ret;
}

static int pack_cmp(const void *a, const void *b)
{
	return strcmp(((const struct pack_item *)a)->path, ((const struct pack_item *)b)->path);
}

/* Reads exactly it->size bytes of root/it->path into dst. */
static int pack_read(const struct pack_list *l, const struct pack_item *it, u8 *dst,
		     struct igvm_err *e)
{
	char path[PATH_MAX];
	struct stat st;
	u64 done = 0;
	u8 extra;
	int fd, n;

	n = snprintf(path, sizeof(path), "%s/%s", l->root, it->path);
	if (n < 0 || (size_t)n >= sizeof(path))
		return igvm_errf(e, "%s/%s: path too long", l->root, it->path);
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return igvm_errf(e, "%s: %s", path, strerror(errno));
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || (u64)st.st_size != it->size) {
		close(fd);
		return igvm_errf(e, "%s: changed while packing", path);
	}
	while (done < it->size) {
		ssize_t r = read(fd, dst + done, it->size - done);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		done += (u64)r;
	}
	if (done != it->size || read(fd, &extra, 1) != 0) {
		close(fd);
		return igvm_errf(e, "%s: changed while packing", path);
	}
	close(fd);
	return 0;
}

/* Lays out the sorted list in canonical order (see archive.h) and fills it. */
static int pack_encode(const struct pack_list *l, u8 *buf, u64 total, struct igvm_err *e)
{
	struct archive_header h;
	u64 cur = sizeof(h) + (u64)l->n * sizeof(struct archive_entry);
	u32 i;

	for (i = 0; i < l->n; i++) {
		struct archive_entry ent = { 0 };

		ent.type = l->v[i].type;
		ent.mode = l->v[i].mode;
		ent.path_len = (u16)strlen(l->v[i].path);
		ent.path_offset = (u32)cur;
		memcpy(buf + cur, l->v[i].path, ent.path_len);
		cur += ALIGN_UP((u64)ent.path_len, ARCHIVE_ALIGN);
		memcpy(buf + sizeof(h) + (u64)i * sizeof(ent), &ent, sizeof(ent));
	}
	for (i = 0; i < l->n; i++) {
		struct archive_entry *ent = (struct archive_entry *)(buf + sizeof(h)) + i;

		if (l->v[i].type != ARCHIVE_TYPE_FILE)
			continue;
		ent->data_offset = cur;
		ent->data_size = l->v[i].size;
		if (pack_read(l, &l->v[i], buf + cur, e) < 0)
			return -1;
		cur += ALIGN_UP(l->v[i].size, ARCHIVE_ALIGN);
	}
	memset(&h, 0, sizeof(h));
	memcpy(h.magic, ARCHIVE_MAGIC, sizeof(h.magic));
	h.version = ARCHIVE_VERSION;
	h.header_size = sizeof(h);
	h.entry_size = sizeof(struct archive_entry);
	h.entry_count = l->n;
	h.total_size = total;
	memcpy(buf, &h, sizeof(h));
	h.crc32 = archive_checksum(buf, total);
	memcpy(buf, &h, sizeof(h));
	return cur == total ? 0 : igvm_errf(e, "internal error: layout size mismatch");
}

static int pack_build(struct pack_list *l, u8 **out, size_t *out_len, struct igvm_err *e)
{
	struct stat st;
	const char *why;
	u8 *buf;

	if (stat(l->root, &st) < 0 || !S_ISDIR(st.st_mode))
		return igvm_errf(e, "%s: not a directory", l->root);
	l->bytes = sizeof(struct archive_header);
	if (pack_scan(l, "", 0, e) < 0)
		return -1;
	qsort(l->v, l->n, sizeof(*l->v), pack_cmp);
	buf = calloc(1, l->bytes);
	if (!buf)
		return igvm_errf(e, "out of memory");
	if (pack_encode(l, buf, l->bytes, e) < 0) {
		free(buf);
		return -1;
	}
	if (archive_validate(buf, l->bytes, &why) != 0) {
		free(buf);
		return igvm_errf(e, "internal error: packed archive fails validation: %s", why);
	}
	*out = buf;
	*out_len = l->bytes;
	return 0;
}

int igvm_pack_main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "out", required_argument, NULL, 'o' },
		{ "root", required_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 },
	};
	struct pack_list l = { 0 };
	const char *out = NULL;
	struct igvm_err e;
	size_t len = 0;
	bool bad = false;
	u8 *buf = NULL;
	int c, ret;
	u32 i;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'o': out = optarg; break;
		case 'r': l.root = optarg; break;
		default: bad = true; break;
		}
	}
	if (bad || !out || !l.root || optind != argc) {
		fprintf(stderr, "usage: igvmtool pack --out FILE --root DIR\n");
		return 2;
	}
	ret = pack_build(&l, &buf, &len, &e);
	if (!ret)
		ret = igvm_file_write(out, buf, len, &e);
	if (ret)
		fprintf(stderr, "igvmtool: pack: %s\n", e.msg);
	for (i = 0; i < l.n; i++)
		free(l.v[i].path);
	free(l.v);
	free(buf);
	return ret ? 1 : 0;
}
