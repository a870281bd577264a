/* ike_sa_info.c - INFORMATIONAL requests of the peer (RFC 7296 1.4,
 * 3.11): an empty one (liveness) is answered empty; a DELETE of the IKE SA
 * is answered empty and ends it; a DELETE of our CHILD_SA is answered
 * with the DELETE of its inbound half and ends it.  While our own DELETE
 * is outstanding, the peer's DELETE ends the SA for our reason.
 * N(AUTHENTICATION_FAILED)
 * (strongSwan's answer to our EAP-Failure, or to an AUTH it does not
 * accept) is answered empty and ends the SA at once: no authentication
 * can follow it.  Unknown SPIs and other payloads are ignored, as 1.4.1
 * allows.
 */
#include "ike_sa_int.h"

static uint32_t
get_u32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Whether a DELETE of ESP SPIs names our CHILD_SA (by its outbound SPI,
 * the peer's inbound one). */
static bool
names_child(const struct ike_sa *sa, const struct ikev2_delete *d)
{
	if (!sa->child_active || d->protocol != IKEV2_PROTO_ESP || d->spi_size != 4)
		return false;
	for (size_t i = 0; i < d->spi_count && (i + 1) * 4 <= d->spis.len; i++)
		if (get_u32(d->spis.ptr + 4 * i) == sa->child.spi_out)
			return true;
	return false;
}

int
ike_sa_info_request(struct ike_sa *sa, const struct ikev2_chain *c)
{
	struct ikev2_iter it;
	struct ikev2_payload p;
	struct ikev2_builder b;
	bool delete_ike = false, delete_child = false, auth_failed = false;
	int err;

	ikev2_iter_init(&it, c);
	while (ikev2_iter_next(&it, &p)) {
		auth_failed |= p.type == IKEV2_PL_NOTIFY &&
		    p.u.notify.type == IKEV2_N_AUTHENTICATION_FAILED;
		if (p.type != IKEV2_PL_DELETE)
			continue;
		delete_ike |= p.u.del.protocol == IKEV2_PROTO_IKE;
		delete_child |= names_child(sa, &p.u.del);
	}
	ikev2_builder_init_chain(&b, sa->cfg->max_msg_len);
	if (delete_child && !delete_ike) {
		const uint32_t s = sa->child.spi_in;
		const uint8_t spi[4] = {(uint8_t)(s >> 24), (uint8_t)(s >> 16), (uint8_t)(s >> 8),
		    (uint8_t)s};
		ikev2_builder_add_delete(&b, IKEV2_PROTO_ESP, 4, 1, (struct bytes){spi, 4});
	}
	err = ike_sa_respond(sa, IKEV2_INFORMATIONAL, &b);
	ikev2_builder_clear(&b);
	if (delete_ike)
		ike_sa_close(sa, sa->state == IKE_SA_DELETING ? sa->ending : "peer deleted the IKE SA");
	else if (auth_failed)
		ike_sa_close(sa, "peer reported AUTHENTICATION_FAILED");
	else if (delete_child)
		ike_sa_child_end(sa);
	return err;
}
