/*
 * Shared constants and helpers of /tests/utest, the user-mode system-call
 * suite (one file per area: basic, files, events, channels, memory, procs,
 * hostile, limits).
 */
#ifndef COPRA_UTEST_LOCAL_H
#define COPRA_UTEST_LOCAL_H

#include <copra/runtime.h>
#include <copra/sys.h>
#include <copra/utest.h>

/* Pointers no call may accept. */
#define UT_KERNEL_PTR 0xffffffff80100000ULL  /* the kernel image */
#define UT_UNMAPPED_PTR 0x7000000000ULL      /* user space, never mapped here */
#define UT_WRAP_PTR 0xfffffffffffffff0ULL    /* + 0x20 wraps past zero */
#define UT_NONCANON_PTR 0x0000800000000000ULL
#define UT_HUGE_LEN (1ULL << 62)

#define UT_MS 1000000ULL
#define UT_SEC (1000 * UT_MS)
#define UT_CHILD_TIMEOUT (20 * UT_SEC)

#define UT_DIR "/tmp"
#define UT_HELPER "/tests/uhelper"
#define UT_CRASH "/tests/crash"

#define UT_PTR(x) ((void *)(uintptr_t)(x))

/*
 * Spawns argv[0] with argv and the given handles, waits for it (killing it
 * after UT_CHILD_TIMEOUT) and fills *ex. Returns its pid, or -COPRA_E*.
 */
long ut_run(const char *const argv[], const struct copra_spawn_handle *hs, uint32_t n,
	    struct copra_exit *ex);

/* ut_run with no handles; true when it exited normally with code 0. */
bool ut_run_ok(const char *const argv[]);

/* Opens UT_DIR/name (a NUL-terminated name) with flags. */
long ut_open(const char *name, uint32_t flags);

/* Unlinks UT_DIR/name; returns the call's result. */
long ut_unlink(const char *name);

/* Number of handles this process has open (probes 0..COPRA_HANDLES_MAX-1). */
unsigned int ut_handle_count(void);

#endif
