/*
 * Process helpers over SYS_proc_spawn: argv packing into the NUL-separated
 * argument block the kernel takes (struct copra_spawn).
 */
#include <string.h>

#include <copra/runtime.h>
#include <copra/sys.h>

long copra_spawn(const char *path, const char *const argv[],
		 const struct copra_spawn_handle *handles, uint32_t nhandles)
{
	char args[COPRA_SPAWN_ARGS_MAX];
	struct copra_spawn sp;
	size_t used = 0, len;
	unsigned int i;

	for (i = 0; argv && argv[i]; i++) {
		len = strlen(argv[i]) + 1;
		if (len > sizeof(args) - used)
			return -COPRA_ETOOBIG;
		memcpy(args + used, argv[i], len);
		used += len;
	}
	len = strnlen(path, COPRA_PATH_MAX + 1);
	if (len > COPRA_PATH_MAX)
		return -COPRA_ETOOBIG;
	sp.args = used ? args : NULL;
	sp.args_len = (uint32_t)used;
	sp.nhandles = nhandles;
	sp.handles = handles;
	return sys_proc_spawn(path, len, &sp);
}
