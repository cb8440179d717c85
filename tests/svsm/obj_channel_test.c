/*
 * In-SVSM tests of channels through the kernel API: both directions, order,
 * empty and maximal messages (inline and heap-stored), the queue limit,
 * too-small buffers leaving messages queued, deadlines and polls, a closed
 * peer (EPIPE after the queued messages), a blocked receiver woken by the
 * close, the shared buffer, calls to a server thread on the same CPU and on
 * another one, a call timing out with its request delivered, many senders
 * and receivers at once, and that nothing leaks. What threads share lives in
 * static storage: each task's stack is private to it.
 */
#include <copra/channel.h>
#include <copra/errno.h>
#include <copra/heap.h>
#include <copra/percpu.h>
#include <copra/smp.h>
#include <copra/string.h>
#include <copra/task.h>
#include <copra/test.h>
#include <copra/time.h>

#define CT_MS 1000000ULL
#define CT_SEC (1000 * CT_MS)

static u8 ct_big[COPRA_CHANNEL_MSG_MAX + 1];
static u8 ct_got[COPRA_CHANNEL_MSG_MAX + 1];

struct ct_base {
	u64 objs, channels, heap;
};

static void ct_base_take(struct ct_base *b)
{
	struct heap_stats hs;

	heap_get_stats(&global_heap, &hs);
	b->objs = obj_live_count();
	b->channels = channel_live_count();
	b->heap = hs.bytes_in_use;
}

/* The same objects and channels live (and heap bytes, without threads involved). */
static bool ct_base_same(const struct ct_base *b, bool heap)
{
	struct ct_base now;

	ct_base_take(&now);
	return now.objs == b->objs && now.channels == b->channels &&
	       (!heap || now.heap == b->heap);
}

static void ct_close(struct channel_end *a, struct channel_end *b)
{
	channel_end_put(a);
	channel_end_put(b);
}

TEST(channel, send_recv_order_and_sizes)
{
	struct channel_end *c, *s;
	struct ct_base base;
	size_t len = 0;
	u8 buf[8];
	unsigned i;

	ct_base_take(&base);
	CHECK_EQ(t, channel_create_kernel(&c, &s), 0);
	CHECK_EQ(t, channel_end_object(c)->type, COPRA_OBJ_CHANNEL);
	CHECK(t, channel_end_from_object(channel_end_object(s)) == s);
	CHECK(t, channel_end_object(c)->id != channel_end_object(s)->id);
	CHECK_EQ(t, channel_kernel_send(c, "ping", 4), 0);
	CHECK_EQ(t, channel_kernel_send(c, NULL, 0), 0);
	for (i = 0; i < sizeof(ct_big); i++)
		ct_big[i] = (u8)(i * 7);
	CHECK_EQ(t, channel_kernel_send(c, ct_big, 300), 0);   /* heap-stored */
	CHECK_EQ(t, channel_kernel_send(c, ct_big, COPRA_CHANNEL_MSG_MAX), 0);
	CHECK_EQ(t, channel_kernel_send(c, ct_big, COPRA_CHANNEL_MSG_MAX + 1), -E_TOOBIG);
	CHECK_EQ(t, channel_kernel_send(s, "pong!", 5), 0);
	CHECK_EQ(t, channel_kernel_recv(s, buf, sizeof(buf), CHANNEL_NOWAIT, &len), 0);
	CHECK(t, len == 4 && memcmp(buf, "ping", 4) == 0);
	CHECK_EQ(t, channel_kernel_recv(s, NULL, 0, CHANNEL_NOWAIT, &len), 0);
	CHECK_EQ(t, len, 0);
	/* Too small: -E_TOOBIG and the message stays first in line. */
	CHECK_EQ(t, channel_kernel_recv(s, buf, sizeof(buf), CHANNEL_NOWAIT, &len), -E_TOOBIG);
	CHECK_EQ(t, channel_kernel_recv(s, ct_got, sizeof(ct_got), CHANNEL_NOWAIT, &len), 0);
	CHECK(t, len == 300 && memcmp(ct_got, ct_big, 300) == 0);
	CHECK_EQ(t, channel_kernel_recv(s, ct_got, COPRA_CHANNEL_MSG_MAX, CHANNEL_NOWAIT, &len), 0);
	CHECK(t, len == COPRA_CHANNEL_MSG_MAX && memcmp(ct_got, ct_big, len) == 0);
	CHECK_EQ(t, channel_kernel_recv(s, buf, sizeof(buf), CHANNEL_NOWAIT, &len), -E_AGAIN);
	CHECK_EQ(t, channel_kernel_recv(c, buf, sizeof(buf), CHANNEL_NOWAIT, &len), 0);
	CHECK(t, len == 5 && memcmp(buf, "pong!", 5) == 0);
	CHECK(t, channel_buffer_of(c) == channel_buffer_of(s));
	CHECK_EQ(t, memobj_pages(channel_buffer_of(c)), 1);
	ct_close(c, s);
	CHECK(t, ct_base_same(&base, true));
}

