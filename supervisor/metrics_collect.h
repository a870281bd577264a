/* metrics_collect.h - `tncctl metrics`: every ready child's metrics and
 * tncd's own, in one reply (see metrics_collect.c). */
#ifndef TNC_METRICS_COLLECT_H
#define TNC_METRICS_COLLECT_H

#include <stdbool.h>

#include "tncd.h"

void metrics_collect_init(struct tncd *t);
void metrics_collect_close(void);
/* Starts a collection answering client's request seq; TNC_EAGAIN when
 * too many are under way. */
int metrics_collect_start(struct tncd *t, struct ipc_channel *client,
    uint32_t client_seq) TNC_MUST_CHECK;
/* A child's METRICS, the REPLY to request seq. */
void metrics_collect_reply(struct proc *p, uint32_t seq, struct bytes payload);
/* Whether a tncctl connection waits for a collection (it is not idle). */
bool metrics_collect_busy(const struct ipc_channel *client);
/* The tncctl connection closed: forget its collections. */
void metrics_collect_client_gone(const struct ipc_channel *client);

#endif
