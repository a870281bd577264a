/* imc_os.c - the OS IMC (see imc_os.h): RFC 5792 PA-TNC messages of
 * subtype IETF/Operating System, TCG IF-M Segmentation for its one large
 * attribute (Installed Packages).
 *
 * Each PA message from an IMV is answered by at most one PA message to that
 * IMV (EXCL when the IMV is known): a Segmentation Contract Response, the
 * requested attributes, a segment.  A message pa_tnc_msg_parse() refuses,
 * or an attribute value its decoder refuses, is answered with an IETF
 * PA-TNC Error and not processed further (RFC 5792 4.2.8).  The IMC never
 * asks for a contract itself, so IMVs may not send it segments.
 * Diagnostics: IMV subsystem (shown as IMC by tncclient).
 */
#include "imc_os.h"

#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "log.h"
#include "imc_attrs.h"
#include "pa_ietf.h"
#include "pa_ietf_error.h"
#include "pa_segment.h"
#include "pa_tnc.h"

#define IMC_NAME "OS"
#define CONTRACTS_MAX 16
#define MAX_MSG_LEN (16u * 1024 * 1024 - 1024) /* of our PA-TNC messages */
#define MAX_ATTRS 4096
/* Our own segment size limit, the one strongSwan's IMCs offer over PT-TLS. */
#define OWN_MAX_SEG_SIZE 0x1fffb8u

struct contract {
	bool used;
	uint16_t imv;
	struct pa_segment_contract sizes; /* what we agreed to send to that IMV */
};

/* A segmented attribute being handed out on request. */
struct exchange {
	struct exchange *next;
	uint16_t imv;
	uint8_t *attr; /* the whole attribute; the splitter views it */
	struct pa_segment_splitter split;
	unsigned sent;
};

struct imc_os {
	const struct os_facts *facts;
	struct outcome *out;
	struct contract contracts[CONTRACTS_MAX];
	struct exchange *exchanges;
	uint32_t next_base_id;
	struct imc_msg *queue, **tail;
};

/* The PA message being built in answer to one from an IMV. */
struct reply {
	struct pa_tnc_builder b;
	bool open;
	uint16_t imv;
};

static const struct pa_tnc_type supported[] = {
	{PA_TNC_VENDOR_IETF, PA_IETF_ATTRIBUTE_REQUEST},
	{PA_TNC_VENDOR_IETF, PA_IETF_PA_TNC_ERROR},
	{PA_TNC_VENDOR_IETF, PA_IETF_ASSESSMENT_RESULT},
	{PA_TNC_VENDOR_IETF, PA_IETF_REMEDIATION_INSTRUCTIONS},
	{PA_TNC_VENDOR_TCG, PA_SEGMENT_CONTRACT_REQUEST},
	{PA_TNC_VENDOR_TCG, PA_SEGMENT_NEXT},
	{PA_TNC_VENDOR_TCG, PA_SEGMENT_CANCEL},
};

static void
free_exchange(struct exchange *x)
{
	free(x->attr);
	free(x);
}

struct imc_os *
imc_os_new(const struct os_facts *facts, struct outcome *out)
{
	struct imc_os *imc = calloc(1, sizeof(*imc));

	if (!imc)
		abort();
	imc->facts = facts;
	imc->out = out;
	imc->tail = &imc->queue;
	imc->next_base_id = 1;
	LOG(IMV, 1, "IMC %u \"%s\" initialized", IMC_OS_ID, IMC_NAME);
	return imc;
}

static void
forget(struct imc_os *imc)
{
	while (imc->exchanges) {
		struct exchange *x = imc->exchanges;
		imc->exchanges = x->next;
		free_exchange(x);
	}
	memset(imc->contracts, 0, sizeof(imc->contracts));
	for (struct imc_msg *m = imc_os_take(imc), *next; m; m = next) {
		next = m->next;
		free(m);
	}
}

void
imc_os_free(struct imc_os *imc)
{
	if (!imc)
		return;
	forget(imc);
	free(imc);
}

struct imc_msg *
imc_os_take(struct imc_os *imc)
{
	struct imc_msg *m = imc->queue;

	imc->queue = NULL;
	imc->tail = &imc->queue;
	return m;
}

bool
imc_os_wants(const struct pb_pa *pa)
{
	if (pa->vendor != IMC_OS_VENDOR || pa->subtype != IMC_OS_SUBTYPE)
		return false;
	/* RFC 5793 4.5: EXCL delivers only to the named collector */
	return !(pa->flags & PB_PA_FLAG_EXCL) || pa->collector_id == IMC_OS_ID;
}

