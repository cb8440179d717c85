/*
 * In-SVSM tests of the Linux static-ELF personality (docs/linux-abi.md):
 * /tests/ltest checks each call through glibc from the inside (its
 * "ltest[pid]: PASS ..." lines reach the console); the real vTPM service,
 * /bin/vtpmd, answers raw TPM commands on a channel (docs/vtpm.md 1), is
 * killed and restarted on the same NV file with its endorsement key intact;
 * /tests/lfuzz throws hostile calls at the personality; nothing leaks. Everything runs under TCG, where vtpmd's first start
 * (manufacture, RSA-2048 key generation) takes long: time-outs are generous.
 */
#include <copra/channel.h>
#include <copra/errno.h>
#include <copra/fmt.h>
#include <copra/heap.h>
#include <copra/log.h>
#include <copra/object.h>
#include <copra/pmm.h>
#include <copra/process.h>
#include <copra/ramfs.h>
#include <copra/string.h>
#include <copra/task.h>
#include <copra/test.h>
#include <copra/time.h>

#include "proc_util.h"

#undef linux /* GNU C predefines it; here it names the test suite */

#define LT_RUN_TIMEOUT_NS (300ULL * NSEC_PER_SEC)
#define LT_FIRST_CMD_TIMEOUT_NS (600ULL * NSEC_PER_SEC) /* manufacture under TCG */
#define LT_CMD_TIMEOUT_NS (120ULL * NSEC_PER_SEC)
#define LT_NVCHIP "/var/tpm/nvchip"
#define LT_EK_RSA 0x81010001u
#define LT_RSP_MAX 4096

static int lt_run(const char *args, u32 len, struct copra_exit *ex)
{
	return pu_run(args, len, NULL, LT_RUN_TIMEOUT_NS, ex);
}


/* Every call through glibc from the inside, then the leak check. */
TEST(linux, ltest_suite)
{
	struct pu_usage before, after;
	struct copra_exit ex;

	pu_usage_get(&before);
	CHECK_EQ(t, lt_run(PU_ARGS("/tests/ltest"), &ex), 0);
	if (ex.how != COPRA_EXIT_NORMAL || ex.code != 0) {
		test_fail(t, __FILE__, __LINE__, "ltest: how %u code %d %s (its FAIL lines are above)",
			  ex.how, ex.code, ex.reason);
		return;
	}
	pu_settle(&before);
	pu_usage_get(&after);
	PU_CHECK_SAME(t, &before, &after);
}

/* exit_group's status reaches the waiter (8 bits, as on Linux). */
TEST(linux, exit_status)
{
	struct copra_exit ex;

	CHECK_EQ(t, lt_run(PU_ARGS("/tests/ltest\0exit\0" "7"), &ex), 0);
	CHECK(t, ex.how == COPRA_EXIT_NORMAL && ex.code == 7);
	CHECK_EQ(t, lt_run(PU_ARGS("/tests/ltest\0exit\0" "300"), &ex), 0);
	CHECK(t, ex.how == COPRA_EXIT_NORMAL && ex.code == 300 % 256);
}

/* Random calls with hostile arguments: answered with Linux values, no leaks. */
TEST(linux, syscall_fuzz)
{
	pu_fuzz(t, "/tests/lfuzz", "/tmp/lfz", LT_RUN_TIMEOUT_NS);
}

/* ---- vtpmd ---- */

static void lt_put_le32(u8 *p, u32 v)
{
	p[0] = (u8)v;
	p[1] = (u8)(v >> 8);
	p[2] = (u8)(v >> 16);
	p[3] = (u8)(v >> 24);
}

static u32 lt_be32(const u8 *p)
{
	return ((u32)p[0] << 24) | ((u32)p[1] << 16) | ((u32)p[2] << 8) | p[3];
}

/*
 * One TPM command through the channel (request: u32 locality 0 | u32 size |
 * command; response: u32 size | response). *rc is the TPM response code.
 */
static int lt_tpm(struct channel_end *client, const u8 *cmd, u32 len, u64 timeout_ns, u8 *rsp,
		  u32 *rsp_len, u32 *rc)
{
	static u8 req[8 + 128], buf[4 + LT_RSP_MAX];
	size_t n;
	u32 size;
	int ret;

	if (len > sizeof(req) - 8)
		return -E_TOOBIG;
	lt_put_le32(req, 0);
	lt_put_le32(req + 4, len);
	memcpy(req + 8, cmd, len);
	ret = channel_kernel_call(client, req, 8 + len, buf, sizeof(buf), time_ns() + timeout_ns, &n);
	if (ret)
		return ret;
	size = (u32)buf[0] | (u32)buf[1] << 8 | (u32)buf[2] << 16 | (u32)buf[3] << 24;
	if (n < 4 + 10 || size != n - 4 || lt_be32(buf + 4 + 2) != size)
		return -E_IO;
	memcpy(rsp, buf + 4, size);
	*rsp_len = size;
	*rc = lt_be32(rsp + 6);
	return 0;
}

