/* adm_model.c - tncadm: the database itself (init, migrate, check, tables)
 * and the policy model (products, groups, policies, enforcements). */
#include <stdio.h>
#include <sys/stat.h>

#include "adm.h"

int
cmd_init(struct adm *a)
{
	struct stat sb;
	int version;
	if (stat(a->db_path, &sb) == 0 && sb.st_size > 0) {
		fprintf(stderr, "tncadm: %s exists already\n", a->db_path);
		return ADM_FAIL;
	}
	/* a PostgreSQL database is there before us: its schema must not be */
	if (adm_peek(a->db_path, a->db_password_file, &version, false) == ADM_OK) {
		fprintf(stderr, "tncadm: %s holds schema %d already\n", a->db_path, version);
		return ADM_FAIL;
	}
	if (adm_open_db(a->db_path, a->db_password_file, PS_OPEN_CREATE, &a->store))
		return ADM_FAIL;
	return adm_done(a, 0, "created %s (schema %d, default policy)", a->db_path,
	    policy_store_schema_version(a->store));
}

/* Copies the site to --to, a new database, and shows what was verified. */
static int
migrate_to(struct adm *a)
{
	const char *to = a->opt[ADM_OPT_TO];
	struct policy_store *dst = NULL;
	struct ps_copy_report report;
	if (adm_open(a) || adm_open_db(to, a->opt[ADM_OPT_TO_PASSWORD_FILE], PS_OPEN_CREATE, &dst))
		return ADM_FAIL;
	int err = policy_admin_copy(a->store, dst, &report);
	policy_store_close(dst);
	if (err)
		return adm_store_fail(a, err, to);
	size_t rows = 0;
	for (size_t i = 0; i < PS_COPY_TABLES; i++) {
		rows += report.tables[i].rows;
		if (!a->json)
			printf("%-20s %8zu rows  checksum %02x%02x%02x%02x%02x%02x%02x%02x\n",
			    report.tables[i].name, report.tables[i].rows, report.tables[i].checksum[0],
			    report.tables[i].checksum[1], report.tables[i].checksum[2],
			    report.tables[i].checksum[3], report.tables[i].checksum[4],
			    report.tables[i].checksum[5], report.tables[i].checksum[6],
			    report.tables[i].checksum[7]);
	}
	return adm_done(a, 0,
	    "copied %s to %s: %zu rows in %d tables, row counts and checksums verified", a->db_path,
	    to, rows, PS_COPY_TABLES);
}

int
cmd_migrate(struct adm *a)
{
	int from;
	if (a->opt[ADM_OPT_TO])
		return migrate_to(a);
	if (adm_peek(a->db_path, a->db_password_file, &from, true) ||
	    adm_open_db(a->db_path, a->db_password_file, PS_OPEN_MIGRATE, &a->store))
		return ADM_FAIL;
	int to = policy_store_schema_version(a->store);
	if (from == to)
		return adm_done(a, 0, "%s is at schema %d already", a->db_path, to);
	return adm_done(a, 0, "%s migrated from schema %d to %d", a->db_path, from, to);
}

int
cmd_check(struct adm *a)
{
	return adm_done(a, policy_store_check(a->store), "%s: integrity and foreign keys ok (schema %d)",
	    a->db_path, policy_store_schema_version(a->store));
}

int
cmd_tables(struct adm *a)
{
	return adm_list(a, PS_LIST_TABLES, NULL, 0);
}

int
cmd_product_list(struct adm *a)
{
	return adm_list(a, PS_LIST_PRODUCTS, NULL, 0);
}

int
cmd_product_add(struct adm *a)
{
	return adm_done(a, policy_admin_product_add(a->store, a->args[0]), "product '%s' added",
	    a->args[0]);
}

int
cmd_product_remove(struct adm *a)
{
	return adm_done(a, policy_admin_product_remove(a->store, a->args[0]),
	    "product '%s' removed", a->args[0]);
}

int
cmd_group_list(struct adm *a)
{
	return adm_list(a, PS_LIST_GROUPS, NULL, 0);
}

int
cmd_group_add(struct adm *a)
{
	return adm_done(a, policy_admin_group_add(a->store, a->args[0], a->opt[ADM_OPT_PARENT]),
	    "group '%s' added", a->args[0]);
}

int
cmd_group_remove(struct adm *a)
{
	return adm_done(a, policy_admin_group_remove(a->store, a->args[0]), "group '%s' removed",
	    a->args[0]);
}

int
cmd_group_default(struct adm *a)
{
	return adm_done(a, policy_admin_group_set_default(a->store, a->args[0]),
	    "group '%s' is the default group", a->args[0]);
}

int
cmd_group_members(struct adm *a)
{
	return adm_list(a, PS_LIST_GROUP_MEMBERS, a->args[0], 0);
}

