/* Face detection (src/cv/face.h): argument checks, missing models, a
 * synthetic image with a known face box, and real corpus images. Tests that
 * need the BlazeFace models (scripts/install-models.sh), the Debian
 * opencv-doc sample image or the shared corpus are left out, with a note,
 * when those are absent; the whole suite exits 77 (skip) only if nothing
 * could run. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cv/face.h"
#include "prescreen/image.h"

#define MAX_FACES 32
/* Debian opencv-doc: a football photo whose player's face we crop. */
#define MESSI "/usr/share/doc/opencv-doc/examples/data/messi5.jpg"

static char *model_dir(void)
{
    return ps_test_src_path("models");
}

static int have_file(const char *p)
{
    struct stat st;
    return p && stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

static int have_blaze(void)
{
    char *d = model_dir();
    ps_cv_faces *fd = NULL;
    int ok = ps_cv_faces_open(d, PS_FACE_BLAZE, &fd) == PS_OK;
    ps_cv_faces_close(&fd);
    free(d);
    return ok;
}

static ps_cv_faces *open_or_fail(ps_face_method m)
{
    char *d = model_dir();
    ps_cv_faces *fd = NULL;
    ps_status st = ps_cv_faces_open(d, m, &fd);
    free(d);
    ck_assert_msg(st == PS_OK, "open %s: %s", ps_cv_face_method_name(m), ps_status_code(st));
    return fd;
}

static ps_image *corpus_image(const char *rel)
{
    char *p = ps_test_corpus_path(rel);
    ps_image *img = NULL;
    ck_assert_ptr_nonnull(p);
    ck_assert_int_eq(ps_cv_read_image_file(p, 3, &img), PS_OK);
    free(p);
    return img;
}

static int centre_in(const ps_face *f, int x, int y, int w, int h)
{
    int cx = f->box.x + f->box.w / 2, cy = f->box.y + f->box.h / 2;
    return cx >= x && cx < x + w && cy >= y && cy < y + h;
}

/* ---- always run --------------------------------------------------------- */

START_TEST(bad_arguments_are_rejected)
{
    ps_cv_faces *fd = (ps_cv_faces *)1;
    ck_assert_int_eq(ps_cv_faces_open(NULL, PS_FACE_HAAR, NULL), PS_E_ARG);
    ck_assert_int_eq(ps_cv_faces_open(NULL, (ps_face_method)99, &fd), PS_E_ARG);
    ck_assert_ptr_null(fd);
    ck_assert_int_eq(ps_cv_faces_open(NULL, (ps_face_method)-1, &fd), PS_E_ARG);

    fd = open_or_fail(PS_FACE_HAAR);
    ps_image *img = NULL;
    ck_assert_int_eq(ps_image_new(64, 64, 3, 0, &img), PS_OK);
    ps_face out[MAX_FACES];
    int n = 7;
    ck_assert_int_eq(ps_cv_faces_detect(NULL, img, 20, out, MAX_FACES, &n), PS_E_ARG);
    ck_assert_int_eq(n, 0);
    n = 7;
    ck_assert_int_eq(ps_cv_faces_detect(fd, NULL, 20, out, MAX_FACES, &n), PS_E_ARG);
    ck_assert_int_eq(n, 0);
    ck_assert_int_eq(ps_cv_faces_detect(fd, img, 20, NULL, MAX_FACES, &n), PS_E_ARG);
    ck_assert_int_eq(ps_cv_faces_detect(fd, img, 20, out, MAX_FACES, NULL), PS_E_ARG);
    ck_assert_int_eq(ps_cv_faces_detect(fd, img, 20, out, 0, &n), PS_E_ARG);
    ck_assert_int_eq(ps_cv_faces_detect(fd, img, 0, out, MAX_FACES, &n), PS_E_ARG);
    img->channels = 2; /* malformed image */
    ck_assert_int_eq(ps_cv_faces_detect(fd, img, 20, out, MAX_FACES, &n), PS_E_ARG);
    img->channels = 3;
    img->stride = 10; /* shorter than a row */
    ck_assert_int_eq(ps_cv_faces_detect(fd, img, 20, out, MAX_FACES, &n), PS_E_ARG);
    img->stride = 64 * 3;
    ck_assert_int_eq(ps_cv_faces_set_threshold(fd, 1.5f), PS_E_ARG);
    ck_assert_int_eq(ps_cv_faces_set_threshold(fd, -0.1f), PS_E_ARG);
    ck_assert_int_eq(ps_cv_faces_set_threshold(NULL, 0.5f), PS_E_ARG);
    /* A blank image has no face, and the handle still works after errors. */
    ck_assert_int_eq(ps_cv_faces_detect(fd, img, 20, out, MAX_FACES, &n), PS_OK);
    ck_assert_int_eq(n, 0);
    ps_image_free(&img);
    ck_assert_int_eq(ps_cv_read_image_file(NULL, 3, &img), PS_E_ARG);
    ck_assert_int_eq(ps_cv_read_image_file("/nonexistent.png", 3, &img), PS_E_IO);
    ck_assert_ptr_null(img);
    ps_cv_faces_close(&fd);
    ck_assert_ptr_null(fd);
    ps_cv_faces_close(NULL);
    ps_cv_faces_close(&fd);
    ck_assert_str_eq(ps_cv_faces_error(NULL), "");
    ck_assert_str_eq(ps_cv_face_method_name((ps_face_method)42), "unknown");
}
END_TEST

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
}

