/*
 * Tests of the SVSM vTPM protocol-2 buffer codec (services/vtpm/svsm_vtpm.c):
 * valid requests, every rejection, response encoding (in place, hostile
 * responses), VTPM_QUERY and every internal-error to SVSM-result mapping.
 */
#include <abi/svsm.h>
#include <copra/errno.h>
#include <copra/string.h>
#include <copra/test.h>

#include "../../services/vtpm/svsm_vtpm.h"

static u8 sv_t_page[SVSM_VTPM_BUFFER_SIZE];

static void sv_t_le32(u8 *p, u32 v)
{
	p[0] = (u8)v;
	p[1] = (u8)(v >> 8);
	p[2] = (u8)(v >> 16);
	p[3] = (u8)(v >> 24);
}

static void sv_t_be32(u8 *p, u32 v)
{
	p[0] = (u8)(v >> 24);
	p[1] = (u8)(v >> 16);
	p[2] = (u8)(v >> 8);
	p[3] = (u8)v;
}

/* A TPM_SEND_COMMAND page with a size-byte command whose header agrees. */
static void sv_t_request(u32 platform_cmd, u8 locality, u32 size)
{
	memset(sv_t_page, 0xA5, sizeof(sv_t_page));
	sv_t_le32(sv_t_page, platform_cmd);
	sv_t_page[4] = locality;
	sv_t_le32(sv_t_page + 5, size);
	if (size >= 10 && size <= SVSM_VTPM_MAX_CMD_SIZE) {
		sv_t_page[9] = 0x80;
		sv_t_page[10] = 0x01;
		sv_t_be32(sv_t_page + 11, size);
		sv_t_be32(sv_t_page + 15, 0x17B); /* TPM2_GetRandom */
	}
}

TEST(svsm_vtpm, decodes_a_valid_request)
{
	struct svsm_vtpm_request req;

	sv_t_request(8, 0, 12);
	CHECK_EQ(t, svsm_vtpm_decode(sv_t_page, sizeof(sv_t_page), &req), 0);
	CHECK_EQ(t, req.platform_cmd, 8);
	CHECK_EQ(t, req.locality, 0);
	CHECK_EQ(t, req.cmd_size, 12);
	CHECK_EQ(t, req.tpm_code, 0x17B);
	CHECK(t, req.cmd == sv_t_page + 9);
	/* The buffer may be shorter than a page if it holds the whole command. */
	CHECK_EQ(t, svsm_vtpm_decode(sv_t_page, 9 + 12, &req), 0);
	sv_t_request(8, 0, SVSM_VTPM_MAX_CMD_SIZE);
	CHECK_EQ(t, svsm_vtpm_decode(sv_t_page, sizeof(sv_t_page), &req), 0);
	CHECK_EQ(t, req.cmd_size, 4087);
	sv_t_request(8, 0, 10);
	CHECK_EQ(t, svsm_vtpm_decode(sv_t_page, sizeof(sv_t_page), &req), 0);
}

TEST(svsm_vtpm, rejects_truncated_buffers)
{
	struct svsm_vtpm_request req;
	size_t len;

	sv_t_request(8, 0, 12);
	for (len = 0; len < 9; len++)
		CHECK_EQ(t, svsm_vtpm_decode(sv_t_page, len, &req), -E_INVAL);
	for (len = 9; len < 9 + 12; len++)
		CHECK_EQ(t, svsm_vtpm_decode(sv_t_page, len, &req), -E_TOOBIG);
	CHECK_EQ(t, svsm_vtpm_decode(NULL, sizeof(sv_t_page), &req), -E_INVAL);
	CHECK_EQ(t, svsm_vtpm_decode(sv_t_page, sizeof(sv_t_page), NULL), -E_INVAL);
	CHECK_EQ(t, svsm_vtpm_decode(sv_t_page, sizeof(sv_t_page) + 1, &req), -E_INVAL);
}

TEST(svsm_vtpm, rejects_other_platform_commands)
{
	static const u32 cmds[] = { 0, 1, 2, 7, 9, 11, 20, 21, 0x108, 0x80000008, 0xFFFFFFFF };
	struct svsm_vtpm_request req;
	unsigned i;

	for (i = 0; i < ARRAY_SIZE(cmds); i++) {
		sv_t_request(cmds[i], 0, 12);
		CHECK_EQ(t, svsm_vtpm_decode(sv_t_page, sizeof(sv_t_page), &req), -E_NOSYS);
		CHECK_EQ(t, svsm_vtpm_decode(sv_t_page, 4, &req), -E_NOSYS);
	}
}

