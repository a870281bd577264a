/* ipc_msg.h - typed, length-checked payloads of the IPC messages.
 *
 * ipc_msg_decode() turns a frame payload into struct ipc_msg; strings and
 * blobs are views into the payload, valid while the frame is.  Encoding is
 * field by field (never a memcpy of a struct); a payload with trailing bytes,
 * a length past its end, or a text field with a NUL byte does not parse.
 * Field encodings: u8/u16/u32/u64 big-endian; text = u16 length + bytes;
 * blob = u32 length + bytes (bounded by the frame).
 */
#ifndef TNC_IPC_MSG_H
#define TNC_IPC_MSG_H

#include <stdint.h>

#include "ipc_frame.h"
#include "wire.h"

#define IPC_PROTO_MAJOR 1
#define IPC_PROTO_MINOR 0
#define IPC_CONFIG_MAX 128  /* key/value pairs in one CONFIG */
#define IPC_CTL_ARGS_MAX 8  /* words of a tncctl command */
#define IPC_TEXT_MAX 4096

struct ipc_hello {
	uint16_t proto_major, proto_minor;
	struct bytes role;    /* "tnc-imv-os" */
	uint8_t slot;
	uint32_t gen;         /* generation: restarts of this role so far */
	uint32_t pid;
	struct bytes version;
};

struct ipc_config {
	uint16_t count;
	struct bytes key[IPC_CONFIG_MAX];
	struct bytes value[IPC_CONFIG_MAX];
};

/* Sent after sandbox_enter(): READY means sandboxed. */
struct ipc_ready {
	uint32_t uid, gid;
	uint8_t chrooted;
	uint32_t seccomp_syscalls;
};

struct ipc_ping {
	uint64_t token; /* PONG echoes it */
};

#define IPC_LOGLEVEL_ALL 0xff
struct ipc_loglevel {
	uint8_t subsys; /* enum log_subsys, or IPC_LOGLEVEL_ALL */
	int8_t level;
};

/* The frame carries the child's end of a new channel to `peer`. */
struct ipc_peer_attach {
	struct bytes peer; /* "tnc-imv-attest" */
	uint32_t gen;
};

/* PEER_PING (tncd -> child): ping `peer` over the direct channel.
 * PEER_PING_DONE (child -> tncd, REPLY flag): status 0 and the round trip. */
struct ipc_peer_ping {
	struct bytes peer;
	int32_t status;
	uint64_t rtt_us;
};

/* METRICS (child -> tncd, REPLY to METRICS_GET): the child's registry,
 * encoded and validated by ipc_metrics.h. */
struct ipc_metrics {
	struct bytes data;
};

struct ipc_shutdown {
	uint32_t deadline_ms;
};

/* --- ike <-> tnccs --- */

/* The most connections tnc-tnccs holds at once (it closes any beyond);
 * tnc-policy keeps what it learns of as many. */
#define TNCCS_SESSIONS_MAX 20000

/* TNCCS_OPEN flags */
#define TNCCS_OPEN_RESUMED 0x01      /* the connection outlived a tnc-tnccs: the
                                      * assessment starts over (SRETRY) */
#define TNCCS_OPEN_CLIENT_WAITS 0x02 /* with RESUMED: the client's last batch got
                                      * no answer, so SRETRY goes out at once */
#define TNCCS_OPEN_EAP 0x04          /* over EAP (IKEv2): the first SDATA may refer
                                      * the client to the PDP (PB-PDP-Referral) */
#define TNCCS_OPEN_FLAGS (TNCCS_OPEN_RESUMED | TNCCS_OPEN_CLIENT_WAITS | TNCCS_OPEN_EAP)

/* How the AR identity was authenticated (the IMVs log it as strongSwan's
 * do: "authenticated by password"). */
enum ipc_id_auth {
	IPC_ID_AUTH_UNKNOWN,     /* none, or not known */
	IPC_ID_AUTH_PASSWORD,    /* EAP-MD5, SASL PLAIN */
	IPC_ID_AUTH_CERTIFICATE, /* a client certificate verified by TLS */
};
#define IPC_ID_AUTH_MAX IPC_ID_AUTH_CERTIFICATE

