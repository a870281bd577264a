/* deadline.c - the client's overall deadline (see deadline.h). */
#include "deadline.h"

#include <errno.h>
#include <time.h>

#include "err.h"

static int64_t deadline_ms = INT64_MAX;

int64_t
deadline_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void
deadline_set(int64_t ms)
{
	deadline_ms = deadline_now_ms() + ms;
}

int
deadline_left_ms(void)
{
	int64_t left = deadline_ms - deadline_now_ms();
	if (left <= 0)
		return 0;
	return left > INT32_MAX ? INT32_MAX : (int)left;
}

int
deadline_sleep_ms(unsigned ms)
{
	int left = deadline_left_ms();
	int cut = (int64_t)ms > left;
	int64_t wait = cut ? left : (int64_t)ms;
	struct timespec ts = {(time_t)(wait / 1000), (long)(wait % 1000) * 1000000};

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
	return cut ? TNC_ETIMEOUT : 0;
}
