/* The vTPM engine on Linux: the same vtpmd binary Copra runs (shipped as
 * /bin/vtpmd in the peer's initramfs by run-bench), driven over a
 * SOCK_SEQPACKET socketpair as its fd 3 (one message per read and write,
 * like a Copra channel). One operation is one command round trip: the
 * driver's write, vtpmd's read, the engine, vtpmd's write, the driver's
 * read. vtpmd starts once per boot (its first start manufactures the TPM:
 * EK key generation, untimed) and serves every vtpm_* benchmark. */
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bench.h"
#include "../vtpm_cmds.h"

static int vtpm_fd = -1;

static int vtpm_call(const struct vc_buf *c, uint8_t *rsp, size_t cap, size_t *len)
{
	uint8_t req[VC_MAX + 8], in[4096 + 4];
	size_t n = vc_frame(req, c);
	ssize_t r;

	if (write(vtpm_fd, req, n) != (ssize_t)n)
		return -1;
	r = read(vtpm_fd, in, sizeof(in));
	if (r < 4)
		return -1;
	n = (size_t)in[0] | (size_t)in[1] << 8 | (size_t)in[2] << 16 | (size_t)in[3] << 24;
	if (n + 4 != (size_t)r || n > cap)
		return -1;
	memcpy(rsp, in + 4, n);
	*len = n;
	return 0;
}

/* A command that must succeed; TPM_RC_RETRY answers are re-sent. */
static int vtpm_ok(const struct vc_buf *c, uint8_t *rsp, size_t *len)
{
	uint32_t rc;

	do {
		if (vtpm_call(c, rsp, 4096, len)) {
			bench_fail("vtpmd: channel error: %s", strerror(errno));
			return -1;
		}
		rc = vc_rc(rsp, *len);
	} while (rc == VC_RC_RETRY);
	if (rc) {
		bench_fail("vtpmd: command 0x%x failed: rc 0x%x", vc_be32(c->b + 6), rc);
		return -1;
	}
	return 0;
}

static int vtpm_start(void)
{
	static const char *const argv[] = { "vtpmd", "--nvchip", "/tmp/vtpm/nvchip", NULL };
	uint8_t rsp[4096];
	struct vc_buf c;
	size_t len;
	int sv[2];
	pid_t pid;

	if (vtpm_fd >= 0)
		return 0;
	mkdir("/tmp", 0755);
	mkdir("/tmp/vtpm", 0700);
	if (socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv) != 0) {
		bench_fail("socketpair: %s", strerror(errno));
		return -1;
	}
	pid = fork();
	if (pid < 0) {
		bench_fail("fork: %s", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		if (dup2(sv[1], 3) != 3)
			_exit(126);
		execv("/bin/vtpmd", (char *const *)argv);
		_exit(127);
	}
	close(sv[1]);
	vtpm_fd = sv[0];
	vc_startup(&c);
	return vtpm_ok(&c, rsp, &len);
}

/* iters round trips of one command: its total instruction count. */
static uint64_t vtpm_loop(const struct vc_buf *c, uint64_t iters)
{
	uint8_t rsp[4096];
	uint64_t t0, t1, i;
	size_t len;

	if (vtpm_start() || vtpm_ok(c, rsp, &len))
		return BENCH_ERROR;
	t0 = tsc_now();
	for (i = 0; i < iters; i++)
		if (vtpm_ok(c, rsp, &len))
			return BENCH_ERROR;
	t1 = tsc_now();
	return t1 - t0;
}

static const uint8_t vtpm_digest[32] = { 0x62, 0x65, 0x6e, 0x63, 0x68 };

BENCH(vtpm_pcr_extend, 1, 200)
{
	struct vc_buf c;

	vc_pcr_extend(&c, 16, vtpm_digest);
	return vtpm_loop(&c, iters);
}

BENCH(vtpm_get_random, 1, 200)
{
	struct vc_buf c;

	vc_get_random(&c, 32);
	return vtpm_loop(&c, iters);
}

/* Each CreatePrimary is timed alone; flushing the key is not. */
BENCH(vtpm_create_primary_ecc, 1, 10)
{
	uint8_t rsp[4096];
	struct vc_buf c, f;
	uint64_t total = 0, t0, i;
	size_t len;

	if (vtpm_start())
		return BENCH_ERROR;
	vc_create_primary_ecc(&c);
	for (i = 0; i < iters; i++) {
		t0 = tsc_now();
		if (vtpm_ok(&c, rsp, &len))
			return BENCH_ERROR;
		total += tsc_now() - t0;
		vc_flush(&f, vc_created_handle(rsp, len));
		if (vtpm_ok(&f, rsp, &len))
			return BENCH_ERROR;
	}
	return total;
}

BENCH(vtpm_sign_ecdsa, 1, 20)
{
	uint8_t rsp[4096];
	struct vc_buf c, s;
	uint32_t handle;
	uint64_t t;
	size_t len;

	if (vtpm_start())
		return BENCH_ERROR;
	vc_create_primary_ecc(&c);
	if (vtpm_ok(&c, rsp, &len))
		return BENCH_ERROR;
	handle = vc_created_handle(rsp, len);
	vc_sign_ecdsa(&s, handle, vtpm_digest);
	t = vtpm_loop(&s, iters);
	vc_flush(&c, handle);
	if (vtpm_ok(&c, rsp, &len))
		return BENCH_ERROR;
	return t;
}
