/*
 * /bin/init: reads /etc/init.conf (format: conf.h, docs/syscalls.md §init),
 * starts every service with SYS_proc_spawn, waits for any child, logs each
 * exit with the service's name, pid, how it ended and the kernel's reason,
 * and restarts it per its policy with exponential back-off (policy.c).
 * Without a configuration it logs so and idles.
 */
#include <stdio.h>
#include <string.h>

#include <copra/runtime.h>
#include <copra/sys.h>

#include "conf.h"

#define INIT_CONF_PATH "/etc/init.conf"
#define INIT_IDLE_NS (3600ULL * 1000 * INIT_MS) /* one sleep while idle */
#define INIT_RETRY_NS (1000 * INIT_MS)          /* after an unexpected wait error */

struct init_svc {
	const struct init_service *conf;
	copra_handle_t proc;      /* COPRA_HANDLE_INVALID when not running */
	long pid;
	uint64_t started_ns;
	bool pending;             /* a restart is scheduled at restart_ns */
	uint64_t restart_ns;
	struct init_backoff backoff;
};

static struct init_conf init_conf;
static struct init_svc init_svcs[INIT_SERVICES_MAX];
static char init_text[INIT_CONF_FILE_MAX + 1];

static uint64_t init_now(void)
{
	long ns = sys_clock();

	return ns < 0 ? 0 : (uint64_t)ns;
}

static void init_report(void *ctx, unsigned int line, const char *reason)
{
	(void)ctx;
	printf("init: %s:%u: %s; line ignored\n", INIT_CONF_PATH, line, reason);
}

/* Reads the configuration; returns its length, or -1 (logged). */
static long init_read_conf(void)
{
	long h, n, total = 0;

	h = copra_open(INIT_CONF_PATH, COPRA_O_READ);
	if (h < 0) {
		printf("init: cannot open %s: %s\n", INIT_CONF_PATH, copra_strerror(h));
		return -1;
	}
	do {
		n = sys_read((copra_handle_t)h, init_text + total, sizeof(init_text) - (size_t)total);
		if (n > 0)
			total += n;
	} while (n > 0 && total < (long)sizeof(init_text));
	(void)sys_close((copra_handle_t)h); /* read-only: nothing to lose */
	if (n < 0) {
		printf("init: cannot read %s: %s\n", INIT_CONF_PATH, copra_strerror(n));
		return -1;
	}
	if (total > INIT_CONF_FILE_MAX) {
		printf("init: %s is larger than %d bytes; ignored\n", INIT_CONF_PATH,
		       INIT_CONF_FILE_MAX);
		return -1;
	}
	return total;
}

/* Opens the service's handle= paths into hs[]; on failure closes them. */
static long init_open_handles(const struct init_service *c, struct copra_spawn_handle *hs)
{
	uint32_t i;

	for (i = 0; i < c->handle_count; i++) {
		long h = copra_open(c->handles[i].path, COPRA_O_READ | COPRA_O_WRITE);

		if (h < 0) {
			printf("init: service %s: cannot open %s for handle %u: %s\n", c->name,
			       c->handles[i].path, (unsigned int)c->handles[i].child,
			       copra_strerror(h));
			while (i-- > 0)
				(void)sys_close(hs[i].parent);
			return h;
		}
		hs[i].parent = (copra_handle_t)h;
		hs[i].child = c->handles[i].child;
	}
	return 0;
}

/* Starts one service; returns 0, or the error (already logged). */
static long init_spawn(struct init_svc *s)
{
	const struct init_service *c = s->conf;
	struct copra_spawn_handle hs[INIT_HANDLES_MAX];
	struct copra_spawn sp;
	long ret, pid;
	uint32_t i;

	ret = init_open_handles(c, hs);
	if (ret < 0)
		return ret;
	sp.args = c->args;
	sp.args_len = c->args_len;
	sp.nhandles = c->handle_count;
	sp.handles = hs;
	ret = sys_proc_spawn(c->path, strlen(c->path), &sp);
	for (i = 0; i < c->handle_count; i++)
		(void)sys_close(hs[i].parent); /* the child holds its own copies */
	if (ret < 0) {
		printf("init: cannot start service %s (%s): %s\n", c->name, c->path,
		       copra_strerror(ret));
		return ret;
	}
	pid = sys_proc_id((copra_handle_t)ret);
	s->proc = (copra_handle_t)ret;
	s->pid = pid;
	s->started_ns = init_now();
	printf("init: started service %s (pid %ld)\n", c->name, pid);
	return 0;
}

/* Schedules a restart after the back-off, or gives up on the service. */
static void init_schedule(struct init_svc *s, bool restart, uint64_t uptime_ns)
{
	uint64_t delay;

	if (!restart) {
		printf("; not restarting (restart=%s)\n", init_restart_name(s->conf->restart));
		return;
	}
	delay = init_backoff_delay(&s->backoff, uptime_ns);
	s->pending = true;
	s->restart_ns = init_now() + delay;
	printf("; restarting in %llu ms\n", (unsigned long long)(delay / INIT_MS));
}

