/*
 * The kernel's cryptographic primitives (MbedTLS underneath, kernel/crypto).
 * Present only with CONFIG_KERNEL_MBEDTLS.
 */
#ifndef COPRA_CRYPTO_H
#define COPRA_CRYPTO_H

#include <copra/types.h>

#define CRYPTO_SHA256_SIZE 32

/* SHA-256 of buf; 0 or -E_IO. */
int crypto_sha256(const void *buf, size_t len, u8 out[CRYPTO_SHA256_SIZE]) __must_check;

#endif
