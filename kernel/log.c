/*
 * The kernel log: "[seconds.micros] message" lines to the console and into a
 * ring buffer. Messages above the configured level are dropped.
 */
#include <copra/console.h>
#include <copra/fmt.h>
#include <copra/log.h>
#include <copra/spinlock.h>
#include <copra/time.h>

#define LOG_RING_SIZE (16u << 10)

static char log_ring[LOG_RING_SIZE];
static u64 log_ring_pos; /* total bytes ever written */
static enum log_level log_level = CONFIG_LOG_LEVEL;
static spinlock_t log_lock = SPINLOCK_INIT;

static const char *const log_tags[] = { "error: ", "warning: ", "", "debug: " };

void log_set_level(enum log_level level)
{
	log_level = level;
}

static void log_sink(void *arg, const char *s, size_t n)
{
	size_t i;

	(void)arg;
	for (i = 0; i < n; i++)
		log_ring[(log_ring_pos + i) % LOG_RING_SIZE] = s[i];
	log_ring_pos += n;
	console_write_unlocked(s, n);
}

static void log_emit(void *arg, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fmt_vformat(log_sink, arg, fmt, ap);
	va_end(ap);
}

void log_printf(enum log_level level, const char *fmt, ...)
{
	unsigned long flags;
	u64 ns = time_ns();
	va_list ap;

	if (level > log_level)
		return;
	flags = spin_lock_irqsave(&log_lock);
	log_emit(NULL, "[%5llu.%06llu] %s", (unsigned long long)(ns / 1000000000ULL),
		 (unsigned long long)((ns / 1000ULL) % 1000000ULL), log_tags[level]);
	va_start(ap, fmt);
	fmt_vformat(log_sink, NULL, fmt, ap);
	va_end(ap);
	log_sink(NULL, "\n", 1);
	spin_unlock_irqrestore(&log_lock, flags);
}

void log_plain(const char *fmt, ...)
{
	unsigned long flags = spin_lock_irqsave(&log_lock);
	va_list ap;

	va_start(ap, fmt);
	fmt_vformat(log_sink, NULL, fmt, ap);
	va_end(ap);
	spin_unlock_irqrestore(&log_lock, flags);
}

void log_raw(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fmt_vformat(log_sink, NULL, fmt, ap);
	va_end(ap);
}

size_t log_ring_read(char *buf, size_t size)
{
	unsigned long flags = spin_lock_irqsave(&log_lock);
	u64 avail = log_ring_pos < LOG_RING_SIZE ? log_ring_pos : LOG_RING_SIZE;
	u64 n = size < avail ? size : avail, i;

	for (i = 0; i < n; i++)
		buf[i] = log_ring[(log_ring_pos - n + i) % LOG_RING_SIZE];
	spin_unlock_irqrestore(&log_lock, flags);
	return (size_t)n;
}
