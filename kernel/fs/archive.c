/*
 * User-program archive parser (format: include/abi/archive.h, docs/archive.md).
 * Every byte is hostile. Validation runs in three steps with no side
 * effects: the header and checksum; the entry table and path area (types,
 * modes, normalized paths in strictly ascending byte order, each parent an
 * earlier directory, found by binary search); the data area (canonical
 * offsets, zero padding, exact total size). Fields are copied out with
 * memcpy, so the buffer needs no alignment.
 */
#include <copra/archive.h>
#include <copra/errno.h>
#include <copra/string.h>

_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "archive fields are read in place");

#define ARCHIVE_TABLE_OFF ((u64)sizeof(struct archive_header))
#define ARCHIVE_CRC_OFF offsetof(struct archive_header, crc32)

static int archive_fail(const char **why, int err, const char *reason)
{
	*why = reason;
	return err;
}

/* CRC-32 (IEEE 802.3, reflected), four bits at a time. */
static const u32 archive_crc_nibble[16] = {
	0x00000000, 0x1db71064, 0x3b6e20c8, 0x26d930ac, 0x76dc4190, 0x6b6b51f4,
	0x4db26158, 0x5005713c, 0xedb88320, 0xf00f9344, 0xd6d6a3e8, 0xcb61b38c,
	0x9b64c2b0, 0x86d3d2d4, 0xa00ae278, 0xbdbdf21c,
};

static u32 archive_crc_update(u32 crc, const u8 *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		crc ^= p[i];
		crc = (crc >> 4) ^ archive_crc_nibble[crc & 15];
		crc = (crc >> 4) ^ archive_crc_nibble[crc & 15];
	}
	return crc;
}

u32 archive_checksum(const void *buf, size_t size)
{
	static const u8 zero[sizeof(u32)];
	const u8 *p = buf;
	u32 crc = 0xFFFFFFFFu;

	if (size < ARCHIVE_CRC_OFF + sizeof(u32))
		return ~archive_crc_update(crc, p, size);
	crc = archive_crc_update(crc, p, ARCHIVE_CRC_OFF);
	crc = archive_crc_update(crc, zero, sizeof(zero));
	crc = archive_crc_update(crc, p + ARCHIVE_CRC_OFF + sizeof(u32),
				 size - ARCHIVE_CRC_OFF - sizeof(u32));
	return ~crc;
}

static void archive_read_entry(const u8 *buf, u32 i, struct archive_entry *e)
{
	memcpy(e, buf + ARCHIVE_TABLE_OFF + (u64)i * sizeof(*e), sizeof(*e));
}