/* ike -> tnccs: a new TNCCS connection (its ID is the frame's session). */
struct ipc_tnccs_open {
	uint8_t flags;          /* TNCCS_OPEN_* */
	struct bytes transport; /* "IF-T for TLS 2.0" */
	struct bytes peer;      /* "127.0.0.1:40312" */
	struct bytes identity;  /* authenticated AR identity; empty when none */
	uint8_t id_auth;        /* enum ipc_id_auth of identity */
	uint32_t max_batch;     /* largest PB-TNC batch the transport carries */
	uint32_t max_msg;       /* largest PA-TNC message */
};

/* Either way: one whole PB-TNC batch. */
struct ipc_tnccs_batch {
	struct bytes batch;
};

/* Either way: the connection is over (ike: the peer left; tnccs: close it
 * once the batches sent before this one are out). */
struct ipc_tnccs_close {
	int32_t status; /* 0 or TNC_E* */
	struct bytes reason;
};

/* tncd -> ike: a listening socket rides with this frame. */
struct ipc_ike_listener {
	struct bytes transport; /* "pt-tls" */
	struct bytes address;   /* "127.0.0.1:271", for logs */
};

/* --- tnccs <-> imv (IF-IMV 1.4 semantics) --- */

enum imv_recommendation { /* TNC_IMV_ACTION_RECOMMENDATION_* */
	IMV_REC_ALLOW = 0,
	IMV_REC_NO_ACCESS = 1,
	IMV_REC_ISOLATE = 2,
	IMV_REC_NONE = 3,
};

enum imv_evaluation { /* TNC_IMV_EVALUATION_RESULT_* */
	IMV_EVAL_COMPLIANT = 0,
	IMV_EVAL_NONCOMPLIANT_MINOR = 1,
	IMV_EVAL_NONCOMPLIANT_MAJOR = 2,
	IMV_EVAL_ERROR = 3,
	IMV_EVAL_DONT_KNOW = 4,
};

enum imv_conn_state { /* TNC_CONNECTION_STATE_* */
	IMV_CONN_CREATE = 0,
	IMV_CONN_HANDSHAKE = 1,
	IMV_CONN_ALLOWED = 2,
	IMV_CONN_ISOLATED = 3,
	IMV_CONN_NONE = 4,
	IMV_CONN_DELETE = 5,
};

const char *imv_recommendation_name(unsigned rec); /* "allow", "isolate", ... */
const char *imv_evaluation_name(unsigned eval);     /* "compliant", ... */
const char *imv_conn_state_name(unsigned state);    /* "Handshake", ... */

#define IMV_SUBSCRIBE_MAX 16
#define IMV_ID_ANY 0xffff
#define PA_FLAG_EXCL 0x80 /* RFC 5793 PB-PA flags: exclusive delivery */

/* imv -> tnccs, first thing on a new channel: who it is, what it wants. */
struct ipc_imv_subscribe {
	uint16_t imv_id;    /* its IF-IMV IMV ID (OS 1, SWIMA 2, Attestation 3) */
	struct bytes name;  /* "OS" */
	uint8_t count;
	uint32_t vendor[IMV_SUBSCRIBE_MAX];  /* 0xffffff = any vendor */
	uint32_t subtype[IMV_SUBSCRIBE_MAX]; /* 0xff = any subtype */
};

/* tnccs -> imv: a connection changed state (create carries the details). */
struct ipc_imv_connection {
	uint8_t state;          /* enum imv_conn_state */
	uint32_t max_msg;       /* largest PA-TNC message the IMV may send */
	struct bytes identity;  /* AR identity */
	uint8_t id_auth;        /* enum ipc_id_auth of identity */
	struct bytes transport; /* "IF-T for Tunneled EAP 1.1" */
	struct bytes peer;
	struct bytes language;  /* from PB-Language-Preference; "" = none */
};

/* IMV_RECEIVE (tnccs -> imv) and IMV_SEND (imv -> tnccs): one PA message.
 * RECEIVE: imc_id is the sender, imv_id the validator it was addressed to.
 * SEND: imc_id is the destination collector (IMV_ID_ANY: any), imv_id the
 * sending IMV. */
struct ipc_pa_msg {
	uint8_t flags; /* PA_FLAG_EXCL */
	uint32_t vendor, subtype;
	uint16_t imc_id, imv_id;
	struct bytes msg; /* the PA-TNC message */
};

/* IMV_RECOMMEND (imv -> tnccs): ProvideRecommendation.
 * TNCCS_RESULT (tnccs -> ike): the final decision of a connection. */
