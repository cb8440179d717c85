/*
 * Program loading. The spawning process reads the file and validates it
 * (exec_image_prepare: a missing file or a bad ELF fails the spawn call);
 * the new process's own task then maps the segments with their permissions
 * into its user part, builds the System V initial stack (arguments and the
 * auxiliary vector, with 16 random bytes for AT_RANDOM, and for Linux
 * programs the entries glibc's static start-up reads) and enters user mode.
 * The stack's lower pages are mapped when first touched (fault.c).
 */
#include <arch/random.h>
#include <copra/elf.h>
#include <copra/errno.h>
#include <copra/heap.h>
#include <copra/log.h>
#include <copra/memlayout.h>
#include <copra/pgtable.h>
#include <copra/pmm.h>
#include <copra/process.h>
#include <copra/ramfs.h>
#include <copra/string.h>
#include <copra/task.h>
#include <copra/time.h>
#include <copra/tmpmap.h>
#include <copra/uaccess.h>
#include <platform/platform.h>

#include "user_internal.h"

#define EXEC_IMAGE_TOP (16ULL << 30)   /* programs load below the runtime's heap */
#define EXEC_STACK_SIZE (1ULL << 20)   /* the most it can grow to (native ABI) */
#define EXEC_STACK_SIZE_LINUX (8ULL << 20) /* Linux programs: glibc's usual limit */
#define EXEC_STACK_EAGER (2 * PAGE_SIZE) /* mapped at start below the arguments */
#define EXEC_MAX_FILE (64ULL << 20)

#define EXEC_AUX_MAX 18          /* pairs, AT_NULL included */
#define EXEC_PLATFORM "x86_64"

void arch_enter_user(u64 rip, u64 rsp) __attribute__((noreturn));

static int exec_read_file(const char *path, u8 **buf, size_t *size)
{
	struct ramfs_node *n;
	struct ramfs_stat st;
	size_t done;
	int ret = ramfs_lookup(path, &n);

	if (ret)
		return ret == -E_NOENT ? -E_NOENT : ret;
	ret = ramfs_stat(n, &st);
	if (!ret && (st.type != RAMFS_FILE || st.size == 0 || st.size > EXEC_MAX_FILE))
		ret = -E_NOEXEC;
	if (!ret) {
		*buf = kmalloc(st.size);
		ret = *buf ? ramfs_read(n, 0, *buf, st.size, &done) : -E_NOMEM;
		if (!ret && done != st.size)
			ret = -E_IO;
		if (ret)
			kfree(*buf);
		*size = st.size;
	}
	ramfs_put(n);
	return ret;
}

int exec_image_prepare(const struct spawn_request *req, struct exec_image **out)
{
	struct exec_image *img = kzalloc(sizeof(*img));
	const char *why = "";
	u32 i;
	int ret;

	if (!img)
		return -E_NOMEM;
	ret = exec_read_file(req->path, &img->elf, &img->elf_size);
	if (!ret && elf_plan_parse(img->elf, img->elf_size, USER_BASE, EXEC_IMAGE_TOP, &img->plan,
				   &why)) {
		log_debug("exec %s: %s", req->path, why);
		ret = -E_NOEXEC;
	}
	if (!ret) {
		img->args_len = req->args_len ? req->args_len : (u32)strlen(req->path) + 1;
		img->args = kmalloc(img->args_len);
		if (!img->args)
			ret = -E_NOMEM;
		else
			memcpy(img->args, req->args_len ? req->args : req->path, img->args_len);
	}
	if (ret) {
		exec_image_free(img);
		return ret;
	}
	for (i = 0; i < img->args_len; i++)
		img->argc += img->args[i] == '\0';
	*out = img;
	return 0;
}

void exec_image_free(struct exec_image *img)
{
	if (!img)
		return;
	kfree(img->elf);
	kfree(img->args);
	kfree(img);
}

