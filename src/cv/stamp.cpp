// Round date stamps and their date bands (see stamp.h).
#include <algorithm>
#include <cmath>
#include <vector>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include "cv/stamp.h"
#include "cv/wrap.hpp"

namespace {

// Pages smaller than this hold no stamp worth looking for.
constexpr int kMinSide = 64;
// Long side the page is searched at: a ring of 2% of it is still 16 px.
constexpr int kWork = 800;
// Ring radius as a share of the page's long side: a 22 mm postmark on a
// 235 mm envelope is 0.047, on a 148 mm postcard 0.074.
constexpr double kRadiusMin = 0.02, kRadiusMax = 0.10;
// Hough's best rings looked at: a page's lettering gives many weak ones.
constexpr int kCandidates = 12;
// A bar is a row inked along most of the chord; printed text never is.
constexpr double kBarInk = 0.8;
// Stamps are pressed by hand: bars up to this far off the horizontal.
constexpr int kAngleMax = 40, kAngleStep = 4;
// Columns the bars are measured over: inside the ring at any bar height
// used (|dy| <= 0.75 r leaves a chord of 0.66 r), with room for a radius
// Hough got 10% wrong.
constexpr double kBarSpan = 0.55;

struct found {
    double score;
    int angle, top, bottom; // rows of the turned ROI: last row of the top
                            // bar, first row of the bottom one
};

// The bars of one ring: the turn at which two rows, one above and one
// below the centre, are most fully inked.
found find_bars(const cv::Mat &ink, cv::Point2f c, double r)
{
    found best = {0, 0, 0, 0};
    cv::Mat turned, prof;
    int x0 = std::max(0, (int)std::lround(c.x - kBarSpan * r));
    int x1 = std::min(ink.cols, (int)std::lround(c.x + kBarSpan * r));
    if (x1 - x0 < 4)
        return best;
    for (int a = -kAngleMax; a <= kAngleMax; a += kAngleStep) {
        cv::Mat m = cv::getRotationMatrix2D(c, a, 1.0);
        cv::warpAffine(ink, turned, m, ink.size(), cv::INTER_NEAREST, cv::BORDER_CONSTANT, 0);
        cv::reduce(turned.colRange(x0, x1), prof, 1, cv::REDUCE_AVG, CV_32F);
        int ya = -1, yb = -1;
        float pa = 0, pb = 0;
        for (int y = 0; y < prof.rows; y++) {
            double dy = y - c.y;
            float v = prof.at<float>(y) / 255.0f;
            if (dy > -0.75 * r && dy < -0.1 * r && v > pa)
                pa = v, ya = y;
            if (dy > 0.1 * r && dy < 0.75 * r && v > pb)
                pb = v, yb = y;
        }
        double s = std::min(pa, pb);
        if (ya < 0 || yb < 0 || s <= best.score)
            continue;
        // the band's rows: inward from each bar's peak while still inked
        int t = ya, b = yb;
        while (t + 1 < yb && prof.at<float>(t + 1) / 255.0f > 0.5f * pa)
            t++;
        while (b - 1 > ya && prof.at<float>(b - 1) / 255.0f > 0.5f * pb)
            b--;
        best = {s, a, t, b};
    }
    return best;
}

// The glyphs of a band, set dark on white and cut to their span: the
// ring's arcs, the bars' remains and print under the stamp touch the band's
// edges or fill its height; specks are kept only between the digits
// (the dots of 7.10.30 sit there).
cv::Mat clean_band(const cv::Mat &band, int *glyph_h)
{
    cv::Mat bin, lab, stats, cent;
    cv::threshold(band, bin, 0, 255, cv::THRESH_BINARY_INV | cv::THRESH_OTSU);
    int n = cv::connectedComponentsWithStats(bin, lab, stats, cent, 8, CV_32S);
    const int h = band.rows;
    std::vector<int> keep;
    int tallest = 0;
    for (int i = 1; i < n; i++) {
        int x = stats.at<int>(i, cv::CC_STAT_LEFT), y = stats.at<int>(i, cv::CC_STAT_TOP);
        int w = stats.at<int>(i, cv::CC_STAT_WIDTH), hh = stats.at<int>(i, cv::CC_STAT_HEIGHT);
        if (x <= 0 || y <= 0 || x + w >= band.cols || y + hh >= h || hh > 0.9 * h)
            continue;
        keep.push_back(i);
        tallest = std::max(tallest, hh);
    }
    *glyph_h = 0;
    if (tallest < 6)
        return cv::Mat();
    int gx0 = band.cols, gx1 = -1, gy0 = h, gy1 = -1;
    for (int i : keep) {
        int hh = stats.at<int>(i, cv::CC_STAT_HEIGHT);
        if (hh < 0.45 * tallest)
            continue;
        int x = stats.at<int>(i, cv::CC_STAT_LEFT), y = stats.at<int>(i, cv::CC_STAT_TOP);
        gx0 = std::min(gx0, x);
        gx1 = std::max(gx1, x + stats.at<int>(i, cv::CC_STAT_WIDTH));
        gy0 = std::min(gy0, y);
        gy1 = std::max(gy1, y + hh);
    }
    cv::Mat mask = cv::Mat::zeros(h, band.cols, CV_8UC1);
    for (int i : keep) {
        int hh = stats.at<int>(i, cv::CC_STAT_HEIGHT);
        double cx = cent.at<double>(i, 0), cy = cent.at<double>(i, 1);
        if (hh < 0.45 * tallest &&
            (cx < gx0 || cx > gx1 || cy < gy0 + 0.5 * (gy1 - gy0) || cy > gy1))
            continue; // a speck outside the digits, or above their baseline half
        mask.setTo(255, lab == i);
    }
    // the glyphs keep their grey edges: tesseract reads anti-aliased
    // strokes better than the threshold's (a bold 1 turns into a 3)
    cv::dilate(mask, mask, cv::Mat());
    cv::Mat out(h, band.cols, CV_8UC1, cv::Scalar(255));
    band.copyTo(out, mask);
    int pad = tallest / 2;
    cv::Rect span(std::max(0, gx0 - pad), 0, 0, h);
    span.width = std::min(band.cols, gx1 + pad) - span.x;
    cv::Mat res(h + 2 * pad, span.width + 2 * pad, CV_8UC1, cv::Scalar(255));
    out(span).copyTo(res(cv::Rect(pad, pad, span.width, h)));
    *glyph_h = tallest;
    return res;
}

ps_status to_image(const cv::Mat &m, ps_image **out)
{
    ps_status st = ps_image_new(m.cols, m.rows, 1, 0, out);
    if (st != PS_OK)
        return st;
    cv::Mat dst = ps_cv_view(*out);
    m.copyTo(dst);
    return PS_OK;
}

} // namespace

