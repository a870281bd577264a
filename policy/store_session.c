/* store_session.c - what a session writes and reads: the session row, the
 * device and its product, workitems from enforcements, results and the
 * final recommendation (see policy_store.h).  One transaction per call. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_int.h"

#define IDENTITY_TYPE_MAX 32
#define IDENTITY_VALUE_MAX 1024

static int
identity_ensure(struct policy_store *s, const char *type, const char *value, int64_t *ret)
{
	if (!type[0] || strlen(type) > IDENTITY_TYPE_MAX || !value[0] ||
	    strlen(value) > IDENTITY_VALUE_MAX)
		return store_fail(s, TNC_EINVALID, "identity type 1..%d and value 1..%d bytes",
		    IDENTITY_TYPE_MAX, IDENTITY_VALUE_MAX);
	static const char select_sql[] = "SELECT id FROM identities WHERE type = ? AND value = ?";
	int err = store_int(s, ret, select_sql, "tt", type, value);
	if (err != TNC_ENOTFOUND)
		return err;
	/* another gateway may add it at the same moment: then its row is ours */
	err = store_int(s, ret,
	    "INSERT INTO identities (type, value) VALUES (?, ?) ON CONFLICT (type, value) DO NOTHING"
	    " RETURNING id", "tt", type, value);
	return err == TNC_ENOTFOUND ? store_int(s, ret, select_sql, "tt", type, value) : err;
}

/* The session row, inside the caller's write transaction. */
static int
session_insert(struct policy_store *s, int64_t now, uint32_t connection,
    const char *identity_type, const char *identity_value, int64_t *ret_session)
{
	int64_t identity = 0;
	int err = 0;
	if (identity_type && identity_value)
		err = identity_ensure(s, identity_type, identity_value, &identity);
	if (!err)
		err = store_int(s, ret_session,
		    "INSERT INTO sessions (time, connection, identity) VALUES (?, ?, ?) RETURNING id",
		    "IIN", now, (int64_t)connection, identity);
	return err;
}

int
policy_store_session_create(struct policy_store *s, int64_t now, uint32_t connection,
    const char *identity_type, const char *identity_value, int64_t *ret_session)
{
	int err = store_begin(s, true);
	if (!err)
		err = session_insert(s, now, connection, identity_type, identity_value, ret_session);
	return store_end(s, err);
}

/* Reads the one device row of a statement: id, product, trusted,
 * aik_keyid. */
static int
device_row(struct policy_store *s, struct store_rows *r, struct ps_device *ret)
{
	int rc = store_next(s, r);
	if (rc > 0) {
		ret->id = store_col_int(s, r, 0);
		ret->product = store_col_int(s, r, 1);
		ret->trusted = store_col_int(s, r, 2) != 0;
		const char *aik = store_col_text(s, r, 3);
		snprintf(ret->aik_keyid, sizeof(ret->aik_keyid), "%s", aik ? aik : "");
	}
	/* RETURNING completes its write when run to the end */
	while (rc > 0)
		rc = store_next(s, r);
	store_done(s, r);
	if (rc < 0)
		return rc;
	return ret->id ? 0 : store_fail(s, TNC_ENOTFOUND, "no such device");
}

/* The device upserted with its product (the product created if new) and
 * last_seen, inside the caller's write transaction.  The product is only
 * written when it changed: assigning it unchanged would rewrite its index
 * entry, a page more in every session's commit. */
static int
device_upsert(struct policy_store *s, int64_t now, const char *product,
    const char *device_value, int64_t *ret_product, struct ps_device *ret)
{
	struct store_rows *r = NULL;
	int err = store_product_ensure(s, product, ret_product);
	if (!err)
		err = store_query(s, &r,
		    "INSERT INTO devices (value, product, first_seen, last_seen) VALUES (?, ?, ?, ?)"
		    " ON CONFLICT (value) DO UPDATE SET last_seen = excluded.last_seen"
		    " RETURNING id, product, trusted, aik_keyid",
		    "tIII", device_value, *ret_product, now, now);
	if (!err)
		err = device_row(s, r, ret);
	if (!err && ret->product != *ret_product) {
		err = store_exec(s, "UPDATE devices SET product = ? WHERE id = ?", "II", *ret_product,
		    ret->id);
		ret->product = *ret_product;
	}
	return err;
}

/* The device has been seen with the identity (a row of identities). */
static int
device_identity_seen(struct policy_store *s, int64_t device, int64_t identity, int64_t now)
{
	return store_exec(s,
	    "INSERT INTO devices_identities (device, identity, first_seen, last_seen)"
	    " VALUES (?1, ?2, ?3, ?3)"
	    " ON CONFLICT (device, identity) DO UPDATE SET last_seen = excluded.last_seen",
	    "III", device, identity, now);
}

/* Product and device upserted, the session tied to both and its identity
 * recorded for the device, inside the caller's write transaction. */
