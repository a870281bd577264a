/* pa_swima.h - the SWIMA attributes of RFC 8412 (vendor IETF, PA subtype
 * SWIMA; types PA_IETF_SWIMA_REQUEST..PA_IETF_SOURCE_METADATA_RESPONSE in
 * pa_ietf.h) and the Error Information of the SWIMA PA-TNC error codes.
 *
 * Conventions of pa_ietf.h: a decoder takes the Attribute Value, validates
 * every length and count once and yields views into it; a failure fills
 * *ret_err with Invalid Parameter, the offset of the offending field from
 * the start of the value and a reason naming the field.  A list's count is
 * checked against the smallest size its entries can have before any entry
 * is read, so a count of 2^24-1 in 30 octets costs one division.  Nothing
 * is allocated: an iterator hands out the validated entries as views (the
 * value must outlive them), so thousands of records cost no malloc.
 * Encoders append to a wire_writer and record unencodable input as its
 * error (TNC_EINVALID).
 *
 * Software Identifiers and Locators are text (UTF-8 without NUL); a
 * Software Identifier is never empty.  Records (the SWID tags of Software
 * Inventory and Software Events) are passed on as octets.
 *
 * The SWIMA Request and SW ID Events layouts are checked against the octets
 * strongSwan 5.9.8 sends (tests/data/strongswan-session-os-swima); the
 * inventories share the events' record layout, as strongSwan lays them out.
 * The
 * Subscription Status Response and Source Metadata layouts below could not
 * be checked against the RFC's text nor against a peer (strongSwan has
 * neither attribute); they follow the other attributes' conventions.
 */
#ifndef TNC_PA_SWIMA_H
#define TNC_PA_SWIMA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "wire.h"

/* SWIMA Request flags. */
#define PA_SWIMA_REQ_CLEAR_SUBSCRIPTIONS 0x80 /* C */
#define PA_SWIMA_REQ_SUBSCRIBE 0x40           /* S */
#define PA_SWIMA_REQ_IDS_ONLY 0x20            /* R: identifiers, not records */

/* Counts are 24-bit fields. */
#define PA_SWIMA_COUNT_MAX 0xffffff
/* Event timestamps: RFC 3339 "YYYY-MM-DDThh:mm:ssZ". */
#define PA_SWIMA_TIMESTAMP_LEN 20

/* Software Data Model Types of PEN 0 (IETF). */
enum pa_swima_data_model {
	PA_SWIMA_DM_ISO_2015 = 0, /* ISO/IEC 19770-2:2015 SWID tags */
	PA_SWIMA_DM_ISO_2009 = 1, /* ISO/IEC 19770-2:2009 */
};

/* Event actions. */
enum pa_swima_action {
	PA_SWIMA_ACTION_CREATION = 1,
	PA_SWIMA_ACTION_DELETION = 2,
	PA_SWIMA_ACTION_ALTERATION = 3,
};

/* SWIMA Request: flags, Software Identifier Count (24), Request ID,
 * Earliest EID, then the targeted identifiers (16-bit length each; none
 * asks for the whole inventory). */
struct pa_swima_request {
	uint8_t flags; /* PA_SWIMA_REQ_* */
	uint32_t request_id;
	uint32_t earliest_eid; /* 0: an inventory; else events from this EID */
	uint32_t count;        /* targeted identifiers */
	struct bytes ids;      /* their encoding, for pa_swima_ids_next() */
};
struct pa_swima_ids_iter {
	struct wire_reader r;
};
int pa_swima_request_decode(struct bytes value, struct pa_swima_request *ret,
    struct parse_error *ret_err) TNC_MUST_CHECK;
void pa_swima_ids_iter_init(struct pa_swima_ids_iter *it, struct bytes ids);
/* The next identifier of a decoded list; false after the last. */
bool pa_swima_ids_next(struct pa_swima_ids_iter *it, struct bytes *ret);
/* v->count and v->ids are ignored: ids[0..n) are encoded. */
void pa_swima_request_encode(struct wire_writer *w, const struct pa_swima_request *v,
    const struct bytes *ids, size_t n);

