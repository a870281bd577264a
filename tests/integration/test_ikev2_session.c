/* test_ikev2_session.c - the seeds' whole flow between our client and our
 * server on loopback: tncclient --ikev2 (IKE_SA_INIT, IKE_AUTH with
 * EAP-TTLS carrying EAP-Identity, EAP-MD5 and EAP-TNC, the MSK-keyed AUTH)
 * against tncd with IKEv2 on, its real IMVs judging from the policy
 * database (tl_policy_seed()): allow gives rw-allow's CHILD_SA, forwarding
 * rw-isolate's, a product the operator denies EAP-Failure and no SA; IKE
 * fragments (RFC 7383) and a large inventory over many EAP-TNC round
 * trips; NAT traversal through a NAT the test plays; --stay; a client
 * killed mid-EAP leaves the other sessions alone. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ike_mode.h"
#include "tl_ikev2.h"

/* the pools the two connections lease from, and their traffic selectors */
#define ALLOW_POOL "10.3.0.0/28"
#define ISOLATE_POOL "10.4.0.0/28"
#define ALLOW_TS "10.1.0.0/28"
#define ISOLATE_TS "10.1.0.16/28"
#define IDENTITY TL_IKEV2_IDENTITY

static char out[1 << 20];
static struct tl_tncd tncd;
static int ike_port, natt_port;
static char secret_path[256];

/* tncd with IKEv2 on two free UDP ports (the IKE side is what is tested:
 * no kernel SAs), the two pools and extra [ike] keys; the client's secret
 * file; the policy database seeded. */
static void
start(const char *extra)
{
	static char dir[] = "/tmp/tnc-ikev2s-XXXXXX";
	char conf[1024];

	snprintf(conf, sizeof(conf), "rw_allow_pool = " ALLOW_POOL "\nrw_isolate_pool = "
	    ISOLATE_POOL "\n%s", extra ? extra : "");
	ike_port = tl_ikev2_tncd_start(&tncd, dir, conf);
	natt_port = ike_port + 1;
	tl_ikev2_secret_file(dir, "client-secret", TL_IKEV2_SECRET "\n", secret_path,
	    sizeof(secret_path));
	tl_policy_seed(&tncd);
}

static const char *
facts(const char *name, const char *text)
{
	static char path[256];
	return tl_facts_file(&tncd, name, text, path, sizeof(path));
}

/* The shell command that runs tncclient --ikev2 to port and natt with the
 * facts file, then options (more options, redirections). */
static void
client_cmd(char *cmd, size_t size, int port, int natt, const char *facts_path,
    const char *options)
{
	snprintf(cmd, size, "exec %s/tncclient --ikev2 127.0.0.1:%d --natt-port %d "
	    "--eap-identity " IDENTITY " --eap-secret-file %s --ca %s --facts %s --timeout 30 %s",
	    TNC_BIN_DIR, port, natt, secret_path, tncd.ca, facts_path, options);
}

/* tncclient --ikev2 to port and natt with the facts file and extra options:
 * its exit code, its output (verbose: the log lines too) in out. */
static int
client_to(int port, int natt, const char *facts_path, const char *extra)
{
	char cmd[1024], options[256];
	snprintf(options, sizeof(options), "--verbose %s 2>&1", extra ? extra : "");
	client_cmd(cmd, sizeof(cmd), port, natt, facts_path, options);
	return tl_sh(out, sizeof(out), "%s", cmd);
}

static int
client(const char *facts_path, const char *extra)
{
	return client_to(ike_port, natt_port, facts_path, extra);
}

/* tncclient --ikev2 with the facts file and options in a child of its own:
 * its pid. */
