/* test_fuzz_regress.c: every input that once crashed a fuzz target
 * (tests/fuzz/regress/<target>/) and every seed of the committed corpora
 * (tests/fuzz/corpus/<target>/), fed through the fuzz targets' own entry
 * points (tests/fuzz/fuzz.h) in the normal test build, so `make test` and
 * `make test SAN=1` keep each fixed crash fixed without clang or libFuzzer.
 *
 * An entry aborts on a bug, so a regression shows as this program crashing
 * (tests/run.sh counts that as a failure). One PASS line per folder, with
 * how many inputs were accepted and refused; run from the repository root
 * (tests/run.sh does). */
#define ES_FUZZ_NO_MAIN
#include "../fuzz/fuzz_cfg.c"
#include "../fuzz/fuzz_h5.c"

#include <dirent.h>
#include "../testlib.h"

#define INPUT_MAX (64u << 20) /* far above any corpus file; guards a stray big file */

static unsigned char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    unsigned char *buf = NULL;
    long len;
    if (!f) return NULL;
    if (fseek(f, 0, SEEK_END) == 0 && (len = ftell(f)) >= 0 && (unsigned long)len <= INPUT_MAX &&
        fseek(f, 0, SEEK_SET) == 0 && (buf = malloc((size_t)len + 1)) &&
        fread(buf, 1, (size_t)len, f) != (size_t)len) {
        free(buf);
        buf = NULL;
    }
    if (buf) *n = (size_t)len;
    fclose(f);
    return buf;
}

/* Every regular file of folder, in name order, through `one`. */
static void run_folder(const char *folder, const char *scratch,
                       int (*one)(const char *, const uint8_t *, size_t), int need_files)
{
    struct dirent **names = NULL;
    int n = scandir(folder, &names, NULL, alphasort), files = 0, accepted = 0, refused = 0,
        unreadable = 0;
    char label[PATH_MAX + 64];
    for (int i = 0; i < n; i++) {
        char path[PATH_MAX];
        size_t size = 0;
        if (names[i]->d_name[0] != '.' &&
            (size_t)snprintf(path, sizeof path, "%s/%s", folder, names[i]->d_name) < sizeof path) {
            struct stat sb;
            if (stat(path, &sb) == 0 && S_ISREG(sb.st_mode)) {
                unsigned char *data = slurp(path, &size);
                files++;
                if (!data) {
                    printf("# cannot read %s\n", path);
                    unreadable++;
                } else {
                    /* A crash here names the input: stdout is flushed first. */
                    printf("# %s\n", path);
                    fflush(stdout);
                    int rc = one(scratch, data, size);
                    accepted += rc == 0;
                    refused += rc == 1;
                    free(data);
                }
            }
        }
        free(names[i]);
    }
    free(names);
    snprintf(label, sizeof label,
             "%s: %d inputs without a crash (%d accepted, %d refused, %d skipped)", folder, files,
             accepted, refused, files - accepted - refused - unreadable);
    /* A folder git has no file for (no crash found yet) may be absent. */
    CHECK((n >= 0 || !need_files) && unreadable == 0 && (!need_files || files > 0), label);
}

int main(void)
{
    char scratch[] = "/tmp/es_fuzz_regress.XXXXXX";
    if (!mkdtemp(scratch)) {
        printf("FAIL mkdtemp\n");
        return 1;
    }
    es_fuzz_cfg_prepare(scratch);
    es_fuzz_h5_prepare(scratch);
    run_folder("tests/fuzz/regress/cfg", scratch, es_fuzz_cfg_one, 1);
    run_folder("tests/fuzz/corpus/cfg", scratch, es_fuzz_cfg_one, 1);
    run_folder("tests/fuzz/regress/h5", scratch, es_fuzz_h5_one, 0);
    run_folder("tests/fuzz/corpus/h5", scratch, es_fuzz_h5_one, 1);
    es_fuzz_cleanup(scratch);
    return TEST_END();
}