START_TEST(missing_or_broken_models_give_model_error)
{
    ps_cv_faces *fd = (ps_cv_faces *)1;
    for (int m = 0; m < PS_FACE_METHOD_END_; m++) {
        ck_assert_int_eq(ps_cv_faces_open("/nonexistent-model-dir", (ps_face_method)m, &fd),
                         PS_E_MODEL);
        ck_assert_ptr_null(fd);
    }
    char dir[] = "/tmp/ps-test-face-XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    char manifest[256], onnx[256], xml[256];
    snprintf(manifest, sizeof manifest, "%s/manifest.json", dir);
    snprintf(onnx, sizeof onnx, "%s/garbage.onnx", dir);
    snprintf(xml, sizeof xml, "%s/garbage.xml", dir);
    /* An entry whose file is absent. */
    write_text(manifest, "{\"models\": [{\"name\": \"haar_frontalface_alt2\", "
                         "\"path\": \"absent.xml\"}, {\"name\": \"blazeface_front_128\", "
                         "\"path\": \"absent.onnx\"}]}");
    ck_assert_int_eq(ps_cv_faces_open(dir, PS_FACE_HAAR, &fd), PS_E_MODEL);
    ck_assert_int_eq(ps_cv_faces_open(dir, PS_FACE_BLAZE, &fd), PS_E_MODEL);
    /* No entry at all for LBP. */
    ck_assert_int_eq(ps_cv_faces_open(dir, PS_FACE_LBP, &fd), PS_E_MODEL);
    /* Files that exist but are not models. */
    write_text(onnx, "this is not a protobuf");
    write_text(xml, "<opencv_storage><nothing/></opencv_storage>");
    write_text(manifest, "{\"models\": [{\"name\": \"haar_frontalface_alt2\", "
                         "\"path\": \"garbage.xml\"}, {\"name\": \"blazeface_front_128\", "
                         "\"path\": \"garbage.onnx\"}, {\"name\": \"blazeface_back_256\", "
                         "\"path\": \"garbage.onnx\"}]}");
    ck_assert_int_eq(ps_cv_faces_open(dir, PS_FACE_HAAR, &fd), PS_E_MODEL);
    ck_assert_int_eq(ps_cv_faces_open(dir, PS_FACE_BLAZE, &fd), PS_E_MODEL);
    ck_assert_ptr_null(fd);
    /* A manifest that is not JSON. */
    write_text(manifest, "{ not json");
    ck_assert_int_eq(ps_cv_faces_open(dir, PS_FACE_HAAR, &fd), PS_E_MODEL);
    unlink(manifest);
    unlink(onnx);
    unlink(xml);
    rmdir(dir);
}
END_TEST

/* ---- needs the BlazeFace models and opencv-doc's messi5.jpg ------------- */

/* The player's face in messi5.jpg (548x342), read off the image. */
#define FACE_X 200
#define FACE_Y 55
#define FACE_W 75
#define FACE_H 75
#define ZOOM 2    /* pasted at twice the size: a 150 px face */
#define OFF_X 137 /* arbitrary offset on the plain canvas */
#define OFF_Y 91

