# Core kernel sources.
kernel-y += kernel/main.c kernel/run.c kernel/platform.c kernel/console.c kernel/uart.c \
	kernel/log.c kernel/panic.c kernel/cmdline.c kernel/time.c kernel/irq.c kernel/timer.c kernel/ksyms.c kernel/smp/smp.c kernel/smp/ipi.c \
	kernel/sched/sched.c kernel/sched/wait.c kernel/sched/task.c kernel/sched/waitq.c kernel/sched/reaper.c kernel/test.c \
	kernel/lib/fmt.c kernel/lib/string.c kernel/lib/strutil.c kernel/lib/errno.c \
	kernel/mm/pmm.c kernel/mm/heap.c kernel/mm/memmap.c kernel/mm/mm.c kernel/mm/region.c \
	kernel/mm/tmpmap.c kernel/mm/tlb.c kernel/mm/aspace.c
kernel-$(CONFIG_TESTS) += kernel/test_run.c
kernel-$(CONFIG_BENCH) += kernel/bench.c
# User processes and the objects they reach through handles (event, channel
# and memory objects: kernel/obj/build.mk).
kernel-y += kernel/obj/object.c kernel/obj/log.c kernel/obj/file.c \
	kernel/user/boot.c kernel/user/uaccess.c kernel/user/handle.c kernel/user/process.c \
	kernel/user/exec.c kernel/user/fault.c kernel/user/syscall.c kernel/user/syscall_table.c \
	kernel/user/sys_proc.c kernel/user/linux.c kernel/user/linux_fs.c kernel/user/linux_io.c \
	kernel/user/linux_chan.c kernel/user/linux_mm.c kernel/user/linux_time.c \
	kernel/user/linux_misc.c
