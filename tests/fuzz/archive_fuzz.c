/*
 * libFuzzer target for the user-program archive parser (kernel/fs/archive.c).
 * Each input is validated as given (header and checksum checks), again
 * with its checksum recomputed, so mutations reach the table and data
 * checks behind it, and once more as a recipe: the bytes are read as a list
 * of entries from which a canonically laid out archive is synthesized, so
 * the path, order and parent rules see mostly well-formed archives.
 * Accepted archives are walked and every entry checked against the format's
 * promises independently of the parser.
 *   make build/fuzz/archive && mkdir -p build/fuzz-corpus/archive &&
 *   build/fuzz/archive -max_total_time=300 build/fuzz-corpus/archive tests/fuzz/corpus/archive
 */
#include <stdlib.h>

#include <copra/archive.h>
#include <copra/errno.h>
#include <copra/string.h>

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

#define ARC_FUZZ_ASSERT(c)      \
	do {                    \
		if (!(c))       \
			abort(); \
	} while (0)

#define ARC_FUZZ_MAX_ENTRIES ARCHIVE_MAX_ENTRIES

struct arc_fuzz_state {
	const u8 *buf;
	size_t size;
	u32 seen;
	char paths[ARC_FUZZ_MAX_ENTRIES][ARCHIVE_PATH_MAX + 1];
	u8 types[ARC_FUZZ_MAX_ENTRIES];
};

static struct arc_fuzz_state arc_fuzz_st;

static void arc_fuzz_check_path(const char *p, u32 len)
{
	u32 i, comp = 0, depth = 1;

	ARC_FUZZ_ASSERT(len >= 1 && len <= ARCHIVE_PATH_MAX && strlen(p) == len);
	ARC_FUZZ_ASSERT(p[0] != '/' && p[len - 1] != '/' && !strstr(p, "//"));
	ARC_FUZZ_ASSERT(strcmp(p, ".") && strcmp(p, "..") && strncmp(p, "./", 2) &&
			strncmp(p, "../", 3) && !strstr(p, "/./") && !strstr(p, "/../"));
	ARC_FUZZ_ASSERT(!(len >= 2 && !strcmp(p + len - 2, "/.")));
	ARC_FUZZ_ASSERT(!(len >= 3 && !strcmp(p + len - 3, "/..")));
	for (i = 0; i < len; i++) {
		ARC_FUZZ_ASSERT(p[i] > 0x20 && p[i] < 0x7F);
		comp = p[i] == '/' ? 0 : comp + 1;
		depth += p[i] == '/';
		ARC_FUZZ_ASSERT(comp <= ARCHIVE_NAME_MAX);
	}
	ARC_FUZZ_ASSERT(depth <= ARCHIVE_DEPTH_MAX);
}

/* The parent of p (if any) must be an earlier directory entry. */
static void arc_fuzz_check_parent(const struct arc_fuzz_state *s, const char *p)
{
	const char *slash = strrchr(p, '/');
	size_t plen;
	u32 i;

	if (!slash)
		return;
	plen = (size_t)(slash - p);
	for (i = 0; i < s->seen; i++)
		if (strlen(s->paths[i]) == plen && !memcmp(s->paths[i], p, plen)) {
			ARC_FUZZ_ASSERT(s->types[i] == ARCHIVE_TYPE_DIR);
			return;
		}
	abort();
}

static int arc_fuzz_visit(void *arg, const struct archive_item *it)
{
	struct arc_fuzz_state *s = arg;
	struct archive_item again;
	const u8 *d = it->data;

	ARC_FUZZ_ASSERT(it->index == s->seen && s->seen < ARC_FUZZ_MAX_ENTRIES);
	ARC_FUZZ_ASSERT(it->type == ARCHIVE_TYPE_DIR || it->type == ARCHIVE_TYPE_FILE);
	ARC_FUZZ_ASSERT((it->mode & ~ARCHIVE_MODE_MASK) == 0);
	arc_fuzz_check_path(it->path, it->path_len);
	ARC_FUZZ_ASSERT(s->seen == 0 || strcmp(s->paths[s->seen - 1], it->path) < 0);
	arc_fuzz_check_parent(s, it->path);
	if (it->type == ARCHIVE_TYPE_DIR) {
		ARC_FUZZ_ASSERT(it->data == NULL && it->size == 0);
	} else {
		ARC_FUZZ_ASSERT(d >= s->buf && d <= s->buf + s->size);
		ARC_FUZZ_ASSERT(it->size <= (u64)(s->buf + s->size - d));
		ARC_FUZZ_ASSERT(it->size <= ARCHIVE_FILE_MAX && (d - s->buf) % 8 == 0);
	}
	ARC_FUZZ_ASSERT(archive_get(s->buf, s->size, it->index, &again) == 0);
	ARC_FUZZ_ASSERT(!strcmp(again.path, it->path) && again.data == it->data);
	memcpy(s->paths[s->seen], it->path, it->path_len + 1);
	s->types[s->seen] = (u8)it->type;
	s->seen++;
	return 0;
}