struct ipc_imv_recommend {
	uint8_t recommendation; /* enum imv_recommendation */
	uint8_t evaluation;     /* enum imv_evaluation */
	struct bytes reason;    /* for PB-Reason-String; "" = none */
	struct bytes language;
};

/* --- tnccs and imv -> policy: what tnc-policy records --- */

/* tnccs -> policy: an assessment of the connection began (again, after a
 * retry that followed a recorded decision). */
struct ipc_policy_session_start {
	struct bytes identity;  /* authenticated AR identity; empty when none */
	struct bytes peer;      /* "127.0.0.1:40312" */
	struct bytes transport; /* "IF-T for TLS 2.0" */
};

/* imv -> policy: the endpoint's product and device ID, as the OS IMV
 * learned them (each 1..IPC_POLICY_VALUE_MAX bytes). */
#define IPC_POLICY_VALUE_MAX 255
struct ipc_policy_device {
	struct bytes product; /* "Debian 12 x86_64" */
	struct bytes device;  /* the device ID */
};

/* POLICY_SESSION_END (tnccs -> policy): the assessment is over with this
 * final recommendation and evaluation; with a seq, tnccs waits for
 * POLICY_RECORDED (REPLY flag, seq echoed) before the client learns it. */
struct ipc_policy_session_end {
	uint8_t recommendation; /* enum imv_recommendation */
	uint8_t evaluation;     /* enum imv_evaluation */
};

/* policy -> tnccs: status 0 and the session's row, or why it was not recorded. */
struct ipc_policy_recorded {
	int32_t status;
	uint64_t session; /* the session ID in the database; 0 when not recorded */
};

/* POLICY_WORKITEMS (policy -> imv, REPLY to the IMV's POLICY_DEVICE, seq
 * echoed): status 0 and the workitems for that IMV (at most
 * IPC_POLICY_WORKITEMS_MAX), or why there are none to be had. */
#define IPC_POLICY_WORKITEMS_MAX 32
#define IPC_POLICY_TYPE_MAX 8         /* "PCKGS" */
#define IPC_POLICY_ARGUMENT_MAX 1024  /* the database's bound */
struct ipc_policy_workitem {
	uint32_t id;           /* names it in POLICY_WORKITEM_RESULT; 1.. within the session */
	struct bytes type;     /* 1..IPC_POLICY_TYPE_MAX bytes */
	struct bytes argument; /* 0..IPC_POLICY_ARGUMENT_MAX bytes */
	uint8_t rec_fail, rec_noresult; /* enum imv_recommendation */
};
struct ipc_policy_workitems {
	int32_t status;
	uint16_t count;
	struct ipc_policy_workitem item[IPC_POLICY_WORKITEMS_MAX];
};

/* POLICY_PACKAGES (imv -> policy, a request with a seq): installed
 * packages of the connection's product (the one of its POLICY_DEVICE),
 * 1..IPC_POLICY_PACKAGES_MAX of them, and within the frame bound. */
#define IPC_POLICY_PACKAGES_MAX 1000
struct ipc_policy_packages {
	uint16_t count;
	struct bytes list; /* count x (text name 1..255, text version 0..255), validated */
};
/* The packages of a validated POLICY_PACKAGES in order: *pos starts at 0;
 * 0 and advances, or TNC_ENOTFOUND past the end. */
int ipc_policy_package_next(const struct ipc_policy_packages *m, size_t *pos,
    struct bytes *name, struct bytes *version) TNC_MUST_CHECK;
/* Appends one package to a list being built (TNC_ETOOLONG: a name of
 * 0 or more than 255 bytes, a longer version). */
int ipc_policy_package_put(struct wire_writer *w, struct bytes name, struct bytes version)
    TNC_MUST_CHECK;

/* POLICY_PACKAGE_VERDICTS (policy -> imv, REPLY with the request's seq):
 * status 0 and one verdict per package asked, in the order asked (enum
 * pkg_verdict of policy/pkg_verdict.h: 0 unknown .. IPC_PKG_VERDICT_LAST
 * blacklisted), or why there is none. */
#define IPC_PKG_VERDICT_LAST 4
struct ipc_policy_package_verdicts {
	int32_t status;
	struct bytes verdicts; /* 0..IPC_POLICY_PACKAGES_MAX bytes, each <= IPC_PKG_VERDICT_LAST */
};

/* POLICY_WORKITEM_RESULT (imv -> policy): the IMV's result for one of its
 * workitems, recorded with the session. */
