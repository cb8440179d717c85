/* Symbolized stack backtraces. */
#ifndef ARCH_BACKTRACE_H
#define ARCH_BACKTRACE_H

#include <copra/types.h>

void backtrace_print(u64 rip, u64 rbp);
void backtrace_here(void);

#endif