static void arc_fuzz_one(const u8 *buf, size_t size)
{
	struct arc_fuzz_state *s = &arc_fuzz_st;
	const char *why = NULL;
	int ret = archive_validate(buf, size, &why);

	ARC_FUZZ_ASSERT(why != NULL);
	if (ret) {
		ARC_FUZZ_ASSERT(ret == -E_INVAL || ret == -E_TOOBIG || ret == -E_IO);
		ARC_FUZZ_ASSERT(archive_walk(buf, size, arc_fuzz_visit, s) == ret);
		return;
	}
	ARC_FUZZ_ASSERT(size % 8 == 0 && size <= ARCHIVE_MAX_SIZE);
	s->buf = buf;
	s->size = size;
	s->seen = 0;
	ARC_FUZZ_ASSERT(archive_walk(buf, size, arc_fuzz_visit, s) == 0);
	ARC_FUZZ_ASSERT(s->seen == archive_count(buf, size));
}

/*
 * Recipe: per entry, 1 byte type (low bit: file), 2 bytes mode, 1 byte
 * path length, the path, 1 byte data length. Returns the archive's size.
 */
static size_t arc_fuzz_synth(const u8 *in, size_t n, u8 *out, size_t cap)
{
	struct archive_entry e[64];
	struct archive_header h;
	u32 count = 0, i;
	size_t pos = 0;
	u64 cur;

	memset(e, 0, sizeof(e));
	while (count < 64 && pos + 4 <= n) {
		u32 plen = in[pos + 3];

		if (pos + 5 + plen > n)
			break;
		e[count].type = (in[pos] & 1) ? ARCHIVE_TYPE_FILE : ARCHIVE_TYPE_DIR;
		e[count].mode = (u32)(in[pos + 1] | in[pos + 2] << 8) & 0x3FF;
		e[count].path_len = (u16)plen;
		e[count].path_offset = (u32)(pos + 4); /* input offset for now */
		e[count].data_size = e[count].type == ARCHIVE_TYPE_FILE ? in[pos + 4 + plen] : 0;
		pos += 5 + plen;
		count++;
	}
	cur = sizeof(h) + (u64)count * sizeof(e[0]);
	memset(out, 0, cur);
	for (i = 0; i < count; i++) {
		memset(out + cur, 0, ALIGN_UP((u64)e[i].path_len, 8));
		memcpy(out + cur, in + e[i].path_offset, e[i].path_len);
		e[i].path_offset = (u32)cur;
		cur += ALIGN_UP((u64)e[i].path_len, 8);
	}
	for (i = 0; i < count; i++) {
		if (e[i].type != ARCHIVE_TYPE_FILE)
			continue;
		e[i].data_offset = cur;
		memset(out + cur, 0, ALIGN_UP(e[i].data_size, 8));
		memset(out + cur, 0x5A, e[i].data_size);
		cur += ALIGN_UP(e[i].data_size, 8);
	}
	ARC_FUZZ_ASSERT(cur <= cap); /* 64 entries of at most 255 path and data bytes */
	memcpy(out + sizeof(h), e, count * sizeof(e[0]));
	memset(&h, 0, sizeof(h));
	memcpy(h.magic, ARCHIVE_MAGIC, sizeof(h.magic));
	h.version = ARCHIVE_VERSION;
	h.header_size = sizeof(h);
	h.entry_size = sizeof(e[0]);
	h.entry_count = count;
	h.total_size = cur;
	memcpy(out, &h, sizeof(h));
	h.crc32 = archive_checksum(out, cur);
	memcpy(out, &h, sizeof(h));
	return cur;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	/* Worst case: 64 x (32 + 256 + 256) bytes after the header. */
	static u8 synth[64 + 64 * (32 + 256 + 256)];
	u8 *copy;
	u32 crc;

	if (size > (1u << 16))
		return 0;
	arc_fuzz_one(data, size);
	arc_fuzz_one(synth, arc_fuzz_synth(data, size, synth, sizeof(synth)));
	if (size < sizeof(struct archive_header))
		return 0;
	copy = malloc(size);
	if (!copy)
		return 0;
	memcpy(copy, data, size);
	crc = archive_checksum(copy, size);
	memcpy(copy + offsetof(struct archive_header, crc32), &crc, sizeof(crc));
	arc_fuzz_one(copy, size);
	free(copy);
	return 0;
}
