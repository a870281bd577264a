/* test_ikev2_server.c - tnc-ike's IKEv2 responder through the real tncd,
 * driven with datagrams this test builds with the codec: tncd binds the UDP
 * ports and hands them over, IKE_SA_INIT is answered (and a retransmission
 * with the same answer) on port 500 and on the NAT-T port with its non-ESP
 * marker, garbage is dropped with the process alive, and the bounds hold:
 * half-open SAs per address, all SAs, and cookies above the threshold
 * (RFC 7296 2.6) with the echoed cookie accepted. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ikev2.h"
#include "tl_ikev2.h"

#define NATT_MARKER 4

static struct tl_tncd tncd;
static int ike_port, natt_port;

static struct bytes
B(const void *p, size_t n)
{
	return (struct bytes){p, n};
}

/* tncd with IKEv2 on two free ports and extra [ike] keys. */
static void
start(const char *extra)
{
	static char dir[] = "/tmp/tnc-ikev2-XXXXXX";

	ike_port = tl_ikev2_tncd_start(&tncd, dir, extra);
	natt_port = ike_port + 1;
}

/* tnc-ike's "is initiating an IKE_SA" lines in tncd's log once there are
 * at least want, or after 2 s (a line reaches the log through tncd after
 * the answer has left). */
static int
initiating_lines(int want)
{
	return tl_log_count_reaching(&tncd, "is initiating an IKE_SA", want, 2000);
}

/* An IKE_SA_INIT request of SPIi spi: AES-GCM-256, PRF-HMAC-SHA2-256,
 * Curve25519 (any 32 octets are a public value), with a cookie first when
 * one is given. */
static size_t
build_init(uint64_t spi, struct bytes cookie, uint8_t *out, size_t size)
{
	static const struct ikev2_transform_spec t[] = {
		{IKEV2_TRANS_ENCR, 20, 256}, {IKEV2_TRANS_PRF, 5, 0}, {IKEV2_TRANS_DH, 31, 0},
	};
	struct ikev2_proposal_spec prop = {1, IKEV2_PROTO_IKE, {NULL, 0}, t, 3};
	struct ikev2_header h = {.spi_i = spi, .major = 2, .exchange = IKEV2_IKE_SA_INIT,
	    .flags = IKEV2_FLAG_INITIATOR};
	uint8_t ke[32], nonce[32];
	struct ikev2_builder b;
	struct bytes msg;

	/* the same for the same spi: a request sent again with a cookie must
	 * be the same request (the cookie covers its nonce) */
	for (size_t i = 0; i < sizeof(nonce); i++) {
		ke[i] = (uint8_t)(spi * 31 + i + 1);
		nonce[i] = (uint8_t)(spi * 17 + i);
	}
	ikev2_builder_init(&b, &h, size);
	if (cookie.len)
		ikev2_builder_add_notify(&b, 0, B(NULL, 0), IKEV2_N_COOKIE, cookie);
	ikev2_builder_add_sa(&b, &prop, 1);
	ikev2_builder_add_ke(&b, 31, B(ke, sizeof(ke)));
	ikev2_builder_add_nonce(&b, B(nonce, sizeof(nonce)));
	ck_assert_int_eq(ikev2_builder_finish(&b, &msg), 0);
	memcpy(out, msg.ptr, msg.len);
	ikev2_builder_clear(&b);
	return msg.len;
}

/* A UDP socket on 127.0.0.1 (its own port). */
static int
client(void)
{
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	return fd;
}

static void
send_to(int fd, int port, const uint8_t *msg, size_t len)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port),
	    .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	ck_assert_int_eq(sendto(fd, msg, len, 0, (struct sockaddr *)&a, sizeof(a)), (ssize_t)len);
}

/* The next datagram within ms, its length; 0 when none came. */
static size_t
receive(int fd, uint8_t *buf, size_t size, int ms)
{
	struct pollfd p = {fd, POLLIN, 0};
	if (poll(&p, 1, ms) != 1)
		return 0;
	ssize_t n = recv(fd, buf, size, 0);
	ck_assert_int_gt(n, 0);
	return (size_t)n;
}

/* Checks that buf is the IKE_SA_INIT response to spi with SA, KE and
 * Nonce; returns its SPIr. */