START_TEST(synthetic_face_on_plain_background)
{
    ps_image *src = NULL, *img = NULL;
    ck_assert_int_eq(ps_cv_read_image_file(MESSI, 3, &src), PS_OK);
    ck_assert_int_eq(ps_image_new(640, 480, 3, 0, &img), PS_OK);
    for (int y = 0; y < img->height; y++)
        memset(ps_image_row(img, y), 200, (size_t)img->width * 3); /* light gray */
    for (int y = 0; y < FACE_H * ZOOM; y++) {
        const uint8_t *s = ps_image_row(src, FACE_Y + y / ZOOM) + FACE_X * 3;
        uint8_t *d = ps_image_row(img, OFF_Y + y) + OFF_X * 3;
        for (int x = 0; x < FACE_W * ZOOM; x++)
            memcpy(d + x * 3, s + (x / ZOOM) * 3, 3);
    }
    ps_cv_faces *fd = open_or_fail(PS_FACE_BLAZE);
    /* A 2x-upscaled, downward-looking face scores below the 0.8 default. */
    ck_assert_int_eq(ps_cv_faces_set_threshold(fd, 0.6f), PS_OK);
    ps_face out[MAX_FACES];
    int n = 0;
    ck_assert_int_eq(ps_cv_faces_detect(fd, img, 24, out, MAX_FACES, &n), PS_OK);
    ck_assert_int_eq(n, 1);
    ck_assert(centre_in(&out[0], OFF_X, OFF_Y, FACE_W * ZOOM, FACE_H * ZOOM));
    ck_assert_float_ge(out[0].score, 0.6f);
    ck_assert_int_ge(out[0].box.w, FACE_W * ZOOM / 3);
    ck_assert_int_le(out[0].box.w, FACE_W * ZOOM * 3 / 2);
    ck_assert_int_eq(out[0].n_landmarks, 6);
    /* The eyes are above the mouth and on either side of the nose. */
    ck_assert(out[0].landmarks[PS_FACE_KP_MOUTH].y > out[0].landmarks[PS_FACE_KP_LEFT_EYE].y);
    ck_assert(out[0].landmarks[PS_FACE_KP_RIGHT_EYE].x < out[0].landmarks[PS_FACE_KP_NOSE].x);
    ck_assert(out[0].landmarks[PS_FACE_KP_LEFT_EYE].x > out[0].landmarks[PS_FACE_KP_NOSE].x);
    /* The same face in gray is still found; a plain canvas has none. */
    ps_image *gray = NULL;
    ck_assert_int_eq(ps_image_to_gray(img, &gray), PS_OK);
    ck_assert_int_eq(ps_cv_faces_detect(fd, gray, 24, out, MAX_FACES, &n), PS_OK);
    ck_assert_int_eq(n, 1);
    ck_assert(centre_in(&out[0], OFF_X, OFF_Y, FACE_W * ZOOM, FACE_H * ZOOM));
    for (int y = 0; y < img->height; y++)
        memset(ps_image_row(img, y), 200, (size_t)img->width * 3);
    ck_assert_int_eq(ps_cv_faces_detect(fd, img, 24, out, MAX_FACES, &n), PS_OK);
    ck_assert_int_eq(n, 0);
    ps_cv_faces_close(&fd);
    ps_image_free(&gray);
    ps_image_free(&img);
    ps_image_free(&src);
}
END_TEST

/* The same face pasted with `out_px` of it beyond the canvas's left edge. */
static ps_image *face_at_left_edge(const ps_image *src, int out_px)
{
    ps_image *img = NULL;
    ck_assert_int_eq(ps_image_new(640, 480, 3, 0, &img), PS_OK);
    for (int y = 0; y < img->height; y++)
        memset(ps_image_row(img, y), 200, (size_t)img->width * 3);
    for (int y = 0; y < FACE_H * ZOOM; y++) {
        const uint8_t *s = ps_image_row(src, FACE_Y + y / ZOOM) + FACE_X * 3;
        uint8_t *d = ps_image_row(img, OFF_Y + y);
        for (int x = out_px > 0 ? out_px : 0; x < FACE_W * ZOOM; x++)
            memcpy(d + (x - out_px) * 3, s + (x / ZOOM) * 3, 3);
    }
    return img;
}

