#include "testutil.h"

#include "prescreen/decode.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static char *join(const char *dir, const char *rel)
{
    size_t n = strlen(dir) + strlen(rel) + 2;
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "%s/%s", dir, rel);
    return p;
}

char *ps_test_src_path(const char *rel)
{
    const char *dir = getenv("PS_SOURCE_DIR");
    return join(dir ? dir : ".", rel);
}

int ps_test_have_corpus(void)
{
    const char *dir = getenv("PS_CORPUS_DIR");
    struct stat st;
    return dir && stat(dir, &st) == 0 && S_ISDIR(st.st_mode);
}

char *ps_test_corpus_path(const char *rel)
{
    if (!ps_test_have_corpus())
        return NULL;
    return join(getenv("PS_CORPUS_DIR"), rel);
}

uint8_t *ps_test_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    uint8_t *buf = NULL;
    long n;
    if (!f)
        return NULL;
    if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
        fclose(f);
        return NULL;
    }
    buf = malloc((size_t)n + 1);
    if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    if (buf)
        *len = (size_t)n;
    return buf;
}

int ps_test_run(Suite *s)
{
    SRunner *sr = srunner_create(s);
    int failed;
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? 0 : 1;
}

struct ps_decoded *ps_test_decode_src(const char *rel)
{
    char *path = ps_test_src_path(rel);
    size_t len = 0;
    uint8_t *bytes = ps_test_read_file(path, &len);
    ps_decoded *d = NULL;
    ps_decode_opts o;
    ck_assert_msg(bytes != NULL, "cannot read %s", rel);
    free(path);
    ps_decode_opts_default(&o);
    o.want_full = 1;
    ck_assert_int_eq(ps_decode(bytes, len, &o, &d, NULL, 0), PS_OK);
    free(bytes);
    return d;
}
