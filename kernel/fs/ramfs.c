/*
 * RAM filesystem namespace: the tree of nodes, path resolution, create,
 * unlink, rename, readdir, stat and reference counting. File contents are in
 * ramfs_data.c. Nodes come from the global heap.
 *
 * Lock order (outermost first):
 *   1. ramfs_ns_lock: tree shape (parent pointers, names, children arrays),
 *      the root pointer and the inode counter;
 *   2. ramfs_node.lock: one file's size and frames (ramfs_data.c);
 *   3. the heap and frame-allocator locks, taken inside kmalloc/kfree and
 *      pmm_* while 1 or 2 is held.
 * The namespace lock is never taken while a file lock is held. Reference
 * counts are atomic and need no lock. Nothing that may fault runs under
 * these locks: callers pass kernel buffers only.
 */
#include <copra/errno.h>
#include <copra/heap.h>
#include <copra/panic.h>
#include <copra/string.h>

#include "ramfs_internal.h"

static spinlock_t ramfs_ns_lock = SPINLOCK_INIT;
static struct ramfs_node *ramfs_root;  /* guarded by ramfs_ns_lock */
static u64 ramfs_next_ino = 1;         /* guarded by ramfs_ns_lock */
static u64 ramfs_nodes;                /* atomic: live nodes */

/*
 * Checks a whole path without touching the tree: 0, -E_INVAL (malformed)
 * or -E_TOOBIG (longer than 255 bytes, or a name longer than 63).
 */
static int ramfs_path_check(const char *path, size_t *len_out)
{
	size_t len, i, start = 1;

	if (!path || path[0] != '/')
		return -E_INVAL;
	len = strnlen(path, RAMFS_PATH_MAX + 1);
	if (len > RAMFS_PATH_MAX)
		return -E_TOOBIG;
	*len_out = len;
	if (len == 1)
		return 0;
	for (i = 1; i <= len; i++) {
		u8 c = (u8)path[i];

		if (i < len && c != '/') {
			if (c < 0x21 || c > 0x7E)
				return -E_INVAL;
			continue;
		}
		if (i == start)
			return -E_INVAL; /* empty component or trailing '/' */
		if (i - start > RAMFS_NAME_MAX)
			return -E_TOOBIG;
		if (path[start] == '.' && (i - start == 1 || (i - start == 2 && path[start + 1] == '.')))
			return -E_INVAL;
		start = i + 1;
	}
	return 0;
}

/* Name order: bytewise, then the shorter first (strcmp order). */
static int ramfs_name_cmp(const struct ramfs_node *n, const char *name, u32 len)
{
	u32 nlen = (u32)strlen(n->name);
	int c = memcmp(n->name, name, MIN(nlen, len));

	if (c)
		return c;
	return nlen < len ? -1 : nlen > len;
}

