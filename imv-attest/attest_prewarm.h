/* attest_prewarm.h - what OpenSSL loads on first use, loaded before the
 * sandbox: after it the IMV may open no file (seccomp has no openat). */
#ifndef TNC_ATTEST_PREWARM_H
#define TNC_ATTEST_PREWARM_H

/* 0, or TNC_EINVALID when OpenSSL cannot be initialised. */
int attest_prewarm(void);

#endif
