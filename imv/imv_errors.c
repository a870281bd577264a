/* imv_errors.c - the PA-TNC Error queue (see imv_errors.h). */
#include "imv_errors.h"

#include "log.h"

void
imv_errors_add(struct imv_errors *q, const struct pa_ietf_error *e)
{
	if (q->n < IMV_ERRORS_MAX)
		q->e[q->n++] = *e;
	else
		LOG(IMV, 2, "dropping a PA-TNC error '%s': %u already queued",
		    pa_tnc_error_code_name(e->vendor, e->code), q->n);
}

void
imv_errors_put(const struct imv_errors *q, struct imv_msg *m)
{
	for (unsigned i = 0; i < q->n; i++)
		imv_msg_error(m, &q->e[i]);
}

void
imv_errors_clear(struct imv_errors *q)
{
	q->n = 0;
}
