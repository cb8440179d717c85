/* Host tests of init's restart policy and back-off (policy.c). */
#include <abi/syscall.h>
#include <copra/test.h>

#include "policy.h"

TEST(initpolicy, restart_decision)
{
	CHECK(t, init_policy_restart(INIT_RESTART_ALWAYS, COPRA_EXIT_NORMAL, 0));
	CHECK(t, !init_policy_restart(INIT_RESTART_NEVER, COPRA_EXIT_FAULT, 0));
	CHECK(t, !init_policy_restart(INIT_RESTART_ON_FAILURE, COPRA_EXIT_NORMAL, 0));
	CHECK(t, init_policy_restart(INIT_RESTART_ON_FAILURE, COPRA_EXIT_NORMAL, 1));
	CHECK(t, init_policy_restart(INIT_RESTART_ON_FAILURE, COPRA_EXIT_NORMAL, -1));
	CHECK(t, init_policy_restart(INIT_RESTART_ON_FAILURE, COPRA_EXIT_FAULT, 0));
	CHECK(t, init_policy_restart(INIT_RESTART_ON_FAILURE, COPRA_EXIT_KILLED, 0));
}

TEST(initpolicy, backoff_doubles_to_cap)
{
	static const unsigned int want_ms[] = { 100, 200, 400, 800, 1600, 3200, 5000, 5000 };
	struct init_backoff b = { 0 };
	unsigned int i;

	for (i = 0; i < sizeof(want_ms) / sizeof(want_ms[0]); i++)
		CHECK_EQ(t, init_backoff_delay(&b, 1 * INIT_MS), want_ms[i] * INIT_MS);
}

TEST(initpolicy, backoff_resets_after_stable_run)
{
	struct init_backoff b = { 0 };

	CHECK_EQ(t, init_backoff_delay(&b, 0), INIT_BACKOFF_MIN_NS);
	CHECK_EQ(t, init_backoff_delay(&b, INIT_STABLE_NS - 1), 2 * INIT_BACKOFF_MIN_NS);
	CHECK_EQ(t, init_backoff_delay(&b, INIT_STABLE_NS), INIT_BACKOFF_MIN_NS);
	CHECK_EQ(t, init_backoff_delay(&b, UINT64_MAX), INIT_BACKOFF_MIN_NS);
	CHECK_EQ(t, init_backoff_delay(&b, 0), 2 * INIT_BACKOFF_MIN_NS);
}

TEST(initpolicy, names)
{
	CHECK(t, init_restart_name(INIT_RESTART_ALWAYS)[0] == 'a');
	CHECK(t, init_restart_name(INIT_RESTART_ON_FAILURE)[0] == 'o');
	CHECK(t, init_restart_name(INIT_RESTART_NEVER)[0] == 'n');
}
