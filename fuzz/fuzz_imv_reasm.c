/* fuzz_imv_reasm.c - libFuzzer harness for the IMVs' segment reassembly
 * within the reassembly budget (imv/imv_reasm.c, imv/imv_budget.c).
 *
 * The input is a sequence of records, each for one of four connections:
 * one octet (connection in bits 0-1, operation in bits 2-3: envelope,
 * cancel, or the connection goes away), a 16-bit length and that many
 * octets of attribute value.  Small caps (64 KiB per connection, 128 KiB in
 * all) make the connections compete.  Aborts unless: the reserved octets
 * never pass the total, a completed attribute is exactly as long as it
 * declared and within the connection cap, and every octet comes back once
 * all connections are gone.
 */
#include <stdbool.h>
#include <stdlib.h>

#include "imv_budget.h"
#include "imv_reasm.h"
#include "log.h"

#define CONNS 4

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check(bool ok)
{
	if (!ok)
		abort();
}

static void
record(struct imv_reasm **conn, uint8_t op, struct bytes value)
{
	struct pa_tnc_attr a = {0, 0, PA_TNC_VENDOR_TCG, PA_SEGMENT_ENVELOPE, value};
	struct pa_tnc_attr whole;
	struct parse_error pe;
	bool done = false;

	switch (op) {
	case 0:
		if (imv_reasm_envelope(conn, 1, 2, &a, &whole, &done, &pe) != 0) {
			check(*conn == NULL);
			check(pe.code == PA_TNC_ERROR_INVALID_PARAMETER);
		} else if (done) {
			check(whole.value.len + PA_TNC_ATTR_HEADER_LEN <= imv_budget_conn_max());
			imv_reasm_free(*conn);
			*conn = NULL;
		}
		break;
	case 1:
		a.type = PA_SEGMENT_CANCEL;
		if (imv_reasm_cancel(conn, 2, &a, &pe) == 0)
			check(*conn == NULL);
		break;
	default:
		imv_reasm_free(*conn);
		*conn = NULL;
		break;
	}
	check(imv_budget_used() <= imv_budget_total_max());
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct imv_reasm *conns[CONNS] = {NULL};
	size_t pos = 0;

	log_set_all_levels(-1);
	imv_budget_reset();
	check(imv_budget_set("reassembly_conn_max", "65536") == NULL);
	check(imv_budget_set("reassembly_total_max", "131072") == NULL);
	while (size - pos >= 3) {
		uint8_t head = data[pos];
		size_t len = (size_t)data[pos + 1] << 8 | data[pos + 2];
		pos += 3;
		if (len > size - pos)
			len = size - pos;
		record(&conns[head & 3], (head >> 2) & 3, (struct bytes){data + pos, len});
		pos += len;
	}
	for (int i = 0; i < CONNS; i++)
		imv_reasm_free(conns[i]);
	check(imv_budget_used() == 0);
	return 0;
}
