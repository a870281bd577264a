/* tl_ikev2.h - what the IKEv2 integration tests share: the seeds' EAP
 * identity and its EAP-MD5 secret, and tncd with IKEv2 on free ports. */
#ifndef TL_IKEV2_H
#define TL_IKEV2_H

#include <stddef.h>

#include "testlib.h"

#define TL_IKEV2_IDENTITY "carol@strongswan.org"
#define TL_IKEV2_SECRET "carol-secret"
/* The line of an eap_secrets file that gives TL_IKEV2_IDENTITY its secret. */
#define TL_IKEV2_SECRETS_LINE TL_IKEV2_IDENTITY " : \"" TL_IKEV2_SECRET "\"\n"

/* Writes text to dir/name with mode 0600 (tnc-ike and tncclient refuse a
 * secrets file others may read); its path in path.  Fails the test when
 * it cannot. */
void tl_ikev2_secret_file(const char *dir, const char *name, const char *text, char *path,
    size_t size);
/* tncd in dir (made here from the template) with IKEv2 on a free UDP port
 * and the next one (NAT-T), dir/eap-secrets holding TL_IKEV2_SECRETS_LINE,
 * no kernel SAs (tnc-xfrm off) and extra [ike] keys (or NULL); returns the
 * IKE port once tnc-ike has both sockets. */
int tl_ikev2_tncd_start(struct tl_tncd *t, char *dir, const char *extra);

#endif