int
cmd_group_add_product(struct adm *a)
{
	return adm_done(a,
	    policy_admin_group_member(a->store, a->args[0], PS_MEMBER_PRODUCT, a->args[1], true),
	    "every device of '%s' is in group '%s'", a->args[1], a->args[0]);
}

int
cmd_group_remove_product(struct adm *a)
{
	return adm_done(a,
	    policy_admin_group_member(a->store, a->args[0], PS_MEMBER_PRODUCT, a->args[1], false),
	    "product '%s' left group '%s'", a->args[1], a->args[0]);
}

int
cmd_policy_list(struct adm *a)
{
	return adm_list(a, PS_LIST_POLICIES, NULL, 0);
}

int
cmd_policy_types(struct adm *a)
{
	const char *names[PS_POLICY_TYPE_COUNT];
	int64_t index[PS_POLICY_TYPE_COUNT];
	if (!a->json) {
		for (int t = 0; t < PS_POLICY_TYPE_COUNT; t++)
			printf("%s  %s\n", ps_policy_type_name(t), ps_policy_type_text(t));
		return ADM_OK;
	}
	for (int t = 0; t < PS_POLICY_TYPE_COUNT; t++) {
		names[t] = ps_policy_type_name(t);
		index[t] = t;
	}
	return adm_print_counts(a, names, index, PS_POLICY_TYPE_COUNT);
}

int
cmd_policy_add(struct adm *a)
{
	/* main() checked the values already */
	int fail = adm_rec_option(a, ADM_OPT_FAIL), noresult = adm_rec_option(a, ADM_OPT_NORESULT);
	int type = ps_policy_type_parse(a->opt[ADM_OPT_TYPE]);
	struct ps_policy_spec p = {
	    .name = a->args[0],
	    .type = type,
	    .argument = a->opt[ADM_OPT_ARGUMENT] ? a->opt[ADM_OPT_ARGUMENT] : "",
	    .rec_fail = fail < 0 ? IMV_REC_NO_ACCESS : fail,
	    .rec_noresult = noresult < 0 ? IMV_REC_NO_ACCESS : noresult,
	    .path = a->opt[ADM_OPT_PATH],
	};
	return adm_done(a, policy_admin_policy_add(a->store, &p), "policy '%s' (%s) added", p.name,
	    ps_policy_type_name(p.type));
}

int
cmd_policy_remove(struct adm *a)
{
	return adm_done(a, policy_admin_policy_remove(a->store, a->args[0]), "policy '%s' removed",
	    a->args[0]);
}

int
cmd_policy_set(struct adm *a)
{
	/* main() checked the values already */
	int fail = adm_rec_option(a, ADM_OPT_FAIL), noresult = adm_rec_option(a, ADM_OPT_NORESULT);
	if (!a->opt[ADM_OPT_ARGUMENT] && fail < 0 && noresult < 0)
		return adm_usage_fail(a, "policy set: give --argument, --fail or --noresult");
	return adm_done(a,
	    policy_admin_policy_set(a->store, a->args[0], a->opt[ADM_OPT_ARGUMENT], fail, noresult),
	    "policy '%s' changed", a->args[0]);
}

int
cmd_enforcement_list(struct adm *a)
{
	return adm_list(a, PS_LIST_ENFORCEMENTS, NULL, 0);
}

int
cmd_enforcement_add(struct adm *a)
{
	/* main() checked the values already */
	int fail = adm_rec_option(a, ADM_OPT_FAIL), noresult = adm_rec_option(a, ADM_OPT_NORESULT);
	int64_t max_age = adm_int_option(a, ADM_OPT_MAX_AGE, 0);
	return adm_done(a,
	    policy_admin_enforcement_add(a->store, a->args[0], a->args[1], max_age, fail, noresult),
	    "group '%s' enforces '%s'", a->args[1], a->args[0]);
}

int
cmd_enforcement_set(struct adm *a)
{
	/* main() checked the values already */
	int fail = adm_rec_option(a, ADM_OPT_FAIL), noresult = adm_rec_option(a, ADM_OPT_NORESULT);
	int64_t max_age = adm_int_option(a, ADM_OPT_MAX_AGE, -1);
	if (max_age < 0 && fail < 0 && noresult < 0)
		return adm_usage_fail(a, "enforcement set: give --max-age, --fail or --noresult");
	return adm_done(a,
	    policy_admin_enforcement_set(a->store, a->args[0], a->args[1], max_age, fail, noresult),
	    "group '%s' enforces '%s' as changed", a->args[1], a->args[0]);
}

int
cmd_enforcement_remove(struct adm *a)
{
	return adm_done(a, policy_admin_enforcement_remove(a->store, a->args[0], a->args[1]),
	    "group '%s' no longer enforces '%s'", a->args[1], a->args[0]);
}
