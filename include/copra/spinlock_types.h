/* The spinlock type alone, for structures that embed a lock (no functions, no includes). */
#ifndef COPRA_SPINLOCK_TYPES_H
#define COPRA_SPINLOCK_TYPES_H

#include <copra/types.h>

typedef struct {
	volatile u16 next;
	volatile u16 owner;
} spinlock_t;

#define SPINLOCK_INIT { 0, 0 }

#endif
