/*
 * In-SVSM tests of the native mssim transport's logic (kernel/vtpm/mssim.c)
 * without serial ports: byte streams as tpm2-tss sends them go through the
 * real receivers, each reply is checked byte for byte, TPM commands reach
 * the fake service (vtpm_fake.c) through the protocol-2 entry point, and
 * the platform's power signals start and stop it. Also: repeated connects
 * and stops leak no channel or object.
 */
#include <abi/mssim.h>
#include <copra/channel.h>
#include <copra/errno.h>
#include <copra/string.h>
#include <copra/task.h>
#include <copra/test.h>
#include <copra/time.h>
#include <copra/vtpm.h>

#include "../../kernel/vtpm/vtpm_internal.h"
#include "vtpm_fake.h"

static struct vtpm_mssim vm_m;
static u8 vm_out[VTPM_MSSIM_REPLY_MAX * 2];
static u8 vm_in[MSSIM_MAX_TPM_SIZE + 64];

static void vm_be32(u8 *p, u32 v)
{
	p[0] = (u8)(v >> 24);
	p[1] = (u8)(v >> 16);
	p[2] = (u8)(v >> 8);
	p[3] = (u8)v;
}

static u32 vm_rd_be32(const u8 *p)
{
	return (u32)p[0] << 24 | (u32)p[1] << 16 | (u32)p[2] << 8 | p[3];
}

/* Feeds n bytes to the port's receiver; the replies of every frame go to vm_out. */
static size_t vm_feed(enum mssim_rx_port port, const u8 *data, size_t n)
{
	struct mssim_rx_frame f;
	size_t off = 0, used, out = 0;

	while (off < n) {
		if (mssim_rx_feed(&vm_m.rx[port], data + off, n - off, time_ns(), &used, &f))
			out += vtpm_mssim_reply(&vm_m, &f, vm_out + out, sizeof(vm_out) - out);
		off += used;
	}
	return out;
}

/* A platform signal: its reply must be exactly u32 0 (or nothing when not acked). */
static bool vm_signal(u32 code)
{
	u8 b[4];
	size_t n;

	vm_be32(b, code);
	n = vm_feed(MSSIM_RX_PLATFORM_PORT, b, 4);
	if (!mssim_code_acked(code))
		return n == 0;
	return n == 4 && vm_rd_be32(vm_out) == 0;
}

/* TPM_SEND_COMMAND with a 10-byte command; returns the response's rc and code echo. */
static bool vm_command(u8 locality, u32 code, u32 *rc, u32 *echo)
{
	u8 *p = vm_in;
	size_t n;
	u32 size;

	vm_be32(p, MSSIM_SEND_COMMAND);
	p[4] = locality;
	vm_be32(p + 5, 10);
	p[9] = 0x80;
	p[10] = 0x01;
	vm_be32(p + 11, 10);
	vm_be32(p + 15, code);
	n = vm_feed(MSSIM_RX_TPM_PORT, p, 19);
	if (n < 4 + 10 + 4)
		return false;
	size = vm_rd_be32(vm_out);
	if (n != 4 + (size_t)size + 4 || vm_rd_be32(vm_out + 4 + size) != 0 ||
	    vm_rd_be32(vm_out + 4 + 2) != size)
		return false;
	*rc = vm_rd_be32(vm_out + 4 + 6);
	*echo = size >= VT_FAKE_RSP_SIZE ? vm_rd_be32(vm_out + 4 + 10) : 0;
	return true;
}

