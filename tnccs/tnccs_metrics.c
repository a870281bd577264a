/* tnccs_metrics.c - see tnccs_metrics.h. */
#include "tnccs_metrics.h"

#include <stdio.h>

#include "ipc_msg.h"
#include "metrics.h"

static const double duration_bounds[] = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5,
    10, 30, 60};

METRIC_FAMILY(decided, "tnc_sessions_decided_total", METRIC_COUNTER,
    "Assessments decided, by final access recommendation.", "recommendation");
METRIC_HISTOGRAM_FAMILY(duration, "tnc_session_duration_seconds",
    "Time from TNCCS_OPEN to the end of the connection in tnc-tnccs.", duration_bounds);
METRIC_FAMILY(in_flight, "tnc_sessions_in_flight", METRIC_GAUGE,
    "TNCCS connections tnc-tnccs holds now.", NULL);
METRIC_FAMILY(batches, "tnc_pb_tnc_batches_total", METRIC_COUNTER,
    "PB-TNC batches, by direction.", "direction");
METRIC_FAMILY(batch_bytes, "tnc_pb_tnc_bytes_total", METRIC_COUNTER,
    "PB-TNC batch bytes, by direction.", "direction");
METRIC_FAMILY(pb_errors, "tnc_pb_tnc_errors_total", METRIC_COUNTER,
    "PB-TNC errors, by who reported them and error code.", "from,code");
METRIC_FAMILY(imv_recs, "tnc_imv_recommendations_total", METRIC_COUNTER,
    "Recommendations the IMVs gave, by IMV and recommendation.", "imv,recommendation");

static const char *
direction(bool to_client)
{
	return to_client ? "to_client" : "from_client";
}

void
tnccs_metrics_batch(bool to_client, size_t bytes)
{
	metric_add(&batches, direction(to_client), 1);
	metric_add(&batch_bytes, direction(to_client), (double)bytes);
}

void
tnccs_metrics_decided(uint8_t recommendation)
{
	metric_add(&decided, imv_recommendation_name(recommendation), 1);
}

void
tnccs_metrics_in_flight(unsigned sessions)
{
	metric_set(&in_flight, NULL, sessions);
}

void
tnccs_metrics_ended(double seconds)
{
	metric_observe(&duration, seconds);
}

void
tnccs_metrics_pb_error(bool from_client, const char *code_name)
{
	char label[METRIC_LABEL_LEN];
	snprintf(label, sizeof(label), "%s,%s", from_client ? "client" : "server", code_name);
	metric_add(&pb_errors, label, 1);
}

void
tnccs_metrics_imv_recommendation(const char *imv_name, uint8_t recommendation)
{
	char label[METRIC_LABEL_LEN];
	snprintf(label, sizeof(label), "%s,%s", imv_name, imv_recommendation_name(recommendation));
	metric_add(&imv_recs, label, 1);
}
