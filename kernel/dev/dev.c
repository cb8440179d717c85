/*
 * The device registry (include/copra/dev.h): a const table of the names
 * under /dev/, the access each needs and the function that opens it. A
 * device decides itself who may open it (/dev/vtpm: only init).
 */
#include <abi/syscall.h>
#include <copra/dev.h>
#include <copra/errno.h>
#include <copra/string.h>
#include <copra/vtpm.h>

struct dev_entry {
	const char *name;            /* below /dev/ */
	u32 access;                  /* COPRA_O_READ / COPRA_O_WRITE the device needs */
	int (*open)(u32 flags, struct object **out);
};

static const struct dev_entry dev_table[] = {
	/* The vTPM service's command channel: a fresh channel per open (init only). */
	{ "vtpm", COPRA_O_READ | COPRA_O_WRITE, vtpm_dev_open },
};

bool dev_is_device_path(const char *path)
{
	return strncmp(path, DEV_PREFIX, sizeof(DEV_PREFIX) - 1) == 0;
}

int dev_open(const char *path, u32 flags, struct object **out)
{
	const char *name = path + sizeof(DEV_PREFIX) - 1;
	const struct dev_entry *e = NULL;
	size_t i;

	if (!dev_is_device_path(path))
		return -E_NOENT;
	for (i = 0; i < ARRAY_SIZE(dev_table) && !e; i++) {
		if (strcmp(dev_table[i].name, name) == 0)
			e = &dev_table[i];
	}
	if (!e)
		return -E_NOENT;
	if (flags & COPRA_O_DIR)
		return -E_TYPE;
	if ((flags & COPRA_O_CREATE) && (flags & COPRA_O_EXCL))
		return -E_EXIST;
	if ((flags & COPRA_O_TRUNC) || (flags & e->access) != e->access)
		return -E_INVAL;
	return e->open(flags, out);
}
