/* address.c - parsing and printing of socket addresses (see address.h). */
#include "address.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int
parse_port(const char *s, uint16_t *ret)
{
	char *end;
	unsigned long port = strtoul(s, &end, 10);
	if (!*s || *end || port == 0 || port > 65535)
		return TNC_EINVALID;
	*ret = (uint16_t)port;
	return 0;
}

int
address_parse(const char *text, struct address *ret)
{
	char host[64];
	const char *port;
	struct address a;
	uint16_t p;

	memset(&a, 0, sizeof(a));
	if (text[0] == '[') {
		const char *close = strchr(text, ']');
		if (!close || close[1] != ':' || (size_t)(close - text - 1) >= sizeof(host))
			return TNC_EINVALID;
		snprintf(host, sizeof(host), "%.*s", (int)(close - text - 1), text + 1);
		port = close + 2;
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&a.ss;
		if (inet_pton(AF_INET6, host, &s6->sin6_addr) != 1 || parse_port(port, &p))
			return TNC_EINVALID;
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(p);
		a.len = sizeof(*s6);
	} else {
		const char *colon = strrchr(text, ':');
		if (!colon || (size_t)(colon - text) >= sizeof(host))
			return TNC_EINVALID;
		snprintf(host, sizeof(host), "%.*s", (int)(colon - text), text);
		struct sockaddr_in *s4 = (struct sockaddr_in *)&a.ss;
		if (inet_pton(AF_INET, host, &s4->sin_addr) != 1 || parse_port(colon + 1, &p))
			return TNC_EINVALID;
		s4->sin_family = AF_INET;
		s4->sin_port = htons(p);
		a.len = sizeof(*s4);
	}
	*ret = a;
	return 0;
}

const char *
address_format(const struct sockaddr *sa, char *buf, size_t size)
{
	char host[INET6_ADDRSTRLEN] = "?";
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *s4 = (const struct sockaddr_in *)sa;
		inet_ntop(AF_INET, &s4->sin_addr, host, sizeof(host));
		snprintf(buf, size, "%s:%u", host, ntohs(s4->sin_port));
	} else if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)sa;
		inet_ntop(AF_INET6, &s6->sin6_addr, host, sizeof(host));
		snprintf(buf, size, "[%s]:%u", host, ntohs(s6->sin6_port));
	} else {
		snprintf(buf, size, "?");
	}
	return buf;
}
