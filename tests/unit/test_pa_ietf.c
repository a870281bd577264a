/* test_pa_ietf.c - IETF PA-TNC attribute values (RFC 5792 4.2) and the
 * ITA-HSR Device ID: the seed Product Information decodes and re-encodes
 * identically; every attribute of the strongSwan session decodes to the
 * values its .expected files and log state and re-encodes to the same
 * octets; the jtnc values decode as expected; every type round-trips;
 * malformed values give the exact error and offset; encoders refuse what
 * the decoders would; names. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pa_ietf.h"
#include "pa_ietf_error.h"
#include "pa_segment.h"
#include "pa_tnc.h"
#include "testlib.h"

#define MAX_MSG (1u << 20)

static const struct pa_tnc_limits lim = {MAX_MSG, 64, NULL, 0};

static struct bytes
B(const char *s)
{
	return (struct bytes){(const uint8_t *)s, strlen(s)};
}

static struct bytes
BN(const void *p, size_t n)
{
	return (struct bytes){p, n};
}

static void
assert_bytes(struct bytes b, const char *s)
{
	ck_assert_uint_eq(b.len, strlen(s));
	if (b.len)
		ck_assert_mem_eq(b.ptr, s, b.len);
}

static uint32_t
rd32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* The n-th PA-TNC message of a PB-TNC batch: 8-octet batch header, 12-octet
 * message headers; a PB-PA (IETF type 1) value holds 12 octets of flags,
 * PA vendor, subtype, collector and validator before the PA message. */
static struct bytes
nth_pa_message(const uint8_t *batch, size_t len, size_t n)
{
	size_t off = 8;

	while (off + 12 <= len) {
		uint32_t type = rd32(batch + off + 4), mlen = rd32(batch + off + 8);
		ck_assert_uint_ge(mlen, 24);
		ck_assert_uint_le(mlen, len - off);
		if ((rd32(batch + off) & 0xffffff) == 0 && type == 1 && n-- == 0)
			return BN(batch + off + 24, mlen - 24);
		off += mlen;
	}
	ck_abort_msg("no such PA message");
	return BN(NULL, 0);
}

/* Decodes a value of a type this module knows, re-encodes it and expects
 * the same octets (strongSwan and jtnc send reserved fields as zero). */
static void
assert_value_round_trips(uint32_t vendor, uint32_t type, struct bytes v)
{
	struct wire_writer w;
	struct parse_error e;
	int rc = -1;

	wire_writer_init(&w, MAX_MSG);
	if (vendor == PA_TNC_VENDOR_ITA && type == PA_ITA_DEVICE_ID) {
		struct bytes id;
		if ((rc = pa_ietf_device_id_decode(v, &id, &e)) == 0)
			pa_ietf_device_id_encode(&w, id);
	} else if (vendor == PA_TNC_VENDOR_TCG) {
		struct pa_segment_contract c;
		if ((rc = pa_segment_contract_decode(v, &c, &e)) == 0)
			pa_segment_contract_encode(&w, &c);
	} else {
		union {
			struct pa_ietf_attr_request req;
			struct pa_ietf_product_info pi;
			struct pa_ietf_numeric_version nv;
			struct pa_ietf_string_version sv;
			struct pa_ietf_operational_status os;
			struct pa_ietf_installed_packages ip;
			uint32_t u32;
		} u;
		switch (type) {
		case PA_IETF_ATTRIBUTE_REQUEST:
			if ((rc = pa_ietf_attr_request_decode(v, &u.req, &e)) == 0) {
				for (size_t i = 0; i < u.req.count; i++) {
					struct pa_tnc_type t = pa_ietf_attr_request_get(&u.req, i);
					pa_ietf_attr_request_encode(&w, &t, 1);
				}
			}
			break;
		case PA_IETF_PRODUCT_INFORMATION:
			if ((rc = pa_ietf_product_info_decode(v, &u.pi, &e)) == 0)
				pa_ietf_product_info_encode(&w, &u.pi);
			break;
		case PA_IETF_NUMERIC_VERSION:
			if ((rc = pa_ietf_numeric_version_decode(v, &u.nv, &e)) == 0)
				pa_ietf_numeric_version_encode(&w, &u.nv);
			break;
		case PA_IETF_STRING_VERSION:
			if ((rc = pa_ietf_string_version_decode(v, &u.sv, &e)) == 0)
				pa_ietf_string_version_encode(&w, &u.sv);
			break;
		case PA_IETF_OPERATIONAL_STATUS:
			if ((rc = pa_ietf_operational_status_decode(v, &u.os, &e)) == 0)
				pa_ietf_operational_status_encode(&w, &u.os);
			break;
		case PA_IETF_INSTALLED_PACKAGES:
			if ((rc = pa_ietf_installed_packages_decode(v, &u.ip, &e)) == 0) {
				struct pa_ietf_package *p = calloc(u.ip.count + 1, sizeof(*p));
				struct pa_ietf_packages_iter it;
				size_t n = 0;
				pa_ietf_packages_iter_init(&it, &u.ip);
				while (pa_ietf_packages_next(&it, &p[n]))
					n++;
				ck_assert_uint_eq(n, u.ip.count);
				pa_ietf_installed_packages_encode(&w, p, n);
				free(p);
			}
			break;
		case PA_IETF_ASSESSMENT_RESULT:
			if ((rc = pa_ietf_assessment_result_decode(v, &u.u32, &e)) == 0)
				pa_ietf_assessment_result_encode(&w, u.u32);
			break;
		case PA_IETF_FORWARDING_ENABLED:
			if ((rc = pa_ietf_forwarding_enabled_decode(v, &u.u32, &e)) == 0)
				pa_ietf_forwarding_enabled_encode(&w, u.u32);
			break;
		case PA_IETF_FACTORY_DEFAULT_PASSWORD_ENABLED:
			if ((rc = pa_ietf_default_password_decode(v, &u.u32, &e)) == 0)
				pa_ietf_default_password_encode(&w, u.u32);
			break;
		default:
			ck_abort_msg("type %u not handled", type);
		}
	}
	ck_assert_int_eq(rc, 0);
	ck_assert_int_eq(wire_writer_status(&w), 0);
	ck_assert_uint_eq(w.len, v.len);
	if (v.len)
		ck_assert_mem_eq(w.buf, v.ptr, v.len);
	wire_writer_clear(&w);
}

