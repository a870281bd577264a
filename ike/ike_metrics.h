/* ike_metrics.h - what tnc-ike counts for `tncctl metrics`: PT-TLS errors it
 * sends, by code, and connections it refuses or ends, by reason.  Counting
 * only: nothing here changes what happens to a connection. */
#ifndef TNC_IKE_METRICS_H
#define TNC_IKE_METRICS_H

#include <stdint.h>

void ike_metrics_pt_tls_error(uint32_t code);
/* reason: a short word, "address_limit", "handshake_timeout", ... */
void ike_metrics_refused(const char *reason);

#endif
