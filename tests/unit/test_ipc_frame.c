/* test_ipc_frame.c - IPC frame header and payload codec: every message type
 * round-trips; malformed headers and payloads are refused with the right
 * error. */
#include <string.h>
#include <sys/socket.h>

#include "ipc_msg.h"
#include "testlib.h"

static struct bytes
B(const char *s)
{
	return (struct bytes){(const uint8_t *)s, strlen(s)};
}

/* One sample of every message type in messages.def. */
static int
sample(uint16_t type, struct ipc_msg *m)
{
	memset(m, 0, sizeof(*m));
	m->type = type;
	switch (type) {
	case IPC_HELLO:
		m->u.hello = (struct ipc_hello){1, 0, B("tnc-imv-os"), 10, 7, 4242, B("0.1.0")};
		return 1;
	case IPC_CONFIG:
		m->u.config.count = 2;
		m->u.config.key[0] = B("uid");
		m->u.config.value[0] = B("64710");
		m->u.config.key[1] = B("state_dir");
		m->u.config.value[1] = B("/var/lib/tnc/imv-os");
		return 1;
	case IPC_READY:
		m->u.ready = (struct ipc_ready){64710, 64710, 1, 57};
		return 1;
	case IPC_PING:
	case IPC_PONG:
		m->u.ping.token = 0x0102030405060708ull;
		return 1;
	case IPC_LOGLEVEL:
		m->u.loglevel.subsys = 3;
		m->u.loglevel.level = -1;
		return 1;
	case IPC_PEER_ATTACH:
		m->u.peer_attach.peer = B("tnc-tnccs");
		m->u.peer_attach.gen = 3;
		return 1;
	case IPC_PEER_PING:
	case IPC_PEER_PING_DONE:
		m->u.peer_ping = (struct ipc_peer_ping){B("tnc-imv-attest"), -1014, 1234};
		return 1;
	case IPC_SHUTDOWN:
		m->u.shutdown.deadline_ms = 5000;
		return 1;
	case IPC_METRICS_GET:
		return 1;
	case IPC_METRICS:
		m->u.metrics.data = (struct bytes){(const uint8_t *)"\0\0", 2};
		return 1;
	case IPC_CTL_REQUEST:
		m->u.ctl_request.argc = 3;
		m->u.ctl_request.argv[0] = B("loglevel");
		m->u.ctl_request.argv[1] = B("TNC");
		m->u.ctl_request.argv[2] = B("2");
		return 1;
	case IPC_TNCCS_OPEN:
		m->u.tnccs_open = (struct ipc_tnccs_open){TNCCS_OPEN_RESUMED | TNCCS_OPEN_CLIENT_WAITS |
		    TNCCS_OPEN_EAP, B("IF-T for TLS 2.0"), B("127.0.0.1:4000"), B("CN=client"),
		    IPC_ID_AUTH_CERTIFICATE, 65536, 65000};
		return 1;
	case IPC_TNCCS_BATCH:
		m->u.tnccs_batch.batch = B("\x02\x80\x00\x02\x00\x00\x00\x08");
		return 1;
	case IPC_TNCCS_CLOSE:
		m->u.tnccs_close = (struct ipc_tnccs_close){-1010, B("peer left")};
		return 1;
	case IPC_TNCCS_RESULT:
	case IPC_IMV_RECOMMEND:
		m->u.imv_recommend = (struct ipc_imv_recommend){IMV_REC_ISOLATE,
		    IMV_EVAL_NONCOMPLIANT_MAJOR, B("forwarding enabled"), B("en")};
		return 1;
	case IPC_IKE_LISTENER:
		m->u.ike_listener = (struct ipc_ike_listener){B("pt-tls"), B("127.0.0.1:271")};
		return 1;
	case IPC_IMV_SUBSCRIBE:
		m->u.imv_subscribe.imv_id = 1;
		m->u.imv_subscribe.name = B("OS");
		m->u.imv_subscribe.count = 2;
		m->u.imv_subscribe.vendor[0] = 0;
		m->u.imv_subscribe.subtype[0] = 1;
		m->u.imv_subscribe.vendor[1] = 0x005597;
		m->u.imv_subscribe.subtype[1] = 1;
		return 1;
	case IPC_IMV_CONNECTION:
		m->u.imv_connection = (struct ipc_imv_connection){IMV_CONN_CREATE, 65000,
		    B("CN=client"), IPC_ID_AUTH_PASSWORD, B("PT-EAP"), B("127.0.0.1"), B("en")};
		return 1;
	case IPC_IMV_RECEIVE:
	case IPC_IMV_SEND:
		m->u.pa_msg = (struct ipc_pa_msg){PA_FLAG_EXCL, 0, 1, 1, 0xffff, B("\x01\x00\x00\x00")};
		return 1;
	case IPC_IMV_BATCH_END:
	case IPC_IMV_BATCH_DONE:
	case IPC_IMV_SOLICIT:
	case IPC_IMV_RETRY:
		return 1;
	case IPC_POLICY_SESSION_START:
		m->u.policy_session_start = (struct ipc_policy_session_start){B("CN=client"),
		    B("127.0.0.1:40312"), B("IF-T for TLS 2.0")};
		return 1;
	case IPC_POLICY_DEVICE:
		m->u.policy_device = (struct ipc_policy_device){B("Debian 12 x86_64"), B("a1b2c3")};
		return 1;
	case IPC_POLICY_SESSION_END:
		m->u.policy_session_end = (struct ipc_policy_session_end){IMV_REC_ISOLATE,
		    IMV_EVAL_NONCOMPLIANT_MINOR};
		return 1;
	case IPC_POLICY_RECORDED:
		m->u.policy_recorded = (struct ipc_policy_recorded){TNC_ENOTFOUND, 1ull << 40};
		return 1;
	case IPC_POLICY_WORKITEMS:
		m->u.policy_workitems.count = 2;
		m->u.policy_workitems.item[0] = (struct ipc_policy_workitem){1, B("PCKGS"), B(""),
		    IMV_REC_ISOLATE, IMV_REC_ISOLATE};
		m->u.policy_workitems.item[1] = (struct ipc_policy_workitem){2, B("TCPOP"), B("22 443"),
		    IMV_REC_NO_ACCESS, IMV_REC_NONE};
		return 1;
	case IPC_POLICY_PACKAGES: {
		/* openssl 3.0.11-1, telnetd with an empty version */
		static const uint8_t list[] = {0, 7, 'o', 'p', 'e', 'n', 's', 's', 'l', 0, 8, '3', '.',
		    '0', '.', '1', '1', '-', '1', 0, 7, 't', 'e', 'l', 'n', 'e', 't', 'd', 0, 0};
		m->u.policy_packages = (struct ipc_policy_packages){2, {list, sizeof(list)}};
		return 1;
	}
	case IPC_POLICY_PACKAGE_VERDICTS:
		m->u.policy_package_verdicts = (struct ipc_policy_package_verdicts){0,
		    {(const uint8_t *)"\x01\x04", 2}};
		return 1;
	case IPC_POLICY_WORKITEM_RESULT:
		m->u.policy_workitem_result = (struct ipc_policy_workitem_result){3, IMV_REC_ISOLATE,
		    B("blacklisted package telnetd")};
		return 1;
	case IPC_POLICY_FILES: {
		/* /usr/bin/ls with an ima-ng template hash */
		static const uint8_t list[] = {0, 11, '/', 'u', 's', 'r', '/', 'b', 'i', 'n', '/', 'l',
		    's', 0, 4, '0', 'a', '1', 'b'};
		m->u.policy_files = (struct ipc_policy_files){IPC_FILE_IMA_NG_TEMPLATE, B("sha256"),
		    B("sha256"), 1, {list, sizeof(list)}};
		return 1;
	}
	case IPC_POLICY_FILE_VERDICTS:
		m->u.policy_file_verdicts = (struct ipc_policy_file_verdicts){0,
		    {(const uint8_t *)"\x00\x02", 2}};
		return 1;
	case IPC_POLICY_AIK_GET:
		return 1;
	case IPC_POLICY_AIK:
		m->u.policy_aik = (struct ipc_policy_aik){0, 1, B("732c769e")};
		return 1;
	case IPC_POLICY_FILE_REFERENCES: {
		/* a 4-byte digest, then none */
		static const uint8_t list[] = {4, 0x0a, 0x1b, 0x2c, 0x3d, 0};
		m->u.policy_file_references = (struct ipc_policy_file_references){0, 2,
		    {list, sizeof(list)}};
		return 1;
	}
	case IPC_POLICY_SW_STATE_GET:
		return 1;
	case IPC_POLICY_SW_STATE:
		m->u.policy_sw_state = (struct ipc_policy_sw_state){0, 965, 1, 1700000000, 965};
		return 1;
	case IPC_POLICY_SW_INVENTORY:
	case IPC_POLICY_SW_EVENTS: {
		/* events: EID 3, "t", create; both: identifier "a__1", package "a", no version or regid */
		static const uint8_t event[] = {0, 0, 0, 3, 0, 1, 't', 1, 0, 4, 'a', '_', '_', '1', 0, 1,
		    'a', 0, 0, 0, 0};
		bool events = type == IPC_POLICY_SW_EVENTS;
		m->u.policy_sw_list = (struct ipc_policy_sw_list){IPC_SW_FIRST | IPC_SW_LAST, 7, 3, 1,
		    {event + (events ? 0 : 8), sizeof(event) - (events ? 0 : 8)}};
		return 1;
	}
	case IPC_POLICY_SW_TAGS: {
		static const uint8_t tag[] = {0, 1, 'x', 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, '<', 'x', '/',
		    '>'};
		m->u.policy_sw_tags = (struct ipc_policy_sw_tags){1, {tag, sizeof(tag)}};
		return 1;
	}
	case IPC_POLICY_SW_UNTAGGED_GET:
		m->u.policy_sw_untagged_get.max = 50;
		return 1;
	case IPC_POLICY_SW_UNTAGGED: {
		static const uint8_t name[] = {0, 4, 'a', '_', '_', '1'};
		m->u.policy_sw_untagged = (struct ipc_policy_sw_untagged){0, 1, {name, sizeof(name)}};
		return 1;
	}
	case IPC_POLICY_SW_VERDICT_GET:
		m->u.policy_sw_verdict_get.workitem = 2;
		return 1;
	case IPC_POLICY_SW_VERDICT:
		m->u.policy_sw_verdict = (struct ipc_policy_sw_verdict){0, 1, 1, 0, 2, 965,
		    B("forbidden telnetd")};
		return 1;
	case IPC_XFRM_SA_ADD: /* AES-CBC, HMAC-SHA-256, NAT-T, 192.0.2.1 -> 192.0.2.2 */
		m->u.xfrm_sa = (struct ipc_xfrm_sa){{AF_INET, {192, 0, 2, 1}, {192, 0, 2, 2}, 0x1001},
		    7, IPC_XFRM_AES_CBC_SHA256, B("0123456789abcdef"),
		    B("0123456789abcdef0123456789abcdef"), 4500, 4500, 3000, 3600};
		return 1;
	case IPC_XFRM_SA_DELETE:
		m->u.xfrm_sa_id = (struct ipc_xfrm_sa_id){AF_INET6, {0x20, 0x01, 0x0d, 0xb8, [15] = 1},
		    {0x20, 0x01, 0x0d, 0xb8, [15] = 2}, 0x1002};
		return 1;
	case IPC_XFRM_POLICY_ADD:
		m->u.xfrm_policy = (struct ipc_xfrm_policy){{AF_INET, IPC_XFRM_FWD, {10, 1}, {10, 2},
		    16, 24}, {192, 0, 2, 1}, {192, 0, 2, 2}, 7, 1000};
		return 1;
	case IPC_XFRM_POLICY_DELETE:
		m->u.xfrm_policy_id = (struct ipc_xfrm_policy_id){AF_INET, IPC_XFRM_IN, {10, 2},
		    {10, 1}, 24, 16};
		return 1;
	case IPC_XFRM_RESULT:
		m->u.xfrm_result = (struct ipc_xfrm_result){-17, B("kernel: File exists")};
		return 1;
	case IPC_CTL_REPLY: {
		/* columns name (text), pid (int); one row: tnc-ike, 12 */
		static const uint8_t columns[] = {0, 4, 'n', 'a', 'm', 'e', IPC_COL_TEXT,
		    0, 3, 'p', 'i', 'd', IPC_COL_INT};
		static const uint8_t table[] = {0, 7, 't', 'n', 'c', '-', 'i', 'k', 'e', 0, 2, '1', '2'};
		m->u.ctl_reply = (struct ipc_ctl_reply){0, B("ok"), 2, 1, {columns, sizeof(columns)},
		    {table, sizeof(table)}};
		return 1;
	}
	}
	return 0;
}

