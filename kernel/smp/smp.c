/*
 * CPU discovery and AP bring-up. The CPU list comes from the loader's MADT
 * (validated; sparse APIC IDs are fine); the boot CPU is index 0 and the
 * others get dense indices in table order. Each AP is started alone: the
 * boot CPU builds its first address space (per-CPU slot with data page, IST
 * stacks and temporary window; per-task slot with a stack), installs the
 * trampoline and asks the platform to start it, then waits until it is
 * online.
 */
#include <abi/boot.h>
#include <arch/apic.h>
#include <arch/cpu.h>
#include <arch/fpu.h>
#include <arch/irq.h>
#include <arch/smpboot.h>
#include <copra/aspace.h>
#include <copra/errno.h>
#include <copra/heap.h>
#include <copra/irq.h>
#include <copra/log.h>
#include <copra/madt.h>
#include <copra/memlayout.h>
#include <copra/mm.h>
#include <copra/panic.h>
#include <copra/percpu.h>
#include <copra/section.h>
#include <copra/smp.h>
#include <copra/string.h>
#include <copra/task.h>
#include <copra/time.h>
#include <copra/tmpmap.h>
#include <platform/platform.h>

#define SMP_TIMER_HZ 100
#define SMP_AP_TIMEOUT_US 3000000ULL

struct cpu_info cpu_infos[CONFIG_MAX_CPUS];
struct cpumask cpus_online;
unsigned cpu_count __ro_after_init = 1;

static volatile unsigned smp_booting_cpu;
static spa_t smp_boot_root __ro_after_init;

unsigned smp_cpus_online(void)
{
	return cpumask_weight(&cpus_online);
}

void smp_cpu_online(unsigned cpu)
{
	cpumask_set(&cpus_online, cpu);
	__atomic_store_n(&cpu_infos[cpu].online, true, __ATOMIC_RELEASE);
	this_cpu()->online = true;
}

/* Copies a parameter page (untrusted contents) out of guest memory. */
static __init void smp_read_param(u64 gpa, u32 size, void *out)
{
	struct tmpmap m;

	memcpy(out, tmpmap_map(spa_init(gpa), &m), size);
	tmpmap_unmap(&m);
}

/* Fills ids[] with the MADT's APIC IDs, the boot CPU first; returns the count. */
static __init unsigned smp_read_cpus(const struct bootinfo *bi, u32 bsp_id, u32 *ids)
{
	static u8 madt[PAGE_SIZE];
	u32 size = bi->param_madt_size, general[2];
	unsigned n = 0, i, k = 1;
	const char *why = "";

	ids[0] = bsp_id;
	if (!IS_ALIGNED(bi->param_madt_gpa, PAGE_SIZE) || size == 0 || size > PAGE_SIZE) {
		log_warn("smp: no MADT parameter; running on the boot CPU only");
		return 1;
	}
	smp_read_param(bi->param_madt_gpa, size, madt);
	if (madt_parse(madt, size, ids + 1, CONFIG_MAX_CPUS - 1, &n, &why)) {
		log_warn("smp: MADT rejected (%s); running on the boot CPU only", why);
		return 1;
	}
	if (IS_ALIGNED(bi->param_general_gpa, PAGE_SIZE)) {
		smp_read_param(bi->param_general_gpa, sizeof(general), general);
		if (general[0] != n)
			log_warn("smp: loader says %u vCPUs, MADT lists %u", general[0], n);
	}
	if (n > CONFIG_MAX_CPUS)
		log_warn("smp: %u CPUs listed, %u supported; the rest stay parked", n,
			 CONFIG_MAX_CPUS);
	/* Drop the boot CPU's own entry from the list of APs. */
	for (i = 0; i < n && i < CONFIG_MAX_CPUS - 1; i++)
		if (ids[1 + i] != bsp_id)
			ids[k++] = ids[1 + i];
	return k;
}

