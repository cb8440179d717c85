/* Helpers for in-SVSM tests that run user programs (tests/svsm/proc_util.h). */
#include <copra/channel.h>
#include <copra/errno.h>
#include <copra/fmt.h>
#include <copra/object.h>
#include <copra/ramfs.h>
#include <copra/string.h>
#include <copra/task.h>
#include <copra/time.h>

#include "proc_util.h"

void pu_usage_get(struct pu_usage *u)
{
	pmm_get_stats(&u->pmm);
	heap_get_stats(&global_heap, &u->heap);
	u->objects = obj_live_count();
	u->processes = process_live_count();
	u->tasks = task_live_count();
	u->channels = channel_live_count();
	ramfs_usage(&u->ramfs_frames, &u->ramfs_nodes);
}

void pu_settle(const struct pu_usage *before)
{
	u64 end = time_ns() + 5 * NSEC_PER_SEC;

	while ((process_live_count() > before->processes || task_live_count() > before->tasks) &&
	       time_ns() < end)
		sched_sleep_ns(10 * NSEC_PER_MSEC);
}

int pu_spawn(const char *args, u32 len, struct object *end, const struct cpumask *aff,
	     struct process **out)
{
	struct spawn_request req;

	memset(&req, 0, sizeof(req));
	req.path = args;
	req.args = args;
	req.args_len = len;
	req.affinity = aff;
	if (end) {
		req.nhandles = 1;
		req.handles[0] = end;
		req.child_handles[0] = 3;
	}
	return process_spawn(NULL, &req, out);
}

int pu_finish(struct process *p, u64 timeout_ns, struct copra_exit *ex)
{
	int ret = process_wait(NULL, p, time_ns() + timeout_ns, ex);

	if (ret < 0) {
		process_kill(p);
		if (process_wait(NULL, p, 0, ex) < 0)
			ex->how = 0;
	}
	task_join(p->task); /* its task is freed too (leak checks) */
	obj_put(&p->obj);
	return ret < 0 ? ret : 0;
}

int pu_run(const char *args, u32 len, const struct cpumask *aff, u64 timeout_ns,
	   struct copra_exit *ex)
{
	struct process *p;
	int ret = pu_spawn(args, len, NULL, aff, &p);

	return ret ? ret : pu_finish(p, timeout_ns, ex);
}

static int pu_remove_below(const char *path, unsigned depth)
{
	char child[RAMFS_PATH_MAX + 1];
	struct ramfs_dirent ent;
	struct ramfs_node *n;
	int ret = ramfs_lookup(path, &n);

	if (ret)
		return ret == -E_NOENT ? 0 : ret;
	while (depth < 16 && ramfs_readdir(n, 0, &ent) == 0) {
		fmt_snprintf(child, sizeof(child), "%s/%s", path, ent.name);
		ret = ent.type == RAMFS_DIR ? pu_remove_below(child, depth + 1) : ramfs_unlink(child);
		if (ret)
			break;
	}
	ramfs_put(n);
	return ret ? ret : ramfs_unlink(path);
}

int pu_remove_tree(const char *path)
{
	return pu_remove_below(path, 0);
}

void pu_fuzz(struct test_ctx *t, const char *prog, const char *scratch, u64 timeout_ns)
{
	static const char *const seeds[] = { "1", "2", "3", "4" };
	struct pu_usage before, after;
	struct copra_exit ex;
	char args[64];
	unsigned i;
	int n;

	pu_usage_get(&before);
	for (i = 0; i < ARRAY_SIZE(seeds); i++) {
		n = fmt_snprintf(args, sizeof(args), "%s%c%s%c20000", prog, 0, seeds[i], 0);
		CHECK_EQ(t, pu_run(args, (u32)n + 1, NULL, timeout_ns, &ex), 0);
		/* It may break its own memory and fault: only a normal end or a fault is fine. */
		if (!(ex.how == COPRA_EXIT_NORMAL && ex.code == 0) && ex.how != COPRA_EXIT_FAULT) {
			test_fail(t, __FILE__, __LINE__, "%s seed %s: how %u code %d %s", prog,
				  seeds[i], ex.how, ex.code, ex.reason);
			return;
		}
		CHECK_EQ(t, pu_remove_tree(scratch), 0);
	}
	pu_settle(&before);
	pu_usage_get(&after);
	PU_CHECK_SAME(t, &before, &after);
}
