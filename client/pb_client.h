/* pb_client.h - the Posture Broker Client's state machine (RFC 5793 3.2)
 * over a batch transport (PT-TLS, or EAP-TNC in IKEv2): CDATA with the
 * language preference and the IMC's first message; SDATA answered with
 * CDATA; SRETRY restarts the handshake; RESULT is recorded in the outcome
 * and answered with CLOSE (or, with watch_ms, CRETRY once a SWIMA
 * subscription's events come); CLOSE from the server ends the run (with
 * its PB-Error reported).  Batch types are checked per state; a bad batch
 * is answered with a fatal PB-Error in a CLOSE batch.
 */
#ifndef TNC_PB_CLIENT_H
#define TNC_PB_CLIENT_H

#include <stdint.h>

#include "err.h"
#include "imc_attest.h"
#include "imc_os.h"
#include "imc_swima.h"
#include "outcome.h"
#include "wire.h"

/* Our batches; the server's are taken up to the transport's max_batch. */
#define PB_CLIENT_MAX_BATCH (16u * 1024 * 1024)

/* How the batches travel: PT-TLS messages (main.c) or EAP-TNC in IKEv2
 * (ike_mode.c).  Both calls block, within the client's deadline. */
struct pb_transport {
	int (*send_batch)(void *arg, struct bytes batch);
	/* The server's next batch; *ret is valid until the next call. */
	int (*recv_batch)(void *arg, struct bytes *ret);
	void *arg;
	size_t max_batch; /* bound on a batch of the server's */
};

enum pb_client_state {
	PB_CLIENT_INIT,
	PB_CLIENT_SERVER_WORKING,
	PB_CLIENT_CLIENT_WORKING,
	PB_CLIENT_DECIDED,
	PB_CLIENT_END,
};

struct pb_client {
	struct pb_transport transport;
	struct imc_os *imc; /* borrowed, like out */
	struct imc_attest *attest; /* NULL without the attestation IMC; set after init */
	struct imc_swima *swima;   /* NULL without the SWIMA IMC; set after init */
	/* After a result, while the SWIMA IMC holds a subscription: how long
	 * (from the first result) to wait for its events, sent in a CRETRY
	 * batch that starts a new handshake; 0: CLOSE at once.  Set after init. */
	unsigned watch_ms;
	int64_t watch_until;
	struct outcome *out;
	unsigned delay_ms; /* before each CDATA after the first */
	enum pb_client_state state;
	unsigned cdata_sent;
	/* The last PB-Error the server sent (have_error), for the report. */
	bool have_error;
	struct pb_error error;
};

void pb_client_init(struct pb_client *pb, const struct pb_transport *t, struct imc_os *imc,
    struct outcome *out, unsigned delay_ms);
/* Runs the exchange: 0 once a RESULT batch was recorded and CLOSE sent;
 * TNC_EPEER after a server CLOSE (pb->error holds its PB-Error if any), or
 * the transport's or the parser's error. */
int pb_client_run(struct pb_client *pb) TNC_MUST_CHECK;

#endif
