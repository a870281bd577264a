/* imc_os.h - the OS IMC (collector ID 1): answers PA messages of subtype
 * IETF/Operating System (RFC 5792) with facts of this machine (os_facts.h).
 *
 * At the start of each handshake it queues its unsolicited first message
 * (Product Information, String Version, Numeric Version, Operational
 * Status, Forwarding Enabled, Factory Default Password Enabled, ITA-HSR
 * Device ID).  Later it answers Attribute Requests, TCG segmentation
 * contracts and Next Segment requests, and hands the IMVs' Assessment Result
 * and Remediation Instructions to the outcome.  The PB client takes what it
 * queued with imc_os_take() for its next CDATA batch.
 */
#ifndef TNC_IMC_OS_H
#define TNC_IMC_OS_H

#include <stddef.h>
#include <stdint.h>

#include "imc_msgq.h"
#include "os_facts.h"
#include "outcome.h"
#include "pb_tnc.h"

#define IMC_OS_ID 1
#define IMC_OS_VENDOR PB_VENDOR_IETF
#define IMC_OS_SUBTYPE 1 /* IETF PA subtype Operating System */

struct imc_os;

/* facts and out are borrowed and must outlive the IMC. */
struct imc_os *imc_os_new(const struct os_facts *facts, struct outcome *out);
void imc_os_free(struct imc_os *imc);
/* A new handshake (the first, or after SRETRY): forgets contracts and
 * pending segments and queues the first message. */
void imc_os_begin_handshake(struct imc_os *imc);
/* true when pa is addressed to this IMC (vendor, subtype, EXCL). */
bool imc_os_wants(const struct pb_pa *pa);
/* Processes one PA message from the server; answers are queued. */
void imc_os_receive(struct imc_os *imc, const struct pb_pa *pa);
/* The queued messages, oldest first; the caller frees each with free(). */
struct imc_msg *imc_os_take(struct imc_os *imc);
/* Drops everything queued (the assessment ended). */
void imc_os_drop(struct imc_os *imc);

#endif
