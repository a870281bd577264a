/* attest_tpm12.c - a TPM 1.2 endpoint's version and quote (see
 * attest_tpm12.h). */
#include "attest_tpm12.h"

#include <openssl/evp.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "quote_rebuild.h"
#include "quote_verify.h"

#define TPM12_LOC_ZERO 0x01 /* TPM_LOCALITY_SELECTION of locality 0 */
#define TPM12_COMPOSITE_MAX (2 + QUOTE_MAX_SELECT_BYTES + 4 + PCR_COUNT * TPM12_DIGEST_LEN)

int
attest_tpm12_version(struct attest_tpm12 *t, struct bytes value)
{
	if (value.len > sizeof(t->version_info))
		return TNC_ETOOLONG;
	t->present = true;
	memcpy(t->version_info, value.ptr, value.len);
	t->version_info_len = value.len;
	return 0;
}

const char *
attest_tpm12_quote_name(uint8_t mode)
{
	return mode == PA_PTS_QUOTE_INFO ? "TPM_Quote" : mode == PA_PTS_QUOTE_INFO2 ?
	    "TPM_Quote2" : "TPM_Quote2 with version information";
}

static void __attribute__((format(printf, 2, 3)))
fail(struct attest_evidence *ev, const char *fmt, ...)
{
	va_list ap;
	if (ev->failed)
		return;
	ev->failed = true;
	va_start(ap, fmt);
	vsnprintf(ev->reason, sizeof(ev->reason), fmt, ap);
	va_end(ap);
}

/* A PCR as the TPM 1.2 holds it after the evidence: the replayed value,
 * or the reset value of one no evidence extended. */