/* Starts the service now; a failure is treated like a failed run. */
static void init_start(struct init_svc *s)
{
	long ret;

	s->pending = false;
	ret = init_spawn(s);
	if (ret >= 0)
		return;
	/* A missing or broken program will not fix itself. */
	if (ret == -COPRA_ENOENT || ret == -COPRA_ENOEXEC || ret == -COPRA_EINVAL) {
		printf("init: service %s: giving up\n", s->conf->name);
		return;
	}
	printf("init: service %s", s->conf->name);
	init_schedule(s, s->conf->restart != INIT_RESTART_NEVER, 0);
}

/* Logs how a child ended ("...died: reason; restarting in N ms"). */
static void init_exited(struct init_svc *s, const struct copra_exit *ex)
{
	uint64_t uptime = init_now() - s->started_ns;
	char reason[sizeof(ex->reason) + 1];

	memcpy(reason, ex->reason, sizeof(ex->reason)); /* not trusted to end in NUL */
	reason[sizeof(ex->reason)] = '\0';
	printf("init: service %s (pid %ld) ", s->conf->name, s->pid);
	if (ex->how == COPRA_EXIT_NORMAL)
		printf("exited with code %d", (int)ex->code);
	else if (ex->how == COPRA_EXIT_KILLED)
		printf("was killed%s%s", reason[0] ? ": " : "", reason);
	else if (ex->how == COPRA_EXIT_FAULT)
		printf("died: %s", reason[0] ? reason : "fault");
	else
		printf("ended (how %u)%s%s", (unsigned int)ex->how, reason[0] ? ": " : "", reason);
	(void)sys_close(s->proc); /* the exit status is already ours */
	s->proc = COPRA_HANDLE_INVALID;
	s->pid = -1;
	init_schedule(s, init_policy_restart(s->conf->restart, ex->how, ex->code), uptime);
}

static struct init_svc *init_find(long pid)
{
	uint32_t i;

	for (i = 0; i < init_conf.count; i++) {
		if (init_svcs[i].proc != COPRA_HANDLE_INVALID && init_svcs[i].pid == pid)
			return &init_svcs[i];
	}
	return NULL;
}

/* Starts every due restart; returns how long to wait for the next one. */
static uint64_t init_due(void)
{
	uint64_t now = init_now(), next = COPRA_TIMEOUT_FOREVER;
	uint32_t i;

	for (i = 0; i < init_conf.count; i++) {
		struct init_svc *s = &init_svcs[i];

		if (s->pending && s->restart_ns <= now)
			init_start(s);
		if (s->pending) {
			uint64_t left = s->restart_ns > now ? s->restart_ns - now : 0;

			if (left < next)
				next = left;
		}
	}
	return next;
}

static __attribute__((noreturn)) void init_idle(const char *why)
{
	printf("init: %s; idle\n", why);
	for (;;)
		(void)sys_sleep(INIT_IDLE_NS); /* an early wake-up just sleeps again */
}

static __attribute__((noreturn)) void init_supervise(void)
{
	for (;;) {
		uint64_t timeout = init_due();
		struct copra_exit ex;
		struct init_svc *s;
		long pid;

		memset(&ex, 0, sizeof(ex));
		pid = sys_proc_wait(COPRA_HANDLE_INVALID, timeout, &ex);
		if (pid == -COPRA_ETIMEDOUT || pid == -COPRA_EAGAIN)
			continue;
		if (pid == -COPRA_ENOENT) { /* no children (proposed code) */
			if (timeout == COPRA_TIMEOUT_FOREVER)
				init_idle("no service left to supervise");
			(void)sys_sleep(timeout);
			continue;
		}
		if (pid < 0) {
			printf("init: waiting for services failed: %s\n", copra_strerror(pid));
			(void)sys_sleep(INIT_RETRY_NS);
			continue;
		}
		s = init_find(pid);
		if (s)
			init_exited(s, &ex);
		else
			printf("init: unknown child (pid %ld) ended\n", pid);
	}
}

int main(int argc, char **argv)
{
	long len;
	uint32_t i;
	unsigned int bad;

	(void)argc;
	(void)argv;
	printf("init: up (pid %ld)\n", sys_proc_id(COPRA_HANDLE_INVALID));
	len = init_read_conf();
	if (len < 0)
		init_idle("no configuration");
	bad = init_conf_parse(init_text, (size_t)len, &init_conf, init_report, NULL);
	printf("init: %u service%s configured%s\n", (unsigned int)init_conf.count,
	       init_conf.count == 1 ? "" : "s", bad ? " (some lines ignored)" : "");
	if (init_conf.count == 0)
		init_idle("nothing to start");
	for (i = 0; i < init_conf.count; i++) {
		init_svcs[i].conf = &init_conf.services[i];
		init_svcs[i].proc = COPRA_HANDLE_INVALID;
		init_svcs[i].pid = -1;
		init_start(&init_svcs[i]);
	}
	init_supervise();
}