START_TEST(seed_product_info)
{
	size_t len;
	uint8_t *buf = tl_read_testdata("seed/pa-tnc-product-info-22.bin", &len);
	struct pa_ietf_product_info pi;
	struct parse_error e;
	struct wire_writer w;

	ck_assert_uint_eq(len, 22);
	ck_assert_int_eq(pa_ietf_product_info_decode(BN(buf, len), &pi, &e), 0);
	ck_assert_uint_eq(pi.vendor, 0);
	ck_assert_uint_eq(pi.product_id, 0);
	assert_bytes(pi.name, "Ubuntu 11.10 i686");
	ck_assert_ptr_eq(pi.name.ptr, buf + 5);
	wire_writer_init(&w, 1024);
	pa_ietf_product_info_encode(&w, &pi);
	ck_assert_int_eq(wire_writer_status(&w), 0);
	ck_assert_uint_eq(w.len, len);
	ck_assert_mem_eq(w.buf, buf, len);
	wire_writer_clear(&w);
	free(buf);
}
END_TEST

/* Parses the PA message and checks every attribute's value round-trips. */
static void
parse_session_msg(struct bytes msg, struct pa_tnc_msg *m)
{
	struct parse_error e;

	ck_assert_int_eq(pa_tnc_msg_parse(msg.ptr, msg.len, &lim, m, &e), 0);
	for (size_t i = 0; i < m->count; i++)
		if (!(m->attrs[i].vendor == PA_TNC_VENDOR_IETF &&
		    (m->attrs[i].type == PA_IETF_SWIMA_REQUEST ||
		    m->attrs[i].type == PA_IETF_SW_IDENTIFIER_EVENTS)))
			assert_value_round_trips(m->attrs[i].vendor, m->attrs[i].type,
			    m->attrs[i].value);
}

static void
assert_contract(const struct pa_tnc_attr *a, uint32_t type)
{
	struct pa_segment_contract c;
	struct parse_error e;

	ck_assert_uint_eq(a->vendor, PA_TNC_VENDOR_TCG);
	ck_assert_uint_eq(a->type, type);
	ck_assert_int_eq(pa_segment_contract_decode(a->value, &c, &e), 0);
	ck_assert_uint_eq(c.max_msg_size, PA_SEGMENT_NO_LIMIT);
	ck_assert_uint_eq(c.max_seg_size, 2097080);
}

/* Batch 1: the OS IMC's pushed posture and the SWIMA IMC's contract. */
START_TEST(strongswan_os_posture)
{
	size_t len;
	uint8_t *batch = tl_read_testdata("strongswan-session-os-swima/01-c2s-CDATA-310.bin", &len);
	struct pa_tnc_msg m;
	struct parse_error e;
	struct pa_ietf_product_info pi;
	struct pa_ietf_string_version sv;
	struct pa_ietf_numeric_version nv;
	struct pa_ietf_operational_status os;
	uint32_t fwd, pwd;
	struct bytes id;

	parse_session_msg(nth_pa_message(batch, len, 0), &m);
	ck_assert_uint_eq(m.count, 7);
	ck_assert_int_eq(pa_ietf_product_info_decode(m.attrs[0].value, &pi, &e), 0);
	ck_assert_uint_eq(pi.vendor, 9586);
	ck_assert_uint_eq(pi.product_id, 0);
	assert_bytes(pi.name, "Debian");
	ck_assert_int_eq(pa_ietf_string_version_decode(m.attrs[1].value, &sv, &e), 0);
	assert_bytes(sv.version, "12 x86_64");
	assert_bytes(sv.build, "");
	assert_bytes(sv.config, "");
	ck_assert_int_eq(pa_ietf_numeric_version_decode(m.attrs[2].value, &nv, &e), 0);
	ck_assert_uint_eq(nv.major, 12);
	ck_assert_uint_eq(nv.minor, 0);
	ck_assert_uint_eq(nv.build, 0);
	ck_assert_uint_eq(nv.sp_major, 0);
	ck_assert_uint_eq(nv.sp_minor, 0);
	ck_assert_int_eq(pa_ietf_operational_status_decode(m.attrs[3].value, &os, &e), 0);
	ck_assert_uint_eq(os.status, PA_IETF_OP_STATUS_OPERATIONAL);
	ck_assert_uint_eq(os.result, PA_IETF_OP_RESULT_SUCCESSFUL);
	ck_assert_str_eq(pa_ietf_op_status_name(os.status), "operational");
	ck_assert_str_eq(pa_ietf_op_result_name(os.result), "successful");
	assert_bytes(os.last_use, "2026-11-23T11:28:15Z");
	ck_assert_int_eq(pa_ietf_forwarding_enabled_decode(m.attrs[4].value, &fwd, &e), 0);
	ck_assert_uint_eq(fwd, PA_IETF_FORWARDING_STATUS_DISABLED);
	ck_assert_str_eq(pa_ietf_forwarding_name(fwd), "disabled");
	ck_assert_int_eq(pa_ietf_default_password_decode(m.attrs[5].value, &pwd, &e), 0);
	ck_assert_uint_eq(pwd, PA_IETF_DEFAULT_PASSWORD_STATUS_DISABLED);
	ck_assert_uint_eq(m.attrs[6].vendor, PA_TNC_VENDOR_ITA);
	ck_assert_uint_eq(m.attrs[6].type, PA_ITA_DEVICE_ID);
	ck_assert_int_eq(pa_ietf_device_id_decode(m.attrs[6].value, &id, &e), 0);
	assert_bytes(id, "3d1219c7c4c5404aaa1f6d2a48adfda4");
	pa_tnc_msg_clear(&m);

	parse_session_msg(nth_pa_message(batch, len, 1), &m);
	ck_assert_uint_eq(m.count, 1);
	assert_contract(&m.attrs[0], PA_SEGMENT_CONTRACT_REQUEST);
	pa_tnc_msg_clear(&m);
	free(batch);
}
END_TEST

