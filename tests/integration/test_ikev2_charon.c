/* test_ikev2_charon.c - interop with Debian's strongSwan: charon (its own
 * strongswan.conf through STRONGSWAN_CONF, its own swanctl.conf, its vici
 * socket in the test's directory) initiates in one network namespace, tncd
 * (our responder, IKEv2 on ports 500 and 4500) answers in another, joined
 * by a veth pair: 192.168.0.254 (the road warrior) and 192.168.0.1 (the
 * gateway, moon.strongswan.org, as in the seeds).
 *
 * The peer authenticates with EAP-TTLS and, inside the tunnel, EAP-Identity
 * and EAP-MD5; the gateway only through EAP-TTLS's server certificate
 * (EAP-only authentication, RFC 5998).  Debian 12's strongSwan has no
 * PB-TNC client (no tnccs-20 or tnc-imc plugin), so the flow with EAP-TNC
 * ends with charon refusing the method: access denied, no IKE SA.
 *
 * charon uses kernel-libipsec (ESP in user space); our side's CHILD_SA goes
 * to the kernel through tnc-xfrm with ikev2_kernel = xfrm.  A kernel
 * without ESP (CONFIG_INET_ESP unset, as on the machine this was written
 * on) takes the policies and refuses the SAs: the IKE SA is then deleted
 * and the policies removed again.  A kernel with ESP takes all: the test
 * then sees them installed and removed at the peer's DELETE.  charon
 * restarted initiates with INITIAL_CONTACT: the old IKE SA is deleted.
 * Also: the gateway's certificate AUTH (charon's remote auth = pubkey),
 * charon rekeying its CHILD_SA and the IKE SA (swanctl --rekey), and
 * charon roaming to another address (MOBIKE UPDATE_SA_ADDRESSES).
 * kernel_esp's cases, run under Debian's kernel by tests/kernel/kernel-test
 * (on a kernel without ESP they check what they can): a ping through
 * charon's CHILD_SA and the gateway's kernel SAs, again after charon
 * rekeyed the CHILD_SA and the IKE SA, and the seeds' flow with
 * our own tncclient (EAP-TNC: allow, isolate, no access) across the same
 * namespaces, its CHILD_SAs' policies in the gateway's kernel.
 *
 * Needs root (network namespaces) and strongswan-charon,
 * strongswan-swanctl, libcharon-extra-plugins (scripts/deps). */
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tl_ikev2.h"

#define CHARON "/usr/lib/ipsec/charon"
#define GW "192.168.0.1"
#define RW "192.168.0.254"

static struct tl_tncd tncd;
static char dir[] = "/tmp/tnc-charon-XXXXXX";
static bool dir_made; /* its random part may hold an X: a flag says it was made */
static char ns_gw[32], ns_rw[32];
static pid_t charon = -1;
static char out[65536];

static bool
available(void)
{
	if (geteuid() != 0) {
		fprintf(stderr, "SKIP: network namespaces need root (CI runs as root)\n");
		return false;
	}
	if (access(CHARON, X_OK) != 0 || system("command -v swanctl >/dev/null") != 0) {
		fprintf(stderr, "SKIP: no strongSwan charon and swanctl (scripts/deps installs "
		    "them)\n");
		return false;
	}
	return true;
}

/* Runs cmd (printf-style) with sh; false, with its output on stderr, when
 * it fails.  Outside the tests (main), where ck_assert cannot be used. */
