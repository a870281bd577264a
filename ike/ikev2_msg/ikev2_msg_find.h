/* ikev2_msg_find.h - looking things up in parsed IKE messages, the same
 * for both ends: payloads, error notifications, the Encrypted payload, and
 * the NAT detection hashes (RFC 7296 2.23). */
#ifndef TNC_IKEV2_MSG_FIND_H
#define TNC_IKEV2_MSG_FIND_H

#include <stdbool.h>
#include <stdint.h>

#include "ikev2.h"

/* SKF's Fragment Number and Total Fragments, before the IV. */
#define IKEV2_SKF_FIELDS_LEN 4

/* The first payload of type in c (with notify type ntype for NOTIFY). */
bool ikev2_find(const struct ikev2_chain *c, uint8_t type, uint16_t ntype,
    struct ikev2_payload *ret);
/* The first error notification (type below 16384) in c, or 0. */
uint16_t ikev2_error_notify(const struct ikev2_chain *c);
/* The Encrypted payload (SK or SKF) ending m's chain, or false. */
bool ikev2_find_sk(const struct ikev2_msg *m, struct ikev2_payload *ret);
/* SHA-1(SPIi | SPIr | IP | Port) of an endpoint; false when libcrypto fails. */
bool ikev2_natd_hash(uint64_t spi_i, uint64_t spi_r, const uint8_t *addr, size_t addr_len,
    uint16_t port, uint8_t out[IKEV2_NATD_LEN]);

#endif
