/* test_segmentation_hold.c - endpoints that start a large segmented
 * attribute (TCG IF-M Segmentation) and then hold it, against the real tncd:
 * 8 that declare 16 MiB (above what one connection may reassemble) and 8
 * that declare the 4 MiB a connection may hold and send all of it but the
 * last segment.  Meanwhile ordinary tncclients, one with 20,000 packages
 * in 4 KiB segments, still get their right verdicts; once the holders
 * leave, tnc-imv-os keeps no connection state and its memory drops back. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pa_segment.h"
#include "pa_tnc.h"
#include "pb_tnc.h"
#include "testlib.h"
#include "tl_ptls.h"

/* The test reads tnc-imv-os's state from its log: no line may be rate-limited
 * away when a burst of segments logs more than tncd's default 2000 a second. */
#define POLICY \
	"[imv-os]\nmax_segment_size = 4096\nlog.imv = 2\n[log]\nlines_per_second = 1000000\n"

#define HOLDERS 8
#define HUGE_LEN (16u * 1024 * 1024) /* above the per-connection cap */
#define CAP_LEN (4u * 1024 * 1024)   /* the default per-connection cap */
/* Segments beyond the contract's 4096 octets (tnc-imv-os takes them): fewer
 * log lines to wait through. */
#define SEG 60000
#define SEGS_PER_BATCH 15            /* 900 KB of segments per batch */
/* tnc-imv-os after deleting its last connection state */
#define NONE_LEFT "(0 left, 0 bytes reserved for reassembly)"

static char out[1 << 20];

struct holder {
	struct tl_ptls c;
	uint32_t len;  /* the declared Length of the attribute */
	uint32_t sent; /* octets of it sent */
	int refused;   /* the server answered with RESULT */
};

static void
add_envelope(struct pa_tnc_builder *b, struct holder *h, const uint8_t *zeros)
{
	static uint8_t seg[SEG];
	struct pa_segment_envelope env = {PA_SEGMENT_FLAG_MORE, 0x77, {seg, SEG}};

	memcpy(seg, zeros, SEG);
	if (h->sent == 0) {
		/* The base attribute's header: IETF Installed Packages, Length len. */
		static const uint8_t head[8] = {0, 0, 0, 0, 0, 0, 0, 7};
		memcpy(seg, head, 8);
		seg[8] = (uint8_t)(h->len >> 24);
		seg[9] = (uint8_t)(h->len >> 16);
		seg[10] = (uint8_t)(h->len >> 8);
		seg[11] = (uint8_t)h->len;
		env.flags |= PA_SEGMENT_FLAG_START;
	}
	pa_tnc_builder_begin(b, 0, PA_TNC_VENDOR_TCG, PA_SEGMENT_ENVELOPE);
	pa_segment_envelope_encode(&b->w, &env);
	pa_tnc_builder_end(b);
	h->sent += SEG;
}

/* One CDATA batch: the first with a Segmentation Contract Request, each
 * with the next envelopes; never the last segment.  0 when nothing is left
 * to send but the last segment. */
static int
send_next(struct holder *h)
{
	static const uint8_t zeros[SEG];
	struct pa_tnc_builder pa;
	struct pb_builder pb;
	struct bytes msg, batch;
	int n = 0;

	pa_tnc_builder_init(&pa, 1, 1 << 20);
	if (h->sent == 0) {
		struct pa_segment_contract c = {PA_SEGMENT_NO_LIMIT, 65000};
		pa_tnc_builder_begin(&pa, 0, PA_TNC_VENDOR_TCG, PA_SEGMENT_CONTRACT_REQUEST);
		pa_segment_contract_encode(&pa.w, &c);
		pa_tnc_builder_end(&pa);
	}
	while (n < SEGS_PER_BATCH && h->len - h->sent > SEG) {
		add_envelope(&pa, h, zeros);
		n++;
	}
	if (n == 0) {
		pa_tnc_builder_clear(&pa);
		return 0;
	}
	ck_assert_int_eq(pa_tnc_builder_finish(&pa, &msg), 0);
	pb_builder_init(&pb, PB_DIR_TO_SERVER, PB_BATCH_CDATA, 1040000);
	pb_builder_add_pa(&pb, 0, PA_TNC_VENDOR_IETF, PA_TNC_SUBTYPE_IETF_OPERATING_SYSTEM, 1,
	    PB_PA_ID_ANY, msg);
	ck_assert_int_eq(pb_builder_finish(&pb, &batch), 0);
	ck_assert_int_eq(tl_ptls_send_batch(&h->c, batch.ptr, batch.len), 0);
	pb_builder_clear(&pb);
	pa_tnc_builder_clear(&pa);
	return 1;
}