/* Under ramfs_ns_lock: 0 with *pos = index, or -E_NOENT with *pos = insertion point. */
static int ramfs_child_find(const struct ramfs_node *dir, const char *name, u32 len, u32 *pos)
{
	u32 lo = 0, hi = dir->child_count;

	while (lo < hi) {
		u32 mid = lo + (hi - lo) / 2;
		int c = ramfs_name_cmp(dir->children[mid], name, len);

		if (c == 0) {
			*pos = mid;
			return 0;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*pos = lo;
	return -E_NOENT;
}

/* Under ramfs_ns_lock: follows the checked components p[0..len) from dir. */
static int ramfs_descend(struct ramfs_node *dir, const char *p, size_t len,
			 struct ramfs_node **out)
{
	size_t i = 0;

	while (i < len) {
		size_t end = i;
		u32 pos;

		while (end < len && p[end] != '/')
			end++;
		if (dir->type != RAMFS_DIR)
			return -E_TYPE;
		if (ramfs_child_find(dir, p + i, (u32)(end - i), &pos))
			return -E_NOENT;
		dir = dir->children[pos];
		i = end + 1;
	}
	*out = dir;
	return 0;
}

/*
 * Under ramfs_ns_lock: the directory that holds the last component of a
 * checked path other than "/", and that component.
 */
static int ramfs_resolve_parent(const char *path, size_t len, struct ramfs_node **dir,
				const char **name, u32 *name_len)
{
	size_t slash = len;
	int ret;

	while (path[slash - 1] != '/')
		slash--;
	*name = path + slash;
	*name_len = (u32)(len - slash);
	ret = ramfs_descend(ramfs_root, path + 1, slash > 1 ? slash - 2 : 0, dir);
	if (!ret && (*dir)->type != RAMFS_DIR)
		ret = -E_TYPE;
	return ret;
}

void ramfs_get(struct ramfs_node *n)
{
	u32 old = __atomic_fetch_add(&n->refs, 1, __ATOMIC_RELAXED);

	CHECK_INVARIANT(old > 0);
}

void ramfs_put(struct ramfs_node *n)
{
	u32 old;

	if (!n)
		return;
	old = __atomic_fetch_sub(&n->refs, 1, __ATOMIC_ACQ_REL);
	CHECK_INVARIANT(old > 0);
	if (old != 1)
		return;
	/* Unreachable now: no link and no holder. */
	ramfs_data_release(n);
	kfree(n->children);
	kfree(n);
	__atomic_fetch_sub(&ramfs_nodes, 1, __ATOMIC_RELAXED);
}

int ramfs_init(void)
{
	struct ramfs_node *root = kzalloc(sizeof(*root));
	int ret = 0;

	if (!root)
		return -E_NOMEM;
	spin_lock(&ramfs_ns_lock);
	if (ramfs_root && (ramfs_root->child_count || ramfs_root->refs != 1 ||
			   ramfs_data_frames() ||
			   __atomic_load_n(&ramfs_nodes, __ATOMIC_RELAXED) != 1)) {
		ret = -E_BUSY;
	} else if (!ramfs_root) {
		root->type = RAMFS_DIR;
		root->mode = 0755;
		root->refs = 1;
		root->ino = 1;
		spin_lock_init(&root->lock);
		ramfs_root = root;
		__atomic_fetch_add(&ramfs_nodes, 1, __ATOMIC_RELAXED);
		root = NULL;
	}
	if (!ret)
		ramfs_next_ino = 2; /* an empty tree starts over */
	spin_unlock(&ramfs_ns_lock);
	kfree(root);
	return ret;
}

int ramfs_lookup(const char *path, struct ramfs_node **out)
{
	struct ramfs_node *n = NULL;
	size_t len;
	int ret = ramfs_path_check(path, &len);

	if (ret)
		return ret;
	if (!out)
		return -E_INVAL;
	spin_lock(&ramfs_ns_lock);
	ret = ramfs_root ? ramfs_descend(ramfs_root, path + 1, len - 1, &n) : -E_NOENT;
	if (!ret)
		ramfs_get(n);
	spin_unlock(&ramfs_ns_lock);
	if (!ret)
		*out = n;
	return ret;
}

/* Under ramfs_ns_lock: room for one more child, growing the array if needed. */
static int ramfs_children_reserve(struct ramfs_node *dir)
{
	struct ramfs_node **v;
	u32 cap;

	if (dir->child_count < dir->child_cap)
		return 0;
	if (dir->child_count >= RAMFS_DIR_MAX)
		return -E_NOSPC;
	cap = MIN(dir->child_cap ? dir->child_cap * 2 : 8, RAMFS_DIR_MAX);
	v = kmalloc(cap * sizeof(*v));
	if (!v)
		return -E_NOMEM;
	if (dir->child_count)
		memcpy(v, dir->children, dir->child_count * sizeof(*v));
	kfree(dir->children);
	dir->children = v;
	dir->child_cap = cap;
	return 0;
}

/* Under ramfs_ns_lock: puts n at pos of dir (room reserved) under the name given. */
static void ramfs_child_insert(struct ramfs_node *dir, u32 pos, struct ramfs_node *n,
			       const char *name, u32 name_len)
{
	memmove(&dir->children[pos + 1], &dir->children[pos],
		(dir->child_count - pos) * sizeof(dir->children[0]));
	dir->children[pos] = n;
	dir->child_count++;
	memcpy(n->name, name, name_len);
	n->name[name_len] = '\0';
	n->parent = dir;
}

/* Under ramfs_ns_lock: takes children[pos] out of dir (the array stays). */
static struct ramfs_node *ramfs_child_remove(struct ramfs_node *dir, u32 pos)
{
	struct ramfs_node *n = dir->children[pos];

	dir->child_count--;
	memmove(&dir->children[pos], &dir->children[pos + 1],
		(dir->child_count - pos) * sizeof(dir->children[0]));
	n->parent = NULL;
	return n;
}

/* Under ramfs_ns_lock: an empty directory holds no array. */
static void ramfs_children_trim(struct ramfs_node *dir)
{
	if (dir->child_count)
		return;
	kfree(dir->children);
	dir->children = NULL;
	dir->child_cap = 0;
}

/* Under ramfs_ns_lock: links the prepared node n under its parent. */
static int ramfs_link(const char *path, size_t len, struct ramfs_node *n)
{
	struct ramfs_node *dir;
	const char *name;
	u32 name_len, pos;
	int ret;

	if (!ramfs_root)
		return -E_NOENT;
	ret = ramfs_resolve_parent(path, len, &dir, &name, &name_len);
	if (ret)
		return ret;
	if (ramfs_child_find(dir, name, name_len, &pos) == 0)
		return -E_EXIST;
	ret = ramfs_children_reserve(dir);
	if (ret)
		return ret;
	ramfs_child_insert(dir, pos, n, name, name_len);
	n->ino = ramfs_next_ino++;
	return 0;
}

int ramfs_create(const char *path, u32 type, u32 mode, struct ramfs_node **out)
{
	struct ramfs_node *n;
	size_t len;
	int ret;

	if ((type != RAMFS_DIR && type != RAMFS_FILE) || (mode & ~RAMFS_MODE_MASK))
		return -E_INVAL;
	ret = ramfs_path_check(path, &len);
	if (ret)
		return ret;
	if (len == 1)
		return -E_EXIST; /* the root */
	n = kzalloc(sizeof(*n));
	if (!n)
		return -E_NOMEM;
	n->type = type;
	n->mode = mode;
	n->refs = out ? 2 : 1;
	spin_lock_init(&n->lock);
	spin_lock(&ramfs_ns_lock);
	ret = ramfs_link(path, len, n);
	spin_unlock(&ramfs_ns_lock);
	if (ret) {
		kfree(n);
		return ret;
	}
	__atomic_fetch_add(&ramfs_nodes, 1, __ATOMIC_RELAXED);
	if (out)
		*out = n;
	return 0;
}

int ramfs_mkdir(const char *path)
{
	return ramfs_create(path, RAMFS_DIR, 0755, NULL);
}

/* Under ramfs_ns_lock: detaches the node at path; the caller drops the link's reference. */
static int ramfs_unlink_locked(const char *path, size_t len, struct ramfs_node **out)
{
	struct ramfs_node *dir, *n;
	const char *name;
	u32 name_len, pos;
	int ret;

	if (!ramfs_root)
		return -E_NOENT;
	ret = ramfs_resolve_parent(path, len, &dir, &name, &name_len);
	if (!ret)
		ret = ramfs_child_find(dir, name, name_len, &pos);
	if (ret)
		return ret;
	n = dir->children[pos];
	if (n->type == RAMFS_DIR && n->child_count)
		return -E_BUSY;
	*out = ramfs_child_remove(dir, pos);
	ramfs_children_trim(dir);
	return 0;
}

int ramfs_unlink(const char *path)
{
	struct ramfs_node *n = NULL;
	size_t len;
	int ret = ramfs_path_check(path, &len);

	if (ret)
		return ret;
	if (len == 1)
		return -E_BUSY; /* the root */
	spin_lock(&ramfs_ns_lock);
	ret = ramfs_unlink_locked(path, len, &n);
	spin_unlock(&ramfs_ns_lock);
	if (!ret)
		ramfs_put(n);
	return ret;
}

/*
 * Under ramfs_ns_lock: may node n move into directory ndir, replacing
 * victim (NULL: the name is free)? A file replaces only a file, a directory
 * only an empty directory, and a directory never moves below itself.
 */
static int ramfs_rename_check(struct ramfs_node *n, struct ramfs_node *ndir,
			      struct ramfs_node *victim)
{
	struct ramfs_node *a;

	if (victim && (victim->type != n->type))
		return -E_TYPE;
	if (victim && victim->type == RAMFS_DIR && victim->child_count)
		return -E_BUSY;
	for (a = ndir; a; a = a->parent)
		if (a == n)
			return -E_INVAL;
	return 0;
}

/* Under ramfs_ns_lock: the rename itself; *victim is the replaced node (its link reference). */
static int ramfs_rename_locked(const char *from, size_t flen, const char *to, size_t tlen,
			       struct ramfs_node **victim)
{
	struct ramfs_node *odir, *ndir, *n;
	const char *oname, *nname;
	u32 olen, nlen, opos, npos;
	int ret;

	if (!ramfs_root)
		return -E_NOENT;
	ret = ramfs_resolve_parent(from, flen, &odir, &oname, &olen);
	if (!ret)
		ret = ramfs_child_find(odir, oname, olen, &opos);
	if (!ret)
		ret = ramfs_resolve_parent(to, tlen, &ndir, &nname, &nlen);
	if (ret)
		return ret;
	n = odir->children[opos];
	*victim = ramfs_child_find(ndir, nname, nlen, &npos) == 0 ? ndir->children[npos] : NULL;
	ret = *victim == n ? 1 : ramfs_rename_check(n, ndir, *victim); /* 1: onto itself */
	if (!ret && !*victim && ndir != odir)
		ret = ramfs_children_reserve(ndir);
	if (ret) {
		*victim = NULL;
		return ret > 0 ? 0 : ret;
	}
	/* Nothing can fail from here on: the arrays keep their room while in use. */
	ramfs_child_remove(odir, opos);
	if (*victim && ramfs_child_find(ndir, nname, nlen, &npos) == 0)
		ramfs_child_remove(ndir, npos);
	(void)ramfs_child_find(ndir, nname, nlen, &npos);
	ramfs_child_insert(ndir, npos, n, nname, nlen);
	ramfs_children_trim(odir);
	return 0;
}

int ramfs_rename(const char *from, const char *to)
{
	struct ramfs_node *victim = NULL;
	size_t flen, tlen;
	int ret = ramfs_path_check(from, &flen);

	if (!ret)
		ret = ramfs_path_check(to, &tlen);
	if (ret)
		return ret;
	if (flen == 1 || tlen == 1)
		return -E_BUSY; /* the root */
	spin_lock(&ramfs_ns_lock);
	ret = ramfs_rename_locked(from, flen, to, tlen, &victim);
	spin_unlock(&ramfs_ns_lock);
	ramfs_put(victim); /* the replaced node's link; open holders keep it */
	return ret;
}

int ramfs_readdir(struct ramfs_node *dir, u32 index, struct ramfs_dirent *out)
{
	struct ramfs_node *c;
	int ret = 0;

	if (!dir || !out)
		return -E_INVAL;
	if (dir->type != RAMFS_DIR)
		return -E_TYPE;
	spin_lock(&ramfs_ns_lock);
	if (index >= dir->child_count) {
		ret = -E_NOENT;
	} else {
		c = dir->children[index];
		memcpy(out->name, c->name, sizeof(out->name));
		out->type = c->type;
		out->ino = c->ino;
		out->size = c->type == RAMFS_DIR ? c->child_count : ramfs_data_size(c);
	}
	spin_unlock(&ramfs_ns_lock);
	return ret;
}

int ramfs_stat(struct ramfs_node *n, struct ramfs_stat *st)
{
	if (!n || !st)
		return -E_INVAL;
	st->type = n->type;
	st->mode = n->mode;
	st->ino = n->ino;
	if (n->type == RAMFS_DIR) {
		spin_lock(&ramfs_ns_lock);
		st->size = n->child_count;
		spin_unlock(&ramfs_ns_lock);
	} else {
		st->size = ramfs_data_size(n);
	}
	return 0;
}

void ramfs_usage(u64 *frames, u64 *nodes)
{
	if (frames)
		*frames = ramfs_data_frames();
	if (nodes)
		*nodes = __atomic_load_n(&ramfs_nodes, __ATOMIC_RELAXED);
}