static const uint8_t *
tpm12_pcr(void *ctx, uint16_t alg, unsigned pcr)
{
	static const uint8_t ones[TPM12_DIGEST_LEN] = {
	    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
	const struct attest_evidence *ev = ctx;
	if (alg != TPM2_ALG_SHA1 || pcr >= PCR_COUNT)
		return NULL;
	if (!(ev->pcrs.used[DIGEST_SHA1] >> pcr & 1) && pcr >= 17 && pcr <= 22)
		return ones;
	return pcr_banks_get(&ev->pcrs, DIGEST_SHA1, pcr);
}

/* SHA-1 of the TPM_PCR_COMPOSITE of the expected PCRs over sel. */
static void
composite_hash(struct attest_evidence *ev, const struct tpm12_pcr_selection *sel,
    uint8_t out[TPM12_DIGEST_LEN])
{
	uint8_t buf[TPM12_COMPOSITE_MAX];
	size_t n = 2 + sel->size_of_select + 4;
	uint32_t values = 0;

	for (unsigned pcr = 0; pcr < 8u * sel->size_of_select && pcr < PCR_COUNT; pcr++) {
		if (!tpm12_pcr_selected(sel, pcr))
			continue;
		memcpy(buf + n, tpm12_pcr(ev, TPM2_ALG_SHA1, pcr), TPM12_DIGEST_LEN);
		n += TPM12_DIGEST_LEN;
		values += TPM12_DIGEST_LEN;
	}
	buf[0] = 0;
	buf[1] = (uint8_t)sel->size_of_select;
	memcpy(buf + 2, sel->select, sel->size_of_select);
	for (unsigned i = 0; i < 4; i++)
		buf[2 + sel->size_of_select + i] = (uint8_t)(values >> (24 - 8 * i));
	EVP_Digest(buf, n, out, NULL, EVP_sha1(), NULL);
}

/* strongSwan's composite digest: the selection is the replayed PCRs',
 * with select octets up to the highest PCR or the PC Client's three,
 * whichever gives that digest. */
static void
selection_of_digest(struct attest_evidence *ev, struct bytes digest,
    struct tpm12_pcr_selection *sel)
{
	uint32_t used = ev->pcrs.used[DIGEST_SHA1];
	unsigned highest = 0;
	uint8_t mine[TPM12_DIGEST_LEN];

	for (unsigned pcr = 0; pcr < PCR_COUNT; pcr++)
		if (used >> pcr & 1)
			highest = pcr;
	memset(sel, 0, sizeof(*sel));
	for (unsigned i = 0; i < 3; i++)
		sel->select[i] = (uint8_t)(used >> (8 * i));
	sel->size_of_select = (uint16_t)(highest / 8 + 1);
	composite_hash(ev, sel, mine);
	if (memcmp(mine, digest.ptr, TPM12_DIGEST_LEN) == 0)
		return;
	sel->size_of_select = 3;
	composite_hash(ev, sel, mine);
	if (memcmp(mine, digest.ptr, TPM12_DIGEST_LEN) != 0)
		sel->size_of_select = (uint16_t)(highest / 8 + 1); /* the digest will differ */
}

/* The TCG form: a TPM_PCR_COMPOSITE, its selection into sel, each value
 * compared with the replay; false (ev failed) when it does not fit. */
static bool
check_composite(struct attest_evidence *ev, struct bytes c, struct tpm12_pcr_selection *sel)
{
	struct wire_reader r;
	struct bytes select, values;
	uint32_t value_size, count = 0;

	memset(sel, 0, sizeof(*sel));
	wire_reader_init(&r, c.ptr, c.len);
	if (wire_get_u16(&r, &sel->size_of_select) || sel->size_of_select == 0 ||
	    sel->size_of_select > QUOTE_MAX_SELECT_BYTES ||
	    wire_get_bytes(&r, sel->size_of_select, &select)) {
		fail(ev, "quote: the TPM_PCR_COMPOSITE's selection is not 1 to 4 octets");
		return false;
	}
	memcpy(sel->select, select.ptr, select.len);
	for (unsigned pcr = 0; pcr < 8u * sel->size_of_select; pcr++)
		count += tpm12_pcr_selected(sel, pcr);
	if (wire_get_u32(&r, &value_size) || value_size != count * TPM12_DIGEST_LEN ||
	    wire_get_bytes(&r, value_size, &values) || wire_remaining(&r)) {
		fail(ev, "quote: the TPM_PCR_COMPOSITE does not hold 20 octets for each of its %u "
		    "selected PCRs", count);
		return false;
	}
	for (unsigned pcr = 0, i = 0; pcr < 8u * sel->size_of_select; pcr++) {
		if (!tpm12_pcr_selected(sel, pcr))
			continue;
		const uint8_t *want = tpm12_pcr(ev, TPM2_ALG_SHA1, pcr);
		if (!want || memcmp(want, values.ptr + TPM12_DIGEST_LEN * i++, TPM12_DIGEST_LEN)) {
			fail(ev, "quote: PCR %u of the TPM_PCR_COMPOSITE is not the replayed one", pcr);
			return false;
		}
	}
	return true;
}

/* What must hold before anything is rebuilt; false (ev failed) if not. */
static bool
usable(struct attest_evidence *ev, const struct attest_tpm12 *t, const struct pa_pts_final *f,
    EVP_PKEY *aik, struct bytes nonce)
{
	if (!ev->bank_set)
		fail(ev, "quote: no evidence was replayed");
	else if (ev->bank != DIGEST_SHA1)
		fail(ev, "quote: a TPM 1.2 quotes SHA-1 PCRs, but the evidence replays the %s bank",
		    digest_name(ev->bank));
	else if (nonce.len != TPM12_DIGEST_LEN)
		fail(ev, "quote: a TPM 1.2 quotes a 20-octet nonce, the D-H exchange agreed %zu "
		    "octets (its hash must be SHA-1)", nonce.len);
	else if (EVP_PKEY_get_base_id(aik) != EVP_PKEY_RSA)
		fail(ev, "quote: a TPM 1.2 AIK is an RSA key, this one is not");
	else if (f->mode == PA_PTS_QUOTE_INFO2_CAP_VER && !t->version_info_len)
		fail(ev, "quote: a TPM_Quote2 with version information, but the IMC sent no TPM 1.2 "
		    "Version Information");
	else if (f->composite.len < TPM12_DIGEST_LEN)
		fail(ev, "quote: a PCR composite of %zu octets is neither a TPM_PCR_COMPOSITE nor "
		    "its SHA-1 digest", f->composite.len);
	return !ev->failed;
}

void
attest_tpm12_final(struct attest_evidence *ev, const struct attest_tpm12 *t,
    const struct pa_pts_final *f, EVP_PKEY *aik, struct bytes nonce)
{
	struct tpm12_pcr_selection sel;
	uint8_t hash[TPM12_DIGEST_LEN];
	struct parse_error pe = {0};
	struct quote_result res;
	struct wire_writer w;

	ev->quote_done = true;
	if (ev->failed || !usable(ev, t, f, aik, nonce))
		return;
	if (f->composite.len == TPM12_DIGEST_LEN) {
		memcpy(hash, f->composite.ptr, TPM12_DIGEST_LEN);
		selection_of_digest(ev, f->composite, &sel);
	} else if (check_composite(ev, f->composite, &sel)) {
		EVP_Digest(f->composite.ptr, f->composite.len, hash, NULL, EVP_sha1(), NULL);
	} else {
		return;
	}
	struct bytes vi = f->mode == PA_PTS_QUOTE_INFO2_CAP_VER ?
	    (struct bytes){t->version_info, t->version_info_len} : (struct bytes){0};
	wire_writer_init(&w, 1024);
	if (quote_rebuild_tpm12(f->mode == PA_PTS_QUOTE_INFO ? 1 : 2,
	    (struct bytes){hash, TPM12_DIGEST_LEN}, nonce, &sel, TPM12_LOC_ZERO, vi, &w, &pe)) {
		fail(ev, "quote: %s", pe.reason ? pe.reason : "no TPM 1.2 quote info can be rebuilt");
		goto out;
	}
	struct quote_expect x = {.nonce = nonce, .pcr = tpm12_pcr, .pcr_ctx = ev,
	    .required_bank = TPM2_ALG_SHA1, .required_pcrs = ev->pcrs.used[DIGEST_SHA1]};
	enum quote_reason r = quote_verify_tpm12((struct bytes){w.buf, w.len}, f->quote_sig, &sel,
	    aik, &x, &res);
	ev->quote_ok = r == QUOTE_OK;
	if (!ev->quote_ok)
		fail(ev, "quote: %s %s%s%s", attest_tpm12_quote_name(f->mode), quote_reason_name(r),
		    res.detail[0] ? ": " : "", res.detail);
out:
	wire_writer_clear(&w);
}
