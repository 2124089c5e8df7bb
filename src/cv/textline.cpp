// Text bands and glyph re-setting for card number lines (see textline.h).
#include <algorithm>
#include <cmath>
#include <vector>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include "cv/textline.h"
#include "cv/wrap.hpp"

namespace {

// ps_cv_line_group_blobs(): the least width of a group's blob, in its
// heights (a single digit is narrower than tall).
constexpr double kGroupMinWide = 0.8;
// ... and the rows the band's own tone is blurred at.
constexpr double kGroupBgRows = 12.0;

cv::Mat gray_of(const ps_image *img, const cv::Rect &r)
{
    cv::Mat v = ps_cv_view(img)(r), g;
    if (img->channels == 3)
        cv::cvtColor(v, g, cv::COLOR_RGB2GRAY);
    else
        g = v.clone();
    return g;
}

// Component i's box from connectedComponentsWithStats()' stats.
cv::Rect component_box(const cv::Mat &st, int i)
{
    return {st.at<int>(i, cv::CC_STAT_LEFT), st.at<int>(i, cv::CC_STAT_TOP), st.at<int>(i, cv::CC_STAT_WIDTH),
            st.at<int>(i, cv::CC_STAT_HEIGHT)};
}

cv::Rect rect_of(const ps_image *img, ps_box b)
{
    cv::Rect r(b.x, b.y, b.w, b.h);
    return r & cv::Rect(0, 0, img->width, img->height);
}

// A glyph's ink (255 on 0) without the marks standing alone in its holes:
// a dotted or slashed zero's dot or bar, which tesseract reads as one more
// digit once a resampling parts it from the ring. Only what lies wholly in
// the holes of the glyph's largest piece goes.
cv::Mat glyph_without_inner_marks(const cv::Mat &ink)
{
    cv::Mat lab, st, cen;
    int nc = cv::connectedComponentsWithStats(ink, lab, st, cen, 8, CV_32S);
    if (nc <= 2)
        return ink;
    int big = 1;
    for (int i = 2; i < nc; i++)
        if (st.at<int>(i, cv::CC_STAT_AREA) > st.at<int>(big, cv::CC_STAT_AREA))
            big = i;
    // the largest piece's holes: what its outside cannot reach
    cv::Mat outside = cv::Mat::zeros(ink.rows + 2, ink.cols + 2, CV_8U);
    cv::Mat body = (lab == big);
    body.copyTo(outside(cv::Rect(1, 1, ink.cols, ink.rows)));
    cv::floodFill(outside, cv::Point(0, 0), 128);
    cv::Mat reach = outside(cv::Rect(1, 1, ink.cols, ink.rows)) == 128;
    cv::Mat out = ink.clone();
    for (int i = 1; i < nc; i++) {
        if (i == big)
            continue;
        cv::Mat piece = (lab == i);
        if (cv::countNonZero(piece & reach) == 0)
            out.setTo(0, piece);
    }
    return out;
}

} // namespace

extern "C" ps_status ps_cv_text_bands(const ps_image *img, ps_box zone, int min_h, ps_box *bands,
                                      int max, int *n)
{
    if (n == nullptr)
        return PS_E_ARG;
    *n = 0;
    if (img == nullptr || bands == nullptr || max <= 0 || min_h < 1)
        return PS_E_ARG;
    return ps_cv_guard([&]() -> ps_status {
        cv::Rect r = rect_of(img, zone);
        if (r.width < 8 || r.height < min_h)
            return PS_OK;
        cv::Mat g = gray_of(img, r), sx;
        cv::Sobel(g, sx, CV_32F, 1, 0, 3);
        sx = cv::abs(sx);
        cv::Mat prof;
        cv::reduce(sx, prof, 1, cv::REDUCE_AVG, CV_32F);
        // Smooth over about a quarter of the smallest line: the gaps between
        // a glyph's strokes must not split a band.
        int k = std::max(3, min_h * 3 / 4) | 1;
        cv::blur(prof, prof, cv::Size(1, k));
        cv::Scalar mean, sd;
        cv::meanStdDev(prof, mean, sd);
        // Above the mean by a third of a deviation: text rows, not the
        // card's print or texture (tuned on flat and embossed fronts).
        float thr = (float)(mean[0] + 0.3 * sd[0]);
        struct cand { int y0, y1; double e; };
        std::vector<cand> c;
        for (int y = 0; y < prof.rows;) {
            if (prof.at<float>(y) <= thr) {
                y++;
                continue;
            }
            int y1 = y;
            double e = 0;
            while (y1 < prof.rows && prof.at<float>(y1) > thr)
                e += prof.at<float>(y1++);
            if (y1 - y >= min_h)
                c.push_back({y, y1, e});
            y = y1;
        }
        std::sort(c.begin(), c.end(), [](const cand &a, const cand &b) { return a.e > b.e; });
        for (const cand &b : c) {
            if (*n >= max)
                break;
            bands[(*n)++] = ps_box{r.x, r.y + b.y0, r.width, b.y1 - b.y0};
        }
        return PS_OK;
    });
}

