/* ike_metrics.h - what tnc-ike counts for `tncctl metrics`: PT-TLS errors it
 * sends, by code, connections it refuses or ends and IKE SAs it does not
 * make, by reason.  Counting only: nothing here changes what happens to a
 * connection. */
#ifndef TNC_IKE_METRICS_H
#define TNC_IKE_METRICS_H

#include <stdint.h>

void ike_metrics_pt_tls_error(uint32_t code);
/* reason: a short word, "address_limit", "handshake_timeout", ... */
void ike_metrics_refused(const char *reason);
/* An IKE_SA_INIT request refused before an SA was made: "ike_sa_limit",
 * "half_open_limit", "address_limit", "half_open_address_limit". */
void ike_metrics_ike_sa_refused(const char *reason);

#endif
