/* imc_attest_files.h - the attestation IMC's answers to the PTS file
 * requests (TCG PTS IF-M binding 3.17, 3.19): Request File Measurement
 * with File Measurement, the digest of the file or of every regular file
 * of the directory in the agreed algorithm, and Request File Metadata with
 * Unix-Style File Metadata from lstat().
 *
 * The paths are this machine's own, absolute, with '/' as the delimiter.
 * Answers name a file by its name within the directory (a file request:
 * its last component), as strongSwan does.  The work is bounded: a
 * directory of more than max_files entries, or more than max_bytes to
 * hash, is refused whole with Operation Not Supported.  Directory entries
 * are taken in name order; symbolic links in a directory are not followed
 * (not measured; their metadata is the link's).
 */
#ifndef TNC_IMC_ATTEST_FILES_H
#define TNC_IMC_ATTEST_FILES_H

#include <stddef.h>
#include <stdint.h>

#include "digest.h"
#include "pa_pts_file.h"
#include "wire.h"

struct imc_files_limits {
	size_t max_files;   /* entries of one answer */
	uint64_t max_bytes; /* octets hashed for one request */
};

/* What tncclient allows: 1000 files (a policy-files request's bound at
 * the server) and 256 MiB. */
extern const struct imc_files_limits imc_files_default_limits;

/* 0 and the File Measurement value in w; or the enum pa_pts_error_code
 * refusing the request, with why (for the log). */
uint32_t imc_files_measure(const struct pa_pts_file_meas_request *req, enum digest_alg alg,
    const struct imc_files_limits *lim, struct wire_writer *w, char *why, size_t why_size);

/* 0 and the Unix-Style File Metadata value in w; or as above. */
uint32_t imc_files_metadata(const struct pa_pts_file_meta_request *req,
    const struct imc_files_limits *lim, struct wire_writer *w, char *why, size_t why_size);

#endif
