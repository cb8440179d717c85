/*
 * Unpacking the user-program archive into the RAM filesystem at boot. The
 * archive is validated in full before the first node is created (the walk
 * validates), entries are created through the public API in table order
 * (parents first), and any failure removes what this call created, in
 * reverse order, so the tree is as before.
 */
#include <copra/archive.h>
#include <copra/errno.h>
#include <copra/ramfs.h>
#include <copra/string.h>

/* Every valid archive entry is a valid RAM filesystem entry. */
_Static_assert(ARCHIVE_PATH_MAX + 1 <= RAMFS_PATH_MAX, "'/' + archive path fits");
_Static_assert(ARCHIVE_NAME_MAX <= RAMFS_NAME_MAX, "archive names fit");
_Static_assert(ARCHIVE_FILE_MAX <= RAMFS_FILE_MAX, "archive files fit");
_Static_assert(ARCHIVE_MODE_MASK == RAMFS_MODE_MASK, "same permission bits");

struct ramfs_unpack {
	u32 created;                  /* entries [0, created) exist now */
	char path[RAMFS_PATH_MAX + 1];
};

static void ramfs_unpack_path(struct ramfs_unpack *u, const char *rel, u32 len)
{
	u->path[0] = '/';
	memcpy(u->path + 1, rel, len);
	u->path[len + 1] = '\0';
}

static int ramfs_unpack_file(const char *path, const struct archive_item *it)
{
	struct ramfs_node *n;
	size_t done;
	int ret;

	ret = ramfs_create(path, RAMFS_FILE, it->mode, &n);
	if (ret)
		return ret;
	ret = ramfs_write(n, 0, it->data, (size_t)it->size, &done);
	ramfs_put(n);
	if (ret)
		ramfs_unlink(path); /* just created, so it is there and removable */
	return ret;
}

static int ramfs_unpack_one(void *arg, const struct archive_item *it)
{
	struct ramfs_unpack *u = arg;
	int ret;

	ramfs_unpack_path(u, it->path, it->path_len);
	if (it->type == ARCHIVE_TYPE_DIR)
		ret = ramfs_create(u->path, RAMFS_DIR, it->mode, NULL);
	else
		ret = ramfs_unpack_file(u->path, it);
	if (!ret)
		u->created++;
	return ret;
}

/* Removes entries [0, u->created) again, children before parents. */
static void ramfs_unpack_undo(const void *buf, size_t size, struct ramfs_unpack *u)
{
	struct archive_item it;

	while (u->created > 0) {
		u->created--;
		if (archive_get(buf, size, u->created, &it) == 0) {
			ramfs_unpack_path(u, it.path, it.path_len);
			ramfs_unlink(u->path);
		}
	}
}

int ramfs_unpack_archive(const void *buf, size_t size)
{
	struct ramfs_unpack u;
	int ret;

	u.created = 0;
	ret = archive_walk(buf, size, ramfs_unpack_one, &u);
	if (ret)
		ramfs_unpack_undo(buf, size, &u);
	return ret;
}
