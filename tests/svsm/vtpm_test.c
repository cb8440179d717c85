/*
 * In-SVSM tests of the kernel side of the vTPM: the SVSM dispatcher and
 * protocol 2 through a fake guest-memory accessor, with hostile buffers and
 * GPAs (each gets its SVSM error, guest memory stays untouched, and the
 * service keeps answering), hostile answers from the service, a service
 * that is absent, dies, hangs or is replaced, /dev/vtpm's permission check,
 * the mssim transport logic (kernel/vtpm/mssim.c) and that nothing leaks.
 * The service is the fake of vtpm_fake.c.
 */
#include <abi/mssim.h>
#include <abi/svsm.h>
#include <copra/channel.h>
#include <copra/errno.h>
#include <copra/file.h>
#include <copra/process.h>
#include <copra/string.h>
#include <copra/svsm.h>
#include <copra/task.h>
#include <copra/test.h>
#include <copra/time.h>
#include <copra/vtpm.h>

#include "vtpm_fake.h"

#define VT_GPA_BASE 0x200000ULL
#define VT_PAGES 4u
#define VT_FORBIDDEN_PAGE 3u           /* the accessor refuses it (Copra's own memory) */
#define VT_FAST_NS (2 * NSEC_PER_SEC)  /* "fails fast": well below any service deadline */

static u8 vt_guest[VT_PAGES * PAGE_SIZE];
static u8 vt_before[VT_PAGES * PAGE_SIZE];
static u64 vt_guest_writes;

static bool vt_gm_range(u64 gpa, size_t len, u64 *off)
{
	u64 o = gpa - VT_GPA_BASE;

	if (gpa < VT_GPA_BASE || o > sizeof(vt_guest) || len > sizeof(vt_guest) - o)
		return false;
	/* Any byte on the forbidden page fails the whole access. */
	if (o + len > VT_FORBIDDEN_PAGE * PAGE_SIZE && o < (VT_FORBIDDEN_PAGE + 1) * PAGE_SIZE)
		return false;
	*off = o;
	return true;
}

static int vt_gm_read(const struct guest_mem *gm, gpa_t gpa, void *dst, size_t len)
{
	u64 off;

	(void)gm;
	if (!vt_gm_range(gpa_addr(gpa), len, &off))
		return -E_FAULT;
	memcpy(dst, vt_guest + off, len);
	return 0;
}

static int vt_gm_write(const struct guest_mem *gm, gpa_t gpa, const void *src, size_t len)
{
	u64 off;

	(void)gm;
	if (!vt_gm_range(gpa_addr(gpa), len, &off))
		return -E_FAULT;
	memcpy(vt_guest + off, src, len);
	vt_guest_writes++;
	return 0;
}

static const struct guest_mem vt_gm = {
	.limit = VT_GPA_BASE + sizeof(vt_guest),
	.read = vt_gm_read,
	.write = vt_gm_write,
};

static void vt_le32(u8 *p, u32 v)
{
	p[0] = (u8)v;
	p[1] = (u8)(v >> 8);
	p[2] = (u8)(v >> 16);
	p[3] = (u8)(v >> 24);
}

static u32 vt_rd_le32(const u8 *p)
{
	return (u32)p[0] | (u32)p[1] << 8 | (u32)p[2] << 16 | (u32)p[3] << 24;
}

static u32 vt_rd_be32(const u8 *p)
{
	return (u32)p[0] << 24 | (u32)p[1] << 16 | (u32)p[2] << 8 | p[3];
}

static void vt_be32(u8 *p, u32 v)
{
	p[0] = (u8)(v >> 24);
	p[1] = (u8)(v >> 16);
	p[2] = (u8)(v >> 8);
	p[3] = (u8)v;
}

/* A protocol-2 request at p: platform command, locality, size, TPM command of size bytes. */
static void vt_build(u8 *p, u32 platform, u8 locality, u32 size, u32 code)
{
	memset(p, 0, SVSM_VTPM_BUFFER_SIZE);
	vt_le32(p, platform);
	p[4] = locality;
	vt_le32(p + 5, size);
	p[9] = 0x80;
	p[10] = 0x01;
	vt_be32(p + 11, size);
	vt_be32(p + 15, code);
}

static u64 vt_call(u64 proto, u64 call, u64 rcx, struct svsm_regs *r)
{
	memset(r, 0, sizeof(*r));
	r->rax = SVSM_CALL_ID(proto, call);
	r->rcx = rcx;
	svsm_call(&vt_gm, r);
	return r->rax;
}

