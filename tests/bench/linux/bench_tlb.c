/* Cross-CPU benchmarks: remote TLB shootdown and remote function call.
 *
 * mprotect_local / mprotect_shootdown_N: one page, alone in its VMA, is
 * readable and present; N spinner threads (bench.h) of this process run on
 * CPUs 1..N, have read the page once and stay in user mode in this address
 * space (a CPU that went idle is "lazy" and Linux skips its IPI). One timed
 * operation is exactly one mprotect(page, PROT_NONE) call on CPU 0: the PTE
 * loses its present bit, so Linux flushes locally and sends a flush IPI to
 * each of the N CPUs and waits for all of them. The restoring
 * mprotect(PROT_READ) (not-present -> present needs no flush) runs outside
 * the timed region. Reported: instructions of all vCPUs during the call,
 * minus the spinners' own loop instructions (SPIN_LOOP_INSNS per counted
 * iteration); that is CPU 0's system call plus the N remote interrupt
 * entries, flushes, acknowledgements and returns. mprotect_local is the same
 * call with no other thread (no IPI); shootdown_N - local is the remote
 * part. Every measurement runs in a freshly forked process.
 *
 * membarrier_ipi_1: MEMBARRIER_CMD_PRIVATE_EXPEDITED with one spinner on
 * CPU 1: Linux runs a function (a memory barrier) on CPU 1 through an IPI
 * and waits for it; the nearest user-visible analogue of a remote function
 * call round trip. Same accounting as above.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/membarrier.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"

#define PAGE 4096UL
/* Far from the heap, stacks and libraries, so the page is its own VMA and
 * protection changes never split or merge neighbours. */
#define PAGE_HINT ((void *)0x5f0000000000UL)

static char *the_page(void)
{
	char *page = mmap(PAGE_HINT, PAGE, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);

	if (page == MAP_FAILED) {
		bench_fail("mmap: %s", strerror(errno));
		return NULL;
	}
	page[0] = 1;	/* present and dirty */
	if (mprotect(page, PAGE, PROT_READ) != 0) {
		bench_fail("mprotect: %s", strerror(errno));
		return NULL;
	}
	(void)*(volatile char *)page;
	return page;
}

struct remote_result {
	uint64_t total;
	char msg[200];
};

/* Time `iters` calls of op(), each alone, with `remote` spinners running.
 * Runs in a child process of its own so that every measurement starts from
 * a fresh address space: no CPU left over in its mask (lazy CPUs that once
 * ran a spinner would still cost a check on every flush). */
static uint64_t timed_remote_child(uint64_t iters, int remote, int (*op)(char *),
				   int (*undo)(char *), int (*setup)(void))
{
	uint64_t total = 0, i, t0, t1, s0, s1;
	int err = 0;
	char *p;

	if (setup && setup() != 0)
		return BENCH_ERROR;
	p = the_page();
	if (!p)
		return BENCH_ERROR;
	if (remote && spinners_start(remote, p) != 0)
		return BENCH_ERROR;
	for (i = 0; i < iters && !err; i++) {
		s0 = spinners_count();
		t0 = tsc_now();
		err = op(p);
		t1 = tsc_now();
		s1 = spinners_count();
		total += (t1 - t0) - SPIN_LOOP_INSNS * (s1 - s0);
		if (!err && undo)
			err = undo(p);
	}
	if (err)
		bench_fail("system call failed: %s", strerror(errno));
	if (remote)
		spinners_stop();
	return err ? BENCH_ERROR : total;
}

static uint64_t timed_remote(uint64_t iters, int remote, int (*op)(char *), int (*undo)(char *),
			     int (*setup)(void))
{
	struct remote_result r;
	int fd[2], status;
	pid_t pid;
	ssize_t n;

	if (pipe(fd) != 0) {
		bench_fail("pipe: %s", strerror(errno));
		return BENCH_ERROR;
	}
	pid = fork();
	if (pid < 0) {
		bench_fail("fork: %s", strerror(errno));
		return BENCH_ERROR;
	}
	if (pid == 0) {
		close(fd[0]);
		memset(&r, 0, sizeof(r));
		r.total = timed_remote_child(iters, remote, op, undo, setup);
		if (r.total == BENCH_ERROR)
			bench_fail_message(r.msg, sizeof(r.msg));
		_exit(write(fd[1], &r, sizeof(r)) == sizeof(r) ? 0 : 1);
	}
	close(fd[1]);
	n = read(fd[0], &r, sizeof(r));
	close(fd[0]);
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) ||
	    n != sizeof(r)) {
		bench_fail("measuring child failed (status 0x%x)", status);
		return BENCH_ERROR;
	}
	if (r.total == BENCH_ERROR)
		bench_fail("%s", r.msg);
	return r.total;
}

static int prot_none(char *p)
{
	return mprotect(p, PAGE, PROT_NONE);
}

static int prot_read(char *p)
{
	return mprotect(p, PAGE, PROT_READ);
}

BENCH(mprotect_local, 1, 2000)
{
	return timed_remote(iters, 0, prot_none, prot_read, NULL);
}

BENCH(mprotect_shootdown_1, 2, 2000)
{
	return timed_remote(iters, 1, prot_none, prot_read, NULL);
}

BENCH(mprotect_shootdown_3, 4, 2000)
{
	return timed_remote(iters, 3, prot_none, prot_read, NULL);
}

static int membarrier_call(char *p)
{
	(void)p;
	return (int)syscall(__NR_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0, 0);
}

static int membarrier_register(void)
{
	if (syscall(__NR_membarrier, MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED, 0, 0)) {
		bench_fail("membarrier register: %s", strerror(errno));
		return -1;
	}
	return 0;
}

BENCH(membarrier_ipi_1, 2, 2000)
{
	return timed_remote(iters, 1, membarrier_call, NULL, membarrier_register);
}
