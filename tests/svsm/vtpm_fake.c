/*
 * The fake vTPM service of the in-SVSM tests (vtpm_fake.h): one kernel
 * thread per fake, serving its channel's server end until the kernel closes
 * the client end (or a VT_CC_EXIT command). Messages live in the fake's own
 * static buffers: only one fake serves at a time (a new connect closes the
 * old channel, and the old fake only reads end of file after that).
 */
#include <copra/channel.h>
#include <copra/errno.h>
#include <copra/string.h>
#include <copra/task.h>
#include <copra/vtpm.h>

#include "vtpm_fake.h"

struct vt_fake_run {
	struct vt_fake *f;
	struct channel_end *server;
};

struct vt_fake vt_fakes[2];
static struct vt_fake_run vt_fake_runs[8];
static unsigned vt_fake_next;
static u8 vt_fake_req[COPRA_CHANNEL_MSG_MAX];
static u8 vt_fake_rsp[4 + 4096 + 16];

static void vt_put_be32(u8 *p, u32 v)
{
	p[0] = (u8)(v >> 24);
	p[1] = (u8)(v >> 16);
	p[2] = (u8)(v >> 8);
	p[3] = (u8)v;
}

static void vt_put_le32(u8 *p, u32 v)
{
	p[0] = (u8)v;
	p[1] = (u8)(v >> 8);
	p[2] = (u8)(v >> 16);
	p[3] = (u8)(v >> 24);
}

static u32 vt_get_be32(const u8 *p)
{
	return (u32)p[0] << 24 | (u32)p[1] << 16 | (u32)p[2] << 8 | p[3];
}

/* A TPM response of size bytes (header + zeros + tail words) after the u32 framing size. */
static size_t vt_fake_tpm_rsp(u32 size, u32 hdr_size, u32 code, u32 locality)
{
	memset(vt_fake_rsp, 0, 4 + size);
	vt_put_le32(vt_fake_rsp, size);
	vt_fake_rsp[4] = 0x80;
	vt_fake_rsp[5] = 0x01;
	vt_put_be32(vt_fake_rsp + 6, hdr_size);
	vt_put_be32(vt_fake_rsp + 10, 0); /* TPM_RC_SUCCESS */
	if (size >= VT_FAKE_RSP_SIZE) {
		vt_put_be32(vt_fake_rsp + 14, code);
		vt_put_be32(vt_fake_rsp + 18, locality);
	}
	return 4 + size;
}

/* The answer to one request of n bytes; 0: none. Sets *stop to end the service. */
static size_t vt_fake_answer(size_t n, bool *stop)
{
	u32 code = n >= 8 + 10 ? vt_get_be32(vt_fake_req + 8 + 6) : 0;
	u32 locality = n >= 4 ? vt_fake_req[0] : 0;

	switch (code) {
	case VT_CC_BAD_LENGTH:
		vt_fake_tpm_rsp(VT_FAKE_RSP_SIZE, VT_FAKE_RSP_SIZE, code, locality);
		vt_put_le32(vt_fake_rsp, 100);
		return 4 + VT_FAKE_RSP_SIZE;
	case VT_CC_BAD_HEADER:
		return vt_fake_tpm_rsp(VT_FAKE_RSP_SIZE, 30, code, locality);
	case VT_CC_HUGE:
		return vt_fake_tpm_rsp(4096, 4096, code, locality);
	case VT_CC_SHORT:
		return 2;
	case VT_CC_SILENT:
		return 0;
	case VT_CC_EXIT:
		*stop = true;
		return 0;
	default:
		return vt_fake_tpm_rsp(VT_FAKE_RSP_SIZE, VT_FAKE_RSP_SIZE, code, locality);
	}
}

static void vt_fake_thread(void *arg)
{
	struct vt_fake_run *run = arg;
	bool stop = false;
	size_t n, len;

	while (!stop) {
		if (channel_kernel_recv(run->server, vt_fake_req, sizeof(vt_fake_req),
					CHANNEL_FOREVER, &n))
			break; /* end of file: the kernel closed the client end */
		run->f->served++;
		len = vt_fake_answer(n, &stop);
		if (len && channel_kernel_send(run->server, vt_fake_rsp, len))
			break;
	}
	channel_end_put(run->server);
	run->f->ended = true;
}

int vt_fake_start(struct vt_fake *f)
{
	struct vt_fake_run *run = &vt_fake_runs[vt_fake_next++ % ARRAY_SIZE(vt_fake_runs)];
	struct object *o;
	int ret = vtpm_connect(&o);

	if (ret)
		return ret;
	f->served = 0;
	f->ended = false;
	run->f = f;
	run->server = channel_end_from_object(o);
	f->task = task_create_kernel("vtpm-fake", vt_fake_thread, run, NULL);
	if (!f->task) {
		channel_end_put(run->server);
		return -E_NOMEM;
	}
	return 0;
}

void vt_fake_join(struct vt_fake *f)
{
	if (!f->task)
		return;
	task_join(f->task);
	task_put(f->task);
	f->task = NULL;
}
