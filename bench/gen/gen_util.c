/* prescreen-gen — random numbers, dates, Japanese eras and check digits. */
#include "gen.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* ---- xoshiro256** seeded through splitmix64 ---------------------------- */

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9E3779B97F4A7C15ull); /* golden-ratio increment */
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

void gen_rng_seed(gen_rng *r, uint64_t seed, uint64_t stream)
{
    uint64_t x = seed * 0xD1342543DE82EF95ull + stream; /* odd multiplier mixes seed */
    uint64_t s = splitmix64(&x) ^ stream;
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix64(&s);
}

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

uint64_t gen_rng_u64(gen_rng *r)
{
    uint64_t *s = r->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

double gen_rng_unit(gen_rng *r)
{
    return (double)(gen_rng_u64(r) >> 11) * (1.0 / 9007199254740992.0); /* 2^53 */
}

int gen_rng_int(gen_rng *r, int lo, int hi)
{
    if (hi <= lo)
        return lo;
    return lo + (int)(gen_rng_u64(r) % (uint64_t)(hi - lo + 1));
}

double gen_rng_range(gen_rng *r, double lo, double hi)
{
    return lo + (hi - lo) * gen_rng_unit(r);
}

double gen_rng_gauss(gen_rng *r)
{
    double u1 = gen_rng_unit(r), u2 = gen_rng_unit(r);
    if (u1 < 1e-300) /* keep log() finite */
        u1 = 1e-300;
    return sqrt(-2.0 * log(u1)) * cos(2.0 * M_PI * u2);
}

int gen_rng_chance(gen_rng *r, double p)
{
    return gen_rng_unit(r) < p;
}

/* ---- civil dates (Howard Hinnant's days_from_civil formulas) ---------- */

long gen_date_days(gen_date d)
{
    long y = d.y - (d.m <= 2);
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (d.m + (d.m > 2 ? -3 : 9)) + 2) / 5 + d.d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468; /* 719468 = days from 0000-03-01 to 1970-01-01 */
}

gen_date gen_date_from_days(long z)
{
    gen_date out;
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    out.d = (int)(doy - (153 * mp + 2) / 5 + 1);
    out.m = (int)(mp < 10 ? mp + 3 : mp - 9);
    out.y = (int)(yoe + era * 400 + (out.m <= 2));
    return out;
}

gen_date gen_date_add(gen_date d, long days)
{
    return gen_date_from_days(gen_date_days(d) + days);
}

void gen_date_iso(gen_date d, char *buf, size_t n)
{
    snprintf(buf, n, "%04d-%02d-%02d", d.y, d.m, d.d);
}

/* First days of the modern eras (Gregorian). */
static const struct {
    gen_date start;
    const char *kanji;
    char letter;
} ERAS[] = {
    {{2019, 5, 1}, "令和", 'R'},
    {{1989, 1, 8}, "平成", 'H'},
    {{1926, 12, 25}, "昭和", 'S'},
    {{1912, 7, 30}, "大正", 'T'},
    {{1868, 10, 23}, "明治", 'M'},
};

int gen_era(gen_date d, const char **kanji, char *letter, int *year)
{
    long days = gen_date_days(d);
    for (size_t i = 0; i < sizeof ERAS / sizeof ERAS[0]; i++) {
        if (days >= gen_date_days(ERAS[i].start)) {
            if (kanji)
                *kanji = ERAS[i].kanji;
            if (letter)
                *letter = ERAS[i].letter;
            if (year)
                *year = d.y - ERAS[i].start.y + 1;
            return 1;
        }
    }
    return 0;
}

void gen_era_text(gen_date d, int zero_pad, char *buf, size_t n)
{
    const char *k = "";
    int y = 0;
    char ys[16];
    if (!gen_era(d, &k, NULL, &y)) {
        snprintf(buf, n, "%d年%d月%d日", d.y, d.m, d.d);
        return;
    }
    if (y == 1)
        snprintf(ys, sizeof ys, "元");
    else
        snprintf(ys, sizeof ys, "%d", y);
    if (zero_pad)
        snprintf(buf, n, "%s%s年%02d月%02d日", k, ys, d.m, d.d);
    else
        snprintf(buf, n, "%s%s年%d月%d日", k, ys, d.m, d.d);
}

/* ---- check digits ------------------------------------------------------ */

int gen_luhn_check_digit(const char *digits)
{
    size_t n = strlen(digits);
    int sum = 0;
    /* the check digit will sit right of digits[n-1]: double every other
     * digit starting from the rightmost of the payload */
    for (size_t i = 0; i < n; i++) {
        int v = digits[n - 1 - i] - '0';
        if (i % 2 == 0) {
            v *= 2;
            if (v > 9)
                v -= 9;
        }
        sum += v;
    }
    return (10 - sum % 10) % 10;
}

int gen_luhn_valid(const char *digits)
{
    size_t n = strlen(digits);
    char payload[32];
    if (n < 2 || n >= sizeof payload)
        return 0;
    memcpy(payload, digits, n - 1);
    payload[n - 1] = '\0';
    return gen_luhn_check_digit(payload) == digits[n - 1] - '0';
}

int gen_mynumber_check_digit(const char *eleven)
{
    int sum = 0;
    for (int n = 1; n <= 11; n++) {
        int p = eleven[11 - n] - '0';
        int q = n <= 6 ? n + 1 : n - 5;
        sum += p * q;
    }
    int rem = sum % 11;
    return rem <= 1 ? 0 : 11 - rem;
}

int gen_mynumber_valid(const char *twelve)
{
    if (strlen(twelve) != 12)
        return 0;
    for (int i = 0; i < 12; i++)
        if (twelve[i] < '0' || twelve[i] > '9')
            return 0;
    return gen_mynumber_check_digit(twelve) == twelve[11] - '0';
}

int gen_mrz_check_digit(const char *field, size_t len)
{
    static const int w[3] = {7, 3, 1};
    int sum = 0;
    for (size_t i = 0; i < len; i++) {
        char c = field[i];
        int v = 0;
        if (c >= '0' && c <= '9')
            v = c - '0';
        else if (c >= 'A' && c <= 'Z')
            v = c - 'A' + 10;
        sum += v * w[i % 3];
    }
    return sum % 10;
}
