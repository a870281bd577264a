/* store_software.c - what the SWIMA IMV writes for a device (see
 * policy_software.h): its SWIMA state, a whole inventory replacing the
 * stored one, events since the stored EID, and SWID tags. */
#include <stdlib.h>
#include <string.h>

#include "store_software_int.h"

#define REP10(x) x ", " x ", " x ", " x ", " x ", " x ", " x ", " x ", " x ", " x
#define REP100(x) REP10(REP10(x))

#define INVENTORY_ADD(rows)                                                              \
	"INSERT INTO sw_inventory (device, identifier, since) VALUES " rows                 \
	" ON CONFLICT (device, identifier) DO NOTHING"
#define INVENTORY_DROP(rows)                                                             \
	"DELETE FROM sw_inventory WHERE (device, identifier) IN (VALUES " rows ")"
static const char inventory_add_sql[] = INVENTORY_ADD(REP100("(?, ?, ?)")),
                  inventory_add_one_sql[] = INVENTORY_ADD("(?, ?, ?)"),
                  inventory_drop_sql[] = INVENTORY_DROP(REP100("(?, ?)")),
                  inventory_drop_one_sql[] = INVENTORY_DROP("(?, ?)");

static const char state_sql[] = "SELECT s.epoch, s.last_eid FROM sw_state AS s"
                                " JOIN devices AS d ON d.id = s.device WHERE d.value = ?";

int
policy_store_sw_state(struct policy_store *s, const char *device, struct ps_sw_state *ret)
{
	struct store_rows *r = NULL;
	*ret = (struct ps_sw_state){0};
	int err = store_check_name(s, "device ID", device);
	if (!err)
		err = store_query(s, &r, state_sql, "t", device);
	if (err)
		return err;
	int rc = store_next(s, r);
	if (rc > 0)
		*ret = (struct ps_sw_state){true, (uint32_t)store_col_int(s, r, 0),
		    (uint32_t)store_col_int(s, r, 1)};
	store_done(s, r);
	return rc < 0 ? rc : 0;
}

static int
state_set(struct policy_store *s, int64_t dev, uint32_t epoch, uint32_t last_eid, int64_t now)
{
	return store_exec(s,
	    "INSERT INTO sw_state (device, epoch, last_eid, updated) VALUES (?, ?, ?, ?)"
	    " ON CONFLICT (device) DO UPDATE SET epoch = excluded.epoch,"
	    " last_eid = excluded.last_eid, updated = excluded.updated",
	    "IIII", dev, (int64_t)epoch, (int64_t)last_eid, now);
}

/* Identifiers of a call: pointers into the caller's array, sorted by name
 * without repeats, and their ids. */
struct id_set {
	const struct ps_sw_id **v;
	int64_t *ids;
	size_t n;
};

static void
id_set_free(struct id_set *set)
{
	free(set->v);
	free(set->ids);
}

/* n identifiers found at base + i * stride. */
static int
id_set_make(struct policy_store *s, const void *base, size_t stride, size_t n,
    struct id_set *ret)
{
	*ret = (struct id_set){malloc((n ? n : 1) * sizeof(*ret->v)),
	    malloc((n ? n : 1) * sizeof(*ret->ids)), n};
	if (!ret->v || !ret->ids)
		abort();
	for (size_t i = 0; i < n; i++)
		ret->v[i] = (const struct ps_sw_id *)((const char *)base + i * stride);
	sw_ids_unique(ret->v, &ret->n);
	return sw_ids_resolve(s, ret->v, ret->n, ret->ids);
}

