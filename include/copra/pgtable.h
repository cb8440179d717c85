/*
 * Page-table editing through the recursive self-map. Every read and write of
 * a page-table entry goes through a virtual address computed by
 * pt_entry_va(): the current address space is reached through the self-map
 * slot, another one (being built) through the foreign window slot.
 *
 * Locking: the caller holds the lock of the address-space part it edits.
 * TLB: functions report what they changed in a struct pt_flush; the caller
 * invalidates (locally or by shootdown). Every function either completes or
 * fails with nothing changed.
 */
#ifndef COPRA_PGTABLE_H
#define COPRA_PGTABLE_H

#include <copra/memlayout.h>
#include <copra/types.h>

typedef u64 pte_t;

enum pt_view {
	PT_SELF = SLOT_SELFMAP,    /* the loaded address space */
	PT_FOREIGN = SLOT_FOREIGN, /* the one installed with pgtable_foreign_begin */
};

/* Protection: readable is implied for any mapping. */
#define PROT_W (1u << 0)      /* writable */
#define PROT_X (1u << 1)      /* executable */
#define PROT_U (1u << 2)      /* user accessible */
#define PROT_G (1u << 3)      /* global TLB entry */
#define PROT_NC (1u << 4)     /* uncached */
#define PROT_LARGE (1u << 5)  /* map: use 2 MiB leaves where aligned */
#define PROT_BORROWED (1u << 6) /* the frame belongs to someone else: teardown keeps it */

/* x86 entry bits. */
#define PTE_P BIT(0)
#define PTE_W BIT(1)
#define PTE_U BIT(2)
#define PTE_PWT BIT(3)
#define PTE_PCD BIT(4)
#define PTE_A BIT(5)
#define PTE_D BIT(6)
#define PTE_PS BIT(7)
#define PTE_G BIT(8)
#define PTE_BORROWED BIT(9)   /* software bit: see PROT_BORROWED */
#define PTE_NX BIT(63)
#define PTE_ADDR 0x000FFFFFFFFFF000ULL

/* Levels: 4 = PML4 ... 1 = PT. */
#define PT_LEVELS 4

static inline unsigned pt_index(u64 va, int level)
{
	return (unsigned)((va >> (12 + 9 * (level - 1))) & 511);
}

/*
 * Virtual address of the level-`level` entry that translates va, reached
 * through the recursive slot: top slot `view`, then the self-map slot for
 * each level above `level`.
 */
static inline u64 pt_entry_va(enum pt_view view, int level, u64 va)
{
	u64 off = ((va & 0x0000FFFFFFFFFFFFULL) >> (9 * level)) &
		  ((1ULL << (39 - 9 * (level - 1))) - 8);
	u64 rec = 0;
	int k;

	for (k = 1; k < level; k++)
		rec |= (u64)SLOT_SELFMAP << (39 - 9 * k);
	return SLOT_VA((u64)view) | rec | off;
}

struct pt_flush {
	u64 start, end;     /* virtual range whose translations changed */
	bool tables_freed;  /* a page-table page was freed or replaced */
	bool global;        /* a global (PROT_G) entry changed */
};

void pt_flush_init(struct pt_flush *f);

int pgtable_map(enum pt_view view, u64 va, spa_t pa, u64 npages, u32 prot) __must_check;
/* Creates the page tables down to the one holding va's leaf entry, mapping nothing. */
int pgtable_ensure_table(enum pt_view view, u64 va) __must_check;
int pgtable_unmap(enum pt_view view, u64 va, u64 npages, struct pt_flush *f) __must_check;
int pgtable_protect(enum pt_view view, u64 va, u64 npages, u32 prot,
		    struct pt_flush *f) __must_check;
/* Merge the 4 KiB mappings of a 2 MiB-aligned range into one 2 MiB leaf. */
int pgtable_merge(enum pt_view view, u64 va, struct pt_flush *f) __must_check;

struct pt_mapping {
	spa_t pa;     /* frame of va (the 4 KiB frame even inside a large page) */
	u32 prot;
	u64 size;     /* leaf size: 4 KiB or 2 MiB */
};
int pgtable_query(enum pt_view view, u64 va, struct pt_mapping *m) __must_check;

/*
 * Calls fn for every present leaf in [start, end) with its virtual address,
 * mapping and level. Used by audits and tests; the self-map slot itself is
 * reported as one level-4 leaf.
 */
typedef void (*pt_walk_fn)(void *arg, u64 va, const struct pt_mapping *m, int level);
void pgtable_walk(enum pt_view view, u64 start, u64 end, pt_walk_fn fn, void *arg);

/*
 * Installs the PML4 frame root into the foreign slot of the current address
 * space so PT_FOREIGN edits reach it; root must have its own self-map entry.
 */
void pgtable_foreign_begin(spa_t root);
void pgtable_foreign_end(void);

/* Prepares a fresh PML4 frame: zeroed, self-map entry pointing at itself. */
int pgtable_new_root(spa_t *root) __must_check;

/* Raw entry access for address-space setup code (e.g. sharing a slot). */
pte_t pgtable_get_root_entry(enum pt_view view, unsigned slot);
void pgtable_set_root_entry(enum pt_view view, unsigned slot, pte_t e);

/* Page-table pages in use, per part of the address space and in total. */
enum pt_part {
	PT_PART_USER,    /* tables below user slots */
	PT_PART_TASK,    /* kernel per-task slot */
	PT_PART_CPU,     /* kernel per-CPU slot */
	PT_PART_GLOBAL,  /* kernel global slot */
	PT_PART_ROOT,    /* PML4 pages */
	PT_PART_COUNT
};
enum pt_part pgtable_part_of(u64 va);
void pgtable_account(enum pt_part part, s64 delta);
u64 pgtable_pages_of_part(enum pt_part part);
u64 pgtable_pages_in_use(void);

/*
 * Creates an empty table (PDPT) for top-level slot `slot` in the root frame
 * `root` (not the loaded one), or frees everything below a slot of a root
 * reached through view: frames of leaves not marked PROT_BORROWED, then the
 * tables. The caller flushes (the view is not loaded anywhere).
 */
int pgtable_slot_create(spa_t root, unsigned slot) __must_check;
void pgtable_slot_destroy(enum pt_view view, unsigned slot);
/* Frees a root frame made by pgtable_new_root (its slots already destroyed). */
void pgtable_root_free(spa_t root);

#endif