static bool
run(const char *fmt, ...)
{
	char cmd[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	if (system(cmd) == 0)
		return true;
	fprintf(stderr, "'%s' failed\n", cmd);
	return false;
}

static int
enter(const char *ns)
{
	char path[64];
	snprintf(path, sizeof(path), "/run/netns/%s", ns);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	int rc = fd < 0 ? -1 : setns(fd, CLONE_NEWNET);
	if (fd >= 0)
		close(fd);
	return rc;
}

static bool
write_file(const char *name, mode_t mode, const char *fmt, ...)
{
	char path[256];
	va_list ap;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	if (!f)
		return false;
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	return fclose(f) == 0 && chmod(path, mode) == 0;
}

/* The gateway's certificate (self-signed, a CA, named as the seeds' moon),
 * the EAP-MD5 secret, charon's and swanctl's configuration. */
static bool
write_config(void)
{
	return (dir_made = mkdtemp(dir) != NULL) && chmod(dir, 0755) == 0 &&
	    run("cd %s && openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes "
	    "-keyout gw.key -out gw.crt -days 2 -subj /CN=moon.strongswan.org "
	    "-addext subjectAltName=DNS:moon.strongswan.org 2>/dev/null && chmod 644 gw.key",
	    dir) &&
	    write_file("eap-secrets", 0600, TL_IKEV2_SECRETS_LINE) &&
	    write_file("strongswan.conf", 0644,
	    "charon {\n"
	    "  load = random nonce openssl kdf hmac sha1 sha2 aes gcm pem pkcs1 pkcs8 x509 "
	    "revocation constraints pubkey kernel-libipsec kernel-netlink socket-default vici "
	    "eap-identity eap-md5 eap-ttls\n"
	    "  install_routes = no\n  install_virtual_ip = no\n"
	    "  retransmit_tries = 2\n"
	    "  filelog {\n    test {\n      path = %s/charon.log\n      default = 1\n"
	    "      ike = 2\n      tls = 2\n      flush_line = yes\n    }\n  }\n"
	    "  plugins {\n    vici {\n      socket = unix://%s/charon.vici\n    }\n"
	    "    eap-ttls {\n      phase2_method = md5\n    }\n  }\n"
	    "}\n", dir, dir) &&
	    write_file("swanctl.conf", 0644,
	    "connections {\n  home {\n    remote_addrs = " GW "\n"
	    "    local {\n      auth = eap\n      id = carol@strongswan.org\n    }\n"
	    "    remote {\n      auth = eap-ttls\n      id = moon.strongswan.org\n    }\n"
	    "    children {\n      home {\n        remote_ts = 10.1.0.0/16\n      }\n    }\n"
	    "  }\n"
	    /* the gateway authenticates with its certificate */
	    "  gwcert {\n    remote_addrs = " GW "\n"
	    "    local {\n      auth = eap\n      id = carol@strongswan.org\n    }\n"
	    "    remote {\n      auth = pubkey\n      id = moon.strongswan.org\n    }\n"
	    "    children {\n      gwcert {\n        remote_ts = 10.1.0.0/16\n      }\n    }\n"
	    "  }\n}\n"
	    "authorities {\n  moon {\n    cacert = %s/gw.crt\n  }\n}\n"
	    "secrets {\n  eap-carol {\n    id = carol@strongswan.org\n"
	    "    secret = carol-secret\n  }\n}\n", dir);
}

/* The two namespaces and the link between them. */
static bool
make_network(void)
{
	int me = (int)getpid();
	snprintf(ns_gw, sizeof(ns_gw), "tnc-gw-%d", me);
	snprintf(ns_rw, sizeof(ns_rw), "tnc-rw-%d", me);
	return run("ip netns add %s && ip netns add %s", ns_gw, ns_rw) &&
	    run("ip link add g%d netns %s type veth peer name r%d netns %s", me, ns_gw, me,
	    ns_rw) &&
	    run("ip -n %s addr add " GW "/24 dev g%d && ip -n %s link set g%d up && "
	    "ip -n %s link set lo up && ip -n %s addr add 10.1.0.1/32 dev lo", ns_gw, me, ns_gw, me,
	    ns_gw, ns_gw) &&
	    run("ip -n %s addr add " RW "/24 dev r%d && ip -n %s link set r%d up && "
	    "ip -n %s link set lo up", ns_rw, me, ns_rw, me, ns_rw);
}

/* charon in the road warrior's namespace, its connection loaded.  Each
 * charon gets a /run of its own (a mount namespace with a fresh directory
 * of the test's bound there): charon refuses to start while /run/charon.pid
 * names a live process, and that may be another test's charon, or the
 * zombie of the one a test killed. */
static bool
start_charon(void)
{
	char path[256], log[256], run_dir[256];

	snprintf(log, sizeof(log), "%s/charon.out", dir);
	snprintf(run_dir, sizeof(run_dir), "%s/run-XXXXXX", dir);
	if (!mkdtemp(run_dir))
		return false;
	charon = fork();
	if (charon < 0)
		return false;
	if (charon == 0) {
		char conf[256];
		snprintf(conf, sizeof(conf), "STRONGSWAN_CONF=%s/strongswan.conf", dir);
		char *env[] = {conf, "PATH=/usr/sbin:/usr/bin:/sbin:/bin", NULL};
		int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		dup2(fd, 1);
		dup2(fd, 2);
		if (enter(ns_rw) == 0 && unshare(CLONE_NEWNS) == 0 &&
		    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == 0 &&
		    mount(run_dir, "/run", NULL, MS_BIND, NULL) == 0)
			execle(CHARON, "charon", (char *)NULL, env);
		_exit(127);
	}
	snprintf(path, sizeof(path), "%s/charon.vici", dir);
	for (int i = 0; i < 100 && access(path, F_OK) != 0; i++)
		usleep(50000);
	return run("swanctl --load-all --file %s/swanctl.conf --uri unix://%s >/dev/null 2>&1",
	    dir, path);
}

/* Stops the process whose pid dir/name holds (and removes that file),
 * waiting up to tries * 50 ms before SIGKILL. */
static void
stop_by_pid_file(const char *name, int tries)
{
	char path[256];
	int pid = 0;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "r");
	if (!f)
		return;
	if (fscanf(f, "%d", &pid) != 1)
		pid = 0;
	fclose(f);
	unlink(path);
	if (pid <= 0 || kill(pid, SIGTERM) != 0)
		return;
	for (int i = 0; i < tries && kill(pid, 0) == 0; i++)
		usleep(50000);
	kill(pid, SIGKILL);
}

