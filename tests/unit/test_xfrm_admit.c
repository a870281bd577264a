/* test_xfrm_admit.c - what tnc-xfrm lets tnc-ike install (xfrm/xfrm_admit.c):
 * the connections from CONFIG (tnc-ike's defaults without keys, refusals of
 * values that are no prefix or too small a pool); policies accepted at the
 * edges of a connection's traffic selector and pool and refused one address
 * past them, remote selectors of more than one address, IPv6; SAs only
 * under an installed policy's tunnel with its reqid and never twice; and
 * that tnc-xfrm's request handling refuses them before the kernel. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "testlib.h"
#include "xfrm_admit.h"
#include "xfrm_service.h"

static char reason[IPC_XFRM_REASON_MAX];

/* cfg from "key", "value" pairs (n of them). */
static struct ipc_config
config(const char *const kv[][2], unsigned n)
{
	struct ipc_config cfg = {.count = (uint16_t)n};
	for (unsigned i = 0; i < n; i++) {
		cfg.key[i] = (struct bytes){(const uint8_t *)kv[i][0], strlen(kv[i][0])};
		cfg.value[i] = (struct bytes){(const uint8_t *)kv[i][1], strlen(kv[i][1])};
	}
	return cfg;
}

/* rw-allow 10.1.0.0/28 with the pool 10.3.0.0/24, rw-isolate 10.1.0.16/28
 * without a pool (the key given empty, as tncd sends its default). */
static void
configure(struct xfrm_admit *a)
{
	static const char *const kv[][2] = {{"uid", "70704"}, {"rw_allow_ts", "10.1.0.0/28"},
	    {"rw_allow_pool", "10.3.0.0/24"}, {"rw_isolate_ts", "10.1.0.16/28"},
	    {"rw_isolate_pool", ""}};
	struct ipc_config cfg = config(kv, 5);
	ck_assert_int_eq(xfrm_admit_configure(a, &cfg, reason, sizeof(reason)), 0);
}

static void
v4(uint8_t a[IPC_XFRM_ADDR], const char *s)
{
	memset(a, 0, IPC_XFRM_ADDR);
	ck_assert_int_eq(inet_pton(AF_INET, s, a), 1);
}

/* A policy of dir between our local/local_len and the peer's remote/remote_len,
 * through the tunnel 192.0.2.1 (ours) - 192.0.2.2 (the peer's), reqid 7. */
static struct ipc_xfrm_policy
policy(uint8_t dir, const char *local, unsigned local_len, const char *remote,
    unsigned remote_len)
{
	struct ipc_xfrm_policy p = {.id = {.family = AF_INET, .dir = dir}, .reqid = 7,
	    .priority = 1000};
	bool out = dir == IPC_XFRM_OUT;
	v4(out ? p.id.src : p.id.dst, local);
	v4(out ? p.id.dst : p.id.src, remote);
	*(out ? &p.id.src_prefix : &p.id.dst_prefix) = (uint8_t)local_len;
	*(out ? &p.id.dst_prefix : &p.id.src_prefix) = (uint8_t)remote_len;
	v4(p.tun_src, out ? "192.0.2.1" : "192.0.2.2");
	v4(p.tun_dst, out ? "192.0.2.2" : "192.0.2.1");
	return p;
}

/* Whether a admits p; reason says why not. */
static int
admit(const struct xfrm_admit *a, struct ipc_xfrm_policy p)
{
	reason[0] = 0;
	return xfrm_admit_policy(a, &p, reason, sizeof(reason));
}

