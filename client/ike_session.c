/* ike_session.c - an IKEv2 session of tncclient (see ike_session.h).
 *
 * The initiator and the EAP peer are pure; this file owns the socket and
 * the clock.  Control flow: the initiator's eap_request() feeds the peer,
 * whose send() answers through ike_initiator_eap_response() (at once, or
 * later when the TNCC's batch comes through the transport) and whose
 * done() hands the MSK to ike_initiator_eap_done().  The server's PB-TNC
 * batches are copied here until the TNCC's recv_batch() takes them.
 */
#include "ike_session.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <openssl/rand.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "deadline.h"
#include "eap.h"
#include "eap_peer.h"
#include "ikev2_dh.h"
#include "log.h"

#define NON_ESP_MARKER 4      /* RFC 3948 2.2: zeros before IKE on port 4500 */
#define MAX_DATAGRAM 65535
#define MAX_FRAGMENTS 64
#define MAX_PAYLOADS 64
#define RETRANSMIT_MS 1000
/* 1+2+4+8+16+32 s: the responder holds an IKE_AUTH request while its
 * IMVs work; the deadline ends a longer wait first */
#define MAX_SENDS 7
#define TTLS_MESSAGE_MAX 65536
/* one EAP-TNC packet (10 octets of header) tunneled: AVP and TLS record
 * around it, so that it goes in one EAP-TTLS Response */
#define TNC_HEADER_ROOM 64
#define TTLS_OVERHEAD 256
#define EAP_ROUND_TRIPS 5000
#define STOP_POLL_MS 1000

static const struct ikev2_transform_spec ike_gcm[] = {
	{IKEV2_TRANS_ENCR, IKEV2_ENCR_AES_GCM_16, 256},
	{IKEV2_TRANS_PRF, IKEV2_PRF_HMAC_SHA2_256, 0},
	{IKEV2_TRANS_DH, IKEV2_DH_CURVE25519, 0},
	{IKEV2_TRANS_DH, IKEV2_DH_ECP_256, 0},
};
static const struct ikev2_transform_spec ike_cbc[] = {
	{IKEV2_TRANS_ENCR, IKEV2_ENCR_AES_CBC, 256},
	{IKEV2_TRANS_INTEG, IKEV2_INTEG_HMAC_SHA2_256_128, 0},
	{IKEV2_TRANS_PRF, IKEV2_PRF_HMAC_SHA2_256, 0},
	{IKEV2_TRANS_DH, IKEV2_DH_CURVE25519, 0},
	{IKEV2_TRANS_DH, IKEV2_DH_ECP_256, 0},
};
static const struct ike_initiator_proposal ike_props[] = {{ike_gcm, 4}, {ike_cbc, 5}};
static const struct ikev2_transform_spec esp_gcm[] = {
	{IKEV2_TRANS_ENCR, IKEV2_ENCR_AES_GCM_16, 256},
	{IKEV2_TRANS_ESN, 0, 0},
};
static const struct ikev2_transform_spec esp_cbc[] = {
	{IKEV2_TRANS_ENCR, IKEV2_ENCR_AES_CBC, 256},
	{IKEV2_TRANS_INTEG, IKEV2_INTEG_HMAC_SHA2_256_128, 0},
	{IKEV2_TRANS_ESN, 0, 0},
};
static const struct ike_initiator_proposal esp_props[] = {{esp_gcm, 2}, {esp_cbc, 3}};
/* N(SIGNATURE_HASH_ALGORITHMS) with --gateway-cert (RFC 7427): SHA2-256,
 * -384, -512 */
static const uint8_t sha2_hash_ids[] = {0, 2, 0, 3, 0, 4};
static const struct bytes sha2_hashes = {sha2_hash_ids, sizeof(sha2_hash_ids)};
/* any IPv4 address and port: the responder narrows them */
static const uint8_t any_first[4] = {0, 0, 0, 0}, any_last[4] = {255, 255, 255, 255};
static const struct ikev2_ts any4 = {IKEV2_TS_IPV4_ADDR_RANGE, 0, 0, 65535, {any_first, 4},
    {any_last, 4}};