TEST(vtpm, mssim_session)
{
	struct vt_fake *f = &vt_fakes[0];
	u8 b[8];
	u32 rc = 1, echo = 0;

	vtpm_service_stop("test setup");
	vtpm_mssim_init(&vm_m);
	CHECK_EQ(t, vt_fake_start(f), 0);
	/* What a tpm2-tools run sends: POWER_ON, NV_ON, commands, then it hangs up. */
	CHECK(t, vm_signal(MSSIM_SIGNAL_POWER_ON));
	CHECK(t, vm_signal(MSSIM_SIGNAL_NV_ON));
	CHECK(t, vm_command(0, VT_CC_ECHO, &rc, &echo));
	CHECK(t, rc == 0 && echo == VT_CC_ECHO);
	CHECK(t, vm_signal(MSSIM_SIGNAL_POWER_ON)); /* idempotent: no reset */
	CHECK(t, vm_command(0, VT_CC_ECHO, &rc, &echo));
	CHECK(t, rc == 0 && f->served == 2 && vtpm_connected());
	/* Other codes on both ports. */
	vm_be32(b, MSSIM_REMOTE_HANDSHAKE);
	vm_be32(b + 4, 1);
	CHECK_EQ(t, vm_feed(MSSIM_RX_TPM_PORT, b, 8), 12);
	CHECK(t, vm_rd_be32(vm_out) == MSSIM_SERVER_VERSION && vm_rd_be32(vm_out + 8) == 0);
	vm_be32(b, MSSIM_SIGNAL_HASH_START);
	CHECK_EQ(t, vm_feed(MSSIM_RX_TPM_PORT, b, 4), 4);
	vm_be32(b, MSSIM_SESSION_END);
	CHECK_EQ(t, vm_feed(MSSIM_RX_TPM_PORT, b, 4), 0);
	vm_be32(b, MSSIM_GET_COMMAND_RESPONSE_SIZES);
	CHECK_EQ(t, vm_feed(MSSIM_RX_PLATFORM_PORT, b, 4), 24);
	CHECK(t, vm_rd_be32(vm_out) == 16 && vm_rd_be32(vm_out + 4) == 4087 &&
		 vm_rd_be32(vm_out + 12) == 4092 && vm_rd_be32(vm_out + 20) == 0);
	CHECK(t, vm_signal(MSSIM_SIGNAL_CANCEL_ON));
	CHECK(t, vm_signal(MSSIM_SIGNAL_CANCEL_OFF));
	CHECK(t, vm_signal(MSSIM_SESSION_END));
	/* Protocol 2 allows only locality 0: TPM_RC_LOCALITY, nothing forwarded. */
	CHECK(t, vm_command(3, VT_CC_ECHO, &rc, &echo));
	CHECK_EQ(t, rc, 0x907);
	/* A malformed answer from the service: TPM_RC_FAILURE. */
	CHECK(t, vm_command(0, VT_CC_BAD_HEADER, &rc, &echo));
	CHECK_EQ(t, rc, 0x101);
	CHECK(t, f->served == 3);
	vtpm_service_stop("test cleanup");
	vt_fake_join(f);
}

TEST(vtpm, mssim_power_cycle)
{
	struct vt_fake *f = &vt_fakes[0];
	u32 rc = 0, echo = 0;
	u64 start;

	vtpm_service_stop("test setup");
	vtpm_mssim_init(&vm_m);
	CHECK_EQ(t, vt_fake_start(f), 0);
	CHECK(t, vm_command(0, VT_CC_ECHO, &rc, &echo));
	/* POWER_OFF stops the service (the fake reads end of file). */
	CHECK(t, vm_signal(MSSIM_SIGNAL_POWER_OFF));
	vt_fake_join(f);
	CHECK(t, f->ended && !vtpm_connected());
	CHECK(t, vm_signal(MSSIM_SIGNAL_POWER_OFF)); /* idempotent */
	/* Meanwhile commands get TPM_RC_FAILURE at once, even once a service is back. */
	start = time_ns();
	CHECK(t, vm_command(0, VT_CC_ECHO, &rc, &echo));
	CHECK_EQ(t, rc, 0x101);
	CHECK(t, time_ns() - start < NSEC_PER_SEC);
	CHECK_EQ(t, vt_fake_start(f), 0); /* init restarted it */
	CHECK(t, vm_command(0, VT_CC_ECHO, &rc, &echo));
	CHECK_EQ(t, rc, 0x101);
	CHECK(t, f->served == 0);
	CHECK(t, vm_signal(MSSIM_SIGNAL_POWER_ON));
	CHECK(t, vm_command(0, VT_CC_ECHO, &rc, &echo));
	CHECK(t, rc == 0 && echo == VT_CC_ECHO && f->served == 1);
	/* Powered on without a service: TPM_RC_FAILURE, fast. */
	vtpm_service_stop("test");
	vt_fake_join(f);
	start = time_ns();
	CHECK(t, vm_command(0, VT_CC_ECHO, &rc, &echo));
	CHECK_EQ(t, rc, 0x101);
	CHECK(t, time_ns() - start < NSEC_PER_SEC);
	/* RESET stops the service without powering off. */
	CHECK_EQ(t, vt_fake_start(f), 0);
	CHECK(t, vm_signal(MSSIM_SIGNAL_RESET));
	vt_fake_join(f);
	CHECK(t, !vtpm_connected());
}

