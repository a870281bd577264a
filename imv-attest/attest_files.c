/* attest_files.c - IMA file measurements to tnc-policy and their verdicts
 * back (see attest_files.h). */
#include "attest_files.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "digest.h"
#include "ima.h"
#include "imv_budget.h"
#include "log.h"

/* A full policy-files message stays within the default frame bound. */
#define LIST_BYTES_MAX (IPC_FRAME_MAX_DEFAULT - 1024)

void
attest_files_init(struct attest_files *f)
{
	memset(f, 0, sizeof(*f));
}

static void
free_chain(struct attest_lookup *lk)
{
	while (lk) {
		struct attest_lookup *next = lk->next;
		wire_writer_clear(&lk->list);
		wire_writer_clear(&lk->names);
		free(lk);
		lk = next;
	}
}

void
attest_files_clear(struct attest_files *f)
{
	free_chain(f->filling);
	free_chain(f->ready);
	free_chain(f->sent);
	f->filling = f->ready = f->sent = NULL;
	imv_budget_release(&f->reserved);
}

bool
attest_files_symlink(struct attest_files *f, struct bytes link, struct bytes dir)
{
	if (f->nlinks == ATTEST_SYMLINKS_MAX || !link.len || link.len >= ATTEST_LINK_MAX ||
	    dir.len >= ATTEST_LINK_MAX)
		return false;
	struct attest_symlink *s = &f->link[f->nlinks++];
	memcpy(s->link, link.ptr, link.len);
	s->link[link.len] = 0;
	memcpy(s->dir, dir.ptr, dir.len);
	s->dir[dir.len] = 0;
	return true;
}

static void
append(struct attest_lookup **chain, struct attest_lookup *lk)
{
	while (*chain)
		chain = &(*chain)->next;
	lk->next = NULL;
	*chain = lk;
}

void
attest_files_flush(struct attest_files *f)
{
	if (f->filling)
		append(&f->ready, f->filling);
	f->filling = NULL;
}

/* path with the first symlinked directory it starts with replaced. */
static size_t
resolve(const struct attest_files *f, struct bytes path, char *out, size_t size)
{
	for (unsigned i = 0; i < f->nlinks; i++) {
		size_t n = strlen(f->link[i].link);
		if (path.len > n && path.ptr[n] == '/' && !memcmp(path.ptr, f->link[i].link, n)) {
			int len = snprintf(out, size, "%s%.*s", f->link[i].dir, (int)(path.len - n),
			    (const char *)path.ptr + n);
			return len > 0 && (size_t)len < size ? (size_t)len : 0;
		}
	}
	if (path.len >= size)
		return 0;
	memcpy(out, path.ptr, path.len);
	out[path.len] = 0;
	return path.len;
}

/* Lower-case hex of p[0..n) into out (2n characters, no NUL); per file of
 * a list of thousands, where snprintf per octet cost a fifth of the IMV. */
static void
to_hex(const uint8_t *p, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[p[i] >> 4];
		out[2 * i + 1] = digits[p[i] & 0x0f];
	}
}

int
attest_files_add(struct attest_files *f, uint8_t form, const char *algo,
    const char *template_algo, struct bytes path, const uint8_t *hash, size_t hash_len)
{
	static char resolved[IPC_POLICY_PATH_MAX + 1];
	char hex[IPC_POLICY_HASH_HEX_MAX];
	size_t len = resolve(f, path, resolved, sizeof(resolved));

	if (!len || path.len > IPC_POLICY_PATH_MAX || hash_len == 0 ||
	    2 * hash_len > IPC_POLICY_HASH_HEX_MAX)
		return TNC_ETOOLONG;
	to_hex(hash, hash_len, hex);
	size_t need = 4 + len + 2 * hash_len + (form == IPC_FILE_DIGEST ? 0 : 2 + path.len);
	struct attest_lookup *lk = f->filling;
	if (lk && (lk->count == IPC_POLICY_FILES_MAX || lk->list.len + need > LIST_BYTES_MAX ||
	    lk->form != form || strcmp(lk->algo, algo) || strcmp(lk->template_algo, template_algo)))
		attest_files_flush(f);
	if (imv_budget_reserve(&f->reserved, need) != 0)
		return TNC_ETOOLONG;
	if (!f->filling) {
		lk = f->filling = calloc(1, sizeof(*lk));
		if (!lk)
			abort();
		lk->form = form;
		snprintf(lk->algo, sizeof(lk->algo), "%s", algo);
		snprintf(lk->template_algo, sizeof(lk->template_algo), "%s",
		    form == IPC_FILE_DIGEST ? "" : template_algo);
		wire_writer_init(&lk->list, LIST_BYTES_MAX);
		wire_writer_init(&lk->names, LIST_BYTES_MAX + 2 * IPC_POLICY_FILES_MAX);
	}
	if (form != IPC_FILE_DIGEST) {
		wire_put_u16(&f->filling->names, (uint16_t)path.len);
		wire_put_bytes(&f->filling->names, path.ptr, path.len);
	}
	if (ipc_policy_file_put(&f->filling->list, (struct bytes){(const uint8_t *)resolved, len},
	    (struct bytes){(const uint8_t *)hex, 2 * hash_len}) != 0)
		return TNC_ETOOLONG;
	f->filling->count++;
	return 0;
}