struct ike_session {
	struct ike_session_config cfg;
	struct ike_initiator_config icfg;
	int fd;
	bool natt; /* on the responder's NAT-T port: the non-ESP marker */
	struct sockaddr_storage peer;
	socklen_t peer_len;
	struct ike_initiator *ini;
	struct eap_peer *eap;
	bool tnc_due;     /* the EAP peer waits for the TNCC's batch */
	uint8_t *batch;   /* the server's batch not yet taken by the TNCC */
	size_t batch_len;
	bool batch_ready;
	bool eap_ended, eap_ok;
	bool established, failed;
	struct ike_initiator_child child;
	bool have_child;
	unsigned eap_packets; /* of the responder: one per IKE_AUTH response */
	char reason[256];
	/* "ADDR[PORT]" for the packet lines, "ADDR" for the SA's */
	char local[INET6_ADDRSTRLEN + 8], remote[INET6_ADDRSTRLEN + 8];
	char local_addr[INET6_ADDRSTRLEN], remote_addr[INET6_ADDRSTRLEN];
	/* a datagram received, and one sent with the marker: apart, since
	 * the initiator sends while it reads what came */
	uint8_t rx[NON_ESP_MARKER + MAX_DATAGRAM];
	uint8_t tx[NON_ESP_MARKER + MAX_DATAGRAM];
};

static void
fail(struct ike_session *s, const char *why)
{
	if (!s->reason[0])
		snprintf(s->reason, sizeof(s->reason), "%s", why);
	s->failed = true;
}

static int
random_bytes(void *arg, uint8_t *buf, size_t len)
{
	(void)arg;
	return RAND_bytes(buf, (int)len) == 1 ? 0 : TNC_EINVALID;
}

/* "ADDR[PORT]" and "ADDR" (addr, INET6_ADDRSTRLEN) of a socket address,
 * and the initiator's endpoint form. */
static void
endpoint_of(const struct sockaddr_storage *a, char *text, size_t size, char *addr,
    struct ike_initiator_endpoint *ep)
{
	memset(ep, 0, sizeof(*ep));
	if (a->ss_family == AF_INET) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)a;
		ep->addr_len = 4;
		memcpy(ep->addr, &in->sin_addr, 4);
		ep->port = ntohs(in->sin_port);
		inet_ntop(AF_INET, &in->sin_addr, addr, INET6_ADDRSTRLEN);
	} else {
		const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)a;
		ep->addr_len = 16;
		memcpy(ep->addr, &in6->sin6_addr, 16);
		ep->port = ntohs(in6->sin6_port);
		inet_ntop(AF_INET6, &in6->sin6_addr, addr, INET6_ADDRSTRLEN);
	}
	snprintf(text, size, "%s[%u]", addr, ep->port);
}

static void
set_port(struct sockaddr_storage *a, uint16_t port)
{
	if (a->ss_family == AF_INET)
		((struct sockaddr_in *)a)->sin_port = htons(port);
	else
		((struct sockaddr_in6 *)a)->sin6_port = htons(port);
}

/* A UDP socket connected to s->peer; the local end into s->local. */
static int
connect_socket(struct ike_session *s, struct ike_initiator_endpoint *local,
    struct ike_initiator_endpoint *remote)
{
	struct sockaddr_storage me;
	socklen_t len = sizeof(me);

	int fd = socket(s->peer.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&s->peer, s->peer_len) != 0 ||
	    getsockname(fd, (struct sockaddr *)&me, &len) != 0) {
		LOG(NET, 0, "cannot reach %s: %s", s->cfg.host, strerror(errno));
		if (fd >= 0)
			close(fd);
		return TNC_EINVALID;
	}
	if (s->fd >= 0)
		close(s->fd);
	s->fd = fd;
	endpoint_of(&me, s->local, sizeof(s->local), s->local_addr, local);
	endpoint_of(&s->peer, s->remote, sizeof(s->remote), s->remote_addr, remote);
	return 0;
}

/* RFC 7296 2.23: a NAT in front of us moves the SA to the NAT-T port from
 * IKE_AUTH on (the first message after IKE_SA_INIT, sent from within
 * ike_initiator_receive()). */
