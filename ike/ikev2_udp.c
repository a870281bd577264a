/* ikev2_udp.c - the IKEv2 UDP sockets from tncd (see ikev2_udp.h).  No
 * bind here (the sandbox has none): recvmsg and sendmsg on the sockets
 * handed over, IP_PKTINFO / IPV6_PKTINFO for the local address both ways. */
#include "ikev2_udp.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "log.h"

#define MAX_DATAGRAM 65535

struct udp_socket {
	uv_handle_t *handle; /* owns the descriptor */
	uv_poll_t poll;
	int fd;
	uint16_t port;
	bool natt;
};

static struct {
	struct child *child;
	size_t max_len;
	ikev2_udp_receive_fn *receive;
	struct udp_socket sock[2][2]; /* [0] port 500, [1] NAT-T; [IPv4, IPv6] */
	uint8_t buf[MAX_DATAGRAM + 1];
	unsigned esp_dropped;
} udp;

static void
endpoint_of(const struct sockaddr_storage *ss, struct ike_endpoint *e)
{
	memset(e, 0, sizeof(*e));
	if (ss->ss_family == AF_INET) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)ss;
		e->addr_len = 4;
		memcpy(e->addr, &in->sin_addr, 4);
		e->port = ntohs(in->sin_port);
	} else if (ss->ss_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)ss;
		e->addr_len = 16;
		memcpy(e->addr, &in6->sin6_addr, 16);
		e->port = ntohs(in6->sin6_port);
	}
}

static socklen_t
sockaddr_of(const struct ike_endpoint *e, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (e->addr_len == 4) {
		struct sockaddr_in *in = (struct sockaddr_in *)ss;
		in->sin_family = AF_INET;
		memcpy(&in->sin_addr, e->addr, 4);
		in->sin_port = htons(e->port);
		return sizeof(*in);
	}
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;
	in6->sin6_family = AF_INET6;
	memcpy(&in6->sin6_addr, e->addr, 16);
	in6->sin6_port = htons(e->port);
	return sizeof(*in6);
}

const char *
ikev2_address_str(const struct ike_endpoint *e, char *out, size_t size)
{
	if (!inet_ntop(e->addr_len == 4 ? AF_INET : AF_INET6, e->addr, out, (socklen_t)size))
		snprintf(out, size, "?");
	return out;
}

const char *
ikev2_endpoint_str(const struct ike_endpoint *e, char *out, size_t size)
{
	char a[INET6_ADDRSTRLEN];
	snprintf(out, size, "%s[%u]", ikev2_address_str(e, a, sizeof(a)), e->port);
	return out;
}

bool
ikev2_ends_in_sk(const struct ikev2_chain *c)
{
	struct ikev2_iter it;
	struct ikev2_payload p;
	bool sk = false;

	ikev2_iter_init(&it, c);
	while (ikev2_iter_next(&it, &p))
		sk = p.type == IKEV2_PL_SK;
	return sk;
}

/* The destination address of a received datagram, from its control data. */
static bool
local_address(struct msghdr *mh, struct ike_endpoint *local)
{
	for (struct cmsghdr *c = CMSG_FIRSTHDR(mh); c; c = CMSG_NXTHDR(mh, c)) {
		if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO) {
			struct in_pktinfo pi;
			memcpy(&pi, CMSG_DATA(c), sizeof(pi));
			local->addr_len = 4;
			memcpy(local->addr, &pi.ipi_addr, 4);
			return true;
		}
		if (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_PKTINFO) {
			struct in6_pktinfo pi;
			memcpy(&pi, CMSG_DATA(c), sizeof(pi));
			local->addr_len = 16;
			memcpy(local->addr, &pi.ipi6_addr, 16);
			return true;
		}
	}
	return false;
}

/* One datagram from s into udp.buf: its length, or -1 when none waits. */
static ssize_t
receive_one(struct udp_socket *s, struct ikev2_dgram *d)
{
	struct sockaddr_storage peer;
	union {
		struct cmsghdr align;
		uint8_t buf[CMSG_SPACE(sizeof(struct in6_pktinfo))];
	} control;
	struct iovec iov = {udp.buf, sizeof(udp.buf)};
	struct msghdr mh = {.msg_name = &peer, .msg_namelen = sizeof(peer), .msg_iov = &iov,
	    .msg_iovlen = 1, .msg_control = control.buf, .msg_controllen = sizeof(control.buf)};

	ssize_t n = recvmsg(s->fd, &mh, MSG_DONTWAIT);
	if (n < 0) {
		if (errno != EAGAIN && errno != EINTR)
			LOG(NET, 1, "receiving on UDP port %u failed: %s", s->port,
			    strerror(errno));
		return -1;
	}
	memset(d, 0, sizeof(*d));
	endpoint_of(&peer, &d->peer);
	if (!local_address(&mh, &d->local)) {
		LOG(NET, 1, "a datagram on UDP port %u without its destination address: dropped",
		    s->port);
		return 0;
	}
	d->local.port = s->port;
	d->natt = s->natt;
	d->data = udp.buf;
	d->len = (size_t)n;
	if ((mh.msg_flags & MSG_TRUNC) || d->len > udp.max_len) {
		LOG(NET, 2, "dropping a datagram of more than %zu bytes on UDP port %u",
		    udp.max_len, s->port);
		return 0;
	}
	return n;
}

