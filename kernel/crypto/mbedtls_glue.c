/*
 * What the kernel flavour of MbedTLS needs from Copra: heap allocation,
 * printf/snprintf for its self-tests, a hardware entropy source and rand().
 */
#include <arch/random.h>
#include <copra/console.h>
#include <copra/fmt.h>
#include <copra/heap.h>
#include <copra/string.h>

#include <mbedtls/entropy.h>

void *copra_mbedtls_calloc(size_t nmemb, size_t size)
{
	size_t bytes;

	if (mul_overflow(nmemb, size, &bytes) || bytes == 0)
		return NULL;
	return kzalloc(bytes);
}

void copra_mbedtls_free(void *ptr)
{
	kfree(ptr);
}

static void glue_console_sink(void *arg, const char *s, size_t n)
{
	(void)arg;
	console_write(s, n);
}

int printf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = fmt_vformat(glue_console_sink, NULL, fmt, ap);
	va_end(ap);
	return n;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = fmt_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

int mbedtls_hardware_poll(void *data, unsigned char *output, size_t len, size_t *olen);
int mbedtls_hardware_poll(void *data, unsigned char *output, size_t len, size_t *olen)
{
	size_t done = 0;
	u64 r;

	(void)data;
	while (done < len) {
		size_t k = len - done < 8 ? len - done : 8;

		if (!arch_random64(&r))
			break;
		memcpy(output + done, &r, k);
		done += k;
	}
	*olen = done;
	return done == len ? 0 : MBEDTLS_ERR_ENTROPY_SOURCE_FAILED;
}

/* Only MbedTLS's RSA self-test calls rand(); it needs no quality. */
int rand(void);
int rand(void)
{
	static u32 state = 0x2545F491u;

	state ^= state << 13;
	state ^= state >> 17;
	state ^= state << 5;
	return (int)(state & 0x7fffffff);
}
