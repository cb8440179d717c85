/*
 * /tests/uhelper MODE ...: the child side of utest's process tests. Exits 0
 * when its check passed, a distinct non-zero code otherwise.
 *   args A B C     argv is exactly {"/tests/uhelper", "args", A, B, C}
 *   handle N TYPE  handle N exists and names an object of type TYPE
 *   signal N       signals the event in handle N
 *   wait N         waits up to 5 s for the event in handle N
 *   echo N         receives one message on channel handle N and sends it back
 *   heap MIB       mallocs and touches MIB MiB, then frees it
 *   closed N       handle N must not exist (not inherited)
 */
#include <stdlib.h>
#include <string.h>

#include <copra/sys.h>

#define HELPER_BAD_USAGE 100
#define HELPER_WAIT_NS (5ULL * 1000 * 1000 * 1000)

static copra_handle_t helper_handle(const char *s)
{
	return (copra_handle_t)strtoul(s, NULL, 0);
}

static int helper_args(int argc, char **argv)
{
	static const char *const want[] = { "/tests/uhelper", "args", "one", "", "three" };
	int i;

	if (argc != 5 || argv[5] != NULL)
		return 1;
	for (i = 0; i < 5; i++) {
		if (strcmp(argv[i], want[i]) != 0)
			return 2 + i;
	}
	return 0;
}

static int helper_echo(copra_handle_t h)
{
	static char msg[COPRA_CHANNEL_MSG_MAX];
	long n = sys_channel_recv(h, msg, sizeof(msg), HELPER_WAIT_NS);

	if (n < 0)
		return 1;
	return sys_channel_send(h, msg, (size_t)n) == 0 ? 0 : 2;
}

static int helper_heap(unsigned long mib)
{
	size_t size = (size_t)mib << 20;
	char *p = malloc(size);
	size_t i;

	if (!p)
		return 1;
	for (i = 0; i < size; i += 4096)
		p[i] = (char)i;
	for (i = 0; i < size; i += 4096) {
		if (p[i] != (char)i)
			return 2;
	}
	free(p);
	return 0;
}

static int helper_run(int argc, char **argv)
{
	struct copra_handle_info info;
	const char *mode = argv[1];

	if (strcmp(mode, "args") == 0)
		return helper_args(argc, argv);
	if (argc < 3)
		return HELPER_BAD_USAGE;
	if (strcmp(mode, "handle") == 0 && argc == 4) {
		if (sys_handle_info(helper_handle(argv[2]), &info) < 0)
			return 1;
		return info.type == strtoul(argv[3], NULL, 0) ? 0 : 2;
	}
	if (strcmp(mode, "closed") == 0)
		return sys_handle_info(helper_handle(argv[2]), &info) == -COPRA_EBADH ? 0 : 1;
	if (strcmp(mode, "signal") == 0)
		return sys_event_signal(helper_handle(argv[2])) == 0 ? 0 : 1;
	if (strcmp(mode, "wait") == 0)
		return sys_event_wait(helper_handle(argv[2]), HELPER_WAIT_NS) == 0 ? 0 : 1;
	if (strcmp(mode, "echo") == 0)
		return helper_echo(helper_handle(argv[2]));
	if (strcmp(mode, "heap") == 0)
		return helper_heap(strtoul(argv[2], NULL, 0));
	return HELPER_BAD_USAGE;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return HELPER_BAD_USAGE;
	return helper_run(argc, argv);
}
