/* acceptor.h - takes PT-TLS clients from the listening socket tncd hands
 * over: at most max_connections at once (more wait in the kernel's
 * queue) and at most max_per_address from one source (more are closed at
 * once); refusals are logged with a rate limit. */
#ifndef TNC_ACCEPTOR_H
#define TNC_ACCEPTOR_H

#include "child.h"
#include "settings.h"
#include "source_limit.h"

void acceptor_init(struct child *c, const struct ike_settings *s);
/* Takes the listening socket of an IKE_LISTENER frame. */
void acceptor_listen(struct ipc_received *rx);
/* A connection counted under key has ended. */
void acceptor_released(const struct source_key *key);

#endif