static const uint16_t all_types[] = {
#define X(name, num, from, to, fd, once, text) IPC_##name,
#include "messages.def"
#undef X
};
#define NTYPES (sizeof(all_types) / sizeof(all_types[0]))

START_TEST(every_type_round_trips)
{
	uint16_t type = all_types[_i];
	struct ipc_msg in, out;
	struct wire_writer w;

	ck_assert_msg(sample(type, &in), "no sample for type 0x%04x", type);
	wire_writer_init(&w, IPC_FRAME_MAX_DEFAULT);
	ck_assert_int_eq(ipc_msg_encode(&in, &w), 0);
	ck_assert_int_eq(ipc_msg_decode(type, w.buf, w.len, &out), 0);
	/* Re-encoding the decoded message gives the same bytes. */
	struct wire_writer w2;
	wire_writer_init(&w2, IPC_FRAME_MAX_DEFAULT);
	ck_assert_int_eq(ipc_msg_encode(&out, &w2), 0);
	ck_assert_uint_eq(w.len, w2.len);
	if (w.len) /* empty payloads have no buffer at all */
		ck_assert_mem_eq(w.buf, w2.buf, w.len);
	/* Every strict prefix is truncated, never accepted. */
	for (size_t cut = 0; cut < w.len; cut++) {
		struct ipc_msg m;
		ck_assert_int_ne(ipc_msg_decode(type, w.buf, cut, &m), 0);
	}
	/* A trailing byte is an error. */
	wire_put_u8(&w, 0);
	ck_assert_int_eq(ipc_msg_decode(type, w.buf, w.len, &out), TNC_ETRAILING);
	wire_writer_clear(&w);
	wire_writer_clear(&w2);
}
END_TEST

