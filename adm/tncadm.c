/* tncadm - the operator's CLI for the policy database: products, groups,
 * policies, enforcements, devices (and their AIKs), packages, reference
 * files (from trees, IMA lists, Debian packages), sessions, and taking over
 * a strongSwan database; and for tnc-ike's SASL users and tnc-imv-attest's
 * IMA signing keys.  Options may stand anywhere on the command line; '--'
 * ends them.  Exit 0 ok, 1 refused by the store (unknown
 * name, exists, wrong schema version, corrupt file), 2 bad command line. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adm.h"

struct command {
	const char *word, *sub; /* sub NULL: a command of one word */
	int min, max;           /* positional arguments */
	unsigned opts, needs; /* options it takes; options it needs */
	bool no_db; /* opens the database itself, or needs none */
	adm_cmd_fn *fn;
	const char *usage;
};

static const struct command commands[] = {
    {"init", NULL, 0, 0, 0, 0, true, cmd_init,
        "create the database with the schema and default policy"},
    {"migrate", NULL, 0, 0, OPT(TO) | OPT(TO_PASSWORD_FILE), 0, true, cmd_migrate,
        "[--to DATABASE [--to-password-file FILE]]   migrate the database to this build's"
        " schema; with --to, copy the whole site to a new database (verified by row counts"
        " and checksums)"},
    {"check", NULL, 0, 0, 0, 0, false, cmd_check, "integrity and foreign-key check"},
    {"tables", NULL, 0, 0, 0, 0, false, cmd_tables, "row count per table"},
    {"product", "list", 0, 0, OPT(LIMIT), 0, false, cmd_product_list, ""},
    {"product", "add", 1, 1, 0, 0, false, cmd_product_add, "NAME"},
    {"product", "remove", 1, 1, 0, 0, false, cmd_product_remove, "NAME"},
    {"group", "list", 0, 0, OPT(LIMIT), 0, false, cmd_group_list, ""},
    {"group", "add", 1, 1, OPT(PARENT), 0, false, cmd_group_add, "NAME [--parent GROUP]"},
    {"group", "remove", 1, 1, 0, 0, false, cmd_group_remove, "NAME"},
    {"group", "default", 1, 1, 0, 0, false, cmd_group_default, "NAME   (applies to every device)"},
    {"group", "members", 1, 1, OPT(LIMIT), 0, false, cmd_group_members, "NAME"},
    {"group", "add-product", 2, 2, 0, 0, false, cmd_group_add_product, "GROUP PRODUCT"},
    {"group", "remove-product", 2, 2, 0, 0, false, cmd_group_remove_product, "GROUP PRODUCT"},
    {"policy", "list", 0, 0, OPT(LIMIT), 0, false, cmd_policy_list, ""},
    {"policy", "types", 0, 0, 0, 0, true, cmd_policy_types, ""},
    {"policy", "add", 1, 1, OPT(TYPE) | OPT(ARGUMENT) | OPT(PATH) | OPT(FAIL) | OPT(NORESULT),
        OPT(TYPE), false, cmd_policy_add,
        "NAME --type TYPE [--argument TEXT] [--path PATH] [--fail REC] [--noresult REC]"},
    {"policy", "set", 1, 1, OPT(ARGUMENT) | OPT(FAIL) | OPT(NORESULT), 0, false, cmd_policy_set,
        "NAME [--argument TEXT] [--fail REC] [--noresult REC]   (changes what is given)"},
    {"policy", "remove", 1, 1, 0, 0, false, cmd_policy_remove, "NAME"},
    {"enforcement", "list", 0, 0, OPT(LIMIT), 0, false, cmd_enforcement_list, ""},
    {"enforcement", "add", 2, 2, OPT(MAX_AGE) | OPT(FAIL) | OPT(NORESULT), 0, false,
        cmd_enforcement_add,
        "POLICY GROUP [--max-age SECONDS] [--fail REC] [--noresult REC]"},
    {"enforcement", "set", 2, 2, OPT(MAX_AGE) | OPT(FAIL) | OPT(NORESULT), 0, false,
        cmd_enforcement_set,
        "POLICY GROUP [--max-age SECONDS] [--fail REC] [--noresult REC]   (changes what is given)"},
    {"enforcement", "remove", 2, 2, 0, 0, false, cmd_enforcement_remove, "POLICY GROUP"},
    {"device", "list", 0, 0, OPT(LIMIT), 0, false, cmd_device_list, ""},
    {"device", "show", 1, 1, 0, 0, false, cmd_device_show, "DEVICE"},
    {"device", "add", 1, 1, OPT(PRODUCT) | OPT(DESCRIPTION) | OPT(AIK), 0, false, cmd_device_add,
        "DEVICE [--product NAME] [--description TEXT] [--aik KEYID]"},
    {"device", "remove", 1, 1, 0, 0, false, cmd_device_remove, "DEVICE"},
    {"device", "aik", 1, 1, OPT(FILE) | OPT(TRUST), OPT(FILE), false, cmd_device_aik,
        "DEVICE --file FILE [--trust]   (the AIK's public key or certificate, PEM or DER; its key"
        " id becomes the device's)"},
    {"device", "trust", 1, 1, 0, 0, false, cmd_device_trust, "DEVICE"},
    {"device", "untrust", 1, 1, 0, 0, false, cmd_device_untrust, "DEVICE"},
    {"device", "join", 2, 2, 0, 0, false, cmd_device_join, "DEVICE GROUP"},
    {"device", "leave", 2, 2, 0, 0, false, cmd_device_leave, "DEVICE GROUP"},
    {"package", "list", 1, 1, OPT(LIMIT), 0, false, cmd_package_list, "PRODUCT"},
    {"package", "import", 2, 2, OPT(SECURITY), 0, false, cmd_package_import,
        "PRODUCT FILE [--security]   (a dpkg status file or a Debian Packages file)"},
    {"package", "blacklist", 1, 1, OPT(PRODUCT) | OPT(RELEASE), 0, false, cmd_package_blacklist,
        "PACKAGE [--product NAME --release VERSION]"},
    {"package", "unblacklist", 1, 1, OPT(PRODUCT) | OPT(RELEASE), 0, false, cmd_package_unblacklist,
        "PACKAGE [--product NAME --release VERSION]"},
    {"package", "security", 1, 1, OPT(PRODUCT) | OPT(RELEASE), OPT(PRODUCT) | OPT(RELEASE), false,
        cmd_package_security,
        "PACKAGE --product NAME --release VERSION"},
    {"package", "unsecurity", 1, 1, OPT(PRODUCT) | OPT(RELEASE), OPT(PRODUCT) | OPT(RELEASE), false,
        cmd_package_unsecurity,
        "PACKAGE --product NAME --release VERSION"},
    {"files", "list", 1, 1, OPT(LIMIT), 0, false, cmd_files_list, "PRODUCT"},
    {"files", "import", 2, 2, OPT(ALGO) | OPT(PREFIX), 0, false, cmd_files_import,
        "PRODUCT DIR [--algo sha256] [--prefix PATH]   (hashes every regular file under DIR)"},
    {"files", "import-ima", 2, 2, OPT(ALGO), 0, false, cmd_files_import_ima,
        "PRODUCT LIST [--algo ALGO]   (the file digests of a trusted IMA measurement list,"
        " binary or ASCII; only ALGO's when given)"},
    {"files", "import-deb", 2, 1000, OPT(ALGO), 0, false, cmd_files_import_deb,
        "PRODUCT DEB... [--algo sha256]   (hashes the files of Debian packages as installed)"},
    {"ima-key", "add", 1, 1, OPT(DIR), 0, true, cmd_ima_key_add,
        "FILE [--dir DIR]   (an IMA signing key: public key or certificate, PEM or DER)"},
    {"ima-key", "list", 0, 0, OPT(DIR), 0, true, cmd_ima_key_list, "[--dir DIR]"},
    {"ima-key", "remove", 1, 1, OPT(DIR), 0, true, cmd_ima_key_remove,
        "KEYID [--dir DIR]   (the key id 'ima-key list' shows)"},
    {"session", "list", 0, 0, OPT(LIMIT), 0, false, cmd_session_list,
        "[--limit N]   (the most recent first)"},
    {"session", "show", 1, 1, 0, 0, false, cmd_session_show, "ID"},
    {"sw", "inventory", 1, 1, 0, 0, false, cmd_sw_inventory,
        "DEVICE   (the software identifiers the device runs)"},
    {"sw", "events", 1, 1, OPT(SINCE), 0, false, cmd_sw_events,
        "DEVICE [--since EID]   (its SWIMA events; with --since, those of the current epoch"
        " after EID)"},
    {"sw", "devices", 1, 1, OPT(BELOW) | OPT(FROM) | OPT(TO), 0, false, cmd_sw_devices,
        "PACKAGE [--below VERSION | --from VERSION --to VERSION]   (the devices running it,"
        " versions in dpkg's order)"},
    {"sw", "advisories", 2, 2, OPT(SUITE), 0, false, cmd_sw_advisories,
        "import FILE [--suite CODENAME]   (a DSA list for one release, or lines \"package"
        " fixed-version advisory-id\": versions below the fixed one are vulnerable; prints the"
        " devices affected)"},
    {"import-strongswan", NULL, 1, 1, 0, 0, false, cmd_import_strongswan,
        "FILE   (a strongSwan / strongTNC IMV database, into a new database)"},
    {"sasl", "add", 1, 1, OPT(FILE) | OPT(PASSWORD_FILE), 0, true, cmd_sasl_add,
        "USER [--file FILE] [--password-file FILE]   (adds or changes a PT-TLS SASL user)"},
    {"sasl", "remove", 1, 1, OPT(FILE), 0, true, cmd_sasl_remove, "USER [--file FILE]"},
    {"sasl", "list", 0, 0, OPT(FILE), 0, true, cmd_sasl_list, "[--file FILE]"},
    {"sasl", "check", 0, 1, OPT(FILE) | OPT(PASSWORD_FILE), 0, true, cmd_sasl_check,
        "[USER] [--file FILE] [--password-file FILE]   (the file as tnc-ike reads it; with "
        "USER, the password)"},
};
#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static const struct {
	const char *name, *arg, *text;
} options[ADM_OPT_COUNT] = {
#define ADM_OPTION_ROW(id, name, arg, text) {name, arg, text},
    ADM_OPTION_MAP(ADM_OPTION_ROW)
#undef ADM_OPTION_ROW
};

