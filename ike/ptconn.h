/* ptconn.h - one PT-TLS connection of pt_tls_server.c, as sasl_server.c
 * sees it too; its tnc-tnccs side is the embedded struct tnccs_conn. */
#ifndef TNC_PTCONN_H
#define TNC_PTCONN_H

#include <stdbool.h>
#include <stdint.h>

#include "source_limit.h"
#include "tls_conn.h"
#include "tnccs_link.h"

enum ptc_state {
	PTC_TLS,
	PTC_NEGOTIATE,      /* waits for the Version Request */
	PTC_SASL_SELECTION, /* waits for the SASL Mechanism Selection */
	PTC_SASL_RESPONSE,  /* waits for the SASL Authentication Data (the PLAIN message) */
	PTC_DATA,
	PTC_CLOSING,
};

struct ptconn {
	struct tnccs_conn link;     /* first: tnccs_link hands it back; its id is the
	                             * TNCCS Connection ID */
	struct tls_conn *tls;       /* NULL once the client is gone */
	struct source_key source;
	enum ptc_state state;
	uint32_t next_msg_id;
	char sasl_user[256];        /* SASL-authenticated identity; empty: none */
	uint8_t *rx;                /* received, not yet handled: at most a partial message */
	size_t rx_len, rx_cap;
	uint64_t accepted_at;       /* loop time, ms */
	uint64_t active_at;         /* last complete PT-TLS message either way */
	uint64_t partial_at;        /* first byte of the unfinished message; 0: none */
};

#endif
