// prescreen — face detection: Haar/LBP cascades and BlazeFace (OpenCV DNN).
//
// BlazeFace facts used here (from MediaPipe's model card and the
// BlazeFaceBarracuda post-processing shaders): the net takes an NHWC RGB
// tensor; it has 896 anchors, 16x16 cells x 2 anchors (outputs "Identity"
// = score logits, "Identity_2" = 16 regressors each) and 8x8 cells x 6
// anchors ("Identity_1", "Identity_3"). An anchor sits at the cell centre
// (cell + 0.5) / cells in unit coordinates; regressors are box centre
// offset, box size and six keypoint offsets, all in input pixels. Scores
// are sigmoid(logit). Overlapping boxes are blended by a score-weighted
// mean (weighted NMS). Our own measurements: inputs in [-1, 1] score a little
// higher than [0, 1], and the outputs are top-down (no y flip).

#include "cv/face.h"

#include <opencv2/core.hpp>
#include <opencv2/dnn.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/objdetect.hpp>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <new>
#include <string>
#include <vector>

#ifndef PS_DEFAULT_MODEL_DIR
#define PS_DEFAULT_MODEL_DIR "models"
#endif

namespace {

// Manifest names of the models each method needs.
const char *const kHaarName = "haar_frontalface_alt2";
const char *const kLbpName = "lbp_frontalface_improved";
const char *const kBlazeFrontName = "blazeface_front_128";
const char *const kBlazeBackName = "blazeface_back_256";

const int kFrontSize = 128;          // front model input side, pixels
const int kBackSize = 256;           // back model input side, pixels
const float kBlazeDefaultThr = 0.8f; // bench/RESULTS.md: 0.75 (MediaPipe) passes dog faces
const float kCascadeDefaultThr = 0.5f; // keeps every grouped cascade hit
const float kNmsIou = 0.3f;          // BlazeFace's blending overlap
const float kNestedShare = 0.5f;     // half a box inside a stronger one: same face
const float kLogitClamp = 80.0f;     // keeps exp() finite
// The back model's working range, in input pixels, measured by pasting a
// portrait and a JP licence on a black canvas at known sizes: faces from 14
// px score >= 0.85; a card's face stops scoring above ~40 px (portraits go
// on to ~160 px). So a level sees faces from kBackMinFace to kBackMaxFace.
const double kBackMinFace = 16.0;
const double kBackMaxFace = 40.0;
const double kLevelRatio = kBackMaxFace / kBackMinFace; // max zoom between levels
// ... and from 14 px (above): a whole-image pass that shows the smallest
// face wanted at 14 px or more needs no tiles.
const double kBackLowestFace = 14.0;
// Tiles overlap by a bit more than the largest face a level must find.
const double kTileOverlap = 0.2;
const int kMaxTiles = 64;            // cost cap for very small min_face_px
const double kCascadeScale = 1.1;    // detectMultiScale pyramid step
const int kCascadeNeighbours = 3;    // OpenCV's default grouping strength

struct Candidate {
    float score;
    float cx, cy, w, h;   // image pixels
    float kp[12];         // 6 (x, y) keypoints, image pixels
    bool cut = false;     // reaches past the image (set before blending)
};

// A face whose unclipped box reaches past the image by this share of its
// size is cut off by the frame: a tenth is beyond the regression's jitter.
const float kCutShare = 0.1f;
// The frame pass pads each side by this share of the long side: room for
// the missing half of a face that fills a quarter of the frame.
const double kFramePad = 0.15;

} // namespace

struct ps_cv_faces {
    ps_face_method method;
    cv::CascadeClassifier cascade;
    cv::dnn::Net front;
    cv::dnn::Net back;
    std::vector<cv::String> front_out; // Identity, Identity_1, _2, _3 as named
    std::vector<cv::String> back_out;  // by the importer (e.g. "Identity:0")
    float threshold;
    float cascade_threshold;
    bool poisoned;
    std::string error;
};

