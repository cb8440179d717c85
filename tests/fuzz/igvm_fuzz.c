/*
 * libFuzzer target for igvmtool's IGVM parser (hostile files), the dump
 * formatter and the launcher's planning on parsed input (parameter filling,
 * page-table walk for the stub page, GDT lookup). Each input is parsed as
 * given (exercising the header and checksum checks) and again with its
 * checksum recomputed, so that mutations reach the headers behind it.
 *
 * Build and run (clang-14, libclang-rt-14-dev):
 *   make build/fuzz/igvm          # or: make fuzz (every fuzzer, FUZZ_SECONDS each)
 *   mkdir -p build/fuzz-corpus/igvm
 *   build/fuzz/igvm -max_total_time=300 -rss_limit_mb=2048 -max_len=131072 \
 *       build/fuzz-corpus/igvm tests/fuzz/corpus/igvm
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "igvm_launch.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static FILE *igvm_fuzz_sink;

static void igvm_fuzz_one(const u8 *buf, size_t len, bool verbose)
{
	struct igvm_launch l;
	struct igvm_model m;
	struct igvm_err e;

	if (igvm_parse(buf, len, &m, &e) < 0)
		return;
	igvm_dump(igvm_fuzz_sink, &m, verbose);
	igvm_launch_prepare(&l, &m, verbose ? "6,sockets=2,cores=3" : "300", "3G", &e);
	igvm_launch_free(&l);
	igvm_model_free(&m);
}

/* Recomputes the fixed header's CRC-32 the way the parser checks it. */
static void igvm_fuzz_fix_checksum(u8 *buf, size_t len)
{
	struct igvm_fixed_header h;
	u32 hsize, crc;

	if (len < sizeof(struct igvm_fixed_header_v2))
		return;
	memcpy(&h, buf, sizeof(h));
	hsize = h.format_version == IGVM_FORMAT_V2 ? sizeof(struct igvm_fixed_header_v2)
						   : sizeof(struct igvm_fixed_header);
	if ((u64)h.variable_header_offset + h.variable_header_size > len)
		return;
	memset(buf + offsetof(struct igvm_fixed_header, checksum), 0, sizeof(u32));
	crc = igvm_crc32(0, buf, hsize);
	crc = igvm_crc32(crc, buf + h.variable_header_offset, h.variable_header_size);
	memcpy(buf + offsetof(struct igvm_fixed_header, checksum), &crc, sizeof(crc));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	u8 *copy;

	if (!igvm_fuzz_sink)
		igvm_fuzz_sink = fopen("/dev/null", "w");
	if (!igvm_fuzz_sink)
		abort();
	igvm_fuzz_one(data, size, size & 1);
	copy = malloc(size ? size : 1);
	if (!copy)
		return 0;
	memcpy(copy, data, size);
	igvm_fuzz_fix_checksum(copy, size);
	igvm_fuzz_one(copy, size, !(size & 1));
	free(copy);
	return 0;
}
