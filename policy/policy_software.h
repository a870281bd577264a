/* policy_software.h - the software database of the SWIMA IMV (RFC 8412;
 * schema/004-software.sql): software identifiers and SWID tags, each
 * device's inventory, events and SWIMA state (epoch, last event ID), package
 * versions marked vulnerable by advisories, and a SWIDT / SWIDI policy's
 * verdict on a device's inventory.
 *
 * Devices are named by device ID.  A device the database does not know yet
 * (its first session is recorded only at its end) is created by the calls
 * that write for it and has no state, inventory or events for those that
 * read.  Each call is one transaction.  Versions compare in dpkg's order
 * (os_version_cmp()).  Functions return 0 or a negative TNC_E* / -errno
 * code with the reason, naming the field, in policy_store_error().
 */
#ifndef TNC_POLICY_SOFTWARE_H
#define TNC_POLICY_SOFTWARE_H

#include "policy_admin.h"

#define PS_SW_ID_MAX 1024            /* an RFC 8412 Software Identifier */
#define PS_SW_TAG_MAX 65536          /* a SWID tag's XML */
#define PS_SW_TIME_MAX 32            /* an event's RFC 3339 timestamp */
#define PS_SW_INVENTORY_MAX 100000   /* identifiers of one inventory, events of one call */
#define PS_SW_TAGS_MAX 1000          /* tags stored in one call */
#define PS_SW_ADVISORY_MAX 64        /* "DSA-5532-1" */
#define PS_SW_DETAIL_MAX 1024        /* a verdict's text */

/* Where a device's stored events stand; known false: no inventory was
 * ever stored for it (the IMV asks for a full one). */
struct ps_sw_state {
	bool known;
	uint32_t epoch, last_eid;
};
int policy_store_sw_state(struct policy_store *s, const char *device, struct ps_sw_state *ret)
    TNC_MUST_CHECK;

/* A software identifier with what is known of it (NULL: not known). */
struct ps_sw_id {
	const char *name; /* 1..PS_SW_ID_MAX bytes */
	const char *package, *version, *regid; /* 1..PS_VALUE_MAX bytes each */
};

/* The device's whole inventory (at most PS_SW_INVENTORY_MAX identifiers;
 * the same one twice counts once) replaces the stored one; an identifier
 * it had before keeps its since, a new one gets since (the session's
 * time).  The state becomes (epoch, last_eid): events of an earlier epoch
 * are history now. */
int policy_store_sw_inventory_replace(struct policy_store *s, const char *device, int64_t since,
    uint32_t epoch, uint32_t last_eid, const struct ps_sw_id *ids, size_t n) TNC_MUST_CHECK;

enum ps_sw_action { PS_SW_CREATE = 1, PS_SW_DELETE = 2, PS_SW_ALTER = 3 }; /* RFC 8412's */

struct ps_sw_event {
	uint32_t eid;
	const char *time; /* RFC 3339, at most PS_SW_TIME_MAX bytes */
	enum ps_sw_action action;
	struct ps_sw_id id;
};

/* Events of the stored epoch, in the order given (at most
 * PS_SW_INVENTORY_MAX): each is stored and applied to the inventory
 * (create and alter add the identifier, delete removes it) once; an event
 * already stored (same EID, identifier and action) is skipped, so the same
 * batch twice changes nothing.  last_eid (the IMC's) moves the state
 * forward, never back.  TNC_ESTATE when the device has no state or
 * another epoch: a full inventory is needed.  *ret_applied (may be NULL):
 * the events new to the database. */
int policy_store_sw_events_apply(struct policy_store *s, const char *device, int64_t since,
    uint32_t epoch, uint32_t last_eid, const struct ps_sw_event *ev, size_t n,
    size_t *ret_applied) TNC_MUST_CHECK;

/* The identifiers of the device's inventory without a stored tag, in name
 * order, at most max of them: fn(ctx, name) per identifier (a non-zero
 * return stops and is returned). */
