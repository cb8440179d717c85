# x86-64 architecture sources.
kernel-y += arch/x86/entry.S arch/x86/cpu.c arch/x86/traps.c arch/x86/extable.c \
	arch/x86/backtrace.c arch/x86/pgtable.c arch/x86/pgtable_api.c arch/x86/pgtable_root.c \
	arch/x86/apic.c arch/x86/smpboot.c arch/x86/trampoline.S arch/x86/switch.S arch/x86/syscall.S \
	arch/x86/fpu.c arch/x86/ustate.c
