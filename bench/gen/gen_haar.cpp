// prescreen-gen — the one place the generator uses OpenCV: finding the face
// box of a source face photo once, with the stock Haar frontal-face cascade.
// No exception crosses into C: everything is caught and reported as -1.
#include <opencv2/imgproc.hpp>
#include <opencv2/objdetect.hpp>

#include <cstdint>
#include <vector>

extern "C" int gen_haar_face(const uint8_t *rgb, int w, int h, double box[4]);

extern "C" int gen_haar_face(const uint8_t *rgb, int w, int h, double box[4])
{
    try {
        static cv::CascadeClassifier cascade;
        static int loaded = 0;
        if (!loaded) {
            loaded = cascade.load(GEN_HAAR_DIR "/haarcascade_frontalface_default.xml") ? 1 : -1;
        }
        if (loaded < 0)
            return -1;
        cv::Mat m(h, w, CV_8UC3, const_cast<uint8_t *>(rgb));
        cv::Mat gray;
        cv::cvtColor(m, gray, cv::COLOR_RGB2GRAY);
        cv::equalizeHist(gray, gray);
        std::vector<cv::Rect> faces;
        // scale step 1.1 and 4 neighbours: the usual settings; faces in
        // portraits fill at least a sixth of the frame
        cascade.detectMultiScale(gray, faces, 1.1, 4, 0, cv::Size(w / 6, h / 6));
        if (faces.empty())
            return 0;
        cv::Rect best = faces[0];
        for (const cv::Rect &r : faces)
            if (r.area() > best.area())
                best = r;
        box[0] = best.x;
        box[1] = best.y;
        box[2] = best.width;
        box[3] = best.height;
        return 1;
    } catch (...) {
        return -1;
    }
}