static uint64_t
check_init_response(const uint8_t *buf, size_t len, uint64_t spi)
{
	struct ikev2_limits lim = {65535, 64};
	struct ikev2_msg m;
	struct parse_error pe;
	struct ikev2_iter it;
	struct ikev2_payload p;
	bool sa = false, ke = false, nonce = false;

	ck_assert_msg(ikev2_msg_parse(buf, len, &lim, &m, &pe) == 0, "response at %u: %s",
	    pe.offset, pe.reason ? pe.reason : "?");
	ck_assert_int_eq(m.hdr.exchange, IKEV2_IKE_SA_INIT);
	ck_assert(m.hdr.flags & IKEV2_FLAG_RESPONSE);
	ck_assert(m.hdr.spi_i == spi);
	ck_assert(m.hdr.spi_r != 0);
	ikev2_iter_init(&it, &m.chain);
	while (ikev2_iter_next(&it, &p)) {
		sa |= p.type == IKEV2_PL_SA;
		ke |= p.type == IKEV2_PL_KE;
		nonce |= p.type == IKEV2_PL_NONCE;
	}
	ck_assert(sa && ke && nonce);
	return m.hdr.spi_r;
}

/* Sends a new IKE_SA_INIT of spi; true when it was answered (checked). */
static bool
init_answered(int fd, uint64_t spi)
{
	uint8_t req[1024], resp[4096];
	size_t len = build_init(spi, B(NULL, 0), req, sizeof(req));
	send_to(fd, ike_port, req, len);
	size_t n = receive(fd, resp, sizeof(resp), 2000);
	if (n)
		check_init_response(resp, n, spi);
	return n != 0;
}

START_TEST(init_answered_and_retransmission_gets_the_same_answer)
{
	uint8_t req[1024], resp[4096], again[4096];
	char line[256];
	struct sockaddr_in me;
	socklen_t melen = sizeof(me);

	start(NULL);
	int fd = client();
	ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&me, &melen), 0);
	size_t len = build_init(0x0102030405060708ull, B(NULL, 0), req, sizeof(req));
	send_to(fd, ike_port, req, len);
	size_t n = receive(fd, resp, sizeof(resp), 3000);
	ck_assert_msg(n > 0, "no answer to IKE_SA_INIT (log %s)", tncd.log);
	uint64_t spi_r = check_init_response(resp, n, 0x0102030405060708ull);

	/* RFC 7296 2.1: the same request again gets the same response */
	send_to(fd, ike_port, req, len);
	size_t n2 = receive(fd, again, sizeof(again), 3000);
	ck_assert_uint_eq(n2, n);
	ck_assert(memcmp(again, resp, n) == 0);
	ck_assert(check_init_response(again, n2, 0x0102030405060708ull) == spi_r);

	/* the seeds' lines */
	snprintf(line, sizeof(line), "[NET] received packet: from 127.0.0.1[%u] to 127.0.0.1[%d] "
	    "(%zu bytes)", ntohs(me.sin_port), ike_port, len);
	ck_assert_msg(tl_log_contains(&tncd, line, 2000), "no '%s' in %s", line, tncd.log);
	ck_assert(tl_log_contains(&tncd, "[ENC] parsed IKE_SA_INIT request 0 [ SA KE No ]", 2000));
	ck_assert(tl_log_contains(&tncd, "[IKE] 127.0.0.1 is initiating an IKE_SA", 2000));
	ck_assert(tl_log_contains(&tncd, "[ENC] generating IKE_SA_INIT response 0 [ SA KE No",
	    2000));
	ck_assert_int_eq(initiating_lines(1), 1);
	close(fd);
	tl_tncd_stop(&tncd);
}
END_TEST

