/* eap_server_auth.c - the tunneled EAP-Identity and EAP-MD5 of the EAP
 * server (see eap_server.h). */
#include "eap_server_int.h"

#include <openssl/err.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <string.h>

#include "eap_md5.h"
#include "sasl_plain.h"

static int
identity_request(struct eap_server *s)
{
	struct wire_writer w;
	wire_writer_init(&w, EAP_TYPE_HEADER_LEN);
	eap_put(&w, &(struct eap_packet){.code = EAP_REQUEST, .id = (uint8_t)(s->inner_id + 1),
	    .type = EAP_TYPE_IDENTITY});
	s->phase = PHASE_IDENTITY;
	int rc = eap_server_send_inner(s, &w);
	wire_writer_clear(&w);
	return rc;
}

static int
md5_start(struct eap_server *s)
{
	if (RAND_bytes(s->challenge, sizeof(s->challenge)) != 1)
		return eap_server_fail(s, TNC_EINVALID, "no random octets for the EAP-MD5 challenge");
	struct wire_writer w;
	wire_writer_init(&w, EAP_TYPE_HEADER_LEN + 1 + sizeof(s->challenge));
	eap_md5_put(&w, EAP_REQUEST, (uint8_t)(s->inner_id + 1),
	    (struct bytes){s->challenge, sizeof(s->challenge)}, (struct bytes){0});
	s->phase = PHASE_MD5;
	int rc = eap_server_send_inner(s, &w);
	wire_writer_clear(&w);
	return rc;
}

/* The identity is known (and authenticated unless EAP-MD5 is off):
 * EAP-TNC next, or success. */
static int
authenticated(struct eap_server *s)
{
	if (s->cfg.tnc_type)
		return eap_server_tnc_start(s);
	eap_server_conclude(s, RESULT_ACCESS);
	return 0;
}

/* Keeps id (what: where it came from; base: the offset of its first
 * octet, for the reason) as the identity: 1-255 octets of UTF-8 without
 * control characters (it goes to the IMVs and the log). */
static int
set_identity(struct eap_server *s, struct bytes id, const char *what, size_t base)
{
	if (id.len == 0)
		return eap_server_fail(s, TNC_EINVALID, "empty %s", what);
	if (id.len > EAP_SERVER_IDENTITY_MAX)
		return eap_server_fail(s, TNC_ETOOLONG, "%s of %zu octets over %u", what, id.len,
		    EAP_SERVER_IDENTITY_MAX);
	for (size_t i = 0; i < id.len; i++)
		if (id.ptr[i] < 0x20 || id.ptr[i] == 0x7f)
			return eap_server_fail(s, TNC_EINVALID,
			    "%s holds a control character at offset %zu", what, base + i);
	if (!sasl_utf8_ok(id))
		return eap_server_fail(s, TNC_EINVALID, "%s is not UTF-8", what);
	memcpy(s->identity, id.ptr, id.len);
	s->identity[id.len] = 0;
	return 0;
}

static int
take_identity(struct eap_server *s, const struct eap_packet *p)
{
	int rc = set_identity(s, p->data, "EAP-Identity", p->data_offset);
	if (rc)
		return rc;
	if (s->cfg.md5_secrets)
		return md5_start(s);
	return authenticated(s);
}

/* The identity a verified client certificate gives (as strongSwan's
 * "authenticated by certificate"): its subject's last commonName, else
 * the whole subject in RFC 2253 form. */
static int
take_certificate(struct eap_server *s, X509 *cert)
{
	const X509_NAME *name = X509_get_subject_name(cert);
	int at = -1;
	for (int i; (i = X509_NAME_get_index_by_NID(name, NID_commonName, at)) >= 0;)
		at = i;
	BIO *dn = NULL;
	unsigned char *cn = NULL;
	struct bytes id = {0};
	if (at >= 0) {
		int len = ASN1_STRING_to_UTF8(&cn,
		    X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, at)));
		if (len >= 0)
			id = (struct bytes){cn, (size_t)len};
	} else if ((dn = BIO_new(BIO_s_mem())) && X509_NAME_print_ex(dn, name, 0, XN_FLAG_RFC2253) >= 0) {
		char *text;
		long len = BIO_get_mem_data(dn, &text);
		if (len >= 0)
			id = (struct bytes){(const uint8_t *)text, (size_t)len};
	}
	int rc = set_identity(s, id, "client certificate subject", 0);
	OPENSSL_free(cn);
	BIO_free(dn);
	ERR_clear_error();
	if (rc)
		return rc;
	s->identity_auth = EAP_SERVER_ID_CERTIFICATE;
	return authenticated(s);
}

int
eap_server_tunnel_start(struct eap_server *s)
{
	X509 *cert = ttls_server_peer_cert(s->ttls);
	if (cert)
		return take_certificate(s, cert);
	return identity_request(s);
}

static int
take_md5(struct eap_server *s, const struct eap_packet *p)
{
	struct eap_md5 m;
	struct parse_error pe = {0};
	int rc = eap_md5_parse(p, &m, &pe);
	if (rc)
		return eap_server_fail_parse(s, rc, "EAP-MD5 Response", &pe);
	struct bytes secret;
	if (eap_secrets_find(s->cfg.md5_secrets,
	    (struct bytes){(const uint8_t *)s->identity, strlen(s->identity)}, &secret) != 0)
		return eap_server_fail(s, TNC_EPEER,
		    "EAP-MD5 authentication of '%s' failed: no secret for this identity", s->identity);
	if (!eap_md5_verify(p->id, secret, (struct bytes){s->challenge, sizeof(s->challenge)},
	    m.value))
		return eap_server_fail(s, TNC_EPEER,
		    "EAP-MD5 authentication of '%s' failed: wrong response", s->identity);
	s->identity_auth = EAP_SERVER_ID_MD5;
	return authenticated(s);
}

int
eap_server_auth_take(struct eap_server *s, const struct eap_packet *p)
{
	return s->phase == PHASE_IDENTITY ? take_identity(s, p) : take_md5(s, p);
}
