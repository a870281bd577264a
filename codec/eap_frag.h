/* eap_frag.h - the Flags/Version octet, Message Length and fragmentation
 * shared by EAP-TTLS (RFC 5281 9.1, 9.2.2) and EAP-TNC / PT-EAP (RFC 7171
 * 3.1; TCG IF-T for Tunneled EAP): one implementation for both.
 *
 * Type-Data layout:  Flags (L M S R R) | Ver (3 bits)
 *                    [Message Length, 4 octets, when L]
 *                    Data (a fragment of the message)
 *
 * struct eap_reasm reassembles received fragments into one message under a
 * hard bound; struct eap_fragmenter cuts an outgoing message into packets.
 * Pure: no I/O, no logging, no globals.
 */
#ifndef TNC_EAP_FRAG_H
#define TNC_EAP_FRAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "eap.h"
#include "err.h"
#include "wire.h"

#define EAP_FRAG_FLAG_L 0x80 /* Message Length included */
#define EAP_FRAG_FLAG_M 0x40 /* more fragments follow */
#define EAP_FRAG_FLAG_S 0x20 /* start */
#define EAP_FRAG_FLAGS_MASK 0xe0
#define EAP_FRAG_VERSION_MASK 0x07
#define EAP_FRAG_LENGTH_LEN 4

/* One received packet's Type-Data; views into the parsed packet. */
struct eap_frag {
	uint8_t flags;   /* EAP_FRAG_FLAG_*; the reserved bits are ignored */
	uint8_t version; /* the low 3 bits */
	uint32_t msg_len; /* Message Length, when flags has L */
	struct bytes data;
	size_t flags_offset; /* from the start of the EAP packet */
	size_t data_offset;
};

/* Decodes the Type-Data of p (Request or Response of any type using this
 * layout): the Flags/Version octet present, the Message Length complete
 * when L is set.  Version and type are the caller's to check. */
int eap_frag_parse(const struct eap_packet *p, struct eap_frag *ret,
    struct parse_error *ret_err) TNC_MUST_CHECK;

/* A packet with no flags and no data: the acknowledgement of a fragment
 * (RFC 5281 9.2.2). */
bool eap_frag_is_ack(const struct eap_frag *f);

/* Appends a whole EAP packet of type whose Type-Data is f: f->flags (with
 * the reserved bits cleared), f->version, the Message Length when L, and
 * f->data.  Offsets are ignored. */
void eap_frag_put(struct wire_writer *w, uint8_t code, uint8_t id, uint8_t type,
    const struct eap_frag *f);

enum eap_reasm_state {
	EAP_REASM_IDLE,     /* waiting for a message or its first fragment */
	EAP_REASM_PARTIAL,  /* fragments received, more announced */
	EAP_REASM_COMPLETE, /* eap_reasm_message() holds a whole message */
	EAP_REASM_FAILED,   /* a fragment was refused; nothing more is taken */
};

struct eap_reasm {
	size_t max_len;         /* bound on a message, checked on first sight */
	/* Set by the caller after eap_reasm_init() (which clears it): a first
	 * fragment with M but no L starts a message whose end is the fragment
	 * without M, bounded by max_len.  strongSwan's EAP-TNC and PT-EAP
	 * fragment so; RFC 5281 9.2.2 wants L, so EAP-TTLS leaves it clear. */
	bool length_optional;
	bool unannounced;       /* the message in progress came without L */
	/* Its length (max_len when unannounced), once its first fragment is in. */
	size_t total;
	struct wire_writer msg; /* what arrived so far */
	enum eap_reasm_state state;
};

void eap_reasm_init(struct eap_reasm *r, size_t max_len);
void eap_reasm_clear(struct eap_reasm *r);

/* Takes one received fragment.  0 with *ret_complete set: the message is
 * whole (eap_reasm_message()); 0 with it clear: acknowledge and wait for
 * the next fragment.  Refused, with the field's offset in the packet: a
 * first fragment with M but no L (unless length_optional; then L on a
 * later fragment, or data past max_len); a Message Length over max_len,
 * shorter than the data, or different from the first one's; an unfragmented
 * message whose Message Length is not its data length; S or an empty
 * fragment inside a message; data past the Message Length; M on the
 * fragment that completes the message or missing before it is complete;
 * anything after the last fragment before eap_reasm_next().  A refusal
 * leaves the reassembler FAILED. */
int eap_reasm_add(struct eap_reasm *r, const struct eap_frag *f, bool *ret_complete,
    struct parse_error *ret_err) TNC_MUST_CHECK;

/* The complete message (state COMPLETE), valid until the next call on r. */
struct bytes eap_reasm_message(const struct eap_reasm *r);

/* Drops the complete message: ready for the next one. */
void eap_reasm_next(struct eap_reasm *r);

/* Cuts msg (borrowed; must outlive the fragmenter) into packets carrying at
 * most max_data octets of it each.  A message that fits is sent in one
 * packet without L; otherwise the first fragment has L with the total and
 * every fragment but the last has M. */
struct eap_fragmenter {
	struct bytes msg;
	size_t max_data;
	size_t sent;
	bool started;
};

void eap_fragmenter_init(struct eap_fragmenter *f, struct bytes msg, size_t max_data);
/* Whether every fragment has been put. */
bool eap_fragmenter_done(const struct eap_fragmenter *f);
/* Appends the packet with the next fragment.  extra_flags (EAP_FRAG_FLAG_S)
 * go on the first fragment only.  Fails the writer with TNC_EINVALID when
 * max_data is 0 or everything has been put, TNC_ETOOLONG when msg does not
 * fit the 32-bit Message Length. */
void eap_fragmenter_put(struct eap_fragmenter *f, struct wire_writer *w, uint8_t code,
    uint8_t id, uint8_t type, uint8_t version, uint8_t extra_flags);

#endif