START_TEST(face_cut_by_the_frame_is_found_and_marked)
{
    ps_image *src = NULL;
    ck_assert_int_eq(ps_cv_read_image_file(MESSI, 3, &src), PS_OK);
    ps_cv_faces *fd = open_or_fail(PS_FACE_BLAZE);
    ck_assert_int_eq(ps_cv_faces_set_threshold(fd, 0.6f), PS_OK);
    ps_face out[MAX_FACES];
    int n = 0;
    /* half the pasted crop beyond the edge: about half the face box (the
     * crop holds hair and background around it); the frame pass finds it */
    ps_image *cut = face_at_left_edge(src, FACE_W * ZOOM / 2);
    ck_assert_int_eq(ps_cv_faces_detect_frame(fd, cut, 24, out, MAX_FACES, &n), PS_OK);
    ck_assert_int_ge(n, 1);
    ck_assert_msg(out[0].cut_off == 1, "box %d,%d %dx%d", out[0].box.x, out[0].box.y, out[0].box.w, out[0].box.h);
    ck_assert_int_eq(out[0].box.x, 0); /* clipped as always */
    /* wholly inside, a few pixels from the edge: found, not cut */
    ps_image *whole = face_at_left_edge(src, -8);
    ck_assert_int_eq(ps_cv_faces_detect_frame(fd, whole, 24, out, MAX_FACES, &n), PS_OK);
    ck_assert_int_eq(n, 1);
    ck_assert_int_eq(out[0].cut_off, 0);
    ps_cv_faces_close(&fd);
    ps_image_free(&cut);
    ps_image_free(&whole);
    ps_image_free(&src);
}
END_TEST

/* The same face pasted with its rows above `y_cut` (of the uncut paste)
 * beyond the canvas's top edge. */
static ps_image *face_cut_at_top(const ps_image *src, int y_cut)
{
    ps_image *img = NULL;
    ck_assert_int_eq(ps_image_new(640, 480, 3, 0, &img), PS_OK);
    for (int y = 0; y < img->height; y++)
        memset(ps_image_row(img, y), 200, (size_t)img->width * 3);
    for (int y = y_cut; y < FACE_H * ZOOM && y - y_cut < img->height; y++) {
        const uint8_t *s = ps_image_row(src, FACE_Y + y / ZOOM) + FACE_X * 3;
        uint8_t *d = ps_image_row(img, y - y_cut);
        for (int x = 0; x < FACE_W * ZOOM; x++)
            memcpy(d + (OFF_X + x) * 3, s + (x / ZOOM) * 3, 3);
    }
    return img;
}

START_TEST(face_cut_at_the_eyes_is_found_and_marked)
{
    /* a selfie taken too close: the frame's top edge cuts the brows. The
     * net sees no face there; on the frame mirrored at its edge the brows
     * and eyes are whole again */
    ps_image *src = NULL;
    ck_assert_int_eq(ps_cv_read_image_file(MESSI, 3, &src), PS_OK);
    ps_cv_faces *fd = open_or_fail(PS_FACE_BLAZE);
    ps_face out[MAX_FACES];
    int n = 0;
    ps_image *whole = face_cut_at_top(src, 0);
    ck_assert_int_eq(ps_cv_faces_detect(fd, whole, 24, out, MAX_FACES, &n), PS_OK);
    ck_assert_int_eq(n, 1);
    int y_eyes = (int)(0.5 * (out[0].landmarks[PS_FACE_KP_LEFT_EYE].y + out[0].landmarks[PS_FACE_KP_RIGHT_EYE].y));
    ck_assert_int_gt(y_eyes, 8);
    /* the edge through the brows, an eighth of the face above the eye
     * centres (with the mean-colour padding of before, no cut from there
     * down to below the eyes was found) */
    ps_image *cut = face_cut_at_top(src, y_eyes - out[0].box.h / 8);
    ck_assert_int_eq(ps_cv_faces_detect_frame(fd, cut, 24, out, MAX_FACES, &n), PS_OK);
    ck_assert_int_ge(n, 1);
    ck_assert_int_eq(out[0].cut_off, 1);
    ck_assert_int_eq(out[0].box.y, 0);
    ps_cv_faces_close(&fd);
    ps_image_free(&cut);
    ps_image_free(&whole);
    ps_image_free(&src);
}
END_TEST

/* ---- needs the shared corpus -------------------------------------------- */

START_TEST(portraits_have_one_face_each)
{
    static const char *const files[] = {"docxpand-passport-photos/man_1.jpg",
                                        "docxpand-passport-photos/woman_1.jpg",
                                        "dlib-faces/Tom_Cruise_avp_2014_4.jpg"};
    ps_cv_faces *fd = open_or_fail(PS_FACE_BLAZE);
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        ps_image *img = corpus_image(files[i]);
        ps_face out[MAX_FACES];
        int n = 0;
        ck_assert_int_eq(ps_cv_faces_detect(fd, img, 24, out, MAX_FACES, &n), PS_OK);
        ck_assert_msg(n == 1, "%s: %d faces", files[i], n);
        /* Passport framing: the face is in the middle of the width. */
        ck_assert(centre_in(&out[0], img->width / 4, 0, img->width / 2, img->height));
        ck_assert_float_ge(out[0].score, 0.75f);
        ps_image_free(&img);
    }
    ps_cv_faces_close(&fd);
}
END_TEST

