/* Pipe ping-pong between two processes: the parent (pinned to CPU 0) writes
 * one byte into pipe A and reads one byte back from pipe B; the child
 * (pinned to CPU 0 or CPU 1) reads A and writes B. One operation is one
 * round trip: 2 writes, 2 reads, 2 wake-ups, 2 context switches (same CPU)
 * or 2 cross-CPU wake-ups with their IPIs and idle exits (two CPUs). With
 * two CPUs the count is every instruction of both vCPUs (halted vCPUs run
 * none). */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"

#define UNTIMED_ROUNDS 16

static int write1(int fd, char c)
{
	ssize_t n;

	do
		n = write(fd, &c, 1);
	while (n < 0 && errno == EINTR);
	return n == 1 ? 0 : -1;
}

static int read1(int fd, char *c)
{
	ssize_t n;

	do
		n = read(fd, c, 1);
	while (n < 0 && errno == EINTR);
	return n == 1 ? 0 : -1;
}

static uint64_t pipe_rt(uint64_t iters, int child_cpu)
{
	int a[2], b[2], status;
	uint64_t t0 = 0, t1 = 0, i;
	pid_t pid;
	char c = 'x';
	int bad = 0;

	if (pipe(a) != 0 || pipe(b) != 0) {
		bench_fail("pipe: %s", strerror(errno));
		return BENCH_ERROR;
	}
	pid = fork();
	if (pid < 0) {
		bench_fail("fork: %s", strerror(errno));
		return BENCH_ERROR;
	}
	if (pid == 0) {
		close(a[1]);
		close(b[0]);
		if (pin_self(child_cpu) != 0)
			_exit(3);
		while (read1(a[0], &c) == 0)
			if (write1(b[1], c) != 0)
				_exit(4);
		_exit(0);
	}
	close(a[0]);
	close(b[1]);
	for (i = 0; i < UNTIMED_ROUNDS && !bad; i++)
		bad = write1(a[1], c) || read1(b[0], &c);
	if (!bad) {
		t0 = tsc_now();
		for (i = 0; i < iters; i++)
			if (write1(a[1], c) || read1(b[0], &c)) {
				bad = 1;
				break;
			}
		t1 = tsc_now();
	}
	close(a[1]);
	close(b[0]);
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status)) {
		bench_fail("ping-pong child on CPU %d failed (status 0x%x)", child_cpu, status);
		return BENCH_ERROR;
	}
	if (bad) {
		bench_fail("pipe ping-pong: short read or write");
		return BENCH_ERROR;
	}
	return t1 - t0;
}

BENCH(pipe_rt_1cpu, 1, 2000)
{
	return pipe_rt(iters, 0);
}

BENCH(pipe_rt_2cpu, 2, 2000)
{
	return pipe_rt(iters, 1);
}
