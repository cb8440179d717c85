/*
 * Whole-file input and output for igvmtool: reads are bounded by a caller
 * limit checked before anything is allocated; writes go to a temporary file
 * that replaces the target only when complete.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "igvm_model.h"

static int igvm_file_read_fd(int fd, const char *path, u8 *buf, size_t len, struct igvm_err *e)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = read(fd, buf + done, len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return igvm_errf(e, "%s: read: %s", path, strerror(errno));
		if (n == 0)
			return igvm_errf(e, "%s: file shrank while reading", path);
		done += (size_t)n;
	}
	return 0;
}

int igvm_file_read(const char *path, u64 max, u8 **buf, size_t *len, struct igvm_err *e)
{
	struct stat st;
	u8 *p;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return igvm_errf(e, "%s: %s", path, strerror(errno));
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return igvm_errf(e, "%s: not a regular file", path);
	}
	if ((u64)st.st_size > max) {
		close(fd);
		return igvm_errf(e, "%s: file is %llu bytes, limit is %llu", path,
				 (unsigned long long)st.st_size, (unsigned long long)max);
	}
	/* One extra byte so that an empty file still gets a valid buffer. */
	p = malloc((size_t)st.st_size + 1);
	if (!p) {
		close(fd);
		return igvm_errf(e, "%s: out of memory", path);
	}
	if (igvm_file_read_fd(fd, path, p, (size_t)st.st_size, e) < 0) {
		free(p);
		close(fd);
		return -1;
	}
	close(fd);
	*buf = p;
	*len = (size_t)st.st_size;
	return 0;
}

static int igvm_file_write_fd(int fd, const u8 *p, size_t len)
{
	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int igvm_file_write(const char *path, const void *buf, size_t len, struct igvm_err *e)
{
	char tmp[4096];
	int fd, n;

	n = snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", path, (long)getpid());
	if (n < 0 || (size_t)n >= sizeof(tmp))
		return igvm_errf(e, "%s: path too long", path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return igvm_errf(e, "%s: %s", tmp, strerror(errno));
	if (igvm_file_write_fd(fd, buf, len) < 0) {
		igvm_errf(e, "%s: write: %s", tmp, strerror(errno));
		close(fd);
		unlink(tmp);
		return -1;
	}
	if (close(fd) < 0 || rename(tmp, path) < 0) {
		igvm_errf(e, "%s: %s", path, strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}
