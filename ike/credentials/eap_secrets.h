/* eap_secrets.h - the EAP-MD5 secrets file of tnc-ike: one identity a line,
 *
 *     IDENTITY : "SECRET"
 *
 * (the EAP lines of strongSwan's ipsec.secrets without the EAP keyword);
 * blanks around the ':' are optional, '#' starts a comment line, blank
 * lines are skipped.  An identity is 1-255 octets without control
 * characters, blanks, ':' or '"' and does not start with '#'; a secret is
 * 1-255 octets between the double quotes, without control characters or
 * '"' (no escapes).  An identity listed twice is refused.  Bounded: the
 * file, its lines and its entries (below).
 *
 * EAP-MD5 needs the secret itself (RFC 3748 5.4), so the file holds it in
 * the clear: mode 0600, read by tnc-ike before its sandbox.  Every copy is
 * wiped when freed and no function here puts a secret into a message. */
#ifndef TNC_EAP_SECRETS_H
#define TNC_EAP_SECRETS_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "wire.h"

#define EAP_SECRETS_FILE_MAX (1024u * 1024)
#define EAP_SECRETS_LINE_MAX 600
#define EAP_SECRETS_ENTRIES_MAX 10000
#define EAP_SECRETS_FIELD_MAX 255

struct eap_secret {
	/* Zero-padded to the full size: compared whole, in constant time. */
	uint8_t identity[EAP_SECRETS_FIELD_MAX];
	size_t identity_len;
	uint8_t secret[EAP_SECRETS_FIELD_MAX];
	size_t secret_len;
	unsigned line;
};

struct eap_secrets {
	struct eap_secret *v;
	size_t n, cap;
};

/* Reads and parses path (a regular file of at most EAP_SECRETS_FILE_MAX
 * octets) into *ret (emptied first).  0, or TNC_ECONFIG with "path:line:
 * reason" (or "path: reason") in err, never quoting a secret; *ret is
 * empty then. */
int eap_secrets_load(const char *path, struct eap_secrets *ret, char *err, size_t errlen)
    TNC_MUST_CHECK;
/* The same for text[0..len) read from path. */
int eap_secrets_parse(const char *text, size_t len, const char *path, struct eap_secrets *ret,
    char *err, size_t errlen) TNC_MUST_CHECK;
/* The secret of identity (a view into s, valid until eap_secrets_clear()),
 * or TNC_ENOTFOUND.  Every entry is compared, each in constant time over
 * the whole field, so the time does not tell which entry (if any) matched
 * nor how much of a name did. */
int eap_secrets_find(const struct eap_secrets *s, struct bytes identity, struct bytes *ret)
    TNC_MUST_CHECK;
/* Wipes and frees the entries. */
void eap_secrets_clear(struct eap_secrets *s);

#endif
