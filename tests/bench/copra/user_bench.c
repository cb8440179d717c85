/*
 * Copra-side user-mode benchmarks (pairs in tests/bench/pairs.txt): the
 * kernel starts /bench/ubench pinned to CPU 0 and the program measures from
 * user space and prints its own BENCH line: a null system call, a channel
 * round trip on one CPU and across two, and spawn + exit + wait.
 */
#include <copra/bench.h>
#include <copra/channel.h>
#include <copra/log.h>
#include <copra/process.h>
#include <copra/smp.h>
#include <copra/string.h>
#include <copra/task.h>
#include <copra/time.h>

#define UB_TIMEOUT_NS (300ULL * NSEC_PER_SEC)
#define UB_ARGS(s) s, sizeof(s)

/* Runs /bench/ubench with args on cpu (handle 3 = end when given) and waits for it. */
static int ub_start(const char *args, u32 len, unsigned cpu, struct object *end,
		    struct process **out)
{
	static struct cpumask masks[CONFIG_MAX_CPUS];
	struct spawn_request req;

	memset(&req, 0, sizeof(req));
	req.path = "/bench/ubench";
	req.args = args;
	req.args_len = len;
	if (end) {
		req.nhandles = 1;
		req.handles[0] = end;
		req.child_handles[0] = 3;
	}
	cpumask_clear(&masks[cpu]);
	cpumask_set(&masks[cpu], cpu);
	req.affinity = &masks[cpu];
	return process_spawn(NULL, &req, out);
}

static void ub_finish(const char *name, struct process *p)
{
	struct copra_exit ex = { 0 };

	if (process_wait(NULL, p, time_ns() + UB_TIMEOUT_NS, &ex) < 0) {
		process_kill(p);
		log_plain("BENCH-FAIL copra.%s timed out\n", name);
	} else if (ex.how != COPRA_EXIT_NORMAL || ex.code != 0) {
		log_plain("BENCH-FAIL copra.%s ubench ended how %u code %d %s\n", name, ex.how,
			  ex.code, ex.reason);
	}
	task_join(p->task);
	obj_put(&p->obj);
}

static void ub_run(const char *name, const char *args, u32 len)
{
	struct process *p;

	if (ub_start(args, len, 0, NULL, &p))
		log_plain("BENCH-FAIL copra.%s cannot start /bench/ubench\n", name);
	else
		ub_finish(name, p);
}

BENCH(syscall_null)
{
	ub_run("syscall_null", UB_ARGS("/bench/ubench\0syscall_null\0" "100000"));
}

BENCH(channel_rt_1cpu)
{
	ub_run("channel_rt_1cpu", UB_ARGS("/bench/ubench\0channel_rt\0" "20000"));
}

BENCH(spawn)
{
	ub_run("spawn", UB_ARGS("/bench/ubench\0spawn\0" "30"));
}

/* Client on CPU 0, echo server on CPU 1, over a channel the kernel made. */
BENCH(channel_rt_2cpu)
{
	struct channel_end *client, *server;
	struct process *pc = NULL, *ps = NULL;

	if (smp_cpus_online() < 2) {
		log_plain("BENCH-SKIP copra.channel_rt_2cpu needs 2 CPUs\n");
		return;
	}
	if (channel_create_kernel(&client, &server)) {
		log_plain("BENCH-FAIL copra.channel_rt_2cpu no memory for a channel\n");
		return;
	}
	if (ub_start(UB_ARGS("/bench/ubench\0echo"), 1, channel_end_object(server), &ps) == 0 &&
	    ub_start(UB_ARGS("/bench/ubench\0channel_client\0" "20000\0channel_rt_2cpu"), 0,
		     channel_end_object(client), &pc) != 0)
		pc = NULL;
	channel_end_put(client);
	channel_end_put(server);
	if (!ps || !pc)
		log_plain("BENCH-FAIL copra.channel_rt_2cpu cannot start /bench/ubench\n");
	if (pc)
		ub_finish("channel_rt_2cpu", pc);
	if (ps)
		ub_finish("channel_rt_2cpu", ps);
}
