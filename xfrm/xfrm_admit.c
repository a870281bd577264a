/* xfrm_admit.c - what tnc-xfrm lets tnc-ike install (see xfrm_admit.h). */
#include "xfrm_admit.h"

#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

/* The connections and tnc-ike's defaults for their keys (ike/settings.c). */
static const struct {
	const char *name, *ts_key, *pool_key, *ts_default;
} conn_keys[XFRM_CONN_MAX] = {
	{"rw-allow", "rw_allow_ts", "rw_allow_pool", "10.1.0.0/28"},
	{"rw-isolate", "rw_isolate_ts", "rw_isolate_pool", "10.1.0.16/28"},
};

/* The value of key in cfg, or def when cfg has none; NULL when longer than
 * a prefix can be. */
static const char *
config_value(const struct ipc_config *cfg, const char *key, const char *def, char *buf)
{
	size_t klen = strlen(key);
	for (unsigned i = 0; i < cfg->count && i < IPC_CONFIG_MAX; i++) {
		if (cfg->key[i].len != klen || memcmp(cfg->key[i].ptr, key, klen) != 0)
			continue;
		if (cfg->value[i].len >= XFRM_PREFIX_TEXT)
			return NULL;
		return bytes_cstr(cfg->value[i], buf, XFRM_PREFIX_TEXT);
	}
	return def;
}

/* "a.b.c.d/len" to its first and last address (host bits ignored, as
 * tnc-ike does); 0 or TNC_EINVALID. */
static int
parse_prefix(const char *text, uint32_t *first, uint32_t *last)
{
	char addr[INET_ADDRSTRLEN];
	const char *slash = strchr(text, '/');
	size_t n = slash ? (size_t)(slash - text) : 0;
	struct in_addr in;
	char *end;

	if (!slash || n == 0 || n >= sizeof(addr) || slash[1] < '0' || slash[1] > '9')
		return TNC_EINVALID;
	memcpy(addr, text, n);
	addr[n] = 0;
	unsigned long len = strtoul(slash + 1, &end, 10);
	if (inet_pton(AF_INET, addr, &in) != 1 || *end || len > 32)
		return TNC_EINVALID;
	uint32_t mask = len == 0 ? 0 : 0xffffffffu << (32 - len);
	*first = ntohl(in.s_addr) & mask;
	*last = *first | ~mask;
	return 0;
}

int
xfrm_admit_configure(struct xfrm_admit *a, const struct ipc_config *cfg, char *reason,
    size_t size)
{
	memset(a, 0, sizeof(*a));
	for (unsigned i = 0; i < XFRM_CONN_MAX; i++) {
		struct xfrm_conn *c = &a->conn[i];
		char ts_buf[XFRM_PREFIX_TEXT], pool_buf[XFRM_PREFIX_TEXT];
		const char *ts = config_value(cfg, conn_keys[i].ts_key, conn_keys[i].ts_default,
		    ts_buf);
		const char *pool = config_value(cfg, conn_keys[i].pool_key, "", pool_buf);
		uint32_t first, last;

		c->name = conn_keys[i].name;
		if (!ts || !pool) {
			snprintf(reason, size, "%s: longer than an IPv4 prefix a.b.c.d/len",
			    !ts ? conn_keys[i].ts_key : conn_keys[i].pool_key);
			return TNC_ECONFIG;
		}
		if (parse_prefix(ts, &c->ts_first, &c->ts_last) != 0) {
			snprintf(reason, size, "%s '%s' is not an IPv4 prefix a.b.c.d/len",
			    conn_keys[i].ts_key, ts);
			return TNC_ECONFIG;
		}
		snprintf(c->ts_text, sizeof(c->ts_text), "%s", ts);
		if (!pool[0])
			continue;
		/* as tnc-ike: at least two addresses besides network and broadcast */
		if (parse_prefix(pool, &first, &last) != 0 || last - first < 3) {
			snprintf(reason, size, "%s '%s' is not an IPv4 prefix a.b.c.d/len of at most /30",
			    conn_keys[i].pool_key, pool);
			return TNC_ECONFIG;
		}
		c->has_pool = true;
		c->pool_first = first + 1;
		c->pool_last = last - 1;
		snprintf(c->pool_text, sizeof(c->pool_text), "%s", pool);
	}
	a->nconn = XFRM_CONN_MAX;
	return 0;
}

static uint32_t
ipv4(const uint8_t a[IPC_XFRM_ADDR])
{
	return (uint32_t)a[0] << 24 | (uint32_t)a[1] << 16 | (uint32_t)a[2] << 8 | a[3];
}

static const char *
ipv4_text(uint32_t v, char buf[INET_ADDRSTRLEN])
{
	struct in_addr in = {htonl(v)};
	return inet_ntop(AF_INET, &in, buf, INET_ADDRSTRLEN);
}