#define IPC_POLICY_RESULT_MAX 4096
struct ipc_policy_workitem_result {
	uint32_t workitem;
	uint8_t recommendation; /* enum imv_recommendation */
	struct bytes result;    /* 0..IPC_POLICY_RESULT_MAX bytes */
};

/* POLICY_FILES (imv -> policy, a request with a seq): measured files of
 * the connection's product, 1..IPC_POLICY_FILES_MAX of them, and within
 * the frame bound.  form says what each hash is: the file's digest with
 * algo, or the template hash (template_algo) of an IMA ima-ng or ima entry
 * naming the file with a digest of algo, as strongSwan's IMA evidence
 * carries it. */
#define IPC_POLICY_FILES_MAX 1000
#define IPC_POLICY_PATH_MAX 4096
#define IPC_POLICY_HASH_HEX_MAX 128
#define IPC_POLICY_ALGO_MAX 8 /* "sha512" */
enum ipc_file_form {
	IPC_FILE_DIGEST = 0,
	IPC_FILE_IMA_NG_TEMPLATE = 1,
	IPC_FILE_IMA_TEMPLATE = 2,
};
struct ipc_policy_files {
	uint8_t form;              /* enum ipc_file_form */
	struct bytes algo;         /* the files' digest algorithm: "sha256" */
	struct bytes template_algo; /* forms 1 and 2: the template hash's; else empty */
	uint16_t count;
	struct bytes list; /* count x (text path 1..4096, text hex hash 2..128), validated */
};
/* The files of a validated POLICY_FILES in order: *pos starts at 0; 0 and
 * advances, or TNC_ENOTFOUND past the end. */
int ipc_policy_file_next(const struct ipc_policy_files *m, size_t *pos, struct bytes *path,
    struct bytes *hash) TNC_MUST_CHECK;
/* Appends one file to a list being built (TNC_ETOOLONG: a path of 0 or
 * more than IPC_POLICY_PATH_MAX bytes, a hash not of 2..128 lower-case hex
 * digits). */
int ipc_policy_file_put(struct wire_writer *w, struct bytes path, struct bytes hash)
    TNC_MUST_CHECK;

/* POLICY_FILE_VERDICTS (policy -> imv, REPLY with the request's seq):
 * status 0 and one verdict per file asked, in the order asked (enum
 * ps_file_verdict: 0 ok, 1 unknown, 2 differ), or why there is none. */
#define IPC_FILE_VERDICT_LAST 2
struct ipc_policy_file_verdicts {
	int32_t status;
	struct bytes verdicts; /* 0..IPC_POLICY_FILES_MAX bytes, each <= IPC_FILE_VERDICT_LAST */
};

/* POLICY_FILE_REFERENCES (policy -> imv, REPLY to a POLICY_FILES of a
 * template form): status 0 and, per file asked in order, its reference
 * digest (empty when the database has none), from which the IMV rebuilds
 * the template hash; or why there are none.  A template hash covers the
 * name the kernel measured, which only the IMV knows. */
#define IPC_FILE_REFERENCE_MAX 64 /* SHA-512 */
struct ipc_policy_file_references {
	int32_t status;
	uint16_t count;
	struct bytes list; /* count x (u8 length 0..64, digest), validated */
};
/* The digests of a validated POLICY_FILE_REFERENCES in order, as
 * ipc_policy_file_next(). */
int ipc_policy_file_reference_next(const struct ipc_policy_file_references *m, size_t *pos,
    struct bytes *digest) TNC_MUST_CHECK;

/* POLICY_AIK (policy -> imv, REPLY to POLICY_AIK_GET, which has no
 * payload): the AIK key id registered for the connection's device and
 * whether the device is trusted, or why there is none. */
struct ipc_policy_aik {
	int32_t status;
	uint8_t trusted;
	struct bytes keyid; /* lower-case hex, 0..IPC_POLICY_HASH_HEX_MAX */
};

/* --- imv <-> policy: the SWIMA IMV's software database (see
 * policy/policy_software.h); every message names the connection's device,
 * the one its OS IMV reported.  An identifier is (text name 1..1024, text
 * package, text version, text regid, each ≤255 and empty when not known). */
