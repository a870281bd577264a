/* test_ikev2_gateway_cert.c - tncclient --ikev2 --gateway-cert against
 * tncd: the client does not ask for EAP-only authentication (RFC 5998), so
 * tnc-ike authenticates with its certificate (the ephemeral one it makes,
 * naming localhost and 127.0.0.1; ikev2_id = localhost) and an RFC 7427
 * signature in its first IKE_AUTH response, then EAP-TTLS with EAP-TNC as
 * in the seeds' flow; the client checks the certificate against --ca, the
 * IDr and --server-name, and refuses a certificate not naming the server
 * it wants. */
#include <stdio.h>
#include <string.h>

#include "tl_ikev2.h"

#define IDENTITY TL_IKEV2_IDENTITY

static char out[1 << 20];
static struct tl_tncd tncd;
static int ike_port;
static char secret_path[256], facts_path[256];

static void
start(void)
{
	static char dir[] = "/tmp/tnc-ikev2gc-XXXXXX";

	ike_port = tl_ikev2_tncd_start(&tncd, dir, "rw_allow_pool = 10.3.0.0/28\n"
	    "ikev2_id = localhost\n");
	tl_ikev2_secret_file(dir, "client-secret", TL_IKEV2_SECRET "\n", secret_path,
	    sizeof(secret_path));
	tl_policy_seed(&tncd);
	tl_facts_file(&tncd, "ok", "", facts_path, sizeof(facts_path));
}

/* tncclient --ikev2 --gateway-cert with extra options: its exit code, its
 * output and log lines in out. */
static int
client(const char *extra)
{
	return tl_sh(out, sizeof(out), "exec %s/tncclient --ikev2 127.0.0.1:%d --natt-port %d "
	    "--eap-identity " IDENTITY " --eap-secret-file %s --ca %s --facts %s --timeout 30 "
	    "--gateway-cert --verbose %s 2>&1", TNC_BIN_DIR, ike_port, ike_port + 1, secret_path,
	    tncd.ca, facts_path, extra);
}

static void
expect_out(const char *line)
{
	ck_assert_msg(strstr(out, line), "tncclient did not print '%s':\n%s", line,
	    tl_out_tail(out));
}

START_TEST(gateway_certificate_then_eap_gives_rw_allow)
{
	start();
	int rc = client("");
	ck_assert_msg(rc == 0, "tncclient exit %d:\n%s", rc, tl_out_tail(out));
	expect_out("access recommendation: allow");
	expect_out("virtual IP: 10.3.0.1\n");
	expect_out("[IKE] EAP method EAP_TTLS succeeded, MSK established");
	expect_out("[IKE] authentication of 'localhost' with ECDSA_WITH_SHA256_DER successful");
	tl_assert_logged(&tncd, "[IKE] authentication of 'localhost' (myself) with "
	    "ECDSA_WITH_SHA256_DER successful");
	tl_assert_logged(&tncd, "[ENC] generating IKE_AUTH response 1 [ IDr CERT AUTH EAP/REQ/TTLS ]");
	tl_assert_logged(&tncd, "[IKE] IKE_SA rw-allow[1] established between "
	    "127.0.0.1[localhost]...127.0.0.1[" IDENTITY "]");

	/* a certificate that does not name the server the client wants */
	rc = client("--server-name sun.strongswan.org");
	ck_assert_msg(rc == 4, "tncclient exit %d:\n%s", rc, tl_out_tail(out));
	expect_out("IKE SA: none (certificate of the responder: certificate does not name the "
	    "server)");
	tl_tncd_stop(&tncd);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("ikev2_gateway_cert");
	TCase *tc = tcase_create("gateway_cert");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, gateway_certificate_then_eap_gives_rw_allow);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tl_run_suite(suite());
}
