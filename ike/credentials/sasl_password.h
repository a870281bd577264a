/* sasl_password.h - a SASL PLAIN password read from a descriptor (a file,
 * or tncadm's standard input), never from a command line, which every
 * user of the machine can read: the first line without its line end,
 * 1-255 octets.  tncclient and tncadm read it the same way. */
#ifndef TNC_SASL_PASSWORD_H
#define TNC_SASL_PASSWORD_H

#include <stddef.h>

#include "err.h"
#include "sasl_plain.h"

struct sasl_password {
	char text[SASL_PLAIN_FIELD_MAX + 1];
	size_t len;
};

/* Reads fd up to the first line end (at most 257 octets); what names the
 * source for err.  0, or TNC_EINVALID with the reason in err (never the
 * password). */
int sasl_password_read(int fd, const char *what, struct sasl_password *ret, char *err,
    size_t errlen) TNC_MUST_CHECK;
/* sasl_password_read() of the file path. */
int sasl_password_read_file(const char *path, struct sasl_password *ret, char *err,
    size_t errlen) TNC_MUST_CHECK;
/* Wipes *p. */
void sasl_password_clear(struct sasl_password *p);

#endif