namespace {

bool file_exists(const std::string &p)
{
    FILE *f = std::fopen(p.c_str(), "rb");
    if (!f)
        return false;
    std::fclose(f);
    return true;
}

// Reads <dir>/manifest.json and returns the resolved path of entry `name`,
// or "" when the manifest or the entry is missing.
std::string manifest_path(const std::string &dir, const char *name, std::string *err)
{
    std::string mpath = dir + "/manifest.json";
    cv::FileStorage fs;
    if (!file_exists(mpath)) { // checked first: OpenCV would log an error
        *err = "no " + mpath;
        return "";
    }
    try {
        if (!fs.open(mpath, cv::FileStorage::READ | cv::FileStorage::FORMAT_JSON)) {
            *err = "cannot open " + mpath;
            return "";
        }
    } catch (const cv::Exception &) {
        *err = "cannot parse " + mpath;
        return "";
    }
    cv::FileNode models = fs["models"];
    if (!models.isSeq()) {
        *err = mpath + ": no \"models\" list";
        return "";
    }
    for (cv::FileNodeIterator it = models.begin(); it != models.end(); ++it) {
        cv::FileNode n = *it;
        if (!n["name"].isString() || n["name"].string() != name)
            continue;
        std::string p = n["path"].isString() ? n["path"].string() : "";
        if (p.empty()) {
            *err = mpath + ": entry " + name + " has no path";
            return "";
        }
        return p[0] == '/' ? p : dir + "/" + p;
    }
    *err = mpath + ": no entry " + name;
    return "";
}

ps_status load_cascade(ps_cv_faces *fd, const std::string &dir, const char *name)
{
    std::string p = manifest_path(dir, name, &fd->error);
    if (p.empty())
        return PS_E_MODEL;
    bool ok = false;
    try {
        ok = file_exists(p) && fd->cascade.load(p) && !fd->cascade.empty();
    } catch (const cv::Exception &) {
        ok = false; // a malformed cascade file is a model error, not a CV one
    }
    if (!ok) {
        fd->error = "cannot load cascade " + p;
        return PS_E_MODEL;
    }
    return PS_OK;
}

ps_status load_net(ps_cv_faces *fd, const std::string &dir, const char *name,
                   cv::dnn::Net *net, std::vector<cv::String> *outs)
{
    std::string p = manifest_path(dir, name, &fd->error);
    if (p.empty())
        return PS_E_MODEL;
    if (!file_exists(p)) {
        fd->error = "missing model " + p + " (run scripts/install-models.sh)";
        return PS_E_MODEL;
    }
    try {
        *net = cv::dnn::readNetFromONNX(p);
    } catch (const cv::Exception &e) {
        fd->error = "cannot load " + p + ": " + e.what();
        return PS_E_MODEL;
    }
    if (net->empty()) {
        fd->error = "empty network " + p;
        return PS_E_MODEL;
    }
    net->setPreferableBackend(cv::dnn::DNN_BACKEND_OPENCV);
    net->setPreferableTarget(cv::dnn::DNN_TARGET_CPU);
    // The importer may suffix output names (":0"); match on the stem.
    static const char *const stems[4] = {"Identity", "Identity_1", "Identity_2", "Identity_3"};
    std::vector<cv::String> have = net->getUnconnectedOutLayersNames();
    outs->clear();
    for (const char *stem : stems) {
        for (const cv::String &h : have)
            if (h.substr(0, h.find(':')) == stem)
                outs->push_back(h);
    }
    if (outs->size() != 4) {
        fd->error = p + ": not a BlazeFace network (outputs Identity..Identity_3)";
        return PS_E_MODEL;
    }
    return PS_OK;
}

bool valid_image(const ps_image *img)
{
    return img->data && img->width > 0 && img->height > 0 &&
           (img->channels == 1 || img->channels == 3) &&
           img->stride >= (size_t)img->width * (size_t)img->channels;
}

// A cv::Mat header over the ps_image's pixels (no copy).
cv::Mat wrap(const ps_image *img)
{
    return cv::Mat(img->height, img->width, img->channels == 1 ? CV_8UC1 : CV_8UC3,
                   img->data, img->stride);
}

float sigmoid(float x)
{
    x = std::max(-kLogitClamp, std::min(kLogitClamp, x));
    return 1.0f / (1.0f + std::exp(-x));
}

// Runs one BlazeFace net on `region` (RGB) resized by `scale` and placed at
// the top-left of a size x size black canvas; appends candidates scoring at
// least `thr`, mapped back to image pixels (`ox`, `oy` = region origin).
void run_blaze(cv::dnn::Net &net, const std::vector<cv::String> &names, int size,
               const cv::Mat &region, double scale,
               int ox, int oy, float thr, std::vector<Candidate> *cands)
{
    int rw = std::max(1, std::min(size, (int)std::lround(region.cols * scale)));
    int rh = std::max(1, std::min(size, (int)std::lround(region.rows * scale)));
    cv::Mat canvas(size, size, CV_8UC3, cv::Scalar(0, 0, 0));
    cv::Mat resized;
    cv::resize(region, resized, cv::Size(rw, rh), 0, 0,
               scale < 1.0 ? cv::INTER_AREA : cv::INTER_LINEAR);
    resized.copyTo(canvas(cv::Rect(0, 0, rw, rh)));
    // The true scale per axis after rounding the resized size.
    double sx = (double)rw / region.cols, sy = (double)rh / region.rows;

    cv::Mat f;
    canvas.convertTo(f, CV_32F, 2.0 / 255.0, -1.0); // [0,255] -> [-1,1]
    int dims[4] = {1, size, size, 3};               // NHWC, as exported
    cv::Mat blob(4, dims, CV_32F, f.data);
    net.setInput(blob);
    std::vector<cv::Mat> outs;
    net.forward(outs, names);

    struct Layer { int score, box, cells, anchors; };
    const Layer layers[2] = {{0, 2, 16, 2}, {1, 3, 8, 6}}; // see the top comment
    for (const Layer &L : layers) {
        const cv::Mat &sc = outs[L.score];
        const cv::Mat &bx = outs[L.box];
        int n = L.cells * L.cells * L.anchors;
        if ((int)sc.total() != n || (int)bx.total() != n * 16)
            CV_Error(cv::Error::StsBadSize, "unexpected BlazeFace output shape");
        const float *s = sc.ptr<float>();
        const float *b = bx.ptr<float>();
        for (int i = 0; i < n; i++) {
            float p = sigmoid(s[i]);
            if (p < thr)
                continue;
            int cell = i / L.anchors;
            float ax = ((cell % L.cells) + 0.5f) / L.cells * size;
            float ay = ((cell / L.cells) + 0.5f) / L.cells * size;
            const float *r = b + (size_t)i * 16;
            Candidate c;
            c.score = p;
            c.cx = (float)((ax + r[0]) / sx + ox);
            c.cy = (float)((ay + r[1]) / sy + oy);
            c.w = (float)(r[2] / sx);
            c.h = (float)(r[3] / sy);
            for (int k = 0; k < 6; k++) {
                c.kp[2 * k] = (float)((ax + r[4 + 2 * k]) / sx + ox);
                c.kp[2 * k + 1] = (float)((ay + r[5 + 2 * k]) / sy + oy);
            }
            if (c.w > 0 && c.h > 0)
                cands->push_back(c);
        }
    }
}

float iou(const Candidate &a, const Candidate &b)
{
    float x0 = std::max(a.cx - a.w / 2, b.cx - b.w / 2);
    float y0 = std::max(a.cy - a.h / 2, b.cy - b.h / 2);
    float x1 = std::min(a.cx + a.w / 2, b.cx + b.w / 2);
    float y1 = std::min(a.cy + a.h / 2, b.cy + b.h / 2);
    float inter = std::max(0.0f, x1 - x0) * std::max(0.0f, y1 - y0);
    float uni = a.w * a.h + b.w * b.h - inter;
    return uni > 0 ? inter / uni : 0.0f;
}

// Share of the smaller box's area that lies inside the other box.
float containment(const Candidate &a, const Candidate &b)
{
    float x0 = std::max(a.cx - a.w / 2, b.cx - b.w / 2);
    float y0 = std::max(a.cy - a.h / 2, b.cy - b.h / 2);
    float x1 = std::min(a.cx + a.w / 2, b.cx + b.w / 2);
    float y1 = std::min(a.cy + a.h / 2, b.cy + b.h / 2);
    float inter = std::max(0.0f, x1 - x0) * std::max(0.0f, y1 - y0);
    float small = std::min(a.w * a.h, b.w * b.h);
    return small > 0 ? inter / small : 0.0f;
}

// Weighted NMS: strongest first, every overlapping candidate is folded into
// a score-weighted mean of geometry; the blend keeps the highest score.
// A weaker box mostly inside a stronger one (a tile that saw part of a big
// face) is dropped without blending: faces do not nest.
std::vector<Candidate> blend(std::vector<Candidate> c)
{
    std::sort(c.begin(), c.end(),
              [](const Candidate &a, const Candidate &b) { return a.score > b.score; });
    std::vector<bool> used(c.size(), false);
    std::vector<Candidate> res;
    for (size_t i = 0; i < c.size(); i++) {
        if (used[i])
            continue;
        double wsum = 0, acc[16] = {0};
        for (size_t j = i; j < c.size(); j++) {
            if (used[j])
                continue;
            if (j != i && iou(c[i], c[j]) < kNmsIou) {
                if (containment(c[i], c[j]) >= kNestedShare)
                    used[j] = true;
                continue;
            }
            used[j] = true;
            c[i].cut = c[i].cut || c[j].cut;
            double w = c[j].score;
            wsum += w;
            acc[0] += w * c[j].cx;
            acc[1] += w * c[j].cy;
            acc[2] += w * c[j].w;
            acc[3] += w * c[j].h;
            for (int k = 0; k < 12; k++)
                acc[4 + k] += w * c[j].kp[k];
        }
        Candidate m = c[i];
        m.cx = (float)(acc[0] / wsum);
        m.cy = (float)(acc[1] / wsum);
        m.w = (float)(acc[2] / wsum);
        m.h = (float)(acc[3] / wsum);
        for (int k = 0; k < 12; k++)
            m.kp[k] = (float)(acc[4 + k] / wsum);
        res.push_back(m);
    }
    return res;
}

// Tiles the image with the back model so that faces down to `min_face`
// pixels reach kBackMinFace input pixels. Levels are spaced by at most
// kLevelRatio so that each level's largest face is the next coarser level's
// smallest. (The front model, whole image only, covers 18-64 of its 128
// input pixels: the large selfie faces above the back model's range.)
void blaze_tiles(ps_cv_faces *fd, const cv::Mat &rgb, double min_face, float thr,
                 std::vector<Candidate> *cands)
{
    double whole = (double)kBackSize / std::max(rgb.cols, rgb.rows);
    double target = std::min(1.0, kBackMinFace / min_face); // never upsample
    if (target * kBackLowestFace / kBackMinFace <= whole) // the whole-image pass suffices
        return;
    int levels = (int)std::ceil(std::log(target / whole) / std::log(kLevelRatio));
    for (int l = 1; l <= levels; l++) {
        double s = whole * std::pow(target / whole, (double)l / levels);
        int tile = (int)std::ceil(kBackSize / s);
        int step = std::max(1, (int)(tile * (1.0 - kTileOverlap)));
        int nx = rgb.cols <= tile ? 1 : 1 + (rgb.cols - tile + step - 1) / step;
        int ny = rgb.rows <= tile ? 1 : 1 + (rgb.rows - tile + step - 1) / step;
        if (nx * ny > kMaxTiles) {
            // Too many tiles: spread kMaxTiles evenly instead (more overlap lost).
            double f = std::sqrt((double)nx * ny / kMaxTiles);
            nx = std::max(1, (int)(nx / f));
            ny = std::max(1, (int)(ny / f));
        }
        for (int ty = 0; ty < ny; ty++) {
            for (int tx = 0; tx < nx; tx++) {
                int x = nx == 1 ? 0 : (int)((long)(rgb.cols - tile) * tx / (nx - 1));
                int y = ny == 1 ? 0 : (int)((long)(rgb.rows - tile) * ty / (ny - 1));
                cv::Rect r(std::max(0, x), std::max(0, y), std::min(tile, rgb.cols),
                           std::min(tile, rgb.rows));
                run_blaze(fd->back, fd->back_out, kBackSize, rgb(r), s, r.x, r.y, thr, cands);
            }
        }
    }
}

void mark_cut(std::vector<Candidate> *cands, int w, int h)
{
    for (size_t i = 0; i < cands->size(); i++) {
        Candidate &c = (*cands)[i];
        float mx = kCutShare * c.w, my = kCutShare * c.h;
        c.cut = c.cx - c.w / 2 < -mx || c.cy - c.h / 2 < -my || c.cx + c.w / 2 > w + mx ||
                c.cy + c.h / 2 > h + my;
    }
}

void detect_blaze(ps_cv_faces *fd, const ps_image *img, int min_face_px, bool frame,
                  std::vector<ps_face> *faces)
{
    cv::Mat src = wrap(img);
    cv::Mat rgb;
    if (img->channels == 1)
        cv::cvtColor(src, rgb, cv::COLOR_GRAY2RGB);
    else
        rgb = src;
    float thr = fd->threshold;
    std::vector<Candidate> cands;
    double whole_f = (double)kFrontSize / std::max(rgb.cols, rgb.rows);
    double whole_b = (double)kBackSize / std::max(rgb.cols, rgb.rows);
    run_blaze(fd->front, fd->front_out, kFrontSize, rgb, whole_f, 0, 0, thr, &cands);
    run_blaze(fd->back, fd->back_out, kBackSize, rgb, whole_b, 0, 0, thr, &cands);
    blaze_tiles(fd, rgb, std::max((double)min_face_px, kBackMinFace), thr, &cands);
    if (frame) {
        // A face half outside the frame has no context on that side and the
        // net misses it. On a canvas padded with the frame mirrored at its
        // edges, a face cut at the eyes gets its eyes and brow back (their
        // mirror image), and its box reaches past the edge. (Padding with
        // the mean colour found a face cut at the forehead but not one cut
        // at the eyes: face_cut_off recall 6/13 -> 13/13 on the generated
        // selfies, 4/12 -> 9/12 held out, no new face off the edges.)
        int pad = (int)std::lround(kFramePad * std::max(rgb.cols, rgb.rows));
        cv::Mat padded;
        cv::copyMakeBorder(rgb, padded, pad, pad, pad, pad, cv::BORDER_REFLECT);
        run_blaze(fd->back, fd->back_out, kBackSize, padded,
                  (double)kBackSize / std::max(padded.cols, padded.rows), -pad, -pad, thr, &cands);
        run_blaze(fd->front, fd->front_out, kFrontSize, padded,
                  (double)kFrontSize / std::max(padded.cols, padded.rows), -pad, -pad, thr, &cands);
    }
    mark_cut(&cands, img->width, img->height);

    for (const Candidate &c : blend(cands)) {
        ps_face f;
        std::memset(&f, 0, sizeof f);
        int x0 = std::max(0, (int)std::lround(c.cx - c.w / 2));
        int y0 = std::max(0, (int)std::lround(c.cy - c.h / 2));
        int x1 = std::min(img->width, (int)std::lround(c.cx + c.w / 2));
        int y1 = std::min(img->height, (int)std::lround(c.cy + c.h / 2));
        // A face is as wide as its unclipped box; drop ones below the floor.
        if (x1 <= x0 || y1 <= y0 || c.w < min_face_px)
            continue;
        f.box = ps_box{x0, y0, x1 - x0, y1 - y0};
        f.score = c.score;
        f.cut_off = c.cut;
        f.n_landmarks = 6;
        for (int k = 0; k < 6; k++)
            f.landmarks[k] = ps_point{c.kp[2 * k], c.kp[2 * k + 1]};
        faces->push_back(f);
    }
}

void detect_cascade(ps_cv_faces *fd, const ps_image *img, int min_face_px,
                    std::vector<ps_face> *faces)
{
    cv::Mat src = wrap(img);
    cv::Mat gray;
    if (img->channels == 3)
        cv::cvtColor(src, gray, cv::COLOR_RGB2GRAY);
    else
        gray = src.clone();
    cv::equalizeHist(gray, gray);
    std::vector<cv::Rect> rects;
    std::vector<int> hits;
    fd->cascade.detectMultiScale(gray, rects, hits, kCascadeScale, kCascadeNeighbours, 0,
                                 cv::Size(min_face_px, min_face_px));
    for (size_t i = 0; i < rects.size(); i++) {
        // Score from the number of grouped raw hits: n / (n + neighbours)
        // is above 0.5 for every reported box and tends to 1.
        float score = (float)hits[i] / (float)(hits[i] + kCascadeNeighbours);
        if (score < fd->cascade_threshold)
            continue;
        ps_face f;
        std::memset(&f, 0, sizeof f);
        cv::Rect r = rects[i] & cv::Rect(0, 0, img->width, img->height);
        f.box = ps_box{r.x, r.y, r.width, r.height};
        f.score = score;
        faces->push_back(f);
    }
}

} // namespace

