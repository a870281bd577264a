/* ike_sa_info.c - INFORMATIONAL requests of the peer (RFC 7296 1.4,
 * 3.11): an empty one (liveness) is answered empty; a DELETE of the IKE SA
 * is answered empty and ends it; a DELETE of our CHILD_SA is answered
 * with the DELETE of its inbound half and ends it.  While our own DELETE
 * is outstanding, the peer's DELETE ends the SA for our reason.
 * N(AUTHENTICATION_FAILED)
 * (strongSwan's answer to our EAP-Failure, or to an AUTH it does not
 * accept) is answered empty and ends the SA at once: no authentication
 * can follow it.  Unknown SPIs and other payloads are ignored, as 1.4.1
 * allows.  With MOBIKE on, its notifications (UPDATE_SA_ADDRESSES, NAT
 * detection, COOKIE2, additional addresses) are answered and acted on by
 * ike_sa_mobike.c; one out of bounds gets INVALID_SYNTAX, the SA stays.
 */
#include "ike_sa_int.h"

/* Whether a DELETE of ESP SPIs names our CHILD_SA (by its outbound SPI,
 * the peer's inbound one). */
static bool
names_child(const struct ike_sa *sa, const struct ikev2_delete *d)
{
	if (!sa->child_active || d->protocol != IKEV2_PROTO_ESP || d->spi_size != 4)
		return false;
	for (size_t i = 0; i < d->spi_count && (i + 1) * 4 <= d->spis.len; i++)
		if (ike_get_u32(d->spis.ptr + 4 * i) == sa->child.spi_out)
			return true;
	return false;
}

int
ike_sa_info_request(struct ike_sa *sa, const struct ikev2_chain *c)
{
	struct ikev2_iter it;
	struct ikev2_payload p;
	struct ikev2_builder b;
	struct ike_mobike_ask mobike;
	bool delete_ike = false, delete_child = false, delete_rekeyed = false, auth_failed = false;
	int err;

	ikev2_iter_init(&it, c);
	while (ikev2_iter_next(&it, &p)) {
		auth_failed |= p.type == IKEV2_PL_NOTIFY &&
		    p.u.notify.type == IKEV2_N_AUTHENTICATION_FAILED;
		if (p.type != IKEV2_PL_DELETE)
			continue;
		delete_ike |= p.u.del.protocol == IKEV2_PROTO_IKE;
		delete_child |= names_child(sa, &p.u.del);
		delete_rekeyed |= ike_sa_rekeyed_named(sa, &p.u.del);
	}
	ikev2_builder_init_chain(&b, sa->cfg->max_msg_len);
	if ((err = ike_sa_mobike_info(sa, c, &b, &mobike))) {
		/* the SA stays: only the request is refused */
		ikev2_builder_clear(&b);
		(void)ike_sa_respond_notify(sa, IKEV2_INFORMATIONAL, IKEV2_N_INVALID_SYNTAX,
		    (struct bytes){NULL, 0});
		return err;
	}
	if ((delete_child || delete_rekeyed) && !delete_ike) {
		/* our inbound SPIs of the CHILD_SAs named (a rekeyed one too) */
		uint32_t ours[2];
		uint8_t spis[8];
		uint8_t n = 0;
		if (delete_child)
			ours[n++] = sa->child.spi_in;
		if (delete_rekeyed)
			ours[n++] = sa->rekeyed.spi_in;
		for (uint8_t i = 0; i < n; i++)
			for (int k = 0; k < 4; k++)
				spis[4 * i + k] = (uint8_t)(ours[i] >> (24 - 8 * k));
		ikev2_builder_add_delete(&b, IKEV2_PROTO_ESP, 4, n, (struct bytes){spis, 4u * n});
	}
	err = ike_sa_respond(sa, IKEV2_INFORMATIONAL, &b);
	ikev2_builder_clear(&b);
	if (!err)
		ike_sa_mobike_move(sa, &mobike);
	if (delete_ike)
		ike_sa_close(sa, sa->state == IKE_SA_DELETING ? sa->ending : "peer deleted the IKE SA");
	else if (auth_failed)
		ike_sa_close(sa, "peer reported AUTHENTICATION_FAILED");
	else {
		if (delete_rekeyed)
			ike_sa_rekeyed_end(sa);
		if (delete_child)
			ike_sa_child_down(sa);
	}
	return err;
}