/* Batch 2: contracts and the OS IMV's Attribute Request. */
START_TEST(strongswan_requests)
{
	size_t len;
	uint8_t *batch = tl_read_testdata("strongswan-session-os-swima/02-s2c-SDATA-208.bin", &len);
	struct pa_tnc_msg m;
	struct parse_error e;
	struct pa_ietf_attr_request req;

	parse_session_msg(nth_pa_message(batch, len, 0), &m);
	assert_contract(&m.attrs[0], PA_SEGMENT_CONTRACT_RESPONSE);
	pa_tnc_msg_clear(&m);
	parse_session_msg(nth_pa_message(batch, len, 1), &m);
	ck_assert_uint_eq(m.count, 2);
	assert_contract(&m.attrs[0], PA_SEGMENT_CONTRACT_REQUEST);
	ck_assert_int_eq(pa_ietf_attr_request_decode(m.attrs[1].value, &req, &e), 0);
	ck_assert_uint_eq(req.count, 1);
	struct pa_tnc_type t = pa_ietf_attr_request_get(&req, 0);
	ck_assert_uint_eq(t.vendor, PA_TNC_VENDOR_IETF);
	ck_assert_uint_eq(t.type, PA_IETF_INSTALLED_PACKAGES);
	pa_tnc_msg_clear(&m);
	parse_session_msg(nth_pa_message(batch, len, 2), &m);
	assert_contract(&m.attrs[0], PA_SEGMENT_CONTRACT_REQUEST);
	ck_assert_uint_eq(m.attrs[1].type, PA_IETF_SWIMA_REQUEST);
	pa_tnc_msg_clear(&m);
	free(batch);
}
END_TEST

/* Batch 3: 836 installed packages (21,091-octet attribute). */
START_TEST(strongswan_installed_packages)
{
	size_t len;
	uint8_t *batch = tl_read_testdata("strongswan-session-os-swima/03-c2s-CDATA-109512.bin", &len);
	struct pa_tnc_msg m;
	struct parse_error e;
	struct pa_ietf_installed_packages ip;
	struct pa_ietf_packages_iter it;
	struct pa_ietf_package p, first, last;
	size_t n = 0;

	parse_session_msg(nth_pa_message(batch, len, 0), &m);
	ck_assert_uint_eq(m.count, 2);
	assert_contract(&m.attrs[0], PA_SEGMENT_CONTRACT_RESPONSE);
	ck_assert_uint_eq(m.attrs[1].type, PA_IETF_INSTALLED_PACKAGES);
	ck_assert_uint_eq(m.attrs[1].value.len, 21091 - 12);
	ck_assert_int_eq(pa_ietf_installed_packages_decode(m.attrs[1].value, &ip, &e), 0);
	ck_assert_uint_eq(ip.count, 836);
	pa_ietf_packages_iter_init(&it, &ip);
	while (pa_ietf_packages_next(&it, &p)) {
		if (n == 0)
			first = p;
		last = p;
		ck_assert_uint_gt(p.name.len, 0);
		ck_assert_uint_gt(p.version.len, 0);
		n++;
	}
	ck_assert_uint_eq(n, 836);
	assert_bytes(first.name, "adduser");
	assert_bytes(first.version, "3.134");
	ck_assert_ptr_eq(last.version.ptr + last.version.len,
	    m.attrs[1].value.ptr + m.attrs[1].value.len);
	pa_tnc_msg_clear(&m);

	parse_session_msg(nth_pa_message(batch, len, 1), &m);
	assert_contract(&m.attrs[0], PA_SEGMENT_CONTRACT_RESPONSE);
	ck_assert_uint_eq(m.attrs[1].type, PA_IETF_SW_IDENTIFIER_EVENTS);
	ck_assert_uint_eq(m.attrs[1].value.len, 88309 - 12);
	pa_tnc_msg_clear(&m);
	free(batch);
}
END_TEST

/* Batch 4: both IMVs' Assessment Result, compliant. */
START_TEST(strongswan_assessment)
{
	size_t len;
	uint8_t *batch = tl_read_testdata("strongswan-session-os-swima/04-s2c-RESULT-136.bin", &len);
	struct pa_tnc_msg m;
	struct parse_error e;
	uint32_t result;

	for (size_t i = 0; i < 2; i++) {
		parse_session_msg(nth_pa_message(batch, len, i), &m);
		ck_assert_uint_eq(m.count, 1);
		ck_assert_uint_eq(m.attrs[0].type, PA_IETF_ASSESSMENT_RESULT);
		ck_assert_int_eq(pa_ietf_assessment_result_decode(m.attrs[0].value, &result, &e), 0);
		ck_assert_uint_eq(result, PA_IETF_ASSESSMENT_COMPLIANT);
		ck_assert_str_eq(pa_ietf_assessment_result_name(result), "compliant");
		pa_tnc_msg_clear(&m);
	}
	free(batch);
}
END_TEST