/* A test that fails leaves its tncd running (Check ends the test's process
 * at once): the next test and main() stop it by its pid file. */
static void
stop_leftover_tncd(void)
{
	stop_by_pid_file("tncd.pid", 300);
}

/* The charon a test restarted (a grandchild of main, so not waited for;
 * it removes its pid file as it stops, init reaps it). */
static void
stop_restarted_charon(void)
{
	stop_by_pid_file("charon.pid", 100);
}

static void
cleanup(void)
{
	stop_leftover_tncd();
	stop_restarted_charon();
	if (charon > 0) {
		kill(charon, SIGTERM);
		waitpid(charon, NULL, 0);
	}
	if (ns_gw[0])
		(void)run("ip netns del %s; ip netns del %s", ns_gw, ns_rw);
	if (dir_made)
		(void)run("rm -rf %s", dir);
}

/* tncd in the gateway's namespace; kernel: "none" (tnc-xfrm not
 * started) or "xfrm" (with IKE's level-2 lines: each kernel object);
 * more [ike] keys. */
static void
start_tncd_with(const char *eap_tnc, const char *kernel, const char *more)
{
	char extra[1024];
	const bool xfrm = strcmp(kernel, "xfrm") == 0;
	ck_assert_int_eq(enter(ns_gw), 0); /* the tncd this test starts binds there */
	snprintf(extra, sizeof(extra), "tls_cert = %s/gw.crt\ntls_key = %s/gw.key\n"
	    "ikev2 = yes\nikev2_id = moon.strongswan.org\neap_secrets = %s/eap-secrets\n"
	    "eap_tnc = %s\nikev2_kernel = %s\n%s%s", dir, dir, dir, eap_tnc, kernel, more,
	    xfrm ? "[log]\nike = 2\n" : "[xfrm]\nenabled = no\n");
	stop_leftover_tncd();
	tl_tncd_start(&tncd, extra, false);
	write_file("tncd.pid", 0644, "%d\n", (int)tncd.pid);
	ck_assert_msg(tl_log_contains(&tncd, "receiving IKEv2 (NAT-T) on 0.0.0.0:4500", 10000),
	    "tnc-ike did not get the IKEv2 sockets (log %s)", tncd.log);
}

static void
start_tncd(const char *eap_tnc, const char *kernel)
{
	start_tncd_with(eap_tnc, kernel, "");
}

/* An SA a failed test left at charon would stand in the way of the next
 * (charon refuses a duplicate CHILD_SA). */
static void
terminate_leftover_sa(void)
{
	(void)tl_sh(out, sizeof(out), "timeout 10 swanctl --terminate --ike home --uri "
	    "unix://%s/charon.vici 2>&1", dir);
}

