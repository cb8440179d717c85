/*
 * /tests/sysfuzz SEED N: the system-call fuzzer. N calls with numbers and
 * arguments drawn from a seeded generator (the same seed replays the same
 * calls): handles near the table's ends, kernel, unmapped, wrapping and
 * non-canonical pointers, buffers that end at an unmapped page, huge
 * lengths, junk flags. Calls that would end or block this process are
 * tamed (no exit, time-outs of at most 1 ms, programs spawned only from
 * /bench/true or junk paths, files only under /tmp/fz, no junk on the
 * console). The kernel must answer every call; a call
 * that kills the fuzzer (it may unmap its own heap) ends it with a fault the
 * kernel test accepts. Prints "sysfuzz: seed S: N calls, K failed" at the end.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <copra/runtime.h>
#include <copra/sys.h>

#define FZ_SCRATCH_PAGES 4
#define FZ_TIMEOUT_MAX_NS 1000000ULL
#define FZ_OWN_END (64ULL << 30) /* program and runtime heap live below */
#define FZ_STACK_AREA 0x7f00000000ULL /* and the stack above */

static uint64_t fz_state;
/* Buffers the calls read and write. */
static uint8_t fz_scratch[FZ_SCRATCH_PAGES * 4096] __attribute__((aligned(4096)));
static uint64_t fz_hole; /* an unmapped page right after readable memory */

static uint64_t fz_next(void)
{
	/* xorshift64* */
	fz_state ^= fz_state >> 12;
	fz_state ^= fz_state << 25;
	fz_state ^= fz_state >> 27;
	return fz_state * 0x2545F4914F6CDD1DULL;
}

static uint64_t fz_pick(const uint64_t *v, unsigned n)
{
	return v[fz_next() % n];
}

static uint64_t fz_handle(void)
{
	static const uint64_t special[] = { 0, 1, 2, 3, 255, 256, 0xFFFFFFFF, 0x100000000ULL,
					    ~0ULL };

	return (fz_next() & 3) ? fz_next() % 24 : fz_pick(special, 9);
}

static uint64_t fz_pointer(void)
{
	static const uint64_t bad[] = { 0, 8, 0xffffffff80100000ULL, 0xfffffe0000010000ULL,
					0x0000800000000000ULL, 0xfffffffffffffff0ULL,
					0x7ffffffff000ULL, 0x7fffffffffffULL };

	switch (fz_next() % 4) {
	case 0:
		return fz_pick(bad, 8);
	case 1:
		return fz_hole - 1 - fz_next() % 64; /* runs into the hole */
	default:
		return (uint64_t)(uintptr_t)fz_scratch + fz_next() % (sizeof(fz_scratch) - 4096);
	}
}

static uint64_t fz_length(void)
{
	static const uint64_t special[] = { 0, 1, 7, 4096, 4097, 8192, 8193, 1ULL << 20,
					    1ULL << 32, 1ULL << 62, ~0ULL };

	return (fz_next() & 1) ? fz_next() % 300 : fz_pick(special, 11);
}

static uint64_t fz_small(void)
{
	static const uint64_t special[] = { 0, 1, 2, 3, 0x3f, 0x40, 0xffffffff, ~0ULL };

	return (fz_next() & 1) ? fz_next() % 8 : fz_pick(special, 8);
}

static uint64_t fz_timeout(void)
{
	return fz_next() % (FZ_TIMEOUT_MAX_NS + 1);
}

/* Every file call stays inside /tmp/fz (and a few invalid or refused paths). */
static const char *const fz_paths[] = { "/tmp/fz/a", "/tmp/fz/d", "/tmp/fz/d/e", "/tmp/fz/",
					"/", "//", "/tmp/../x", "/no/such", "/tmp/fz/a/b" };
static const char *const fz_programs[] = { "/bench/true", "/tmp/fz/a", "/no/such" };

#define FZ_COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* Fills one argument slot: a string path, a pointer, a length, a handle... */
static void fz_args(uint64_t nr, uint64_t a[6])
{
	unsigned i;

	for (i = 0; i < 6; i++) {
		switch (fz_next() % 4) {
		case 0:
			a[i] = fz_handle();
			break;
		case 1:
			a[i] = fz_pointer();
			break;
		case 2:
			a[i] = fz_length();
			break;
		default:
			a[i] = fz_small();
		}
	}
	/* Path calls: a real path half of the time. */
	if ((nr == SYS_open || nr == SYS_mkdir || nr == SYS_unlink || nr == SYS_proc_spawn) &&
	    (fz_next() & 1)) {
		const char *p = nr == SYS_proc_spawn ? fz_programs[fz_next() % FZ_COUNT(fz_programs)]
						     : fz_paths[fz_next() % FZ_COUNT(fz_paths)];

		a[0] = (uint64_t)(uintptr_t)p;
		a[1] = strlen(p);
	}
}