/* Broken and stalled frames do not disturb the next command. */
TEST(vtpm, mssim_garbage_then_command)
{
	struct vt_fake *f = &vt_fakes[0];
	u32 rc = 1, echo = 0;
	unsigned i;

	vtpm_service_stop("test setup");
	vtpm_mssim_init(&vm_m);
	CHECK_EQ(t, vt_fake_start(f), 0);
	for (i = 0; i < 64; i++)
		vm_in[i] = (u8)(i * 37 + 11);
	CHECK_EQ(t, vm_feed(MSSIM_RX_TPM_PORT, vm_in, 64), 0);
	CHECK_EQ(t, vm_feed(MSSIM_RX_PLATFORM_PORT, vm_in, 3), 0);
	/* A command prefix that then stalls past the receiver's timeout. */
	vm_be32(vm_in, MSSIM_SEND_COMMAND);
	vm_in[4] = 0;
	vm_be32(vm_in + 5, 100);
	CHECK_EQ(t, vm_feed(MSSIM_RX_TPM_PORT, vm_in, 9), 0);
	sched_sleep_ns(MSSIM_RX_DEFAULT_TIMEOUT_NS + 50 * NSEC_PER_MSEC);
	mssim_rx_expire(&vm_m.rx[MSSIM_RX_TPM_PORT], time_ns());
	mssim_rx_expire(&vm_m.rx[MSSIM_RX_PLATFORM_PORT], time_ns());
	CHECK(t, vm_command(0, VT_CC_ECHO, &rc, &echo));
	CHECK(t, rc == 0 && echo == VT_CC_ECHO && f->served == 1);
	CHECK(t, vm_signal(MSSIM_SIGNAL_NV_ON));
	vtpm_service_stop("test cleanup");
	vt_fake_join(f);
}

TEST(vtpm, no_leaks)
{
	u64 objs, chans;
	struct vt_fake *f = &vt_fakes[0];
	u32 rc = 1, echo = 0;
	unsigned i;

	vtpm_service_stop("test setup");
	vtpm_mssim_init(&vm_m);
	objs = obj_live_count();
	chans = channel_live_count();
	for (i = 0; i < 20; i++) {
		CHECK_EQ(t, vt_fake_start(f), 0);
		CHECK(t, vm_command(0, i & 1 ? VT_CC_ECHO : VT_CC_HUGE, &rc, &echo));
		CHECK_EQ(t, rc, i & 1 ? 0 : 0x101);
		if (i % 3 == 0)
			CHECK(t, vtpm_service_stop("test"));
		else
			CHECK(t, vm_command(0, VT_CC_EXIT, &rc, &echo) && rc == 0x101);
		vt_fake_join(f);
	}
	CHECK(t, !vtpm_connected());
	CHECK_EQ(t, channel_live_count(), chans);
	CHECK_EQ(t, obj_live_count(), objs);
}
