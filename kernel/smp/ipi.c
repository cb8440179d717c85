/*
 * Synchronous remote function calls over IPIs. Each CPU owns a call board
 * (its current outgoing call: function, argument, outstanding count and one
 * result slot per target) and an inbox (the set of CPUs with a call for it).
 * A caller fills its board, marks itself in each target's inbox, sends the
 * IPI (one all-but-self broadcast when it targets every other CPU), runs
 * its own share, then waits, serving its own inbox meanwhile. See
 * include/copra/smp.h for the rules that keep this free of deadlocks.
 */
#include <arch/apic.h>
#include <arch/irq.h>
#include <arch/trap.h>
#include <copra/errno.h>
#include <copra/irq.h>
#include <copra/panic.h>
#include <copra/percpu.h>
#include <copra/preempt.h>
#include <copra/smp.h>
#include <copra/string.h>

#define TPR_CLASS_SYNC 13 /* while waiting: block the timer, keep IPIs (class 14) */

struct call_board {
	smp_fn fn;
	void *arg;
	u32 pending;
	u64 results[CONFIG_MAX_CPUS];
	/* A copy of the caller's argument: its stack is invisible to others. */
	u8 payload[SMP_CALL_PAYLOAD] __attribute__((aligned(16)));
} __attribute__((aligned(64)));

static struct call_board call_boards[CONFIG_MAX_CPUS];
static struct cpumask call_inbox[CONFIG_MAX_CPUS];

/* Runs every call waiting for this CPU (as interrupt context: no nested calls). */
static void ipi_serve(unsigned self)
{
	struct cpumask *in = &call_inbox[self];
	struct percpu *c = this_cpu();
	unsigned w;

	c->irq_depth++;
	for (w = 0; w < CPUMASK_WORDS; w++) {
		u64 bits;

		while ((bits = __atomic_load_n(&in->bits[w], __ATOMIC_ACQUIRE)) != 0) {
			unsigned from = w * 64 + (unsigned)__builtin_ctzll(bits);
			struct call_board *b = &call_boards[from];

			/* Test and clear: an interrupt may serve the same call first. */
			if (!(__atomic_fetch_and(&in->bits[w], ~BIT(from % 64), __ATOMIC_ACQ_REL) &
			      BIT(from % 64)))
				continue;
			b->results[self] = b->fn(b->arg);
			cpu_infos[self].ipis++;
			__atomic_fetch_sub(&b->pending, 1, __ATOMIC_RELEASE);
		}
	}
	c->irq_depth--;
}

void smp_ipi_handler(struct trap_frame *tf)
{
	(void)tf;
	ipi_serve(this_cpu()->index);
}

int smp_call_many(const struct cpumask *targets, smp_fn fn, const void *arg, size_t argsize,
		  u64 *results)
{
	struct percpu *c;
	struct call_board *b;
	unsigned self, cpu, remote = 0, others;
	bool local;

	CHECK_INVARIANT(this_cpu()->irq_depth == 0);
	if (argsize > SMP_CALL_PAYLOAD)
		return -E_TOOBIG;
	preempt_disable();
	c = this_cpu();
	self = c->index;
	b = &call_boards[self];
	local = cpumask_test(targets, self);
	for_each_cpu(cpu, targets)
		if (cpu != self && cpumask_test(&cpus_online, cpu))
			remote++;
	others = smp_cpus_online() - 1;
	b->fn = fn;
	if (argsize) {
		memcpy(b->payload, arg, argsize);
		b->arg = b->payload;
	} else {
		b->arg = (void *)(uintptr_t)arg;
	}
	__atomic_store_n(&b->pending, remote, __ATOMIC_RELEASE);
	if (remote) {
		apic_set_tpr_class(TPR_CLASS_SYNC);
		for_each_cpu(cpu, targets)
			if (cpu != self && cpumask_test(&cpus_online, cpu))
				cpumask_set(&call_inbox[cpu], self);
		if (remote == others && others > 1) {
			apic_send_ipi_all_but_self(IRQ_VEC_IPI);
		} else {
			for_each_cpu(cpu, targets)
				if (cpu != self && cpumask_test(&cpus_online, cpu))
					apic_send_ipi(cpu_infos[cpu].apic_id, IRQ_VEC_IPI);
		}
	}
	if (local)
		b->results[self] = fn(b->arg);
	while (__atomic_load_n(&b->pending, __ATOMIC_ACQUIRE) != 0) {
		ipi_serve(self);
		arch_cpu_relax();
	}
	if (remote)
		apic_set_tpr_class(0);
	if (results)
		for_each_cpu(cpu, targets)
			if (cpu == self || cpumask_test(&cpus_online, cpu))
				results[cpu] = b->results[cpu];
	preempt_enable();
	return 0;
}

int smp_call_one(unsigned cpu, smp_fn fn, const void *arg, size_t argsize, u64 *result)
{
	struct cpumask m;
	u64 r[CONFIG_MAX_CPUS];
	int ret;

	if (cpu >= CONFIG_MAX_CPUS || !cpumask_test(&cpus_online, cpu))
		return -E_INVAL;
	cpumask_clear(&m);
	cpumask_set(&m, cpu);
	ret = smp_call_many(&m, fn, arg, argsize, r);
	if (!ret && result)
		*result = r[cpu];
	return ret;
}

int smp_call_others(smp_fn fn, const void *arg, size_t argsize, u64 *results)
{
	struct cpumask m = cpus_online;

	cpumask_unset(&m, this_cpu()->index);
	return smp_call_many(&m, fn, arg, argsize, results);
}
