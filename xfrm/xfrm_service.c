/* xfrm_service.c - a request from tnc-ike to the kernel and back (see
 * xfrm_service.h). */
#include "xfrm_service.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "log.h"
#include "xfrm_kernel.h"
#include "xfrm_msg.h"

/* Sends msg, fills reason on a refusal; the kernel's errno or a local error. */
static int
to_kernel(struct xfrm_service *s, const uint8_t *msg, size_t len, char *reason, size_t size)
{
	char text[128];
	int kerr = 0;
	int err = xfrm_kernel_request(s->fd, msg, len, s->seq, &kerr, text, sizeof(text));
	if (err) {
		snprintf(reason, size, "no answer from the kernel: %s", tnc_strerror(err));
		return err;
	}
	if (kerr)
		snprintf(reason, size, "kernel: %s%s%s", tnc_strerror(kerr), text[0] ? ": " : "",
		    text);
	return kerr;
}

static int
refused(int err, const char *why, char *reason, size_t size)
{
	snprintf(reason, size, "%s", why);
	return err;
}

static int
add_sa(struct xfrm_service *s, const struct ipc_xfrm_sa *sa, char *reason, size_t size)
{
	uint8_t msg[XFRM_REQUEST_MAX];
	const char *why = "";
	size_t len;
	int err;

	if ((err = xfrm_build_newsa(sa, ++s->seq, msg, sizeof(msg), &len, &why)))
		return refused(err, why, reason, size);
	if (s->table.nsa >= XFRM_TABLE_MAX)
		return refused(TNC_ETOOLONG, "SAs installed: at the bound", reason, size);
	if ((err = xfrm_admit_sa(&s->table, sa, reason, size)) ||
	    (err = to_kernel(s, msg, len, reason, size)))
		return err;
	LOG(NET, 2, "SA %s spi 0x%08x reqid %u installed", xfrm_alg_name(sa->alg), sa->id.spi,
	    sa->reqid);
	return xfrm_table_add_sa(&s->table, &sa->id);
}

static int
delete_sa(struct xfrm_service *s, const struct ipc_xfrm_sa_id *id, char *reason, size_t size)
{
	uint8_t msg[XFRM_REQUEST_MAX];
	const char *why = "";
	size_t len;
	int err, at;

	if ((err = xfrm_build_delsa(id, ++s->seq, msg, sizeof(msg), &len, &why)))
		return refused(err, why, reason, size);
	if ((at = xfrm_table_find_sa(&s->table, id)) < 0)
		return refused(TNC_ENOTFOUND, "spi: not an SA tnc-xfrm installed", reason, size);
	err = to_kernel(s, msg, len, reason, size);
	if (err == 0 || err == -ESRCH) /* gone: expired, or deleted now */
		xfrm_table_remove_sa(&s->table, (unsigned)at);
	return err;
}

static int
add_policy(struct xfrm_service *s, const struct ipc_xfrm_policy *p, char *reason, size_t size)
{
	uint8_t msg[XFRM_REQUEST_MAX];
	const char *why = "";
	size_t len;
	int err;

	if ((err = xfrm_build_newpolicy(p, ++s->seq, msg, sizeof(msg), &len, &why)))
		return refused(err, why, reason, size);
	if (s->table.npolicy >= XFRM_TABLE_MAX)
		return refused(TNC_ETOOLONG, "policies installed: at the bound", reason, size);
	if ((err = xfrm_admit_policy(&s->admit, p, reason, size)) ||
	    (err = to_kernel(s, msg, len, reason, size)))
		return err;
	return xfrm_table_add_policy(&s->table, p);
}

static int
delete_policy(struct xfrm_service *s, const struct ipc_xfrm_policy_id *id, char *reason,
    size_t size)
{
	uint8_t msg[XFRM_REQUEST_MAX];
	const char *why = "";
	size_t len;
	int err, at;

	if ((err = xfrm_build_delpolicy(id, ++s->seq, msg, sizeof(msg), &len, &why)))
		return refused(err, why, reason, size);
	if ((at = xfrm_table_find_policy(&s->table, id)) < 0)
		return refused(TNC_ENOTFOUND, "selector: not a policy tnc-xfrm installed", reason,
		    size);
	err = to_kernel(s, msg, len, reason, size);
	if (err == 0 || err == -ENOENT)
		xfrm_table_remove_policy(&s->table, (unsigned)at);
	return err;
}

int
xfrm_service_handle(struct xfrm_service *s, const struct ipc_msg *req, char *reason,
    size_t size)
{
	reason[0] = 0;
	switch (req->type) {
	case IPC_XFRM_SA_ADD:
		return add_sa(s, &req->u.xfrm_sa, reason, size);
	case IPC_XFRM_SA_DELETE:
		return delete_sa(s, &req->u.xfrm_sa_id, reason, size);
	case IPC_XFRM_POLICY_ADD:
		return add_policy(s, &req->u.xfrm_policy, reason, size);
	case IPC_XFRM_POLICY_DELETE:
		return delete_policy(s, &req->u.xfrm_policy_id, reason, size);
	}
	return refused(TNC_ETYPE, "not a request", reason, size);
}

unsigned
xfrm_service_flush(struct xfrm_service *s)
{
	char reason[IPC_XFRM_REASON_MAX];
	unsigned removed = 0;

	/* Policies first, as they point at the SAs: no moment where a policy
	 * is left whose SA is gone. */
	while (s->table.npolicy) {
		struct ipc_xfrm_policy_id id = s->table.policy[s->table.npolicy - 1].id;
		if (delete_policy(s, &id, reason, sizeof(reason)) == 0)
			removed++;
		else if (xfrm_table_find_policy(&s->table, &id) >= 0)
			xfrm_table_remove_policy(&s->table, s->table.npolicy - 1);
	}
	while (s->table.nsa) {
		struct ipc_xfrm_sa_id id = s->table.sa[s->table.nsa - 1];
		if (delete_sa(s, &id, reason, sizeof(reason)) == 0)
			removed++;
		else if (xfrm_table_find_sa(&s->table, &id) >= 0)
			xfrm_table_remove_sa(&s->table, s->table.nsa - 1);
	}
	return removed;
}

int
xfrm_service_probe(struct xfrm_service *s, char *reason, size_t size)
{
	uint8_t msg[64];
	size_t len;
	int err = xfrm_build_probe(++s->seq, msg, sizeof(msg), &len);
	return err ? refused(err, "cannot build the probe", reason, size) :
	    to_kernel(s, msg, len, reason, size);
}
