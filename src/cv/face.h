/* prescreen — face detection behind the OpenCV shim.
 *
 * Three detectors share one API: OpenCV's Haar and LBP cascades (Debian
 * package opencv-data) and MediaPipe BlazeFace (ONNX, run by OpenCV DNN).
 * Which model files to load is read from `<model_dir>/manifest.json`
 * ({"models": [{name, version, source_package, path, sha256, license}]});
 * a relative `path` is resolved against model_dir, an absolute one is used
 * as is. scripts/install-models.sh fetches and checks the BlazeFace files.
 *
 * Thread rules: a ps_cv_faces handle belongs to one thread at a time (the
 * cascades and DNN nets inside it are not safe to share while detecting);
 * open one handle per worker thread. Different handles may be used from
 * different threads at once.
 *
 * No C++ exception crosses this boundary: OpenCV errors become PS_E_CV.
 */
#ifndef PS_CV_FACE_H
#define PS_CV_FACE_H

#include "prescreen/image.h"
#include "prescreen/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum ps_face_method {
    PS_FACE_HAAR = 0,  /* haarcascade_frontalface_alt2 */
    PS_FACE_LBP = 1,   /* lbpcascade_frontalface_improved */
    PS_FACE_BLAZE = 2, /* BlazeFace front-128 + back-256 with tiling */
    PS_FACE_BLAZE_HAAR = 3, /* BlazeFace; Haar only when BlazeFace finds none
                               (kept for the bench: it adds false faces) */
    PS_FACE_METHOD_END_     /* not a method: one past the last value */
} ps_face_method;

/* The method the pipeline uses, chosen by bench/faces (bench/RESULTS.md). */
#define PS_FACE_DEFAULT PS_FACE_BLAZE

/* Six BlazeFace keypoints, in this order (the subject's own left/right). */
enum { PS_FACE_KP_RIGHT_EYE = 0, PS_FACE_KP_LEFT_EYE = 1, PS_FACE_KP_NOSE = 2,
       PS_FACE_KP_MOUTH = 3, PS_FACE_KP_RIGHT_EAR = 4, PS_FACE_KP_LEFT_EAR = 5,
       PS_FACE_MAX_LANDMARKS = 6 };

/* One detected face, in pixels of the image passed to detect. */
typedef struct ps_face {
    ps_box box;                                   /* clipped to the image */
    float score;                                  /* 0..1, higher = surer */
    ps_point landmarks[PS_FACE_MAX_LANDMARKS];    /* BlazeFace only */
    int n_landmarks;                              /* 6 for BlazeFace, else 0 */
    int cut_off;        /* the unclipped box reaches past the image by over
                           a tenth of its size (BlazeFace only) */
} ps_face;

typedef struct ps_cv_faces ps_cv_faces;

/*! ps_cv_face_method_name() : "haar", "lbp", "blaze", "blaze+haar", or
 *  "unknown"; static, never NULL. */
const char *ps_cv_face_method_name(ps_face_method m);

/*! ps_cv_faces_open() :
 *  Loads the models for method `m` listed in `<model_dir>/manifest.json`.
 *  `model_dir` NULL means the build's PS_DEFAULT_MODEL_DIR (models/ in the
 *  source tree). The call keeps no pointer to model_dir.
 *  @return PS_OK and *out set (the caller owns it: ps_cv_faces_close());
 *          PS_E_ARG for a NULL out or unknown method; PS_E_MODEL when the
 *          manifest, an entry or a model file is missing or does not load;
 *          PS_E_NOMEM; PS_E_CV. *out is NULL on failure. */
ps_status ps_cv_faces_open(const char *model_dir, ps_face_method m,
                           ps_cv_faces **out);

/*! ps_cv_faces_set_threshold() :
 *  Sets the minimum score of a reported face (BlazeFace default 0.8; the
 *  cascades' scores are neighbour-count based, default 0.5 = everything the
 *  cascade groups). @return PS_E_ARG when fd is NULL or t is not in [0,1]. */
ps_status ps_cv_faces_set_threshold(ps_cv_faces *fd, float t);

/*! ps_cv_faces_detect() :
 *  Finds faces at least `min_face_px` pixels wide in `img` (gray or RGB).
 *  Writes up to `max` faces, strongest first, to out[] and their number to
 *  *n_out (0 when none). Boxes are in `img` pixels. BlazeFace looks for faces
 *  down to 20 px (a smaller min_face_px behaves as 20); for faces smaller
 *  than about a tenth of the image it tiles the image, so the cost grows as
 *  min_face_px shrinks. The call keeps no pointer to img or out.
 *  @return PS_OK; PS_E_ARG for NULL fd/img/out/n_out, max < 1,
 *          min_face_px < 1 or a malformed image; PS_E_NOMEM; PS_E_CV (the
 *          handle is then poisoned and every later call returns PS_E_CV).
 *  *n_out is set to 0 first whenever n_out is not NULL. */
ps_status ps_cv_faces_detect(ps_cv_faces *fd, const ps_image *img, int min_face_px,
                             ps_face *out, int max, int *n_out);

/*! ps_cv_faces_detect_frame() :
 *  ps_cv_faces_detect() for a whole photo: one more pass on the frame padded
 *  on every side finds faces cut by its edge, which the plain passes miss,
 *  and sets cut_off on them (their box is clipped to the image as always).
 *  Same contract and errors as ps_cv_faces_detect(). */
ps_status ps_cv_faces_detect_frame(ps_cv_faces *fd, const ps_image *img, int min_face_px,
                                   ps_face *out, int max, int *n_out);

/*! ps_cv_faces_error() : the last error message of `fd` ("" when none);
 *  owned by fd, valid until the next call on it. NULL fd gives "". */
const char *ps_cv_faces_error(const ps_cv_faces *fd);

/*! ps_cv_faces_close() : releases *fd and sets it to NULL. Accepts NULL and
 *  a pointer to NULL. */
void ps_cv_faces_close(ps_cv_faces **fd);

/*! ps_cv_read_image_file() :
 *  Decodes a trusted local image file with OpenCV imgcodecs into a new
 *  RGB (channels 3) or gray (channels 1) ps_image owned by the caller.
 *  For tests and benches only: it applies no decoding limits, so uploads
 *  must go through src/decode/ instead.
 *  @return PS_OK; PS_E_ARG for NULL args or channels not 1/3; PS_E_IO when
 *          the file cannot be read or decoded; PS_E_NOMEM; PS_E_CV. */
ps_status ps_cv_read_image_file(const char *path, int channels, ps_image **out);

#ifdef __cplusplus
}
#endif
#endif
