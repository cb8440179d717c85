/*
 * utest: channels (create, send/recv both ways, queue limit, sizes, time-outs,
 * peer closed, call/reply with a server process, the shared buffer).
 */
#include <string.h>

#include "utest.h"

static char ch_buf[COPRA_CHANNEL_MSG_MAX + 1];

static bool ch_create(copra_handle_t ends[2])
{
	return sys_channel_create(ends) == 0;
}

static void ch_close(copra_handle_t ends[2])
{
	(void)sys_close(ends[0]);
	(void)sys_close(ends[1]);
}

UTEST(channel, send_recv_both_ways)
{
	struct copra_handle_info a, b;
	copra_handle_t e[2];
	char buf[16];

	UCHECK(t, ch_create(e));
	UCHECK(t, e[0] != e[1]);
	UCHECK_EQ(t, sys_handle_info(e[0], &a), 0);
	UCHECK_EQ(t, sys_handle_info(e[1], &b), 0);
	UCHECK(t, a.type == COPRA_OBJ_CHANNEL && b.type == COPRA_OBJ_CHANNEL);
	UCHECK_EQ(t, sys_channel_send(e[0], "ping", 4), 0);
	UCHECK_EQ(t, sys_channel_recv(e[1], buf, sizeof(buf), 0), 4);
	UCHECK(t, memcmp(buf, "ping", 4) == 0);
	UCHECK_EQ(t, sys_channel_send(e[1], "pong!", 5), 0);
	UCHECK_EQ(t, sys_channel_recv(e[0], buf, sizeof(buf), 0), 5);
	UCHECK(t, memcmp(buf, "pong!", 5) == 0);
	/* Nothing is queued towards either end now. */
	UCHECK_ERR(t, sys_channel_recv(e[0], buf, sizeof(buf), 0), EAGAIN);
	UCHECK_ERR(t, sys_channel_recv(e[1], buf, sizeof(buf), 0), EAGAIN);
	ch_close(e);
}

UTEST(channel, order_and_empty_messages)
{
	copra_handle_t e[2];
	char buf[4];

	UCHECK(t, ch_create(e));
	UCHECK_EQ(t, sys_channel_send(e[0], "1", 1), 0);
	UCHECK_EQ(t, sys_channel_send(e[0], NULL, 0), 0);
	UCHECK_EQ(t, sys_channel_send(e[0], "3", 1), 0);
	UCHECK_EQ(t, sys_channel_recv(e[1], buf, sizeof(buf), 0), 1);
	UCHECK_EQ(t, buf[0], '1');
	UCHECK_EQ(t, sys_channel_recv(e[1], buf, sizeof(buf), 0), 0);
	UCHECK_EQ(t, sys_channel_recv(e[1], buf, sizeof(buf), 0), 1);
	UCHECK_EQ(t, buf[0], '3');
	ch_close(e);
}

UTEST(channel, queue_limit)
{
	copra_handle_t e[2];
	unsigned int i;
	char buf[4];

	UCHECK(t, ch_create(e));
	for (i = 0; i < COPRA_CHANNEL_QUEUE; i++)
		UCHECK_EQ(t, sys_channel_send(e[0], &i, 1), 0);
	UCHECK_ERR(t, sys_channel_send(e[0], "x", 1), EAGAIN);
	/* The other direction has its own queue. */
	UCHECK_EQ(t, sys_channel_send(e[1], "y", 1), 0);
	for (i = 0; i < COPRA_CHANNEL_QUEUE; i++)
		UCHECK_EQ(t, sys_channel_recv(e[1], buf, sizeof(buf), 0), 1);
	UCHECK_EQ(t, sys_channel_send(e[0], "z", 1), 0);
	ch_close(e);
}

UTEST(channel, message_sizes)
{
	copra_handle_t e[2];
	char small[8];

	UCHECK(t, ch_create(e));
	memset(ch_buf, 0x5a, sizeof(ch_buf));
	UCHECK_EQ(t, sys_channel_send(e[0], ch_buf, COPRA_CHANNEL_MSG_MAX), 0);
	UCHECK_ERR(t, sys_channel_send(e[0], ch_buf, COPRA_CHANNEL_MSG_MAX + 1), ETOOBIG);
	/* Too small a buffer: the message stays queued. */
	UCHECK_ERR(t, sys_channel_recv(e[1], small, sizeof(small), 0), ETOOBIG);
	UCHECK_EQ(t, sys_channel_recv(e[1], ch_buf, sizeof(ch_buf), 0), COPRA_CHANNEL_MSG_MAX);
	ch_close(e);
}

UTEST(channel, recv_times_out)
{
	copra_handle_t e[2];
	long start, end;
	char buf[4];

	UCHECK(t, ch_create(e));
	UCHECK_OK(t, start, sys_clock());
	UCHECK_ERR(t, sys_channel_recv(e[1], buf, sizeof(buf), 10 * UT_MS), ETIMEDOUT);
	UCHECK_OK(t, end, sys_clock());
	UCHECK(t, (uint64_t)(end - start) >= 10 * UT_MS);
	ch_close(e);
}

UTEST(channel, peer_closed_epipe)
{
	copra_handle_t e[2];
	char buf[4];

	UCHECK(t, ch_create(e));
	UCHECK_EQ(t, sys_channel_send(e[1], "q", 1), 0);
	UCHECK_EQ(t, sys_close(e[1]), 0);
	UCHECK_ERR(t, sys_channel_send(e[0], "x", 1), EPIPE);
	/* What was queued before the close is still delivered. */
	UCHECK_EQ(t, sys_channel_recv(e[0], buf, sizeof(buf), 0), 1);
	UCHECK_ERR(t, sys_channel_recv(e[0], buf, sizeof(buf), UT_SEC), EPIPE);
	UCHECK_EQ(t, sys_close(e[0]), 0);
}

