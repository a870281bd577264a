/* verify.h - tncverify's subcommands and the few helpers they share.
 *
 * Each subcommand lives in verify/verify_<name>.c and exports
 * verify_<name>_main(argc, argv, json): argv[0] is the subcommand's name,
 * the rest are its own arguments (main.c has taken --json out and passes
 * it as json).  It prints its findings on stdout (text lines, or one JSON
 * object when json is set), complaints about the command line or unreadable
 * files on stderr, and returns one of the VERIFY_EXIT_* codes.  main.c
 * dispatches through a table built from VERIFY_COMMANDS.
 */
#ifndef TNC_VERIFY_H
#define TNC_VERIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VERIFY_EXIT_OK 0    /* the evidence verifies */
#define VERIFY_EXIT_FAIL 1  /* it does not, or is malformed: stdout says why */
#define VERIFY_EXIT_USAGE 2 /* bad command line */
#define VERIFY_EXIT_ERROR 3 /* an input could not be read, or an internal error */

/* The largest evidence file tncverify reads. */
#define VERIFY_FILE_MAX (64u << 20)

int verify_eventlog_main(int argc, char **argv, bool json);
int verify_ima_main(int argc, char **argv, bool json);
int verify_quote_main(int argc, char **argv, bool json);

/* X(name, arguments, what it does): one row per subcommand, in the order
 * the usage text lists them; name selects verify_<name>_main. */
#define VERIFY_COMMANDS(X)                                                              \
	X(eventlog, "FILE [--bank ALG]...",                                                 \
	    "replay a TCG PC Client event log: final PCRs per bank, event counts,"         \
	    " startup locality, boot aggregates, problems")                                \
	X(ima, "FILE [--eventlog FILE] [--key PEM]... [--bank ALG]... [--template-hash ALG]" \
	       " [--all] [--db DB [--db-password-file F] --product P]",                     \
	    "replay an IMA measurement list to PCR 10, check template hashes, signatures,"  \
	    " the boot aggregate and (with --db) every file against the reference hashes")  \
	X(quote, "--attest F --sig F --aik PEM --nonce HEX|none [--pcrs F]... [--eventlog F]" \
	         " [--ima F] [--sig-hash ALG]",                                               \
	    "verify a TPM quote (TPMS_ATTEST and signature) against the nonce, the AIK and"   \
	    " the PCRs, and say why not")

/* Reads the whole file at path (at most max bytes) into a new buffer the
 * caller frees.  0, or a negative code after saying why on stderr. */
int verify_read_file(const char *path, size_t max, uint8_t **ret, size_t *ret_len);

/* Lower-case hex of p[0..n) into out, which holds 2n + 1 bytes. */
void verify_hex(const uint8_t *p, size_t n, char *out);

#endif
