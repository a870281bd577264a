/* sup_start_fail.c - tnc-test-sup-start-fail: a child that fails during
 * start-up, as tnc-ike does with a key it cannot load: after CONFIG, before
 * the sandbox, it logs why and gives up.  tncd's first start must end. */
#include "child.h"
#include "log.h"

static int
pre_sandbox(struct child *c, const struct ipc_config *cfg)
{
	LOG(TLS, 0, "sup-start-fail: cannot load the test key");
	return -1;
}

static const struct child_ops ops = {.pre_sandbox = pre_sandbox};

int
main(int argc, char **argv)
{
	return child_main(argc, argv, ROLE_COUNT, &ops);
}
