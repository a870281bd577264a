/* tl_rpm.c - see tl_rpm.h. */
#include "tl_rpm.h"

#include <stdio.h>
#include <stdlib.h>

#include "testlib.h"

static const struct {
	char letter;
	const char *text;
} specs[] = {
	{'a', "Name: tnc-alpha\nEpoch: 2\nVersion: 1.0\nRelease: 3\nSummary: a\nLicense: MIT\n"
	    "Vendor: TNC Test\nBuildArch: noarch\n%description\na\n"
	    "%package -n tnc-beta\nSummary: b\n%description -n tnc-beta\nb\n"
	    "%package -n tnc-gamma\nSummary: g\n%description -n tnc-gamma\ng\n"
	    "%files\n%files -n tnc-beta\n%files -n tnc-gamma\n"},
	{'b', "Name: tnc-delta\nVersion: 0.9\nRelease: 1.el9\nSummary: d\nLicense: MIT\n"
	    "BuildArch: noarch\n%description\nd\n"
	    "%package -n libfoo++\nSummary: f\n%description -n libfoo++\nf\n"
	    "%files\n%files -n libfoo++\n"},
	{'c', "Name: tnc-beta\nEpoch: 2\nVersion: 1.1\nRelease: 1\nSummary: b\nLicense: MIT\n"
	    "BuildArch: noarch\n%description\nb\n%files\n"},
	{'d', "Name: tnc-epsilon\nVersion: 5\nRelease: 1\nSummary: e\nLicense: MIT\n"
	    "BuildArch: noarch\n%description\ne\n%files\n"},
};

static char out[8192];

bool
tl_rpm_available(void)
{
	if (system("command -v rpmbuild >/dev/null && command -v rpm >/dev/null") == 0)
		return true;
	printf("SKIP: rpmbuild or rpm not found (Debian package rpm, in scripts/deps)\n");
	return false;
}

void
tl_rpm_build(const char *dir, char spec)
{
	const char *text = NULL;
	char path[300];
	FILE *f;

	for (size_t i = 0; i < sizeof(specs) / sizeof(specs[0]); i++)
		if (specs[i].letter == spec)
			text = specs[i].text;
	ck_assert_msg(text, "no spec '%c'", spec);
	snprintf(path, sizeof(path), "%s/%c.spec", dir, spec);
	ck_assert_ptr_nonnull(f = fopen(path, "w"));
	fputs(text, f);
	ck_assert_int_eq(fclose(f), 0);
	ck_assert_msg(tl_sh(out, sizeof(out), "rpmbuild -bb --quiet --define '_topdir %s/top' "
	    "'%s' 2>&1", dir, path) == 0, "rpmbuild %c: %s", spec, out);
}

void
tl_rpm(const char *dir, const char *root, const char *args)
{
	ck_assert_msg(tl_sh(out, sizeof(out), "cd '%s/top/RPMS/noarch' && rpm --dbpath "
	    "'%s/var/lib/rpm' %s --nodeps --justdb 2>&1", dir, root, args) == 0, "rpm %s: %s",
	    args, out);
}

void
tl_rpm_endpoint(const char *dir, const char *root)
{
	ck_assert_int_eq(tl_sh(out, sizeof(out), "mkdir -p '%s/var/lib/rpm'", root), 0);
	tl_rpm_build(dir, 'a');
	tl_rpm_build(dir, 'b');
	tl_rpm(dir, root, "-i tnc-alpha-1.0-3.noarch.rpm tnc-beta-1.0-3.noarch.rpm "
	    "tnc-gamma-1.0-3.noarch.rpm tnc-delta-0.9-1.el9.noarch.rpm "
	    "libfoo++-0.9-1.el9.noarch.rpm");
}
