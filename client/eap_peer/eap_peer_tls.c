/* eap_peer_tls.c - the EAP peer's TLS client over memory BIOs: the server's
 * certificate verified, the handshake, the tunneled EAP-Message AVPs both
 * ways, the keys (see eap_peer.h). */
#include "eap_peer_int.h"

#include <arpa/inet.h>
#include <errno.h>
#include <openssl/err.h>
#include <openssl/x509v3.h>
#include <stdio.h>

#include "eap_ttls.h"

/* An EAP-Message AVP's header and padding around a tunneled EAP packet. */
#define AVP_OVERHEAD (TTLS_AVP_VENDOR_HEADER_LEN + TTLS_AVP_ALIGN)

static void
on_tls_info(const SSL *ssl, int where, int value)
{
	struct eap_peer *p = SSL_get_app_data(ssl);
	if (p && (where & SSL_CB_ALERT) && (where & SSL_CB_READ))
		snprintf(p->alert, sizeof(p->alert), "%s %s", SSL_alert_type_string_long(value),
		    SSL_alert_desc_string_long(value));
}

/* The context: TLS 1.2 up to cfg's version, the server verified against
 * cfg->trust, our certificate if any. */
static SSL_CTX *
make_ctx(const struct eap_peer_config *cfg)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
	if (!ctx)
		return NULL;
	SSL_CTX_set1_cert_store(ctx, cfg->trust);
	SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
	if (SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) != 1 ||
	    SSL_CTX_set_max_proto_version(ctx, cfg->max_tls_version) != 1 ||
	    (cfg->cert && (SSL_CTX_use_certificate(ctx, cfg->cert) != 1 ||
	    SSL_CTX_use_PrivateKey(ctx, cfg->key) != 1 || SSL_CTX_check_private_key(ctx) != 1))) {
		SSL_CTX_free(ctx);
		return NULL;
	}
	return ctx;
}

/* The name or IP address the server's certificate must carry. */
static bool
expect_name(SSL *ssl, const char *name)
{
	uint8_t addr[16];
	if (inet_pton(AF_INET, name, addr) == 1 || inet_pton(AF_INET6, name, addr) == 1)
		return X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), name) == 1;
	return SSL_set1_host(ssl, name) == 1;
}

int
eap_peer_tls_new(struct eap_peer *p, const struct eap_peer_config *cfg)
{
	SSL_CTX *ctx = make_ctx(cfg);
	if (!ctx) {
		ERR_clear_error();
		return TNC_EINVALID;
	}
	p->ssl = SSL_new(ctx);
	SSL_CTX_free(ctx); /* the SSL holds it */
	p->net_in = BIO_new(BIO_s_mem());
	p->net_out = BIO_new(BIO_s_mem());
	if (!p->ssl || !p->net_in || !p->net_out) {
		BIO_free(p->net_in);
		BIO_free(p->net_out);
		p->net_in = p->net_out = NULL;
		ERR_clear_error();
		return -ENOMEM;
	}
	/* A read from an empty memory BIO is "retry", not end of file. */
	BIO_set_mem_eof_return(p->net_in, -1);
	SSL_set_bio(p->ssl, p->net_in, p->net_out);
	SSL_set_connect_state(p->ssl);
	SSL_set_app_data(p->ssl, p);
	SSL_set_info_callback(p->ssl, on_tls_info);
	if (cfg->server_name && !expect_name(p->ssl, cfg->server_name)) {
		ERR_clear_error();
		return TNC_EINVALID;
	}
	return 0;
}

/* The server's alert if it sent one, the verification's verdict on its
 * certificate, else OpenSSL's last queued error. */
static int
fail_tls(struct eap_peer *p, const char *when)
{
	unsigned long e = ERR_peek_last_error();
	ERR_clear_error();
	long verify = SSL_get_verify_result(p->ssl);
	if (p->alert[0])
		return eap_peer_fail(p, TNC_EPEER, "%s: the server sent the TLS alert %s", when,
		    p->alert);
	if (verify != X509_V_OK)
		return eap_peer_fail(p, TNC_EINVALID, "%s: the server's certificate: %s", when,
		    X509_verify_cert_error_string(verify));
	const char *why = e ? ERR_reason_error_string(e) : NULL;
	return eap_peer_fail(p, TNC_EINVALID, "%s: TLS error: %s", when, why ? why : "unknown");
}

int
eap_peer_tls_start(struct eap_peer *p)
{
	int r = SSL_do_handshake(p->ssl);
	if (r == 1 || SSL_get_error(p->ssl, r) != SSL_ERROR_WANT_READ)
		return fail_tls(p, "starting the TLS handshake");
	return 0;
}