START_TEST(defaults_without_keys)
{
	struct xfrm_admit a;
	struct ipc_config none = {0};
	ck_assert_int_eq(xfrm_admit_configure(&a, &none, reason, sizeof(reason)), 0);
	ck_assert_uint_eq(a.nconn, 2);
	ck_assert_str_eq(a.conn[0].name, "rw-allow");
	ck_assert_str_eq(a.conn[0].ts_text, "10.1.0.0/28");
	ck_assert_uint_eq(a.conn[0].ts_first, 0x0a010000);
	ck_assert_uint_eq(a.conn[0].ts_last, 0x0a01000f);
	ck_assert(!a.conn[0].has_pool);
	ck_assert_str_eq(a.conn[1].name, "rw-isolate");
	ck_assert_uint_eq(a.conn[1].ts_first, 0x0a010010);
	ck_assert_uint_eq(a.conn[1].ts_last, 0x0a01001f);
	ck_assert(!a.conn[1].has_pool);

	/* host bits of a configured prefix are ignored, as tnc-ike does */
	static const char *const kv[][2] = {{"rw_allow_ts", "10.1.0.5/28"},
	    {"rw_allow_pool", "10.3.0.77/30"}};
	struct ipc_config cfg = config(kv, 2);
	ck_assert_int_eq(xfrm_admit_configure(&a, &cfg, reason, sizeof(reason)), 0);
	ck_assert_uint_eq(a.conn[0].ts_first, 0x0a010000);
	ck_assert(a.conn[0].has_pool);
	ck_assert_uint_eq(a.conn[0].pool_first, 0x0a03004d);
	ck_assert_uint_eq(a.conn[0].pool_last, 0x0a03004e);
	ck_assert_str_eq(a.conn[1].ts_text, "10.1.0.16/28"); /* the default still */
}
END_TEST

static const struct bad_config {
	const char *key, *value, *reason;
} bad_configs[] = {
	{"rw_allow_ts", "", "rw_allow_ts '' is not an IPv4 prefix a.b.c.d/len"},
	{"rw_allow_ts", "10.1.0.0", "rw_allow_ts '10.1.0.0' is not an IPv4 prefix a.b.c.d/len"},
	{"rw_isolate_ts", "10.1.0.0/33",
	    "rw_isolate_ts '10.1.0.0/33' is not an IPv4 prefix a.b.c.d/len"},
	{"rw_isolate_ts", "fd00::/64", "rw_isolate_ts 'fd00::/64' is not an IPv4 prefix a.b.c.d/len"},
	{"rw_allow_ts", "10.1.0.0/28 10.2.0.0/28", /* one character short of the bound */
	    "rw_allow_ts '10.1.0.0/28 10.2.0.0/28' is not an IPv4 prefix a.b.c.d/len"},
	{"rw_isolate_pool", "10.3.0.0/24, 10.4.0.0/24", "rw_isolate_pool: longer than an IPv4 "
	    "prefix a.b.c.d/len"},
	{"rw_allow_pool", "10.3.0.0/31",
	    "rw_allow_pool '10.3.0.0/31' is not an IPv4 prefix a.b.c.d/len of at most /30"},
	{"rw_isolate_pool", "10.3.0.0/", "rw_isolate_pool '10.3.0.0/' is not an IPv4 prefix "
	    "a.b.c.d/len of at most /30"},
};

START_TEST(bad_config_refused)
{
	const struct bad_config *b = &bad_configs[_i];
	const char *const kv[][2] = {{b->key, b->value}};
	struct ipc_config cfg = config(kv, 1);
	struct xfrm_admit a;
	ck_assert_int_eq(xfrm_admit_configure(&a, &cfg, reason, sizeof(reason)), TNC_ECONFIG);
	ck_assert_str_eq(reason, b->reason);
}
END_TEST

#define NO_TS_OF(sel) sel " lies in no connection's traffic selector (rw-allow 10.1.0.0/28, " \
	"rw-isolate 10.1.0.16/28)"
#define NOT_IN_POOL(sel) sel " is no address of rw-allow's pool 10.3.0.0/24 (10.3.0.1 to " \
	"10.3.0.254)"
#define NOT_ONE(sel) sel " is not one address (/32): a peer's traffic selector is its own " \
	"or its virtual IP"

/* Policies at the edges of configure()'s connections: admitted (reason
 * NULL) or refused with reason. */
