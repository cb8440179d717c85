/* Internal interfaces of kernel/ top-level files (boot sequence pieces). */
#ifndef KERNEL_KERNEL_H
#define KERNEL_KERNEL_H

#include <copra/types.h>

struct bootinfo;

/* After boot: runs the in-SVSM tests (test images) or idles; never returns. */
__noreturn void kernel_run(void);
/* Test images: runs the in-SVSM suite and ends the VM with its verdict. */
__noreturn void test_run_in_svsm(void);

#endif