/* Keeps the call from ending or stalling the fuzzer; false: skip it. */
static int fz_tame(uint64_t nr, uint64_t a[6])
{
	switch (nr) {
	case SYS_exit:
		return 0;
	case SYS_log:
		/* Hostile pointers yes, pages of random bytes on the console no. */
		if (a[0] >= (uint64_t)(uintptr_t)fz_scratch &&
		    a[0] < (uint64_t)(uintptr_t)fz_scratch + sizeof(fz_scratch))
			a[1] = 0;
		return 1;
	case SYS_sleep:
		a[0] %= FZ_TIMEOUT_MAX_NS;
		return 1;
	case SYS_mem_unmap:
	case SYS_mem_protect:
		/* Not its own program, stack or heap: moved up to the mapping area. */
		if (a[0] >= 4096 && a[0] < FZ_OWN_END)
			a[0] += FZ_OWN_END;
		else if (a[0] >= FZ_STACK_AREA && a[0] < (1ULL << 39))
			a[0] -= FZ_OWN_END;
		return 1;
	case SYS_event_wait:
		a[1] = fz_timeout();
		return 1;
	case SYS_channel_recv:
		a[3] = fz_timeout();
		return 1;
	case SYS_proc_wait:
		a[1] = fz_timeout();
		return 1;
	case SYS_channel_call:
		/* The struct holds a time-out: point it at a tamed one. */
		if (fz_next() & 1) {
			static struct copra_call call;

			call.req = fz_scratch;
			call.req_len = fz_length();
			call.resp = fz_scratch + 4096;
			call.resp_cap = fz_length();
			call.timeout_ns = fz_timeout();
			a[1] = (uint64_t)(uintptr_t)&call;
		} else {
			a[1] = fz_pick((const uint64_t[]){ 0, 0xffffffff80100000ULL, fz_hole }, 3);
		}
		return 1;
	case SYS_proc_spawn:
		/* Only the listed programs: no path made of scratch bytes. */
		return a[0] < (uint64_t)(uintptr_t)fz_scratch ||
		       a[0] >= (uint64_t)(uintptr_t)fz_scratch + sizeof(fz_scratch) ||
		       *(const char *)(uintptr_t)a[0] != '/';
	default:
		return 1;
	}
}

int main(int argc, char **argv)
{
	uint64_t seed = argc > 1 ? strtoull(argv[1], NULL, 0) : 1;
	unsigned long n = argc > 2 ? strtoul(argv[2], NULL, 0) : 10000, i, failed = 0;
	uint64_t a[6];
	long h, m;

	fz_state = seed ? seed : 1;
	/* The hole: the second of two mapped pages, unmapped again. */
	h = sys_mem_create(2 * 4096);
	m = h < 0 ? h : sys_mem_map((copra_handle_t)h, 0, COPRA_PROT_READ);
	fz_hole = (uint64_t)m + 4096;
	if (m < 0 || sys_mem_unmap(fz_hole, 4096) < 0) {
		printf("sysfuzz: cannot set up the unmapped page\n");
		return 2;
	}
	(void)sys_close((copra_handle_t)h);
	(void)sys_close(COPRA_HANDLE_LOG); /* no console handle to write junk to */
	(void)sys_mkdir("/tmp/fz", 7);
	printf("sysfuzz: seed %llu, %lu calls\n", (unsigned long long)seed, n);
	for (i = 0; i < n; i++) {
		uint64_t nr = (fz_next() & 15) ? fz_next() % SYS_COUNT : fz_next() % 200;
		long r;

		fz_args(nr, a);
		if (!fz_tame(nr, a))
			continue;
		r = copra_syscall6((long)nr, (long)a[0], (long)a[1], (long)a[2], (long)a[3],
				   (long)a[4], (long)a[5]);
		failed += r < 0;
		if (r < -(long)COPRA_EIO || r > (long)(1ULL << 47)) {
			printf("sysfuzz: call %lu (nr %llu) returned %ld: not an ABI value\n", i,
			       (unsigned long long)nr, r);
			return 1;
		}
	}
	printf("sysfuzz: seed %llu: %lu calls, %lu failed\n", (unsigned long long)seed, n, failed);
	return 0;
}