static const struct policy_case {
	uint8_t dir;
	const char *local;
	unsigned local_len;
	const char *remote;
	unsigned remote_len;
	const char *reason;
} policy_cases[] = {
	/* the whole traffic selector, its first and its last address */
	{IPC_XFRM_OUT, "10.1.0.0", 28, "10.3.0.1", 32, NULL},
	{IPC_XFRM_OUT, "10.1.0.0", 32, "10.3.0.1", 32, NULL},
	{IPC_XFRM_OUT, "10.1.0.15", 32, "10.3.0.1", 32, NULL},
	{IPC_XFRM_IN, "10.1.0.8", 29, "10.3.0.1", 32, NULL},
	{IPC_XFRM_FWD, "10.1.0.0", 28, "10.3.0.1", 32, NULL},
	/* one address before and the prefix one bit wider */
	{IPC_XFRM_OUT, "10.0.255.255", 32, "10.3.0.1", 32, NO_TS_OF("src: 10.0.255.255/32")},
	{IPC_XFRM_OUT, "10.1.0.0", 27, "10.3.0.1", 32, NO_TS_OF("src: 10.1.0.0/27")},
	/* in and fwd: the local selector is the destination */
	{IPC_XFRM_IN, "10.1.0.32", 32, "10.3.0.1", 32, NO_TS_OF("dst: 10.1.0.32/32")},
	{IPC_XFRM_FWD, "0.0.0.0", 0, "10.3.0.1", 32, NO_TS_OF("dst: 0.0.0.0/0")},
	/* rw-isolate's first address: its connection, which has no pool */
	{IPC_XFRM_OUT, "10.1.0.16", 32, "198.51.100.7", 32, NULL},
	{IPC_XFRM_IN, "10.1.0.31", 32, "203.0.113.1", 32, NULL},
	/* the pool's last address handed out (its first: the first case) */
	{IPC_XFRM_IN, "10.1.0.0", 28, "10.3.0.254", 32, NULL},
	/* its network and broadcast addresses, and one past it */
	{IPC_XFRM_OUT, "10.1.0.0", 28, "10.3.0.0", 32, NOT_IN_POOL("dst: 10.3.0.0")},
	{IPC_XFRM_IN, "10.1.0.0", 28, "10.3.0.255", 32, NOT_IN_POOL("src: 10.3.0.255")},
	{IPC_XFRM_FWD, "10.1.0.0", 28, "10.3.1.1", 32, NOT_IN_POOL("src: 10.3.1.1")},
	/* one address only, with a pool or without */
	{IPC_XFRM_OUT, "10.1.0.0", 28, "10.3.0.0", 31, NOT_ONE("dst: 10.3.0.0/31")},
	{IPC_XFRM_IN, "10.1.0.16", 28, "0.0.0.0", 0, NOT_ONE("src: 0.0.0.0/0")},
};

START_TEST(selector_edges)
{
	const struct policy_case *c = &policy_cases[_i];
	struct xfrm_admit a;
	configure(&a);
	int rc = admit(&a, policy(c->dir, c->local, c->local_len, c->remote, c->remote_len));
	if (!c->reason) {
		ck_assert_msg(rc == 0, "case %d refused: %s", _i, reason);
	} else {
		ck_assert_msg(rc == TNC_EINVALID, "case %d: %d", _i, rc);
		ck_assert_str_eq(reason, c->reason);
	}
}
END_TEST

START_TEST(everything_selector_and_ipv6)
{
	struct xfrm_admit a;
	configure(&a);
	/* IPv6: no connection is */
	struct ipc_xfrm_policy p = policy(IPC_XFRM_OUT, "10.1.0.0", 28, "10.3.0.1", 32);
	p.id.family = AF_INET6;
	ck_assert_int_eq(inet_pton(AF_INET6, "fd00::", p.id.src), 1);
	ck_assert_int_eq(admit(&a, p), TNC_EINVALID);
	ck_assert_str_eq(reason, "family: IPv6, but the connections' traffic selectors are IPv4 "
	    "(rw-allow 10.1.0.0/28, rw-isolate 10.1.0.16/28)");

	/* a traffic selector of everything admits every local selector */
	static const char *const all[][2] = {{"rw_allow_ts", "0.0.0.0/0"}};
	struct ipc_config cfg = config(all, 1);
	ck_assert_int_eq(xfrm_admit_configure(&a, &cfg, reason, sizeof(reason)), 0);
	ck_assert_int_eq(admit(&a, policy(IPC_XFRM_OUT, "0.0.0.0", 0, "192.0.2.9", 32)), 0);
	ck_assert_int_eq(admit(&a, policy(IPC_XFRM_IN, "255.255.255.255", 32, "192.0.2.9", 32)), 0);
}
END_TEST

