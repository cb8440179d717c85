/* Process spawn: posix_spawn() of the static /bin/true in the initramfs,
 * then waitpid() for it. One operation = create (glibc: clone(CLONE_VM |
 * CLONE_VFORK)) + execve of a static ELF + its startup and exit + reap.
 * The child inherits /init's affinity, so both run on CPU 0. */
#define _GNU_SOURCE
#include <spawn.h>
#include <string.h>
#include <sys/wait.h>

#include "bench.h"

extern char **environ;

BENCH(posix_spawn, 1, 30)
{
	char *argv[] = { "true", NULL };
	uint64_t t0, t1, i;
	pid_t pid;
	int status, err;

	t0 = tsc_now();
	for (i = 0; i < iters; i++) {
		err = posix_spawn(&pid, "/bin/true", NULL, NULL, argv, environ);
		if (err) {
			bench_fail("posix_spawn /bin/true: %s", strerror(err));
			return BENCH_ERROR;
		}
		if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
		    WEXITSTATUS(status) != 0) {
			bench_fail("/bin/true did not exit 0 (status 0x%x)", status);
			return BENCH_ERROR;
		}
	}
	t1 = tsc_now();
	return t1 - t0;
}
