/* Fuzz target: the whole decode step (sniff, default limits, full image and
 * working copy, EXIF orientation) on input forced to start like a webp
 * file. Seeds: testdata/fuzz/decode_webp/. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ps_fuzz_decode_as(data, size, PS_FMT_WEBP);
    return 0;
}
