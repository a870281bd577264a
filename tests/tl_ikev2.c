/* tl_ikev2.c - see tl_ikev2.h. */
#include "tl_ikev2.h"

#include <stdio.h>
#include <sys/stat.h>

void
tl_ikev2_secret_file(const char *dir, const char *name, const char *text, char *path,
    size_t size)
{
	snprintf(path, size, "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	ck_assert_msg(f, "cannot write %s", path);
	fputs(text, f);
	ck_assert_int_eq(fclose(f), 0);
	ck_assert_int_eq(chmod(path, 0600), 0);
}

int
tl_ikev2_tncd_start(struct tl_tncd *t, char *dir, const char *extra)
{
	char secrets[256], conf[2048];

	tl_mkdtemp(dir);
	tl_ikev2_secret_file(dir, "eap-secrets", TL_IKEV2_SECRETS_LINE, secrets, sizeof(secrets));
	int port = tl_pick_port();
	snprintf(conf, sizeof(conf), "ikev2 = yes\nikev2_port = %d\nikev2_natt_port = %d\n"
	    "eap_secrets = %s\nikev2_kernel = none\n%s\n[xfrm]\nenabled = no\n", port, port + 1,
	    secrets, extra ? extra : "");
	tl_tncd_start(t, conf, true);
	ck_assert(tl_log_contains(t, "receiving IKEv2 (NAT-T) on 0.0.0.0:", 5000));
	return port;
}