/* RFC 3948 2.2/2.3: what arrives on the NAT-T port.  false: not IKE. */
static bool
strip_marker(struct ikev2_dgram *d)
{
	if (d->len == 1 && d->data[0] == 0xff)
		return false; /* NAT-keepalive */
	if (d->len < IKEV2_NON_ESP_MARKER_LEN ||
	    memcmp(d->data, "\0\0\0\0", IKEV2_NON_ESP_MARKER_LEN) != 0) {
		if (udp.esp_dropped++ == 0)
			LOG(NET, 1, "dropping ESP-in-UDP on the NAT-T port (no kernel SA took it)");
		return false;
	}
	d->data += IKEV2_NON_ESP_MARKER_LEN;
	d->len -= IKEV2_NON_ESP_MARKER_LEN;
	return true;
}

static void
on_readable(uv_poll_t *p, int status, int events)
{
	struct udp_socket *s = p->data;
	struct ikev2_dgram d;
	ssize_t n;

	if (status < 0)
		return;
	for (unsigned i = 0; i < IKEV2_UDP_BATCH && (n = receive_one(s, &d)) >= 0; i++) {
		if (n == 0 || (s->natt && !strip_marker(&d)))
			continue;
		udp.receive(&d);
	}
}

void
ikev2_udp_init(struct child *c, size_t max_len, ikev2_udp_receive_fn *fn)
{
	udp.child = c;
	udp.max_len = max_len < MAX_DATAGRAM ? max_len : MAX_DATAGRAM;
	udp.receive = fn;
}

bool
ikev2_udp_listen(struct ipc_received *rx)
{
	struct bytes t = rx->msg.u.ike_listener.transport;
	bool ike = t.len == 5 && memcmp(t.ptr, "ikev2", 5) == 0;
	bool natt = t.len == 10 && memcmp(t.ptr, "ikev2-natt", 10) == 0;
	char address[64];
	uv_os_fd_t fd;

	if (!ike && !natt)
		return false;
	if (!udp.receive) {
		LOG(NET, 1, "ignoring an IKEv2 socket: ikev2 is not enabled");
		return true;
	}
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	if (!rx->handle || uv_fileno((uv_handle_t *)rx->handle, &fd) != 0 ||
	    getsockname(fd, (struct sockaddr *)&ss, &len) != 0) {
		LOG(NET, 1, "ignoring an IKEv2 socket without a usable descriptor");
		return true;
	}
	struct udp_socket *s = &udp.sock[natt][ss.ss_family == AF_INET6];
	if (s->handle) {
		LOG(NET, 1, "ignoring a second IKEv2 socket of that port and family");
		return true;
	}
	struct ike_endpoint bound;
	endpoint_of(&ss, &bound);
	s->handle = (uv_handle_t *)rx->handle; /* keeps the descriptor open */
	rx->handle = NULL;
	s->fd = fd;
	s->port = bound.port;
	s->natt = natt;
	s->poll.data = s;
	uv_poll_init_socket(child_loop(udp.child), &s->poll, fd);
	uv_poll_start(&s->poll, UV_READABLE, on_readable);
	LOG(NET, 1, "receiving IKEv2%s on %s", natt ? " (NAT-T)" : "",
	    bytes_cstr(rx->msg.u.ike_listener.address, address, sizeof(address)));
	return true;
}

int
ikev2_udp_send(const struct ike_endpoint *local, const struct ike_endpoint *peer,
    const uint8_t *msg, size_t len)
{
	struct udp_socket *s = NULL;
	for (int i = 0; i < 2; i++) {
		struct udp_socket *c = &udp.sock[i][local->addr_len == 16];
		if (c->handle && c->port == local->port)
			s = c;
	}
	if (!s)
		return -ENOTCONN;
	static const uint8_t marker[IKEV2_NON_ESP_MARKER_LEN];
	struct iovec iov[2] = {{(void *)marker, sizeof(marker)}, {(void *)msg, len}};
	struct sockaddr_storage to;
	union {
		struct cmsghdr align;
		uint8_t buf[CMSG_SPACE(sizeof(struct in6_pktinfo))];
	} control;
	memset(&control, 0, sizeof(control));
	struct msghdr mh = {.msg_name = &to, .msg_namelen = sockaddr_of(peer, &to),
	    .msg_iov = s->natt ? iov : iov + 1, .msg_iovlen = s->natt ? 2 : 1,
	    .msg_control = control.buf};
	struct cmsghdr *c = (struct cmsghdr *)control.buf;
	if (local->addr_len == 4) {
		struct in_pktinfo pi = {0};
		memcpy(&pi.ipi_spec_dst, local->addr, 4);
		c->cmsg_level = IPPROTO_IP;
		c->cmsg_type = IP_PKTINFO;
		c->cmsg_len = CMSG_LEN(sizeof(pi));
		memcpy(CMSG_DATA(c), &pi, sizeof(pi));
		mh.msg_controllen = CMSG_SPACE(sizeof(pi));
	} else {
		struct in6_pktinfo pi = {0};
		memcpy(&pi.ipi6_addr, local->addr, 16);
		c->cmsg_level = IPPROTO_IPV6;
		c->cmsg_type = IPV6_PKTINFO;
		c->cmsg_len = CMSG_LEN(sizeof(pi));
		memcpy(CMSG_DATA(c), &pi, sizeof(pi));
		mh.msg_controllen = CMSG_SPACE(sizeof(pi));
	}
	return sendmsg(s->fd, &mh, MSG_DONTWAIT) < 0 ? -errno : 0;
}