static void
usage(FILE *out)
{
	fprintf(out, "usage: tncadm [--db DATABASE] [--db-password-file FILE] [--json] COMMAND [ARGS]"
	             " [OPTIONS]\n"
	             "DATABASE is a SQLite file or postgresql://USER@HOST[:PORT]/DBNAME; it defaults to\n"
	             "$TNC_POLICY_DB, then %s.  A PostgreSQL password is the first line of\n"
	             "--db-password-file, else of $TNC_POLICY_DB_PASSWORD_FILE.\n\ncommands:\n",
	    ADM_DEFAULT_DB);
	for (size_t i = 0; i < NCOMMANDS; i++)
		fprintf(out, "  %s%s%s %s\n", commands[i].word, commands[i].sub ? " " : "",
		    commands[i].sub ? commands[i].sub : "", commands[i].usage);
	fprintf(out, "\noptions:\n  --db DATABASE\n  --db-password-file FILE\n  --json               JSON output for scripts\n"
	             "  --help, --version\n");
	for (int i = 0; i < ADM_OPT_COUNT; i++)
		fprintf(out, "  --%s%s%-*s %s\n", options[i].name, options[i].arg ? " " : "",
		    (int)(19 - strlen(options[i].name) - (options[i].arg ? 1 : 0)),
		    options[i].arg ? options[i].arg : "", options[i].text);
	fprintf(out, "\nexit: 0 ok, 1 refused (unknown name, exists, wrong schema version,"
	             " corrupt file), 2 bad command line\n");
}

