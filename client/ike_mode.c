/* ike_mode.c - tncclient --ikev2 (see ike_mode.h): the credentials, one
 * ike_session with the TNCC (pb_client) on its EAP-TNC transport, the
 * summary and the exit code. */
#include "ike_mode.h"

#include <errno.h>
#include <openssl/pem.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "deadline.h"
#include "ike_session.h"
#include "log.h"
#include "outcome.h"
#include "pb_client.h"
#include "sasl_password.h"

/* The connection's name in the log, as the seeds' road warrior names it. */
#define CONN_NAME "home"
#define CLOSE_WAIT_MS 10000

static volatile sig_atomic_t stop_requested;

static void
on_stop_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

int
ike_mode_parse_target(const char *text, char *buf, size_t size, uint16_t *port)
{
	const char *host = text, *colon = NULL;
	size_t host_len;

	if (text[0] == '[') {
		const char *end = strchr(text, ']');
		if (!end || (end[1] && end[1] != ':'))
			return TNC_EINVALID;
		host = text + 1;
		host_len = (size_t)(end - host);
		colon = end[1] ? end + 1 : NULL;
	} else {
		colon = strchr(text, ':');
		if (colon && strchr(colon + 1, ':'))
			colon = NULL; /* a bare IPv6 address */
		host_len = colon ? (size_t)(colon - text) : strlen(text);
	}
	if (host_len == 0 || host_len >= size)
		return TNC_EINVALID;
	if (colon) {
		char *end;
		errno = 0;
		unsigned long v = strtoul(colon + 1, &end, 10);
		if (!colon[1] || *end || colon[1] == '-' || errno || v == 0 || v > 65535)
			return TNC_EINVALID;
		*port = (uint16_t)v;
	}
	memcpy(buf, host, host_len);
	buf[host_len] = 0;
	return 0;
}

/* The credentials of the EAP peer: trust anchors, client certificate,
 * EAP-MD5 secret. */
struct credentials {
	X509_STORE *trust;
	X509 *cert;
	EVP_PKEY *key;
	struct sasl_password secret;
};

static void
credentials_clear(struct credentials *c)
{
	X509_STORE_free(c->trust);
	X509_free(c->cert);
	EVP_PKEY_free(c->key);
	sasl_password_clear(&c->secret);
}

static int
credentials_load(const struct ike_mode_options *o, struct credentials *c)
{
	char why[512];

	memset(c, 0, sizeof(*c));
	c->trust = X509_STORE_new();
	if (!c->trust)
		return OUTCOME_EXIT_ERROR;
	if (o->ca ? X509_STORE_load_file(c->trust, o->ca) != 1 :
	    X509_STORE_set_default_paths(c->trust) != 1) {
		fprintf(stderr, "tncclient: cannot load the trusted certificates%s%s\n",
		    o->ca ? " of " : "", o->ca ? o->ca : "");
		return OUTCOME_EXIT_USAGE;
	}
	if (o->cert) {
		FILE *f = fopen(o->cert, "r");
		c->cert = f ? PEM_read_X509(f, NULL, NULL, NULL) : NULL;
		if (f)
			fclose(f);
		f = fopen(o->key, "r");
		c->key = f ? PEM_read_PrivateKey(f, NULL, NULL, NULL) : NULL;
		if (f)
			fclose(f);
		if (!c->cert || !c->key) {
			fprintf(stderr, "tncclient: cannot load --cert %s / --key %s\n", o->cert,
			    o->key);
			return OUTCOME_EXIT_USAGE;
		}
	}
	if (o->secret_file &&
	    sasl_password_read_file(o->secret_file, &c->secret, why, sizeof(why)) != 0) {
		fprintf(stderr, "tncclient: %s\n", why);
		return OUTCOME_EXIT_USAGE;
	}
	return 0;
}

/* What the client knows of the SA, after the TNC result's lines. */
static void
print_sa(struct ike_session *s)
{
	if (!ike_session_established(s)) {
		printf("IKE SA: none (%s)\n", ike_session_reason(s));
		return;
	}
	printf("IKE SA: established with %s, %u IKE_AUTH round trips\n", ike_session_remote(s),
	    ike_session_auth_round_trips(s));
	const struct ike_initiator_child *c = ike_session_child(s);
	if (!c) {
		printf("CHILD SA: none\n");
		return;
	}
	if (c->has_virtual_ip)
		printf("virtual IP: %u.%u.%u.%u\n", c->virtual_ip >> 24, (c->virtual_ip >> 16) & 255,
		    (c->virtual_ip >> 8) & 255, c->virtual_ip & 255);
	for (size_t k = 0; k < c->tsi_count || k < c->tsr_count; k++) {
		char tsi[96] = "-", tsr[96] = "-";
		if (k < c->tsi_count)
			ike_session_ts_text(&c->tsi[k], tsi, sizeof(tsi));
		if (k < c->tsr_count)
			ike_session_ts_text(&c->tsr[k], tsr, sizeof(tsr));
		printf("traffic selectors: %s === %s\n", tsi, tsr);
	}
}