static bool archive_all_zero(const u8 *p, u64 n)
{
	u64 i;

	for (i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

static int archive_check_header(const u8 *buf, size_t size, struct archive_header *h,
				const char **why)
{
	if (size < sizeof(*h))
		return archive_fail(why, -E_INVAL, "shorter than the archive header");
	memcpy(h, buf, sizeof(*h));
	if (memcmp(h->magic, ARCHIVE_MAGIC, sizeof(h->magic)) != 0)
		return archive_fail(why, -E_INVAL, "bad magic");
	if (h->version != ARCHIVE_VERSION)
		return archive_fail(why, -E_INVAL, "unsupported version");
	if (h->header_size != sizeof(struct archive_header) ||
	    h->entry_size != sizeof(struct archive_entry))
		return archive_fail(why, -E_INVAL, "bad header or entry size");
	if (h->flags != 0 || !archive_all_zero(h->reserved, sizeof(h->reserved)))
		return archive_fail(why, -E_INVAL, "reserved header field not zero");
	if (h->total_size > ARCHIVE_MAX_SIZE)
		return archive_fail(why, -E_TOOBIG, "archive larger than 256 MiB");
	if (h->total_size != size)
		return archive_fail(why, -E_INVAL, "total size does not match the buffer");
	if (h->entry_count > ARCHIVE_MAX_ENTRIES)
		return archive_fail(why, -E_TOOBIG, "more than 4096 entries");
	if (ARCHIVE_TABLE_OFF + (u64)h->entry_count * sizeof(struct archive_entry) > size)
		return archive_fail(why, -E_INVAL, "entry table past the end");
	if (archive_checksum(buf, size) != h->crc32)
		return archive_fail(why, -E_IO, "checksum mismatch");
	return 0;
}

/* NULL when p[0..len) is a relative, normalized path; else the problem. */
static const char *archive_path_problem(const u8 *p, u32 len)
{
	u32 i, start = 0, depth = 0;

	for (i = 0; i <= len; i++) {
		if (i < len && p[i] != '/') {
			if (p[i] < 0x21 || p[i] > 0x7E)
				return "path byte not printable ASCII";
			continue;
		}
		if (i == start)
			return "empty path component (or leading/trailing '/')";
		if (i - start > ARCHIVE_NAME_MAX)
			return "path component longer than 63 bytes";
		if (p[start] == '.' && (i - start == 1 || (i - start == 2 && p[start + 1] == '.')))
			return "'.' or '..' in path";
		if (++depth > ARCHIVE_DEPTH_MAX)
			return "path deeper than 16 components";
		start = i + 1;
	}
	return NULL;
}

/* Byte order: memcmp over the common prefix, then the shorter first. */
static int archive_cmp(const u8 *a, u32 alen, const u8 *b, u32 blen)
{
	int c = memcmp(a, b, MIN(alen, blen));

	if (c)
		return c;
	return alen < blen ? -1 : alen > blen;
}

/* Is there a directory with this path among the (validated) entries [0, n)? */
static bool archive_find_dir(const u8 *buf, u32 n, const u8 *path, u32 len)
{
	u32 lo = 0, hi = n;

	while (lo < hi) {
		u32 mid = lo + (hi - lo) / 2;
		struct archive_entry e;
		int c;

		archive_read_entry(buf, mid, &e);
		c = archive_cmp(buf + e.path_offset, e.path_len, path, len);
		if (c == 0)
			return e.type == ARCHIVE_TYPE_DIR;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

/* The fields of entry i that do not depend on other entries. */
static int archive_check_fields(const u8 *buf, size_t size, const struct archive_entry *e,
				u64 cursor, const char **why)
{
	const char *problem;

	if (e->type != ARCHIVE_TYPE_DIR && e->type != ARCHIVE_TYPE_FILE)
		return archive_fail(why, -E_INVAL, "unknown entry type");
	if (e->reserved0 || e->reserved1)
		return archive_fail(why, -E_INVAL, "reserved entry field not zero");
	if (e->mode & ~ARCHIVE_MODE_MASK)
		return archive_fail(why, -E_INVAL, "mode has bits beyond 0777");
	if (e->type == ARCHIVE_TYPE_DIR && (e->data_offset || e->data_size))
		return archive_fail(why, -E_INVAL, "directory with data");
	if (e->path_len == 0 || e->path_len > ARCHIVE_PATH_MAX)
		return archive_fail(why, -E_INVAL, "path length out of range");
	if (e->path_offset != cursor)
		return archive_fail(why, -E_INVAL, "path not at its canonical offset");
	if (ALIGN_UP((u64)e->path_len, ARCHIVE_ALIGN) > size - cursor)
		return archive_fail(why, -E_INVAL, "path past the end");
	problem = archive_path_problem(buf + cursor, e->path_len);
	if (problem)
		return archive_fail(why, -E_INVAL, problem);
	if (!archive_all_zero(buf + cursor + e->path_len,
			      ALIGN_UP((u64)e->path_len, ARCHIVE_ALIGN) - e->path_len))
		return archive_fail(why, -E_INVAL, "path padding not zero");
	return 0;
}

/* Table and path area; *end is where the data area starts. */
static int archive_check_paths(const u8 *buf, size_t size, u32 count, u64 *end,
			       const char **why)
{
	u64 cursor = ARCHIVE_TABLE_OFF + (u64)count * sizeof(struct archive_entry);
	struct archive_entry e, prev;
	u32 i, slash;
	int ret;

	memset(&prev, 0, sizeof(prev));
	for (i = 0; i < count; i++) {
		archive_read_entry(buf, i, &e);
		ret = archive_check_fields(buf, size, &e, cursor, why);
		if (ret)
			return ret;
		if (i > 0 && archive_cmp(buf + prev.path_offset, prev.path_len,
					 buf + e.path_offset, e.path_len) >= 0)
			return archive_fail(why, -E_INVAL, "entries not in ascending path order");
		for (slash = e.path_len; slash > 0 && buf[e.path_offset + slash - 1] != '/'; slash--)
			;
		if (slash > 0 && !archive_find_dir(buf, i, buf + e.path_offset, slash - 1))
			return archive_fail(why, -E_INVAL, "parent directory not an earlier entry");
		cursor += ALIGN_UP((u64)e.path_len, ARCHIVE_ALIGN);
		prev = e;
	}
	*end = cursor;
	return 0;
}

/* Data area: each file's bytes at the canonical offset, padding zero. */
static int archive_check_data(const u8 *buf, size_t size, u32 count, u64 cursor,
			      const char **why)
{
	struct archive_entry e;
	u32 i;

	for (i = 0; i < count; i++) {
		u64 padded;

		archive_read_entry(buf, i, &e);
		if (e.type != ARCHIVE_TYPE_FILE)
			continue;
		if (e.data_size > ARCHIVE_FILE_MAX)
			return archive_fail(why, -E_TOOBIG, "file larger than 64 MiB");
		if (e.data_offset != cursor)
			return archive_fail(why, -E_INVAL, "data not at its canonical offset");
		padded = ALIGN_UP(e.data_size, ARCHIVE_ALIGN);
		if (padded > size - cursor)
			return archive_fail(why, -E_INVAL, "data past the end");
		if (!archive_all_zero(buf + cursor + e.data_size, padded - e.data_size))
			return archive_fail(why, -E_INVAL, "data padding not zero");
		cursor += padded;
	}
	if (cursor != size)
		return archive_fail(why, -E_INVAL, "bytes after the last entry");
	return 0;
}

int archive_validate(const void *buf, size_t size, const char **why)
{
	const char *why_local;
	struct archive_header h;
	u64 data_start;
	int ret;

	if (!why)
		why = &why_local;
	*why = "ok";
	if (!buf)
		return archive_fail(why, -E_INVAL, "no buffer");
	ret = archive_check_header(buf, size, &h, why);
	if (!ret)
		ret = archive_check_paths(buf, size, h.entry_count, &data_start, why);
	if (!ret)
		ret = archive_check_data(buf, size, h.entry_count, data_start, why);
	return ret;
}

u32 archive_count(const void *buf, size_t size)
{
	struct archive_header h;

	if (!buf || size < sizeof(h))
		return 0;
	memcpy(&h, buf, sizeof(h));
	return h.entry_count;
}

int archive_get(const void *buf, size_t size, u32 index, struct archive_item *out)
{
	const u8 *b = buf;
	struct archive_entry e;
	u32 count = archive_count(buf, size);

	if (!buf || !out || size < sizeof(struct archive_header))
		return -E_INVAL;
	if (index >= count)
		return -E_RANGE;
	/* Cheap re-checks: a caller that skipped validation still stays in bounds. */
	if (ARCHIVE_TABLE_OFF + (u64)count * sizeof(e) > size)
		return -E_INVAL;
	archive_read_entry(b, index, &e);
	if (e.path_len > ARCHIVE_PATH_MAX || e.path_offset > size ||
	    e.path_len > size - e.path_offset || e.data_offset > size ||
	    e.data_size > size - e.data_offset)
		return -E_INVAL;
	out->index = index;
	out->type = e.type;
	out->mode = e.mode;
	out->path_len = e.path_len;
	memcpy(out->path, b + e.path_offset, e.path_len);
	out->path[e.path_len] = '\0';
	out->data = e.type == ARCHIVE_TYPE_FILE ? b + e.data_offset : NULL;
	out->size = e.type == ARCHIVE_TYPE_FILE ? e.data_size : 0;
	return 0;
}

int archive_walk(const void *buf, size_t size, archive_visit_fn fn, void *arg)
{
	struct archive_item item;
	u32 i, count;
	int ret;

	ret = archive_validate(buf, size, NULL);
	if (ret)
		return ret;
	count = archive_count(buf, size);
	for (i = 0; i < count; i++) {
		ret = archive_get(buf, size, i, &item);
		if (!ret)
			ret = fn(arg, &item);
		if (ret)
			return ret;
	}
	return 0;
}
