/* Internal interfaces of the native platform back end. */
#ifndef PLATFORM_NATIVE_H
#define PLATFORM_NATIVE_H

#include <copra/types.h>

u64 native_tsc_khz(void);
int native_start_cpu(u32 apic_id, spa_t trampoline);
int native_cmdline(char *buf, size_t size);

#endif