#define IPC_SW_ID_MAX 1024
#define IPC_SW_TAG_MAX 65536
#define IPC_SW_TIME_MAX 32
#define IPC_SW_LIST_MAX 8192 /* entries of one message; the frame bounds it first */
#define IPC_SW_DETAIL_MAX 1024
#define IPC_SW_FIRST 0x01    /* the first chunk of an inventory or of events */
#define IPC_SW_LAST 0x02     /* the last chunk: now it is stored */

/* POLICY_SW_STATE (policy -> imv, REPLY to POLICY_SW_STATE_GET, which has
 * no payload, and to the last chunk of POLICY_SW_INVENTORY /
 * POLICY_SW_EVENTS and to POLICY_SW_TAGS): status, how many entries the
 * request stored (0 for a get), and the device's state afterwards. */
struct ipc_policy_sw_state {
	int32_t status;
	uint32_t stored;
	uint8_t known; /* 0: no inventory stored yet */
	uint32_t epoch, last_eid;
};

struct ipc_sw_id {
	struct bytes name, package, version, regid;
};
struct ipc_sw_event {
	uint32_t eid;
	struct bytes time; /* RFC 3339, ≤IPC_SW_TIME_MAX */
	uint8_t action;    /* 1 create, 2 delete, 3 alter (RFC 8412) */
	struct ipc_sw_id id;
};

/* POLICY_SW_INVENTORY and POLICY_SW_EVENTS (imv -> policy): a whole
 * inventory, or the events since the stored EID, in chunks of at most
 * IPC_SW_LIST_MAX entries each within the frame bound: the first chunk has
 * IPC_SW_FIRST, the last IPC_SW_LAST and a seq (answered by
 * POLICY_SW_STATE); a single chunk has both.  epoch and last_eid are the
 * IMC's, the same in every chunk. */
struct ipc_policy_sw_list {
	uint8_t flags;
	uint32_t epoch, last_eid;
	uint16_t count;
	struct bytes list; /* count x identifier (inventory) or x (u32 eid, text time, u8 action,
	                    * identifier) (events), validated */
};
/* The entries of a validated list in order: *pos starts at 0; 0 and
 * advances, or TNC_ENOTFOUND past the end. */
int ipc_sw_id_next(const struct ipc_policy_sw_list *m, size_t *pos, struct ipc_sw_id *ret)
    TNC_MUST_CHECK;
int ipc_sw_event_next(const struct ipc_policy_sw_list *m, size_t *pos, struct ipc_sw_event *ret)
    TNC_MUST_CHECK;
/* Appends one entry to a list being built (TNC_ETOOLONG / TNC_EINVALID for
 * a field out of its bounds; the writer's error when it is full, which
 * ends the chunk). */
int ipc_sw_id_put(struct wire_writer *w, const struct ipc_sw_id *id) TNC_MUST_CHECK;
int ipc_sw_event_put(struct wire_writer *w, const struct ipc_sw_event *e) TNC_MUST_CHECK;

/* POLICY_SW_TAGS (imv -> policy, a request with a seq): SWID tags, count
 * x (identifier, u32 length + tag 1..IPC_SW_TAG_MAX), within the frame
 * bound.  Answered by POLICY_SW_STATE. */
struct ipc_policy_sw_tags {
	uint16_t count;
	struct bytes list; /* validated */
};
int ipc_sw_tag_next(const struct ipc_policy_sw_tags *m, size_t *pos, struct ipc_sw_id *id,
    struct bytes *tag) TNC_MUST_CHECK;
int ipc_sw_tag_put(struct wire_writer *w, const struct ipc_sw_id *id, struct bytes tag)
    TNC_MUST_CHECK;

/* POLICY_SW_UNTAGGED_GET (imv -> policy, a request): at most max
 * (1..IPC_SW_UNTAGGED_MAX) identifiers of the device's inventory without a
 * stored tag.  POLICY_SW_UNTAGGED (REPLY): status, count x text name. */
#define IPC_SW_UNTAGGED_MAX 200 /* 200 names of 1024 bytes fit a frame */
struct ipc_policy_sw_untagged_get {
	uint16_t max;
};
struct ipc_policy_sw_untagged {
	int32_t status;
	uint16_t count;
	struct bytes list; /* validated */
};
int ipc_sw_name_next(const struct ipc_policy_sw_untagged *m, size_t *pos, struct bytes *name)
    TNC_MUST_CHECK;
int ipc_sw_name_put(struct wire_writer *w, struct bytes name) TNC_MUST_CHECK;

