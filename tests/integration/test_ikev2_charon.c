/* test_ikev2_charon.c - interop with Debian's strongSwan, on the stage of
 * ikev2_charon_netns.h: charon initiates, tncd answers.  The gateway
 * authenticates only through EAP-TTLS's server certificate (EAP-only
 * authentication, RFC 5998), or with its certificate's signature (charon's
 * remote auth = pubkey).  Debian 12's strongSwan has no PB-TNC client (no
 * tnccs-20 or tnc-imc plugin), so the flow with EAP-TNC ends with charon
 * refusing the method: access denied, no IKE SA.  Also: charon rekeying
 * its CHILD_SA and the IKE SA (swanctl --rekey), roaming to another
 * address (MOBIKE UPDATE_SA_ADDRESSES), and restarted: its INITIAL_CONTACT
 * deletes the old IKE SA.  test_ikev2_kernel_esp.c has the cases about the
 * gateway's kernel SAs. */
#include "ikev2_charon_netns.h"

/* The seeds' first exchanges, whatever the EAP conversation's end. */
static void
expect_init_and_ttls(void)
{
	expect_charon("parsed IKE_SA_INIT response 0 [ SA KE No N(NATD_S_IP) N(NATD_D_IP)");
	expect_charon("parsed IKE_AUTH response 1 [ IDr EAP/REQ/TTLS ]");
	expect_charon("received TLS server certificate 'CN=moon.strongswan.org'");
	expect_log("[NET] received packet: from " RW "[500] to " GW "[500]");
	expect_log("[ENC] parsed IKE_SA_INIT request 0 [ SA KE No N(NATD_S_IP) N(NATD_D_IP)");
	expect_log("[IKE] " RW " is initiating an IKE_SA");
	expect_log("[ENC] generating IKE_SA_INIT response 0 [ SA KE No N(NATD_S_IP) N(NATD_D_IP)");
	expect_log("[NET] received packet: from " RW "[4500] to " GW "[4500]");
	expect_log("[CFG] looking for peer configs matching " GW "[moon.strongswan.org]..." RW
	    "[carol@strongswan.org]");
	expect_log("[IKE] initiating EAP_TTLS method");
	/* the inner chains, as the seeds show them */
	expect_log("[CFG] selected proposal: IKE:");
	expect_log("[ENC] parsed IKE_AUTH request 1 [ IDi N(INIT_CONTACT) ");
	expect_log(" IDr SA TSi TSr N(MOBIKE_SUP) ");
	expect_log("[ENC] generating IKE_AUTH response 1 [ IDr EAP/REQ/TTLS ]");
	expect_log("[ENC] parsed IKE_AUTH request 2 [ EAP/RES/TTLS ]");
	ck_assert_int_eq(tl_log_count(&tncd, " [ E ]"), 0);
}

START_TEST(eap_ttls_md5_establishes_rw_allow)
{
	start_tncd("no", "none");
	int rc = initiate();
	expect_init_and_ttls();
	ck_assert_msg(rc == 0, "swanctl --initiate failed (%d), tncd log %s, charon's end:\n%s", rc,
	    tncd.log, tl_out_tail(out));
	expect_charon("IKE_SA home[1] established between " RW "[carol@strongswan.org]..." GW
	    "[moon.strongswan.org]");
	expect_charon("CHILD_SA home{1} established");
	expect_log("[IKE] EAP method EAP_TTLS succeeded, MSK established");
	expect_log("[ENC] generating IKE_AUTH response ");
	expect_log("[ EAP/SUCC ]");
	expect_log("[IKE] authentication of 'carol@strongswan.org' with EAP successful");
	expect_log("[IKE] authentication of 'moon.strongswan.org' (myself) with EAP");
	expect_log("[IKE] IKE_SA rw-allow[1] established between " GW "[moon.strongswan.org]..."
	    RW "[carol@strongswan.org]");
	expect_log("[IKE] maximum IKE_SA lifetime 10800s");
	expect_log("[CFG] selected proposal: ESP:");
	expect_log("[IKE] CHILD_SA rw-allow{1} established with SPIs ");
	expect_log(" and TS 10.1.0.0/28 === " RW "/32");
	/* the peer ends it: DELETE */
	rc = tl_sh(out, sizeof(out), "timeout 30 swanctl --terminate --ike home --uri "
	    "unix://%s/charon.vici 2>&1", dir);
	ck_assert_msg(rc == 0, "swanctl --terminate failed (%d):\n%s", rc, tl_out_tail(out));
	expect_log("[IKE] closing CHILD_SA rw-allow{1} with SPIs ");
	expect_log("[IKE] IKE_SA rw-allow[1] with " RW "[4500] closed: ");
	tl_tncd_stop(&tncd);
	stop_leftover_tncd(); /* its pid file */
}
END_TEST

