/* pt_tls_client.c - PT-TLS client (see pt_tls_client.h; RFC 6876 3.5-3.9).
 *
 * Receiving: pt_tls_deframe() refuses a bad Message Length before the
 * buffer grows for it; pt_tls_parse() validates the whole message.  An
 * unknown message type is answered with Type Not Supported and skipped
 * (RFC 6876 3.9.1); every other defect is answered with the PT-TLS Error the
 * codec names and ends the connection.  Diagnostics: TNC subsystem.
 */
#include "pt_tls_client.h"

#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "pt_tls.h"
#include "sasl_plain.h"

#define READ_CHUNK 16384
/* How much of an offending message a PT-TLS Error copies back. */
#define ERROR_COPY_MAX 1024

void
pt_tls_client_init(struct pt_tls_client *c, struct tls_client *tls)
{
	memset(c, 0, sizeof(*c));
	c->tls = tls;
}

void
pt_tls_client_clear(struct pt_tls_client *c)
{
	free(c->rx);
	memset(c, 0, sizeof(*c));
}

static const char *
type_name(uint32_t vendor, uint32_t type)
{
	return pt_tls_msg_type_name(vendor, type);
}

/* Sends the message w holds (put_err: the encoder's result). */
static int
transmit(struct pt_tls_client *c, const struct wire_writer *w, int put_err, uint32_t type)
{
	if (put_err)
		return put_err;
	LOG(TNC, 2, "sending PT-TLS message #%u of type '%s' (%zu bytes)", c->next_id,
	    type_name(PT_TLS_VENDOR_IETF, type), w->len);
	c->next_id++;
	return tls_client_write(c->tls, w->buf, w->len);
}

/* transmit(), then frees w. */
static int
send_msg(struct pt_tls_client *c, struct wire_writer *w, int put_err, uint32_t type)
{
	int err = transmit(c, w, put_err, type);
	wire_writer_clear(w);
	return err;
}

static void
send_error(struct pt_tls_client *c, uint32_t code, const uint8_t *msg, size_t len)
{
	struct wire_writer w;
	uint32_t id = c->next_id;

	wire_writer_init(&w, PT_TLS_HEADER_LEN + 12 + ERROR_COPY_MAX);
	LOG(TNC, 1, "sending PT-TLS error '%s'", pt_tls_error_code_name(PT_TLS_VENDOR_IETF, code));
	int err = pt_tls_put_error(&w, id, PT_TLS_VENDOR_IETF, code,
	    (struct bytes){msg, len < ERROR_COPY_MAX ? len : ERROR_COPY_MAX});
	(void)send_msg(c, &w, err, PT_TLS_ERROR);
}

/* Makes room for need octets in the receive buffer. */
static void
reserve(struct pt_tls_client *c, size_t need)
{
	if (need <= c->rx_cap)
		return;
	size_t cap = c->rx_cap ? c->rx_cap : READ_CHUNK;
	while (cap < need)
		cap *= 2;
	uint8_t *p = realloc(c->rx, cap);
	if (!p)
		abort();
	c->rx = p;
	c->rx_cap = cap;
}

/* One complete message at c->rx[0..*ret_len). */
static int
next_frame(struct pt_tls_client *c, size_t *ret_len)
{
	for (;;) {
		size_t need, got;
		struct parse_error pe;
		int err = pt_tls_deframe(c->rx, c->rx_len, PT_TLS_CLIENT_MAX_MSG, &need, &pe);
		if (err == 0) {
			*ret_len = need;
			return 0;
		}
		if (err != TNC_EAGAIN) {
			LOG(TNC, 0, "PT-TLS message length from the server refused: %s "
			    "(at offset %u)", pe.reason ? pe.reason : tnc_strerror(err), pe.offset);
			send_error(c, pe.code, c->rx, c->rx_len);
			return err;
		}
		reserve(c, need > c->rx_len + READ_CHUNK ? need : c->rx_len + READ_CHUNK);
		err = tls_client_read(c->tls, c->rx + c->rx_len, c->rx_cap - c->rx_len, &got);
		if (err == TNC_ECLOSED && c->rx_len > 0)
			LOG(TNC, 0, "the server closed the connection inside a PT-TLS message");
		else if (err == TNC_ECLOSED)
			LOG(TNC, 0, "the server closed the connection");
		if (err)
			return err;
		c->rx_len += got;
	}
}

