/* sup_start_hang.c - tnc-test-sup-start-hang: a child that never becomes
 * ready: it hangs after CONFIG, before the sandbox.  tncd kills it at
 * ready_timeout_ms, and during the first start then ends. */
#include <unistd.h>

#include "child.h"
#include "log.h"

static int
pre_sandbox(struct child *c, const struct ipc_config *cfg)
{
	LOG(DMN, 1, "sup-start-hang: hanging before the sandbox");
	for (;;)
		pause();
	return -1; /* not reached: tncd kills it */
}

static const struct child_ops ops = {.pre_sandbox = pre_sandbox};

int
main(int argc, char **argv)
{
	return child_main(argc, argv, ROLE_COUNT, &ops);
}
