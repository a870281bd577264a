/* test_tncdump_ike.c - tncdump's IKEv2 and EAP decoding, in-process
 * (dump_input() into an open_memstream buffer): messages built with the
 * codecs' builders (an IKE_SA_INIT with and without the non-ESP marker, an
 * IKE_AUTH response with CP and traffic selectors, SK sizes under given
 * transforms, an EAP payload whose EAP-TNC packet carries a whole PB-TNC
 * batch, tunneled EAP-TTLS AVPs, fragments reassembled), the fuzz corpora
 * with a line each must print, and malformed inputs with their reason and
 * offset. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dump.h"
#include "eap.h"
#include "eap_frag.h"
#include "eap_tnc.h"
#include "eap_ttls.h"
#include "ikev2.h"
#include "testlib.h"

#define MAX_TEST_BUF (1u << 20)
#define B(p, n) ((struct bytes){(const uint8_t *)(p), (n)})
#define S(s) B(s, strlen(s))

struct dumped {
	char *out;
	int status;
};

static struct dumped
run_with(const uint8_t *buf, size_t len, enum dump_format as, const struct dump_sk *sk)
{
	struct dump_opts o = {as, false, *sk};
	struct dumped d;
	size_t n;
	FILE *f = open_memstream(&d.out, &n);

	ck_assert_ptr_nonnull(f);
	d.status = dump_input(f, buf, len, &o);
	ck_assert_int_eq(fclose(f), 0);
	return d;
}

static struct dumped
run(const uint8_t *buf, size_t len, enum dump_format as)
{
	static const struct dump_sk none;

	return run_with(buf, len, as, &none);
}

static void
assert_has(const struct dumped *d, const char *needle)
{
	ck_assert_msg(strstr(d->out, needle) != NULL, "'%s' not in:\n%s", needle, d->out);
}

static void
assert_lacks(const struct dumped *d, const char *needle)
{
	ck_assert_msg(strstr(d->out, needle) == NULL, "'%s' in:\n%s", needle, d->out);
}

static const struct ikev2_header init_hdr = {
	.spi_i = 0x1122334455667788ull, .major = 2, .exchange = IKEV2_IKE_SA_INIT,
	.flags = IKEV2_FLAG_INITIATOR,
};
static const struct ikev2_header auth_resp_hdr = {
	.spi_i = 0x1122334455667788ull, .spi_r = 0x99aabbccddeeff00ull, .major = 2,
	.exchange = IKEV2_IKE_AUTH, .flags = IKEV2_FLAG_RESPONSE, .message_id = 1,
};
static const uint8_t zeros[256];

/* IKE_SA_INIT request: SA (AES_GCM_16_256, PRF_HMAC_SHA2_256, ECP_256), KE,
 * Nonce, N(NATD_S_IP).  *ret views b. */
static void
build_sa_init(struct ikev2_builder *b, struct bytes *ret)
{
	static const struct ikev2_transform_spec tr[] = {
		{IKEV2_TRANS_ENCR, 20, 256}, {IKEV2_TRANS_PRF, 5, 0}, {IKEV2_TRANS_DH, 19, 0},
	};
	struct ikev2_proposal_spec prop = {1, IKEV2_PROTO_IKE, B(NULL, 0), tr, 3};

	ikev2_builder_init(b, &init_hdr, MAX_TEST_BUF);
	ikev2_builder_add_sa(b, &prop, 1);
	ikev2_builder_add_ke(b, 19, B(zeros, 64));
	ikev2_builder_add_nonce(b, B(zeros, 32));
	ikev2_builder_add_notify(b, 0, B(NULL, 0), IKEV2_N_NAT_DETECTION_SOURCE_IP,
	    B(zeros, IKEV2_NATD_LEN));
	ck_assert_int_eq(ikev2_builder_finish(b, ret), 0);
}