static int
session_device_update(struct policy_store *s, int64_t session, int64_t now,
    const char *product, const char *device_value, struct ps_device *ret)
{
	int64_t product_id = 0, identity = 0;
	struct ps_device dev = {0};
	int err = device_upsert(s, now, product, device_value, &product_id, &dev);
	if (!err)
		err = store_exec(s, "UPDATE sessions SET device = ?, product = ? WHERE id = ?", "III",
		    dev.id, product_id, session);
	if (!err && store_changes(s) != 1)
		err = store_fail(s, TNC_ENOTFOUND, "no session %lld", (long long)session);
	if (!err)
		err = store_int(s, &identity, "SELECT coalesce(identity, 0) FROM sessions WHERE id = ?",
		    "I", session);
	if (!err && identity)
		err = device_identity_seen(s, dev.id, identity, now);
	if (!err && ret)
		*ret = dev;
	return err;
}

int
policy_store_session_device(struct policy_store *s, int64_t session, int64_t now,
    const char *product, const char *device_value, struct ps_device *ret)
{
	int err = store_check_name(s, "product", product);
	if (!err)
		err = store_check_name(s, "device ID", device_value);
	if (!err)
		err = store_begin(s, true);
	if (!err)
		err = session_device_update(s, session, now, product, device_value, ret);
	return store_end(s, err);
}

int
policy_store_device_lookup(struct policy_store *s, const char *device_value, struct ps_device *ret)
{
	int err = store_check_name(s, "device ID", device_value);
	if (err)
		return err;
	struct store_rows *r = NULL;
	*ret = (struct ps_device){0};
	err = store_query(s, &r,
	    "SELECT id, coalesce(product, 0), trusted, aik_keyid FROM devices WHERE value = ?", "t",
	    device_value);
	if (!err)
		err = device_row(s, r, ret);
	if (err == TNC_ENOTFOUND)
		store_fail(s, err, "no device '%s'", device_value);
	return err;
}

/* One workitem row with its result (rec < 0: none yet), inside the
 * caller's write transaction; its id in *ret_id when wanted (on SQLite,
 * RETURNING costs a temporary table per row). */
#define WORKITEM_INSERT_SQL \
	"INSERT INTO workitems (session, policy, enforcement, type, argument, rec_fail," \
	" rec_noresult, imv, rec, result) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
static const char workitem_insert_sql[] = WORKITEM_INSERT_SQL,
    workitem_insert_id_sql[] = WORKITEM_INSERT_SQL " RETURNING id";

static int
workitem_insert(struct policy_store *s, int64_t session, const struct ps_workitem *w, int64_t imv,
    int rec, const char *result, int64_t *ret_id)
{
	static const char fmt[] = "IIIttttNtt";
	const char *type = ps_policy_type_name(w->type), *fail = ps_rec_name(w->rec_fail),
	    *noresult = ps_rec_name(w->rec_noresult), *rec_name = rec < 0 ? NULL : ps_rec_name(rec);
	if (rec < 0)
		result = NULL;
	if (!ret_id)
		return store_exec(s, workitem_insert_sql, fmt, session, w->policy, w->enforcement,
		    type, w->argument, fail, noresult, imv, rec_name, result);
	return store_int(s, ret_id, workitem_insert_id_sql, fmt, session, w->policy,
	    w->enforcement, type, w->argument, fail, noresult, imv, rec_name, result);
}

int
policy_store_workitems_create(struct policy_store *s, int64_t session, int64_t now,
    struct ps_workitem **ret, size_t *ret_n)
{
	struct ps_workitem *w = NULL;
	size_t n = 0;
	int64_t device = 0, product = 0;
	int err = store_begin(s, true);
	if (!err)
		err = store_int(s, &device, "SELECT coalesce(device, 0) FROM sessions WHERE id = ?", "I",
		    session);
	if (err == TNC_ENOTFOUND)
		store_fail(s, err, "no session %lld", (long long)session);
	if (!err)
		err = store_int(s, &product, "SELECT coalesce(product, 0) FROM sessions WHERE id = ?",
		    "I", session);
	if (!err && !device)
		err = store_fail(s, TNC_ESTATE, "session %lld has no device yet", (long long)session);
	if (!err)
		err = store_plan_device(s, device, product, now, &w, &n);
	for (size_t i = 0; !err && i < n; i++)
		err = workitem_insert(s, session, &w[i], 0, -1, NULL, &w[i].id);
	err = store_end(s, err);
	if (err) {
		policy_store_workitems_free(w, n);
		return err;
	}
	*ret = w;
	*ret_n = n;
	return 0;
}

