/* User-memory gateway (include/copra/uaccess.h). */
#include <copra/errno.h>
#include <copra/memlayout.h>
#include <copra/uaccess.h>

int arch_copy_user(void *dst, const void *src, size_t n);

bool user_range_ok(u64 uaddr, u64 len)
{
	u64 end;

	if (add_overflow(uaddr, len, &end))
		return false;
	return uaddr >= USER_BASE && end <= USER_TOP;
}

int copy_from_user(void *dst, u64 usrc, size_t len)
{
	if (!len)
		return 0;
	if (!user_range_ok(usrc, len))
		return -E_FAULT;
	return arch_copy_user(dst, (const void *)(uintptr_t)usrc, len);
}

int copy_to_user(u64 udst, const void *src, size_t len)
{
	if (!len)
		return 0;
	if (!user_range_ok(udst, len))
		return -E_FAULT;
	return arch_copy_user((void *)(uintptr_t)udst, src, len);
}