TEST(channel, queue_limit_per_direction)
{
	struct channel_end *c, *s;
	struct ct_base base;
	size_t len;
	unsigned i;
	u8 b;

	ct_base_take(&base);
	CHECK_EQ(t, channel_create_kernel(&c, &s), 0);
	for (i = 0; i < COPRA_CHANNEL_QUEUE; i++) {
		b = (u8)i;
		CHECK_EQ(t, channel_kernel_send(c, &b, 1), 0);
	}
	CHECK_EQ(t, channel_kernel_send(c, "x", 1), -E_AGAIN);
	CHECK_EQ(t, channel_kernel_send(s, "y", 1), 0);
	for (i = 0; i < COPRA_CHANNEL_QUEUE; i++) {
		CHECK_EQ(t, channel_kernel_recv(s, &b, 1, CHANNEL_NOWAIT, &len), 0);
		CHECK_EQ(t, b, i);
	}
	CHECK_EQ(t, channel_kernel_send(c, ct_big, 1000), 0);
	/* Closing with messages queued both ways frees them. */
	ct_close(c, s);
	CHECK(t, ct_base_same(&base, true));
}

TEST(channel, deadlines_and_polls)
{
	struct channel_end *c, *s;
	size_t len, n;
	u64 t0;
	u8 b;

	CHECK_EQ(t, channel_create_kernel(&c, &s), 0);
	t0 = time_ns();
	CHECK_EQ(t, channel_kernel_recv(s, &b, 1, t0 + 10 * CT_MS, &len), -E_TIMEDOUT);
	CHECK(t, time_ns() - t0 >= 10 * CT_MS);
	CHECK_EQ(t, channel_kernel_recv(s, &b, 1, 1, &len), -E_TIMEDOUT); /* already past */
	/* A call that times out leaves its request delivered. */
	t0 = time_ns();
	CHECK_EQ(t, channel_kernel_call(c, "q", 1, &b, 1, t0 + 10 * CT_MS, &n), -E_TIMEDOUT);
	CHECK(t, time_ns() - t0 >= 10 * CT_MS);
	CHECK_EQ(t, channel_kernel_recv(s, &b, 1, CHANNEL_NOWAIT, &len), 0);
	CHECK_EQ(t, b, 'q');
	CHECK_EQ(t, channel_kernel_call(c, "q", 1, &b, 1, CHANNEL_NOWAIT, &n), -E_AGAIN);
	CHECK_EQ(t, channel_kernel_recv(s, &b, 1, CHANNEL_NOWAIT, &len), 0);
	ct_close(c, s);
}

TEST(channel, peer_closed_epipe)
{
	struct channel_end *c, *s;
	size_t len, n;
	u8 b;

	CHECK_EQ(t, channel_create_kernel(&c, &s), 0);
	CHECK_EQ(t, channel_kernel_send(s, "q", 1), 0);
	channel_end_put(s);
	CHECK_EQ(t, channel_kernel_send(c, "x", 1), -E_PIPE);
	CHECK_EQ(t, channel_kernel_call(c, "x", 1, &b, 1, CHANNEL_FOREVER, &n), -E_PIPE);
	/* Queued before the close: still delivered, then EPIPE (even with a deadline). */
	CHECK_EQ(t, channel_kernel_recv(c, &b, 1, CHANNEL_FOREVER, &len), 0);
	CHECK_EQ(t, b, 'q');
	CHECK_EQ(t, channel_kernel_recv(c, &b, 1, time_ns() + CT_SEC, &len), -E_PIPE);
	CHECK_EQ(t, channel_kernel_recv(c, &b, 1, CHANNEL_NOWAIT, &len), -E_PIPE);
	channel_end_put(c);
}