static const u8 lt_startup_clear[] = { 0x80, 0x01, 0, 0, 0, 12, 0, 0, 0x01, 0x44, 0, 0 };
static const u8 lt_get_random16[] = { 0x80, 0x01, 0, 0, 0, 12, 0, 0, 0x01, 0x7B, 0, 16 };
static const u8 lt_read_public_ek[] = { 0x80, 0x01, 0, 0, 0, 14, 0, 0, 0x01, 0x73,
					0x81, 0x01, 0x00, 0x01 };
/* PCR_Read of SHA-256 PCR 16. */
static const u8 lt_pcr_read16[] = { 0x80, 0x01, 0, 0, 0, 20, 0, 0, 0x01, 0x7E,
				    0, 0, 0, 1, 0x00, 0x0B, 3, 0x00, 0x00, 0x01 };
/* SHA-256("copra linux personality"), and PCR 16 after extending it once with that. */
static const u8 lt_digest[32] = {
	0x4a, 0xbf, 0x43, 0x17, 0x2c, 0x7d, 0xe9, 0x72, 0x15, 0x8e, 0xcc, 0x17, 0x14, 0xda, 0x95, 0xd8,
	0x16, 0xfc, 0x57, 0x20, 0x84, 0xb3, 0x70, 0x31, 0x9c, 0x5b, 0xba, 0x66, 0xb4, 0x41, 0xc4, 0xfe,
};
static const u8 lt_pcr16_expected[32] = {
	0xc4, 0x07, 0x55, 0xc4, 0x9a, 0xb3, 0x66, 0xaf, 0xc9, 0xf0, 0x56, 0x1e, 0xaf, 0x04, 0x3f, 0x35,
	0x52, 0xe0, 0xc1, 0x9a, 0x00, 0xac, 0x5a, 0x98, 0x05, 0x8b, 0xba, 0x61, 0x05, 0xf7, 0xa0, 0xe6,
};

/* PCR_Extend(16, SHA-256 lt_digest) with an empty password session. */
static u32 lt_pcr_extend16(u8 *cmd)
{
	static const u8 head[] = { 0x80, 0x02, 0, 0, 0, 65, 0, 0, 0x01, 0x82, 0, 0, 0, 16,
				   0, 0, 0, 9, 0x40, 0, 0, 0x09, 0, 0, 0, 0, 0,
				   0, 0, 0, 1, 0x00, 0x0B };

	memcpy(cmd, head, sizeof(head));
	memcpy(cmd + sizeof(head), lt_digest, sizeof(lt_digest));
	return sizeof(head) + sizeof(lt_digest);
}

static bool lt_log_has(const char *s)
{
	static char log[8192];
	size_t n = log_ring_read(log, sizeof(log) - 1), k = strlen(s), i;

	log[n] = '\0';
	for (i = 0; i + k <= n; i++)
		if (memcmp(log + i, s, k) == 0)
			return true;
	return false;
}

/* A vtpmd on a new channel: *client is the kernel's end. */
static int lt_vtpmd_start(struct channel_end **client, struct process **p)
{
	struct channel_end *server;
	int ret = channel_create_kernel(client, &server);

	if (ret)
		return ret;
	ret = pu_spawn(PU_ARGS("/bin/vtpmd"), channel_end_object(server), NULL, p);
	channel_end_put(server); /* only vtpmd holds the server end now */
	if (ret)
		channel_end_put(*client);
	return ret;
}

static const u8 lt_zero[32];
static u8 lt_rsp[LT_RSP_MAX], lt_ek[LT_RSP_MAX];
static u32 lt_ek_len;

