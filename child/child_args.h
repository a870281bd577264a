/* child_args.h - argv and descriptor checks at a child's start. */
#ifndef TNC_CHILD_ARGS_H
#define TNC_CHILD_ARGS_H

#include <stdint.h>

#include "manifest.h"

#define CHILD_FD_CONTROL_NUM 3
#define CHILD_FD_LOG_NUM 4

struct child_args {
	enum tnc_role role;
	int slot;
	uint32_t gen;
};

/* "--role NAME --slot NN --gen G"; fixed is the binary's own role or
 * ROLE_COUNT to accept any child role.  -1 on anything else. */
int child_args_parse(int argc, char **argv, enum tnc_role fixed, struct child_args *ret);
/* fds 3 and 4 must be open; closes everything above 4.  -1 if not started by tncd. */
int child_fds_check(void);

#endif