/* POLICY_SW_VERDICT_GET (imv -> policy, a request): the verdict of the
 * session's SWIDT or SWIDI workitem on the device's stored inventory.
 * POLICY_SW_VERDICT (REPLY): status, fail (0/1), the counts and what
 * failed (text ≤IPC_SW_DETAIL_MAX). */
struct ipc_policy_sw_verdict_get {
	uint32_t workitem;
};
struct ipc_policy_sw_verdict {
	int32_t status;
	uint8_t fail;
	uint32_t forbidden, missing, vulnerable, identifiers;
	struct bytes detail;
};

/* --- ike <-> xfrm: kernel IPsec SAs and policies (tnc-xfrm checks each
 * request's meaning, xfrm/xfrm_msg.h; here only the syntax) --- */

#define IPC_XFRM_ADDR 16      /* an address: IPv4 in the first 4 bytes, the rest 0 */
#define IPC_XFRM_KEY_MAX 64   /* the longest key: HMAC-SHA-512's */
#define IPC_XFRM_REASON_MAX 256

/* Which ESP transform an SA uses (RFC 4106, RFC 3602 + RFC 4868). */
enum ipc_xfrm_alg {
	IPC_XFRM_AES_GCM_16 = 1,      /* AES-GCM, 128-bit ICV; key + 4-byte salt */
	IPC_XFRM_AES_CBC_SHA256 = 2,  /* AES-CBC, HMAC-SHA-256-128 */
	IPC_XFRM_AES_CBC_SHA384 = 3,  /* AES-CBC, HMAC-SHA-384-192 */
	IPC_XFRM_AES_CBC_SHA512 = 4,  /* AES-CBC, HMAC-SHA-512-256 */
};

/* An SA: the kernel's key is (destination, SPI, ESP); the source comes too. */
struct ipc_xfrm_sa_id {
	uint8_t family;               /* AF_INET or AF_INET6, of both addresses */
	uint8_t src[IPC_XFRM_ADDR], dst[IPC_XFRM_ADDR];
	uint32_t spi;
};

/* XFRM_SA_ADD (ike -> xfrm, a request): an ESP tunnel-mode SA. */
struct ipc_xfrm_sa {
	struct ipc_xfrm_sa_id id;
	uint32_t reqid;               /* ties it to its policies' templates */
	uint8_t alg;                  /* enum ipc_xfrm_alg */
	struct bytes enc_key;         /* ≤IPC_XFRM_KEY_MAX */
	struct bytes integ_key;       /* ≤IPC_XFRM_KEY_MAX, empty for AES-GCM */
	uint16_t encap_sport, encap_dport; /* UDP encapsulation (NAT-T); 0 0 = none */
	uint32_t soft_seconds, hard_seconds; /* lifetime from its addition; 0 = none */
};

enum ipc_xfrm_dir { /* XFRM_POLICY_IN, _OUT, _FWD */
	IPC_XFRM_IN = 0,
	IPC_XFRM_OUT = 1,
	IPC_XFRM_FWD = 2,
};

/* A policy: the kernel's key is (direction, selector). */
struct ipc_xfrm_policy_id {
	uint8_t family;               /* of the traffic selectors */
	uint8_t dir;                  /* enum ipc_xfrm_dir */
	uint8_t src[IPC_XFRM_ADDR], dst[IPC_XFRM_ADDR];
	uint8_t src_prefix, dst_prefix;
};

/* XFRM_POLICY_ADD (ike -> xfrm, a request): traffic between the selectors
 * goes through the tunnel of the SA with reqid. */
struct ipc_xfrm_policy {
	struct ipc_xfrm_policy_id id;
	uint8_t tun_src[IPC_XFRM_ADDR], tun_dst[IPC_XFRM_ADDR]; /* same family */
	uint32_t reqid;
	uint32_t priority;            /* lower wins */
};

/* XFRM_RESULT (xfrm -> ike, REPLY to any request): 0, a TNC_E* code for a
 * request refused before the kernel, or the kernel's -errno; and why. */
struct ipc_xfrm_result {
	int32_t status;
	struct bytes reason;          /* ≤IPC_XFRM_REASON_MAX */
};

struct ipc_ctl_request {
	uint8_t argc;
	struct bytes argv[IPC_CTL_ARGS_MAX];
};

/* The type of a table column: what a value is in JSON.  A cell that does
 * not read as its column's type is null there. */
enum ipc_col_type {
	IPC_COL_TEXT = 0,
	IPC_COL_INT = 1,    /* a decimal integer */
	IPC_COL_NUMBER = 2, /* a decimal number, integer or not */
};

