/* dump_eap.h - prints EAP packets (RFC 3748) for tncdump, validated by
 * codec/eap*.h: the method's fields, EAP-TTLS and EAP-TNC fragments
 * reassembled across packets, the Diameter AVPs of tunneled EAP-TTLS data
 * (RFC 5281 10) with the tunneled EAP packet, and the PB-TNC batch an
 * EAP-TNC or PT-EAP message carries (dump_pb.h). */
#ifndef TNC_DUMP_EAP_H
#define TNC_DUMP_EAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tree.h"

/* Whether buf[0..len) is EAP packets back to back, each accepted by
 * eap_parse() and the last ending exactly at len. */
bool dump_eap_looks(const uint8_t *buf, size_t len);

/* The packets of stream (a view into the input), one after the other by
 * their Length; fragments of one side's EAP-TTLS or EAP-TNC message are
 * reassembled and the message printed after its last fragment, with
 * offsets counted from the message's first octet.  A packet eap_parse()
 * refuses ends the dump (its Length cannot be trusted); a method's refusal
 * gets an error line and the next packet follows. */
void dump_eap_stream(struct tree *t, struct bytes stream);

/* One EAP packet (the EAP payload of an IKEv2 message); a first fragment
 * alone is shown as such, not as an error. */
void dump_eap_packet(struct tree *t, struct bytes packet);

/* Tunneled EAP-TTLS data (the TLS plaintext): its AVPs, an EAP-Message's
 * packet one level down (a tunnel inside that is shown as hex). */
void dump_ttls_avps(struct tree *t, struct bytes data);

#endif
