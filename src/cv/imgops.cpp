// Basic image operations for the C side. OpenCV stays inside src/cv/.
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include "cv/shim.h"
#include "cv/wrap.hpp"

extern "C" ps_status ps_cv_resize(const ps_image *src, int dst_w, int dst_h, ps_image **out)
{
    if (out == nullptr)
        return PS_E_ARG;
    *out = nullptr;
    if (src == nullptr || dst_w <= 0 || dst_h <= 0)
        return PS_E_ARG;
    return ps_cv_guard([&]() -> ps_status {
        ps_status st = ps_image_new(dst_w, dst_h, src->channels, 0, out);
        if (st != PS_OK)
            return st;
        cv::Mat s = ps_cv_view(src), d = ps_cv_view(*out);
        bool down = dst_w < src->width;
        cv::resize(s, d, d.size(), 0, 0, down ? cv::INTER_AREA : cv::INTER_LINEAR);
        return PS_OK;
    }, out);
}

extern "C" ps_status ps_cv_warp_back(const ps_image *src, const double h_dst_to_src[9], int w,
                                     int h, ps_image **out)
{
    if (out == nullptr)
        return PS_E_ARG;
    *out = nullptr;
    if (src == nullptr || h_dst_to_src == nullptr || w <= 0 || h <= 0)
        return PS_E_ARG;
    return ps_cv_guard([&]() -> ps_status {
        ps_status st = ps_image_new(w, h, src->channels, 0, out);
        if (st != PS_OK)
            return st;
        // Pixel centres at +0.5 on both sides: M = T(-0.5) * H * T(+0.5).
        cv::Matx33d H(h_dst_to_src), to(1, 0, 0.5, 0, 1, 0.5, 0, 0, 1),
            from(1, 0, -0.5, 0, 1, -0.5, 0, 0, 1);
        cv::Matx33d m = from * H * to;
        cv::Mat s = ps_cv_view(src), d = ps_cv_view(*out);
        cv::warpPerspective(s, d, cv::Mat(m), d.size(), cv::INTER_LINEAR | cv::WARP_INVERSE_MAP,
                            cv::BORDER_REPLICATE);
        return PS_OK;
    }, out);
}

extern "C" ps_status ps_cv_laplacian_var(const ps_image *gray, const ps_box *roi, double *out)
{
    if (gray == nullptr || out == nullptr || gray->channels != 1)
        return PS_E_ARG;
    return ps_cv_guard([&]() -> ps_status {
        cv::Mat g = ps_cv_view(gray);
        if (roi != nullptr) {
            cv::Rect r = cv::Rect(roi->x, roi->y, roi->w, roi->h) & cv::Rect(0, 0, g.cols, g.rows);
            if (r.width < 3 || r.height < 3)
                return PS_E_ARG;
            g = g(r);
        }
        cv::Mat lap;
        cv::Laplacian(g, lap, CV_32F, 1);
        cv::Scalar mean, sd;
        cv::meanStdDev(lap, mean, sd);
        *out = sd[0] * sd[0];
        return PS_OK;
    });
}

extern "C" ps_status ps_cv_set_threads(int n)
{
    if (n < 0)
        return PS_E_ARG;
    return ps_cv_guard([&]() -> ps_status {
        cv::setNumThreads(n);
        return PS_OK;
    });
}
