/*
 * A platform's view of guest memory as an IGVM image loads it (sorted pages,
 * looked up by binary search; memory outside the image reads as zero), and a
 * 4-level page-table walker over that view, which the launcher uses to find
 * an identity-mapped page for its start stub and to read the boot GDT.
 */
#include <stdlib.h>
#include <string.h>

#include "igvm_launch.h"

#define IGVM_WALK_P (1ULL << 0)
#define IGVM_WALK_W (1ULL << 1)
#define IGVM_WALK_U (1ULL << 2)
#define IGVM_WALK_PS (1ULL << 7)
#define IGVM_WALK_NX (1ULL << 63)
#define IGVM_WALK_ADDR 0x000FFFFFFFFFF000ULL

int igvm_memview_add(struct igvm_memview *v, u64 gpa, const u8 *data)
{
	if ((v->count & (v->count - 1)) == 0) { /* 0, 1, 2, 4, ...: grow to double */
		u64 cap = v->count ? (u64)v->count * 2 : 1;
		struct igvm_page_ref *p;

		if (cap > 0xFFFFFFFFull)
			return -1;
		p = realloc(v->pages, cap * sizeof(*p));
		if (!p)
			return -1;
		v->pages = p;
	}
	v->pages[v->count].gpa = gpa;
	v->pages[v->count].data = data;
	v->count++;
	return 0;
}

static int igvm_memview_cmp(const void *a, const void *b)
{
	const struct igvm_page_ref *x = a, *y = b;

	return x->gpa < y->gpa ? -1 : (x->gpa > y->gpa);
}

void igvm_memview_sort(struct igvm_memview *v)
{
	if (v->count)
		qsort(v->pages, v->count, sizeof(*v->pages), igvm_memview_cmp);
}

void igvm_memview_free(struct igvm_memview *v)
{
	free(v->pages);
	v->pages = NULL;
	v->count = 0;
}

const struct igvm_page_ref *igvm_memview_find(const struct igvm_memview *v, u64 gpa)
{
	u32 lo = 0, hi = v->count;

	gpa = ALIGN_DOWN(gpa, (u64)IGVM_PAGE_SIZE);
	while (lo < hi) {
		u32 mid = lo + (hi - lo) / 2;

		if (v->pages[mid].gpa == gpa)
			return &v->pages[mid];
		if (v->pages[mid].gpa < gpa)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

u64 igvm_memview_read64(const struct igvm_memview *v, u64 gpa)
{
	const struct igvm_page_ref *p = igvm_memview_find(v, gpa);
	u64 val = 0;

	if (p && p->data && IS_ALIGNED(gpa, 8))
		memcpy(&val, p->data + (gpa & (IGVM_PAGE_SIZE - 1)), sizeof(val));
	return val;
}

static bool igvm_va_canonical(u64 va)
{
	u64 top = va >> 47;

	return top == 0 || top == 0x1FFFF;
}

bool igvm_pt_walk(const struct igvm_memview *v, u64 cr3, u64 va, bool nxe, struct igvm_walk *w)
{
	u64 table = cr3 & IGVM_WALK_ADDR, entry = 0;
	int level;

	if (!igvm_va_canonical(va))
		return false;
	w->writable = w->executable = w->user = true;
	for (level = 4; level >= 1; level--) {
		unsigned idx = (unsigned)((va >> (12 + 9 * (level - 1))) & 511);

		entry = igvm_memview_read64(v, table + idx * 8ull);
		if (!(entry & IGVM_WALK_P))
			return false;
		w->writable &= !!(entry & IGVM_WALK_W);
		w->user &= !!(entry & IGVM_WALK_U);
		if (nxe && (entry & IGVM_WALK_NX))
			w->executable = false;
		if (level == 1 || !(entry & IGVM_WALK_PS))
			table = entry & IGVM_WALK_ADDR;
		else if (level == 4)
			return false; /* PS is reserved in a PML4 entry */
		else
			break;
	}
	if (level >= 2) { /* a 1 GiB or 2 MiB leaf */
		u64 span = 1ull << (12 + 9 * (level - 1));

		w->pa = (entry & IGVM_WALK_ADDR & ~(span - 1)) | (va & (span - 1));
	} else {
		w->pa = (entry & IGVM_WALK_ADDR) | (va & (IGVM_PAGE_SIZE - 1));
	}
	return true;
}