START_TEST(jtnc_values)
{
	size_t len;
	uint8_t *buf = tl_read_testdata("tnc-messages-jtnc/pa-mixed.bin", &len);
	struct pa_tnc_msg m;
	struct parse_error e;
	uint32_t result;
	struct pa_ietf_numeric_version nv;
	struct pa_ietf_installed_packages ip;
	struct pa_ietf_packages_iter it;
	struct pa_ietf_package p;

	parse_session_msg(BN(buf, len), &m);
	ck_assert_uint_eq(m.count, 3);
	ck_assert_int_eq(pa_ietf_assessment_result_decode(m.attrs[0].value, &result, &e), 0);
	ck_assert_uint_eq(result, PA_IETF_ASSESSMENT_MINOR_NON_COMPLIANCE);
	ck_assert_int_eq(pa_ietf_numeric_version_decode(m.attrs[1].value, &nv, &e), 0);
	ck_assert_uint_eq(nv.major, 1);
	ck_assert_uint_eq(nv.minor, 7);
	ck_assert_uint_eq(nv.build, 258);
	ck_assert_uint_eq(nv.sp_major, 0);
	ck_assert_uint_eq(nv.sp_minor, 1);
	ck_assert_int_eq(pa_ietf_installed_packages_decode(m.attrs[2].value, &ip, &e), 0);
	ck_assert_uint_eq(ip.count, 2);
	pa_ietf_packages_iter_init(&it, &ip);
	ck_assert(pa_ietf_packages_next(&it, &p));
	assert_bytes(p.name, "iptables");
	assert_bytes(p.version, "1.4.12");
	ck_assert(pa_ietf_packages_next(&it, &p));
	assert_bytes(p.name, "java");
	assert_bytes(p.version, "1.7.0_40");
	ck_assert(!pa_ietf_packages_next(&it, &p));
	pa_tnc_msg_clear(&m);
	free(buf);
}
END_TEST

/* Where ROUND_TRIP keeps the encoding its decoded views point into. */
static uint8_t kept[4096];

/* Runs encode_call on writer w, then decode_fn on the octets into *out. */
#define ROUND_TRIP(encode_call, decode_fn, out)                                  \
	do {                                                                      \
		struct wire_writer w_;                                            \
		struct parse_error e_;                                            \
		wire_writer_init(&w_, sizeof(kept));                              \
		struct wire_writer *w = &w_;                                      \
		encode_call;                                                      \
		ck_assert_int_eq(wire_writer_status(&w_), 0);                     \
		size_t n_ = w_.len;                                               \
		if (n_)                                                           \
			memcpy(kept, w_.buf, n_);                                 \
		wire_writer_clear(&w_);                                           \
		ck_assert_int_eq(decode_fn(BN(kept, n_), out, &e_), 0);           \
	} while (0)

