// Machine-readable zone bands in a whole photo (see mrzband.h).
#include <algorithm>
#include <cmath>
#include <vector>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include "cv/mrzband.h"
#include "cv/wrap.hpp"

namespace {

// Long side the photo is searched at: a page a third of the frame wide
// still has OCR-B characters 6-7 px wide.
constexpr int kWork = 1000;
// Turns the closing kernels are laid along (degrees): a band within 10
// degrees of one of them closes into one bar.
constexpr int kAngles[] = {0, -20, 20};
// A line of the zone: long side at least this share of the photo's short
// side, and at least this many times its thickness (44 characters closed
// into a bar measure 25-40); the share of its rotated box it fills (the
// closing leaves gaps between characters).
constexpr double kMinLen = 0.2, kMinAspect = 12.0, kMinFill = 0.45;
// Two lines of one zone: lengths within this share, centres this far apart
// along the lines (share of the length), and this many line thicknesses
// apart across them (printed 1.5-2.5 glyph heights apart; the closed bar is
// a little taller than the glyphs).
constexpr double kPairLen = 0.2, kPairAlong = 0.15, kPairMin = 1.2, kPairMax = 8.0;
// Growth around the pair: of a line's thickness across, of the length along.
constexpr double kGrowAcross = 1.0, kGrowAlong = 0.03;

struct band {
    cv::Point2f c[4]; // TL, TR, BR, BL in the photo at working scale
    double len; // along the lines: the longer, the likelier
};

// The text lines on gray `g` (already turned so the zone runs level): dark
// strokes on light paper (black-hat), their horizontal gradients, closed
// along the line into bars.
std::vector<cv::RotatedRect> lines(const cv::Mat &g, double min_len)
{
    cv::Mat bh, gx, th;
    cv::morphologyEx(g, bh, cv::MORPH_BLACKHAT, cv::getStructuringElement(cv::MORPH_RECT, cv::Size(13, 5)));
    cv::Sobel(bh, gx, CV_32F, 1, 0, 3);
    gx = cv::abs(gx);
    double mx = 0;
    cv::minMaxLoc(gx, nullptr, &mx);
    if (mx <= 0)
        return {};
    gx.convertTo(gx, CV_8U, 255.0 / mx);
    cv::morphologyEx(gx, gx, cv::MORPH_CLOSE, cv::getStructuringElement(cv::MORPH_RECT, cv::Size(21, 5)));
    cv::threshold(gx, th, 0, 255, cv::THRESH_BINARY | cv::THRESH_OTSU);
    cv::morphologyEx(th, th, cv::MORPH_CLOSE, cv::getStructuringElement(cv::MORPH_RECT, cv::Size(25, 3)));
    std::vector<std::vector<cv::Point>> cs;
    cv::findContours(th, cs, cv::RETR_EXTERNAL, cv::CHAIN_APPROX_SIMPLE);
    std::vector<cv::RotatedRect> out;
    for (const auto &c : cs) {
        cv::RotatedRect r = cv::minAreaRect(c);
        double l = std::max(r.size.width, r.size.height), t = std::min(r.size.width, r.size.height);
        if (l < min_len || t < 3 || l < kMinAspect * t)
            continue;
        // level in this turn: the long side within 12 degrees of horizontal
        double ang = r.size.width >= r.size.height ? r.angle : r.angle + 90;
        while (ang > 90)
            ang -= 180;
        while (ang < -90)
            ang += 180;
        if (std::fabs(ang) > 12)
            continue;
        if (cv::contourArea(c) < kMinFill * l * t)
            continue;
        out.push_back(r);
    }
    return out;
}

// Two level lines of one zone, as the rotated box around both (grown).
bool pair_box(const cv::RotatedRect &a, const cv::RotatedRect &b, cv::RotatedRect *out)
{
    double la = std::max(a.size.width, a.size.height), lb = std::max(b.size.width, b.size.height);
    double t = std::max(std::min(a.size.width, a.size.height), std::min(b.size.width, b.size.height));
    if (std::fabs(la - lb) > kPairLen * std::max(la, lb))
        return false;
    double dx = std::fabs(a.center.x - b.center.x), dy = std::fabs(a.center.y - b.center.y);
    if (dx > kPairAlong * std::max(la, lb) || dy < kPairMin * t || dy > kPairMax * t)
        return false;
    cv::Point2f p[8];
    a.points(p);
    b.points(p + 4);
    std::vector<cv::Point2f> v(p, p + 8);
    cv::RotatedRect r = cv::minAreaRect(v);
    bool wide = r.size.width >= r.size.height;
    double l = std::max(r.size.width, r.size.height) * (1 + 2 * kGrowAlong);
    double h = std::min(r.size.width, r.size.height) + 2 * kGrowAcross * t;
    r.size = wide ? cv::Size2f((float)l, (float)h) : cv::Size2f((float)h, (float)l);
    *out = r;
    return true;
}

// Corners of r ordered TL, TR, BR, BL with the long side left to right (in
// the frame r was measured in, where it lies within 45 degrees of level).
void corners(const cv::RotatedRect &r, cv::Point2f out[4])
{
    cv::Point2f p[4];
    r.points(p);
    std::sort(p, p + 4, [](const cv::Point2f &a, const cv::Point2f &b) { return a.y < b.y; });
    cv::Point2f top[2] = {p[0], p[1]}, bot[2] = {p[2], p[3]};
    if (top[0].x > top[1].x)
        std::swap(top[0], top[1]);
    if (bot[0].x > bot[1].x)
        std::swap(bot[0], bot[1]);
    out[0] = top[0];
    out[1] = top[1];
    out[2] = bot[1];
    out[3] = bot[0];
}

} // namespace