typedef int ps_sw_name_fn(void *ctx, const char *name);
int policy_store_sw_untagged(struct policy_store *s, const char *device, size_t max,
    ps_sw_name_fn *fn, void *ctx) TNC_MUST_CHECK;

/* SWID tags (1..PS_SW_TAG_MAX bytes of XML each, at most PS_SW_TAGS_MAX),
 * replacing an identifier's earlier tag; the identifier is created if new. */
struct ps_sw_tag {
	struct ps_sw_id id;
	const char *tag;
};
int policy_store_sw_tags_store(struct policy_store *s, const struct ps_sw_tag *t, size_t n,
    int64_t now) TNC_MUST_CHECK;

/* A SWIDT / SWIDI policy's rules are its argument: words separated by
 * spaces, "forbid:PACKAGE" (the device must not run it) and
 * "require:PACKAGE" (it must); "" has none.  The word "subscribe" is the
 * IMV's (it asks the IMC for a subscription) and no rule.  NULL when
 * argument reads so, else why not (static text). */
const char *ps_sw_rules_check(const char *argument);

/* The device's inventory against a policy's rules and the vulnerable
 * versions: how many forbidden packages it runs, required ones it lacks,
 * and identifiers at a version marked vulnerable; detail names the first
 * of them ("forbidden telnetd; vulnerable openssl 3.0.9-1 (DSA-5532-1)").
 * fail: any of them.  A device with no inventory has nothing forbidden or
 * vulnerable and lacks every required package. */
struct ps_sw_verdict {
	bool fail;
	uint32_t forbidden, missing, vulnerable, identifiers;
	char detail[PS_SW_DETAIL_MAX];
};
int policy_store_sw_verdict(struct policy_store *s, const char *device, const char *argument,
    struct ps_sw_verdict *ret) TNC_MUST_CHECK;

/* --- the operator's side (tncadm sw) --- */

/* The columns of the listings below (for the header of an empty one). */
enum ps_sw_listing { PS_SW_INVENTORY, PS_SW_EVENTS, PS_SW_DEVICES, PS_SW_AFFECTED };
const struct ps_column *ps_sw_columns(enum ps_sw_listing what, size_t *ret_n);

/* The device's inventory (identifier, package, version, since, tagged),
 * in identifier order; TNC_ENOTFOUND for an unknown device. */
int policy_store_sw_inventory_list(struct policy_store *s, const char *device, ps_row_fn *fn,
    void *ctx) TNC_MUST_CHECK;
/* The device's events with an EID above since_eid (-1: all) in the
 * current epoch (every epoch with since_eid -1), in (epoch, EID) order:
 * epoch, eid, time, action, identifier. */
int policy_store_sw_events_list(struct policy_store *s, const char *device, int64_t since_eid,
    ps_row_fn *fn, void *ctx) TNC_MUST_CHECK;

/* A range of versions in dpkg's order: from (inclusive) and to (inclusive,
 * or exclusive with to_below); NULL: no bound. */
struct ps_sw_range {
	const char *from, *to;
	bool to_below;
};
/* The devices whose inventory has package in range: device, package,
 * version, identifier, in device order. */
int policy_store_sw_devices(struct policy_store *s, const char *package,
    const struct ps_sw_range *range, ps_row_fn *fn, void *ctx) TNC_MUST_CHECK;

/* One advisory's mark: package below version (the first fixed one), or
 * exactly version. */
struct ps_sw_advisory {
	const char *package, *version, *advisory;
	bool exact;
};
/* Marks (at most PS_SW_INVENTORY_MAX) stored with their source (the file
 * they came from); a mark already stored is kept.  *ret_added (may be
 * NULL): the new ones. */
int policy_store_sw_advisories_import(struct policy_store *s, const char *source,
    const struct ps_sw_advisory *a, size_t n, size_t *ret_added) TNC_MUST_CHECK;
/* The devices running a version marked vulnerable, by marks of source
 * (NULL: any): device, package, version, advisory. */
int policy_store_sw_affected(struct policy_store *s, const char *source, ps_row_fn *fn, void *ctx)
    TNC_MUST_CHECK;

#endif