extern "C" ps_status ps_cv_line_reset(const ps_image *img, ps_box band, int light_text,
                                      ps_cv_line *out)
{
    if (out == nullptr)
        return PS_E_ARG;
    out->line = nullptr;
    out->n = 0;
    if (img == nullptr)
        return PS_E_ARG;
    return ps_cv_guard([&]() -> ps_status {
        cv::Rect r = rect_of(img, band);
        if (r.width < 8 || r.height < 8)
            return PS_OK;
        cv::Mat g = gray_of(img, r);
        if (light_text)
            g = 255 - g;
        // Divide out the background: a closing wider than a stroke leaves the
        // local card tone; text then thresholds like ink on paper.
        int k = std::max(5, r.height * 3 / 5) | 1;
        cv::Mat bg, flat;
        cv::morphologyEx(g, bg, cv::MORPH_CLOSE, cv::getStructuringElement(cv::MORPH_RECT, {k, k}));
        g.convertTo(flat, CV_32F);
        cv::Mat bgf;
        bg.convertTo(bgf, CV_32F);
        cv::max(bgf, 1.0, bgf);
        flat = flat / bgf * 255.0;
        flat.convertTo(flat, CV_8U);
        cv::Mat sm, bw;
        cv::GaussianBlur(flat, sm, {3, 3}, 0);
        cv::threshold(sm, bw, 0, 255, cv::THRESH_BINARY_INV | cv::THRESH_OTSU);
        cv::Mat lab, st, cen;
        int nc = cv::connectedComponentsWithStats(bw, lab, st, cen, 8, CV_32S);
        std::vector<cv::Rect> boxes;
        for (int i = 1; i < nc; i++) {
            int w = st.at<int>(i, cv::CC_STAT_WIDTH), h = st.at<int>(i, cv::CC_STAT_HEIGHT);
            int a = st.at<int>(i, cv::CC_STAT_AREA);
            // A glyph: most of the band's height, no wider than tall (the
            // band edge, a stripe or a logo is), not a speck.
            if (h < r.height * 35 / 100 || h > r.height * 95 / 100 || w > h || a < 20)
                continue;
            boxes.push_back(component_box(st, i));
        }
        std::sort(boxes.begin(), boxes.end(), [](const cv::Rect &a, const cv::Rect &b) { return a.x < b.x; });
        std::vector<cv::Rect> m; // glyphs in pieces (a broken stroke) overlap in x
        for (const cv::Rect &b : boxes) {
            if (!m.empty() && b.x < m.back().x + m.back().width - 2)
                m.back() |= b;
            else
                m.push_back(b);
        }
        if (m.empty() || m.size() > PS_CV_LINE_MAX_GLYPHS)
            return PS_OK;
        std::vector<int> hs, gaps;
        int top = r.height, bot = 0, total = 0;
        for (size_t i = 0; i < m.size(); i++) {
            hs.push_back(m[i].height);
            top = std::min(top, m[i].y);
            bot = std::max(bot, m[i].y + m[i].height);
            total += m[i].width;
            if (i + 1 < m.size())
                gaps.push_back(m[i + 1].x - (m[i].x + m[i].width));
        }
        std::nth_element(hs.begin(), hs.begin() + hs.size() / 2, hs.end());
        int gh = hs[hs.size() / 2];
        int mg = 0;
        if (!gaps.empty()) {
            std::vector<int> gs = gaps;
            std::nth_element(gs.begin(), gs.begin() + gs.size() / 2, gs.end());
            mg = gs[gs.size() / 2];
        }
        // where each glyph goes: a word gap, or a letter gap, after it
        std::vector<int> at(m.size());
        int x = gh / 2;
        for (size_t i = 0; i < m.size(); i++) {
            at[i] = x;
            x += m[i].width;
            if (i < gaps.size())
                x += gaps[i] > mg * 18 / 10 ? gh * 6 / 10 : gh / 4;
        }
        // as wide as the glyphs set need: tesseract's time grows with it
        int width = x + gh / 2, height = bot - top + gh;
        ps_status ps = ps_image_new(width, height, 1, 0, &out->line);
        if (ps != PS_OK)
            return ps;
        cv::Mat dst = ps_cv_view(out->line);
        dst.setTo(255);
        for (size_t i = 0; i < m.size(); i++) {
            cv::Mat ink = 255 - glyph_without_inner_marks(bw(m[i])); // binarised: the card's texture is gone
            cv::Rect to(at[i], gh / 2 + (m[i].y - top), m[i].width, m[i].height);
            cv::Mat roi = dst(to);
            cv::min(roi, ink, roi);
            out->glyph_src[out->n] = ps_box{r.x + m[i].x, r.y + m[i].y, m[i].width, m[i].height};
            out->dst_x0[out->n] = at[i];
            out->dst_x1[out->n] = at[i] + m[i].width;
            out->n++;
        }
        return PS_OK;
    }, &out->line);
}