/* The type of the next server batch. */
static int
next_batch_type(struct holder *h)
{
	uint8_t *m;
	size_t len;
	struct pb_batch b;
	struct parse_error pe;

	ck_assert_msg(tl_ptls_recv(&h->c, &m, &len, 15000) == 0, "no server batch");
	struct pb_limits lim = {len, 64, PB_DIR_TO_CLIENT};
	ck_assert_int_eq(pb_batch_parse(m + 16, len - 16, &lim, &b, &pe), 0);
	int type = b.type;
	pb_batch_clear(&b);
	free(m);
	return type;
}

/* Connects and sends segments while the server asks for more, until only
 * the last segment is left (held back) or the server decided (RESULT). */
static void
hold(struct holder *h, int port, uint32_t len)
{
	memset(h, 0, sizeof(*h));
	h->len = len;
	ck_assert_int_eq(tl_ptls_connect(&h->c, port, 1), 0);
	while (send_next(h)) {
		int type = next_batch_type(h);
		if (type == PB_BATCH_RESULT) {
			h->refused = 1;
			return;
		}
		ck_assert_msg(type == PB_BATCH_SDATA, "server batch %s", pb_batch_type_name(type));
	}
}

static int
client(struct tl_tncd *t, const char *facts_path)
{
	return tl_sh(out, sizeof(out), "%s/tncclient --server 127.0.0.1:%d --ca %s --facts %s "
	    "--timeout 30 2>&1", TNC_BIN_DIR, t->port, t->ca, facts_path);
}

/* ASan's allocator keeps freed memory in quarantine: there VmRSS cannot
 * show the release, the log's count of reserved bytes does. */
#ifdef __SANITIZE_ADDRESS__
#define RSS_RELEASE_VISIBLE 0
#else
#define RSS_RELEASE_VISIBLE 1
#endif

/* VmRSS of tnc-imv-os in kB. */
static long
imv_os_rss(struct tl_tncd *t)
{
	char rss[64];
	int pid = tl_child_pid(t, "tnc-imv-os");
	ck_assert_int_gt(pid, 0);
	ck_assert_int_eq(tl_proc_status(pid, "VmRSS", rss, sizeof(rss)), 0);
	return atol(rss);
}

