/* Fuzz target: the whole decode step with PDF rendering asked for (an
 * address proof's path: poppler opens the document and draws its first
 * page) on input forced to start like a PDF. Seeds: testdata/fuzz/decode_pdf/. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ps_fuzz_decode_as(data, size, PS_FMT_PDF);
    return 0;
}