struct attest_lookup *
attest_files_next(struct attest_files *f)
{
	return f->ready;
}

void
attest_files_sent(struct attest_files *f, struct attest_lookup *lk, uint32_t seq)
{
	f->ready = lk->next;
	lk->seq = seq;
	append(&f->sent, lk);
}

bool
attest_files_pending(const struct attest_files *f)
{
	return f->ready || f->sent;
}

struct ipc_policy_files
attest_lookup_msg(const struct attest_lookup *lk)
{
	return (struct ipc_policy_files){lk->form,
	    {(const uint8_t *)lk->algo, strlen(lk->algo)},
	    {(const uint8_t *)lk->template_algo, strlen(lk->template_algo)}, lk->count,
	    {lk->list.buf, lk->list.len}};
}

/* "bc:d0:97:..." as the seeds print hashes. */
static void
colon_hex(struct bytes hex, char *out, size_t size)
{
	size_t n = 0;
	for (size_t i = 0; i + 1 < hex.len && n + 4 <= size; i += 2) {
		if (i)
			out[n++] = ':';
		out[n++] = (char)hex.ptr[i];
		out[n++] = (char)hex.ptr[i + 1];
	}
	out[n] = 0;
}

/* One file's verdict (0 ok, 1 unknown, 2 differ), counted and logged. */
static void
count_one(struct attest_files *f, uint8_t verdict, struct bytes path, struct bytes hash)
{
	char shown[3 * IPC_POLICY_HASH_HEX_MAX / 2 + 1];

	switch (verdict) {
	case 0:
		f->ok++;
		return;
	case 1:
		f->unknown++;
		colon_hex(hash, shown, sizeof(shown));
		LOG(PTS, 1, "%s for '%.*s' not found", shown, (int)path.len, (const char *)path.ptr);
		return;
	default:
		if (!f->differ++)
			snprintf(f->differ_path, sizeof(f->differ_path), "%.*s", (int)path.len,
			    (const char *)path.ptr);
		colon_hex(hash, shown, sizeof(shown));
		LOG_WARN(PTS, "%s for '%.*s' differs from the reference", shown, (int)path.len,
		    (const char *)path.ptr);
	}
}

static void
count(struct attest_files *f, const struct attest_lookup *lk,
    const struct ipc_policy_file_verdicts *v)
{
	struct ipc_policy_files m = attest_lookup_msg(lk);
	struct bytes path, hash;
	size_t pos = 0;

	for (size_t i = 0; i < v->verdicts.len; i++) {
		if (ipc_policy_file_next(&m, &pos, &path, &hash) != 0)
			break;
		count_one(f, v->verdicts.ptr[i], path, hash);
	}
}

/* Whether the template hash (hex) is that of an entry naming name with
 * the reference digest: ima-ng or ima-sig without a signature, or ima. */
static bool
template_matches(struct digest_ctx *d, const struct attest_lookup *lk, enum digest_alg talg,
    struct bytes hex, struct bytes name, struct bytes reference)
{
	static const enum ima_rebuild ng[] = {IMA_REBUILD_NG, IMA_REBUILD_SIG};
	static const enum ima_rebuild legacy[] = {IMA_REBUILD_LEGACY};
	const enum ima_rebuild *forms = lk->form == IPC_FILE_IMA_TEMPLATE ? legacy : ng;
	size_t nforms = lk->form == IPC_FILE_IMA_TEMPLATE ? 1 : 2;
	uint8_t want[DIGEST_MAX];
	char want_hex[2 * DIGEST_MAX];

