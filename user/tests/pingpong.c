/*
 * /tests/pingpong: channel round trips between two processes.
 *   pingpong server          echoes every message received on handle 3 until
 *                            the client end closes (-COPRA_EPIPE): exit 0
 *   pingpong client N [SIZE] N SYS_channel_call round trips on handle 3 with
 *                            SIZE-byte messages (default 64), each reply
 *                            checked against the request
 *   pingpong [N [SIZE]]      standalone: makes a channel, spawns its own
 *                            server with the server end as handle 3, runs
 *                            the client (default N = 100000), waits for the
 *                            server to exit
 * Prints "PASS pingpong/..." or "FAIL pingpong/...: why" and the time per
 * round trip; exit 0 on success.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <copra/runtime.h>
#include <copra/sys.h>

#define PP_HANDLE 3
#define PP_DEFAULT_N 100000UL
#define PP_DEFAULT_SIZE 64UL
#define PP_TIMEOUT_NS (10ULL * 1000 * 1000 * 1000) /* per round trip */

static char pp_req[COPRA_CHANNEL_MSG_MAX];
static char pp_resp[COPRA_CHANNEL_MSG_MAX];

static int pp_fail(const char *what, long err)
{
	printf("FAIL pingpong/%s: %s\n", what, copra_strerror(err));
	return 1;
}

static int pp_server(copra_handle_t h)
{
	for (;;) {
		long n = sys_channel_recv(h, pp_req, sizeof(pp_req), COPRA_TIMEOUT_FOREVER);

		if (n == -COPRA_EPIPE)
			return 0;
		if (n < 0)
			return pp_fail("server recv", n);
		n = sys_channel_send(h, pp_req, (size_t)n);
		if (n == -COPRA_EPIPE)
			return 0;
		if (n < 0)
			return pp_fail("server send", n);
	}
}

static int pp_client(copra_handle_t h, unsigned long count, size_t size)
{
	struct copra_call call = { pp_req, size, pp_resp, sizeof(pp_resp), PP_TIMEOUT_NS };
	long start = sys_clock(), end;
	unsigned long i;

	for (i = 0; i < count; i++) {
		long n;

		memset(pp_req, (int)(i & 0xff), size);
		if (size >= sizeof(i))
			memcpy(pp_req, &i, sizeof(i));
		n = sys_channel_call(h, &call);
		if (n < 0)
			return pp_fail("client call", n);
		if ((size_t)n != size || memcmp(pp_req, pp_resp, size) != 0) {
			printf("FAIL pingpong/client: reply %lu differs (%ld bytes)\n", i, n);
			return 1;
		}
	}
	end = sys_clock();
	printf("PASS pingpong/client: %lu round trips of %zu bytes, %lld ns each\n", count, size,
	       count ? (long long)(end - start) / (long long)count : 0LL);
	return 0;
}

/* Runs the client against a server it spawns itself. */
static int pp_standalone(unsigned long count, size_t size)
{
	static const char *const argv[] = { "/tests/pingpong", "server", NULL };
	copra_handle_t ends[2];
	struct copra_spawn_handle pass;
	struct copra_exit ex;
	long proc, ret;
	int status;

	ret = sys_channel_create(ends);
	if (ret < 0)
		return pp_fail("channel_create", ret);
	pass.parent = ends[1];
	pass.child = PP_HANDLE;
	proc = copra_spawn("/tests/pingpong", argv, &pass, 1);
	(void)sys_close(ends[1]); /* the server holds its own copy */
	if (proc < 0)
		return pp_fail("spawn server", proc);
	status = pp_client(ends[0], count, size);
	(void)sys_close(ends[0]); /* the server sees EPIPE and exits */
	ret = sys_proc_wait((copra_handle_t)proc, PP_TIMEOUT_NS, &ex);
	(void)sys_close((copra_handle_t)proc);
	if (ret < 0)
		return pp_fail("wait server", ret);
	if (ex.how != COPRA_EXIT_NORMAL || ex.code != 0) {
		printf("FAIL pingpong/server: ended how %u code %d\n", (unsigned int)ex.how,
		       (int)ex.code);
		return 1;
	}
	return status;
}

static size_t pp_size(int argc, char **argv, int i)
{
	unsigned long size = argc > i ? strtoul(argv[i], NULL, 0) : PP_DEFAULT_SIZE;

	return size == 0 || size > COPRA_CHANNEL_MSG_MAX ? PP_DEFAULT_SIZE : (size_t)size;
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "server") == 0)
		return pp_server(PP_HANDLE);
	if (argc > 2 && strcmp(argv[1], "client") == 0)
		return pp_client(PP_HANDLE, strtoul(argv[2], NULL, 0), pp_size(argc, argv, 3));
	return pp_standalone(argc > 1 ? strtoul(argv[1], NULL, 0) : PP_DEFAULT_N,
			     pp_size(argc, argv, 2));
}
