/*
 * Linux personality: paths and the filesystem calls (openat, stat family,
 * access, readlink, getcwd, mkdir, unlink, rmdir, rename) on the RAM
 * filesystem. Paths are copied from the program once, then normalised
 * ("//", "." and ".." resolved; the working directory is always "/") into
 * the RAM filesystem's strict form before anything looks at the tree.
 */
#include <abi/syscall.h>
#include <copra/errno.h>
#include <copra/file.h>
#include <copra/process.h>
#include <copra/string.h>
#include <copra/uaccess.h>

#include "linux_internal.h"

#define LX_S_IFMT 0170000
#define LX_S_IFSOCK 0140000
#define LX_S_IFREG 0100000
#define LX_S_IFDIR 0040000
#define LX_S_IFCHR 0020000
#define LX_RENAME_NOREPLACE 1

/* struct stat of x86-64 Linux (newfstatat, fstat). */
struct linux_stat {
	u64 dev, ino, nlink;
	u32 mode, uid, gid, pad0;
	u64 rdev;
	s64 size, blksize, blocks;
	u64 atime, atime_ns, mtime, mtime_ns, ctime, ctime_ns;
	s64 unused[3];
};
_Static_assert(sizeof(struct linux_stat) == 144, "Linux x86-64 struct stat");

/*
 * Copies a NUL-terminated string of at most cap - 1 bytes from user memory,
 * a page at a time so bytes past the terminator are never touched.
 */
static s64 linux_copy_str(u64 uaddr, char *buf, size_t cap)
{
	size_t done = 0;

	while (done < cap) {
		u64 at = uaddr + done;
		size_t n = (size_t)MIN(cap - done, PAGE_SIZE - (at & (PAGE_SIZE - 1)));
		const char *z;

		if (at < uaddr || copy_from_user(buf + done, at, n))
			return -E_FAULT;
		z = memchr(buf + done, '\0', n);
		if (z)
			return z - buf;
		done += n;
	}
	return LX_ERR(LX_ENAMETOOLONG);
}

/* Appends component [s, s + n) to out (length *len), resolving "." and "..". */
static s64 linux_path_push(char *out, size_t *len, const char *s, size_t n)
{
	if (n == 0 || (n == 1 && s[0] == '.'))
		return 0;
	if (n == 2 && s[0] == '.' && s[1] == '.') {
		while (*len > 0 && out[*len - 1] != '/')
			(*len)--;
		if (*len > 0)
			(*len)--; /* the '/' too; ".." of "/" is "/" */
		return 0;
	}
	if (n > RAMFS_NAME_MAX || *len + 1 + n > RAMFS_PATH_MAX)
		return LX_ERR(LX_ENAMETOOLONG);
	out[(*len)++] = '/';
	memcpy(out + *len, s, n);
	*len += n;
	return 0;
}

s64 linux_path(s64 dirfd, u64 upath, char *out)
{
	char in[LX_PATH_IN_MAX];
	size_t i = 0, len = 0;
	s64 n = linux_copy_str(upath, in, sizeof(in)), r = 0;

	if (n < 0)
		return n;
	if (n == 0)
		return LX_ERR(LX_ENOENT);
	/* Relative paths start at the working directory, which is "/". */
	if (in[0] != '/' && (s32)dirfd != LX_AT_FDCWD)
		return LX_ERR(LX_EOPNOTSUPP);
	while (i < (size_t)n && !r) {
		size_t start = i;

		while (i < (size_t)n && in[i] != '/')
			i++;
		r = linux_path_push(out, &len, in + start, i - start);
		i++;
	}
	if (r)
		return r;
	if (len == 0)
		out[len++] = '/';
	out[len] = '\0';
	return 0;
}

/* The type of the node at path: RAMFS_FILE, RAMFS_DIR or a negative error. */
static s64 linux_node_type(const char *path, u32 *mode)
{
	struct ramfs_node *node;
	struct ramfs_stat st;
	int r = ramfs_lookup(path, &node);

	if (r)
		return r;
	r = ramfs_stat(node, &st);
	ramfs_put(node);
	if (r)
		return r;
	if (mode)
		*mode = st.mode;
	return st.type;
}

