/* pa_ietf.h - values of the IETF PA-TNC attributes the OS IMV uses (RFC 5792
 * 4.2.1-4.2.12, PA-TNC Error in pa_ietf_error.h) and of strongSwan's
 * ITA-HSR Device ID.
 *
 * Each decoder takes the Attribute Value (struct pa_tnc_attr.value) and
 * validates every length; views in the results point into that value.  A
 * failure fills *ret_err with Invalid Parameter and the offset of the
 * offending field counted from the start of the value (rebase it with
 * pa_tnc_attr_rebase_error()): a length that runs past the end points at
 * the length field, a missing fixed field at where it would start, bytes
 * after the defined value at the first of them (TNC_ETRAILING).  Text
 * fields must be UTF-8 without NUL.  Encoders append a value to a
 * wire_writer and record unencodable input as its error (TNC_EINVALID).
 */
#ifndef TNC_PA_IETF_H
#define TNC_PA_IETF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "pa_tnc.h"
#include "wire.h"

/* IETF attribute types (vendor PA_TNC_VENDOR_IETF): RFC 5792 4.2, RFC 8412. */
enum pa_ietf_attr_type {
	PA_IETF_TESTING = 0,
	PA_IETF_ATTRIBUTE_REQUEST = 1,
	PA_IETF_PRODUCT_INFORMATION = 2,
	PA_IETF_NUMERIC_VERSION = 3,
	PA_IETF_STRING_VERSION = 4,
	PA_IETF_OPERATIONAL_STATUS = 5,
	PA_IETF_PORT_FILTER = 6,
	PA_IETF_INSTALLED_PACKAGES = 7,
	PA_IETF_PA_TNC_ERROR = 8,
	PA_IETF_ASSESSMENT_RESULT = 9,
	PA_IETF_REMEDIATION_INSTRUCTIONS = 10,
	PA_IETF_FORWARDING_ENABLED = 11,
	PA_IETF_FACTORY_DEFAULT_PASSWORD_ENABLED = 12,
	PA_IETF_SWIMA_REQUEST = 13,
	PA_IETF_SW_IDENTIFIER_INVENTORY = 14,
	PA_IETF_SW_IDENTIFIER_EVENTS = 15,
	PA_IETF_SW_INVENTORY = 16,
	PA_IETF_SW_EVENTS = 17,
	PA_IETF_SUBSCRIPTION_STATUS_REQUEST = 18,
	PA_IETF_SUBSCRIPTION_STATUS_RESPONSE = 19,
	PA_IETF_SOURCE_METADATA_REQUEST = 20,
	PA_IETF_SOURCE_METADATA_RESPONSE = 21,
};

/* strongSwan's ITA-HSR attribute types (vendor PA_TNC_VENDOR_ITA). */
enum pa_ita_attr_type {
	PA_ITA_COMMAND = 1,
	PA_ITA_DUMMY = 2,
	PA_ITA_GET_SETTINGS = 3,
	PA_ITA_SETTINGS = 4,
	PA_ITA_START_ANGEL = 5,
	PA_ITA_STOP_ANGEL = 6,
	PA_ITA_ECHO = 7,
	PA_ITA_DEVICE_ID = 8,
	PA_ITA_GET_SYMLINKS = 9,
	PA_ITA_SYMLINKS = 10,
};

/* Operational Status (4.2.5): Status and Result. */
enum pa_ietf_op_status {
	PA_IETF_OP_STATUS_UNKNOWN = 0,
	PA_IETF_OP_STATUS_NOT_INSTALLED = 1,
	PA_IETF_OP_STATUS_INSTALLED_NOT_OPERATIONAL = 2,
	PA_IETF_OP_STATUS_OPERATIONAL = 3,
};
enum pa_ietf_op_result {
	PA_IETF_OP_RESULT_UNKNOWN = 0,
	PA_IETF_OP_RESULT_SUCCESSFUL = 1,
	PA_IETF_OP_RESULT_ERRORS = 2,
	PA_IETF_OP_RESULT_UNSUCCESSFUL = 3,
};
#define PA_IETF_LAST_USE_LEN 20 /* "YYYY-MM-DDThh:mm:ssZ" */

