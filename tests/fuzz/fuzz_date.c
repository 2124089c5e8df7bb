/* Fuzz target: the date parser on OCR text (Western, era, era-less,
 * English and bilingual forms), the all-dates scan, and the MRZ form.
 * Results must be valid calendar dates with spans inside the input.
 * Seeds: testdata/fuzz/date/. */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "prescreen/date.h"

/* Dates a document can carry: the scan is bounded by the caller's array. */
#define MAX_FOUND 16

static void check_result(const ps_date_result *r, size_t size)
{
    if (r->issue == PS_DATE_OK && !ps_date_valid(r->date))
        abort();
    if (r->issue != PS_DATE_OK && (r->date.year || r->date.month || r->date.day))
        abort();
    if (r->start > r->end || r->end > size)
        abort();
    if (r->issue == PS_DATE_OK) {
        char iso[11];
        ps_date back;
        if (!ps_date_to_iso(r->date, iso) || ps_date_from_iso(iso, &back) != PS_OK ||
            ps_date_cmp(back, r->date) != 0)
            abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const ps_date now = {2026, 11, 22};
    ps_date_result one, all[MAX_FOUND];
    int n;

    memset(&one, 0, sizeof one);
    if (ps_date_parse_n((const char *)data, size, &now, &one) == PS_OK)
        check_result(&one, size);
    (void)ps_date_parse_n((const char *)data, size, NULL, &one);
    n = ps_date_find_all_n((const char *)data, size, &now, all, MAX_FOUND);
    if (n < 0)
        abort();
    for (int i = 0; i < n && i < MAX_FOUND; i++)
        check_result(&all[i], size);
    if (size >= 6) {
        char mrz[6];
        ps_date d;
        memcpy(mrz, data, 6);
        if (ps_date_parse_mrz(mrz, data[size - 1] & 1, &now, &d) == PS_OK && !ps_date_valid(d))
            abort();
    }
    return 0;
}