static void
maybe_move_to_natt(struct ike_session *s)
{
	struct ike_initiator_endpoint local, remote;

	if (s->natt || !s->ini || !ike_initiator_spi_r(s->ini) || !ike_initiator_nat_local(s->ini))
		return;
	set_port(&s->peer, s->cfg.natt_port);
	if (connect_socket(s, &local, &remote) == 0) {
		s->natt = true;
		LOG(IKE, 1, "local host is behind NAT, switching to port %u", s->cfg.natt_port);
	}
}

static void
on_send(void *arg, const uint8_t *msg, size_t len)
{
	struct ike_session *s = arg;

	maybe_move_to_natt(s);
	const uint8_t *out = msg;
	size_t n = len;
	if (s->natt) {
		if (len > MAX_DATAGRAM - NON_ESP_MARKER) {
			LOG(NET, 0, "a message of %zu bytes does not fit a datagram", len);
			return;
		}
		memset(s->tx, 0, NON_ESP_MARKER);
		memcpy(s->tx + NON_ESP_MARKER, msg, len);
		out = s->tx;
		n = len + NON_ESP_MARKER;
	}
	LOG(NET, 1, "sending packet: from %s to %s (%zu bytes)", s->local, s->remote, len);
	if (send(s->fd, out, n, 0) != (ssize_t)n)
		LOG(NET, 1, "sending to %s failed: %s", s->remote, strerror(errno));
}

static void
on_eap_request(void *arg, struct bytes eap)
{
	struct ike_session *s = arg;

	s->eap_packets++;
	if (s->eap_packets == 1)
		LOG(IKE, 1, "server requested EAP_TTLS authentication");
	/* a refusal ends the conversation through on_eap_done(); a
	 * retransmitted Request is answered again (TNC_EAGAIN) */
	int err = eap_peer_receive(s->eap, eap);
	if (err && err != TNC_EAGAIN)
		LOG(IKE, 2, "EAP packet refused: %s", tnc_strerror(err));
}

static void
on_established(void *arg, const struct ike_initiator_child *child)
{
	struct ike_session *s = arg;

	s->established = true;
	if (child) {
		s->child = *child;
		s->have_child = true;
	}
}

static void
on_failed(void *arg, const char *reason)
{
	fail(arg, reason);
}

static void
on_peer_send(void *arg, struct bytes eap)
{
	struct ike_session *s = arg;

	s->tnc_due = false;
	int err = ike_initiator_eap_response(s->ini, eap, (uint64_t)deadline_now_ms());
	if (err)
		fail(s, ike_initiator_reason(s->ini));
}

static void
on_tnc_start(void *arg, uint8_t type)
{
	struct ike_session *s = arg;

	LOG(IKE, 1, "server requested %s authentication inside the tunnel",
	    type == EAP_TYPE_TNC ? "EAP_TNC" : "EAP_PT_EAP");
	s->tnc_due = true;
}

static void
on_tnc_batch(void *arg, struct bytes batch)
{
	struct ike_session *s = arg;
	uint8_t *copy = malloc(batch.len ? batch.len : 1);

	if (!copy) {
		fail(s, "no memory for a PB-TNC batch");
		return;
	}
	memcpy(copy, batch.ptr, batch.len);
	free(s->batch);
	s->batch = copy;
	s->batch_len = batch.len;
	s->batch_ready = true;
	s->tnc_due = true;
}

static void
on_eap_done(void *arg, bool success, const struct eap_keys *keys, const char *reason)
{
	struct ike_session *s = arg;

	s->eap_ended = true;
	s->eap_ok = success;
	if (!success) {
		char why[256];
		snprintf(why, sizeof(why), "EAP method EAP_TTLS failed: %s", reason);
		LOG(IKE, 0, "%s", why);
		fail(s, why);
		return;
	}
	LOG(IKE, 1, "EAP method EAP_TTLS succeeded, MSK established");
	int err = ike_initiator_eap_done(s->ini, (struct bytes){keys->msk, sizeof(keys->msk)},
	    (uint64_t)deadline_now_ms());
	if (err)
		fail(s, ike_initiator_reason(s->ini));
}

