/*
 * Per-CPU temporary mappings: the only way Copra reaches a physical frame it
 * has not mapped permanently (new page tables, frames being zeroed or
 * copied, guest pages). Mappings are strictly nested (LIFO) on one CPU and
 * hold off preemption; release unmaps and flushes the slot locally.
 *
 *   struct tmpmap m;
 *   u8 *p = tmpmap_map(frame, &m);   ... use p[0..4095] ...   tmpmap_unmap(&m);
 */
#ifndef COPRA_TMPMAP_H
#define COPRA_TMPMAP_H

#include <copra/types.h>

struct tmpmap {
	void *va;
	u32 slot;
};

void *tmpmap_map(spa_t frame, struct tmpmap *m);
void tmpmap_unmap(struct tmpmap *m);

void tmpmap_zero_frame(spa_t frame);
void tmpmap_copy_frame(spa_t dst, spa_t src);

#endif