/* Overlapping connections: the policy is admitted when one of them takes it. */
START_TEST(overlapping_connections)
{
	static const char *const kv[][2] = {{"rw_allow_ts", "10.1.0.0/24"},
	    {"rw_allow_pool", "10.3.0.0/24"}, {"rw_isolate_ts", "10.1.0.0/28"},
	    {"rw_isolate_pool", "10.4.0.0/24"}};
	struct ipc_config cfg = config(kv, 4);
	struct xfrm_admit a;
	ck_assert_int_eq(xfrm_admit_configure(&a, &cfg, reason, sizeof(reason)), 0);
	ck_assert_int_eq(admit(&a, policy(IPC_XFRM_OUT, "10.1.0.0", 28, "10.3.0.9", 32)), 0);
	ck_assert_int_eq(admit(&a, policy(IPC_XFRM_OUT, "10.1.0.0", 28, "10.4.0.9", 32)), 0);
	ck_assert_int_eq(admit(&a, policy(IPC_XFRM_OUT, "10.1.0.128", 25, "10.4.0.9", 32)),
	    TNC_EINVALID);
	ck_assert_str_eq(reason, "dst: 10.4.0.9 is no address of rw-allow's pool 10.3.0.0/24 "
	    "(10.3.0.1 to 10.3.0.254)");
	ck_assert_int_eq(admit(&a, policy(IPC_XFRM_OUT, "10.1.0.0", 28, "10.5.0.9", 32)),
	    TNC_EINVALID);
	ck_assert_str_eq(reason, "dst: 10.5.0.9 is no address of rw-allow's pool 10.3.0.0/24 "
	    "(10.3.0.1 to 10.3.0.254)"); /* named by the first connection that had it */
}
END_TEST

/* An SA of the out (192.0.2.1 -> .2) or in (.2 -> .1) direction. */
static struct ipc_xfrm_sa
sa(bool out, uint32_t spi, uint32_t reqid)
{
	static uint8_t key[20];
	struct ipc_xfrm_sa s = {.id = {.family = AF_INET, .spi = spi}, .reqid = reqid,
	    .alg = IPC_XFRM_AES_GCM_16, .enc_key = {key, sizeof(key)}};
	v4(s.id.src, out ? "192.0.2.1" : "192.0.2.2");
	v4(s.id.dst, out ? "192.0.2.2" : "192.0.2.1");
	return s;
}

static int
admit_sa(const struct xfrm_table *t, struct ipc_xfrm_sa s)
{
	reason[0] = 0;
	return xfrm_admit_sa(t, &s, reason, sizeof(reason));
}

START_TEST(sas_under_installed_policies)
{
	static struct xfrm_table t;
	memset(&t, 0, sizeof(t));

	/* nothing installed: no SA */
	ck_assert_int_eq(admit_sa(&t, sa(true, 0x1001, 7)), TNC_ESTATE);
	ck_assert_str_eq(reason, "src, dst: no installed policy tunnels 192.0.2.1 to 192.0.2.2 "
	    "(its policies go first)");

	struct ipc_xfrm_policy out = policy(IPC_XFRM_OUT, "10.1.0.0", 28, "10.3.0.1", 32);
	ck_assert_int_eq(xfrm_table_add_policy(&t, &out), 0);
	ck_assert_int_eq(admit_sa(&t, sa(true, 0x1001, 7)), 0);
	/* the other direction has no policy yet */
	ck_assert_int_eq(admit_sa(&t, sa(false, 0x1002, 7)), TNC_ESTATE);
	ck_assert_str_eq(reason, "src, dst: no installed policy tunnels 192.0.2.2 to 192.0.2.1 "
	    "(its policies go first)");
	struct ipc_xfrm_policy in = policy(IPC_XFRM_IN, "10.1.0.0", 28, "10.3.0.1", 32);
	ck_assert_int_eq(xfrm_table_add_policy(&t, &in), 0);
	ck_assert_int_eq(admit_sa(&t, sa(false, 0x1002, 7)), 0);
	/* the tunnel, but another reqid */
	ck_assert_int_eq(admit_sa(&t, sa(false, 0x1002, 8)), TNC_ESTATE);
	ck_assert_str_eq(reason, "reqid: 8, but the policies tunnelling 192.0.2.2 to 192.0.2.1 "
	    "have reqid 7");
	/* another family */
	struct ipc_xfrm_sa v6 = sa(true, 0x1001, 7);
	v6.id.family = AF_INET6;
	ck_assert_int_eq(admit_sa(&t, v6), TNC_ESTATE);

	/* installed: never twice by (destination, SPI); the SPI to another
	 * destination is another SA */
	struct ipc_xfrm_sa installed = sa(true, 0x1001, 7);
	ck_assert_int_eq(xfrm_table_add_sa(&t, &installed.id), 0);
	ck_assert_int_eq(admit_sa(&t, sa(true, 0x1001, 7)), TNC_ESTATE);
	ck_assert_str_eq(reason, "spi: 0x00001001 to 192.0.2.2 is installed already");
	ck_assert_int_eq(admit_sa(&t, sa(false, 0x1001, 7)), 0);
	/* a rekey: a new SPI under the same policies */
	ck_assert_int_eq(admit_sa(&t, sa(true, 0x2001, 7)), 0);

	/* the policy gone, its SAs are refused again */
	xfrm_table_remove_policy(&t, (unsigned)xfrm_table_find_policy(&t, &out.id));
	ck_assert_int_eq(admit_sa(&t, sa(true, 0x2001, 7)), TNC_ESTATE);
}
END_TEST

