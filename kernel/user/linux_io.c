/*
 * Linux personality: file descriptors. A descriptor is a handle; what a
 * call does depends on the object behind it: files go through
 * include/copra/file.h, the log (descriptors 0, 1 and 2 at start) takes
 * writes as console lines, a channel end reads and writes one message per
 * call (linux_chan.c). Linux per-descriptor flags (O_APPEND, FD_CLOEXEC,
 * O_NONBLOCK, the access mode for F_GETFL) live in process->lx_fd_flags.
 */
#include <abi/syscall.h>
#include <copra/errno.h>
#include <copra/file.h>
#include <copra/heap.h>
#include <copra/process.h>
#include <copra/uaccess.h>

#include "linux_internal.h"
#include "user_internal.h"

#define LX_SEEK_END 2
#define LX_IOV_MAX 1024
#define LX_LOG_MAX 4096
#define LX_F_DUPFD 0
#define LX_F_GETFD 1
#define LX_F_SETFD 2
#define LX_F_GETFL 3
#define LX_F_SETFL 4
#define LX_F_DUPFD_CLOEXEC 1030
#define LX_FD_CLOEXEC_BIT 1

s64 linux_fd_get(struct sys_ctx *c, u64 v, struct object **o)
{
	s32 fd = (s32)v;

	if (fd < 0 || fd >= COPRA_HANDLES_MAX)
		return LX_ERR(LX_EBADF);
	return handle_get(c->proc, (copra_handle_t)fd, 0, o) ? LX_ERR(LX_EBADF) : 0;
}

static u8 linux_fd_flags(struct sys_ctx *c, u64 fd)
{
	return c->proc->lx_fd_flags[(u32)fd % COPRA_HANDLES_MAX];
}

s64 lx_read(struct sys_ctx *c)
{
	u64 count = MIN(c->a[2], LX_RW_MAX);
	struct object *o;
	s64 r = linux_fd_get(c, c->a[0], &o);

	if (r)
		return r;
	switch (o->type) {
	case COPRA_OBJ_FILE:
		r = file_read_user(o, c->a[1], count);
		if (r == -E_PERM)
			r = LX_ERR(LX_EBADF); /* not open for reading */
		break;
	case COPRA_OBJ_DIR:
		r = LX_ERR(LX_EISDIR);
		break;
	case COPRA_OBJ_CHANNEL:
		r = linux_chan_read(o, c->a[1], count, linux_fd_flags(c, c->a[0]) & LX_FD_NONBLOCK);
		break;
	case COPRA_OBJ_LOG:
		r = LX_ERR(LX_EBADF); /* write-only */
		break;
	default:
		r = LX_ERR(LX_EINVAL);
		break;
	}
	obj_put(o);
	return r;
}

/* One segment to a file or the log (channels take whole messages elsewhere). */
static s64 linux_write_seg(struct sys_ctx *c, u64 fd, struct object *o, u64 ubuf, u64 len)
{
	s64 r;

	switch (o->type) {
	case COPRA_OBJ_FILE:
		if (linux_fd_flags(c, fd) & LX_FD_APPEND) {
			r = file_seek(o, 0, LX_SEEK_END);
			if (r < 0)
				return r;
		}
		r = file_write_user(o, ubuf, MIN(len, LX_RW_MAX));
		return r == -E_PERM ? LX_ERR(LX_EBADF) : r;
	case COPRA_OBJ_LOG:
		return log_write_user(c->proc, ubuf, MIN(len, LX_LOG_MAX));
	default:
		return LX_ERR(o->type == COPRA_OBJ_DIR ? LX_EBADF : LX_EINVAL);
	}
}

s64 lx_write(struct sys_ctx *c)
{
	struct linux_iovec seg = { c->a[1], c->a[2] };
	struct object *o;
	s64 r = linux_fd_get(c, c->a[0], &o);

	if (r)
		return r;
	if (o->type == COPRA_OBJ_CHANNEL)
		r = linux_chan_write(c->proc, o, &seg, 1,
				     linux_fd_flags(c, c->a[0]) & LX_FD_NONBLOCK);
	else
		r = linux_write_seg(c, c->a[0], o, seg.base, seg.len);
	obj_put(o);
	return r;
}