/* The exit code: the TNC result's when the server sent one (have_result)
 * or the SA came up without TNC, fail closed when the SA does not carry
 * it; else an EAP authentication failure or an error. */
static int
verdict(struct ike_session *s, const struct outcome *out, bool have_result)
{
	if (have_result || ike_session_established(s)) {
		int rc = outcome_exit_code(out);
		if (rc != OUTCOME_EXIT_NO_ACCESS && !ike_session_child(s))
			return OUTCOME_EXIT_ERROR;
		return rc;
	}
	return ike_session_eap_failed(s) ? OUTCOME_EXIT_AUTH : OUTCOME_EXIT_ERROR;
}

static int
run_session(const struct ike_mode_options *o, const struct credentials *cr,
    const struct os_facts *facts, struct imc_attest *attest, struct imc_swima *swima,
    unsigned *round_trips)
{
	const struct ike_session_config cfg = {
		.host = o->host, .port = o->port, .natt_port = o->natt_port,
		.identity = o->identity,
		.md5_secret = {(const uint8_t *)cr->secret.text, cr->secret.len},
		.trust = cr->trust, .server_name = o->server_name ? o->server_name : o->host,
		.cert = cr->cert, .key = cr->key, .request_vip = o->request_vip,
		.gateway_cert = o->gateway_cert,
		.ike_fragment_size = o->ike_fragment_size, .eap_fragment_size = o->eap_fragment_size,
		.name = CONN_NAME,
	};
	struct ike_session *s;
	struct outcome out;
	bool have_result = false;

	if (o->stay) {
		/* Before the first exchange: a stop that comes while the SA is
		 * still negotiated is kept and served once it is up (the SA is
		 * deleted at once), instead of killing the client half way. */
		struct sigaction sa = {.sa_handler = on_stop_signal, .sa_flags = SA_RESTART};
		sigaction(SIGINT, &sa, NULL);
		sigaction(SIGTERM, &sa, NULL);
	}
	if (ike_session_open(&cfg, &s) != 0) {
		if (!o->quiet)
			printf("access recommendation: none (error: the IKE SA cannot start)\n");
		return OUTCOME_EXIT_ERROR;
	}
	outcome_init(&out);
	int err = ike_session_wait_tnc(s);
	if (err == 0) {
		struct pb_client pb;
		const struct pb_transport t = ike_session_transport(s);
		struct imc_os *imc = imc_os_new(facts, &out);
		pb_client_init(&pb, &t, imc, &out, o->delay_ms);
		pb.attest = attest;
		pb.swima = swima;
		err = pb_client_run(&pb);
		have_result = err == 0;
		imc_os_free(imc);
	}
	if (err == 0 || err == TNC_ENOTFOUND)
		err = ike_session_wait_established(s);
	if (!o->quiet) {
		if (have_result || ike_session_established(s))
			outcome_print(&out, stdout);
		else
			printf("access recommendation: none (error: %s)\n",
			    ike_session_reason(s)[0] ? ike_session_reason(s) : tnc_strerror(err));
		print_sa(s);
		fflush(stdout);
	}
	if (round_trips)
		*round_trips = ike_session_auth_round_trips(s);
	int rc = verdict(s, &out, have_result);
	if (ike_session_established(s)) {
		if (o->stay) {
			LOG(IKE, 1, "keeping IKE_SA %s[1] until SIGINT or SIGTERM", CONN_NAME);
			if (ike_session_stay(s, &stop_requested) != 0)
				LOG(IKE, 0, "IKE_SA %s[1] ended: %s", CONN_NAME, ike_session_reason(s));
		}
		deadline_set(CLOSE_WAIT_MS); /* the DELETE's own bound, whatever is left */
		ike_session_close(s);
	}
	outcome_clear(&out);
	ike_session_free(s);
	return rc;
}

int
ike_mode_run(const struct ike_mode_options *o, const struct os_facts *facts,
    struct imc_attest *attest, struct imc_swima *swima, unsigned *round_trips)
{
	struct credentials cr;

	int rc = credentials_load(o, &cr);
	if (rc == 0)
		rc = run_session(o, &cr, facts, attest, swima, round_trips);
	credentials_clear(&cr);
	return rc;
}