/* Assessment Result (4.2.9). */
enum pa_ietf_assessment_result {
	PA_IETF_ASSESSMENT_COMPLIANT = 0,
	PA_IETF_ASSESSMENT_MINOR_NON_COMPLIANCE = 1,
	PA_IETF_ASSESSMENT_SIGNIFICANT_NON_COMPLIANCE = 2,
	PA_IETF_ASSESSMENT_ERROR = 3,
	PA_IETF_ASSESSMENT_DONT_KNOW = 4,
};

/* Forwarding Enabled (4.2.11) and Factory Default Password Enabled (4.2.12). */
enum pa_ietf_forwarding {
	PA_IETF_FORWARDING_STATUS_DISABLED = 0,
	PA_IETF_FORWARDING_STATUS_ENABLED = 1,
	PA_IETF_FORWARDING_STATUS_UNKNOWN = 2,
};
enum pa_ietf_default_password {
	PA_IETF_DEFAULT_PASSWORD_STATUS_DISABLED = 0,
	PA_IETF_DEFAULT_PASSWORD_STATUS_ENABLED = 1,
};

/* Remediation Parameters Types (vendor IETF), RFC 5793 4.8 / 5792 4.2.10. */
enum pa_ietf_remediation_type {
	PA_IETF_REMEDIATION_URI = 1,
	PA_IETF_REMEDIATION_STRING = 2,
};

/* Attribute Request (4.2.1): a list of attribute types.  entries views the
 * count 8-octet entries. */
struct pa_ietf_attr_request {
	struct bytes entries;
	size_t count;
};
int pa_ietf_attr_request_decode(struct bytes value, struct pa_ietf_attr_request *ret,
    struct parse_error *ret_err) TNC_MUST_CHECK;
/* Entry i < count of a decoded request. */
struct pa_tnc_type pa_ietf_attr_request_get(const struct pa_ietf_attr_request *req, size_t i);
void pa_ietf_attr_request_encode(struct wire_writer *w, const struct pa_tnc_type *types,
    size_t n);

/* Product Information (4.2.2). */
struct pa_ietf_product_info {
	uint32_t vendor; /* SMI PEN of the product vendor, 24 bits */
	uint16_t product_id;
	struct bytes name;
};
int pa_ietf_product_info_decode(struct bytes value, struct pa_ietf_product_info *ret,
    struct parse_error *ret_err) TNC_MUST_CHECK;
void pa_ietf_product_info_encode(struct wire_writer *w, const struct pa_ietf_product_info *v);

/* Numeric Version (4.2.3). */
struct pa_ietf_numeric_version {
	uint32_t major;
	uint32_t minor;
	uint32_t build;
	uint16_t sp_major;
	uint16_t sp_minor;
};
int pa_ietf_numeric_version_decode(struct bytes value, struct pa_ietf_numeric_version *ret,
    struct parse_error *ret_err) TNC_MUST_CHECK;
void pa_ietf_numeric_version_encode(struct wire_writer *w,
    const struct pa_ietf_numeric_version *v);

/* String Version (4.2.4): three strings with 8-bit lengths. */
struct pa_ietf_string_version {
	struct bytes version; /* Product Version Number */
	struct bytes build;   /* Internal Build Number */
	struct bytes config;  /* Configuration Version Number */
};
int pa_ietf_string_version_decode(struct bytes value, struct pa_ietf_string_version *ret,
    struct parse_error *ret_err) TNC_MUST_CHECK;
void pa_ietf_string_version_encode(struct wire_writer *w,
    const struct pa_ietf_string_version *v);

/* Operational Status (4.2.5). */
struct pa_ietf_operational_status {
	uint8_t status;        /* enum pa_ietf_op_status */
	uint8_t result;        /* enum pa_ietf_op_result */
	struct bytes last_use; /* PA_IETF_LAST_USE_LEN octets, RFC 3339 UTC */
};
int pa_ietf_operational_status_decode(struct bytes value,
    struct pa_ietf_operational_status *ret, struct parse_error *ret_err) TNC_MUST_CHECK;
