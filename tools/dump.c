/* dump.c - tncdump's entry point into the decoders: format detection and
 * dispatch (see dump.h).  Detection only looks; every verdict printed comes
 * from the codec that decodes the format chosen. */
#include "dump.h"

#include <string.h>

#include "dump_eap.h"
#include "dump_pa.h"
#include "dump_pb.h"
#include "dump_pt_tls.h"
#include "pa_tnc.h"
#include "pb_tnc.h"
#include "pt_tls.h"
#include "tree.h"

static const struct {
	const char *option;
	const char *name;
} formats[] = {
	[DUMP_PB] = {"pb", "PB-TNC batch"},
	[DUMP_PA] = {"pa", "PA-TNC message"},
	[DUMP_PT_TLS] = {"pt-tls", "PT-TLS stream"},
	[DUMP_IKEV2] = {"ikev2", "IKEv2 message"},
	[DUMP_EAP] = {"eap", "EAP packet stream"},
	[DUMP_TTLS] = {"ttls", "EAP-TTLS tunneled data"},
};

int
dump_format_parse(const char *name, enum dump_format *ret)
{
	for (size_t i = DUMP_PB; i < sizeof(formats) / sizeof(formats[0]); i++) {
		if (strcmp(name, formats[i].option) == 0) {
			*ret = (enum dump_format)i;
			return 0;
		}
	}
	return TNC_EINVALID;
}

static bool
is_pb(const uint8_t *buf, size_t len)
{
	struct wire_reader r;
	uint32_t length;

	wire_reader_init(&r, buf, len);
	return buf[0] == PB_TNC_VERSION && !wire_skip(&r, 4) && !wire_get_u32(&r, &length) &&
	    length == len;
}

static bool
is_pt_tls(const uint8_t *buf, size_t len)
{
	struct parse_error e;
	size_t off = 0, need;

	while (off < len) {
		/* RFC 6876 3.5: Reserved, the first octet, is sent as 0. */
		if (buf[off] != 0 || pt_tls_deframe(buf + off, len - off, UINT32_MAX, &need, &e))
			return false;
		off += need;
	}
	return true;
}

static bool
is_pa(const uint8_t *buf, size_t len)
{
	struct pa_tnc_msg m;
	struct parse_error e;

	if (buf[0] != PA_TNC_VERSION || dump_pa_parse((struct bytes){buf, len}, &m, &e))
		return false;
	pa_tnc_msg_clear(&m);
	return true;
}

enum dump_format
dump_detect(const uint8_t *buf, size_t len, bool *ret_sure)
{
	*ret_sure = true;
	if (len == 0) {
		*ret_sure = false;
		return DUMP_AUTO;
	}
	if (is_pb(buf, len))
		return DUMP_PB;
	if (is_pt_tls(buf, len))
		return DUMP_PT_TLS;
	if (is_pa(buf, len))
		return DUMP_PA;
	if (dump_ikev2_looks(buf, len))
		return DUMP_IKEV2;
	if (dump_eap_looks(buf, len))
		return DUMP_EAP;
	*ret_sure = false;
	switch (buf[0]) {
	case 0:
		return DUMP_PT_TLS;
	case PA_TNC_VERSION:
		return DUMP_PA;
	case PB_TNC_VERSION:
		return DUMP_PB;
	default:
		return DUMP_AUTO;
	}
}

int
dump_input(FILE *out, const uint8_t *buf, size_t len, const struct dump_opts *o)
{
	struct bytes in = {buf, len};
	enum dump_format f = o->as;
	bool sure = true;
	struct tree t;

	tree_init(&t, out, buf, o->all);
	if (len == 0) {
		tree_fail(&t, "empty input", 0);
		return 1;
	}
	if (f == DUMP_AUTO)
		f = dump_detect(buf, len, &sure);
	if (!sure && f != DUMP_AUTO)
		tree_line(&t, "note: not a well-formed %s; decoding it as one (choose with --as)",
		    formats[f].name);
	switch (f) {
	case DUMP_PB:
		dump_pb_batch(&t, in);
		break;
	case DUMP_PA:
		dump_pa_msg(&t, in);
		break;
	case DUMP_PT_TLS:
		dump_pt_tls_stream(&t, in);
		break;
	case DUMP_IKEV2:
		dump_ikev2_msg(&t, in, &o->sk);
		break;
	case DUMP_EAP:
		dump_eap_stream(&t, in);
		break;
	case DUMP_TTLS:
		dump_ttls_avps(&t, in);
		break;
	default:
		tree_fail(&t, "neither a PB-TNC batch, a PA-TNC message, a PT-TLS stream, an IKEv2 "
		    "message nor EAP packets", 0);
		break;
	}
	return t.errors ? 1 : 0;
}
