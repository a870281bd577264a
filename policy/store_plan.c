/* store_plan.c - the workitems a session is due (see policy_store.h):
 * the enforcements of the device's groups, merged per policy, less those
 * whose max_age a recent result of the device covers.
 *
 * What applies to a device that no group names as a member depends on its
 * product alone, and every device of a product asks the same: those rows
 * are held per product (at most STORE_PLAN_CACHES, the least recently used
 * goes), valid while the database's 'policies' generation (bumped by every
 * operator's change, store_policies_changed(); another gateway's too) is
 * unchanged.  A device that is a member of groups of its own is planned
 * from the database every time, and whether an enforcement with a max_age
 * is due is always asked of the device's own results. */
#include <stdlib.h>
#include <string.h>

#include "store_int.h"

/* One enforcement that applies, as the database gave it. */
struct applicable {
	int64_t policy, enforcement, max_age;
	enum ps_policy_type type;
	enum imv_recommendation rec_fail, rec_noresult;
	char *argument;
};

struct plan_cache {
	char *product;
	int64_t generation;
	uint64_t last_use;
	struct applicable *rows;
	size_t n;
};

/* The enforcements that apply to the device (?1, 0: none yet) of the
 * product (?2, 0: none yet): its groups by membership and by product, the
 * default group, and every ancestor of those, ordered by policy.  The last
 * UNION keeps every group once, those of the first terms too (SQLite and
 * PostgreSQL alike), so these are UNION ALL: each UNION of its own would
 * cost SQLite a temporary table per query. */
static const char applicable_sql[] =
    "WITH RECURSIVE g(id) AS ("
    "   SELECT group_id FROM groups_devices WHERE device = ?1"
    "   UNION ALL SELECT group_id FROM groups_products WHERE product = ?2"
    "   UNION ALL SELECT id FROM groups WHERE is_default = 1"
    "   UNION SELECT gr.parent FROM groups AS gr JOIN g ON gr.id = g.id"
    "     WHERE gr.parent IS NOT NULL)"
    " SELECT p.id, e.id, p.type,"
    "   CASE WHEN p.file IS NOT NULL THEN (SELECT rtrim(d.path, '/') || '/' || f.name"
    "          FROM files AS f JOIN directories AS d ON d.id = f.dir WHERE f.id = p.file)"
    "        WHEN p.dir IS NOT NULL THEN (SELECT path FROM directories WHERE id = p.dir)"
    "        ELSE p.argument END,"
    "   coalesce(e.rec_fail, p.rec_fail), coalesce(e.rec_noresult, p.rec_noresult), e.max_age"
    " FROM enforcements AS e JOIN g ON e.group_id = g.id JOIN policies AS p ON p.id = e.policy"
    " ORDER BY p.id, e.id";

static void
rows_free(struct applicable *a, size_t n)
{
	for (size_t i = 0; a && i < n; i++)
		free(a[i].argument);
	free(a);
}

static int
load_rows(struct policy_store *s, int64_t device, int64_t product, struct applicable **ret,
    size_t *ret_n)
{
	struct store_rows *r;
	struct applicable *a = NULL;
	size_t n = 0, cap = 0;
	int rc, err = store_query(s, &r, applicable_sql, "II", device, product);
	if (err)
		return err;
	while ((rc = store_next(s, r)) > 0) {
		int64_t policy = store_col_int(s, r, 0);
		int type = ps_policy_type_parse(store_col_text(s, r, 2));
		int fail = ps_rec_parse(store_col_text(s, r, 4));
		int noresult = ps_rec_parse(store_col_text(s, r, 5));
		if (type < 0 || fail < 0 || noresult < 0) {
			err = store_fail(s, TNC_EINVALID, "policy %lld has a type or recommendation"
			    " this build does not know", (long long)policy);
			break;
		}
		if (n == cap) {
			cap = cap ? 2 * cap : 16;
			a = realloc(a, cap * sizeof(*a));
			if (!a)
				abort();
		}
		const char *arg = store_col_text(s, r, 3);
		char *copy = strdup(arg ? arg : "");
		if (!copy)
			abort();
		a[n++] = (struct applicable){policy, store_col_int(s, r, 1), store_col_int(s, r, 6),
		    type, fail, noresult, copy};
	}
	if (!err && rc < 0)
		err = rc;
	store_done(s, r);
	if (err) {
		rows_free(a, n);
		return err;
	}
	*ret = a;
	*ret_n = n;
	return 0;
}