TEST(svsm_vtpm, rejects_nonzero_locality)
{
	struct svsm_vtpm_request req;
	unsigned loc;

	for (loc = 1; loc < 256; loc++) {
		sv_t_request(8, (u8)loc, 12);
		CHECK_EQ(t, svsm_vtpm_decode(sv_t_page, sizeof(sv_t_page), &req), -E_RANGE);
	}
}

TEST(svsm_vtpm, rejects_bad_sizes)
{
	static const u32 big[] = { 4088, 4096, 0x10000, 0x7FFFFFFF, 0xFFFFFFF7, 0xFFFFFFFF };
	struct svsm_vtpm_request req;
	unsigned i;

	for (i = 0; i < ARRAY_SIZE(big); i++) {
		sv_t_request(8, 0, big[i]);
		CHECK_EQ(t, svsm_vtpm_decode(sv_t_page, sizeof(sv_t_page), &req), -E_TOOBIG);
	}
	for (i = 0; i < 10; i++) {
		sv_t_request(8, 0, i);
		CHECK_EQ(t, svsm_vtpm_decode(sv_t_page, sizeof(sv_t_page), &req), -E_INVAL);
	}
	/* size and the TPM header's commandSize disagree */
	sv_t_request(8, 0, 12);
	sv_t_be32(sv_t_page + 11, 13);
	CHECK_EQ(t, svsm_vtpm_decode(sv_t_page, sizeof(sv_t_page), &req), -E_INVAL);
	sv_t_be32(sv_t_page + 11, 0x0C000000); /* little-endian 12: wrong byte order */
	CHECK_EQ(t, svsm_vtpm_decode(sv_t_page, sizeof(sv_t_page), &req), -E_INVAL);
}

TEST(svsm_vtpm, failed_decode_leaves_request_alone)
{
	struct svsm_vtpm_request req;

	memset(&req, 0x5A, sizeof(req));
	sv_t_request(8, 1, 12);
	CHECK(t, svsm_vtpm_decode(sv_t_page, sizeof(sv_t_page), &req) != 0);
	CHECK_EQ(t, req.cmd_size, 0x5A5A5A5A);
	CHECK_EQ(t, req.locality, 0x5A);
}

TEST(svsm_vtpm, encodes_responses_in_place)
{
	struct svsm_vtpm_request req;
	u8 *rsp;

	/* The response is written over the request it answers. */
	sv_t_request(8, 0, 12);
	CHECK_EQ(t, svsm_vtpm_decode(sv_t_page, sizeof(sv_t_page), &req), 0);
	rsp = sv_t_page + 9;
	sv_t_be32(rsp + 2, 20);
	memset(rsp + 10, 0x77, 10);
	CHECK_EQ(t, svsm_vtpm_encode_response(sv_t_page, sizeof(sv_t_page), rsp, 20), 24);
	CHECK_EQ(t, sv_t_page[0], 20);
	CHECK_EQ(t, sv_t_page[1] | sv_t_page[2] | sv_t_page[3], 0);
	CHECK_EQ(t, sv_t_page[4], 0x80);
	CHECK_EQ(t, sv_t_page[4 + 5], 20);
	CHECK_EQ(t, sv_t_page[4 + 19], 0x77);
}

TEST(svsm_vtpm, rejects_hostile_responses)
{
	static u8 rsp[SVSM_VTPM_BUFFER_SIZE + 16];
	static u8 out[SVSM_VTPM_BUFFER_SIZE];

	memset(rsp, 0, sizeof(rsp));
	rsp[0] = 0x80;
	rsp[1] = 0x01;
	sv_t_be32(rsp + 2, 9);
	CHECK_EQ(t, svsm_vtpm_encode_response(out, sizeof(out), rsp, 9), 0);   /* < header */
	sv_t_be32(rsp + 2, 4093);
	CHECK_EQ(t, svsm_vtpm_encode_response(out, sizeof(out), rsp, 4093), 0); /* > 4092 */
	sv_t_be32(rsp + 2, 4092);
	CHECK_EQ(t, svsm_vtpm_encode_response(out, sizeof(out), rsp, 4092), 4096);
	CHECK_EQ(t, svsm_vtpm_encode_response(out, 4095, rsp, 4092), 0);        /* no room */
	CHECK_EQ(t, svsm_vtpm_encode_response(out, 3, rsp, 10), 0);
	sv_t_be32(rsp + 2, 11);
	CHECK_EQ(t, svsm_vtpm_encode_response(out, sizeof(out), rsp, 10), 0);   /* size lies */
	CHECK_EQ(t, svsm_vtpm_encode_response(out, sizeof(out), NULL, 10), 0);
	CHECK_EQ(t, svsm_vtpm_encode_response(NULL, sizeof(out), rsp, 11), 0);
	CHECK_EQ(t, svsm_vtpm_encode_response(out, sizeof(out), rsp, 0xFFFFFFFF), 0);
}

