/* imvs.c - the IMV processes tnccs talks to.  Which IMVs exist, their IMV
 * IDs, names and PA message types are the manifest's rows of KIND_IMV; an
 * IMV's IMV_SUBSCRIBE must repeat its row exactly, or its channel is closed
 * (it then counts as lost: fail closed).  An IMV is available from its
 * matching IMV_SUBSCRIBE until its channel closes; every (re)attach is a new
 * instance (generation). */
#include "session.h"

#include <string.h>

#include "log.h"

bool
peers_name(const char *list, const char *word)
{
	size_t n = strlen(word);
	for (const char *p = list; (p = strstr(p, word)); p += n)
		if ((p == list || p[-1] == ' ') && (p[n] == 0 || p[n] == ' '))
			return true;
	return false;
}

void
imvs_init(const char *peers)
{
	tnccs.env.nimvs = 0;
	for (int r = 0; r < ROLE_COUNT; r++) {
		const struct role_manifest *m = manifest_role((enum tnc_role)r);
		if (!m || m->kind != KIND_IMV)
			continue;
		tnccs.env.imvs[tnccs.env.nimvs++] = (struct engine_imv){
			.m = m, .expected = peers_name(peers, m->name),
		};
	}
}

int
imvs_index(enum tnc_role role)
{
	for (unsigned i = 0; i < tnccs.env.nimvs; i++)
		if (tnccs.env.imvs[i].m->role == role)
			return (int)i;
	return -1;
}

void
imvs_attached(unsigned imv, struct ipc_channel *ch)
{
	if (tnccs.imv_ch[imv])
		imvs_detached(imv); /* replaced without a close seen first */
	tnccs.imv_ch[imv] = ch;
	tnccs.env.imvs[imv].gen++;
}

/* Why s differs from the manifest row m, or NULL when it matches. */
static const char *
subscription_mismatch(const struct role_manifest *m, const struct ipc_imv_subscribe *s)
{
	if (s->imv_id != m->imv_id)
		return "IMV ID";
	if (s->name.len != strlen(m->imv_name) || memcmp(s->name.ptr, m->imv_name, s->name.len))
		return "name";
	if (s->count != m->nsubs)
		return "number of PA message types";
	for (unsigned i = 0; i < m->nsubs; i++)
		if (s->vendor[i] != m->subs[i].vendor || s->subtype[i] != m->subs[i].subtype)
			return "PA message types";
	return NULL;
}

static void
subscribe(unsigned imv, const struct ipc_imv_subscribe *s)
{
	struct engine_imv *e = &tnccs.env.imvs[imv];
	char name[64];
	const char *bad = subscription_mismatch(e->m, s);
	if (bad) {
		LOG_ERR(TNC, "%s subscribed as IMV %u \"%s\" with %u PA message type%s: its %s "
		    "differs from the manifest, closing its channel", e->m->name, s->imv_id,
		    bytes_cstr(s->name, name, sizeof(name)), s->count, s->count == 1 ? "" : "s", bad);
		ipc_channel_close(tnccs.imv_ch[imv], TNC_EINVALID);
		return;
	}
	for (unsigned i = 0; i < e->m->nsubs; i++)
		LOG(TNC, 2, "IMV %u \"%s\" subscribed to PA message type 0x%06x/0x%08x",
		    e->m->imv_id, e->m->imv_name, e->m->subs[i].vendor, e->m->subs[i].subtype);
	e->available = true;
	LOG(TNC, 1, "IMV %u \"%s\" (%s) is available", e->m->imv_id, e->m->imv_name, e->m->name);
	sessions_imv_back(imv);
}

void
imvs_msg(unsigned imv, struct ipc_received *rx)
{
	struct engine_imv *e = &tnccs.env.imvs[imv];
	if (rx->hdr.type == IPC_IMV_SUBSCRIBE) {
		subscribe(imv, &rx->msg.u.imv_subscribe);
		return;
	}
	if (!e->available) {
		LOG_ERR(TNC, "%s sent '%s' before a valid IMV_SUBSCRIBE, closing its channel",
		    e->m->name, ipc_type_name(rx->hdr.type));
		ipc_channel_close(tnccs.imv_ch[imv], TNC_ESTATE);
		return;
	}
	session_imv_msg(imv, e->gen, rx);
}

void
imvs_detached(unsigned imv)
{
	struct engine_imv *e = &tnccs.env.imvs[imv];
	if (!tnccs.imv_ch[imv])
		return;
	tnccs.imv_ch[imv] = NULL;
	if (!e->available)
		return;
	e->available = false;
	LOG_WARN(TNC, "IMV %u \"%s\" is gone", e->m->imv_id, e->m->imv_name);
	sessions_imv_lost(imv, "terminated during the assessment");
}

int
imvs_send(unsigned imv, uint32_t gen, uint32_t session, const struct ipc_msg *m)
{
	struct engine_imv *e = &tnccs.env.imvs[imv];
	if (!tnccs.imv_ch[imv] || !e->available || e->gen != gen)
		return TNC_ECLOSED;
	int err = ipc_channel_send(tnccs.imv_ch[imv], m, session, 0, 0, -1);
	if (err)
		LOG(IPC, 1, "cannot send '%s' to IMV %u for Connection ID %u: %s",
		    ipc_type_name(m->type), e->m->imv_id, session, tnc_strerror(err));
	return err;
}