/* VTPM_CMD on the buffer at gpa (within vt_guest). */
static u64 vt_cmd_at(u64 gpa)
{
	struct svsm_regs r;

	return vt_call(SVSM_PROTO_VTPM, SVSM_VTPM_CMD, gpa, &r);
}

/* A good command at the start of guest memory is answered by the fake. */
static bool vt_roundtrip(u32 code)
{
	u8 *p = vt_guest;

	vt_build(p, SVSM_VTPM_PLATFORM_SEND_COMMAND, 0, 10, code);
	if (vt_cmd_at(VT_GPA_BASE) != SVSM_SUCCESS)
		return false;
	return vt_rd_le32(p) == VT_FAKE_RSP_SIZE && vt_rd_be32(p + 4 + 2) == VT_FAKE_RSP_SIZE &&
	       vt_rd_be32(p + 4 + 6) == 0 && vt_rd_be32(p + 4 + 10) == code &&
	       vt_rd_be32(p + 4 + 14) == 0;
}

/* No service, no fake thread left. */
static void vt_reset(struct vt_fake *f)
{
	vtpm_service_stop("test cleanup");
	if (f)
		vt_fake_join(f);
}

TEST(vtpm, query_and_dispatch)
{
	struct svsm_regs r;

	CHECK_EQ(t, vt_call(SVSM_PROTO_VTPM, SVSM_VTPM_QUERY, 0, &r), SVSM_SUCCESS);
	CHECK_EQ(t, r.rcx, 0x100);
	CHECK_EQ(t, r.rdx, 0);
	CHECK_EQ(t, vt_call(9, 0, 0, &r), SVSM_ERR_UNSUPPORTED_PROTOCOL);
	CHECK_EQ(t, vt_call(0xFFFFFFFFu, 0, 0, &r), SVSM_ERR_UNSUPPORTED_PROTOCOL);
	CHECK_EQ(t, vt_call(SVSM_PROTO_VTPM, 2, 0x1234, &r), SVSM_ERR_UNSUPPORTED_CALL);
	CHECK_EQ(t, r.rcx, 0x1234); /* a failed call leaves the outputs alone */
	CHECK_EQ(t, vt_call(SVSM_PROTO_VTPM, 0xFFFFFFFFu, 0, &r), SVSM_ERR_UNSUPPORTED_CALL);
	CHECK_EQ(t, vt_call(SVSM_PROTO_CORE, SVSM_CORE_REMAP_CA, 0, &r), SVSM_ERR_UNSUPPORTED_CALL);
	CHECK_EQ(t, vt_call(SVSM_PROTO_ATTEST, 0, 0, &r), SVSM_ERR_UNSUPPORTED_PROTOCOL);
	CHECK_EQ(t, vt_call(SVSM_PROTO_CORE, SVSM_CORE_QUERY_PROTOCOL, (u64)SVSM_PROTO_VTPM << 32 | 1,
			    &r), SVSM_SUCCESS);
	CHECK_EQ(t, r.rcx, 1ULL << 32 | 1);
	CHECK_EQ(t, vt_call(SVSM_PROTO_CORE, SVSM_CORE_QUERY_PROTOCOL, (u64)SVSM_PROTO_VTPM << 32 | 2,
			    &r), SVSM_SUCCESS);
	CHECK_EQ(t, r.rcx, 0);
	CHECK_EQ(t, vt_call(SVSM_PROTO_CORE, SVSM_CORE_QUERY_PROTOCOL, 7ULL << 32 | 1, &r),
		 SVSM_SUCCESS);
	CHECK_EQ(t, r.rcx, 0);
	CHECK_EQ(t, vt_call(SVSM_PROTO_CORE, SVSM_CORE_QUERY_PROTOCOL, 1, &r), SVSM_SUCCESS);
	CHECK_EQ(t, r.rcx, 1ULL << 32 | 1);
}

