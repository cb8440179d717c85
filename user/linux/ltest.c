/*
 * /tests/ltest: a static glibc program (no Copra note) that checks the Linux
 * personality through the C library: stdio on the console, files, rename,
 * unlink, stat, the heap (brk and mmap), mprotect, clocks, getrandom, ids,
 * uname, TLS and futexes. One line per check, "PASS name" or
 * "FAIL name: why"; exit status 0 only if every check passed.
 * "ltest exit N" just exits with status N.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/utsname.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#define LT_DIR "/tmp/lt"
#define LT_ARCH_GET_FS 0x1003

static char lt_why[200];
static __thread int lt_tls_counter = 42;
static __thread char lt_tls_big[64] = "initial tls image";

/* Records why a check failed; returns the message for the check to return. */
static const char *lt_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static const char *lt_fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(lt_why, sizeof(lt_why), fmt, ap);
	va_end(ap);
	return lt_why;
}

#define LT_REQUIRE(cond)                                                                    \
	do {                                                                                \
		if (!(cond))                                                                \
			return lt_fail("line %d: %s (errno %d %s)", __LINE__, #cond, errno, \
				       strerror(errno));                                    \
	} while (0)

static const char *lt_console(void)
{
	static const char out[] = "ltest: a line on stdout through write(1)\n";
	static const char err[] = "ltest: a line on stderr through write(2)\n";
	struct iovec iov[2] = { { "ltest: writev ", 14 }, { "in two pieces\n", 14 } };
	char c;

	LT_REQUIRE(write(1, out, sizeof(out) - 1) == (ssize_t)sizeof(out) - 1);
	LT_REQUIRE(write(2, err, sizeof(err) - 1) == (ssize_t)sizeof(err) - 1);
	LT_REQUIRE(writev(1, iov, 2) == 28);
	LT_REQUIRE(fprintf(stderr, "ltest: fprintf to stderr %d\n", 7) > 0);
	errno = 0;
	LT_REQUIRE(read(0, &c, 1) == -1 && errno == EBADF);
	LT_REQUIRE(isatty(1) == 0);
	errno = 0;
	LT_REQUIRE(write(77, out, 1) == -1 && errno == EBADF);
	return NULL;
}

static const char *lt_ids(void)
{
	struct utsname u;

	LT_REQUIRE(getpid() > 0);
	LT_REQUIRE(syscall(SYS_gettid) == getpid());
	LT_REQUIRE(getuid() == 0 && geteuid() == 0 && getgid() == 0 && getegid() == 0);
	LT_REQUIRE(uname(&u) == 0);
	LT_REQUIRE(strcmp(u.sysname, "Linux") == 0 && strcmp(u.machine, "x86_64") == 0);
	errno = 0;
	LT_REQUIRE(syscall(400) == -1 && errno == ENOSYS);
	return NULL;
}

static void lt_tls_touch(int depth)
{
	lt_tls_counter++;
	if (depth % 1000 == 0)
		sched_yield(); /* a switch must keep the FS base */
}

static const char *lt_tls(void)
{
	unsigned long fs = 0;
	int i;

	LT_REQUIRE(lt_tls_counter == 42);
	LT_REQUIRE(strcmp(lt_tls_big, "initial tls image") == 0);
	LT_REQUIRE(syscall(SYS_arch_prctl, LT_ARCH_GET_FS, &fs) == 0 && fs != 0);
	LT_REQUIRE((uintptr_t)&lt_tls_counter < fs); /* variant II: TLS below the TCB */
	for (i = 1; i <= 20000; i++)
		lt_tls_touch(i);
	LT_REQUIRE(lt_tls_counter == 20042);
	errno = 0;
	LT_REQUIRE(syscall(SYS_arch_prctl, 0x1002, 1UL << 63) == -1 && errno == EPERM);
	return NULL;
}