static int
resolve(struct ike_session *s)
{
	struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_DGRAM};
	struct addrinfo *res;

	int rc = getaddrinfo(s->cfg.host, NULL, &hints, &res);
	if (rc != 0) {
		LOG(CFG, 0, "cannot resolve '%s': %s", s->cfg.host, gai_strerror(rc));
		return TNC_EINVALID;
	}
	memcpy(&s->peer, res->ai_addr, res->ai_addrlen);
	s->peer_len = res->ai_addrlen;
	freeaddrinfo(res);
	set_port(&s->peer, s->cfg.port);
	return 0;
}

static int
new_peer(struct ike_session *s)
{
	static const struct eap_peer_ops ops = {on_peer_send, on_tnc_start, on_tnc_batch,
	    on_eap_done, NULL};
	const size_t frag = s->cfg.eap_fragment_size;
	const struct eap_peer_config pc = {
		.identity = s->cfg.identity,
		.md5_secret = s->cfg.md5_secret,
		.trust = s->cfg.trust,
		.server_name = s->cfg.server_name,
		.cert = s->cfg.cert,
		.key = s->cfg.key,
		.max_tls_version = TLS1_2_VERSION,
		.fragment = frag + TTLS_OVERHEAD,
		.max_message = TTLS_MESSAGE_MAX,
		.max_inner = frag + TNC_HEADER_ROOM,
		.tnc_fragment = frag,
		.max_batch = PB_CLIENT_MAX_BATCH,
		.max_round_trips = EAP_ROUND_TRIPS,
	};
	int err = eap_peer_new(&pc, &ops, s, &s->eap);
	if (err)
		LOG(CFG, 0, "the EAP peer refuses its configuration: %s", tnc_strerror(err));
	return err;
}

int
ike_session_open(const struct ike_session_config *cfg, struct ike_session **ret)
{
	static const struct ike_initiator_ops ops = {on_send, on_eap_request, on_established,
	    on_failed};
	struct ike_session *s = calloc(1, sizeof(*s));
	struct ike_initiator_params p = {.random = random_bytes};
	int err;

	*ret = NULL;
	if (!s)
		return -ENOMEM;
	s->fd = -1;
	s->cfg = *cfg;
	const size_t id_len = strlen(cfg->identity);
	s->icfg = (struct ike_initiator_config){
		.ike = ike_props, .ike_count = 2, .esp = esp_props, .esp_count = 2,
		.id_type = strchr(cfg->identity, '@') ? IKEV2_ID_RFC822_ADDR : IKEV2_ID_FQDN,
		.id = {(const uint8_t *)cfg->identity, id_len},
		.tsi = &any4, .tsi_count = 1, .tsr = &any4, .tsr_count = 1,
		.request_vip = cfg->request_vip, .eap_only = !cfg->gateway_cert,
		.trust = cfg->trust, .cert_host = cfg->server_name,
		.hash_algs = cfg->gateway_cert ? sha2_hashes : (struct bytes){NULL, 0},
		.max_msg_len = MAX_DATAGRAM, .max_payloads = MAX_PAYLOADS,
		.fragment_size = cfg->ike_fragment_size, .max_fragments = MAX_FRAGMENTS,
		.retransmit_ms = RETRANSMIT_MS, .max_sends = MAX_SENDS,
	};
	p.cfg = &s->icfg;
	if ((err = resolve(s)) || (err = connect_socket(s, &p.local, &p.remote)) ||
	    (err = new_peer(s)))
		goto fail;
	err = ike_initiator_new(&p, &ops, s, &s->ini);
	if (err) {
		LOG(CFG, 0, "the IKE initiator refuses its configuration: %s", tnc_strerror(err));
		goto fail;
	}
	LOG(IKE, 1, "initiating IKE_SA %s[1] to %s", cfg->name, s->remote_addr);
	err = ike_initiator_start(s->ini, (uint64_t)deadline_now_ms());
	if (err) {
		LOG(IKE, 0, "cannot start IKE_SA_INIT: %s", ike_initiator_reason(s->ini));
		goto fail;
	}
	*ret = s;
	return 0;
fail:
	ike_session_free(s);
	return err;
}

void
ike_session_free(struct ike_session *s)
{
	if (!s)
		return;
	ike_initiator_free(s->ini);
	eap_peer_free(s->eap);
	free(s->batch);
	if (s->fd >= 0)
		close(s->fd);
	free(s);
}