START_TEST(decoded_fields_match)
{
	struct ipc_msg in, out;
	struct wire_writer w;

	sample(IPC_HELLO, &in);
	wire_writer_init(&w, 4096);
	ck_assert_int_eq(ipc_msg_encode(&in, &w), 0);
	ck_assert_int_eq(ipc_msg_decode(IPC_HELLO, w.buf, w.len, &out), 0);
	ck_assert(bytes_eq_str(out.u.hello.role, "tnc-imv-os"));
	ck_assert_uint_eq(out.u.hello.slot, 10);
	ck_assert_uint_eq(out.u.hello.gen, 7);
	ck_assert_uint_eq(out.u.hello.pid, 4242);
	wire_writer_clear(&w);

	sample(IPC_PEER_PING, &in);
	wire_writer_init(&w, 4096);
	ck_assert_int_eq(ipc_msg_encode(&in, &w), 0);
	ck_assert_int_eq(ipc_msg_decode(IPC_PEER_PING, w.buf, w.len, &out), 0);
	ck_assert_int_eq(out.u.peer_ping.status, -1014);
	ck_assert_uint_eq(out.u.peer_ping.rtt_us, 1234);
	wire_writer_clear(&w);

	sample(IPC_LOGLEVEL, &in);
	wire_writer_init(&w, 4096);
	ck_assert_int_eq(ipc_msg_encode(&in, &w), 0);
	ck_assert_int_eq(ipc_msg_decode(IPC_LOGLEVEL, w.buf, w.len, &out), 0);
	ck_assert_int_eq(out.u.loglevel.level, -1);
	wire_writer_clear(&w);
}
END_TEST

