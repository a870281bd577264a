/* child_subscribe.c - an IMV's subscription from its manifest row (see
 * child_subscribe.h). */
#include "child_subscribe.h"

#include <string.h>

struct ipc_msg
child_imv_subscription(const struct role_manifest *m)
{
	struct ipc_msg msg = {.type = IPC_IMV_SUBSCRIBE};
	struct ipc_imv_subscribe *s = &msg.u.imv_subscribe;

	s->imv_id = m->imv_id;
	s->name = (struct bytes){(const uint8_t *)m->imv_name, strlen(m->imv_name)};
	s->count = (uint8_t)(m->nsubs < IMV_SUBSCRIBE_MAX ? m->nsubs : IMV_SUBSCRIBE_MAX);
	for (unsigned i = 0; i < s->count; i++) {
		s->vendor[i] = m->subs[i].vendor;
		s->subtype[i] = m->subs[i].subtype;
	}
	return msg;
}
