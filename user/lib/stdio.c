/*
 * stdin, stdout and stderr for picolibc's tinystdio. stdout and stderr are
 * line-buffered bufio FILEs that write each line to the log with SYS_log
 * (handle 0's object); stdin is always at end of file. A destructor flushes
 * both at exit().
 */
#include <stdio-bufio.h>
#include <stdio.h>

#include <copra/runtime.h>
#include <copra/sys.h>

#define STDIO_LINE 256 /* bytes buffered per stream: longer lines are split */

static ssize_t stdio_log_write(void *cookie, const void *buf, size_t len)
{
	long ret;

	(void)cookie;
	ret = sys_log(buf, len);
	return ret < 0 ? -1 : (ssize_t)ret;
}

static ssize_t stdio_no_read(void *cookie, void *buf, size_t len)
{
	(void)cookie;
	(void)buf;
	(void)len;
	return 0;
}

static off_t stdio_no_seek(void *cookie, off_t off, int whence)
{
	(void)cookie;
	(void)off;
	(void)whence;
	return -1;
}

static int stdio_no_close(void *cookie)
{
	(void)cookie;
	return 0;
}

static char stdio_out_buf[STDIO_LINE];
static char stdio_err_buf[STDIO_LINE];

static struct __file_bufio stdio_out =
	FDEV_SETUP_BUFIO_PTR(NULL, stdio_out_buf, STDIO_LINE, stdio_no_read, stdio_log_write,
			     stdio_no_seek, stdio_no_close, __SWR, __BLBF);
static struct __file_bufio stdio_err =
	FDEV_SETUP_BUFIO_PTR(NULL, stdio_err_buf, STDIO_LINE, stdio_no_read, stdio_log_write,
			     stdio_no_seek, stdio_no_close, __SWR, __BLBF);

static int stdio_in_get(FILE *f)
{
	(void)f;
	return _FDEV_EOF;
}

static FILE stdio_in = FDEV_SETUP_STREAM(NULL, stdio_in_get, NULL, _FDEV_SETUP_READ);

FILE *const stdin = &stdio_in;
FILE *const stdout = &stdio_out.xfile.cfile.file;
FILE *const stderr = &stdio_err.xfile.cfile.file;

/* Runs from exit() (picolibc calls the .fini_array). */
__attribute__((destructor(101))) static void stdio_flush_all(void)
{
	fflush(stdout);
	fflush(stderr);
}

void copra_log_str(const char *s)
{
	size_t len = 0;

	while (s[len])
		len++;
	(void)sys_log(s, len); /* nowhere to report a failure of the log itself */
}
