/*
 * vtpmd: the NV state file and libtpms' NV callbacks. libtpms keeps all of
 * its persistent state in one blob named "permall"; vtpmd stores it in one
 * file with a small header and a SHA-256 of the blob:
 *
 *   0  8   magic "CPRNVST1"     12  4  blob length (LE)
 *   8  4   format version 1 (LE) 16  32 SHA-256(blob)     48  blob
 *
 * Every store writes PATH.tmp and renames it over PATH, so a crash leaves
 * either the old or the new state, never a torn file (the Linux personality
 * has no fsync: durability across a power loss is the storage layer's job).
 * Volatile state is never stored: a restart is a TPM reset.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libtpms/tpm_error.h>
#include <libtpms/tpm_library.h>
#include <libtpms/tpm_nvfilename.h>
#include <openssl/evp.h>

#include "vtpmd.h"

#define NV_MAGIC "CPRNVST1"
#define NV_VERSION 1u
#define NV_HDR 48u
#define NV_MAX_BLOB (1u << 20)

static struct {
	char path[PATH_MAX];
	char tmp[PATH_MAX];
	uint8_t *blob;
	uint32_t len;
	bool have;
	bool deferred;
} nv;

static void nv_put_le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static uint32_t nv_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static int nv_sha256(const uint8_t *p, size_t n, uint8_t out[32])
{
	unsigned int olen = 0;

	return EVP_Digest(p, n, out, &olen, EVP_sha256(), NULL) == 1 && olen == 32 ? 0 : -1;
}

/* Reads all of fd (at most max bytes) into a new buffer. */
static uint8_t *nv_read_all(int fd, size_t max, size_t *len)
{
	struct stat st;
	uint8_t *buf;
	size_t got = 0;
	ssize_t n = 0;

	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size < 0 ||
	    (uint64_t)st.st_size > max)
		return NULL;
	buf = malloc((size_t)st.st_size + 1);
	if (!buf)
		return NULL;
	while (got <= (size_t)st.st_size) {
		n = read(fd, buf + got, (size_t)st.st_size + 1 - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	if (n < 0 || got != (size_t)st.st_size) {
		free(buf);
		return NULL;
	}
	*len = got;
	return buf;
}

/* Validates a file image and keeps its blob. */
static int nv_parse(const uint8_t *img, size_t len)
{
	uint8_t digest[32];
	uint32_t blob_len;

	if (len < NV_HDR || memcmp(img, NV_MAGIC, 8) != 0)
		return -1;
	blob_len = nv_le32(img + 12);
	if (nv_le32(img + 8) != NV_VERSION || blob_len == 0 || blob_len > NV_MAX_BLOB ||
	    blob_len != len - NV_HDR)
		return -1;
	if (nv_sha256(img + NV_HDR, blob_len, digest) != 0 || memcmp(digest, img + 16, 32) != 0)
		return -1;
	nv.blob = malloc(blob_len);
	if (!nv.blob)
		return -1;
	memcpy(nv.blob, img + NV_HDR, blob_len);
	nv.len = blob_len;
	nv.have = true;
	return 0;
}

int vtpmd_nv_open(const char *path, bool *exists)
{
	uint8_t *img;
	size_t len = 0;
	int fd, rc;

	if (snprintf(nv.path, sizeof(nv.path), "%s", path) >= (int)sizeof(nv.path) ||
	    snprintf(nv.tmp, sizeof(nv.tmp), "%s.tmp", path) >= (int)sizeof(nv.tmp)) {
		vtpmd_log("NV path too long");
		return -1;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		*exists = false;
		if (errno == ENOENT)
			return 0;
		vtpmd_log("cannot open NV file %s: %s", path, strerror(errno));
		return -1;
	}
	*exists = true;
	img = nv_read_all(fd, NV_HDR + NV_MAX_BLOB, &len);
	close(fd);
	rc = img ? nv_parse(img, len) : -1;
	free(img);
	if (rc != 0)
		vtpmd_log("NV file %s is unreadable or corrupt; refusing to start", path);
	return rc;
}

static int nv_write_all(int fd, const uint8_t *p, size_t n)
{
	ssize_t w;

	while (n > 0) {
		w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Writes the blob to PATH.tmp, then renames it over PATH. */
static int nv_write_file(void)
{
	uint8_t *img;
	int fd, rc = -1;

	img = malloc(NV_HDR + (size_t)nv.len);
	if (!img)
		return -1;
	memcpy(img, NV_MAGIC, 8);
	nv_put_le32(img + 8, NV_VERSION);
	nv_put_le32(img + 12, nv.len);
	memcpy(img + NV_HDR, nv.blob, nv.len);
	if (nv_sha256(nv.blob, nv.len, img + 16) == 0) {
		fd = open(nv.tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
		if (fd >= 0) {
			rc = nv_write_all(fd, img, NV_HDR + (size_t)nv.len);
			if (close(fd) != 0)
				rc = -1;
			if (rc == 0)
				rc = rename(nv.tmp, nv.path);
		}
	}
	if (rc != 0)
		vtpmd_log("cannot write NV file %s: %s", nv.path, strerror(errno));
	free(img);
	return rc;
}

void vtpmd_nv_set_deferred(bool deferred)
{
	nv.deferred = deferred;
}

int vtpmd_nv_commit(void)
{
	if (!nv.have)
		return -1;
	return nv_write_file();
}

static TPM_RESULT nv_cb_init(void)
{
	return TPM_SUCCESS;
}

static TPM_RESULT nv_cb_load(unsigned char **data, uint32_t *length, uint32_t tpm_number,
			     const char *name)
{
	(void)tpm_number;
	if (strcmp(name, TPM_PERMANENT_ALL_NAME) != 0 || !nv.have)
		return TPM_RETRY; /* "does not exist": libtpms manufactures or skips it */
	*data = malloc(nv.len);
	if (!*data)
		return TPM_FAIL;
	memcpy(*data, nv.blob, nv.len);
	*length = nv.len;
	return TPM_SUCCESS;
}

static TPM_RESULT nv_cb_store(const unsigned char *data, uint32_t length, uint32_t tpm_number,
			      const char *name)
{
	uint8_t *copy;

	(void)tpm_number;
	if (strcmp(name, TPM_PERMANENT_ALL_NAME) != 0) {
		vtpmd_log("not storing libtpms state '%s' (volatile state is not kept)", name);
		return TPM_SUCCESS;
	}
	if (length == 0 || length > NV_MAX_BLOB)
		return TPM_FAIL;
	copy = malloc(length);
	if (!copy)
		return TPM_FAIL;
	memcpy(copy, data, length);
	free(nv.blob);
	nv.blob = copy;
	nv.len = length;
	nv.have = true;
	if (!nv.deferred && nv_write_file() != 0)
		return TPM_FAIL;
	return TPM_SUCCESS;
}

static TPM_RESULT nv_cb_delete(uint32_t tpm_number, const char *name, TPM_BOOL must_exist)
{
	(void)tpm_number;
	if (strcmp(name, TPM_PERMANENT_ALL_NAME) != 0)
		return TPM_SUCCESS;
	if (!nv.have && must_exist)
		return TPM_FAIL;
	free(nv.blob);
	nv.blob = NULL;
	nv.len = 0;
	nv.have = false;
	if (!nv.deferred && unlink(nv.path) != 0 && errno != ENOENT)
		return TPM_FAIL;
	return TPM_SUCCESS;
}

void vtpmd_nv_fill_callbacks(struct libtpms_callbacks *cbs)
{
	cbs->tpm_nvram_init = nv_cb_init;
	cbs->tpm_nvram_loaddata = nv_cb_load;
	cbs->tpm_nvram_storedata = nv_cb_store;
	cbs->tpm_nvram_deletename = nv_cb_delete;
}
