/* test_ikev2_kernel.c - tnc-ike's kernel state of a CHILD_SA and its
 * rekeys (ike/ikev2_kernel.c, compiled into this test: it is part of the
 * tnc-ike executable, no library) against a stand-in for the channel to
 * tnc-xfrm (the four xfrm_link functions below replace ike/xfrm_link.c):
 * each request is recorded and answered by the test.  Checked: an install
 * asks for three policies and two SAs under one reqid; a rekey (RFC 7296
 * 2.8) asks for the new CHILD_SA's two SAs only, under that reqid; the old
 * CHILD_SA's end deletes its two SAs and leaves the policies, the last
 * one's end deletes its SAs and the policies and releases the record; at
 * most two CHILD_SAs' SAs at once, a slot free again only when its deletes
 * are answered; a refused rekey SA reaches failed() once.
 */
#include "../../ike/ikev2_kernel.c"

#include "testlib.h"

/* --- the stand-in channel: requests recorded, answered by the test --- */

struct sent {
	uint16_t type;
	uint8_t dir;         /* a policy's */
	uint32_t spi, reqid; /* an SA's (reqid: of an add) */
	uint32_t hard_seconds; /* an SA add's */
};

static struct sent sent[64];
static unsigned nsent;

void
xfrm_link_attached(struct xfrm_link *l, struct ipc_channel *ch)
{
	l->ch = ch;
	l->npending = 0;
}

void
xfrm_link_closed(struct xfrm_link *l)
{
	l->ch = NULL;
	while (l->npending) {
		struct xfrm_link_pending p = l->pending[--l->npending];
		p.done(p.ctx, TNC_ECLOSED, "closed");
	}
}

int
xfrm_link_request(struct xfrm_link *l, const struct ipc_msg *req, uint32_t session,
    xfrm_link_done done, void *ctx)
{
	struct sent s = {.type = req->type};

	if (!l->ch)
		return TNC_ECLOSED;
	ck_assert_uint_lt(nsent, 64);
	if (req->type == IPC_XFRM_SA_ADD)
		s.spi = req->u.xfrm_sa.id.spi, s.reqid = req->u.xfrm_sa.reqid,
		s.hard_seconds = req->u.xfrm_sa.hard_seconds;
	else if (req->type == IPC_XFRM_SA_DELETE)
		s.spi = req->u.xfrm_sa_id.spi;
	else if (req->type == IPC_XFRM_POLICY_ADD)
		s.dir = req->u.xfrm_policy.id.dir, s.reqid = req->u.xfrm_policy.reqid;
	else
		s.dir = req->u.xfrm_policy_id.dir;
	sent[nsent++] = s;
	l->pending[l->npending++] = (struct xfrm_link_pending){nsent, done, ctx};
	return 0;
}

void
xfrm_link_answer(struct xfrm_link *l, const struct ipc_received *rx)
{
	(void)l;
	(void)rx;
}

/* Answers every waiting request, in the order they were sent; the one
 * sent as number refuse (1-based; 0: none) with TNC_EINVALID. */
static void
answer_all(unsigned refuse)
{
	struct xfrm_link_pending waiting[XFRM_LINK_PENDING_MAX];
	const unsigned n = to_xfrm.npending;

	memcpy(waiting, to_xfrm.pending, n * sizeof(waiting[0]));
	to_xfrm.npending = 0;
	for (unsigned i = 0; i < n; i++)
		waiting[i].done(waiting[i].ctx, waiting[i].seq == refuse ? TNC_EINVALID : 0,
		    waiting[i].seq == refuse ? "no ESP in this kernel" : "");
}

/* Request i (0-based) is of type, for spi (an SA's) or none. */
static void
expect_sent(unsigned i, uint16_t type, uint32_t spi)
{
	ck_assert_uint_lt(i, nsent);
	ck_assert_uint_eq(sent[i].type, type);
	if (type == IPC_XFRM_SA_ADD || type == IPC_XFRM_SA_DELETE)
		ck_assert_uint_eq(sent[i].spi, spi);
}

