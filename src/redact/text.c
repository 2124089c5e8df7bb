/* Text redaction: numbers in strings bound for reports, logs and errors.
 *
 * A run is digits (ASCII or full-width) with at most one space or hyphen
 * between two digits, so "4111 1111 1111 1111", "4111-1111-…" and
 * "１２３４５６７８９０１８" are each one run. A run of 13 or more digits
 * keeps only its last 4 (a PAN; longer runs may hide one); a run of exactly
 * 12 digits with a valid My Number check digit is masked whole. Masking is
 * in place and keeps the byte length: '*' for an ASCII digit, '＊' (3
 * bytes, as a full-width digit is) for a full-width one.
 */
#include <string.h>

#include "redact/redact_int.h"

/* PAN length from which a run keeps only its last 4. */
#define PS__TEXT_PAN_MIN 13
#define PS__TEXT_KEEP 4
#define PS__TEXT_MYNUMBER 12

/* Digit at s: its value ('0'..'9') and byte length, or 0. */
static char digit_at(const unsigned char *s, int *len)
{
    if (s[0] >= '0' && s[0] <= '9') {
        *len = 1;
        return (char)s[0];
    }
    /* U+FF10..U+FF19 = EF BC 90..99 */
    if (s[0] == 0xEF && s[1] == 0xBC && s[2] >= 0x90 && s[2] <= 0x99) {
        *len = 3;
        return (char)('0' + (s[2] - 0x90));
    }
    return 0;
}

/* Separator allowed between two digits of a run: byte length, or 0. */
static int sep_at(const unsigned char *s)
{
    if (s[0] == ' ' || s[0] == '-')
        return 1;
    if (s[0] == 0xE3 && s[1] == 0x80 && s[2] == 0x80) /* U+3000 ideographic space */
        return 3;
    if (s[0] == 0xEF && s[1] == 0xBC && s[2] == 0x8D) /* U+FF0D full-width hyphen */
        return 3;
    return 0;
}

static void mask_digit(unsigned char *s, int len)
{
    if (len == 1) {
        s[0] = '*';
    } else { /* U+FF0A full-width asterisk */
        s[0] = 0xEF;
        s[1] = 0xBC;
        s[2] = 0x8A;
    }
}

/* 1 when groups starting at gstart[0..ng) of an n-digit run look like a
 * card number or a My Number written in groups. */
static int card_like(const int *gstart, int ng, int n)
{
    if (ng == 1)
        return 1;
    for (int g = 0; g < ng; g++) {
        int len = (g + 1 < ng ? gstart[g + 1] : n) - gstart[g];
        if (g == 0 && len != 4)
            return 0;
        if (g > 0 && g + 1 < ng && len != 4 && len != 6)
            return 0;
        if (g + 1 == ng && (len < 1 || len > 6))
            return 0;
    }
    return 1;
}

/* Masks digits [a, b) of a run as the rules say; returns how many. */
static int judge(unsigned char *s, const size_t *off, const int *lens, const char *digits,
                 int a, int b)
{
    int n = b - a, upto = 0, masked = 0;
    char d[PS__TEXT_MYNUMBER + 1];
    if (n >= PS__TEXT_PAN_MIN) {
        upto = n - PS__TEXT_KEEP;
    } else if (n == PS__TEXT_MYNUMBER) {
        memcpy(d, digits + a, PS__TEXT_MYNUMBER);
        d[PS__TEXT_MYNUMBER] = '\0';
        upto = ps_mynumber_valid(d) ? n : 0;
        ps__wipe(d, sizeof d);
    }
    for (int k = a; k < a + upto; k++) {
        mask_digit(s + off[k], lens[k]);
        masked++;
    }
    return masked;
}

/* Longest run handled at once; longer runs are masked whole (only their
 * last 4 survive in any case). */
#define PS__TEXT_RUN_MAX 256

int ps_redact_text(char *str)
{
    if (str == NULL)
        return 0;
    unsigned char *s = (unsigned char *)str;
    int masked = 0;
    size_t i = 0;
    while (s[i]) {
        int len;
        if (!digit_at(s + i, &len)) {
            i++;
            continue;
        }
        /* collect the run: offsets and lengths of its digits */
        size_t off[PS__TEXT_RUN_MAX];
        int lens[PS__TEXT_RUN_MAX];
        char digits[PS__TEXT_RUN_MAX + 1];
        int gstart[PS__TEXT_RUN_MAX], ng = 0;
        int n = 0;
        size_t j = i;
        for (;;) {
            int l;
            char d = digit_at(s + j, &l);
            if (!d)
                break;
            if (n < PS__TEXT_RUN_MAX) {
                if (n == 0 || (n > 0 && off[n - 1] + (size_t)lens[n - 1] != j))
                    gstart[ng++] = n; /* a separator came before this digit */
                off[n] = j;
                lens[n] = l;
                digits[n] = d;
            }
            n++;
            j += (size_t)l;
            int sl = sep_at(s + j), l2;
            if (sl && digit_at(s + j + sl, &l2))
                j += (size_t)sl;
        }
        int stored = n < PS__TEXT_RUN_MAX ? n : PS__TEXT_RUN_MAX;
        digits[stored] = '\0';
        /* Groups joined by separators count as one number only when they
         * are shaped like one (4-4-4-4, 4-6-5, 4-4-4); otherwise (a phone
         * number next to a date) each group stands alone. */
        if (card_like(gstart, ng, stored)) {
            masked += judge(s, off, lens, digits, 0, stored);
        } else {
            for (int g = 0; g < ng; g++) {
                int a0 = gstart[g], b0 = g + 1 < ng ? gstart[g + 1] : stored;
                masked += judge(s, off, lens, digits, a0, b0);
            }
        }
        if (n > PS__TEXT_RUN_MAX) { /* a huge run: every digit goes */
            for (size_t k = i; k < j;) {
                int l;
                if (digit_at(s + k, &l)) {
                    mask_digit(s + k, l);
                    masked++;
                    k += (size_t)l;
                } else {
                    k++;
                }
            }
        }
        ps__wipe(digits, sizeof digits);
        i = j;
    }
    return masked;
}
