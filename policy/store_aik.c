/* store_aik.c - a device's attestation identity key (see policy_admin.h):
 * the key id the attestation IMV compares the endpoint's AIK with, and
 * whether the device is trusted with it.  One transaction. */
#include "policy_admin.h"
#include "store_int.h"

int
policy_admin_device_aik(struct policy_store *s, const char *value, const char *aik_keyid,
    bool trust)
{
	int64_t id;
	int err = store_begin(s, true);
	if (!err)
		err = store_id(s, STORE_DEVICE, value, &id);
	if (!err)
		err = store_exec(s, "UPDATE devices SET aik_keyid = ? WHERE id = ?", "tI", aik_keyid, id);
	if (err == TNC_EINVALID)
		store_fail(s, err, "AIK key id '%s': lower-case hex, 2..128 digits", aik_keyid);
	/* trust belongs to a key: a new key is not trusted until it is said so */
	if (!err)
		err = store_exec(s, "UPDATE devices SET trusted = ? WHERE id = ?", "iI", trust ? 1 : 0,
		    id);
	return store_end(s, err);
}
