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
send_msg(struct pt_tls_client *c, struct wire_writer *w, int put_err, uint32_t type)
{
	int err = put_err;

	if (!err) {
		LOG(TNC, 2, "sending PT-TLS message #%u of type '%s' (%zu bytes)", c->next_id,
		    type_name(PT_TLS_VENDOR_IETF, type), w->len);
		err = tls_client_write(c->tls, w->buf, w->len);
		c->next_id++;
	}
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

static void
log_mechanisms(struct bytes list)
{
	struct bytes name;
	char names[256] = "";
	size_t used = 0;

	while (pt_tls_sasl_mechanisms_next(&list, &name) && used + name.len + 2 < sizeof(names)) {
		memcpy(names + used, name.ptr, name.len);
		used += name.len;
		names[used++] = ' ';
		names[used] = 0;
	}
	if (used)
		names[used - 1] = 0;
	LOG(TNC, 0, "the server requires SASL authentication (mechanisms: %s); "
	    "SASL is not supported by this client", names);
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
	err = expect(c, PT_TLS_SASL_MECHANISMS, &m);
	if (err)
		return err;
	if (m.u.sasl_mechanisms.count > 0) {
		log_mechanisms(m.u.sasl_mechanisms.list);
		return TNC_EPEER;
	}
	LOG(TNC, 1, "no SASL authentication required by the server");
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
