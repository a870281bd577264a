/* test_ikev2_kernel_esp.c - the gateway's kernel SAs, on the stage of
 * ikev2_charon_netns.h.  Our side's CHILD_SA goes to the kernel through
 * tnc-xfrm with ikev2_kernel = xfrm.  A kernel without ESP
 * (CONFIG_INET_ESP unset, as on the machine this was written on) takes the
 * policies and refuses the SAs: the IKE SA is then deleted and the
 * policies removed again, and the cases that need traffic only check what
 * they can.  A kernel with ESP takes all: tests/kernel/kernel-test runs
 * this under Debian's own kernel with TNC_REQUIRE_ESP=1, and there a ping
 * crosses charon's CHILD_SA and the gateway's kernel SAs, again after
 * charon rekeyed the CHILD_SA and the IKE SA; and the seeds' flow with our
 * own tncclient (EAP-TNC: allow, isolate, no access) installs its
 * CHILD_SAs' policies in the gateway's kernel. */
#include "ikev2_charon_netns.h"

START_TEST(kernel_sas_through_tnc_xfrm)
{
	char spi_in[16], spi_out[16], line[256];

	terminate_leftover_sa();
	start_tncd("no", "xfrm");
	ck_assert_msg(tl_log_contains(&tncd, "tnc-xfrm", 5000), "no tnc-xfrm in %s", tncd.log);
	(void)initiate();
	expect_log("[IKE] CHILD_SA rw-allow{1} established with SPIs ");
	log_word_after("established with SPIs ", spi_in, sizeof(spi_in));
	log_word_after("_i ", spi_out, sizeof(spi_out));
	ck_assert_uint_eq(strlen(spi_in), 8);
	ck_assert_uint_eq(strlen(spi_out), 8);
	/* what tnc-xfrm was asked for is the CHILD_SA: selectors, tunnel, SPIs */
	expect_log("[IKE] IKE_SA 1: policy out 10.1.0.0/28 === " RW "/32 via " GW " -> " RW
	    " (reqid ");
	expect_log("[IKE] IKE_SA 1: policy in " RW "/32 === 10.1.0.0/28 via " RW " -> " GW);
	expect_log("[IKE] IKE_SA 1: policy fwd " RW "/32 === 10.1.0.0/28 via " RW " -> " GW);
	snprintf(line, sizeof(line), "SA in %s " RW " -> " GW " (reqid ", spi_in);
	bool refused = tl_log_contains(&tncd, "the CHILD_SA's kernel SAs are not installed: ", 5000);
	/* in UDP between both ends' NAT-T ports (charon's kernel-libipsec asks
	 * for encapsulation): the port the IKE SA floated to, ours included */
	expect_log(", in UDP 4500 -> 4500)");
	ck_assert_int_eq(tl_log_count(&tncd, ", in UDP 500"), 0);
	if (refused) {
		/* this kernel has no ESP: the SA is refused, the IKE SA deleted
		 * (charon may ignore the first DELETE, taken before it processed
		 * the IKE_AUTH response: the retransmission a second later ends
		 * the SA at both ends) */
		snprintf(line, sizeof(line), "kernel SAs are not installed: SA in %s " RW " -> " GW
		    " (reqid ", spi_in);
		expect_log(line);
		expect_log("refused by tnc-xfrm: ");
		expect_log("[IKE] IKE_SA rw-allow[1] with " RW "[4500] closed: kernel SAs not "
		    "installed: SA in ");
		expect_log("[IKE] closing CHILD_SA rw-allow{1} with SPIs ");
		ck_assert_int_eq(tl_log_count(&tncd, "kernel SAs are not installed"), 1);
		/* the peer is told: it must not believe in a tunnel */
		bool told = false;
		for (int i = 0; i < 100 && !told; i++) {
			told = tl_sh(out, sizeof(out), "grep -q 'received DELETE for IKE_SA' "
			    "%s/charon.log", dir) == 0;
			if (!told)
				usleep(100000);
		}
		if (!told)
			(void)tl_sh(out, sizeof(out), "tail -n 40 %s/charon.log", dir);
		ck_assert_msg(told, "charon got no DELETE; its log's end:\n%s", tl_out_tail(out));
	} else {
		expect_log(line);
		snprintf(line, sizeof(line), "SA out %s " GW " -> " RW " (reqid ", spi_out);
		expect_log(line);
		expect_log("and their policies installed");
		ck_assert_int_eq(gw_xfrm("state"), 0);
		ck_assert_msg(strstr(out, "10.1.0.0/28") == NULL && strstr(out, "proto esp"),
		    "no ESP state:\n%s", tl_out_tail(out));
		int rc = tl_sh(out, sizeof(out), "timeout 30 swanctl --terminate --ike home --uri "
		    "unix://%s/charon.vici 2>&1", dir);
		ck_assert_msg(rc == 0, "swanctl --terminate failed (%d):\n%s", rc, tl_out_tail(out));
		expect_log("[IKE] closing CHILD_SA rw-allow{1} with SPIs ");
	}
	/* the policies (installed first: they were in the kernel) are gone again */
	bool gone = false;
	for (int i = 0; i < 50 && !gone; i++) {
		ck_assert_int_eq(gw_xfrm("policy"), 0);
		gone = strstr(out, "10.1.0.0/28") == NULL;
		if (!gone)
			usleep(100000);
	}
	ck_assert_msg(gone, "policies left in the gateway's kernel:\n%s", tl_out_tail(out));
	ck_assert_int_eq(gw_xfrm("state"), 0);
	ck_assert_msg(strstr(out, RW) == NULL, "SAs left in the gateway's kernel:\n%s", tl_out_tail(out));
	tl_tncd_stop(&tncd);
	stop_leftover_tncd(); /* its pid file */
}
END_TEST

