/* ike_initiator_info.c - the responder's requests on an established SA
 * (RFC 7296 1.4, 2.4): liveness checks answered, DELETE of the IKE SA or
 * of the CHILD_SA, error notifications; CREATE_CHILD_SA refused; our
 * DELETE, and our AUTHENTICATION_FAILED after an EAP-Failure. */
#include <stdio.h>
#include <string.h>

#include "ike_initiator_int.h"

/* Whether c deletes the IKE SA, or our CHILD_SA (by the responder's SPI,
 * the one it receives on: our spi_out). */
static void
deletes(const struct ike_initiator *i, const struct ikev2_chain *c, bool *ike, bool *child)
{
	struct ikev2_iter it;
	struct ikev2_payload p;

	*ike = *child = false;
	ikev2_iter_init(&it, c);
	while (ikev2_iter_next(&it, &p)) {
		if (p.type != IKEV2_PL_DELETE)
			continue;
		const struct ikev2_delete *d = &p.u.del;
		if (d->protocol == IKEV2_PROTO_IKE)
			*ike = true;
		if (d->protocol != IKEV2_PROTO_ESP || d->spi_size != 4 || !i->child_up)
			continue;
		for (size_t k = 0; k + 4 <= d->spis.len; k += 4) {
			const uint8_t *s = d->spis.ptr + k;
			*child |= ((uint32_t)s[0] << 24 | (uint32_t)s[1] << 16 | (uint32_t)s[2] << 8 |
				      s[3]) == i->child.spi_out;
		}
	}
}

/* An empty answer, or one with a notification or our CHILD_SA's DELETE. */
static int
answer(struct ike_initiator *i, uint8_t exchange, uint32_t mid, uint16_t notify,
    bool delete_child)
{
	const struct bytes none = {NULL, 0};
	const uint8_t spi[4] = {(uint8_t)(i->spi_in >> 24), (uint8_t)(i->spi_in >> 16),
	    (uint8_t)(i->spi_in >> 8), (uint8_t)i->spi_in};
	struct ikev2_builder b;
	int err;

	ikev2_builder_init_chain(&b, i->cfg->max_msg_len);
	if (notify)
		ikev2_builder_add_notify(&b, IKEV2_PROTO_NONE, none, notify, none);
	if (delete_child)
		ikev2_builder_add_delete(&b, IKEV2_PROTO_ESP, 4, 1, (struct bytes){spi, 4});
	err = ikei_respond(i, exchange, mid, &b);
	ikev2_builder_clear(&b);
	return err;
}

int
ikei_info_request(struct ike_initiator *i, uint8_t exchange, uint32_t mid,
    const struct ikev2_chain *c, uint64_t now_ms)
{
	bool ike, child;
	uint16_t error;
	int err;

	if (exchange == IKEV2_CREATE_CHILD_SA) {
		if ((err = answer(i, exchange, mid, IKEV2_N_NO_ADDITIONAL_SAS, false)))
			return err;
		return ikei_fail(i, TNC_ESTATE, "CREATE_CHILD_SA refused: rekeying is not built");
	}
	if (exchange != IKEV2_INFORMATIONAL)
		return ikei_fail(i, TNC_ETYPE, "request of an exchange type not handled");
	deletes(i, c, &ike, &child);
	if ((err = answer(i, exchange, mid, 0, child && !ike)))
		return err;
	if (ike)
		return ikei_end(i, 0, "responder deleted the IKE SA");
	if ((error = ikev2_error_notify(c))) {
		snprintf(i->reason_buf, sizeof(i->reason_buf), "responder reported %s",
		    ikev2_notify_name(error));
		return ikei_end(i, TNC_EPEER, i->reason_buf);
	}
	if (child) {
		/* the CHILD_SA was the point: the IKE SA goes too */
		i->child_up = false;
		ikev2_child_keys_cleanse(&i->child.keys);
		i->ops.failed(i->arg, "responder deleted the CHILD_SA");
		(void)ikei_delete(i, now_ms);
		return ikei_fail(i, 0, "responder deleted the CHILD_SA");
	}
	return ikei_fail(i, 0, "INFORMATIONAL request answered");
}

int
ikei_delete(struct ike_initiator *i, uint64_t now_ms)
{
	struct ikev2_builder b;
	int err;

	ikev2_builder_init_chain(&b, i->cfg->max_msg_len);
	ikev2_builder_add_delete(&b, IKEV2_PROTO_IKE, 0, 0, (struct bytes){NULL, 0});
	err = ikei_request(i, IKEV2_INFORMATIONAL, &b, now_ms);
	ikev2_builder_clear(&b);
	if (err) {
		i->state = IKEI_CLOSED;
		return err;
	}
	i->state = IKEI_DELETING;
	return 0;
}

void
ikei_auth_failed(struct ike_initiator *i, uint64_t now_ms)
{
	const struct bytes none = {NULL, 0};
	struct ikev2_builder b;

	ikev2_builder_init_chain(&b, i->cfg->max_msg_len);
	ikev2_builder_add_notify(&b, IKEV2_PROTO_NONE, none, IKEV2_N_AUTHENTICATION_FAILED, none);
	/* best effort (the RFC's MAY): the SA ends whether or not it went */
	(void)ikei_request(i, IKEV2_INFORMATIONAL, &b, now_ms);
	ikev2_builder_clear(&b);
	ikei_forget_request(i); /* no retransmission, no answer awaited */
}
