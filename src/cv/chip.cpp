// The EMV chip's place on a rectified card front (see chip.h).
#include <algorithm>
#include <cmath>
#include <vector>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include "cv/chip.h"
#include "cv/wrap.hpp"

namespace {

// Width the card is looked at: the plate is still 50 px across.
constexpr int kWork = 400;
// ID-1 card, mm: the shares below are of these.
constexpr double kCardW = 85.60, kCardH = 53.98;
// The plate's centre upright (ISO/IEC 7816-2 contacts at 10.25-22.0 mm from
// the left edge and 19.23-29.0 mm from the top, the plate a little around
// them), and how far a design or a rough outline may move it.
constexpr double kCx = 0.175, kCy = 0.42, kTolX = 0.07, kTolY = 0.10;
// Plate sizes seen on cards: 10-16 mm wide, 8-14 mm high; blur and a pale
// plate lose it a millimetre at each edge to the threshold.
constexpr double kMinW = 0.08, kMaxW = 0.20, kMinH = 0.11, kMaxH = 0.27;
// Lab distances from the card's ground that are the plate (gold or silver
// on any print), tried in turn: a blurred card smears the plate into the
// print round it (gc99 000053: the plate joined the number's first digits
// below it at 22, and stood alone at 35; gc2 000424 likewise), while the
// plate's own middle stays far from the ground. The share of its box a
// plate's hull fills (rounded corners) and its pixels at least ink.
constexpr double kInk[] = {22.0, 35.0, 50.0};
constexpr double kFill = 0.75, kInked = 0.45;
// The window's rim the ground is fitted to (px at kWork), and how far (Lab)
// a rim pixel may lie from the rim's median, then from each fitted plane.
constexpr int kRim = 3;
constexpr double kRimFar = 40.0, kRimFit = 20.0, kRimFit2 = 14.0;

// 1 when the pixels of window `win` (of a W x H card) at least `ink` from
// the ground (dist) hold a plate centred near (cx, cy).
bool plate_in(const cv::Mat &dist, double ink, const cv::Rect &win, int W, int H, double cx,
              double cy)
{
    cv::Mat mask = dist > ink;
    // the plate's contact lines and its engraving close over
    cv::morphologyEx(mask, mask, cv::MORPH_CLOSE, cv::Mat::ones(5, 5, CV_8U));
    cv::Mat labels, stats, cents;
    int n = cv::connectedComponentsWithStats(mask, labels, stats, cents, 8, CV_32S);
    for (int i = 1; i < n; i++) {
        int x = stats.at<int>(i, cv::CC_STAT_LEFT), y = stats.at<int>(i, cv::CC_STAT_TOP);
        int bw = stats.at<int>(i, cv::CC_STAT_WIDTH), bh = stats.at<int>(i, cv::CC_STAT_HEIGHT);
        double fw = (double)bw / W, fh = (double)bh / H;
        double mx = (win.x + x + bw / 2.0) / W, my = (win.y + y + bh / 2.0) / H;
        double aspect = fw * kCardW / (fh * kCardH);
        // a part of a larger print runs into the window's edge
        bool inside = x > 0 && y > 0 && x + bw < mask.cols && y + bh < mask.rows;
        if (!inside || fw < kMinW || fw > kMaxW || fh < kMinH || fh > kMaxH || aspect < 0.8 ||
            aspect > 1.7 || std::fabs(mx - cx) > kTolX || std::fabs(my - cy) > kTolY)
            continue;
        // a box filled by its hull (a plate's middle and the cuts between
        // its contacts may match the ground), and half of it inked: not a
        // ring, a line of text or a logo's curve
        cv::Mat part = labels(cv::Rect(x, y, bw, bh)) == i;
        std::vector<std::vector<cv::Point>> cs;
        cv::findContours(part, cs, cv::RETR_EXTERNAL, cv::CHAIN_APPROX_SIMPLE);
        double hull = 0;
        for (const auto &c : cs) {
            std::vector<cv::Point> h;
            cv::convexHull(c, h);
            hull = std::max(hull, cv::contourArea(h));
        }
        if (hull >= kFill * bw * bh && stats.at<int>(i, cv::CC_STAT_AREA) >= kInked * bw * bh)
            return true;
    }
    return false;
}

// 1 when a plate centred near (cx, cy) (card shares) stands out of the
// card's ground around it.
bool plate_at(const cv::Mat &lab, double cx, double cy)
{
    const int W = lab.cols, H = lab.rows;
    cv::Rect win((int)std::lround((cx - kTolX - kMaxW / 2) * W), (int)std::lround((cy - kTolY - kMaxH / 2) * H),
                 (int)std::lround((2 * kTolX + kMaxW) * W), (int)std::lround((2 * kTolY + kMaxH) * H));
    win &= cv::Rect(0, 0, W, H);
    if (win.width < 16 || win.height < 16)
        return false;
    cv::Mat w = lab(win);
    // The ground: a plane per Lab channel fitted to the window's rim. A
    // card lit from one side shades by 30 or more across the window, and a
    // single colour took the lit half for ink (gc2 000134: one blob filled
    // the window and the chip was lost). Rim pixels far from the rim's
    // median (the photo's ground past a loose outline, print) are left
    // out, then whatever the plane does not fit.
    std::vector<cv::Point> rim;
    for (int y = 0; y < w.rows; y++)
        for (int x = 0; x < w.cols; x++)
            if (y < kRim || y >= w.rows - kRim || x < kRim || x >= w.cols - kRim)
                rim.emplace_back(x, y);
    std::vector<uchar> ch[3];
    for (const cv::Point &p : rim)
        for (int c = 0; c < 3; c++)
            ch[c].push_back(w.at<cv::Vec3b>(p)[c]);
    double med[3];
    for (int c = 0; c < 3; c++) {
        auto mid = ch[c].begin() + ch[c].size() / 2;
        std::nth_element(ch[c].begin(), mid, ch[c].end());
        med[c] = *mid;
    }
    // plane[c] = (a, b, d): ground = a + b x + d y
    cv::Matx31d plane[3];
    for (int c = 0; c < 3; c++)
        plane[c] = cv::Matx31d(med[c], 0, 0);
    for (double lim : {kRimFar, kRimFit, kRimFit2}) {
        cv::Matx33d ata = cv::Matx33d::zeros();
        cv::Matx31d atb[3];
        int used = 0;
        for (const cv::Point &p : rim) {
            const cv::Vec3b &v = w.at<cv::Vec3b>(p);
            double d2 = 0;
            for (int c = 0; c < 3; c++) {
                double e = v[c] - (plane[c](0) + plane[c](1) * p.x + plane[c](2) * p.y);
                d2 += e * e;
            }
            if (d2 > lim * lim)
                continue;
            cv::Matx31d a(1, p.x, p.y);
            ata += a * a.t();
            for (int c = 0; c < 3; c++)
                atb[c] += a * (double)v[c];
            used++;
        }
        if (used < (int)rim.size() / 4)
            break; // the rim is no one ground: keep the last fit
        for (int c = 0; c < 3; c++)
            if (!cv::solve(ata, atb[c], plane[c], cv::DECOMP_CHOLESKY))
                plane[c] = cv::Matx31d(med[c], 0, 0);
    }
    cv::Mat dist(w.size(), CV_32F);
    for (int y = 0; y < w.rows; y++) {
        const cv::Vec3b *p = w.ptr<cv::Vec3b>(y);
        float *d = dist.ptr<float>(y);
        for (int x = 0; x < w.cols; x++) {
            double d2 = 0;
            for (int c = 0; c < 3; c++) {
                double e = p[x][c] - (plane[c](0) + plane[c](1) * x + plane[c](2) * y);
                d2 += e * e;
            }
            d[x] = (float)std::sqrt(d2);
        }
    }
    for (double ink : kInk)
        if (plate_in(dist, ink, win, W, H, cx, cy))
            return true;
    return false;
}

} // namespace