/* A reply is a status, a message and a table: columns (name and type),
 * then rows of text cells.  Walked with ipc_table_column() and
 * ipc_table_cell(). */
struct ipc_ctl_reply {
	int32_t status;
	struct bytes message;
	uint16_t ncols, nrows;
	struct bytes columns; /* ncols x (text name, u8 type), validated */
	struct bytes table;   /* nrows*ncols text cells, validated */
};

struct ipc_msg {
	uint16_t type;
	union {
		struct ipc_hello hello;
		struct ipc_config config;
		struct ipc_ready ready;
		struct ipc_ping ping;
		struct ipc_loglevel loglevel;
		struct ipc_peer_attach peer_attach;
		struct ipc_peer_ping peer_ping; /* PEER_PING, PEER_PING_DONE */
		struct ipc_shutdown shutdown;
		struct ipc_metrics metrics;
		struct ipc_tnccs_open tnccs_open;
		struct ipc_tnccs_batch tnccs_batch;
		struct ipc_tnccs_close tnccs_close;
		struct ipc_ike_listener ike_listener;
		struct ipc_imv_subscribe imv_subscribe;
		struct ipc_imv_connection imv_connection;
		struct ipc_pa_msg pa_msg; /* IMV_RECEIVE, IMV_SEND */
		struct ipc_imv_recommend imv_recommend; /* and TNCCS_RESULT */
		struct ipc_policy_session_start policy_session_start;
		struct ipc_policy_device policy_device;
		struct ipc_policy_session_end policy_session_end;
		struct ipc_policy_recorded policy_recorded;
		struct ipc_policy_workitems policy_workitems;
		struct ipc_policy_packages policy_packages;
		struct ipc_policy_package_verdicts policy_package_verdicts;
		struct ipc_policy_workitem_result policy_workitem_result;
		struct ipc_policy_files policy_files;
		struct ipc_policy_file_verdicts policy_file_verdicts;
		struct ipc_policy_file_references policy_file_references;
		struct ipc_policy_aik policy_aik;
		struct ipc_policy_sw_state policy_sw_state;
		struct ipc_policy_sw_list policy_sw_list; /* POLICY_SW_INVENTORY, POLICY_SW_EVENTS */
		struct ipc_policy_sw_tags policy_sw_tags;
		struct ipc_policy_sw_untagged_get policy_sw_untagged_get;
		struct ipc_policy_sw_untagged policy_sw_untagged;
		struct ipc_policy_sw_verdict_get policy_sw_verdict_get;
		struct ipc_policy_sw_verdict policy_sw_verdict;
		struct ipc_xfrm_sa xfrm_sa;                 /* XFRM_SA_ADD */
		struct ipc_xfrm_sa_id xfrm_sa_id;           /* XFRM_SA_DELETE */
		struct ipc_xfrm_policy xfrm_policy;         /* XFRM_POLICY_ADD */
		struct ipc_xfrm_policy_id xfrm_policy_id;   /* XFRM_POLICY_DELETE */
		struct ipc_xfrm_result xfrm_result;
		struct ipc_ctl_request ctl_request;
		struct ipc_ctl_reply ctl_reply;
	} u;
};

int ipc_msg_decode(uint16_t type, const uint8_t *payload, size_t len,
    struct ipc_msg *ret) TNC_MUST_CHECK;
/* Appends the payload of msg to w (w's cap bounds it). */
int ipc_msg_encode(const struct ipc_msg *msg, struct wire_writer *w) TNC_MUST_CHECK;

/* The columns of a validated reply in order.  *pos starts at 0; returns 0
 * and advances, or TNC_ENOTFOUND past the end. */
int ipc_table_column(const struct ipc_ctl_reply *reply, size_t *pos, struct bytes *name,
    uint8_t *type) TNC_MUST_CHECK;
/* The cells of a validated reply, row after row; as ipc_table_column(). */
int ipc_table_cell(const struct ipc_ctl_reply *reply, size_t *pos,
    struct bytes *ret) TNC_MUST_CHECK;

/* Table building for replies: append text cells with wire_put_text(). */
void ipc_put_text(struct wire_writer *w, const char *s, size_t len);

/* A view as a C string in a caller buffer (cut to fit). */
const char *bytes_cstr(struct bytes b, char *buf, size_t size);

#endif
