/*
 * The /etc/init.conf parser (format in conf.h and docs/syscalls.md §init).
 * Every input byte is hostile: lines are copied into a bounded buffer,
 * checked byte by byte, split into at most CONF_WORDS_MAX words, and a
 * service is only counted once every word of its line has been accepted.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "conf.h"

/* service NAME PATH, the arguments, restart= and the handle= options. */
#define CONF_WORDS_MAX (3 + INIT_ARGS_MAX + 1 + INIT_HANDLES_MAX)

struct conf_parser {
	struct init_conf *conf;
	init_conf_report_fn report;
	void *ctx;
	unsigned int line;
	unsigned int rejected;
	char line_buf[INIT_LINE_MAX + 1];
	char *words[CONF_WORDS_MAX];
	unsigned int word_count;
};

__attribute__((format(printf, 2, 3))) static int conf_reject(struct conf_parser *p,
							      const char *fmt, ...)
{
	char why[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	p->rejected++;
	if (p->report)
		p->report(p->ctx, p->line, why);
	return -1;
}

/* Printable ASCII, space and tab only; a CR is accepted as the last byte. */
static int conf_check_bytes(struct conf_parser *p, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if ((c >= 0x20 && c <= 0x7e) || c == '\t' || (c == '\r' && i == n - 1))
			continue;
		return conf_reject(p, "invalid byte 0x%02x at column %zu", c, i + 1);
	}
	return 0;
}

/* Splits line_buf in place; a word starting with '#' ends the line. */
static int conf_split(struct conf_parser *p)
{
	char *s = p->line_buf;

	p->word_count = 0;
	for (;;) {
		while (*s == ' ' || *s == '\t' || *s == '\r')
			s++;
		if (*s == '\0' || *s == '#')
			return 0;
		if (p->word_count == CONF_WORDS_MAX)
			return conf_reject(p, "too many words (at most %d)", CONF_WORDS_MAX);
		p->words[p->word_count++] = s;
		while (*s && *s != ' ' && *s != '\t' && *s != '\r')
			s++;
		if (*s)
			*s++ = '\0';
	}
}

static bool conf_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '.' || c == '_' || c == '-';
}

static int conf_name(struct conf_parser *p, struct init_service *svc, const char *name)
{
	size_t len = strlen(name), i;

	if (len > INIT_NAME_MAX)
		return conf_reject(p, "service name longer than %d bytes", INIT_NAME_MAX);
	for (i = 0; i < len; i++) {
		if (!conf_name_char(name[i]))
			return conf_reject(p, "service name '%s': only A-Z a-z 0-9 . _ - allowed",
					   name);
	}
	for (i = 0; i < p->conf->count; i++) {
		if (strcmp(p->conf->services[i].name, name) == 0)
			return conf_reject(p, "duplicate service name '%s'", name);
	}
	memcpy(svc->name, name, len + 1);
	return 0;
}

/* An absolute path of at most COPRA_PATH_MAX bytes, copied to out. */
static int conf_path(struct conf_parser *p, const char *what, const char *path, char *out)
{
	size_t len = strlen(path);

	if (path[0] != '/')
		return conf_reject(p, "%s '%s' is not an absolute path", what, path);
	if (len > COPRA_PATH_MAX)
		return conf_reject(p, "%s longer than %d bytes", what, COPRA_PATH_MAX);
	memcpy(out, path, len + 1);
	return 0;
}

/* Appends one string to the NUL-separated argument block. */
static int conf_add_arg(struct conf_parser *p, struct init_service *svc, const char *arg)
{
	size_t len = strlen(arg) + 1;

	if (svc->argc == 1 + INIT_ARGS_MAX)
		return conf_reject(p, "too many arguments (at most %d)", INIT_ARGS_MAX);
	if (len > sizeof(svc->args) - svc->args_len)
		return conf_reject(p, "arguments longer than %d bytes", INIT_ARGBUF_MAX);
	memcpy(svc->args + svc->args_len, arg, len);
	svc->args_len += (uint32_t)len;
	svc->argc++;
	return 0;
}

static int conf_restart(struct conf_parser *p, struct init_service *svc, const char *v,
			bool *seen)
{
	if (*seen)
		return conf_reject(p, "restart= given twice");
	*seen = true;
	if (strcmp(v, "always") == 0)
		svc->restart = INIT_RESTART_ALWAYS;
	else if (strcmp(v, "on-failure") == 0)
		svc->restart = INIT_RESTART_ON_FAILURE;
	else if (strcmp(v, "never") == 0)
		svc->restart = INIT_RESTART_NEVER;
	else
		return conf_reject(p, "restart=%s: expected always, on-failure or never", v);
	return 0;
}

