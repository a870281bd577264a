/* policyd_record.c - a connection's end: the whole session written in one
 * transaction (see policyd.h). */
#include <stdlib.h>

#include "log.h"
#include "policyd.h"

/* The planned workitems with what the IMVs answered (caller frees). */
static struct ps_workitem_outcome *
outcomes(const struct pending_session *s)
{
	struct ps_workitem_outcome *o = calloc(s->nplan ? s->nplan : 1, sizeof(*o));
	if (!o)
		abort();
	for (size_t i = 0; i < s->nplan; i++) {
		const struct workitem_answer *a = &s->answers[i];
		o[i] = (struct ps_workitem_outcome){&s->plan[i], a->answered, a->imv,
		    (enum imv_recommendation)a->rec, a->result};
	}
	return o;
}

int
pending_end(struct pending_table *p, struct policy_store *store, uint32_t conn,
    const struct ipc_policy_session_end *m, int64_t *ret_session)
{
	struct pending_session *s = pending_find(p, conn);
	int err;

	if (!s || !s->started) {
		LOG_WARN(IMV, "policy: the end of Connection ID %u, whose start this tnc-policy did "
		    "not see: not recorded", conn);
		err = TNC_ENOTFOUND;
	} else if (s->identity_too_long) {
		LOG_WARN(IMV, "policy: Connection ID %u has an identity longer than %d bytes: not "
		    "recorded", conn, POLICYD_IDENTITY_MAX);
		err = TNC_ETOOLONG;
	} else if (!store) {
		LOG(IMV, 2, "policy: the database is down: Connection ID %u not recorded", conn);
		err = -ENOTCONN;
	} else {
		bool has_device = s->product[0] && s->device[0];
		struct ps_workitem_outcome *o = outcomes(s);
		const struct ps_session_record r = {
			.time = s->time, .connection = conn,
			.identity_type = s->identity[0] ? POLICYD_IDENTITY_TYPE : NULL,
			.identity_value = s->identity[0] ? s->identity : NULL,
			.product = has_device ? s->product : NULL,
			.device_value = has_device ? s->device : NULL,
			.workitems = o, .nworkitems = has_device ? s->nplan : 0,
			.rec = m->recommendation, .eval = m->evaluation,
		};
		err = policy_store_session_record(store, &r, ret_session);
		free(o);
		if (err) {
			POLICYD_STORE_FAILED(err, "policy: cannot record Connection ID %u: %s", conn,
			    policy_store_error(store));
		} else {
			LOG(IMV, 1, "assigned session ID %lld to Connection ID %u",
			    (long long)*ret_session, conn);
			if (has_device)
				LOG(IMV, 1, "policy: session ID %lld is device '%s' running '%s'",
				    (long long)*ret_session, s->device, s->product);
			LOG(IMV, 1, "policy: recommendation for access requestor %s is %s",
			    s->identity[0] ? s->identity : s->peer, ps_rec_name(m->recommendation));
		}
	}
	if (s)
		pending_remove(p, s);
	return err;
}
