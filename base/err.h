/* err.h - the project's one table of error codes.
 *
 * Functions return 0 on success and a negative code on failure: either
 * -errno or one of the TNC_E* codes below.  tnc_strerror() gives the text
 * for both kinds.
 */
#ifndef TNC_ERR_H
#define TNC_ERR_H

#define TNC_ERR_MAP(X)                                                        \
	X(TRUNCATED, -1001, "input ends before a field or length it announces")     \
	X(TOOLONG, -1002, "length exceeds the allowed maximum")                      \
	X(VERSION, -1003, "unsupported version")                                     \
	X(RESERVED, -1004, "reserved bits or fields are not zero")                   \
	X(TYPE, -1005, "unknown or unexpected type")                                 \
	X(TRAILING, -1006, "unexpected bytes after the last field")                  \
	X(INVALID, -1007, "invalid value")                                           \
	X(STATE, -1008, "not allowed in the current state")                         \
	X(AGAIN, -1009, "resource temporarily unavailable (back-pressure)")          \
	X(CLOSED, -1010, "channel closed")                                           \
	X(NOFD, -1011, "frame announces a descriptor that did not arrive")           \
	X(CONFIG, -1012, "configuration error")                                      \
	X(NOTFOUND, -1013, "no such object")                                         \
	X(TIMEOUT, -1014, "timed out")                                               \
	X(SANDBOX, -1015, "sandbox setup failed")                                    \
	X(PEER, -1016, "the peer reported an error")

enum tnc_err {
#define TNC_ERR_ENUM(name, code, text) TNC_E##name = code,
	TNC_ERR_MAP(TNC_ERR_ENUM)
#undef TNC_ERR_ENUM
};

/* Text for a negative TNC_E* code or -errno; never NULL. */
const char *tnc_strerror(int err);

#define TNC_MUST_CHECK __attribute__((warn_unused_result))

#endif