/* Segments in turn; stops at the first error or short write (partial count returned). */
static s64 linux_writev_segs(struct sys_ctx *c, struct object *o, const struct linux_iovec *iov,
			     u32 n)
{
	s64 total = 0, r = 0;
	u32 i;

	for (i = 0; i < n; i++) {
		if (!iov[i].len)
			continue;
		r = linux_write_seg(c, c->a[0], o, iov[i].base, iov[i].len);
		if (r < 0)
			break;
		total += r;
		if ((u64)r < iov[i].len)
			break;
	}
	return total ? total : r;
}

s64 lx_writev(struct sys_ctx *c)
{
	struct linux_iovec *iov;
	struct object *o;
	u64 n = (u32)c->a[2], i, total = 0;
	s64 r = linux_fd_get(c, c->a[0], &o);

	if (r)
		return r;
	if ((s32)c->a[2] < 0 || n > LX_IOV_MAX) {
		obj_put(o);
		return LX_ERR(LX_EINVAL);
	}
	iov = kmalloc(MAX(n, 1) * sizeof(*iov));
	r = iov ? copy_from_user(iov, c->a[1], n * sizeof(*iov)) : -E_NOMEM;
	for (i = 0; i < n && !r; i++)
		if (iov[i].len > LX_RW_MAX - total)
			r = LX_ERR(LX_EINVAL);
		else
			total += iov[i].len;
	if (!r && o->type == COPRA_OBJ_CHANNEL)
		r = linux_chan_write(c->proc, o, iov, (u32)n,
				     linux_fd_flags(c, c->a[0]) & LX_FD_NONBLOCK);
	else if (!r)
		r = linux_writev_segs(c, o, iov, (u32)n);
	kfree(iov);
	obj_put(o);
	return r;
}

s64 lx_lseek(struct sys_ctx *c)
{
	struct object *o;
	s64 r = linux_fd_get(c, c->a[0], &o);

	if (r)
		return r;
	if (o->type != COPRA_OBJ_FILE)
		r = LX_ERR(o->type == COPRA_OBJ_DIR ? LX_EINVAL : LX_ESPIPE);
	else if ((u32)c->a[2] > LX_SEEK_END)
		r = LX_ERR(LX_EINVAL);
	else
		r = file_seek(o, (s64)c->a[1], (u32)c->a[2]); /* SEEK_* as Copra's */
	obj_put(o);
	return r;
}

s64 lx_close(struct sys_ctx *c)
{
	s32 fd = (s32)c->a[0];

	if (fd < 0 || fd >= COPRA_HANDLES_MAX || handle_close(c->proc, (copra_handle_t)fd))
		return LX_ERR(LX_EBADF);
	c->proc->lx_fd_flags[fd] = 0;
	return 0;
}

/* No terminals or devices: every request on a valid descriptor is -ENOTTY. */
s64 lx_ioctl(struct sys_ctx *c)
{
	struct object *o;
	s64 r = linux_fd_get(c, c->a[0], &o);

	if (r)
		return r;
	obj_put(o);
	return LX_ERR(LX_ENOTTY);
}

s64 lx_ftruncate(struct sys_ctx *c)
{
	struct object *o;
	s64 r = linux_fd_get(c, c->a[0], &o);

	if (r)
		return r;
	if (o->type != COPRA_OBJ_FILE || (s64)c->a[1] < 0)
		r = LX_ERR(LX_EINVAL);
	else
		r = file_truncate(o, c->a[1]);
	obj_put(o);
	return r == -E_PERM ? LX_ERR(LX_EINVAL) : r;
}

/* A new descriptor for o at the lowest free number >= min; its flags given. */
static s64 linux_fd_install(struct sys_ctx *c, struct object *o, u64 min, u8 flags)
{
	u64 fd;

	for (fd = min; fd < COPRA_HANDLES_MAX; fd++) {
		if (handle_install_at(c->proc, o, (copra_handle_t)fd) == 0) {
			c->proc->lx_fd_flags[fd] = flags;
			return (s64)fd;
		}
	}
	return LX_ERR(min >= COPRA_HANDLES_MAX ? LX_EINVAL : LX_EMFILE);
}

