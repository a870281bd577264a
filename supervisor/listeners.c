/* listeners.c - tncd binds the listening sockets (port 271 is privileged)
 * before any child runs and hands a duplicate to each enabled role with
 * RCAP_NET_ACCEPT (tnc-ike) each time it is READY, so a restarted child
 * serves on the same socket without any privilege.  The address is the
 * role's pt_tls_listen key; with ikev2 = yes also UDP sockets on ports
 * ikev2_port and ikev2_natt_port of all IPv4 and (where the kernel has it)
 * all IPv6 addresses, with the destination address of each datagram on
 * (IP_PKTINFO, IPV6_RECVPKTINFO) so that tnc-ike answers from it.  With
 * ikev2_kernel = xfrm the NAT-T sockets are ESP-in-UDP sockets
 * (UDP_ENCAP_ESPINUDP): the kernel takes the ESP datagrams arriving there
 * for its SAs and passes up only IKE's, which carry the non-ESP marker. */
#include "tncd.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <netinet/in.h>
#include <netinet/udp.h>
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

/* udp_fd[2 * i + v6]: i 0 the IKE port, 1 NAT-T; v6 0 IPv4, 1 IPv6. */
static const char *const udp_transport[2] = {"ikev2", "ikev2-natt"};
static const char *const udp_port_key[2] = {"ikev2_port", "ikev2_natt_port"};

static unsigned
udp_port(struct tncd *t, struct proc *p, int i)
{
	return (unsigned)atoi(config_role_value(&t->cfg, p->m->role, udp_port_key[i]));
}

/* One UDP socket on all addresses of a family; -errno. */
static int
bind_udp(int family, unsigned port)
{
	int one = 1;
	struct sockaddr_in a4 = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	struct sockaddr_in6 a6 = {.sin6_family = AF_INET6, .sin6_port = htons((uint16_t)port),
	    .sin6_addr = IN6ADDR_ANY_INIT};
	int fd = socket(family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	bool ok = fd >= 0 && (family == AF_INET ?
	    setsockopt(fd, IPPROTO_IP, IP_PKTINFO, &one, sizeof(one)) == 0 &&
	    bind(fd, (struct sockaddr *)&a4, sizeof(a4)) == 0 :
	    setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one)) == 0 &&
	    setsockopt(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, &one, sizeof(one)) == 0 &&
	    bind(fd, (struct sockaddr *)&a6, sizeof(a6)) == 0);
	if (ok)
		return fd;
	int err = -errno;
	if (fd >= 0)
		close(fd);
	return err;
}

/* Makes fd an ESP-in-UDP socket (RFC 3948); -errno. */
static int
decapsulate_esp(int fd)
{
	int type = UDP_ENCAP_ESPINUDP;
	return setsockopt(fd, IPPROTO_UDP, UDP_ENCAP, &type, sizeof(type)) == 0 ? 0 : -errno;
}

static int
open_udp(struct tncd *t, struct proc *p)
{
	if (strcmp(config_role_value(&t->cfg, p->m->role, "ikev2"), "yes") != 0)
		return 0;
	const bool kernel_esp = strcmp(config_role_value(&t->cfg, p->m->role, "ikev2_kernel"),
	    "xfrm") == 0;
	for (int i = 0; i < 2; i++) {
		unsigned port = udp_port(t, p, i);
		const bool encap = kernel_esp && i == 1;
		int fd = bind_udp(AF_INET, port);
		int err = fd < 0 ? fd : encap ? decapsulate_esp(fd) : 0;
		if (err) {
			LOG_ERR(NET, "cannot %s UDP port %u for %s: %s", fd < 0 ? "bind" :
			    "have the kernel take ESP-in-UDP on", port, udp_transport[i],
			    strerror(-err));
			if (fd >= 0)
				close(fd);
			return err;
		}
		p->udp_fd[2 * i] = fd;
		/* IPv6 is optional: a kernel or host without it serves IPv4 */
		fd = bind_udp(AF_INET6, port);
		err = fd < 0 ? fd : encap ? decapsulate_esp(fd) : 0;
		if (err) {
			LOG(NET, 1, "no %s on IPv6 port %u: %s", udp_transport[i], port,
			    strerror(-err));
			if (fd >= 0)
				close(fd);
			fd = -1;
		}
		p->udp_fd[2 * i + 1] = fd < 0 ? -1 : fd;
		LOG(NET, 1, "receiving %s on port %u (IPv4%s) for %s", udp_transport[i], port,
		    fd < 0 ? "" : " and IPv6", p->m->name);
	}
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
		if (!err)
			err = open_udp(t, p);
		if (err) {
			listeners_close(t);
			return err;
		}
	}
	return 0;
}

static void
hand_over(struct proc *p, int listen_fd, const char *transport, const char *address)
{
	if (listen_fd < 0 || !p->ch)
		return;
	int fd = fcntl(listen_fd, F_DUPFD_CLOEXEC, 0);
	if (fd < 0) {
		LOG_ERR(NET, "cannot duplicate the %s socket: %s", transport, strerror(errno));
		return;
	}
	struct ipc_msg m = {.type = IPC_IKE_LISTENER};
	m.u.ike_listener.transport = (struct bytes){(const uint8_t *)transport, strlen(transport)};
	m.u.ike_listener.address = (struct bytes){(const uint8_t *)address, strlen(address)};
	int err = ipc_channel_send(p->ch, &m, 0, 0, 0, fd);
	if (err)
		LOG_ERR(NET, "cannot hand the %s socket to %s: %s", transport, p->m->name,
		    tnc_strerror(err));
}

void
listeners_hand_over(struct tncd *t, struct proc *p)
{
	hand_over(p, p->listen_fd, "pt-tls", p->listen_address);
	for (int i = 0; i < 4; i++) {
		char address[32];
		snprintf(address, sizeof(address), i % 2 ? "[::]:%u" : "0.0.0.0:%u",
		    udp_port(t, p, i / 2));
		hand_over(p, p->udp_fd[i], udp_transport[i / 2], address);
	}
}

void
listeners_close(struct tncd *t)
{
	for (int r = ROLE_TNCD + 1; r < ROLE_COUNT; r++) {
		struct proc *p = &t->procs[r];
		if (p->listen_fd >= 0)
			close(p->listen_fd);
		p->listen_fd = -1;
		for (int i = 0; i < 4; i++) {
			if (p->udp_fd[i] >= 0)
				close(p->udp_fd[i]);
			p->udp_fd[i] = -1;
		}
	}
}
