/*
 * Helpers shared by the in-SVSM tests that run user programs
 * (user_test.c, linux_test.c, ...): start a program from the kernel, wait
 * for it, and check that every resource a run used came back.
 */
#ifndef TESTS_SVSM_PROC_UTIL_H
#define TESTS_SVSM_PROC_UTIL_H

#include <copra/heap.h>
#include <copra/pmm.h>
#include <copra/process.h>
#include <copra/test.h>

/* (args, sizeof(args)) for a literal of NUL-separated arguments, argv[0] the path. */
#define PU_ARGS(s) s, sizeof(s)

/* Resources a user-mode run may hold: all must come back when it ends. */
struct pu_usage {
	struct pmm_stats pmm;
	struct heap_stats heap;
	u64 objects, processes, tasks, channels, ramfs_frames, ramfs_nodes;
};

void pu_usage_get(struct pu_usage *u);
/* Lets processes that outlived their parent end and be reaped (5 s at most). */
void pu_settle(const struct pu_usage *before);

#define PU_CHECK_SAME(t, a, b)                                                    \
	do {                                                                      \
		/* Frames: free ones plus those the heap keeps for reuse. */     \
		CHECK_EQ(t, (b)->pmm.free + (b)->heap.pages_mapped,               \
			 (a)->pmm.free + (a)->heap.pages_mapped);                  \
		CHECK_EQ(t, (b)->heap.bytes_in_use, (a)->heap.bytes_in_use);      \
		CHECK_EQ(t, (b)->objects, (a)->objects);                          \
		CHECK_EQ(t, (b)->processes, (a)->processes);                      \
		CHECK_EQ(t, (b)->tasks, (a)->tasks);                              \
		CHECK_EQ(t, (b)->channels, (a)->channels);                        \
		CHECK_EQ(t, (b)->ramfs_frames, (a)->ramfs_frames);                \
		CHECK_EQ(t, (b)->ramfs_nodes, (a)->ramfs_nodes);                  \
	} while (0)

/*
 * Starts args (argv[0] is the path) as a child of the kernel, with handle 3
 * = end when end is not NULL, on the CPUs of aff (NULL: any).
 */
int pu_spawn(const char *args, u32 len, struct object *end, const struct cpumask *aff,
	     struct process **out) __must_check;
/* Waits for p (killing it after timeout_ns), joins its task, drops it; 0 or -E_*. */
int pu_finish(struct process *p, u64 timeout_ns, struct copra_exit *ex) __must_check;
/* pu_spawn + pu_finish. */
int pu_run(const char *args, u32 len, const struct cpumask *aff, u64 timeout_ns,
	   struct copra_exit *ex) __must_check;
/*
 * Runs the fuzzer prog ("prog SEED 20000") with four seeds; each run must end
 * normally or by a fault of its own, scratch (its files) is removed after
 * each, and nothing may leak.
 */
void pu_fuzz(struct test_ctx *t, const char *prog, const char *scratch, u64 timeout_ns);
/* Removes path and everything below it (16 levels at most); 0 if it is not there. */
int pu_remove_tree(const char *path);

#endif