static uint32_t
random_msg_id(void)
{
	uint32_t id;

	if (getrandom(&id, sizeof(id), 0) != sizeof(id))
		id = (uint32_t)rand();
	return id;
}

/* The reply's builder, the message started on first use. */
static struct pa_tnc_builder *
reply_builder(struct reply *r)
{
	if (!r->open) {
		uint32_t id = random_msg_id();
		LOG(IMV, 2, "creating PA-TNC message with ID 0x%08x", id);
		pa_tnc_builder_init(&r->b, id, MAX_MSG_LEN);
		r->open = true;
	}
	return &r->b;
}

/* Queues the reply, if anything was added to it. */
static void
reply_send(struct imc_os *imc, struct reply *r)
{
	struct bytes msg;

	if (!r->open)
		return;
	int err = pa_tnc_builder_finish(&r->b, &msg);
	if (err) {
		LOG(IMV, 0, "cannot build a PA-TNC message: %s", tnc_strerror(err));
	} else {
		struct imc_msg *m = malloc(sizeof(*m) + msg.len);
		if (!m)
			abort();
		m->next = NULL;
		m->flags = r->imv == PB_PA_ID_ANY ? 0 : PB_PA_FLAG_EXCL;
		m->validator_id = r->imv;
		m->len = msg.len;
		memcpy(m->data, msg.ptr, msg.len);
		*imc->tail = m;
		imc->tail = &m->next;
	}
	pa_tnc_builder_clear(&r->b);
	r->open = false;
}

void
imc_os_begin_handshake(struct imc_os *imc)
{
	struct reply r = {.imv = PB_PA_ID_ANY};

	forget(imc);
	imc_attrs_add_first(reply_builder(&r), imc->facts);
	reply_send(imc, &r);
}

static void
add_error(struct reply *r, const uint8_t *msg, size_t len, const struct parse_error *pe)
{
	struct pa_ietf_error e;
	struct pa_tnc_builder *b = reply_builder(r);

	pa_ietf_error_from_parse(msg, len, pe, &e);
	LOG(IMV, 1, "sending PA-TNC error '%s' (offset %u)",
	    pa_tnc_error_code_name(PA_TNC_VENDOR_IETF, pe->code), pe->offset);
	pa_tnc_builder_begin(b, 0, PA_TNC_VENDOR_IETF, PA_IETF_PA_TNC_ERROR);
	pa_ietf_error_encode(&b->w, &e);
	pa_tnc_builder_end(b);
}

static struct contract *
find_contract(struct imc_os *imc, uint16_t imv)
{
	for (size_t i = 0; i < CONTRACTS_MAX; i++)
		if (imc->contracts[i].used && imc->contracts[i].imv == imv)
			return &imc->contracts[i];
	return NULL;
}

static void
add_envelope(struct reply *r, struct exchange *x)
{
	struct pa_segment_envelope env;

	if (!pa_segment_splitter_next(&x->split, &env))
		return;
	x->sent++;
	LOG(IMV, 1, "sending segment %u (%zu bytes%s) of base message ID %u to IMV %u", x->sent,
	    env.segment.len, (env.flags & PA_SEGMENT_FLAG_MORE) ? ", more to follow" : ", the last",
	    env.base_msg_id, x->imv);
	struct pa_tnc_builder *b = reply_builder(r);
	LOG(IMV, 2, "creating PA-TNC attribute type '%s' 0x%06x/0x%08x",
	    pa_tnc_attr_name(PA_TNC_VENDOR_TCG, PA_SEGMENT_ENVELOPE), PA_TNC_VENDOR_TCG,
	    PA_SEGMENT_ENVELOPE);
	pa_tnc_builder_begin(b, 0, PA_TNC_VENDOR_TCG, PA_SEGMENT_ENVELOPE);
	pa_segment_envelope_encode(&b->w, &env);
	pa_tnc_builder_end(b);
}

/* Keeps a copy of attr and sends its first segment; the IMV asks for the
 * others with Next Segment. */