static int
cmp_id(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

struct replace {
	const char *device;
	int64_t since;
	uint32_t epoch, last_eid;
	const struct ps_sw_id *ids;
	size_t n;
	/* while it runs */
	int64_t dev;
	int64_t *rows; /* identifier ids to add or drop */
};

static void
bind_add(void *ctx, size_t row, struct store_param *p)
{
	struct replace *c = ctx;
	p[0] = (struct store_param){'I', c->dev, NULL};
	p[1] = (struct store_param){'I', c->rows[row], NULL};
	p[2] = (struct store_param){'I', c->since, NULL};
}

static void
bind_drop(void *ctx, size_t row, struct store_param *p)
{
	struct replace *c = ctx;
	p[0] = (struct store_param){'I', c->dev, NULL};
	p[1] = (struct store_param){'I', c->rows[row], NULL};
}

/* The ids the device's inventory holds now, ascending, into *ret. */
static int
stored_ids(struct policy_store *s, int64_t dev, int64_t **ret, size_t *ret_n)
{
	struct store_rows *r;
	size_t n = 0, cap = 1024;
	int rc = store_query(s, &r,
	    "SELECT identifier FROM sw_inventory WHERE device = ? ORDER BY identifier", "I", dev);
	if (rc)
		return rc;
	int64_t *v = malloc(cap * sizeof(*v));
	if (!v)
		abort();
	while ((rc = store_next(s, r)) > 0) {
		if (n == cap && !(v = realloc(v, (cap *= 2) * sizeof(*v))))
			abort();
		v[n++] = store_col_int(s, r, 0);
	}
	store_done(s, r);
	if (rc < 0) {
		free(v);
		return rc;
	}
	*ret = v;
	*ret_n = n;
	return 0;
}

/* a minus b, both ascending, into out (room for a's count). */
static size_t
minus(const int64_t *a, size_t na, const int64_t *b, size_t nb, int64_t *out)
{
	size_t n = 0, j = 0;
	for (size_t i = 0; i < na; i++) {
		while (j < nb && b[j] < a[i])
			j++;
		if (j == nb || b[j] != a[i])
			out[n++] = a[i];
	}
	return n;
}

/* Only the difference to the stored inventory is written: an identifier
 * that stays keeps its row (and since). */
static int
replace(struct policy_store *s, void *ctx)
{
	struct replace *c = ctx;
	struct id_set set = {0};
	int64_t *old = NULL;
	size_t nold = 0;
	int err = sw_device_ensure(s, c->device, c->since, &c->dev);
	if (!err)
		err = id_set_make(s, c->ids, sizeof(*c->ids), c->n, &set);
	if (!err)
		err = stored_ids(s, c->dev, &old, &nold);
	if (!err) {
		qsort(set.ids, set.n, sizeof(*set.ids), cmp_id);
		c->rows = malloc((nold > set.n ? nold : set.n) * sizeof(*c->rows) + 1);
		if (!c->rows)
			abort();
		size_t ndrop = minus(old, nold, set.ids, set.n, c->rows);
		err = sw_batch(s, inventory_drop_sql, inventory_drop_one_sql, 2, ndrop, bind_drop,
		    NULL, c, NULL);
		size_t nadd = minus(set.ids, set.n, old, nold, c->rows);
		if (!err)
			err = sw_batch(s, inventory_add_sql, inventory_add_one_sql, 3, nadd, bind_add,
			    NULL, c, NULL);
		free(c->rows);
	}
	if (!err)
		err = state_set(s, c->dev, c->epoch, c->last_eid, c->since);
	free(old);
	id_set_free(&set);
	return err;
}

int
policy_store_sw_inventory_replace(struct policy_store *s, const char *device, int64_t since,
    uint32_t epoch, uint32_t last_eid, const struct ps_sw_id *ids, size_t n)
{
	if (n > PS_SW_INVENTORY_MAX)
		return store_fail(s, TNC_ETOOLONG, "an inventory of %zu identifiers (at most %d)", n,
		    PS_SW_INVENTORY_MAX);
	for (size_t i = 0; i < n; i++) {
		int err = sw_id_check(s, &ids[i]);
		if (err)
			return err;
	}
	struct replace c = {device, since, epoch, last_eid, ids, n, 0, NULL};
	return store_write(s, replace, &c);
}

static const char *const action_names[] = {[PS_SW_CREATE] = "create", [PS_SW_DELETE] = "delete",
    [PS_SW_ALTER] = "alter"};

static int
event_check(struct policy_store *s, const struct ps_sw_event *e)
{
	if (e->action < PS_SW_CREATE || e->action > PS_SW_ALTER)
		return store_fail(s, TNC_EINVALID, "event %u: action %d is not create, delete or alter",
		    e->eid, (int)e->action);
	if (!e->time || strlen(e->time) > PS_SW_TIME_MAX)
		return store_fail(s, TNC_EINVALID, "event %u: the timestamp is missing or longer than"
		    " %d bytes", e->eid, PS_SW_TIME_MAX);
	return sw_id_check(s, &e->id);
}

struct apply {
	const char *device;
	int64_t since;
	uint32_t epoch, last_eid;
	const struct ps_sw_event *ev;
	size_t n, applied;
};

/* One event stored and, when it is new, applied to the inventory. */
static int
apply_one(struct policy_store *s, struct apply *c, int64_t dev, const struct ps_sw_event *e,
    int64_t id)
{
	int err = store_exec(s,
	    "INSERT INTO sw_events (device, epoch, eid, time, action, identifier)"
	    " VALUES (?, ?, ?, ?, ?, ?)"
	    " ON CONFLICT (device, epoch, eid, identifier, action) DO NOTHING",
	    "IIIttI", dev, (int64_t)c->epoch, (int64_t)e->eid, e->time, action_names[e->action], id);
	if (err || store_changes(s) == 0)
		return err;
	c->applied++;
	if (e->action == PS_SW_DELETE)
		return store_exec(s, "DELETE FROM sw_inventory WHERE device = ? AND identifier = ?", "II",
		    dev, id);
	return store_exec(s, inventory_add_one_sql, "III", dev, id, c->since);
}

static int
apply(struct policy_store *s, void *ctx)
{
	struct apply *c = ctx;
	struct id_set set = {0};
	struct store_rows *r = NULL;
	int64_t dev = 0;
	c->applied = 0;
	int err = sw_device_ensure(s, c->device, c->since, &dev);
	if (!err)
		err = store_query(s, &r, "SELECT epoch FROM sw_state WHERE device = ?", "I", dev);
	if (err)
		return err;
	int rc = store_next(s, r);
	int64_t epoch = rc > 0 ? store_col_int(s, r, 0) : -1;
	store_done(s, r);
	if (rc < 0)
		return rc;
	if (epoch != (int64_t)c->epoch)
		return store_fail(s, TNC_ESTATE, rc == 0 ? "device '%s' has no stored inventory:"
		    " events need a full inventory first" : "device '%s' changed its epoch (stored"
		    " %lld, now %u): events need a full inventory first", c->device, (long long)epoch,
		    c->epoch);
	err = id_set_make(s, c->n ? &c->ev[0].id : NULL, sizeof(*c->ev), c->n, &set);
	for (size_t i = 0; !err && i < c->n; i++)
		err = apply_one(s, c, dev, &c->ev[i],
		    set.ids[sw_ids_find(set.v, set.n, c->ev[i].id.name)]);
	if (!err)
		err = store_exec(s,
		    "UPDATE sw_state SET last_eid = CASE WHEN last_eid < ?1 THEN ?1 ELSE last_eid END,"
		    " updated = ?2 WHERE device = ?3",
		    "III", (int64_t)c->last_eid, c->since, dev);
	id_set_free(&set);
	return err;
}

int
policy_store_sw_events_apply(struct policy_store *s, const char *device, int64_t since,
    uint32_t epoch, uint32_t last_eid, const struct ps_sw_event *ev, size_t n,
    size_t *ret_applied)
{
	if (n > PS_SW_INVENTORY_MAX)
		return store_fail(s, TNC_ETOOLONG, "%zu events in one call (at most %d)", n,
		    PS_SW_INVENTORY_MAX);
	for (size_t i = 0; i < n; i++) {
		int err = event_check(s, &ev[i]);
		if (err)
			return err;
	}
	struct apply c = {device, since, epoch, last_eid, ev, n, 0};
	int err = store_write(s, apply, &c);
	if (!err && ret_applied)
		*ret_applied = c.applied;
	return err;
}

struct tags {
	const struct ps_sw_tag *t;
	size_t n;
	int64_t now;
};

static int
tags_store(struct policy_store *s, void *ctx)
{
	struct tags *c = ctx;
	struct id_set set = {0};
	int err = id_set_make(s, c->n ? &c->t[0].id : NULL, sizeof(*c->t), c->n, &set);
	for (size_t i = 0; !err && i < c->n; i++)
		err = store_exec(s,
		    "INSERT INTO sw_tags (identifier, tag, stored) VALUES (?, ?, ?)"
		    " ON CONFLICT (identifier) DO UPDATE SET tag = excluded.tag, stored = excluded.stored",
		    "ItI", set.ids[sw_ids_find(set.v, set.n, c->t[i].id.name)], c->t[i].tag, c->now);
	id_set_free(&set);
	return err;
}

int
policy_store_sw_tags_store(struct policy_store *s, const struct ps_sw_tag *t, size_t n,
    int64_t now)
{
	if (n > PS_SW_TAGS_MAX)
		return store_fail(s, TNC_ETOOLONG, "%zu tags in one call (at most %d)", n,
		    PS_SW_TAGS_MAX);
	for (size_t i = 0; i < n; i++) {
		int err = sw_id_check(s, &t[i].id);
		if (err)
			return err;
		size_t len = t[i].tag ? strlen(t[i].tag) : 0;
		if (!len || len > PS_SW_TAG_MAX || t[i].tag[strspn(t[i].tag, " \t\r\n")] != '<')
			return store_fail(s, TNC_EINVALID, "the tag of '%.64s' is empty, longer than %d"
			    " bytes or not XML", t[i].id.name, PS_SW_TAG_MAX);
	}
	struct tags c = {t, n, now};
	return store_write(s, tags_store, &c);
}