START_TEST(every_type_round_trips)
{
	static const struct pa_tnc_type types[] = {{0, 7}, {0x005597, 0x21}, {0xffffff, 0xffffffff}};
	struct pa_ietf_attr_request req;
	ROUND_TRIP(pa_ietf_attr_request_encode(w, types, 3), pa_ietf_attr_request_decode, &req);
	ck_assert_uint_eq(req.count, 3);
	for (size_t i = 0; i < 3; i++) {
		struct pa_tnc_type t = pa_ietf_attr_request_get(&req, i);
		ck_assert_uint_eq(t.vendor, types[i].vendor);
		ck_assert_uint_eq(t.type, types[i].type);
	}

	const struct pa_ietf_product_info pi = {0xffffff, 0xfffe, B("Débian \xf0\x9f\x98\x80")};
	struct pa_ietf_product_info pi2;
	ROUND_TRIP(pa_ietf_product_info_encode(w, &pi), pa_ietf_product_info_decode, &pi2);
	ck_assert_uint_eq(pi2.vendor, pi.vendor);
	ck_assert_uint_eq(pi2.product_id, pi.product_id);
	ck_assert_uint_eq(pi2.name.len, pi.name.len);

	const struct pa_ietf_numeric_version nv = {0xffffffff, 2, 3, 0xffff, 5};
	struct pa_ietf_numeric_version nv2;
	ROUND_TRIP(pa_ietf_numeric_version_encode(w, &nv), pa_ietf_numeric_version_decode, &nv2);
	ck_assert_mem_eq(&nv2, &nv, sizeof(nv));

	const struct pa_ietf_string_version sv = {B("1.2"), B(""), B("cfg-7")};
	struct pa_ietf_string_version sv2;
	ROUND_TRIP(pa_ietf_string_version_encode(w, &sv), pa_ietf_string_version_decode, &sv2);
	ck_assert(bytes_eq_str(sv2.version, "1.2") && sv2.build.len == 0);
	ck_assert(bytes_eq_str(sv2.config, "cfg-7"));

	const struct pa_ietf_operational_status os = {PA_IETF_OP_STATUS_NOT_INSTALLED,
	    PA_IETF_OP_RESULT_UNSUCCESSFUL, B("0000-00-00T00:00:00Z")};
	struct pa_ietf_operational_status os2;
	ROUND_TRIP(pa_ietf_operational_status_encode(w, &os), pa_ietf_operational_status_decode,
	    &os2);
	ck_assert_uint_eq(os2.status, os.status);
	ck_assert_uint_eq(os2.result, os.result);
	ck_assert(bytes_eq_str(os2.last_use, "0000-00-00T00:00:00Z"));

	static const struct pa_ietf_port ports[] = {{true, 6, 22}, {false, 17, 65535}};
	struct pa_ietf_port_filter pf;
	ROUND_TRIP(pa_ietf_port_filter_encode(w, ports, 2), pa_ietf_port_filter_decode, &pf);
	ck_assert_uint_eq(pf.count, 2);
	for (size_t i = 0; i < 2; i++) {
		struct pa_ietf_port p = pa_ietf_port_filter_get(&pf, i);
		ck_assert(p.blocked == ports[i].blocked);
		ck_assert_uint_eq(p.protocol, ports[i].protocol);
		ck_assert_uint_eq(p.port, ports[i].port);
	}

	const struct pa_ietf_package pkgs[] = {{B("libc6"), B("2.36-9")}, {B("x"), B("")}};
	struct pa_ietf_installed_packages ip;
	ROUND_TRIP(pa_ietf_installed_packages_encode(w, pkgs, 2),
	    pa_ietf_installed_packages_decode, &ip);
	ck_assert_uint_eq(ip.count, 2);
	ROUND_TRIP(pa_ietf_installed_packages_encode(w, pkgs, 0),
	    pa_ietf_installed_packages_decode, &ip);
	ck_assert_uint_eq(ip.count, 0);

	uint32_t u;
	for (uint32_t v = 0; v <= PA_IETF_ASSESSMENT_DONT_KNOW; v++) {
		ROUND_TRIP(pa_ietf_assessment_result_encode(w, v), pa_ietf_assessment_result_decode,
		    &u);
		ck_assert_uint_eq(u, v);
	}
	for (uint32_t v = 0; v <= PA_IETF_FORWARDING_STATUS_UNKNOWN; v++) {
		ROUND_TRIP(pa_ietf_forwarding_enabled_encode(w, v), pa_ietf_forwarding_enabled_decode,
		    &u);
		ck_assert_uint_eq(u, v);
	}
	for (uint32_t v = 0; v <= PA_IETF_DEFAULT_PASSWORD_STATUS_ENABLED; v++) {
		ROUND_TRIP(pa_ietf_default_password_encode(w, v), pa_ietf_default_password_decode, &u);
		ck_assert_uint_eq(u, v);
	}

	struct pa_ietf_remediation r = {0, PA_IETF_REMEDIATION_URI, {0}, B("https://x/fix"), {0}};
	struct pa_ietf_remediation r2;
	ROUND_TRIP(pa_ietf_remediation_encode(w, &r), pa_ietf_remediation_decode, &r2);
	ck_assert(bytes_eq_str(r2.text, "https://x/fix") && bytes_eq_str(r2.params, "https://x/fix"));
	r.type = PA_IETF_REMEDIATION_STRING;
	r.text = B("install updates");
	r.lang = B("en");
	ROUND_TRIP(pa_ietf_remediation_encode(w, &r), pa_ietf_remediation_decode, &r2);
	ck_assert_uint_eq(r2.type, PA_IETF_REMEDIATION_STRING);
	ck_assert(bytes_eq_str(r2.text, "install updates") && bytes_eq_str(r2.lang, "en"));
	ck_assert_uint_eq(r2.params.len, 4 + 15 + 1 + 2);
	r = (struct pa_ietf_remediation){0x005597, 9, B("\x00\xff opaque"), {0}, {0}};
	r.params.len = 8;
	ROUND_TRIP(pa_ietf_remediation_encode(w, &r), pa_ietf_remediation_decode, &r2);
	ck_assert_uint_eq(r2.vendor, 0x005597);
	ck_assert_uint_eq(r2.type, 9);
	ck_assert_uint_eq(r2.params.len, 8);
	ck_assert_uint_eq(r2.text.len, 0);

	struct bytes id;
	ROUND_TRIP(pa_ietf_device_id_encode(w, B("732c769e8d1b2efef8b64d5ae83f84d129733fdd")),
	    pa_ietf_device_id_decode, &id);
	ck_assert(bytes_eq_str(id, "732c769e8d1b2efef8b64d5ae83f84d129733fdd"));

	struct pa_ietf_error pe = {0}, pe2;
	pe.code = PA_TNC_ERROR_ATTRIBUTE_TYPE_NOT_SUPPORTED;
	memcpy(pe.msg_info, "\x01\x00\x00\x00\xaa\xbb\xcc\xdd", 8);
	pe.attr_flags = 0x80;
	pe.attr_vendor = 0x00902a;
	pe.attr_type = 0x12345678;
	ROUND_TRIP(pa_ietf_error_encode(w, &pe), pa_ietf_error_decode, &pe2);
	ck_assert_mem_eq(pe2.msg_info, pe.msg_info, 8);
	ck_assert_uint_eq(pe2.attr_flags, 0x80);
	ck_assert_uint_eq(pe2.attr_vendor, 0x00902a);
	ck_assert_uint_eq(pe2.attr_type, 0x12345678);
	pe = (struct pa_ietf_error){.code = PA_TNC_ERROR_SWIMA_SUBSCRIPTION_DENIED};
	pe.info = BN("\x00\x00\x0c\x7c" "subscriptions not enabled", 4 + 25);
	ROUND_TRIP(pa_ietf_error_encode(w, &pe), pa_ietf_error_decode, &pe2);
	ck_assert_uint_eq(pe2.code, PA_TNC_ERROR_SWIMA_SUBSCRIPTION_DENIED);
	ck_assert_uint_eq(pe2.info.len, pe.info.len);
	pe = (struct pa_ietf_error){.vendor = PA_TNC_VENDOR_TCG};
	pe.info = B("x");
	ROUND_TRIP(pa_ietf_error_encode(w, &pe), pa_ietf_error_decode, &pe2);
	ck_assert_uint_eq(pe2.vendor, PA_TNC_VENDOR_TCG);
	ck_assert(bytes_eq_str(pe2.info, "x"));
}
END_TEST

/* Which decoder a malformed vector goes to. */
enum which {
	ATTR_REQUEST, PRODUCT, NUMERIC, STRING, OP_STATUS, PORTS, PACKAGES, ERROR,
	ASSESSMENT, REMEDIATION, FORWARDING, PASSWORD, DEVICE_ID,
};

