/*
 * printf-style formatting, integer only (the kernel has no floating point).
 * Supports flags "-+ 0#", width and precision (also "*"), length modifiers
 * hh h l ll z j t, conversions d i u x X o c s p %. Unknown conversions are
 * printed literally. Output goes to a sink callback or into a buffer.
 */
#ifndef COPRA_FMT_H
#define COPRA_FMT_H

#include <stdarg.h>
#include <stddef.h>

typedef void (*fmt_sink_fn)(void *arg, const char *s, size_t n);

/* Formats to sink; returns the number of characters produced. */
int fmt_vformat(fmt_sink_fn sink, void *arg, const char *fmt, va_list ap);

/* Like C99 vsnprintf: always NUL-terminates when size > 0, returns the full length. */
int fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int fmt_snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
