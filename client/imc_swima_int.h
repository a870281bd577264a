/* imc_swima_int.h - the SWIMA IMC's state and the functions its files
 * share (imc_swima.c: lifecycle and requests; imc_swima_fulfill.c: the
 * answers; imc_swima_subs.c: subscriptions; imc_swima_watch.c: the package
 * database watched).  Not for other users.
 */
#ifndef TNC_IMC_SWIMA_INT_H
#define TNC_IMC_SWIMA_INT_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "imc_reply.h"
#include "imc_segments.h"
#include "imc_swima.h"
#include "imc_swima_answer.h"
#include "pa_swima.h"

#define SWIMA_IMC_NAME "SWIMA"
/* Our PA-TNC messages: within one PB-TNC batch of the client. */
#define SWIMA_MSG_MAX (16u * 1024 * 1024 - 1024)
#define SWIMA_REASON_MAX 512

struct swima_subscription {
	bool used;
	uint16_t imv;
	uint32_t id;            /* the establishing request's Request ID */
	uint8_t flags;          /* its flags (R says which attributes) */
	uint32_t earliest_eid;  /* its Earliest EID, for Subscription Status */
	uint32_t count;         /* its targeted identifiers ... */
	uint8_t *ids;           /* ... as encoded in it (a copy) */
	size_t ids_len;
	uint32_t epoch, last_eid; /* reported up to here */
};

/* A watched file (sw_source_watched()) as last read, to see it change. */
struct swima_log_mark {
	bool exists;
	off_t size;
	struct timespec mtime;
};

struct imc_swima {
	const struct imc_swima_config *cfg;
	struct swima_log_mark marks[SW_SOURCE_WATCHED];
	struct imc_segments segs;
	struct swima_subscription subs[IMC_SWIMA_SUBSCRIPTIONS];
	struct imc_msgq queue;
};

/* The answer to one PA message from an IMV (or a subscription's report). */
struct swima_reply {
	struct imc_swima *imc;
	struct imc_reply out;
};

/* A reply to imv. */
void swima_reply_init(struct swima_reply *r, struct imc_swima *imc, uint16_t imv);
/* Contracts, segments and unsent answers belong to one handshake;
 * subscriptions stay. */
void swima_forget(struct imc_swima *imc);

/* A SWIMA error answering request_id (a subscription's ID for a
 * fulfillment error); e's code and other fields are the caller's. */
void swima_error(struct swima_reply *r, struct pa_swima_error *e, const char *why);
/* Reads the event history; false (and a SWIMA error sent) if it cannot. */
bool swima_load_events(struct swima_reply *r, struct sw_events *ev, uint32_t request_id);
/* Answers a request: events from earliest_eid, else the inventory; *a
 * gets the epoch and Last EID reported.  false: no event history (a SWIMA
 * error answered). */
bool swima_fulfill(struct swima_reply *r, uint32_t earliest_eid,
    const struct imc_swima_targets *t, struct imc_swima_answer *a);
/* The events ev->v[first .. first + count) that t names. */
void swima_answer_events(struct swima_reply *r, const struct sw_events *ev, size_t first,
    size_t count, const struct imc_swima_targets *t, struct imc_swima_answer *a);

struct swima_subscription *swima_find_subscription(struct imc_swima *imc, uint16_t imv,
    uint32_t id);
/* A new subscription for req, or NULL with the error sent. */
struct swima_subscription *swima_subscribe(struct swima_reply *r,
    const struct pa_swima_request *req);
void swima_drop_subscription(struct swima_subscription *s);
/* Drops the subscriptions of imv. */
void swima_clear_subscriptions(struct imc_swima *imc, uint16_t imv);
/* Subscription Status Request: answered with r's IMV's subscriptions. */
int swima_on_subscription_status(struct swima_reply *r, struct bytes value,
    struct parse_error *pe);

/* Notes the watched files as they are now (their event history is being read). */
void swima_mark_logs(struct imc_swima *imc);

#endif
