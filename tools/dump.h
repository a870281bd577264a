/* dump.h - tncdump's decoder: tells what the input is and prints it as a
 * tree (tree.h) through the codecs of codec/.  No I/O besides the output
 * stream, so tests run it in-process on a memory buffer. */
#ifndef TNC_DUMP_H
#define TNC_DUMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "dump_ikev2.h"
#include "err.h"

/* The largest input tncdump reads. */
#define DUMP_MAX_INPUT ((size_t)16 << 20)

enum dump_format {
	DUMP_AUTO,   /* detect (dump_detect()) */
	DUMP_PB,     /* one PB-TNC batch */
	DUMP_PA,     /* one PA-TNC message */
	DUMP_PT_TLS, /* a stream of PT-TLS messages */
	DUMP_IKEV2,  /* one IKEv2 message (a UDP payload, non-ESP marker allowed) */
	DUMP_EAP,    /* EAP packets back to back */
	DUMP_TTLS,   /* tunneled EAP-TTLS data (AVPs); never detected */
};

struct dump_opts {
	enum dump_format as;
	bool all; /* lists and hex values in full */
	struct dump_sk sk; /* SK / SKF layout; unset: sizes only */
};

/* "pb", "pa", "pt-tls", "ikev2", "eap" or "ttls" into *ret; TNC_EINVALID
 * for anything else. */
int dump_format_parse(const char *name, enum dump_format *ret) TNC_MUST_CHECK;

/* What buf[0..len) is.  *ret_sure is true when it is well-formed as that
 * format (PB-TNC: version 2 and Batch Length = len; PT-TLS: messages with
 * Reserved 0 and a Message Length of at least 16 ending exactly at len;
 * PA-TNC: version 1 and attributes walking to the end; IKEv2: a header
 * Length = len, after a non-ESP marker or not; EAP: packets eap_parse()
 * takes ending exactly at len); otherwise the format is guessed from the
 * first octet (0, 1, 2 for PT-TLS, PA-TNC, PB-TNC) and DUMP_AUTO means
 * none fits. */
enum dump_format dump_detect(const uint8_t *buf, size_t len, bool *ret_sure);

/* Prints buf[0..len) to out as o says; returns the exit status: 0 when
 * everything decoded, 1 when an error line was printed. */
int dump_input(FILE *out, const uint8_t *buf, size_t len, const struct dump_opts *o);

#endif
