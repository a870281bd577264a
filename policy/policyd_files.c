/* policyd_files.c - what the attestation IMV asks of the database for a
 * connection: the verdicts of measured files against the reference hashes
 * of the connection's product (policy_store_file_verdicts()), and the AIK
 * key id registered for its device (see policyd.h).
 *
 * The store compares file digests.  strongSwan's IMA evidence carries the
 * template hash of an IMA entry instead (an ima-ng or ima template over the
 * digest and the name the kernel measured), which only a reference digest
 * and that name reproduce: for those the IMV gets the reference digests
 * (policy_store_file_references()) and compares itself.
 */
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "policyd.h"

/* The paths of a validated list as C strings (strings holds them);
 * hashes into hashes unless NULL. */
static void
list_strings(const struct ipc_policy_files *m, const char **paths, const char **hashes,
    char *strings)
{
	size_t pos = 0, at = 0;
	struct bytes path, hash;
	for (unsigned i = 0; i < m->count; i++) {
		if (ipc_policy_file_next(m, &pos, &path, &hash) != 0)
			abort(); /* the list was validated when decoded */
		paths[i] = bytes_cstr(path, strings + at, path.len + 1);
		at += path.len + 1;
		if (hashes)
			hashes[i] = bytes_cstr(hash, strings + at, hash.len + 1);
		at += hash.len + 1;
	}
}

static struct pending_session *
product_session(struct pending_table *p, uint32_t conn)
{
	struct pending_session *s = pending_find(p, conn);
	return s && s->product[0] ? s : NULL;
}

int
pending_files(struct pending_table *p, struct policy_store *store, uint32_t conn,
    const struct ipc_policy_files *m, uint8_t *ret)
{
	struct pending_session *s = product_session(p, conn);
	char algo[IPC_POLICY_ALGO_MAX + 1];

	if (!s)
		return TNC_ESTATE;
	if (m->form != IPC_FILE_DIGEST)
		return -ENOTSUP;
	if (!store)
		return -ENOTCONN;
	bytes_cstr(m->algo, algo, sizeof(algo));
	/* count <= IPC_POLICY_FILES_MAX */
	struct ps_file_measurement *fm = malloc(m->count * sizeof(*fm));
	const char **paths = malloc(2 * m->count * sizeof(*paths));
	char *strings = malloc(m->list.len + 2u * m->count);
	if (!fm || !paths || !strings)
		abort();
	list_strings(m, paths, paths + m->count, strings);
	for (unsigned i = 0; i < m->count; i++)
		fm[i] = (struct ps_file_measurement){.path = paths[i], .hash = paths[m->count + i]};
	int err = policy_store_file_verdicts(store, s->product, algo, fm, m->count, ret);
	if (err)
		POLICYD_STORE_FAILED(err, "policy: cannot look up %u files of Connection ID %u: %s",
		    m->count, conn, policy_store_error(store));
	free(fm);
	free(paths);
	free(strings);
	return err;
}

static int
unhex(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

int
pending_file_references(struct pending_table *p, struct policy_store *store, uint32_t conn,
    const struct ipc_policy_files *m, struct wire_writer *ret)
{
	struct pending_session *s = product_session(p, conn);
	char algo[IPC_POLICY_ALGO_MAX + 1];

	if (!s)
		return TNC_ESTATE;
	if (m->form == IPC_FILE_DIGEST)
		return TNC_EINVALID;
	if (!store)
		return -ENOTCONN;
	bytes_cstr(m->algo, algo, sizeof(algo));
	const char **paths = malloc(m->count * sizeof(*paths));
	char(*refs)[PS_HASH_HEX_MAX + 1] = malloc(m->count * sizeof(*refs));
	char *strings = malloc(m->list.len + 2u * m->count);
	if (!paths || !refs || !strings)
		abort();
	list_strings(m, paths, NULL, strings);
	int err = policy_store_file_references(store, s->product, algo, paths, m->count, refs);
	if (err)
		POLICYD_STORE_FAILED(err, "policy: cannot look up %u files of Connection ID %u: %s",
		    m->count, conn, policy_store_error(store));
	for (unsigned i = 0; i < m->count && !err; i++) {
		size_t len = strlen(refs[i]) / 2;
		if (len > IPC_FILE_REFERENCE_MAX)
			len = 0; /* no digest of the IMV's algorithms: as none */
		wire_put_u8(ret, (uint8_t)len);
		for (size_t k = 0; k < len; k++)
			wire_put_u8(ret, (uint8_t)(unhex(refs[i][2 * k]) << 4 | unhex(refs[i][2 * k + 1])));
	}
	free(paths);
	free(refs);
	free(strings);
	return err ? err : wire_writer_status(ret);
}

int
pending_aik(struct pending_table *p, struct policy_store *store, uint32_t conn,
    struct ps_device *ret)
{
	struct pending_session *s = pending_find(p, conn);
	*ret = (struct ps_device){0};
	if (!s || !s->device[0])
		return TNC_ESTATE;
	if (!store)
		return -ENOTCONN;
	int err = policy_store_device_lookup(store, s->device, ret);
	if (err == TNC_ENOTFOUND) { /* a device seen for the first time has no AIK */
		*ret = (struct ps_device){0};
		return 0;
	}
	if (err)
		POLICYD_STORE_FAILED(err, "policy: cannot look up the device of Connection ID %u: %s",
		    conn, policy_store_error(store));
	return err;
}