START_TEST(ike_sa_init)
{
	struct ikev2_builder b;
	struct bytes m;
	struct dumped d;
	uint8_t marked[512];
	bool sure;

	build_sa_init(&b, &m);
	ck_assert_int_eq(dump_detect(m.ptr, m.len, &sure), DUMP_IKEV2);
	ck_assert(sure);
	d = run(m.ptr, m.len, DUMP_AUTO);
	ck_assert_int_eq(d.status, 0);
	ck_assert_msg(strncmp(d.out, "IKEv2 message (", 15) == 0, "%s", d.out);
	assert_has(&d, "@0: IKE_SA_INIT (34), version 2.0, message ID 0\n"
	    "  SPIi 0x1122334455667788, SPIr 0x0000000000000000, flags 0x08 INITIATOR\n"
	    "  IKE_SA_INIT request 0 [ SA KE No N(NATD_S_IP) ]\n"
	    "  SECURITY_ASSOCIATION payload (40 bytes) @28\n"
	    "    proposal 1: IKE:AES_GCM_16_256/PRF_HMAC_SHA2_256/ECP_256\n"
	    "  KEY_EXCHANGE payload (72 bytes) @68\n"
	    "    group ECP_256 (19)\n");
	assert_has(&d, "  NONCE payload (36 bytes) @140\n");
	assert_has(&d, "  NOTIFY payload (28 bytes) @176\n"
	    "    NAT_DETECTION_SOURCE_IP (16388), protocol none (0)\n"
	    "    notification data (20 bytes)");
	free(d.out);

	/* Port 4500: the same message after four zero octets; offsets move. */
	ck_assert_uint_le(m.len + 4, sizeof(marked));
	memset(marked, 0, 4);
	memcpy(marked + 4, m.ptr, m.len);
	ck_assert_int_eq(dump_detect(marked, m.len + 4, &sure), DUMP_IKEV2);
	ck_assert(sure);
	d = run(marked, m.len + 4, DUMP_AUTO);
	ck_assert_int_eq(d.status, 0);
	assert_has(&d, "non-ESP marker (UDP port 4500) @0\nIKEv2 message (204 bytes) @4:");
	assert_has(&d, "  SECURITY_ASSOCIATION payload (40 bytes) @32\n");
	free(d.out);

	/* Cut short: the header's Length no longer matches; named with its
	 * offset under --as ikev2, exit 1. */
	d = run(m.ptr, m.len - 1, DUMP_IKEV2);
	ck_assert_int_eq(d.status, 1);
	assert_has(&d, "IKEv2 message (203 bytes) @0\n  error: ");
	assert_has(&d, "at byte offset 24\n");
	free(d.out);
	ikev2_builder_clear(&b);
}
END_TEST

START_TEST(ike_auth_cp_ts)
{
	static const struct ikev2_transform_spec tr[] = {
		{IKEV2_TRANS_ENCR, 12, 128}, {IKEV2_TRANS_INTEG, 12, 0}, {IKEV2_TRANS_ESN, 0, 0},
	};
	struct ikev2_proposal_spec prop = {1, IKEV2_PROTO_ESP, B("\xc1\x2a\x00\x07", 4), tr, 3};
	struct ikev2_ts ts = {IKEV2_TS_IPV4_ADDR_RANGE, 6, 0, 65535, B("\x0a\x01\x00\x00", 4),
	    B("\x0a\x01\xff\xff", 4)};
	struct ikev2_cp_attr cp[] = {
		{IKEV2_CFG_INTERNAL_IP4_ADDRESS, B("\x0a\x03\x00\x01", 4)},
		{IKEV2_CFG_INTERNAL_IP4_DNS, B("\x0a\x01\x00\x01", 4)},
		{IKEV2_CFG_APPLICATION_VERSION, S("strongSwan")},
	};
	struct ikev2_builder b;
	struct bytes m;
	struct dumped d;

	ikev2_builder_init(&b, &auth_resp_hdr, MAX_TEST_BUF);
	ikev2_builder_add_id(&b, IKEV2_PL_IDR, IKEV2_ID_FQDN, S("moon.strongswan.org"));
	ikev2_builder_add_cp(&b, IKEV2_CFG_REPLY, cp, 3);
	ikev2_builder_add_sa(&b, &prop, 1);
	ikev2_builder_add_ts(&b, IKEV2_PL_TSI, &ts, 1);
	ikev2_builder_add_ts(&b, IKEV2_PL_TSR, &ts, 1);
	ck_assert_int_eq(ikev2_builder_finish(&b, &m), 0);
	d = run(m.ptr, m.len, DUMP_AUTO);
	ck_assert_int_eq(d.status, 0);
	assert_has(&d, "  IKE_AUTH response 1 [ IDr CPRP(ADDR DNS VER) SA TSi TSr ]\n"
	    "  ID_RESPONDER payload (27 bytes) @28\n"
	    "    ID_FQDN 'moon.strongswan.org'\n"
	    "  CONFIGURATION payload (");
	assert_has(&d, "    CFG_REPLY (2)\n"
	    "    INTERNAL_IP4_ADDRESS (1): 10.3.0.1\n"
	    "    INTERNAL_IP4_DNS (3): 10.1.0.1\n"
	    "    APPLICATION_VERSION (7): 'strongSwan'\n");
	assert_has(&d, "    proposal 1: ESP:AES_CBC_128/HMAC_SHA2_256_128/NO_EXT_SEQ\n"
	    "      SPI (4 bytes): c1 2a 00 07\n");
	assert_has(&d, "  TRAFFIC_SELECTOR_INITIATOR payload (24 bytes) @");
	assert_has(&d, "    1 traffic selector\n"
	    "    10.1.0.0 - 10.1.255.255, IP protocol 6, ports 0-65535\n"
	    "  TRAFFIC_SELECTOR_RESPONDER payload (24 bytes)");
	free(d.out);
	ikev2_builder_clear(&b);
}
END_TEST

