/*
 * Files and directories as objects (include/copra/file.h) and the file
 * system calls. Data moves through a kernel bounce buffer: the RAM
 * filesystem only ever sees kernel memory. A write checks the whole user
 * buffer before it changes anything, so a bad pointer leaves the file as it
 * was; a failed read leaves the offset where it was. Paths under /dev/ are
 * devices (include/copra/dev.h), not files.
 */
#include <copra/dev.h>
#include <copra/errno.h>
#include <copra/file.h>
#include <copra/heap.h>
#include <copra/memlayout.h>
#include <copra/ramfs.h>
#include <copra/spinlock.h>
#include <copra/string.h>
#include <copra/uaccess.h>

#include "../user/syscall.h"
#include "../user/user_internal.h"

#define FILE_BOUNCE 16384u
#define FILE_OPEN_FLAGS (COPRA_O_READ | COPRA_O_WRITE | COPRA_O_CREATE | COPRA_O_TRUNC | \
			 COPRA_O_EXCL | COPRA_O_DIR)
#define FILE_OFF_MAX ((u64)INT64_MAX)

struct file {
	struct object obj;        /* COPRA_OBJ_FILE or COPRA_OBJ_DIR */
	struct ramfs_node *node;
	u32 flags;                /* COPRA_O_* it was opened with */
	spinlock_t lock;          /* guards off */
	u64 off;
};

static struct file *file_of(struct object *o)
{
	return container_of(o, struct file, obj);
}

static void file_destroy(struct object *o)
{
	struct file *f = file_of(o);

	ramfs_put(f->node);
	kfree(f);
}

static const struct object_ops file_ops = { "file", file_destroy };

static int file_check_flags(u32 flags)
{
	if (flags & ~FILE_OPEN_FLAGS)
		return -E_INVAL;
	if (!(flags & (COPRA_O_READ | COPRA_O_WRITE | COPRA_O_DIR)))
		return -E_INVAL;
	if ((flags & COPRA_O_DIR) && (flags & (COPRA_O_WRITE | COPRA_O_CREATE | COPRA_O_TRUNC)))
		return -E_INVAL;
	if ((flags & COPRA_O_TRUNC) && !(flags & COPRA_O_WRITE))
		return -E_INVAL;
	return 0;
}

/* Finds or creates the node the flags ask for; *out is a reference. */
static int file_find(const char *path, u32 flags, struct ramfs_node **out)
{
	int ret = ramfs_lookup(path, out);

	if (ret == 0 && (flags & COPRA_O_CREATE) && (flags & COPRA_O_EXCL)) {
		ramfs_put(*out);
		return -E_EXIST;
	}
	if (ret != -E_NOENT || !(flags & COPRA_O_CREATE))
		return ret;
	ret = ramfs_create(path, RAMFS_FILE, 0644, out);
	if (ret == -E_EXIST && !(flags & COPRA_O_EXCL))
		ret = ramfs_lookup(path, out); /* created meanwhile by someone else */
	return ret;
}

int file_open(const char *path, u32 flags, struct object **out)
{
	struct ramfs_node *n;
	struct ramfs_stat st;
	struct file *f;
	int ret = file_check_flags(flags);

	if (ret)
		return ret;
	if (dev_is_device_path(path))
		return dev_open(path, flags, out);
	ret = file_find(path, flags, &n);
	if (ret)
		return ret;
	ret = ramfs_stat(n, &st);
	if (!ret && (st.type == RAMFS_DIR) != !!(flags & COPRA_O_DIR))
		ret = -E_TYPE;
	if (!ret && (flags & COPRA_O_TRUNC))
		ret = ramfs_truncate(n, 0);
	f = ret ? NULL : kzalloc(sizeof(*f));
	if (!f) {
		ramfs_put(n);
		return ret ? ret : -E_NOMEM;
	}
	obj_init(&f->obj, st.type == RAMFS_DIR ? COPRA_OBJ_DIR : COPRA_OBJ_FILE, &file_ops);
	f->node = n;
	f->flags = flags;
	spin_lock_init(&f->lock);
	*out = &f->obj;
	return 0;
}

static u64 file_get_off(struct file *f)
{
	u64 off;

	spin_lock(&f->lock);
	off = f->off;
	spin_unlock(&f->lock);
	return off;
}

static void file_set_off(struct file *f, u64 off)
{
	spin_lock(&f->lock);
	f->off = off;
	spin_unlock(&f->lock);
}

