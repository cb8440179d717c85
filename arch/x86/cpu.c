/*
 * x86 CPU setup: feature detection, the per-CPU GDT and TSS, the shared IDT,
 * and the protection bits (WP, NX, SMEP, SMAP, UMIP).
 */
#include <arch/cpu.h>
#include <arch/percpu.h>
#include <arch/trap.h>
#include <arch/x86.h>
#include <copra/percpu.h>
#include <copra/section.h>
#include <copra/string.h>
#include <platform/platform.h>

struct idt_gate {
	u16 off0;
	u16 sel;
	u8 ist;
	u8 type;
	u16 off1;
	u32 off2;
	u32 reserved;
} __attribute__((packed));
_Static_assert(sizeof(struct idt_gate) == 16, "IDT gate size");

struct desc_ptr {
	u16 limit;
	u64 base;
} __attribute__((packed));

/* One page so it can be made read-only on its own. */
static struct idt_gate idt[256] __attribute__((aligned(4096), section(".data.ro_after_init")));
extern const char trap_vectors[];

struct cpu_features cpu_features __ro_after_init;

void arch_cpu_detect(void)
{
	u32 r1[4], r7[4], rx[4], max[4];

	platform_cpuid(0, 0, max);
	platform_cpuid(1, 0, r1);
	memset(r7, 0, sizeof(r7));
	if (max[0] >= 7)
		platform_cpuid(7, 0, r7);
	platform_cpuid(0x80000001, 0, rx);
	cpu_features.x2apic = (r1[2] >> 21) & 1;
	cpu_features.tsc_deadline = (r1[2] >> 24) & 1;
	cpu_features.xsave = (r1[2] >> 26) & 1;
	cpu_features.rdrand = (r1[2] >> 30) & 1;
	cpu_features.pge = (r1[3] >> 13) & 1;
	cpu_features.fsgsbase = r7[1] & 1;
	cpu_features.smep = (r7[1] >> 7) & 1;
	cpu_features.rdseed = (r7[1] >> 18) & 1;
	cpu_features.smap = (r7[1] >> 20) & 1;
	cpu_features.umip = (r7[2] >> 2) & 1;
	cpu_features.nx = (rx[3] >> 20) & 1;
}

static void idt_set(unsigned vec, unsigned ist, unsigned dpl)
{
	u64 addr = (u64)(uintptr_t)trap_vectors + 16ULL * vec;

	idt[vec].off0 = (u16)addr;
	idt[vec].sel = GDT_KCODE;
	idt[vec].ist = (u8)ist;
	idt[vec].type = (u8)(0x8E | (dpl << 5)); /* present interrupt gate */
	idt[vec].off1 = (u16)(addr >> 16);
	idt[vec].off2 = (u32)(addr >> 32);
	idt[vec].reserved = 0;
}

static void idt_load(void)
{
	struct desc_ptr p = { sizeof(idt) - 1, (u64)(uintptr_t)idt };

	__asm__ volatile("lidt %0" : : "m"(p));
}

void arch_trap_init_early(void)
{
	unsigned v;

	for (v = 0; v < 256; v++)
		idt_set(v, 0, 0);
	idt_load();
}

void arch_trap_enable_ist(void)
{
	idt_set(VEC_DF, IST_DF, 0);
	idt_set(VEC_NMI, IST_NMI, 0);
	idt_set(VEC_MC, IST_MC, 0);
}

static u64 gdt_tss_low(u64 base, u32 limit)
{
	return (limit & 0xFFFFULL) | ((base & 0xFFFFFFULL) << 16) | (0x89ULL << 40) |
	       ((u64)((limit >> 16) & 0xF) << 48) | (((base >> 24) & 0xFFULL) << 56);
}

void arch_cpu_load_gdt_tss(const u64 ist_tops[3])
{
	struct arch_percpu *a = &this_cpu()->arch;
	u64 tss = (u64)(uintptr_t)&a->tss;
	struct desc_ptr p = { sizeof(a->gdt) - 1, (u64)(uintptr_t)a->gdt };

	memset(&a->tss, 0, sizeof(a->tss));
	a->tss.ist[IST_DF - 1] = ist_tops[0];
	a->tss.ist[IST_NMI - 1] = ist_tops[1];
	a->tss.ist[IST_MC - 1] = ist_tops[2];
	a->tss.rsp[0] = PERTASK_KSTACK_TOP;
	a->tss.iomap_base = sizeof(a->tss); /* no I/O bitmap: user port I/O faults */
	a->gdt[0] = 0;
	a->gdt[GDT_KCODE / 8] = 0x00AF9B000000FFFFULL;
	a->gdt[GDT_KDATA / 8] = 0x00CF93000000FFFFULL;
	a->gdt[GDT_UCODE32 / 8] = 0x00CFFB000000FFFFULL;
	a->gdt[GDT_UDATA / 8] = 0x00CFF3000000FFFFULL;
	a->gdt[GDT_UCODE / 8] = 0x00AFFB000000FFFFULL;
	a->gdt[GDT_TSS / 8] = gdt_tss_low(tss, sizeof(a->tss) - 1);
	a->gdt[GDT_TSS / 8 + 1] = tss >> 32;
	__asm__ volatile("lgdt %0\n\t"
			 "movw %w1, %%ds\n\t"
			 "movw %w1, %%es\n\t"
			 "movw %w1, %%ss\n\t"
			 "movw %w2, %%fs\n\t"
			 "movw %w2, %%gs\n\t"
			 "pushq %3\n\t"
			 "leaq 1f(%%rip), %%rax\n\t"
			 "pushq %%rax\n\t"
			 "lretq\n"
			 "1:\n\t"
			 "ltr %w4"
			 : : "m"(p), "r"(GDT_KDATA), "r"(0), "i"(GDT_KCODE), "r"(GDT_TSS)
			 : "rax", "memory");
	idt_load();
}

extern const char arch_syscall_entry[];

/* SYSCALL/SYSRET: selectors, entry point, flags cleared on entry, GS bases. */
static void arch_syscall_init_cpu(void)
{
	wrmsr(MSR_STAR, ((u64)GDT_UCODE32 << 48) | ((u64)GDT_KCODE << 32));
	wrmsr(MSR_LSTAR, (u64)(uintptr_t)arch_syscall_entry);
	wrmsr(MSR_FMASK, X86_RFLAGS_IF | X86_RFLAGS_TF | X86_RFLAGS_DF | X86_RFLAGS_AC |
				 BIT(14) /* NT */);
	wrmsr(MSR_GS_BASE, 0);
	wrmsr(MSR_KERNEL_GS_BASE, PERCPU_DATA);
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
}

void arch_cpu_harden(void)
{
	u64 cr4 = read_cr4();

	arch_syscall_init_cpu();
	write_cr0(read_cr0() | X86_CR0_WP | X86_CR0_NE);
	if (cpu_features.nx)
		wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_NXE);
	if (cpu_features.smep)
		cr4 |= X86_CR4_SMEP;
	if (cpu_features.smap)
		cr4 |= X86_CR4_SMAP;
	if (cpu_features.umip)
		cr4 |= X86_CR4_UMIP;
	if (cpu_features.pge)
		cr4 |= X86_CR4_PGE;
	write_cr4(cr4);
}
