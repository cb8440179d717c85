/*
 * The /etc/init.conf parser: a pure function over untrusted text (bounded
 * lines, services, arguments and handles; every rejected line reported with
 * its number and reason). Format, one directive per line:
 *
 *   # comment (also: a token starting with '#' ends the line)
 *   service NAME PATH [ARG...] [restart=always|on-failure|never]
 *           [handle=CHILD:PATH ...]
 *
 * NAME is 1-31 of [A-Za-z0-9._-] and unique; PATH is absolute. Options come
 * after the arguments, each at most once (handle= once per CHILD number).
 * handle=3:/dev/vtpm: init opens PATH read-write and the child gets it as
 * handle 3 (1..255). Only printable ASCII, spaces and tabs are accepted; a
 * trailing CR is ignored. docs/syscalls.md §init has the full description.
 */
#ifndef COPRA_INIT_CONF_H
#define COPRA_INIT_CONF_H

#include <stddef.h>
#include <stdint.h>

#include <abi/syscall.h>

#include "policy.h"

#define INIT_CONF_FILE_MAX 16384 /* bytes of /etc/init.conf read */
#define INIT_LINE_MAX 255        /* bytes per line, without the newline */
#define INIT_SERVICES_MAX 16
#define INIT_NAME_MAX 31
#define INIT_ARGS_MAX 16         /* arguments after PATH */
#define INIT_ARGBUF_MAX (INIT_LINE_MAX + 1) /* PATH + arguments, NUL-separated: a line fits */
#define INIT_HANDLES_MAX 8       /* handle= options per service */

struct init_handle {
	uint32_t child;                   /* 1 .. COPRA_HANDLES_MAX - 1 */
	char path[COPRA_PATH_MAX + 1];
};

struct init_service {
	char name[INIT_NAME_MAX + 1];
	char path[COPRA_PATH_MAX + 1];
	char args[INIT_ARGBUF_MAX];       /* argv[0] = PATH, then ARGs, NUL-separated */
	uint32_t args_len;                /* bytes used in args, NULs included */
	uint32_t argc;                    /* strings in args */
	enum init_restart restart;
	uint32_t handle_count;
	struct init_handle handles[INIT_HANDLES_MAX];
};

struct init_conf {
	uint32_t count;
	struct init_service services[INIT_SERVICES_MAX];
};

/* Called once per rejected line (1-based) with a reason. */
typedef void (*init_conf_report_fn)(void *ctx, unsigned int line, const char *reason);

/*
 * Parses len bytes of text (no terminator needed; NUL bytes are rejected as
 * characters) into *conf. Good lines are kept, bad ones reported and skipped.
 * Returns the number of rejected lines (0: all good).
 */
unsigned int init_conf_parse(const char *text, size_t len, struct init_conf *conf,
			     init_conf_report_fn report, void *ctx);

#endif