static void
start_segments(struct imc_os *imc, struct reply *r, struct bytes attr, uint32_t max_seg)
{
	struct exchange *x = calloc(1, sizeof(*x));
	uint32_t id = imc->next_base_id;

	if (!x || !(x->attr = malloc(attr.len)))
		abort();
	x->imv = r->imv;
	memcpy(x->attr, attr.ptr, attr.len);
	imc->next_base_id = id >= PA_SEGMENT_ID_MAX ? 1 : id + 1;
	if (pa_segment_splitter_init(&x->split, (struct bytes){x->attr, attr.len}, id, max_seg)) {
		LOG(IMV, 0, "cannot cut %zu bytes into segments of %u bytes", attr.len, max_seg);
		free_exchange(x);
		return;
	}
	LOG(IMV, 1, "the installed packages (%zu bytes) exceed the maximum segment size of %u "
	    "bytes: segmenting them with base message ID %u", attr.len, max_seg, id);
	x->next = imc->exchanges;
	imc->exchanges = x;
	add_envelope(r, x);
}

/* Installed Packages, whole or (over the contract's segment size) as the
 * first of a series of Segment Envelopes. */
static void
add_packages(struct imc_os *imc, struct reply *r)
{
	const struct contract *c = find_contract(imc, r->imv);
	struct pa_tnc_builder one;
	struct bytes msg;

	if (!c) {
		(void)imc_attrs_add(reply_builder(r), imc->facts, PA_TNC_VENDOR_IETF,
		    PA_IETF_INSTALLED_PACKAGES);
		return;
	}
	/* encoded alone first, to measure it against the contract */
	pa_tnc_builder_init(&one, 0, MAX_MSG_LEN);
	(void)imc_attrs_add(&one, imc->facts, PA_TNC_VENDOR_IETF, PA_IETF_INSTALLED_PACKAGES);
	int err = pa_tnc_builder_finish(&one, &msg);
	if (err) {
		LOG(IMV, 0, "cannot encode the installed packages: %s", tnc_strerror(err));
		goto out;
	}
	struct bytes attr = {msg.ptr + PA_TNC_HEADER_LEN, msg.len - PA_TNC_HEADER_LEN};
	struct bytes value = {attr.ptr + PA_TNC_ATTR_HEADER_LEN,
	    attr.len - PA_TNC_ATTR_HEADER_LEN};
	if (attr.len > c->sizes.max_msg_size)
		LOG(IMV, 0, "the installed packages (%zu bytes) exceed the maximum attribute size "
		    "of %u bytes IMV %u accepts: not sent", attr.len, c->sizes.max_msg_size,
		    r->imv);
	else if (attr.len > c->sizes.max_seg_size)
		start_segments(imc, r, attr, c->sizes.max_seg_size);
	else
		pa_tnc_builder_add(reply_builder(r), 0, PA_TNC_VENDOR_IETF,
		    PA_IETF_INSTALLED_PACKAGES, value);
out:
	pa_tnc_builder_clear(&one);
}

static int
on_attr_request(struct imc_os *imc, struct reply *r, const struct pa_tnc_attr *a,
    struct parse_error *pe)
{
	struct pa_ietf_attr_request req;
	int err = pa_ietf_attr_request_decode(a->value, &req, pe);

	if (err)
		return err;
	for (size_t i = 0; i < req.count; i++) {
		struct pa_tnc_type t = pa_ietf_attr_request_get(&req, i);
		LOG(IMV, 1, "IMV %u requests attribute type '%s' 0x%06x/0x%08x", r->imv,
		    pa_tnc_attr_name(t.vendor, t.type), t.vendor, t.type);
		if (!imc_attrs_provides(imc->facts, t.vendor, t.type))
			LOG(IMV, 1, "attribute type '%s' 0x%06x/0x%08x is not provided",
			    pa_tnc_attr_name(t.vendor, t.type), t.vendor, t.type);
		else if (t.vendor == PA_TNC_VENDOR_IETF && t.type == PA_IETF_INSTALLED_PACKAGES)
			add_packages(imc, r);
		else
			(void)imc_attrs_add(reply_builder(r), imc->facts, t.vendor, t.type);
	}
	return 0;
}

static int
on_contract_request(struct imc_os *imc, struct reply *r, const struct pa_tnc_attr *a,
    struct parse_error *pe)
{
	struct pa_segment_contract req;
	int err = pa_segment_contract_decode(a->value, &req, pe);
	struct contract *c = find_contract(imc, r->imv);