int
adm_usage_fail(struct adm *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "tncadm: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, " (tncadm --help)\n");
	va_end(ap);
	return ADM_USAGE;
}

int
adm_store_fail(struct adm *a, int err, const char *what)
{
	const char *detail = a->store && policy_store_error(a->store)[0] ? policy_store_error(a->store)
	                                                                  : tnc_strerror(err);
	fprintf(stderr, "tncadm: %s%s%s\n", what ? what : "", what ? ": " : "", detail);
	return ADM_FAIL;
}

int
adm_open_db(const char *db, const char *password_file, unsigned flags, struct policy_store **ret)
{
	char err[512];
	struct ps_target *t = NULL;
	int code = ps_target_make(db, password_file, &t, err, sizeof(err));
	if (!code)
		code = policy_store_open_target(t, flags, ret, err, sizeof(err));
	ps_target_free(t);
	if (code) {
		fprintf(stderr, "tncadm: %s\n", err);
		return ADM_FAIL;
	}
	return ADM_OK;
}

int
adm_peek(const char *db, const char *password_file, int *ret_version, bool loud)
{
	char err[512];
	struct ps_target *t = NULL;
	int code = ps_target_make(db, password_file, &t, err, sizeof(err));
	if (!code)
		code = policy_store_peek_version(t, ret_version, err, sizeof(err));
	ps_target_free(t);
	if (code && loud)
		fprintf(stderr, "tncadm: %s\n", err);
	return code ? ADM_FAIL : ADM_OK;
}