extern "C" void ps_cv_stamps_free(ps_cv_stamp *stamps, int n)
{
    for (int i = 0; stamps != nullptr && i < n; i++)
        ps_image_free(&stamps[i].band);
}

extern "C" ps_status ps_cv_find_date_stamps(const ps_image *page, ps_cv_stamp *out, int max,
                                            int *n)
{
    if (n == nullptr)
        return PS_E_ARG;
    *n = 0;
    if (page == nullptr || out == nullptr || max <= 0 || max > PS_CV_STAMP_MAX ||
        page->data == nullptr || (page->channels != 1 && page->channels != 3))
        return PS_E_ARG;
    for (int i = 0; i < max; i++)
        out[i] = ps_cv_stamp{};
    if (page->width < kMinSide || page->height < kMinSide)
        return PS_OK; /* no stamp fits: none found */
    ps_status st = ps_cv_guard([&]() -> ps_status {
        cv::Mat gray;
        cv::Mat v = ps_cv_view(page);
        if (page->channels == 3)
            cv::cvtColor(v, gray, cv::COLOR_RGB2GRAY);
        else
            gray = v;
        int side = std::max(page->width, page->height);
        double s = std::min(1.0, (double)kWork / side);
        cv::Mat small;
        cv::resize(gray, small, cv::Size(), s, s, cv::INTER_AREA);
        cv::GaussianBlur(small, small, cv::Size(5, 5), 1.2);
        int work_side = std::max(small.cols, small.rows);
        int rmin = std::max(8, (int)(kRadiusMin * work_side));
        int rmax = std::max(rmin + 1, (int)(kRadiusMax * work_side));
        std::vector<cv::Vec3f> rings;
        cv::HoughCircles(small, rings, cv::HOUGH_GRADIENT, 1, 2.0 * rmin, 120, 25, rmin, rmax);
        if (rings.size() > (size_t)kCandidates)
            rings.resize(kCandidates);

        struct cand { double score; cv::Rect circle; cv::Mat band; int glyph_h; };
        std::vector<cand> got;
        for (const cv::Vec3f &ring : rings) {
            double cx = ring[0] / s, cy = ring[1] / s, r = ring[2] / s;
            bool seen = false;
            for (const cand &g : got)
                seen |= std::hypot(g.circle.x + g.circle.width / 2.0 - cx,
                                   g.circle.y + g.circle.height / 2.0 - cy) < r;
            if (seen)
                continue;
            cv::Rect roi((int)(cx - 1.1 * r), (int)(cy - 1.1 * r), (int)(2.2 * r),
                         (int)(2.2 * r));
            roi &= cv::Rect(0, 0, gray.cols, gray.rows);
            if (roi.width < 16 || roi.height < 16)
                continue;
            // Background divided out over a quarter radius: the bars and
            // glyph strokes are far thinner, a postage stamp under the
            // ring far larger, so it turns white with the paper.
            cv::Mat g32, bg, flat;
            gray(roi).convertTo(g32, CV_32F);
            int k = std::max(3, (int)(0.25 * r)) | 1;
            cv::morphologyEx(g32, bg, cv::MORPH_CLOSE,
                             cv::getStructuringElement(cv::MORPH_RECT, cv::Size(k, k)));
            cv::max(bg, 1.0, bg);
            cv::divide(g32, bg, flat, 255.0);
            flat.convertTo(flat, CV_8U);
            cv::Mat ink;
            cv::threshold(flat, ink, 0, 255, cv::THRESH_BINARY_INV | cv::THRESH_OTSU);
            cv::Point2f c((float)(cx - roi.x), (float)(cy - roi.y));
            found f = find_bars(ink, c, r);
            if (f.score < kBarInk || f.bottom - f.top < 0.15 * r || f.bottom - f.top > r)
                continue;
            cv::Mat turned;
            cv::warpAffine(flat, turned, cv::getRotationMatrix2D(c, f.angle, 1.0), flat.size(),
                           cv::INTER_LINEAR, cv::BORDER_CONSTANT, 255);
            double far_dy = std::max(std::fabs(f.top - c.y), std::fabs(f.bottom - c.y));
            double half = 0.92 * std::sqrt(std::max(0.0, r * r - far_dy * far_dy));
            cv::Rect band((int)(c.x - half), f.top + 1, (int)(2 * half), f.bottom - f.top - 1);
            band &= cv::Rect(0, 0, turned.cols, turned.rows);
            if (band.width < 8 || band.height < 6)
                continue;
            int gh = 0;
            cv::Mat clean = clean_band(turned(band), &gh);
            if (clean.empty())
                continue;
            cv::Rect box((int)(cx - r), (int)(cy - r), (int)(2 * r), (int)(2 * r));
            got.push_back({f.score, box & cv::Rect(0, 0, gray.cols, gray.rows), clean, gh});
        }
        std::stable_sort(got.begin(), got.end(),
                         [](const cand &a, const cand &b) { return a.score > b.score; });
        for (const cand &g : got) {
            if (*n >= max)
                break;
            ps_cv_stamp *o = &out[*n];
            ps_status s2 = to_image(g.band, &o->band);
            if (s2 != PS_OK)
                return s2;
            o->circle = ps_box{g.circle.x, g.circle.y, g.circle.width, g.circle.height};
            o->score = g.score;
            o->glyph_h = g.glyph_h;
            (*n)++;
        }
        return PS_OK;
    });
    if (st != PS_OK) {
        ps_cv_stamps_free(out, *n);
        *n = 0;
    }
    return st;
}