static void
header(uint8_t *h, uint8_t version, uint8_t flags, uint16_t type, uint32_t len)
{
	struct ipc_header hd = {version, flags, type, len, 9, 77};
	ipc_frame_write_header(&hd, h);
}

START_TEST(header_round_trip)
{
	uint8_t h[IPC_HEADER_LEN];
	struct ipc_header out;
	header(h, 1, IPC_FLAG_REPLY, IPC_PONG, 8);
	ck_assert_int_eq(ipc_frame_parse_header(h, sizeof(h), IPC_FRAME_MAX_DEFAULT, &out), 0);
	ck_assert_uint_eq(out.type, IPC_PONG);
	ck_assert_uint_eq(out.length, 8);
	ck_assert_uint_eq(out.session, 9);
	ck_assert_uint_eq(out.seq, 77);
	ck_assert_uint_eq(out.flags, IPC_FLAG_REPLY);
	/* Network byte order, byte by byte as ipc/README.md documents. */
	static const uint8_t expect[IPC_HEADER_LEN] = {1, 2, 0, 5, 0, 0, 0, 8, 0, 0, 0, 9, 0, 0, 0, 77};
	ck_assert_mem_eq(h, expect, IPC_HEADER_LEN);
}
END_TEST

START_TEST(bad_headers)
{
	uint8_t h[IPC_HEADER_LEN];
	struct ipc_header out;

	header(h, 2, 0, IPC_PING, 8);
	ck_assert_int_eq(ipc_frame_parse_header(h, sizeof(h), 1024, &out), TNC_EVERSION);
	header(h, 1, 0x80, IPC_PING, 8);
	ck_assert_int_eq(ipc_frame_parse_header(h, sizeof(h), 1024, &out), TNC_ERESERVED);
	header(h, 1, 0, 0x7777, 8);
	ck_assert_int_eq(ipc_frame_parse_header(h, sizeof(h), 1024, &out), TNC_ETYPE);
	header(h, 1, 0, IPC_PING, 1025);
	ck_assert_int_eq(ipc_frame_parse_header(h, sizeof(h), 1024, &out), TNC_ETOOLONG);
	header(h, 1, 0, IPC_PING, IPC_FRAME_MAX_HARD + 1);
	ck_assert_int_eq(ipc_frame_parse_header(h, sizeof(h), UINT32_MAX, &out), TNC_ETOOLONG);
	/* FD flag must agree with the type. */
	header(h, 1, IPC_FLAG_FD, IPC_PING, 8);
	ck_assert_int_eq(ipc_frame_parse_header(h, sizeof(h), 1024, &out), TNC_EINVALID);
	header(h, 1, 0, IPC_PEER_ATTACH, 8);
	ck_assert_int_eq(ipc_frame_parse_header(h, sizeof(h), 1024, &out), TNC_EINVALID);
	header(h, 1, 0, IPC_PING, 8);
	ck_assert_int_eq(ipc_frame_parse_header(h, 15, 1024, &out), TNC_ETRUNCATED);
}
END_TEST

