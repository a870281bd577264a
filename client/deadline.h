/* deadline.h - the client's one overall deadline on the monotonic clock.
 *
 * main() sets it once from --timeout; every blocking step (connect, TLS,
 * reads, writes, the --delay-ms sleeps) asks how much of it is left.
 */
#ifndef TNC_DEADLINE_H
#define TNC_DEADLINE_H

#include <stdint.h>

/* Milliseconds on CLOCK_MONOTONIC. */
int64_t deadline_now_ms(void);
/* Sets the deadline to now + ms. */
void deadline_set(int64_t ms);
/* Milliseconds left (0 when expired), capped at INT32_MAX for poll(). */
int deadline_left_ms(void);
/* Sleeps ms milliseconds or until the deadline, whichever comes first;
 * TNC_ETIMEOUT when the deadline cut it short. */
int deadline_sleep_ms(unsigned ms);

#endif
