/* eap_tnc.h - the two EAP methods that carry PB-TNC batches inside an EAP
 * tunnel method (EAP-TTLS here):
 *
 *  - EAP-TNC, type 38 (TCG IF-T: Protocol Bindings for Tunneled EAP
 *    Methods), version 1: Flags L M S and the Message Length as in
 *    EAP-TTLS, so a batch of any size is fragmented and reassembled with
 *    eap_frag.h (struct eap_fragmenter / struct eap_reasm);
 *  - PT-EAP, type 54 (RFC 7171 3.1), version 1: one flag, S, in the top
 *    bit, no Message Length and no fragmentation; the Data is the whole
 *    batch, so a batch must fit one EAP packet.
 *
 * The batch itself is pb_batch_parse()'s to validate.  Offsets in struct
 * parse_error count from the start of the EAP packet.  Pure: no I/O, no
 * logging, no globals.
 */
#ifndef TNC_EAP_TNC_H
#define TNC_EAP_TNC_H

#include <stddef.h>
#include <stdint.h>

#include "eap.h"
#include "eap_frag.h"
#include "err.h"
#include "wire.h"

#define EAP_TNC_VERSION 1
#define PT_EAP_VERSION 1
#define PT_EAP_FLAG_S 0x80
#define PT_EAP_FLAGS_MASK 0xf8
/* Code, Identifier, Length, Type, Flags/Version. */
#define PT_EAP_HEADER_LEN 6
#define PT_EAP_MAX_BATCH (EAP_MAX_LEN - PT_EAP_HEADER_LEN)

/* EAP-TNC (type 38): type and version 1 checked (TNC_ETYPE, TNC_EVERSION),
 * then as eap_frag_parse(). */
int eap_tnc_parse(const struct eap_packet *p, struct eap_frag *ret,
    struct parse_error *ret_err) TNC_MUST_CHECK;

/* A PT-EAP packet's Type-Data; batch views the parsed packet. */
struct pt_eap {
	uint8_t flags; /* PT_EAP_FLAG_S; the reserved bits are ignored */
	uint8_t version;
	struct bytes batch; /* empty in a Start or an acknowledgement */
	size_t batch_offset;
};

/* PT-EAP (type 54): type, flags octet present, version 1. */
int pt_eap_parse(const struct eap_packet *p, struct pt_eap *ret,
    struct parse_error *ret_err) TNC_MUST_CHECK;

/* Appends a PT-EAP packet (version 1) with flags (PT_EAP_FLAG_S or 0) and
 * the batch; a batch over PT_EAP_MAX_BATCH fails the writer with
 * TNC_ETOOLONG. */
void pt_eap_put(struct wire_writer *w, uint8_t code, uint8_t id, uint8_t flags,
    struct bytes batch);

#endif