static u32 exec_prot(u32 elf_prot)
{
	return PROT_U | (elf_prot & (PROT_W | PROT_X));
}

/* Maps one zeroed page at va holding the file bytes [src, src + n) at offset off. */
int exec_map_page(u64 va, const u8 *src, size_t n, size_t off, u32 prot)
{
	struct tmpmap m;
	u8 *page;
	spa_t f;

	if (pmm_alloc_frame(&f))
		return -E_NOMEM;
	page = tmpmap_map(f, &m);
	memset(page, 0, PAGE_SIZE);
	if (n)
		memcpy(page + off, src, n);
	tmpmap_unmap(&m);
	if (pgtable_map(PT_SELF, va, f, 1, prot)) {
		pmm_free_frame(f);
		return -E_NOMEM;
	}
	return 0;
}

static int exec_load_segment(const struct exec_image *img, const struct elf_segment *s)
{
	u64 va, end = ALIGN_UP(s->vaddr + s->memsz, PAGE_SIZE);
	u64 file_end = s->vaddr + s->filesz;

	for (va = ALIGN_DOWN(s->vaddr, PAGE_SIZE); va < end; va += PAGE_SIZE) {
		u64 lo = MAX(va, s->vaddr), hi = MIN(va + PAGE_SIZE, file_end);
		size_t n = hi > lo ? (size_t)(hi - lo) : 0;
		const u8 *src = img->elf + s->offset + (lo - s->vaddr);
		int ret = exec_map_page(va, n ? src : NULL, n, (size_t)(lo - va),
					exec_prot(s->prot));

		if (ret)
			return ret;
	}
	return 0;
}

/*
 * Only the top of the stack is mapped now (room for the arguments and the
 * first frames); the rest, down to stack_bottom, is mapped on first touch
 * (process_fault_resolve).
 */
static int exec_map_stack(const struct exec_image *img)
{
	u64 need = img->args_len + (img->argc + 3 + 2 * EXEC_AUX_MAX) * 8 + 64;
	u64 va, bottom = USER_STACK_TOP - ALIGN_UP(need, PAGE_SIZE) - EXEC_STACK_EAGER;
	int ret;

	for (va = bottom; va < USER_STACK_TOP; va += PAGE_SIZE) {
		ret = exec_map_page(va, NULL, 0, 0, PROT_U | PROT_W);
		if (ret)
			return ret;
	}
	return 0;
}

static int exec_push(u64 *sp, const void *data, size_t len)
{
	*sp -= len;
	return copy_to_user(*sp, data, len);
}

/* Where exec_build_stack put the strings the auxiliary vector points at. */
struct exec_strings {
	u64 args, random, platform;   /* platform: 0 for native programs */
};

/* The auxiliary vector into aux (EXEC_AUX_MAX pairs); returns the words used. */
static unsigned exec_fill_aux(const struct exec_image *img, const struct exec_strings *at,
			      u64 *aux)
{
	unsigned n = 0;
	u32 id[4];

#define EXEC_AUX(type, val) (aux[n++] = (type), aux[n++] = (val))
	EXEC_AUX(AT_PHDR, img->plan.phdr_vaddr);
	EXEC_AUX(AT_PHENT, img->plan.phent);
	EXEC_AUX(AT_PHNUM, img->plan.phnum);
	EXEC_AUX(AT_PAGESZ, PAGE_SIZE);
	EXEC_AUX(AT_ENTRY, img->plan.entry);
	EXEC_AUX(AT_RANDOM, at->random);
	if (at->platform) {
		/* What glibc's static start-up expects of a Linux kernel. */
		platform_cpuid(1, 0, id);
		EXEC_AUX(AT_HWCAP, id[3]);
		EXEC_AUX(AT_CLKTCK, 100);
		EXEC_AUX(AT_PLATFORM, at->platform);
		EXEC_AUX(AT_UID, 0);
		EXEC_AUX(AT_EUID, 0);
		EXEC_AUX(AT_GID, 0);
		EXEC_AUX(AT_EGID, 0);
		EXEC_AUX(AT_SECURE, 0);
		EXEC_AUX(AT_EXECFN, at->args);
	}
	EXEC_AUX(AT_NULL, 0);
#undef EXEC_AUX
	return n;
}