START_TEST(bad_payloads)
{
	struct ipc_msg m;
	/* text length past the end */
	static const uint8_t attach[] = {0x00, 0x10, 'a', 'b', 0, 0, 0, 1};
	ck_assert_int_eq(ipc_msg_decode(IPC_PEER_ATTACH, attach, sizeof(attach), &m), TNC_ETRUNCATED);
	/* NUL inside a text field */
	static const uint8_t nul[] = {0x00, 0x02, 'a', 0, 0, 0, 0, 1};
	ck_assert_int_eq(ipc_msg_decode(IPC_PEER_ATTACH, nul, sizeof(nul), &m), TNC_EINVALID);
	/* too many config pairs */
	static const uint8_t cfg[] = {0x01, 0x00};
	ck_assert_int_eq(ipc_msg_decode(IPC_CONFIG, cfg, sizeof(cfg), &m), TNC_ETOOLONG);
	/* READY with chrooted not 0/1 */
	static const uint8_t ready[] = {0, 0, 0, 1, 0, 0, 0, 1, 2, 0, 0, 0, 9};
	ck_assert_int_eq(ipc_msg_decode(IPC_READY, ready, sizeof(ready), &m), TNC_EINVALID);
	/* PA message with unknown flag bits, or a blob longer than the payload */
	static const uint8_t pa[] = {0x40, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0, 2, 0, 0, 0, 0};
	ck_assert_int_eq(ipc_msg_decode(IPC_IMV_RECEIVE, pa, sizeof(pa), &m), TNC_ERESERVED);
	static const uint8_t blob[] = {0, 0, 0, 9, 'x'};
	ck_assert_int_eq(ipc_msg_decode(IPC_TNCCS_BATCH, blob, sizeof(blob), &m), TNC_ETRUNCATED);
	/* recommendation out of range */
	static const uint8_t rec[] = {4, 0, 0, 0, 0, 0};
	ck_assert_int_eq(ipc_msg_decode(IPC_IMV_RECOMMEND, rec, sizeof(rec), &m), TNC_EINVALID);
	/* CTL reply whose table announces more cells than it holds */
	static const uint8_t reply[] = {0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0, 1, 'x', IPC_COL_TEXT};
	ck_assert_int_eq(ipc_msg_decode(IPC_CTL_REPLY, reply, sizeof(reply), &m), TNC_ETRUNCATED);
	/* a column type nobody defined */
	static const uint8_t bad_type[] = {0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 'x', 9};
	ck_assert_int_eq(ipc_msg_decode(IPC_CTL_REPLY, bad_type, sizeof(bad_type), &m), TNC_EINVALID);
	/* an identity authenticated by a method nobody defined */
	static const uint8_t open_auth[] = {0, 0, 1, 'x', 0, 1, 'p', 0, 1, 'i', 3,
	    0, 0, 4, 0, 0, 0, 4, 0};
	ck_assert_int_eq(ipc_msg_decode(IPC_TNCCS_OPEN, open_auth, sizeof(open_auth), &m),
	    TNC_EINVALID);
	static const uint8_t conn_auth[] = {0, 0, 0, 4, 0, 0, 1, 'i', 3, 0, 1, 't', 0, 1, 'p', 0, 0};
	ck_assert_int_eq(ipc_msg_decode(IPC_IMV_CONNECTION, conn_auth, sizeof(conn_auth), &m),
	    TNC_EINVALID);
	ck_assert_int_eq(ipc_msg_decode(0x7777, NULL, 0, &m), TNC_ETYPE);
}
END_TEST

