/* tnccs_metrics.h - what tnc-tnccs counts for `tncctl metrics`: sessions by
 * final recommendation, their duration, sessions in flight, PB-TNC batches
 * and bytes each way, PB-TNC errors by code, recommendations per IMV.
 * Counting only: nothing here changes a decision. */
#ifndef TNC_TNCCS_METRICS_H
#define TNC_TNCCS_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

void tnccs_metrics_batch(bool to_client, size_t bytes);
void tnccs_metrics_decided(uint8_t recommendation);
void tnccs_metrics_in_flight(unsigned sessions);
void tnccs_metrics_ended(double seconds);
/* A PB-TNC error we sent (fatal, ending the session), or one the client reported. */
void tnccs_metrics_pb_error(bool from_client, const char *code_name);
void tnccs_metrics_imv_recommendation(const char *imv_name, uint8_t recommendation);

#endif