	if (hex.len != 2 * digest_size(talg))
		return false;
	for (size_t i = 0; i < nforms; i++) {
		if (ima_rebuild_hash(d, talg, forms[i], lk->algo, reference, name, want) != 0)
			continue;
		to_hex(want, digest_size(talg), want_hex);
		if (!memcmp(want_hex, hex.ptr, hex.len))
			return true;
	}
	return false;
}

/* The file verdicts of a template-form list from its reference digests. */
static int
compare(struct attest_files *f, const struct attest_lookup *lk,
    const struct ipc_policy_file_references *r)
{
	struct ipc_policy_files m = attest_lookup_msg(lk);
	struct wire_reader names;
	struct digest_ctx d;
	enum digest_alg talg;
	size_t pos = 0, rpos = 0;

	if (digest_from_name(lk->template_algo, strlen(lk->template_algo), &talg) != 0)
		return TNC_EINVALID;
	wire_reader_init(&names, lk->names.buf, lk->names.len);
	digest_ctx_init(&d);
	for (unsigned i = 0; i < lk->count; i++) {
		struct bytes path, hash, name, reference;
		uint16_t nlen;
		if (ipc_policy_file_next(&m, &pos, &path, &hash) != 0 ||
		    ipc_policy_file_reference_next(r, &rpos, &reference) != 0 ||
		    wire_get_u16(&names, &nlen) || wire_get_bytes(&names, nlen, &name))
			abort(); /* both lists were checked to have count entries */
		/* A template hash no reference rebuilds differs, even though a
		 * signed entry's (its signature not sent) looks the same: a
		 * changed file would claim to be one (attest_imasig.h). */
		uint8_t verdict = !reference.len ? 1 :
		    template_matches(&d, lk, talg, hash, name, reference) ? 0 : 2;
		count_one(f, verdict, path, hash);
	}
	digest_ctx_clear(&d);
	return 0;
}

/* The request with seq, taken off the sent chain; NULL when not ours. */
static struct attest_lookup *
take_sent(struct attest_files *f, uint32_t seq)
{
	struct attest_lookup **pp = &f->sent;
	while (*pp && (*pp)->seq != seq)
		pp = &(*pp)->next;
	struct attest_lookup *lk = *pp;
	if (lk) {
		*pp = lk->next;
		lk->next = NULL;
	}
	return lk;
}

/* The files of lk could not be judged: why. */
static void
lookup_failed(struct attest_files *f, const struct attest_lookup *lk, const char *why)
{
	f->failed += lk->count;
	if (!f->lookup_failed)
		snprintf(f->failure, sizeof(f->failure), "tnc-policy could not judge %u files: %s",
		    lk->count, why);
	f->lookup_failed = true;
}

static void
done(struct attest_files *f, struct attest_lookup *lk)
{
	free_chain(lk);
	if (!f->filling && !f->ready && !f->sent)
		imv_budget_release(&f->reserved);
}

int
attest_files_references(struct attest_files *f, uint32_t seq,
    const struct ipc_policy_file_references *r)
{
	struct attest_lookup *lk = take_sent(f, seq);
	if (!lk)
		return TNC_ENOTFOUND;
	if (r->status)
		lookup_failed(f, lk, tnc_strerror(r->status));
	else if (lk->form == IPC_FILE_DIGEST || r->count != lk->count)
		lookup_failed(f, lk, "it answered for another number or kind of files");
	else if (compare(f, lk, r) != 0)
		lookup_failed(f, lk, "unknown template hash algorithm");
	done(f, lk);
	return 0;
}

int
attest_files_answer(struct attest_files *f, uint32_t seq, const struct ipc_policy_file_verdicts *v)
{
	struct attest_lookup *lk = take_sent(f, seq);
	if (!lk)
		return TNC_ENOTFOUND;
	if (v->status)
		lookup_failed(f, lk, tnc_strerror(v->status));
	else if (v->verdicts.len != lk->count)
		lookup_failed(f, lk, "it answered for another number of files");
	else
		count(f, lk, v);
	done(f, lk);
	return 0;
}