/* What tnc-policy must never take: an empty or over-long product or device
 * ID, a recommendation or evaluation out of range. */
START_TEST(bad_policy_payloads)
{
	struct ipc_msg m;
	static const uint8_t empty_product[] = {0, 0, 0, 1, 'd'};
	ck_assert_int_eq(ipc_msg_decode(IPC_POLICY_DEVICE, empty_product, sizeof(empty_product), &m),
	    TNC_EINVALID);
	static const uint8_t empty_device[] = {0, 1, 'p', 0, 0};
	ck_assert_int_eq(ipc_msg_decode(IPC_POLICY_DEVICE, empty_device, sizeof(empty_device), &m),
	    TNC_EINVALID);
	uint8_t long_device[2 + 1 + 2 + IPC_POLICY_VALUE_MAX + 1];
	memset(long_device, 'x', sizeof(long_device));
	long_device[0] = 0, long_device[1] = 1;
	long_device[3] = (IPC_POLICY_VALUE_MAX + 1) >> 8;
	long_device[4] = (IPC_POLICY_VALUE_MAX + 1) & 0xff;
	ck_assert_int_eq(ipc_msg_decode(IPC_POLICY_DEVICE, long_device, sizeof(long_device), &m),
	    TNC_ETOOLONG);
	long_device[3] = 0; /* the longest allowed, one byte left over */
	long_device[4] = IPC_POLICY_VALUE_MAX;
	ck_assert_int_eq(ipc_msg_decode(IPC_POLICY_DEVICE, long_device, sizeof(long_device) - 1, &m),
	    0);
	static const uint8_t bad_rec[] = {IMV_REC_NONE + 1, 0};
	ck_assert_int_eq(ipc_msg_decode(IPC_POLICY_SESSION_END, bad_rec, sizeof(bad_rec), &m),
	    TNC_EINVALID);
	static const uint8_t bad_eval[] = {0, IMV_EVAL_DONT_KNOW + 1};
	ck_assert_int_eq(ipc_msg_decode(IPC_POLICY_SESSION_END, bad_eval, sizeof(bad_eval), &m),
	    TNC_EINVALID);
	/* only tnccs starts and ends sessions, only an IMV names devices, only
	 * tnc-policy answers */
	ck_assert(ipc_type_allowed(IPC_POLICY_SESSION_START, IPC_END_TNCCS, IPC_END_POLICY));
	ck_assert(!ipc_type_allowed(IPC_POLICY_SESSION_START, IPC_END_IMV, IPC_END_POLICY));
	ck_assert(!ipc_type_allowed(IPC_POLICY_SESSION_END, IPC_END_IKE, IPC_END_POLICY));
	ck_assert(ipc_type_allowed(IPC_POLICY_DEVICE, IPC_END_IMV, IPC_END_POLICY));
	ck_assert(!ipc_type_allowed(IPC_POLICY_DEVICE, IPC_END_TNCCS, IPC_END_POLICY));
	ck_assert(ipc_type_allowed(IPC_POLICY_RECORDED, IPC_END_POLICY, IPC_END_TNCCS));
	ck_assert(!ipc_type_allowed(IPC_POLICY_RECORDED, IPC_END_POLICY, IPC_END_IMV));
	ck_assert(ipc_type_allowed(IPC_HELLO, IPC_END_POLICY, IPC_END_TNCD));
}
END_TEST

/* The phase-2 messages between an IMV and tnc-policy: lists within their
 * bounds, walked in order; recommendations and verdicts in range; the
 * right ends only. */