static pid_t
client_spawn(const char *facts_path, const char *options)
{
	char cmd[1024];
	client_cmd(cmd, sizeof(cmd), ike_port, natt_port, facts_path, options);
	pid_t c = fork();
	ck_assert_int_ge(c, 0);
	if (c == 0) {
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	return c;
}

static void
expect_out(const char *line)
{
	ck_assert_msg(strstr(out, line), "tncclient did not print '%s':\n%s", line,
	    tl_out_tail(out));
}

static void
expect_log(const char *line)
{
	tl_assert_logged(&tncd, line);
}

/* The IKE_AUTH round trips the client printed. */
static unsigned
auth_round_trips(void)
{
	const char *p = strstr(out, "IKE SA: established with ");
	unsigned n = 0;
	ck_assert_msg(p && (p = strstr(p, ", ")) && sscanf(p, ", %u IKE_AUTH round trips", &n) == 1,
	    "no round-trip count:\n%s", tl_out_tail(out));
	return n;
}

START_TEST(compliant_endpoint_gets_rw_allow)
{
	/* the first SDATA refers to the PDP; the OS IMV logs the connection */
	start("[tnccs]\npdp_server = pdp.example.org\n[imv-os]\nlog.IMV = 2\n");
	int rc = client(facts("ok", ""), NULL);
	ck_assert_msg(rc == 0, "tncclient exit %d:\n%s", rc, tl_out_tail(out));
	/* the client: the TNC result, then what it knows of the SA */
	expect_out("access recommendation: allow");
	expect_out("virtual IP: 10.3.0.1\n");
	expect_out("traffic selectors: 10.3.0.1/32 === " ALLOW_TS "\n");
	expect_out("[IKE] EAP method EAP_TTLS succeeded, MSK established");
	expect_out("[IKE] CHILD_SA home{1} established with SPIs ");
	expect_out("[IKE] IKE_SA deleted");
	expect_out("[TNC] PDP server 'pdp.example.org' listens on TCP port 271\n");
	expect_log("[TNC] clients over EAP are referred to the PDP pdp.example.org, port 271");
	/* what the IMVs learn of the connection, as strongSwan's log it */
	expect_log("[IMV]   over IF-T for Tunneled EAP 1.1 with maximum PA-TNC message size of ");
	expect_log("[IMV]   user AR identity '" IDENTITY "' of type username authenticated by "
	    "password");
	expect_log("[IMV]   machine AR identity '127.0.0.1' of type IPv4 address authenticated by "
	    "unknown method");
	/* the server: the seeds' lines */
	expect_log("[IKE] 127.0.0.1 is initiating an IKE_SA");
	expect_log("[IKE] initiating EAP_TTLS method");
	expect_log("[IKE] phase2 method EAP_TNC selected for '" IDENTITY "'");
	expect_log("final recommendation is 'allow'");
	expect_log("[TNC] policy enforcement point added group membership 'allow'");
	expect_log("[IKE] EAP method EAP_TTLS succeeded, MSK established");
	expect_log("[IKE] IKE_SA rw-allow[1] established between 127.0.0.1[tnc-gateway]...127.0.0.1["
	    IDENTITY "]");
	expect_log("[IKE] assigning virtual IP 10.3.0.1 to peer '" IDENTITY "'");
	expect_log("[IKE] CHILD_SA rw-allow{1} established with SPIs ");
	expect_log(" and TS " ALLOW_TS " === 10.3.0.1/32");
	/* the client's DELETE */
	expect_log("[IKE] IKE_SA rw-allow[1] with 127.0.0.1[");
	ck_assert_uint_le(auth_round_trips(), 20);
	tl_tncd_stop(&tncd);
}
END_TEST

START_TEST(forwarding_endpoint_gets_rw_isolate)
{
	start(NULL);
	int rc = client(facts("fwd", "forwarding = 1\n"), NULL);
	ck_assert_msg(rc == 2, "tncclient exit %d:\n%s", rc, tl_out_tail(out));
	expect_out("access recommendation: isolate");
	expect_out("virtual IP: 10.4.0.1\n");
	expect_out("traffic selectors: 10.4.0.1/32 === " ISOLATE_TS "\n");
	expect_log("final recommendation is 'isolate'");
	expect_log("[TNC] policy enforcement point added group membership 'isolate'");
	expect_log("[IKE] IKE_SA rw-isolate[1] established between ");
	expect_log("[IKE] CHILD_SA rw-isolate{1} established with SPIs ");
	expect_log(" and TS " ISOLATE_TS " === 10.4.0.1/32");
	ck_assert_int_eq(tl_log_count(&tncd, "rw-allow"), 0);
	tl_tncd_stop(&tncd);
}
END_TEST

/* The operator denies products the database does not know: the server's
 * RESULT says no access, EAP-Failure follows and no SA comes up. */
START_TEST(denied_endpoint_gets_eap_failure_and_no_sa)
{
	start(NULL);
	tl_adm(&tncd, "policy set 'Installed Packages' --noresult no_access");
	int rc = client(facts("win", "product = Windows\nversion = 95\n"), NULL);
	ck_assert_msg(rc == 3, "tncclient exit %d:\n%s", rc, tl_out_tail(out));
	expect_out("access recommendation: no access");
	expect_out("[IKE] EAP method EAP_TTLS failed: ");
	expect_out("IKE SA: none (EAP method EAP_TTLS failed: the server sent EAP-Failure");
	ck_assert_msg(!strstr(out, "virtual IP"), "%s", tl_out_tail(out));
	expect_log("final recommendation is 'no access'");
	expect_log("[TNC] no access for peer '" IDENTITY "'");
	expect_log("[IKE] EAP method EAP_TTLS failed for peer '" IDENTITY "'");
	ck_assert_int_eq(tl_log_count(&tncd, "established between"), 0);
	ck_assert_int_eq(tl_log_count(&tncd, "assigning virtual IP"), 0);
	tl_tncd_stop(&tncd);
}
END_TEST

/* A wrong EAP-MD5 secret: refused before TNC, exit 5. */
START_TEST(wrong_md5_secret_is_refused)
{
	start(NULL);
	FILE *f = fopen(secret_path, "w");
	ck_assert_ptr_nonnull(f);
	fprintf(f, "not-carol-secret\n");
	fclose(f);
	int rc = client(facts("ok", ""), NULL);
	ck_assert_msg(rc == 5, "tncclient exit %d:\n%s", rc, tl_out_tail(out));
	expect_out("access recommendation: none (error: EAP method EAP_TTLS failed: ");
	ck_assert_int_eq(tl_log_count(&tncd, "phase2 method EAP_TNC selected"), 0);
	ck_assert_int_eq(tl_log_count(&tncd, "established between"), 0);
	tl_tncd_stop(&tncd);
}
END_TEST

/* RFC 7383 on both sides: IKE messages over 576 octets go in fragments;
 * the session is the same. */
START_TEST(small_ike_fragments_still_allow)
{
	start("ikev2_fragment_size = 576\n");
	int rc = client(facts("ok", "packages_count = 200\n"), "--ike-fragment-size 576");
	ck_assert_msg(rc == 0, "tncclient exit %d:\n%s", rc, tl_out_tail(out));
	expect_out("access recommendation: allow");
	expect_out("traffic selectors: 10.3.0.1/32 === " ALLOW_TS "\n");
	/* both directions fragmented: the server's TLS certificate flight and
	 * our CDATA batch with 200 packages */
	expect_log("[ENC] parsed IKE_AUTH request ");
	expect_log("EF(");
	expect_log("[IKE] IKE_SA rw-allow[1] established between ");
	tl_tncd_stop(&tncd);
}
END_TEST

/* 20000 packages: PB-TNC batches of some 370 kB in all over EAP-TNC
 * fragments of eap_fragment_size (IKE_MODE_EAP_FRAGMENT_SIZE on both
 * sides by default): one IKE_AUTH round trip per
 * fragment, the count the client prints. */
START_TEST(large_inventory_takes_many_round_trips)
{
	start(NULL);
	int rc = client(facts("big", "packages_count = 20000\n"), NULL);
	ck_assert_msg(rc == 0, "tncclient exit %d:\n%s", rc, tl_out_tail(out));
	expect_out("access recommendation: allow");
	/* our batches (the IMC's segments of the package list) in EAP-TNC
	 * fragments of the default size, each fragment one round trip */
	size_t total = 0, fragments = 0, len;
	for (const char *p = out; (p = strstr(p, "sending PB-TNC CDATA batch (")); p++)
		if (sscanf(p, "sending PB-TNC CDATA batch (%zu bytes)", &len) == 1) {
			total += len;
			fragments += (len + IKE_MODE_EAP_FRAGMENT_SIZE - 1) / IKE_MODE_EAP_FRAGMENT_SIZE;
		}
	ck_assert_uint_gt(total, 300000);
	unsigned n = auth_round_trips();
	/* plus the TLS handshake, EAP-Identity, EAP-MD5, the result, AUTH */
	ck_assert_msg(n > fragments && n <= fragments + 12, "%u round trips for %zu fragments", n,
	    fragments);
	expect_log("[IKE] IKE_SA rw-allow[1] established between ");
	tl_tncd_stop(&tncd);
}
END_TEST

/* A UDP socket on 127.0.0.1 (a port of its own), connected to port when
 * one is given; its port in *ret_port. */
static int
udp_socket(int port, int *ret_port)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t len = sizeof(a);
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&a, &len), 0);
	*ret_port = ntohs(a.sin_port);
	if (port) {
		a.sin_port = htons((uint16_t)port);
		ck_assert_int_eq(connect(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	}
	return fd;
}

/* A NAT in a child process: datagrams to its two ports go on to tncd's
 * IKE and NAT-T ports from two other ports of its own (the source port
 * changes, as a NAPT changes it), the answers back to the sender last
 * seen; its ports in nat_ports.  Ends with the test's process. */
static pid_t
start_nat(int nat_ports[2])
{
	int down[2], up[2], up_port;
	down[0] = udp_socket(0, &nat_ports[0]);
	down[1] = udp_socket(0, &nat_ports[1]);
	up[0] = udp_socket(ike_port, &up_port);
	up[1] = udp_socket(natt_port, &up_port);
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid > 0) {
		for (int i = 0; i < 2; i++) {
			close(down[i]);
			close(up[i]);
		}
		return pid;
	}
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	struct sockaddr_in peer[2];
	socklen_t peer_len[2] = {0, 0};
	static uint8_t buf[65536];
	for (;;) {
		struct pollfd p[4] = {{down[0], POLLIN, 0}, {down[1], POLLIN, 0}, {up[0], POLLIN, 0},
		    {up[1], POLLIN, 0}};
		if (poll(p, 4, -1) < 0)
			_exit(1);
		for (int i = 0; i < 2; i++) {
			if (p[i].revents & POLLIN) {
				peer_len[i] = sizeof(peer[i]);
				ssize_t n = recvfrom(down[i], buf, sizeof(buf), 0,
				    (struct sockaddr *)&peer[i], &peer_len[i]);
				if (n > 0)
					(void)send(up[i], buf, (size_t)n, 0);
			}
			if (p[2 + i].revents & (POLLIN | POLLERR)) {
				ssize_t n = recv(up[i], buf, sizeof(buf), 0);
				if (n > 0 && peer_len[i])
					(void)sendto(down[i], buf, (size_t)n, 0,
					    (struct sockaddr *)&peer[i], peer_len[i]);
			}
		}
	}
}

