// QR codes for redaction: OpenCV's QRCodeDetector, then finder patterns.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <string>
#include <vector>

#include <opencv2/imgproc.hpp>
#include <opencv2/objdetect.hpp>

#include "cv/qr.h"
#include "cv/wrap.hpp"
#include "prescreen/redact.h"

namespace {

// Digits of a decoded payload compared with the My Number's shape: any run
// of exactly 12 digits with a valid check digit.
int payload_is_mynumber(const std::string &s)
{
    int found = 0;
    size_t i = 0;
    while (i < s.size()) {
        if (s[i] < '0' || s[i] > '9') {
            i++;
            continue;
        }
        size_t j = i;
        while (j < s.size() && s[j] >= '0' && s[j] <= '9')
            j++;
        if (j - i == 12) { // the My Number's length
            char d[13];
            std::copy(s.begin() + (long)i, s.begin() + (long)j, d);
            d[12] = '\0';
            found |= ps_mynumber_valid(d);
            volatile char *v = d;
            for (int k = 0; k < 13; k++)
                v[k] = 0;
        }
        i = j;
    }
    return found;
}

// Overwrites a string's bytes before it is released.
void wipe(std::string &s)
{
    volatile char *v = s.empty() ? nullptr : &s[0];
    for (size_t k = 0; k < s.size(); k++)
        v[k] = 0;
    s.clear();
}

// OpenCV decodes QR codes only when built with quirc; without it decode()
// prints a notice on stdout (which carries the CLI's JSON), so it is called
// only when the build information names quirc.
bool can_decode()
{
    static const bool yes = [] {
        std::string b = cv::getBuildInformation();
        std::transform(b.begin(), b.end(), b.begin(), [](unsigned char c) { return (char)std::tolower(c); });
        return b.find("quirc") != std::string::npos;
    }();
    return yes;
}

struct Finder {
    cv::Point2f c;   // centre
    float size;      // side of the outer square
};

// A finder pattern is a dark square ring, a light ring and a dark core
// (1:1:3:1:1): a contour with a child with a grandchild, all roughly square,
// with the outer/inner area ratio of 49/9 (we accept a wide band: blur and
// perspective change it).
std::vector<Finder> finder_patterns(const cv::Mat &gray)
{
    cv::Mat bin;
    int block = std::max(3, (std::min(gray.cols, gray.rows) / 16) | 1); // odd, ~1/16 of the side
    cv::adaptiveThreshold(gray, bin, 255, cv::ADAPTIVE_THRESH_MEAN_C, cv::THRESH_BINARY_INV, block,
                          7); // 7 grey levels under the local mean counts as ink
    std::vector<std::vector<cv::Point>> cs;
    std::vector<cv::Vec4i> hier;
    cv::findContours(bin, cs, hier, cv::RETR_TREE, cv::CHAIN_APPROX_SIMPLE);
    std::vector<Finder> out;
    for (size_t i = 0; i < cs.size(); i++) {
        int child = hier[i][2];
        if (child < 0 || hier[(size_t)child][2] < 0)
            continue;
        int grand = hier[(size_t)child][2];
        double a0 = cv::contourArea(cs[i]), a2 = cv::contourArea(cs[(size_t)grand]);
        if (a0 < 36 || a2 < 4) // under 6x6 px the pattern cannot be told from noise
            continue;
        double ratio = a0 / a2;
        if (ratio < 2.0 || ratio > 12.0) // 49/9 = 5.4 when sharp and square
            continue;
        cv::RotatedRect rr = cv::minAreaRect(cs[i]);
        float w = rr.size.width, h = rr.size.height;
        if (w < 1 || h < 1 || w / h > 1.6f || h / w > 1.6f) // square within perspective
            continue;
        if (a0 < 0.6 * (double)w * h) // filled like a square, not a ring of text
            continue;
        out.push_back({rr.center, std::sqrt(w * h)});
    }
    return out;
}

// Three patterns of similar size forming a right isosceles triangle.
bool pick_triple(const std::vector<Finder> &f, cv::Point2f quad[4])
{
    for (size_t a = 0; a < f.size(); a++)
        for (size_t b = 0; b < f.size(); b++)
            for (size_t c = b + 1; c < f.size(); c++) {
                if (a == b || a == c)
                    continue;
                float s = f[a].size;
                if (std::fabs(f[b].size - s) > 0.4f * s || std::fabs(f[c].size - s) > 0.4f * s)
                    continue;
                cv::Point2f u = f[b].c - f[a].c, v = f[c].c - f[a].c;
                double lu = std::hypot(u.x, u.y), lv = std::hypot(v.x, v.y);
                if (lu < 2.5 * s || lv < 2.5 * s) // a code is at least 21 modules = 3 patterns wide
                    continue;
                if (lu / lv > 1.4 || lv / lu > 1.4) // a square code, some perspective
                    continue;
                double cosang = (u.x * v.x + u.y * v.y) / (lu * lv);
                if (std::fabs(cosang) > 0.35) // right angle within about 20 degrees
                    continue;
                cv::Point2f d = f[b].c + v;
                cv::Point2f pts[4] = {f[a].c, f[b].c, d, f[c].c};
                float x0 = pts[0].x, x1 = x0, y0 = pts[0].y, y1 = y0;
                for (auto &p : pts) {
                    x0 = std::min(x0, p.x);
                    x1 = std::max(x1, p.x);
                    y0 = std::min(y0, p.y);
                    y1 = std::max(y1, p.y);
                }
                float m = s * 0.75f; // centres are half a pattern in from the code's edge
                quad[0] = {x0 - m, y0 - m};
                quad[1] = {x1 + m, y0 - m};
                quad[2] = {x1 + m, y1 + m};
                quad[3] = {x0 - m, y1 + m};
                return true;
            }
    return false;
}

} // namespace

