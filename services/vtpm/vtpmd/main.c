/*
 * vtpmd: entry point. Parses the options, seeds OpenSSL's (and so libtpms')
 * random generator from getrandom, opens the NV file and either restarts
 * with the existing state or manufactures a new TPM, then serves the
 * command channel until EOF.
 *
 *   vtpmd [--nvchip PATH] [--fd N]     defaults: /var/tpm/nvchip, 3
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "vtpmd.h"

#define VTPMD_SEED_BYTES 48

void vtpmd_log(const char *fmt, ...)
{
	char line[512];
	va_list ap;
	int n;

	memcpy(line, "vtpmd: ", 7);
	va_start(ap, fmt);
	n = vsnprintf(line + 7, sizeof(line) - 8, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	n = 7 + (n < (int)sizeof(line) - 8 ? n : (int)sizeof(line) - 9);
	line[n++] = '\n';
	if (write(2, line, (size_t)n) < 0)
		return; /* nowhere left to report it */
}

static int main_usage(const char *why)
{
	vtpmd_log("%s; usage: vtpmd [--nvchip PATH] [--fd N]", why);
	return 2;
}

static int main_parse_fd(const char *s, int *fd)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < 0 || v > 1023)
		return -1;
	*fd = (int)v;
	return 0;
}

/* OpenSSL without its configuration file, then seeded from getrandom. */
static int main_seed_rng(void)
{
	unsigned char seed[VTPMD_SEED_BYTES];
	ssize_t n;

	if (OPENSSL_init_crypto(OPENSSL_INIT_NO_LOAD_CONFIG, NULL) != 1) {
		vtpmd_log("OpenSSL initialisation failed");
		return -1;
	}
	do
		n = getrandom(seed, sizeof(seed), 0);
	while (n < 0 && errno == EINTR);
	if (n != (ssize_t)sizeof(seed)) {
		vtpmd_log("getrandom failed (%s): no entropy for the TPM",
			  n < 0 ? strerror(errno) : "short read");
		return -1;
	}
	RAND_seed(seed, sizeof(seed));
	OPENSSL_cleanse(seed, sizeof(seed));
	if (RAND_status() != 1) {
		vtpmd_log("OpenSSL random generator is not seeded");
		return -1;
	}
	return 0;
}

/*
 * No NV file yet: libtpms manufactures while NV writes stay in memory, the
 * EKs are provisioned, the TPM is power-cycled, and only then is the file
 * written, so an interrupted first start leaves no half-provisioned state.
 */
static int main_first_start(void)
{
	vtpmd_nv_set_deferred(true);
	if (vtpmd_engine_start() != 0 || vtpmd_prov_manufacture() != 0)
		return -1;
	vtpmd_engine_stop();
	if (vtpmd_engine_start() != 0)
		return -1;
	vtpmd_nv_set_deferred(false);
	if (vtpmd_nv_commit() != 0)
		return -1;
	vtpmd_log("manufactured a new TPM; endorsement keys at 0x%08x (RSA 2048) and "
		  "0x%08x (ECC P-256)", VTPMD_EK_RSA_HANDLE, VTPMD_EK_ECC_HANDLE);
	return 0;
}

static int main_parse_args(int argc, char **argv, const char **nvchip, int *fd)
{
	int i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--nvchip") == 0 && i + 1 < argc && argv[i + 1][0]) {
			*nvchip = argv[++i];
			continue;
		}
		if (strcmp(argv[i], "--fd") == 0 && i + 1 < argc) {
			if (main_parse_fd(argv[++i], fd) != 0)
				return main_usage("bad --fd value");
			continue;
		}
		return main_usage(strcmp(argv[i], "--help") ? "bad arguments" : "help");
	}
	return 0;
}

int main(int argc, char **argv)
{
	const char *nvchip = VTPMD_DEFAULT_NVCHIP;
	int fd = VTPMD_DEFAULT_FD, rc;
	bool exists = false;

	rc = main_parse_args(argc, argv, &nvchip, &fd);
	if (rc != 0)
		return rc;
	if (main_seed_rng() != 0 || vtpmd_nv_open(nvchip, &exists) != 0)
		return 1;
	if (exists) {
		if (vtpmd_engine_start() != 0)
			return 1;
		vtpmd_log("restarted with existing NV state");
	} else if (main_first_start() != 0) {
		vtpmd_log("manufacture failed");
		return 1;
	}
	rc = vtpmd_loop_run(fd);
	vtpmd_engine_stop();
	return rc;
}
