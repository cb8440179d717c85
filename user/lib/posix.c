/*
 * The POSIX-style hooks picolibc calls (dependencies.md §3.3), mapped onto
 * the native calls: file descriptors are Copra handles, so fopen/fread/
 * fwrite/fprintf work on the RAM filesystem. Failures set errno from the
 * Copra code and return -1.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/times.h>
#include <time.h>
#include <unistd.h>

#include <copra/runtime.h>
#include <copra/sys.h>

#define POSIX_ENTROPY_MAX 256 /* getentropy's documented limit */
#define NS_PER_SEC 1000000000ULL

/* Path length, or -1 with errno set when it exceeds COPRA_PATH_MAX. */
static long posix_path_len(const char *path)
{
	size_t len = strnlen(path, COPRA_PATH_MAX + 1);

	if (len > COPRA_PATH_MAX) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return (long)len;
}

static uint32_t posix_open_flags(int flags)
{
	uint32_t cf = 0;

	switch (flags & O_ACCMODE) {
	case O_WRONLY:
		cf = COPRA_O_WRITE;
		break;
	case O_RDWR:
		cf = COPRA_O_READ | COPRA_O_WRITE;
		break;
	default:
		cf = COPRA_O_READ;
		break;
	}
	if (flags & O_CREAT)
		cf |= COPRA_O_CREATE;
	if (flags & O_TRUNC)
		cf |= COPRA_O_TRUNC;
	if (flags & O_EXCL)
		cf |= COPRA_O_EXCL;
	if (flags & O_DIRECTORY)
		cf = COPRA_O_DIR | COPRA_O_READ;
	return cf;
}

long copra_open(const char *path, uint32_t flags)
{
	size_t len = strnlen(path, COPRA_PATH_MAX + 1);

	if (len > COPRA_PATH_MAX)
		return -COPRA_ETOOBIG;
	return sys_open(path, len, flags);
}

/* The mode argument is ignored: the RAM filesystem sets modes itself. */
int open(const char *path, int flags, ...)
{
	long len = posix_path_len(path);
	long h;

	if (len < 0)
		return -1;
	h = copra_ret_errno(sys_open(path, (size_t)len, posix_open_flags(flags)));
	/* No append mode in the kernel: start at the end (fdopen does too). */
	if (h >= 0 && (flags & O_APPEND) && sys_seek((copra_handle_t)h, 0, COPRA_SEEK_END) < 0) {
		(void)sys_close((copra_handle_t)h);
		errno = EIO;
		return -1;
	}
	return (int)h;
}

int close(int fd)
{
	return (int)copra_ret_errno(sys_close((copra_handle_t)fd));
}

ssize_t read(int fd, void *buf, size_t len)
{
	return copra_ret_errno(sys_read((copra_handle_t)fd, buf, len));
}

ssize_t write(int fd, const void *buf, size_t len)
{
	return copra_ret_errno(sys_write((copra_handle_t)fd, buf, len));
}

off_t lseek(int fd, off_t off, int whence)
{
	uint32_t w;

	switch (whence) {
	case SEEK_SET:
		w = COPRA_SEEK_SET;
		break;
	case SEEK_CUR:
		w = COPRA_SEEK_CUR;
		break;
	case SEEK_END:
		w = COPRA_SEEK_END;
		break;
	default:
		errno = EINVAL;
		return -1;
	}
	return copra_ret_errno(sys_seek((copra_handle_t)fd, off, w));
}

int fstat(int fd, struct stat *st)
{
	struct copra_stat cs;
	long ret = sys_stat((copra_handle_t)fd, &cs);

	if (ret < 0)
		return (int)copra_ret_errno(ret);
	memset(st, 0, sizeof(*st));
	st->st_mode = (mode_t)((cs.type == COPRA_OBJ_DIR ? S_IFDIR : S_IFREG) | (cs.mode & 07777));
	st->st_size = (off_t)cs.size;
	st->st_ino = (ino_t)cs.ino;
	st->st_nlink = 1;
	st->st_blksize = 4096;
	st->st_blocks = (blkcnt_t)((cs.size + 511) / 512);
	return 0;
}

/* Opens the path (as a file, else as a directory) just to stat it. */
int stat(const char *path, struct stat *st)
{
	long len = posix_path_len(path);
	long h;
	int ret;

	if (len < 0)
		return -1;
	h = sys_open(path, (size_t)len, COPRA_O_READ);
	if (h == -COPRA_ETYPE)
		h = sys_open(path, (size_t)len, COPRA_O_READ | COPRA_O_DIR);
	if (h < 0)
		return (int)copra_ret_errno(h);
	ret = fstat((int)h, st);
	(void)sys_close((copra_handle_t)h); /* cannot fail: h was just opened */
	return ret;
}

int unlink(const char *path)
{
	long len = posix_path_len(path);

	if (len < 0)
		return -1;
	return (int)copra_ret_errno(sys_unlink(path, (size_t)len));
}

int getentropy(void *buf, size_t len)
{
	long ret;

	if (len > POSIX_ENTROPY_MAX) {
		errno = EINVAL;
		return -1;
	}
	if (len == 0)
		return 0;
	ret = sys_random(buf, len);
	if (ret < 0)
		return (int)copra_ret_errno(ret);
	if ((size_t)ret != len) {
		errno = EIO;
		return -1;
	}
	return 0;
}

/* There is no wall clock: time counts from boot. */
int gettimeofday(struct timeval *tv, void *tz)
{
	long ns = sys_clock();

	(void)tz;
	if (ns < 0)
		return (int)copra_ret_errno(ns);
	if (tv) {
		tv->tv_sec = (time_t)((uint64_t)ns / NS_PER_SEC);
		tv->tv_usec = (suseconds_t)(((uint64_t)ns % NS_PER_SEC) / 1000);
	}
	return 0;
}

/* Process times are not tracked: clock() reports time since boot. */
clock_t times(struct tms *t)
{
	long ns = sys_clock();
	clock_t ticks;

	if (ns < 0)
		return (clock_t)copra_ret_errno(ns);
	ticks = (clock_t)((uint64_t)ns / (NS_PER_SEC / CLOCKS_PER_SEC));
	if (t) {
		t->tms_utime = ticks;
		t->tms_stime = 0;
		t->tms_cutime = 0;
		t->tms_cstime = 0;
	}
	return ticks;
}

/* No signals exist: every mask is empty. */
int sigprocmask(int how, const sigset_t *set, sigset_t *old)
{
	(void)how;
	(void)set;
	if (old)
		memset(old, 0, sizeof(*old));
	return 0;
}

void _exit(int code)
{
	sys_exit(code);
}