/* The next message other than one of a type we do not know. */
static int
recv_msg(struct pt_tls_client *c, struct pt_tls_msg *ret)
{
	for (;;) {
		size_t len;
		struct parse_error pe;

		if (c->consumed) {
			memmove(c->rx, c->rx + c->consumed, c->rx_len - c->consumed);
			c->rx_len -= c->consumed;
			c->consumed = 0;
		}
		int err = next_frame(c, &len);
		if (err)
			return err;
		c->consumed = len;
		err = pt_tls_parse(c->rx, len, ret, &pe);
		if (err == TNC_ETYPE) {
			/* RFC 6876 3.9.1: answered, the session goes on */
			LOG(TNC, 1, "PT-TLS message of unknown type from the server (%s at "
			    "offset %u): ignored", pe.reason ? pe.reason : tnc_strerror(err),
			    pe.offset);
			send_error(c, pe.code, c->rx, len);
			continue;
		}
		if (err) {
			LOG(TNC, 0, "bad PT-TLS message from the server at offset %u: %s",
			    pe.offset, pe.reason ? pe.reason : tnc_strerror(err));
			send_error(c, pe.code, c->rx, len);
			return err;
		}
		LOG(TNC, 2, "received PT-TLS message #%u of type '%s' (%zu bytes)", ret->hdr.id,
		    type_name(ret->hdr.vendor, ret->hdr.type), len);
		if (ret->hdr.vendor == PT_TLS_VENDOR_IETF && ret->hdr.type == PT_TLS_ERROR) {
			LOG(TNC, 0, "the server reports PT-TLS error '%s' (vendor 0x%06x, code %u)",
			    pt_tls_error_code_name(ret->u.error.vendor, ret->u.error.code),
			    ret->u.error.vendor, ret->u.error.code);
			return TNC_EPEER;
		}
		return 0;
	}
}

/* A message of the IETF type want, else an Invalid Message error. */
static int
expect(struct pt_tls_client *c, uint32_t want, struct pt_tls_msg *m)
{
	int err = recv_msg(c, m);

	if (err)
		return err;
	if (m->hdr.vendor == PT_TLS_VENDOR_IETF && m->hdr.type == want)
		return 0;
	LOG(TNC, 0, "expected a PT-TLS '%s' message, the server sent '%s'",
	    type_name(PT_TLS_VENDOR_IETF, want), type_name(m->hdr.vendor, m->hdr.type));
	send_error(c, PT_TLS_ERROR_INVALID_MESSAGE, c->rx, c->consumed);
	return TNC_ESTATE;
}

/* The names of a SASL Mechanisms list, space-separated, for a log line. */
static const char *
mechanism_names(struct bytes list, char *names, size_t size)
{
	struct bytes name;
	size_t used = 0;

	names[0] = 0;
	while (pt_tls_sasl_mechanisms_next(&list, &name) && used + name.len + 2 < size) {
		memcpy(names + used, name.ptr, name.len);
		used += name.len;
		names[used++] = ' ';
		names[used] = 0;
	}
	if (used)
		names[used - 1] = 0;
	return names;
}

static bool
offers_plain(struct bytes list)
{
	struct bytes name;

	while (pt_tls_sasl_mechanisms_next(&list, &name))
		if (bytes_eq_str(name, SASL_PLAIN_MECHANISM))
			return true;
	return false;
}

/* The largest message holding a PLAIN message: a Mechanism Selection. */
#define SECRET_MSG_MAX (PT_TLS_HEADER_LEN + 1 + PT_TLS_SASL_MECH_NAME_MAX + SASL_PLAIN_MSG_MAX)

/* A writer whose buffer has its final size before a secret goes in, so no
 * realloc leaves a copy of it behind. */
static void
secret_writer_init(struct wire_writer *w)
{
	wire_writer_init(w, SECRET_MSG_MAX);
	for (size_t i = 0; i < SECRET_MSG_MAX; i++)
		wire_put_u8(w, 0);
	w->len = 0;
}

/* Sends the message w holds (put_err: the encoder's result), then wipes
 * and frees w. */
static int
send_secret(struct pt_tls_client *c, struct wire_writer *w, int put_err, uint32_t type)
{
	int err = transmit(c, w, put_err, type);
	explicit_bzero(w->buf, w->cap);
	wire_writer_clear(w);
	return err;
}

/* c->sasl's PLAIN message (authzid empty: we act for ourselves) into
 * plain, a secret writer. */
static int
put_plain(struct pt_tls_client *c, struct wire_writer *plain)
{
	const struct pt_tls_client_sasl *s = c->sasl;
	int err = sasl_plain_put(plain, (struct bytes){NULL, 0},
	    (struct bytes){(const uint8_t *)s->user, strlen(s->user)},
	    (struct bytes){(const uint8_t *)s->password, s->password_len});
	if (err == TNC_EINVALID)
		LOG(TNC, 0, "the SASL user name or password is empty, longer than 255 octets or "
		    "not UTF-8");
	return err;
}

/* One message of type around c->sasl's PLAIN message: a Mechanism
 * Selection of PLAIN with it as the initial response, or Authentication
 * Data. */
static int
send_plain(struct pt_tls_client *c, uint32_t type)
{
	struct wire_writer plain, w;
	struct bytes mech = {(const uint8_t *)SASL_PLAIN_MECHANISM, strlen(SASL_PLAIN_MECHANISM)};

	secret_writer_init(&plain);
	secret_writer_init(&w);
	int err = put_plain(c, &plain);
	struct bytes msg = {plain.buf, plain.len};
	if (!err)
		err = type == PT_TLS_SASL_MECHANISM_SELECTION ?
		    pt_tls_put_sasl_mechanism_selection(&w, c->next_id, mech, msg) :
		    pt_tls_put_sasl_authentication_data(&w, c->next_id, msg);
	explicit_bzero(plain.buf, plain.cap);
	wire_writer_clear(&plain);
	return send_secret(c, &w, err, type);
}