/* Whether the gateway's kernel takes an ESP SA (CONFIG_INET_ESP): one of
 * iproute2's, removed again.  Where TNC_REQUIRE_ESP is set (the guest of
 * tests/kernel/kernel-test) a kernel without it fails the test. */
static bool
gateway_kernel_has_esp(void)
{
	bool esp = tl_sh(out, sizeof(out), "ip -n %s xfrm state add src 192.0.2.9 dst 192.0.2.8 "
	    "proto esp spi 0x999 mode tunnel aead 'rfc4106(gcm(aes))' "
	    "0x0001020304050607080910111213141516171819 128 2>&1 && ip -n %s xfrm state flush",
	    ns_gw, ns_gw) == 0;
	ck_assert_msg(esp || !getenv("TNC_REQUIRE_ESP"), "TNC_REQUIRE_ESP, but this kernel takes "
	    "no ESP SA: %s", tl_out_tail(out));
	if (!esp)
		fprintf(stderr, "test_ikev2_kernel_esp: this kernel has no ESP: traffic through the "
		    "kernel SAs is tested by tests/kernel/kernel-test\n");
	return esp;
}

/* ping from the road warrior to the gateway's 10.1.0.1 (inside rw-allow's
 * 10.1.0.0/28): ping's exit code, its output in out. */
static int
ping_gateway_subnet(int count)
{
	return tl_sh(out, sizeof(out), "ip netns exec %s ping -n -c %d -i 0.3 -W 3 -I " RW
	    " 10.1.0.1 2>&1", ns_rw, count);
}

/* Three pings from the road warrior through its route into charon's TUN
 * device must all come back; on failure the gateway's SAs and policies,
 * the road warrior's routes and links and charon's log go to stderr. */
static void
expect_pings_cross(void)
{
	ck_assert_int_eq(tl_sh(out, sizeof(out), "ip -n %s route replace 10.1.0.0/28 dev ipsec0 "
	    "src " RW " 2>&1", ns_rw), 0);
	int rc = ping_gateway_subnet(3);
	if (rc != 0) {
		(void)tl_sh(out, sizeof(out), "ip -n %s -s xfrm state; ip -n %s xfrm policy; "
		    "ip -n %s route show table all; ip -n %s -s link; grep -v 'ENC\\|MGR' "
		    "%s/charon.log | tail -n 30", ns_gw, ns_gw, ns_rw, ns_rw, dir);
		fprintf(stderr, "%s\n", out);
	}
	ck_assert_msg(rc == 0, "no ping through the CHILD_SA (%d): the gateway's SAs and "
	    "policies, the road warrior's routes and links, charon's log:\n%s", rc,
	    tl_out_tail(out));
	ck_assert_ptr_nonnull(strstr(out, "3 packets transmitted, 3 received"));
}

/* With ESP in the gateway's kernel: tncd with tnc-xfrm, charon's IKE SA and
 * CHILD_SA up, its kernel SAs and policies installed.  false without ESP. */
static bool
charon_sa_in_the_kernel(void)
{
	if (!gateway_kernel_has_esp())
		return false;
	terminate_leftover_sa();
	start_tncd("no", "xfrm");
	int rc = initiate();
	ck_assert_msg(rc == 0, "swanctl --initiate failed (%d):\n%s", rc, tl_out_tail(out));
	expect_log("[IKE] CHILD_SA rw-allow{1} established with SPIs ");
	expect_log("and their policies installed");
	return true;
}