s64 lx_dup(struct sys_ctx *c)
{
	struct object *o;
	s64 r = linux_fd_get(c, c->a[0], &o);

	if (r)
		return r;
	r = linux_fd_install(c, o, 0, linux_fd_flags(c, c->a[0]) & ~LX_FD_CLOEXEC);
	obj_put(o);
	return r;
}

/* dup2/dup3: newfd is closed first if open; -EBADF outside the table. */
static s64 linux_dup_to(struct sys_ctx *c, u64 oldfd, u64 newfd, u8 cloexec)
{
	struct object *o;
	s32 nfd = (s32)newfd;
	s64 r = linux_fd_get(c, oldfd, &o);

	if (r)
		return r;
	if (nfd < 0 || nfd >= COPRA_HANDLES_MAX) {
		obj_put(o);
		return LX_ERR(LX_EBADF);
	}
	if ((s32)oldfd != nfd) {
		if (handle_close(c->proc, (copra_handle_t)nfd) == 0)
			c->proc->lx_fd_flags[nfd] = 0; /* it was open: closed first, as Linux */
		r = handle_install_at(c->proc, o, (copra_handle_t)nfd);
		if (!r)
			c->proc->lx_fd_flags[nfd] = (u8)((linux_fd_flags(c, oldfd) & ~LX_FD_CLOEXEC) |
							 cloexec);
	}
	obj_put(o);
	return r ? r : nfd;
}

s64 lx_dup2(struct sys_ctx *c)
{
	return linux_dup_to(c, c->a[0], c->a[1], 0);
}

s64 lx_dup3(struct sys_ctx *c)
{
	if ((u32)c->a[2] & ~(u32)LX_O_CLOEXEC || (s32)c->a[0] == (s32)c->a[1])
		return LX_ERR(LX_EINVAL);
	return linux_dup_to(c, c->a[0], c->a[1], ((u32)c->a[2] & LX_O_CLOEXEC) ? LX_FD_CLOEXEC : 0);
}

s64 lx_fcntl(struct sys_ctx *c)
{
	u8 *flags = &c->proc->lx_fd_flags[(u32)c->a[0] % COPRA_HANDLES_MAX];
	struct object *o;
	s64 r = linux_fd_get(c, c->a[0], &o);

	if (r)
		return r;
	switch ((u32)c->a[1]) {
	case LX_F_DUPFD:
	case LX_F_DUPFD_CLOEXEC:
		r = linux_fd_install(c, o, (u32)c->a[2],
				     (u8)((*flags & ~LX_FD_CLOEXEC) |
					  ((u32)c->a[1] == LX_F_DUPFD ? 0 : LX_FD_CLOEXEC)));
		break;
	case LX_F_GETFD:
		r = (*flags & LX_FD_CLOEXEC) ? LX_FD_CLOEXEC_BIT : 0;
		break;
	case LX_F_SETFD:
		*flags = (u8)((*flags & ~LX_FD_CLOEXEC) | ((c->a[2] & LX_FD_CLOEXEC_BIT) ? LX_FD_CLOEXEC : 0));
		break;
	case LX_F_GETFL:
		r = (*flags & LX_FD_ACCMODE) | ((*flags & LX_FD_APPEND) ? LX_O_APPEND : 0) |
		    ((*flags & LX_FD_NONBLOCK) ? LX_O_NONBLOCK : 0);
		break;
	case LX_F_SETFL:
		*flags = (u8)((*flags & (LX_FD_ACCMODE | LX_FD_CLOEXEC)) |
			      ((c->a[2] & LX_O_APPEND) ? LX_FD_APPEND : 0) |
			      ((c->a[2] & LX_O_NONBLOCK) ? LX_FD_NONBLOCK : 0));
		break;
	default:
		r = LX_ERR(LX_EINVAL);
		break;
	}
	obj_put(o);
	return r;
}