/* Whether the enforcement makes a workitem now: always without a max_age
 * or a device; else unless the device has a result for the policy that is
 * at most max_age seconds old. */
static int
is_due(struct policy_store *s, int64_t device, int64_t now, const struct applicable *a,
    bool *ret)
{
	int64_t recent = 0;
	int err = 0;
	if (a->max_age > 0 && device)
		err = store_int(s, &recent,
		    "SELECT EXISTS (SELECT 1 FROM sessions AS s JOIN workitems AS w ON w.session = s.id"
		    " WHERE s.device = ?1 AND s.time >= ?2 AND w.policy = ?3 AND w.rec IS NOT NULL)",
		    "III", device, now - a->max_age, a->policy);
	*ret = !recent;
	return err;
}

/* How restrictive a recommendation is, to merge enforcements of one policy. */
static int
severity(enum imv_recommendation rec)
{
	static const int rank[] = {[IMV_REC_NONE] = 0, [IMV_REC_ALLOW] = 1, [IMV_REC_ISOLATE] = 2,
	    [IMV_REC_NO_ACCESS] = 3};
	return rank[rec];
}

/* The workitems of rows (ordered by policy): one per policy enforced by a
 * due enforcement, with the first enforcement's id and argument and the
 * most restrictive recommendations of all that enforce it. */
static int
merge(struct policy_store *s, int64_t device, int64_t now, const struct applicable *a, size_t n,
    struct ps_workitem **ret, size_t *ret_n)
{
	struct ps_workitem *w = calloc(n ? n : 1, sizeof(*w));
	if (!w)
		abort();
	size_t out = 0;
	int err = 0;
	for (size_t i = 0; !err && i < n;) {
		struct ps_workitem item = {0, a[i].type, NULL, a[i].rec_fail, a[i].rec_noresult,
		    a[i].policy, a[i].enforcement};
		bool due = false;
		size_t first = i;
		for (; !err && i < n && a[i].policy == a[first].policy; i++) {
			if (!due) /* one due enforcement is enough */
				err = is_due(s, device, now, &a[i], &due);
			if (severity(a[i].rec_fail) > severity(item.rec_fail))
				item.rec_fail = a[i].rec_fail;
			if (severity(a[i].rec_noresult) > severity(item.rec_noresult))
				item.rec_noresult = a[i].rec_noresult;
		}
		if (!err && due) {
			if (!(item.argument = strdup(a[first].argument)))
				abort();
			w[out++] = item;
		}
	}
	if (err) {
		policy_store_workitems_free(w, out);
		return err;
	}
	*ret = w;
	*ret_n = out;
	return 0;
}

int
store_plan_device(struct policy_store *s, int64_t device, int64_t product, int64_t now,
    struct ps_workitem **ret, size_t *ret_n)
{
	struct applicable *a = NULL;
	size_t n = 0;
	int err = load_rows(s, device, product, &a, &n);
	if (!err)
		err = merge(s, device, now, a, n, ret, ret_n);
	rows_free(a, n);
	return err;
}

static void
cache_free(struct plan_cache *c)
{
	if (!c)
		return;
	free(c->product);
	rows_free(c->rows, c->n);
	free(c);
}

void
store_plan_cache_drop(struct policy_store *s)
{
	for (size_t i = 0; i < STORE_PLAN_CACHES; i++) {
		cache_free(s->plan_cache[i]);
		s->plan_cache[i] = NULL;
	}
}

