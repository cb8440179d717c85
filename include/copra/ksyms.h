/* Kernel symbol table (generated at link time) for symbolized backtraces. */
#ifndef COPRA_KSYMS_H
#define COPRA_KSYMS_H

#include <copra/types.h>

/* Name of the function containing addr and the offset into it, or NULL. */
const char *ksyms_lookup(u64 addr, u64 *offset);

#endif
