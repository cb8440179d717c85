# Kernel glue for MbedTLS (no-SSE kernel flavour, built by scripts/setup-deps).
CRYPTO_CFLAGS = -isystem $(PICOLIBC_DIR)/include $(MBEDTLS_CFLAGS) -DCOPRA_MBEDTLS_KERNEL
kernel-$(CONFIG_KERNEL_MBEDTLS) += kernel/crypto/mbedtls_glue.c kernel/crypto/hash.c
KERNEL_EXTRA_CFLAGS_kernel_crypto_mbedtls_glue.c = $(CRYPTO_CFLAGS)
KERNEL_EXTRA_CFLAGS_kernel_crypto_hash.c = $(CRYPTO_CFLAGS)
