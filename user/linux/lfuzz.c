/*
 * /tests/lfuzz SEED N: a system-call fuzzer for the Linux personality, a
 * static glibc program. N raw calls (numbers from the implemented set and at
 * random) with arguments drawn by kind from a seeded generator: descriptors
 * near the table's ends, kernel, unmapped, wrapping and non-canonical
 * pointers, buffers that run into an unmapped page, huge lengths, junk flags
 * and paths. Calls that would end or stall the program are tamed: no exit,
 * sleeps of at most 1 ms, memory calls only on a region of its own, files
 * only under /tmp/lfz, descriptors 0-2 closed so junk never reaches the
 * console. Every result must be a Linux value (>= 0 or -1..-133). A call
 * may still kill it (a fault): the kernel test accepts that.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define LF_PAGES 4
#define LF_CONSOLE_FD 250 /* never drawn by lf_fd() */
#define LF_ERRNO_MAX 133
#define LF_NR_MAX 335

/* Argument kinds: f descriptor, b buffer, l length, s small/flags, p path, a address, t time. */
static const char *const lf_kinds[LF_NR_MAX + 1] = {
	[0] = "fbl", [1] = "fbl", [2] = "pss", [3] = "f", [4] = "pb", [5] = "fb", [6] = "pb",
	[8] = "fls", [9] = "alssfl", [10] = "als", [11] = "al", [12] = "a", [16] = "fsb",
	[20] = "fbs", [21] = "ps", [24] = "", [28] = "als", [32] = "f", [33] = "ff",
	[35] = "tt", [39] = "", [63] = "b", [72] = "fsl", [77] = "fl", [79] = "bl",
	[82] = "pp", [83] = "ps", [84] = "p", [87] = "p", [89] = "pbl", [96] = "bb",
	[97] = "sb", [102] = "", [158] = "sb", [186] = "", [201] = "b", [202] = "bssttl",
	[218] = "b", [228] = "sb", [229] = "sb", [230] = "sstt", [257] = "fpss", [258] = "fps",
	[262] = "fpbs", [263] = "fps", [264] = "fpfp", [267] = "fpbl", [269] = "fpss",
	[273] = "bl", [292] = "ffs", [302] = "ssbb", [316] = "fpfps", [318] = "bls", [334] = "blss",
};

static uint64_t lf_state;
static uint8_t *lf_scratch; /* LF_PAGES mapped pages, an unmapped one after */
static uint64_t lf_hole;   /* an unmapped page right after a readable one */
static uint64_t lf_region; /* 16 pages the memory calls may do anything to */
static const struct { long long sec, nsec; } lf_times[] = { { 0, 0 }, { 0, 1000 }, { 0, 999999 } };

static uint64_t lf_next(void)
{
	lf_state ^= lf_state >> 12;
	lf_state ^= lf_state << 25;
	lf_state ^= lf_state >> 27;
	return lf_state * 0x2545F4914F6CDD1DULL;
}

#define LF_PICK(v) ((v)[lf_next() % (sizeof(v) / sizeof((v)[0]))])

static uint64_t lf_fd(void)
{
	static const uint64_t special[] = { 0, 1, 2, 255, 256, 0xFFFFFF9C /* AT_FDCWD */,
					    (uint64_t)-100, 0x7FFFFFFF, ~0ULL };

	return (lf_next() & 3) ? 3 + lf_next() % 12 : LF_PICK(special);
}

static uint64_t lf_bad_pointer(void)
{
	static const uint64_t bad[] = { 0, 8, 0xffffffff80100000ULL, 0xfffffe0000010000ULL,
					0x0000800000000000ULL, 0xfffffffffffffff0ULL,
					0x8000000000ULL, 0x7fffffffffffULL };

	return LF_PICK(bad);
}

static uint64_t lf_buffer(void)
{
	switch (lf_next() % 4) {
	case 0:
		return lf_bad_pointer();
	case 1:
		return lf_hole - 1 - lf_next() % 64; /* runs into the hole */
	default:
		return (uint64_t)(uintptr_t)lf_scratch + lf_next() % ((LF_PAGES - 1) * 4096);
	}
}

static uint64_t lf_length(void)
{
	static const uint64_t special[] = { 0, 1, 7, 4096, 4097, 8192, 8193, 1ULL << 20,
					    1ULL << 32, 1ULL << 62, ~0ULL };

	return (lf_next() & 1) ? lf_next() % 300 : LF_PICK(special);
}

static uint64_t lf_small(void)
{
	static const uint64_t special[] = { 0, 1, 2, 3, 0x40, 0x41, 0x100, 0x200, 0x1000, 0x1002,
					    0x1003, 0x80000, 0x200000, 0xffffffff, ~0ULL };

	return (lf_next() & 1) ? lf_next() % 12 : LF_PICK(special);
}

/* Paths under /tmp/lfz, malformed ones and bad pointers; never scratch bytes. */
static uint64_t lf_path(void)
{
	static const char *const paths[] = {
		"/tmp/lfz/a", "/tmp/lfz/d", "/tmp/lfz/d/e", "/tmp/lfz/./d/../b", "//tmp//lfz//c/",
		"tmp/lfz/rel", "", "/proc/self/exe", "/tmp/lfz/a/x", "/no/such/dir/f",
		"/tmp/lfz/\001bad", "/tmp/lfz/0123456789012345678901234567890123456789012345678901234567890123",
		"/tmp/lfz/................................................................................"
		"/........................................................................................"
		"/........................................................................................"
		"/x",
	};

	return (lf_next() % 5) ? (uint64_t)(uintptr_t)LF_PICK(paths) : lf_bad_pointer();
}

