/* Fuzz target: the whole decode step (sniff, default limits, full image and
 * working copy, EXIF orientation) on input forced to start like a heic
 * file. Seeds: testdata/fuzz/decode_heic/. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ps_fuzz_decode_as(data, size, PS_FMT_HEIC);
    return 0;
}