/* The seeds' allow: charon's ESP (kernel-libipsec, in user space) and the
 * gateway's kernel SAs, installed by tnc-xfrm, carry ICMP both ways
 * through the rw-allow CHILD_SA; once the peer deleted it, nothing crosses.
 * Without a route into charon's TUN device nothing would: the packets
 * would leave in the clear and the gateway's "in" policy would drop them. */
START_TEST(traffic_passes_through_the_kernel_sas)
{
	if (!charon_sa_in_the_kernel())
		return;
	expect_pings_cross();
	/* both of the gateway's SAs counted them, in UDP on 4500 (charon's
	 * kernel-libipsec asks for encapsulation) */
	ck_assert_int_eq(tl_sh(out, sizeof(out), "ip -n %s -s xfrm state 2>&1", ns_gw), 0);
	ck_assert_msg(strstr(out, "encap type espinudp sport 4500 dport 4500"), "%s",
	    tl_out_tail(out));
	int counted = 0; /* SAs with at least 3 packets ("...B), 3(packets)") */
	for (const char *p = out; (p = strstr(p, "(packets)")) != NULL; p++) {
		const char *n = p;
		while (n > out && n[-1] >= '0' && n[-1] <= '9')
			n--;
		counted += atoi(n) >= 3;
	}
	ck_assert_msg(counted == 2, "both SAs counted the 3 pings:\n%s", tl_out_tail(out));
	int rc = tl_sh(out, sizeof(out), "timeout 30 swanctl --terminate --ike home --uri "
	    "unix://%s/charon.vici 2>&1", dir);
	ck_assert_msg(rc == 0, "swanctl --terminate failed (%d):\n%s", rc, tl_out_tail(out));
	expect_log("[IKE] closing CHILD_SA rw-allow{1} with SPIs ");
	ck_assert_msg(ping_gateway_subnet(1) != 0, "a ping crossed without the CHILD_SA:\n%s",
	    tl_out_tail(out));
	tl_tncd_stop(&tncd);
	stop_leftover_tncd(); /* its pid file */
}
END_TEST

/* The tncclient --ikev2 command line, to the gateway, with the facts file
 * and more options. */
static void
tncclient_cmd(char *cmd, size_t size, const char *facts_path, const char *secret_path,
    const char *more)
{
	snprintf(cmd, size, "%s/tncclient --ikev2 " GW ":500 --natt-port 4500 --eap-identity "
	    TL_IKEV2_IDENTITY " --eap-secret-file %s --ca %s/gw.crt --server-name "
	    "moon.strongswan.org --facts %s --timeout 30 --verbose %s", TNC_BIN_DIR, secret_path,
	    dir, facts_path, more);
}

/* tncclient in the road warrior's namespace: its exit code, its output
 * (the log lines too) in out. */
static int
tncclient(const char *facts_path, const char *secret_path)
{
	char cmd[1024];
	tncclient_cmd(cmd, sizeof(cmd), facts_path, secret_path, "2>&1");
	return tl_sh(out, sizeof(out), "ip netns exec %s %s", ns_rw, cmd);
}

/* tncclient --stay in the road warrior's namespace, its output into
 * dir/stay.out: its pid. */
static pid_t
tncclient_stay(const char *facts_path, const char *secret_path)
{
	char cmd[1024], more[300], line[1100];
	snprintf(more, sizeof(more), "--stay > %s/stay.out 2>&1", dir);
	tncclient_cmd(cmd, sizeof(cmd), facts_path, secret_path, more);
	snprintf(line, sizeof(line), "exec %s", cmd); /* the signal goes to tncclient */
	pid_t c = fork();
	ck_assert_int_ge(c, 0);
	if (c == 0) {
		if (enter(ns_rw) == 0)
			execl("/bin/sh", "sh", "-c", line, (char *)NULL);
		_exit(127);
	}
	return c;
}

/* SIGTERM to a tncclient_stay() client (it deletes its IKE SA and exits
 * with the verdict): its exit code, its output in out. */
