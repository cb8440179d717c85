/*
 * The console log object: handle 0 of every process. Text a process writes
 * becomes log lines prefixed with its name and id; embedded line breaks
 * start new lines, and control characters are shown as '?'.
 */
#include <copra/errno.h>
#include <copra/log.h>
#include <copra/string.h>
#include <copra/process.h>
#include <copra/uaccess.h>

#include "../user/syscall.h"
#include "../user/user_internal.h"

#define LOG_MAX_WRITE 4096

static void log_obj_destroy(struct object *o)
{
	(void)o; /* the one log object is never freed */
}

static const struct object_ops log_ops = { "log", log_obj_destroy };
static struct object log_obj = { COPRA_OBJ_LOG, 1, 0, &log_ops };

struct object *log_object(void)
{
	return &log_obj;
}

static void log_emit_line(struct process *p, char *text, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if ((text[i] < 0x20 && text[i] != '\t') || text[i] == 0x7f)
			text[i] = '?';
	text[n] = '\0';
	log_plain("%s[%llu]: %s\n", p->name, (unsigned long long)p->obj.id, text);
}

/* Copies len bytes of user text and logs them line by line (256 bytes at most per line). */
s64 log_write_user(struct process *p, u64 ubuf, u64 len)
{
	char chunk[257];
	u64 done = 0;

	if (len && !user_range_ok(ubuf, len))
		return -E_FAULT;
	if (len > LOG_MAX_WRITE)
		return -E_TOOBIG;
	while (done < len) {
		size_t n = (size_t)MIN(len - done, sizeof(chunk) - 1), line;
		char *nl;

		if (copy_from_user(chunk, ubuf + done, n))
			return -E_FAULT;
		nl = memchr(chunk, '\n', n);
		line = nl ? (size_t)(nl - chunk) : n;
		log_emit_line(p, chunk, line);
		done += nl ? line + 1 : line;
	}
	return (s64)len;
}

s64 sys_log(struct sys_ctx *c)
{
	return log_write_user(c->proc, c->a[0], c->a[1]);
}
