/* prescreen — stable status codes.
 *
 * Every fallible call in libprescreen returns a ps_status. The numeric values
 * and the names returned by ps_status_code() are a contract: scripts read the
 * `code` string of the error JSON, so values are never renumbered or renamed.
 * Extend at the end of a range, never reuse a number.
 */
#ifndef PRESCREEN_STATUS_H
#define PRESCREEN_STATUS_H

#ifdef __cplusplus
extern "C" {
#endif

typedef enum ps_status {
    PS_OK = 0,

    /* caller and environment errors (exit 1 or 2 at the CLI) */
    PS_E_ARG = 1,          /* invalid argument: a caller bug */
    PS_E_NOMEM = 2,        /* allocation failed */
    PS_E_IO = 3,           /* file could not be read or written */
    PS_E_INTERNAL = 4,     /* an invariant broke; a bug */
    PS_E_MODEL = 5,        /* a model file is missing or invalid */
    PS_E_JSON = 6,         /* applicant / policy / label JSON is invalid */
    PS_E_CV = 7,           /* OpenCV raised an exception */
    PS_E_OCR = 8,          /* tesseract failed */
    PS_E_STORE = 9,        /* the database failed */
    PS_E_USAGE = 10,       /* bad command-line usage */
    PS_E_CONFLICT = 11,    /* state changed under the caller: job already
                              finished, lease lost, name already taken */
    PS_E_NOT_FOUND = 12,   /* no such job, applicant, session or result */
    PS_E_DENIED = 13,      /* wrong password or unknown token */

    /* the upload was rejected (exit 3 at the CLI) */
    PS_E_EMPTY = 20,       /* zero-length input */
    PS_E_FORMAT = 21,      /* not an image format we know (by magic bytes) */
    PS_E_PDF = 22,         /* a PDF: digital data, not a photo */
    PS_E_TRUNCATED = 23,   /* data ends early */
    PS_E_CORRUPT = 24,     /* malformed data */
    PS_E_TOO_LARGE = 25,   /* input bytes over the limit */
    PS_E_DIMENSIONS = 26,  /* width, height or pixel count over the limit */
    PS_E_MEMORY_LIMIT = 27,/* decoding would need more memory than allowed */
    PS_E_SCAN_LIMIT = 28,  /* progressive JPEG with too many scans */
    PS_E_UNSUPPORTED = 29, /* a known format in a variant we do not decode */
    PS_E_DEADLINE = 30,    /* the job's time budget ran out */
    PS_E_UNSAFE = 31,      /* the image could not be made safe (redaction) */

    PS_STATUS_END_         /* not a status: one past the last value */
} ps_status;

/*! ps_strerror() :
 *  @return a static English sentence describing `s`; never NULL, valid for
 *          the life of the process, thread-safe. Unknown values give
 *          "unknown status". */
const char *ps_strerror(ps_status s);

/*! ps_status_code() :
 *  @return the stable lower_snake_case name of `s` (e.g. "truncated") used as
 *          the `code` of the error JSON; static, never NULL, thread-safe. */
const char *ps_status_code(ps_status s);

/*! ps_status_is_input_error() :
 *  @return 1 when `s` means the upload itself was rejected (CLI exit 3),
 *          0 otherwise. */
int ps_status_is_input_error(ps_status s);

#ifdef __cplusplus
}
#endif
#endif
