/* MbedTLS 3.6 build configuration shared by Copra's two MbedTLS flavours:
 * the ring-0 kernel library (built with -DCOPRA_MBEDTLS_KERNEL, general
 * registers only) and the ring-3 user library (SSE and AES-NI allowed).
 * scripts/setup-deps compiles MbedTLS with MBEDTLS_CONFIG_FILE pointing here;
 * every file that includes an MbedTLS header must use the same definition
 * (and -DCOPRA_MBEDTLS_KERNEL when it is kernel code).
 * Editing this file makes scripts/setup-deps rebuild both libraries. */
#ifndef COPRA_CRYPTO_MBEDTLS_CONFIG_H
#define COPRA_CRYPTO_MBEDTLS_CONFIG_H

#include <stddef.h>

/* --- System support ------------------------------------------------------ */

/* x86-64 inline assembly in bignum and constant-time code uses general
 * purpose registers only. */
#define MBEDTLS_HAVE_ASM
/* Keep 128-bit division (libgcc's __udivti3) out of bignum. */
#define MBEDTLS_NO_UDBL_DIVISION
/* Not defined on purpose: MBEDTLS_HAVE_TIME, MBEDTLS_HAVE_TIME_DATE,
 * MBEDTLS_FS_IO, MBEDTLS_NET_C, MBEDTLS_TIMING_C, MBEDTLS_THREADING_C,
 * MBEDTLS_HAVE_SSE2, MBEDTLS_PADLOCK_C, MBEDTLS_PSA_CRYPTO_C. */

/* Remove interfaces that 3.6 only keeps for backward compatibility. */
#define MBEDTLS_DEPRECATED_REMOVED

/* --- Platform layer -------------------------------------------------------- */

#define MBEDTLS_PLATFORM_C
#define MBEDTLS_PLATFORM_MEMORY
#define MBEDTLS_PLATFORM_NO_STD_FUNCTIONS
#define MBEDTLS_PLATFORM_CALLOC_MACRO   copra_mbedtls_calloc
#define MBEDTLS_PLATFORM_FREE_MACRO     copra_mbedtls_free
/* The kernel and the user runtime both provide printf and snprintf. */
#define MBEDTLS_PLATFORM_SNPRINTF_MACRO snprintf
#define MBEDTLS_PLATFORM_PRINTF_MACRO   printf

/* With MBEDTLS_PLATFORM_NO_STD_FUNCTIONS, MbedTLS includes no libc header
 * for these, so declare them here (standard prototypes). */
void *copra_mbedtls_calloc(size_t nmemb, size_t size);
void copra_mbedtls_free(void *ptr);
int printf(const char *fmt, ...);
int snprintf(char *buf, size_t size, const char *fmt, ...);

/* --- Entropy and random generators ----------------------------------------- */

#define MBEDTLS_ENTROPY_C
/* No OS entropy source: the embedder supplies mbedtls_hardware_poll()
 * (RDSEED/RDRAND or a platform service). */
#define MBEDTLS_NO_PLATFORM_ENTROPY
#define MBEDTLS_ENTROPY_HARDWARE_ALT
#define MBEDTLS_CTR_DRBG_C
#define MBEDTLS_HMAC_DRBG_C

/* --- Hashes and MACs ----------------------------------------------------- */

#define MBEDTLS_MD_C
#define MBEDTLS_SHA1_C
#define MBEDTLS_SHA224_C
#define MBEDTLS_SHA256_C
#define MBEDTLS_SHA384_C
#define MBEDTLS_SHA512_C
#define MBEDTLS_HKDF_C
#define MBEDTLS_CMAC_C

/* --- Symmetric ciphers ----------------------------------------------------- */

#define MBEDTLS_CIPHER_C
#define MBEDTLS_AES_C
/* Constant tables in read-only data instead of tables generated on first
 * use into writable memory (no first-use race between CPUs). */
#define MBEDTLS_AES_ROM_TABLES
#define MBEDTLS_GCM_C
#define MBEDTLS_CCM_C
#define MBEDTLS_CIPHER_MODE_CBC
#define MBEDTLS_CIPHER_MODE_CFB   /* TPM 2.0 parameter encryption */
#define MBEDTLS_CIPHER_MODE_CTR

#if !defined(COPRA_MBEDTLS_KERNEL)
/* AES-NI uses SSE registers: ring 3 only. MBEDTLS_AESCE_C is the Arm
 * counterpart and compiles to nothing on x86-64. The kernel flavour has no
 * other code that needs SSE (checked by scripts/setup-deps with objdump). */
#define MBEDTLS_AESNI_C
#define MBEDTLS_AESCE_C
#endif

/* --- Public-key cryptography ----------------------------------------------- */

#define MBEDTLS_BIGNUM_C
#define MBEDTLS_GENPRIME
#define MBEDTLS_RSA_C
#define MBEDTLS_PKCS1_V15
#define MBEDTLS_PKCS1_V21
#define MBEDTLS_ECP_C
#define MBEDTLS_ECP_DP_SECP256R1_ENABLED
#define MBEDTLS_ECP_DP_SECP384R1_ENABLED
#define MBEDTLS_ECP_NIST_OPTIM
#define MBEDTLS_ECDSA_C
#define MBEDTLS_ECDSA_DETERMINISTIC
#define MBEDTLS_ECDH_C
#define MBEDTLS_PK_C

/* --- Encodings ----------------------------------------------------------- */

#define MBEDTLS_ASN1_PARSE_C
#define MBEDTLS_ASN1_WRITE_C
#define MBEDTLS_OID_C

/* --- Self-tests (run by the kernel at boot in test builds) ----------------- */

#define MBEDTLS_SELF_TEST

#endif /* COPRA_CRYPTO_MBEDTLS_CONFIG_H */