/* Over IPv6 (where the host has it): tncd binds [::] as well. */
START_TEST(init_answered_over_ipv6)
{
	uint8_t req[1024], resp[4096];
	struct sockaddr_in6 me = {.sin6_family = AF_INET6, .sin6_addr = IN6ADDR_LOOPBACK_INIT};
	int fd = socket(AF_INET6, SOCK_DGRAM, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&me, sizeof(me)) != 0) {
		fprintf(stderr, "SKIP: no IPv6 loopback here\n");
		return;
	}
	start(NULL);
	ck_assert(tl_log_contains(&tncd, "receiving IKEv2 (NAT-T) on [::]:", 5000));
	struct sockaddr_in6 to = {.sin6_family = AF_INET6, .sin6_port = htons((uint16_t)ike_port),
	    .sin6_addr = IN6ADDR_LOOPBACK_INIT};
	size_t len = build_init(0x6666ull, B(NULL, 0), req, sizeof(req));
	ck_assert_int_eq(sendto(fd, req, len, 0, (struct sockaddr *)&to, sizeof(to)), (ssize_t)len);
	size_t n = receive(fd, resp, sizeof(resp), 3000);
	ck_assert_msg(n > 0, "no answer over IPv6 (log %s)", tncd.log);
	check_init_response(resp, n, 0x6666ull);
	ck_assert(tl_log_contains(&tncd, "[IKE] ::1 is initiating an IKE_SA", 2000));
	char line[128];
	snprintf(line, sizeof(line), "to ::1[%d] (%zu bytes)", ike_port, len);
	ck_assert_msg(tl_log_contains(&tncd, line, 2000), "no '%s' in %s", line, tncd.log);
	close(fd);
	tl_tncd_stop(&tncd);
}
END_TEST

START_TEST(natt_port_strips_and_adds_the_marker)
{
	uint8_t req[1024 + NATT_MARKER] = {0}, resp[4096];

	start(NULL);
	int fd = client();
	size_t len = build_init(0x1111222233334444ull, B(NULL, 0), req + NATT_MARKER,
	    sizeof(req) - NATT_MARKER);
	send_to(fd, natt_port, req, len + NATT_MARKER);
	size_t n = receive(fd, resp, sizeof(resp), 3000);
	ck_assert_msg(n > NATT_MARKER, "no answer on the NAT-T port (log %s)", tncd.log);
	ck_assert(memcmp(resp, "\0\0\0\0", NATT_MARKER) == 0);
	check_init_response(resp + NATT_MARKER, n - NATT_MARKER, 0x1111222233334444ull);

	/* a NAT-keepalive and an ESP packet are not answered */
	uint8_t keepalive = 0xff, esp[64] = {0xc1, 0xc2, 0xc3, 0xc4};
	send_to(fd, natt_port, &keepalive, 1);
	send_to(fd, natt_port, esp, sizeof(esp));
	ck_assert_uint_eq(receive(fd, resp, sizeof(resp), 500), 0);
	ck_assert(tl_log_contains(&tncd, "dropping ESP-in-UDP on the NAT-T port", 2000));
	close(fd);
	tl_tncd_stop(&tncd);
}
END_TEST

START_TEST(garbage_is_dropped_and_the_responder_lives)
{
	uint8_t junk[64], resp[4096], req[1024];

	start(NULL);
	int fd = client();
	int pid = tl_child_pid(&tncd, "tnc-ike");
	memset(junk, 0x5a, sizeof(junk));
	send_to(fd, ike_port, junk, 10);             /* shorter than a header */
	send_to(fd, ike_port, junk, sizeof(junk));   /* an SPIr nobody has */
	size_t len = build_init(0x77ull, B(NULL, 0), req, sizeof(req));
	req[19] |= IKEV2_FLAG_RESPONSE;              /* a "response" without SPIr */
	send_to(fd, ike_port, req, len);
	req[19] &= (uint8_t)~IKEV2_FLAG_RESPONSE;
	req[27] = 0;                                 /* the header's length is wrong */
	send_to(fd, ike_port, req, len);
	ck_assert_uint_eq(receive(fd, resp, sizeof(resp), 500), 0);
	ck_assert(init_answered(fd, 0x78ull));
	ck_assert_int_eq(tl_child_pid(&tncd, "tnc-ike"), pid);
	close(fd);
	tl_tncd_stop(&tncd);
}
END_TEST