static int
decode_one(enum which which, struct bytes v, struct parse_error *e)
{
	union {
		struct pa_ietf_attr_request req;
		struct pa_ietf_product_info pi;
		struct pa_ietf_numeric_version nv;
		struct pa_ietf_string_version sv;
		struct pa_ietf_operational_status os;
		struct pa_ietf_port_filter pf;
		struct pa_ietf_installed_packages ip;
		struct pa_ietf_error pe;
		struct pa_ietf_remediation rem;
		uint32_t u32;
		struct bytes id;
	} u;

	switch (which) {
	case ATTR_REQUEST:
		return pa_ietf_attr_request_decode(v, &u.req, e);
	case PRODUCT:
		return pa_ietf_product_info_decode(v, &u.pi, e);
	case NUMERIC:
		return pa_ietf_numeric_version_decode(v, &u.nv, e);
	case STRING:
		return pa_ietf_string_version_decode(v, &u.sv, e);
	case OP_STATUS:
		return pa_ietf_operational_status_decode(v, &u.os, e);
	case PORTS:
		return pa_ietf_port_filter_decode(v, &u.pf, e);
	case PACKAGES:
		return pa_ietf_installed_packages_decode(v, &u.ip, e);
	case ERROR:
		return pa_ietf_error_decode(v, &u.pe, e);
	case ASSESSMENT:
		return pa_ietf_assessment_result_decode(v, &u.u32, e);
	case REMEDIATION:
		return pa_ietf_remediation_decode(v, &u.rem, e);
	case FORWARDING:
		return pa_ietf_forwarding_enabled_decode(v, &u.u32, e);
	case PASSWORD:
		return pa_ietf_default_password_decode(v, &u.u32, e);
	default:
		return pa_ietf_device_id_decode(v, &u.id, e);
	}
}

#define V(s) s, sizeof(s) - 1

static const struct {
	enum which which;
	const char *value;
	size_t len;
	int err;      /* 0: valid */
	uint32_t offset;
} bad[] = {
	{ATTR_REQUEST, V(""), 0, 0},
	{ATTR_REQUEST, V("\0\0\0\0\0\0\0"), TNC_ETRUNCATED, 4},
	{ATTR_REQUEST, V("\0\0\0\0\0\0\0\1\0\0\0"), TNC_ETRUNCATED, 9},
	{PRODUCT, V("\0\0"), TNC_ETRUNCATED, 0},
	{PRODUCT, V("\0\0\0\0"), TNC_ETRUNCATED, 3},
	{PRODUCT, V("\0\0\0\0\0"), 0, 0},
	{PRODUCT, V("\0\0\0\0\0ab\0c"), TNC_EINVALID, 7},
	{PRODUCT, V("\0\0\0\0\0\xc3\x28"), TNC_EINVALID, 5},
	{PRODUCT, V("\0\0\0\0\0a\xc0\x80"), TNC_EINVALID, 6},
	{PRODUCT, V("\0\0\0\0\0\xed\xa0\x80"), TNC_EINVALID, 5},
	{PRODUCT, V("\0\0\0\0\0\xf4\x90\x80\x80"), TNC_EINVALID, 5},
	{PRODUCT, V("\0\0\0\0\0ab\xe2\x82"), TNC_EINVALID, 7},
	{PRODUCT, V("\0\0\0\0\0\xff"), TNC_EINVALID, 5},
	{PRODUCT, V("\0\0\0\0\0\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80"), 0, 0},
	{NUMERIC, V("\0\0\0\0\0\0\0\0\0\0\0"), TNC_ETRUNCATED, 8},
	{NUMERIC, V("\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0"), TNC_ETRUNCATED, 14},
	{NUMERIC, V("\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0"), TNC_ETRAILING, 16},
	{STRING, V(""), TNC_ETRUNCATED, 0},
	{STRING, V("\x05" "abc"), TNC_ETRUNCATED, 0},
	{STRING, V("\x01" "a\x02" "b"), TNC_ETRUNCATED, 2},
	{STRING, V("\x01" "a\0"), TNC_ETRUNCATED, 3},
	{STRING, V("\x01" "a\0\0\0"), TNC_ETRAILING, 4},
	{STRING, V("\x01\0\0\0"), TNC_EINVALID, 1},
	{STRING, V("\0\0\x02" "a\x80"), TNC_EINVALID, 4},
	{OP_STATUS, V("\x03\x01\0\0" "2026-11-23T11:28:15Z"), 0, 0},
	{OP_STATUS, V("\x03\x01\xff\xff" "2026-11-23T11:28:15Z"), 0, 0},
	{OP_STATUS, V("\x03\x01\0\0" "2026-11-23T11:28:15"), TNC_ETRUNCATED, 4},
	{OP_STATUS, V("\x03\x01\0"), TNC_ETRUNCATED, 2},
	{OP_STATUS, V("\x04\x01\0\0" "2026-11-23T11:28:15Z"), TNC_EINVALID, 0},
	{OP_STATUS, V("\x03\x04\0\0" "2026-11-23T11:28:15Z"), TNC_EINVALID, 1},
	{OP_STATUS, V("\x03\x01\0\0" "2026-11-23 11:28:15Z"), TNC_EINVALID, 14},
	{OP_STATUS, V("\x03\x01\0\0" "2026-11-23T11:28:1xZ"), TNC_EINVALID, 22},
	{OP_STATUS, V("\x03\x01\0\0" "2026-11-23T11:28:15Z "), TNC_ETRAILING, 24},
	{PORTS, V(""), 0, 0},
	{PORTS, V("\x01\x06\0\x16\xfe\x11"), TNC_ETRUNCATED, 6},
	{PORTS, V("\x01\x06\0\x16\xfe"), TNC_ETRUNCATED, 5},
	{PACKAGES, V("\0\0\0"), TNC_ETRUNCATED, 2},
	{PACKAGES, V("\0\0\0\0"), 0, 0},
	{PACKAGES, V("\0\0\0\0x"), TNC_ETRAILING, 4},
	{PACKAGES, V("\0\0\0\x01"), TNC_ETRUNCATED, 4},
	{PACKAGES, V("\0\0\0\x01\x03" "ab"), TNC_ETRUNCATED, 4},
	{PACKAGES, V("\0\0\0\x01\x01" "a"), TNC_ETRUNCATED, 6},
	{PACKAGES, V("\0\0\0\x01\x01" "a\x02" "b"), TNC_ETRUNCATED, 6},
	{PACKAGES, V("\0\0\0\x01\x01\xff\0"), TNC_EINVALID, 5},
	{PACKAGES, V("\0\0\0\x02\x01" "a\x01" "1"), TNC_ETRUNCATED, 8},
	{PACKAGES, V("\xff\xff\0\x01\x01" "a\x01" "1"), 0, 0},
	{ERROR, V("\0\0\0\0\0\0\0"), TNC_ETRUNCATED, 4},
	{ERROR, V("\0\0\0\0\0\0\0\0"), TNC_EINVALID, 4},
	{ERROR, V("\0\0\0\0\0\0\0\x01\x01\0\0\0"), TNC_ETRUNCATED, 8},
	{ERROR, V("\0\0\0\0\0\0\0\x01\x01\0\0\0\0\0\0\0\0\0\0"), TNC_ETRUNCATED, 16},
	{ERROR, V("\0\0\0\0\0\0\0\x01\x01\0\0\0\0\0\0\0\0\0\0\x10"), 0, 0},
	{ERROR, V("\0\0\0\0\0\0\0\x01\x01\0\0\0\0\0\0\0\0\0\0\x10\0"), TNC_ETRAILING, 20},
	{ERROR, V("\0\0\0\0\0\0\0\x02\x02\0\0\0\0\0\0\0\x01\x01\0"), TNC_ETRUNCATED, 18},
	{ERROR, V("\0\0\0\0\0\0\0\x02\x02\0\0\0\0\0\0\0\x01\x01\0\0\0"), TNC_ETRAILING, 20},
	{ERROR, V("\0\0\0\0\0\0\0\x03\x01\0\0\0\0\0\0\0\x80\0\0\0\0\0\0"), TNC_ETRUNCATED, 20},
	{ERROR, V("\0\0\0\0\0\0\0\x05\0\0\x0c\x7c"), 0, 0},
	{ERROR, V("\0\0\x55\x97\0\0\0\0"), 0, 0},
	{ASSESSMENT, V("\0\0\0"), TNC_ETRUNCATED, 0},
	{ASSESSMENT, V("\0\0\0\x04"), 0, 0},
	{ASSESSMENT, V("\0\0\0\x05"), TNC_EINVALID, 0},
	{ASSESSMENT, V("\x01\0\0\0"), TNC_EINVALID, 0},
	{ASSESSMENT, V("\0\0\0\0\0"), TNC_ETRAILING, 4},
	{FORWARDING, V("\0\0\0\x02"), 0, 0},
	{FORWARDING, V("\0\0\0\x03"), TNC_EINVALID, 0},
	{PASSWORD, V("\0\0\0\x02"), TNC_EINVALID, 0},
	{PASSWORD, V("\0\0\0\x01\0"), TNC_ETRAILING, 4},
	{REMEDIATION, V("\0\0\0\0\0\0\0"), TNC_ETRUNCATED, 4},
	{REMEDIATION, V("\0\0\0\0\0\0\0\x01"), 0, 0},
	{REMEDIATION, V("\0\0\0\0\0\0\0\x01http:\0"), TNC_EINVALID, 13},
	{REMEDIATION, V("\0\0\0\0\0\0\0\x02\0\0\0\x05" "abc"), TNC_ETRUNCATED, 8},
	{REMEDIATION, V("\0\0\0\0\0\0\0\x02\0\0\0\x03" "abc"), TNC_ETRUNCATED, 15},
	{REMEDIATION, V("\0\0\0\0\0\0\0\x02\0\0\0\x03" "abc\x02" "e"), TNC_ETRUNCATED, 15},
	{REMEDIATION, V("\0\0\0\0\0\0\0\x02\0\0\0\x03" "abc\x02" "en"), 0, 0},
	{REMEDIATION, V("\0\0\0\0\0\0\0\x02\0\0\0\x03" "abc\x02" "en!"), TNC_ETRAILING, 18},
	{REMEDIATION, V("\0\0\0\0\0\0\0\x02\0\0\0\x03" "a\0c\x02" "en"), TNC_EINVALID, 13},
	{REMEDIATION, V("\0\0\0\0\0\0\0\x02\0\0\0"), TNC_ETRUNCATED, 8},
	{REMEDIATION, V("\0\0\x55\x97\0\0\0\x02\0"), 0, 0},
	{DEVICE_ID, V(""), 0, 0},
	{DEVICE_ID, V("ab\xff"), TNC_EINVALID, 2},
};

