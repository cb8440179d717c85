/*
 * utest: hostile pointers and lengths for every call that takes one. Each
 * row must fail with -COPRA_EFAULT (and the process must live on): kernel
 * addresses, unmapped user pages, ranges that wrap, non-canonical and NULL
 * pointers, huge lengths, and output buffers in read-only memory.
 */
#include <stdio.h>
#include <string.h>

#include "utest.h"

#define K UT_KERNEL_PTR
#define U UT_UNMAPPED_PTR
#define W UT_WRAP_PTR
#define N UT_NONCANON_PTR

/* Read-only memory of our own: output buffers here must be refused. */
static const char hostile_rodata[4096] __attribute__((aligned(4096))) = "read-only";

static const uint64_t hostile_ptrs[] = { K, U, W, N, 0 };
static const char *const hostile_names[] = { "kernel", "unmapped", "wrapping", "noncanonical",
					     "null" };
#define HOSTILE_PTRS 5

#define EACH_PTR(i) for ((i) = 0; (i) < HOSTILE_PTRS; (i)++)

static char hostile_row[64];

static const char *hostile_name(const char *call, unsigned int i)
{
	snprintf(hostile_row, sizeof(hostile_row), "%s_%s", call, hostile_names[i]);
	return hostile_row;
}

UTEST(hostile, log_and_random)
{
	unsigned int i;

	EACH_PTR(i) {
		UCASE_ERR(t, hostile_name("log", i), sys_log(UT_PTR(hostile_ptrs[i]), 32), COPRA_EFAULT);
		UCASE_ERR(t, hostile_name("random", i), sys_random(UT_PTR(hostile_ptrs[i]), 32),
			  COPRA_EFAULT);
	}
	UCASE_ERR(t, "log_huge_len", sys_log("x", UT_HUGE_LEN), COPRA_EFAULT);
	UCASE_ERR(t, "random_into_rodata", sys_random((void *)hostile_rodata, 16), COPRA_EFAULT);
	UCASE_ERR(t, "random_into_code", sys_random((void *)(uintptr_t)copra_startinfo()->entry, 16),
		  COPRA_EFAULT);
}

UTEST(hostile, path_calls)
{
	unsigned int i;

	EACH_PTR(i) {
		const void *p = UT_PTR(hostile_ptrs[i]);

		UCASE_ERR(t, hostile_name("open", i), sys_open(p, 8, COPRA_O_READ), COPRA_EFAULT);
		UCASE_ERR(t, hostile_name("mkdir", i), sys_mkdir(p, 8), COPRA_EFAULT);
		UCASE_ERR(t, hostile_name("unlink", i), sys_unlink(p, 8), COPRA_EFAULT);
		UCASE_ERR(t, hostile_name("spawn", i), sys_proc_spawn(p, 8, NULL), COPRA_EFAULT);
	}
}

UTEST(hostile, read_write)
{
	struct copra_stat st;
	unsigned int i;
	char buf[16];
	long h;

	UCHECK_OK(t, h, copra_open("/etc/init.conf", COPRA_O_READ));
	UCHECK_EQ(t, sys_stat((copra_handle_t)h, &st), 0);
	UCHECK(t, st.size > 0);
	EACH_PTR(i) {
		UCASE_ERR(t, hostile_name("read", i),
			  sys_read((copra_handle_t)h, UT_PTR(hostile_ptrs[i]), 16), COPRA_EFAULT);
		UCASE_ERR(t, hostile_name("write_log", i),
			  sys_write(COPRA_HANDLE_LOG, UT_PTR(hostile_ptrs[i]), 16), COPRA_EFAULT);
		UCASE_ERR(t, hostile_name("stat", i),
			  sys_stat((copra_handle_t)h, UT_PTR(hostile_ptrs[i])), COPRA_EFAULT);
		UCASE_ERR(t, hostile_name("handle_info", i),
			  sys_handle_info((copra_handle_t)h, UT_PTR(hostile_ptrs[i])), COPRA_EFAULT);
	}
	UCASE_ERR(t, "read_huge_len", sys_read((copra_handle_t)h, buf, UT_HUGE_LEN), COPRA_EFAULT);
	UCASE_ERR(t, "read_into_rodata", sys_read((copra_handle_t)h, (void *)hostile_rodata, 16),
		  COPRA_EFAULT);
	UCASE_ERR(t, "stat_into_rodata",
		  sys_stat((copra_handle_t)h, (void *)(uintptr_t)hostile_rodata), COPRA_EFAULT);
	/* The failed reads consumed nothing. */
	UCHECK_EQ(t, sys_seek((copra_handle_t)h, 0, COPRA_SEEK_CUR), 0);
	UCHECK_EQ(t, sys_close((copra_handle_t)h), 0);
}

UTEST(hostile, readdir)
{
	unsigned int i;
	long d;

	UCHECK_OK(t, d, copra_open("/", COPRA_O_READ | COPRA_O_DIR));
	EACH_PTR(i) {
		UCASE_ERR(t, hostile_name("readdir", i),
			  sys_readdir((copra_handle_t)d, 0, UT_PTR(hostile_ptrs[i])), COPRA_EFAULT);
	}
	UCASE_ERR(t, "readdir_into_rodata",
		  sys_readdir((copra_handle_t)d, 0, (void *)(uintptr_t)hostile_rodata), COPRA_EFAULT);
	UCHECK_EQ(t, sys_close((copra_handle_t)d), 0);
}

