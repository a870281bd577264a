/* child_args.c - start-up checks of a child: argv and inherited descriptors. */
#include "child_args.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int
parse_uint(const char *s, unsigned long max, unsigned long *ret)
{
	char *end;
	if (!s || !*s)
		return -1;
	unsigned long v = strtoul(s, &end, 10);
	if (*end || v > max)
		return -1;
	*ret = v;
	return 0;
}

int
child_args_parse(int argc, char **argv, enum tnc_role fixed, struct child_args *ret)
{
	struct child_args a = {.role = fixed};
	const char *role_name = NULL;
	unsigned long v;
	int have_slot = 0;

	if ((argc - 1) % 2 != 0)
		return -1;
	for (int i = 1; i < argc; i += 2) { /* "--option value" pairs */
		const char *val = argv[i + 1];
		if (strcmp(argv[i], "--role") == 0) {
			role_name = val;
		} else if (strcmp(argv[i], "--slot") == 0 && parse_uint(val, 99, &v) == 0) {
			a.slot = (int)v;
			have_slot = 1;
		} else if (strcmp(argv[i], "--gen") == 0 && parse_uint(val, UINT32_MAX, &v) == 0) {
			a.gen = (uint32_t)v;
		} else {
			return -1;
		}
	}
	if (!role_name || !have_slot)
		return -1;
	const struct role_manifest *m = manifest_find(role_name);
	if (!m || m->role == ROLE_TNCD || (fixed != ROLE_COUNT && m->role != fixed))
		return -1;
	a.role = m->role;
	*ret = a;
	return 0;
}

int
child_fds_check(void)
{
	if (fcntl(CHILD_FD_CONTROL_NUM, F_GETFD) < 0 || fcntl(CHILD_FD_LOG_NUM, F_GETFD) < 0)
		return -1;
	/* Nothing but the fixed descriptors may leak into a sandboxed child. */
	return close_range(CHILD_FD_LOG_NUM + 1, ~0U, 0) == 0 ? 0 : -1;
}