START_TEST(malformed_values)
{
	struct parse_error e;

	memset(&e, 0, sizeof(e));
	int rc = decode_one(bad[_i].which, BN(bad[_i].value, bad[_i].len), &e);
	ck_assert_msg(rc == bad[_i].err, "vector %d: want %d, got %d (%s)", _i, bad[_i].err, rc,
	    rc ? e.reason : "ok");
	if (rc) {
		ck_assert_msg(e.offset == bad[_i].offset, "vector %d: want offset %u, got %u (%s)",
		    _i, bad[_i].offset, e.offset, e.reason);
		ck_assert_uint_eq(e.code, PA_TNC_ERROR_INVALID_PARAMETER);
		ck_assert_uint_le(e.offset, bad[_i].len);
	}
	/* No error pointer is allowed too. */
	ck_assert_int_eq(decode_one(bad[_i].which, BN(bad[_i].value, bad[_i].len), NULL),
	    bad[_i].err);
}
END_TEST

/* A value error rebased onto the message is the offset a PA-TNC Error
 * carries: the NUL in a Product Name at value offset 7 of the attribute at
 * 8 is octet 27 of the message. */
START_TEST(value_error_in_message)
{
	static const uint8_t msg[] = "\x01\0\0\0\0\0\0\x01" "\0\0\0\0\0\0\0\x02\0\0\0\x15"
	    "\0\0\0\0\0" "ab\0c";
	struct pa_tnc_msg m;
	struct parse_error e;
	struct pa_ietf_product_info pi;

	ck_assert_int_eq(pa_tnc_msg_parse(msg, sizeof(msg) - 1, &lim, &m, &e), 0);
	ck_assert_int_eq(pa_ietf_product_info_decode(m.attrs[0].value, &pi, &e), TNC_EINVALID);
	pa_tnc_attr_rebase_error(&m.attrs[0], &e);
	ck_assert_uint_eq(e.offset, 27);
	ck_assert_uint_eq(msg[e.offset], 0);
	pa_tnc_msg_clear(&m);
}
END_TEST