TEST(vtpm, command_roundtrip_and_limits)
{
	struct vt_fake *f = &vt_fakes[0];
	u64 writes;

	vt_reset(NULL);
	CHECK_EQ(t, vt_fake_start(f), 0);
	CHECK(t, vt_roundtrip(VT_CC_ECHO));
	/* Only the response (4 + 18 bytes) is written back; the rest stays as the guest left it. */
	vt_build(vt_guest, 8, 0, 10, VT_CC_ECHO);
	memset(vt_guest + 4 + VT_FAKE_RSP_SIZE, 0x5A, 16);
	CHECK_EQ(t, vt_cmd_at(VT_GPA_BASE), SVSM_SUCCESS);
	CHECK_EQ(t, vt_guest[4 + VT_FAKE_RSP_SIZE - 1], 0);
	CHECK_EQ(t, vt_guest[4 + VT_FAKE_RSP_SIZE], 0x5A);
	/* The largest command (4087 bytes) fills the buffer exactly. */
	vt_build(vt_guest, 8, 0, SVSM_VTPM_MAX_CMD_SIZE, VT_CC_ECHO);
	CHECK_EQ(t, vt_cmd_at(VT_GPA_BASE), SVSM_SUCCESS);
	CHECK_EQ(t, vt_rd_le32(vt_guest), VT_FAKE_RSP_SIZE);
	/* A buffer across a page boundary (8-byte aligned) is fine. */
	vt_build(vt_guest + 0x808, 8, 0, 10, VT_CC_ECHO);
	writes = vt_guest_writes;
	CHECK_EQ(t, vt_cmd_at(VT_GPA_BASE + 0x808), SVSM_SUCCESS);
	CHECK_EQ(t, vt_rd_be32(vt_guest + 0x808 + 4 + 10), VT_CC_ECHO);
	CHECK_EQ(t, vt_guest_writes, writes + 1);
	CHECK(t, f->served == 4);
	vt_reset(f);
}

struct vt_bad_buffer {
	const char *what;
	u32 platform;
	u8 locality;
	u32 size;        /* the request's size field */
	u32 tpm_size;    /* the TPM header's commandSize (0: same as size) */
	u64 want;
};

static const struct vt_bad_buffer vt_bad_buffers[] = {
	{ "platform command 7", 7, 0, 10, 0, SVSM_ERR_UNSUPPORTED_CALL },
	{ "platform command ~0", 0xFFFFFFFFu, 0, 10, 0, SVSM_ERR_UNSUPPORTED_CALL },
	{ "platform command 0", 0, 0, 10, 0, SVSM_ERR_UNSUPPORTED_CALL },
	{ "locality 1", 8, 1, 10, 0, SVSM_ERR_INVALID_PARAMETER },
	{ "locality 4", 8, 4, 10, 0, SVSM_ERR_INVALID_PARAMETER },
	{ "locality 255", 8, 255, 10, 0, SVSM_ERR_INVALID_PARAMETER },
	{ "size 0", 8, 0, 0, 10, SVSM_ERR_INVALID_PARAMETER },
	{ "size 9", 8, 0, 9, 9, SVSM_ERR_INVALID_PARAMETER },
	{ "size 4088 (past the buffer)", 8, 0, 4088, 0, SVSM_ERR_INVALID_PARAMETER },
	{ "size 0xFFFFFFFF", 8, 0, 0xFFFFFFFFu, 10, SVSM_ERR_INVALID_PARAMETER },
	{ "truncated (header says more)", 8, 0, 20, 30, SVSM_ERR_INVALID_PARAMETER },
	{ "header says less", 8, 0, 30, 20, SVSM_ERR_INVALID_PARAMETER },
};

TEST(vtpm, hostile_buffers)
{
	struct vt_fake *f = &vt_fakes[0];
	u64 writes;
	unsigned i;

	vt_reset(NULL);
	CHECK_EQ(t, vt_fake_start(f), 0);
	for (i = 0; i < ARRAY_SIZE(vt_bad_buffers); i++) {
		const struct vt_bad_buffer *b = &vt_bad_buffers[i];

		vt_build(vt_guest, b->platform, b->locality, b->size, VT_CC_ECHO);
		vt_be32(vt_guest + 11, b->tpm_size ? b->tpm_size : b->size);
		memcpy(vt_before, vt_guest, sizeof(vt_guest));
		writes = vt_guest_writes;
		if (vt_cmd_at(VT_GPA_BASE) != b->want)
			test_fail(t, __FILE__, __LINE__, "%s: got 0x%llx", b->what,
				  (unsigned long long)vt_cmd_at(VT_GPA_BASE));
		CHECK(t, !t->failed);
		CHECK_EQ(t, vt_guest_writes, writes);
		CHECK(t, memcmp(vt_before, vt_guest, sizeof(vt_guest)) == 0);
		CHECK(t, vt_roundtrip(VT_CC_ECHO)); /* the service keeps answering */
	}
	/* Garbage: every byte 0xA5, then a valid header over random bytes. */
	memset(vt_guest, 0xA5, PAGE_SIZE);
	CHECK_EQ(t, vt_cmd_at(VT_GPA_BASE), SVSM_ERR_UNSUPPORTED_CALL);
	vt_le32(vt_guest, 8);
	vt_guest[4] = 0;
	CHECK_EQ(t, vt_cmd_at(VT_GPA_BASE), SVSM_ERR_INVALID_PARAMETER);
	CHECK(t, vt_roundtrip(VT_CC_ECHO));
	CHECK(t, f->served == ARRAY_SIZE(vt_bad_buffers) + 1);
	vt_reset(f);
}