int
adm_open(struct adm *a)
{
	return adm_open_db(a->db_path, a->db_password_file, 0, &a->store);
}

int
adm_rec_option(struct adm *a, enum adm_option o)
{
	if (!a->opt[o])
		return -1;
	int rec = ps_rec_parse(a->opt[o]);
	if (rec < 0) {
		adm_usage_fail(a, "--%s %s: one of allow, no_access, isolate, none", options[o].name,
		    a->opt[o]);
		return -2;
	}
	return rec;
}

int64_t
adm_int_option(struct adm *a, enum adm_option o, int64_t dflt)
{
	if (!a->opt[o])
		return dflt;
	char *end;
	errno = 0;
	long long v = strtoll(a->opt[o], &end, 10);
	if (errno || end == a->opt[o] || *end || v < 0) {
		adm_usage_fail(a, "--%s %s: a non-negative number is needed", options[o].name, a->opt[o]);
		return -1;
	}
	return v;
}

/* Splits argv into options (anywhere) and words; returns 0 or ADM_USAGE. */
static int
parse(struct adm *a, int argc, char **argv, char **words, int *nwords, bool *help, bool *version)
{
	bool opts_done = false;
	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i];
		if (opts_done || arg[0] != '-' || !arg[1]) {
			words[(*nwords)++] = argv[i];
			continue;
		}
		if (!strcmp(arg, "--")) {
			opts_done = true;
			continue;
		}
		if (!strcmp(arg, "--help") || !strcmp(arg, "-h")) {
			*help = true;
			continue;
		}
		if (!strcmp(arg, "--version")) {
			*version = true;
			continue;
		}
		if (!strcmp(arg, "--json")) {
			a->json = true;
			continue;
		}
		if (!strcmp(arg, "--db")) {
			if (i + 1 >= argc)
				return adm_usage_fail(a, "--db needs a DATABASE");
			a->db_path = argv[++i];
			continue;
		}
		if (!strcmp(arg, "--db-password-file")) {
			if (i + 1 >= argc)
				return adm_usage_fail(a, "--db-password-file needs a FILE");
			a->db_password_file = argv[++i];
			continue;
		}
		int o = 0;
		while (o < ADM_OPT_COUNT && (strncmp(arg, "--", 2) || strcmp(arg + 2, options[o].name)))
			o++;
		if (o == ADM_OPT_COUNT)
			return adm_usage_fail(a, "unknown option %s", arg);
		if (a->opt[o])
			return adm_usage_fail(a, "%s given twice", arg);
		if (!options[o].arg) {
			a->opt[o] = "";
		} else if (i + 1 >= argc) {
			return adm_usage_fail(a, "%s needs %s", arg, options[o].arg);
		} else {
			a->opt[o] = argv[++i];
		}
	}
	return 0;
}

/* Option values that can be judged without the database, so a bad
 * command line is a usage error even where the database is missing. */