/* The one EAP-Message AVP of the server's tunneled data. */
static int
take_tunneled(struct eap_peer *p, struct bytes data)
{
	struct bytes eap;
	struct parse_error pe = {0};
	int rc = ttls_avp_find_eap_message(data, &eap, &pe);
	if (rc)
		return eap_peer_fail_parse(p, rc, "tunneled AVPs", &pe);
	if (eap.len > p->cfg.max_inner)
		return eap_peer_fail(p, TNC_ETOOLONG, "tunneled EAP packet of %zu octets over %zu",
		    eap.len, p->cfg.max_inner);
	struct eap_packet e;
	rc = eap_parse(eap.ptr, eap.len, &e, &pe);
	if (rc)
		return eap_peer_fail_parse(p, rc, "tunneled EAP packet", &pe);
	return eap_peer_inner_take(p, &e);
}

/* Reads the application data of the server's TLS message, if any. */
static int
read_tunnel(struct eap_peer *p)
{
	size_t bound = p->cfg.max_inner + AVP_OVERHEAD;
	struct wire_writer data;
	wire_writer_init(&data, bound);
	uint8_t chunk[4096];
	int rc = 0;
	for (;;) {
		int n = SSL_read(p->ssl, chunk, sizeof(chunk));
		if (n > 0) {
			wire_put_bytes(&data, chunk, (size_t)n);
			if (wire_writer_status(&data)) {
				rc = eap_peer_fail(p, TNC_ETOOLONG, "tunneled data over %zu octets", bound);
				break;
			}
			continue;
		}
		int e = SSL_get_error(p->ssl, n);
		if (e == SSL_ERROR_WANT_READ)
			break;
		if (e == SSL_ERROR_ZERO_RETURN)
			rc = eap_peer_fail(p, TNC_ECLOSED, "the server closed the tunnel (close_notify)");
		else
			rc = fail_tls(p, "reading the tunnel");
		break;
	}
	if (rc == 0 && data.len > 0)
		rc = take_tunneled(p, (struct bytes){data.buf, data.len});
	wire_writer_clear(&data);
	return rc;
}

int
eap_peer_tls_take(struct eap_peer *p, struct bytes msg)
{
	if (msg.len > INT32_MAX || BIO_write(p->net_in, msg.ptr, (int)msg.len) != (int)msg.len)
		return eap_peer_fail(p, -ENOMEM, "cannot buffer the server's TLS data");
	if (p->state == EAP_PEER_HANDSHAKE) {
		int r = SSL_do_handshake(p->ssl);
		if (r != 1) {
			if (SSL_get_error(p->ssl, r) == SSL_ERROR_WANT_READ)
				return 0;
			p->send_alert = true;
			return fail_tls(p, "TLS handshake");
		}
		p->state = EAP_PEER_TUNNEL;
	}
	return read_tunnel(p);
}

int
eap_peer_tls_send_inner(struct eap_peer *p, const struct wire_writer *pkt)
{
	int rc = wire_writer_status(pkt);
	if (rc)
		return eap_peer_fail(p, rc, "cannot encode our tunneled Response");
	if (pkt->len > p->cfg.max_inner)
		return eap_peer_fail(p, TNC_ETOOLONG, "our tunneled EAP packet of %zu octets over %zu",
		    pkt->len, p->cfg.max_inner);
	struct wire_writer avp;
	wire_writer_init(&avp, p->cfg.max_inner + AVP_OVERHEAD);
	ttls_avp_put_eap_message(&avp, (struct bytes){pkt->buf, pkt->len});
	rc = wire_writer_status(&avp);
	if (rc)
		rc = eap_peer_fail(p, rc, "cannot encode the EAP-Message AVP");
	else if (SSL_write(p->ssl, avp.buf, (int)avp.len) != (int)avp.len)
		rc = fail_tls(p, "writing the tunnel");
	wire_writer_clear(&avp);
	return rc;
}

int
eap_peer_tls_keys(struct eap_peer *p, struct eap_keys *ret)
{
	struct eap_ttls_exporter e;
	eap_ttls_exporter(SSL_version(p->ssl) >= TLS1_3_VERSION, &e);
	uint8_t material[EAP_TTLS_KEY_MATERIAL_LEN];
	if (SSL_export_keying_material(p->ssl, material, sizeof(material), e.label, e.label_len,
	    e.context, e.context_len, e.use_context) != 1)
		return fail_tls(p, "exporting the MSK");
	eap_keys_from_material(material, ret);
	OPENSSL_cleanse(material, sizeof(material));
	return 0;
}