START_TEST(half_open_per_address_bound)
{
	start("ikev2_max_half_open_per_address = 3\n");
	int fd = client();
	for (uint64_t spi = 1; spi <= 3; spi++)
		ck_assert_msg(init_answered(fd, spi), "IKE_SA_INIT %u not answered", (unsigned)spi);
	ck_assert(!init_answered(fd, 4));
	ck_assert(tl_log_contains(&tncd, "ignoring IKE_SA_INIT from 127.0.0.1[", 2000));
	ck_assert(tl_log_contains(&tncd, "max_half_open_per_address half-open IKE SAs from that "
	    "address", 2000));
	static char metrics[65536];
	ck_assert_int_eq(tl_sh(metrics, sizeof(metrics), "%s/tncctl -s %s metrics", TNC_BIN_DIR,
	    tncd.sock), 0);
	ck_assert_msg(strstr(metrics,
	    "tnc_ike_sa_refused_total{reason=\"half_open_address_limit\"} 1"), "%s", metrics);
	close(fd);
	tl_tncd_stop(&tncd);
}
END_TEST

/* A half-open SA lives ikev2_auth_timeout, then goes: its slot is free. */
START_TEST(half_open_sa_closed_at_the_auth_timeout)
{
	start("ikev2_max_half_open_per_address = 1\nikev2_auth_timeout = 2\n");
	int fd = client();
	ck_assert(init_answered(fd, 1));
	ck_assert(!init_answered(fd, 2));
	ck_assert_msg(tl_log_contains(&tncd, "closed: not established in time", 4000),
	    "no close at the auth timeout (log %s)", tncd.log);
	ck_assert_msg(init_answered(fd, 3), "the closed SA's half-open slot is still taken");
	close(fd);
	tl_tncd_stop(&tncd);
}
END_TEST

START_TEST(all_sas_bound)
{
	start("ikev2_max_sas = 2\n");
	int fd = client();
	ck_assert(init_answered(fd, 1));
	ck_assert(init_answered(fd, 2));
	ck_assert(!init_answered(fd, 3));
	ck_assert(tl_log_contains(&tncd, "max_sas IKE SAs exist", 2000));
	close(fd);
	tl_tncd_stop(&tncd);
}
END_TEST

START_TEST(cookies_above_the_threshold)
{
	uint8_t req[1024], resp[4096];
	struct ikev2_limits lim = {65535, 64};
	struct ikev2_msg m;
	struct parse_error pe;
	struct ikev2_iter it;
	struct ikev2_payload p;
	uint8_t cookie[IKEV2_COOKIE_MAX];
	size_t cookie_len = 0;

	start("ikev2_cookie_threshold = 2\n");
	int fd = client();
	ck_assert(init_answered(fd, 1));
	ck_assert(init_answered(fd, 2));
	/* two half-open: the third initiator is asked for a cookie */
	size_t len = build_init(3, B(NULL, 0), req, sizeof(req));
	send_to(fd, ike_port, req, len);
	size_t n = receive(fd, resp, sizeof(resp), 2000);
	ck_assert_uint_gt(n, 0);
	ck_assert_int_eq(ikev2_msg_parse(resp, n, &lim, &m, &pe), 0);
	ck_assert(m.hdr.spi_r == 0);
	ikev2_iter_init(&it, &m.chain);
	while (ikev2_iter_next(&it, &p))
		if (p.type == IKEV2_PL_NOTIFY && p.u.notify.type == IKEV2_N_COOKIE) {
			memcpy(cookie, p.u.notify.data.ptr, p.u.notify.data.len);
			cookie_len = p.u.notify.data.len;
		}
	ck_assert_uint_gt(cookie_len, 0);
	ck_assert_int_eq(initiating_lines(2), 2);
	/* echoed, the request is taken */
	len = build_init(3, B(cookie, cookie_len), req, sizeof(req));
	send_to(fd, ike_port, req, len);
	n = receive(fd, resp, sizeof(resp), 2000);
	ck_assert_uint_gt(n, 0);
	check_init_response(resp, n, 3);
	ck_assert_int_eq(initiating_lines(3), 3);
	close(fd);
	tl_tncd_stop(&tncd);
}
END_TEST

/* tncd --check-config knows the IKEv2 keys: the secrets file only matters
 * with ikev2 = yes; a prefix is checked on its line; ikev2_kernel = xfrm
 * needs tnc-xfrm.  Cases with secrets start with "[ike]" and a valid
 * eap_secrets line (their own lines count from 3). */