/* --- the owner --- */

static unsigned failures;
static char failure[512];

static void
on_failed(void *arg, const char *reason)
{
	(void)arg;
	failures++;
	snprintf(failure, sizeof(failure), "%s", reason);
}

static uint8_t channel; /* any non-NULL channel */

static void
setup(void)
{
	nsent = failures = 0;
	failure[0] = 0;
	ikev2_kernel_attached((struct ipc_channel *)(void *)&channel);
}

static void
teardown(void)
{
	ikev2_kernel_closed();
}

/* A CHILD_SA 10.1.0.0/16 === 10.3.0.100/32 between 192.168.0.1 and
 * 192.168.0.254, AES-GCM-16, with these SPIs. */
static struct ike_child_sa
child(uint32_t spi_in, uint32_t spi_out)
{
	struct ike_child_sa c = {.conn_name = "rw-allow", .spi_in = spi_in, .spi_out = spi_out,
	    .ts_local = {0x0a010000u, 0x0a01ffffu, 0, 0, 65535},
	    .ts_remote = {0x0a030064u, 0x0a030064u, 0, 0, 65535},
	    .local = {4, {192, 168, 0, 1}, 4500}, .peer = {4, {192, 168, 0, 254}, 4500},
	    .lifetime_s = 3600};
	ck_assert_int_eq(ikev2_suite_init(&c.esp, IKEV2_ENCR_AES_GCM_16, 128, 0, 0, NULL), 0);
	return c;
}

static struct ikev2_kernel_child *
install(const struct ike_child_sa *c)
{
	struct ikev2_kernel_child *k = NULL;
	char reason[256];

	ck_assert_int_eq(ikev2_kernel_install(c, false, 1, on_failed, NULL, &k, reason,
			     sizeof(reason)), 0);
	ck_assert_ptr_nonnull(k);
	return k;
}

/* Install, rekey, the old one's end, the new one's end. */
START_TEST(rekey_under_the_same_policies)
{
	const struct ike_child_sa c1 = child(0x1001, 0x2001), c2 = child(0x1002, 0x2002);
	char reason[256];

	struct ikev2_kernel_child *k = install(&c1);
	ck_assert_uint_eq(nsent, 5);
	for (unsigned i = 0; i < 3; i++)
		ck_assert_uint_eq(sent[i].type, IPC_XFRM_POLICY_ADD);
	const uint32_t reqid = sent[0].reqid;
	ck_assert_uint_ne(reqid, 0);
	expect_sent(3, IPC_XFRM_SA_ADD, 0x1001);
	expect_sent(4, IPC_XFRM_SA_ADD, 0x2001);
	ck_assert_uint_eq(sent[3].reqid, reqid);
	/* the kernel's limit: a minute after tnc-ike's own end of the CHILD_SA */
	ck_assert_uint_eq(sent[3].hard_seconds, 3600 + 60);
	ck_assert_uint_eq(sent[4].hard_seconds, 3600 + 60);
	answer_all(0);

	ck_assert_int_eq(ikev2_kernel_rekey(k, &c2, reason, sizeof(reason)), 0);
	ck_assert_uint_eq(nsent, 7); /* no policy asked for again */
	expect_sent(5, IPC_XFRM_SA_ADD, 0x1002);
	expect_sent(6, IPC_XFRM_SA_ADD, 0x2002);
	ck_assert_uint_eq(sent[5].reqid, reqid);
	ck_assert_uint_eq(sent[6].reqid, reqid);
	answer_all(0);

	ck_assert(!ikev2_kernel_child_down(k, 0x1001)); /* the old one: its SAs */
	ck_assert_uint_eq(nsent, 9);
	expect_sent(7, IPC_XFRM_SA_DELETE, 0x1001);
	expect_sent(8, IPC_XFRM_SA_DELETE, 0x2001);
	answer_all(0);
	ck_assert(!ikev2_kernel_child_down(k, 0x7777)); /* no such CHILD_SA */
	ck_assert_uint_eq(nsent, 9);

	ck_assert(ikev2_kernel_child_down(k, 0x1002)); /* the last: policies too */
	ck_assert_uint_eq(nsent, 14);
	expect_sent(9, IPC_XFRM_SA_DELETE, 0x1002);
	expect_sent(10, IPC_XFRM_SA_DELETE, 0x2002);
	for (unsigned i = 11; i < 14; i++)
		ck_assert_uint_eq(sent[i].type, IPC_XFRM_POLICY_DELETE);
	answer_all(0); /* k is released with the last answer */
	ck_assert_uint_eq(failures, 0);
}
END_TEST

