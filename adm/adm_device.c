/* adm_device.c - tncadm: devices (list, show, add, remove, trust, group
 * membership) and sessions (recent ones; one with its workitems). */
#include <time.h>

#include "adm.h"

int
cmd_device_list(struct adm *a)
{
	return adm_list(a, PS_LIST_DEVICES, NULL, 0);
}

int
cmd_device_show(struct adm *a)
{
	static const char *const keys[] = {"device", "groups", "identities"};
	static const enum ps_list what[] = {PS_LIST_DEVICE, PS_LIST_DEVICE_GROUPS,
	    PS_LIST_DEVICE_IDENTITIES};
	static const bool single[] = {true, false, false};
	return adm_print_lists(a, keys, what, single, 3, a->args[0]);
}

int
cmd_device_add(struct adm *a)
{
	const char *description = a->opt[ADM_OPT_DESCRIPTION];
	return adm_done(a,
	    policy_admin_device_add(a->store, a->args[0], a->opt[ADM_OPT_PRODUCT],
	        description ? description : "", a->opt[ADM_OPT_AIK], time(NULL)),
	    "device '%s' added", a->args[0]);
}

int
cmd_device_remove(struct adm *a)
{
	return adm_done(a, policy_admin_device_remove(a->store, a->args[0]), "device '%s' removed",
	    a->args[0]);
}

int
cmd_device_trust(struct adm *a)
{
	return adm_done(a, policy_admin_device_trust(a->store, a->args[0], true),
	    "device '%s' trusted", a->args[0]);
}

int
cmd_device_untrust(struct adm *a)
{
	return adm_done(a, policy_admin_device_trust(a->store, a->args[0], false),
	    "device '%s' not trusted", a->args[0]);
}

int
cmd_device_join(struct adm *a)
{
	return adm_done(a,
	    policy_admin_group_member(a->store, a->args[1], PS_MEMBER_DEVICE, a->args[0], true),
	    "device '%s' joined group '%s'", a->args[0], a->args[1]);
}

int
cmd_device_leave(struct adm *a)
{
	return adm_done(a,
	    policy_admin_group_member(a->store, a->args[1], PS_MEMBER_DEVICE, a->args[0], false),
	    "device '%s' left group '%s'", a->args[0], a->args[1]);
}

int
cmd_session_list(struct adm *a)
{
	return adm_list(a, PS_LIST_SESSIONS, NULL, 20);
}

int
cmd_session_show(struct adm *a)
{
	static const char *const keys[] = {"session", "workitems"};
	static const enum ps_list what[] = {PS_LIST_SESSION, PS_LIST_SESSION_WORKITEMS};
	static const bool single[] = {true, false};
	return adm_print_lists(a, keys, what, single, 2, a->args[0]);
}