/* tnc-xfrm's request handling refuses what is not admitted before the
 * kernel sees it (fd -1: a request that reached the kernel step would come
 * back with -EBADF, as an admitted one does here). */
START_TEST(service_refuses_before_the_kernel)
{
	static struct xfrm_service s = {.fd = -1};
	struct ipc_msg m = {.type = IPC_XFRM_POLICY_ADD};

	configure(&s.admit);
	m.u.xfrm_policy = policy(IPC_XFRM_OUT, "10.9.0.0", 24, "10.3.0.1", 32);
	ck_assert_int_eq(xfrm_service_handle(&s, &m, reason, sizeof(reason)), TNC_EINVALID);
	ck_assert_str_eq(reason, "src: 10.9.0.0/24 lies in no connection's traffic selector "
	    "(rw-allow 10.1.0.0/28, rw-isolate 10.1.0.16/28)");
	m.u.xfrm_policy = policy(IPC_XFRM_OUT, "10.1.0.0", 28, "10.3.0.1", 32);
	ck_assert_int_eq(xfrm_service_handle(&s, &m, reason, sizeof(reason)), -EBADF);
	ck_assert_str_eq(reason, "no answer from the kernel: Bad file descriptor");
	ck_assert_uint_eq(s.table.npolicy, 0);

	m = (struct ipc_msg){.type = IPC_XFRM_SA_ADD};
	m.u.xfrm_sa = sa(true, 0x1001, 7);
	ck_assert_int_eq(xfrm_service_handle(&s, &m, reason, sizeof(reason)), TNC_ESTATE);
	ck_assert_str_eq(reason, "src, dst: no installed policy tunnels 192.0.2.1 to 192.0.2.2 "
	    "(its policies go first)");
	struct ipc_xfrm_policy out = policy(IPC_XFRM_OUT, "10.1.0.0", 28, "10.3.0.1", 32);
	ck_assert_int_eq(xfrm_table_add_policy(&s.table, &out), 0);
	ck_assert_int_eq(xfrm_service_handle(&s, &m, reason, sizeof(reason)), -EBADF);
	ck_assert_uint_eq(s.table.nsa, 0);
	/* a malformed request is refused for its field first */
	m.u.xfrm_sa.id.spi = 255;
	ck_assert_int_eq(xfrm_service_handle(&s, &m, reason, sizeof(reason)), TNC_EINVALID);
	ck_assert_str_eq(reason, "spi: 0 or reserved (below 256)");
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("xfrm_admit");
	TCase *tc = tcase_create("admit");
	tcase_add_test(tc, defaults_without_keys);
	tcase_add_loop_test(tc, bad_config_refused, 0, sizeof(bad_configs) / sizeof(bad_configs[0]));
	tcase_add_loop_test(tc, selector_edges, 0, sizeof(policy_cases) / sizeof(policy_cases[0]));
	tcase_add_test(tc, everything_selector_and_ipv6);
	tcase_add_test(tc, overlapping_connections);
	tcase_add_test(tc, sas_under_installed_policies);
	tcase_add_test(tc, service_refuses_before_the_kernel);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tl_run_suite(suite());
}