/* Linux open flags to COPRA_O_* for the node (type: RAMFS_*, or < 0 when missing). */
static s64 linux_open_flags(u32 flags, s64 type, u32 *out)
{
	u32 acc = flags & LX_O_ACCMODE;
	bool writing = acc != LX_O_RDONLY;

	if (acc == LX_O_ACCMODE || (flags & (LX_O_PATH | LX_O_TMPFILE)))
		return LX_ERR(LX_EINVAL);
	if (type >= 0 && (flags & LX_O_CREAT) && (flags & LX_O_EXCL))
		return LX_ERR(LX_EEXIST);
	if (type == RAMFS_DIR) {
		if (writing || (flags & (LX_O_CREAT | LX_O_TRUNC)))
			return LX_ERR(LX_EISDIR);
		*out = COPRA_O_READ | COPRA_O_DIR;
		return 0;
	}
	if (type == RAMFS_FILE && (flags & LX_O_DIRECTORY))
		return LX_ERR(LX_ENOTDIR);
	if (type < 0 && (flags & LX_O_DIRECTORY) && !(flags & LX_O_CREAT))
		return type;
	*out = (acc == LX_O_WRONLY ? 0 : COPRA_O_READ) | (writing ? COPRA_O_WRITE : 0) |
	       ((flags & LX_O_CREAT) ? COPRA_O_CREATE : 0) |
	       ((flags & LX_O_EXCL) ? COPRA_O_EXCL : 0) |
	       ((flags & LX_O_TRUNC) && writing ? COPRA_O_TRUNC : 0);
	return 0;
}

static s64 linux_do_open(struct sys_ctx *c, s64 dirfd, u64 upath, u32 flags)
{
	char path[RAMFS_PATH_MAX + 1];
	struct object *o;
	copra_handle_t h;
	u32 cflags = 0;
	s64 r = linux_path(dirfd, upath, path);

	if (!r)
		r = linux_open_flags(flags, linux_node_type(path, NULL), &cflags);
	if (!r)
		r = file_open(path, cflags, &o);
	if (r)
		return r;
	r = handle_install(c->proc, o, &h);
	obj_put(o);
	if (r)
		return r == -E_NOSPC ? LX_ERR(LX_EMFILE) : r;
	c->proc->lx_fd_flags[h] = (u8)((flags & LX_O_ACCMODE) |
				       ((flags & LX_O_APPEND) ? LX_FD_APPEND : 0) |
				       ((flags & LX_O_CLOEXEC) ? LX_FD_CLOEXEC : 0) |
				       ((flags & LX_O_NONBLOCK) ? LX_FD_NONBLOCK : 0));
	return h;
}

s64 lx_open(struct sys_ctx *c)
{
	return linux_do_open(c, LX_AT_FDCWD, c->a[0], (u32)c->a[1]);
}

s64 lx_openat(struct sys_ctx *c)
{
	return linux_do_open(c, (s64)c->a[0], c->a[1], (u32)c->a[2]);
}

/* ---- stat ---- */

static void linux_stat_fill(struct linux_stat *st, u32 type, u32 mode, u64 size, u64 ino)
{
	memset(st, 0, sizeof(*st));
	st->dev = 1;
	st->ino = ino;
	st->nlink = (type & LX_S_IFMT) == LX_S_IFDIR ? 2 : 1;
	st->mode = type | (mode & 07777);
	st->size = (s64)size;
	st->blksize = PAGE_SIZE;
	st->blocks = (s64)((size + 511) / 512);
}

/* stat of an object: files and directories as themselves, the rest as devices. */
static s64 linux_stat_object(struct object *o, struct linux_stat *st)
{
	struct copra_stat cs;
	s64 r;

	switch (o->type) {
	case COPRA_OBJ_FILE:
	case COPRA_OBJ_DIR:
		r = file_stat(o, &cs);
		if (r)
			return r;
		linux_stat_fill(st, cs.type == COPRA_OBJ_DIR ? LX_S_IFDIR : LX_S_IFREG, cs.mode,
				cs.type == COPRA_OBJ_DIR ? 0 : cs.size, cs.ino);
		return 0;
	case COPRA_OBJ_LOG:
		linux_stat_fill(st, LX_S_IFCHR, 0620, 0, 0);
		return 0;
	case COPRA_OBJ_CHANNEL:
		linux_stat_fill(st, LX_S_IFSOCK, 0600, 0, o->id);
		return 0;
	default:
		linux_stat_fill(st, LX_S_IFREG, 0600, 0, o->id);
		return 0;
	}
}

