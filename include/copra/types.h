/* Basic fixed-width types and the three address types (virtual, system-physical, guest-physical). */
#ifndef COPRA_TYPES_H
#define COPRA_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef int64_t s64;

/*
 * Address types. Each is a one-member struct so the compiler rejects passing
 * one kind where another is expected:
 *  - vaddr_t: an address in Copra's own virtual address space;
 *  - spa_t:   a system-physical address: a frame Copra owns or manages;
 *  - gpa_t:   a guest-physical address named by an untrusted party (guest OS,
 *             host); it must be validated and converted before it is used.
 */
typedef struct { u64 v; } vaddr_t;
typedef struct { u64 v; } spa_t;
typedef struct { u64 v; } gpa_t;

static inline vaddr_t va_init(u64 v) { return (vaddr_t){ v }; }
static inline u64 va_addr(vaddr_t a) { return a.v; }
static inline vaddr_t va_add(vaddr_t a, u64 n) { return (vaddr_t){ a.v + n }; }
static inline void *va_ptr(vaddr_t a) { return (void *)(uintptr_t)a.v; }
static inline vaddr_t va_from_ptr(const void *p) { return (vaddr_t){ (u64)(uintptr_t)p }; }

static inline spa_t spa_init(u64 v) { return (spa_t){ v }; }
static inline u64 spa_addr(spa_t a) { return a.v; }
static inline spa_t spa_add(spa_t a, u64 n) { return (spa_t){ a.v + n }; }

static inline gpa_t gpa_init(u64 v) { return (gpa_t){ v }; }
static inline u64 gpa_addr(gpa_t a) { return a.v; }

#define PAGE_SHIFT 12
#define PAGE_SIZE 4096ULL
#define PAGE_MASK (~(PAGE_SIZE - 1))
#define PAGE_SIZE_2M (2ULL << 20)
#define PAGE_SIZE_1G (1ULL << 30)

#define ALIGN_UP(x, a) (((x) + ((a) - 1)) & ~((__typeof__(x))(a) - 1))
#define ALIGN_DOWN(x, a) ((x) & ~((__typeof__(x))(a) - 1))
#define IS_ALIGNED(x, a) (((x) & ((__typeof__(x))(a) - 1)) == 0)
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))
#define BIT(n) (1ULL << (n))

#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))

#define __packed __attribute__((packed))
#define __aligned(x) __attribute__((aligned(x)))
#define __section(s) __attribute__((section(s)))
#define __used __attribute__((used))
#define __unused __attribute__((unused))
#define __noreturn __attribute__((noreturn))
#define __must_check __attribute__((warn_unused_result))
#define __printf(a, b) __attribute__((format(printf, a, b)))
#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

#define READ_ONCE(x) (*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, v) (*(volatile __typeof__(x) *)&(x) = (v))

/* Overflow-checked arithmetic on untrusted sizes: true when it overflowed. */
#define add_overflow(a, b, res) __builtin_add_overflow(a, b, res)
#define mul_overflow(a, b, res) __builtin_mul_overflow(a, b, res)

#endif