/* Behind a NAT: both ends detect it (RFC 7296 2.23), IKE_AUTH goes to the
 * NAT-T port with the non-ESP marker, the session is the same. */
START_TEST(behind_a_nat_moves_to_the_natt_port)
{
	int nat[2];
	start(NULL);
	pid_t nat_pid = start_nat(nat);
	int rc = client_to(nat[0], nat[1], facts("ok", ""), NULL);
	kill(nat_pid, SIGKILL);
	waitpid(nat_pid, NULL, 0);
	ck_assert_msg(rc == 0, "tncclient exit %d:\n%s", rc, tl_out_tail(out));
	char line[128];
	snprintf(line, sizeof(line), "[IKE] local host is behind NAT, switching to port %d", nat[1]);
	expect_out(line);
	expect_out("access recommendation: allow");
	snprintf(line, sizeof(line), " to 127.0.0.1[%d] ", natt_port);
	expect_log(line);
	expect_log("[IKE] IKE_SA rw-allow[1] established between ");
	tl_tncd_stop(&tncd);
}
END_TEST

/* tncd and a tncclient --stay with more options (its output in tncd's
 * directory, path): its pid. */
static pid_t
spawn_stayer(char *path, size_t size, const char *more)
{
	char options[512];
	start(NULL);
	snprintf(path, size, "%s/stay.out", tncd.dir);
	snprintf(options, sizeof(options), "--stay %s--verbose > %s 2>&1", more, path);
	return client_spawn(facts("ok", ""), options);
}

