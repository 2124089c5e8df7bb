/* The fuzz targets without libFuzzer: feeds every file of each directory
 * given (sorted by name) and every file given to LLVMFuzzerTestOneInput, so
 * the seed corpus and the crashers kept as regressions run as an ordinary
 * test in every build (and under the sanitizers in the ASan build).
 * Usage: fuzz_<name> DIR|FILE...   Exit 0 when every input returned; a bug
 * aborts (or the sanitizer stops the process). */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

/* A seed larger than this is a mistake in the corpus, not a test. */
#define MAX_SEED_BYTES (16u << 20)

__attribute__((weak)) int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    return 0;
}

static int run_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    uint8_t *buf = NULL;
    long n;
    if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 || n > (long)MAX_SEED_BYTES ||
        fseek(f, 0, SEEK_SET) != 0) {
        fprintf(stderr, "replay: cannot read %s\n", path);
        if (f)
            fclose(f);
        return -1;
    }
    /* exactly n bytes, so ASan catches a read one past the input */
    buf = malloc(n ? (size_t)n : 1);
    if (buf == NULL || (n > 0 && fread(buf, 1, (size_t)n, f) != (size_t)n)) {
        fprintf(stderr, "replay: cannot read %s\n", path);
        free(buf);
        fclose(f);
        return -1;
    }
    fclose(f);
    LLVMFuzzerTestOneInput(buf, (size_t)n);
    free(buf);
    return 0;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
    return strcmp((*a)->d_name, (*b)->d_name);
}

int main(int argc, char **argv)
{
    int files = 0, bad = 0;
    LLVMFuzzerInitialize(&argc, &argv);
    for (int i = 1; i < argc; i++) {
        struct stat st;
        if (stat(argv[i], &st) != 0) {
            fprintf(stderr, "replay: %s does not exist\n", argv[i]);
            bad++;
            continue;
        }
        if (S_ISDIR(st.st_mode)) {
            struct dirent **names = NULL;
            int n = scandir(argv[i], &names, NULL, by_name);
            if (n < 0) {
                bad++;
                continue;
            }
            for (int k = 0; k < n; k++) {
                char path[4096];
                if (names[k]->d_name[0] != '.') {
                    snprintf(path, sizeof path, "%s/%s", argv[i], names[k]->d_name);
                    if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
                        bad += run_file(path) != 0;
                        files++;
                    }
                }
                free(names[k]);
            }
            free(names);
        } else {
            bad += run_file(argv[i]) != 0;
            files++;
        }
    }
    printf("replay: %d inputs, %d unreadable\n", files, bad);
    /* an empty corpus proves nothing */
    return bad == 0 && files > 0 ? 0 : 1;
}
