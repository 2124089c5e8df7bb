/* prescreen — document quadrilateral, rectification, skin occlusion, glare.
 *
 * See document.h for the contract. The document finder works on a working
 * copy (long side <= 800 px) in a perceptual colour space so that a white
 * card on a white table still has an edge (shading) and a beige card on
 * black has a strong one. It pools straight lines from two sources:
 *   - segments found on a colour Canny map (FastLineDetector),
 *   - the sides of polygons fitted to colour-segmentation regions and to
 *     closed edge contours (these also give direct quad candidates),
 * then forms quads from two roughly parallel pairs of lines, and from three
 * lines plus the aspect prior (a side lost past the image edge or under a
 * hand). Every candidate is refined to the sub-pixel edge and scored.
 */
#include "cv/document.h"
#include "cv/wrap.hpp"

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/ximgproc/fast_line_detector.hpp>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

namespace {

/* Working copies are capped at this long side: enough for a card filling a
 * tenth of the frame to keep ~100 px sides, small enough for the 30 ms budget. */
const int WORK_LONG_SIDE = 800;

/* See SHAPES. */
#define PS__ENVELOPE_PRIOR 0.6

struct Shape {
    unsigned bit;
    double aspect; /* long / short */
    double prior;  /* weight of a perfect fit to this aspect */
};

/* ISO/IEC 7810 ID-1 85.60/53.98; ICAO 9303 TD3 125/88; A4 297/210, US letter
 * 11/8.5, Japanese postcard 148/100, the business envelope 長形3号 235/120;
 * the paper My Number notification card about 205/85. Without the envelope
 * one (aspect near 2) was taken for an ID-1 card and read at a card's
 * resolution. Its fit weighs less: a page joined to the sheet behind it up
 * to the frame's edge, or a stamp with a thumb, also runs near 2:1. */
const Shape SHAPES[] = {
    {PS_DOC_ID1, 85.60 / 53.98, 1},     {PS_DOC_TD3, 125.0 / 88.0, 1},
    {PS_DOC_PAPER, 297.0 / 210.0, 1},   {PS_DOC_PAPER, 11.0 / 8.5, 1},
    {PS_DOC_PAPER, 148.0 / 100.0, 1},   {PS_DOC_PAPER, 235.0 / 120.0, PS__ENVELOPE_PRIOR},
    {PS_DOC_STRIP, 205.0 / 85.0, 1},
};

struct Work {
    cv::Mat rgb;    /* CV_8UC3 working copy */
    cv::Mat lab;    /* CV_8UC3 blurred L, a, b with chroma gain */
    cv::Mat gx, gy; /* CV_16SC3 Sobel of lab */
    cv::Mat closed; /* CV_8U colour Canny edges dilated 5x5 */
    cv::Mat density; /* CV_32F share of `closed` set in a 15x15 window */
    cv::Mat lstd;    /* CV_32F std-dev of L in a 15x15 window; empty unless
                        the hint asks for print_by_contrast */
    double scale;   /* working = input * scale */
    int w, h;
};

struct Line {
    cv::Point2d p; /* a point on the line */
    cv::Point2d d; /* unit direction */
    double len;    /* total supporting length */
    double t0, t1; /* extent of the support along d from p */
};

struct Cand {
    cv::Point2d q[4];
    double conf = 0;
    unsigned shape = 0;
    double aspect = 0;
    double geo = 0;  /* aspect and corner-angle score */
    double seen = 0; /* share of the perimeter inside the image */
    double solid = 0; /* share of checked samples on a step edge, not a ridge */
    bool runs_out = false; /* its sides cut by the frame are edges up to the frame */
    double conf_out = 0;
    bool grown = false; /* made by grown() */
};

cv::Mat wrap(const ps_image *img)
{
    return cv::Mat(img->height, img->width, img->channels == 3 ? CV_8UC3 : CV_8UC1,
                   img->data, img->stride);
}

bool valid_image(const ps_image *img)
{
    return img && img->data && img->width > 0 && img->height > 0 &&
           (img->channels == 1 || img->channels == 3) &&
           img->stride >= (size_t)img->width * (size_t)img->channels;
}

double cross(cv::Point2d a, cv::Point2d b) { return a.x * b.y - a.y * b.x; }

double poly_area(const cv::Point2d *q, int n)
{
    double s = 0;
    for (int i = 0; i < n; i++)
        s += cross(q[i], q[(i + 1) % n]);
    return 0.5 * s;
}

bool intersect(const Line &a, const Line &b, cv::Point2d *out)
{
    double den = cross(a.d, b.d);
    if (std::fabs(den) < 1e-6)
        return false;
    double t = cross(b.p - a.p, b.d) / den;
    *out = a.p + a.d * t;
    return true;
}

Line line_through(cv::Point2d a, cv::Point2d b, double len)
{
    Line l;
    l.p = a;
    cv::Point2d d = b - a;
    double n = std::hypot(d.x, d.y);
    l.d = n > 0 ? d / n : cv::Point2d(1, 0);
    l.len = len;
    l.t0 = 0;
    l.t1 = n;
    return l;
}

/* Puts 4 corners in clockwise screen order and rotates them so that TL->TR
 * is the long side (short side for paper) and, of the two such choices, the
 * higher edge. */
void order_quad(cv::Point2d *q, bool long_on_top)
{
    cv::Point2d c = (q[0] + q[1] + q[2] + q[3]) * 0.25;
    std::sort(q, q + 4, [c](cv::Point2d a, cv::Point2d b) {
        return std::atan2(a.y - c.y, a.x - c.x) < std::atan2(b.y - c.y, b.x - c.x);
    });
    double e01 = cv::norm(q[1] - q[0]) + cv::norm(q[3] - q[2]);
    double e12 = cv::norm(q[2] - q[1]) + cv::norm(q[0] - q[3]);
    int start = ((e01 >= e12) == long_on_top) ? 0 : 1;
    double ya = (q[start].y + q[(start + 1) % 4].y);
    double yb = (q[(start + 2) % 4].y + q[(start + 3) % 4].y);
    if (yb < ya)
        start += 2;
    cv::Point2d r[4];
    for (int i = 0; i < 4; i++)
        r[i] = q[(start + i) % 4];
    std::copy(r, r + 4, q);
}

bool convex_quad(const cv::Point2d *q)
{
    int sign = 0;
    for (int i = 0; i < 4; i++) {
        double c = cross(q[(i + 1) % 4] - q[i], q[(i + 2) % 4] - q[(i + 1) % 4]);
        int s = c > 0 ? 1 : (c < 0 ? -1 : 0);
        if (s == 0 || (sign && s != sign))
            return false;
        sign = s;
    }
    return true;
}

double clipped_area(const cv::Point2d *q, int w, int h)
{
    std::vector<cv::Point2f> a(4), b = {{-0.5f, -0.5f}, {w - 0.5f, -0.5f},
                                        {w - 0.5f, h - 0.5f}, {-0.5f, h - 0.5f}};
    for (int i = 0; i < 4; i++)
        a[i] = cv::Point2f((float)q[i].x, (float)q[i].y);
    if (poly_area(q, 4) < 0)
        std::reverse(a.begin(), a.end());
    std::vector<cv::Point2f> inter;
    return std::max(0.0, (double)cv::intersectConvexConvex(a, b, inter, true));
}

double quad_iou(const cv::Point2d *qa, const cv::Point2d *qb, double *inter_over_b)
{
    std::vector<cv::Point2f> a(4), b(4), inter;
    for (int i = 0; i < 4; i++) {
        a[i] = cv::Point2f((float)qa[i].x, (float)qa[i].y);
        b[i] = cv::Point2f((float)qb[i].x, (float)qb[i].y);
    }
    if (poly_area(qa, 4) < 0)
        std::reverse(a.begin(), a.end());
    if (poly_area(qb, 4) < 0)
        std::reverse(b.begin(), b.end());
    double ia = std::max(0.0, (double)cv::intersectConvexConvex(a, b, inter, true));
    double aa = std::fabs(poly_area(qa, 4)), ab = std::fabs(poly_area(qb, 4));
    if (inter_over_b)
        *inter_over_b = ab > 0 ? ia / ab : 0;
    double u = aa + ab - ia;
    return u > 0 ? ia / u : 0;
}

/* ---- working copy and gradients ----------------------------------------- */

void make_planes(Work *wk);

/* The q-quantile of a sample of levels (taken by value: reordered). */
double sample_pct(std::vector<uchar> v, double q)
{
    size_t k = (size_t)(q * (v.size() - 1));
    std::nth_element(v.begin(), v.begin() + k, v.end());
    return (double)v[k];
}

/* The bin holding the q-quantile of the n counts in h (the last bin when
 * the counts fall short). */
int hist_pct(const std::vector<int> &h, long n, double q)
{
    long acc = 0, k = (long)(q * n);
    for (size_t i = 0; i < h.size(); i++)
        if ((acc += h[i]) > k)
            return (int)i;
    return (int)h.size() - 1;
}

/* An under-exposed frame spans a few dozen levels: a card's sides there
 * are steps of 3-6 levels, under every edge threshold below, which are set
 * for a normal exposure. Such a frame is stretched about its middle; all
 * others are left alone. */
void stretch_contrast(Work *wk)
{
    std::vector<int> h(256, 0);
    int n = 0;
    for (int y = 0; y < wk->rgb.rows; y += 2) {
        const cv::Vec3b *p = wk->rgb.ptr<cv::Vec3b>(y);
        for (int x = 0; x < wk->rgb.cols; x += 2) {
            h[(p[x][0] * 77 + p[x][1] * 150 + p[x][2] * 29) >> 8]++;
            n++;
        }
    }
    int lo = hist_pct(h, n, 0.001), hi = hist_pct(h, n, 0.999);
    /* under-exposed: the brightest of the frame (its 99.9th percentile,
     * so a small white card counts) stays under a third of the scale (80;
     * the generated dark frames reach 38-51). A dim grey wall or a wooden
     * table is as flat, but brighter (110 and more): its grain and sensor
     * noise, stretched, became a card's edges and print */
    /* ... and spans at least 24 levels: a card, the palest thing on a dark
     * table, stands 30-45 levels above it in the generated dark frames; a
     * flatter dark frame holds nothing but its grain and noise (a dark
     * wooden table spans 13), which a stretch would make into edges */
    if (hi >= 80 || hi - lo < 24)
        return;
    /* to 230 levels (5-7x on the generated dark frames) */
    double gain = 230.0 / (hi - lo);
    double mid = 0.5 * (lo + hi);
    cv::Mat out;
    wk->rgb.convertTo(out, CV_8UC3, gain, 128 - gain * mid);
    wk->rgb = out;
}

void make_work(const ps_image *img, Work *wk)
{
    cv::Mat src = wrap(img);
    int lng = std::max(img->width, img->height);
    wk->scale = lng > WORK_LONG_SIDE ? (double)WORK_LONG_SIDE / lng : 1.0;
    cv::Mat small;
    if (wk->scale < 1.0) {
        cv::Size sz((int)std::lround(img->width * wk->scale),
                    (int)std::lround(img->height * wk->scale));
        /* below half size, area averaging is needed against aliasing; above
         * it the blur below does that job and bilinear is 3x cheaper */
        cv::resize(src, small, sz, 0, 0, wk->scale < 0.5 ? cv::INTER_AREA : cv::INTER_LINEAR);
        /* resize rounds the size: use the exact ratio for coordinates */
        wk->scale = (double)sz.width / img->width;
    } else {
        small = src;
    }
    if (small.channels() == 1)
        cv::cvtColor(small, wk->rgb, cv::COLOR_GRAY2RGB);
    else
        wk->rgb = small;
    stretch_contrast(wk);
    make_planes(wk);
}

/* The colour planes and gradients of wk->rgb. */
void make_planes(Work *wk)
{
    wk->w = wk->rgb.cols;
    wk->h = wk->rgb.rows;

    /* Luma and two opponent chroma channels (YCbCr's, BT.601) in one linear
     * pass: on gamma-encoded 8-bit input luma steps are within ~15% of 8-bit
     * CIE L steps over the range that matters, at a tenth of the cost of a
     * Lab conversion. Chroma gain 2 (as 8-bit Lab a/b would need): a
     * colour-only border (beige card on a grey desk) counts like a grey
     * one. Offsets 128 keep neutral colours mid-range. */
    const float Cr = 2 * 0.713f, Cb = 2 * 0.564f;
    cv::Matx34f m(0.299f, 0.587f, 0.114f, 0.f,                                          //
                  Cr * 0.701f, -Cr * 0.587f, -Cr * 0.114f, 128.f,                       //
                  -Cb * 0.299f, -Cb * 0.587f, Cb * 0.886f, 128.f);
    cv::Mat opp;
    cv::transform(wk->rgb, opp, m);
    /* sigma 1.2: removes JPEG noise and print halftone, keeps 1-px edges */
    cv::GaussianBlur(opp, wk->lab, cv::Size(5, 5), 1.2);
    cv::Sobel(wk->lab, wk->gx, CV_16S, 1, 0, 3);
    cv::Sobel(wk->lab, wk->gy, CV_16S, 0, 1, 3);
}

/* Gradient across direction n at pixel (x, y): Euclidean over channels. */
inline double grad_along(const Work &wk, int x, int y, cv::Point2d n)
{
    const cv::Vec3s &gx = wk.gx.at<cv::Vec3s>(y, x);
    const cv::Vec3s &gy = wk.gy.at<cv::Vec3s>(y, x);
    double s = 0;
    for (int c = 0; c < 3; c++) {
        double v = gx[c] * n.x + gy[c] * n.y;
        s += v * v;
    }
    return std::sqrt(s);
}

/* A Sobel 3x3 response of 4 per unit step: 36 is a step of 9 levels of L
 * (after blur), what a white card on a light table still shows in shade. */
const double EDGE_T = 36.0;
/* what still counts as evidence of a side: a soft 4-level step per pixel,
 * a blurred pale card on a white table */
const double EDGE_T_SUPPORT = 16.0;

/* Side separation (side_separation): a piece of a side separates when the
 * strips either side differ by 5 Lab units of mean colour (a pale card on a
 * light desk still does; a wall on both sides of a panel groove does not) */
const double SEP_COLOUR = 5;
/* ... or by 2x in texture energy (plain card margin against wood or cloth) */
const double SEP_TEXTURE = 2;
/* the confidence of a quad none of whose sides separates is halved: a white
 * card on white paper keeps half, a drawn frame or a panel loses to a card */
const double SEP_FLOOR = 0.5;
/* the weakest side weighs as much as the mean of all four: every side of
 * an object separates, a wall panel may have one side against a door */
const double SEP_MINW = 0.5;
/* a corner 8 working px (1% of the long side) past the frame is cut off;
 * less is the sub-pixel overshoot of a document lying at the frame edge */
const double CUT_MARGIN = 8;
/* Lab distance within which the document's surface at the frame border
 * is the same surface as inside it: paper and print under one light vary
 * by 1-21 units on the generated cut cards; the table, the wall or the
 * thumb a stretched outline reaches instead differ by 37-130 */
const double BORDER_SURFACE = 30;
/* Work::density a grown outline (grown()) must hold on average: a card's
 * face, blurred too, holds 0.34-0.82 on the dev selfies; the door, wall
 * panel or face that a moved side reached 0.11-0.27 */
const double GROWN_PRINT = 0.3;

const cv::Vec3b *lab_at(const Work &wk, cv::Point2d p)
{
    int x = cvRound(p.x), y = cvRound(p.y);
    if (x < 0 || y < 0 || x >= wk.w || y >= wk.h)
        return nullptr;
    return &wk.lab.at<cv::Vec3b>(y, x);
}

/* Lab distance with the chroma gain of make_work() undone. */
double lab_dist(const cv::Vec3b &a, const cv::Vec3b &b)
{
    double dl = a[0] - b[0], da = (a[1] - b[1]) * 0.5, db = (a[2] - b[2]) * 0.5;
    return std::sqrt(dl * dl + da * da + db * db);
}

/* ---- side evaluation and refinement ------------------------------------- */

struct SideEval {
    int samples;      /* samples inside the image */
    int supported;    /* of those, twice the number with an edge across the
                         side nearby (a thin ridge counts once) */
    double contrast;  /* mean colour difference across the side (Lab units) */
    double peak_mean; /* mean of min(1, peak / (2 EDGE_T)) */
    int solid;        /* samples with a step edge that is not a thin ridge */
};

/* Samples the side a->b away from its ends (rounded corners), looking for
 * the strongest edge across it within +-r px, and the colour difference
 * 5 px inside vs 5 px outside (`inward` points into the quad). */
SideEval eval_side(const Work &wk, cv::Point2d a, cv::Point2d b, cv::Point2d inward,
                   std::vector<cv::Point2f> *fit_pts, int max_samples = 80)
{
    SideEval e = {0, 0, 0, 0, 0};
    cv::Point2d d = b - a;
    double len = cv::norm(d);
    if (len < 4)
        return e;
    cv::Point2d u = d / len, n(-u.y, u.x);
    if (n.dot(inward) < 0)
        n = -n;
    /* 2 px steps are plenty for the statistics; at most 80 per side (the
     * line fit of refine_quad does not improve with more) */
    int ns = std::max(8, std::min(max_samples, (int)(len / 2)));
    const int R = 3; /* search radius: corner error after coarse fitting */
    const double OFF = 4; /* colour probe distance: past the blur of the edge */
    for (int i = 0; i < ns; i++) {
        /* the outer 8% at each end is the rounded corner of an ID-1 card
         * (radius 3.18 mm = 3.7% of its width, more on the short side) */
        double t = 0.08 + 0.84 * (i + 0.5) / ns;
        cv::Point2d p = a + d * t;
        int px = cvRound(p.x), py = cvRound(p.y);
        if (px < 1 || py < 1 || px >= wk.w - 1 || py >= wk.h - 1)
            continue;
        e.samples++;
        double best = 0, bo = 0, gm1 = 0, gp1 = 0;
        for (int o = -R; o <= R; o++) {
            int x = cvRound(p.x + n.x * o), y = cvRound(p.y + n.y * o);
            if (x < 1 || y < 1 || x >= wk.w - 1 || y >= wk.h - 1)
                continue;
            double g = grad_along(wk, x, y, n);
            if (g > best) {
                best = g;
                bo = o;
            }
        }
        double step = 0;
        bool ridge = false;
        {
            const cv::Vec3b *ci = lab_at(wk, p + n * OFF), *co = lab_at(wk, p - n * OFF);
            if (ci && co) {
                step = lab_dist(*ci, *co);
                e.contrast += step;
                /* a thin band (drawn guide frame, seam, cast shadow): the far
                 * side matches the near side of the other, within half the step */
                const cv::Vec3b *fo = lab_at(wk, p - n * (3 * OFF)), *fi = lab_at(wk, p + n * (3 * OFF));
                ridge = (fo && lab_dist(*ci, *fo) < 0.5 * step) || (fi && lab_dist(*co, *fi) < 0.5 * step);
            }
        }
        /* a step of 6 Lab units across and some gradient at the side; a
         * ridge counts half (it may be a shadow along a real edge) */
        if (best >= EDGE_T_SUPPORT && step >= 6) {
            e.supported += ridge ? 1 : 2;
            e.solid += ridge ? 0 : 1;
            if (fit_pts) {
                /* parabola through the neighbours of the peak: sub-pixel */
                int xm = (int)std::lround(p.x + n.x * (bo - 1)), ym = (int)std::lround(p.y + n.y * (bo - 1));
                int xp = (int)std::lround(p.x + n.x * (bo + 1)), yp = (int)std::lround(p.y + n.y * (bo + 1));
                double sub = 0;
                if (xm >= 1 && ym >= 1 && xm < wk.w - 1 && ym < wk.h - 1 && xp >= 1 && yp >= 1 &&
                    xp < wk.w - 1 && yp < wk.h - 1) {
                    gm1 = grad_along(wk, xm, ym, n);
                    gp1 = grad_along(wk, xp, yp, n);
                    double den = gm1 - 2 * best + gp1;
                    if (den < 0)
                        sub = std::max(-0.5, std::min(0.5, 0.5 * (gm1 - gp1) / den));
                }
                cv::Point2d q = p + n * (bo + sub);
                fit_pts->push_back(cv::Point2f((float)q.x, (float)q.y));
            }
        }
        e.peak_mean += std::min(1.0, best / (2 * EDGE_T));
    }
    if (e.samples) {
        e.contrast /= e.samples;
        e.peak_mean /= e.samples;
    }
    return e;
}

/* Moves each side of q onto the edge it sits near (robust line fit through
 * sub-pixel gradient peaks); sides with too little support stay. */
void refine_quad(const Work &wk, cv::Point2d *q, int iterations)
{
    for (int it = 0; it < iterations; it++) {
        cv::Point2d c = (q[0] + q[1] + q[2] + q[3]) * 0.25;
        Line sides[4];
        bool moved = false;
        for (int i = 0; i < 4; i++) {
            cv::Point2d a = q[i], b = q[(i + 1) % 4];
            sides[i] = line_through(a, b, 0);
            std::vector<cv::Point2f> pts;
            SideEval e = eval_side(wk, a, b, c - (a + b) * 0.5, &pts);
            /* 12 points and a third of the visible side: a real edge, not a
             * thumb's outline crossing the side */
            if ((int)pts.size() < 12 || e.supported * 3 < 2 * e.samples)
                continue;
            cv::Vec4f lf;
            cv::fitLine(pts, lf, cv::DIST_HUBER, 0, 0.01, 0.01);
            Line nl;
            nl.d = cv::Point2d(lf[0], lf[1]);
            nl.p = cv::Point2d(lf[2], lf[3]);
            /* refuse a fit that turned the side by more than ~6 degrees */
            if (std::fabs(nl.d.dot(sides[i].d)) < 0.994)
                continue;
            sides[i] = nl;
            moved = true;
        }
        if (!moved)
            return;
        cv::Point2d nq[4];
        for (int i = 0; i < 4; i++)
            if (!intersect(sides[(i + 3) % 4], sides[i], &nq[i]))
                return;
        if (!convex_quad(nq))
            return;
        std::copy(nq, nq + 4, q);
    }
}

/* ---- scoring -------------------------------------------------------------- */

struct Scorer {
    const Work *wk;
    unsigned shapes;
    double min_area;
    std::vector<cv::Rect2d> faces; /* hint faces, working pixels */
    int holders = 0;               /* the first `holders` faces hold the card */
    bool print_by_contrast = false;
    bool faint_sides = true; /* the second, low-threshold line search */
};

bool inside_quad(const cv::Point2d *q, cv::Point2d p)
{
    double sgn = poly_area(q, 4) >= 0 ? 1 : -1;
    for (int i = 0; i < 4; i++)
        if (sgn * cross(q[(i + 1) % 4] - q[i], p - q[i]) < 0)
            return false;
    return true;
}

double side_len(const cv::Point2d *q, int i) { return cv::norm(q[(i + 1) % 4] - q[i]); }

/* Whether face box f is small enough to be printed on quad q: an ID-1
 * portrait (about 24 x 30 mm on 85.6 x 54 mm) spans up to 0.55 of the
 * card's short side and a detector's box inside it less; 0.6 leaves room
 * for the box overshooting the portrait. Judged by side, not area: a
 * large portrait is a fifth of the card's area, while a holder's face
 * that a quad holds spans most of its short side (docs/geometry.md,
 * round 11). Along the long side a document is about 3.1 such boxes
 * (ID-1: 1.586 / 0.51, the largest box measured on a generated card; 2.7
 * for the largest the tests allow, 0.58 of the short side; a passport page
 * about 4), while the portrait's own frame, a photo of 3:4 taken for the
 * page on a white table, is about 2.4: under 2.55 the quad is that frame. */
bool printable_face(const cv::Rect2d &f, const cv::Point2d *q)
{
    double la = 0.5 * (side_len(q, 0) + side_len(q, 2)), lb = 0.5 * (side_len(q, 1) + side_len(q, 3));
    double side = std::max(f.width, f.height);
    return side <= 0.6 * std::min(la, lb) && side * 2.55 <= std::max(la, lb);
}

/* A quad that holds a detected face is a head, torso or window outline
 * unless the face is small enough to be the card's printed portrait
 * (printable_face); nor does a card carry two faces. */
bool holds_faces(const Scorer &sc, const cv::Point2d *q)
{
    int held = 0;
    for (size_t k = 0; k < sc.faces.size(); k++) {
        const cv::Rect2d &f = sc.faces[k];
        int in = 0;
        /* 5 x 5 probes over the face box: the share of it inside the quad */
        for (int iy = 0; iy < 5; iy++)
            for (int ix = 0; ix < 5; ix++)
                in += inside_quad(q, cv::Point2d(f.x + f.width * (ix + 0.5) / 5, f.y + f.height * (iy + 0.5) / 5));
        /* 15 of 25: most of the face, a box that cuts a chin off still holds it */
        if (in < 15)
            continue;
        if ((int)k < sc.holders)
            return true;
        held++;
        if (!printable_face(f, q))
            return true;
    }
    if (held >= 2)
        return true;
    /* ... nor does a card lie over a quarter of its holder's face while
     * the face is still found: such a quad is chin, neck and collar */
    for (const cv::Rect2d &f : sc.faces) {
        if (printable_face(f, q))
            continue; /* small enough to be printed on it */
        cv::Point2d c = (q[0] + q[1] + q[2] + q[3]) * 0.25;
        int in = 0;
        /* 5 x 5 probes over the quad, pulled towards its centre */
        for (int iy = 0; iy < 5; iy++)
            for (int ix = 0; ix < 5; ix++) {
                double u = (ix + 0.5) / 5, v = (iy + 0.5) / 5;
                cv::Point2d top = q[0] + (q[1] - q[0]) * u, bot = q[3] + (q[2] - q[3]) * u;
                cv::Point2d p = top + (bot - top) * v;
                p = c + (p - c) * 0.9;
                in += f.contains(p);
            }
        if (in >= 7) /* 7 of 25: over a quarter */
            return true;
    }
    return false;
}

/* The shape test alone, no pixels: convex, plausible foreshortening and
 * corner angles, an aspect near one of the expected shapes. Fills shape,
 * aspect and geo (the product of the aspect and angle scores); false for
 * quads no document could project to. */
bool geometry(const Scorer &sc, Cand *c)
{
    c->conf = 0;
    c->geo = 0;
    if (!convex_quad(c->q))
        return false;
    double s[4];
    for (int i = 0; i < 4; i++)
        s[i] = side_len(c->q, i);
    double la = 0.5 * (s[0] + s[2]), lb = 0.5 * (s[1] + s[3]);
    /* 12 working px: below that no side can be checked */
    if (std::min(la, lb) < 12)
        return false;
    /* the shorter of a pair of opposite sides: foreshortening beyond 0.6 is
     * not a photo anyone would take of a document */
    if (std::min(s[0], s[2]) / std::max(s[0], s[2]) < 0.6 || std::min(s[1], s[3]) / std::max(s[1], s[3]) < 0.6)
        return false;
    double asp = std::max(la, lb) / std::min(la, lb);
    double best_aspect = 0;
    unsigned best_bit = 0;
    for (const Shape &sh : SHAPES) {
        if (!(sc.shapes & sh.bit))
            continue;
        double lr = std::log(asp / sh.aspect);
        /* sigma 0.13 in log aspect: a 30 degree tilt foreshortens ~13% */
        double v = sh.prior * std::exp(-lr * lr / (2 * 0.13 * 0.13));
        if (v > best_aspect) {
            best_aspect = v;
            best_bit = sh.bit;
        }
    }
    /* exp(-3): 2.4 sigma off every expected aspect */
    if (best_aspect < 0.05)
        return false;
    double worst = 0;
    for (int i = 0; i < 4; i++) {
        cv::Point2d a = c->q[(i + 3) % 4] - c->q[i], b = c->q[(i + 1) % 4] - c->q[i];
        double ang = std::acos(std::max(-1.0, std::min(1.0, a.dot(b) / (cv::norm(a) * cv::norm(b)))));
        worst = std::max(worst, std::fabs(ang * 180 / CV_PI - 90));
    }
    /* 35 degrees off square at a corner: beyond any hand-held perspective */
    if (worst > 35)
        return false;
    /* 25 degrees of corner skew is already a strong perspective */
    double angle_score = std::exp(-(worst / 25) * (worst / 25));
    c->shape = best_bit;
    c->aspect = asp;
    c->geo = (0.6 + 0.4 * best_aspect) * angle_score;
    if (best_aspect < 0.3)
        c->geo *= best_aspect / 0.3;
    return true;
}

/* Mean of a 15-px window map (edge density, local contrast) at a 16 x 10
 * probe grid over the inner 80% of the quad: a document carries print, a
 * wall panel, door, window or a plain sheet of the table does not. The probes
 * stay 10 px off the sides (the window's half-width and the dilation), or
 * a narrow panel's own edges would read as its print. */
double interior_mean(const Work &wk, const cv::Mat &map, const cv::Point2d *q)
{
    double w = 0.5 * (cv::norm(q[1] - q[0]) + cv::norm(q[2] - q[3]));
    double h = 0.5 * (cv::norm(q[3] - q[0]) + cv::norm(q[2] - q[1]));
    const double OFF = 10;
    double fu = std::max(0.1, OFF / std::max(1.0, w)), fv = std::max(0.1, OFF / std::max(1.0, h));
    /* no interior left: too thin to hold print at this scale */
    if (fu >= 0.45 || fv >= 0.45)
        return 0;
    double sum = 0;
    int n = 0;
    for (int iy = 0; iy < 10; iy++)
        for (int ix = 0; ix < 16; ix++) {
            double u = fu + (1 - 2 * fu) * (ix + 0.5) / 16, v = fv + (1 - 2 * fv) * (iy + 0.5) / 10;
            cv::Point2d p = q[0] * ((1 - u) * (1 - v)) + q[1] * (u * (1 - v)) + q[2] * (u * v) + q[3] * ((1 - u) * v);
            int x = cvRound(p.x), y = cvRound(p.y);
            if (x < 0 || y < 0 || x >= wk.w || y >= wk.h)
                continue;
            n++;
            sum += map.at<float>(y, x);
        }
    return n ? sum / n : 0;
}

/* How well one side separates two different regions: the side is cut into
 * 6 pieces and, for each, thin strips just inside and just outside it are
 * compared by mean colour and by texture (mean gradient energy). A card's
 * edge separates card from table along its whole length; a drawn guide
 * frame, a wall panel's groove or a door's frame has the same background
 * on both sides. Returns the share of visible pieces that separate. */
double side_separation(const Work &wk, cv::Point2d a, cv::Point2d b, cv::Point2d inward)
{
    cv::Point2d d = b - a;
    double len = cv::norm(d);
    if (len < 8)
        return 0;
    cv::Point2d u = d / len, n(-u.y, u.x);
    if (n.dot(inward) < 0)
        n = -n;
    const int PIECES = 6; /* a piece of a 150 px side is ~20 px: local, not noise */
    const int ALONG = 4;  /* probes along each piece */
    /* strip depths 4..8 px: past the blur of the edge and the width of a
     * drawn stroke, within a card's plain margin */
    const double DEPTH[] = {4, 6, 8};
    int vis = 0, sep = 0;
    for (int k = 0; k < PIECES; k++) {
        double ci[3] = {0, 0, 0}, co[3] = {0, 0, 0}, ti = 0, to = 0;
        int ni = 0, no = 0;
        for (int j = 0; j < ALONG; j++) {
            /* skip the outer 8% at each end: rounded corners */
            double t = 0.08 + 0.84 * (k * ALONG + j + 0.5) / (PIECES * ALONG);
            cv::Point2d p = a + d * t;
            for (double dep : DEPTH)
                for (int side = 0; side < 2; side++) {
                    cv::Point2d q = p + n * (side ? -dep : dep);
                    int x = cvRound(q.x), y = cvRound(q.y);
                    if (x < 0 || y < 0 || x >= wk.w || y >= wk.h)
                        continue;
                    const cv::Vec3b &v = wk.lab.at<cv::Vec3b>(y, x);
                    const cv::Vec3s &gx = wk.gx.at<cv::Vec3s>(y, x), &gy = wk.gy.at<cv::Vec3s>(y, x);
                    double g = std::abs(gx[0]) + std::abs(gy[0]);
                    double *c = side ? co : ci;
                    c[0] += v[0];
                    c[1] += v[1];
                    c[2] += v[2];
                    (side ? to : ti) += g;
                    (side ? no : ni)++;
                }
        }
        /* half the probes on each side: a piece we can judge */
        if (ni * 2 < ALONG * 3 || no * 2 < ALONG * 3)
            continue;
        vis++;
        cv::Vec3b mi((uchar)(ci[0] / ni), (uchar)(ci[1] / ni), (uchar)(ci[2] / ni));
        cv::Vec3b mo((uchar)(co[0] / no), (uchar)(co[1] / no), (uchar)(co[2] / no));
        ti /= ni;
        to /= no;
        /* 7 Lab units of mean colour, or a 2x texture difference (a plain
         * card margin against wood grain or fabric); +16 keeps sensor noise
         * (Sobel |gx|+|gy| of a flat patch is ~4-10) from counting */
        double tex = (std::max(ti, to) + 16) / (std::min(ti, to) + 16);
        if (lab_dist(mi, mo) >= SEP_COLOUR || tex >= SEP_TEXTURE)
            sep++;
    }
    return vis ? (double)sep / vis : 0;
}

/* Whether the sides of q that the frame cuts are edges right up to the
 * frame: a card that goes on past the picture shows its sides running
 * into the border; a quad completed past the frame from lines that stop
 * short of it (a finger's outline, wood grain, a table edge) does not.
 * Each crossing is checked over the last stretch of the side before the
 * border (a fifth of its visible part, at least 16 px); true when every
 * crossing has an edge along half of that stretch, false when none is
 * cut or one is not. */
bool sides_run_out(const Work &wk, const cv::Point2d *q)
{
    cv::Point2d ctr = (q[0] + q[1] + q[2] + q[3]) * 0.25;
    int crossings = 0;
    for (int i = 0; i < 4; i++) {
        cv::Point2d a = q[i], b = q[(i + 1) % 4], d = b - a;
        /* the part of the side inside the frame: t in [t0, t1] */
        double t0 = 0, t1 = 1;
        const double lo[2] = {0, 0}, hi[2] = {(double)wk.w - 1, (double)wk.h - 1};
        const double pa[2] = {a.x, a.y}, dd[2] = {d.x, d.y};
        bool gone = false;
        for (int k = 0; k < 2 && !gone; k++) {
            if (std::fabs(dd[k]) < 1e-9) {
                gone = pa[k] < lo[k] || pa[k] > hi[k];
                continue;
            }
            double u = (lo[k] - pa[k]) / dd[k], v = (hi[k] - pa[k]) / dd[k];
            t0 = std::max(t0, std::min(u, v));
            t1 = std::min(t1, std::max(u, v));
        }
        if (gone || t1 <= t0)
            continue; /* wholly off the frame */
        double len = cv::norm(d) * (t1 - t0);
        if (len < 8)
            continue;
        double stretch = std::min(1.0, std::max(0.2, 16 / len)) * (t1 - t0);
        for (int end = 0; end < 2; end++) {
            if (end == 0 ? t0 <= 0 : t1 >= 1)
                continue; /* that end is a corner inside the frame */
            crossings++;
            cv::Point2d e0 = a + d * (end == 0 ? t0 : t1), e1 = a + d * (end == 0 ? t0 + stretch : t1 - stretch);
            SideEval e = eval_side(wk, e0, e1, ctr - (e0 + e1) * 0.5, nullptr, 16);
            if (e.samples == 0 || e.supported < e.samples)
                return false; /* supported counts 2 per step edge: half of them */
        }
    }
    return crossings > 0;
}

/* Median Lab colour of the working pixels at `pts` that lie in the frame;
 * false when fewer than 8 do. */
bool median_colour(const Work &wk, const std::vector<cv::Point2d> &pts, cv::Vec3b *out)
{
    std::vector<uchar> ch[3];
    for (const cv::Point2d &p : pts) {
        const cv::Vec3b *v = lab_at(wk, p);
        if (!v)
            continue;
        for (int k = 0; k < 3; k++)
            ch[k].push_back((*v)[k]);
    }
    if (ch[0].size() < 8)
        return false;
    for (int k = 0; k < 3; k++) {
        std::nth_element(ch[k].begin(), ch[k].begin() + ch[k].size() / 2, ch[k].end());
        (*out)[k] = ch[k][ch[k].size() / 2];
    }
    return true;
}

/* How far (Lab units) the document's surface where the frame cuts it lies
 * from its surface inside: the median colour of a strip along the frame
 * border, inside the quad, against the median over the quad's inside. A
 * card that goes on past the picture is the same card at the border; a
 * quad stretched past the card's real edge (through the thumb holding it,
 * over the table) shows the thumb or the table there. -1 when there is no
 * strip to sample. */
double border_strip_distance(const Work &wk, const cv::Point2d *q)
{
    std::vector<cv::Point2d> inner, strip;
    /* the quad's inside, 12% off its sides: 20 x 12 probes */
    for (int iy = 0; iy < 12; iy++)
        for (int ix = 0; ix < 20; ix++) {
            double u = 0.12 + 0.76 * (ix + 0.5) / 20, v = 0.12 + 0.76 * (iy + 0.5) / 12;
            inner.push_back(q[0] * ((1 - u) * (1 - v)) + q[1] * (u * (1 - v)) + q[2] * (u * v) + q[3] * ((1 - u) * v));
        }
    /* 6 px inside the frame: past the JPEG block and blur at the border */
    const double IN = 6;
    auto well_inside = [&](cv::Point2d p) {
        if (!inside_quad(q, p))
            return false;
        /* 6 px off the quad's own sides too (the side's edge, a thumb's rim) */
        for (int i = 0; i < 4; i++) {
            cv::Point2d a = q[i], b = q[(i + 1) % 4], d = b - a;
            double len = cv::norm(d);
            if (len > 0 && std::fabs(cross(d, p - a)) / len < IN)
                return false;
        }
        return true;
    };
    for (int x = 0; x < wk.w; x += 2) {
        for (double y : {IN, wk.h - 1 - IN})
            if (well_inside(cv::Point2d(x, y)))
                strip.push_back(cv::Point2d(x, y));
    }
    for (int y = 0; y < wk.h; y += 2) {
        for (double x : {IN, wk.w - 1 - IN})
            if (well_inside(cv::Point2d(x, y)))
                strip.push_back(cv::Point2d(x, y));
    }
    cv::Vec3b mi, ms;
    if (!median_colour(wk, inner, &mi) || !median_colour(wk, strip, &ms))
        return -1;
    return lab_dist(mi, ms);
}

/* A corner past the frame by the cut margin (ps_doc_found.cut_off). */
bool is_cut(const Work &wk, const cv::Point2d *q)
{
    for (int i = 0; i < 4; i++)
        if (q[i].x < -CUT_MARGIN || q[i].y < -CUT_MARGIN || q[i].x > wk.w - 1 + CUT_MARGIN || q[i].y > wk.h - 1 + CUT_MARGIN)
            return true;
    return false;
}

/* Fills conf (0 for implausible quads), shape, aspect, seen. `samples` caps
 * the samples per side (a coarse pass first, the full one after). A quad
 * whose score cannot exceed `drop_below` gets that bound as conf and nothing
 * more: its print and side tests (most of the cost) are left out. */
void score(const Scorer &sc, Cand *c, int samples = 80, double drop_below = 0)
{
    const Work &wk = *sc.wk;
    if (!geometry(sc, c))
        return;
    double area = std::fabs(poly_area(c->q, 4));
    double img_area = (double)wk.w * wk.h;
    double vis = clipped_area(c->q, wk.w, wk.h);
    if (vis < sc.min_area * img_area || area <= 0)
        return;
    if (!sc.faces.empty() && holds_faces(sc, c->q)) {
        c->conf = 0;
        return;
    }
    /* a quad mostly outside the frame is a guess, not a finding */
    if (vis / area < 0.45)
        return;

    cv::Point2d ctr = (c->q[0] + c->q[1] + c->q[2] + c->q[3]) * 0.25;
    double sup_w = 0, sup = 0, con = 0, peak = 0, vis_len = 0, tot_len = 0;
    int weak_sides = 0, visible_sides = 0, n_samples = 0, n_solid = 0;
    for (int i = 0; i < 4; i++) {
        cv::Point2d a = c->q[i], b = c->q[(i + 1) % 4];
        SideEval e = eval_side(wk, a, b, ctr - (a + b) * 0.5, nullptr, samples);
        double len = cv::norm(b - a);
        tot_len += len;
        if (e.samples == 0)
            continue;
        int ns = std::max(8, std::min(samples, (int)(len / 2)));
        double vlen = len * e.samples / ns;
        vis_len += vlen;
        double f = 0.5 * e.supported / e.samples;
        n_samples += e.samples;
        n_solid += e.solid;
        sup += f * vlen;
        con += std::min(1.0, e.contrast / 20.0) * vlen; /* 20 Lab units: clearly different */
        peak += e.peak_mean * vlen;
        sup_w += vlen;
        /* a quarter of the samples: a side we can judge */
        if (e.samples * 4 >= ns) {
            visible_sides++;
            /* 0.3: fingers over a side still leave more than that */
            if (f < 0.3)
                weak_sides++;
        }
    }
    if (sup_w <= 0 || visible_sides < 2)
        return;
    sup /= sup_w;
    con /= sup_w;
    peak /= sup_w;
    /* three sides with almost no edge: this is not an object's outline;
     * two may be a white card's edges over a white table (they cost) */
    if (weak_sides >= 3)
        return;
    double edge_score = 0.6 * sup + 0.2 * peak + 0.2 * con;
    /* perimeter we could check (0.84 of each side is sampled); an unseen
     * side costs confidence */
    c->seen = std::min(1.0, vis_len / tot_len);
    c->solid = (double)n_solid / n_samples;
    /* small quads are often print details */
    double area_score = std::min(1.0, std::sqrt(vis / img_area / 0.05));
    {
        /* the score below without its factors of at most 1 (print, the
         * sides' separation): rounding is monotone, so it bounds conf */
        double bound = edge_score * c->geo * (0.3 + 0.7 * c->seen) * (0.7 + 0.3 * area_score);
        if (weak_sides == 2)
            bound *= 0.7;
        if (bound <= drop_below) {
            c->conf = c->conf_out = bound;
            return;
        }
    }
    /* 6% of the card area near print: a card with a few text lines, even
     * washed out by overexposure; below that, down to 0.5x for a blank panel */
    double content = std::min(1.0, interior_mean(wk, wk.density, c->q) / 0.06);
    /* L's std-dev in a 15-px window: a blank panel shows sensor noise and
     * shading (3.6-4.3 on the generated selfies), a card's print 5-30 even
     * defocused; 10 and over is print for sure */
    if (sc.print_by_contrast)
        content = std::min(content, std::max(0.0, std::min(1.0, (interior_mean(wk, wk.lstd, c->q) - 4) / 6)));
    c->conf = edge_score * c->geo * (0.3 + 0.7 * c->seen) * (0.7 + 0.3 * area_score) * (0.5 + 0.5 * content);
    /* perimeter past the frame costs (the hidden part's size is the aspect
     * prior's guess), but when the sides the frame cuts run into it as
     * edges and the same surface reaches the border, the frame explains
     * what is not seen: conf_out is the score without that cost, used to
     * let such an outline take over a part of itself (find_document) and
     * as the confidence reported for it */
    if (c->seen < 1 && sides_run_out(wk, c->q)) {
        double bsd = border_strip_distance(wk, c->q);
        c->runs_out = bsd >= 0 && bsd < BORDER_SURFACE;
    }
    c->conf_out = c->runs_out ? c->conf / (0.3 + 0.7 * c->seen) : c->conf;
    if (weak_sides == 2) {
        c->conf *= 0.7;
        c->conf_out *= 0.7;
    }
    /* object edge, not a drawn line: the visible sides must separate two
     * different regions (sides whose middle is off the frame are unseen) */
    {
        double smin = 1, ssum = 0;
        int nside = 0;
        for (int i = 0; i < 4; i++) {
            cv::Point2d a = c->q[i], b = c->q[(i + 1) % 4];
            cv::Point2d mid = (a + b) * 0.5;
            if (mid.x < 0 || mid.y < 0 || mid.x >= wk.w || mid.y >= wk.h)
                continue;
            double s = side_separation(wk, a, b, ctr - mid);
            smin = std::min(smin, s);
            ssum += s;
            nside++;
        }
        double ss = nside ? SEP_MINW * smin + (1 - SEP_MINW) * ssum / nside : 0;
        c->conf *= SEP_FLOOR + (1 - SEP_FLOOR) * ss;
        c->conf_out *= SEP_FLOOR + (1 - SEP_FLOOR) * ss;
        }
}

/* ---- line pool --------------------------------------------------------- */

void add_segment_lines(const std::vector<cv::Vec4f> &segs, double min_len, std::vector<Line> *pool)
{
    /* merge near-collinear segments: 3 degrees and 3 px */
    for (const cv::Vec4f &s : segs) {
        cv::Point2d a(s[0], s[1]), b(s[2], s[3]);
        double len = cv::norm(b - a);
        if (len < min_len * 0.4)
            continue;
        Line l = line_through(a, b, len);
        bool merged = false;
        for (Line &m : *pool) {
            if (std::fabs(m.d.dot(l.d)) < 0.9986)
                continue;
            cv::Point2d n(-m.d.y, m.d.x);
            if (std::fabs((a - m.p).dot(n)) > 3 || std::fabs((b - m.p).dot(n)) > 3)
                continue;
            double ta = (a - m.p).dot(m.d), tb = (b - m.p).dot(m.d);
            m.t0 = std::min(m.t0, std::min(ta, tb));
            m.t1 = std::max(m.t1, std::max(ta, tb));
            m.len += len;
            merged = true;
            break;
        }
        if (!merged)
            pool->push_back(l);
    }
}

bool on_border(cv::Point2d a, cv::Point2d b, int w, int h)
{
    const double T = 3; /* px: the hull of a region cut by the frame */
    return (a.x < T && b.x < T) || (a.y < T && b.y < T) || (a.x > w - 1 - T && b.x > w - 1 - T) ||
           (a.y > h - 1 - T && b.y > h - 1 - T);
}

/* Quads and side lines from a binary region map. */
void region_candidates(const Work &wk, const cv::Mat &mask, double min_area, std::vector<Cand> *cands,
                       std::vector<cv::Vec4f> *segs)
{
    std::vector<std::vector<cv::Point>> contours;
    cv::findContours(mask, contours, cv::RETR_LIST, cv::CHAIN_APPROX_SIMPLE);
    for (const auto &ct : contours) {
        if (std::fabs(cv::contourArea(ct)) < min_area)
            continue;
        std::vector<cv::Point> hull;
        cv::convexHull(ct, hull);
        double per = cv::arcLength(hull, true);
        /* the finest polygon of at most 6 vertices gives side lines (a
         * rounded corner is a short extra edge); the first of at most 4 a
         * direct quad */
        std::vector<cv::Point> poly, quad;
        for (double f = 0.01; f <= 0.081; f += 0.01) {
            std::vector<cv::Point> p;
            cv::approxPolyDP(hull, p, f * per, true);
            if (poly.empty() && p.size() <= 6)
                poly = p;
            if (p.size() <= 4) {
                quad = p;
                break;
            }
        }
        if (quad.size() == 4) {
            Cand c;
            for (int i = 0; i < 4; i++)
                c.q[i] = cv::Point2d(quad[i].x, quad[i].y);
            cands->push_back(c);
        }
        cv::RotatedRect rr = cv::minAreaRect(ct);
        cv::Point2f pts[4];
        rr.points(pts);
        Cand c;
        for (int i = 0; i < 4; i++)
            c.q[i] = cv::Point2d(pts[i].x, pts[i].y);
        cands->push_back(c);
        for (size_t i = 0; i < poly.size(); i++) {
            cv::Point a = poly[i], b = poly[(i + 1) % poly.size()];
            if (!on_border(a, b, wk.w, wk.h))
                segs->push_back(cv::Vec4f((float)a.x, (float)a.y, (float)b.x, (float)b.y));
        }
    }
}

/* Extent [lo, hi] of line m's support projected on line l's direction. */
void support_on(const Line &l, const Line &m, double *lo, double *hi)
{
    double a = (m.p + m.d * m.t0 - l.p).dot(l.d), b = (m.p + m.d * m.t1 - l.p).dot(l.d);
    *lo = std::min(a, b);
    *hi = std::max(a, b);
}

/* Share of the side a->b (lying on l) that l's support covers; a side
 * whose middle is off the frame counts as covered (it cannot be seen). */
double side_cover(const Work &wk, const Line &l, cv::Point2d a, cv::Point2d b)
{
    cv::Point2d mid = (a + b) * 0.5;
    if (mid.x < 0 || mid.y < 0 || mid.x > wk.w - 1 || mid.y > wk.h - 1)
        return 1;
    double ta = (a - l.p).dot(l.d), tb = (b - l.p).dot(l.d);
    double lo = std::min(ta, tb), hi = std::max(ta, tb);
    double ov = std::min(hi, l.t1) - std::max(lo, l.t0);
    return hi > lo ? std::max(0.0, ov) / (hi - lo) : 0;
}

/* Quads from line pairs (4 lines) and from three lines + the aspect prior. */
void line_candidates(const Work &wk, std::vector<Line> &lines, unsigned shapes, std::vector<Cand> *cands)
{
    /* rank by support and extent together: a faint card side found in
     * pieces spans far, a strong text row is dense but short */
    std::sort(lines.begin(), lines.end(),
              [](const Line &a, const Line &b) { return a.len + (a.t1 - a.t0) > b.len + (b.t1 - b.t0); });
    /* 64 lines: a small card's sides in a busy selfie rank below the arm,
     * the body and the furniture; the support tests below keep the count
     * of combinations that reach scoring low */
    if (lines.size() > 64) {
        /* ...but at most 20 from any one 15-degree direction: wood grain,
         * blinds or ruled paper give dozens of long parallel lines that
         * would crowd out the card's other pair of sides */
        std::vector<Line> kept, rest;
        int per_dir[12] = {0};
        for (const Line &l : lines) {
            double a = std::atan2(l.d.y, l.d.x);
            if (a < 0)
                a += CV_PI;
            int bin = std::min(11, (int)(a / (CV_PI / 12)));
            if ((int)kept.size() < 64 && per_dir[bin] < 20) {
                per_dir[bin]++;
                kept.push_back(l);
            } else {
                rest.push_back(l);
            }
        }
        for (size_t i = 0; kept.size() < 64 && i < rest.size(); i++)
            kept.push_back(rest[i]);
        lines.swap(kept);
    }
    int n = (int)lines.size();
    struct Pair {
        int a, b;
        cv::Point2d dir;
    };
    std::vector<Pair> pairs;
    for (int i = 0; i < n; i++)
        for (int j = i + 1; j < n; j++) {
            double c = lines[i].d.dot(lines[j].d);
            /* within 25 degrees of parallel: perspective of a tilted card */
            if (std::fabs(c) < 0.906)
                continue;
            cv::Point2d nrm(-lines[i].d.y, lines[i].d.x);
            double sep = std::fabs((lines[j].p - lines[i].p).dot(nrm));
            if (sep < 15) /* px: two edges of one thin print line */
                continue;
            /* opposite sides of one document lie side by side: their
             * supports overlap along the pair for at least a third of the
             * shorter one (a side half under a hand still does) */
            double lo, hi;
            support_on(lines[i], lines[j], &lo, &hi);
            double ov = std::min(hi, lines[i].t1) - std::max(lo, lines[i].t0);
            if (ov < 0.33 * std::min(hi - lo, lines[i].t1 - lines[i].t0))
                continue;
            cv::Point2d dj = c < 0 ? -lines[j].d : lines[j].d;
            cv::Point2d dir = lines[i].d + dj;
            pairs.push_back({i, j, dir / cv::norm(dir)});
        }
    auto push_quad = [&](const Line &l0, const Line &l1, const Line &l2, const Line &l3) {
        /* l0, l2 parallel; l1, l3 parallel */
        Cand c;
        if (!intersect(l0, l1, &c.q[0]) || !intersect(l1, l2, &c.q[1]) || !intersect(l2, l3, &c.q[2]) ||
            !intersect(l3, l0, &c.q[3]))
            return;
        for (int i = 0; i < 4; i++)
            if (c.q[i].x < -wk.w || c.q[i].x > 2 * wk.w || c.q[i].y < -wk.h || c.q[i].y > 2 * wk.h)
                return;
        /* every line must support its side for a quarter of its length:
         * four long lines of unrelated objects meet anywhere */
        const Line *ls[4] = {&l1, &l2, &l3, &l0};
        for (int i = 0; i < 4; i++)
            if (side_cover(wk, *ls[i], c.q[i], c.q[(i + 1) % 4]) < 0.25)
                return;
        cands->push_back(c);
    };
    for (size_t i = 0; i < pairs.size(); i++)
        for (size_t j = i + 1; j < pairs.size(); j++) {
            const Pair &P = pairs[i], &Q = pairs[j];
            if (P.a == Q.a || P.a == Q.b || P.b == Q.a || P.b == Q.b)
                continue;
            /* the two pairs must cross at 90 +- 35 degrees */
            if (std::fabs(P.dir.dot(Q.dir)) > 0.574)
                continue;
            push_quad(lines[P.a], lines[Q.a], lines[P.b], lines[Q.b]);
        }
    /* three lines: pair (A, B) and a crossing line C; the fourth side is put
     * where the aspect says, on the side of C where A and B extend */
    std::vector<double> aspects;
    for (const Shape &s : SHAPES)
        if (shapes & s.bit)
            aspects.push_back(s.aspect);
    for (const Pair &P : pairs)
        for (int k = 0; k < n; k++) {
            if (k == P.a || k == P.b)
                continue;
            const Line &A = lines[P.a], &B = lines[P.b], &C = lines[k];
            /* the 10 best-ranked lines: a card's three clear sides are
             * among them, and the count of such quads stays ~1000 */
            bool strong = P.a < 10 && P.b < 10 && k < 10;
            if (std::fabs(C.d.dot(P.dir)) > 0.574)
                continue;
            cv::Point2d pa, pb;
            if (!intersect(A, C, &pa) || !intersect(B, C, &pb))
                continue;
            double h = cv::norm(pb - pa);
            if (h < 15 || side_cover(wk, C, pa, pb) < 0.25)
                continue;
            /* direction along the pair away from C, towards A's support */
            cv::Point2d da = A.d, db = B.d.dot(A.d) < 0 ? -B.d : B.d;
            double mid_a = (A.t0 + A.t1) * 0.5;
            cv::Point2d ma = A.p + A.d * mid_a;
            if ((ma - pa).dot(da) < 0) {
                da = -da;
                db = -db;
            }
            for (double asp : aspects)
                for (int k2 = 0; k2 < 2; k2++) {
                    double L = k2 ? h * asp : h / asp;
                    Cand c;
                    c.q[0] = pa;
                    c.q[1] = pb;
                    c.q[2] = pb + db * L;
                    c.q[3] = pa + da * L;
                    /* worth it when the fourth side is off-frame or near
                     * the edge, and, among the strongest lines, when the
                     * fourth side is too faint to be a line (a white card
                     * edge over white paper): refinement then moves it
                     * onto whatever edge is there */
                    bool off = strong;
                    for (int m = 2; m < 4 && !off; m++)
                        if (c.q[m].x < 3 || c.q[m].y < 3 || c.q[m].x > wk.w - 4 || c.q[m].y > wk.h - 4)
                            off = true;
                    if (off && side_cover(wk, A, c.q[3], c.q[0]) >= 0.25 &&
                        side_cover(wk, B, c.q[1], c.q[2]) >= 0.25)
                        cands->push_back(c);
                }
        }
}

/* Colour distance from the background: the median colour of the outer band
 * of the frame (the document rarely fills more than half of that band). */
cv::Mat background_distance_mask(const Work &wk)
{
    int band = std::max(2, std::min(wk.w, wk.h) / 40);
    std::vector<uchar> L, A, B;
    for (int y = 0; y < wk.h; y++)
        for (int x = 0; x < wk.w; x += (y < band || y >= wk.h - band) ? 2 : 1) {
            if (!(y < band || y >= wk.h - band || x < band || x >= wk.w - band)) {
                x = wk.w - band - 1;
                continue;
            }
            const cv::Vec3b &v = wk.lab.at<cv::Vec3b>(y, x);
            L.push_back(v[0]);
            A.push_back(v[1]);
            B.push_back(v[2]);
        }
    auto med = [](std::vector<uchar> &v) {
        std::nth_element(v.begin(), v.begin() + v.size() / 2, v.end());
        return (int)v[v.size() / 2];
    };
    cv::Vec3b bg((uchar)med(L), (uchar)med(A), (uchar)med(B));
    cv::Mat diff;
    cv::absdiff(wk.lab, cv::Scalar(bg[0], bg[1], bg[2]), diff);
    std::vector<cv::Mat> ch;
    cv::split(diff, ch);
    cv::Mat dist;
    cv::max(ch[0], ch[1], dist);
    cv::max(dist, ch[2], dist);
    cv::Mat mask;
    double t = cv::threshold(dist, mask, 0, 255, cv::THRESH_BINARY | cv::THRESH_OTSU);
    /* Otsu on a near-uniform frame splits noise: demand a real difference */
    if (t < 8)
        cv::threshold(dist, mask, 8, 255, cv::THRESH_BINARY);
    cv::morphologyEx(mask, mask, cv::MORPH_OPEN, cv::Mat::ones(3, 3, CV_8U));
    cv::morphologyEx(mask, mask, cv::MORPH_CLOSE, cv::Mat::ones(7, 7, CV_8U));
    return mask;
}

void to_input(const Work &wk, const cv::Point2d *q, ps_point *out)
{
    for (int i = 0; i < 4; i++) {
        /* pixel centres: x_in + 0.5 = (x_w + 0.5) / scale */
        out[i].x = (q[i].x + 0.5) / wk.scale - 0.5;
        out[i].y = (q[i].y + 0.5) / wk.scale - 0.5;
    }
}

/* The finder's settings from the hint, in working pixels. */
Scorer make_scorer(const Work &wk, const ps_doc_hint *hint)
{
    Scorer sc;
    sc.wk = &wk;
    sc.shapes = (hint && hint->shapes) ? (hint->shapes & (unsigned)PS_DOC_ANY) : (unsigned)PS_DOC_ANY;
    if (!sc.shapes)
        sc.shapes = PS_DOC_ANY;
    /* 2%: an ID-1 card at arm's length in a selfie is ~3-10% of the frame */
    sc.min_area = (hint && hint->min_area_fraction > 0) ? hint->min_area_fraction : 0.02;
    for (int i = 0; hint && i < std::min(hint->n_exclude_faces, (int)PS_DOC_MAX_FACES); i++) {
        const ps_box &b = hint->exclude_faces[i];
        if (b.w <= 0 || b.h <= 0)
            continue;
        sc.faces.push_back(cv::Rect2d(b.x * wk.scale, b.y * wk.scale, b.w * wk.scale, b.h * wk.scale));
        /* holders come first: the count of them kept is their prefix */
        sc.holders += i < hint->n_holder_faces;
    }
    sc.print_by_contrast = hint && hint->print_by_contrast;
    sc.faint_sides = !hint || hint->faint_sides;
    return sc;
}

/* Edge map, its closed form, print density and (for print_by_contrast)
 * local contrast of wk. */
void make_maps(Work *wk, bool contrast, cv::Mat *edges)
{
    /* hysteresis 20/50 on the colour Sobel (4 per level): edges of 5-12
     * levels, the white-on-white case, without the paper grain */
    cv::Canny(wk->gx, wk->gy, *edges, 20, 50, true);
    /* 5x5: bridges the 1-3 px gaps Canny leaves at corners and glints */
    cv::dilate(*edges, wk->closed, cv::Mat::ones(5, 5, CV_8U));
    /* 15 px: about a text line's pitch on a card a fifth of the frame wide,
     * so a probe measures the print around it, not whether it hit a glyph */
    cv::boxFilter(wk->closed, wk->density, CV_32F, cv::Size(15, 15), cv::Point(-1, -1), true);
    wk->density *= 1.0 / 255;
    if (contrast) {
        cv::Mat L, m, m2;
        cv::extractChannel(wk->lab, L, 0);
        L.convertTo(L, CV_32F);
        cv::boxFilter(L, m, CV_32F, cv::Size(15, 15));
        cv::boxFilter(L.mul(L), m2, CV_32F, cv::Size(15, 15));
        cv::Mat var = m2 - m.mul(m);
        cv::max(var, 0, var);
        cv::sqrt(var, wk->lstd);
    }
}

/* Candidate quads of wk (shape-tested, one per 2 px of corner position). */
std::vector<Cand> collect_candidates(const Work &wk, const Scorer &sc, const cv::Mat &edges)
{
    std::vector<Cand> cands;
    std::vector<cv::Vec4f> segs;
    double lng = std::max(wk.w, wk.h);
    double min_px = sc.min_area * (double)wk.w * wk.h;
    {
        /* segments shorter than 4% of the frame are print, not card sides */
        auto fld = cv::ximgproc::createFastLineDetector((int)(0.04 * lng), 1.414f, 50, 50, 0, false);
        /* FastLineDetector writes into an edge-map input: give it a copy */
        fld->detect(edges.clone(), segs);
    }
    if (sc.faint_sides) {
        /* a pale page on a pale desk, or a screenshot's page on its app's
         * grey, steps 4-8 levels: under the strong threshold all along its
         * side, so the map above has none of it. Thresholds of 6/15 (1.5-4
         * levels) find it; what else they find is grain and noise, in
         * pieces far shorter than a page's side (15 % of the frame), which
         * the length limit drops (docs/geometry.md, round 14) */
        cv::Mat faint;
        cv::Canny(wk.gx, wk.gy, faint, 6, 15, true);
        std::vector<cv::Vec4f> fsegs;
        auto fld = cv::ximgproc::createFastLineDetector((int)(0.15 * lng), 1.414f, 50, 50, 0, false);
        fld->detect(faint, fsegs);
        segs.insert(segs.end(), fsegs.begin(), fsegs.end());
    }
    std::vector<cv::Vec4f> region_segs;
    {
        /* closed edge contours: the outline of a card, whole or cut by the
         * frame; filled regions between edges */
        cv::Mat inv = 255 - wk.closed;
        region_candidates(wk, inv, min_px, &cands, &region_segs);
    }
    region_candidates(wk, background_distance_mask(wk), min_px, &cands, &region_segs);

    std::vector<Line> lines;
    add_segment_lines(segs, 0.04 * lng, &lines);
    add_segment_lines(region_segs, 0.04 * lng, &lines);
    line_candidates(wk, lines, sc.shapes, &cands);

    /* shape test first: it needs no pixels and removes most line quads */
    cands.erase(std::remove_if(cands.begin(), cands.end(), [&sc](Cand &c) { return !geometry(sc, &c); }),
                cands.end());
    /* the same quad arrives from several sources and line orders: keep one
     * per 2 px of corner position */
    for (Cand &c : cands)
        order_quad(c.q, true);
    auto key = [](const Cand &c, int i) { return cvRound(i & 1 ? c.q[i / 2].y / 2 : c.q[i / 2].x / 2); };
    std::sort(cands.begin(), cands.end(), [&key](const Cand &a, const Cand &b) {
        for (int i = 0; i < 8; i++)
            if (key(a, i) != key(b, i))
                return key(a, i) < key(b, i);
        return false;
    });
    cands.erase(std::unique(cands.begin(), cands.end(),
                            [&key](const Cand &a, const Cand &b) {
                                for (int i = 0; i < 8; i++)
                                    if (key(a, i) != key(b, i))
                                        return false;
                                return true;
                            }),
                cands.end());
    return cands;
}

/* The best few distinct candidates, refined and rescored, best first. */
/* Whether `outer` holds `inner` (sharing a side at most; `share` of inner
 * inside it) and is 1.3x its area: a card round its print, a page round
 * its table. */
bool holds(const cv::Point2d *outer, const cv::Point2d *inner, double share = 0.97)
{
    if (std::fabs(poly_area(outer, 4)) < 1.3 * std::fabs(poly_area(inner, 4)))
        return false;
    /* 97 % of inner inside: the sides they share are refined apart, one
     * may tilt a few px past the other (a corner 9 px out measured) */
    double in_outer;
    quad_iou(outer, inner, &in_outer);
    return in_outer >= share;
}

/* The unit normal of side i of q (q[i] to q[i + 1]) pointing away from
 * q's centre. */
cv::Point2d outward_normal(const cv::Point2d *q, int i)
{
    cv::Point2d d = q[(i + 1) % 4] - q[i];
    double len = cv::norm(d);
    cv::Point2d n = len > 0 ? cv::Point2d(-d.y / len, d.x / len) : cv::Point2d(0, 0);
    return n.dot((q[0] + q[1] + q[2] + q[3]) * 0.25 - q[i]) > 0 ? -n : n;
}

/* Offsets (px, outward) at which side i of q, moved parallel between its
 * neighbours' lines, lies on an edge for at least half its length: the
 * outline's sides beyond a print frame or portrait box that its winner is.
 * Up to `keep` of them, the best supported first, none just beyond
 * another. */
std::vector<double> side_steps(const Work &wk, const cv::Point2d *q, int i, int keep)
{
    cv::Point2d a = q[i], b = q[(i + 1) % 4];
    Line self = line_through(a, b, 0), prev = line_through(q[(i + 3) % 4], a, 0),
         next = line_through(b, q[(i + 2) % 4], 0);
    cv::Point2d n = outward_normal(q, i);
    /* depth: the opposite side's distance; a card's portrait box is a
     * fifth of its width, so the card's side may lie 4 depths out */
    double depth = std::fabs((q[(i + 2) % 4] - a).dot(n) + (q[(i + 3) % 4] - a).dot(n)) * 0.5;
    double reach = std::min(4.0 * depth, (double)std::max(wk.w, wk.h));
    std::vector<std::pair<double, double>> prof; /* offset, share */
    /* 3-px steps: eval_side looks 3 px either way for the edge; from a
     * tenth of the depth out (a card's own drop shadow lies nearer) */
    for (double t = std::max(7.0, 0.1 * depth); t <= reach; t += 3) {
        Line moved = self;
        moved.p = self.p + n * t;
        cv::Point2d na, nb;
        if (!intersect(prev, moved, &na) || !intersect(moved, next, &nb))
            break;
        /* past the frame: nothing further is seen */
        cv::Point2d m = (na + nb) * 0.5;
        if (m.x < 0 || m.y < 0 || m.x >= wk.w || m.y >= wk.h)
            break;
        SideEval e = eval_side(wk, na, nb, -n, nullptr, 16);
        prof.push_back({t, e.samples >= 8 ? 0.5 * e.supported / e.samples : 0});
    }
    std::vector<std::pair<double, double>> peaks; /* share, offset */
    for (size_t k = 0; k < prof.size(); k++) {
        double v = prof[k].second;
        if (v < 0.5)
            continue;
        bool top = true;
        for (size_t j = k > 2 ? k - 2 : 0; j < std::min(prof.size(), k + 3) && top; j++)
            top = j == k || prof[j].second < v || (prof[j].second == v && j > k);
        if (top)
            peaks.push_back({v, prof[k].first});
    }
    std::sort(peaks.begin(), peaks.end(), [](const std::pair<double, double> &x, const std::pair<double, double> &y) {
        return x.first != y.first ? x.first > y.first : x.second > y.second;
    });
    std::vector<double> out;
    for (size_t k = 0; k < peaks.size() && (int)out.size() < keep; k++) {
        /* an edge just beyond another (within a sixth of the depth) is
         * that object's drop shadow or blur halo, not a side */
        bool shadow = false;
        for (const auto &o : peaks)
            shadow |= o.second < peaks[k].second && peaks[k].second - o.second <= std::max(6.0, depth / 6);
        if (!shadow)
            out.push_back(peaks[k].second);
    }
    return out;
}

/* Quads round `h` with some of its sides moved out onto edges parallel to
 * them (side_steps): the card round the print frame, field box or portrait
 * that outranked it, when the line pool has too little of the card's own
 * sides to pair them (a pale card's top over a white wall, its far side
 * under the thumb). Those in the frame, of a document's shape and with
 * print over them are coarsely scored; the best `keep` above `floor`. */
std::vector<Cand> grown(const Work &wk, const Scorer &sc, const Cand &h, int keep, double floor)
{
    std::vector<double> steps[4];
    for (int i = 0; i < 4; i++) {
        steps[i] = side_steps(wk, h.q, i, 2);
        steps[i].insert(steps[i].begin(), 0.0);
    }
    Line side[4];
    cv::Point2d out_n[4];
    for (int i = 0; i < 4; i++) {
        side[i] = line_through(h.q[i], h.q[(i + 1) % 4], 0);
        out_n[i] = outward_normal(h.q, i);
    }
    std::vector<Cand> out;
    size_t pick[4];
    for (pick[0] = 0; pick[0] < steps[0].size(); pick[0]++)
        for (pick[1] = 0; pick[1] < steps[1].size(); pick[1]++)
            for (pick[2] = 0; pick[2] < steps[2].size(); pick[2]++)
                for (pick[3] = 0; pick[3] < steps[3].size(); pick[3]++) {
                    if (!pick[0] && !pick[1] && !pick[2] && !pick[3])
                        continue;
                    Line l[4];
                    for (int i = 0; i < 4; i++) {
                        l[i] = side[i];
                        l[i].p += out_n[i] * steps[i][pick[i]];
                    }
                    Cand c;
                    bool ok = true;
                    for (int i = 0; i < 4 && ok; i++)
                        ok = intersect(l[(i + 3) % 4], l[i], &c.q[i]);
                    /* in the frame: a cut card's hidden part is the
                     * aspect prior's business (line_candidates); a card's
                     * face is print all over (GROWN_PRINT). Both, and the
                     * shape, before the costlier score */
                    if (!ok || is_cut(wk, c.q) || !geometry(sc, &c) ||
                        interior_mean(wk, wk.density, c.q) < GROWN_PRINT)
                        continue;
                    score(sc, &c, 12, floor);
                    c.grown = true;
                    if (c.conf > floor)
                        out.push_back(c);
                }
    std::sort(out.begin(), out.end(), [](const Cand &x, const Cand &y) { return x.conf > y.conf; });
    if ((int)out.size() > keep)
        out.resize(keep);
    return out;
}

std::vector<Cand> rank_candidates(const Work &wk, const Scorer &sc, std::vector<Cand> &cands)
{
    /* coarse pass: 12 samples per side rank thousands of quads cheaply;
     * below 0.05 no quad is used, so none is scored further down */
    for (Cand &c : cands)
        score(sc, &c, 12, 0.05);
    std::sort(cands.begin(), cands.end(), [](const Cand &a, const Cand &b) { return a.conf > b.conf; });
    /* a quad of v over c by more than `iou`, scoring `share` of c at least */
    auto overlaps = [](const std::vector<Cand> &v, const Cand &c, double iou, double share = 0) {
        for (const Cand &t : v)
            if (t.conf >= share * c.conf && quad_iou(t.q, c.q, nullptr) > iou)
                return true;
        return false;
    };
    /* refinement is the costly step: the better of the quad as it came and
     * as refined */
    auto refined = [&wk, &sc](const Cand &c) {
        Cand r = c, f = c;
        score(sc, &f);
        refine_quad(wk, r.q, 3);
        score(sc, &r);
        return r.conf >= f.conf ? r : f;
    };
    auto by_conf = [](const Cand &a, const Cand &b) { return a.conf > b.conf; };
    std::vector<Cand> top, seeds;
    for (const Cand &c : cands) {
        /* 16 distinct hypotheses; a quad overlapping a better one by 0.85 is
         * the same hypothesis, refinement brings both to the same edge */
        if (c.conf <= 0.05 || top.size() >= 16)
            break;
        if (overlaps(seeds, c, 0.85))
            continue;
        seeds.push_back(c);
        top.push_back(refined(c));
    }
    std::sort(top.begin(), top.end(), by_conf);
    /* the outline round the winner (a page round its ruled table, a card
     * round its printed frame) is often weaker than what it holds, and
     * every part of that print outranks it: the best 8 quads that contain
     * the winner inside the frame are refined too, for find_document's
     * containment rule to weigh. Distinct at 0.95, not 0.85: a quad made of
     * three of the page's sides and one of the table's rules ranks above
     * the page's own and would hide it. Cut ones are left out: joined to
     * whatever crosses the frame's edge, one took a whole page's place */
    if (!top.empty()) {
        const Cand w = top[0];
        std::vector<Cand> outer;
        for (const Cand &c : cands) {
            if (c.conf <= 0.05 || outer.size() >= 8)
                break;
            if (!holds(c.q, w.q) || is_cut(wk, c.q) || overlaps(seeds, c, 0.85) || overlaps(outer, c, 0.95))
                continue;
            outer.push_back(c);
            top.push_back(refined(c));
        }
        std::sort(top.begin(), top.end(), by_conf);
    }
    /* the best 4 hypotheses grown onto the edges beyond their sides (the
     * card round a print frame the line pool could not outline): each's
     * best growth that scores half of it, refined, for find_document's
     * containment rule to weigh like the rest (one is as good as two on
     * the dev and held-out uploads, at half the refinements). A quad of
     * top's where a growth is (IoU 0.85) and nearly as good (0.8) is the
     * same hypothesis (the card and its drop shadow); a far weaker one
     * (the card with a side on a print line, dev 000039) does not stand
     * for it */
    {
        std::vector<Cand> more;
        for (size_t k = 0; k < std::min<size_t>(4, top.size()); k++)
            for (const Cand &g : grown(wk, sc, top[k], 1, 0.5 * top[k].conf))
                if (!overlaps(more, g, 0.85) && !overlaps(top, g, 0.85, 0.8))
                    more.push_back(refined(g));
        top.insert(top.end(), more.begin(), more.end());
        std::sort(top.begin(), top.end(), by_conf);
    }
    return top;
}

/* Sharpness of the frame: the 99.9th percentile of the luma gradient
 * (Sobel, after the working blur) over the luma range (1st to 99th
 * percentile). A step blurred by a Gaussian of sigma s px peaks at
 * 8 / (sqrt(2 pi) sqrt(s^2 + 1.2^2)) of its height in Sobel units: about
 * 2.4 for a sharp frame, 1.15 at s = 2.5 working px. */
double focus_ratio(const Work &wk)
{
    std::vector<int> hg(1024, 0), hl(256, 0);
    int n = 0;
    for (int y = 1; y < wk.h - 1; y += 1) {
        const cv::Vec3s *gx = wk.gx.ptr<cv::Vec3s>(y), *gy = wk.gy.ptr<cv::Vec3s>(y);
        const cv::Vec3b *l = wk.lab.ptr<cv::Vec3b>(y);
        for (int x = 1; x < wk.w - 1; x++) {
            int g = (int)std::lround(std::sqrt((double)gx[x][0] * gx[x][0] + (double)gy[x][0] * gy[x][0]) / 2);
            hg[std::min(1023, g)]++;
            hl[l[x][0]]++;
            n++;
        }
    }
    if (n == 0)
        return 0;
    double range = hist_pct(hl, n, 0.99) - hist_pct(hl, n, 0.01);
    /* 16 levels: a flat frame has no edge to judge focus by */
    return range < 16 ? 1e9 : 2.0 * hist_pct(hg, n, 0.999) / range;
}

/* The search on a copy of wk reduced by `factor`, for a defocused frame:
 * its card's sides are soft ramps several pixels wide, too weak per pixel
 * for the edge map of the working copy; reduced, the same ramps are steps
 * again. Returns the best few candidates as ranked and refined there, and
 * adds all its candidates to *cands (both in wk's pixels) to be scored on
 * wk like the others. */
std::vector<Cand> coarse_search(const Work &wk, const Scorer &sc, double factor, bool rank,
                                std::vector<Cand> *all)
{
    Work cw;
    cv::resize(wk.rgb, cw.rgb, cv::Size(std::max(1, (int)std::lround(wk.w / factor)),
                                         std::max(1, (int)std::lround(wk.h / factor))),
               0, 0, cv::INTER_AREA);
    cw.scale = wk.scale * cw.rgb.cols / wk.w;
    make_planes(&cw);
    double fx = (double)wk.w / cw.w, fy = (double)wk.h / cw.h;
    Scorer csc = sc;
    csc.wk = &cw;
    for (cv::Rect2d &r : csc.faces)
        r = cv::Rect2d(r.x / fx, r.y / fy, r.width / fx, r.height / fy);
    cv::Mat edges;
    make_maps(&cw, sc.print_by_contrast, &edges);
    std::vector<Cand> cands = collect_candidates(cw, csc, edges);
    auto to_wk = [fx, fy](std::vector<Cand> &v) {
        for (Cand &c : v)
            for (cv::Point2d &p : c.q)
                p = cv::Point2d((p.x + 0.5) * fx - 0.5, (p.y + 0.5) * fy - 0.5);
    };
    std::vector<Cand> top;
    if (rank) {
        std::vector<Cand> work = cands;
        top = rank_candidates(cw, csc, work);
        to_wk(top);
    }
    to_wk(cands);
    all->insert(all->end(), cands.begin(), cands.end());
    return top;
}

/* Median colour of a ring of probes `off` px off q's sides (inward for
 * off > 0, outward for off < 0), 24 per side, corners' 10 % skipped;
 * false when fewer than 8 fall in the frame. */
bool ring_colour(const Work &wk, const cv::Point2d *q, double off, cv::Vec3b *out)
{
    cv::Point2d ctr = (q[0] + q[1] + q[2] + q[3]) * 0.25;
    std::vector<cv::Point2d> pts;
    for (int i = 0; i < 4; i++) {
        cv::Point2d a = q[i], b = q[(i + 1) % 4], d = b - a;
        double len = cv::norm(d);
        if (len <= 0)
            continue;
        cv::Point2d n(-d.y / len, d.x / len);
        if (n.dot(ctr - (a + b) * 0.5) < 0)
            n = -n;
        for (int k = 0; k < 24; k++)
            pts.push_back(a + d * (0.1 + 0.8 * (k + 0.5) / 24) + n * off);
    }
    return median_colour(wk, pts, out);
}

/* Whether `inner` is drawn on the surface that `outer` outlines: the same
 * colour just inside and just outside inner's sides (a table's rules, a
 * printed frame) as just inside outer's, which stands apart from what lies
 * outside it (a page on a desk, however pale). A card on a sheet of paper
 * is no print of the sheet: its own ground differs from the sheet's. */
bool drawn_on(const Work &wk, const cv::Point2d *outer, const cv::Point2d *inner)
{
    /* 6 px: past the blur of a side and the width of a drawn rule */
    cv::Vec3b ii, io, oi, oo;
    if (!ring_colour(wk, inner, 6, &ii) || !ring_colour(wk, inner, -6, &io) || !ring_colour(wk, outer, 6, &oi) ||
        !ring_colour(wk, outer, -6, &oo))
        return false;
    /* 6 units: one surface under shading and print; 3: a white page on a
     * white desk steps 4-8 levels */
    return lab_dist(ii, io) < 6 && lab_dist(io, oi) < 6 && lab_dist(oi, oo) >= 3;
}

/* Share of q's area inside the frame. */
double visible_share(const Work &wk, const cv::Point2d *q)
{
    double area = std::fabs(poly_area(q, 4));
    return area > 0 ? clipped_area(q, wk.w, wk.h) / area : 0;
}

/* How `outer` extends `inner` when it reaches 2 or more of inner's sides
 * (the whole card round a part its print cuts off; or a card joined to a
 * line of the table beyond it): +1 when half of each band it adds is
 * inner's ground (more of the same card); -1 when a band is none of it
 * and nearer the colour beyond outer's side (table), or its side runs
 * along the frame's border; 0 otherwise (the card's portrait, a coloured
 * band, a pale card's shading on a pale desk). */
int extension(const Work &wk, const cv::Point2d *outer, const cv::Point2d *inner)
{
    /* inner's ground is taken along the shared sides: inner may be the
     * card's portrait, and a page's shading changes across it */
    cv::Point2d ictr = (inner[0] + inner[1] + inner[2] + inner[3]) * 0.25;
    double short_side = std::min(side_len(outer, 0), side_len(outer, 1));
    /* a side refined a few px apart from its twin is still the same side */
    double tol = std::max(4.0, 0.03 * short_side);
    std::vector<cv::Point2d> ground, band[4], beyond[4];
    int shared = 0, extra = 0;
    for (int i = 0; i < 4; i++) {
        cv::Point2d a = outer[i], b = outer[(i + 1) % 4], d = b - a;
        double len = cv::norm(d);
        if (len <= 0)
            return 0;
        cv::Point2d n(-d.y / len, d.x / len);
        if (n.dot(ictr - (a + b) * 0.5) < 0)
            n = -n;
        /* depth of inner's nearest corner below this side */
        double dmin = 1e18;
        for (int k = 0; k < 4; k++)
            dmin = std::min(dmin, (inner[k] - a).dot(n));
        if (dmin < tol) {
            /* inner reaches this side (or past it): the ground 6 px
             * inside, where inner covers it */
            shared++;
            for (int j = 0; j < 24; j++) {
                cv::Point2d p = a + d * (0.1 + 0.8 * (j + 0.5) / 24) + n * 6.0;
                if (inside_quad(inner, p))
                    ground.push_back(p);
            }
            continue;
        }
        extra++;
        for (int j = 0; j < 24; j++) {
            cv::Point2d p = a + d * (0.1 + 0.8 * (j + 0.5) / 24);
            for (double f : {0.25, 0.5, 0.75})
                band[i].push_back(p + n * (f * dmin));
            beyond[i].push_back(p - n * 6.0);
        }
    }
    /* too little of that: the median over a grid on inner's inner 80 %
     * (print is sparse on a card or page) */
    for (int y = 0; y < 10 && ground.size() < 16; y++)
        for (int x = 0; x < 16; x++) {
            double u = 0.1 + 0.8 * (x + 0.5) / 16, v = 0.1 + 0.8 * (y + 0.5) / 10;
            ground.push_back(inner[0] * ((1 - u) * (1 - v)) + inner[1] * (u * (1 - v)) + inner[2] * (u * v) +
                             inner[3] * ((1 - u) * v));
        }
    cv::Vec3b g;
    if (shared < 2 || extra == 0 || !median_colour(wk, ground, &g))
        return 0;
    int same = 0;
    for (int i = 0; i < 4; i++) {
        if (band[i].empty())
            continue;
        cv::Vec3b m, o;
        int n = 0, near = 0;
        for (const cv::Point2d &p : band[i]) {
            const cv::Vec3b *v = lab_at(wk, p);
            if (!v)
                continue;
            n++;
            /* 8 units: one surface under shading */
            near += lab_dist(*v, g) < 8;
        }
        if (n < 8 || !median_colour(wk, band[i], &m))
            return 0;
        if (2 * near >= n) {
            same++;
            continue;
        }
        /* a side along the frame's border is no edge seen: the band it
         * adds must be more of the card */
        if (!median_colour(wk, beyond[i], &o))
            return -1;
        /* table: nothing like the card's ground, in hue (15 units of
         * chroma: wood or cloth against a pale card) or by far in
         * lightness (a dark desk: a shadow over one page takes a third of
         * its light, not 60 %), and the colour beyond the side within a
         * quarter of that distance */
        if (near * 7 < n) {
            cv::Vec3b hue = m;
            hue[0] = g[0];
            if ((lab_dist(hue, g) >= 15 || m[0] < 0.4 * g[0]) && 4 * lab_dist(m, o) < lab_dist(m, g))
                return -1;
        }
    }
    return same == extra ? 1 : 0;
}

void find_document(const ps_image *img, const ps_doc_hint *hint, ps_doc_found *out)
{
    Work wk;
    make_work(img, &wk);
    Scorer sc = make_scorer(wk, hint);
    double img_area = (double)wk.w * wk.h;
    cv::Mat edges;
    make_maps(&wk, sc.print_by_contrast, &edges);
    std::vector<Cand> cands = collect_candidates(wk, sc, edges);
    std::vector<Cand> top = rank_candidates(wk, sc, cands);
    double min_conf = (hint && hint->min_confidence > 0) ? hint->min_confidence : PS_DOC_MIN_CONFIDENCE;
    double best_out = 0;
    for (const Cand &c : top)
        best_out = std::max(best_out, c.conf_out);
    /* nothing good on a defocused frame (a defocus sigma over 2.5 working
     * px): search again at half and a third of the size. The half-size
     * search's own best (its blurred print and sides scored as a sharper
     * card's there) compete with all the new candidates scored here.
     * Sharp frames never take this path: there it found the chins and
     * necks of card-less selfies (docs/geometry.md, rounds 5 and 9) */
    if (best_out < min_conf && focus_ratio(wk) < 1.15) {
        std::vector<Cand> more;
        for (double f : {2.0, 3.0}) {
            /* 100 px on the short side: a card of the smallest area a hint
             * allows still has sides of a few pixels there */
            if (std::min(wk.w, wk.h) / f < 100)
                continue;
            std::vector<Cand> m = coarse_search(wk, sc, f, f == 2.0, &more);
            top.insert(top.end(), m.begin(), m.end());
        }
        std::vector<Cand> t2 = rank_candidates(wk, sc, more);
        top.insert(top.end(), t2.begin(), t2.end());
        std::sort(top.begin(), top.end(), [](const Cand &a, const Cand &b) { return a.conf > b.conf; });
    }
    if (top.empty())
        return;
    /* prefer the outline over a print frame or field box inside it: a
     * well-supported quad that contains the winner (sharing a side at most)
     * and is 1.3x larger is the card, the winner a part of its print */
    int best = 0;
    for (bool changed = true; changed;) {
        changed = false;
        for (int i = 0; i < (int)top.size(); i++) {
            if (i == best)
                continue;
            /* 0.8 of its confidence: the outer card edge is often a little
             * weaker than the printed frame; in the frame, no more
             * extrapolated than it */
            /* 0.4 solid: the outer outline is an object's edge, not a drawn
             * frame around the card (capture-guide overlays) */
            /* an outline cut by the frame qualifies only when it runs out
             * of the frame (see score()), judged by its score without the
             * cost of what the frame hides: the printed frame, portrait or
             * field box inside a cut card is always better seen than the
             * card; one that does not run out is a card stretched through
             * the thumb holding it, or a table edge. Not a page with 40 %
             * of it past the frame: paper comes in several shapes, so its
             * hidden part's size is a guess (a screenshot's page 12 px from
             * the frame's edge was taken for the seen half of a landscape
             * letter); a card's is its one aspect's */
            /* never below the hint's floor: a selfie's card found by a
             * part at 0.8 was lost to its outline at 0.5 */
            /* a grown part (a portrait grown to the card's sides) may
             * stand a few px past the card's side it reached: 0.93 */
            if (!holds(top[i].q, top[best].q, top[best].grown ? 0.93 : 0.97) || top[i].conf < min_conf ||
                top[i].solid < 0.4)
                continue;
            /* 0.5 when the winner is drawn on the surface this quad
             * outlines: a pale page's sides score far below its table's
             * dark rules */
            /* sharing sides with the winner, the outline must not add
             * table; adding more of the same surface it is the whole card
             * round a part its print cuts off, weaker for its pale far
             * side (0.5). A cut one has its own test (runs_out) */
            bool cut = is_cut(wk, top[i].q);
            int ext = cut ? 0 : extension(wk, top[i].q, top[best].q);
            if (ext < 0)
                continue;
            double ratio = !cut && top[i].conf >= 0.5 * top[best].conf && top[i].conf < 0.8 * top[best].conf &&
                                   (ext > 0 || drawn_on(wk, top[i].q, top[best].q))
                               ? 0.5
                               : 0.8;
            bool outscores = cut ? top[i].runs_out &&
                                       (top[i].shape != PS_DOC_PAPER || visible_share(wk, top[i].q) >= 0.6) &&
                                       top[i].conf_out >= 0.8 * top[best].conf
                                 : top[i].conf >= ratio * top[best].conf && top[i].seen >= 0.7;
            if (outscores) {
                best = i;
                changed = true;
            }
        }
    }
    const Cand &b = top[best];
    cv::Point2d q[4];
    std::copy(b.q, b.q + 4, q);
    order_quad(q, b.shape != PS_DOC_PAPER);
    to_input(wk, q, out->quad);
    /* a card the frame cuts is no less surely a card for it */
    out->confidence = std::min(1.0, b.conf_out);
    out->found = out->confidence >= min_conf;
    out->shape = b.shape;
    out->aspect = b.aspect;
    double area = std::fabs(poly_area(q, 4)), vis = clipped_area(q, wk.w, wk.h);
    out->visible_fraction = area > 0 ? vis / area : 0;
    out->area_fraction = vis / img_area;
    /* a corner 2 working px past the frame is off the image, not noise */
    for (int i = 0; i < 4; i++)
        if (q[i].x < -CUT_MARGIN || q[i].y < -CUT_MARGIN || q[i].x > wk.w - 1 + CUT_MARGIN || q[i].y > wk.h - 1 + CUT_MARGIN)
            out->cut_off = 1;
    out->count = out->found ? 1 : 0;
    /* other documents: confident, not overlapping the winner or each other */
    std::vector<int> kept = {best};
    for (int i = 0; i < (int)top.size() && out->found; i++) {
        if (i == best || top[i].conf < std::max(min_conf, 0.6 * b.conf))
            continue;
        bool separate = true;
        for (int k : kept) {
            double ib, ia;
            quad_iou(top[k].q, top[i].q, &ib);
            quad_iou(top[i].q, top[k].q, &ia);
            /* 10%: two cards side by side may overlap a little */
            if (ib > 0.1 || ia > 0.1)
                separate = false;
        }
        if (!separate)
            continue;
        if (out->count == 1) {
            cv::Point2d q2[4];
            std::copy(top[i].q, top[i].q + 4, q2);
            order_quad(q2, top[i].shape != PS_DOC_PAPER);
            to_input(wk, q2, out->second_quad);
            out->second_confidence = std::min(1.0, top[i].conf);
        }
        kept.push_back(i);
        out->count++;
    }
}

/* ---- rectification ------------------------------------------------------- */

bool quad_ok(const ps_point *quad)
{
    if (!quad)
        return false;
    cv::Point2d q[4];
    for (int i = 0; i < 4; i++) {
        if (!std::isfinite(quad[i].x) || !std::isfinite(quad[i].y))
            return false;
        q[i] = cv::Point2d(quad[i].x, quad[i].y);
    }
    return convex_quad(q) && std::fabs(poly_area(q, 4)) >= 4;
}

/* Warps `quad` of src to an ow x oh canvas whose card occupies
 * [ring, ring + cw) x [ring, ring + ch). Pre-shrinks src by INTER_AREA so a
 * large reduction does not alias. Also returns the valid-pixel mask. */
void warp_card(const cv::Mat &src, const ps_point *quad, int cw, int ch, int ring, cv::Mat *dst,
               cv::Mat *valid)
{
    double lng = 0;
    for (int i = 0; i < 4; i++)
        lng = std::max(lng, std::hypot(quad[(i + 1) % 4].x - quad[i].x, quad[(i + 1) % 4].y - quad[i].y));
    double out_long = std::max(cw, ch);
    /* only the quad's bounding box (plus the ring, plus 2 px for the
     * interpolation) is ever sampled: crop before any resampling */
    double x0 = 1e18, y0 = 1e18, x1 = -1e18, y1 = -1e18;
    for (int i = 0; i < 4; i++) {
        x0 = std::min(x0, quad[i].x);
        y0 = std::min(y0, quad[i].y);
        x1 = std::max(x1, quad[i].x);
        y1 = std::max(y1, quad[i].y);
    }
    double pad = 2 + (x1 - x0 + y1 - y0) * ring / std::max(1.0, out_long);
    cv::Rect box((int)std::floor(x0 - pad), (int)std::floor(y0 - pad), 0, 0);
    box.width = (int)std::ceil(x1 + pad) - box.x + 1;
    box.height = (int)std::ceil(y1 + pad) - box.y + 1;
    box &= cv::Rect(0, 0, src.cols, src.rows);
    if (box.area() <= 0)
        box = cv::Rect(0, 0, 1, 1);
    cv::Mat crop = src(box);
    /* sample at most 2 source px per output px after pre-shrinking */
    double f = lng > 2 * out_long ? 2 * out_long / lng : 1.0;
    cv::Mat s = crop;
    if (f < 1.0) {
        cv::Size sz(std::max(1, (int)std::lround(crop.cols * f)), std::max(1, (int)std::lround(crop.rows * f)));
        cv::resize(crop, s, sz, 0, 0, cv::INTER_AREA);
    }
    double fx = (double)s.cols / crop.cols, fy = (double)s.rows / crop.rows;
    cv::Point2f from[4], to[4];
    for (int i = 0; i < 4; i++)
        from[i] = cv::Point2f((float)((quad[i].x - box.x + 0.5) * fx - 0.5),
                              (float)((quad[i].y - box.y + 0.5) * fy - 0.5));
    to[0] = cv::Point2f((float)ring, (float)ring);
    to[1] = cv::Point2f((float)(ring + cw - 1), (float)ring);
    to[2] = cv::Point2f((float)(ring + cw - 1), (float)(ring + ch - 1));
    to[3] = cv::Point2f((float)ring, (float)(ring + ch - 1));
    cv::Mat H = cv::getPerspectiveTransform(to, from);
    cv::Size osz(cw + 2 * ring, ch + 2 * ring);
    cv::warpPerspective(s, *dst, H, osz, cv::INTER_LINEAR | cv::WARP_INVERSE_MAP, cv::BORDER_CONSTANT,
                        cv::Scalar::all(0));
    if (valid) {
        cv::Mat ones(s.size(), CV_8U, cv::Scalar(255));
        cv::warpPerspective(ones, *valid, H, osz, cv::INTER_NEAREST | cv::WARP_INVERSE_MAP,
                            cv::BORDER_CONSTANT, cv::Scalar(0));
    }
}

/* Maps a box of the ring canvas back to an input-image box. */
ps_box canvas_box_to_input(const ps_point *quad, int cw, int ch, int ring, cv::Rect r, int iw, int ih)
{
    cv::Point2f from[4], to[4];
    to[0] = cv::Point2f((float)ring, (float)ring);
    to[1] = cv::Point2f((float)(ring + cw - 1), (float)ring);
    to[2] = cv::Point2f((float)(ring + cw - 1), (float)(ring + ch - 1));
    to[3] = cv::Point2f((float)ring, (float)(ring + ch - 1));
    for (int i = 0; i < 4; i++)
        from[i] = cv::Point2f((float)quad[i].x, (float)quad[i].y);
    cv::Mat H = cv::getPerspectiveTransform(to, from);
    std::vector<cv::Point2f> c = {{(float)r.x, (float)r.y}, {(float)(r.x + r.width), (float)r.y},
                                  {(float)(r.x + r.width), (float)(r.y + r.height)},
                                  {(float)r.x, (float)(r.y + r.height)}},
                             m;
    cv::perspectiveTransform(c, m, H);
    double x0 = 1e18, y0 = 1e18, x1 = -1e18, y1 = -1e18;
    for (const cv::Point2f &p : m) {
        x0 = std::min(x0, (double)p.x);
        y0 = std::min(y0, (double)p.y);
        x1 = std::max(x1, (double)p.x);
        y1 = std::max(y1, (double)p.y);
    }
    x0 = std::max(0.0, std::floor(x0));
    y0 = std::max(0.0, std::floor(y0));
    x1 = std::min((double)iw, std::ceil(x1));
    y1 = std::min((double)ih, std::ceil(y1));
    ps_box b = {(int)x0, (int)y0, std::max(0, (int)(x1 - x0)), std::max(0, (int)(y1 - y0))};
    return b;
}

/* Card size for analysis: 400 px on the long side keeps a fingertip at
 * 20+ px and the whole analysis near a millisecond. */
void analysis_size(const ps_point *quad, int *cw, int *ch)
{
    double a = 0.5 * (std::hypot(quad[1].x - quad[0].x, quad[1].y - quad[0].y) +
                      std::hypot(quad[2].x - quad[3].x, quad[2].y - quad[3].y));
    double b = 0.5 * (std::hypot(quad[3].x - quad[0].x, quad[3].y - quad[0].y) +
                      std::hypot(quad[2].x - quad[1].x, quad[2].y - quad[1].y));
    double asp = std::max(0.2, std::min(5.0, a / std::max(1.0, b)));
    if (asp >= 1) {
        *cw = 400;
        *ch = std::max(16, (int)std::lround(400 / asp));
    } else {
        *ch = 400;
        *cw = std::max(16, (int)std::lround(400 * asp));
    }
}

struct Blob {
    int px;
    cv::Rect r;
};

void largest_boxes(std::vector<Blob> &blobs, const ps_point *quad, int cw, int ch, int ring, int iw, int ih,
                   int *n, ps_box *boxes)
{
    std::sort(blobs.begin(), blobs.end(), [](const Blob &a, const Blob &b) { return a.px > b.px; });
    *n = 0;
    for (const Blob &b : blobs) {
        if (*n >= PS_DOC_MAX_REGIONS)
            break;
        boxes[(*n)++] = canvas_box_to_input(quad, cw, ch, ring, b.r, iw, ih);
    }
}

/* Per label 1..n-1 of `labels`: its pixels outside card_r (with
 * `off_frame`, also those on invalid pixels), its pixels on `inner`, and
 * the box of the latter. */
void count_parts(const cv::Mat &labels, int n, const cv::Mat &valid, const cv::Mat &inner, const cv::Rect &card_r,
                 bool off_frame, std::vector<int> *outs, std::vector<int> *ins, std::vector<cv::Rect> *boxes)
{
    outs->assign(n, 0);
    ins->assign(n, 0);
    boxes->assign(n, cv::Rect());
    for (int y = 0; y < labels.rows; y++) {
        const int *l = labels.ptr<int>(y);
        const uchar *v = valid.ptr<uchar>(y), *in = inner.ptr<uchar>(y);
        for (int x = 0; x < labels.cols; x++) {
            if (!l[x])
                continue;
            if ((off_frame && !v[x]) || !card_r.contains(cv::Point(x, y)))
                (*outs)[l[x]]++;
            if (in[x]) {
                cv::Rect px(x, y, 1, 1);
                (*boxes)[l[x]] = (*ins)[l[x]]++ ? ((*boxes)[l[x]] | px) : px;
            }
        }
    }
}

/* A skin blob that reaches onto the card, cut to the hand's own colour.
 * A card printed in a skin tone (rose, cream, gold) passes the skin test
 * too, and the thumb holding it joins the two into one blob over the whole
 * card. The blob's part outside the card is the hand (or the table): its
 * chroma, within a few levels, is what counts inside. Returns 0 when
 * nothing of the blob is a finger; else *out holds the inside pixel count
 * and the box they cover of the inner card. */
bool own_colour_part(const cv::Mat &ycc, const cv::Mat &labels, int id, const cv::Mat &valid,
                     const cv::Mat &inner, const cv::Rect &card_r, int ring_px, bool card_skin,
                     int outside_min, int min_inside, Blob *out)
{
    std::vector<uchar> crs, cbs;
    for (int y = 0; y < labels.rows; y++) {
        const int *l = labels.ptr<int>(y);
        const uchar *v = valid.ptr<uchar>(y);
        const cv::Vec3b *p = ycc.ptr<cv::Vec3b>(y);
        for (int x = 0; x < labels.cols; x++)
            if (l[x] == id && v[x] && !card_r.contains(cv::Point(x, y))) {
                crs.push_back(p[x][1]);
                cbs.push_back(p[x][2]);
            }
    }
    /* the ground all round the card (a wooden table) joined to the hand:
     * its colour stands in for the hand's (a finger on such a table differs
     * from it by a few levels), unless the card's own ground is skin-toned
     * too and nothing tells the three apart */
    if (card_skin && ring_px > 0 && crs.size() * 2 > (size_t)ring_px)
        return false;
    cv::Mat part(labels.size(), CV_8U, cv::Scalar(0));
    if (crs.size() < 16) {
        part.setTo(255, labels == id); /* or off the frame: nothing to sample */
    } else {
        double mcr = sample_pct(crs, 0.5), mcb = sample_pct(cbs, 0.5);
        /* 3 robust sigma, at least 6 levels (JPEG chroma noise) */
        double rcr = std::max(6.0, 1.5 * (sample_pct(crs, 0.84) - sample_pct(crs, 0.16)));
        double rcb = std::max(6.0, 1.5 * (sample_pct(cbs, 0.84) - sample_pct(cbs, 0.16)));
        for (int y = 0; y < labels.rows; y++) {
            const int *l = labels.ptr<int>(y);
            const cv::Vec3b *p = ycc.ptr<cv::Vec3b>(y);
            uchar *o = part.ptr<uchar>(y);
            for (int x = 0; x < labels.cols; x++)
                if (l[x] == id && std::abs(p[x][1] - mcr) <= rcr && std::abs(p[x][2] - mcb) <= rcb)
                    o[x] = 255;
        }
    }
    cv::Mat lab;
    int n = cv::connectedComponents(part, lab, 8, CV_32S);
    /* per part: pixels outside the card (or off the frame), and inside it
     * with their box (the region is where the card is covered, not the hand
     * or table beyond) */
    std::vector<int> outs, ins;
    std::vector<cv::Rect> box;
    count_parts(lab, n, valid, inner, card_r, true, &outs, &ins, &box);
    out->px = 0;
    out->r = cv::Rect();
    for (int k = 1; k < n; k++) {
        if (outs[k] < outside_min / 2 || ins[k] == 0)
            continue;
        out->r = out->px ? (out->r | box[k]) : box[k];
        out->px += ins[k];
    }
    return out->px >= min_inside;
}

void skin_occlusion(const ps_image *img, const ps_point *quad, const ps_box *face, const ps_doc_rect *excl,
                    double margin, ps_occlusion *out)
{
    cv::Mat src = wrap(img);
    int cw, ch;
    analysis_size(quad, &cw, &ch);
    /* ring of 12% of the short side: room to see the hand continue outside */
    int ring = std::max(4, (int)std::lround(0.12 * std::min(cw, ch)));
    cv::Mat card, valid;
    warp_card(src, quad, cw, ch, ring, &card, &valid);
    cv::Mat ycc;
    cv::cvtColor(card, ycc, cv::COLOR_RGB2YCrCb);

    /* general model (Chai & Ngan 1999 box, Cr 133-173, Cb 77-127, widened a
     * little for phone white balance), plus a minimum chroma so a pale pink
     * card print is not skin */
    double cr0 = 136, cr1 = 178, cb0 = 77, cb1 = 130, min_chroma = 14;
    if (face && face->w >= 8 && face->h >= 8) {
        cv::Rect fr(face->x, face->y, face->w, face->h);
        /* central cheek band: below the eyes, above the mouth, inside the
         * face outline (x 25-75%, y 45-70% of a detector's face box) */
        cv::Rect cheek(fr.x + fr.width / 4, fr.y + fr.height * 45 / 100, fr.width / 2, fr.height / 4);
        cheek &= cv::Rect(0, 0, src.cols, src.rows);
        if (cheek.area() >= 16) {
            cv::Mat patch;
            cv::cvtColor(src(cheek), patch, cv::COLOR_RGB2YCrCb);
            std::vector<uchar> crs, cbs;
            for (int y = 0; y < patch.rows; y++)
                for (int x = 0; x < patch.cols; x++) {
                    const cv::Vec3b &v = patch.at<cv::Vec3b>(y, x);
                    crs.push_back(v[1]);
                    cbs.push_back(v[2]);
                }
            double mcr = sample_pct(crs, 0.5), mcb = sample_pct(cbs, 0.5);
            double scr = 0.5 * (sample_pct(crs, 0.84) - sample_pct(crs, 0.16)),
                   scb = 0.5 * (sample_pct(cbs, 0.84) - sample_pct(cbs, 0.16));
            double chroma = std::hypot(mcr - 128, mcb - 128);
            /* the sample must itself look like skin, or the face box is
             * wrong (or a mask/sunglasses): then keep the general model */
            if (mcr >= 128 && mcr <= 185 && mcb >= 75 && mcb <= 135 && chroma >= 8) {
                /* 3 sigma, at least 8 levels: lighting differs between the
                 * face and the hand in front of it */
                double rcr = std::max(8.0, 3 * scr), rcb = std::max(8.0, 3 * scb);
                cr0 = mcr - rcr;
                cr1 = mcr + rcr;
                cb0 = mcb - rcb;
                cb1 = mcb + rcb;
                min_chroma = 0.5 * chroma;
                out->calibrated = 1;
            }
        }
    }
    /* the general model's chroma floor is for mid-tone skin: chroma in
     * YCrCb shrinks with luminance, and dark skin (Y 50-70) has about half
     * of it, so the floor scales down with Y to 0.55 of itself (at Y 60) */
    const bool general = !out->calibrated;
    /* a card printed in a skin tone (gold, beige, rose): its own ground is
     * not a finger. The ground is the median colour of the card's middle;
     * when that passes the skin test, pixels within a few levels of it do
     * not count (a finger differs from it in shading or hue) */
    bool skin_ground = false;
    int gy = 0, gcr = 0, gcb = 0;
    {
        cv::Rect mid(ring + cw / 8, ring + ch / 8, cw * 3 / 4, ch * 3 / 4);
        std::vector<int> hy(256, 0), hcr(256, 0), hcb(256, 0);
        int n = 0;
        for (int y = mid.y; y < mid.y + mid.height; y += 2) {
            const cv::Vec3b *p = ycc.ptr<cv::Vec3b>(y);
            for (int x = mid.x; x < mid.x + mid.width; x += 2) {
                hy[p[x][0]]++;
                hcr[p[x][1]]++;
                hcb[p[x][2]]++;
                n++;
            }
        }
        auto median = [n](const std::vector<int> &h) {
            int acc = 0, v = 0;
            while (v < 255 && (acc += h[v]) < (n + 1) / 2)
                v++;
            return v;
        };
        if (n > 0) {
            gy = median(hy);
            gcr = median(hcr);
            gcb = median(hcb);
            double floor = general ? min_chroma * std::max(0.55, std::min(1.0, gy / 110.0)) : min_chroma;
            skin_ground = gy >= 30 && gy <= 250 && gcr >= cr0 && gcr <= cr1 && gcb >= cb0 && gcb <= cb1 &&
                          std::hypot(gcr - 128.0, gcb - 128.0) >= floor;
        }
    }
    cv::Mat skin(ycc.size(), CV_8U, cv::Scalar(0));
    for (int y = 0; y < ycc.rows; y++) {
        const cv::Vec3b *p = ycc.ptr<cv::Vec3b>(y);
        const uchar *v = valid.ptr<uchar>(y);
        uchar *s = skin.ptr<uchar>(y);
        for (int x = 0; x < ycc.cols; x++) {
            int Y = p[x][0], cr = p[x][1], cb = p[x][2];
            /* Y 30-250: skin in deep shadow or clipped white is undecidable */
            double floor = general ? min_chroma * std::max(0.55, std::min(1.0, Y / 110.0)) : min_chroma;
            if (v[x] && Y >= 30 && Y <= 250 && cr >= cr0 && cr <= cr1 && cb >= cb0 && cb <= cb1 &&
                std::hypot(cr - 128.0, cb - 128.0) >= floor &&
                /* 6 chroma and 24 luma levels: JPEG noise and the card's
                 * own gradient around its ground colour */
                !(skin_ground && std::abs(cr - gcr) <= 6 && std::abs(cb - gcb) <= 6 && std::abs(Y - gy) <= 24))
                s[x] = 255;
        }
    }
    cv::morphologyEx(skin, skin, cv::MORPH_OPEN, cv::Mat::ones(3, 3, CV_8U));
    cv::morphologyEx(skin, skin, cv::MORPH_CLOSE, cv::Mat::ones(5, 5, CV_8U));

    if (margin < 0)
        margin = 0.08;
    int m = (int)std::lround(margin * std::min(cw, ch));
    cv::Mat inner(skin.size(), CV_8U, cv::Scalar(0));
    cv::Rect in_r(ring + m, ring + m, std::max(0, cw - 2 * m), std::max(0, ch - 2 * m));
    inner(in_r).setTo(255);
    if (excl) {
        cv::Rect er((int)std::lround(ring + excl->x * cw), (int)std::lround(ring + excl->y * ch),
                    (int)std::lround(excl->w * cw), (int)std::lround(excl->h * ch));
        er &= cv::Rect(0, 0, inner.cols, inner.rows);
        if (er.area() > 0)
            inner(er).setTo(0);
    }
    cv::bitwise_and(inner, valid, inner);
    int inner_px = cv::countNonZero(inner);

    cv::Mat labels, stats, cents;
    int nl = cv::connectedComponentsWithStats(skin, labels, stats, cents, 8, CV_32S);
    /* Outside the card is beyond a guard band round the outline: an
     * outline a few pixels inside a skin-toned card (rose, red, gold) puts
     * the card's own edge in the ring, and the card's shading then passed
     * for a hand reaching in (12 of 202 generated cards flagged). A finger
     * holding the card runs far past the band. */
    const int guard = std::max(2, (int)std::lround(0.04 * std::min(cw, ch)));
    cv::Rect card_r(ring - guard, ring - guard, cw + 2 * guard, ch + 2 * guard);
    /* a blob must continue outside the card (or off the frame) for at
     * least this many px: it is a hand reaching in */
    const int OUTSIDE_MIN = std::max(6, ring * ring / 8);
    std::vector<int> outside, inside;
    std::vector<cv::Rect> unused;
    count_parts(labels, nl, valid, inner, card_r, false, &outside, &inside, &unused);
    /* an invalid (off-frame) neighbourhood also counts as "outside" */
    cv::Mat inval;
    cv::bitwise_not(valid, inval);
    cv::dilate(inval, inval, cv::Mat::ones(5, 5, CV_8U));
    for (int y = 0; y < labels.rows; y++) {
        const int *l = labels.ptr<int>(y);
        const uchar *iv = inval.ptr<uchar>(y);
        for (int x = 0; x < labels.cols; x++)
            if (l[x] && iv[x])
                outside[l[x]] += 4;
    }
    std::vector<Blob> blobs;
    long covered = 0;
    /* a blob must cover 0.3% of the inner card to be a finger, not noise */
    int min_inside = std::max(12, inner_px * 3 / 1000);
    int ring_px = cv::countNonZero(valid) - cv::countNonZero(valid(card_r));
    for (int i = 1; i < nl; i++) {
        if (outside[i] < OUTSIDE_MIN || inside[i] < min_inside)
            continue;
        Blob b;
        if (!own_colour_part(ycc, labels, i, valid, inner, card_r, ring_px, skin_ground, OUTSIDE_MIN,
                             min_inside, &b))
            continue;
        covered += b.px;
        blobs.push_back(b);
    }
    out->fraction = inner_px > 0 ? (double)covered / inner_px : 0;
    /* 1.5% of the inner card: a fingertip over a line of text */
    out->reaches_content = out->fraction >= 0.015;
    largest_boxes(blobs, quad, cw, ch, ring, img->width, img->height, &out->n_regions, out->regions);
}

/* The level at which each pixel escapes to the card's border: the best
 * path out (the one whose darkest pixel is brightest), by a bucket-queue
 * flood from the invalid ring inwards (Vincent's priority flood). A pixel
 * that sits E levels above its escape level lies in a dome, brighter than
 * the paper around it on every side; a lit region of a cast shadow runs
 * out to the border at its own level and has E = 0. */
cv::Mat escape_level(const cv::Mat &lum, const cv::Mat &valid)
{
    const int w = lum.cols, h = lum.rows;
    cv::Mat esc(lum.size(), CV_8U, cv::Scalar(0));
    std::vector<uchar> done((size_t)w * h, 0);
    std::vector<std::vector<int>> bucket(256);
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
            if (!valid.at<uchar>(y, x) || x == 0 || y == 0 || x == w - 1 || y == h - 1) {
                int lv = valid.at<uchar>(y, x) ? lum.at<uchar>(y, x) : 255;
                esc.at<uchar>(y, x) = (uchar)lv;
                done[(size_t)y * w + x] = 1;
                bucket[lv].push_back(y * w + x);
            }
    static const int DX[4] = {1, -1, 0, 0}, DY[4] = {0, 0, 1, -1};
    for (int lv = 255; lv >= 0; lv--)
        while (!bucket[lv].empty()) {
            int p = bucket[lv].back();
            bucket[lv].pop_back();
            int px = p % w, py = p / w;
            for (int k = 0; k < 4; k++) {
                int qx = px + DX[k], qy = py + DY[k];
                if (qx < 0 || qy < 0 || qx >= w || qy >= h || done[(size_t)qy * w + qx])
                    continue;
                done[(size_t)qy * w + qx] = 1;
                int e = std::min((int)lum.at<uchar>(qy, qx), lv);
                esc.at<uchar>(qy, qx) = (uchar)e;
                bucket[e].push_back(qy * w + qx);
            }
        }
    return esc;
}

/* Share of component `id`'s outline made of straight runs along the card's
 * axes. Print is laid out on the card's grid: a white panel, a QR code's
 * quiet zone or a portrait's pale backdrop is bounded by horizontal and
 * vertical edges, while a reflection's outline is a soft curve (a lamp) or
 * a straight edge at any angle (a window frame seen in perspective). */
double axis_outline(const cv::Mat &labels, const cv::Mat &stats, int id)
{
    cv::Rect r(stats.at<int>(id, cv::CC_STAT_LEFT), stats.at<int>(id, cv::CC_STAT_TOP),
               stats.at<int>(id, cv::CC_STAT_WIDTH), stats.at<int>(id, cv::CC_STAT_HEIGHT));
    cv::Mat m = (labels(r) == id);
    cv::copyMakeBorder(m, m, 1, 1, 1, 1, cv::BORDER_CONSTANT, cv::Scalar(0));
    std::vector<std::vector<cv::Point>> cs;
    cv::findContours(m, cs, cv::RETR_EXTERNAL, cv::CHAIN_APPROX_NONE);
    double total = 0, axis = 0;
    for (const std::vector<cv::Point> &c : cs) {
        std::vector<cv::Point> poly;
        /* 2 px: JPEG ringing and a slightly wrong quad bend a printed edge
         * by about that much on a 400 px card */
        cv::approxPolyDP(c, poly, 2.0, true);
        for (size_t k = 0; k < poly.size(); k++) {
            cv::Point d = poly[(k + 1) % poly.size()] - poly[k];
            double len = std::hypot((double)d.x, (double)d.y);
            total += len;
            /* 12 px runs within ~8 degrees (1 in 7) of an axis: a reflection's
             * curve breaks into shorter chords at every angle */
            if (len >= 12 && (std::abs(d.x) * 7 <= std::abs(d.y) || std::abs(d.y) * 7 <= std::abs(d.x)))
                axis += len;
        }
    }
    return total > 0 ? axis / total : 0;
}

/* The `pct` percentile (the element nth_element would put at n * pct /
 * 100) of the values of `val` (CV_32F, 0..256) where `ok` (CV_8U) is set,
 * in the (2r+1)-square window round each cell, clipped to the grid; 0 where
 * the window holds none. The window slides along each row: a histogram of
 * the values in 64ths of a level gains the column entering and loses the
 * one leaving, and the percentile is read off it (groups of 128 bins
 * first, then the bins). Exact to 1/128 of a level; sorting each window
 * afresh was most of the glare stage's time. */
cv::Mat window_percentile(const cv::Mat &val, const cv::Mat &ok, int r, int pct)
{
    const int STEPS = 64, BINS = 256 * STEPS + 1, COARSE = 128;
    int gw = val.cols, gh = val.rows;
    cv::Mat qv(gh, gw, CV_16S, cv::Scalar(-1)); /* -1: not counted */
    for (int y = 0; y < gh; y++)
        for (int x = 0; x < gw; x++)
            if (ok.at<uchar>(y, x))
                qv.at<short>(y, x) =
                    (short)std::min(BINS - 1, std::max(0, (int)std::lround(STEPS * val.at<float>(y, x))));
    cv::Mat out(gh, gw, CV_32F, cv::Scalar(0));
    std::vector<int> fine(BINS), coarse(BINS / COARSE + 1);
    for (int y = 0; y < gh; y++) {
        int y0 = std::max(0, y - r), y1 = std::min(gh - 1, y + r), n = 0;
        std::fill(fine.begin(), fine.end(), 0);
        std::fill(coarse.begin(), coarse.end(), 0);
        auto column = [&](int xx, int d) {
            for (int yy = y0; yy <= y1; yy++) {
                int q = qv.at<short>(yy, xx);
                if (q < 0)
                    continue;
                fine[q] += d;
                coarse[q / COARSE] += d;
                n += d;
            }
        };
        for (int xx = 0; xx <= std::min(gw - 1, r); xx++)
            column(xx, 1);
        for (int x = 0; x < gw; x++) {
            if (x > 0 && x + r < gw)
                column(x + r, 1);
            if (x - r - 1 >= 0)
                column(x - r - 1, -1);
            if (n == 0)
                continue;
            int kk = n * pct / 100, acc = 0, b = 0;
            while (acc + coarse[b] <= kk)
                acc += coarse[b++];
            int q = b * COARSE;
            while (acc + fine[q] <= kk)
                acc += fine[q++];
            out.at<float>(y, x) = (float)q / STEPS;
        }
    }
    return out;
}

void glare(const ps_image *img, const ps_point *quad, const ps_doc_rect *excl, ps_glare *out)
{
    cv::Mat src = wrap(img);
    int cw, ch;
    analysis_size(quad, &cw, &ch);
    cv::Mat card, valid;
    warp_card(src, quad, cw, ch, 0, &card, &valid);
    /* 4 px off the border: the card's edge and the background are not glare */
    cv::erode(valid, valid, cv::Mat::ones(9, 9, CV_8U));
    /* whiteness (the smallest channel) and saturation: a reflection adds
     * white light to every channel, so on a tinted card (a pale green
     * notification card, a pink licence) it lifts the smallest channel far
     * more than the largest one */
    cv::Mat v(card.size(), CV_8U), sat(card.size(), CV_8U);
    for (int y = 0; y < card.rows; y++) {
        const cv::Vec3b *p = card.ptr<cv::Vec3b>(y);
        uchar *pv = v.ptr<uchar>(y), *ps = sat.ptr<uchar>(y);
        for (int x = 0; x < card.cols; x++) {
            int mx = std::max(p[x][0], std::max(p[x][1], p[x][2]));
            int mn = std::min(p[x][0], std::min(p[x][1], p[x][2]));
            pv[x] = (uchar)mn;
            ps[x] = (uchar)(mx ? 255 * (mx - mn) / mx : 0);
        }
    }
    std::vector<uchar> vals;
    for (int y = 0; y < v.rows; y += 2)
        for (int x = 0; x < v.cols; x += 2)
            if (valid.at<uchar>(y, x))
                vals.push_back(v.at<uchar>(y, x));
    if (vals.size() < 16)
        return;
    /* the card's paper white: 60th percentile of brightness. Glare is
     * brighter than the brightest print, and a card that is white all
     * over (or clipped all over) shows no glare we could tell apart */
    size_t k60 = vals.size() * 6 / 10;
    std::nth_element(vals.begin(), vals.begin() + k60, vals.end());
    int white = vals[k60];
    /* the lit paper around each point: an upper percentile of 8-px cell
     * means in a window as tall as the card. A median there read the lit
     * side of a cast shadow's edge as brighter than its surroundings (the
     * shadow pulled the median down); an upper percentile follows the lit
     * paper, and a spot covering less than the rest of the window still
     * stands above it */
    cv::Mat bg;
    {
        const int PCT = 70; /* the spot may cover up to 30% of the window */
        const int CELL = 8;
        int gw = std::max(1, cw / CELL), gh = std::max(1, ch / CELL);
        cv::Mat vf, vmask, vs, cnt, vm;
        v.convertTo(vf, CV_32F);
        valid.convertTo(vmask, CV_32F, 1.0 / 255);
        cv::resize(vf.mul(vmask), vs, cv::Size(gw, gh), 0, 0, cv::INTER_AREA);
        cv::resize(vmask, cnt, cv::Size(gw, gh), 0, 0, cv::INTER_AREA);
        /* the cells mostly on the card, by their mean over it */
        cv::Mat ok(gh, gw, CV_8U, cv::Scalar(0)), mean(gh, gw, CV_32F, cv::Scalar(0));
        for (int y = 0; y < gh; y++)
            for (int x = 0; x < gw; x++)
                if (cnt.at<float>(y, x) >= 0.5f) {
                    ok.at<uchar>(y, x) = 1;
                    mean.at<float>(y, x) = vs.at<float>(y, x) / cnt.at<float>(y, x);
                }
        cv::Mat ref = window_percentile(mean, ok, gh / 2, PCT);
        cv::resize(ref, vm, v.size(), 0, 0, cv::INTER_LINEAR);
        vm.convertTo(bg, CV_8U);
    }
    /* the paper level under the print: a 7x7 closing fills text strokes
     * (1-4 px on a 400 px card) so that the white inside a letter or a
     * table cell is no dome of its own */
    cv::Mat paper, esc;
    cv::morphologyEx(v, paper, cv::MORPH_CLOSE, cv::Mat::ones(7, 7, CV_8U));
    cv::GaussianBlur(paper, paper, cv::Size(5, 5), 0);
    esc = escape_level(paper, valid);
    /* whiteness of at least 215: a reflection is near-white even on an
     * under-exposed photo (gain 0.85 leaves a clipped core at ~217) */
    const int VMIN = 215;
    /* 10 levels above the card's paper white (its 60th percentile) and 8
     * above the lit paper around it: brighter than any print, while a soft
     * spot on a near-white passport page or notification card (paper at
     * 235-245) still clears it */
    const int WHITE = 10, LOCAL = 8;
    /* 4 levels above the point where the paper around escapes to the
     * card's border: enclosed on every side (JPEG noise after the closing
     * and the blur stays under 3) */
    const int DOME = 4;
    /* under 18% saturation: white light, not pale colour print */
    const int SAT = 46;
    cv::Mat mask(v.size(), CV_8U, cv::Scalar(0));
    for (int y = 0; y < v.rows; y++) {
        const uchar *pv = v.ptr<uchar>(y), *ps = sat.ptr<uchar>(y), *pb = bg.ptr<uchar>(y),
                    *pm = valid.ptr<uchar>(y), *pp = paper.ptr<uchar>(y), *pe = esc.ptr<uchar>(y);
        uchar *o = mask.ptr<uchar>(y);
        for (int x = 0; x < v.cols; x++) {
            if (pm[x] && pv[x] >= VMIN && ps[x] < SAT && pv[x] - white >= WHITE && pv[x] - pb[x] >= LOCAL &&
                pp[x] - pe[x] >= DOME)
                o[x] = 255;
        }
    }
    cv::morphologyEx(mask, mask, cv::MORPH_OPEN, cv::Mat::ones(3, 3, CV_8U));
    cv::Mat labels, stats, cents;
    int nl = cv::connectedComponentsWithStats(mask, labels, stats, cents, 8, CV_32S);
    int card_px = std::max(1, cv::countNonZero(valid));
    /* 0.15% of the card: a reflection that hides a few characters */
    int min_px = std::max(12, card_px * 15 / 10000);
    std::vector<Blob> blobs;
    long total = 0;
    std::vector<int> in_excl(nl, 0);
    if (excl) {
        cv::Rect ex((int)std::floor(excl->x * cw), (int)std::floor(excl->y * ch), (int)std::ceil(excl->w * cw),
                    (int)std::ceil(excl->h * ch));
        ex &= cv::Rect(0, 0, cw, ch);
        for (int y = ex.y; y < ex.y + ex.height; y++) {
            const int *lb = labels.ptr<int>(y);
            for (int x = ex.x; x < ex.x + ex.width; x++)
                in_excl[lb[x]]++;
        }
    }
    for (int i = 1; i < nl; i++) {
        int a = stats.at<int>(i, cv::CC_STAT_AREA);
        /* a white blob of the portrait; one that spills out of it is glare */
        if (a < min_px || in_excl[i] * 10 >= a * 9)
            continue;
        /* 70% of the outline on the card's axes: a printed panel or
         * backdrop. A reflection cut by one or two panels (a licence's
         * colour band, the portrait's frame) keeps most of its curve */
        if (axis_outline(labels, stats, i) >= 0.7)
            continue;
        total += a;
        blobs.push_back({a, cv::Rect(stats.at<int>(i, cv::CC_STAT_LEFT), stats.at<int>(i, cv::CC_STAT_TOP),
                                     stats.at<int>(i, cv::CC_STAT_WIDTH), stats.at<int>(i, cv::CC_STAT_HEIGHT))});
    }
    out->fraction = (double)total / card_px;
    largest_boxes(blobs, quad, cw, ch, 0, img->width, img->height, &out->n_regions, out->regions);
}

} /* namespace */

