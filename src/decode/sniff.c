#include <string.h>

#include "decode/decoder.h"

ps_format ps_sniff(const uint8_t *b, size_t n)
{
    if (b == NULL)
        return PS_FMT_UNKNOWN;
    if (n >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF)
        return PS_FMT_JPEG;
    if (n >= 8 && memcmp(b, "\x89PNG\r\n\x1a\n", 8) == 0)
        return PS_FMT_PNG;
    if (n >= 12 && memcmp(b, "RIFF", 4) == 0 && memcmp(b + 8, "WEBP", 4) == 0)
        return PS_FMT_WEBP;
    /* ISO-BMFF: a box of type 'ftyp' first, with a HEIF brand. */
    if (n >= 12 && memcmp(b + 4, "ftyp", 4) == 0) {
        static const char *brands[] = {"heic", "heix", "heim", "heis", "hevc",
                                       "hevx", "mif1", "msf1", "avif", "avis"};
        for (size_t i = 0; i < sizeof brands / sizeof *brands; i++)
            if (memcmp(b + 8, brands[i], 4) == 0)
                return PS_FMT_HEIC;
    }
    /* A PDF may have up to 1024 bytes of junk before its header; a phone
     * upload of a PDF starts with it, and that is the case we must name. */
    if (n >= 5 && memcmp(b, "%PDF-", 5) == 0)
        return PS_FMT_PDF;
    if (n >= 6 && (memcmp(b, "GIF87a", 6) == 0 || memcmp(b, "GIF89a", 6) == 0))
        return PS_FMT_GIF;
    if (n >= 4 && (memcmp(b, "II*\0", 4) == 0 || memcmp(b, "MM\0*", 4) == 0))
        return PS_FMT_TIFF;
    if (n >= 2 && b[0] == 'B' && b[1] == 'M')
        return PS_FMT_BMP;
    return PS_FMT_UNKNOWN;
}

const char *ps_format_name(ps_format f)
{
    switch (f) {
    case PS_FMT_JPEG: return "jpeg";
    case PS_FMT_PNG: return "png";
    case PS_FMT_WEBP: return "webp";
    case PS_FMT_HEIC: return "heic";
    case PS_FMT_PDF: return "pdf";
    case PS_FMT_GIF: return "gif";
    case PS_FMT_TIFF: return "tiff";
    case PS_FMT_BMP: return "bmp";
    default: return "unknown";
    }
}
