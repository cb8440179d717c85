/*
 * init's restart policy and back-off (policy.h). Pure: no system calls, so
 * the host test program runs it with sanitizers.
 */
#include <abi/syscall.h>

#include "policy.h"

bool init_policy_restart(enum init_restart policy, uint32_t how, int32_t code)
{
	switch (policy) {
	case INIT_RESTART_ALWAYS:
		return true;
	case INIT_RESTART_NEVER:
		return false;
	case INIT_RESTART_ON_FAILURE:
	default:
		return !(how == COPRA_EXIT_NORMAL && code == 0);
	}
}

uint64_t init_backoff_delay(struct init_backoff *b, uint64_t uptime_ns)
{
	uint64_t delay;

	if (b->next_ns == 0 || uptime_ns >= INIT_STABLE_NS)
		b->next_ns = INIT_BACKOFF_MIN_NS;
	delay = b->next_ns;
	b->next_ns = delay >= INIT_BACKOFF_MAX_NS / 2 ? INIT_BACKOFF_MAX_NS : delay * 2;
	return delay;
}

const char *init_restart_name(enum init_restart policy)
{
	switch (policy) {
	case INIT_RESTART_ALWAYS:
		return "always";
	case INIT_RESTART_NEVER:
		return "never";
	case INIT_RESTART_ON_FAILURE:
	default:
		return "on-failure";
	}
}