extern "C" ps_status ps_cv_line_edge_glyphs(const ps_image *img, ps_box band, ps_box *glyphs,
                                            int max, int *n)
{
    if (n == nullptr)
        return PS_E_ARG;
    *n = 0;
    if (img == nullptr || glyphs == nullptr || max <= 0)
        return PS_E_ARG;
    return ps_cv_guard([&]() -> ps_status {
        cv::Rect r = rect_of(img, band);
        if (r.width < 8 || r.height < 8)
            return PS_OK;
        cv::Mat g = gray_of(img, r), sm, gx, gy, mag, m8, bw;
        cv::GaussianBlur(g, sm, {3, 3}, 0);
        cv::Sobel(sm, gx, CV_32F, 1, 0, 3);
        cv::Sobel(sm, gy, CV_32F, 0, 1, 3);
        cv::magnitude(gx, gy, mag);
        cv::normalize(mag, mag, 0, 255, cv::NORM_MINMAX);
        mag.convertTo(m8, CV_8U);
        cv::threshold(m8, bw, 0, 255, cv::THRESH_BINARY | cv::THRESH_OTSU);
        // a glyph's rims join across its strokes; a letter gap (about half
        // a glyph height) stays open
        int k = std::max(3, r.height / 6) | 1;
        cv::morphologyEx(bw, bw, cv::MORPH_CLOSE, cv::getStructuringElement(cv::MORPH_RECT, {k, k}));
        cv::Mat lab, st, cen;
        int nc = cv::connectedComponentsWithStats(bw, lab, st, cen, 8, CV_32S);
        std::vector<cv::Rect> boxes;
        for (int i = 1; i < nc; i++) {
            int w = st.at<int>(i, cv::CC_STAT_WIDTH), h = st.at<int>(i, cv::CC_STAT_HEIGHT);
            if (h < r.height * 35 / 100 || h >= r.height || w > h || st.at<int>(i, cv::CC_STAT_AREA) < 20)
                continue;
            boxes.push_back(component_box(st, i));
        }
        std::sort(boxes.begin(), boxes.end(), [](const cv::Rect &a, const cv::Rect &b) { return a.x < b.x; });
        std::vector<cv::Rect> m;
        for (const cv::Rect &b : boxes) {
            if (!m.empty() && b.x < m.back().x + m.back().width - 2)
                m.back() |= b;
            else
                m.push_back(b);
        }
        if ((int)m.size() > max)
            return PS_OK;
        for (const cv::Rect &b : m)
            glyphs[(*n)++] = ps_box{r.x + b.x, r.y + b.y, b.width, b.height};
        return PS_OK;
    });
}

