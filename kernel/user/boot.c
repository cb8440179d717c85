/*
 * User space at boot: the program archive the image carries (measured with
 * the kernel, its SHA-256 in the boot information) becomes the RAM
 * filesystem, and /bin/init becomes the first process. The kernel restarts
 * init with a back-off if it ever ends, and tells who init is
 * (user_init_process: only init may open some devices, e.g. /dev/vtpm).
 */
#include <abi/boot.h>
#include <copra/crypto.h>
#include <copra/errno.h>
#include <copra/log.h>
#include <copra/mm.h>
#include <copra/process.h>
#include <copra/ramfs.h>
#include <copra/section.h>
#include <copra/string.h>
#include <copra/task.h>
#include <copra/time.h>
#include <copra/waitq.h>

#include "user_internal.h"

#define USER_INIT_PATH "/bin/init"
#define USER_INIT_BACKOFF_MAX_NS (5ULL * NSEC_PER_SEC)

/* The running init (user_init_process); its lock also guards the starting flag. */
static struct waitq user_init_wq = WAITQ_INIT;
static struct process *user_init;
static bool user_init_starting;

/* The archive must lie inside the image's own pages (never guest-named memory). */
static __init int user_map_archive(const struct bootinfo *bi, const u8 **out)
{
	u64 start = bi->archive_gpa, end;
	u64 va;

	if (!IS_ALIGNED(start, PAGE_SIZE) || add_overflow(start, bi->archive_size, &end) ||
	    start < bi->image_phys_start || end > bi->image_phys_end)
		return -E_INVAL;
	va = mm_map_global(spa_init(start), ALIGN_UP(bi->archive_size, PAGE_SIZE) / PAGE_SIZE, 0);
	if (!va)
		return -E_NOMEM;
	*out = (const u8 *)(uintptr_t)va;
	return 0;
}

static __init int user_check_archive(const struct bootinfo *bi, const u8 *arc)
{
#ifdef CONFIG_KERNEL_MBEDTLS
	u8 sum[CRYPTO_SHA256_SIZE];

	if (crypto_sha256(arc, bi->archive_size, sum))
		return -E_IO;
	if (memcmp(sum, bi->archive_sha256, sizeof(sum)) != 0)
		return -E_INVAL;
#else
	(void)bi;
	(void)arc;
	log_warn("user archive: no SHA-256 without CONFIG_KERNEL_MBEDTLS: not verified");
#endif
	return 0;
}

__init int user_boot_archive(const struct bootinfo *bi)
{
	const u8 *arc;
	u64 frames, nodes;
	int ret = ramfs_init();

	if (ret)
		return ret;
	if (bi->archive_size == 0) {
		log_info("user archive: none in this image");
		return 0;
	}
	ret = user_map_archive(bi, &arc);
	if (ret) {
		log_err("user archive: bad location 0x%llx+0x%llx",
			(unsigned long long)bi->archive_gpa, (unsigned long long)bi->archive_size);
		return ret;
	}
	ret = user_check_archive(bi, arc);
	if (ret) {
		log_err("user archive: SHA-256 does not match the boot information");
		return ret;
	}
	ret = ramfs_unpack_archive(arc, bi->archive_size);
	if (ret) {
		log_err("user archive: rejected (%s)", err_name(ret));
		return ret;
	}
	ramfs_usage(&frames, &nodes);
	log_info("user archive: %llu bytes, %llu files and directories",
		 (unsigned long long)bi->archive_size, (unsigned long long)nodes - 1);
	return 0;
}

int user_spawn_kernel(const char *path, const char *args, u32 args_len,
		      const struct cpumask *affinity, struct process **out)
{
	struct spawn_request req;

	memset(&req, 0, sizeof(req));
	req.path = path;
	req.args = args;
	req.args_len = args_len;
	req.affinity = affinity;
	return process_spawn(NULL, &req, out);
}

struct process *user_init_process(void)
{
	struct process *p = NULL;
	int ret = 0;

	waitq_lock(&user_init_wq);
	while (user_init_starting && ret == 0) {
		ret = waitq_sleep_locked(&user_init_wq, 0); /* -E_INTR: the caller is being killed */
		waitq_lock(&user_init_wq);
	}
	if (!user_init_starting) {
		p = user_init;
		if (p)
			obj_get(&p->obj);
	}
	waitq_unlock(&user_init_wq);
	return p;
}

/* Spawns init, published as user_init before anyone can ask for it. */
static int user_start_init(struct process **out)
{
	int ret;

	waitq_lock(&user_init_wq);
	user_init_starting = true;
	waitq_unlock(&user_init_wq);
	ret = user_spawn_kernel(USER_INIT_PATH, NULL, 0, NULL, out);
	waitq_lock(&user_init_wq);
	user_init = ret ? NULL : *out;
	if (!ret)
		obj_get(&user_init->obj);
	user_init_starting = false;
	waitq_wake_all_locked(&user_init_wq, 0);
	waitq_unlock(&user_init_wq);
	return ret;
}

static void user_init_ended(void)
{
	struct process *p;

	waitq_lock(&user_init_wq);
	p = user_init;
	user_init = NULL;
	waitq_unlock(&user_init_wq);
	if (p)
		obj_put(&p->obj);
}

void user_run_init(void)
{
	u64 backoff = NSEC_PER_SEC / 10;
	struct copra_exit ex;
	struct process *p;
	int ret;

	for (;;) {
		ret = user_start_init(&p);
		if (ret) {
			log_err("cannot start %s: %s", USER_INIT_PATH, err_name(ret));
			return;
		}
		ret = process_wait(NULL, p, 0, &ex);
		user_init_ended();
		obj_put(&p->obj);
		if (ret < 0) {
			log_err("waiting for %s failed: %s", USER_INIT_PATH, err_name(ret));
			return;
		}
		log_err("%s ended (%s%s%s, code %d); restarting in %llu ms", USER_INIT_PATH,
			ex.how == COPRA_EXIT_NORMAL ? "exit" : "fault or kill", ex.reason[0] ? ": " : "",
			ex.reason, ex.code, (unsigned long long)(backoff / NSEC_PER_MSEC));
		sched_sleep_ns(backoff);
		backoff = MIN(backoff * 2, USER_INIT_BACKOFF_MAX_NS);
	}
}