UTEST(hostile, channels)
{
	struct copra_call call = { "x", 1, NULL, 16, 0 };
	copra_handle_t e[2];
	unsigned int i;
	char buf[16];

	UCHECK_EQ(t, sys_channel_create(e), 0);
	EACH_PTR(i) {
		const uint64_t p = hostile_ptrs[i];

		UCASE_ERR(t, hostile_name("channel_create", i), sys_channel_create(UT_PTR(p)),
			  COPRA_EFAULT);
		UCASE_ERR(t, hostile_name("send", i), sys_channel_send(e[0], UT_PTR(p), 16),
			  COPRA_EFAULT);
		UCASE_ERR(t, hostile_name("call_struct", i), sys_channel_call(e[0], UT_PTR(p)),
			  COPRA_EFAULT);
		call.req = UT_PTR(p);
		call.resp = buf;
		UCASE_ERR(t, hostile_name("call_req", i), sys_channel_call(e[0], &call),
			  COPRA_EFAULT);
		call.req = "x";
		call.resp = UT_PTR(p);
		UCASE_ERR(t, hostile_name("call_resp", i), sys_channel_call(e[0], &call),
			  COPRA_EFAULT);
	}
	/* recv: a message is waiting; a bad buffer fails and leaves it queued. */
	UCHECK_EQ(t, sys_channel_send(e[1], "abc", 3), 0);
	EACH_PTR(i) {
		UCASE_ERR(t, hostile_name("recv", i),
			  sys_channel_recv(e[0], UT_PTR(hostile_ptrs[i]), 16, 0), COPRA_EFAULT);
	}
	UCASE_ERR(t, "recv_into_rodata", sys_channel_recv(e[0], (void *)hostile_rodata, 16, 0),
		  COPRA_EFAULT);
	UCHECK_EQ(t, sys_channel_recv(e[0], buf, sizeof(buf), 0), 3);
	UCASE_ERR(t, "send_huge_len", sys_channel_send(e[0], buf, UT_HUGE_LEN), COPRA_EFAULT);
	(void)sys_close(e[0]);
	(void)sys_close(e[1]);
}

UTEST(hostile, spawn_and_wait)
{
	struct copra_spawn sp;
	struct copra_exit ex;
	unsigned int i;
	long proc;
	size_t len = strlen(UT_HELPER);

	EACH_PTR(i) {
		const uint64_t p = hostile_ptrs[i];

		if (p == 0)
			continue; /* a NULL struct is allowed: argv = { path } */
		UCASE_ERR(t, hostile_name("spawn_struct", i),
			  sys_proc_spawn(UT_HELPER, len, UT_PTR(p)), COPRA_EFAULT);
		sp.args = UT_PTR(p);
		sp.args_len = 8;
		sp.nhandles = 0;
		sp.handles = NULL;
		UCASE_ERR(t, hostile_name("spawn_args", i), sys_proc_spawn(UT_HELPER, len, &sp),
			  COPRA_EFAULT);
		sp.args = NULL;
		sp.args_len = 0;
		sp.nhandles = 1;
		sp.handles = UT_PTR(p);
		UCASE_ERR(t, hostile_name("spawn_handles", i), sys_proc_spawn(UT_HELPER, len, &sp),
			  COPRA_EFAULT);
	}
	UCHECK_OK(t, proc, sys_proc_spawn("/tests/crash", 12, NULL));
	EACH_PTR(i) {
		if (hostile_ptrs[i] == 0)
			continue; /* NULL: the status is not wanted */
		UCASE_ERR(t, hostile_name("wait_exit", i),
			  sys_proc_wait((copra_handle_t)proc, UT_CHILD_TIMEOUT,
					UT_PTR(hostile_ptrs[i])), COPRA_EFAULT);
	}
	UCHECK(t, sys_proc_wait((copra_handle_t)proc, UT_CHILD_TIMEOUT, NULL) > 0);
	UCHECK(t, sys_proc_wait((copra_handle_t)proc, 0, &ex) > 0);
	UCHECK_EQ(t, ex.code, 100); /* crash without a mode: usage */
	UCHECK_EQ(t, sys_close((copra_handle_t)proc), 0);
}

/* Argument registers beyond 32 bits where the ABI takes a u32. */
UTEST(hostile, wide_registers)
{
	long ev;

	UCHECK_OK(t, ev, sys_event_create());
	UCHECK_ERR(t, copra_syscall1(SYS_event_signal, (long)(0xdead00000000UL | (unsigned long)ev)),
		   EBADH);
	UCHECK_ERR(t, copra_syscall3(SYS_open, (long)"/etc/init.conf", 14,
				     (long)(0x100000000UL | COPRA_O_READ)),
		   EINVAL);
	UCHECK_EQ(t, sys_close((copra_handle_t)ev), 0);
}
