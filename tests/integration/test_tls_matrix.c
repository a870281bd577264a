/* test_tls_matrix.c - the real tncclient against the real tncd over every
 * TLS set-up tnc-ike supports: server certificate (ephemeral, a leaf from a
 * file, a chain from a file) x key (RSA, ECDSA) x tls_ca (unset, set) x
 * client certificate (none, one) x TLS 1.2 / 1.3.  Each run completes the
 * assessment with allow (the policy database knows the endpoint's packages:
 * tl_policy_seed()), or, with tls_ca set and no client certificate, is
 * refused by TLS; tnc-ike never dies (no SIGSYS in tncd's log, its pid
 * unchanged): everything OpenSSL and glibc load lazily (time zone, X.509
 * verification) must be loaded before the sandbox. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "testlib.h"

enum server_cert { EPHEMERAL, LEAF_FILE, CHAIN_FILE };

static char pki[64] = "/tmp/tnc-tls-matrix-XXXXXX";
static char out[1 << 16];

/* A root CA, an intermediate CA, a server certificate from each (the one
 * from the intermediate with it in a chain file), and a client certificate
 * from the root, all with keys of kind $K ("rsa" or "ec"). */
static const char pki_script[] =
	"set -e\n"
	"printf 'basicConstraints=critical,CA:TRUE\\nkeyUsage=critical,keyCertSign,cRLSign\\n' > ca.ext\n"
	"printf 'subjectAltName=IP:127.0.0.1\\nextendedKeyUsage=serverAuth\\n' > server.ext\n"
	"printf 'extendedKeyUsage=clientAuth\\n' > client.ext\n"
	"openssl req -x509 -newkey $NEWKEY -nodes -keyout $K-root.key -out $K-root.pem "
	"-subj /CN=root-$K -days 2 -addext basicConstraints=critical,CA:TRUE "
	"-addext keyUsage=critical,keyCertSign,cRLSign\n"
	"issue() { # name subject issuer extensions\n"
	"  openssl req -newkey $NEWKEY -nodes -keyout $K-$1.key -out $K-$1.csr -subj $2\n"
	"  openssl x509 -req -in $K-$1.csr -CA $K-$3.pem -CAkey $K-$3.key -CAcreateserial "
	"-out $K-$1.pem -days 2 -extfile $4\n"
	"}\n"
	"issue int /CN=int-$K root ca.ext\n"
	"issue leaf /CN=localhost root server.ext\n"
	"issue chain-only /CN=localhost int server.ext\n"
	"cat $K-chain-only.pem $K-int.pem > $K-chain.pem\n"
	"mv $K-chain-only.key $K-chain.key\n"
	"issue client /O=tnc/CN=client-$K root client.ext\n"
	"chmod 644 *\n";

static void
make_pki(const char *k, const char *newkey)
{
	char path[128];
	snprintf(path, sizeof(path), "%s/make-pki.sh", pki);
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(pki_script, f);
	fclose(f);
	int rc = tl_sh(out, sizeof(out), "cd %s && K=%s NEWKEY='%s' sh make-pki.sh 2>&1", pki, k,
	    newkey);
	ck_assert_msg(rc == 0, "openssl: %s", out);
}

static void
setup_pki(void)
{
	ck_assert_ptr_nonnull(mkdtemp(pki));
	chmod(pki, 0755);
	make_pki("rsa", "rsa:2048");
	make_pki("ec", "ec -pkeyopt ec_paramgen_curve:P-256");
	FILE *f = fopen("/tmp/tnc-tls-matrix.facts", "w");
	ck_assert_ptr_nonnull(f);
	fprintf(f, "product = Debian GNU/Linux\nversion = 12 x86_64\nnumeric_version = 12.0\n"
	    "forwarding = 0\ndefault_password = 0\ndevice_id = 0123456789abcdef\n"
	    "packages = /dev/null\npackages_extra = openssl=3.0.11-1\n");
	fclose(f);
}

static void
teardown_pki(void)
{
	char ignored[256];
	(void)tl_sh(ignored, sizeof(ignored), "rm -rf %s /tmp/tnc-tls-matrix.facts", pki);
}