extern "C" {

const char *ps_cv_face_method_name(ps_face_method m)
{
    switch (m) {
    case PS_FACE_HAAR: return "haar";
    case PS_FACE_LBP: return "lbp";
    case PS_FACE_BLAZE: return "blaze";
    case PS_FACE_BLAZE_HAAR: return "blaze+haar";
    default: return "unknown";
    }
}

ps_status ps_cv_faces_open(const char *model_dir, ps_face_method m, ps_cv_faces **out)
{
    if (out)
        *out = NULL;
    if (!out || (int)m < 0 || m >= PS_FACE_METHOD_END_)
        return PS_E_ARG;
    ps_cv_faces *fd = NULL;
    ps_status st = PS_OK;
    try {
        fd = new ps_cv_faces();
        fd->method = m;
        fd->threshold = kBlazeDefaultThr;
        fd->cascade_threshold = kCascadeDefaultThr;
        fd->poisoned = false;
        std::string dir = model_dir ? model_dir : PS_DEFAULT_MODEL_DIR;
        if (m == PS_FACE_HAAR || m == PS_FACE_BLAZE_HAAR)
            st = load_cascade(fd, dir, kHaarName);
        else if (m == PS_FACE_LBP)
            st = load_cascade(fd, dir, kLbpName);
        if (st == PS_OK && (m == PS_FACE_BLAZE || m == PS_FACE_BLAZE_HAAR))
            st = load_net(fd, dir, kBlazeFrontName, &fd->front, &fd->front_out);
        if (st == PS_OK && (m == PS_FACE_BLAZE || m == PS_FACE_BLAZE_HAAR))
            st = load_net(fd, dir, kBlazeBackName, &fd->back, &fd->back_out);
    } catch (const std::bad_alloc &) {
        st = PS_E_NOMEM;
    } catch (const cv::Exception &) {
        st = PS_E_CV;
    } catch (...) {
        st = PS_E_INTERNAL;
    }
    if (st != PS_OK) {
        delete fd;
        return st;
    }
    *out = fd;
    return PS_OK;
}

ps_status ps_cv_faces_set_threshold(ps_cv_faces *fd, float t)
{
    if (!fd || !(t >= 0.0f && t <= 1.0f))
        return PS_E_ARG;
    fd->threshold = t;
    fd->cascade_threshold = t;
    return PS_OK;
}

namespace {

ps_status detect(ps_cv_faces *fd, const ps_image *img, int min_face_px, bool frame, ps_face *out,
                 int max, int *n_out)
{
    if (n_out)
        *n_out = 0;
    if (!fd || !img || !out || !n_out || max < 1 || min_face_px < 1 || !valid_image(img))
        return PS_E_ARG;
    if (fd->poisoned)
        return PS_E_CV;
    ps_status st = PS_OK;
    try {
        fd->error.clear();
        std::vector<ps_face> faces;
        if (fd->method == PS_FACE_HAAR || fd->method == PS_FACE_LBP) {
            detect_cascade(fd, img, min_face_px, &faces);
        } else {
            detect_blaze(fd, img, min_face_px, frame, &faces);
            if (faces.empty() && fd->method == PS_FACE_BLAZE_HAAR)
                detect_cascade(fd, img, min_face_px, &faces);
        }
        std::stable_sort(faces.begin(), faces.end(),
                         [](const ps_face &a, const ps_face &b) { return a.score > b.score; });
        int n = std::min((int)faces.size(), max);
        for (int i = 0; i < n; i++)
            out[i] = faces[i];
        *n_out = n;
    } catch (const std::bad_alloc &) {
        st = PS_E_NOMEM;
    } catch (const cv::Exception &e) {
        fd->error = e.what();
        fd->poisoned = true;
        st = PS_E_CV;
    } catch (...) {
        fd->poisoned = true;
        st = PS_E_INTERNAL;
    }
    return st;
}

} // namespace

ps_status ps_cv_faces_detect(ps_cv_faces *fd, const ps_image *img, int min_face_px,
                             ps_face *out, int max, int *n_out)
{
    return detect(fd, img, min_face_px, false, out, max, n_out);
}

ps_status ps_cv_faces_detect_frame(ps_cv_faces *fd, const ps_image *img, int min_face_px,
                                   ps_face *out, int max, int *n_out)
{
    return detect(fd, img, min_face_px, true, out, max, n_out);
}

const char *ps_cv_faces_error(const ps_cv_faces *fd)
{
    return fd ? fd->error.c_str() : "";
}

void ps_cv_faces_close(ps_cv_faces **fd)
{
    if (!fd || !*fd)
        return;
    delete *fd;
    *fd = NULL;
}

ps_status ps_cv_read_image_file(const char *path, int channels, ps_image **out)
{
    if (out)
        *out = NULL;
    if (!path || !out || (channels != 1 && channels != 3))
        return PS_E_ARG;
    ps_image *img = NULL;
    if (!file_exists(path)) // checked first: OpenCV would log a warning
        return PS_E_IO;
    try {
        cv::Mat m = cv::imread(path, channels == 1 ? cv::IMREAD_GRAYSCALE : cv::IMREAD_COLOR);
        if (m.empty())
            return PS_E_IO;
        if (channels == 3)
            cv::cvtColor(m, m, cv::COLOR_BGR2RGB);
        ps_status st = ps_image_new(m.cols, m.rows, channels, 0, &img);
        if (st != PS_OK)
            return st;
        for (int y = 0; y < m.rows; y++)
            std::memcpy(ps_image_row(img, y), m.ptr(y), (size_t)m.cols * channels);
    } catch (const std::bad_alloc &) {
        ps_image_free(&img);
        return PS_E_NOMEM;
    } catch (...) {
        ps_image_free(&img);
        return PS_E_CV;
    }
    *out = img;
    return PS_OK;
}

} // extern "C"
