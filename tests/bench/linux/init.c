/* /init of the Linux peer guest: runs the benchmarks named on the kernel
 * command line, prints one result line per benchmark on the console and
 * powers the machine off.
 *
 * Kernel command line (unknown name=value words reach /init's environment;
 * names must not contain a dot):
 *   bench=a,b,c     benchmarks to run, in this order (default: all)
 *   bench_reps=R    repetitions per benchmark, median reported (default 5)
 *   bench_scale=F   multiply every benchmark's iteration count (default 1)
 *
 * Output (one line each, parsed by tests/bench/run-bench):
 *   BENCH-INFO linux kernel=<release> cpus=<online>
 *   BENCH linux.<name> <median> <unit> reps=R iters=N min=<v> max=<v>
 *   BENCH-SKIP linux.<name> <reason>
 *   BENCH-FAIL linux.<name> <reason>
 *   BENCH-DONE linux ran=<n> failed=<n>
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "bench.h"

extern const struct bench __start_bench_list[], __stop_bench_list[];

#define MAX_REPS 31

/* ------------------------------------------------------------------ helpers */

static char fail_msg[256];

void bench_fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(fail_msg, sizeof(fail_msg), fmt, ap);
	va_end(ap);
}

static int n_online;

void bench_fail_message(char *buf, unsigned long size)
{
	snprintf(buf, size, "%s", fail_msg[0] ? fail_msg : "error");
}

int online_cpus(void)
{
	return n_online;
}

/* /sys tells the online CPUs; without it glibc would count this thread's
 * affinity mask instead, which is one CPU once /init is pinned. */
static void count_cpus(void)
{
	cpu_set_t set;

	mount("proc", "/proc", "proc", 0, NULL);
	mount("sysfs", "/sys", "sysfs", 0, NULL);
	n_online = (int)sysconf(_SC_NPROCESSORS_ONLN);
	if (sched_getaffinity(0, sizeof(set), &set) == 0 && CPU_COUNT(&set) > n_online)
		n_online = CPU_COUNT(&set);
	if (n_online < 1)
		n_online = 1;
}

int pin_self(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set) != 0)
		return -1;
	/* The migration happens on the way out of the system call. */
	return sched_getcpu() == cpu ? 0 : -1;
}

/* ------------------------------------------------------------------ spinners */

#define MAX_SPINNERS 16

struct spinner {
	volatile uint64_t count;
	volatile int ready;
	int cpu;
	pthread_t thread;
	volatile const void *touch;
	char pad[64];
};

static struct spinner spinners[MAX_SPINNERS] __attribute__((aligned(64)));
static int n_spinners;
static volatile int spin_stop;

static void *spinner_main(void *arg)
{
	struct spinner *s = arg;

	if (sched_getcpu() != s->cpu) {
		s->ready = -1;
		return NULL;
	}
	(void)*(volatile const char *)s->touch;	/* this CPU's TLB holds the page */
	s->ready = 1;
	/* SPIN_LOOP_INSNS (4) instructions per iteration; PAUSE ends the TB and
	 * the vCPU's round-robin turn, so halted-equivalent peers cost ~nothing. */
	__asm__ volatile("1:\n\t"
			 "incq (%0)\n\t"
			 "pause\n\t"
			 "cmpl $0, (%1)\n\t"
			 "je 1b\n\t"
			 :
			 : "r"(&s->count), "r"(&spin_stop)
			 : "memory", "cc");
	return NULL;
}

int spinners_start(int n, volatile const void *touch)
{
	int i;

	if (n > MAX_SPINNERS || n + 1 > online_cpus()) {
		bench_fail("%d spinners need %d CPUs, %d online", n, n + 1, online_cpus());
		return -1;
	}
	spin_stop = 0;
	n_spinners = 0;
	for (i = 0; i < n; i++) {
		struct spinner *s = &spinners[i];
		pthread_attr_t attr;
		cpu_set_t set;
		int err;

		s->count = 0;
		s->ready = 0;
		s->cpu = i + 1;
		s->touch = touch;
		CPU_ZERO(&set);
		CPU_SET(s->cpu, &set);
		pthread_attr_init(&attr);
		pthread_attr_setaffinity_np(&attr, sizeof(set), &set);
		err = pthread_create(&s->thread, &attr, spinner_main, s);
		pthread_attr_destroy(&attr);
		if (err) {
			bench_fail("pthread_create: %s", strerror(err));
			spinners_stop();
			return -1;
		}
		n_spinners++;
		while (s->ready == 0)
			sched_yield();
		if (s->ready < 0) {
			bench_fail("spinner did not start on CPU %d", s->cpu);
			spinners_stop();
			return -1;
		}
	}
	return 0;
}

uint64_t spinners_count(void)
{
	uint64_t sum = 0;
	int i;

	for (i = 0; i < n_spinners; i++)
		sum += spinners[i].count;
	return sum;
}

