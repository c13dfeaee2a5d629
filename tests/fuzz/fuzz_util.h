/* fuzz_util.h: helpers of the fuzz entries (fuzz.h). Test code only: it is
 * included by fuzz_cfg.c and fuzz_h5.c, and by the regression test that
 * includes both of them, hence the static functions behind one guard. */
#ifndef ES_FUZZ_UTIL_H
#define ES_FUZZ_UTIL_H
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "fuzz.h"

/* Every file and folder an entry may create in its scratch folder, deepest
 * first, so es_fuzz_cleanup can remove them in this order. */
static const char *const fuzz_made[] = {"sub/x.inc", "sub/y.inc", "sub",   "rt/in.cfg",  "rt",
                                        "in.cfg",    "base.inc",  "in.h5", "stdout.txt", NULL};

/* A bug the input exposed: say what, then crash so libFuzzer keeps the input
 * and the regression test fails. */
static void fuzz_bug(const char *what, const char *detail) __attribute__((noreturn));
static void fuzz_bug(const char *what, const char *detail)
{
    fprintf(stderr, "fuzz: BUG: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
    abort();
}

/* dir/name, or a bug when it does not fit (the scratch folder is short). */
static void fuzz_path(char *buf, size_t n, const char *dir, const char *name)
{
    if ((size_t)snprintf(buf, n, "%s/%s", dir, name) >= n) fuzz_bug("scratch path too long", dir);
}

/* Writes bytes to dir/name (replacing it). A failure here is the machine's,
 * not the input's: stop loudly rather than fuzz nothing. */
static void fuzz_put(const char *dir, const char *name, const void *data, size_t size)
{
    char path[PATH_MAX];
    fuzz_path(path, sizeof path, dir, name);
    FILE *f = fopen(path, "wb");
    if (!f || (size && fwrite(data, 1, size, f) != size) || fclose(f) != 0)
        fuzz_bug("cannot write the scratch file", path);
}

__attribute__((unused)) static void fuzz_mkdir(const char *dir, const char *name)
{
    char path[PATH_MAX];
    fuzz_path(path, sizeof path, dir, name);
    if (mkdir(path, 0700) != 0 && errno != EEXIST) fuzz_bug("cannot make the scratch folder", path);
}

/* An error message must be one non-empty line (the CLI prints it as the one
 * line of a refusal) that begins with `start` or, when alt is not NULL,
 * with alt. */
static void fuzz_check_message(const char *err, const char *start, const char *alt)
{
    if (!err[0]) fuzz_bug("refused without a message", NULL);
    for (const char *c = err; *c; c++)
        if ((unsigned char)*c < 0x20 || *c == 0x7f)
            fuzz_bug("message is not one printable line", err);
    if (strncmp(err, start, strlen(start)) != 0 && !(alt && strncmp(err, alt, strlen(alt)) == 0))
        fuzz_bug("message does not name the input", err);
}

void es_fuzz_cleanup(const char *dir)
{
    char path[PATH_MAX];
    for (const char *const *m = fuzz_made; *m; m++) {
        fuzz_path(path, sizeof path, dir, *m);
        if (unlink(path) != 0) rmdir(path); /* a folder, or absent */
    }
    rmdir(dir);
}

/* Leaks inside the libraries, which LeakSanitizer reports at exit. These
 * hooks (read by the sanitizer runtimes, in the fuzz targets and in the
 * SAN=1 regression test) suppress exactly them, so a leak of ours fails:
 * - libconfig 1.5 leaks the text of a string token its parser rejects,
 *   allocated in strbuf_append (`x = 1 "y";`) or, for an empty string
 *   (`x ""`), in libconfig_yylex itself (found by fuzzing);
 * - HDF5 1.10.8 leaks metadata-cache entries when it fails to load a
 *   damaged object header (found by fuzzing: H5Gopen2 -> H5O_protect ->
 *   H5C_protect -> H5FL_blk_malloc). libhdf5 has no frame pointers, so the
 *   fast unwinder stops at its first frame and only the module can be
 *   named: `leak:libhdf5` hides every allocation made inside libhdf5. The
 *   one kind of our own leak that could hide there, HDF5-allocated memory
 *   we forget to free (variable-length strings), is still caught by
 *   test_h5 under SAN=1, which runs with no suppression. */
const char *__lsan_default_options(void);
const char *__lsan_default_options(void)
{
    return "print_suppressions=0";
} /* keep stderr quiet */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:strbuf_append\nleak:libconfig_yylex\nleak:libhdf5\n";
}

#endif
