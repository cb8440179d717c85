/*
 * The one gateway between the kernel and user memory. Every pointer a
 * process passes is checked (inside the user part, no wrap-around) and
 * copied with SMAP lifted only for the copy; a fault returns -E_FAULT, never
 * a kernel fault. Kernel code never dereferences a user pointer directly.
 */
#ifndef COPRA_UACCESS_H
#define COPRA_UACCESS_H

#include <copra/types.h>

/* true when [uaddr, uaddr + len) lies inside the user part. */
bool user_range_ok(u64 uaddr, u64 len);
int copy_from_user(void *dst, u64 usrc, size_t len) __must_check;
int copy_to_user(u64 udst, const void *src, size_t len) __must_check;

#endif
