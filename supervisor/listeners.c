/* listeners.c - tncd binds the listening sockets (port 271 is privileged)
 * before any child runs and hands tnc-ike a duplicate each time it is READY,
 * so a restarted tnc-ike serves on the same socket without any privilege. */
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

int
listeners_open(struct tncd *t)
{
	const char *spec = config_role_value(&t->cfg, ROLE_IKE, "pt_tls_listen");
	struct address a;
	int one = 1;

	t->pt_tls_fd = -1;
	if (!t->cfg.procs[ROLE_IKE].enabled || strcmp(spec, "no") == 0)
		return 0;
	if (address_parse(spec, &a) != 0) {
		LOG(CFG, 0, "pt_tls_listen '%s' is not an address", spec);
		return TNC_ECONFIG;
	}
	int fd = socket(a.ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) != 0 ||
	    bind(fd, (struct sockaddr *)&a.ss, a.len) != 0 || listen(fd, 512) != 0) {
		int err = -errno;
		LOG(NET, 0, "cannot listen for PT-TLS on %s: %s", spec, strerror(-err));
		if (fd >= 0)
			close(fd);
		return err;
	}
	t->pt_tls_fd = fd;
	snprintf(t->pt_tls_address, sizeof(t->pt_tls_address), "%s", spec);
	LOG(NET, 1, "listening for PT-TLS on %s", spec);
	return 0;
}

void
listeners_hand_over(struct tncd *t, struct proc *ike)
{
	if (t->pt_tls_fd < 0 || !ike->ch)
		return;
	int fd = fcntl(t->pt_tls_fd, F_DUPFD_CLOEXEC, 0);
	if (fd < 0) {
		LOG(NET, 0, "cannot duplicate the PT-TLS socket: %s", strerror(errno));
		return;
	}
	struct ipc_msg m = {.type = IPC_IKE_LISTENER};
	m.u.ike_listener.transport = (struct bytes){(const uint8_t *)"pt-tls", 6};
	m.u.ike_listener.address =
	    (struct bytes){(const uint8_t *)t->pt_tls_address, strlen(t->pt_tls_address)};
	int err = ipc_channel_send(ike->ch, &m, 0, 0, 0, fd);
	if (err)
		LOG(NET, 0, "cannot hand the PT-TLS socket to %s: %s", ike->m->name, tnc_strerror(err));
}

void
listeners_close(struct tncd *t)
{
	if (t->pt_tls_fd >= 0)
		close(t->pt_tls_fd);
	t->pt_tls_fd = -1;
}