extern "C" ps_status ps_cv_line_group_blobs(const ps_image *img, ps_box band, int light_text,
                                            double close, ps_box *blobs, int max, int *n)
{
    if (n == nullptr)
        return PS_E_ARG;
    *n = 0;
    if (img == nullptr || blobs == nullptr || max <= 0 || !(close > 0 && close < 1))
        return PS_E_ARG;
    return ps_cv_guard([&]() -> ps_status {
        cv::Rect r = rect_of(img, band);
        if (r.width < 16 || r.height < 8)
            return PS_OK;
        cv::Mat g = gray_of(img, r), gf, bg, ink, i8, bw;
        g.convertTo(gf, CV_32F);
        // the card's own tone (shade, a tinted face) under print blurred
        // to about its height: far wider than that, so a blurred group's
        // ink stands out of it
        // (taken on a copy shrunk to kGroupBgRows rows: a blur this wide
        // at full size costs tens of ms a band)
        double shrink = std::max(1.0, (double)r.height / kGroupBgRows), sigma = 2.0 * r.height / shrink;
        cv::Mat small;
        cv::resize(gf, small, cv::Size(std::max(1, (int)std::lround(r.width / shrink)),
                                       std::max(1, (int)std::lround(r.height / shrink))),
                   0, 0, cv::INTER_AREA);
        cv::GaussianBlur(small, small, {0, 0}, sigma, sigma, cv::BORDER_REPLICATE);
        cv::resize(small, bg, gf.size(), 0, 0, cv::INTER_LINEAR);
        ink = light_text ? gf - bg : bg - gf;
        cv::max(ink, 0.0, ink);
        double top = 0;
        cv::minMaxLoc(ink, nullptr, &top);
        if (top < 1)
            return PS_OK;
        ink.convertTo(i8, CV_8U, 255.0 / top);
        cv::threshold(i8, bw, 0, 255, cv::THRESH_BINARY | cv::THRESH_OTSU);
        // a group's digits join across their letter gaps (blur has most
        // of the way); the wider gaps between groups stay open
        int k = std::max(3, (int)(close * r.height)) | 1;
        cv::morphologyEx(bw, bw, cv::MORPH_CLOSE, cv::getStructuringElement(cv::MORPH_RECT, {k, 1}));
        cv::Mat lab, st, cen;
        int nc = cv::connectedComponentsWithStats(bw, lab, st, cen, 8, CV_32S);
        std::vector<cv::Rect> boxes;
        for (int i = 1; i < nc; i++) {
            int w = st.at<int>(i, cv::CC_STAT_WIDTH), h = st.at<int>(i, cv::CC_STAT_HEIGHT);
            if (h < r.height * 35 / 100 || w < kGroupMinWide * h)
                continue;
            boxes.push_back(component_box(st, i));
        }
        if ((int)boxes.size() > max)
            return PS_OK;
        std::sort(boxes.begin(), boxes.end(), [](const cv::Rect &a, const cv::Rect &b) { return a.x < b.x; });
        for (const cv::Rect &b : boxes)
            blobs[(*n)++] = ps_box{r.x + b.x, r.y + b.y, b.width, b.height};
        return PS_OK;
    });
}