extern "C" ps_status ps_cv_card_chip_turn(const ps_image *card, int *turn)
{
    if (turn != nullptr)
        *turn = 0;
    if (card == nullptr || turn == nullptr || card->channels != 3 || card->width < 200 ||
        card->width < card->height)
        return PS_E_ARG;
    return ps_cv_guard([&]() -> ps_status {
        cv::Mat small, lab;
        int h = std::max(1, (int)std::lround((double)kWork * card->height / card->width));
        cv::resize(ps_cv_view(card), small, cv::Size(kWork, h), 0, 0, cv::INTER_AREA);
        cv::cvtColor(small, lab, cv::COLOR_RGB2Lab);
        bool up = plate_at(lab, kCx, kCy), down = plate_at(lab, 1 - kCx, 1 - kCy);
        *turn = up == down ? 0 : up ? 1 : -1;
        return PS_OK;
    });
}

// ---- the magnetic stripe of a card back ------------------------------------

namespace {

// ISO/IEC 7811-2 puts the stripe along the top long edge of the back,
// reaching to about 15-17 mm (0.28-0.32 of the height) from it; printed
// stripe bands run from the edge or a few mm below it. Allowed: a top edge
// within the top fifth (a rough outline, a card cut by the frame), a height
// of 9-36 % of the card's, the bottom edge above 42 %.
constexpr double kStripeTopMax = 0.20, kStripeMinH = 0.09, kStripeMaxH = 0.36,
                 kStripeBottomMax = 0.42;
// A stripe row: most of its pixels (the outline's few percent at either end
// and glare spots, 8-bit L at least kGlareL, left out; at least kSeen of the
// row seen) within kNear (Lab) of the row's median colour, a glare's halo or
// a thumb over part of it allowed, and within kJoin of the band's first row
// (a blurred edge's rows drift away from it). The band stands kApart from
// the card below it, looked at past the band's blurred edge (kGap), and
// from the margin above it when it does not start at the edge: dark on the
// usual light back, silver or gold on a dark one; a black stripe on a
// charcoal card is about 27 apart, the same ground on either side of a
// line of print under 10. A plain ground runs on into the card and is no
// stripe.
constexpr double kEnds = 0.04, kNear = 18.0, kUniform = 0.60, kSeen = 0.50, kApart = 20.0,
                 kJoin = 20.0, kGap = 0.02, kBelow = 0.08;
constexpr int kGlareL = 220;

double lab_dist(const cv::Vec3d &a, const cv::Vec3d &b)
{
    cv::Vec3d d = a - b;
    return std::sqrt(d.dot(d));
}

cv::Vec3d median_colour(const cv::Mat &lab, int y0, int y1, int x0, int x1)
{
    std::vector<uchar> ch[3];
    for (int y = y0; y < y1; y++) {
        const cv::Vec3b *p = lab.ptr<cv::Vec3b>(y);
        for (int x = x0; x < x1; x++)
            for (int c = 0; c < 3; c++)
                ch[c].push_back(p[x][c]);
    }
    cv::Vec3d m(0, 0, 0);
    for (int c = 0; c < 3 && !ch[c].empty(); c++) {
        auto mid = ch[c].begin() + ch[c].size() / 2;
        std::nth_element(ch[c].begin(), mid, ch[c].end());
        m[c] = *mid;
    }
    return m;
}

// 1 when the card (Lab, upright at this turn) shows a stripe band at the top.
bool stripe_at_top(const cv::Mat &lab)
{
    const int W = lab.cols, H = lab.rows;
    const int x0 = (int)std::lround(kEnds * W), x1 = W - x0;
    const int ylim = (int)std::lround(kStripeBottomMax * H);
    const int gap = std::max(1, (int)std::lround(kGap * H));
    const int below = std::max(2, (int)std::lround(kBelow * H));
    std::vector<cv::Vec3d> med(ylim);
    std::vector<bool> good(ylim, false);
    for (int y = 0; y < ylim; y++) {
        med[y] = median_colour(lab, y, y + 1, x0, x1);
        const cv::Vec3b *p = lab.ptr<cv::Vec3b>(y);
        int near = 0, seen = 0;
        for (int x = x0; x < x1; x++) {
            if (p[x][0] >= kGlareL)
                continue; // a glare spot hides the stripe, it does not end it
            seen++;
            near += lab_dist(cv::Vec3d(p[x][0], p[x][1], p[x][2]), med[y]) <= kNear;
        }
        good[y] = seen >= kSeen * (x1 - x0) && near >= kUniform * seen;
    }
    // runs of rows of the colour of their first, a stray row or two (a
    // scratch, glare) bridged
    for (int y = 0; y < ylim && y <= kStripeTopMax * H;) {
        if (!good[y]) {
            y++;
            continue;
        }
        int top = y, last = y;
        for (int k = y + 1; k < ylim && k <= last + 3; k++)
            if (good[k] && lab_dist(med[k], med[top]) <= kJoin)
                last = k;
        y = last + 1;
        int h = last - top + 1;
        if (h < kStripeMinH * H || h > kStripeMaxH * H || last + gap + below > H)
            continue;
        // a plain stretch of the card's own ground above a signature panel
        // differs from the panel below it, not from the ground above it
        cv::Vec3d band = median_colour(lab, top, last + 1, x0, x1);
        cv::Vec3d card = median_colour(lab, last + 1 + gap, last + 1 + gap + below, x0, x1);
        if (lab_dist(band, card) < kApart)
            continue;
        if (top > gap + 1) {
            cv::Vec3d margin = median_colour(lab, std::max(0, top - gap - below), top - gap, x0, x1);
            if (lab_dist(band, margin) < kApart)
                continue;
        }
        return true;
    }
    return false;
}

} // namespace

extern "C" ps_status ps_cv_card_stripe(const ps_image *card, int *turn)
{
    if (turn != nullptr)
        *turn = 0;
    if (card == nullptr || turn == nullptr || card->channels != 3 || card->width < 200 ||
        card->width < card->height)
        return PS_E_ARG;
    return ps_cv_guard([&]() -> ps_status {
        cv::Mat small, lab, flipped;
        int h = std::max(1, (int)std::lround((double)kWork * card->height / card->width));
        cv::resize(ps_cv_view(card), small, cv::Size(kWork, h), 0, 0, cv::INTER_AREA);
        cv::cvtColor(small, lab, cv::COLOR_RGB2Lab);
        cv::flip(lab, flipped, -1); // a half turn
        bool up = stripe_at_top(lab), down = stripe_at_top(flipped);
        *turn = up && down ? 2 : up ? 1 : down ? -1 : 0;
        return PS_OK;
    });
}
