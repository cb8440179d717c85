/*
 * The ELF note that makes the kernel run a program with the native ABI
 * (include/abi/syscall.h): owner "Copra", type COPRA_NOTE_ABI, a u32
 * descriptor COPRA_ABI_VERSION. user.ld puts .note.copra in a PT_NOTE.
 * Written as assembly so the section has type SHT_NOTE; the numbers come
 * from the ABI header.
 */
#include <abi/syscall.h>

#define NOTE_STR(x) #x
#define NOTE_XSTR(x) NOTE_STR(x)

__asm__(".pushsection .note.copra, \"a\", @note\n"
	"\t.balign 4\n"
	"\t.long 6\n"                                 /* namesz: "Copra" + NUL */
	"\t.long 4\n"                                 /* descsz: one u32 */
	"\t.long " NOTE_XSTR(COPRA_NOTE_ABI) "\n"     /* type */
	"\t.asciz \"Copra\"\n"
	"\t.balign 4\n"
	"\t.long " NOTE_XSTR(COPRA_ABI_VERSION) "\n"  /* descriptor */
	"\t.balign 4\n"
	"\t.popsection\n");