int
policy_store_workitem_result(struct policy_store *s, int64_t workitem, uint32_t imv_id,
    enum imv_recommendation rec, const char *result)
{
	if ((unsigned)rec > IMV_REC_NONE)
		return store_fail(s, TNC_EINVALID, "recommendation %d", (int)rec);
	if (strlen(result) > PS_RESULT_MAX)
		return store_fail(s, TNC_ETOOLONG, "result text longer than %d bytes", PS_RESULT_MAX);
	int err = store_begin(s, true);
	if (!err)
		err = store_exec(s, "UPDATE workitems SET imv = ?, rec = ?, result = ? WHERE id = ?",
		    "IttI", (int64_t)imv_id, ps_rec_name(rec), result, workitem);
	if (!err && store_changes(s) != 1)
		err = store_fail(s, TNC_ENOTFOUND, "no workitem %lld", (long long)workitem);
	return store_end(s, err);
}

static int
check_decision(struct policy_store *s, enum imv_recommendation rec, enum imv_evaluation eval)
{
	if ((unsigned)rec > IMV_REC_NONE || (unsigned)eval > IMV_EVAL_DONT_KNOW)
		return store_fail(s, TNC_EINVALID, "recommendation %d / evaluation %d", (int)rec,
		    (int)eval);
	return 0;
}

/* The final recommendation, inside the caller's write transaction. */
static int
session_finish_update(struct policy_store *s, int64_t session, enum imv_recommendation rec,
    enum imv_evaluation eval)
{
	int err = store_exec(s, "UPDATE sessions SET rec = ?, eval = ? WHERE id = ?", "ttI",
	    ps_rec_name(rec), ps_eval_name(eval), session);
	if (!err && store_changes(s) != 1)
		err = store_fail(s, TNC_ENOTFOUND, "no session %lld", (long long)session);
	return err;
}

int
policy_store_session_finish(struct policy_store *s, int64_t session, enum imv_recommendation rec,
    enum imv_evaluation eval)
{
	int err = check_decision(s, rec, eval);
	if (!err)
		err = store_begin(s, true);
	if (!err)
		err = session_finish_update(s, session, rec, eval);
	return store_end(s, err);
}

/* The session's planned workitems with their results, inside the caller's
 * write transaction. */
static int
outcomes_insert(struct policy_store *s, int64_t session, const struct ps_workitem_outcome *o,
    size_t n)
{
	int err = 0;
	for (size_t i = 0; !err && i < n; i++) {
		const char *result = o[i].result ? o[i].result : "";
		if (o[i].answered && (unsigned)o[i].rec > IMV_REC_NONE)
			err = store_fail(s, TNC_EINVALID, "recommendation %d", (int)o[i].rec);
		else if (strlen(result) > PS_RESULT_MAX)
			err = store_fail(s, TNC_ETOOLONG, "result text longer than %d bytes",
			    PS_RESULT_MAX);
		else
			err = workitem_insert(s, session, o[i].item, o[i].answered ? o[i].imv : 0,
			    o[i].answered ? (int)o[i].rec : -1, result, NULL);
	}
	return err;
}

struct record_ctx {
	const struct ps_session_record *r;
	int64_t session;
};

/* The session in as few statements as the schema allows: its row is
 * written once, with device, product and decision (not inserted and then
 * updated, which costs index entries written twice and, on SQLite, the
 * CHECK constraints' temporary tables again). */
static int
record(struct policy_store *s, void *ctx)
{
	struct record_ctx *c = ctx;
	const struct ps_session_record *r = c->r;
	bool device = r->product && r->device_value;
	int64_t identity = 0, product = 0;
	struct ps_device dev = {0};
	int err = 0;
	if (r->nworkitems && !device)
		return store_fail(s, TNC_ESTATE, "workitems without a device");
	if (r->identity_type && r->identity_value)
		err = identity_ensure(s, r->identity_type, r->identity_value, &identity);
	if (!err && device)
		err = device_upsert(s, r->time, r->product, r->device_value, &product, &dev);
	if (!err)
		err = store_int(s, &c->session,
		    "INSERT INTO sessions (time, connection, identity, device, product, rec, eval)"
		    " VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
		    "IINNNtt", r->time, (int64_t)r->connection, identity, dev.id, product,
		    ps_rec_name(r->rec), ps_eval_name(r->eval));
	if (!err && identity && dev.id)
		err = device_identity_seen(s, dev.id, identity, r->time);
	if (!err)
		err = outcomes_insert(s, c->session, r->workitems, r->nworkitems);
	return err;
}

int
policy_store_session_record(struct policy_store *s, const struct ps_session_record *r,
    int64_t *ret_session)
{
	struct record_ctx c = {r, 0};
	bool device = r->product && r->device_value;
	int err = check_decision(s, r->rec, r->eval);
	if (!err && device)
		err = store_check_name(s, "product", r->product);
	if (!err && device)
		err = store_check_name(s, "device ID", r->device_value);
	if (!err)
		err = store_write(s, record, &c);
	if (!err)
		*ret_session = c.session;
	return err;
}