/* A file object open for the access asked (COPRA_O_READ or COPRA_O_WRITE). */
static int file_check_access(struct object *o, u32 access)
{
	if (o->type != COPRA_OBJ_FILE)
		return -E_TYPE;
	return (file_of(o)->flags & access) ? 0 : -E_PERM;
}

s64 file_read_user(struct object *o, u64 ubuf, u64 len)
{
	struct file *f = file_of(o);
	u64 off, done = 0;
	u8 *bounce;
	int ret = file_check_access(o, COPRA_O_READ);

	if (ret)
		return ret;
	if (len && !user_range_ok(ubuf, len))
		return -E_FAULT;
	bounce = kmalloc(FILE_BOUNCE);
	if (!bounce)
		return -E_NOMEM;
	off = file_get_off(f);
	while (done < len && !ret) {
		size_t n;

		ret = ramfs_read(f->node, off + done, bounce, (size_t)MIN(len - done, FILE_BOUNCE), &n);
		if (ret || n == 0)
			break;
		if (copy_to_user(ubuf + done, bounce, n))
			ret = -E_FAULT;
		else
			done += n;
	}
	kfree(bounce);
	if (ret)
		return ret;
	file_set_off(f, off + done);
	return (s64)done;
}

/* Every page of [ubuf, ubuf + len) readable? One byte per page is enough. */
static int file_probe_user(u64 ubuf, u64 len)
{
	u64 p = ubuf;
	u8 b;

	while (p < ubuf + len) {
		if (copy_from_user(&b, p, 1))
			return -E_FAULT;
		p = ALIGN_DOWN(p, PAGE_SIZE) + PAGE_SIZE;
	}
	return 0;
}

s64 file_write_user(struct object *o, u64 ubuf, u64 len)
{
	struct file *f = file_of(o);
	u64 off, done = 0;
	u8 *bounce;
	int ret;

	if (o->type == COPRA_OBJ_LOG)
		return log_write_user(process_current(), ubuf, len);
	ret = file_check_access(o, COPRA_O_WRITE);
	if (ret)
		return ret;
	if (len && !user_range_ok(ubuf, len))
		return -E_FAULT;
	off = file_get_off(f);
	if (len > RAMFS_FILE_MAX || off > RAMFS_FILE_MAX - len)
		return -E_TOOBIG;
	ret = file_probe_user(ubuf, len);
	bounce = ret ? NULL : kmalloc(FILE_BOUNCE);
	if (!bounce)
		return ret ? ret : -E_NOMEM;
	while (done < len && !ret) {
		size_t n = (size_t)MIN(len - done, FILE_BOUNCE), w;

		ret = copy_from_user(bounce, ubuf + done, n);
		if (!ret)
			ret = ramfs_write(f->node, off + done, bounce, n, &w);
		if (!ret)
			done += w;
	}
	kfree(bounce);
	if (done)
		file_set_off(f, off + done);
	return done ? (s64)done : ret;
}

s64 file_seek(struct object *o, s64 offset, u32 whence)
{
	struct file *f = file_of(o);
	struct ramfs_stat st;
	s64 base, pos;
	int ret;

	if (o->type != COPRA_OBJ_FILE)
		return -E_TYPE;
	spin_lock(&f->lock);
	if (whence == COPRA_SEEK_SET) {
		base = 0;
	} else if (whence == COPRA_SEEK_CUR) {
		base = (s64)f->off;
	} else if (whence == COPRA_SEEK_END) {
		ret = ramfs_stat(f->node, &st);
		base = ret ? -1 : (s64)st.size;
	} else {
		base = -1;
	}
	if (base < 0 || __builtin_add_overflow(base, offset, &pos) || pos < 0) {
		spin_unlock(&f->lock);
		return -E_INVAL;
	}
	f->off = (u64)pos;
	spin_unlock(&f->lock);
	return pos;
}

int file_stat(struct object *o, struct copra_stat *st)
{
	struct ramfs_stat rs;
	int ret;

	if (o->type != COPRA_OBJ_FILE && o->type != COPRA_OBJ_DIR)
		return -E_TYPE;
	ret = ramfs_stat(file_of(o)->node, &rs);
	if (ret)
		return ret;
	st->type = rs.type == RAMFS_DIR ? COPRA_OBJ_DIR : COPRA_OBJ_FILE;
	st->mode = rs.mode;
	st->size = rs.size;
	st->ino = rs.ino;
	return 0;
}