/* Encoders refuse what decoders would refuse. */
START_TEST(encoder_refusals)
{
	char long_name[257];
	struct wire_writer w;

	memset(long_name, 'n', 256);
	long_name[256] = 0;
#define REFUSED(call)                                                            \
	do {                                                                      \
		wire_writer_init(&w, MAX_MSG);                                    \
		call;                                                             \
		ck_assert_int_eq(wire_writer_status(&w), TNC_EINVALID);           \
		wire_writer_clear(&w);                                            \
	} while (0)
	const struct pa_ietf_string_version sv = {B(long_name), B(""), B("")};
	REFUSED(pa_ietf_string_version_encode(&w, &sv));
	const struct pa_ietf_string_version sv2 = {B("a"), B("\xff"), B("")};
	REFUSED(pa_ietf_string_version_encode(&w, &sv2));
	const struct pa_ietf_product_info pi = {0x1000000, 0, B("x")};
	REFUSED(pa_ietf_product_info_encode(&w, &pi));
	const struct pa_ietf_product_info pi2 = {0, 0, BN("a\0b", 3)};
	REFUSED(pa_ietf_product_info_encode(&w, &pi2));
	const struct pa_ietf_operational_status os = {3, 1, B("2026-11-23T11:28:15")};
	REFUSED(pa_ietf_operational_status_encode(&w, &os));
	const struct pa_ietf_operational_status os2 = {4, 1, B("2026-11-23T11:28:15Z")};
	REFUSED(pa_ietf_operational_status_encode(&w, &os2));
	const struct pa_ietf_operational_status os3 = {3, 1, B("2026/11/23T11:28:15Z")};
	REFUSED(pa_ietf_operational_status_encode(&w, &os3));
	const struct pa_tnc_type t = {0x1000000, 1};
	REFUSED(pa_ietf_attr_request_encode(&w, &t, 1));
	const struct pa_ietf_package pkg = {B("a"), B(long_name)};
	REFUSED(pa_ietf_installed_packages_encode(&w, &pkg, 1));
	/* The count is checked before any package is read. */
	REFUSED(pa_ietf_installed_packages_encode(&w, &pkg, 65536));
	REFUSED(pa_ietf_assessment_result_encode(&w, 5));
	REFUSED(pa_ietf_forwarding_enabled_encode(&w, 3));
	REFUSED(pa_ietf_default_password_encode(&w, 2));
	const struct pa_ietf_remediation r = {0, PA_IETF_REMEDIATION_STRING, {0}, B("x"),
	    B(long_name)};
	REFUSED(pa_ietf_remediation_encode(&w, &r));
	const struct pa_ietf_remediation r2 = {0x1000000, 1, {0}, B("x"), {0}};
	REFUSED(pa_ietf_remediation_encode(&w, &r2));
	const struct pa_ietf_remediation r3 = {0, PA_IETF_REMEDIATION_URI, {0}, BN("\0", 1), {0}};
	REFUSED(pa_ietf_remediation_encode(&w, &r3));
	REFUSED(pa_ietf_device_id_encode(&w, B("\xc0\x80")));
	struct pa_ietf_error pe = {0};
	REFUSED(pa_ietf_error_encode(&w, &pe));
	pe.code = PA_TNC_ERROR_ATTRIBUTE_TYPE_NOT_SUPPORTED;
	pe.attr_vendor = 0x1000000;
	REFUSED(pa_ietf_error_encode(&w, &pe));
	pe = (struct pa_ietf_error){.vendor = 0x1000000, .code = 1};
	REFUSED(pa_ietf_error_encode(&w, &pe));
#undef REFUSED
}
END_TEST

START_TEST(names)
{
	ck_assert_str_eq(pa_ietf_assessment_result_name(0), "compliant");
	ck_assert_str_eq(pa_ietf_assessment_result_name(2), "significant non-compliance");
	ck_assert_str_eq(pa_ietf_assessment_result_name(4), "don't know");
	ck_assert_str_eq(pa_ietf_assessment_result_name(5), "unknown");
	ck_assert_str_eq(pa_ietf_op_status_name(2), "installed but not operational");
	ck_assert_str_eq(pa_ietf_op_status_name(9), "unknown");
	ck_assert_str_eq(pa_ietf_op_result_name(3), "unsuccessful");
	ck_assert_str_eq(pa_ietf_op_result_name(4), "unknown");
	ck_assert_str_eq(pa_ietf_forwarding_name(1), "enabled");
	ck_assert_str_eq(pa_ietf_forwarding_name(2), "unknown");
	ck_assert_str_eq(pa_ietf_forwarding_name(3), "unknown");
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("pa_ietf");
	TCase *vec = tcase_create("vectors");
	tcase_add_test(vec, seed_product_info);
	tcase_add_test(vec, strongswan_os_posture);
	tcase_add_test(vec, strongswan_requests);
	tcase_add_test(vec, strongswan_installed_packages);
	tcase_add_test(vec, strongswan_assessment);
	tcase_add_test(vec, jtnc_values);
	suite_add_tcase(s, vec);
	TCase *codec = tcase_create("codec");
	tcase_add_test(codec, every_type_round_trips);
	tcase_add_loop_test(codec, malformed_values, 0, sizeof(bad) / sizeof(bad[0]));
	tcase_add_test(codec, value_error_in_message);
	tcase_add_test(codec, encoder_refusals);
	tcase_add_test(codec, names);
	suite_add_tcase(s, codec);
	return s;
}

int
main(void)
{
	return tl_run_suite(suite());
}
