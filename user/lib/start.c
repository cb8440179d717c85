/*
 * __copra_start: called by _start (crt0.S) with the initial stack. Records
 * argv and the auxiliary vector, runs constructors, then exit(main(...)).
 * stdio (stdio.c) and the heap (heap.c) need no set-up call: both are
 * statically initialised and the heap grows on first use.
 */
#include <stdint.h>
#include <stdlib.h>

#include <abi/syscall.h>
#include <copra/runtime.h>

#define START_AUXV_MAX 64 /* entries looked at: the kernel passes 7 */

int main(int argc, char **argv);
void __libc_init_array(void);
__attribute__((noreturn)) void __copra_start(uintptr_t *sp);

static struct copra_startinfo start_info;

const struct copra_startinfo *copra_startinfo(void)
{
	return &start_info;
}

static void start_read_auxv(const uintptr_t *auxv)
{
	unsigned int i;

	for (i = 0; i < START_AUXV_MAX && auxv[2 * i] != AT_NULL; i++) {
		uintptr_t val = auxv[2 * i + 1];

		switch (auxv[2 * i]) {
		case AT_PHDR:
			start_info.phdr = val;
			break;
		case AT_PHNUM:
			start_info.phnum = val;
			break;
		case AT_PAGESZ:
			start_info.pagesz = val;
			break;
		case AT_ENTRY:
			start_info.entry = val;
			break;
		case AT_RANDOM:
			start_info.random = (const uint8_t *)val;
			break;
		default:
			break;
		}
	}
}

void __copra_start(uintptr_t *sp)
{
	int argc = (int)sp[0];
	char **argv = (char **)&sp[1];
	char **envp = argv + argc + 1;
	uintptr_t *p;

	/* The environment is empty today; skip it whatever it holds. */
	for (p = (uintptr_t *)envp; *p; p++)
		;
	start_info.argc = argc;
	start_info.argv = argv;
	start_read_auxv(p + 1);
	__libc_init_array();
	exit(main(argc, argv));
}