/* One datagram from the responder into the initiator. */
static void
receive_one(struct ike_session *s)
{
	ssize_t n = recv(s->fd, s->rx, sizeof(s->rx), 0);
	if (n <= 0)
		return; /* ICMP unreachable and the like: retransmission covers it */
	const uint8_t *msg = s->rx;
	size_t len = (size_t)n;
	if (s->natt) {
		/* a keepalive, or ESP (a non-zero SPI where the marker is) */
		if (len < NON_ESP_MARKER || memcmp(msg, "\0\0\0\0", NON_ESP_MARKER) != 0)
			return;
		msg += NON_ESP_MARKER;
		len -= NON_ESP_MARKER;
	}
	LOG(NET, 1, "received packet: from %s to %s (%zu bytes)", s->remote, s->local, len);
	if (ike_initiator_receive(s->ini, msg, len, (uint64_t)deadline_now_ms()) != 0)
		LOG(ENC, 1, "message dropped: %s", ike_initiator_reason(s->ini));
}

/* Runs the exchanges until done(s) or a failure; unbounded (a signal's
 * *stop instead) when stop is given: then it looks at *stop at least every
 * STOP_POLL_MS, whether or not the signal interrupted poll(). */
static int
pump(struct ike_session *s, bool (*done)(const struct ike_session *),
    volatile const sig_atomic_t *stop)
{
	while (!done(s)) {
		if (s->failed)
			return TNC_EPEER;
		if (stop && *stop)
			return 0;
		const int64_t now = deadline_now_ms();
		const uint64_t due = ike_initiator_timeout(s->ini, (uint64_t)now);
		if (s->failed || done(s))
			continue;
		int wait = stop ? STOP_POLL_MS : deadline_left_ms();
		if (wait == 0) {
			fail(s, "no answer within the deadline");
			return TNC_ETIMEOUT;
		}
		if (due && (int64_t)due - now < wait)
			wait = (int64_t)due > now ? (int)((int64_t)due - now) : 0;
		struct pollfd pfd = {s->fd, POLLIN, 0};
		int rc = poll(&pfd, 1, wait);
		if (rc < 0 && errno != EINTR) {
			fail(s, strerror(errno));
			return TNC_EPEER;
		}
		if (rc > 0)
			receive_one(s);
	}
	return 0;
}

static bool
tnc_due_or_over(const struct ike_session *s)
{
	return s->tnc_due || s->eap_ended || s->established;
}

int
ike_session_wait_tnc(struct ike_session *s)
{
	int err = pump(s, tnc_due_or_over, NULL);
	if (err == TNC_EPEER)
		return TNC_ENOTFOUND;
	return err ? err : s->tnc_due ? 0 : TNC_ENOTFOUND;
}

static int
transport_send(void *arg, struct bytes batch)
{
	struct ike_session *s = arg;

	if (s->failed)
		return TNC_EPEER;
	int err = eap_peer_tnc_batch(s->eap, batch);
	return err ? err : s->failed ? TNC_EPEER : 0;
}

static bool
batch_or_over(const struct ike_session *s)
{
	return s->batch_ready || s->eap_ended || s->established;
}

static int
transport_recv(void *arg, struct bytes *ret)
{
	struct ike_session *s = arg;

	int err = pump(s, batch_or_over, NULL);
	if (err)
		return err;
	if (!s->batch_ready) {
		fail(s, "the EAP conversation ended without the server's PB-TNC result");
		return TNC_EPEER;
	}
	s->batch_ready = false;
	*ret = (struct bytes){s->batch, s->batch_len};
	return 0;
}

struct pb_transport
ike_session_transport(struct ike_session *s)
{
	return (struct pb_transport){transport_send, transport_recv, s, PB_CLIENT_MAX_BATCH};
}

static bool
is_established(const struct ike_session *s)
{
	return s->established;
}

