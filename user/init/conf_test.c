/*
 * Host tests of the init.conf parser (conf.c): accepted forms, every
 * rejection with its line number, limits at and past their bounds, and a
 * deterministic random-input run under ASan/UBSan.
 */
#include <stdio.h>
#include <string.h>

#include <copra/test.h>

#include "conf.h"

struct conf_log {
	unsigned int calls;
	unsigned int last_line;
	char last[160];
};

static void conf_test_report(void *ctx, unsigned int line, const char *reason)
{
	struct conf_log *log = ctx;

	log->calls++;
	log->last_line = line;
	snprintf(log->last, sizeof(log->last), "%s", reason);
}

static struct init_conf conf_test_conf;

static unsigned int conf_test_parse(const char *text, struct conf_log *log)
{
	memset(log, 0, sizeof(*log));
	return init_conf_parse(text, strlen(text), &conf_test_conf, conf_test_report, log);
}

/* Parses one line that must be rejected with a reason containing why. */
static bool conf_test_rejects(const char *text, const char *why)
{
	struct conf_log log;

	return conf_test_parse(text, &log) == 1 && log.calls == 1 &&
	       conf_test_conf.count == 0 && strstr(log.last, why) != NULL;
}

TEST(initconf, empty_and_comments)
{
	struct conf_log log;

	CHECK_EQ(t, conf_test_parse("", &log), 0);
	CHECK_EQ(t, conf_test_conf.count, 0);
	CHECK_EQ(t, conf_test_parse("\n\n# only a comment\n   \t\n  # indented\n", &log), 0);
	CHECK_EQ(t, conf_test_conf.count, 0);
	CHECK_EQ(t, log.calls, 0);
}

TEST(initconf, minimal_service)
{
	struct conf_log log;
	const struct init_service *s = &conf_test_conf.services[0];

	CHECK_EQ(t, conf_test_parse("service vtpm /bin/vtpmd\n", &log), 0);
	CHECK_EQ(t, conf_test_conf.count, 1);
	CHECK(t, strcmp(s->name, "vtpm") == 0);
	CHECK(t, strcmp(s->path, "/bin/vtpmd") == 0);
	CHECK_EQ(t, s->argc, 1);
	CHECK_EQ(t, s->args_len, sizeof("/bin/vtpmd"));
	CHECK(t, memcmp(s->args, "/bin/vtpmd", sizeof("/bin/vtpmd")) == 0);
	CHECK_EQ(t, s->restart, INIT_RESTART_ON_FAILURE);
	CHECK_EQ(t, s->handle_count, 0);
}

TEST(initconf, full_service)
{
	static const char args[] = "/tests/crash\0code\0x=1";
	struct conf_log log;
	const struct init_service *s = &conf_test_conf.services[1];

	CHECK_EQ(t, conf_test_parse("# services\n"
				    "service a /bin/a restart=never\r\n"
				    "\tservice crasher  /tests/crash code x=1 restart=always "
				    "handle=3:/dev/vtpm handle=255:/var/tpm/nvchip # trailing\n",
				    &log), 0);
	CHECK_EQ(t, conf_test_conf.count, 2);
	CHECK_EQ(t, conf_test_conf.services[0].restart, INIT_RESTART_NEVER);
	CHECK(t, strcmp(s->name, "crasher") == 0);
	CHECK_EQ(t, s->argc, 3);
	CHECK_EQ(t, s->args_len, sizeof(args));
	CHECK(t, memcmp(s->args, args, sizeof(args)) == 0);
	CHECK_EQ(t, s->restart, INIT_RESTART_ALWAYS);
	CHECK_EQ(t, s->handle_count, 2);
	CHECK_EQ(t, s->handles[0].child, 3);
	CHECK(t, strcmp(s->handles[0].path, "/dev/vtpm") == 0);
	CHECK_EQ(t, s->handles[1].child, 255);
	CHECK(t, strcmp(s->handles[1].path, "/var/tpm/nvchip") == 0);
}

TEST(initconf, no_final_newline)
{
	struct conf_log log;

	CHECK_EQ(t, conf_test_parse("service a /a", &log), 0);
	CHECK_EQ(t, conf_test_conf.count, 1);
}

