/*
 * /bench/ubench: the user-mode side of Copra's benchmarks (pairs in
 * tests/bench/pairs.txt; the kernel's benchmark image starts each mode,
 * tests/bench/copra/user_bench.c). Under `qemu -icount shift=0` the time
 * stamp counter advances once per guest instruction, so the figures are
 * instructions per operation, like the Linux peer's.
 *   ubench syscall_null N        N SYS_proc_id(self) calls (Linux: getpid)
 *   ubench channel_rt N          N one-byte channel calls to an echo server it
 *                                spawns (inheriting its CPU): one CPU
 *   ubench channel_client N NAME the same against a server on handle 3
 *                                (the kernel placed it on another CPU)
 *   ubench echo                  the echo server on handle 3
 *   ubench spawn N               N spawn + wait of /bench/true
 * Each result is one line: "BENCH copra.NAME VALUE insn/op"; a failure is
 * "BENCH-FAIL copra.NAME why" and exit status 1.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <x86intrin.h>

#include <copra/runtime.h>
#include <copra/sys.h>

#define UB_HANDLE 3
#define UB_TIMEOUT_NS (10ULL * 1000 * 1000 * 1000)
#define UB_WARMUP 16

static int ub_fail(const char *name, const char *what, long err)
{
	printf("BENCH-FAIL copra.%s %s: %s\n", name, what, copra_strerror(err));
	return 1;
}

static void ub_report(const char *name, uint64_t insns, unsigned long n)
{
	printf("BENCH copra.%s %llu insn/op\n", name, (unsigned long long)(n ? insns / n : 0));
}

static int ub_syscall_null(unsigned long n)
{
	uint64_t t0, t1, e0, e1;
	unsigned long i;

	for (i = 0; i < UB_WARMUP; i++)
		(void)sys_proc_id(COPRA_HANDLE_INVALID);
	t0 = __rdtsc();
	for (i = 0; i < n; i++)
		(void)sys_proc_id(COPRA_HANDLE_INVALID);
	t1 = __rdtsc();
	/* The loop alone, to subtract. */
	e0 = __rdtsc();
	for (i = 0; i < n; i++)
		__asm__ volatile("" ::: "memory");
	e1 = __rdtsc();
	ub_report("syscall_null", (t1 - t0) - (e1 - e0), n);
	return 0;
}

static int ub_echo(copra_handle_t h)
{
	char buf[64];

	for (;;) {
		long r = sys_channel_recv(h, buf, sizeof(buf), COPRA_TIMEOUT_FOREVER);

		if (r == -COPRA_EPIPE)
			return 0;
		if (r < 0 || (r = sys_channel_send(h, buf, (size_t)r)) < 0)
			return r == -COPRA_EPIPE ? 0 : 1;
	}
}

static int ub_calls(const char *name, copra_handle_t h, unsigned long n)
{
	char req = 'x', resp = 0;
	struct copra_call call = { &req, 1, &resp, 1, UB_TIMEOUT_NS };
	uint64_t t0, t1;
	unsigned long i;
	long r;

	for (i = 0; i < UB_WARMUP; i++)
		if ((r = sys_channel_call(h, &call)) != 1)
			return ub_fail(name, "warm-up call", r);
	t0 = __rdtsc();
	for (i = 0; i < n; i++)
		if ((r = sys_channel_call(h, &call)) != 1)
			return ub_fail(name, "call", r);
	t1 = __rdtsc();
	ub_report(name, t1 - t0, n);
	return 0;
}

static int ub_channel_rt(unsigned long n)
{
	static const char *const argv[] = { "/bench/ubench", "echo", NULL };
	struct copra_spawn_handle pass;
	struct copra_exit ex;
	copra_handle_t ends[2];
	long proc, r;
	int status;

	r = sys_channel_create(ends);
	if (r < 0)
		return ub_fail("channel_rt_1cpu", "channel_create", r);
	pass.parent = ends[1];
	pass.child = UB_HANDLE;
	proc = copra_spawn("/bench/ubench", argv, &pass, 1);
	(void)sys_close(ends[1]);
	if (proc < 0)
		return ub_fail("channel_rt_1cpu", "spawn", proc);
	status = ub_calls("channel_rt_1cpu", ends[0], n);
	(void)sys_close(ends[0]);
	r = sys_proc_wait((copra_handle_t)proc, UB_TIMEOUT_NS, &ex);
	(void)sys_close((copra_handle_t)proc);
	return status ? status : r < 0 ? ub_fail("channel_rt_1cpu", "wait", r) : 0;
}

static int ub_spawn(unsigned long n)
{
	static const char *const argv[] = { "/bench/true", NULL };
	struct copra_exit ex;
	uint64_t t0 = 0;
	unsigned long i;
	long proc, r;

	for (i = 0; i < n + 1; i++) {
		if (i == 1)
			t0 = __rdtsc(); /* the first round warms up */
		proc = copra_spawn("/bench/true", argv, NULL, 0);
		if (proc < 0)
			return ub_fail("spawn", "spawn", proc);
		r = sys_proc_wait((copra_handle_t)proc, UB_TIMEOUT_NS, &ex);
		(void)sys_close((copra_handle_t)proc);
		if (r < 0)
			return ub_fail("spawn", "wait", r);
		if (ex.how != COPRA_EXIT_NORMAL || ex.code != 0) {
			printf("BENCH-FAIL copra.spawn /bench/true ended how %u code %d\n",
			       (unsigned int)ex.how, (int)ex.code);
			return 1;
		}
	}
	ub_report("spawn", __rdtsc() - t0, n);
	return 0;
}

int main(int argc, char **argv)
{
	unsigned long n = argc > 2 ? strtoul(argv[2], NULL, 0) : 0;

	if (argc > 1 && strcmp(argv[1], "echo") == 0)
		return ub_echo(UB_HANDLE);
	if (argc < 3 || n == 0) {
		printf("usage: ubench syscall_null|channel_rt|spawn N | channel_client N NAME | echo\n");
		return 2;
	}
	if (strcmp(argv[1], "syscall_null") == 0)
		return ub_syscall_null(n);
	if (strcmp(argv[1], "channel_rt") == 0)
		return ub_channel_rt(n);
	if (strcmp(argv[1], "channel_client") == 0 && argc > 3)
		return ub_calls(argv[3], UB_HANDLE, n);
	if (strcmp(argv[1], "spawn") == 0)
		return ub_spawn(n);
	printf("ubench: unknown mode %s\n", argv[1]);
	return 2;
}