namespace {

// ps_cv_light_panels(): a panel's size in panel_h and how much of its box
// it fills; the morphology that finds it and its inside (see textline.h);
// the print inside it, its least contrast (a share of the paper's tone:
// gc77 000090's blurred code stands 16 % under its box's paper), its
// closing and least height (in the inside's heights).
constexpr double kPanelMinH = 0.5, kPanelMaxH = 1.8, kPanelMinW = 0.5, kPanelFill = 0.75;
constexpr double kPanelOpen = 0.15, kPanelClose = 0.6, kPanelRim = 0.2, kPanelPaper = 0.6;
constexpr double kPrintMinShare = 0.07, kPrintClose = 1.0 / 3, kPrintMinH = 0.25;

// The print of panel `in` (gray, CV_8U): darker than its paper, the
// paper's tone under the print taken by a closing wider than a group is
// tall (a glare's or a shadow's slope across the panel goes with it).
void panel_print(const cv::Mat &in, const cv::Point &at, ps_cv_panel *p)
{
    cv::Mat paper, ink, bw;
    int kp = std::max(3, (int)(kPanelPaper * in.rows)) | 1;
    cv::morphologyEx(in, paper, cv::MORPH_CLOSE, cv::getStructuringElement(cv::MORPH_RECT, {kp, kp}));
    cv::subtract(paper, in, ink);
    // the panel's own edges smeared inward by a blur darken whole columns
    // (rows) of it; print never does
    cv::Mat cmin, rmin;
    cv::reduce(ink, cmin, 0, cv::REDUCE_MIN);
    cv::subtract(ink, cv::repeat(cmin, ink.rows, 1), ink);
    cv::reduce(ink, rmin, 1, cv::REDUCE_MIN);
    cv::subtract(ink, cv::repeat(rmin, 1, ink.cols), ink);
    double t = cv::threshold(ink, bw, 0, 255, cv::THRESH_BINARY | cv::THRESH_OTSU);
    p->paper = (int)std::lround(cv::mean(paper)[0]);
    double floor = kPrintMinShare * p->paper;
    if (t < floor)
        cv::threshold(ink, bw, floor, 255, cv::THRESH_BINARY);
    int k_close = std::max(3, (int)(kPrintClose * in.rows)) | 1;
    cv::morphologyEx(bw, bw, cv::MORPH_CLOSE, cv::getStructuringElement(cv::MORPH_RECT, {k_close, 1}));
    cv::Mat lab, st, cen;
    int nc = cv::connectedComponentsWithStats(bw, lab, st, cen, 8, CV_32S);
    cv::Rect all, last;
    for (int i = 1; i < nc; i++) {
        cv::Rect b = component_box(st, i);
        if (b.height < kPrintMinH * in.rows)
            continue;
        all = p->n_ink == 0 ? b : (all | b);
        if (p->n_ink == 0 || b.x + b.width > last.x + last.width)
            last = b;
        p->n_ink++;
    }
    if (p->n_ink > 0) {
        p->ink = ps_box{at.x + all.x, at.y + all.y, all.width, all.height};
        p->last = ps_box{at.x + last.x, at.y + last.y, last.width, last.height};
    }
}

// Glyph height the zone is looked at (px): digits stay apart, the count is
// cheap on a 12-MP photo's row.
constexpr double kBlobGlyphPx = 20.0;
// A glyph's box, in glyph heights: as short as a digit's top or bottom left
// beside a mask shifted by a third of its height, as tall as a digit on a
// card tilted ~35 degrees; a component wider than a digit holds
// width / kBlobPitch digits run together (blur, embossing).
constexpr double kBlobMinH = 0.35, kBlobMaxH = 1.6, kBlobPitch = 0.75, kBlobMinArea = 0.04;

// OpenCV's Otsu threshold of the pixels of g (CV_8U) where `skip` is 0
// (all of them without `skip`); -1 when there are none.
int otsu_of(const cv::Mat &g, const cv::Mat *skip)
{
    cv::Mat px = g, bin;
    std::vector<uchar> kept;
    if (skip != nullptr) {
        kept.reserve(g.total());
        for (int y = 0; y < g.rows; y++) {
            const uchar *p = g.ptr<uchar>(y), *f = skip->ptr<uchar>(y);
            for (int x = 0; x < g.cols; x++)
                if (!f[x])
                    kept.push_back(p[x]);
        }
        px = cv::Mat(1, (int)kept.size(), CV_8U, kept.data());
    }
    if (px.empty())
        return -1;
    return (int)cv::threshold(px, bin, 0, 255, cv::THRESH_BINARY | cv::THRESH_OTSU);
}

} // namespace

extern "C" ps_status ps_cv_light_panels(const ps_image *img, ps_box zone, int panel_h,
                                        ps_cv_panel *panels, int max, int *n)
{
    if (n == nullptr)
        return PS_E_ARG;
    *n = 0;
    if (img == nullptr || panels == nullptr || max <= 0 || panel_h < 8)
        return PS_E_ARG;
    return ps_cv_guard([&]() -> ps_status {
        cv::Rect r = rect_of(img, zone);
        if (r.width < panel_h || r.height < kPanelMinH * panel_h)
            return PS_OK;
        cv::Mat g = gray_of(img, r), bw;
        cv::threshold(g, bw, 0, 255, cv::THRESH_BINARY | cv::THRESH_OTSU);
        int ko = std::max(3, (int)(kPanelOpen * panel_h)) | 1, kc = std::max(3, (int)(kPanelClose * panel_h)) | 1;
        cv::morphologyEx(bw, bw, cv::MORPH_OPEN, cv::getStructuringElement(cv::MORPH_RECT, {ko, ko}));
        cv::morphologyEx(bw, bw, cv::MORPH_CLOSE, cv::getStructuringElement(cv::MORPH_RECT, {1, kc}));
        cv::Mat lab, st, cen;
        int nc = cv::connectedComponentsWithStats(bw, lab, st, cen, 8, CV_32S);
        std::vector<cv::Rect> boxes;
        for (int i = 1; i < nc; i++) {
            cv::Rect b = component_box(st, i);
            if (b.height < kPanelMinH * panel_h || b.height > kPanelMaxH * panel_h ||
                b.width < kPanelMinW * panel_h ||
                st.at<int>(i, cv::CC_STAT_AREA) < kPanelFill * b.area())
                continue;
            boxes.push_back(b);
        }
        std::sort(boxes.begin(), boxes.end(), [](const cv::Rect &a, const cv::Rect &b) { return a.x < b.x; });
        for (const cv::Rect &b : boxes) {
            if (*n >= max)
                break;
            ps_cv_panel *p = &panels[(*n)++];
            *p = ps_cv_panel{};
            p->box = ps_box{r.x + b.x, r.y + b.y, b.width, b.height};
            int rim = (int)(kPanelRim * b.height);
            cv::Rect in(b.x + rim, b.y + rim, b.width - 2 * rim, b.height - 2 * rim);
            if (in.width >= 4 && in.height >= 4)
                panel_print(g(in), {r.x + in.x, r.y + in.y}, p);
        }
        return PS_OK;
    });
}