int
store_policies_changed(struct policy_store *s)
{
	return store_exec(s, "UPDATE generations SET value = value + 1 WHERE name = 'policies'", "");
}

/* The product's id, 0 when it is not known yet (then only the default
 * group applies to it). */
static int
product_id_or_zero(struct policy_store *s, const char *product, int64_t *ret)
{
	int err = store_id(s, STORE_PRODUCT, product, ret);
	if (err == TNC_ENOTFOUND) {
		*ret = 0;
		err = 0;
	}
	return err;
}

/* The rows of a device in no group of its own: the product's, from the
 * cache or loaded into it, inside the caller's read transaction. */
static int
product_rows(struct policy_store *s, const char *product, struct plan_cache **ret)
{
	int64_t generation, product_id = 0;
	int err = store_int(s, &generation, "SELECT value FROM generations WHERE name = 'policies'",
	    "");
	if (err)
		return err;
	size_t oldest = 0;
	for (size_t i = 0; i < STORE_PLAN_CACHES; i++) {
		struct plan_cache *c = s->plan_cache[i];
		if (c && c->generation != generation) { /* the operator changed something since */
			cache_free(c);
			s->plan_cache[i] = c = NULL;
		}
		if (c && strcmp(c->product, product) == 0) {
			c->last_use = ++s->plan_cache_clock;
			*ret = c;
			return 0;
		}
		if (!c || (s->plan_cache[oldest] && c->last_use < s->plan_cache[oldest]->last_use))
			oldest = i;
	}
	struct plan_cache *c = calloc(1, sizeof(*c));
	if (!c || !(c->product = strdup(product)))
		abort();
	err = product_id_or_zero(s, product, &product_id);
	if (!err)
		err = load_rows(s, 0, product_id, &c->rows, &c->n);
	if (err) {
		cache_free(c);
		return err;
	}
	cache_free(s->plan_cache[oldest]);
	s->plan_cache[oldest] = c;
	c->generation = generation;
	c->last_use = ++s->plan_cache_clock;
	*ret = c;
	return 0;
}

/* The device's id (0: not known yet) and whether a group names it. */
static int
device_groups(struct policy_store *s, const char *device_value, int64_t *ret_id, bool *ret_member)
{
	struct store_rows *r;
	int err = store_query(s, &r,
	    "SELECT id, EXISTS (SELECT 1 FROM groups_devices WHERE device = devices.id)"
	    " FROM devices WHERE value = ?", "t", device_value);
	if (err)
		return err;
	int rc = store_next(s, r);
	*ret_id = rc > 0 ? store_col_int(s, r, 0) : 0;
	*ret_member = rc > 0 && store_col_int(s, r, 1) != 0;
	store_done(s, r);
	return rc < 0 ? rc : 0;
}

int
policy_store_workitems_plan(struct policy_store *s, const char *product,
    const char *device_value, int64_t now, struct ps_workitem **ret, size_t *ret_n)
{
	int64_t device = 0, product_id = 0;
	bool member = false;
	int err = store_check_name(s, "product", product);
	if (!err)
		err = store_check_name(s, "device ID", device_value);
	if (!err)
		err = store_begin(s, false);
	if (err)
		return err;
	err = device_groups(s, device_value, &device, &member);
	if (!err && member) {
		err = product_id_or_zero(s, product, &product_id);
		if (!err)
			err = store_plan_device(s, device, product_id, now, ret, ret_n);
	} else if (!err) {
		struct plan_cache *c;
		err = product_rows(s, product, &c);
		if (!err)
			err = merge(s, device, now, c->rows, c->n, ret, ret_n);
	}
	int end = store_end(s, err);
	if (!err && end) {
		policy_store_workitems_free(*ret, *ret_n);
		err = end;
	}
	return err;
}

void
policy_store_workitems_free(struct ps_workitem *w, size_t n)
{
	for (size_t i = 0; w && i < n; i++)
		free(w[i].argument);
	free(w);
}