/* SK: its size only, or IV / ciphertext / ICV under the transforms given. */
START_TEST(sk_sizes)
{
	static const struct ikev2_header h = {
		.spi_i = 1, .spi_r = 2, .major = 2, .exchange = IKEV2_IKE_AUTH,
		.flags = IKEV2_FLAG_INITIATOR, .message_id = 1,
	};
	struct ikev2_builder b;
	struct bytes m;
	struct dump_sk sk;
	struct dumped d;
	const char *why = NULL;

	ikev2_builder_init(&b, &h, MAX_TEST_BUF);
	ikev2_builder_add_sk(&b, IKEV2_PL_SK, IKEV2_PL_IDI, 0, 0, B(NULL, 16), B(NULL, 48),
	    B(NULL, 16));
	ck_assert_int_eq(ikev2_builder_finish(&b, &m), 0);

	d = run(m.ptr, m.len, DUMP_AUTO);
	ck_assert_int_eq(d.status, 0);
	assert_has(&d, "  IKE_AUTH request 1 [ E ]\n"
	    "  ENCRYPTED payload (84 bytes) @28\n"
	    "    first inner payload ID_INITIATOR (35)\n"
	    "    encrypted 80 bytes\n");
	free(d.out);

	ck_assert_int_eq(dump_sk_parse("AES_CBC", "HMAC_SHA2_256_128", &sk, &why), 0);
	d = run_with(m.ptr, m.len, DUMP_AUTO, &sk);
	ck_assert_int_eq(d.status, 0);
	assert_has(&d, "    IV 16 bytes, ciphertext 48 bytes, ICV 16 bytes\n");
	free(d.out);

	ck_assert_int_eq(dump_sk_parse("AES_GCM_16", NULL, &sk, &why), 0);
	d = run_with(m.ptr, m.len, DUMP_AUTO, &sk);
	assert_has(&d, "    IV 8 bytes, ciphertext 56 bytes, ICV 16 bytes\n");
	free(d.out);

	/* 80 - 16 - 12 = 52 octets: not a whole number of AES blocks. */
	ck_assert_int_eq(dump_sk_parse("AES_CBC", "HMAC_SHA1_96", &sk, &why), 0);
	d = run_with(m.ptr, m.len, DUMP_AUTO, &sk);
	ck_assert_int_eq(d.status, 1);
	assert_has(&d, "    error: Encrypted field does not fit the given transforms' IV, block "
	    "and ICV at byte offset 32\n");
	free(d.out);

	ck_assert_int_eq(dump_sk_parse("AES_GCM_16", "HMAC_SHA1_96", &sk, &why), TNC_EINVALID);
	ck_assert_str_eq(why, "an AEAD cipher takes no --ike-integ");
	ck_assert_int_eq(dump_sk_parse("AES_CBC", NULL, &sk, &why), TNC_EINVALID);
	ck_assert_int_eq(dump_sk_parse("ROT13", NULL, &sk, &why), TNC_EINVALID);
	ck_assert_int_eq(dump_sk_parse("AES_CBC", "CRC32", &sk, &why), TNC_EINVALID);
	ck_assert_int_eq(dump_sk_parse(NULL, "HMAC_SHA1_96", &sk, &why), TNC_EINVALID);
	ck_assert_str_eq(why, "--ike-integ needs --ike-encr");
	ikev2_builder_clear(&b);
}
END_TEST