/* Two CHILD_SAs' SAs at most; a slot is free once its deletes came back. */
START_TEST(two_pairs_at_most)
{
	const struct ike_child_sa c1 = child(0x1001, 0x2001), c2 = child(0x1002, 0x2002),
				  c3 = child(0x1003, 0x2003);
	char reason[256];

	struct ikev2_kernel_child *k = install(&c1);
	answer_all(0);
	ck_assert_int_eq(ikev2_kernel_rekey(k, &c2, reason, sizeof(reason)), 0);
	answer_all(0);
	ck_assert_int_eq(ikev2_kernel_rekey(k, &c3, reason, sizeof(reason)), TNC_EAGAIN);
	ck_assert_msg(strstr(reason, "installed or being removed"), "%s", reason);
	ck_assert(!ikev2_kernel_child_down(k, 0x1001));
	ck_assert_int_eq(ikev2_kernel_rekey(k, &c3, reason, sizeof(reason)), TNC_EAGAIN);
	answer_all(0);
	const unsigned before = nsent;
	ck_assert_int_eq(ikev2_kernel_rekey(k, &c3, reason, sizeof(reason)), 0);
	expect_sent(before, IPC_XFRM_SA_ADD, 0x1003);
	answer_all(0);
	ikev2_kernel_remove(k); /* both pairs and the policies */
	ck_assert_uint_eq(nsent, before + 2 + 4 + 3);
	answer_all(0);
	ck_assert_uint_eq(failures, 0);
}
END_TEST

/* tnc-xfrm refuses a rekey's SA: failed() once, naming it. */
START_TEST(refused_rekey_fails_once)
{
	const struct ike_child_sa c1 = child(0x1001, 0x2001), c2 = child(0x1002, 0x2002);
	char reason[256];

	struct ikev2_kernel_child *k = install(&c1);
	answer_all(0);
	ck_assert_int_eq(ikev2_kernel_rekey(k, &c2, reason, sizeof(reason)), 0);
	answer_all(nsent - 1); /* SA in refused */
	ck_assert_uint_eq(failures, 1);
	ck_assert_msg(strstr(failure, "SA in 00001002 192.168.0.254 -> 192.168.0.1 (reqid ") &&
	    strstr(failure, "refused by tnc-xfrm: no ESP in this kernel"), "%s", failure);
	/* the owner ends the IKE SA: both CHILD_SAs go */
	ck_assert_int_eq(ikev2_kernel_rekey(k, &c2, reason, sizeof(reason)), TNC_ESTATE);
	ck_assert(!ikev2_kernel_child_down(k, 0x1001));
	ck_assert(ikev2_kernel_child_down(k, 0x1002));
	answer_all(0);
	ck_assert_uint_eq(failures, 1);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("ikev2_kernel");
	TCase *tc = tcase_create("ikev2_kernel");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, rekey_under_the_same_policies);
	tcase_add_test(tc, two_pairs_at_most);
	tcase_add_test(tc, refused_rekey_fails_once);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tl_run_suite(suite());
}