/* handle=CHILD:PATH, CHILD a decimal number 1..COPRA_HANDLES_MAX-1. */
static int conf_handle(struct conf_parser *p, struct init_service *svc, const char *v)
{
	struct init_handle *h;
	uint32_t child = 0;
	unsigned int i;
	const char *s;

	for (s = v; *s >= '0' && *s <= '9' && s - v < 4; s++)
		child = child * 10 + (uint32_t)(*s - '0');
	if (s == v || *s != ':' || child == 0 || child >= COPRA_HANDLES_MAX)
		return conf_reject(p, "handle=%s: expected handle=CHILD:PATH with CHILD 1-%d", v,
				   COPRA_HANDLES_MAX - 1);
	if (svc->handle_count == INIT_HANDLES_MAX)
		return conf_reject(p, "too many handle= options (at most %d)", INIT_HANDLES_MAX);
	for (i = 0; i < svc->handle_count; i++) {
		if (svc->handles[i].child == child)
			return conf_reject(p, "handle %u given twice", (unsigned int)child);
	}
	h = &svc->handles[svc->handle_count];
	if (conf_path(p, "handle path", s + 1, h->path) < 0)
		return -1;
	h->child = child;
	svc->handle_count++;
	return 0;
}

/* Arguments, then options: words[3 ...]. */
static int conf_tail(struct conf_parser *p, struct init_service *svc)
{
	bool options = false, restart_seen = false;
	unsigned int i;

	for (i = 3; i < p->word_count; i++) {
		const char *w = p->words[i];
		bool is_restart = strncmp(w, "restart=", 8) == 0;
		bool is_handle = strncmp(w, "handle=", 7) == 0;
		int ret;

		if (is_restart)
			ret = conf_restart(p, svc, w + 8, &restart_seen);
		else if (is_handle)
			ret = conf_handle(p, svc, w + 7);
		else if (options)
			ret = conf_reject(p, "'%s' after an option: arguments come first", w);
		else
			ret = conf_add_arg(p, svc, w);
		if (ret < 0)
			return -1;
		options = options || is_restart || is_handle;
	}
	return 0;
}

static int conf_service(struct conf_parser *p)
{
	struct init_service *svc;

	if (p->word_count < 3)
		return conf_reject(p, "expected: service NAME PATH [ARG...] [OPTION...]");
	if (p->conf->count == INIT_SERVICES_MAX)
		return conf_reject(p, "too many services (at most %d)", INIT_SERVICES_MAX);
	svc = &p->conf->services[p->conf->count];
	memset(svc, 0, sizeof(*svc));
	if (conf_name(p, svc, p->words[1]) < 0 ||
	    conf_path(p, "program", p->words[2], svc->path) < 0 ||
	    conf_add_arg(p, svc, svc->path) < 0 || conf_tail(p, svc) < 0)
		return -1;
	p->conf->count++;
	return 0;
}

static void conf_line(struct conf_parser *p, const char *s, size_t n)
{
	if (n > INIT_LINE_MAX) {
		conf_reject(p, "line longer than %d bytes", INIT_LINE_MAX);
		return;
	}
	if (conf_check_bytes(p, s, n) < 0)
		return;
	memcpy(p->line_buf, s, n);
	p->line_buf[n] = '\0';
	if (conf_split(p) < 0 || p->word_count == 0)
		return;
	if (strcmp(p->words[0], "service") != 0) {
		conf_reject(p, "unknown directive '%.32s'", p->words[0]);
		return;
	}
	conf_service(p);
}

unsigned int init_conf_parse(const char *text, size_t len, struct init_conf *conf,
			     init_conf_report_fn report, void *ctx)
{
	struct conf_parser parser;
	struct conf_parser *p = &parser;
	size_t pos = 0;

	memset(p, 0, sizeof(*p));
	memset(conf, 0, sizeof(*conf));
	p->conf = conf;
	p->report = report;
	p->ctx = ctx;
	while (pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - text) : len;

		p->line++;
		conf_line(p, text + pos, end - pos);
		pos = end + 1;
	}
	return p->rejected;
}
