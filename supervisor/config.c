/* config.c - reads tncd.conf over the embedded defaults (see config.h). */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config_check.h"

#define MAX_LINE 2048

struct parse_ctx {
	struct tncd_config *cfg;
	const char *path;
	unsigned line;
	char *err;
	size_t errlen;
	const char *section;       /* current section name */
	struct proc_config *proc;  /* when the section is a process */
	struct config_lines lines; /* where values were set, for the later checks */
};

__attribute__((format(printf, 2, 3))) static int
fail(struct parse_ctx *p, const char *fmt, ...)
{
	char reason[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	snprintf(p->err, p->errlen, "%s:%u: %s", p->path, p->line, reason);
	return TNC_ECONFIG;
}

/* The system user named like the process, else the manifest's fallback. */
static void
default_ids(const struct role_manifest *m, uid_t *uid, gid_t *gid)
{
	const struct passwd *pw = m->role == ROLE_TNCD ? NULL : getpwnam(m->name);
	if (pw && pw->pw_uid != 0 && pw->pw_gid != 0) {
		*uid = pw->pw_uid;
		*gid = pw->pw_gid;
	} else {
		*uid = m->default_uid;
		*gid = m->default_uid;
	}
}

void
config_defaults(struct tncd_config *cfg)
{
	unsigned n;
	const struct role_key *rk = config_role_keys(&n);

	memset(cfg, 0, sizeof(*cfg));
	cfg->role_values = calloc(n, sizeof(*cfg->role_values));
	if (!cfg->role_values)
		abort();
	cfg->nrole_values = n;
	for (unsigned i = 0; i < n; i++)
		snprintf(cfg->role_values[i], ROLE_VALUE_MAX, "%s", rk[i].def);
	snprintf(cfg->control_socket, sizeof(cfg->control_socket), "/run/tnc/tncd.ctl");
	snprintf(cfg->state_dir, sizeof(cfg->state_dir), "/var/lib/tnc");
	cfg->restart_delay_ms = 200;
	cfg->restart_delay_max_ms = 30000;
	cfg->restart_reset_ms = 60000;
	cfg->ready_timeout_ms = 5000;
	cfg->ping_interval_ms = 5000;
	cfg->ping_timeout_ms = 15000;
	cfg->stop_timeout_ms = 5000;
	cfg->log_lines_per_second = 2000;
	for (int s = 0; s < LOG_SUBSYS_COUNT; s++)
		cfg->log_levels[s] = LOG_LEVEL_DEFAULT;
	for (int r = 0; r < ROLE_COUNT; r++) {
		struct proc_config *pc = &cfg->procs[r];
		pc->enabled = r != ROLE_TNCD;
		default_ids(manifest_role(r), &pc->uid, &pc->gid);
		for (int s = 0; s < LOG_SUBSYS_COUNT; s++)
			pc->log_levels[s] = LOG_LEVEL_INHERIT;
	}
}

static int
parse_uint(const char *v, unsigned long min, unsigned long max, unsigned long *ret)
{
	char *end;
	if (!isdigit((unsigned char)*v))
		return -1;
	errno = 0;
	unsigned long n = strtoul(v, &end, 10);
	if (errno || *end || n < min || n > max)
		return -1;
	*ret = n;
	return 0;
}

static int
parse_bool(const char *v, bool *ret)
{
	if (!strcmp(v, "yes") || !strcmp(v, "true") || !strcmp(v, "1"))
		*ret = true;
	else if (!strcmp(v, "no") || !strcmp(v, "false") || !strcmp(v, "0"))
		*ret = false;
	else
		return -1;
	return 0;
}

static int
parse_level(struct parse_ctx *p, const char *key, const char *v, int *ret)
{
	char *end;
	long n = strtol(v, &end, 10);
	if (!*v || *end || n < LOG_LEVEL_MIN || n > LOG_LEVEL_MAX)
		return fail(p, "log level of '%s' must be a number from %d to %d, not '%s'",
		    key, LOG_LEVEL_MIN, LOG_LEVEL_MAX, v);
	*ret = (int)n;
	return 0;
}

/* "64710" or a user name from the passwd database. */
static int
parse_user(struct parse_ctx *p, const char *v, uid_t *ret)
{
	unsigned long n;
	if (parse_uint(v, 1, 0x7ffffffe, &n) == 0) {
		*ret = (uid_t)n;
		return 0;
	}
	struct passwd *pw = getpwnam(v);
	if (!pw)
		return fail(p, "unknown user '%s' (give a name from passwd or a uid > 0)", v);
	if (pw->pw_uid == 0)
		return fail(p, "user '%s' is root: children never run as root", v);
	*ret = pw->pw_uid;
	return 0;
}

/* "64710" or a group name; gid 0 only where root_ok (control_group). */
static int
parse_group(struct parse_ctx *p, const char *v, bool root_ok, gid_t *ret)
{
	unsigned long n;
	gid_t gid;
	if (parse_uint(v, 0, 0x7ffffffe, &n) == 0) {
		gid = (gid_t)n;
	} else {
		struct group *gr = getgrnam(v);
		if (!gr)
			return fail(p, "unknown group '%s'", v);
		gid = gr->gr_gid;
	}
	if (gid == 0 && !root_ok)
		return fail(p, "group '%s' is gid 0: children never run with the root group", v);
	*ret = gid;
	return 0;
}

struct ms_key {
	const char *key;
	size_t offset;
	unsigned long min, max;
};

static const struct ms_key daemon_ms_keys[] = {
	{"restart_delay_ms", offsetof(struct tncd_config, restart_delay_ms), 10, 600000},
	{"restart_delay_max_ms", offsetof(struct tncd_config, restart_delay_max_ms), 10, 3600000},
	{"restart_reset_ms", offsetof(struct tncd_config, restart_reset_ms), 100, 86400000},
	{"ready_timeout_ms", offsetof(struct tncd_config, ready_timeout_ms), 100, 600000},
	{"ping_interval_ms", offsetof(struct tncd_config, ping_interval_ms), 100, 600000},
	{"ping_timeout_ms", offsetof(struct tncd_config, ping_timeout_ms), 200, 3600000},
	{"stop_timeout_ms", offsetof(struct tncd_config, stop_timeout_ms), 100, 600000},
};

static int
daemon_key(struct parse_ctx *p, const char *key, const char *v)
{
	struct tncd_config *cfg = p->cfg;

	if (!strcmp(key, "control_socket")) {
		if (v[0] != '/' || strlen(v) >= sizeof(cfg->control_socket))
			return fail(p, "control_socket must be an absolute path shorter than %zu bytes",
			    sizeof(cfg->control_socket));
		snprintf(cfg->control_socket, sizeof(cfg->control_socket), "%s", v);
		return 0;
	}
	if (!strcmp(key, "control_group"))
		return parse_group(p, v, true, &cfg->control_gid);
	if (!strcmp(key, "state_dir")) {
		if (v[0] != '/' || strlen(v) >= sizeof(cfg->state_dir) - 32)
			return fail(p, "state_dir must be an absolute path");
		snprintf(cfg->state_dir, sizeof(cfg->state_dir), "%s", v);
		p->lines.state_dir = p->line;
		return 0;
	}
	for (size_t i = 0; i < sizeof(daemon_ms_keys) / sizeof(daemon_ms_keys[0]); i++) {
		const struct ms_key *k = &daemon_ms_keys[i];
		unsigned long n;
		if (strcmp(key, k->key) != 0)
			continue;
		if (parse_uint(v, k->min, k->max, &n) != 0)
			return fail(p, "%s must be a number of milliseconds from %lu to %lu, not '%s'",
			    key, k->min, k->max, v);
		*(unsigned *)((char *)cfg + k->offset) = (unsigned)n;
		return 0;
	}
	return fail(p, "unknown key '%s' in section [daemon]", key);
}

static int
log_key(struct parse_ctx *p, const char *key, const char *v, int *levels, bool allow_default)
{
	int level = 0, err;
	if (allow_default && !strcmp(key, "default")) {
		if ((err = parse_level(p, key, v, &level)))
			return err;
		for (int s = 0; s < LOG_SUBSYS_COUNT; s++)
			levels[s] = level;
		return 0;
	}
	int sub = log_subsys_parse(key);
	if (sub < 0)
		return fail(p, "unknown log subsystem '%s'", key);
	return parse_level(p, key, v, &levels[sub]);
}

static int
proc_key(struct parse_ctx *p, const char *key, const char *v)
{
	struct proc_config *pc = p->proc;
	enum tnc_role role = (enum tnc_role)(pc - p->cfg->procs);

	if (!strcmp(key, "user")) {
		p->lines.user[role] = p->line;
		return parse_user(p, v, &pc->uid);
	}
	if (!strcmp(key, "group"))
		return parse_group(p, v, false, &pc->gid);
	if (!strcmp(key, "enabled"))
		return parse_bool(v, &pc->enabled) ? fail(p, "enabled must be yes or no") : 0;
	if (!strcmp(key, "path")) {
		if (v[0] != '/' || strlen(v) >= sizeof(pc->path))
			return fail(p, "path must be an absolute path");
		snprintf(pc->path, sizeof(pc->path), "%s", v);
		p->lines.path[role] = p->line;
		return 0;
	}
	if (!strncmp(key, "log.", 4))
		return log_key(p, key + 4, v, pc->log_levels, false);
	int row = config_role_key_find(role, key);
	if (row < 0)
		return fail(p, "unknown key '%s' in section [%s]", key, p->section);
	unsigned n;
	const struct role_key *rk = &config_role_keys(&n)[row];
	const char *why = config_role_key_check(rk, v);
	if (why)
		return fail(p, "%s: %s%s%s%s", key, why, rk->choices ? " (" : "",
		    rk->choices ? rk->choices : "", rk->choices ? ")" : "");
	snprintf(p->cfg->role_values[row], ROLE_VALUE_MAX, "%s", v);
	p->lines.role_key[row] = p->line;
	return 0;
}

static char *
trim(char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	char *e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = 0;
	return s;
}

static int
section_line(struct parse_ctx *p, char *line)
{
	static char name[64];
	char *end = strchr(line, ']');
	if (!end || *trim(end + 1))
		return fail(p, "section header must look like [name]");
	*end = 0;
	snprintf(name, sizeof(name), "%s", trim(line + 1));
	p->section = name;
	p->proc = NULL;
	if (!strcmp(name, "daemon") || !strcmp(name, "log"))
		return 0;
	const struct role_manifest *m = manifest_find(name);
	if (!m || m->role == ROLE_TNCD || strcmp(m->section, name) != 0)
		return fail(p, "unknown section [%s]", name);
	p->proc = &p->cfg->procs[m->role];
	return 0;
}

static int
log_section_key(struct parse_ctx *p, const char *key, const char *v)
{
	if (strcmp(key, "lines_per_second") != 0)
		return log_key(p, key, v, p->cfg->log_levels, true);
	unsigned long n;
	if (parse_uint(v, 10, 1000000, &n) != 0)
		return fail(p, "lines_per_second must be a number from 10 to 1000000, not '%s'", v);
	p->cfg->log_lines_per_second = (unsigned)n;
	return 0;
}

static int
parse_line(struct parse_ctx *p, char *raw)
{
	char *line = trim(raw);
	if (!*line || *line == '#')
		return 0;
	if (*line == '[')
		return section_line(p, line);
	char *eq = strchr(line, '=');
	if (!eq)
		return fail(p, "expected 'key = value' or '[section]'");
	*eq = 0;
	char *key = trim(line), *v = trim(eq + 1);
	if (!*key)
		return fail(p, "missing key before '='");
	if (!p->section)
		return fail(p, "key '%s' outside of any [section]", key);
	if (!strcmp(p->section, "daemon"))
		return daemon_key(p, key, v);
	if (!strcmp(p->section, "log"))
		return log_section_key(p, key, v);
	return proc_key(p, key, v);
}

/* A role whose manifest row needs another role's key to be "yes" (tnc-xfrm:
 * [ike] ikev2) is not started otherwise, whatever its own "enabled"; nor
 * is tnc-xfrm when tnc-ike installs no kernel SAs ([ike] ikev2_kernel). */
static void
apply_role_needs(struct tncd_config *cfg)
{
	for (int r = ROLE_TNCD + 1; r < ROLE_COUNT; r++) {
		const struct role_manifest *m = manifest_role(r);
		const struct role_manifest *owner = m->needs_section ?
		    manifest_find(m->needs_section) : NULL;
		if (m->needs_section && (!owner ||
		    strcmp(config_role_value(cfg, owner->role, m->needs_key), "yes") != 0))
			cfg->procs[r].enabled = false;
	}
	if (strcmp(config_role_value(cfg, ROLE_IKE, "ikev2_kernel"), "xfrm") != 0)
		cfg->procs[ROLE_XFRM].enabled = false;
}

int
config_load(const char *path, struct tncd_config *ret, char *err, size_t errlen)
{
	struct tncd_config *cfg = malloc(sizeof(*cfg));
	struct parse_ctx p = {.cfg = cfg, .path = path, .err = err, .errlen = errlen};
	char line[MAX_LINE + 2];
	int rc = 0;

	if (!cfg)
		abort();
	config_defaults(cfg);
	p.lines.role_key = calloc(cfg->nrole_values, sizeof(*p.lines.role_key));
	if (!p.lines.role_key)
		abort();
	if (path) {
		FILE *f = fopen(path, "re");
		if (!f) {
			int e = errno;
			snprintf(err, errlen, "%s: %s", path, strerror(e));
			config_clear(cfg);
			free(cfg);
			free(p.lines.role_key);
			return -e;
		}
		while (rc == 0 && fgets(line, sizeof(line), f)) {
			p.line++;
			if (!strchr(line, '\n') && !feof(f))
				rc = fail(&p, "line longer than %d bytes", MAX_LINE);
			else
				rc = parse_line(&p, line);
		}
		fclose(f);
	}
	if (rc == 0 && cfg->restart_delay_max_ms < cfg->restart_delay_ms) {
		p.line = 0;
		snprintf(err, errlen, "%s: restart_delay_max_ms is below restart_delay_ms", path);
		rc = TNC_ECONFIG;
	}
	if (rc == 0) {
		apply_role_needs(cfg);
		rc = config_check(cfg, &p.lines, path ? path : "built-in defaults", err, errlen);
	}
	if (rc == 0)
		*ret = *cfg;
	else
		config_clear(cfg);
	free(p.lines.role_key);
	free(cfg);
	return rc;
}

void
config_clear(struct tncd_config *cfg)
{
	free(cfg->role_values);
	cfg->role_values = NULL;
	cfg->nrole_values = 0;
}

const char *
config_role_value(const struct tncd_config *cfg, enum tnc_role role, const char *key)
{
	int row = config_role_key_find(role, key);
	return row < 0 ? "" : cfg->role_values[row];
}

unsigned
config_role_caps(const struct tncd_config *cfg, enum tnc_role role)
{
	const struct role_manifest *m = manifest_role(role);
	unsigned caps = m->caps;
	for (unsigned i = 0; i < m->ncond_caps; i++) {
		const struct cap_condition *c = &m->cond_caps[i];
		if (manifest_cap_condition_met(c, config_role_value(cfg, role, c->key)))
			caps |= c->cap;
	}
	return caps;
}

int
config_log_level(const struct tncd_config *cfg, enum tnc_role role, enum log_subsys sub)
{
	int level = cfg->procs[role].log_levels[sub];
	return level == LOG_LEVEL_INHERIT ? cfg->log_levels[sub] : level;
}
