/* imvs.c - the IMV processes tnccs talks to: their channels, IDs and
 * subscriptions.  An IMV is usable once its IMV_SUBSCRIBE has arrived. */
#include "tnccs.h"

#include <string.h>

#include "log.h"

void
imvs_init(void)
{
	for (int i = 0; i < TNCCS_IMVS; i++) {
		bool expected = tnccs.imvs[i].expected; /* set from CONFIG before */
		memset(&tnccs.imvs[i], 0, sizeof(tnccs.imvs[i]));
		tnccs.imvs[i].role = (enum tnc_role)(ROLE_IMV_OS + i);
		tnccs.imvs[i].expected = expected;
	}
}

struct imv_peer *
imvs_by_role(enum tnc_role role)
{
	int i = (int)role - ROLE_IMV_OS;
	return i >= 0 && i < TNCCS_IMVS ? &tnccs.imvs[i] : NULL;
}

void
imvs_attached(enum tnc_role role, struct ipc_channel *ch)
{
	struct imv_peer *imv = imvs_by_role(role);
	if (!imv)
		return;
	if (imv->subscribed)
		imvs_detached(role); /* replaced without a close seen first */
	imv->ch = ch;
	imv->subscribed = false;
	imv->epoch++;
}

void
imvs_subscribe(enum tnc_role role, const struct ipc_imv_subscribe *s)
{
	struct imv_peer *imv = imvs_by_role(role);
	if (!imv || !imv->ch)
		return;
	imv->id = s->imv_id;
	bytes_cstr(s->name, imv->name, sizeof(imv->name));
	imv->nsubs = s->count;
	for (unsigned i = 0; i < s->count; i++) {
		imv->vendor[i] = s->vendor[i];
		imv->subtype[i] = s->subtype[i];
		LOG(TNC, 2, "IMV %u \"%s\" subscribed to PA message type 0x%06x/0x%08x", imv->id,
		    imv->name, s->vendor[i], s->subtype[i]);
	}
	imv->subscribed = true;
	LOG(TNC, 1, "IMV %u \"%s\" (%s) is available", imv->id, imv->name, manifest_role(role)->name);
	session_imv_back(imv);
}

void
imvs_detached(enum tnc_role role)
{
	struct imv_peer *imv = imvs_by_role(role);
	if (!imv || !imv->ch)
		return;
	bool was = imv->subscribed;
	imv->ch = NULL;
	imv->subscribed = false;
	if (was) {
		LOG(TNC, 0, "IMV %u \"%s\" is gone", imv->id, imv->name);
		session_imv_lost(imv);
	}
}

bool
imvs_wants(const struct imv_peer *imv, uint32_t vendor, uint32_t subtype)
{
	if (!imv->subscribed)
		return false;
	for (unsigned i = 0; i < imv->nsubs; i++)
		if ((imv->vendor[i] == 0xffffff || imv->vendor[i] == vendor) &&
		    (imv->subtype[i] == 0xff || imv->subtype[i] == subtype))
			return true;
	return false;
}

int
imvs_send(struct imv_peer *imv, uint32_t session, const struct ipc_msg *m)
{
	if (!imv->ch || !imv->subscribed)
		return TNC_ECLOSED;
	int err = ipc_channel_send(imv->ch, m, session, 0, 0, -1);
	if (err)
		LOG(IPC, 1, "cannot send '%s' to IMV %u for Connection ID %u: %s",
		    ipc_type_name(m->type), imv->id, session, tnc_strerror(err));
	return err;
}