START_TEST(policy_lists_and_bounds)
{
	struct ipc_msg in, out;
	struct wire_writer w, list;
	struct bytes name, version;
	size_t pos = 0;

	/* a list built with ipc_policy_package_put walks back in order */
	wire_writer_init(&list, IPC_FRAME_MAX_DEFAULT);
	ck_assert_int_eq(ipc_policy_package_put(&list, B("openssl"), B("3.0.11-1")), 0);
	ck_assert_int_eq(ipc_policy_package_put(&list, B("telnetd"), B("")), 0);
	ck_assert_int_eq(ipc_policy_package_put(&list, B(""), B("1")), TNC_ETOOLONG);
	in = (struct ipc_msg){.type = IPC_POLICY_PACKAGES};
	in.u.policy_packages = (struct ipc_policy_packages){2, {list.buf, list.len}};
	wire_writer_init(&w, IPC_FRAME_MAX_DEFAULT);
	ck_assert_int_eq(ipc_msg_encode(&in, &w), 0);
	ck_assert_int_eq(ipc_msg_decode(IPC_POLICY_PACKAGES, w.buf, w.len, &out), 0);
	ck_assert_int_eq(ipc_policy_package_next(&out.u.policy_packages, &pos, &name, &version), 0);
	ck_assert(bytes_eq_str(name, "openssl") && bytes_eq_str(version, "3.0.11-1"));
	ck_assert_int_eq(ipc_policy_package_next(&out.u.policy_packages, &pos, &name, &version), 0);
	ck_assert(bytes_eq_str(name, "telnetd") && version.len == 0);
	ck_assert_int_eq(ipc_policy_package_next(&out.u.policy_packages, &pos, &name, &version),
	    TNC_ENOTFOUND);
	wire_writer_clear(&w);
	/* a count above the bound, zero, or more than the list holds */
	static const uint8_t too_many[] = {(IPC_POLICY_PACKAGES_MAX + 1) >> 8,
	    (IPC_POLICY_PACKAGES_MAX + 1) & 0xff};
	ck_assert_int_eq(ipc_msg_decode(IPC_POLICY_PACKAGES, too_many, sizeof(too_many), &out),
	    TNC_ETOOLONG);
	static const uint8_t none[] = {0, 0};
	ck_assert_int_eq(ipc_msg_decode(IPC_POLICY_PACKAGES, none, sizeof(none), &out), TNC_EINVALID);
	uint8_t three[2 + 64] = {0, 3};
	memcpy(three + 2, list.buf, list.len);
	ck_assert_int_ne(ipc_msg_decode(IPC_POLICY_PACKAGES, three, 2 + list.len, &out), 0);
	wire_writer_clear(&list);
	/* exactly IPC_POLICY_PACKAGES_MAX packages fit a frame */
	wire_writer_init(&list, IPC_FRAME_MAX_DEFAULT);
	for (unsigned i = 0; i < IPC_POLICY_PACKAGES_MAX; i++)
		ck_assert_int_eq(ipc_policy_package_put(&list, B("libreoffice-l10n-en-gb"),
		                     B("4:7.4.7-1+deb12u1")), 0);
	in.u.policy_packages = (struct ipc_policy_packages){IPC_POLICY_PACKAGES_MAX,
	    {list.buf, list.len}};
	wire_writer_init(&w, IPC_FRAME_MAX_DEFAULT);
	ck_assert_int_eq(ipc_msg_encode(&in, &w), 0);
	ck_assert_int_eq(ipc_msg_decode(IPC_POLICY_PACKAGES, w.buf, w.len, &out), 0);
	ck_assert_uint_eq(out.u.policy_packages.count, IPC_POLICY_PACKAGES_MAX);
	wire_writer_clear(&w);
	wire_writer_clear(&list);

	/* workitems: at most IPC_POLICY_WORKITEMS_MAX, a type, recommendations in range */
	uint8_t items[] = {0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 5, 'P', 'C', 'K', 'G', 'S', 0, 0,
	    IMV_REC_ISOLATE, IMV_REC_ISOLATE};
	ck_assert_int_eq(ipc_msg_decode(IPC_POLICY_WORKITEMS, items, sizeof(items), &out), 0);
	ck_assert_uint_eq(out.u.policy_workitems.item[0].id, 1);
	ck_assert(bytes_eq_str(out.u.policy_workitems.item[0].type, "PCKGS"));
	items[sizeof(items) - 1] = IMV_REC_NONE + 1;
	ck_assert_int_eq(ipc_msg_decode(IPC_POLICY_WORKITEMS, items, sizeof(items), &out),
	    TNC_EINVALID);
	items[5] = IPC_POLICY_WORKITEMS_MAX + 1;
	ck_assert_int_eq(ipc_msg_decode(IPC_POLICY_WORKITEMS, items, sizeof(items), &out),
	    TNC_ETOOLONG);
	static const uint8_t no_type[] = {0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0};
	ck_assert_int_eq(ipc_msg_decode(IPC_POLICY_WORKITEMS, no_type, sizeof(no_type), &out),
	    TNC_EINVALID);
	/* verdicts: each one known */
	static const uint8_t bad_verdict[] = {0, 0, 0, 0, 0, 0, 0, 2, 1, IPC_PKG_VERDICT_LAST + 1};
	ck_assert_int_eq(ipc_msg_decode(IPC_POLICY_PACKAGE_VERDICTS, bad_verdict,
	                     sizeof(bad_verdict), &out), TNC_EINVALID);
	/* a result: recommendation in range, text within IPC_POLICY_RESULT_MAX */
	static const uint8_t bad_result_rec[] = {0, 0, 0, 1, IMV_REC_NONE + 1, 0, 0};
	ck_assert_int_eq(ipc_msg_decode(IPC_POLICY_WORKITEM_RESULT, bad_result_rec,
	                     sizeof(bad_result_rec), &out), TNC_EINVALID);

	ck_assert(ipc_type_allowed(IPC_POLICY_WORKITEMS, IPC_END_POLICY, IPC_END_IMV));
	ck_assert(!ipc_type_allowed(IPC_POLICY_WORKITEMS, IPC_END_POLICY, IPC_END_TNCCS));
	ck_assert(ipc_type_allowed(IPC_POLICY_PACKAGES, IPC_END_IMV, IPC_END_POLICY));
	ck_assert(!ipc_type_allowed(IPC_POLICY_PACKAGES, IPC_END_TNCCS, IPC_END_POLICY));
	ck_assert(ipc_type_allowed(IPC_POLICY_PACKAGE_VERDICTS, IPC_END_POLICY, IPC_END_IMV));
	ck_assert(ipc_type_allowed(IPC_POLICY_WORKITEM_RESULT, IPC_END_IMV, IPC_END_POLICY));
	ck_assert(!ipc_type_allowed(IPC_POLICY_WORKITEM_RESULT, IPC_END_TNCCS, IPC_END_POLICY));
}
END_TEST