/* One tncd with this server set-up; every client variant against it. */
static void
run_matrix_row(enum server_cert sc, const char *k, int with_ca)
{
	static const char *const names[] = {"ephemeral", "leaf", "chain"};
	char extra[2048] = "[ike]\n", ca[256], opts[512];
	size_t len = strlen(extra);
	if (sc != EPHEMERAL)
		len += (size_t)snprintf(extra + len, sizeof(extra) - len,
		    "tls_cert = %s/%s-%s.pem\ntls_key = %s/%s-%s.key\n", pki, k, names[sc], pki, k,
		    names[sc]);
	if (with_ca)
		snprintf(extra + len, sizeof(extra) - len, "tls_ca = %s/%s-root.pem\n", pki, k);
	struct tl_tncd t;
	tl_tncd_start(&t, extra, true);
	tl_policy_seed(&t);
	if (sc == EPHEMERAL)
		snprintf(ca, sizeof(ca), "%s", t.ca);
	else
		snprintf(ca, sizeof(ca), "%s/%s-root.pem", pki, k);
	int pid = tl_child_pid(&t, "tnc-ike");
	for (int with_cert = 0; with_cert < 2; with_cert++) {
		for (int v = 2; v <= 3; v++) {
			snprintf(opts, sizeof(opts), "--tls-version 1.%d", v);
			if (with_cert)
				snprintf(opts + strlen(opts), sizeof(opts) - strlen(opts),
				    " --cert %s/%s-client.pem --key %s/%s-client.key", pki, k, pki, k);
			int rc = tl_sh(out, sizeof(out), "%s/tncclient --server 127.0.0.1:%d --ca %s "
			    "--facts /tmp/tnc-tls-matrix.facts --timeout 20 --verbose %s 2>&1",
			    TNC_BIN_DIR, t.port, ca, opts);
			const char *what = names[sc];
			if (with_ca && !with_cert) {
				ck_assert_msg(rc == 4, "%s %s, tls_ca, no client certificate, TLS 1.%d: "
				    "exit %d, want a TLS refusal: %s", what, k, v, rc, out);
				/* TLS 1.2 refuses in the handshake; in TLS 1.3 the client's
				 * handshake is over when the server's alert comes */
				ck_assert_msg(strstr(out, v == 2 ? "alert handshake failure" :
				    "alert certificate required"), "not a TLS refusal: %s", out);
			} else {
				ck_assert_msg(rc == 0, "%s %s, tls_ca %d, client certificate %d, TLS 1.%d: "
				    "exit %d: %s", what, k, with_ca, with_cert, v, rc, out);
				char want[32];
				snprintf(want, sizeof(want), "negotiated TLSv1.%d", v);
				ck_assert_msg(strstr(out, want), "not %s: %s", want, out);
			}
		}
	}
	if (with_ca)
		ck_assert(tl_log_contains(&t, "peer did not return a certificate", 2000));
	ck_assert_msg(!tl_log_contains(&t, "SIGSYS", 0), "tnc-ike hit its seccomp filter (log %s)",
	    t.log);
	ck_assert_int_eq(tl_child_pid(&t, "tnc-ike"), pid);
	tl_tncd_stop(&t);
}

START_TEST(ephemeral_certificate)
{
	run_matrix_row(EPHEMERAL, "ec", _i);
}
END_TEST

START_TEST(leaf_certificate_file)
{
	run_matrix_row(LEAF_FILE, _i / 2 ? "ec" : "rsa", _i % 2);
}
END_TEST

START_TEST(chain_file)
{
	run_matrix_row(CHAIN_FILE, _i / 2 ? "ec" : "rsa", _i % 2);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("tls_matrix");
	TCase *tc = tcase_create("matrix");
	tcase_set_timeout(tc, 30);
	tcase_add_unchecked_fixture(tc, setup_pki, teardown_pki);
	tcase_add_loop_test(tc, ephemeral_certificate, 0, 2);
	tcase_add_loop_test(tc, leaf_certificate_file, 0, 4);
	tcase_add_loop_test(tc, chain_file, 0, 4);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tl_run_suite(suite());
}