int file_truncate(struct object *o, u64 size)
{
	int ret = file_check_access(o, COPRA_O_WRITE);

	if (ret)
		return ret;
	if (size > RAMFS_FILE_MAX)
		return -E_TOOBIG;
	return ramfs_truncate(file_of(o)->node, size);
}

/* ---- System calls ---- */

/* The object behind a handle argument (any type; the operation checks). */
static int sys_file_arg(struct sys_ctx *c, struct object **o)
{
	copra_handle_t h;

	if (!sys_handle_arg(c->a[0], &h))
		return -E_BADH;
	return handle_get(c->proc, h, 0, o);
}

s64 sys_open(struct sys_ctx *c)
{
	char path[COPRA_PATH_MAX + 2];
	struct object *o;
	copra_handle_t h;
	int ret;

	if (c->a[2] > 0xFFFFFFFFu)
		return -E_INVAL;
	ret = sys_copy_path(c->a[0], c->a[1], path);
	if (!ret)
		ret = file_open(path, (u32)c->a[2], &o);
	if (ret)
		return ret;
	ret = handle_install(c->proc, o, &h);
	obj_put(o);
	return ret ? ret : (s64)h;
}

/* read/write: (h, buf, len) through io on the handle's object. */
static s64 sys_file_io(struct sys_ctx *c, s64 (*io)(struct object *o, u64 ubuf, u64 len))
{
	struct object *o;
	s64 r = sys_file_arg(c, &o);

	if (r)
		return r;
	r = io(o, c->a[1], c->a[2]);
	obj_put(o);
	return r;
}

s64 sys_read(struct sys_ctx *c)
{
	return sys_file_io(c, file_read_user);
}

s64 sys_write(struct sys_ctx *c)
{
	return sys_file_io(c, file_write_user);
}

s64 sys_seek(struct sys_ctx *c)
{
	struct object *o;
	s64 r = sys_file_arg(c, &o);

	if (r)
		return r;
	r = c->a[2] > 0xFFFFFFFFu ? -E_INVAL : file_seek(o, (s64)c->a[1], (u32)c->a[2]);
	obj_put(o);
	return r;
}

s64 sys_stat(struct sys_ctx *c)
{
	struct copra_stat st;
	struct object *o;
	s64 r = sys_file_arg(c, &o);

	if (r)
		return r;
	r = file_stat(o, &st);
	obj_put(o);
	return r ? r : copy_to_user(c->a[1], &st, sizeof(st));
}

s64 sys_readdir(struct sys_ctx *c)
{
	struct ramfs_dirent re;
	struct copra_dirent de;
	struct object *o;
	s64 r = sys_file_arg(c, &o);

	if (r)
		return r;
	if (o->type != COPRA_OBJ_DIR)
		r = -E_TYPE;
	else if (c->a[1] > 0xFFFFFFFFu)
		r = -E_INVAL;
	else
		r = ramfs_readdir(file_of(o)->node, (u32)c->a[1], &re);
	obj_put(o);
	if (r == -E_NOENT)
		return 0;
	if (r)
		return r;
	memset(&de, 0, sizeof(de));
	memcpy(de.name, re.name, sizeof(de.name));
	de.type = re.type == RAMFS_DIR ? COPRA_OBJ_DIR : COPRA_OBJ_FILE;
	de.size = re.size;
	return copy_to_user(c->a[2], &de, sizeof(de)) ? -E_FAULT : 1;
}

s64 sys_mkdir(struct sys_ctx *c)
{
	char path[COPRA_PATH_MAX + 2];
	int ret = sys_copy_path(c->a[0], c->a[1], path);

	return ret ? ret : ramfs_mkdir(path);
}

s64 sys_unlink(struct sys_ctx *c)
{
	char path[COPRA_PATH_MAX + 2];
	int ret = sys_copy_path(c->a[0], c->a[1], path);

	if (ret)
		return ret;
	return strcmp(path, "/") == 0 ? -E_PERM : ramfs_unlink(path);
}

s64 sys_truncate(struct sys_ctx *c)
{
	struct object *o;
	s64 r = sys_file_arg(c, &o);

	if (r)
		return r;
	r = file_truncate(o, c->a[1]);
	obj_put(o);
	return r;
}
