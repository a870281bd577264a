/* imc_swima_watch.c - the SWIMA IMC watching the package database for its
 * subscriptions (imc_swima_wait(), see imc_swima.h): the existence, size
 * and modification time of dpkg's logs or the rpm database's file
 * (sw_source_watched()) as last read, looked at again every
 * IMC_SWIMA_WATCH_MS.
 */
#include <sys/stat.h>

#include "deadline.h"
#include "imc_swima_int.h"
#include "log.h"


static struct swima_log_mark
mark_of(const struct imc_swima *imc, size_t i)
{
	char path[4096];
	struct stat st;
	struct swima_log_mark m = {0};

	if (sw_source_watched(&imc->cfg->source, i, path, sizeof(path)) && stat(path, &st) == 0)
		m = (struct swima_log_mark){true, st.st_size, st.st_mtim};
	return m;
}

void
swima_mark_logs(struct imc_swima *imc)
{
	for (size_t i = 0; i < SW_SOURCE_WATCHED; i++)
		imc->marks[i] = mark_of(imc, i);
}

static bool
logs_changed(const struct imc_swima *imc)
{
	for (size_t i = 0; i < SW_SOURCE_WATCHED; i++) {
		struct swima_log_mark m = mark_of(imc, i), o = imc->marks[i];
		if (m.exists != o.exists || m.size != o.size || m.mtime.tv_sec != o.mtime.tv_sec ||
		    m.mtime.tv_nsec != o.mtime.tv_nsec)
			return true;
	}
	return false;
}

bool
imc_swima_wait(struct imc_swima *imc, int64_t until_ms)
{
	int64_t now;

	LOG(IMV, 1, "IMC %u \"%s\" watches the %s database for %zu subscriptions for up to "
	    "%lld ms", IMC_SWIMA_ID, SWIMA_IMC_NAME, sw_source_name(&imc->cfg->source),
	    imc_swima_subscriptions(imc),
	    (long long)(until_ms - deadline_now_ms()));
	while ((now = deadline_now_ms()) < until_ms) {
		int64_t left = until_ms - now;
		if (deadline_sleep_ms(left < IMC_SWIMA_WATCH_MS ? (unsigned)left : IMC_SWIMA_WATCH_MS))
			return false;
		if (!logs_changed(imc))
			continue;
		swima_forget(imc);
		if (imc_swima_poll(imc))
			return true;
	}
	return false;
}
