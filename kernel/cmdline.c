/* Reads and splits the platform's command line (untrusted: bounded, printable only; words split at spaces or semicolons). */
#include <copra/cmdline.h>
#include <copra/string.h>
#include <platform/platform.h>

#define CMDLINE_MAX 256

static char cmdline_buf[CMDLINE_MAX];

void cmdline_init(void)
{
	int n = platform_cmdline(cmdline_buf, sizeof(cmdline_buf));
	int i;

	if (n < 0)
		n = 0;
	cmdline_buf[n] = 0;
	for (i = 0; i < n; i++)
		if (cmdline_buf[i] < 0x20 || cmdline_buf[i] > 0x7e)
			cmdline_buf[i] = ' ';
}

bool cmdline_get(const char *key, char *out, size_t size)
{
	size_t klen = strlen(key);
	const char *p = cmdline_buf;

	while (*p) {
		const char *end;

		while (*p == ' ' || *p == ';')
			p++;
		end = p;
		while (*end && *end != ' ' && *end != ';')
			end++;
		if ((size_t)(end - p) > klen && strncmp(p, key, klen) == 0 && p[klen] == '=') {
			size_t n = (size_t)(end - p) - klen - 1;

			if (n >= size)
				n = size - 1;
			memcpy(out, p + klen + 1, n);
			out[n] = 0;
			return true;
		}
		p = end;
	}
	return false;
}
