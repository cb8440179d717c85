/* Hash functions for the kernel (include/copra/crypto.h). */
#include <copra/crypto.h>
#include <copra/errno.h>

#include <mbedtls/sha256.h>

int crypto_sha256(const void *buf, size_t len, u8 out[CRYPTO_SHA256_SIZE])
{
	return mbedtls_sha256(buf, len, out, 0) ? -E_IO : 0;
}
