/* ike_metrics.c - see ike_metrics.h. */
#include "ike_metrics.h"

#include "metrics.h"
#include "pt_tls.h"

METRIC_FAMILY(pt_tls_errors, "tnc_pt_tls_errors_total", METRIC_COUNTER,
    "PT-TLS errors tnc-ike sent, by code.", "code");
METRIC_FAMILY(refused, "tnc_connections_refused_total", METRIC_COUNTER,
    "PT-TLS connections tnc-ike refused or ended before their assessment, by reason.",
    "reason");

METRIC_FAMILY(ike_sa_refused, "tnc_ike_sa_refused_total", METRIC_COUNTER,
    "IKE_SA_INIT requests tnc-ike refused before making an IKE SA, by reason.", "reason");

void
ike_metrics_pt_tls_error(uint32_t code)
{
	metric_add(&pt_tls_errors, pt_tls_error_code_name(PT_TLS_VENDOR_IETF, code), 1);
}

void
ike_metrics_refused(const char *reason)
{
	metric_add(&refused, reason, 1);
}

void
ike_metrics_ike_sa_refused(const char *reason)
{
	metric_add(&ike_sa_refused, reason, 1);
}
