/* pa_segment.h - TCG IF-M Segmentation (Version 1.0 Rev. 5) attributes,
 * vendor PA_TNC_VENDOR_TCG, and pure helpers to split one large attribute
 * into Segment Envelopes and to reassemble it.
 *
 * A segmented exchange: the first envelope has START (and MORE) and begins
 * with the 12-octet header of the base attribute, whose Length is that of
 * the whole attribute; each later one continues it with MORE until the last
 * one, without MORE.  All envelopes of one exchange carry the same 24-bit
 * Base Message ID.  The receiver asks for each next envelope with Next
 * Segment.  Decoders follow the conventions of pa_ietf.h.
 */
#ifndef TNC_PA_SEGMENT_H
#define TNC_PA_SEGMENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "pa_tnc.h"
#include "wire.h"

enum pa_segment_attr_type {
	PA_SEGMENT_CONTRACT_REQUEST = 0x21,  /* older name: Max Attribute Size Request */
	PA_SEGMENT_CONTRACT_RESPONSE = 0x22, /* older name: Max Attribute Size Response */
	PA_SEGMENT_ENVELOPE = 0x23,
	PA_SEGMENT_NEXT = 0x24,
	PA_SEGMENT_CANCEL = 0x25, /* Cancel Segment Exchange */
};

/* Segment Envelope flags (first octet). */
#define PA_SEGMENT_FLAG_MORE 0x80
#define PA_SEGMENT_FLAG_START 0x40
/* Next Segment flags: C, the first bit. */
#define PA_SEGMENT_FLAG_CANCEL 0x80
/* A Maximum Message/Segment Size meaning "no limit". */
#define PA_SEGMENT_NO_LIMIT 0xffffffffu
#define PA_SEGMENT_ID_MAX 0xffffff

/* Segmentation Contract Request and Response: two 32-bit sizes (the value
 * is 8 octets; there are no flags). */
struct pa_segment_contract {
	uint32_t max_msg_size; /* largest PA-TNC message the sender takes */
	uint32_t max_seg_size; /* largest segment (envelope payload) it takes */
};
int pa_segment_contract_decode(struct bytes value, struct pa_segment_contract *ret,
    struct parse_error *ret_err) TNC_MUST_CHECK;
void pa_segment_contract_encode(struct wire_writer *w, const struct pa_segment_contract *v);

/* Segment Envelope: flags, Base Message ID, then the segment. */
struct pa_segment_envelope {
	uint8_t flags; /* PA_SEGMENT_FLAG_MORE | _START; reserved bits cleared */
	uint32_t base_msg_id;
	struct bytes segment;
};
int pa_segment_envelope_decode(struct bytes value, struct pa_segment_envelope *ret,
    struct parse_error *ret_err) TNC_MUST_CHECK;
void pa_segment_envelope_encode(struct wire_writer *w, const struct pa_segment_envelope *v);

/* Next Segment: the receiver asks for the next envelope of base_msg_id, or
 * cancels the exchange. */
struct pa_segment_next {
	bool cancel;
	uint32_t base_msg_id;
};
int pa_segment_next_decode(struct bytes value, struct pa_segment_next *ret,
    struct parse_error *ret_err) TNC_MUST_CHECK;
void pa_segment_next_encode(struct wire_writer *w, const struct pa_segment_next *v);

/* Cancel Segment Exchange: Reserved (8) and the Base Message ID (24). */
int pa_segment_cancel_decode(struct bytes value, uint32_t *ret_base_msg_id,
    struct parse_error *ret_err) TNC_MUST_CHECK;
void pa_segment_cancel_encode(struct wire_writer *w, uint32_t base_msg_id);

/* Cuts one attribute (12-octet header and value) into envelopes whose
 * segments hold at most max_seg_size octets; the segments view attr. */
struct pa_segment_splitter {
	struct bytes attr;
	size_t pos;
	size_t max_seg_size;
	uint32_t base_msg_id;
};
/* TNC_EINVALID unless attr is one whole attribute, max_seg_size >= 12 (the
 * base attribute header is never cut) and base_msg_id fits 24 bits. */
int pa_segment_splitter_init(struct pa_segment_splitter *s, struct bytes attr,
    uint32_t base_msg_id, size_t max_seg_size) TNC_MUST_CHECK;
/* The next envelope; false once the whole attribute has been handed out. */
bool pa_segment_splitter_next(struct pa_segment_splitter *s, struct pa_segment_envelope *ret);

/* Reassembles one attribute from envelopes fed in order.  Heap object with
 * a hard cap on the attribute's declared Length; it copies the segments. */
struct pa_segment_reasm;

struct pa_segment_reasm *pa_segment_reasm_new(size_t max_attr_len);
void pa_segment_reasm_free(struct pa_segment_reasm *r);
/* Adds the next envelope; *ret_done turns true with the last one.  Refused
 * (and the exchange dropped): a segment without START while none is open,
 * START while one is open, another Base Message ID, a declared Length below
 * 12 or above the cap (TNC_ETOOLONG), more octets than declared, MORE on a
 * complete attribute, a last segment short of it.  Offsets in *ret_err
 * count from the start of the envelope's value.  After the last segment a
 * new START begins the next exchange. */
int pa_segment_reasm_feed(struct pa_segment_reasm *r, const struct pa_segment_envelope *env,
    bool *ret_done, struct parse_error *ret_err) TNC_MUST_CHECK;
/* The reassembled attribute (offset 0), viewing r's buffer: valid until the
 * next feed or pa_segment_reasm_free(); TNC_ESTATE before it is complete. */
int pa_segment_reasm_attr(const struct pa_segment_reasm *r, struct pa_tnc_attr *ret)
    TNC_MUST_CHECK;

#endif