extern "C" ps_status ps_cv_digit_blobs(const ps_image *img, ps_box zone, const ps_box *masks,
                                       int n_masks, double glyph_h, const double line[4],
                                       double reach, int *count)
{
    if (count == nullptr)
        return PS_E_ARG;
    *count = 0;
    if (img == nullptr || glyph_h <= 0 || n_masks < 0 || (n_masks > 0 && masks == nullptr))
        return PS_E_ARG;
    double lx = 0, ly = 0, ll = 0;
    if (line != nullptr) {
        lx = line[2] - line[0];
        ly = line[3] - line[1];
        ll = std::sqrt(lx * lx + ly * ly);
        if (ll <= 0)
            return PS_E_ARG;
    }
    return ps_cv_guard([&]() -> ps_status {
        cv::Rect r = rect_of(img, zone);
        if (r.width < 2 || r.height < 2)
            return PS_OK;
        cv::Mat g = gray_of(img, r);
        // the masks' own pixels: solid fill (0) inside a mask's box
        cv::Mat filled(g.size(), CV_8U, cv::Scalar(0));
        for (int i = 0; i < n_masks; i++) {
            cv::Rect m = cv::Rect(masks[i].x - r.x, masks[i].y - r.y, masks[i].w, masks[i].h) &
                         cv::Rect(0, 0, g.cols, g.rows);
            if (m.area() > 0)
                filled(m).setTo(255, g(m) == 0);
        }
        double s = std::min(1.0, kBlobGlyphPx / glyph_h);
        if (s < 1.0) {
            cv::resize(g, g, cv::Size(), s, s, cv::INTER_AREA);
            cv::resize(filled, filled, g.size(), 0, 0, cv::INTER_NEAREST);
        }
        const double gh = glyph_h * s;
        // tesseract's global Otsu sees the masks too; the ground beside
        // them is split better without: the most of either
        int thr[2] = {otsu_of(g, nullptr), otsu_of(g, &filled)};
        cv::Mat ink, labels, stats, cents;
        for (int t = 0; t < 2; t++) {
            if (thr[t] < 0)
                continue;
            for (int light = 0; light < 2; light++) {
                cv::threshold(g, ink, thr[t], 255, light ? cv::THRESH_BINARY : cv::THRESH_BINARY_INV);
                ink.setTo(0, filled);
                int n = cv::connectedComponentsWithStats(ink, labels, stats, cents, 8, CV_32S);
                int c = 0;
                for (int i = 1; i < n; i++) {
                    int bw = stats.at<int>(i, cv::CC_STAT_WIDTH), bh = stats.at<int>(i, cv::CC_STAT_HEIGHT);
                    int area = stats.at<int>(i, cv::CC_STAT_AREA);
                    if (bh < kBlobMinH * gh || bh > kBlobMaxH * gh || area < kBlobMinArea * gh * gh)
                        continue;
                    if (line != nullptr) {
                        // the centre in the input's pixels, off the line
                        double cx = r.x + cents.at<double>(i, 0) / s, cy = r.y + cents.at<double>(i, 1) / s;
                        double d = std::fabs((cx - line[0]) * ly - (cy - line[1]) * lx) / ll;
                        if (d > reach)
                            continue;
                    }
                    c += std::max(1, (int)(bw / (kBlobPitch * gh)));
                }
                *count = std::max(*count, c);
            }
        }
        return PS_OK;
    });
}
