/* imc_swima.h - the SWIMA IMC (collector ID 2, as strongSwan's): answers
 * PA messages of subtype IETF/SWIMA (RFC 8412) with this endpoint's
 * inventory and event history from dpkg or rpm (sw_source.h).
 *
 * A SWIMA Request is answered to its IMV (EXCL):
 *   Earliest EID 0    the inventory, with the event history's EID Epoch
 *                     and Last EID;
 *   Earliest EID E    the events from E on, in the current epoch (the
 *                     request names none: the IMV compares the answer's
 *                     epoch with its own); when some of them are no longer
 *                     kept, the whole inventory instead, so the IMV's view
 *                     is never left with a hole;
 *   R flag            Software Identifier Inventory / Events, else
 *                     Software Inventory / Events with the generated tags;
 *   targeted IDs      only those (unknown ones left out);
 *   S flag            also a subscription (at most IMC_SWIMA_SUBSCRIPTIONS,
 *                     its ID the Request ID, a reused one refused with
 *                     SWIMA Subscription ID Reuse): whenever a later
 *                     handshake of the session starts (or
 *                     imc_swima_wait() sees the package database
 *                     change), the new events it names go to its IMV as
 *                     Software [Identifier] Events with the Subscription
 *                     ID;
 *   C flag            clears that IMV's subscriptions (S is then ignored).
 * Subscription Status Request is answered.  An answer larger than the
 * IMV's Maximum Message Size (TCG IF-M Segmentation contract) or than the
 * IMC sends is refused with SWIMA Response Too Large; one larger than the
 * contract's segment size goes out in Segment Envelopes, the first with
 * the answer and each next one on Next Segment.  A package database or log
 * that cannot be read gives SWIMA Error with the reason.  A malformed
 * message or value is answered with an IETF PA-TNC Error (RFC 5792 4.2.8).
 * Diagnostics: IMV subsystem (shown as IMC by tncclient).
 */
#ifndef TNC_IMC_SWIMA_H
#define TNC_IMC_SWIMA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "imc_msgq.h"
#include "os_facts.h"
#include "pb_tnc.h"
#include "sw_events.h"
#include "sw_inventory.h"
#include "sw_source.h"

#define IMC_SWIMA_ID 2
#define IMC_SWIMA_VENDOR PB_VENDOR_IETF
#define IMC_SWIMA_SUBTYPE 9 /* IETF PA subtype SWIMA */
#define IMC_SWIMA_SUBSCRIPTIONS 8
#define IMC_SWIMA_DPKG_STATUS "/var/lib/dpkg/status"
#define IMC_SWIMA_ENTITY "tncclient"
/* The largest answer attribute, segmented or not. */
#define IMC_SWIMA_ANSWER_MAX (64u << 20)
#define IMC_SWIMA_WATCH_MS 200

struct imc_swima_config {
	struct sw_source source; /* its kind dpkg or rpm */
	struct sw_naming naming;
	char regid[OS_FACTS_TEXT_MAX + 4];
};

/* This endpoint's configuration: the tags named after facts' product and
 * version, their regid "<product's first word in lower case>.org"
 * ("debian.org" for "Debian GNU/Linux", as in the strongSwan session of
 * the test data; "unknown.org" without a product) for dpkg and rpm alike,
 * IMC_SWIMA_ENTITY their creator; src's kind (AUTO chosen here,
 * sw_source_choose()) and files, NULL ones for the defaults
 * (IMC_SWIMA_DPKG_STATUS, sw_events_system's logs and state for dpkg,
 * sw_rpm_events_state for rpm).  facts and src's strings must outlive
 * cfg. */
void imc_swima_config_init(struct imc_swima_config *cfg, const struct os_facts *facts,
    const struct sw_source *src);

struct imc_swima;

/* cfg (and the strings it points to) is borrowed and must outlive the
 * IMC; the files are read for each request. */
struct imc_swima *imc_swima_new(const struct imc_swima_config *cfg);
void imc_swima_free(struct imc_swima *imc);
/* A new handshake: forgets contracts, segments and unsent answers, then
 * queues what the subscriptions owe since their last report. */
void imc_swima_begin_handshake(struct imc_swima *imc);
/* Queues the events subscriptions owe; true when something was queued. */
bool imc_swima_poll(struct imc_swima *imc);
/* After a result (tncclient --swima-watch): waits until the dpkg logs or
 * the rpm database change (sw_source_watched()) and the subscriptions owe
 * events, which are queued as at the start of a handshake (true), or until
 * until_ms (deadline_now_ms()'s clock) or the run's deadline passes
 * (false).  The files are looked at every IMC_SWIMA_WATCH_MS. */
bool imc_swima_wait(struct imc_swima *imc, int64_t until_ms);
/* true when pa is addressed to this IMC (vendor, subtype, EXCL). */
bool imc_swima_wants(const struct pb_pa *pa);
/* Processes one PA message from the server; the answer is queued. */
void imc_swima_receive(struct imc_swima *imc, const struct pb_pa *pa);
/* The queued messages, oldest first; the caller frees each with free(). */
struct imc_msg *imc_swima_take(struct imc_swima *imc);
/* Drops everything queued (the assessment ended). */
void imc_swima_drop(struct imc_swima *imc);
/* The subscriptions held. */
size_t imc_swima_subscriptions(const struct imc_swima *imc);

#endif