static long long lt_ns(clockid_t clk)
{
	struct timespec ts;

	if (clock_gettime(clk, &ts))
		return -1;
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static const char *lt_clocks(void)
{
	struct timespec ts = { 0, 10 * 1000 * 1000 };
	long long t0 = lt_ns(CLOCK_MONOTONIC), t1, c0, c1;
	volatile unsigned long spin = 0;

	LT_REQUIRE(t0 > 0 && lt_ns(CLOCK_REALTIME) > 0 && lt_ns(CLOCK_BOOTTIME) > 0);
	LT_REQUIRE(nanosleep(&ts, NULL) == 0);
	t1 = lt_ns(CLOCK_MONOTONIC);
	LT_REQUIRE(t1 - t0 >= 10 * 1000 * 1000);
	c0 = lt_ns(CLOCK_PROCESS_CPUTIME_ID);
	while (spin < 2000000)
		spin++;
	c1 = lt_ns(CLOCK_PROCESS_CPUTIME_ID);
	LT_REQUIRE(c0 >= 0 && c1 > c0);
	LT_REQUIRE(c1 - c0 <= lt_ns(CLOCK_MONOTONIC) - t0);
	errno = 0;
	LT_REQUIRE(clock_gettime((clockid_t)100, &ts) == -1 && errno == EINVAL);
	LT_REQUIRE(time(NULL) >= 0);
	return NULL;
}

static const char *lt_random(void)
{
	unsigned char a[48], b[48], zero[48] = { 0 };

	LT_REQUIRE(getrandom(a, sizeof(a), 0) == (ssize_t)sizeof(a));
	LT_REQUIRE(getrandom(b, sizeof(b), GRND_NONBLOCK) == (ssize_t)sizeof(b));
	LT_REQUIRE(memcmp(a, zero, sizeof(a)) != 0 && memcmp(a, b, sizeof(a)) != 0);
	errno = 0;
	LT_REQUIRE(getrandom(a, sizeof(a), 0x100) == -1 && errno == EINVAL);
	errno = 0;
	LT_REQUIRE(syscall(SYS_getrandom, 8UL, 16UL, 0) == -1 && errno == EFAULT);
	return NULL;
}

/* Writes n pattern bytes (seeded) to path with stdio, in uneven pieces. */
static int lt_write_file(const char *path, const char *mode, size_t n, int seed)
{
	static unsigned char buf[20000];
	FILE *f = fopen(path, mode);
	size_t i, done = 0, step;

	if (!f || n > sizeof(buf))
		return -1;
	for (i = 0; i < n; i++)
		buf[i] = (unsigned char)((i * 7 + (size_t)seed) & 0xFF);
	for (step = 1; done < n; step = step * 3 + 1) {
		size_t k = step < n - done ? step : n - done;

		if (fwrite(buf + done, 1, k, f) != k)
			break;
		done += k;
	}
	return fclose(f) == 0 && done == n ? 0 : -1;
}

static int lt_check_file(const char *path, size_t n, int seed)
{
	static unsigned char buf[20000];
	FILE *f = fopen(path, "r");
	size_t got, i;

	if (!f)
		return -1;
	got = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	if (got != n)
		return -1;
	for (i = 0; i < n; i++)
		if (buf[i] != (unsigned char)((i * 7 + (size_t)seed) & 0xFF))
			return -1;
	return 0;
}

static const char *lt_files(void)
{
	struct stat st, st2;
	int fd;

	LT_REQUIRE(mkdir(LT_DIR, 0755) == 0 || errno == EEXIST);
	LT_REQUIRE(lt_write_file(LT_DIR "/a", "w", 10000, 1) == 0);
	LT_REQUIRE(stat(LT_DIR "/a", &st) == 0 && S_ISREG(st.st_mode) && st.st_size == 10000);
	LT_REQUIRE(lt_check_file(LT_DIR "/a", 10000, 1) == 0);
	LT_REQUIRE(lt_write_file(LT_DIR "/a", "a", 5, 3) == 0); /* O_APPEND */
	LT_REQUIRE(stat(LT_DIR "/a", &st) == 0 && st.st_size == 10005);
	fd = open(LT_DIR "/a", O_RDWR);
	LT_REQUIRE(fd >= 3);
	LT_REQUIRE(fstat(fd, &st2) == 0 && st2.st_ino == st.st_ino && st2.st_size == 10005);
	LT_REQUIRE(fstatat(fd, "", &st2, AT_EMPTY_PATH) == 0 && st2.st_ino == st.st_ino);
	LT_REQUIRE(lseek(fd, 0, SEEK_END) == 10005 && lseek(fd, 100, SEEK_SET) == 100);
	LT_REQUIRE(ftruncate(fd, 10000) == 0 && fstat(fd, &st2) == 0 && st2.st_size == 10000);
	LT_REQUIRE(close(fd) == 0 && close(fd) == -1 && errno == EBADF);
	errno = 0;
	LT_REQUIRE(open(LT_DIR "/a", O_CREAT | O_EXCL | O_WRONLY, 0600) == -1 && errno == EEXIST);
	errno = 0;
	LT_REQUIRE(open(LT_DIR "/missing", O_RDONLY) == -1 && errno == ENOENT);
	errno = 0;
	LT_REQUIRE(open(LT_DIR, O_WRONLY) == -1 && errno == EISDIR);
	errno = 0;
	LT_REQUIRE(open(LT_DIR "/a", O_RDONLY | O_DIRECTORY) == -1 && errno == ENOTDIR);
	fd = open(LT_DIR "/./../lt//", O_RDONLY | O_DIRECTORY);
	LT_REQUIRE(fd >= 0 && fstat(fd, &st2) == 0 && S_ISDIR(st2.st_mode) && close(fd) == 0);
	fd = open(LT_DIR "/a", O_WRONLY | O_TRUNC | O_NOFOLLOW | O_CLOEXEC);
	LT_REQUIRE(fd >= 0 && fstat(fd, &st2) == 0 && st2.st_size == 0 && close(fd) == 0);
	LT_REQUIRE(access(LT_DIR "/a", R_OK | W_OK) == 0);
	LT_REQUIRE(fcntl(1, F_GETFD) == 0 && (fd = dup(1)) >= 3 && write(fd, "", 0) == 0);
	LT_REQUIRE(close(fd) == 0);
	return NULL;
}

static const char *lt_rename_unlink(void)
{
	char buf[64];
	struct stat st;

	LT_REQUIRE(lt_write_file(LT_DIR "/state", "w", 3000, 5) == 0);
	LT_REQUIRE(lt_write_file(LT_DIR "/state.tmp", "w", 4000, 9) == 0);
	LT_REQUIRE(rename(LT_DIR "/state.tmp", LT_DIR "/state") == 0);
	LT_REQUIRE(lt_check_file(LT_DIR "/state", 4000, 9) == 0);
	errno = 0;
	LT_REQUIRE(stat(LT_DIR "/state.tmp", &st) == -1 && errno == ENOENT);
	errno = 0;
	LT_REQUIRE(rename(LT_DIR "/nothing", LT_DIR "/x") == -1 && errno == ENOENT);
	LT_REQUIRE(renameat(AT_FDCWD, LT_DIR "/state", AT_FDCWD, "tmp/lt/moved") == 0);
	LT_REQUIRE(stat("/tmp/lt/moved", &st) == 0 && st.st_size == 4000);
	LT_REQUIRE(mkdir(LT_DIR "/sub", 0700) == 0);
	errno = 0;
	LT_REQUIRE(rename(LT_DIR "/moved", LT_DIR "/sub") == -1 && errno == EISDIR);
	errno = 0;
	LT_REQUIRE(unlink(LT_DIR "/sub") == -1 && errno == EISDIR);
	LT_REQUIRE(rename(LT_DIR "/moved", LT_DIR "/sub/f") == 0);
	errno = 0;
	LT_REQUIRE(rmdir(LT_DIR "/sub") == -1 && errno == ENOTEMPTY);
	LT_REQUIRE(unlink(LT_DIR "/sub/f") == 0 && rmdir(LT_DIR "/sub") == 0);
	LT_REQUIRE(unlink(LT_DIR "/a") == 0);
	errno = 0;
	LT_REQUIRE(unlink(LT_DIR "/a") == -1 && errno == ENOENT);
	LT_REQUIRE(rmdir(LT_DIR) == 0);
	errno = 0;
	LT_REQUIRE(readlink("/proc/self/exe", buf, sizeof(buf)) == -1 && errno == ENOENT);
	LT_REQUIRE(getcwd(buf, sizeof(buf)) && strcmp(buf, "/") == 0);
	return NULL;
}

static const char *lt_heap(void)
{
	void *small[4000];
	char *big, *bigger, *brk0 = sbrk(0), *brk1;
	int i;

	for (i = 0; i < 4000; i++) {
		small[i] = malloc(100 + (size_t)i % 50);
		LT_REQUIRE(small[i] != NULL);
		memset(small[i], i & 0xFF, 100);
	}
	brk1 = sbrk(0);
	LT_REQUIRE(brk1 > brk0 + 300000); /* small blocks come from the break */
	for (i = 0; i < 4000; i++)
		LT_REQUIRE(((unsigned char *)small[i])[99] == (i & 0xFF));
	for (i = 0; i < 4000; i++)
		free(small[i]);
	big = malloc(8 << 20); /* above the mmap threshold */
	bigger = malloc(32 << 20);
	LT_REQUIRE(big && bigger && (big < brk0 || big > brk1 + (64 << 20)));
	memset(big, 0x5A, 8 << 20);
	memset(bigger, 0xA5, 32 << 20);
	LT_REQUIRE(big[(8 << 20) - 1] == 0x5A && bigger[12345678] == (char)0xA5);
	free(big);
	free(bigger);
	errno = 0;
	LT_REQUIRE(malloc((size_t)1 << 40) == NULL && errno == ENOMEM);
	return NULL;
}

static const char *lt_mmap(void)
{
	long pg = sysconf(_SC_PAGESIZE);
	char *p = mmap(NULL, 3 * (size_t)pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1,
		       0);
	struct rlimit rl;

	LT_REQUIRE(pg == 4096 && p != MAP_FAILED && p[0] == 0 && p[3 * pg - 1] == 0);
	p[pg] = 'x';
	LT_REQUIRE(mprotect(p + pg, (size_t)pg, PROT_READ) == 0 && p[pg] == 'x');
	LT_REQUIRE(mprotect(p + pg, (size_t)pg, PROT_READ | PROT_WRITE) == 0);
	p[pg] = 'y';
	errno = 0;
	LT_REQUIRE(mprotect(p, (size_t)pg, PROT_WRITE | PROT_EXEC) == -1 && errno == EACCES);
	LT_REQUIRE(munmap(p + pg, (size_t)pg) == 0);
	errno = 0;
	LT_REQUIRE(mprotect(p, 3 * (size_t)pg, PROT_READ) == -1 && errno == ENOMEM);
	LT_REQUIRE(munmap(p, 3 * (size_t)pg) == 0);
	errno = 0;
	LT_REQUIRE(munmap(p + 1, 10) == -1 && errno == EINVAL);
	errno = 0;
	LT_REQUIRE(mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, 0, 0) == MAP_FAILED && errno == ENODEV);
	LT_REQUIRE(getrlimit(RLIMIT_STACK, &rl) == 0 && rl.rlim_cur == 8 << 20);
	rl.rlim_cur = 1 << 20;
	errno = 0;
	LT_REQUIRE(setrlimit(RLIMIT_STACK, &rl) == -1 && errno == EPERM);
	return NULL;
}

