/*
 * Copra error codes (COPRA_E*) to names, messages and picolibc errno values:
 * the one table every other part of the runtime uses for conversions.
 */
#include <errno.h>
#include <limits.h>

#include <copra/sys.h>

struct errno_entry {
	const char *name;
	const char *text;
	int posix;
};

#define ERR(code, posix_, text_) [COPRA_##code] = { #code, text_, posix_ }

static const struct errno_entry errno_table[] = {
	ERR(ENOSYS, ENOSYS, "unknown system call"),
	ERR(EINVAL, EINVAL, "invalid argument"),
	ERR(EFAULT, EFAULT, "bad address"),
	ERR(EBADH, EBADF, "invalid or closed handle"),
	ERR(ETYPE, EBADF, "wrong object type for this call"),
	ERR(ENOMEM, ENOMEM, "out of memory"),
	ERR(ENOENT, ENOENT, "no such file or directory"),
	ERR(EEXIST, EEXIST, "already exists"),
	ERR(EPERM, EPERM, "not permitted"),
	ERR(EBUSY, EBUSY, "in use"),
	ERR(EAGAIN, EAGAIN, "would block"),
	ERR(ETOOBIG, EMSGSIZE, "too large"),
	ERR(ENOSPC, ENOSPC, "no space left"),
	ERR(EPIPE, EPIPE, "the other end is closed"),
	ERR(ETIMEDOUT, ETIMEDOUT, "timed out"),
	ERR(ENOEXEC, ENOEXEC, "not a valid executable"),
	ERR(ERANGE, ERANGE, "value out of range"),
	ERR(EIO, EIO, "I/O error"),
};

#define ERRNO_COUNT (sizeof(errno_table) / sizeof(errno_table[0]))

/* The entry for err (either sign), or NULL when it is not a known code. */
static const struct errno_entry *errno_lookup(long err)
{
	unsigned long code;

	if (err == 0 || err == LONG_MIN) /* LONG_MIN: its negation overflows */
		return NULL;
	code = err < 0 ? (unsigned long)-err : (unsigned long)err;
	if (code >= ERRNO_COUNT || !errno_table[code].name)
		return NULL;
	return &errno_table[code];
}

const char *copra_strerror(long err)
{
	const struct errno_entry *e;

	if (err == 0)
		return "success";
	e = errno_lookup(err);
	return e ? e->text : "unknown error";
}

const char *copra_errname(long err)
{
	const struct errno_entry *e;

	if (err == 0)
		return "OK";
	e = errno_lookup(err);
	return e ? e->name : "E?";
}

int copra_errno(long err)
{
	const struct errno_entry *e = errno_lookup(err);

	return e ? e->posix : EIO;
}

long copra_ret_errno(long ret)
{
	if (ret >= 0)
		return ret;
	errno = copra_errno(ret);
	return -1;
}