/* dlib's testing.xml: 2008_002506.jpg has three faces of 90-109 px. */
START_TEST(labelled_group_photo_boxes_match)
{
    static const int boxes[3][4] = {{329, 78, 109, 109}, {224, 95, 91, 91}, {125, 65, 90, 91}};
    ps_image *img = corpus_image("dlib-faces/2008_002506.jpg");
    for (int m = PS_FACE_HAAR; m <= PS_FACE_BLAZE; m += PS_FACE_BLAZE - PS_FACE_HAAR) {
        ps_cv_faces *fd = open_or_fail((ps_face_method)m);
        ps_face out[MAX_FACES];
        int n = 0;
        ck_assert_int_eq(ps_cv_faces_detect(fd, img, 40, out, MAX_FACES, &n), PS_OK);
        for (int b = 0; b < 3; b++) {
            int hit = 0;
            for (int j = 0; j < n; j++)
                hit |= centre_in(&out[j], boxes[b][0], boxes[b][1], boxes[b][2], boxes[b][3]);
            ck_assert_msg(hit, "%s missed face %d", ps_cv_face_method_name((ps_face_method)m), b);
        }
        ps_cv_faces_close(&fd);
    }
    ps_image_free(&img);
}
END_TEST

/* The face printed on a JP driving licence specimen, in a 720x1280 frame. */
START_TEST(card_face_is_found)
{
    ps_cv_faces *fd = open_or_fail(PS_FACE_BLAZE);
    ps_image *img = corpus_image("jp-id-specimens/scene_driverslicense_two_cards.png");
    ps_face out[MAX_FACES];
    int n = 0;
    ck_assert_int_eq(ps_cv_faces_detect(fd, img, 24, out, MAX_FACES, &n), PS_OK);
    ck_assert_int_eq(n, 2);
    /* The two cards' photo rectangles, read off the image. */
    int top = centre_in(&out[0], 462, 137, 156, 193) || centre_in(&out[1], 462, 137, 156, 193);
    int bottom = centre_in(&out[0], 484, 548, 186, 234) || centre_in(&out[1], 484, 548, 186, 234);
    ck_assert(top && bottom);
    ps_image_free(&img);
    ps_cv_faces_close(&fd);
}
END_TEST

START_TEST(no_faces_on_negatives)
{
    static const char *const files[] = {"dlib-faces/negatives/eagle.jpg",
                                        "dlib-faces/negatives/giraffe.jpg",
                                        "dlib-faces/negatives/horses.jpg",
                                        "creditcard-specimens/daricvn_card_1.png"};
    ps_cv_faces *fd = open_or_fail(PS_FACE_BLAZE);
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        ps_image *img = corpus_image(files[i]);
        ps_face out[MAX_FACES];
        int n = 0;
        ck_assert_int_eq(ps_cv_faces_detect(fd, img, 24, out, MAX_FACES, &n), PS_OK);
        ck_assert_msg(n == 0, "%s: %d false faces", files[i], n);
        ps_image_free(&img);
    }
    ps_cv_faces_close(&fd);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("face");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, bad_arguments_are_rejected);
    tcase_add_test(tc, missing_or_broken_models_give_model_error);
    int blaze = have_blaze();
    if (!blaze)
        fprintf(stderr, "note: BlazeFace models absent (scripts/install-models.sh): "
                        "BlazeFace tests skipped\n");
    if (blaze && have_file(MESSI)) {
        tcase_add_test(tc, synthetic_face_on_plain_background);
        tcase_add_test(tc, face_cut_by_the_frame_is_found_and_marked);
    tcase_add_test(tc, face_cut_at_the_eyes_is_found_and_marked);
    } else
        fprintf(stderr, "note: synthetic-face test skipped (needs BlazeFace and %s from "
                        "Debian opencv-doc)\n", MESSI);
    if (blaze && ps_test_have_corpus()) {
        tcase_add_test(tc, portraits_have_one_face_each);
        tcase_add_test(tc, labelled_group_photo_boxes_match);
        tcase_add_test(tc, card_face_is_found);
        tcase_add_test(tc, no_faces_on_negatives);
    } else {
        fprintf(stderr, "note: corpus face tests skipped (PS_CORPUS_DIR absent or no models)\n");
    }
    suite_add_tcase(s, tc);
    return ps_test_run(s);
}