/* First start: manufacture, then Startup, GetRandom, PCR 16, the RSA EK. */
static void lt_vtpmd_first(struct test_ctx *t, struct channel_end *client)
{
	u8 cmd[128];
	u32 n, rc;

	CHECK_EQ(t, lt_tpm(client, lt_startup_clear, sizeof(lt_startup_clear),
			   LT_FIRST_CMD_TIMEOUT_NS, lt_rsp, &n, &rc), 0);
	CHECK_EQ(t, rc, 0);
	CHECK_EQ(t, lt_tpm(client, lt_get_random16, sizeof(lt_get_random16), LT_CMD_TIMEOUT_NS,
			   lt_rsp, &n, &rc), 0);
	CHECK(t, rc == 0 && n == 10 + 2 + 16 && lt_rsp[10] == 0 && lt_rsp[11] == 16);
	CHECK_EQ(t, lt_tpm(client, cmd, lt_pcr_extend16(cmd), LT_CMD_TIMEOUT_NS, lt_rsp, &n, &rc),
		 0);
	CHECK_EQ(t, rc, 0);
	CHECK_EQ(t, lt_tpm(client, lt_pcr_read16, sizeof(lt_pcr_read16), LT_CMD_TIMEOUT_NS, lt_rsp,
			   &n, &rc), 0);
	CHECK(t, rc == 0 && n == 62 && lt_rsp[28] == 0 && lt_rsp[29] == 32);
	CHECK(t, memcmp(lt_rsp + 30, lt_pcr16_expected, 32) == 0);
	CHECK_EQ(t, lt_tpm(client, lt_read_public_ek, sizeof(lt_read_public_ek), LT_CMD_TIMEOUT_NS,
			   lt_ek, &lt_ek_len, &rc), 0);
	CHECK(t, rc == 0 && lt_ek_len > 10 + 256);
}

/* After a kill: the same NV file, the same endorsement key, a fresh PCR 16. */
static void lt_vtpmd_again(struct test_ctx *t, struct channel_end *client)
{
	u32 n, rc;

	CHECK_EQ(t, lt_tpm(client, lt_read_public_ek, sizeof(lt_read_public_ek),
			   LT_FIRST_CMD_TIMEOUT_NS, lt_rsp, &n, &rc), 0);
	CHECK_EQ(t, rc, 0x100); /* TPM_RC_INITIALIZE: a restart is a TPM reset */
	CHECK_EQ(t, lt_tpm(client, lt_startup_clear, sizeof(lt_startup_clear), LT_CMD_TIMEOUT_NS,
			   lt_rsp, &n, &rc), 0);
	CHECK_EQ(t, rc, 0);
	CHECK_EQ(t, lt_tpm(client, lt_read_public_ek, sizeof(lt_read_public_ek), LT_CMD_TIMEOUT_NS,
			   lt_rsp, &n, &rc), 0);
	CHECK(t, rc == 0 && n == lt_ek_len && memcmp(lt_rsp, lt_ek, n) == 0);
	CHECK_EQ(t, lt_tpm(client, lt_pcr_read16, sizeof(lt_pcr_read16), LT_CMD_TIMEOUT_NS, lt_rsp,
			   &n, &rc), 0);
	CHECK(t, rc == 0 && n == 62 && memcmp(lt_rsp + 30, lt_zero, 32) == 0);
	CHECK(t, lt_log_has("vtpmd: restarted with existing NV state"));
}

/* A fresh TPM: no NV file (a missing one is fine). */
static void lt_remove_nv(void)
{
	(void)ramfs_unlink(LT_NVCHIP);
	(void)ramfs_unlink(LT_NVCHIP ".tmp");
}

TEST_FLAGS(linux, vtpmd_commands_kill_and_restart, TEST_F_SLOW)
{
	struct pu_usage before, after;
	struct channel_end *client;
	struct copra_exit ex;
	struct process *p;

	lt_remove_nv();
	pu_usage_get(&before);
	CHECK_EQ(t, lt_vtpmd_start(&client, &p), 0);
	lt_vtpmd_first(t, client);
	process_kill(p);
	CHECK_EQ(t, pu_finish(p, LT_CMD_TIMEOUT_NS, &ex), 0);
	channel_end_put(client);
	CHECK_EQ(t, ex.how, COPRA_EXIT_KILLED);
	if (t->failed)
		return;
	CHECK_EQ(t, lt_vtpmd_start(&client, &p), 0);
	lt_vtpmd_again(t, client);
	/* The kernel's end closed: vtpmd reads end of file and exits with 0. */
	channel_end_put(client);
	CHECK_EQ(t, pu_finish(p, LT_CMD_TIMEOUT_NS, &ex), 0);
	CHECK(t, ex.how == COPRA_EXIT_NORMAL && ex.code == 0);
	lt_remove_nv();
	pu_settle(&before);
	pu_usage_get(&after);
	PU_CHECK_SAME(t, &before, &after);
}