struct ct_server {
	struct channel_end *end;
	volatile int result;       /* what ended the loop */
	volatile unsigned served;
};

/* Echoes every message until the peer goes. */
static void ct_echo(void *arg)
{
	static u8 b[COPRA_CHANNEL_MSG_MAX];
	struct ct_server *sv = arg;
	size_t len;
	int r;

	for (;;) {
		r = channel_kernel_recv(sv->end, b, COPRA_CHANNEL_MSG_MAX, CHANNEL_FOREVER, &len);
		if (!r)
			r = channel_kernel_send(sv->end, b, len);
		if (r)
			break;
		sv->served++;
	}
	sv->result = r;
}

/* n calls of sizes cycling through small, inline-limit and heap-stored ones. */
static void ct_calls(struct test_ctx *t, const struct cpumask *server_cpu, unsigned n)
{
	static const size_t sizes[] = { 0, 1, 64, 240, 241, 4096, COPRA_CHANNEL_MSG_MAX };
	static struct ct_server sv;
	struct channel_end *c;
	struct ct_base base;
	struct task *k;
	size_t got;
	unsigned i;

	sv = (struct ct_server){ NULL, 1, 0 };
	ct_base_take(&base);
	CHECK_EQ(t, channel_create_kernel(&c, &sv.end), 0);
	k = task_create_kernel("chanecho", ct_echo, &sv, server_cpu);
	CHECK(t, k != NULL);
	for (i = 0; i < n; i++) {
		size_t len = sizes[i % ARRAY_SIZE(sizes)];

		ct_big[0] = (u8)i;
		CHECK_EQ(t, channel_kernel_call(c, ct_big, len, ct_got, sizeof(ct_got),
						time_ns() + 5 * CT_SEC, &got), 0);
		CHECK_EQ(t, got, len);
		CHECK(t, memcmp(ct_got, ct_big, len) == 0);
	}
	/* A reply larger than the buffer stays queued. */
	CHECK_EQ(t, channel_kernel_call(c, ct_big, 64, ct_got, 8, CHANNEL_FOREVER, &got), -E_TOOBIG);
	CHECK_EQ(t, channel_kernel_recv(c, ct_got, 64, CHANNEL_NOWAIT, &got), 0);
	CHECK_EQ(t, got, 64);
	channel_end_put(c); /* the server sees EPIPE */
	task_join(k);
	task_put(k);
	CHECK_EQ(t, sv.result, -E_PIPE);
	CHECK_EQ(t, sv.served, n + 1);
	channel_end_put(sv.end);
	CHECK(t, ct_base_same(&base, false));
}

TEST(channel, calls_to_a_server_on_this_cpu)
{
	struct cpumask here;

	cpumask_clear(&here);
	cpumask_set(&here, this_cpu()->index);
	ct_calls(t, &here, 2000);
}

TEST(channel, calls_to_a_server_on_another_cpu)
{
	struct cpumask other;

	if (cpu_count < 2)
		SKIP(t, "needs two CPUs");
	cpumask_clear(&other);
	cpumask_set(&other, (this_cpu()->index + 1) % cpu_count);
	ct_calls(t, &other, 2000);
}

struct ct_blocked {
	struct channel_end *end;
	volatile int result;
};

static void ct_block_recv(void *arg)
{
	struct ct_blocked *b = arg;
	size_t len;
	u8 x;

	b->result = channel_kernel_recv(b->end, &x, 1, CHANNEL_FOREVER, &len);
}

