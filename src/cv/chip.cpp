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
// Lab distance from the card's ground that is the plate (gold or silver on
// any print); the share of its box a plate's hull fills (rounded corners)
// and its pixels at least ink.
constexpr double kInk = 22.0, kFill = 0.75, kInked = 0.45;

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
    // the ground: the median colour along the window's edge
    std::vector<uchar> ch[3];
    for (int y = 0; y < w.rows; y++)
        for (int x = 0; x < w.cols; x++) {
            if (y > 2 && y < w.rows - 3 && x > 2 && x < w.cols - 3)
                continue;
            const cv::Vec3b &p = w.at<cv::Vec3b>(y, x);
            for (int c = 0; c < 3; c++)
                ch[c].push_back(p[c]);
        }
    double g[3];
    for (int c = 0; c < 3; c++) {
        auto mid = ch[c].begin() + ch[c].size() / 2;
        std::nth_element(ch[c].begin(), mid, ch[c].end());
        g[c] = *mid;
    }
    cv::Mat mask(w.size(), CV_8U, cv::Scalar(0));
    for (int y = 0; y < w.rows; y++) {
        const cv::Vec3b *p = w.ptr<cv::Vec3b>(y);
        uchar *m = mask.ptr<uchar>(y);
        for (int x = 0; x < w.cols; x++) {
            double d0 = p[x][0] - g[0], d1 = p[x][1] - g[1], d2 = p[x][2] - g[2];
            m[x] = std::sqrt(d0 * d0 + d1 * d1 + d2 * d2) > kInk ? 255 : 0;
        }
    }
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
        bool inside = x > 0 && y > 0 && x + bw < w.cols && y + bh < w.rows;
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
