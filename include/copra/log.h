/*
 * Leveled kernel log with timestamps. Messages go to the console and to an
 * in-memory ring (log_ring_read) so tests and services can inspect them.
 */
#ifndef COPRA_LOG_H
#define COPRA_LOG_H

#include <copra/types.h>

enum log_level { LOG_ERR = 0, LOG_WARN = 1, LOG_INFO = 2, LOG_DEBUG = 3 };

void log_printf(enum log_level level, const char *fmt, ...) __printf(2, 3);
/* Output without prefix, whole under the log lock (test results, process output). */
void log_plain(const char *fmt, ...) __printf(1, 2);
/* The same without the lock, for panic and trap dumps (may interleave). */
void log_raw(const char *fmt, ...) __printf(1, 2);
void log_set_level(enum log_level level);
/* Copies the newest log bytes (up to size) into buf; returns bytes copied. */
size_t log_ring_read(char *buf, size_t size);

#define log_err(...) log_printf(LOG_ERR, __VA_ARGS__)
#define log_warn(...) log_printf(LOG_WARN, __VA_ARGS__)
#define log_info(...) log_printf(LOG_INFO, __VA_ARGS__)
#define log_debug(...) log_printf(LOG_DEBUG, __VA_ARGS__)

#endif