static s64 linux_stat_path(const char *path, struct linux_stat *st)
{
	struct ramfs_node *node;
	struct ramfs_stat rs;
	int r = ramfs_lookup(path, &node);

	if (r)
		return r;
	r = ramfs_stat(node, &rs);
	ramfs_put(node);
	if (r)
		return r;
	linux_stat_fill(st, rs.type == RAMFS_DIR ? LX_S_IFDIR : LX_S_IFREG, rs.mode,
			rs.type == RAMFS_DIR ? 0 : rs.size, rs.ino);
	return 0;
}

static s64 linux_fstat_fd(struct sys_ctx *c, u64 fd, struct linux_stat *st)
{
	struct object *o;
	s64 r = linux_fd_get(c, fd, &o);

	if (r)
		return r;
	r = linux_stat_object(o, st);
	obj_put(o);
	return r;
}

s64 lx_fstat(struct sys_ctx *c)
{
	struct linux_stat st;
	s64 r = linux_fstat_fd(c, c->a[0], &st);

	return r ? r : copy_to_user(c->a[1], &st, sizeof(st));
}

s64 lx_newfstatat(struct sys_ctx *c)
{
	const u32 known = LX_AT_SYMLINK_NOFOLLOW | LX_AT_NO_AUTOMOUNT | LX_AT_EMPTY_PATH;
	char path[RAMFS_PATH_MAX + 1];
	struct linux_stat st;
	u32 flags = (u32)c->a[3];
	char first;
	s64 r;

	if (flags & ~known)
		return LX_ERR(LX_EINVAL);
	if ((flags & LX_AT_EMPTY_PATH) && copy_from_user(&first, c->a[1], 1) == 0 && !first) {
		if ((s32)c->a[0] == LX_AT_FDCWD)
			r = linux_stat_path("/", &st);
		else
			r = linux_fstat_fd(c, c->a[0], &st);
	} else {
		r = linux_path((s64)c->a[0], c->a[1], path);
		if (!r)
			r = linux_stat_path(path, &st);
	}
	return r ? r : copy_to_user(c->a[2], &st, sizeof(st));
}

s64 lx_stat(struct sys_ctx *c)
{
	char path[RAMFS_PATH_MAX + 1];
	struct linux_stat st;
	s64 r = linux_path(LX_AT_FDCWD, c->a[0], path);

	if (!r)
		r = linux_stat_path(path, &st);
	return r ? r : copy_to_user(c->a[1], &st, sizeof(st));
}

/* ---- access, readlink, getcwd ---- */

static s64 linux_do_access(s64 dirfd, u64 upath, u64 mode)
{
	char path[RAMFS_PATH_MAX + 1];
	u32 perm = 0;
	s64 r;

	if (mode & ~7ULL)
		return LX_ERR(LX_EINVAL);
	r = linux_path(dirfd, upath, path);
	if (!r)
		r = linux_node_type(path, &perm);
	if (r < 0)
		return r;
	/* The only user is root: everything but executing a non-executable file. */
	return (mode & 1) && r == RAMFS_FILE && !(perm & RAMFS_MODE_EXEC) ? LX_ERR(LX_EACCES) : 0;
}

s64 lx_access(struct sys_ctx *c)
{
	return linux_do_access(LX_AT_FDCWD, c->a[0], c->a[1]);
}

s64 lx_faccessat(struct sys_ctx *c)
{
	return linux_do_access((s64)c->a[0], c->a[1], c->a[2]);
}

/* There are no symbolic links: an existing path is -EINVAL (/proc/self/exe: -ENOENT). */
static s64 linux_do_readlink(s64 dirfd, u64 upath, u64 size)
{
	char path[RAMFS_PATH_MAX + 1];
	s64 r;

	if ((s32)size <= 0)
		return LX_ERR(LX_EINVAL);
	r = linux_path(dirfd, upath, path);
	if (!r)
		r = linux_node_type(path, NULL);
	return r < 0 ? r : LX_ERR(LX_EINVAL);
}

s64 lx_readlink(struct sys_ctx *c)
{
	return linux_do_readlink(LX_AT_FDCWD, c->a[0], c->a[2]);
}