static int
tncclient_stop(pid_t c)
{
	int st;
	char path[256];
	size_t len;

	ck_assert_int_eq(kill(c, SIGTERM), 0);
	ck_assert_int_eq(waitpid(c, &st, 0), c);
	snprintf(path, sizeof(path), "%s/stay.out", dir);
	char *text = (char *)tl_read_file(path, &len);
	ck_assert_ptr_nonnull(text);
	snprintf(out, sizeof(out), "%s", text);
	free(text);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void
expect_client(const char *line)
{
	ck_assert_msg(strstr(out, line), "tncclient did not print '%s':\n%s", line,
	    tl_out_tail(out));
}

/* After the client's DELETE, no policy of conn's selectors ts is left in
 * the gateway's kernel. */
static void
expect_policies_gone(const char *ts)
{
	bool gone = false;
	for (int i = 0; i < 50 && !gone; i++) {
		ck_assert_int_eq(gw_xfrm("policy"), 0);
		gone = strstr(out, ts) == NULL;
		if (!gone)
			usleep(100000);
	}
	ck_assert_msg(gone, "policies of %s left in the gateway's kernel:\n%s", ts,
	    tl_out_tail(out));
}

/* The seeds' flow with our own client, across the two namespaces: EAP-TTLS
 * with EAP-Identity, EAP-MD5 and EAP-TNC to the real IMVs and the policy
 * database; allow gives rw-allow's CHILD_SA, forwarding rw-isolate's (both
 * installed in the gateway's kernel where it has ESP, and removed at the
 * client's DELETE), a product the operator denies EAP-Failure and no SA. */
START_TEST(tncclient_allow_isolate_no_access_across_namespaces)
{
	char secret[256], facts_path[256];
	const bool esp = gateway_kernel_has_esp();

	start_tncd_with("eap-tnc", esp ? "xfrm" : "none",
	    "rw_allow_pool = 10.3.0.0/28\nrw_isolate_pool = 10.4.0.0/28\n");
	tl_policy_seed(&tncd);
	tl_ikev2_secret_file(dir, "client-secret", TL_IKEV2_SECRET "\n", secret, sizeof(secret));

	pid_t c = tncclient_stay(tl_facts_file(&tncd, "ok", "", facts_path, sizeof(facts_path)),
	    secret);
	expect_log("[IKE] CHILD_SA rw-allow{1} established with SPIs ");
	expect_log(" and TS 10.1.0.0/28 === 10.3.0.1/32");
	if (esp) {
		expect_log("[IKE] IKE_SA 1: policy out 10.1.0.0/28 === 10.3.0.1/32 via " GW " -> " RW);
		expect_log("and their policies installed");
		ck_assert_int_eq(gw_xfrm("policy"), 0);
		ck_assert_msg(strstr(out, "src 10.1.0.0/28 dst 10.3.0.1/32"), "%s", tl_out_tail(out));
	}
	int rc = tncclient_stop(c);
	ck_assert_msg(rc == 0, "tncclient exit %d:\n%s", rc, tl_out_tail(out));
	expect_client("access recommendation: allow");
	expect_client("traffic selectors: 10.3.0.1/32 === 10.1.0.0/28\n");
	expect_client("[IKE] IKE_SA deleted");
	expect_log("[IKE] " RW " is initiating an IKE_SA");
	expect_log("[IKE] phase2 method EAP_TNC selected for '" TL_IKEV2_IDENTITY "'");
	expect_log("[TNC] policy enforcement point added group membership 'allow'");
	expect_log("[IKE] IKE_SA rw-allow[1] established between " GW "[moon.strongswan.org]..."
	    RW "[" TL_IKEV2_IDENTITY "]");
	expect_log("[IKE] IKE_SA rw-allow[1] with " RW "[");
	if (esp)
		expect_policies_gone("10.3.0.1/32");

	c = tncclient_stay(tl_facts_file(&tncd, "fwd", "forwarding = 1\n", facts_path,
	    sizeof(facts_path)), secret);
	expect_log("[IKE] CHILD_SA rw-isolate{2} established with SPIs ");
	expect_log(" and TS 10.1.0.16/28 === 10.4.0.1/32");
	if (esp) {
		expect_log("[IKE] IKE_SA 2: policy out 10.1.0.16/28 === 10.4.0.1/32 via " GW " -> "
		    RW);
		ck_assert_int_eq(tl_log_count_reaching(&tncd, "and their policies installed", 2, 5000),
		    2);
	}
	rc = tncclient_stop(c);
	ck_assert_msg(rc == 2, "tncclient exit %d:\n%s", rc, tl_out_tail(out));
	expect_client("access recommendation: isolate");
	expect_client("traffic selectors: 10.4.0.1/32 === 10.1.0.16/28\n");
	expect_log("[TNC] policy enforcement point added group membership 'isolate'");
	if (esp)
		expect_policies_gone("10.4.0.1/32");

	tl_adm(&tncd, "policy set 'Installed Packages' --noresult no_access");
	rc = tncclient(tl_facts_file(&tncd, "win", "product = Windows\nversion = 95\n", facts_path,
	    sizeof(facts_path)), secret);
	ck_assert_msg(rc == 3, "tncclient exit %d:\n%s", rc, tl_out_tail(out));
	expect_client("access recommendation: no access");
	expect_client("IKE SA: none (EAP method EAP_TTLS failed: the server sent EAP-Failure");
	expect_log("[TNC] no access for peer '" TL_IKEV2_IDENTITY "'");
	ck_assert_int_eq(tl_log_count(&tncd, "established between"), 2);
	tl_tncd_stop(&tncd);
	stop_leftover_tncd(); /* its pid file */
}
END_TEST

/* The inbound SPI of the last CHILD_SA tncd established, as hex text. */
static void
last_child_spi(char *ret, size_t size)
{
	static const char key[] = "established with SPIs ";
	ret[0] = 0;
	if (tl_sh(out, sizeof(out), "grep -o '%s[0-9a-f]*' %s | tail -n 1", key, tncd.log) == 0 &&
	    strlen(out) > strlen(key))
		snprintf(ret, size, "%.*s", (int)strcspn(out + strlen(key), "\n"), out + strlen(key));
}

/* Traffic goes on through the kernel when charon rekeys: the new CHILD_SA's
 * SAs come in under the same policies and carry the pings, the old ones go
 * (so the pings can only have taken the new ones); after charon rekeys the
 * IKE SA too, the CHILD_SA still carries them. */
START_TEST(traffic_crosses_a_rekeyed_child_sa)
{
	char old_in[16], new_in[16], line[256];

	if (!charon_sa_in_the_kernel())
		return;
	last_child_spi(old_in, sizeof(old_in));
	ck_assert_uint_eq(strlen(old_in), 8);
	expect_pings_cross();

	int rc = tl_sh(out, sizeof(out), "timeout 30 swanctl --rekey --child home --uri "
	    "unix://%s/charon.vici 2>&1", dir);
	ck_assert_msg(rc == 0, "swanctl --rekey failed (%d):\n%s", rc, tl_out_tail(out));
	snprintf(line, sizeof(line), "[IKE] closing CHILD_SA rw-allow{1} with SPIs %s_i", old_in);
	ck_assert_msg(tl_log_contains(&tncd, line, 10000), "no '%s' in %s", line, tncd.log);
	last_child_spi(new_in, sizeof(new_in));
	ck_assert_str_ne(new_in, old_in);
	ck_assert_int_eq(gw_xfrm("state"), 0);
	snprintf(line, sizeof(line), "spi 0x%s", new_in);
	ck_assert_msg(strstr(out, line), "no SA %s in the gateway's kernel:\n%s", new_in,
	    tl_out_tail(out));
	snprintf(line, sizeof(line), "spi 0x%s", old_in);
	for (int i = 0; i < 50 && strstr(out, line); i++) {
		usleep(100000);
		ck_assert_int_eq(gw_xfrm("state"), 0);
	}
	ck_assert_msg(!strstr(out, line), "the old SA %s is still in the gateway's kernel", old_in);
	expect_pings_cross();

	rc = tl_sh(out, sizeof(out), "timeout 30 swanctl --rekey --ike home --uri "
	    "unix://%s/charon.vici 2>&1", dir);
	ck_assert_msg(rc == 0, "swanctl --rekey --ike failed (%d):\n%s", rc, tl_out_tail(out));
	ck_assert_msg(tl_log_contains(&tncd, "[IKE] IKE_SA rw-allow[1] rekeyed between ", 10000),
	    "no IKE SA rekey in %s", tncd.log);
	expect_pings_cross();
	rc = tl_sh(out, sizeof(out), "timeout 30 swanctl --terminate --ike home --uri "
	    "unix://%s/charon.vici 2>&1", dir);
	ck_assert_msg(rc == 0, "swanctl --terminate failed (%d):\n%s", rc, tl_out_tail(out));
	tl_tncd_stop(&tncd);
	stop_leftover_tncd(); /* its pid file */
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("ikev2_kernel_esp");
	TCase *tc = tcase_create("netns");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, kernel_sas_through_tnc_xfrm);
	tcase_add_test(tc, traffic_passes_through_the_kernel_sas);
	tcase_add_test(tc, traffic_crosses_a_rekeyed_child_sa);
	tcase_add_test(tc, tncclient_allow_isolate_no_access_across_namespaces);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return charon_netns_main(suite);
}