START_TEST(holders_do_not_starve_the_others)
{
	struct tl_tncd t;
	static struct holder huge[HOLDERS], capped[HOLDERS];

	tl_tncd_start(&t, POLICY, true);
	tl_policy_seed(&t); /* the database knows the packages; rsh-server is blacklisted */
	char okpath[256], big[256];
	tl_facts_file(&t, "ok", "", okpath, sizeof(okpath));
	tl_facts_file(&t, "big", "packages_count = 20000\npackages_extra = rsh-server=0.17-22\n",
	    big, sizeof(big));
	ck_assert_int_eq(client(&t, okpath), 0); /* warm up: a normal session */
	long base_kb = imv_os_rss(&t);

	/* Above the per-connection cap: refused at the first segment, alone. */
	for (int i = 0; i < HOLDERS; i++)
		hold(&huge[i], t.port, HUGE_LEN);
	/* Within it: each holds 4 MiB but one segment, reserved in full. */
	for (int i = 0; i < HOLDERS; i++)
		hold(&capped[i], t.port, CAP_LEN);
	long hold_kb = imv_os_rss(&t);
	ck_assert_msg(hold_kb > base_kb + 24 * 1024, "VmRSS %ld kB holding, %ld kB before",
	    hold_kb, base_kb);

	/* The others are still assessed, the large package list completely. */
	int rc = client(&t, okpath);
	ck_assert_msg(rc == 0, "compliant client exit %d: %s", rc, out);
	rc = client(&t, big);
	ck_assert_msg(rc == 2, "client with 20000 packages exit %d: %s", rc, out);
	ck_assert_msg(strstr(out, "rsh-server"), "%s", out);
	for (int i = 0; i < HOLDERS; i++) {
		ck_assert_msg(huge[i].refused, "holder %d of 16 MiB was not refused", i);
		ck_assert_msg(!capped[i].refused, "holder %d within the cap was refused", i);
	}
	ck_assert(tl_log_contains(&t, "refuses 'IETF/Installed Packages' of 16777216 bytes", 0));

	/* The holders leave: no state, no reservation, the memory goes back. */
	int none_left = tl_log_count(&t, NONE_LEFT); /* the warm-up's */
	for (int i = 0; i < HOLDERS; i++) {
		tl_ptls_close(&huge[i].c);
		tl_ptls_close(&capped[i].c);
	}
	ck_assert_msg(tl_log_count_reaching(&t, NONE_LEFT, none_left + 1, 10000) > none_left,
	    "tnc-imv-os kept connection state (log %s)", t.log);
	long after_kb = imv_os_rss(&t);
	for (int i = 0; i < 50 && RSS_RELEASE_VISIBLE && after_kb > base_kb + 8 * 1024; i++) {
		usleep(100000);
		after_kb = imv_os_rss(&t);
	}
	ck_assert_msg(!RSS_RELEASE_VISIBLE || after_kb <= base_kb + 8 * 1024,
	    "VmRSS %ld kB after the holders left, %ld kB holding, %ld kB before", after_kb,
	    hold_kb, base_kb);
	tl_tncd_stop(&t);
}
END_TEST

/* tnc-tnccs goes away while endpoints hold attributes: no DELETE will come,
 * so tnc-imv-os drops those connections and their memory with the channel. */
START_TEST(channel_loss_releases)
{
	struct tl_tncd t;
	static struct holder capped[HOLDERS];

	tl_tncd_start(&t, POLICY, true);
	long base_kb = imv_os_rss(&t);
	for (int i = 0; i < HOLDERS; i++) {
		hold(&capped[i], t.port, CAP_LEN);
		ck_assert_msg(!capped[i].refused, "holder %d within the cap was refused", i);
	}
	long hold_kb = imv_os_rss(&t);
	ck_assert_msg(hold_kb > base_kb + 24 * 1024, "VmRSS %ld kB holding, %ld kB before",
	    hold_kb, base_kb);
	ck_assert_int_eq(tl_ctl(&t, out, sizeof(out), "restart tnc-tnccs"), 0);
	/* Whichever tnc-imv-os sees first: the channel closing or the new one. */
	ck_assert_msg(tl_log_contains(&t, "\"OS\" deleted the state of 8 connections, 0 bytes "
	    "reserved for reassembly: ", 10000), "log %s", t.log);
	long after_kb = imv_os_rss(&t);
	ck_assert_msg(!RSS_RELEASE_VISIBLE || after_kb <= base_kb + 8 * 1024,
	    "VmRSS %ld kB after tnccs left, "
	    "%ld kB holding, %ld kB before", after_kb, hold_kb, base_kb);
	for (int i = 0; i < HOLDERS; i++)
		tl_ptls_close(&capped[i].c);
	tl_tncd_stop(&t);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("segmentation_hold");
	TCase *tc = tcase_create("pt-tls");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, holders_do_not_starve_the_others);
	tcase_add_test(tc, channel_loss_releases);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	signal(SIGPIPE, SIG_IGN);
	return tl_run_suite(suite());
}
