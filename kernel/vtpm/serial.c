/*
 * The native host transport's wire (design.md §7.2): a kernel thread polls
 * the mssim TPM command port on COM2 and the platform port on COM3 (QEMU
 * exposes them as TCP servers, scripts/run-qemu --tpm-port), feeds the bytes
 * to one self-synchronising mssim receiver per port and writes the replies
 * that mssim.c produces.
 *
 * Polling: while bytes arrive the thread only yields between reads (QEMU
 * refills the 16-byte receive FIFO as soon as there is room, so sleeping a
 * timer tick per FIFO would make a 4 KiB command take seconds); after
 * VTPM_SERIAL_ACTIVE_NS without input it sleeps VTPM_SERIAL_IDLE_NS at a
 * time. Replies wait for room in the transmit FIFO by yielding; a port that
 * takes nothing for VTPM_SERIAL_TX_STALL_NS loses the rest of that reply.
 */
#include <copra/log.h>
#include <copra/task.h>
#include <copra/time.h>
#include <copra/uart.h>
#include <platform/platform.h>

#include "vtpm_internal.h"

#define VTPM_SERIAL_ACTIVE_NS (20 * NSEC_PER_MSEC)
#define VTPM_SERIAL_IDLE_NS (5 * NSEC_PER_MSEC)
#define VTPM_SERIAL_TX_STALL_NS (2 * NSEC_PER_SEC)

static struct vtpm_serial {
	struct vtpm_mssim m;
	u16 port[2];                    /* [MSSIM_RX_TPM_PORT], [MSSIM_RX_PLATFORM_PORT] */
	u8 in[UART_FIFO_SIZE * 4];
	u8 out[VTPM_MSSIM_REPLY_MAX];
} vtpm_serial;

static void vtpm_serial_write(u16 port, const u8 *buf, size_t n)
{
	u64 stall = time_ns() + VTPM_SERIAL_TX_STALL_NS;
	size_t off = 0, w;

	while (off < n) {
		w = uart_write_some(port, buf + off, n - off);
		if (w) {
			off += w;
			stall = time_ns() + VTPM_SERIAL_TX_STALL_NS;
		} else if (time_ns() > stall) {
			log_warn("vtpm: serial port 0x%x takes no output; %zu reply bytes dropped",
				 port, n - off);
			return;
		} else {
			sched_yield();
		}
	}
}

/* Reads what port i has and answers every frame it completes; true if it had input. */
static bool vtpm_serial_poll(struct vtpm_serial *s, unsigned i)
{
	struct mssim_rx_frame frame;
	size_t n = uart_read(s->port[i], s->in, sizeof(s->in)), off = 0, used, len;
	bool done;

	while (off < n) {
		done = mssim_rx_feed(&s->m.rx[i], s->in + off, n - off, time_ns(), &used, &frame);
		if (done) {
			len = vtpm_mssim_reply(&s->m, &frame, s->out, sizeof(s->out));
			vtpm_serial_write(s->port[i], s->out, len);
		}
		if (!used && !done)
			break; /* cannot happen: the receiver consumes all input or ends a frame */
		off += used;
	}
	return n != 0;
}

static void vtpm_serial_thread(void *arg)
{
	struct vtpm_serial *s = arg;
	u64 last = time_ns(), now;
	bool input;
	unsigned i;

	for (;;) {
		input = false;
		for (i = 0; i < ARRAY_SIZE(s->port); i++)
			input |= vtpm_serial_poll(s, i);
		now = time_ns();
		for (i = 0; i < ARRAY_SIZE(s->port); i++)
			mssim_rx_expire(&s->m.rx[i], now);
		if (input)
			last = now;
		if (now - last < VTPM_SERIAL_ACTIVE_NS)
			sched_yield();
		else
			sched_sleep_ns(VTPM_SERIAL_IDLE_NS);
	}
}

void vtpm_serial_start(void)
{
	struct vtpm_serial *s = &vtpm_serial;
	struct task *t;

	if (platform->type != BOOT_PLATFORM_NATIVE)
		return;
	s->port[MSSIM_RX_TPM_PORT] = UART_COM2;
	s->port[MSSIM_RX_PLATFORM_PORT] = UART_COM3;
	if (!uart_present(UART_COM2) || !uart_present(UART_COM3)) {
		log_info("vtpm: no serial ports COM2/COM3: the mssim transport is off");
		return;
	}
	uart_init(UART_COM2);
	uart_init(UART_COM3);
	vtpm_mssim_init(&s->m);
	t = task_create_kernel("vtpm-serial", vtpm_serial_thread, s, NULL);
	if (!t) {
		log_err("vtpm: cannot start the mssim transport thread");
		return;
	}
	task_put(t); /* it runs for good */
	log_info("vtpm: mssim transport on COM2 (TPM commands) and COM3 (platform)");
}
