/* listeners.c - tncd binds the listening sockets (port 271 is privileged)
 * before any child runs and hands a duplicate to each enabled role with
 * RCAP_NET_ACCEPT (tnc-ike) each time it is READY, so a restarted child
 * serves on the same socket without any privilege.  The address is the
 * role's pt_tls_listen key. */
#include "tncd.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "address.h"
#include "log.h"

static int
open_one(struct tncd *t, struct proc *p)
{
	const char *spec = config_role_value(&t->cfg, p->m->role, "pt_tls_listen");
	struct address a;
	int one = 1;

	if (!spec[0] || strcmp(spec, "no") == 0)
		return 0;
	if (address_parse(spec, &a) != 0) {
		LOG_ERR(CFG, "pt_tls_listen '%s' of %s is not an address", spec, p->m->name);
		return TNC_ECONFIG;
	}
	int fd = socket(a.ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) != 0 ||
	    bind(fd, (struct sockaddr *)&a.ss, a.len) != 0 || listen(fd, 512) != 0) {
		int err = -errno;
		LOG_ERR(NET, "cannot listen for PT-TLS on %s: %s", spec, strerror(-err));
		if (fd >= 0)
			close(fd);
		return err;
	}
	p->listen_fd = fd;
	snprintf(p->listen_address, sizeof(p->listen_address), "%s", spec);
	LOG(NET, 1, "listening for PT-TLS on %s for %s", spec, p->m->name);
	return 0;
}

int
listeners_open(struct tncd *t)
{
	for (int r = ROLE_TNCD + 1; r < ROLE_COUNT; r++) {
		struct proc *p = &t->procs[r];
		if (!(p->m->caps & RCAP_NET_ACCEPT) || !t->cfg.procs[r].enabled)
			continue;
		int err = open_one(t, p);
		if (err) {
			listeners_close(t);
			return err;
		}
	}
	return 0;
}

void
listeners_hand_over(struct tncd *t, struct proc *p)
{
	if (p->listen_fd < 0 || !p->ch)
		return;
	int fd = fcntl(p->listen_fd, F_DUPFD_CLOEXEC, 0);
	if (fd < 0) {
		LOG_ERR(NET, "cannot duplicate the PT-TLS socket: %s", strerror(errno));
		return;
	}
	struct ipc_msg m = {.type = IPC_IKE_LISTENER};
	m.u.ike_listener.transport = (struct bytes){(const uint8_t *)"pt-tls", 6};
	m.u.ike_listener.address =
	    (struct bytes){(const uint8_t *)p->listen_address, strlen(p->listen_address)};
	int err = ipc_channel_send(p->ch, &m, 0, 0, 0, fd);
	if (err)
		LOG_ERR(NET, "cannot hand the PT-TLS socket to %s: %s", p->m->name, tnc_strerror(err));
}

void
listeners_close(struct tncd *t)
{
	for (int r = ROLE_TNCD + 1; r < ROLE_COUNT; r++) {
		struct proc *p = &t->procs[r];
		if (p->listen_fd >= 0)
			close(p->listen_fd);
		p->listen_fd = -1;
	}
}
