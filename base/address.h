/* address.h - "IPv4:port" and "[IPv6]:port" strings to socket addresses. */
#ifndef TNC_ADDRESS_H
#define TNC_ADDRESS_H

#include <sys/socket.h>

#include "err.h"

struct address {
	struct sockaddr_storage ss;
	socklen_t len;
};

int address_parse(const char *text, struct address *ret) TNC_MUST_CHECK;
/* "127.0.0.1:271", "[::1]:271" */
const char *address_format(const struct sockaddr *sa, char *buf, size_t size);

#endif
