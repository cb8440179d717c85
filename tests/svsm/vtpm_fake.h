/*
 * A fake vTPM service for the in-SVSM tests: a kernel thread on the server
 * end of a /dev/vtpm channel (vtpm_connect) that speaks vtpmd's fd-3 format
 * (docs/vtpm.md §1) and answers every TPM command by echoing its command
 * code and locality, except for a few command codes that make it misbehave
 * (malformed answers, silence, exit), so the kernel side can be tested
 * without vtpmd.
 *
 * A normal answer is an 18-byte TPM response: tag 0x8001, size 18, rc 0,
 * then the command code and the locality (big-endian u32 each).
 */
#ifndef TESTS_SVSM_VTPM_FAKE_H
#define TESTS_SVSM_VTPM_FAKE_H

#include <copra/types.h>

#define VT_FAKE_RSP_SIZE 18u

/* Command codes that change the fake's behaviour. */
#define VT_CC_ECHO 0x0000017Bu     /* TPM2_GetRandom: answered normally */
#define VT_CC_BAD_LENGTH 0x20000001u /* framing size does not match the message */
#define VT_CC_BAD_HEADER 0x20000002u /* TPM header size does not match */
#define VT_CC_HUGE 0x20000003u     /* a well-formed 4096-byte response: too big for protocol 2 */
#define VT_CC_SILENT 0x20000004u   /* no answer (the kernel's deadline ends the wait) */
#define VT_CC_EXIT 0x20000005u     /* the service ends without answering */
#define VT_CC_SHORT 0x20000006u    /* a 2-byte message */

struct task;

struct vt_fake {
	struct task *task;
	volatile u64 served;       /* requests received */
	volatile bool ended;
};

/*
 * The fakes the tests use: static storage, because the fake's thread cannot
 * see the test's stack (each task's kernel stack is private to it).
 */
extern struct vt_fake vt_fakes[2];

/* Connects a new channel (vtpm_connect) and starts the fake on it. 0 or -E_*. */
int vt_fake_start(struct vt_fake *f);
/* Waits for the fake's thread to end (it ends when its channel closes). */
void vt_fake_join(struct vt_fake *f);

#endif