extern "C" ps_status ps_cv_find_mrz_bands(const ps_image *img, ps_point (*out)[4], int max, int *n)
{
    if (n != nullptr)
        *n = 0;
    if (img == nullptr || out == nullptr || n == nullptr || max < 1 || max > PS_CV_MRZ_MAX ||
        (img->channels != 1 && img->channels != 3))
        return PS_E_ARG;
    return ps_cv_guard([&]() -> ps_status {
        cv::Mat src = ps_cv_view(img), g;
        if (img->channels == 3)
            cv::cvtColor(src, g, cv::COLOR_RGB2GRAY);
        else
            g = src;
        double s = (double)kWork / std::max(img->width, img->height);
        if (s < 1)
            cv::resize(g, g, cv::Size(), s, s, cv::INTER_AREA);
        else
            s = 1;
        double min_len = kMinLen * std::min(g.cols, g.rows);
        std::vector<band> found;
        cv::Point2f ctr(g.cols / 2.0f, g.rows / 2.0f);
        for (int a : kAngles) {
            cv::Mat rot = cv::getRotationMatrix2D(ctr, a, 1.0), inv, turned;
            cv::invertAffineTransform(rot, inv);
            if (a == 0)
                turned = g;
            else
                cv::warpAffine(g, turned, rot, g.size(), cv::INTER_LINEAR, cv::BORDER_REPLICATE);
            std::vector<cv::RotatedRect> ls = lines(turned, min_len), zones;
            for (size_t i = 0; i < ls.size(); i++)
                for (size_t j = i + 1; j < ls.size(); j++) {
                    cv::RotatedRect z;
                    if (pair_box(ls[i], ls[j], &z))
                        zones.push_back(z);
                }
            for (const cv::RotatedRect &r : zones) {
                band b;
                cv::Point2f c[4];
                corners(r, c);
                std::vector<cv::Point2f> in(c, c + 4), back;
                cv::transform(in, back, inv);
                for (int k = 0; k < 4; k++)
                    b.c[k] = back[k];
                b.len = std::max(r.size.width, r.size.height);
                // the same band seen at two turns: keep the longer
                bool dup = false;
                cv::Point2f m = (b.c[0] + b.c[2]) * 0.5f;
                for (band &o : found) {
                    cv::Point2f mo = (o.c[0] + o.c[2]) * 0.5f;
                    if (cv::norm(m - mo) < 0.25 * std::min(b.len, o.len)) {
                        if (b.len > o.len)
                            o = b;
                        dup = true;
                        break;
                    }
                }
                if (!dup)
                    found.push_back(b);
            }
        }
        std::sort(found.begin(), found.end(), [](const band &x, const band &y) { return x.len > y.len; });
        int k = 0;
        for (const band &b : found) {
            if (k >= max)
                break;
            for (int i = 0; i < 4; i++)
                out[k][i] = ps_point{b.c[i].x / s, b.c[i].y / s};
            k++;
        }
        *n = k;
        return PS_OK;
    });
}