extern "C" {

ps_doc_hint ps_doc_hint_for_kind(const char *kind)
{
    ps_doc_hint h;
    std::memset(&h, 0, sizeof h);
    h.shapes = PS_DOC_ANY;
    h.faint_sides = 1;
    if (!kind)
        return h;
    /* the notification card is no photo ID, but customers upload it as one:
     * finding it is what lets the reader say document_type_not_accepted */
    if (!std::strcmp(kind, "photo_id") || !std::strcmp(kind, "selfie")) {
        h.shapes = PS_DOC_ID1 | PS_DOC_TD3 | PS_DOC_STRIP;
        /* 0.8%: a card held at arm's length beside the face, or a photo ID
         * shot from too far (found, then flagged document_too_small) */
        h.min_area_fraction = 0.008;
    }
    if (!std::strcmp(kind, "selfie")) {
        /* strip candidates there were the lower bands of an ID-1 card (a
         * licence's validity band) far more often than a notification
         * card, which is no photo ID to hold up anyway (docs/geometry.md,
         * round 5) */
        h.shapes = PS_DOC_ID1 | PS_DOC_TD3;
        /* held up to the camera, whole and sharp: outlines under 0.55 were
         * a collar, a neck or a wall panel on the generated corpus
         * (bench/RESULTS.md), true cards scored over 0.65 */
        h.min_confidence = 0.55;
        /* blank wall panels, doors and necks beside the face have edges
         * across them but no print */
        h.print_by_contrast = 1;
        /* a card held up before the person stands out against them: the
         * faint-side search found one more of 118 in-frame cards on the
         * generated selfies, at 15 ms more per selfie (docs/geometry.md,
         * round 14) */
        h.faint_sides = 0;
    }
    else if (!std::strcmp(kind, "credit_card"))
        h.shapes = PS_DOC_ID1;
    else if (!std::strcmp(kind, "address_proof"))
        h.shapes = PS_DOC_PAPER | PS_DOC_ID1; /* health insurance cards are ID-1 */
    return h;
}

ps_status ps_cv_find_document(const ps_image *img, const ps_doc_hint *hint, ps_doc_found *out)
{
    if (!out)
        return PS_E_ARG;
    std::memset(out, 0, sizeof *out);
    if (!valid_image(img))
        return PS_E_ARG;
    try {
        find_document(img, hint, out);
        return PS_OK;
    } catch (const std::bad_alloc &) {
        std::memset(out, 0, sizeof *out);
        return PS_E_NOMEM;
    } catch (...) {
        std::memset(out, 0, sizeof *out);
        return PS_E_CV;
    }
}

ps_status ps_cv_rectify(const ps_image *img, const ps_point quad[4], int out_w, int out_h, ps_image **out)
{
    if (!out)
        return PS_E_ARG;
    *out = NULL;
    /* 16384: far above any canonical size, keeps the allocation bounded */
    if (!valid_image(img) || !quad_ok(quad) || out_w < 1 || out_h < 1 || out_w > 16384 || out_h > 16384)
        return PS_E_ARG;
    ps_image *res = NULL;
    ps_status st = ps_image_new(out_w, out_h, img->channels, 0, &res);
    if (st != PS_OK)
        return st;
    try {
        cv::Mat dst;
        warp_card(wrap(img), quad, out_w, out_h, 0, &dst, nullptr);
        cv::Mat o = wrap(res);
        dst.copyTo(o);
        *out = res;
        return PS_OK;
    } catch (const std::bad_alloc &) {
        ps_image_free(&res);
        return PS_E_NOMEM;
    } catch (...) {
        ps_image_free(&res);
        return PS_E_CV;
    }
}

ps_status ps_cv_skin_occlusion(const ps_image *img, const ps_point quad[4], const ps_box *face,
                               const ps_doc_rect *exclude, double margin, ps_occlusion *out)
{
    if (!out)
        return PS_E_ARG;
    std::memset(out, 0, sizeof *out);
    if (!valid_image(img) || img->channels != 3 || !quad_ok(quad) || margin > 0.45)
        return PS_E_ARG;
    try {
        skin_occlusion(img, quad, face, exclude, margin, out);
        return PS_OK;
    } catch (const std::bad_alloc &) {
        std::memset(out, 0, sizeof *out);
        return PS_E_NOMEM;
    } catch (...) {
        std::memset(out, 0, sizeof *out);
        return PS_E_CV;
    }
}

ps_status ps_cv_glare(const ps_image *img, const ps_point quad[4], const ps_doc_rect *exclude,
                      ps_glare *out)
{
    if (!out)
        return PS_E_ARG;
    std::memset(out, 0, sizeof *out);
    if (!valid_image(img) || img->channels != 3 || !quad_ok(quad))
        return PS_E_ARG;
    try {
        glare(img, quad, exclude, out);
        return PS_OK;
    } catch (const std::bad_alloc &) {
        std::memset(out, 0, sizeof *out);
        return PS_E_NOMEM;
    } catch (...) {
        std::memset(out, 0, sizeof *out);
        return PS_E_CV;
    }
}

ps_status ps_cv_window_percentile(const float *val, const uint8_t *ok, int w, int h, int r, int pct, float *out)
{
    if (!val || !ok || !out || w <= 0 || h <= 0 || r < 0 || pct < 0 || pct >= 100)
        return PS_E_ARG;
    return ps_cv_guard([&]() -> ps_status {
        cv::Mat v(h, w, CV_32F, const_cast<float *>(val)), m(h, w, CV_8U, const_cast<uint8_t *>(ok));
        cv::Mat o = window_percentile(v, m, r, pct);
        std::memcpy(out, o.ptr<float>(), sizeof(float) * (size_t)w * (size_t)h);
        return PS_OK;
    });
}

ps_status ps_cv_quad_iou(const ps_point a[4], const ps_point b[4], double *iou)
{
    if (!a || !b || !iou)
        return PS_E_ARG;
    *iou = 0;
    try {
        cv::Point2d qa[4], qb[4];
        for (int i = 0; i < 4; i++) {
            qa[i] = cv::Point2d(a[i].x, a[i].y);
            qb[i] = cv::Point2d(b[i].x, b[i].y);
        }
        *iou = quad_iou(qa, qb, nullptr);
        return PS_OK;
    } catch (...) {
        return PS_E_CV;
    }
}


} /* extern "C" */