UTEST(channel, call_with_server_process)
{
	static const char *const argv[] = { "/tests/pingpong", "server", NULL };
	struct copra_call call = { 0 };
	struct copra_spawn_handle pass;
	struct copra_exit ex;
	copra_handle_t e[2];
	char resp[32];
	long proc;
	int i;

	UCHECK(t, ch_create(e));
	pass.parent = e[1];
	pass.child = 3;
	UCHECK_OK(t, proc, copra_spawn(argv[0], argv, &pass, 1));
	UCHECK_EQ(t, sys_close(e[1]), 0);
	call.resp = resp;
	call.resp_cap = sizeof(resp);
	call.timeout_ns = UT_CHILD_TIMEOUT;
	for (i = 0; i < 10; i++) {
		char req[8] = { 'c', 'a', 'l', 'l', (char)('0' + i) };

		call.req = req;
		call.req_len = 5;
		UCHECK_EQ(t, sys_channel_call(e[0], &call), 5);
		UCHECK(t, memcmp(resp, req, 5) == 0);
	}
	/* A reply larger than resp_cap. */
	call.req = ch_buf;
	call.req_len = 64;
	UCHECK_ERR(t, sys_channel_call(e[0], &call), ETOOBIG);
	call.req_len = COPRA_CHANNEL_MSG_MAX + 1;
	UCHECK_ERR(t, sys_channel_call(e[0], &call), ETOOBIG);
	UCHECK_EQ(t, sys_close(e[0]), 0); /* the server exits on EPIPE */
	UCHECK(t, sys_proc_wait((copra_handle_t)proc, UT_CHILD_TIMEOUT, &ex) > 0);
	UCHECK_EQ(t, ex.how, COPRA_EXIT_NORMAL);
	UCHECK_EQ(t, ex.code, 0);
	UCHECK_EQ(t, sys_close((copra_handle_t)proc), 0);
}

UTEST(channel, call_times_out)
{
	struct copra_call call = { "q", 1, ch_buf, sizeof(ch_buf), 10 * UT_MS };
	copra_handle_t e[2];
	char buf[4];

	UCHECK(t, ch_create(e));
	UCHECK_ERR(t, sys_channel_call(e[0], &call), ETIMEDOUT);
	/* The request was delivered even though nobody answered. */
	UCHECK_EQ(t, sys_channel_recv(e[1], buf, sizeof(buf), 0), 1);
	UCHECK_EQ(t, sys_close(e[1]), 0);
	UCHECK_ERR(t, sys_channel_call(e[0], &call), EPIPE);
	UCHECK_EQ(t, sys_close(e[0]), 0);
}

UTEST(channel, shared_buffer)
{
	struct copra_handle_info info;
	volatile uint64_t *a, *b;
	copra_handle_t e[2];
	long ma, mb, va, vb;

	UCHECK(t, ch_create(e));
	UCHECK_OK(t, ma, sys_channel_buffer(e[0]));
	UCHECK_OK(t, mb, sys_channel_buffer(e[1]));
	UCHECK_EQ(t, sys_handle_info((copra_handle_t)ma, &info), 0);
	UCHECK_EQ(t, info.type, COPRA_OBJ_MEMORY);
	UCHECK_OK(t, va, sys_mem_map((copra_handle_t)ma, 0, COPRA_PROT_READ | COPRA_PROT_WRITE));
	UCHECK_OK(t, vb, sys_mem_map((copra_handle_t)mb, 0, COPRA_PROT_READ));
	UCHECK(t, va != vb);
	a = UT_PTR(va);
	b = UT_PTR(vb);
	a[0] = 0x1122334455667788ULL;
	a[511] = 42;
	UCHECK_EQ(t, b[0], 0x1122334455667788ULL);
	UCHECK_EQ(t, b[511], 42);
	UCHECK_EQ(t, sys_mem_unmap((uint64_t)va, 4096), 0);
	UCHECK_EQ(t, sys_mem_unmap((uint64_t)vb, 4096), 0);
	UCHECK_ERR(t, sys_channel_buffer(COPRA_HANDLE_LOG), ETYPE);
	(void)sys_close((copra_handle_t)ma);
	(void)sys_close((copra_handle_t)mb);
	ch_close(e);
}

/* A helper process echoes one message through a passed channel end. */
UTEST(channel, pass_end_to_child)
{
	static const char *const argv[] = { UT_HELPER, "echo", "7", NULL };
	struct copra_spawn_handle pass;
	struct copra_exit ex;
	copra_handle_t e[2];
	char buf[8];
	long proc;

	UCHECK(t, ch_create(e));
	pass.parent = e[1];
	pass.child = 7;
	UCHECK_OK(t, proc, copra_spawn(UT_HELPER, argv, &pass, 1));
	UCHECK_EQ(t, sys_channel_send(e[0], "hello", 5), 0);
	UCHECK_EQ(t, sys_channel_recv(e[0], buf, sizeof(buf), UT_CHILD_TIMEOUT), 5);
	UCHECK(t, memcmp(buf, "hello", 5) == 0);
	UCHECK(t, sys_proc_wait((copra_handle_t)proc, UT_CHILD_TIMEOUT, &ex) > 0);
	UCHECK_EQ(t, ex.code, 0);
	UCHECK_EQ(t, sys_close((copra_handle_t)proc), 0);
	ch_close(e);
}