TEST(vtpm, hostile_gpas)
{
	static const u64 bad[] = {
		0, VT_GPA_BASE + 1, VT_GPA_BASE + 4, VT_GPA_BASE + 0x7FF,
		VT_GPA_BASE + sizeof(vt_guest) - SVSM_VTPM_BUFFER_SIZE + 8, /* runs past the limit */
		VT_GPA_BASE + sizeof(vt_guest), 0xFFFFFFFFFFFFF000ULL, 0xFFFFFFFFFFFFFFF8ULL,
		VT_GPA_BASE + 2 * PAGE_SIZE + 8,  /* reaches the forbidden page */
		VT_GPA_BASE + VT_FORBIDDEN_PAGE * PAGE_SIZE - 8, 0x1000, 1ULL << 52,
	};
	struct vt_fake *f = &vt_fakes[0];
	struct svsm_regs r;
	u64 writes;
	unsigned i;

	vt_reset(NULL);
	CHECK_EQ(t, vt_fake_start(f), 0);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		writes = vt_guest_writes;
		if (vt_cmd_at(bad[i]) != SVSM_ERR_INVALID_ADDRESS)
			test_fail(t, __FILE__, __LINE__, "GPA 0x%llx accepted",
				  (unsigned long long)bad[i]);
		CHECK(t, !t->failed);
		CHECK_EQ(t, vt_guest_writes, writes);
		CHECK(t, vt_roundtrip(VT_CC_ECHO));
	}
	/* No accessor at all (a platform without guests). */
	memset(&r, 0, sizeof(r));
	r.rax = SVSM_CALL_ID(SVSM_PROTO_VTPM, SVSM_VTPM_CMD);
	r.rcx = VT_GPA_BASE;
	svsm_call(NULL, &r);
	CHECK_EQ(t, r.rax, SVSM_ERR_INVALID_ADDRESS);
	CHECK(t, f->served == ARRAY_SIZE(bad));
	vt_reset(f);
}

TEST(vtpm, hostile_answers)
{
	static const u32 codes[] = { VT_CC_BAD_LENGTH, VT_CC_BAD_HEADER, VT_CC_HUGE, VT_CC_SHORT };
	struct vtpm_stats before, after;
	struct vt_fake *f = &vt_fakes[0];
	unsigned i;

	vt_reset(NULL);
	CHECK_EQ(t, vt_fake_start(f), 0);
	vtpm_get_stats(&before);
	for (i = 0; i < ARRAY_SIZE(codes); i++) {
		vt_build(vt_guest, 8, 0, 10, codes[i]);
		memcpy(vt_before, vt_guest, sizeof(vt_guest));
		CHECK_EQ(t, vt_cmd_at(VT_GPA_BASE), SVSM_ERR_INVALID_REQUEST);
		CHECK(t, memcmp(vt_before, vt_guest, sizeof(vt_guest)) == 0);
		CHECK(t, vt_roundtrip(VT_CC_ECHO));
	}
	vtpm_get_stats(&after);
	CHECK_EQ(t, after.failures - before.failures, ARRAY_SIZE(codes));
	CHECK(t, vtpm_connected());
	vt_reset(f);
}

