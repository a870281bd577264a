/* policyd_workitems.c - a connection's workitems: planned from the
 * database when the OS IMV reports the device, handed to the IMVs that
 * judge them, their results kept until the session is recorded whole
 * (see policyd.h).  Package verdicts are answered from the same store. */
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "pkg_verdict.h"
#include "policyd.h"

void
pending_plan_clear(struct pending_session *s)
{
	for (size_t i = 0; s->answers && i < s->nplan; i++)
		free(s->answers[i].result);
	free(s->answers);
	policy_store_workitems_free(s->plan, s->nplan);
	s->plan = NULL;
	s->answers = NULL;
	s->nplan = 0;
}

static struct bytes
text(const char *s)
{
	return (struct bytes){(const uint8_t *)s, strlen(s)};
}

int
pending_plan(struct pending_table *p, struct policy_store *store, uint32_t conn, int64_t now,
    uint16_t imv_id, struct ipc_policy_workitems *ret)
{
	struct pending_session *s = pending_find(p, conn);
	*ret = (struct ipc_policy_workitems){0};
	if (!s || !s->product[0] || !s->device[0])
		return TNC_ESTATE;
	if (s->device_conflict)
		return TNC_EINVALID;
	if (!s->answers) { /* planned once per assessment, for every IMV */
		if (!store)
			return -ENOTCONN;
		int err = policy_store_workitems_plan(store, s->product, s->device, now, &s->plan,
		    &s->nplan);
		if (err) {
			POLICYD_STORE_FAILED(err, "policy: cannot plan the workitems of Connection ID "
			    "%u: %s", conn, policy_store_error(store));
			s->plan = NULL;
			s->nplan = 0;
			return err;
		}
		s->answers = calloc(s->nplan ? s->nplan : 1, sizeof(*s->answers));
		if (!s->answers)
			abort();
	}
	for (size_t i = 0; i < s->nplan; i++) {
		const struct ps_workitem *w = &s->plan[i];
		if (ps_policy_type_imv(w->type) != imv_id)
			continue;
		if (ret->count == IPC_POLICY_WORKITEMS_MAX) {
			LOG_WARN(IMV, "policy: Connection ID %u has more than %d workitems for IMV %u",
			    conn, IPC_POLICY_WORKITEMS_MAX, imv_id);
			*ret = (struct ipc_policy_workitems){0};
			return TNC_ETOOLONG;
		}
		ret->item[ret->count++] = (struct ipc_policy_workitem){(uint32_t)(i + 1),
		    text(ps_policy_type_name(w->type)), text(w->argument), (uint8_t)w->rec_fail,
		    (uint8_t)w->rec_noresult};
		LOG(IMV, 1, "%s workitem %zu", ps_policy_type_name(w->type), i + 1);
	}
	if (!s->nplan)
		LOG(IMV, 1, "policy: Connection ID %u: no workitems", conn);
	return 0;
}

int
pending_verdicts(struct pending_table *p, struct policy_store *store, uint32_t conn,
    const struct ipc_policy_packages *m, uint8_t *ret)
{
	struct pending_session *s = pending_find(p, conn);
	if (!s || !s->product[0])
		return TNC_ESTATE;
	if (!store)
		return -ENOTCONN;
	/* C strings of the validated list (count <= IPC_POLICY_PACKAGES_MAX),
	 * packed one after the other: texts and NULs fit in the list's length
	 * and a NUL more per text, and a few pages are touched where a slot of
	 * the largest size for each would spread them over 400 KB */
	char *text = malloc(m->list.len + 2 * (size_t)m->count + 1), *at = text;
	const char **np = malloc(m->count * sizeof(*np)), **vp = malloc(m->count * sizeof(*vp));
	if (!text || !np || !vp)
		abort();
	size_t pos = 0;
	struct bytes name, version;
	for (unsigned i = 0; i < m->count; i++) {
		if (ipc_policy_package_next(m, &pos, &name, &version) != 0)
			abort(); /* the list was validated when decoded */
		np[i] = bytes_cstr(name, at, name.len + 1);
		at += name.len + 1;
		vp[i] = bytes_cstr(version, at, version.len + 1);
		at += version.len + 1;
	}
	int err = policy_store_package_verdicts(store, s->product, np, vp, m->count, ret);
	if (err)
		POLICYD_STORE_FAILED(err, "policy: cannot look up %u packages of Connection ID %u: %s",
		    m->count, conn, policy_store_error(store));
	free(text);
	free(np);
	free(vp);
	return err;
}

int
pending_result(struct pending_table *p, uint32_t conn, uint16_t imv_id,
    const struct ipc_policy_workitem_result *m)
{
	struct pending_session *s = pending_find(p, conn);
	size_t i = (size_t)m->workitem - 1;
	if (!s || !m->workitem || i >= s->nplan ||
	    ps_policy_type_imv(s->plan[i].type) != imv_id) {
		LOG_WARN(IMV, "policy: IMV %u answered workitem %u of Connection ID %u, not one of "
		    "its own", imv_id, m->workitem, conn);
		return TNC_ENOTFOUND;
	}
	struct workitem_answer *a = &s->answers[i];
	if (a->answered) {
		LOG_WARN(IMV, "policy: IMV %u answered workitem %u of Connection ID %u twice", imv_id,
		    m->workitem, conn);
		return TNC_ESTATE;
	}
	char result[IPC_POLICY_RESULT_MAX + 1];
	bytes_cstr(m->result, result, sizeof(result));
	*a = (struct workitem_answer){true, imv_id, m->recommendation, strdup(result)};
	if (!a->result)
		abort();
	/* the IMV logs "IMV k handled TYPE workitem N" itself, as in the seeds */
	LOG(IMV, 2, "policy: result of %s workitem %u from IMV %u: %s - %s",
	    ps_policy_type_name(s->plan[i].type), m->workitem, imv_id,
	    imv_recommendation_name(m->recommendation), result);
	return 0;
}
