/*
 * init's restart policy: whether a service that ended is started again, and
 * after how long (exponential back-off). Pure; host-tested (policy_test.c).
 */
#ifndef COPRA_INIT_POLICY_H
#define COPRA_INIT_POLICY_H

#include <stdbool.h>
#include <stdint.h>

enum init_restart {
	INIT_RESTART_ON_FAILURE = 0, /* the default: unless it exited with code 0 */
	INIT_RESTART_ALWAYS,
	INIT_RESTART_NEVER,
};

#define INIT_MS 1000000ULL
#define INIT_BACKOFF_MIN_NS (100 * INIT_MS) /* first restart delay */
#define INIT_BACKOFF_MAX_NS (5000 * INIT_MS) /* the doubling stops here */
#define INIT_STABLE_NS (10000 * INIT_MS)     /* up this long: back-off resets */

struct init_backoff {
	uint64_t next_ns; /* delay the next restart will use; 0 before the first */
};

/* Should a service with this policy be restarted after ending so? */
bool init_policy_restart(enum init_restart policy, uint32_t how, int32_t code);

/*
 * The delay before restarting a service that ran for uptime_ns; advances the
 * back-off (100 ms, 200 ms, ... capped at 5 s; back to 100 ms after a run of
 * at least 10 s).
 */
uint64_t init_backoff_delay(struct init_backoff *b, uint64_t uptime_ns);

/* "always", "on-failure", "never". */
const char *init_restart_name(enum init_restart policy);

#endif
