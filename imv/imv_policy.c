/* imv_policy.c - the requests every IMV makes of tnc-policy (see
 * imv_policy.h). */
#include "imv_policy.h"

#include <string.h>

#include "imv.h"

uint32_t
imv_policy_seq(void)
{
	static uint32_t seq;
	if (++seq == 0)
		seq = 1;
	return seq;
}

static struct bytes
text_bytes(const char *s)
{
	return (struct bytes){(const uint8_t *)s, strlen(s)};
}

int
imv_policy_ask_workitems(void *ctx, uint32_t seq, const char *product, const char *device)
{
	struct ipc_msg m = {.type = IPC_POLICY_DEVICE};
	if (strlen(product) > IPC_POLICY_VALUE_MAX || strlen(device) > IPC_POLICY_VALUE_MAX)
		return TNC_ETOOLONG;
	m.u.policy_device = (struct ipc_policy_device){text_bytes(product), text_bytes(device)};
	return imv_policy_request(ctx, &m, seq);
}

int
imv_policy_tell_result(void *ctx, uint32_t workitem, enum imv_recommendation rec,
    const char *text)
{
	struct ipc_msg m = {.type = IPC_POLICY_WORKITEM_RESULT};
	m.u.policy_workitem_result = (struct ipc_policy_workitem_result){workitem, (uint8_t)rec,
	    text_bytes(text)};
	return imv_policy_send(ctx, &m);
}
