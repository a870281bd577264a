/* child.h - the runtime every child process (tnc-ike, tnc-tnccs, tnc-imv-*)
 * shares: start-up checks, HELLO, CONFIG, sandbox, READY, health checks,
 * log levels, peer channels and shutdown.  A role is a set of callbacks.
 *
 * Descriptors from tncd (fixed numbers): 0,1 /dev/null, 2 tncd's stderr,
 * 3 the control channel to tncd, 4 the log pipe.  Everything else is closed
 * at start.  argv: NAME --role NAME --slot NN --gen G.
 */
#ifndef TNC_CHILD_H
#define TNC_CHILD_H

#include <uv.h>

#include "ipc_channel.h"
#include "manifest.h"

struct child;

struct child_ops {
	/* After CONFIG, before the sandbox: open what needs privilege or files
	 * (PRE_INIT).  cfg is valid only during the call.  Non-zero aborts. */
	int (*pre_sandbox)(struct child *c, const struct ipc_config *cfg);
	/* Sandboxed, before READY: open what the sandbox allows (files in the
	 * state directory).  Non-zero aborts, so a child that cannot start
	 * fails tncd's first start instead of crash-looping. */
	int (*post_sandbox)(struct child *c);
	/* Sandboxed and READY sent. */
	void (*ready)(struct child *c);
	/* A direct channel to a peer role was (re)attached. */
	void (*peer_attached)(struct child *c, enum tnc_role peer, struct ipc_channel *ch);
	/* The direct channel to a peer closed (the peer died or was replaced). */
	void (*peer_closed)(struct child *c, enum tnc_role peer);
	/* A send to the peer was refused with TNC_EAGAIN (back-pressure) and its
	 * queue has since drained below the low-water mark. */
	void (*peer_drained)(struct child *c, enum tnc_role peer);
	/* Any message the runtime does not handle itself, from tncd or a peer
	 * (peer is ROLE_TNCD for the control channel). */
	void (*on_msg)(struct child *c, enum tnc_role peer, struct ipc_received *rx);
};

/* Runs the process; returns the exit code for main().  role ROLE_COUNT means
 * "take the role from --role" (test helpers only). */
int child_main(int argc, char **argv, enum tnc_role role, const struct child_ops *ops);

uv_loop_t *child_loop(struct child *c);
const struct role_manifest *child_role(const struct child *c);
/* The direct channel to a peer role, or NULL while there is none. */
struct ipc_channel *child_peer(struct child *c, enum tnc_role peer);
struct ipc_channel *child_control(struct child *c);
void *child_data(const struct child *c);
void child_set_data(struct child *c, void *data);

#endif
