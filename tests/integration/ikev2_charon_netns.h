/* ikev2_charon_netns.h - the stage of the tests with Debian's strongSwan:
 * charon (its own strongswan.conf through STRONGSWAN_CONF, its own
 * swanctl.conf, its vici socket in the test's directory) initiates in one
 * network namespace, tncd (our responder, IKEv2 on ports 500 and 4500)
 * answers in another, joined by a veth pair: 192.168.0.254 (the road
 * warrior) and 192.168.0.1 (the gateway, moon.strongswan.org, as in the
 * seeds).  The peer authenticates with EAP-TTLS and, inside the tunnel,
 * EAP-Identity and EAP-MD5; charon uses kernel-libipsec (ESP in user
 * space).  Included by test_ikev2_charon.c and test_ikev2_kernel_esp.c;
 * each sets the stage up once in main() (charon_netns_main()).
 *
 * Needs root (network namespaces) and strongswan-charon,
 * strongswan-swanctl, libcharon-extra-plugins (scripts/deps). */
#ifndef IKEV2_CHARON_NETNS_H
#define IKEV2_CHARON_NETNS_H

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

static inline bool
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
static inline bool
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

static inline int
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

static inline bool
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
static inline bool
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
static inline bool
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
static inline bool
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
static inline void
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
static inline void
stop_leftover_tncd(void)
{
	stop_by_pid_file("tncd.pid", 300);
}

/* The charon a test restarted (a grandchild of main, so not waited for;
 * it removes its pid file as it stops, init reaps it). */
static inline void
stop_restarted_charon(void)
{
	stop_by_pid_file("charon.pid", 100);
}

static inline void
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
static inline void
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

static inline void
start_tncd(const char *eap_tnc, const char *kernel)
{
	start_tncd_with(eap_tnc, kernel, "");
}

/* An SA a failed test left at charon would stand in the way of the next
 * (charon refuses a duplicate CHILD_SA). */
static inline void
terminate_leftover_sa(void)
{
	(void)tl_sh(out, sizeof(out), "timeout 10 swanctl --terminate --ike home --uri "
	    "unix://%s/charon.vici 2>&1", dir);
}

/* swanctl --initiate: its exit code; its output in out. */
static inline int
initiate(void)
{
	return tl_sh(out, sizeof(out), "timeout 60 swanctl --initiate --child home --timeout 40 "
	    "--uri unix://%s/charon.vici 2>&1", dir);
}

static inline void
expect_log(const char *line)
{
	tl_assert_logged(&tncd, line);
}

static inline void
expect_charon(const char *line)
{
	ck_assert_msg(strstr(out, line), "charon did not log '%s':\n%s", line, tl_out_tail(out));
}

/* The hex text after "key" in tncd's log ("...SPIs c3c268a8_i" -> "c3c268a8"), or "". */
static inline void
log_word_after(const char *key, char *ret, size_t size)
{
	char cmd[512];
	snprintf(cmd, sizeof(cmd), "grep -o '%s[0-9a-f]*' %s | head -1", key, tncd.log);
	ret[0] = 0;
	if (tl_sh(out, sizeof(out), "%s", cmd) == 0 && strlen(out) > strlen(key))
		snprintf(ret, size, "%.*s", (int)strcspn(out + strlen(key), "\n"), out + strlen(key));
}

/* `ip xfrm` of the gateway's namespace into out: 0 or ip's exit code. */
static inline int
gw_xfrm(const char *what)
{
	return tl_sh(out, sizeof(out), "ip -n %s xfrm %s 2>&1", ns_gw, what);
}

/* The network, the certificate and charon are set up once, here, outside
 * the forked tests, so that they are removed whatever the tests do. */
static inline int
charon_netns_main(Suite *(*suite)(void))
{
	if (!available())
		return 0;
	int rc = 1;
	if (write_config() && make_network() && start_charon())
		rc = tl_run_suite(suite());
	cleanup();
	return rc;
}

#endif