/* One software inventory evidence record: Record Identifier,
 * Data Model Type PEN (24) and Type (8), Source ID Num, Reserved, the
 * Software Identifier and Software Locator (16-bit lengths) and, in
 * Software Inventory and Software Events only, the Record (32-bit
 * length). */
struct pa_swima_record {
	uint32_t record_id;
	uint32_t dm_pen;  /* Data Model Type PEN, 24 bits */
	uint8_t dm_type;  /* enum pa_swima_data_model for PEN 0 */
	uint8_t source_id;
	struct bytes sw_id;   /* Software Identifier, text, not empty */
	struct bytes locator; /* Software Locator, text, may be empty */
	struct bytes record;  /* the tag; empty in the identifier-only types */
};

/* One event: EID, Timestamp, then a record whose Reserved octet holds
 * the Action. */
struct pa_swima_event {
	uint32_t eid;
	struct bytes timestamp; /* PA_SWIMA_TIMESTAMP_LEN octets */
	uint8_t action;         /* enum pa_swima_action */
	struct pa_swima_record rec;
};

/* Software Identifier Inventory (type 14) and Software Inventory (16):
 * flags, Record Count (24), Request ID Copy / Subscription ID, EID Epoch,
 * Last EID, records. */
struct pa_swima_inventory {
	bool with_records; /* Software Inventory: each record carries its tag */
	uint8_t flags;
	uint32_t count;
	uint32_t request_id;
	uint32_t eid_epoch;
	uint32_t last_eid;
	struct bytes entries; /* the count validated records */
};
struct pa_swima_inventory_iter {
	struct wire_reader r;
	bool with_records;
};
int pa_swima_inventory_decode(struct bytes value, bool with_records,
    struct pa_swima_inventory *ret, struct parse_error *ret_err) TNC_MUST_CHECK;
void pa_swima_inventory_iter_init(struct pa_swima_inventory_iter *it,
    const struct pa_swima_inventory *inv);
bool pa_swima_inventory_next(struct pa_swima_inventory_iter *it, struct pa_swima_record *ret);
/* v->count and v->entries are ignored: recs[0..n) are encoded, with their
 * records if v->with_records. */
void pa_swima_inventory_encode(struct wire_writer *w, const struct pa_swima_inventory *v,
    const struct pa_swima_record *recs, size_t n);

/* Software Identifier Events (type 15) and Software Events (17): flags,
 * Event Count (24), Request ID Copy / Subscription ID, EID Epoch, Last
 * EID, Last Consulted EID, events. */
struct pa_swima_events {
	bool with_records;
	uint8_t flags;
	uint32_t count;
	uint32_t request_id;
	uint32_t eid_epoch;
	uint32_t last_eid;
	uint32_t last_consulted_eid;
	struct bytes entries;
};
struct pa_swima_events_iter {
	struct wire_reader r;
	bool with_records;
};
int pa_swima_events_decode(struct bytes value, bool with_records, struct pa_swima_events *ret,
    struct parse_error *ret_err) TNC_MUST_CHECK;
void pa_swima_events_iter_init(struct pa_swima_events_iter *it, const struct pa_swima_events *ev);
bool pa_swima_events_next(struct pa_swima_events_iter *it, struct pa_swima_event *ret);
void pa_swima_events_encode(struct wire_writer *w, const struct pa_swima_events *v,
    const struct pa_swima_event *events, size_t n);

/* Subscription Status Request (type 18): an empty value. */
int pa_swima_subscription_status_request_decode(struct bytes value,
    struct parse_error *ret_err) TNC_MUST_CHECK;

/* Subscription Status Response (type 19): flags, Subscription Record
 * Count (24), then per active subscription its Subscription ID and the
 * request that established it (flags and identifier count, Earliest EID,
 * the targeted identifiers).  Walked with pa_swima_subscriptions_next(). */
struct pa_swima_subscription_status {
	uint8_t flags;
	uint32_t count;
	struct bytes entries;
};
struct pa_swima_subscription {
	uint32_t subscription_id;
	struct pa_swima_request req; /* req.request_id == subscription_id */
};
struct pa_swima_subscriptions_iter {
	struct wire_reader r;
};
int pa_swima_subscription_status_decode(struct bytes value,
    struct pa_swima_subscription_status *ret, struct parse_error *ret_err) TNC_MUST_CHECK;