/* Uses about depth * 64 KiB of stack (beyond the native 1 MiB). */
static int lt_deep(int depth)
{
	volatile char frame[65536];

	frame[0] = (char)depth;
	frame[sizeof(frame) - 1] = (char)depth;
	if (depth == 0)
		return frame[0];
	return lt_deep(depth - 1) + frame[sizeof(frame) - 1] - (char)depth;
}

static const char *lt_stack_futex(void)
{
	struct timespec ts = { 0, 5 * 1000 * 1000 };
	int word = 1;

	LT_REQUIRE(lt_deep(64) == 0);
	LT_REQUIRE(syscall(SYS_futex, &word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0) == 0);
	errno = 0;
	LT_REQUIRE(syscall(SYS_futex, &word, FUTEX_WAIT_PRIVATE, 2, NULL, NULL, 0) == -1 &&
		   errno == EAGAIN);
	errno = 0;
	LT_REQUIRE(syscall(SYS_futex, &word, FUTEX_WAIT_PRIVATE, 1, &ts, NULL, 0) == -1 &&
		   errno == ETIMEDOUT);
	return NULL;
}

static const char *lt_misc(void)
{
	char path[300], buf[8];
	struct timeval tv;
	struct stat st;
	int word = 3, fd;

	errno = 0; /* one thread: a wait nobody can end fails at once */
	LT_REQUIRE(syscall(SYS_futex, &word, FUTEX_WAIT_PRIVATE, 3, NULL, NULL, 0) == -1 &&
		   errno == EDEADLK);
	memset(path, 'a', sizeof(path) - 1);
	path[0] = '/';
	path[sizeof(path) - 1] = '\0';
	errno = 0;
	LT_REQUIRE(stat(path, &st) == -1 && errno == ENAMETOOLONG);
	path[70] = '\0'; /* one 69-byte component */
	errno = 0;
	LT_REQUIRE(open(path, O_RDONLY) == -1 && errno == ENAMETOOLONG);
	errno = 0;
	LT_REQUIRE(readlink("/tests/ltest", buf, sizeof(buf)) == -1 && errno == EINVAL);
	LT_REQUIRE(gettimeofday(&tv, NULL) == 0 && tv.tv_usec >= 0 && tv.tv_usec < 1000000);
	LT_REQUIRE(dup2(1, 10) == 10 && write(10, "ltest: via dup2\n", 16) == 16);
	errno = 0;
	LT_REQUIRE(dup3(10, 10, 0) == -1 && errno == EINVAL && close(10) == 0);
	fd = open("/tmp/ltest-append", O_CREAT | O_RDWR | O_TRUNC, 0600);
	LT_REQUIRE(fd >= 0 && write(fd, "abc", 3) == 3 && lseek(fd, 0, SEEK_SET) == 0);
	LT_REQUIRE(fcntl(fd, F_SETFL, O_APPEND) == 0 && (fcntl(fd, F_GETFL) & O_APPEND));
	LT_REQUIRE(write(fd, "de", 2) == 2 && lseek(fd, 0, SEEK_CUR) == 5);
	LT_REQUIRE(close(fd) == 0 && unlink("/tmp/ltest-append") == 0);
	return NULL;
}

static const struct {
	const char *name;
	const char *(*fn)(void);
} lt_checks[] = {
	{ "console", lt_console },     { "ids", lt_ids },         { "tls", lt_tls },
	{ "clocks", lt_clocks },       { "random", lt_random },   { "files", lt_files },
	{ "rename_unlink", lt_rename_unlink }, { "heap", lt_heap }, { "mmap", lt_mmap },
	{ "stack_futex", lt_stack_futex }, { "misc", lt_misc },
};

int main(int argc, char **argv)
{
	unsigned i, failed = 0;

	if (argc == 3 && strcmp(argv[1], "exit") == 0)
		return atoi(argv[2]);
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (i = 0; i < sizeof(lt_checks) / sizeof(lt_checks[0]); i++) {
		const char *why = lt_checks[i].fn();

		if (why) {
			printf("FAIL %s: %s\n", lt_checks[i].name, why);
			failed++;
		} else {
			printf("PASS %s\n", lt_checks[i].name);
		}
	}
	printf("ltest: %u passed, %u failed\n", i - failed, failed);
	return failed ? 1 : 0;
}
