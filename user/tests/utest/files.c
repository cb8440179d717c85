/*
 * utest: files and directories on the RAM filesystem (open, read, write,
 * seek, stat, readdir, mkdir, unlink, truncate), their error cases, and
 * picolibc stdio on top of them. Everything lives under UT_DIR.
 */
#include <stdio.h>
#include <string.h>

#include "utest.h"

#define RW (COPRA_O_READ | COPRA_O_WRITE)
#define NEW (RW | COPRA_O_CREATE | COPRA_O_TRUNC)

UTEST(file, create_write_read)
{
	static const char data[] = "hello, ramfs";
	char buf[64];
	long h;

	UCHECK_OK(t, h, ut_open("f1", NEW));
	UCHECK_EQ(t, sys_write((copra_handle_t)h, data, sizeof(data)), sizeof(data));
	UCHECK_EQ(t, sys_seek((copra_handle_t)h, 0, COPRA_SEEK_SET), 0);
	memset(buf, 0, sizeof(buf));
	UCHECK_EQ(t, sys_read((copra_handle_t)h, buf, sizeof(buf)), sizeof(data));
	UCHECK(t, memcmp(buf, data, sizeof(data)) == 0);
	UCHECK_EQ(t, sys_read((copra_handle_t)h, buf, sizeof(buf)), 0); /* end of file */
	UCHECK_EQ(t, sys_close((copra_handle_t)h), 0);
	/* Reopened: the data is still there. */
	UCHECK_OK(t, h, ut_open("f1", COPRA_O_READ));
	UCHECK_EQ(t, sys_read((copra_handle_t)h, buf, 5), 5);
	UCHECK(t, memcmp(buf, "hello", 5) == 0);
	UCHECK_EQ(t, sys_close((copra_handle_t)h), 0);
	UCHECK_EQ(t, ut_unlink("f1"), 0);
}

UTEST(file, seek)
{
	char c;
	long h;

	UCHECK_OK(t, h, ut_open("f2", NEW));
	UCHECK_EQ(t, sys_write((copra_handle_t)h, "0123456789", 10), 10);
	UCHECK_EQ(t, sys_seek((copra_handle_t)h, 3, COPRA_SEEK_SET), 3);
	UCHECK_EQ(t, sys_seek((copra_handle_t)h, 2, COPRA_SEEK_CUR), 5);
	UCHECK_EQ(t, sys_read((copra_handle_t)h, &c, 1), 1);
	UCHECK_EQ(t, c, '5');
	UCHECK_EQ(t, sys_seek((copra_handle_t)h, -1, COPRA_SEEK_END), 9);
	UCHECK_EQ(t, sys_read((copra_handle_t)h, &c, 1), 1);
	UCHECK_EQ(t, c, '9');
	UCHECK_ERR(t, sys_seek((copra_handle_t)h, -11, COPRA_SEEK_END), EINVAL);
	UCHECK_ERR(t, sys_seek((copra_handle_t)h, -1, COPRA_SEEK_SET), EINVAL);
	UCHECK_ERR(t, sys_seek((copra_handle_t)h, 0, 3), EINVAL);
	UCHECK_ERR(t, sys_seek((copra_handle_t)h, INT64_MAX, COPRA_SEEK_CUR), EINVAL);
	/* Past the end: a write there fills the gap with zeros. */
	UCHECK_EQ(t, sys_seek((copra_handle_t)h, 20, COPRA_SEEK_SET), 20);
	UCHECK_EQ(t, sys_write((copra_handle_t)h, "x", 1), 1);
	UCHECK_EQ(t, sys_seek((copra_handle_t)h, 15, COPRA_SEEK_SET), 15);
	UCHECK_EQ(t, sys_read((copra_handle_t)h, &c, 1), 1);
	UCHECK_EQ(t, c, 0);
	UCHECK_EQ(t, sys_close((copra_handle_t)h), 0);
	UCHECK_EQ(t, ut_unlink("f2"), 0);
}