void pa_ietf_operational_status_encode(struct wire_writer *w,
    const struct pa_ietf_operational_status *v);

/* Port Filter (4.2.6): entries views count 4-octet entries. */
struct pa_ietf_port_filter {
	struct bytes entries;
	size_t count;
};
struct pa_ietf_port {
	bool blocked; /* the B flag */
	uint8_t protocol;
	uint16_t port;
};
int pa_ietf_port_filter_decode(struct bytes value, struct pa_ietf_port_filter *ret,
    struct parse_error *ret_err) TNC_MUST_CHECK;
struct pa_ietf_port pa_ietf_port_filter_get(const struct pa_ietf_port_filter *pf, size_t i);
void pa_ietf_port_filter_encode(struct wire_writer *w, const struct pa_ietf_port *ports,
    size_t n);

/* Installed Packages (4.2.7): entries views the count name/version pairs,
 * walked with pa_ietf_packages_next(). */
struct pa_ietf_installed_packages {
	uint16_t count;
	struct bytes entries;
};
struct pa_ietf_package {
	struct bytes name;
	struct bytes version;
};
struct pa_ietf_packages_iter {
	struct wire_reader r;
};
int pa_ietf_installed_packages_decode(struct bytes value,
    struct pa_ietf_installed_packages *ret, struct parse_error *ret_err) TNC_MUST_CHECK;
void pa_ietf_packages_iter_init(struct pa_ietf_packages_iter *it,
    const struct pa_ietf_installed_packages *p);
/* The next package of a decoded attribute; false after the last. */
bool pa_ietf_packages_next(struct pa_ietf_packages_iter *it, struct pa_ietf_package *ret);
void pa_ietf_installed_packages_encode(struct wire_writer *w,
    const struct pa_ietf_package *pkgs, size_t n);

/* Assessment Result (4.2.9), Forwarding Enabled (4.2.11), Factory Default
 * Password Enabled (4.2.12): one 32-bit value each, checked against the
 * values the RFC defines. */
int pa_ietf_assessment_result_decode(struct bytes value, uint32_t *ret,
    struct parse_error *ret_err) TNC_MUST_CHECK;
void pa_ietf_assessment_result_encode(struct wire_writer *w, uint32_t result);
int pa_ietf_forwarding_enabled_decode(struct bytes value, uint32_t *ret,
    struct parse_error *ret_err) TNC_MUST_CHECK;
void pa_ietf_forwarding_enabled_encode(struct wire_writer *w, uint32_t status);
int pa_ietf_default_password_decode(struct bytes value, uint32_t *ret,
    struct parse_error *ret_err) TNC_MUST_CHECK;
void pa_ietf_default_password_encode(struct wire_writer *w, uint32_t status);

/* Remediation Instructions (4.2.10). */
struct pa_ietf_remediation {
	uint32_t vendor; /* Remediation Parameters Vendor ID */
	uint32_t type;   /* Remediation Parameters Type */
	struct bytes params; /* the whole Remediation Parameters field */
	struct bytes text;   /* IETF URI: the URI; IETF String: the string */
	struct bytes lang;   /* IETF String: its language code */
};
int pa_ietf_remediation_decode(struct bytes value, struct pa_ietf_remediation *ret,
    struct parse_error *ret_err) TNC_MUST_CHECK;
/* Encodes text (and lang) for the IETF URI and String types, params
 * verbatim for any other. */
void pa_ietf_remediation_encode(struct wire_writer *w, const struct pa_ietf_remediation *v);

/* ITA-HSR Device ID: the whole value is the device ID as text (strongSwan
 * sends the hex key ID of the AIK or /etc/machine-id). */
int pa_ietf_device_id_decode(struct bytes value, struct bytes *ret,
    struct parse_error *ret_err) TNC_MUST_CHECK;
void pa_ietf_device_id_encode(struct wire_writer *w, struct bytes id);

/* Names for logs; never NULL ("unknown" for values not defined). */
const char *pa_ietf_assessment_result_name(uint32_t result);
const char *pa_ietf_op_status_name(uint8_t status);
const char *pa_ietf_op_result_name(uint8_t result);
const char *pa_ietf_forwarding_name(uint32_t status);

#endif