/* swanctl --initiate: its exit code; its output in out. */
static int
initiate(void)
{
	return tl_sh(out, sizeof(out), "timeout 60 swanctl --initiate --child home --timeout 40 "
	    "--uri unix://%s/charon.vici 2>&1", dir);
}

static void
expect_log(const char *line)
{
	tl_assert_logged(&tncd, line);
}

static void
expect_charon(const char *line)
{
	ck_assert_msg(strstr(out, line), "charon did not log '%s':\n%s", line, tl_out_tail(out));
}

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

/* The hex text after "key" in tncd's log ("...SPIs c3c268a8_i" -> "c3c268a8"), or "". */
static void
log_word_after(const char *key, char *ret, size_t size)
{
	char cmd[512];
	snprintf(cmd, sizeof(cmd), "grep -o '%s[0-9a-f]*' %s | head -1", key, tncd.log);
	ret[0] = 0;
	if (tl_sh(out, sizeof(out), "%s", cmd) == 0 && strlen(out) > strlen(key))
		snprintf(ret, size, "%.*s", (int)strcspn(out + strlen(key), "\n"), out + strlen(key));
}

/* `ip xfrm` of the gateway's namespace into out: 0 or ip's exit code. */
static int
gw_xfrm(const char *what)
{
	return tl_sh(out, sizeof(out), "ip -n %s xfrm %s 2>&1", ns_gw, what);
}

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
		fprintf(stderr, "test_ikev2_charon: this kernel has no ESP: traffic through the "
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
		ck_assert_int_eq(tl_log_count(&tncd, "and their policies installed"), 2);
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
	for (int i = 0; i < 100 && tl_log_count(&tncd, "closing CHILD_SA") < 2; i++)
		usleep(100000);
	ck_assert_int_eq(tl_log_count(&tncd, "rekeying CHILD_SA rw-allow{1}"), 2);
	ck_assert_int_eq(tl_log_count(&tncd, "closing CHILD_SA"), 2);

	rc = tl_sh(out, sizeof(out), "timeout 30 swanctl --terminate --ike home --uri "
	    "unix://%s/charon.vici 2>&1", dir);
	ck_assert_msg(rc == 0, "swanctl --terminate failed (%d):\n%s", rc, tl_out_tail(out));
	expect_log("[IKE] IKE_SA rw-allow[1] with " RW "[4500] closed: ");
	ck_assert_int_eq(tl_log_count(&tncd, "closing CHILD_SA"), 3);
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

/* charon killed and started again knows no SA: its next IKE_AUTH carries
 * INITIAL_CONTACT, and the gateway deletes the old IKE SA of that identity
 * (RFC 7296 2.4). */
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

/* kernel_esp's cases run after initial_contact_deletes_the_old_ike_sa,
 * which ended main's charon and the one it started: a new one for them
 * (alone, CK_RUN_CASE=kernel_esp, they find main's still running). */
static void
charon_running(void)
{
	char vici[256];

	if (charon > 0 && waitpid(charon, NULL, WNOHANG) == 0)
		return;
	snprintf(vici, sizeof(vici), "%s/charon.vici", dir);
	unlink(vici);
	ck_assert_msg(start_charon(), "charon did not start again");
}

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
	/* tests/kernel/kernel-test runs these alone (CK_RUN_CASE=kernel_esp) */
	TCase *esp = tcase_create("kernel_esp");
	tcase_set_timeout(esp, 120);
	tcase_add_unchecked_fixture(esp, charon_running, NULL);
	tcase_add_test(esp, kernel_sas_through_tnc_xfrm);
	tcase_add_test(esp, traffic_passes_through_the_kernel_sas);
	tcase_add_test(esp, traffic_crosses_a_rekeyed_child_sa);
	tcase_add_test(esp, tncclient_allow_isolate_no_access_across_namespaces);
	suite_add_tcase(s, esp);
	return s;
}

/* The network, the certificate and charon are set up once, here, outside
 * the forked tests, so that they are removed whatever the tests do. */
int
main(void)
{
	if (!available())
		return 0;
	int rc = 1;
	if (write_config() && make_network() && start_charon())
		rc = tl_run_suite(suite());
	cleanup();
	return rc;
}
