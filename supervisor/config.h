/* config.h - tncd's configuration: embedded defaults, then etc/tncd.conf.
 *
 * Format: "[section]" lines and "key = value" lines; '#' starts a comment
 * line.  Sections: [daemon], [log], and one per child process named as in
 * the manifest ([ike], [tnccs], [imv-os], [imv-swima], [imv-attest]).  A bad
 * line is refused with "file:line: reason"; nothing of a refused file is used.
 * Beyond syntax, every value a child will use is checked as that child
 * would (config_check.h): --check-config, the start and SIGHUP all load
 * through config_load() and refuse the same files.
 */
#ifndef TNC_CONFIG_H
#define TNC_CONFIG_H

#include <stdbool.h>
#include <sys/types.h>

#include "err.h"
#include "log.h"
#include "config_roles.h"
#include "manifest.h"

#define CONFIG_PATH_MAX 256
#define LOG_LEVEL_INHERIT (-100)

struct proc_config {
	bool enabled;
	uid_t uid;
	gid_t gid;
	char path[CONFIG_PATH_MAX];       /* binary; empty = next to tncd */
	int log_levels[LOG_SUBSYS_COUNT]; /* LOG_LEVEL_INHERIT = from [log] */
};

struct tncd_config {
	char control_socket[108]; /* sun_path */
	gid_t control_gid;        /* group allowed to use tncctl (besides root) */
	char state_dir[CONFIG_PATH_MAX];
	unsigned restart_delay_ms;     /* first restart delay after a crash */
	unsigned restart_delay_max_ms; /* the cap the delay doubles up to */
	unsigned restart_reset_ms;     /* READY this long: failures forgotten */
	unsigned ready_timeout_ms;     /* spawn to READY */
	unsigned ping_interval_ms;
	unsigned ping_timeout_ms;
	unsigned stop_timeout_ms;      /* SHUTDOWN to SIGKILL */
	int log_levels[LOG_SUBSYS_COUNT];
	unsigned log_lines_per_second; /* per child; more are dropped and counted */
	struct proc_config procs[ROLE_COUNT]; /* ROLE_TNCD unused */
	/* Values of the per-role keys, indexed like config_role_keys(). */
	char (*role_values)[ROLE_VALUE_MAX];
	unsigned nrole_values;
};

/* Fills cfg with the built-in defaults; config_clear() frees it. */
void config_defaults(struct tncd_config *cfg);
void config_clear(struct tncd_config *cfg);
/* The value of a per-role key ("" if there is no such key). */
const char *config_role_value(const struct tncd_config *cfg, enum tnc_role role, const char *key);
/* The capabilities of a role under cfg: its manifest row's, and each of
 * the row's conditional ones whose condition cfg meets.  tncd sends them
 * in CONFIG and expects the READY report to match them. */
unsigned config_role_caps(const struct tncd_config *cfg, enum tnc_role role);
/* Defaults, then the file, into *ret (which the caller later clears; it is
 * untouched on error).  On error writes "path:line: reason" to err. */
int config_load(const char *path, struct tncd_config *ret, char *err, size_t errlen) TNC_MUST_CHECK;
/* The effective level of a subsystem in a process. */
int config_log_level(const struct tncd_config *cfg, enum tnc_role role, enum log_subsys sub);

#endif
