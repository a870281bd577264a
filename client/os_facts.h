/* os_facts.h - the facts of this machine the OS IMC reports (RFC 5792
 * 4.2.2-4.2.12 and ITA-HSR Device ID), collected from /etc/os-release,
 * uname(2), /proc/uptime, /proc/sys/net/ipv4/ip_forward, /etc/machine-id
 * and /var/lib/dpkg/status, and overridable by a facts file (facts_file.h).
 *
 * Naming follows what strongSwan's OS IMC sends on Debian 12: product
 * "Debian" (os-release NAME without " GNU/Linux"), string version
 * "12 x86_64" (VERSION_ID, a blank, the machine from uname), numeric
 * version 12.0, vendor = the IANA PEN of the distribution's maker.
 */
#ifndef TNC_OS_FACTS_H
#define TNC_OS_FACTS_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "err.h"
#include "package_list.h"

#define OS_FACTS_TEXT_MAX 256 /* product, version, device ID, with the NUL */

/* RFC 5792 4.2.11: Forwarding Enabled values. */
enum os_forwarding {
	OS_FORWARDING_DISABLED = 0,
	OS_FORWARDING_ENABLED = 1,
	OS_FORWARDING_UNKNOWN = 2,
};

struct os_facts {
	char product[OS_FACTS_TEXT_MAX];
	uint32_t product_vendor; /* IANA PEN, 0 when not known */
	char version[OS_FACTS_TEXT_MAX];
	uint32_t major, minor;
	time_t boot_time; /* 0: not known */
	uint32_t forwarding;       /* enum os_forwarding */
	uint32_t default_password; /* 0: not enabled, 1: enabled */
	char device_id[OS_FACTS_TEXT_MAX]; /* "" : not known, not sent */
	/* Installed packages: os_facts_load_packages() fills pkgs from the dpkg
	 * status file at packages_path, then extra, then synthetic entries. */
	char packages_path[4096];
	bool packages_required; /* a missing packages_path is an error */
	struct package_list extra;
	unsigned synthetic;
	struct package_list pkgs;
};

/* Where the facts come from (tests point these at their own files). */
struct os_facts_sources {
	const char *os_release;
	const char *os_release_fallback;
	const char *uptime;
	const char *ip_forward;
	const char *machine_id;
	const char *dpkg_status;
};

extern const struct os_facts_sources os_facts_system;

void os_facts_init(struct os_facts *f);
void os_facts_clear(struct os_facts *f);
/* Collects everything but the package list; a source that cannot be read
 * leaves its "not known" value and is logged (IMV subsystem, the IMC's). */
void os_facts_collect(struct os_facts *f, const struct os_facts_sources *src);
/* Builds f->pkgs; an unreadable packages_path or a list over 65535 entries
 * is an error (logged). */
int os_facts_load_packages(struct os_facts *f) TNC_MUST_CHECK;

/* "Debian GNU/Linux" -> "Debian", "Fedora Linux" -> "Fedora"; others as
 * they are.  Writes at most size octets including the NUL. */
void os_facts_product_name(const char *os_release_name, char *out, size_t size);
/* IANA PEN of the maker of a distribution named like "Debian", else 0. */
uint32_t os_facts_product_vendor(const char *product);
/* "22.04" -> 22, 4; "12" -> 12, 0; TNC_EINVALID unless digits[.digits]. */
int os_facts_parse_numeric(const char *text, uint32_t *ret_major, uint32_t *ret_minor)
    TNC_MUST_CHECK;
/* RFC 5792 4.2.5 Last Use: "YYYY-MM-DDTHH:MM:SSZ" (UTC); t == 0 gives the
 * all-zero form "0000-00-00T00:00:00Z".  out holds at least 21 octets. */
void os_facts_format_time(time_t t, char out[21]);

#endif
