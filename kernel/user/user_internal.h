/* Internals shared by the files in kernel/user. */
#ifndef KERNEL_USER_INTERNAL_H
#define KERNEL_USER_INTERNAL_H

#include <copra/elf.h>
#include <copra/object.h>
#include <copra/process.h>


/* A validated program ready to be loaded by the new process's task. */
struct exec_image {
	struct elf_plan plan;
	u8 *elf;                  /* the whole file (global heap) */
	size_t elf_size;
	char *args;               /* NUL-separated, at least argv[0] */
	u32 args_len;
	u32 argc;
};

/* Reads and validates req->path and its arguments: -E_NOENT, -E_NOEXEC, ... */
int exec_image_prepare(const struct spawn_request *req, struct exec_image **out);
void exec_image_free(struct exec_image *img);
/* Entry of a new process's task: loads the image, enters user mode. */
void exec_start(void *img);

/* Maps a zeroed user page at va (bytes [src, src + n) copied to offset off). */
int exec_map_page(u64 va, const u8 *src, size_t n, size_t off, u32 prot) __must_check;

/* The console log object (handle 0 of every process). */
struct object *log_object(void);
/* Logs len bytes of the process's text (at most 4096) as its log lines. */
s64 log_write_user(struct process *p, u64 ubuf, u64 len);

#endif