static int
check_options(struct adm *a, const struct command *c)
{
	const char *name = c->sub ? c->sub : c->word;
	for (int o = 0; o < ADM_OPT_COUNT; o++) {
		if (a->opt[o] && !(c->opts & (1u << o)))
			return adm_usage_fail(a, "--%s does not apply to '%s%s%s'", options[o].name,
			    c->word, c->sub ? " " : "", c->sub ? c->sub : "");
		if (!a->opt[o] && (c->needs & (1u << o)))
			return adm_usage_fail(a, "'%s %s' needs --%s", c->word, name, options[o].name);
	}
	if (a->opt[ADM_OPT_TO_PASSWORD_FILE] && !a->opt[ADM_OPT_TO])
		return adm_usage_fail(a, "--to-password-file goes with --to");
	if ((c->opts & OPT(RELEASE)) && !a->opt[ADM_OPT_PRODUCT] != !a->opt[ADM_OPT_RELEASE])
		return adm_usage_fail(a, "--product and --release go together");
	if (a->opt[ADM_OPT_TYPE] && ps_policy_type_parse(a->opt[ADM_OPT_TYPE]) < 0)
		return adm_usage_fail(a, "unknown policy type '%s' (tncadm policy types)",
		    a->opt[ADM_OPT_TYPE]);
	if (adm_rec_option(a, ADM_OPT_FAIL) == -2 || adm_rec_option(a, ADM_OPT_NORESULT) == -2 ||
	    adm_int_option(a, ADM_OPT_LIMIT, 0) < 0 || adm_int_option(a, ADM_OPT_MAX_AGE, 0) < 0)
		return ADM_USAGE;
	return 0;
}

static const struct command *
find(int nwords, char **words, bool *ret_known_word)
{
	*ret_known_word = false;
	for (size_t i = 0; nwords > 0 && i < NCOMMANDS; i++) {
		if (strcmp(commands[i].word, words[0]))
			continue;
		*ret_known_word = true;
		if (!commands[i].sub || (nwords > 1 && !strcmp(commands[i].sub, words[1])))
			return &commands[i];
	}
	return NULL;
}

int
main(int argc, char **argv)
{
	struct adm a = {.db_path = getenv("TNC_POLICY_DB")};
	char **words = calloc((size_t)argc + 1, sizeof(*words));
	int nwords = 0, code;
	bool help = false, version = false, known_word;
	if (!words)
		abort();
	if (!a.db_path || !a.db_path[0])
		a.db_path = ADM_DEFAULT_DB;
	if ((code = parse(&a, argc, argv, words, &nwords, &help, &version)))
		goto out;
	/* the variable is for a PostgreSQL database; a SQLite one has no password */
	if (!a.db_password_file && ps_db_is_pg(a.db_path))
		a.db_password_file = getenv("TNC_POLICY_DB_PASSWORD_FILE");
	if (help || version) {
		if (version)
			printf("tncadm %s (policy schema %d)\n", TNC_VERSION, policy_store_schema_latest());
		else
			usage(stdout);
		code = ADM_OK;
		goto out;
	}
	const struct command *c = find(nwords, words, &known_word);
	if (!c) {
		code = nwords == 0 ? adm_usage_fail(&a, "no command")
		       : known_word ? adm_usage_fail(&a, "'%s' needs one of its subcommands%s%s",
		                          words[0], nwords > 1 ? ", not " : "", nwords > 1 ? words[1] : "")
		                    : adm_usage_fail(&a, "unknown command '%s'", words[0]);
		goto out;
	}
	int skip = c->sub ? 2 : 1;
	a.args = words + skip;
	a.nargs = nwords - skip;
	if (a.nargs < c->min || a.nargs > c->max) {
		code = adm_usage_fail(&a, "usage: tncadm %s%s%s %s", c->word, c->sub ? " " : "",
		    c->sub ? c->sub : "", c->usage);
		goto out;
	}
	if ((code = check_options(&a, c)))
		goto out;
	if (!c->no_db && (code = adm_open(&a)))
		goto out;
	code = c->fn(&a);
out:
	policy_store_close(a.store);
	free(words);
	return code;
}