/* RFC 6876 3.8 with PLAIN: Mechanism Selection with the initial response;
 * the server answers SASL Result (or, asking again, Authentication Data). */
static int
authenticate(struct pt_tls_client *c)
{
	struct pt_tls_msg m;
	int err;

	LOG(TNC, 1, "authenticating with SASL PLAIN as '%s'", c->sasl->user);
	if ((err = send_plain(c, PT_TLS_SASL_MECHANISM_SELECTION)) || (err = recv_msg(c, &m)))
		return err;
	if (m.hdr.vendor == PT_TLS_VENDOR_IETF && m.hdr.type == PT_TLS_SASL_AUTHENTICATION_DATA &&
	    ((err = send_plain(c, PT_TLS_SASL_AUTHENTICATION_DATA)) || (err = recv_msg(c, &m))))
		return err;
	if (m.hdr.vendor != PT_TLS_VENDOR_IETF || m.hdr.type != PT_TLS_SASL_RESULT) {
		LOG(TNC, 0, "expected a PT-TLS 'SASL Result' message, the server sent '%s'",
		    type_name(m.hdr.vendor, m.hdr.type));
		send_error(c, PT_TLS_ERROR_INVALID_MESSAGE, c->rx, c->consumed);
		return TNC_ESTATE;
	}
	if (m.u.sasl_result.code != PT_TLS_SASL_SUCCESS) {
		LOG(TNC, 0, "SASL PLAIN authentication as '%s' refused by the server (SASL result "
		    "'%s')", c->sasl->user, pt_tls_sasl_result_name(m.u.sasl_result.code));
		c->auth_failed = true;
		return TNC_EPEER;
	}
	LOG(TNC, 1, "SASL PLAIN authentication as '%s' succeeded", c->sasl->user);
	return 0;
}

/* The server's SASL Mechanisms m: authenticates when it asks for PLAIN. */
static int
sasl_phase(struct pt_tls_client *c, const struct pt_tls_msg *m)
{
	char names[256];
	struct bytes list = m->u.sasl_mechanisms.list;

	if (m->u.sasl_mechanisms.count == 0) {
		LOG(TNC, 1, "no SASL authentication required by the server");
		return 0;
	}
	mechanism_names(list, names, sizeof(names));
	if (!offers_plain(list)) {
		LOG(TNC, 0, "the server requires SASL authentication with %s; this client does "
		    "PLAIN only", names);
	} else if (!c->sasl) {
		LOG(TNC, 0, "the server requires SASL authentication (mechanisms: %s); give "
		    "--sasl-user and --sasl-password-file", names);
	} else {
		return authenticate(c);
	}
	c->auth_failed = true;
	return TNC_EPEER;
}

int
pt_tls_client_negotiate(struct pt_tls_client *c)
{
	struct wire_writer w;
	struct pt_tls_msg m;

	LOG(TNC, 1, "entering PT-TLS negotiation phase");
	wire_writer_init(&w, 64);
	int err = send_msg(c, &w, pt_tls_put_version_request(&w, c->next_id, PT_TLS_VERSION,
	    PT_TLS_VERSION, PT_TLS_VERSION), PT_TLS_VERSION_REQUEST);
	if (!err)
		err = expect(c, PT_TLS_VERSION_RESPONSE, &m);
	if (err)
		return err;
	if (m.u.version != PT_TLS_VERSION) {
		LOG(TNC, 0, "the server chose PT-TLS version %u, we offered only %u", m.u.version,
		    PT_TLS_VERSION);
		send_error(c, PT_TLS_ERROR_VERSION_NOT_SUPPORTED, c->rx, c->consumed);
		return TNC_EVERSION;
	}
	LOG(TNC, 1, "negotiated PT-TLS version %u", PT_TLS_VERSION);
	if ((err = expect(c, PT_TLS_SASL_MECHANISMS, &m)) || (err = sasl_phase(c, &m)))
		return err;
	LOG(TNC, 1, "entering PT-TLS data transport phase");
	return 0;
}

int
pt_tls_client_send_batch(struct pt_tls_client *c, struct bytes batch)
{
	struct wire_writer w;

	wire_writer_init(&w, batch.len + PT_TLS_HEADER_LEN);
	return send_msg(c, &w, pt_tls_put_pb_batch(&w, c->next_id, batch), PT_TLS_PB_TNC_BATCH);
}

int
pt_tls_client_recv_batch(struct pt_tls_client *c, struct bytes *ret)
{
	struct pt_tls_msg m;
	int err = expect(c, PT_TLS_PB_TNC_BATCH, &m);

	if (!err)
		*ret = m.u.batch;
	return err;
}