void spinners_stop(void)
{
	int i;

	spin_stop = 1;
	for (i = 0; i < n_spinners; i++)
		pthread_join(spinners[i].thread, NULL);
	n_spinners = 0;
}

/* The kernel's CPU vulnerability mitigations decide much of a system call's
 * cost; list the active ones so results can be compared across kernels. */
static void print_mitigations(void)
{
	static const char dir[] = "/sys/devices/system/cpu/vulnerabilities";
	char path[512], line[256], all[1024] = "";
	struct dirent *e;
	DIR *d = opendir(dir);
	FILE *f;

	if (!d)
		return;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		if (fgets(line, sizeof(line), f) && strncmp(line, "Not affected", 12) != 0) {
			line[strcspn(line, "\n")] = 0;
			snprintf(all + strlen(all), sizeof(all) - strlen(all), "%s%s=\"%s\"",
				 all[0] ? " " : "", e->d_name, line);
		}
		fclose(f);
	}
	closedir(d);
	printf("BENCH-INFO linux mitigations: %s\n", all[0] ? all : "none needed");
}

/* ------------------------------------------------------------------ runner */

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static const struct bench *find_bench(const char *name)
{
	const struct bench *b;

	for (b = __start_bench_list; b < __stop_bench_list; b++)
		if (strcmp(b->name, name) == 0)
			return b;
	return NULL;
}

static unsigned long env_ulong(const char *name, unsigned long def, unsigned long max)
{
	const char *s = getenv(name);
	char *end;
	unsigned long v;

	if (!s || !*s)
		return def;
	v = strtoul(s, &end, 10);
	return (*end || v == 0 || v > max) ? def : v;
}

static int ran, failed;

static void run_one(const char *name, unsigned reps, double scale)
{
	const struct bench *b = find_bench(name);
	double v[MAX_REPS];
	uint64_t iters, t;
	unsigned r;

	if (!b) {
		printf("BENCH-FAIL linux.%s unknown benchmark\n", name);
		failed++;
		return;
	}
	if (online_cpus() < b->min_cpus) {
		printf("BENCH-SKIP linux.%s needs %d CPUs, %d online\n", name, b->min_cpus,
		       online_cpus());
		return;
	}
	iters = (uint64_t)(b->iters * scale);
	if (iters == 0)
		iters = 1;
	fail_msg[0] = 0;
	ran++;
	/* Warm-up: caches, translated code, first-touch faults. */
	t = b->run(iters / 10 ? iters / 10 : 1);
	for (r = 0; t != BENCH_ERROR && r < reps; r++) {
		t = b->run(iters);
		v[r] = (double)t / (double)iters;
	}
	if (t == BENCH_ERROR) {
		printf("BENCH-FAIL linux.%s %s\n", name, fail_msg[0] ? fail_msg : "error");
		failed++;
		return;
	}
	qsort(v, reps, sizeof(v[0]), cmp_double);
	printf("BENCH linux.%s %.1f %s reps=%u iters=%llu min=%.1f max=%.1f\n", name,
	       v[reps / 2], b->unit, reps, (unsigned long long)iters, v[0], v[reps - 1]);
}

int main(int argc, char **argv)
{
	const char *list = getenv("bench");
	unsigned reps = (unsigned)env_ulong("bench_reps", 5, MAX_REPS);
	double scale = 1.0;
	const char *s = getenv("bench_scale");
	struct utsname u;

	(void)argc;
	(void)argv;
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (s && *s && atof(s) > 0)
		scale = atof(s);
	if (reps % 2 == 0)
		reps++;	/* an odd count has a true median */
	if (reps > MAX_REPS)
		reps = MAX_REPS;

	count_cpus();
	uname(&u);
	printf("BENCH-INFO linux kernel=%s cpus=%d reps=%u scale=%g\n", u.release,
	       online_cpus(), reps, scale);
	print_mitigations();
	if (pin_self(0) != 0)
		printf("BENCH-INFO linux warning: could not pin /init to CPU 0 (%s)\n",
		       strerror(errno));

	if (!list || !*list || strcmp(list, "all") == 0) {
		const struct bench *b;

		for (b = __start_bench_list; b < __stop_bench_list; b++)
			run_one(b->name, reps, scale);
	} else {
		char *copy = strdup(list), *save = NULL, *name;

		for (name = strtok_r(copy, ",", &save); name; name = strtok_r(NULL, ",", &save))
			run_one(name, reps, scale);
		free(copy);
	}
	printf("BENCH-DONE linux ran=%d failed=%d\n", ran, failed);
	fflush(stdout);
	sync();
	reboot(RB_POWER_OFF);
	/* Not reached; PID 1 must not exit. */
	for (;;)
		pause();
}