void
ike_session_ts_text(const struct ike_initiator_ts *t, char *out, size_t size)
{
	char a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN];
	const int af = t->addr_len == 4 ? AF_INET : AF_INET6;

	inet_ntop(af, t->start, a, sizeof(a));
	inet_ntop(af, t->end, b, sizeof(b));
	/* a range that is a prefix is written as strongSwan writes it */
	if (t->addr_len == 4) {
		uint32_t first, last;
		memcpy(&first, t->start, 4);
		memcpy(&last, t->end, 4);
		first = ntohl(first);
		last = ntohl(last);
		uint32_t span = last - first;
		if ((span & (span + 1)) == 0 && (first & span) == 0) {
			int bits = 32;
			for (uint32_t m = span; m; m >>= 1)
				bits--;
			snprintf(out, size, "%s/%d", a, bits);
			return;
		}
	}
	snprintf(out, size, "%s..%s", a, b);
}

int
ike_session_wait_established(struct ike_session *s)
{
	int err = pump(s, is_established, NULL);
	if (err)
		return err;
	const char *signature = ike_initiator_responder_signature(s->ini);
	if (signature) {
		const struct bytes id = ike_initiator_responder_id(s->ini);
		LOG(IKE, 1, "authentication of '%.*s' with %s successful", (int)id.len,
		    id.len ? (const char *)id.ptr : "", signature);
	}
	LOG(IKE, 1, "IKE_SA %s[1] established between %s[%s]...%s", s->cfg.name, s->local_addr,
	    s->cfg.identity, s->remote_addr);
	if (!s->have_child) {
		LOG(IKE, 0, "no CHILD_SA: %s", ike_initiator_reason(s->ini));
		return 0;
	}
	const struct ike_initiator_child *c = &s->child;
	if (c->has_virtual_ip) {
		struct in_addr vip = {htonl(c->virtual_ip)};
		char text[INET_ADDRSTRLEN];
		LOG(IKE, 1, "installing new virtual IP %s",
		    inet_ntop(AF_INET, &vip, text, sizeof(text)));
	}
	char tsi[96] = "-", tsr[96] = "-";
	if (c->tsi_count)
		ike_session_ts_text(&c->tsi[0], tsi, sizeof(tsi));
	if (c->tsr_count)
		ike_session_ts_text(&c->tsr[0], tsr, sizeof(tsr));
	LOG(IKE, 1, "CHILD_SA %s{1} established with SPIs %08x_i %08x_o and TS %s === %s",
	    s->cfg.name, c->spi_in, c->spi_out, tsi, tsr);
	LOG(IKE, 1, "IKE_AUTH took %u round trips", ike_session_auth_round_trips(s));
	return 0;
}

static bool
never(const struct ike_session *s)
{
	(void)s;
	return false;
}

int
ike_session_stay(struct ike_session *s, volatile const sig_atomic_t *stop)
{
	return pump(s, never, stop);
}

static bool
is_closed(const struct ike_session *s)
{
	return ike_initiator_closed(s->ini);
}

void
ike_session_close(struct ike_session *s)
{
	if (!s->established || s->failed)
		return;
	LOG(IKE, 1, "deleting IKE_SA %s[1] between %s[%s]...%s", s->cfg.name, s->local_addr,
	    s->cfg.identity, s->remote_addr);
	if (ike_initiator_close(s->ini, (uint64_t)deadline_now_ms()) != 0) {
		LOG(IKE, 0, "cannot send DELETE: %s", ike_initiator_reason(s->ini));
		return;
	}
	if (pump(s, is_closed, NULL) == 0)
		LOG(IKE, 1, "IKE_SA deleted");
}

bool
ike_session_established(const struct ike_session *s)
{
	return s->established;
}

const struct ike_initiator_child *
ike_session_child(const struct ike_session *s)
{
	return s->have_child ? &s->child : NULL;
}

bool
ike_session_eap_failed(const struct ike_session *s)
{
	return s->eap_ended && !s->eap_ok;
}

unsigned
ike_session_auth_round_trips(const struct ike_session *s)
{
	/* each EAP packet of the responder came in an IKE_AUTH response; the
	 * AUTH exchange after EAP-Success is one more */
	return s->eap_packets + (s->established ? 1u : 0u);
}

const char *
ike_session_reason(const struct ike_session *s)
{
	return s->reason;
}

const char *
ike_session_local(const struct ike_session *s)
{
	return s->local;
}

const char *
ike_session_remote(const struct ike_session *s)
{
	return s->remote;
}
