/* pb_pdp.c - the PDP Identifier of a TCG PB-PDP-Referral (see pb_pdp.h). */
#include "pb_pdp.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <string.h>

bool
pb_pdp_name_valid(const char *host)
{
	const size_t len = strlen(host);
	bool letter = false;

	if (len == 0 || len > PB_PDP_NAME_MAX)
		return false;
	for (size_t start = 0; start <= len;) {
		size_t n = strcspn(host + start, ".");
		if (n == 0 || n > 63 || host[start] == '-' || host[start + n - 1] == '-')
			return false;
		for (size_t i = start; i < start + n; i++) {
			if (!isalnum((unsigned char)host[i]) && host[i] != '-')
				return false;
			letter |= !isdigit((unsigned char)host[i]);
		}
		start += n + 1;
	}
	/* "10.1.2" is no name: a mistyped address */
	return letter;
}

static void
put_header(uint8_t *buf, uint16_t port)
{
	buf[0] = 0; /* Reserved */
	buf[1] = PB_PDP_PROTOCOL_TCP;
	buf[2] = (uint8_t)(port >> 8);
	buf[3] = (uint8_t)port;
}

int
pb_pdp_build(const char *host, uint16_t port, uint8_t *buf, size_t size, uint32_t *ret_type)
{
	struct in_addr a;

	if (port == 0 || size < PB_PDP_ID_MAX)
		return TNC_EINVALID;
	put_header(buf, port);
	if (inet_pton(AF_INET, host, &a) == 1) {
		memcpy(buf + PB_PDP_HEADER_LEN, &a, 4);
		*ret_type = PB_PDP_ID_IPV4;
		return PB_PDP_HEADER_LEN + 4;
	}
	if (!pb_pdp_name_valid(host))
		return TNC_EINVALID;
	const size_t n = strlen(host);
	memcpy(buf + PB_PDP_HEADER_LEN, host, n);
	*ret_type = PB_PDP_ID_FQDN;
	return (int)(PB_PDP_HEADER_LEN + n);
}

int
pb_pdp_parse(const struct pb_pdp_referral *r, struct pb_pdp *ret, const char **why)
{
	const uint8_t *v = r->id.ptr;
	const size_t len = r->id.len;

	*why = NULL;
	if (r->id_vendor != PB_VENDOR_TCG ||
	    (r->id_type != PB_PDP_ID_FQDN && r->id_type != PB_PDP_ID_IPV4))
		*why = "PDP identifier type not known";
	else if (len < PB_PDP_HEADER_LEN)
		*why = "PDP identifier shorter than its header";
	else if (r->id_type == PB_PDP_ID_IPV4 && len != PB_PDP_HEADER_LEN + 4)
		*why = "IPv4 PDP identifier not 4 octets";
	else if (r->id_type == PB_PDP_ID_FQDN &&
	    (len == PB_PDP_HEADER_LEN || len > PB_PDP_ID_MAX))
		*why = "PDP FQDN empty or longer than 253 octets";
	if (*why)
		return TNC_EINVALID;
	*ret = (struct pb_pdp){.id_type = r->id_type, .protocol = v[1],
	    .port = (uint16_t)(v[2] << 8 | v[3])};
	const size_t n = len - PB_PDP_HEADER_LEN;
	if (r->id_type == PB_PDP_ID_IPV4) {
		snprintf(ret->host, sizeof(ret->host), "%u.%u.%u.%u", v[4], v[5], v[6], v[7]);
		return 0;
	}
	memcpy(ret->host, v + PB_PDP_HEADER_LEN, n);
	ret->host[n] = 0;
	if (strlen(ret->host) != n || !pb_pdp_name_valid(ret->host)) {
		*why = "PDP FQDN not a DNS name";
		return TNC_EINVALID;
	}
	return 0;
}