/* A receiver blocked without a deadline is woken by the peer's close. */
TEST(channel, close_wakes_a_blocked_receiver)
{
	static struct ct_blocked b;
	struct channel_end *c;
	struct task *k;

	b = (struct ct_blocked){ NULL, 1 };

	CHECK_EQ(t, channel_create_kernel(&c, &b.end), 0);
	k = task_create_kernel("chanblk", ct_block_recv, &b, NULL);
	CHECK(t, k != NULL);
	sched_sleep_ns(20 * CT_MS);
	CHECK_EQ(t, b.result, 1); /* still waiting */
	channel_end_put(c);
	task_join(k);
	task_put(k);
	CHECK_EQ(t, b.result, -E_PIPE);
	channel_end_put(b.end);
}

#define CT_PRODUCERS 3
#define CT_PER_PRODUCER 600

struct ct_stress {
	struct channel_end *end;
	unsigned id;
	volatile unsigned count;
	volatile u64 sum;
	int result;
};

static void ct_producer(void *arg)
{
	struct ct_stress *st = arg;
	unsigned i;
	u32 v;
	int r;

	for (i = 0; i < CT_PER_PRODUCER; i++) {
		v = st->id * 100000 + i;
		while ((r = channel_kernel_send(st->end, &v, sizeof(v))) == -E_AGAIN)
			sched_yield();
		if (r) {
			st->result = r;
			return;
		}
	}
}

static void ct_consumer(void *arg)
{
	struct ct_stress *st = arg;
	size_t len;
	u32 v;

	while (channel_kernel_recv(st->end, &v, sizeof(v), time_ns() + 10 * CT_SEC, &len) == 0) {
		st->count++;
		st->sum += v;
	}
}

/* Several senders on one end, two receivers on the other: every message arrives once. */
TEST(channel, many_senders_and_receivers)
{
	static struct ct_stress prod[CT_PRODUCERS], cons[2];
	struct task *kp[CT_PRODUCERS], *kc[2];
	struct channel_end *c, *s;
	u64 want = 0, sum = 0;
	unsigned i, j, count = 0;

	CHECK_EQ(t, channel_create_kernel(&c, &s), 0);
	for (i = 0; i < 2; i++) {
		cons[i] = (struct ct_stress){ s, i, 0, 0, 0 };
		kc[i] = task_create_kernel("chancons", ct_consumer, &cons[i], NULL);
		CHECK(t, kc[i] != NULL);
	}
	for (i = 0; i < CT_PRODUCERS; i++) {
		prod[i] = (struct ct_stress){ c, i + 1, 0, 0, 0 };
		kp[i] = task_create_kernel("chanprod", ct_producer, &prod[i], NULL);
		CHECK(t, kp[i] != NULL);
		for (j = 0; j < CT_PER_PRODUCER; j++)
			want += (i + 1) * 100000 + j;
	}
	for (i = 0; i < CT_PRODUCERS; i++) {
		task_join(kp[i]);
		task_put(kp[i]);
		CHECK_EQ(t, prod[i].result, 0);
	}
	channel_end_put(c); /* the consumers drain the queue, then see EPIPE */
	for (i = 0; i < 2; i++) {
		task_join(kc[i]);
		task_put(kc[i]);
		count += cons[i].count;
		sum += cons[i].sum;
	}
	CHECK_EQ(t, count, CT_PRODUCERS * CT_PER_PRODUCER);
	CHECK_EQ(t, sum, want);
	channel_end_put(s);
}

/* A receiver interrupted (as a kill does) returns -E_INTR and takes nothing. */
TEST(channel, interrupted_receiver_takes_nothing)
{
	static struct ct_blocked b;
	struct channel_end *c;
	struct task *k;
	size_t len;
	u8 x;

	b = (struct ct_blocked){ NULL, 1 };
	CHECK_EQ(t, channel_create_kernel(&c, &b.end), 0);
	k = task_create_kernel("chanintr", ct_block_recv, &b, NULL);
	CHECK(t, k != NULL);
	sched_sleep_ns(20 * CT_MS);
	CHECK_EQ(t, b.result, 1);
	sched_wake(k, -E_INTR);
	task_join(k);
	task_put(k);
	CHECK_EQ(t, b.result, -E_INTR);
	CHECK_EQ(t, channel_kernel_send(c, "m", 1), 0);
	CHECK_EQ(t, channel_kernel_recv(b.end, &x, 1, CHANNEL_NOWAIT, &len), 0);
	CHECK_EQ(t, x, 'm');
	ct_close(c, b.end);
}