TEST(initconf, rejects_directives)
{
	CHECK(t, conf_test_rejects("start a /a\n", "unknown directive 'start'"));
	CHECK(t, conf_test_rejects("service\n", "expected: service NAME PATH"));
	CHECK(t, conf_test_rejects("service a\n", "expected: service NAME PATH"));
	CHECK(t, conf_test_rejects("Service a /a\n", "unknown directive"));
}

TEST(initconf, rejects_names)
{
	CHECK(t, conf_test_rejects("service a/b /a\n", "only A-Z"));
	CHECK(t, conf_test_rejects("service a;b /a\n", "only A-Z"));
	CHECK(t, conf_test_rejects("service abcdefghijklmnopqrstuvwxyz012345 /a\n",
				   "longer than 31"));
	CHECK_EQ(t, conf_test_rejects("service abcdefghijklmnopqrstuvwxyz01234 /a\n", ""), 0);
	CHECK_EQ(t, conf_test_conf.count, 1);
}

TEST(initconf, rejects_duplicate_name)
{
	struct conf_log log;

	CHECK_EQ(t, conf_test_parse("service a /a\nservice b /b\nservice a /c\n", &log), 1);
	CHECK_EQ(t, conf_test_conf.count, 2);
	CHECK_EQ(t, log.last_line, 3);
	CHECK(t, strstr(log.last, "duplicate service name 'a'") != NULL);
}

TEST(initconf, rejects_paths)
{
	CHECK(t, conf_test_rejects("service a bin/a\n", "not an absolute path"));
	CHECK(t, conf_test_rejects("service a /a handle=3:dev\n", "not an absolute path"));
}

TEST(initconf, rejects_restart)
{
	CHECK(t, conf_test_rejects("service a /a restart=sometimes\n", "expected always"));
	CHECK(t, conf_test_rejects("service a /a restart=\n", "expected always"));
	CHECK(t, conf_test_rejects("service a /a restart=never restart=always\n", "twice"));
}

TEST(initconf, rejects_handles)
{
	CHECK(t, conf_test_rejects("service a /a handle=0:/x\n", "CHILD 1-255"));
	CHECK(t, conf_test_rejects("service a /a handle=256:/x\n", "CHILD 1-255"));
	CHECK(t, conf_test_rejects("service a /a handle=99999:/x\n", "CHILD 1-255"));
	CHECK(t, conf_test_rejects("service a /a handle=3\n", "CHILD 1-255"));
	CHECK(t, conf_test_rejects("service a /a handle=:/x\n", "CHILD 1-255"));
	CHECK(t, conf_test_rejects("service a /a handle=x3:/x\n", "CHILD 1-255"));
	CHECK(t, conf_test_rejects("service a /a handle=-1:/x\n", "CHILD 1-255"));
	CHECK(t, conf_test_rejects("service a /a handle=3:/x handle=3:/y\n", "given twice"));
	CHECK(t, conf_test_rejects("service a /a handle=1:/a handle=2:/a handle=3:/a "
				   "handle=4:/a handle=5:/a handle=6:/a handle=7:/a "
				   "handle=8:/a handle=9:/a\n",
				   "too many handle="));
}

TEST(initconf, rejects_arguments)
{
	char line[INIT_LINE_MAX + 2];
	int i, n;

	CHECK(t, conf_test_rejects("service a /a restart=never extra\n", "arguments come first"));
	n = snprintf(line, sizeof(line), "service a /a");
	for (i = 0; i < INIT_ARGS_MAX + 1; i++)
		n += snprintf(line + n, sizeof(line) - (size_t)n, " %d", i);
	CHECK(t, conf_test_rejects(line, "too many arguments"));
}

TEST(initconf, rejects_bytes)
{
	struct conf_log log;
	static const char nul[] = "service a /a\0x\n";

	CHECK(t, conf_test_rejects("service a /a \x01\n", "invalid byte 0x01 at column 14"));
	CHECK(t, conf_test_rejects("service a /\xc3\xa9\n", "invalid byte 0xc3"));
	CHECK(t, conf_test_rejects("service a /a\r\r\n", "invalid byte 0x0d"));
	CHECK(t, conf_test_rejects("service a /a\x7f\n", "invalid byte 0x7f"));
	memset(&log, 0, sizeof(log));
	CHECK_EQ(t, init_conf_parse(nul, sizeof(nul) - 1, &conf_test_conf, conf_test_report, &log),
		 1);
	CHECK(t, strstr(log.last, "invalid byte 0x00 at column 13") != NULL);
}

