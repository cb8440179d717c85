/*
 * `igvmtool launch`, second half: writes into DIR the loaded pages coalesced
 * into contiguous runs (mem-<gpa>.bin, one -device loader each), the start
 * stub (stub.bin at the chosen page), the reset ROM (rom.bin, for -bios) and
 * qemu-args: those QEMU arguments, one per line, with absolute paths.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "igvm_launch.h"

struct igvm_args {
	char *buf;
	size_t len;
	FILE *f;
};

/* One QEMU loader argument; commas in the path are doubled as QEMU requires. */
static void igvm_args_loader(FILE *f, const char *path, u64 gpa)
{
	fputs("-device\nloader,file=", f);
	for (const char *p = path; *p; p++) {
		if (*p == ',')
			fputc(',', f);
		fputc(*p, f);
	}
	fprintf(f, ",addr=0x%llx,force-raw=on\n", (unsigned long long)gpa);
}

static int igvm_launch_path(char *out, size_t n, const char *dir, const char *name,
			    struct igvm_err *e)
{
	int len = snprintf(out, n, "%s/%s", dir, name);

	if (len < 0 || (size_t)len >= n)
		return igvm_errf(e, "launch: output path too long");
	return 0;
}

/* Removes run files of an earlier launch so that DIR holds only this one. */
static void igvm_launch_clean(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char path[PATH_MAX];

	if (!d)
		return;
	while ((de = readdir(d))) {
		size_t n = strlen(de->d_name);

		if (n > 8 && !strncmp(de->d_name, "mem-", 4) && !strcmp(de->d_name + n - 4, ".bin") &&
		    snprintf(path, sizeof(path), "%s/%s", dir, de->d_name) < (int)sizeof(path))
			unlink(path);
	}
	closedir(d);
}

static int igvm_launch_run(const struct igvm_launch *l, const char *dir, u32 first, u32 n,
			   FILE *args, struct igvm_err *e)
{
	u64 gpa = l->load.pages[first].gpa;
	char name[64], path[PATH_MAX];
	u8 *buf = calloc(n, IGVM_PAGE_SIZE);
	int ret;

	if (!buf)
		return igvm_errf(e, "out of memory");
	for (u32 i = 0; i < n; i++) {
		if (l->load.pages[first + i].data)
			memcpy(buf + (size_t)i * IGVM_PAGE_SIZE, l->load.pages[first + i].data,
			       IGVM_PAGE_SIZE);
	}
	snprintf(name, sizeof(name), "mem-0x%llx.bin", (unsigned long long)gpa);
	ret = igvm_launch_path(path, sizeof(path), dir, name, e);
	if (!ret)
		ret = igvm_file_write(path, buf, (size_t)n * IGVM_PAGE_SIZE, e);
	if (!ret)
		igvm_args_loader(args, path, gpa);
	free(buf);
	return ret;
}

static int igvm_launch_runs(const struct igvm_launch *l, const char *dir, FILE *args,
			    struct igvm_err *e)
{
	for (u32 i = 0; i < l->load.count;) {
		u32 n = 1;

		while (i + n < l->load.count &&
		       l->load.pages[i + n].gpa == l->load.pages[i].gpa + (u64)n * IGVM_PAGE_SIZE)
			n++;
		if (igvm_launch_run(l, dir, i, n, args, e) < 0)
			return -1;
		i += n;
	}
	return 0;
}

static int igvm_launch_blobs(const struct igvm_launch *l, const char *dir, FILE *args,
			     struct igvm_err *e)
{
	u8 stub[IGVM_PAGE_SIZE];
	char path[PATH_MAX];
	u8 *rom = malloc(igvm_stub_rom_size());
	int ret;

	if (!rom)
		return igvm_errf(e, "out of memory");
	ret = igvm_stub_rom(rom, igvm_stub_rom_size(), l->stub_gpa, e);
	if (!ret)
		ret = igvm_launch_path(path, sizeof(path), dir, "rom.bin", e);
	if (!ret)
		ret = igvm_file_write(path, rom, igvm_stub_rom_size(), e);
	free(rom);
	if (ret)
		return -1;
	fprintf(args, "-bios\n%s\n", path);
	if (igvm_stub_page(stub, l->stub_gpa, &l->ctx, e) < 0 ||
	    igvm_launch_path(path, sizeof(path), dir, "stub.bin", e) < 0 ||
	    igvm_file_write(path, stub, sizeof(stub), e) < 0)
		return -1;
	igvm_args_loader(args, path, l->stub_gpa);
	return 0;
}

int igvm_launch_write(const struct igvm_launch *l, const char *outdir, struct igvm_err *e)
{
	char dir[PATH_MAX], path[PATH_MAX];
	struct igvm_args a = { NULL, 0, NULL };
	int ret;

	if (mkdir(outdir, 0755) < 0 && errno != EEXIST)
		return igvm_errf(e, "launch: %s: %s", outdir, strerror(errno));
	if (!realpath(outdir, dir))
		return igvm_errf(e, "launch: %s: %s", outdir, strerror(errno));
	if (strchr(dir, '\n'))
		return igvm_errf(e, "launch: output directory name contains a newline");
	igvm_launch_clean(dir);
	a.f = open_memstream(&a.buf, &a.len);
	if (!a.f)
		return igvm_errf(e, "out of memory");
	ret = igvm_launch_blobs(l, dir, a.f, e);
	if (!ret)
		ret = igvm_launch_runs(l, dir, a.f, e);
	if (fclose(a.f) && !ret)
		ret = igvm_errf(e, "out of memory");
	if (!ret)
		ret = igvm_launch_path(path, sizeof(path), dir, "qemu-args", e);
	if (!ret)
		ret = igvm_file_write(path, a.buf, a.len, e);
	free(a.buf);
	return ret;
}