/* spawn_stayer() whose CHILD_SA is up. */
static pid_t
start_stayer(char *path, size_t size)
{
	pid_t c = spawn_stayer(path, size, "");
	expect_log("[IKE] CHILD_SA rw-allow{1} established with SPIs ");
	return c;
}

/* The file at path holds line. */
static void
expect_in_file(const char *path, const char *line)
{
	size_t len;
	char *text = (char *)tl_read_file(path, &len);
	ck_assert_ptr_nonnull(text);
	ck_assert_msg(strstr(text, line), "no '%s' in:\n%s", line, text);
	free(text);
}

/* SIGTERM to a spawn_stayer() client: it exits with allow's 0 after
 * deleting its SA, which the gateway logs as closed. */
static void
stop_stayer(pid_t c, const char *path)
{
	ck_assert_int_eq(kill(c, SIGTERM), 0);
	int st;
	ck_assert_int_eq(waitpid(c, &st, 0), c);
	ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0, "tncclient --stay: status %d", st);
	expect_log("[IKE] IKE_SA rw-allow[1] with 127.0.0.1[");
	expect_in_file(path, "[IKE] IKE_SA deleted");
}

/* --stay: the SA stays up (the server's log shows no close) until SIGTERM,
 * then the client deletes it and exits with the verdict. */