/* An EAP-TNC Response carrying the seed's whole PB-TNC batch. */
static void
put_eap_tnc(struct wire_writer *w, uint8_t id, struct bytes batch)
{
	struct eap_frag f = {0, EAP_TNC_VERSION, 0, batch, 0, 0};

	eap_frag_put(w, EAP_RESPONSE, id, EAP_TYPE_TNC, &f);
}

START_TEST(eap_payload_pb_batch)
{
	size_t len;
	uint8_t *batch = tl_read_testdata("seed/pb-tnc-cdata-105.bin", &len);
	struct wire_writer w;
	struct ikev2_builder b;
	struct bytes m;
	struct dumped d;
	struct ikev2_header h = auth_resp_hdr;

	h.flags = IKEV2_FLAG_INITIATOR;
	wire_writer_init(&w, MAX_TEST_BUF);
	put_eap_tnc(&w, 9, B(batch, len));
	ck_assert_int_eq(wire_writer_status(&w), 0);
	ikev2_builder_init(&b, &h, MAX_TEST_BUF);
	ikev2_builder_add_eap(&b, B(w.buf, w.len));
	ck_assert_int_eq(ikev2_builder_finish(&b, &m), 0);
	d = run(m.ptr, m.len, DUMP_IKEV2);
	ck_assert_int_eq(d.status, 0);
	/* 28 (IKE header) + 4 (payload header) + 6 (EAP header, Flags). */
	assert_has(&d, "  IKE_AUTH request 1 [ EAP/RES/TNC ]\n"
	    "  EXTENSIBLE_AUTHENTICATION payload (115 bytes) @28\n"
	    "    EAP/RES/TNC packet (111 bytes) @32: Response, identifier 9, type EAP_TNC (38)\n"
	    "      flags 0x00, version 1, 105 bytes of data\n"
	    "      PB-TNC CDATA batch (105 bytes) @38: version 2, to server (D=0), type 1, "
	    "2 messages\n");
	assert_has(&d, "IETF/PB-Language-Preference message (31 bytes) @46");
	assert_has(&d, "name 'Ubuntu 11.10 i686'");
	free(d.out);
	ikev2_builder_clear(&b);
	wire_writer_clear(&w);
	free(batch);
}
END_TEST

/* Tunneled data: User-Name, then EAP-Message with an EAP-TNC packet. */
static void
put_tunneled(struct wire_writer *w, struct bytes batch)
{
	struct ttls_avp user = {TTLS_AVP_USER_NAME, TTLS_AVP_FLAG_M, 0, S("carol"), 0};
	struct wire_writer eap;

	wire_writer_init(&eap, MAX_TEST_BUF);
	put_eap_tnc(&eap, 3, batch);
	ck_assert_int_eq(wire_writer_status(&eap), 0);
	ttls_avp_put(w, &user);
	ttls_avp_put_eap_message(w, B(eap.buf, eap.len));
	ck_assert_int_eq(wire_writer_status(w), 0);
	wire_writer_clear(&eap);
}

