/*
 * QEMU fw_cfg reader for the native platform's command line: the file
 * "opt/org.copra/cmdline" (`-fw_cfg name=opt/org.copra/cmdline,string=...`).
 * The host controls fw_cfg, so its directory is parsed as untrusted input.
 */
#include <arch/x86.h>
#include <copra/errno.h>
#include <copra/string.h>

#include "native.h"

#define FWCFG_SELECTOR 0x510
#define FWCFG_DATA 0x511
#define FWCFG_SIGNATURE 0x0000
#define FWCFG_FILE_DIR 0x0019
#define FWCFG_MAX_FILES 1024

static void fwcfg_read(void *buf, size_t n)
{
	u8 *p = buf;
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = inb(FWCFG_DATA);
}

static u32 fwcfg_be32(const u8 *b)
{
	return ((u32)b[0] << 24) | ((u32)b[1] << 16) | ((u32)b[2] << 8) | b[3];
}

/* Finds a fw_cfg file by name: its selector and size, or -E_NOENT. */
static int fwcfg_find(const char *name, u16 *select, u32 *size)
{
	u8 sig[4], cnt[4], ent[64];
	u32 count, i;

	outw(FWCFG_SELECTOR, FWCFG_SIGNATURE);
	fwcfg_read(sig, 4);
	if (memcmp(sig, "QEMU", 4) != 0)
		return -E_NOENT;
	outw(FWCFG_SELECTOR, FWCFG_FILE_DIR);
	fwcfg_read(cnt, 4);
	count = fwcfg_be32(cnt);
	if (count > FWCFG_MAX_FILES)
		return -E_INVAL;
	for (i = 0; i < count; i++) {
		fwcfg_read(ent, sizeof(ent));
		ent[63] = 0;
		if (strcmp((const char *)ent + 8, name) == 0) {
			*size = fwcfg_be32(ent);
			*select = (u16)((ent[4] << 8) | ent[5]);
			return 0;
		}
	}
	return -E_NOENT;
}

int native_cmdline(char *buf, size_t size)
{
	u16 select;
	u32 len;
	int ret;

	if (size == 0)
		return -E_INVAL;
	ret = fwcfg_find("opt/org.copra/cmdline", &select, &len);
	if (ret)
		return ret;
	if (len >= size)
		len = (u32)size - 1;
	outw(FWCFG_SELECTOR, select);
	fwcfg_read(buf, len);
	buf[len] = 0;
	return (int)strnlen(buf, len);
}
