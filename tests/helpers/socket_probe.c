/* socket_probe.c - tnc-test-socket-probe: a child that starts like any role
 * (HELLO, CONFIG, sandbox, READY) and then calls socket(), which no child
 * profile allows.  tncd must see it die of SIGSYS and restart it. */
#include <sys/socket.h>

#include "child.h"
#include "log.h"

static void
on_ready(struct child *c)
{
	LOG(DMN, 1, "probe: calling socket() inside the sandbox");
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	/* Reaching this line means the sandbox let socket() through. */
	LOG(DMN, 0, "probe: socket() returned %d: the sandbox did NOT stop it", fd);
}

static const struct child_ops ops = {.ready = on_ready};

int
main(int argc, char **argv)
{
	return child_main(argc, argv, ROLE_COUNT, &ops);
}
