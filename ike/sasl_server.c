/* sasl_server.c - PT-TLS SASL PLAIN in tnc-ike (see sasl_server.h). */
#include "sasl_server.h"

#include <sodium.h>
#include <string.h>

#include "ike_metrics.h"
#include "log.h"
#include "pt_tls.h"
#include "sasl_credentials.h"
#include "sasl_plain.h"
#include "sasl_rate.h"

static struct {
	bool required;
	struct sasl_creds creds;
	char dummy[crypto_pwhash_STRBYTES]; /* verified for unknown users */
} sv;

int
sasl_server_init(const struct ike_settings *s)
{
	char err[512];
	uint8_t secret[32];

	sv.required = strcmp(s->sasl, "plain") == 0;
	if (!sv.required)
		return 0;
	if (sodium_init() < 0) {
		LOG_ERR(TNC, "SASL: libsodium cannot be initialised");
		return -1;
	}
	if (sasl_creds_load(s->sasl_credentials, &sv.creds, err, sizeof(err)) != 0) {
		LOG_ERR(TNC, "SASL: %s", err);
		return -1;
	}
	/* a hash of a random secret nobody knows, at tncadm's cost */
	randombytes_buf(secret, sizeof(secret));
	if (crypto_pwhash_str_alg(sv.dummy, (const char *)secret, sizeof(secret),
	    SASL_CREDS_OPSLIMIT, SASL_CREDS_MEMLIMIT, crypto_pwhash_ALG_ARGON2ID13) != 0) {
		LOG_ERR(TNC, "SASL: cannot make a password hash (out of memory)");
		return -1;
	}
	sodium_memzero(secret, sizeof(secret));
	sasl_rate_init(s->sasl_per_address, s->sasl_total);
	if (sv.creds.n == 0)
		LOG_WARN(TNC, "SASL PLAIN required but %s lists no user: every client is refused",
		    s->sasl_credentials);
	LOG(TNC, 1, "SASL PLAIN required; %zu users from %s; at most %u password verifications "
	    "per second from one address, %u from all", sv.creds.n, s->sasl_credentials,
	    s->sasl_per_address, s->sasl_total);
	return 0;
}

bool
sasl_server_required(void)
{
	return sv.required;
}

struct bytes
sasl_server_mechanism(void)
{
	return (struct bytes){(const uint8_t *)SASL_PLAIN_MECHANISM, strlen(SASL_PLAIN_MECHANISM)};
}

/* b for a log line: printable ASCII as it is, every other octet as \xNN
 * (a name must not be able to forge a log line). */
static const char *
printable(struct bytes b, char *out, size_t size)
{
	size_t o = 0;
	for (size_t i = 0; i < b.len && o + 5 < size; i++) {
		uint8_t ch = b.ptr[i];
		if (ch >= 0x20 && ch < 0x7f && ch != '\\')
			out[o++] = (char)ch;
		else
			o += (size_t)snprintf(out + o, size - o, "\\x%02x", ch);
	}
	out[o] = 0;
	return out;
}

enum sasl_verdict
sasl_server_check(struct ptconn *c, struct bytes plain, uint64_t now_ms, uint16_t *ret_code)
{
	char user[4 * SASL_PLAIN_FIELD_MAX + 1];
	const char *peer = tls_conn_peer(c->tls);
	struct sasl_plain p;
	struct parse_error pe;
	bool whole, first;

	*ret_code = PT_TLS_SASL_FAILURE;
	if (sasl_plain_parse(plain, &p, &pe) != 0) {
		LOG_WARN(TNC, "Connection ID %u (%s): SASL PLAIN message refused at offset %u: %s",
		    c->link.entry.id, peer, pe.offset, pe.reason);
		ike_metrics_refused("sasl_malformed");
		*ret_code = PT_TLS_SASL_MECHANISM_FAILURE;
		return SASL_FAILURE;
	}
	printable(p.authcid, user, sizeof(user));
	if (!sasl_plain_authzid_ok(&p)) {
		LOG_WARN(TNC, "Connection ID %u (%s): SASL PLAIN user '%s' refused: it asks to act "
		    "for another identity", c->link.entry.id, peer, user);
		ike_metrics_refused("sasl_failed");
		return SASL_FAILURE;
	}
	if (sasl_rate_take(&c->source, now_ms, &whole, &first) != 0) {
		if (first)
			LOG_WARN(TNC, "Connection ID %u (%s): SASL PLAIN user '%s' refused unchecked: "
			    "%s had its password verifications of this second (further refusals "
			    "this second are not logged)", c->link.entry.id, peer, user,
			    whole ? "every address together" : "that address");
		ike_metrics_refused("sasl_rate_limit");
		return SASL_FAILURE;
	}
	const struct sasl_cred *cred = sasl_creds_find(&sv.creds, p.authcid.ptr, p.authcid.len);
	/* the same work whether or not the user exists */
	bool match = crypto_pwhash_str_verify(cred ? cred->hash : sv.dummy,
	    (const char *)p.passwd.ptr, p.passwd.len) == 0;
	if (!cred || !match) {
		LOG_WARN(TNC, "Connection ID %u (%s): SASL PLAIN user '%s' refused: %s", c->link.entry.id,
		    peer, user, cred ? "wrong password" : "unknown user");
		ike_metrics_refused("sasl_failed"); /* one reason: no user enumeration */
		return SASL_FAILURE;
	}
	memcpy(c->sasl_user, p.authcid.ptr, p.authcid.len);
	c->sasl_user[p.authcid.len] = 0;
	LOG(TNC, 1, "Connection ID %u (%s): SASL PLAIN authenticated user '%s'", c->link.entry.id, peer,
	    user);
	return SASL_SUCCESS;
}
