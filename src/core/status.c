#include "prescreen/status.h"

#include <stddef.h>

struct status_name {
    const char *code;
    const char *text;
};

/* Indexed by ps_status; gaps in the numbering stay NULL. */
static const struct status_name names[PS_STATUS_END_] = {
    [PS_OK] = {"ok", "success"},
    [PS_E_ARG] = {"invalid_argument", "invalid argument"},
    [PS_E_NOMEM] = {"out_of_memory", "out of memory"},
    [PS_E_IO] = {"io_error", "file could not be read or written"},
    [PS_E_INTERNAL] = {"internal_error", "internal error"},
    [PS_E_MODEL] = {"model_error", "a model file is missing or invalid"},
    [PS_E_JSON] = {"invalid_json", "invalid JSON document"},
    [PS_E_CV] = {"cv_error", "computer-vision library error"},
    [PS_E_OCR] = {"ocr_error", "OCR engine error"},
    [PS_E_STORE] = {"store_error", "storage error"},
    [PS_E_USAGE] = {"usage", "bad command-line usage"},
    [PS_E_CONFLICT] = {"conflict", "the record changed state (already finished or lease lost)"},
    [PS_E_NOT_FOUND] = {"not_found", "no such record"},
    [PS_E_DENIED] = {"denied", "authentication failed"},
    [PS_E_EMPTY] = {"empty_input", "the upload is empty"},
    [PS_E_FORMAT] = {"unsupported_format", "not a supported image format"},
    [PS_E_PDF] = {"pdf_document", "a PDF document, not a photo"},
    [PS_E_TRUNCATED] = {"truncated", "the image data ends early"},
    [PS_E_CORRUPT] = {"corrupt", "the image data is corrupt"},
    [PS_E_TOO_LARGE] = {"too_many_bytes", "the upload exceeds the byte limit"},
    [PS_E_DIMENSIONS] = {"dimensions_over_limit", "the image dimensions exceed the limit"},
    [PS_E_MEMORY_LIMIT] = {"memory_over_limit", "decoding would exceed the memory limit"},
    [PS_E_SCAN_LIMIT] = {"too_many_scans", "progressive JPEG with too many scans"},
    [PS_E_UNSUPPORTED] = {"unsupported_variant", "a variant of the format that is not supported"},
    [PS_E_DEADLINE] = {"deadline", "the time budget ran out"},
    [PS_E_UNSAFE] = {"unsafe_image", "the image could not be made safe"},
};

static const struct status_name *lookup(ps_status s)
{
    if ((int)s < 0 || s >= PS_STATUS_END_ || names[s].code == NULL)
        return NULL;
    return &names[s];
}

const char *ps_strerror(ps_status s)
{
    const struct status_name *n = lookup(s);
    return n ? n->text : "unknown status";
}

const char *ps_status_code(ps_status s)
{
    const struct status_name *n = lookup(s);
    return n ? n->code : "unknown";
}

int ps_status_is_input_error(ps_status s)
{
    return s >= PS_E_EMPTY && s < PS_STATUS_END_;
}