TEST(svsm_vtpm, encodes_tpm_errors)
{
	static const u8 want[14] = { 10, 0, 0, 0, 0x80, 0x01, 0, 0, 0, 10, 0, 0, 0x01, 0x01 };
	u8 out[14];

	CHECK_EQ(t, svsm_vtpm_encode_tpm_error(out, sizeof(out), 0x101), 14);
	CHECK(t, memcmp(out, want, sizeof(want)) == 0);
	CHECK_EQ(t, svsm_vtpm_encode_tpm_error(out, 13, 0x101), 0);
}

TEST(svsm_vtpm, query)
{
	CHECK_EQ(t, svsm_vtpm_query_commands(), 0x100);
	CHECK_EQ(t, svsm_vtpm_query_features(), 0);
}

TEST(svsm_vtpm, maps_every_error)
{
	static const struct { int err; u64 result; } map[] = {
		{ 0, SVSM_SUCCESS },
		{ -E_NOMEM, SVSM_ERR_INVALID_REQUEST },
		{ -E_INVAL, SVSM_ERR_INVALID_PARAMETER },
		{ -E_FAULT, SVSM_ERR_INVALID_ADDRESS },
		{ -E_EXIST, SVSM_ERR_INVALID_REQUEST },
		{ -E_NOENT, SVSM_ERR_INVALID_REQUEST },
		{ -E_RANGE, SVSM_ERR_INVALID_PARAMETER },
		{ -E_BUSY, SVSM_ERR_BUSY },
		{ -E_AGAIN, SVSM_ERR_BUSY },
		{ -E_NOSYS, SVSM_ERR_UNSUPPORTED_CALL },
		{ -E_PERM, SVSM_ERR_INVALID_REQUEST },
		{ -E_BADH, SVSM_ERR_INVALID_REQUEST },
		{ -E_TYPE, SVSM_ERR_INVALID_FORMAT },
		{ -E_NOSPC, SVSM_ERR_INVALID_REQUEST },
		{ -E_IO, SVSM_ERR_INVALID_REQUEST },
		{ -E_PIPE, SVSM_ERR_INVALID_REQUEST },
		{ -E_TIMEDOUT, SVSM_ERR_INVALID_REQUEST },
		{ -E_NOEXEC, SVSM_ERR_INVALID_REQUEST },
		{ -E_TOOBIG, SVSM_ERR_INVALID_PARAMETER },
		{ -E_INTR, SVSM_ERR_BUSY },
		{ -E_MAX, SVSM_ERR_INVALID_REQUEST },
		{ 1, SVSM_ERR_INVALID_REQUEST },
		{ -2147483647 - 1, SVSM_ERR_INVALID_REQUEST },
		{ 2147483647, SVSM_ERR_INVALID_REQUEST },
	};
	unsigned i;

	CHECK_EQ(t, ARRAY_SIZE(map), E_MAX + 4); /* a new E_ code needs a line here */
	for (i = 0; i < ARRAY_SIZE(map); i++)
		if (svsm_vtpm_result(map[i].err) != map[i].result) {
			test_fail(t, __FILE__, __LINE__, "err %d -> 0x%llx, want 0x%llx", map[i].err,
				  (unsigned long long)svsm_vtpm_result(map[i].err),
				  (unsigned long long)map[i].result);
			return;
		}
	/* Every decode error maps to an error result. */
	sv_t_request(9, 0, 12);
	CHECK_EQ(t, svsm_vtpm_result(svsm_vtpm_decode(sv_t_page, 4096, NULL)),
		 SVSM_ERR_INVALID_PARAMETER);
}

/* Random pages: decode never reads past len and accepts only consistent requests. */
TEST(svsm_vtpm, random_pages)
{
	struct svsm_vtpm_request req;
	u64 x = 0x9E3779B97F4A7C15ULL;
	unsigned i, k, ok = 0;
	size_t len;

	for (i = 0; i < 2000; i++) {
		for (k = 0; k < 64; k++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			sv_t_page[(x >> 20) % sizeof(sv_t_page)] = (u8)x;
		}
		if (i % 3 == 0) {
			sv_t_le32(sv_t_page, 8);
			sv_t_page[4] = 0;
			sv_t_le32(sv_t_page + 5, (u32)(x % 4200));
			sv_t_be32(sv_t_page + 11, (u32)(x % 4200));
		}
		len = (size_t)(x >> 40) % (sizeof(sv_t_page) + 1);
		if (svsm_vtpm_decode(sv_t_page, len, &req) != 0)
			continue;
		ok++;
		CHECK(t, req.cmd_size >= 10 && req.cmd_size <= 4087 && 9 + req.cmd_size <= len);
		CHECK_EQ(t, req.locality, 0);
	}
	CHECK(t, ok > 0);
}
