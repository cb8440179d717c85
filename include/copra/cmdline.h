/*
 * The host-provided command line ("key=value" words). It is untrusted and
 * only test images act on it (test selection, deliberate faults).
 */
#ifndef COPRA_CMDLINE_H
#define COPRA_CMDLINE_H

#include <copra/types.h>

void cmdline_init(void);
/* Copies the value of key into out (NUL-terminated); false when absent. */
bool cmdline_get(const char *key, char *out, size_t size);

#endif
