/*
 * Internal error codes: functions return 0 or the negated code. They never
 * cross an ABI boundary directly: each ABI (system calls, SVSM protocol,
 * mssim) converts them in exactly one place.
 */
#ifndef COPRA_ERRNO_H
#define COPRA_ERRNO_H

#define E_OK 0
#define E_NOMEM 1     /* out of memory (frames, heap, address space) */
#define E_INVAL 2     /* malformed argument */
#define E_FAULT 3     /* bad address */
#define E_EXIST 4     /* already exists / already mapped */
#define E_NOENT 5     /* no such object / not mapped */
#define E_RANGE 6     /* value out of range */
#define E_BUSY 7      /* resource in use */
#define E_AGAIN 8     /* try again */
#define E_NOSYS 9     /* not supported */
#define E_PERM 10     /* not permitted */
#define E_BADH 11     /* bad handle */
#define E_TYPE 12     /* wrong object type */
#define E_NOSPC 13    /* no space left */
#define E_IO 14       /* device or transport error */
#define E_PIPE 15     /* peer gone */
#define E_TIMEDOUT 16
#define E_NOEXEC 17   /* not a valid executable */
#define E_TOOBIG 18   /* too large */
#define E_INTR 19     /* interrupted */
#define E_MAX 20

#ifndef __ASSEMBLER__
/* Human-readable name of -err or err ("E_NOMEM"). */
const char *err_name(int err);
#endif

#endif