START_TEST(eap_tnc_refused_by_charon_denies_access)
{
	start_tncd("eap-tnc", "none");
	int rc = initiate();
	expect_init_and_ttls();
	ck_assert_msg(rc != 0, "charon established an SA without EAP-TNC:\n%s", tl_out_tail(out));
	expect_charon("received EAP_FAILURE, EAP authentication failed");
	expect_log("[IKE] EAP method EAP_TTLS failed for peer 'carol@strongswan.org'");
	expect_log("(Nak)");
	ck_assert_int_eq(tl_log_count(&tncd, "established between"), 0);
	tl_tncd_stop(&tncd);
	stop_leftover_tncd(); /* its pid file */
}
END_TEST

/* The road warrior's veth in its namespace ("r" and main's pid, as
 * make_network() named it). */
static const char *
rw_link(char *ret, size_t size)
{
	snprintf(ret, size, "r%s", ns_rw + strlen("tnc-rw-"));
	return ret;
}

/* Gives the road warrior's veth the address `to` (added first; with
 * promote_secondaries it stays when the old primary goes) and removes
 * `from`: the shell's exit code, its output in out. */
static int
rw_readdress(const char *from, const char *to)
{
	char link[32];
	rw_link(link, sizeof(link));
	return tl_sh(out, sizeof(out), "ip netns exec %s sysctl -qw "
	    "net.ipv4.conf.%s.promote_secondaries=1 && ip -n %s addr replace %s/24 dev %s && "
	    "ip -n %s addr del %s/24 dev %s 2>&1", ns_rw, link, ns_rw, to, link, ns_rw, from,
	    link);
}

/* Whether charon's log has a line matching the extended regex re within
 * timeout_ms. */
static bool
charon_logged(const char *re, int timeout_ms)
{
	for (int waited = 0;; waited += 100) {
		if (tl_sh(out, sizeof(out), "grep -qE '%s' %s/charon.log", re, dir) == 0)
			return true;
		if (waited >= timeout_ms)
			return false;
		usleep(100000);
	}
}

#define RW_MOVED "192.168.0.253"

/* MOBIKE (RFC 4555): charon offers it in IKE_AUTH, we answer it; the road
 * warrior's address changes, charon (kernel-netlink's roam events) sends
 * UPDATE_SA_ADDRESSES from the new one, and the IKE SA follows it there:
 * our NAT detection answers, the SA stays established at both ends and
 * ends from the new address.  The old address comes back before anything
 * is asserted (the tests after this one use it). */