START_TEST(ttls_avps_and_fragments)
{
	size_t len;
	uint8_t *batch = tl_read_testdata("seed/pb-tnc-cdata-105.bin", &len);
	struct wire_writer tun, pkts;
	struct eap_fragmenter fr;
	struct dumped d;
	bool sure;

	wire_writer_init(&tun, MAX_TEST_BUF);
	put_tunneled(&tun, B(batch, len));

	/* As --as ttls: the AVPs at their input offsets. */
	d = run(tun.buf, tun.len, DUMP_TTLS);
	ck_assert_int_eq(d.status, 0);
	assert_has(&d, "AVP User-Name (1), flags 0x40 M, vendor 0, 5 bytes of data @0\n"
	    "  user name 'carol'\n"
	    "AVP EAP-Message (79), flags 0x40 M, vendor 0, 111 bytes of data @16\n"
	    "  EAP/RES/TNC packet (111 bytes) @24: Response, identifier 3, type EAP_TNC (38)\n"
	    "    flags 0x00, version 1, 105 bytes of data\n"
	    "    PB-TNC CDATA batch (105 bytes) @30:");
	free(d.out);

	/* The same data in three EAP-TTLS fragments: reassembled, then the
	 * offsets count from the message's first octet. */
	wire_writer_init(&pkts, MAX_TEST_BUF);
	eap_fragmenter_init(&fr, B(tun.buf, tun.len), 50);
	for (uint8_t id = 1; !eap_fragmenter_done(&fr); id++)
		eap_fragmenter_put(&fr, &pkts, EAP_RESPONSE, id, EAP_TYPE_TTLS, EAP_TTLS_VERSION, 0);
	ck_assert_int_eq(wire_writer_status(&pkts), 0);
	ck_assert_int_eq(dump_detect(pkts.buf, pkts.len, &sure), DUMP_EAP);
	ck_assert(sure);
	d = run(pkts.buf, pkts.len, DUMP_AUTO);
	ck_assert_int_eq(d.status, 0);
	assert_has(&d, "EAP/RES/TTLS packet (60 bytes) @0: Response, identifier 1, "
	    "type EAP_TTLS (21)\n"
	    "  flags 0xc0 L M, version 0, 50 bytes of data\n"
	    "  message length 136\n"
	    "  fragment: 50 of 136 bytes so far\n");
	assert_has(&d, "  fragment: 100 of 136 bytes so far\n");
	assert_has(&d, "  reassembled message (136 bytes), offsets below from its first octet\n"
	    "    not TLS records: tunneled data, decrypted\n"
	    "    AVP User-Name (1), flags 0x40 M, vendor 0, 5 bytes of data @0\n");
	assert_has(&d, "        PB-TNC CDATA batch (105 bytes) @30:");
	free(d.out);

	/* Ending after the first fragment: the message is incomplete. */
	d = run(pkts.buf, 60, DUMP_EAP);
	ck_assert_int_eq(d.status, 1);
	assert_has(&d, "error: input ends inside a fragmented EAP-TTLS message at byte offset 60\n");
	free(d.out);
	wire_writer_clear(&pkts);
	wire_writer_clear(&tun);
	free(batch);
}
END_TEST

/* Each corpus file: the format it is detected as (or given), its exit
 * status and one line of its dump. */
