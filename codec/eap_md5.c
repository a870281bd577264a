/* eap_md5.c - EAP MD5-Challenge Type-Data and response (RFC 3748 5.4). */
#include "eap_md5.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

int
eap_md5_parse(const struct eap_packet *p, struct eap_md5 *ret, struct parse_error *e)
{
	struct wire_reader r;
	struct eap_md5 m;
	uint8_t size;

	if (p->type != EAP_TYPE_MD5 || (p->code != EAP_REQUEST && p->code != EAP_RESPONSE))
		return parse_fail(e, TNC_ETYPE, 0, 0, "not an EAP MD5-Challenge packet");
	wire_reader_init(&r, p->data.ptr, p->data.len);
	if (wire_get_u8(&r, &size))
		return parse_fail(e, TNC_ETRUNCATED, 0, p->data_offset,
		    "MD5-Challenge without Value-Size");
	if (size == 0)
		return parse_fail(e, TNC_EINVALID, 0, p->data_offset, "MD5-Challenge Value-Size 0");
	if (wire_get_bytes(&r, size, &m.value))
		return parse_fail(e, TNC_ETRUNCATED, 0, p->data_offset,
		    "MD5-Challenge Value-Size past the end of the packet");
	if (p->code == EAP_RESPONSE && size != EAP_MD5_RESPONSE_LEN)
		return parse_fail(e, TNC_EINVALID, 0, p->data_offset,
		    "MD5-Challenge response value not 16 octets");
	if (wire_get_bytes(&r, wire_remaining(&r), &m.name))
		return parse_fail(e, TNC_ETRUNCATED, 0, p->data_offset + 1 + size,
		    "MD5-Challenge name truncated");
	*ret = m;
	return 0;
}

void
eap_md5_put(struct wire_writer *w, uint8_t code, uint8_t id, struct bytes value,
    struct bytes name)
{
	size_t start;

	if (value.len == 0 || value.len > UINT8_MAX) {
		wire_writer_fail(w, TNC_EINVALID);
		return;
	}
	start = eap_put_begin(w, code, id, EAP_TYPE_MD5);
	wire_put_u8(w, (uint8_t)value.len);
	wire_put_bytes(w, value.ptr, value.len);
	wire_put_bytes(w, name.ptr, name.len);
	eap_put_end(w, start);
}

int
eap_md5_response(uint8_t id, struct bytes secret, struct bytes challenge,
    uint8_t out[EAP_MD5_RESPONSE_LEN])
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	EVP_MD *md = EVP_MD_fetch(NULL, "MD5", NULL);
	unsigned int n = 0;
	int ok = ctx && md && EVP_DigestInit_ex(ctx, md, NULL) &&
	    EVP_DigestUpdate(ctx, &id, 1) &&
	    EVP_DigestUpdate(ctx, secret.ptr, secret.len) &&
	    EVP_DigestUpdate(ctx, challenge.ptr, challenge.len) &&
	    EVP_DigestFinal_ex(ctx, out, &n) && n == EAP_MD5_RESPONSE_LEN;

	EVP_MD_free(md);
	EVP_MD_CTX_free(ctx);
	return ok ? 0 : TNC_EINVALID;
}

bool
eap_md5_verify(uint8_t id, struct bytes secret, struct bytes challenge, struct bytes response)
{
	uint8_t expect[EAP_MD5_RESPONSE_LEN];
	bool ok;

	if (response.len != EAP_MD5_RESPONSE_LEN ||
	    eap_md5_response(id, secret, challenge, expect) != 0)
		return false;
	ok = CRYPTO_memcmp(expect, response.ptr, EAP_MD5_RESPONSE_LEN) == 0;
	OPENSSL_cleanse(expect, sizeof(expect));
	return ok;
}
