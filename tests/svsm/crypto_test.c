/*
 * MbedTLS (kernel flavour: ring 0, no SSE) inside Copra: its own SHA-256,
 * SHA-384/512 and AES-GCM self-tests, and ECDSA P-384 sign and verify with
 * keys from a DRBG seeded by the hardware RNG.
 */
#include <copra/string.h>
#include <copra/test.h>

#include <mbedtls/ctr_drbg.h>
#include <mbedtls/ecdsa.h>
#include <mbedtls/entropy.h>
#include <mbedtls/gcm.h>
#include <mbedtls/sha256.h>
#include <mbedtls/sha512.h>

TEST(mbedtls, sha256_self_test)
{
	CHECK_EQ(t, mbedtls_sha256_self_test(0), 0);
}

TEST(mbedtls, sha384_sha512_self_test)
{
	CHECK_EQ(t, mbedtls_sha512_self_test(0), 0);
}

TEST(mbedtls, aes_gcm_self_test)
{
	CHECK_EQ(t, mbedtls_gcm_self_test(0), 0);
}

TEST(mbedtls, sha384_known_answer)
{
	/* SHA-384("abc"), FIPS 180-2 appendix D. */
	static const u8 expect[48] = {
		0xcb, 0x00, 0x75, 0x3f, 0x45, 0xa3, 0x5e, 0x8b, 0xb5, 0xa0, 0x3d, 0x69,
		0x9a, 0xc6, 0x50, 0x07, 0x27, 0x2c, 0x32, 0xab, 0x0e, 0xde, 0xd1, 0x63,
		0x1a, 0x8b, 0x60, 0x5a, 0x43, 0xff, 0x5b, 0xed, 0x80, 0x86, 0x07, 0x2b,
		0xa1, 0xe7, 0xcc, 0x23, 0x58, 0xba, 0xec, 0xa1, 0x34, 0xc8, 0x25, 0xa7,
	};
	u8 out[64];

	CHECK_EQ(t, mbedtls_sha512((const u8 *)"abc", 3, out, 1), 0);
	CHECK(t, memcmp(out, expect, sizeof(expect)) == 0);
}

struct crypto_t_ctx {
	mbedtls_entropy_context entropy;
	mbedtls_ctr_drbg_context drbg;
	mbedtls_ecdsa_context key;
	mbedtls_mpi r, s;
};

static void crypto_t_free(struct crypto_t_ctx *c)
{
	mbedtls_mpi_free(&c->r);
	mbedtls_mpi_free(&c->s);
	mbedtls_ecdsa_free(&c->key);
	mbedtls_ctr_drbg_free(&c->drbg);
	mbedtls_entropy_free(&c->entropy);
}

static int crypto_t_sign_verify(struct crypto_t_ctx *c, bool tamper)
{
	u8 hash[48];
	int ret;

	ret = mbedtls_ctr_drbg_seed(&c->drbg, mbedtls_entropy_func, &c->entropy,
				    (const u8 *)"copra-ecdsa-test", 16);
	if (!ret)
		ret = mbedtls_ecdsa_genkey(&c->key, MBEDTLS_ECP_DP_SECP384R1,
					   mbedtls_ctr_drbg_random, &c->drbg);
	if (!ret)
		ret = mbedtls_sha512((const u8 *)"attestation report", 18, hash, 1);
	if (!ret)
		ret = mbedtls_ecdsa_sign(&c->key.MBEDTLS_PRIVATE(grp), &c->r, &c->s,
					 &c->key.MBEDTLS_PRIVATE(d), hash, sizeof(hash),
					 mbedtls_ctr_drbg_random, &c->drbg);
	if (!ret && tamper)
		hash[0] ^= 1;
	if (!ret)
		ret = mbedtls_ecdsa_verify(&c->key.MBEDTLS_PRIVATE(grp), hash, sizeof(hash),
					   &c->key.MBEDTLS_PRIVATE(Q), &c->r, &c->s);
	return ret;
}

TEST(mbedtls, ecdsa_p384_sign_verify)
{
	static struct crypto_t_ctx c;

	memset(&c, 0, sizeof(c));
	mbedtls_entropy_init(&c.entropy);
	mbedtls_ctr_drbg_init(&c.drbg);
	mbedtls_ecdsa_init(&c.key);
	mbedtls_mpi_init(&c.r);
	mbedtls_mpi_init(&c.s);
	CHECK_EQ(t, crypto_t_sign_verify(&c, false), 0);
	crypto_t_free(&c);

	/* A changed digest must not verify. */
	mbedtls_entropy_init(&c.entropy);
	mbedtls_ctr_drbg_init(&c.drbg);
	mbedtls_ecdsa_init(&c.key);
	mbedtls_mpi_init(&c.r);
	mbedtls_mpi_init(&c.s);
	CHECK_EQ(t, crypto_t_sign_verify(&c, true), MBEDTLS_ERR_ECP_VERIFY_FAILED);
	crypto_t_free(&c);
}