extern "C" ps_status ps_cv_qr_find(const ps_image *img, const ps_box *roi, ps_cv_qr *out)
{
    if (out == nullptr)
        return PS_E_ARG;
    *out = ps_cv_qr{};
    if (img == nullptr || img->data == nullptr || (img->channels != 1 && img->channels != 3))
        return PS_E_ARG;
    return ps_cv_guard([&]() -> ps_status {
        cv::Mat m = ps_cv_view(img);
        cv::Rect r(0, 0, m.cols, m.rows);
        if (roi != nullptr && roi->w > 0 && roi->h > 0)
            r &= cv::Rect(roi->x, roi->y, roi->w, roi->h);
        if (r.width < 21 || r.height < 21) // smaller than one module per pixel of a version-1 code
            return PS_OK;
        cv::Mat gray;
        if (m.channels() == 3)
            cv::cvtColor(m(r), gray, cv::COLOR_RGB2GRAY);
        else
            gray = m(r).clone();
        cv::QRCodeDetector det;
        std::vector<cv::Point2f> pts;
        if (det.detect(gray, pts) && pts.size() == 4) {
            out->found = 1;
            for (int i = 0; i < 4; i++)
                out->quad[i] = {pts[(size_t)i].x + r.x, pts[(size_t)i].y + r.y};
            std::string payload = can_decode() ? det.decode(gray, pts) : std::string();
            if (!payload.empty()) {
                out->decoded = 1;
                out->payload_mynumber = payload_is_mynumber(payload);
            }
            wipe(payload);
        }
        std::vector<Finder> f = finder_patterns(gray);
        out->finder_patterns = (int)f.size();
        if (!out->found) {
            cv::Point2f q[4];
            if (pick_triple(f, q)) {
                out->found = 1;
                for (int i = 0; i < 4; i++)
                    out->quad[i] = {q[i].x + r.x, q[i].y + r.y};
            }
        }
        return PS_OK;
    });
}