START_TEST(mobike_update_moves_the_ike_sa)
{
	static char sas[8192], charon_end[8192];

	terminate_leftover_sa();
	start_tncd("no", "none");
	int rc = initiate();
	ck_assert_msg(rc == 0, "swanctl --initiate failed (%d):\n%s", rc, tl_out_tail(out));
	expect_log(" N(MOBIKE_SUP) ]");
	expect_log("[IKE] IKE_SA rw-allow[1] established between ");
	const int moved = rw_readdress(RW, RW_MOVED);
	const bool updated = moved == 0 && tl_log_contains(&tncd, "[IKE] remote endpoint changed "
	    "from " RW "[4500] to " RW_MOVED "[4500]", 15000);
	/* charon's update carries COOKIE2 too: echoed */
	const bool answered = updated && charon_logged("parsed INFORMATIONAL response [0-9]+ "
	    "\\[ N\\(NATD_S_IP\\) N\\(NATD_D_IP\\) N\\(COOKIE2\\) \\]", 5000);
	const int listed = tl_sh(sas, sizeof(sas), "timeout 10 swanctl --list-sas --uri "
	    "unix://%s/charon.vici 2>&1", dir);
	const int closed_early = tl_log_count(&tncd, "closed: ");
	const int ended = tl_sh(out, sizeof(out), "timeout 30 swanctl --terminate --ike home "
	    "--uri unix://%s/charon.vici 2>&1", dir);
	const bool ended_there = tl_log_contains(&tncd, "[IKE] IKE_SA rw-allow[1] with " RW_MOVED
	    "[4500] closed: peer deleted the IKE SA", 5000);
	if (!updated || !answered)
		(void)tl_sh(charon_end, sizeof(charon_end), "tail -n 40 %s/charon.log", dir);
	ck_assert_int_eq(rw_readdress(RW_MOVED, RW), 0);

	ck_assert_msg(moved == 0, "the road warrior's address did not change");
	ck_assert_msg(updated, "no address update in tncd's log %s; charon's log's end:\n%s",
	    tncd.log, tl_out_tail(charon_end));
	ck_assert_msg(answered, "charon parsed no answer with our NAT detection:\n%s",
	    tl_out_tail(charon_end));
	expect_log("[ENC] parsed INFORMATIONAL request ");
	expect_log(" [ N(UPD_SA_ADDR) N(NATD_S_IP) N(NATD_D_IP) N(COOKIE2) ");
	expect_log("[ENC] generating INFORMATIONAL response ");
	expect_log(" [ N(NATD_S_IP) N(NATD_D_IP) N(COOKIE2) ]");
	expect_log("[NET] received packet: from " RW_MOVED "[4500] to " GW "[4500]");
	expect_log("[NET] sending packet: from " GW "[4500] to " RW_MOVED "[4500]");
	/* charon held the SA at its new address, we had not closed it */
	ck_assert_msg(listed == 0 && strstr(sas, "ESTABLISHED") && strstr(sas, RW_MOVED "[4500]"),
	    "charon's SA is not established at " RW_MOVED ":\n%s", tl_out_tail(sas));
	ck_assert_int_eq(closed_early, 0);
	/* the peer's DELETE from the new address ended it: our bookkeeping moved */
	ck_assert_msg(ended == 0 && ended_there, "the SA did not end from " RW_MOVED);
	tl_tncd_stop(&tncd);
	stop_leftover_tncd(); /* its pid file */
}
END_TEST

/* The lines charon's log (filelog, shared by all tests) has now. */
static int
charon_log_lines(void)
{
	if (tl_sh(out, sizeof(out), "wc -l < %s/charon.log", dir) != 0)
		return 0;
	return atoi(out);
}

/* charon's log has line after its first `after` lines within 10 s; its
 * end on stderr if not. */
static bool
charon_logged_after(int after, const char *line)
{
	for (int i = 0; i < 100; i++) {
		if (tl_sh(out, sizeof(out), "tail -n +%d %s/charon.log | grep -qF '%s'", after + 1,
			dir, line) == 0)
			return true;
		usleep(100000);
	}
	(void)tl_sh(out, sizeof(out), "tail -n 40 %s/charon.log", dir);
	fprintf(stderr, "charon did not log '%s'; its log's end:\n%s\n", line, tl_out_tail(out));
	return false;
}

/* charon rekeys its CHILD_SA (RFC 7296 2.8, as it does every hour): our
 * answer brings the new one up, charon's DELETE of the old one ends it,
 * and the IKE SA stays; then it rekeys the IKE SA (2.18), and the new one
 * carries the CHILD_SA on. */