void pa_swima_subscriptions_iter_init(struct pa_swima_subscriptions_iter *it,
    const struct pa_swima_subscription_status *s);
bool pa_swima_subscriptions_next(struct pa_swima_subscriptions_iter *it,
    struct pa_swima_subscription *ret);
/* Each subscription's req.ids must hold the encoding of its req.count
 * identifiers (as a decoder yields it, or built with
 * pa_swima_request_encode()'s identifier layout). */
void pa_swima_subscription_status_encode(struct wire_writer *w, uint8_t flags,
    const struct pa_swima_subscription *subs, size_t n);

/* Source Metadata Request (type 20): the Request ID. */
int pa_swima_source_metadata_request_decode(struct bytes value, uint32_t *ret_request_id,
    struct parse_error *ret_err) TNC_MUST_CHECK;
void pa_swima_source_metadata_request_encode(struct wire_writer *w, uint32_t request_id);

/* Source Metadata Response (type 21): Request ID Copy, Reserved (8),
 * Source Count (24), then per source its Source ID Num, Reserved and the
 * metadata text with a 16-bit length. */
struct pa_swima_source_metadata {
	uint32_t request_id;
	uint32_t count;
	struct bytes entries;
};
struct pa_swima_source {
	uint8_t source_id;
	struct bytes metadata;
};
struct pa_swima_sources_iter {
	struct wire_reader r;
};
int pa_swima_source_metadata_decode(struct bytes value, struct pa_swima_source_metadata *ret,
    struct parse_error *ret_err) TNC_MUST_CHECK;
void pa_swima_sources_iter_init(struct pa_swima_sources_iter *it,
    const struct pa_swima_source_metadata *m);
bool pa_swima_sources_next(struct pa_swima_sources_iter *it, struct pa_swima_source *ret);
void pa_swima_source_metadata_encode(struct wire_writer *w, uint32_t request_id,
    const struct pa_swima_source *sources, size_t n);

/* The Error Information of the SWIMA PA-TNC error codes (vendor IETF,
 * enum pa_tnc_error_code 4-8), i.e. pa_ietf_error.info: the Request ID
 * Copy (the Subscription ID for a fulfillment error), then
 *   SWIMA Response Too Large: the Maximum Allowed Size and a description;
 *   SWIMA Subscription Fulfillment: the error that kept the subscription
 *     from being fulfilled (Reserved, Vendor ID (24), Code, Information);
 *   the others: a description (text, may be empty). */
struct pa_swima_error {
	uint32_t code; /* enum pa_tnc_error_code, PA_TNC_ERROR_SWIMA.. */
	uint32_t request_id;
	uint32_t max_size;     /* Response Too Large */
	uint32_t sub_vendor;   /* Subscription Fulfillment */
	uint32_t sub_code;     /* Subscription Fulfillment */
	struct bytes sub_info; /* Subscription Fulfillment */
	struct bytes description;
};
/* True for the codes whose information this codec decodes. */
bool pa_swima_is_error_code(uint32_t vendor, uint32_t code);
/* Offsets in *ret_err count from the start of info. */
int pa_swima_error_decode(uint32_t code, struct bytes info, struct pa_swima_error *ret,
    struct parse_error *ret_err) TNC_MUST_CHECK;
/* The whole PA-TNC Error attribute value (RFC 5792 4.2.8) for v. */
void pa_swima_error_encode(struct wire_writer *w, const struct pa_swima_error *v);

/* True for the attribute types of this header (vendor IETF, 13-21). */
bool pa_swima_is_attr(uint32_t vendor, uint32_t type);

/* Names for logs and dumps; never NULL. */
const char *pa_swima_action_name(uint8_t action);
const char *pa_swima_data_model_name(uint32_t pen, uint8_t type);

/* "<regid>__<tagId>": the Software Identifier strongSwan's SWIMA IMC and
 * IMV (and swidGenerator's software-id) build from the tagCreator's regid
 * and the tag ID of an ISO/IEC 19770-2:2015 tag.  Appends to w; an empty
 * regid or tagId, or one that is not text, fails w. */
void pa_swima_software_id(struct wire_writer *w, struct bytes regid, struct bytes tag_id);

#endif
