/* The kernel console: a byte sink on the platform's debug serial port. */
#ifndef COPRA_CONSOLE_H
#define COPRA_CONSOLE_H

#include <copra/types.h>

void console_init(u16 port);
void console_write(const char *s, size_t n);
/* Lock-free variant for panic paths (may interleave with other CPUs). */
void console_write_unlocked(const char *s, size_t n);

#endif
