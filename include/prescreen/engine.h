/* prescreen — the engine (loaded once) and per-thread contexts.
 *
 * ps_engine holds what every thread shares read-only: the model directory,
 * the policy and the decoder limits. ps_ctx holds what must not be shared:
 * the face detectors (OpenCV cascades and DNN nets are not thread-safe) and,
 * later, the OCR engine. Open one ps_ctx per worker thread; the engine must
 * outlive its contexts.
 */
#ifndef PRESCREEN_ENGINE_H
#define PRESCREEN_ENGINE_H

#include <stddef.h>

#include "prescreen/decode.h"
#include "prescreen/policy.h"
#include "prescreen/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ps_engine ps_engine;
typedef struct ps_ctx ps_ctx;

typedef struct ps_engine_opts {
    const char *model_dir;    /* NULL = $PRESCREEN_MODELS, else the build's models/ */
    const char *policy_path;  /* NULL = built-in defaults */
    const ps_limits *limits;  /* NULL = ps_limits_default() */
} ps_engine_opts;

/*! ps_engine_open() :
 *  Loads the policy and checks the model files. `opts` may be NULL.
 *  @return PS_OK with *out (free with ps_engine_close), or PS_E_MODEL /
 *  PS_E_JSON / PS_E_IO with a sentence in `err`. Not thread-safe; call once. */
ps_status ps_engine_open(const ps_engine_opts *opts, ps_engine **out, char *err, size_t errlen);

/*! ps_engine_close() : frees *e and sets it NULL; accepts NULL. All contexts
 *  opened on it must be closed first. */
void ps_engine_close(ps_engine **e);

/*! ps_engine_policy() : the engine's policy (owned by the engine). */
const ps_policy *ps_engine_policy(const ps_engine *e);

/*! ps_process_keep_pages() :
 *  For a program's main(), once, before it starts threads: the C library's
 *  allocator keeps the memory a job frees for the next job instead of
 *  handing it back to the kernel (glibc: blocks under 32 MiB come from the
 *  heap, whose free top is kept up to 512 MiB, grown 64 MiB at a time).
 *  A 12-MP selfie's working buffers are faulted in afresh for every job
 *  otherwise; on a virtual machine a fresh page costs ~10 us, and that
 *  was up to half the document stage (bench/RESULTS.md, "Eighteenth
 *  session"). The price: a worker keeps its peak heap. The library never
 *  calls it: the process's allocator is its owner's choice. A no-op
 *  without glibc, or with PRESCREEN_KEEP_PAGES=0 in the environment (to
 *  compare). */
void ps_process_keep_pages(void);

/*! ps_ctx_open() :
 *  A per-thread context with its own detectors. Thread-safe (each call makes
 *  a new context). @return PS_OK or PS_E_MODEL with a sentence in `err`. */
ps_status ps_ctx_open(ps_engine *e, ps_ctx **out, char *err, size_t errlen);

/*! ps_ctx_close() : frees *c, sets it NULL; accepts NULL. */
void ps_ctx_close(ps_ctx **c);

#ifdef __cplusplus
}
#endif
#endif