START_TEST(allow_table)
{
	ck_assert(ipc_type_allowed(IPC_HELLO, IPC_END_IMV, IPC_END_TNCD));
	ck_assert(!ipc_type_allowed(IPC_HELLO, IPC_END_TNCD, IPC_END_IMV));
	ck_assert(!ipc_type_allowed(IPC_CONFIG, IPC_END_TNCCS, IPC_END_IMV));
	ck_assert(!ipc_type_allowed(IPC_CTL_REQUEST, IPC_END_IKE, IPC_END_TNCD));
	ck_assert(ipc_type_allowed(IPC_TNCCS_BATCH, IPC_END_IKE, IPC_END_TNCCS));
	ck_assert(ipc_type_allowed(IPC_TNCCS_BATCH, IPC_END_TNCCS, IPC_END_IKE));
	ck_assert(!ipc_type_allowed(IPC_TNCCS_BATCH, IPC_END_IMV, IPC_END_TNCCS));
	ck_assert(!ipc_type_allowed(IPC_IMV_RECEIVE, IPC_END_IMV, IPC_END_TNCCS));
	ck_assert(!ipc_type_allowed(IPC_PEER_PING, IPC_END_IKE, IPC_END_TNCCS));
	/* a set of ends is not one end */
	ck_assert(!ipc_type_allowed(IPC_HELLO, IPC_END_CHILD, IPC_END_TNCD));
	ck_assert(!ipc_type_allowed(0x7777, IPC_END_TNCD, IPC_END_IMV));
	ck_assert_int_eq(ipc_type_once(IPC_HELLO), 1);
	ck_assert_int_eq(ipc_type_once(IPC_PING), 0);
	ck_assert_int_eq(ipc_type_has_fd(IPC_PEER_ATTACH), 1);
	ck_assert_str_eq(ipc_type_name(IPC_PEER_ATTACH), "peer-attach");
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("ipc_frame");
	TCase *tc = tcase_create("codec");
	tcase_add_loop_test(tc, every_type_round_trips, 0, NTYPES);
	tcase_add_test(tc, decoded_fields_match);
	tcase_add_test(tc, header_round_trip);
	tcase_add_test(tc, bad_headers);
	tcase_add_test(tc, bad_payloads);
	tcase_add_test(tc, bad_policy_payloads);
	tcase_add_test(tc, policy_lists_and_bounds);
	tcase_add_test(tc, allow_table);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tl_run_suite(suite());
}