START_TEST(child_sa_rekeyed_by_charon)
{
	char old_in[16], old_out[16], line[256];

	terminate_leftover_sa();
	start_tncd("no", "none");
	int rc = initiate();
	ck_assert_msg(rc == 0, "swanctl --initiate failed (%d):\n%s", rc, tl_out_tail(out));
	expect_log("[IKE] CHILD_SA rw-allow{1} established with SPIs ");
	log_word_after("established with SPIs ", old_in, sizeof(old_in));
	log_word_after("_i ", old_out, sizeof(old_out));
	ck_assert_uint_eq(strlen(old_in), 8);
	const int before = charon_log_lines();
	rc = tl_sh(out, sizeof(out), "timeout 30 swanctl --rekey --child home --uri "
	    "unix://%s/charon.vici 2>&1", dir);
	ck_assert_msg(rc == 0, "swanctl --rekey failed (%d):\n%s", rc, tl_out_tail(out));
	snprintf(line, sizeof(line), "[IKE] rekeying CHILD_SA rw-allow{1} with SPIs %s_i %s_o",
	    old_in, old_out);
	ck_assert_msg(tl_log_contains(&tncd, line, 10000), "no '%s' in %s", line, tncd.log);
	expect_log("[ENC] parsed CREATE_CHILD_SA request ");
	expect_log(" [ N(REKEY_SA) SA No TSi TSr ]");
	expect_log("[ENC] generating CREATE_CHILD_SA response ");
	expect_log(" [ SA No TSi TSr ]");
	/* its numbers {N} count the CHILD_SAs of the earlier tests too */
	ck_assert(charon_logged_after(before, "} established with SPIs "));
	ck_assert(charon_logged_after(before, "closing CHILD_SA home{"));
	snprintf(line, sizeof(line), "[IKE] closing CHILD_SA rw-allow{1} with SPIs %s_i %s_o",
	    old_in, old_out);
	ck_assert_msg(tl_log_contains(&tncd, line, 10000), "no '%s' in %s", line, tncd.log);
	ck_assert_int_eq(tl_log_count(&tncd, "established with SPIs "), 2);
	ck_assert_int_eq(tl_log_count(&tncd, "closing CHILD_SA"), 1);
	ck_assert_int_eq(tl_log_count(&tncd, " closed: "), 0); /* the IKE SA is up */

	/* then the IKE SA (2.18): new SPIs and keys; charon's DELETE of the
	 * old IKE SA ends nothing else */
	const int before_ike = charon_log_lines();
	rc = tl_sh(out, sizeof(out), "timeout 30 swanctl --rekey --ike home --uri "
	    "unix://%s/charon.vici 2>&1", dir);
	ck_assert_msg(rc == 0, "swanctl --rekey --ike failed (%d):\n%s", rc, tl_out_tail(out));
	ck_assert_msg(tl_log_contains(&tncd, "[IKE] IKE_SA rw-allow[1] rekeyed between " GW
	    "[moon.strongswan.org]..." RW "[carol@strongswan.org]", 10000), "no rekey in %s",
	    tncd.log);
	expect_log(" [ SA No KE ]");
	ck_assert(charon_logged_after(before_ike, "rekeyed between"));
	ck_assert(charon_logged_after(before_ike, "IKE_SA deleted"));
	expect_log("[ENC] parsed INFORMATIONAL request ");
	expect_log(" [ D ]");
	ck_assert_int_eq(tl_log_count(&tncd, " closed: "), 0);
	ck_assert_int_eq(tl_log_count(&tncd, "closing CHILD_SA"), 1);
	/* the new IKE SA carries on: its CHILD_SA rekeyed again (its SK_d) */
	rc = tl_sh(out, sizeof(out), "timeout 30 swanctl --rekey --child home --uri "
	    "unix://%s/charon.vici 2>&1", dir);
	ck_assert_msg(rc == 0, "swanctl --rekey failed (%d):\n%s", rc, tl_out_tail(out));
	ck_assert_int_eq(tl_log_count_reaching(&tncd, "closing CHILD_SA", 2, 10000), 2);
	ck_assert_int_eq(tl_log_count(&tncd, "rekeying CHILD_SA rw-allow{1}"), 2);

	rc = tl_sh(out, sizeof(out), "timeout 30 swanctl --terminate --ike home --uri "
	    "unix://%s/charon.vici 2>&1", dir);
	ck_assert_msg(rc == 0, "swanctl --terminate failed (%d):\n%s", rc, tl_out_tail(out));
	expect_log("[IKE] IKE_SA rw-allow[1] with " RW "[4500] closed: ");
	ck_assert_int_eq(tl_log_count(&tncd, "closing CHILD_SA"), 3);
	tl_tncd_stop(&tncd);
	stop_leftover_tncd(); /* its pid file */
}
END_TEST

/* charon with remote auth = pubkey (it still offers EAP-only: strongSwan
 * always does) and tncd with ikev2_gateway_auth = pubkey: [ IDr CERT AUTH
 * EAP ], the certificate and an RFC 7427 ECDSA signature (charon announced
 * SHA-2 hashes), then EAP-TTLS; the last AUTHs are the MSK's both ways
 * (RFC 7296 2.16). */
