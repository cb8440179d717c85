/*
 * Copra-side vTPM benchmarks (pairs in tests/bench/pairs.txt): the same
 * commands as the Linux peer's tests/bench/linux/bench_vtpm.c, each timed
 * from the request entering the vTPM protocol handler
 * (vtpm_command_buffer(), which both transports use) to the response
 * leaving it: decode, the channel to vtpmd, the engine, vtpmd's system
 * calls, the checks of its answer. vtpmd runs as a Linux-ABI process the
 * benchmark starts itself (no init in benchmark images), once per boot.
 */
#include <abi/svsm.h>
#include <copra/bench.h>
#include <copra/log.h>
#include <copra/process.h>
#include <copra/string.h>
#include <copra/task.h>
#include <copra/time.h>
#include <copra/vtpm.h>
#include <arch/time.h>

#include "../vtpm_cmds.h"

static u8 vb_buf[SVSM_VTPM_BUFFER_SIZE];
static bool vb_started;

/* One command through the handler; its cycle count (0 on failure) and the response. */
static u64 vb_call(const struct vc_buf *c, u32 *rc, const u8 **rsp, size_t *rsp_len)
{
	struct svsm_vtpm_cmd_req_hdr h = { SVSM_VTPM_PLATFORM_SEND_COMMAND, 0, (u32)c->n };
	size_t len;
	u64 t0, t1;
	int ret;

	memcpy(vb_buf, &h, sizeof(h));
	memcpy(vb_buf + sizeof(h), c->b, c->n);
	t0 = arch_cycles();
	ret = vtpm_command_buffer(vb_buf, &len);
	t1 = arch_cycles();
	if (ret || len < 4) {
		*rc = 0x101;
		return 0;
	}
	*rsp = vb_buf + 4;
	*rsp_len = len - 4;
	*rc = vc_rc(*rsp, *rsp_len);
	return t1 - t0;
}

/* A command that must succeed (TPM_RC_RETRY is re-sent, untimed); its cycles or 0. */
static u64 vb_ok(const char *name, const struct vc_buf *c, const u8 **rsp, size_t *len)
{
	u64 t;
	u32 rc;

	do {
		t = vb_call(c, &rc, rsp, len);
	} while (rc == VC_RC_RETRY);
	if (rc) {
		log_plain("BENCH-FAIL copra.%s command 0x%x: rc 0x%x\n", name, vc_be32(c->b + 6), rc);
		return 0;
	}
	return t ? t : 1;
}

static bool vb_start(const char *name)
{
	struct spawn_request req;
	struct object *server;
	struct process *p;
	const u8 *rsp;
	struct vc_buf c;
	size_t len;

	if (vb_started)
		return true;
	memset(&req, 0, sizeof(req));
	req.path = "/bin/vtpmd";
	if (vtpm_connect(&server)) {
		log_plain("BENCH-FAIL copra.%s no vTPM channel\n", name);
		return false;
	}
	req.nhandles = 1;
	req.handles[0] = server;
	req.child_handles[0] = 3;
	if (process_spawn(NULL, &req, &p)) {
		obj_put(server);
		log_plain("BENCH-FAIL copra.%s cannot start /bin/vtpmd\n", name);
		return false;
	}
	obj_put(server);
	obj_put(&p->obj); /* it serves until the benchmark image ends */
	vc_startup(&c);
	vb_started = vb_ok(name, &c, &rsp, &len) != 0;
	return vb_started;
}

/* iters timed runs of c after one untimed one: cycles per command. */
static void vb_loop(const char *name, const struct vc_buf *c, unsigned iters)
{
	const u8 *rsp;
	u64 total = 0, t;
	size_t len;
	unsigned i;

	if (!vb_start(name) || !vb_ok(name, c, &rsp, &len))
		return;
	for (i = 0; i < iters; i++) {
		t = vb_ok(name, c, &rsp, &len);
		if (!t)
			return;
		total += t;
	}
	bench_report(name, total / iters, "insn/op");
}

static const u8 vb_digest[32] = { 0x62, 0x65, 0x6e, 0x63, 0x68 };

BENCH(vtpm_pcr_extend)
{
	struct vc_buf c;

	vc_pcr_extend(&c, 16, vb_digest);
	vb_loop("vtpm_pcr_extend", &c, 200);
}

BENCH(vtpm_get_random)
{
	struct vc_buf c;

	vc_get_random(&c, 32);
	vb_loop("vtpm_get_random", &c, 200);
}

/* Each CreatePrimary is timed; flushing the key is not. */
BENCH(vtpm_create_primary_ecc)
{
	static const char name[] = "vtpm_create_primary_ecc";
	struct vc_buf c, f;
	u64 total = 0, t;
	const u8 *rsp;
	size_t len;
	unsigned i;

	if (!vb_start(name))
		return;
	vc_create_primary_ecc(&c);
	for (i = 0; i < 10; i++) {
		t = vb_ok(name, &c, &rsp, &len);
		if (!t)
			return;
		total += t;
		vc_flush(&f, vc_created_handle(rsp, len));
		if (!vb_ok(name, &f, &rsp, &len))
			return;
	}
	bench_report(name, total / 10, "insn/op");
}

BENCH(vtpm_sign_ecdsa)
{
	static const char name[] = "vtpm_sign_ecdsa";
	struct vc_buf c, s;
	const u8 *rsp;
	u32 handle;
	size_t len;

	if (!vb_start(name))
		return;
	vc_create_primary_ecc(&c);
	if (!vb_ok(name, &c, &rsp, &len))
		return;
	handle = vc_created_handle(rsp, len);
	vc_sign_ecdsa(&s, handle, vb_digest);
	vb_loop(name, &s, 20);
	vc_flush(&c, handle);
	(void)vb_ok(name, &c, &rsp, &len);
}