UTEST(file, stat_and_truncate)
{
	struct copra_stat st;
	char c = 1;
	long h;

	UCHECK_OK(t, h, ut_open("f3", NEW));
	UCHECK_EQ(t, sys_write((copra_handle_t)h, "abcdef", 6), 6);
	UCHECK_EQ(t, sys_stat((copra_handle_t)h, &st), 0);
	UCHECK_EQ(t, st.type, COPRA_OBJ_FILE);
	UCHECK_EQ(t, st.size, 6);
	UCHECK_EQ(t, sys_truncate((copra_handle_t)h, 2), 0);
	UCHECK_EQ(t, sys_stat((copra_handle_t)h, &st), 0);
	UCHECK_EQ(t, st.size, 2);
	UCHECK_EQ(t, sys_truncate((copra_handle_t)h, 8192), 0);
	UCHECK_EQ(t, sys_seek((copra_handle_t)h, 4000, COPRA_SEEK_SET), 4000);
	UCHECK_EQ(t, sys_read((copra_handle_t)h, &c, 1), 1);
	UCHECK_EQ(t, c, 0);
	UCHECK_ERR(t, sys_truncate((copra_handle_t)h, (64ULL << 20) + 1), ETOOBIG);
	UCHECK_EQ(t, sys_close((copra_handle_t)h), 0);
	UCHECK_EQ(t, ut_unlink("f3"), 0);
}

UTEST(file, access_modes)
{
	char c;
	long h;

	UCHECK_OK(t, h, ut_open("f4", NEW));
	UCHECK_EQ(t, sys_close((copra_handle_t)h), 0);
	UCHECK_OK(t, h, ut_open("f4", COPRA_O_READ));
	UCHECK_ERR(t, sys_write((copra_handle_t)h, "x", 1), EPERM);
	UCHECK_ERR(t, sys_truncate((copra_handle_t)h, 0), EPERM);
	UCHECK_EQ(t, sys_close((copra_handle_t)h), 0);
	UCHECK_OK(t, h, ut_open("f4", COPRA_O_WRITE));
	UCHECK_ERR(t, sys_read((copra_handle_t)h, &c, 1), EPERM);
	UCHECK_EQ(t, sys_close((copra_handle_t)h), 0);
	UCHECK_EQ(t, ut_unlink("f4"), 0);
}

UTEST(file, open_errors)
{
	long h;

	UCHECK_ERR(t, ut_open("missing", COPRA_O_READ), ENOENT);
	UCHECK_ERR(t, ut_open("nodir/x", NEW), ENOENT);
	UCHECK_ERR(t, ut_open("f5", RW | 0x1000), EINVAL);
	UCHECK_ERR(t, ut_open("f5", 0), EINVAL);
	UCHECK_ERR(t, sys_open("/tmp/x", 0, COPRA_O_READ), EINVAL);
	UCHECK_ERR(t, sys_open("tmp/x", 5, COPRA_O_READ), EINVAL);
	UCHECK_ERR(t, sys_open("/tmp\0/x", 7, COPRA_O_READ), EINVAL);
	UCHECK_ERR(t, sys_open("/tmp/../etc/init.conf", 21, COPRA_O_READ), EINVAL);
	UCHECK_OK(t, h, ut_open("f5", NEW | COPRA_O_EXCL));
	UCHECK_ERR(t, ut_open("f5", NEW | COPRA_O_EXCL), EEXIST);
	UCHECK_EQ(t, sys_close((copra_handle_t)h), 0);
	UCHECK_EQ(t, ut_unlink("f5"), 0);
	UCHECK_ERR(t, ut_unlink("f5"), ENOENT);
}

UTEST(file, long_paths)
{
	char path[COPRA_PATH_MAX + 2];

	memset(path, 'a', sizeof(path));
	path[0] = '/';
	UCHECK_ERR(t, sys_open(path, COPRA_PATH_MAX + 1, COPRA_O_READ), ETOOBIG);
	UCHECK_ERR(t, sys_open(path, COPRA_PATH_MAX, COPRA_O_READ), ETOOBIG); /* name > 63 */
	UCHECK_ERR(t, sys_mkdir(path, COPRA_PATH_MAX + 1), ETOOBIG);
	UCHECK_ERR(t, sys_unlink(path, COPRA_PATH_MAX + 1), ETOOBIG);
}