/* Commands with no service fail at once: SVSM INVALID_REQUEST. */
TEST(vtpm, service_absent_dies_and_returns)
{
	struct vt_fake *f = &vt_fakes[0];
	u64 start;

	vt_reset(NULL);
	CHECK(t, !vtpm_connected());
	start = time_ns();
	vt_build(vt_guest, 8, 0, 10, VT_CC_ECHO);
	CHECK_EQ(t, vt_cmd_at(VT_GPA_BASE), SVSM_ERR_INVALID_REQUEST);
	CHECK(t, time_ns() - start < VT_FAST_NS);
	/* The service dies in the middle of a command. */
	CHECK_EQ(t, vt_fake_start(f), 0);
	CHECK(t, vt_roundtrip(VT_CC_ECHO));
	vt_build(vt_guest, 8, 0, 10, VT_CC_EXIT);
	CHECK_EQ(t, vt_cmd_at(VT_GPA_BASE), SVSM_ERR_INVALID_REQUEST);
	vt_fake_join(f);
	CHECK(t, !vtpm_connected());
	start = time_ns();
	CHECK(t, !vt_roundtrip(VT_CC_ECHO));
	CHECK(t, time_ns() - start < VT_FAST_NS);
	/* A new service (init's restart) answers again. */
	CHECK_EQ(t, vt_fake_start(f), 0);
	CHECK(t, vt_roundtrip(VT_CC_ECHO));
	vt_reset(f);
}

/* A service that does not answer is stopped at the deadline. */
TEST(vtpm, service_hangs)
{
	struct vt_fake *f = &vt_fakes[0];
	u8 *buf = vt_before;
	size_t len;
	u64 start;

	vt_reset(NULL);
	CHECK_EQ(t, vt_fake_start(f), 0);
	vt_build(buf, 8, 0, 10, VT_CC_SILENT);
	start = time_ns();
	CHECK_EQ(t, vtpm_command_timeout(buf, &len, 300 * NSEC_PER_MSEC), -E_TIMEDOUT);
	CHECK(t, time_ns() - start >= 300 * NSEC_PER_MSEC);
	CHECK(t, !vtpm_connected());
	vt_fake_join(f); /* it read end of file */
	CHECK(t, f->ended);
	vt_build(buf, 8, 0, 10, VT_CC_ECHO);
	CHECK_EQ(t, vtpm_command_timeout(buf, &len, 300 * NSEC_PER_MSEC), -E_PIPE);
}

/* Opening again replaces the channel: the old service reads end of file. */
TEST(vtpm, reconnect_closes_the_old_channel)
{
	struct vt_fake *a = &vt_fakes[0], *b = &vt_fakes[1];

	vt_reset(NULL);
	CHECK_EQ(t, vt_fake_start(a), 0);
	CHECK(t, vt_roundtrip(VT_CC_ECHO));
	CHECK_EQ(t, vt_fake_start(b), 0);
	vt_fake_join(a);
	CHECK(t, a->ended && a->served == 1);
	CHECK(t, vt_roundtrip(VT_CC_ECHO));
	CHECK(t, b->served == 1);
	vt_reset(b);
	CHECK(t, b->ended);
}

TEST(vtpm, dev_vtpm_only_for_init)
{
	static const char hang[] = "/tests/crash\0hang";
	struct copra_exit ex;
	struct object *o = NULL;
	struct process *p;

	vt_reset(NULL);
	/* A kernel thread is not init; neither is another process. */
	CHECK_EQ(t, file_open("/dev/vtpm", COPRA_O_READ | COPRA_O_WRITE, &o), -E_PERM);
	CHECK(t, !vtpm_dev_may_open(NULL));
	CHECK_EQ(t, user_spawn_kernel(hang, hang, sizeof(hang), NULL, &p), 0);
	CHECK(t, !vtpm_dev_may_open(p));
	process_kill(p);
	CHECK(t, process_wait(NULL, p, time_ns() + 10 * NSEC_PER_SEC, &ex) > 0);
	task_join(p->task);
	obj_put(&p->obj);
	/* The registry: unknown names, directories, creation. */
	CHECK_EQ(t, file_open("/dev/nothing", COPRA_O_READ, &o), -E_NOENT);
	CHECK_EQ(t, file_open("/dev/vtpmx", COPRA_O_READ | COPRA_O_WRITE, &o), -E_NOENT);
	CHECK_EQ(t, file_open("/dev/vtpm/", COPRA_O_READ | COPRA_O_WRITE, &o), -E_NOENT);
	CHECK_EQ(t, file_open("/dev/vtpm", COPRA_O_DIR, &o), -E_TYPE);
	CHECK_EQ(t, file_open("/dev/vtpm", COPRA_O_READ, &o), -E_INVAL);
	CHECK_EQ(t, file_open("/dev/vtpm", COPRA_O_READ | COPRA_O_WRITE | COPRA_O_CREATE |
			      COPRA_O_EXCL, &o), -E_EXIST);
	CHECK(t, o == NULL);
	CHECK(t, !vtpm_connected());
}
