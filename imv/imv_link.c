/* imv_link.c - one connection's IF-M exchange with its IMC (see
 * imv_link.h). */
#include "imv_link.h"

#include <stdio.h>
#include <string.h>

#include "log.h"

void
imv_link_init(struct imv_link *l, uint16_t imv_id, uint32_t pa_vendor, uint32_t pa_subtype,
    uint32_t conn_id, uint32_t max_msg, uint32_t max_seg_size)
{
	l->imv_id = imv_id;
	l->conn_id = conn_id;
	l->max_msg = max_msg;
	imv_contract_init(&l->contract, imv_id, pa_vendor, pa_subtype, max_msg, max_seg_size);
	imv_link_reset(l);
}

void
imv_link_reset(struct imv_link *l)
{
	l->imc_id = IMV_ID_ANY;
	imv_contract_reset(&l->contract);
	imv_errors_clear(&l->errors);
}

void
imv_link_clear(struct imv_link *l)
{
	imv_msg_clear(&l->out);
}

void
imv_link_begin(struct imv_link *l)
{
	imv_msg_begin(&l->out, l->max_msg);
	imv_errors_put(&l->errors, &l->out);
	imv_contract_answer(&l->contract, &l->out, l->imc_id);
}

int
imv_link_finish(struct imv_link *l, struct imv_out *out)
{
	struct bytes msg;
	int err;

	if (imv_msg_count(&l->out) == 0)
		return 0;
	if ((err = imv_msg_finish(&l->out, &msg)) != 0)
		return err;
	out->send = true;
	out->imc_id = l->imc_id;
	out->excl = l->imc_id != IMV_ID_ANY; /* RFC 5793 4.5: only to a known IMC */
	out->msg = msg;
	imv_errors_clear(&l->errors); /* delivered */
	imv_contract_answered(&l->contract);
	return 0;
}

void
imv_link_send(struct imv_link *l, struct imv_out *out)
{
	int err = imv_link_finish(l, out);
	if (err)
		LOG_ERR(IMV, "IMV %u cannot build a PA-TNC message for Connection ID %u: %s",
		    l->imv_id, l->conn_id, tnc_strerror(err));
}

void
imv_link_flush(struct imv_link *l, struct imv_out *out)
{
	if (l->errors.n == 0 && !l->contract.asked)
		return;
	imv_link_begin(l);
	imv_link_send(l, out);
}

void
imv_link_next_segment(struct imv_link *l, const struct imv_reasm *r, struct imv_out *out)
{
	imv_link_begin(l);
	imv_reasm_next(r, &l->out, l->imc_id);
	imv_link_send(l, out);
}

void
imv_link_assessment(struct imv_link *l, struct imv_out *out, uint32_t result)
{
	imv_link_begin(l);
	imv_msg_assessment(&l->out, result);
	imv_link_send(l, out);
}

void
imv_link_recommend(const struct imv_link *l, struct imv_out *out, enum imv_recommendation rec,
    enum imv_evaluation eval, const char *reason)
{
	out->recommend = true;
	out->rec = rec;
	out->eval = eval;
	snprintf(out->reason, sizeof(out->reason), "%s", reason);
	LOG(IMV, 0, "IMV %u recommends '%s' with evaluation '%s' for Connection ID %u: %s",
	    l->imv_id, imv_recommendation_name(rec), imv_evaluation_name(eval), l->conn_id, reason);
}

void
imv_link_malformed(struct imv_link *l, const uint8_t *msg, size_t len,
    const struct parse_error *pe, const char *what, bool tell_imc, char *failure, size_t size)
{
	bool named = pe->reason && strstr(what, pe->reason);
	if (tell_imc)
		imv_errors_invalid(&l->errors, msg, len, pe);
	LOG_WARN(IMV, "IMV %u: %s from IMC %u at offset %u%s%s", l->imv_id, what, l->imc_id,
	    pe->offset, pe->reason && !named ? ": " : "", pe->reason && !named ? pe->reason : "");
	if (!failure[0])
		snprintf(failure, size, "%s from IMC %u at offset %u", what, l->imc_id, pe->offset);
}
