/* imv_budget.c - the process's reassembly budget (see imv_budget.h). */
#include "imv_budget.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

static struct {
	size_t conn_max, total_max, used;
} budget = {IMV_REASM_CONN_DEFAULT, IMV_REASM_TOTAL_DEFAULT, 0};

static const char *
parse_size(const char *value, size_t *ret)
{
	char *end;
	errno = 0;
	unsigned long long n = strtoull(value, &end, 10);
	if (!isdigit((unsigned char)value[0]) || *end || errno || n < IMV_REASM_MIN ||
	    n > IMV_REASM_MAX)
		return "must be 65536..536870912 octets";
	*ret = (size_t)n;
	return NULL;
}

const char *
imv_budget_set(const char *key, const char *value)
{
	size_t *field;
	const char *err;

	if (strcmp(key, "reassembly_conn_max") == 0)
		field = &budget.conn_max;
	else if (strcmp(key, "reassembly_total_max") == 0)
		field = &budget.total_max;
	else
		return "";
	if ((err = parse_size(value, field)) != NULL)
		return err;
	if (budget.conn_max > budget.total_max)
		budget.conn_max = budget.total_max;
	return NULL;
}

void
imv_budget_reset(void)
{
	budget.conn_max = IMV_REASM_CONN_DEFAULT;
	budget.total_max = IMV_REASM_TOTAL_DEFAULT;
	budget.used = 0;
}

size_t imv_budget_conn_max(void) { return budget.conn_max; }
size_t imv_budget_total_max(void) { return budget.total_max; }
size_t imv_budget_used(void) { return budget.used; }

int
imv_budget_reserve(size_t *held, size_t n)
{
	if (n > budget.total_max - budget.used)
		return TNC_ETOOLONG;
	budget.used += n;
	*held += n;
	return 0;
}

void
imv_budget_release(size_t *held)
{
	budget.used -= *held;
	*held = 0;
}