	if (err)
		return err;
	for (size_t i = 0; !c && i < CONTRACTS_MAX; i++)
		if (!imc->contracts[i].used)
			c = &imc->contracts[i];
	if (!c)
		c = &imc->contracts[CONTRACTS_MAX - 1]; /* more IMVs than slots: reuse one */
	*c = (struct contract){true, r->imv, {req.max_msg_size,
	    req.max_seg_size < OWN_MAX_SEG_SIZE ? req.max_seg_size : OWN_MAX_SEG_SIZE}};
	LOG(IMV, 1, "IMC %u received a segmentation contract request from IMV %u", IMC_OS_ID,
	    r->imv);
	if (c->sizes.max_msg_size == PA_SEGMENT_NO_LIMIT)
		LOG(IMV, 1, "  no message size limit, maximum segment size of %u bytes",
		    c->sizes.max_seg_size);
	else
		LOG(IMV, 1, "  maximum message size of %u bytes, maximum segment size of %u bytes",
		    c->sizes.max_msg_size, c->sizes.max_seg_size);
	struct pa_tnc_builder *b = reply_builder(r);
	LOG(IMV, 2, "creating PA-TNC attribute type '%s' 0x%06x/0x%08x",
	    pa_tnc_attr_name(PA_TNC_VENDOR_TCG, PA_SEGMENT_CONTRACT_RESPONSE), PA_TNC_VENDOR_TCG,
	    PA_SEGMENT_CONTRACT_RESPONSE);
	pa_tnc_builder_begin(b, 0, PA_TNC_VENDOR_TCG, PA_SEGMENT_CONTRACT_RESPONSE);
	pa_segment_contract_encode(&b->w, &c->sizes);
	pa_tnc_builder_end(b);
	return 0;
}

static struct exchange **
find_exchange(struct imc_os *imc, uint16_t imv, uint32_t base_id)
{
	struct exchange **pp = &imc->exchanges;

	while (*pp && ((*pp)->split.base_msg_id != base_id || (*pp)->imv != imv))
		pp = &(*pp)->next;
	return pp;
}

static void
drop_exchange(struct exchange **pp)
{
	struct exchange *x = *pp;
	*pp = x->next;
	free_exchange(x);
}

static int
on_next_segment(struct imc_os *imc, struct reply *r, const struct pa_tnc_attr *a,
    struct parse_error *pe)
{
	struct pa_segment_next next;
	int err = pa_segment_next_decode(a->value, &next, pe);

	if (err)
		return err;
	struct exchange **pp = find_exchange(imc, r->imv, next.base_msg_id);
	if (!*pp) {
		LOG(IMV, 0, "IMV %u asks for a segment of unknown base message ID %u", r->imv,
		    next.base_msg_id);
		/* the Base Message ID field follows the flags octet */
		*pe = (struct parse_error){1, PA_TNC_ERROR_INVALID_PARAMETER,
		    "unknown base message ID"};
		return TNC_ENOTFOUND;
	}
	if (next.cancel) {
		LOG(IMV, 1, "IMV %u cancels the segments of base message ID %u", r->imv,
		    next.base_msg_id);
		drop_exchange(pp);
		return 0;
	}
	add_envelope(r, *pp);
	if ((*pp)->split.pos == (*pp)->split.attr.len)
		drop_exchange(pp);
	return 0;
}

static int
on_cancel(struct imc_os *imc, struct reply *r, const struct pa_tnc_attr *a,
    struct parse_error *pe)
{
	uint32_t id;
	int err = pa_segment_cancel_decode(a->value, &id, pe);

	if (err)
		return err;
	struct exchange **pp = find_exchange(imc, r->imv, id);
	LOG(IMV, 1, "IMV %u cancels the segment exchange with base message ID %u%s", r->imv, id,
	    *pp ? "" : " (not known)");
	if (*pp)
		drop_exchange(pp);
	return 0;
}

static int
on_assessment(struct imc_os *imc, struct reply *r, const struct pa_tnc_attr *a,
    struct parse_error *pe)
{
	uint32_t result;
	int err = pa_ietf_assessment_result_decode(a->value, &result, pe);

	if (err)
		return err;
	LOG(IMV, 1, "IMV %u assessment result is '%s'", r->imv,
	    pa_ietf_assessment_result_name(result));
	outcome_add(imc->out, OUTCOME_IMV_ASSESSMENT, r->imv, result, (struct bytes){NULL, 0},
	    (struct bytes){NULL, 0});
	return 0;
}

static int
on_remediation(struct imc_os *imc, struct reply *r, const struct pa_tnc_attr *a,
    struct parse_error *pe)
{
	struct pa_ietf_remediation rem;
	int err = pa_ietf_remediation_decode(a->value, &rem, pe);
	char what[96];
	struct bytes text = rem.text;