UTEST(file, directories)
{
	struct copra_dirent ent;
	struct copra_stat st;
	unsigned int seen = 0;
	long d, h, r;
	uint32_t i;

	UCHECK_EQ(t, sys_mkdir("/tmp/d", 6), 0);
	UCHECK_ERR(t, sys_mkdir("/tmp/d", 6), EEXIST);
	UCHECK_ERR(t, sys_mkdir("/tmp/nope/d", 11), ENOENT);
	UCHECK_OK(t, h, ut_open("d/a", NEW));
	UCHECK_EQ(t, sys_write((copra_handle_t)h, "12345", 5), 5);
	UCHECK_EQ(t, sys_close((copra_handle_t)h), 0);
	UCHECK_EQ(t, sys_mkdir("/tmp/d/sub", 10), 0);
	UCHECK_ERR(t, ut_open("d", COPRA_O_READ), ETYPE);
	UCHECK_OK(t, d, ut_open("d", COPRA_O_READ | COPRA_O_DIR));
	UCHECK_EQ(t, sys_stat((copra_handle_t)d, &st), 0);
	UCHECK_EQ(t, st.type, COPRA_OBJ_DIR);
	for (i = 0; i < 8; i++) {
		UCHECK_OK(t, r, sys_readdir((copra_handle_t)d, i, &ent));
		if (r == 0)
			break;
		if (strcmp(ent.name, "a") == 0 && ent.type == COPRA_OBJ_FILE && ent.size == 5)
			seen |= 1;
		if (strcmp(ent.name, "sub") == 0 && ent.type == COPRA_OBJ_DIR)
			seen |= 2;
	}
	UCHECK_EQ(t, i, 2);
	UCHECK_EQ(t, seen, 3);
	UCHECK_EQ(t, sys_readdir((copra_handle_t)d, 1000, &ent), 0);
	UCHECK_ERR(t, sys_read((copra_handle_t)d, &ent, 1), ETYPE);
	UCHECK_ERR(t, sys_write((copra_handle_t)d, &ent, 1), ETYPE);
	UCHECK_ERR(t, sys_unlink("/tmp/d", 6), EBUSY);
	UCHECK_EQ(t, sys_unlink("/tmp/d/a", 8), 0);
	UCHECK_EQ(t, sys_unlink("/tmp/d/sub", 10), 0);
	UCHECK_EQ(t, sys_close((copra_handle_t)d), 0);
	UCHECK_EQ(t, sys_unlink("/tmp/d", 6), 0);
}

UTEST(file, readdir_on_file)
{
	struct copra_dirent ent;
	long h;

	UCHECK_OK(t, h, copra_open("/etc/init.conf", COPRA_O_READ));
	UCHECK_ERR(t, sys_readdir((copra_handle_t)h, 0, &ent), ETYPE);
	UCHECK_ERR(t, copra_open("/etc/init.conf", COPRA_O_READ | COPRA_O_DIR), ETYPE);
	UCHECK_EQ(t, sys_close((copra_handle_t)h), 0);
}

UTEST(file, unlink_keeps_open_file)
{
	char buf[4];
	long h;

	UCHECK_OK(t, h, ut_open("f6", NEW));
	UCHECK_EQ(t, sys_write((copra_handle_t)h, "abc", 3), 3);
	UCHECK_EQ(t, ut_unlink("f6"), 0);
	UCHECK_ERR(t, ut_open("f6", COPRA_O_READ), ENOENT);
	UCHECK_EQ(t, sys_seek((copra_handle_t)h, 0, COPRA_SEEK_SET), 0);
	UCHECK_EQ(t, sys_read((copra_handle_t)h, buf, 3), 3);
	UCHECK(t, memcmp(buf, "abc", 3) == 0);
	UCHECK_EQ(t, sys_close((copra_handle_t)h), 0);
	UCHECK_ERR(t, sys_unlink("/", 1), EPERM);
}

UTEST(file, stdio)
{
	char line[64];
	FILE *f;

	f = fopen(UT_DIR "/stdio.txt", "w");
	UCHECK(t, f != NULL);
	UCHECK(t, fprintf(f, "%d %s %.2f\n", 42, "copra", 1.5) > 0);
	UCHECK_EQ(t, fclose(f), 0);
	f = fopen(UT_DIR "/stdio.txt", "a");
	UCHECK(t, f != NULL);
	UCHECK(t, fputs("second\n", f) >= 0);
	UCHECK_EQ(t, fclose(f), 0);
	f = fopen(UT_DIR "/stdio.txt", "r");
	UCHECK(t, f != NULL);
	UCHECK(t, fgets(line, sizeof(line), f) != NULL);
	UCHECK(t, strcmp(line, "42 copra 1.50\n") == 0);
	UCHECK(t, fgets(line, sizeof(line), f) != NULL);
	UCHECK(t, strcmp(line, "second\n") == 0);
	UCHECK(t, fgets(line, sizeof(line), f) == NULL);
	UCHECK_EQ(t, fseek(f, 3, SEEK_SET), 0);
	UCHECK_EQ(t, ftell(f), 3);
	UCHECK_EQ(t, fgetc(f), 'c');
	UCHECK_EQ(t, fclose(f), 0);
	UCHECK_EQ(t, remove(UT_DIR "/stdio.txt"), 0);
	UCHECK(t, fopen(UT_DIR "/stdio.txt", "r") == NULL);
}
