/* tnc-tnccs: process entry.  Protocol logic arrives with later issues; this is
 * the real executable with its lifecycle, sandbox and IPC endpoint. */
#include "child.h"

static const struct child_ops ops = {0};

int
main(int argc, char **argv)
{
	return child_main(argc, argv, ROLE_TNCCS, &ops);
}