/* argc, the argv pointers, an empty environment and aux at sp. */
static int exec_write_vectors(const struct exec_image *img, u64 sp, u64 strings,
			      const u64 *aux, unsigned naux)
{
	u64 word = img->argc, ptr = sp, i;

	if (copy_to_user(ptr, &word, 8))
		return -E_FAULT;
	ptr += 8;
	for (i = 0; i < img->args_len; ptr += 8) {
		word = strings + i;
		if (copy_to_user(ptr, &word, 8))
			return -E_FAULT;
		i += strnlen(img->args + i, img->args_len - i) + 1;
	}
	word = 0;
	if (copy_to_user(ptr, &word, 8) || copy_to_user(ptr + 8, &word, 8) ||
	    copy_to_user(ptr + 16, aux, naux * 8))
		return -E_FAULT;
	return 0;
}

/* The System V initial stack; returns the entry RSP or 0 on failure. */
static u64 exec_build_stack(const struct exec_image *img, bool lx)
{
	struct exec_strings at = { 0, 0, 0 };
	u64 sp = USER_STACK_TOP, rnd[2] = { 0, 0 }, aux[2 * EXEC_AUX_MAX];
	unsigned naux;

	if (exec_push(&sp, img->args, img->args_len))
		return 0;
	at.args = sp;
	if (lx) {
		if (exec_push(&sp, EXEC_PLATFORM, sizeof(EXEC_PLATFORM)))
			return 0;
		at.platform = sp;
	}
	if (!arch_random64(&rnd[0]) || !arch_random64(&rnd[1]))
		rnd[0] ^= time_ns(); /* no hardware RNG: AT_RANDOM is weak */
	if (exec_push(&sp, rnd, sizeof(rnd)))
		return 0;
	at.random = sp;
	naux = exec_fill_aux(img, &at, aux);
	sp = ALIGN_DOWN(sp - (1 + img->argc + 1 + 1 + naux) * 8, 16);
	return exec_write_vectors(img, sp, at.args, aux, naux) ? 0 : sp;
}

static void exec_record_layout(struct process *p, const struct exec_image *img)
{
	unsigned i;

	p->image_count = 0;
	for (i = 0; i < img->plan.seg_count && i < ARRAY_SIZE(p->image); i++) {
		p->image[i].start = ALIGN_DOWN(img->plan.segs[i].vaddr, PAGE_SIZE);
		p->image[i].end = ALIGN_UP(img->plan.segs[i].vaddr + img->plan.segs[i].memsz, PAGE_SIZE);
		p->image[i].prot = img->plan.segs[i].prot;
		p->image_count++;
	}
	p->stack_bottom = USER_STACK_TOP -
			  (p->abi == PROCESS_ABI_LINUX ? EXEC_STACK_SIZE_LINUX : EXEC_STACK_SIZE);
	p->brk_start = p->brk = p->brk_mapped = img->plan.image_end;
}

void exec_start(void *arg)
{
	struct exec_image *img = arg;
	struct process *p = process_current();
	u64 entry = img->plan.entry, sp = 0;
	unsigned i;
	int ret = 0;

	for (i = 0; i < img->plan.seg_count && !ret; i++)
		ret = exec_load_segment(img, &img->plan.segs[i]);
	if (!ret)
		ret = exec_map_stack(img);
	if (!ret)
		sp = exec_build_stack(img, p->abi == PROCESS_ABI_LINUX);
	exec_record_layout(p, img);
	exec_image_free(img);
	if (ret || !sp)
		process_exit(COPRA_EXIT_FAULT, 0, 0, "out of memory while loading the program");
	arch_enter_user(entry, sp);
}