START_TEST(gateway_certificate_auth_establishes)
{
	terminate_leftover_sa();
	start_tncd_with("no", "none", "ikev2_gateway_auth = pubkey\n");
	int rc = tl_sh(out, sizeof(out), "timeout 60 swanctl --initiate --child gwcert --timeout 40 "
	    "--uri unix://%s/charon.vici 2>&1", dir);
	ck_assert_msg(rc == 0, "swanctl --initiate failed (%d), tncd log %s, charon's end:\n%s", rc,
	    tncd.log, tl_out_tail(out));
	expect_charon("parsed IKE_AUTH response 1 [ IDr CERT AUTH EAP/REQ/TTLS ]");
	expect_charon("authentication of 'moon.strongswan.org' with ECDSA_WITH_SHA256_DER "
	    "successful");
	expect_charon("IKE_SA gwcert[");
	expect_charon("established between " RW "[carol@strongswan.org]..." GW
	    "[moon.strongswan.org]");
	expect_log("[ENC] generating IKE_AUTH response 1 [ IDr CERT AUTH EAP/REQ/TTLS ]");
	expect_log("[IKE] authentication of 'moon.strongswan.org' (myself) with "
	    "ECDSA_WITH_SHA256_DER successful");
	expect_log("[IKE] IKE_SA rw-allow[1] established between " GW "[moon.strongswan.org]..."
	    RW "[carol@strongswan.org]");
	rc = tl_sh(out, sizeof(out), "timeout 30 swanctl --terminate --ike gwcert --uri "
	    "unix://%s/charon.vici 2>&1", dir);
	ck_assert_msg(rc == 0, "swanctl --terminate failed (%d):\n%s", rc, tl_out_tail(out));
	expect_log("[IKE] IKE_SA rw-allow[1] with " RW "[4500] closed: ");
	tl_tncd_stop(&tncd);
	stop_leftover_tncd(); /* its pid file */
}
END_TEST

/* charon killed and started again knows no SA: its next IKE_AUTH carries
 * INITIAL_CONTACT, and the gateway deletes the old IKE SA of that identity
 * (RFC 7296 2.4). */
START_TEST(initial_contact_deletes_the_old_ike_sa)
{
	char vici[256];

	terminate_leftover_sa();
	start_tncd("no", "none");
	int rc = initiate();
	ck_assert_msg(rc == 0, "swanctl --initiate failed (%d):\n%s", rc, tl_out_tail(out));
	expect_log("[IKE] IKE_SA rw-allow[1] established between ");
	kill(charon, SIGKILL); /* main's child: main reaps it */
	snprintf(vici, sizeof(vici), "%s/charon.vici", dir);
	unlink(vici);
	usleep(300000); /* its sockets close */
	ck_assert(start_charon());
	ck_assert(write_file("charon.pid", 0644, "%d\n", (int)charon));
	rc = initiate();
	ck_assert_msg(rc == 0, "swanctl --initiate failed (%d):\n%s", rc, tl_out_tail(out));
	expect_log("[IKE] IKE_SA rw-allow[2] established between ");
	expect_log("[IKE] IKE_SA rw-allow[1] with " RW "[4500] closed: INITIAL_CONTACT in IKE_SA 2 "
	    "of the same peer");
	ck_assert_int_eq(tl_log_count(&tncd, "closed: INITIAL_CONTACT"), 1);
	ck_assert_int_eq(tl_log_count(&tncd, "IKE_SA rw-allow[2] with"), 0); /* still up */
	tl_tncd_stop(&tncd);
	stop_leftover_tncd(); /* its pid file */
	stop_restarted_charon();
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("ikev2_charon");
	TCase *tc = tcase_create("netns");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, eap_ttls_md5_establishes_rw_allow);
	tcase_add_test(tc, eap_tnc_refused_by_charon_denies_access);
	tcase_add_test(tc, mobike_update_moves_the_ike_sa);
	tcase_add_test(tc, gateway_certificate_auth_establishes);
	tcase_add_test(tc, child_sa_rekeyed_by_charon);
	tcase_add_test(tc, initial_contact_deletes_the_old_ike_sa); /* the last: it restarts charon */
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return charon_netns_main(suite);
}
