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