START_TEST(check_config_knows_the_keys)
{
	static char dir[] = "/tmp/tnc-ikev2-conf-XXXXXX";
	char out[4096];
	static const struct {
		const char *text, *expect; /* NULL: valid */
		bool secrets;
	} cases[] = {
		{"ikev2 = yes\n[xfrm]\nenabled = no\n", "ikev2_kernel: xfrm, but [xfrm] is not "
		    "enabled: set ikev2_kernel = none", true},
		{"ikev2 = yes\nikev2_kernel = none\n[xfrm]\nenabled = no\n", NULL, true},
		{"ikev2 = yes\nikev2_kernel = xfrm\nikev2_dpd_delay = 0\n", NULL, true},
		{"ikev2 = no\n[xfrm]\nenabled = no\n", NULL, true},
		{"[ike]\nikev2_kernel = netkey\n", ":2: ikev2_kernel: not one of the allowed words",
		    false},
		{"[ike]\nikev2_dpd_delay = 86401\n", ":2: ikev2_dpd_delay: not a number from 0 to "
		    "86400", false},
		{"[ike]\nikev2 = yes\neap_secrets = /nonexistent/eap\n",
		    ":3: [ike] eap_secrets: /nonexistent/eap: cannot open", false},
		{"[ike]\nikev2 = no\neap_secrets = /nonexistent/eap\n", NULL, false},
		{"[ike]\nrw_allow_ts = 10.1.0.0\n", ":2: rw_allow_ts: must be an IPv4 prefix", false},
		{"[ike]\nrw_isolate_pool = 10.9.0.0/33\n", ":2: rw_isolate_pool: must be an IPv4",
		    false},
		{"[ike]\nrw_isolate_pool = 10.9.0.0/24\nikev2_natt_port = 4501\n", NULL, false},
		{"[ike]\nikev2_fragment_size = 100\n", ":2: ikev2_fragment_size: not a number from "
		    "576 to 65000", false},
		{"[ike]\neap_tnc = tnccs\n", ":2: eap_tnc: not one of the allowed words", false},
		{"[ike]\nikev2_auth_timeout = 1\n", ":2: ikev2_auth_timeout: not a number from 2 "
		    "to 600", false},
		{"[ike]\nikev2_child_lifetime = 59\n", ":2: ikev2_child_lifetime: not a number from "
		    "60 to 86400", false},
		{"[ike]\nikev2_ike_lifetime = 604801\n", ":2: ikev2_ike_lifetime: not a number from "
		    "300 to 604800", false},
		{"[ike]\nikev2_ike_lifetime = 300\nikev2_child_lifetime = 60\n", NULL, false},
	};

	tl_mkdtemp(dir);
	char secrets[256];
	tl_ikev2_secret_file(dir, "eap-secrets", TL_IKEV2_SECRETS_LINE, secrets, sizeof(secrets));
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char path[256];
		snprintf(path, sizeof(path), "%s/%zu.conf", dir, i);
		FILE *f = fopen(path, "w");
		ck_assert_ptr_nonnull(f);
		if (cases[i].secrets)
			fprintf(f, "[ike]\neap_secrets = %s\n", secrets);
		fputs(cases[i].text, f);
		fclose(f);
		int rc = tl_sh(out, sizeof(out), "%s/tncd --check-config --config %s 2>&1",
		    TNC_BIN_DIR, path);
		if (!cases[i].expect) {
			ck_assert_msg(rc == 0, "case %zu refused: %s", i, out);
		} else {
			ck_assert_msg(rc != 0 && strstr(out, cases[i].expect), "case %zu: %d %s", i,
			    rc, out);
		}
	}
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("ikev2_server");
	TCase *tc = tcase_create("udp");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, init_answered_and_retransmission_gets_the_same_answer);
	tcase_add_test(tc, init_answered_over_ipv6);
	tcase_add_test(tc, natt_port_strips_and_adds_the_marker);
	tcase_add_test(tc, garbage_is_dropped_and_the_responder_lives);
	tcase_add_test(tc, half_open_per_address_bound);
	tcase_add_test(tc, half_open_sa_closed_at_the_auth_timeout);
	tcase_add_test(tc, all_sas_bound);
	tcase_add_test(tc, cookies_above_the_threshold);
	tcase_add_test(tc, check_config_knows_the_keys);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tl_run_suite(suite());
}