START_TEST(stay_keeps_the_sa_until_sigterm)
{
	char path[256];
	pid_t c = start_stayer(path, sizeof(path));
	usleep(500000);
	ck_assert_int_eq(tl_log_count(&tncd, "IKE_SA rw-allow[1] with"), 0);
	stop_stayer(c, path);
	tl_tncd_stop(&tncd);
}
END_TEST

/* --stay: a SIGTERM while the SA is still negotiated does not kill the
 * client; the session runs to its end, the SA that comes up is deleted at
 * once and the client exits with the verdict. */
START_TEST(stay_keeps_a_sigterm_during_negotiation)
{
	char path[256];
	pid_t c = spawn_stayer(path, sizeof(path), "--delay-ms 1000 ");
	/* its first CDATA is in: the next waits a second */
	expect_log("processing PB-TNC CDATA batch for Connection ID");
	stop_stayer(c, path);
	expect_log("[IKE] IKE_SA rw-allow[1] established between ");
	expect_in_file(path, "access recommendation: allow");
	tl_tncd_stop(&tncd);
}
END_TEST

/* A second client of the same identity comes with INITIAL_CONTACT: the
 * gateway ends the first one's IKE SA and sends it a DELETE, so a client
 * that still has the SA (the same identity on another device) learns it at
 * once instead of waiting on answers that never come. */
START_TEST(initial_contact_tells_the_other_sa_of_the_identity)
{
	char path[256];
	pid_t c = start_stayer(path, sizeof(path));
	int rc = client(facts("ok", ""), NULL);
	ck_assert_msg(rc == 0, "second client: exit %d:\n%s", rc, tl_out_tail(out));
	expect_log("[IKE] IKE_SA rw-allow[1] with 127.0.0.1[");
	expect_log("closed: INITIAL_CONTACT in IKE_SA 2 of the same peer");
	int st = 0;
	pid_t r = 0;
	for (int i = 0; i < 100 && (r = waitpid(c, &st, WNOHANG)) == 0; i++)
		usleep(50000);
	if (r == 0) {
		kill(c, SIGKILL);
		waitpid(c, NULL, 0);
	}
	ck_assert_msg(r == c, "the first client was not told that its IKE SA ended");
	expect_in_file(path, "responder deleted the IKE SA");
	tl_tncd_stop(&tncd);
}
END_TEST

/* A client killed while the server waits for its next EAP Response: the
 * other sessions go on (tnc-ike the same process). */
START_TEST(client_killed_mid_eap_leaves_others_alone)
{
	start(NULL);
	int ike_pid = tl_child_pid(&tncd, "tnc-ike");
	const char *f = facts("slow", "");
	pid_t c = client_spawn(f, "--delay-ms 20000 > /dev/null 2>&1");
	/* its first CDATA is in: the second waits 20 s */
	expect_log("processing PB-TNC CDATA batch for Connection ID");
	ck_assert_int_eq(kill(c, SIGKILL), 0);
	ck_assert_int_eq(waitpid(c, NULL, 0), c);
	int rc = client(f, NULL);
	ck_assert_msg(rc == 0, "tncclient exit %d:\n%s", rc, tl_out_tail(out));
	expect_log("[IKE] IKE_SA rw-allow[2] established between ");
	ck_assert_int_eq(tl_child_pid(&tncd, "tnc-ike"), ike_pid);
	tl_tncd_stop(&tncd);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("ikev2_session");
	TCase *tc = tcase_create("loopback");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, compliant_endpoint_gets_rw_allow);
	tcase_add_test(tc, forwarding_endpoint_gets_rw_isolate);
	tcase_add_test(tc, denied_endpoint_gets_eap_failure_and_no_sa);
	tcase_add_test(tc, wrong_md5_secret_is_refused);
	tcase_add_test(tc, small_ike_fragments_still_allow);
	tcase_add_test(tc, large_inventory_takes_many_round_trips);
	tcase_add_test(tc, client_killed_mid_eap_leaves_others_alone);
	tcase_add_test(tc, stay_keeps_the_sa_until_sigterm);
	tcase_add_test(tc, stay_keeps_a_sigterm_during_negotiation);
	tcase_add_test(tc, initial_contact_tells_the_other_sa_of_the_identity);
	tcase_add_test(tc, behind_a_nat_moves_to_the_natt_port);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tl_run_suite(suite());
}
