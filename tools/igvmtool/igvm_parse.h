/*
 * Internal interface between the two halves of the IGVM parser: framing and
 * fixed header (igvm_parse.c) and the directive decoders (igvm_parse_dir.c).
 */
#ifndef IGVMTOOL_PARSE_H
#define IGVMTOOL_PARSE_H

#include "igvm_model.h"

enum igvm_section { IGVM_SEC_PLATFORM, IGVM_SEC_INIT, IGVM_SEC_DIRECTIVE };

struct igvm_parser {
	const u8 *buf;
	size_t len;
	u64 vh_end; /* end of the variable headers; file data starts here */
	struct igvm_model *m;
	struct igvm_err *e;
	enum igvm_section section;
	char label[64]; /* "directive 12", used as the message prefix */
};

/* Checks a file-data reference of n bytes; *data = NULL for offset 0 (zeros). */
int igvm_parse_data(struct igvm_parser *p, u32 off, u64 n, const u8 **data);
/* Checks a header's compatibility mask against the declared platforms. */
int igvm_parse_mask(struct igvm_parser *p, u32 mask);
/* Decodes one directive body (length already checked) into a new model entry. */
int igvm_parse_directive(struct igvm_parser *p, u32 type, const u8 *body, u32 len);

#endif
