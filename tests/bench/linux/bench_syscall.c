/* Null system call: one getpid() round trip through glibc's syscall(),
 * i.e. wrapper + SYSCALL + kernel entry/exit + SYSRET + loop (~a dozen
 * instructions of the total are the wrapper and the loop). */
#define _GNU_SOURCE
#include <sys/syscall.h>
#include <unistd.h>

#include "bench.h"

BENCH(getpid, 1, 20000)
{
	uint64_t t0, t1, i;

	t0 = tsc_now();
	for (i = 0; i < iters; i++)
		syscall(SYS_getpid);
	t1 = tsc_now();
	return t1 - t0;
}