static __init int smp_start_ap(unsigned idx, u32 apic_id)
{
	struct aspace *as = kzalloc(sizeof(*as));
	u64 entry, deadline;
	int ret;

	if (!as)
		return -E_NOMEM;
	ret = aspace_create_cpu(as, idx, &entry);
	if (ret) {
		kfree(as);
		return ret;
	}
	cpu_infos[idx].apic_id = apic_id;
	cpu_infos[idx].percpu_slot_entry = entry;
	cpu_infos[idx].boot_space = as;
	smp_booting_cpu = idx;
	arch_ap_trampoline_prepare(spa_init(TRAMPOLINE_PHYS), smp_boot_root, as->root,
				   PERTASK_KSTACK_TOP);
	ret = platform_start_cpu(apic_id, spa_init(TRAMPOLINE_PHYS));
	if (ret)
		return ret;
	deadline = time_ns() + SMP_AP_TIMEOUT_US * 1000;
	while (!__atomic_load_n(&cpu_infos[idx].online, __ATOMIC_ACQUIRE))
		if (time_ns() > deadline)
			return -E_TIMEDOUT;
	return 0;
}

__init unsigned smp_init(const struct bootinfo *bi)
{
	static u32 ids[CONFIG_MAX_CPUS];
	struct percpu *c = this_cpu();
	unsigned i, n;

	smp_boot_root = spa_init(bi->pml4_phys);
	c->apic_id = apic_init_cpu();
	cpu_infos[0].apic_id = c->apic_id;
	cpu_infos[0].percpu_slot_entry = c->percpu_slot_entry;
	smp_cpu_online(0);
	apic_timer_calibrate();
	apic_timer_start(SMP_TIMER_HZ, IRQ_VEC_TIMER);
	n = smp_read_cpus(bi, c->apic_id, ids);
	cpu_count = n;
	for (i = 1; i < n; i++) {
		int ret = smp_start_ap(i, ids[i]);

		if (ret)
			log_err("smp: cpu %u (APIC ID %u) did not start: %s", i, ids[i],
				err_name(ret));
	}
	log_info("smp: %u of %u CPUs online", smp_cpus_online(), n);
	return smp_cpus_online();
}

static void smp_work_entry(void *p)
{
	struct cpu_info *ci = p;

	ci->work_result = ci->work_fn(ci->work_arg);
}

int smp_work_start(unsigned cpu, smp_fn fn, void *arg)
{
	struct cpu_info *ci = &cpu_infos[cpu];
	struct cpumask only;

	if (cpu >= CONFIG_MAX_CPUS || !ci->online || ci->work_task)
		return -E_BUSY;
	ci->work_fn = fn;
	ci->work_arg = arg;
	cpumask_clear(&only);
	cpumask_set(&only, cpu);
	ci->work_task = task_create_kernel("work", smp_work_entry, ci, &only);
	return ci->work_task ? 0 : -E_NOMEM;
}

u64 smp_work_wait(unsigned cpu)
{
	struct cpu_info *ci = &cpu_infos[cpu];
	struct task *t = ci->work_task;

	if (!t)
		return ~0ULL;
	task_join(t);
	task_put(t);
	ci->work_task = NULL;
	return ci->work_result;
}

/* First C code on an AP, on its own stack in its own address space. */
__noreturn void smp_ap_main(void);
__noreturn void smp_ap_main(void)
{
	struct percpu *c = this_cpu();
	unsigned idx = smp_booting_cpu;

	c->self = c;
	c->index = idx;
	c->percpu_slot_entry = cpu_infos[idx].percpu_slot_entry;
	c->aspace = cpu_infos[idx].boot_space;
	cpumask_set(&c->aspace->active, idx);
	if (mm_percpu_activate())
		panic("cpu %u: per-CPU heap setup failed", idx);
	arch_cpu_harden();
	c->apic_id = apic_init_cpu();
	apic_timer_start(SMP_TIMER_HZ, IRQ_VEC_TIMER);
	arch_fpu_init_cpu();
	sched_init_cpu();
	log_info("cpu %u online (APIC ID %u)", idx, c->apic_id);
	smp_cpu_online(idx);
	arch_irq_enable();
	sched_idle_loop();
}