TEST(initconf, line_length_limit)
{
	char text[2 * INIT_LINE_MAX + 16];
	struct conf_log log;
	size_t n;

	/* Exactly INIT_LINE_MAX bytes: accepted. */
	n = (size_t)snprintf(text, sizeof(text), "service a /");
	memset(text + n, 'p', INIT_LINE_MAX - n);
	text[INIT_LINE_MAX] = '\n';
	text[INIT_LINE_MAX + 1] = '\0';
	CHECK_EQ(t, conf_test_parse(text, &log), 0);
	CHECK_EQ(t, conf_test_conf.count, 1);
	/* One more byte: rejected, and the next line still parses. */
	n = (size_t)snprintf(text, sizeof(text), "service a /");
	memset(text + n, 'p', INIT_LINE_MAX + 1 - n);
	snprintf(text + INIT_LINE_MAX + 1, sizeof(text) - INIT_LINE_MAX - 1, "\nservice b /b\n");
	CHECK_EQ(t, conf_test_parse(text, &log), 1);
	CHECK_EQ(t, log.last_line, 1);
	CHECK(t, strstr(log.last, "line longer than 255") != NULL);
	CHECK_EQ(t, conf_test_conf.count, 1);
	CHECK(t, strcmp(conf_test_conf.services[0].name, "b") == 0);
}

TEST(initconf, service_limit)
{
	char text[INIT_SERVICES_MAX * 24 + 64];
	struct conf_log log;
	size_t n = 0;
	int i;

	for (i = 0; i <= INIT_SERVICES_MAX; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, "service s%d /p\n", i);
	CHECK_EQ(t, conf_test_parse(text, &log), 1);
	CHECK_EQ(t, conf_test_conf.count, INIT_SERVICES_MAX);
	CHECK_EQ(t, log.last_line, INIT_SERVICES_MAX + 1);
	CHECK(t, strstr(log.last, "too many services") != NULL);
}

TEST(initconf, too_many_words)
{
	CHECK(t, conf_test_rejects("service a /a 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 "
				   "restart=never handle=1:/a handle=2:/a handle=3:/a handle=4:/a "
				   "handle=5:/a handle=6:/a handle=7:/a handle=8:/a x\n",
				   "too many words"));
}

/* Random sequences of the grammar's own words and separators. */
TEST(initconf, random_input)
{
	static const char *const words[] = {
		"service", "service", "a", "b", "/p", "/tests/crash", "code", "restart=always",
		"restart=never", "restart=", "handle=3:/x", "handle=3:/y", "handle=0:/x",
		"handle=255:", "#", "x=1", "\r", "\x80", "", "abcdefghijklmnopqrstuvwxyz0123456",
	};
	static const char seps[] = " \t\n\n";
	static char buf[4096];
	unsigned int seed = 12345, round, i;

	for (round = 0; round < 3000; round++) {
		size_t len = 0;

		seed = seed * 1103515245u + 12345u;
		while (len < (seed >> 20) % sizeof(buf)) {
			const char *w;
			size_t n;

			seed = seed * 1103515245u + 12345u;
			w = words[(seed >> 16) % (sizeof(words) / sizeof(words[0]))];
			n = strlen(w);
			if (n + 1 > sizeof(buf) - len)
				break;
			memcpy(buf + len, w, n);
			len += n;
			buf[len++] = seps[(seed >> 8) % (sizeof(seps) - 1)];
		}
		(void)init_conf_parse(buf, len, &conf_test_conf, NULL, NULL);
		CHECK(t, conf_test_conf.count <= INIT_SERVICES_MAX);
		for (i = 0; i < conf_test_conf.count; i++) {
			const struct init_service *s = &conf_test_conf.services[i];

			CHECK(t, s->path[0] == '/' && s->argc >= 1 && s->args_len <= INIT_ARGBUF_MAX);
			CHECK(t, s->args[s->args_len - 1] == '\0');
			CHECK(t, s->handle_count <= INIT_HANDLES_MAX);
		}
	}
}
