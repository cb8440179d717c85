/*
 * Helpers shared by igvmtool's host unit tests: an in-memory test kernel ELF
 * (text RX, rodata R, data+bss RW at VA = KERNEL_VBASE + PA), building and
 * parsing images, and a raw IGVM writer whose headers go out exactly as
 * given, so tests can produce files the real writer never would.
 */
#ifndef IGVMTOOL_TEST_H
#define IGVMTOOL_TEST_H

#include <elf.h>

#include <copra/test.h>

#include "igvm_build.h"
#include "igvm_launch.h"

#define TEST_ELF_SEGS 3
#define TEST_ELF_SIZE 0x4000
#define TEST_ELF_BSS 0x3000 /* data segment memsz beyond its one file page */

/* A fresh test kernel (malloc'ed, TEST_ELF_SIZE bytes); free() it. */
u8 *igvm_test_elf(void);
Elf64_Ehdr *igvm_test_ehdr(u8 *elf);
Elf64_Phdr *igvm_test_phdr(u8 *elf, u32 i);

/* Builds the test kernel (+ optional archive) into an IGVM file; 0 on success. */
int igvm_test_build(const u8 *elf, const u8 *archive, size_t archive_len, u8 **out,
		    size_t *out_len, struct igvm_err *e);

/* Raw IGVM file: headers in the order added, file data from IGVM_TEST_DATA_OFF. */
#define IGVM_TEST_VH_MAX 0x3000u
#define IGVM_TEST_DATA_OFF 0x4000u
#define IGVM_TEST_DATA_MAX 0x10000u

struct igvm_test_raw {
	u8 vh[IGVM_TEST_VH_MAX];
	u32 vh_len;
	u8 data[IGVM_TEST_DATA_MAX];
	u32 data_len;
};

void igvm_test_raw_init(struct igvm_test_raw *r);
void igvm_test_raw_add(struct igvm_test_raw *r, u32 type, const void *body, u32 len);
u32 igvm_test_raw_data(struct igvm_test_raw *r, const void *bytes, u32 len);
void igvm_test_raw_platform(struct igvm_test_raw *r, u8 type, u32 mask);
void igvm_test_raw_page(struct igvm_test_raw *r, u64 gpa, u32 mask, u32 file_offset);
/* Serializes a v2 file with a correct checksum; returns its length. */
size_t igvm_test_raw_file(const struct igvm_test_raw *r, u8 *out, size_t max);

/* Recomputes the checksum of a (mutated) file in place. */
void igvm_test_fix_checksum(u8 *file, size_t len);

/* Parses and returns 0, or -1 with e->msg set. */
int igvm_test_parse(const u8 *file, size_t len, struct igvm_model *m, struct igvm_err *e);

/* True when msg starts with prefix (a failure message names both). */
bool igvm_test_msg(struct test_ctx *t, const struct igvm_err *e, const char *prefix);

#endif
