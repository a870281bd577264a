/* reload.c - SIGHUP: read the whole config again; if it is valid, apply
 * it: log levels live, and restart only the children whose settings
 * (user, group, binary, enabled, role keys) changed.  An invalid file
 * changes nothing. */
#include "tncd.h"

#include <string.h>

#include "log.h"
#include "reload.h"

/* Children get their settings only at start: any change means a restart. */
static bool
settings_changed(const struct tncd_config *a, const struct tncd_config *b, enum tnc_role r)
{
	const struct proc_config *pa = &a->procs[r], *pb = &b->procs[r];
	unsigned n;
	const struct role_key *rk = config_role_keys(&n);

	if (pa->uid != pb->uid || pa->gid != pb->gid || pa->enabled != pb->enabled ||
	    strcmp(pa->path, pb->path) != 0)
		return true;
	for (unsigned i = 0; i < n; i++)
		if (rk[i].role == r && strcmp(a->role_values[i], b->role_values[i]) != 0)
			return true;
	return false;
}

void
tncd_apply_log_levels(struct tncd *t)
{
	for (int s = 0; s < LOG_SUBSYS_COUNT; s++)
		log_set_level(s, t->cfg.log_levels[s]);
}

void
tncd_reload(struct tncd *t)
{
	struct tncd_config next;
	char err[512];

	if (config_load(t->config_path, &next, err, sizeof(err)) != 0) {
		LOG_ERR(CFG, "reload refused, keeping the running configuration: %s", err);
		return;
	}
	if (strcmp(next.control_socket, t->cfg.control_socket) != 0 ||
	    strcmp(next.state_dir, t->cfg.state_dir) != 0)
		LOG_WARN(CFG, "control_socket and state_dir changes take effect at the next start");
	snprintf(next.control_socket, sizeof(next.control_socket), "%s", t->cfg.control_socket);
	snprintf(next.state_dir, sizeof(next.state_dir), "%s", t->cfg.state_dir);
	struct tncd_config old = t->cfg;
	t->cfg = next;
	tncd_apply_log_levels(t);
	procs_push_log_levels(t);
	for (int r = ROLE_TNCD + 1; r < ROLE_COUNT; r++) {
		struct proc *p = &t->procs[r];
		if (!settings_changed(&old, &next, r))
			continue;
		LOG(CFG, 1, "configuration of %s changed", p->m->name);
		if (procs_apply_enabled(p) == 0)
			continue;
		if (procs_restart(p) != 0)
			LOG(CFG, 1, "%s will use the new settings at its next start", p->m->name);
	}
	config_clear(&old);
	LOG(CFG, 1, "configuration reloaded from %s", t->config_path ? t->config_path : "defaults");
}