/* Addresses for the memory calls: their own region, or ones that must be refused. */
static uint64_t lf_address(void)
{
	static const uint64_t bad[] = { 0, 1, 4095, 0xffffffff80100000ULL, 0x0000800000000000ULL,
					0x8000000000ULL - 4096, 0xfffffffffffff000ULL };

	if (lf_next() % 3 == 0)
		return LF_PICK(bad);
	return lf_region + (lf_next() % 20) * 4096 + ((lf_next() % 8 == 0) ? 8 : 0);
}

static uint64_t lf_time(void)
{
	return (lf_next() & 3) ? (uint64_t)(uintptr_t)&LF_PICK(lf_times) : lf_bad_pointer();
}

static uint64_t lf_arg(char kind)
{
	switch (kind) {
	case 'f': return lf_fd();
	case 'b': return lf_buffer();
	case 'l': return lf_length();
	case 'p': return lf_path();
	case 'a': return lf_address();
	case 't': return lf_time();
	default: return lf_small();
	}
}

/* false: skip the call (it would end the program or hurt it outside the rules). */
static int lf_tame(uint64_t nr, uint64_t a[6])
{
	switch (nr) {
	case 60: case 231: /* exit */
		return 0;
	case 9: /* mmap: MAP_FIXED only inside the region */
		a[3] &= ~(uint64_t)0x100010;
		return 1;
	case 12: /* brk: grow or ask, never shrink below what malloc uses */
		a[0] = (lf_next() & 1) ? 0 : (uint64_t)(uintptr_t)sbrk(0) + lf_next() % 65536;
		return 1;
	case 158: /* arch_prctl: never a new FS base that could be valid */
		return !(a[0] == 0x1002 && a[1] < 0x8000000000ULL);
	default:
		return 1;
	}
}

static long lf_syscall(uint64_t nr, const uint64_t a[6])
{
	register uint64_t r10 __asm__("r10") = a[3], r8 __asm__("r8") = a[4], r9 __asm__("r9") = a[5];
	long ret;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(nr), "D"(a[0]), "S"(a[1]), "d"(a[2]), "r"(r10), "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
	return ret;
}

/*
 * Scratch buffers in their own mapping, so long writes run into unmapped
 * memory or the calls' own mappings, never into the C library's state.
 */
static int lf_setup(void)
{
	const int rw = PROT_READ | PROT_WRITE, anon = MAP_PRIVATE | MAP_ANONYMOUS;
	uint8_t *two = mmap(NULL, 2 * 4096, PROT_READ, anon, -1, 0);
	uint8_t *scratch = mmap(NULL, (LF_PAGES + 1) * 4096, rw, anon, -1, 0);
	void *region = mmap(NULL, 16 * 4096, rw, anon, -1, 0);
	size_t i;

	if (two == MAP_FAILED || scratch == MAP_FAILED || region == MAP_FAILED ||
	    munmap(two + 4096, 4096) || munmap(scratch + LF_PAGES * 4096, 4096))
		return -1;
	lf_hole = (uint64_t)(uintptr_t)two + 4096;
	lf_scratch = scratch;
	lf_region = (uint64_t)(uintptr_t)region;
	for (i = 0; i < LF_PAGES * 4096; i++)
		lf_scratch[i] = (uint8_t)lf_next();
	if (dup2(1, LF_CONSOLE_FD) != LF_CONSOLE_FD)
		return -1;
	close(0);
	close(1);
	close(2);
	mkdir("/tmp/lfz", 0755);
	return 0;
}

int main(int argc, char **argv)
{
	uint64_t seed = argc > 1 ? strtoull(argv[1], NULL, 0) : 1, a[6], nr;
	unsigned long n = argc > 2 ? strtoul(argv[2], NULL, 0) : 10000, i, failed = 0;
	const char *kinds;
	unsigned k;

	lf_state = seed ? seed : 1;
	if (lf_setup()) {
		printf("lfuzz: setup failed\n");
		return 2;
	}
	dprintf(LF_CONSOLE_FD, "lfuzz: seed %llu, %lu calls\n", (unsigned long long)seed, n);
	for (i = 0; i < n; i++) {
		long r;

		nr = (lf_next() & 7) ? lf_next() % (LF_NR_MAX + 1) : lf_next() % 1024;
		kinds = nr <= LF_NR_MAX && lf_kinds[nr] ? lf_kinds[nr] : "ssssss";
		for (k = 0; k < 6; k++)
			a[k] = lf_arg(k < strlen(kinds) ? kinds[k] : 's');
		if (!lf_tame(nr, a))
			continue;
		r = lf_syscall(nr, a);
		failed += r < 0;
		/* Only lseek may return more than an address (offsets up to 2^63 - 1). */
		if (r < -LF_ERRNO_MAX || (r > (long)(1ULL << 47) && nr != 8)) {
			dprintf(LF_CONSOLE_FD, "lfuzz: call %lu (nr %llu) returned %ld: not a Linux value\n",
				i, (unsigned long long)nr, r);
			return 1;
		}
	}
	dprintf(LF_CONSOLE_FD, "lfuzz: seed %llu: %lu calls, %lu failed\n",
		(unsigned long long)seed, n, failed);
	return 0;
}
