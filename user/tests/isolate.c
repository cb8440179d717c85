/*
 * /tests/isolate: per-process isolation checked from user space. Each probe
 * reads memory a process must not see, so it must die with a fault at that
 * address; surviving the read exits with ISOLATE_BROKEN.
 *   isolate PROBE   one probe in this process: pertask, percpu, selfmap,
 *                   global, image (kernel slots of include/copra/memlayout.h),
 *                   or peer (another process's user page, see isolate_peer)
 *   isolate         runs every probe in a child, checks each ended with
 *                   COPRA_EXIT_FAULT at the probed address, prints one
 *                   PASS/FAIL isolate/PROBE line each; exit 0 if all passed
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <copra/memlayout.h>
#include <copra/runtime.h>
#include <copra/sys.h>

#define ISOLATE_PEER_ADDR 0x6000000000ULL /* the holder's secret page */
#define ISOLATE_SECRET 0x5ec2e75ec2e75ec2ULL
#define ISOLATE_BROKEN 1
#define ISOLATE_ERROR 2
#define ISOLATE_WAIT_NS (10ULL * 1000 * 1000 * 1000)

struct isolate_probe {
	const char *name;
	uint64_t addr;
};

static const struct isolate_probe isolate_probes[] = {
	{ "pertask", PERTASK_KSTACK_BOTTOM },
	{ "percpu", PERCPU_DATA },
	{ "selfmap", SELFMAP_BASE },
	{ "global", GLOBAL_HEAP_BASE },
	{ "image", KERNEL_VBASE + KERNEL_PHYS_BASE },
	{ "peer", ISOLATE_PEER_ADDR },
};

#define ISOLATE_PROBES ((unsigned int)(sizeof(isolate_probes) / sizeof(isolate_probes[0])))

static int isolate_read(uint64_t addr)
{
	volatile uint64_t *p = (volatile uint64_t *)(uintptr_t)addr;
	uint64_t v;

	printf("isolate: reading 0x%llx (must fault)\n", (unsigned long long)addr);
	fflush(stdout);
	v = *p;
	printf("isolate: read 0x%llx = 0x%llx: isolation broken\n", (unsigned long long)addr,
	       (unsigned long long)v);
	return ISOLATE_BROKEN;
}

/* Child: maps a secret page at ISOLATE_PEER_ADDR, says so, waits for EPIPE. */
static int isolate_holder(void)
{
	long h = sys_mem_create(4096), ret;
	char buf[8];

	if (h < 0 || sys_mem_map((copra_handle_t)h, ISOLATE_PEER_ADDR,
				 COPRA_PROT_READ | COPRA_PROT_WRITE) != (long)ISOLATE_PEER_ADDR)
		return ISOLATE_ERROR;
	*(volatile uint64_t *)(uintptr_t)ISOLATE_PEER_ADDR = ISOLATE_SECRET;
	if (sys_channel_send(3, "ready", 5) < 0)
		return ISOLATE_ERROR;
	ret = sys_channel_recv(3, buf, sizeof(buf), ISOLATE_WAIT_NS);
	return ret == -COPRA_EPIPE ? 0 : ISOLATE_ERROR;
}

/* Spawns a holder, waits until its page exists, then reads the same address. */
static int isolate_peer(void)
{
	static const char *const argv[] = { "/tests/isolate", "holder", NULL };
	struct copra_spawn_handle pass;
	copra_handle_t ends[2];
	char buf[8];
	long proc, n;

	if (sys_channel_create(ends) < 0)
		return ISOLATE_ERROR;
	pass.parent = ends[1];
	pass.child = 3;
	proc = copra_spawn("/tests/isolate", argv, &pass, 1);
	(void)sys_close(ends[1]);
	if (proc < 0)
		return ISOLATE_ERROR;
	n = sys_channel_recv(ends[0], buf, sizeof(buf), ISOLATE_WAIT_NS);
	if (n != 5)
		return ISOLATE_ERROR;
	/* Our death closes ends[0]; the holder then exits on EPIPE. */
	return isolate_read(ISOLATE_PEER_ADDR);
}

static int isolate_one(const char *name)
{
	unsigned int i;

	if (strcmp(name, "holder") == 0)
		return isolate_holder();
	if (strcmp(name, "peer") == 0)
		return isolate_peer();
	for (i = 0; i < ISOLATE_PROBES; i++) {
		if (strcmp(name, isolate_probes[i].name) == 0)
			return isolate_read(isolate_probes[i].addr);
	}
	printf("isolate: unknown probe '%s'\n", name);
	return ISOLATE_ERROR;
}

/* Runs one probe in a child; true when it faulted at the probed address. */
static bool isolate_check(const struct isolate_probe *pr)
{
	const char *argv[] = { "/tests/isolate", pr->name, NULL };
	struct copra_exit ex;
	long proc, ret;

	proc = copra_spawn("/tests/isolate", argv, NULL, 0);
	if (proc < 0) {
		printf("FAIL isolate/%s: spawn: %s\n", pr->name, copra_strerror(proc));
		return false;
	}
	memset(&ex, 0, sizeof(ex));
	ret = sys_proc_wait((copra_handle_t)proc, ISOLATE_WAIT_NS, &ex);
	if (ret < 0)
		(void)sys_proc_kill((copra_handle_t)proc);
	(void)sys_close((copra_handle_t)proc);
	ex.reason[sizeof(ex.reason) - 1] = '\0';
	if (ret >= 0 && ex.how == COPRA_EXIT_FAULT && ex.fault_addr == pr->addr) {
		printf("PASS isolate/%s\n", pr->name);
		return true;
	}
	printf("FAIL isolate/%s: wait %s, how %u, code %d, fault at 0x%llx, want 0x%llx: %s\n",
	       pr->name, copra_strerror(ret < 0 ? ret : 0), (unsigned int)ex.how, (int)ex.code,
	       (unsigned long long)ex.fault_addr, (unsigned long long)pr->addr, ex.reason);
	return false;
}

int main(int argc, char **argv)
{
	unsigned int i, failed = 0;

	if (argc > 1)
		return isolate_one(argv[1]);
	for (i = 0; i < ISOLATE_PROBES; i++)
		failed += !isolate_check(&isolate_probes[i]);
	printf("isolate: %u passed, %u failed\n", ISOLATE_PROBES - failed, failed);
	return failed ? 1 : 0;
}
