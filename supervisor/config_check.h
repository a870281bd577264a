/* config_check.h - the checks of a configuration that need all of it or the
 * file system, run by config_load() after every line has parsed: each role
 * key's check function (config_roles.c), one uid per child, the binaries,
 * the state directory.  Private to config.c. */
#ifndef TNC_CONFIG_CHECK_H
#define TNC_CONFIG_CHECK_H

#include <stddef.h>

#include "config.h"

/* The line each value was set on; 0 = the built-in default. */
struct config_lines {
	unsigned state_dir;
	unsigned user[ROLE_COUNT];
	unsigned path[ROLE_COUNT];
	unsigned *role_key; /* indexed like config_role_keys() */
};

/* 0, or TNC_ECONFIG with "file:line: reason" (or "file: reason (built-in
 * default)") in err. */
int config_check(const struct tncd_config *cfg, const struct config_lines *lines,
    const char *file, char *err, size_t errlen) TNC_MUST_CHECK;

#endif
