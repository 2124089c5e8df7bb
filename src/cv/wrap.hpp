// Private C++ helpers for the shim: views of ps_image as cv::Mat (no copy)
// and the exception guard every extern "C" entry point goes through.
#ifndef PS_CV_WRAP_HPP
#define PS_CV_WRAP_HPP

#include <exception>
#include <new>
#include <opencv2/core.hpp>

#include "prescreen/image.h"
#include "prescreen/status.h"

// A cv::Mat header over the image's pixels; the image keeps ownership.
inline cv::Mat ps_cv_view(const ps_image *img)
{
    return cv::Mat(img->height, img->width, img->channels == 3 ? CV_8UC3 : CV_8UC1,
                   img->data, img->stride);
}

// Runs fn, turning any C++ exception into a status; on failure frees *cleanup
// (an output image the body may have allocated) so the caller sees NULL.
template <typename F>
ps_status ps_cv_guard(F fn, ps_image **cleanup = nullptr)
{
    ps_status st;
    try {
        st = fn();
    } catch (const std::bad_alloc &) {
        st = PS_E_NOMEM;
    } catch (...) {
        st = PS_E_CV;
    }
    if (st != PS_OK && cleanup != nullptr)
        ps_image_free(cleanup);
    return st;
}

#endif
