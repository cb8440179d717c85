/* Names of the internal error codes, for logs and test messages. */
#include <copra/errno.h>

static const char *const err_names[E_MAX] = {
	[E_OK] = "E_OK",       [E_NOMEM] = "E_NOMEM",   [E_INVAL] = "E_INVAL",
	[E_FAULT] = "E_FAULT", [E_EXIST] = "E_EXIST",   [E_NOENT] = "E_NOENT",
	[E_RANGE] = "E_RANGE", [E_BUSY] = "E_BUSY",     [E_AGAIN] = "E_AGAIN",
	[E_NOSYS] = "E_NOSYS", [E_PERM] = "E_PERM",     [E_BADH] = "E_BADH",
	[E_TYPE] = "E_TYPE",   [E_NOSPC] = "E_NOSPC",   [E_IO] = "E_IO",
	[E_PIPE] = "E_PIPE",   [E_TIMEDOUT] = "E_TIMEDOUT", [E_NOEXEC] = "E_NOEXEC",
	[E_TOOBIG] = "E_TOOBIG", [E_INTR] = "E_INTR",
};

const char *err_name(int err)
{
	if (err < 0)
		err = -err;
	if (err >= E_MAX)
		return "E_UNKNOWN";
	return err_names[err];
}
