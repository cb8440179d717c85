/*
 * igvmtool: builds, dumps, checks and launches Copra IGVM images.
 *
 *   igvmtool build --kernel ELF --out FILE [--archive ARC] [--platforms LIST]
 *                  [--console-port PORT] [--test-build]
 *   igvmtool dump [-v] FILE
 *   igvmtool check FILE
 *   igvmtool launch --igvm FILE --smp SPEC --mem SIZE --outdir DIR
 *   igvmtool pack --out FILE --root DIR
 *
 * Exit status 0 on success, 1 on failure (one line on stderr), 2 on misuse.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "igvm_build.h"
#include "igvm_launch.h"

#define IGVM_MAX_ELF_SIZE (256ull << 20)

int igvm_pack_main(int argc, char **argv); /* igvm_pack.c */

static int igvmtool_usage(void)
{
	fprintf(stderr,
		"usage: igvmtool build --kernel ELF --out FILE [--archive ARC] "
		"[--platforms native] [--console-port 0x3f8] [--test-build]\n"
		"       igvmtool dump [-v] FILE\n"
		"       igvmtool check FILE\n"
		"       igvmtool launch --igvm FILE --smp SPEC --mem SIZE --outdir DIR\n"
		"       igvmtool pack --out FILE --root DIR\n");
	return 2;
}

static int igvmtool_fail(const char *what, const struct igvm_err *e)
{
	fprintf(stderr, "igvmtool: %s: %s\n", what, e->msg);
	return 1;
}

/* Reads and parses an IGVM file; *buf must outlive the model. */
static int igvmtool_load(const char *path, u8 **buf, struct igvm_model *m, struct igvm_err *e)
{
	size_t len;

	if (igvm_file_read(path, IGVM_MAX_FILE_SIZE, buf, &len, e) < 0)
		return -1;
	if (igvm_parse(*buf, len, m, e) < 0) {
		free(*buf);
		*buf = NULL;
		return -1;
	}
	return 0;
}

static int igvmtool_build_files(const char *kernel, const char *archive, const char *out,
				const struct igvm_build_cfg *cfg, struct igvm_err *e)
{
	u8 *elf = NULL, *arc = NULL, *img = NULL;
	size_t elf_len = 0, arc_len = 0, img_len = 0;
	int ret;

	ret = igvm_file_read(kernel, IGVM_MAX_ELF_SIZE, &elf, &elf_len, e);
	if (!ret && archive)
		ret = igvm_file_read(archive, KERNEL_PHYS_MAX, &arc, &arc_len, e);
	if (!ret)
		ret = igvm_build_image(elf, elf_len, arc, arc_len, cfg, &img, &img_len, e);
	if (!ret)
		ret = igvm_file_write(out, img, img_len, e);
	free(elf);
	free(arc);
	free(img);
	return ret;
}

static int igvmtool_build(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "kernel", required_argument, NULL, 'k' },
		{ "out", required_argument, NULL, 'o' },
		{ "archive", required_argument, NULL, 'a' },
		{ "platforms", required_argument, NULL, 'p' },
		{ "console-port", required_argument, NULL, 'c' },
		{ "test-build", no_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 },
	};
	const char *kernel = NULL, *out = NULL, *archive = NULL, *plats = "native";
	struct igvm_build_cfg cfg = { .console_port = 0x3F8 };
	struct igvm_err e;
	unsigned long port;
	char *end;
	int c;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'k': kernel = optarg; break;
		case 'o': out = optarg; break;
		case 'a': archive = optarg; break;
		case 'p': plats = optarg; break;
		case 't': cfg.test_build = true; break;
		case 'c':
			port = strtoul(optarg, &end, 0);
			if (*end || !*optarg || port > 0xFFFF) {
				fprintf(stderr, "igvmtool: build: bad console port '%s'\n", optarg);
				return 2;
			}
			cfg.console_port = (u16)port;
			break;
		default: return igvmtool_usage();
		}
	}
	if (!kernel || !out || optind != argc)
		return igvmtool_usage();
	if (igvm_build_parse_platforms(plats, &cfg.platforms, &e) < 0 ||
	    igvmtool_build_files(kernel, archive, out, &cfg, &e) < 0)
		return igvmtool_fail("build", &e);
	return 0;
}

static int igvmtool_dump(int argc, char **argv)
{
	struct igvm_model m;
	struct igvm_err e;
	bool verbose = false;
	u8 *buf;
	int c;

	while ((c = getopt(argc, argv, "v")) != -1) {
		if (c != 'v')
			return igvmtool_usage();
		verbose = true;
	}
	if (optind != argc - 1)
		return igvmtool_usage();
	if (igvmtool_load(argv[optind], &buf, &m, &e) < 0)
		return igvmtool_fail(argv[optind], &e);
	igvm_dump(stdout, &m, verbose);
	igvm_model_free(&m);
	free(buf);
	return 0;
}

static int igvmtool_check(int argc, char **argv)
{
	struct igvm_model m;
	struct igvm_err e;
	u8 *buf;

	if (argc != 2)
		return igvmtool_usage();
	if (igvmtool_load(argv[1], &buf, &m, &e) < 0)
		return igvmtool_fail(argv[1], &e);
	igvm_model_free(&m);
	free(buf);
	printf("ok\n");
	return 0;
}

static int igvmtool_launch_run(const char *igvm, const char *smp, const char *mem,
			       const char *outdir)
{
	struct igvm_launch l;
	struct igvm_model m;
	struct igvm_err e;
	u8 *buf;
	int ret;

	if (igvmtool_load(igvm, &buf, &m, &e) < 0)
		return igvmtool_fail(igvm, &e);
	ret = igvm_launch_prepare(&l, &m, smp, mem, &e);
	if (!ret)
		ret = igvm_launch_write(&l, outdir, &e);
	igvm_launch_free(&l);
	igvm_model_free(&m);
	free(buf);
	return ret ? igvmtool_fail(igvm, &e) : 0;
}

static int igvmtool_launch(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "igvm", required_argument, NULL, 'i' },
		{ "smp", required_argument, NULL, 's' },
		{ "mem", required_argument, NULL, 'm' },
		{ "outdir", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 },
	};
	const char *igvm = NULL, *smp = "1", *mem = "512M", *outdir = NULL;
	int c;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'i': igvm = optarg; break;
		case 's': smp = optarg; break;
		case 'm': mem = optarg; break;
		case 'o': outdir = optarg; break;
		default: return igvmtool_usage();
		}
	}
	if (!igvm || !outdir || optind != argc)
		return igvmtool_usage();
	return igvmtool_launch_run(igvm, smp, mem, outdir);
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return igvmtool_usage();
	argc--;
	argv++;
	if (!strcmp(argv[0], "build"))
		return igvmtool_build(argc, argv);
	if (!strcmp(argv[0], "dump"))
		return igvmtool_dump(argc, argv);
	if (!strcmp(argv[0], "check"))
		return igvmtool_check(argc, argv);
	if (!strcmp(argv[0], "launch"))
		return igvmtool_launch(argc, argv);
	if (!strcmp(argv[0], "pack"))
		return igvm_pack_main(argc, argv);
	return igvmtool_usage();
}