	if (err)
		return err;
	if (rem.vendor != PA_TNC_VENDOR_IETF ||
	    (rem.type != PA_IETF_REMEDIATION_URI && rem.type != PA_IETF_REMEDIATION_STRING)) {
		snprintf(what, sizeof(what), "of vendor 0x%06x type %u (%zu bytes, not shown)",
		    rem.vendor, rem.type, rem.params.len);
		text = (struct bytes){(const uint8_t *)what, strlen(what)};
	}
	LOG(IMV, 1, "IMV %u sends remediation instructions (%zu bytes)", r->imv, text.len);
	outcome_add(imc->out, OUTCOME_IMV_REMEDIATION, r->imv, 0, text, rem.lang);
	return 0;
}

static int
on_error(struct imc_os *imc, struct reply *r, const struct pa_tnc_attr *a,
    struct parse_error *pe)
{
	struct pa_ietf_error e;
	int err = pa_ietf_error_decode(a->value, &e, pe);

	if (err)
		return err;
	if (e.vendor == PA_TNC_VENDOR_IETF && e.code == PA_TNC_ERROR_INVALID_PARAMETER)
		LOG(IMV, 0, "IMV %u reports PA-TNC error '%s' at offset %u", r->imv,
		    pa_tnc_error_code_name(e.vendor, e.code), e.offset);
	else
		LOG(IMV, 0, "IMV %u reports PA-TNC error '%s' (vendor 0x%06x, code %u)", r->imv,
		    pa_tnc_error_code_name(e.vendor, e.code), e.vendor, e.code);
	return 0;
}

typedef int attr_handler(struct imc_os *imc, struct reply *r, const struct pa_tnc_attr *a,
    struct parse_error *pe);

static attr_handler *
handler_for(const struct pa_tnc_attr *a)
{
	if (a->vendor == PA_TNC_VENDOR_IETF) {
		switch (a->type) {
		case PA_IETF_ATTRIBUTE_REQUEST: return on_attr_request;
		case PA_IETF_ASSESSMENT_RESULT: return on_assessment;
		case PA_IETF_REMEDIATION_INSTRUCTIONS: return on_remediation;
		case PA_IETF_PA_TNC_ERROR: return on_error;
		}
	} else if (a->vendor == PA_TNC_VENDOR_TCG) {
		switch (a->type) {
		case PA_SEGMENT_CONTRACT_REQUEST: return on_contract_request;
		case PA_SEGMENT_NEXT: return on_next_segment;
		case PA_SEGMENT_CANCEL: return on_cancel;
		}
	}
	return NULL;
}

void
imc_os_receive(struct imc_os *imc, const struct pb_pa *pa)
{
	struct pa_tnc_limits lim = {MAX_MSG_LEN, MAX_ATTRS, supported,
	    sizeof(supported) / sizeof(supported[0])};
	struct reply r = {.imv = pa->validator_id};
	struct pa_tnc_msg m;
	struct parse_error pe;

	LOG(IMV, 1, "IMC %u \"%s\" received a message from IMV %u", IMC_OS_ID, IMC_NAME,
	    pa->validator_id);
	int err = pa_tnc_msg_parse(pa->body.ptr, pa->body.len, &lim, &m, &pe);
	if (err) {
		LOG(IMV, 0, "bad PA-TNC message from IMV %u: %s at offset %u", pa->validator_id,
		    pe.reason ? pe.reason : tnc_strerror(err), pe.offset);
		add_error(&r, pa->body.ptr, pa->body.len, &pe);
		reply_send(imc, &r);
		return;
	}
	LOG(IMV, 2, "processing PA-TNC message with ID 0x%08x", m.msg_id);
	for (size_t i = 0; i < m.count; i++) {
		const struct pa_tnc_attr *a = &m.attrs[i];
		attr_handler *h = handler_for(a);
		LOG(IMV, 2, "processing PA-TNC attribute type '%s' 0x%06x/0x%08x",
		    pa_tnc_attr_name(a->vendor, a->type), a->vendor, a->type);
		if (!h) {
			LOG(IMV, 1, "ignoring PA-TNC attribute type '%s' 0x%06x/0x%08x",
			    pa_tnc_attr_name(a->vendor, a->type), a->vendor, a->type);
			continue;
		}
		err = h(imc, &r, a, &pe);
		if (err) {
			pa_tnc_attr_rebase_error(a, &pe);
			LOG(IMV, 0, "bad attribute '%s' from IMV %u: %s at offset %u",
			    pa_tnc_attr_name(a->vendor, a->type), pa->validator_id,
			    pe.reason ? pe.reason : tnc_strerror(err), pe.offset);
			add_error(&r, pa->body.ptr, pa->body.len, &pe);
			break;
		}
	}
	pa_tnc_msg_clear(&m);
	reply_send(imc, &r);
}