s64 lx_readlinkat(struct sys_ctx *c)
{
	return linux_do_readlink((s64)c->a[0], c->a[1], c->a[3]);
}

s64 lx_getcwd(struct sys_ctx *c)
{
	if (c->a[1] < 2)
		return LX_ERR(LX_ERANGE);
	return copy_to_user(c->a[0], "/", 2) ? -E_FAULT : 2;
}

/* ---- mkdir, unlink, rmdir, rename ---- */

static s64 linux_do_mkdir(s64 dirfd, u64 upath, u64 mode)
{
	char path[RAMFS_PATH_MAX + 1];
	s64 r = linux_path(dirfd, upath, path);

	if (r)
		return r;
	if (strcmp(path, "/") == 0)
		return LX_ERR(LX_EEXIST);
	return ramfs_create(path, RAMFS_DIR, (u32)mode & RAMFS_MODE_MASK, NULL);
}

s64 lx_mkdir(struct sys_ctx *c)
{
	return linux_do_mkdir(LX_AT_FDCWD, c->a[0], c->a[1]);
}

s64 lx_mkdirat(struct sys_ctx *c)
{
	return linux_do_mkdir((s64)c->a[0], c->a[1], c->a[2]);
}

/* unlink (dir false) or rmdir (dir true) of a path. */
static s64 linux_do_remove(s64 dirfd, u64 upath, bool dir)
{
	char path[RAMFS_PATH_MAX + 1];
	s64 r = linux_path(dirfd, upath, path);

	if (!r)
		r = linux_node_type(path, NULL);
	if (r < 0)
		return r;
	if (r == RAMFS_DIR && !dir)
		return LX_ERR(LX_EISDIR);
	if (r != RAMFS_DIR && dir)
		return LX_ERR(LX_ENOTDIR);
	if (strcmp(path, "/") == 0)
		return LX_ERR(LX_EBUSY);
	r = ramfs_unlink(path);
	return r == -E_BUSY ? LX_ERR(LX_ENOTEMPTY) : r;
}

s64 lx_unlink(struct sys_ctx *c)
{
	return linux_do_remove(LX_AT_FDCWD, c->a[0], false);
}

s64 lx_rmdir(struct sys_ctx *c)
{
	return linux_do_remove(LX_AT_FDCWD, c->a[0], true);
}

s64 lx_unlinkat(struct sys_ctx *c)
{
	if (c->a[2] & ~(u64)LX_AT_REMOVEDIR)
		return LX_ERR(LX_EINVAL);
	return linux_do_remove((s64)c->a[0], c->a[1], c->a[2] & LX_AT_REMOVEDIR);
}

static s64 linux_do_rename(s64 ofd, u64 uold, s64 nfd, u64 unew, u64 flags)
{
	char from[RAMFS_PATH_MAX + 1], to[RAMFS_PATH_MAX + 1];
	s64 r, ftype, ttype;

	if (flags & ~(u64)LX_RENAME_NOREPLACE)
		return LX_ERR(LX_EINVAL);
	r = linux_path(ofd, uold, from);
	if (!r)
		r = linux_path(nfd, unew, to);
	if (r)
		return r;
	ttype = linux_node_type(to, NULL);
	if ((flags & LX_RENAME_NOREPLACE) && ttype >= 0)
		return LX_ERR(LX_EEXIST);
	r = ramfs_rename(from, to);
	if (r == -E_BUSY && strcmp(from, "/") && strcmp(to, "/"))
		return LX_ERR(LX_ENOTEMPTY);
	if (r == -E_TYPE) {
		/* Which Linux error: a file over a directory is EISDIR. */
		ftype = linux_node_type(from, NULL);
		return ftype == RAMFS_FILE && ttype == RAMFS_DIR ? LX_ERR(LX_EISDIR) : r;
	}
	return r;
}

s64 lx_rename(struct sys_ctx *c)
{
	return linux_do_rename(LX_AT_FDCWD, c->a[0], LX_AT_FDCWD, c->a[1], 0);
}

s64 lx_renameat(struct sys_ctx *c)
{
	return linux_do_rename((s64)c->a[0], c->a[1], (s64)c->a[2], c->a[3], 0);
}

s64 lx_renameat2(struct sys_ctx *c)
{
	return linux_do_rename((s64)c->a[0], c->a[1], (s64)c->a[2], c->a[3], (u32)c->a[4]);
}
