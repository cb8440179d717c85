/* The register frame every interrupt, exception and system call entry saves. */
#ifndef ARCH_TRAP_H
#define ARCH_TRAP_H

#include <copra/types.h>

struct trap_frame {
	u64 r15, r14, r13, r12, r11, r10, r9, r8;
	u64 rbp, rdi, rsi, rdx, rcx, rbx, rax;
	u64 vector, error;
	/* Pushed by the CPU. */
	u64 rip, cs, rflags, rsp, ss;
};

_Static_assert(sizeof(struct trap_frame) == 22 * 8, "trap frame layout");
_Static_assert(__builtin_offsetof(struct trap_frame, vector) == 15 * 8, "trap frame layout");
_Static_assert(__builtin_offsetof(struct trap_frame, rip) == 17 * 8, "trap frame layout");

#define VEC_DE 0
#define VEC_DB 1
#define VEC_NMI 2
#define VEC_BP 3
#define VEC_UD 6
#define VEC_NM 7
#define VEC_DF 8
#define VEC_TS 10
#define VEC_NP 11
#define VEC_SS 12
#define VEC_GP 13
#define VEC_PF 14
#define VEC_MF 16
#define VEC_AC 17
#define VEC_MC 18
#define VEC_XM 19
#define VEC_VE 20
#define VEC_CP 21
#define VEC_VC 29

#define PF_P BIT(0)
#define PF_W BIT(1)
#define PF_U BIT(2)
#define PF_RSVD BIT(3)
#define PF_I BIT(4)

static inline bool trap_from_user(const struct trap_frame *tf) { return (tf->cs & 3) != 0; }

/* Name of an exception vector ("page fault"), or "interrupt". */
const char *trap_name(unsigned vector);
/* Deliveries per vector since boot (all CPUs). */
extern u64 trap_counts[256];

/* Exception-table lookup: the fixup address for a faulting rip, or 0. */
u64 extable_fixup(u64 rip);

/* Reads *addr without faulting: 0 or -E_FAULT. */
int arch_safe_read_u64(const void *addr, u64 *out);

/*
 * Runs fn(arg); a fault inside it (kernel mode, no exception-table entry)
 * returns -E_FAULT instead of panicking, with the vector and fault address
 * in *vector and *addr. For self-tests and audits only.
 */
int arch_probe_call(void (*fn)(void *), void *arg, u64 *vector, u64 *addr);

#endif