static const struct {
	const char *file;
	enum dump_format as;
	int status;
	const char *line;
} corpus[] = {
	{"fuzz_ikev2/ike-sa-init-request.bin", DUMP_AUTO, 0,
	    "  IKE_SA_INIT request 0 [ SA KE No N(NATD_S_IP) N(NATD_D_IP) N(FRAG_SUP) N(HASH_ALG) V ]\n"
	    "  SECURITY_ASSOCIATION payload (92 bytes) @28\n"
	    "    proposal 1: IKE:AES_CBC_256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_2048\n"
	    "    proposal 2: IKE:AES_GCM_16_128/PRF_HMAC_SHA2_256/ECP_256/CURVE_25519\n"},
	{"fuzz_ikev2/cookie-response.bin", DUMP_AUTO, 0, "    COOKIE (16390), protocol none (0)\n"},
	{"fuzz_ikev2/ike-auth-response-clear.bin", DUMP_AUTO, 0,
	    "    EAP/REQ/TTLS packet (6 bytes) @149: Request, identifier 168, type EAP_TTLS (21)\n"
	    "      flags 0x20 S, version 0, 0 bytes of data\n      start\n"},
	{"fuzz_ikev2/ike-auth-request-sk-plain.bin", DUMP_AUTO, 0, "    encrypted 247 bytes\n"},
	{"fuzz_ikev2/informational-delete-fragment.bin", DUMP_AUTO, 0,
	    "  INFORMATIONAL request 5 [ D D EF(2/3) ]\n"},
	{"fuzz_ikev2/unknown-noncritical.bin", DUMP_AUTO, 0,
	    "  1 payload of unknown type skipped (not critical)\n"},
	{"fuzz_ikev2/bad-unknown-critical.bin", DUMP_AUTO, 1,
	    "IKEv2 message (56 bytes) @0\n"
	    "  error: unsupported payload with the critical bit at byte offset 28\n"},
	{"fuzz_ikev2/bad-major-3.bin", DUMP_AUTO, 1,
	    "  error: IKE major version above 2 at byte offset 17\n"},
	{"fuzz_eap/md5-challenge.bin", DUMP_AUTO, 0,
	    "EAP/RES/MD5 packet (27 bytes) @26: Response, identifier 42, type EAP_MD5 (4)\n"
	    "  response (16 bytes): 74 1d 1f f4 01 f9 a7 69 aa 68 f1 c7 e7 5b 1b a6\n"
	    "  name 'carol'\n"},
	{"fuzz_eap/nak-notification.bin", DUMP_AUTO, 0, "  desired type EAP_TTLS (21)\n"},
	{"fuzz_eap/identity-response.bin", DUMP_AUTO, 0, "  identity 'carol@strongswan.org'\n"},
	{"fuzz_eap/success-failure.bin", DUMP_AUTO, 0,
	    "EAP/SUCC packet (4 bytes) @0: Success, identifier 1\n"
	    "EAP/FAIL packet (4 bytes) @4: Failure, identifier 2\n"},
	{"fuzz_eap/expanded.bin", DUMP_AUTO, 0, "vendor 0x005597, vendor type 3\n"},
	{"fuzz_eap/pt-eap.bin", DUMP_AUTO, 0,
	    "  PB-TNC CDATA batch (39 bytes) @12: version 2, to server (D=0), type 1, 1 message\n"},
	{"fuzz_eap/tnc-fragments.bin", DUMP_AUTO, 0,
	    "  reassembled message (39 bytes), offsets below from its first octet\n"
	    "    PB-TNC CDATA batch (39 bytes) @0:"},
	{"fuzz_eap/ttls-start-ack.bin", DUMP_AUTO, 0, "  acknowledgement\n"},
	{"fuzz_eap/avps.bin", DUMP_TTLS, 0, "  EAP/RES/ID packet (25 bytes) @8"},
	{"fuzz_eap/bad-ttls-l-without-length.bin", DUMP_AUTO, 1,
	    "  error: EAP L flag without the Message Length at byte offset 5\n"},
	{"fuzz_eap/bad-length-past-end.bin", DUMP_EAP, 1, "EAP packet @0\n  error: "},
	{"fuzz_eap/bad-avp-padding.bin", DUMP_TTLS, 1, "error: "},
};

START_TEST(corpora)
{
	char path[512];
	size_t len;
	uint8_t *buf;
	struct dumped d;

	snprintf(path, sizeof(path), "%s/fuzz/corpus/%s", TNC_SOURCE_DIR, corpus[_i].file);
	buf = tl_read_file(path, &len);
	ck_assert_ptr_nonnull(buf);
	d = run(buf, len, corpus[_i].as);
	ck_assert_msg(d.status == corpus[_i].status, "%s: status %d:\n%s", corpus[_i].file,
	    d.status, d.out);
	assert_has(&d, corpus[_i].line);
	assert_lacks(&d, "note: not a well-formed");
	free(d.out);
	free(buf);
}
END_TEST

START_TEST(format_names)
{
	enum dump_format f;

	ck_assert_int_eq(dump_format_parse("ikev2", &f), 0);
	ck_assert_int_eq(f, DUMP_IKEV2);
	ck_assert_int_eq(dump_format_parse("eap", &f), 0);
	ck_assert_int_eq(f, DUMP_EAP);
	ck_assert_int_eq(dump_format_parse("ttls", &f), 0);
	ck_assert_int_eq(f, DUMP_TTLS);
	ck_assert_int_eq(dump_format_parse("IKEv2", &f), TNC_EINVALID);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("tncdump_ike");
	TCase *ike = tcase_create("ikev2"), *eap = tcase_create("eap");

	tcase_add_test(ike, ike_sa_init);
	tcase_add_test(ike, ike_auth_cp_ts);
	tcase_add_test(ike, sk_sizes);
	tcase_add_test(ike, eap_payload_pb_batch);
	tcase_add_test(eap, ttls_avps_and_fragments);
	tcase_add_loop_test(eap, corpora, 0, sizeof(corpus) / sizeof(corpus[0]));
	tcase_add_test(eap, format_names);
	suite_add_tcase(s, ike);
	suite_add_tcase(s, eap);
	return s;
}

int
main(void)
{
	return tl_run_suite(suite());
}