static int
refuse(int err, char *reason, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int
refuse(int err, char *reason, size_t size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(reason, size, fmt, ap);
	va_end(ap);
	return err;
}

/* "rw-allow 10.1.0.0/28, rw-isolate 10.1.0.16/28" into buf. */
static const char *
ts_list(const struct xfrm_admit *a, char *buf, size_t size)
{
	size_t used = 0;
	buf[0] = 0;
	for (unsigned i = 0; i < a->nconn && used < size; i++)
		used += (size_t)snprintf(buf + used, size - used, "%s%s %s", i ? ", " : "",
		    a->conn[i].name, a->conn[i].ts_text);
	return buf;
}

int
xfrm_admit_policy(const struct xfrm_admit *a, const struct ipc_xfrm_policy *p,
    char *reason, size_t size)
{
	bool out = p->id.dir == IPC_XFRM_OUT;
	const char *local_field = out ? "src" : "dst", *remote_field = out ? "dst" : "src";
	unsigned local_prefix = out ? p->id.src_prefix : p->id.dst_prefix;
	unsigned remote_prefix = out ? p->id.dst_prefix : p->id.src_prefix;
	char list[2 * (16 + XFRM_PREFIX_TEXT)], text[INET_ADDRSTRLEN], first[INET_ADDRSTRLEN],
	    last[INET_ADDRSTRLEN];

	if (p->id.family != AF_INET)
		return refuse(TNC_EINVALID, reason, size, "family: IPv6, but the connections' "
		    "traffic selectors are IPv4 (%s)", ts_list(a, list, sizeof(list)));
	/* xfrm_check_policy() saw no host bits set past either prefix */
	uint32_t local = ipv4(out ? p->id.src : p->id.dst);
	uint32_t local_last = local | (local_prefix ? ~(0xffffffffu << (32 - local_prefix)) :
	    0xffffffffu);
	uint32_t remote = ipv4(out ? p->id.dst : p->id.src);
	if (remote_prefix != 32)
		return refuse(TNC_EINVALID, reason, size, "%s: %s/%u is not one address (/32): a "
		    "peer's traffic selector is its own or its virtual IP", remote_field,
		    ipv4_text(remote, text), remote_prefix);

	const struct xfrm_conn *matched = NULL;
	for (unsigned i = 0; i < a->nconn; i++) {
		const struct xfrm_conn *c = &a->conn[i];
		if (local < c->ts_first || local_last > c->ts_last)
			continue;
		if (!c->has_pool || (remote >= c->pool_first && remote <= c->pool_last))
			return 0;
		if (!matched)
			matched = c;
	}
	if (!matched)
		return refuse(TNC_EINVALID, reason, size, "%s: %s/%u lies in no connection's traffic "
		    "selector (%s)", local_field, ipv4_text(local, text), local_prefix,
		    ts_list(a, list, sizeof(list)));
	return refuse(TNC_EINVALID, reason, size, "%s: %s is no address of %s's pool %s (%s to %s)",
	    remote_field, ipv4_text(remote, text), matched->name, matched->pool_text,
	    ipv4_text(matched->pool_first, first), ipv4_text(matched->pool_last, last));
}

static const char *
addr_text(uint8_t family, const uint8_t a[IPC_XFRM_ADDR], char buf[INET6_ADDRSTRLEN])
{
	return inet_ntop(family, a, buf, INET6_ADDRSTRLEN);
}

int
xfrm_admit_sa(const struct xfrm_table *t, const struct ipc_xfrm_sa *sa, char *reason,
    size_t size)
{
	char src[INET6_ADDRSTRLEN], dst[INET6_ADDRSTRLEN];
	const struct ipc_xfrm_policy *tunnel = NULL;

	if (xfrm_table_find_sa(t, &sa->id) >= 0)
		return refuse(TNC_ESTATE, reason, size, "spi: 0x%08x to %s is installed already",
		    sa->id.spi, addr_text(sa->id.family, sa->id.dst, dst));
	for (unsigned i = 0; i < t->npolicy; i++) {
		const struct ipc_xfrm_policy *p = &t->policy[i];
		if (p->id.family != sa->id.family || memcmp(p->tun_src, sa->id.src, IPC_XFRM_ADDR) ||
		    memcmp(p->tun_dst, sa->id.dst, IPC_XFRM_ADDR))
			continue;
		if (p->reqid == sa->reqid)
			return 0;
		tunnel = p;
	}
	addr_text(sa->id.family, sa->id.src, src);
	addr_text(sa->id.family, sa->id.dst, dst);
	if (tunnel)
		return refuse(TNC_ESTATE, reason, size, "reqid: %u, but the policies tunnelling %s to "
		    "%s have reqid %u", sa->reqid, src, dst, tunnel->reqid);
	return refuse(TNC_ESTATE, reason, size, "src, dst: no installed policy tunnels %s to %s "
	    "(its policies go first)", src, dst);
}
