/*
 * Names for addresses: which part of the address map an address belongs to,
 * so fault reports say "write to kernel text" or "access to the guard page
 * below the boot stack" instead of a bare number.
 */
#include <arch/percpu.h>
#include <copra/fmt.h>
#include <copra/memlayout.h>
#include <copra/mm.h>
#include <copra/percpu.h>
#include <copra/task.h>

#include "mm_internal.h"

static const char *const region_ist_names[3] = { "#DF", "NMI", "#MC" };

static bool in(u64 a, u64 start, u64 end)
{
	return a >= start && a < end;
}

static bool region_image(u64 a, char *buf, size_t size)
{
	const char *what = NULL;

	if (in(a, (u64)(uintptr_t)__text_start, (u64)(uintptr_t)__text_end))
		what = "kernel text";
	else if (in(a, (u64)(uintptr_t)__init_text_start, (u64)(uintptr_t)__init_text_end))
		what = "boot-only kernel text";
	else if (in(a, (u64)(uintptr_t)__rodata_start, (u64)(uintptr_t)__rodata_end))
		what = "kernel read-only data";
	else if (in(a, (u64)(uintptr_t)__ro_after_init_start, (u64)(uintptr_t)__ro_after_init_end))
		what = "kernel read-only-after-init data";
	else if (in(a, (u64)(uintptr_t)__data_start, (u64)(uintptr_t)__bss_end))
		what = "kernel data";
	else if (in(a, mm_boot.stack_bottom - PAGE_SIZE, mm_boot.stack_bottom))
		what = "the guard page below the boot stack";
	else if (in(a, mm_boot.stack_bottom, mm_boot.stack_top))
		what = "the boot stack";
	if (!what)
		return false;
	fmt_snprintf(buf, size, "%s", what);
	return true;
}

static void region_percpu(u64 a, char *buf, size_t size)
{
	unsigned cpu = this_cpu()->index;
	u64 off;

	if (in(a, PERCPU_DATA, PERCPU_DATA + PERCPU_DATA_SIZE)) {
		fmt_snprintf(buf, size, "per-CPU data of cpu %u", cpu);
	} else if (in(a, PERCPU_STACKS, PERCPU_STACKS + 3 * PERCPU_STACK_STRIDE)) {
		off = (a - PERCPU_STACKS) % PERCPU_STACK_STRIDE;
		fmt_snprintf(buf, size, "%sthe %s stack of cpu %u",
			     off < PAGE_SIZE ? "the guard page below " :
			     off >= PAGE_SIZE + PERCPU_STACK_SIZE ? "the guard page above " : "",
			     region_ist_names[(a - PERCPU_STACKS) / PERCPU_STACK_STRIDE], cpu);
	} else if (in(a, PERCPU_TEMP_BASE, PERCPU_TEMP_BASE + PERCPU_TEMP_SLOTS * PAGE_SIZE)) {
		fmt_snprintf(buf, size, "temporary mapping window of cpu %u", cpu);
	} else if (in(a, PERCPU_HEAP_BASE, PERCPU_HEAP_BASE + PERCPU_HEAP_SIZE)) {
		fmt_snprintf(buf, size, "per-CPU heap of cpu %u", cpu);
	} else {
		fmt_snprintf(buf, size, "unused per-CPU address");
	}
}

static void region_pertask(u64 a, char *buf, size_t size)
{
	const struct task *t = this_cpu()->current;
	char who[48];

	if (t && !t->is_idle)
		fmt_snprintf(who, sizeof(who), "task %u (%s)", t->id, t->name);
	else
		fmt_snprintf(who, sizeof(who), "the current task");
	if (in(a, PERTASK_KSTACK_BOTTOM - PAGE_SIZE, PERTASK_KSTACK_BOTTOM))
		fmt_snprintf(buf, size, "the guard page below the kernel stack of %s", who);
	else if (in(a, PERTASK_KSTACK_BOTTOM, PERTASK_KSTACK_TOP))
		fmt_snprintf(buf, size, "the kernel stack of %s", who);
	else if (in(a, PERTASK_HEAP_BASE, PERTASK_HEAP_BASE + PERTASK_HEAP_SIZE))
		fmt_snprintf(buf, size, "the per-task heap of %s", who);
	else
		fmt_snprintf(buf, size, "unused per-task address");
}

static void region_name(u64 a, char *buf, size_t size)
{
	unsigned slot = (unsigned)((a >> 39) & 511);

	if (a < PAGE_SIZE)
		fmt_snprintf(buf, size, "the null page");
	else if (a < USER_TOP)
		fmt_snprintf(buf, size, "user memory");
	else if (a < 0xFFFF800000000000ULL)
		fmt_snprintf(buf, size, "a non-canonical address");
	else if (region_image(a, buf, size))
		return;
	else if (slot == SLOT_PERCPU)
		region_percpu(a, buf, size);
	else if (slot == SLOT_PERTASK)
		region_pertask(a, buf, size);
	else if (slot == SLOT_SELFMAP)
		fmt_snprintf(buf, size, "the page-table self-map");
	else if (slot == SLOT_FOREIGN)
		fmt_snprintf(buf, size, "the foreign page-table window");
	else if (in(a, GLOBAL_HEAP_BASE, GLOBAL_HEAP_BASE + GLOBAL_HEAP_SIZE))
		fmt_snprintf(buf, size, "the global heap");
	else if (in(a, GLOBAL_MAP_BASE, GLOBAL_MAP_BASE + GLOBAL_MAP_SIZE))
		fmt_snprintf(buf, size, "the global mapping area");
	else
		fmt_snprintf(buf, size, "an unused kernel address");
}

void mm_describe_address(u64 addr, u64 pf_error, char *buf, size_t size)
{
	char region[112];
	const char *verb;

	region_name(addr, region, sizeof(region));
	if (!(pf_error & 1))
		verb = "access to";
	else if (pf_error & (1u << 1))
		verb = "write to";
	else if (pf_error & (1u << 4))
		verb = "execution of";
	else
		verb = "read of";
	fmt_snprintf(buf, size, "%s %s", verb, region);
}
