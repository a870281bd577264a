/* wiring.c - direct channels between peer children (ike<->tnccs,
 * tnccs<->each IMV).  tncd makes a socketpair and hands one end to each;
 * from then on it is not on their data path.  A restarted child is wired
 * again when it is READY, replacing the dead channel at its peers. */
#include "tncd.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "log.h"

static int
attach(struct proc *to, struct proc *peer, int fd)
{
	struct ipc_msg m = {.type = IPC_PEER_ATTACH};
	m.u.peer_attach.peer = (struct bytes){(const uint8_t *)peer->m->name, strlen(peer->m->name)};
	m.u.peer_attach.gen = peer->gen;
	return ipc_channel_send(to->ch, &m, 0, 0, 0, fd);
}

static void
connect_pair(struct proc *a, struct proc *b)
{
	int sv[2], err;

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) {
		LOG_ERR(DMN, "cannot wire %s to %s: %s", a->m->name, b->m->name, strerror(errno));
		return;
	}
	if ((err = attach(a, b, sv[0]))) {
		close(sv[1]);
		LOG_ERR(DMN, "cannot hand %s its channel to %s: %s", a->m->name, b->m->name,
		    tnc_strerror(err));
		return;
	}
	if ((err = attach(b, a, sv[1]))) {
		LOG_ERR(DMN, "cannot hand %s its channel to %s: %s", b->m->name, a->m->name,
		    tnc_strerror(err));
		return;
	}
	LOG(DMN, 1, "wired %s (generation %u) <-> %s (generation %u)", a->m->name, a->gen,
	    b->m->name, b->gen);
}

void
wiring_connect_peers(struct tncd *t, struct proc *p)
{
	for (int r = ROLE_TNCD + 1; r < ROLE_COUNT; r++) {
		struct proc *q = &t->procs[r];
		if (q != p && q->state == PROC_READY && q->ch && manifest_are_peers(p->m->role, r))
			connect_pair(p, q);
	}
}
