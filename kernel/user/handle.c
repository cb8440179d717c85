/* Per-process handle tables: u32 handles, lowest free number first. */
#include <copra/errno.h>
#include <copra/process.h>
#include <copra/spinlock.h>

int handle_install_at(struct process *p, struct object *o, copra_handle_t want)
{
	int ret = 0;

	if (want >= COPRA_HANDLES_MAX)
		return -E_RANGE;
	spin_lock(&p->lock);
	if (p->handles[want])
		ret = -E_EXIST;
	else
		p->handles[want] = o;
	spin_unlock(&p->lock);
	if (!ret)
		obj_get(o);
	return ret;
}

int handle_install(struct process *p, struct object *o, copra_handle_t *h)
{
	copra_handle_t i;

	spin_lock(&p->lock);
	for (i = 0; i < COPRA_HANDLES_MAX; i++) {
		if (!p->handles[i]) {
			p->handles[i] = o;
			obj_get(o);
			spin_unlock(&p->lock);
			*h = i;
			return 0;
		}
	}
	spin_unlock(&p->lock);
	return -E_NOSPC;
}

int handle_get(struct process *p, copra_handle_t h, u32 type, struct object **out)
{
	struct object *o;

	if (h >= COPRA_HANDLES_MAX)
		return -E_BADH;
	spin_lock(&p->lock);
	o = p->handles[h];
	if (o && (!type || o->type == type))
		obj_get(o);
	spin_unlock(&p->lock);
	if (!o)
		return -E_BADH;
	if (type && o->type != type)
		return -E_TYPE;
	*out = o;
	return 0;
}

/* Removes handle h from the table; the caller drops the returned reference. */
static struct object *handle_take(struct process *p, copra_handle_t h)
{
	struct object *o;

	spin_lock(&p->lock);
	o = p->handles[h];
	p->handles[h] = NULL;
	spin_unlock(&p->lock);
	return o;
}

int handle_close(struct process *p, copra_handle_t h)
{
	struct object *o;

	if (h >= COPRA_HANDLES_MAX)
		return -E_BADH;
	o = handle_take(p, h);
	if (!o)
		return -E_BADH;
	obj_put(o);
	return 0;
}

void handle_close_all(struct process *p)
{
	struct object *o[COPRA_HANDLES_MAX];
	unsigned n = 0, i;
	copra_handle_t h;

	spin_lock(&p->lock);
	for (h = 0; h < COPRA_HANDLES_MAX; h++) {
		if (p->handles[h]) {
			o[n++] = p->handles[h];
			p->handles[h] = NULL;
		}
	}
	spin_unlock(&p->lock);
	for (i = 0; i < n; i++)
		obj_put(o[i]);
}

unsigned handle_count(struct process *p)
{
	unsigned n = 0;
	copra_handle_t h;

	spin_lock(&p->lock);
	for (h = 0; h < COPRA_HANDLES_MAX; h++)
		n += p->handles[h] != NULL;
	spin_unlock(&p->lock);
	return n;
}
