/* test_h5.c: HDF5 results (io/h5out, io/h5in): exact round trips, refusals,
 * failure without leftovers, and damaged or foreign inputs.
 *
 * `test_h5 --write PATH` only writes the synthetic result to PATH (replacing
 * it) and exits; `--write-edge PATH` writes the edge cases (chunked data,
 * one replication, an empty calendar-year axis). tests/e2e/h5_python.sh
 * reads both from Python.
 *
 * This test includes <hdf5.h> (otherwise only io/ does) to make files of a
 * wrong layout and to look at how datasets are stored. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>
#include <hdf5.h>
#include "core/date.h"
#include "core/mem.h"
#include "io/h5in.h"
#include "io/h5out.h"
#include "io/seal.h"
#include "../testlib.h"

#define ERRLEN 512

/* ---- synthetic results ---------------------------------------------------- */

/* High-entropy values (2.385 * i, not i) so that a transposed axis, a
 * dropped factor or an off-by-one in any array shows as a mismatch. */
static double *seq(size_t n, double base, double step)
{
    double *a = es_calloc(n, sizeof *a);
    for (size_t i = 0; i < n; i++) a[i] = base + step * (double)i + 1e-9 * (double)(i * i);
    return a;
}

static void fill_summary(es_summary *s, size_t n, double base)
{
    s->mean = seq(n, base, 2.385);
    s->sd = seq(n, base / 7.0, 0.313);
    s->lo = seq(n, base - 11.17, 2.291);
    s->hi = seq(n, base + 13.09, 2.477);
}

static void fill_scenario(es_scenario_result *s, const char *name, int n_reps, int n_months,
                          int n_fy, int n_cy, double base)
{
    s->name = es_strdup(name);
    s->n_reps = n_reps, s->n_months = n_months, s->n_fy = n_fy, s->n_cy = n_cy;
    s->month_start = es_calloc((size_t)n_months, sizeof *s->month_start);
    for (int i = 0; i < n_months; i++) {
        int mi = 2015 * 12 + 9 + i; /* from October 2015 */
        s->month_start[i] = es_date_days(mi / 12, mi % 12 + 1, 1);
    }
    s->fy = es_calloc((size_t)n_fy, sizeof *s->fy);
    for (int i = 0; i < n_fy; i++) s->fy[i] = 2016 + i;
    s->cy = es_calloc((size_t)n_cy, sizeof *s->cy);
    for (int i = 0; i < n_cy; i++) s->cy[i] = 2016 + i;
    s->replication = es_calloc((size_t)n_reps, sizeof *s->replication);
    for (int i = 0; i < n_reps; i++) s->replication[i] = 3 * (int64_t)i + 7;
    s->monthly = seq((size_t)n_reps * ES_N_METRICS * (size_t)n_months, base, 2.385);
    s->fiscal = seq((size_t)n_reps * ES_N_METRICS * (size_t)n_fy, base * 3.1, 17.385);
    s->calendar = seq((size_t)n_reps * ES_N_METRICS * (size_t)n_cy, base * 2.9, 19.113);
    fill_summary(&s->fy_sum, (size_t)ES_N_METRICS * (size_t)n_fy, base * 5.3);
    fill_summary(&s->cy_sum, (size_t)ES_N_METRICS * (size_t)n_cy, base * 4.7);
}

/* 2 scenarios, 3 replications, 36 months, 3 fiscal and 2 calendar years,
 * and a config text far over HDF5's 64 KiB compact-attribute limit. */
static void make_result(es_run_result *r)
{
    memset(r, 0, sizeof *r);
    r->program_version = es_strdup("0.1.0");
    r->git_commit = es_strdup("0123456789ab-dirty");
    r->rng = es_strdup("philox4x64");
    size_t n = 200000;
    r->config_text = malloc(n + 1);
    for (size_t i = 0; i < n; i++) r->config_text[i] = i % 61 == 60 ? '\n' : (char)('a' + i % 26);
    r->config_text[n] = '\0';
    r->command_line =
        es_strdup("enforcesim run configs/baseline.cfg -o x.h5 --set 'a=\"\xc3\xa9\"'");
    r->started = es_strdup("2024-05-01T10:00:00Z");
    r->finished = es_strdup("2024-05-01T10:02:03Z");
    r->host = es_strdup("node017");
    r->seed = INT64_C(5000000000123);
    r->n_scenarios = 2;
    r->scenarios = es_calloc(2, sizeof *r->scenarios);
    fill_scenario(&r->scenarios[0], "baseline", 3, 36, 3, 2, 2.385);
    fill_scenario(&r->scenarios[1], "zero_tolerance", 3, 36, 3, 2, 1041.77);
    /* A NaN, as a standard deviation of one replication would be. */
    r->scenarios[1].fy_sum.sd[5] = NAN;
    r->scenarios[0].config = es_strdup("run = { seed = 5000000000123L; };\n");
    r->crn = 1;
    r->precision = es_strdup("apprehensions=0.01,deaths=0.05");
    r->precision_met = 1;
    r->max_replications = 1000;
    /* One comparison, with an infinite variance reduction and a NaN. */
    es_comparison_result *c = r->comparisons = es_calloc(1, sizeof *r->comparisons);
    r->n_comparisons = 1;
    c->base = es_strdup("baseline");
    c->alt = es_strdup("zero_tolerance");
    c->n_reps = 3, c->n_fy = 3, c->n_cy = 2;
    c->target_rel = 0.01;
    c->fy = es_calloc(3, sizeof *c->fy);
    c->cy = es_calloc(2, sizeof *c->cy);
    for (int i = 0; i < 3; i++) c->fy[i] = 2016 + i;
    for (int i = 0; i < 2; i++) c->cy[i] = 2016 + i;
    c->fiscal = seq((size_t)ES_N_METRICS * ES_CMP_N_STATS * 3, 5.77, 3.385);
    c->calendar = seq((size_t)ES_N_METRICS * ES_CMP_N_STATS * 2, 8.11, 1.713);
    c->fiscal[ES_CMP_VRF * 3] = INFINITY;
    c->calendar[ES_CMP_CORR * 2 + 1] = NAN;
}

/* Edge cases: 100 replications (large enough to chunk), and a scenario of
 * one replication (NaN standard deviations) and no calendar year. Only the
 * version string is set. */
static void make_edge_result(es_run_result *r)
{
    memset(r, 0, sizeof *r);
    r->program_version = es_strdup("0.1.0");
    r->n_scenarios = 2;
    r->scenarios = es_calloc(2, sizeof *r->scenarios);
    fill_scenario(&r->scenarios[0], "big", 100, 48, 4, 3, 7.77);
    fill_scenario(&r->scenarios[1], "short", 1, 11, 1, 0, 3.03);
    for (int i = 0; i < ES_N_METRICS; i++) r->scenarios[1].fy_sum.sd[i] = NAN;
}

/* ---- comparisons ------------------------------------------------------------ */

static int same_str(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

/* Bit-for-bit equality: NaN equals NaN, 0.0 differs from -0.0. */
static int same_mem(const void *a, const void *b, size_t n)
{
    return n == 0 || (a && b && memcmp(a, b, n) == 0);
}

static int same_summary(const es_summary *a, const es_summary *b, size_t n)
{
    n *= sizeof(double);
    return same_mem(a->mean, b->mean, n) && same_mem(a->sd, b->sd, n) &&
           same_mem(a->lo, b->lo, n) && same_mem(a->hi, b->hi, n);
}

static int same_scenario(const es_scenario_result *a, const es_scenario_result *b)
{
    size_t nm = ES_N_METRICS, d = sizeof(double);
    return same_str(a->name, b->name) && a->n_reps == b->n_reps && a->n_months == b->n_months &&
           a->n_fy == b->n_fy && a->n_cy == b->n_cy &&
           same_mem(a->month_start, b->month_start, (size_t)a->n_months * sizeof *a->month_start) &&
           same_mem(a->fy, b->fy, (size_t)a->n_fy * sizeof *a->fy) &&
           same_mem(a->cy, b->cy, (size_t)a->n_cy * sizeof *a->cy) &&
           same_mem(a->replication, b->replication, (size_t)a->n_reps * sizeof *a->replication) &&
           same_mem(a->monthly, b->monthly, (size_t)a->n_reps * nm * (size_t)a->n_months * d) &&
           same_mem(a->fiscal, b->fiscal, (size_t)a->n_reps * nm * (size_t)a->n_fy * d) &&
           same_mem(a->calendar, b->calendar, (size_t)a->n_reps * nm * (size_t)a->n_cy * d) &&
           same_summary(&a->fy_sum, &b->fy_sum, nm * (size_t)a->n_fy) &&
           same_summary(&a->cy_sum, &b->cy_sum, nm * (size_t)a->n_cy);
}

static int same_comparison(const es_comparison_result *a, const es_comparison_result *b)
{
    size_t cells = (size_t)ES_N_METRICS * ES_CMP_N_STATS * sizeof(double);
    return same_str(a->base, b->base) && same_str(a->alt, b->alt) && a->n_reps == b->n_reps &&
           a->n_fy == b->n_fy && a->n_cy == b->n_cy && a->target_rel == b->target_rel &&
           same_mem(a->fy, b->fy, (size_t)a->n_fy * sizeof *a->fy) &&
           same_mem(a->cy, b->cy, (size_t)a->n_cy * sizeof *a->cy) &&
           same_mem(a->fiscal, b->fiscal, cells * (size_t)a->n_fy) &&
           same_mem(a->calendar, b->calendar, cells * (size_t)a->n_cy);
}

static int same_result(const es_run_result *a, const es_run_result *b)
{
    if (!(same_str(a->program_version, b->program_version) &&
          same_str(a->git_commit, b->git_commit) && same_str(a->rng, b->rng) &&
          same_str(a->config_text, b->config_text) && same_str(a->command_line, b->command_line) &&
          same_str(a->started, b->started) && same_str(a->finished, b->finished) &&
          same_str(a->host, b->host) && a->seed == b->seed && a->n_scenarios == b->n_scenarios &&
          a->crn == b->crn && a->n_comparisons == b->n_comparisons &&
          (a->precision
               ? same_str(a->precision, b->precision) && a->precision_met == b->precision_met &&
                     a->max_replications == b->max_replications
               : !b->precision)))
        return 0;
    for (int i = 0; i < a->n_scenarios; i++)
        if (!same_scenario(&a->scenarios[i], &b->scenarios[i]) ||
            (a->scenarios[i].config ? !same_str(a->scenarios[i].config, b->scenarios[i].config)
                                    : b->scenarios[i].config != NULL))
            return 0;
    for (int i = 0; i < a->n_comparisons; i++)
        if (!same_comparison(&a->comparisons[i], &b->comparisons[i])) return 0;
    return 1;
}

/* ---- files ------------------------------------------------------------------- */

static int exists(const char *p)
{
    struct stat sb;
    return stat(p, &sb) == 0;
}

/* Any "<...>.tmp-<pid>" left in dir? */
static int temp_left(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int found = 0;
    if (!d) return 0;
    while ((e = readdir(d)))
        if (strstr(e->d_name, ".tmp-")) found = 1;
    closedir(d);
    return found;
}

static int write_bytes(const char *p, const void *buf, size_t n)
{
    FILE *f = fopen(p, "wb");
    if (!f) return -1;
    size_t w = fwrite(buf, 1, n, f);
    return fclose(f) == 0 && w == n ? 0 : -1;
}

static char *read_bytes(const char *p, size_t *n)
{
    FILE *f = fopen(p, "rb");
    char *buf = NULL;
    long len;
    if (!f) return NULL;
    if (fseek(f, 0, SEEK_END) == 0 && (len = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
        (buf = malloc((size_t)len + 1)) && fread(buf, 1, (size_t)len, f) == (size_t)len) {
        *n = (size_t)len;
    } else {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    return buf;
}

static void rm_tree(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char p[1024];
    if (!d) return;
    while ((e = readdir(d))) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        struct stat sb;
        if (lstat(p, &sb) == 0 && S_ISDIR(sb.st_mode)) {
            chmod(p, 0700);
            rm_tree(p);
        } else {
            unlink(p);
        }
    }
    closedir(d);
    rmdir(dir);
}

static int one_line(const char *s)
{
    return s[0] != '\0' && !strchr(s, '\n');
}

/* ---- tests ------------------------------------------------------------------- */

static void test_round_trip(const char *dir, const es_run_result *r)
{
    char path[512], err[ERRLEN] = "";
    es_run_result back;
    snprintf(path, sizeof path, "%s/run.h5", dir);
    CHECK(es_h5_write(path, r, 0, err, sizeof err) == ES_OK, "write: synthetic result");
    if (err[0]) printf("# %s\n", err);
    CHECK(exists(path) && !temp_left(dir), "write: file in place, no temporary left");
    memset(&back, 0, sizeof back);
    CHECK(es_h5_read(path, &back, err, sizeof err) == ES_OK, "read: synthetic result");
    if (err[0]) printf("# %s\n", err);
    CHECK(same_result(r, &back), "read: every field equal, bit for bit");
    CHECK(back.n_scenarios == 2 && same_str(back.scenarios[0].name, "baseline") &&
              same_str(back.scenarios[1].name, "zero_tolerance"),
          "read: scenarios in configuration order");
    /* No object timestamps: equal results make equal bytes, so files of
     * runs that differ only in how units were spread compare equal. */
    char again[600];
    size_t n1 = 0, n2 = 0;
    snprintf(again, sizeof again, "%s/again.h5", dir);
    es_h5_write(again, &back, 0, err, sizeof err);
    char *b1 = read_bytes(path, &n1), *b2 = read_bytes(again, &n2);
    CHECK(b1 && b2 && n1 == n2 && memcmp(b1, b2, n1) == 0,
          "write: equal results give byte-identical files");
    free(b1);
    free(b2);
    unlink(again);
    es_run_result_free(&back);
    CHECK(back.scenarios == NULL && back.n_scenarios == 0, "free: contents released and zeroed");
    /* Accepted: a crash or (SAN=1) a double free here fails the program. */
    es_run_result_free(NULL);
    es_run_result_free(&back);
}

static void test_refuse_and_force(const char *dir, es_run_result *r)
{
    char path[512], err[ERRLEN] = "";
    size_t n0 = 0, n1 = 0;
    snprintf(path, sizeof path, "%s/run.h5", dir);
    char *before = read_bytes(path, &n0);

    CHECK(es_h5_check_output(path, 0, err, sizeof err) == ES_ERR_EXISTS && strstr(err, path) &&
              strstr(err, "--force"),
          "check_output: existing file refused without force, message names it");
    CHECK(es_h5_check_output(path, 1, err, sizeof err) == ES_OK,
          "check_output: existing file with force");
    CHECK(es_h5_check_output(dir, 1, err, sizeof err) == ES_ERR_USAGE,
          "check_output: a folder is refused");

    int64_t seed = r->seed;
    r->seed = 42;
    CHECK(es_h5_write(path, r, 0, err, sizeof err) == ES_ERR_EXISTS && one_line(err),
          "write: existing file refused without force");
    char *after = read_bytes(path, &n1);
    CHECK(before && after && n0 == n1 && memcmp(before, after, n0) == 0 && !temp_left(dir),
          "write: refused file untouched, no temporary left");
    free(after);

    es_run_result back;
    CHECK(es_h5_write(path, r, 1, err, sizeof err) == ES_OK, "write: overwrite with force");
    CHECK(es_h5_read(path, &back, err, sizeof err) == ES_OK && back.seed == 42 &&
              same_result(r, &back),
          "write: forced file holds the new result");
    es_run_result_free(&back);
    CHECK(!temp_left(dir), "write: no temporary left after overwrite");
    r->seed = seed;
    free(before);
}

static void test_unwritable(const char *dir, const es_run_result *r)
{
    char path[1024], sub[512], err[ERRLEN] = "";
    snprintf(path, sizeof path, "%s/no_such_folder/run.h5", dir);
    CHECK(es_h5_check_output(path, 0, err, sizeof err) == ES_ERR_IO && strstr(err, path),
          "check_output: missing folder is an I/O error naming the file");
    CHECK(es_h5_write(path, r, 1, err, sizeof err) == ES_ERR_IO && one_line(err) && !exists(path),
          "write: missing folder gives ES_ERR_IO, no file");

    snprintf(sub, sizeof sub, "%s/plain_file", dir);
    write_bytes(sub, "x", 1);
    snprintf(path, sizeof path, "%s/run.h5", sub);
    CHECK(es_h5_write(path, r, 1, err, sizeof err) == ES_ERR_IO && !exists(path),
          "write: a file where the folder should be gives ES_ERR_IO");

    /* Permissions do not stop root, so this case runs only for other users. */
    snprintf(sub, sizeof sub, "%s/read_only", dir);
    mkdir(sub, 0700);
    snprintf(path, sizeof path, "%s/run.h5", sub);
    if (geteuid() != 0 && chmod(sub, 0500) == 0) {
        CHECK(es_h5_write(path, r, 1, err, sizeof err) == ES_ERR_IO && !exists(path) &&
                  !temp_left(sub),
              "write: read-only folder gives ES_ERR_IO, no file, no temporary");
        chmod(sub, 0700);
    } else {
        printf("# skipped read-only folder case (running as root)\n");
    }

    /* A temporary name that is already taken is not ours to truncate or
     * remove: the write fails and leaves it as it was. */
    char tmp[1100];
    snprintf(path, sizeof path, "%s/taken.h5", dir);
    snprintf(tmp, sizeof tmp, "%s.tmp-%ld", path, (long)getpid());
    write_bytes(tmp, "someone else's", 14);
    size_t n = 0;
    es_status st = es_h5_write(path, r, 0, err, sizeof err);
    CHECK(st == ES_ERR_IO && !exists(path),
          "write: existing temporary name is an I/O error, no output");
    if (st != ES_ERR_IO) printf("# status %d: %s\n", (int)st, err);
    char *b = read_bytes(tmp, &n);
    CHECK(b && n == 14 && memcmp(b, "someone else's", 14) == 0,
          "write: a temporary file we did not create is left alone");
    free(b);
    unlink(tmp);

    /* A write that fails half way, as on a full disk: a file size limit
     * makes write(2) fail with EFBIG once 64 KiB are written. */
    struct rlimit old_lim, lim;
    snprintf(path, sizeof path, "%s/full.h5", dir);
    if (getrlimit(RLIMIT_FSIZE, &old_lim) == 0) {
        void (*old_handler)(int) = signal(SIGXFSZ, SIG_IGN);
        lim = old_lim;
        lim.rlim_cur = 65536;
        setrlimit(RLIMIT_FSIZE, &lim);
        st = es_h5_write(path, r, 1, err, sizeof err);
        setrlimit(RLIMIT_FSIZE, &old_lim);
        signal(SIGXFSZ, old_handler);
        CHECK(st == ES_ERR_IO && strstr(err, "too large") && !exists(path) && !temp_left(dir),
              "write: a write failing half way gives ES_ERR_IO, no file, no temporary");
        if (st != ES_ERR_IO) printf("# status %d: %s\n", (int)st, err);
    }

    es_scenario_result *s = &r->scenarios[1];
    char *name = s->name;
    s->name = (char *)"a/b";
    snprintf(path, sizeof path, "%s/badname.h5", dir);
    CHECK(es_h5_write(path, r, 0, err, sizeof err) == ES_ERR_INPUT && strstr(err, "a/b") &&
              !exists(path) && !temp_left(dir),
          "write: a scenario name HDF5 cannot hold is refused, nothing written");
    s->name = (char *)"baseline";
    CHECK(es_h5_write(path, r, 0, err, sizeof err) == ES_ERR_INPUT && !exists(path),
          "write: duplicate scenario names are refused");
    s->name = name;
}

/* Reading `path` must fail with ES_ERR_INPUT, a one-line message naming the
 * file and containing `why`, and leave *out untouched. */
static void expect_bad(const char *path, const char *why, const char *name)
{
    char err[ERRLEN] = "";
    es_run_result out;
    memset(&out, 0, sizeof out);
    out.n_scenarios = -77;
    es_status st = es_h5_read(path, &out, err, sizeof err);
    CHECK(st == ES_ERR_INPUT && one_line(err) && strstr(err, path) && strstr(err, why) &&
              out.n_scenarios == -77,
          name);
    if (st != ES_ERR_INPUT || !strstr(err, why)) printf("# status %d, message: %s\n", (int)st, err);
}

static void test_bad_inputs(const char *dir)
{
    char path[512], good[512], trunc[512];
    snprintf(good, sizeof good, "%s/run.h5", dir);

    snprintf(path, sizeof path, "%s/missing.h5", dir);
    expect_bad(path, "No such file", "read: missing file");
    expect_bad(dir, "folder", "read: a folder");

    snprintf(path, sizeof path, "%s/text.h5", dir);
    const char *text = "scenario,metric,value\nbaseline,deaths,3\n";
    write_bytes(path, text, strlen(text));
    expect_bad(path, "not an HDF5 file", "read: text file");

    snprintf(path, sizeof path, "%s/empty.h5", dir);
    write_bytes(path, "", 0);
    expect_bad(path, "empty", "read: empty file");

    size_t n = 0;
    char *bytes = read_bytes(good, &n);
    snprintf(trunc, sizeof trunc, "%s/truncated.h5", dir);
    const double cuts[] = {0.001, 0.25, 0.5, 0.9, 0.9999};
    int all_ok = bytes != NULL;
    for (size_t i = 0; bytes && i < sizeof cuts / sizeof cuts[0]; i++) {
        char err[ERRLEN] = "";
        es_run_result out;
        write_bytes(trunc, bytes, (size_t)((double)n * cuts[i]));
        es_status st = es_h5_read(trunc, &out, err, sizeof err);
        if (st != ES_ERR_INPUT || !one_line(err) || !strstr(err, trunc)) {
            printf("# truncated at %.4f: status %d, %s\n", cuts[i], (int)st, err);
            all_ok = 0;
        }
        if (st == ES_OK) es_run_result_free(&out);
    }
    CHECK(all_ok, "read: truncated copies (0.1% .. 99.99%) give ES_ERR_INPUT");
    expect_bad(trunc, "truncated", "read: truncated file says so");
    free(bytes);
}

/* Files with a wrong layout, made with the HDF5 API. */
/* The tests below damage a file through libhdf5 on purpose; resealing it
 * lets the damage reach the parser instead of the checksum (io/seal.h). */
static void reseal(const char *path)
{
    char err[ERRLEN] = "";
    if (es_seal_file(path, err, sizeof err) != ES_OK) printf("# reseal: %s\n", err);
}

/* An unsealed file (an older enforcesim's), a sealed one with a byte
 * changed, and a damaged seal header are refused before libhdf5 opens
 * them, with the message seal.h promises. */
static void test_seal(const char *dir, const es_run_result *r)
{
    char path[512], err[ERRLEN] = "";
    snprintf(path, sizeof path, "%s/sealed.h5", dir);
    CHECK(es_h5_write(path, r, 1, err, sizeof err) == ES_OK &&
              es_seal_verify(path, err, sizeof err) == ES_OK,
          "seal: a written file verifies");
    size_t n = 0;
    char *bytes = read_bytes(path, &n);
    CHECK(bytes && n > ES_SEAL_BLOCK && memcmp(bytes, "enforcesim sealed result\n", 25) == 0,
          "seal: the file starts with the seal's magic line");
    if (!bytes || n <= ES_SEAL_BLOCK) {
        free(bytes);
        return;
    }
    bytes[n / 2] ^= 0x01;
    write_bytes(path, bytes, n);
    expect_bad(path, "damaged: checksum mismatch (crc32",
               "read: one flipped bit is a checksum mismatch");
    bytes[n / 2] ^= 0x01;
    bytes[60] ^= 0x10;
    write_bytes(path, bytes, n);
    expect_bad(path, "damaged: checksum mismatch (the seal header",
               "read: a damaged seal header is refused");
    bytes[60] ^= 0x10;
    write_bytes(path, bytes, n);
    reseal(path);
    CHECK(es_seal_verify(path, err, sizeof err) == ES_OK,
          "seal: resealing an intact file changes nothing");
    /* A file from before seals: the HDF5 data alone, no user block. */
    snprintf(path, sizeof path, "%s/unsealed.h5", dir);
    hid_t f = H5Fcreate(path, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    H5Fclose(f);
    expect_bad(path, "no checksum", "read: an unsealed file is refused, saying so");
    free(bytes);
}

static void test_wrong_layout(const char *dir, const es_run_result *r)
{
    char path[512], err[ERRLEN];
    hid_t f, s, d, a;
    int v = 3;

    snprintf(path, sizeof path, "%s/foreign.h5", dir);
    hid_t fcpl = H5Pcreate(H5P_FILE_CREATE);
    H5Pset_userblock(fcpl, ES_SEAL_BLOCK); /* sealed, so the parser sees it */
    f = H5Fcreate(path, H5F_ACC_TRUNC, fcpl, H5P_DEFAULT);
    H5Pclose(fcpl);
    hsize_t dim = 1;
    s = H5Screate_simple(1, &dim, NULL);
    d = H5Dcreate2(f, "foo", H5T_NATIVE_INT, s, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    H5Dwrite(d, H5T_NATIVE_INT, H5S_ALL, H5S_ALL, H5P_DEFAULT, &v);
    H5Dclose(d);
    H5Sclose(s);
    H5Fclose(f);
    reseal(path);
    expect_bad(path, "not an enforcesim results file", "read: foreign HDF5 file");

    /* One of ours with pieces removed or changed. */
    struct {
        const char *name, *why, *check;
    } cases[] = {
        {"/scenarios/zero_tolerance/fiscal_year/deaths",
         "deaths: metric missing (written by an enforcesim without it?",
         "read: a missing metric is named"},
        {"/scenarios/baseline/summary_calendar_year", "summary_calendar_year: group missing",
         "read: a missing group is named"},
        {"/scenarios/baseline/monthly/replication", "replication: dataset missing",
         "read: a missing dimension scale is named"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        snprintf(path, sizeof path, "%s/cut%zu.h5", dir, i);
        CHECK(es_h5_write(path, r, 1, err, sizeof err) == ES_OK, "write: file to damage");
        f = H5Fopen(path, H5F_ACC_RDWR, H5P_DEFAULT);
        H5Ldelete(f, cases[i].name, H5P_DEFAULT);
        H5Fclose(f);
        reseal(path);
        expect_bad(path, cases[i].why, cases[i].check);
    }

    /* A metric of the wrong shape. */
    snprintf(path, sizeof path, "%s/shape.h5", dir);
    es_h5_write(path, r, 1, err, sizeof err);
    f = H5Fopen(path, H5F_ACC_RDWR, H5P_DEFAULT);
    H5Ldelete(f, "/scenarios/baseline/calendar_year/apprehensions", H5P_DEFAULT);
    dim = 6;
    s = H5Screate_simple(1, &dim, NULL);
    d = H5Dcreate2(f, "/scenarios/baseline/calendar_year/apprehensions", H5T_NATIVE_DOUBLE, s,
                   H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    H5Dclose(d);
    H5Sclose(s);
    H5Fclose(f);
    reseal(path);
    expect_bad(path, "apprehensions: has 1 dimensions, expected 2", "read: wrong rank is named");

    /* A layout from the future. */
    snprintf(path, sizeof path, "%s/future.h5", dir);
    es_h5_write(path, r, 1, err, sizeof err);
    f = H5Fopen(path, H5F_ACC_RDWR, H5P_DEFAULT);
    a = H5Aopen(f, "layout_version", H5P_DEFAULT);
    v = ES_H5_LAYOUT_VERSION + 1;
    H5Awrite(a, H5T_NATIVE_INT, &v);
    H5Aclose(a);
    H5Fclose(f);
    reseal(path);
    expect_bad(path, "layout version", "read: newer layout refused");

    /* Layout 1 stored string scales as raw data, where libhdf5 1.10 trusts
     * a damaged heap reference; such a file is refused with a way out. */
    snprintf(path, sizeof path, "%s/layout1.h5", dir);
    es_h5_write(path, r, 1, err, sizeof err);
    f = H5Fopen(path, H5F_ACC_RDWR, H5P_DEFAULT);
    a = H5Aopen(f, "layout_version", H5P_DEFAULT);
    v = 1;
    H5Awrite(a, H5T_NATIVE_INT, &v);
    H5Aclose(a);
    H5Fclose(f);
    reseal(path);
    expect_bad(path, "run the config again", "read: layout 1 refused, naming what to do");
}

/* A shard's identity is typed: config_hash a uint64, shard_scenarios an
 * array of strings, shard_comparisons (pair, 2) integer indices; it reads
 * back equal, and a layout-2 shard (comma-joined strings) is refused. */
static void reseal(const char *path);

static void test_shard_attributes(const char *dir, es_run_result *r)
{
    char path[512], err[ERRLEN] = "";
    es_shard_info *sh = &r->shard;
    static char n0[] = "baseline", n1[] = "zero_tolerance";
    static char *names[] = {n0, n1};
    static int pairs[2] = {0, 1};
    static int64_t units[2] = {1, 4};
    sh->index = 1, sh->count = 3, sh->n_units = 6, sh->n_held = 2, sh->complete = 1;
    sh->config_hash = UINT64_C(0xfedcba9876543210);
    sh->n_scenarios = 2, sh->scenarios = names;
    sh->n_comparisons = 1, sh->comparisons = pairs;
    sh->units = units;
    snprintf(path, sizeof path, "%s/shard.h5", dir);
    es_status st = es_h5_write(path, r, 1, err, sizeof err);
    memset(sh, 0, sizeof *sh);
    CHECK(st == ES_OK, "write: a shard");
    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT), a, t, s;
    int typed = f >= 0;
    hsize_t dims[2] = {0, 0};
    if (typed) {
        a = H5Aopen(f, "config_hash", H5P_DEFAULT);
        t = H5Aget_type(a);
        typed &=
            H5Tget_class(t) == H5T_INTEGER && H5Tget_size(t) == 8 && H5Tget_sign(t) == H5T_SGN_NONE;
        H5Tclose(t), H5Aclose(a);
        a = H5Aopen(f, "shard_scenarios", H5P_DEFAULT);
        t = H5Aget_type(a), s = H5Aget_space(a);
        typed &= H5Tget_class(t) == H5T_STRING && H5Sget_simple_extent_dims(s, dims, NULL) == 1 &&
                 dims[0] == 2;
        H5Sclose(s), H5Tclose(t), H5Aclose(a);
        a = H5Aopen(f, "shard_comparisons", H5P_DEFAULT);
        t = H5Aget_type(a), s = H5Aget_space(a);
        typed &= H5Tget_class(t) == H5T_INTEGER && H5Sget_simple_extent_dims(s, dims, NULL) == 2 &&
                 dims[0] == 1 && dims[1] == 2;
        H5Sclose(s), H5Tclose(t), H5Aclose(a);
        H5Fclose(f);
    }
    CHECK(typed, "write: shard identity as typed attributes (uint64, string array, int pairs)");
    es_run_result back;
    memset(&back, 0, sizeof back);
    st = es_h5_read(path, &back, err, sizeof err);
    CHECK(st == ES_OK && back.shard.config_hash == UINT64_C(0xfedcba9876543210) &&
              back.shard.n_scenarios == 2 && same_str(back.shard.scenarios[1], "zero_tolerance") &&
              back.shard.n_comparisons == 1 && back.shard.comparisons[0] == 0 &&
              back.shard.comparisons[1] == 1 && back.shard.n_held == 2 &&
              back.shard.units[1] == 4 && back.shard.complete,
          "read: shard identity back equal");
    es_run_result_free(&back);
    f = H5Fopen(path, H5F_ACC_RDWR, H5P_DEFAULT);
    a = H5Aopen(f, "layout_version", H5P_DEFAULT);
    int v = 2;
    H5Awrite(a, H5T_NATIVE_INT, &v);
    H5Aclose(a);
    H5Fclose(f);
    reseal(path); /* the layout check, not the checksum, must refuse it */
    expect_bad(path, "run that shard again", "read: a layout-2 shard refused, naming what to do");
}

/* Every string scale the writer makes keeps its heap references inside the
 * checksummed object header (compact layout), where damage is caught by
 * libhdf5 instead of crashing it. */
static void test_string_scales_compact(const char *dir, const es_run_result *r)
{
    char path[512], err[ERRLEN] = "";
    snprintf(path, sizeof path, "%s/compact.h5", dir);
    CHECK(es_h5_write(path, r, 1, err, sizeof err) == ES_OK, "write: result for the layout check");
    const char *scales[] = {"/scenarios/baseline/monthly/month",
                            "/scenarios/baseline/summary_fiscal_year/statistic",
                            "/scenarios/baseline/summary_calendar_year/statistic"};
    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    int compact = f >= 0;
    for (size_t i = 0; compact && i < sizeof scales / sizeof *scales; i++) {
        hid_t d = H5Dopen2(f, scales[i], H5P_DEFAULT);
        hid_t p = d >= 0 ? H5Dget_create_plist(d) : H5I_INVALID_HID;
        compact = p >= 0 && H5Pget_layout(p) == H5D_COMPACT;
        if (p >= 0) H5Pclose(p);
        if (d >= 0) H5Dclose(d);
    }
    if (f >= 0) H5Fclose(f);
    CHECK(compact, "write: string scales are stored compactly (layout 2)");
}

/* Large per-replication datasets are chunked along replication and deflated;
 * small ones stay contiguous. Both read back exactly, and so do zero
 * calendar years and a single replication. */
static void test_storage(const char *dir)
{
    char path[512], err[ERRLEN] = "";
    es_run_result r, back;
    make_edge_result(&r);
    snprintf(path, sizeof path, "%s/storage.h5", dir);
    CHECK(es_h5_write(path, &r, 0, err, sizeof err) == ES_OK, "write: large and empty axes");
    if (err[0]) printf("# %s\n", err);
    /* Absent provenance strings are written, and read back, as "". */
    char **strs[] = {&r.git_commit, &r.rng,      &r.config_text, &r.command_line,
                     &r.started,    &r.finished, &r.host};
    for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++) *strs[i] = es_strdup("");
    CHECK(es_h5_read(path, &back, err, sizeof err) == ES_OK && same_result(&r, &back),
          "read: large and empty axes equal, NULL strings read as empty");
    if (back.n_scenarios == 2) es_run_result_free(&back);

    hid_t f = H5Fopen(path, H5F_ACC_RDONLY, H5P_DEFAULT);
    hid_t d = H5Dopen2(f, "/scenarios/big/monthly/deaths", H5P_DEFAULT);
    hid_t p = H5Dget_create_plist(d);
    hsize_t chunk[2] = {0, 0};
    int chunked = H5Pget_layout(p) == H5D_CHUNKED && H5Pget_chunk(p, 2, chunk) == 2;
    CHECK(chunked && chunk[0] == 64 && chunk[1] == 48 && H5Pget_nfilters(p) == 1,
          "write: 100 x 48 monthly metric chunked (64, 48) and deflated");
    H5Pclose(p);
    H5Dclose(d);
    d = H5Dopen2(f, "/scenarios/big/fiscal_year/deaths", H5P_DEFAULT);
    p = H5Dget_create_plist(d);
    CHECK(H5Pget_layout(p) == H5D_CONTIGUOUS, "write: 100 x 4 fiscal metric contiguous");
    H5Pclose(p);
    H5Dclose(d);
    H5Fclose(f);
    es_run_result_free(&r);
}

/* tests/e2e/byte_flip.sh: every byte of the first `head` bytes of a result
 * and every stride-th byte after it inverted in turn, each read in-process
 * as info reads it. Every one must be refused with ES_ERR_INPUT and the
 * checksum message; a crash ends the program (the script sees the signal).
 * Prints the counts and the first few failures; exit 0 when all held. */
static int flip_sweep(const char *path, long head, long stride)
{
    int fd = open(path, O_RDWR);
    struct stat sb;
    if (fd < 0 || fstat(fd, &sb) != 0) {
        printf("FAIL flip: cannot open %s: %s\n", path, strerror(errno));
        return 1;
    }
    long tried = 0, bad = 0;
    for (off_t off = 0; off < sb.st_size; off += off < head ? 1 : stride) {
        unsigned char b, x;
        char err[ERRLEN] = "";
        es_run_result out;
        if (pread(fd, &b, 1, off) != 1 || (x = (unsigned char)~b, pwrite(fd, &x, 1, off) != 1)) {
            printf("FAIL flip: cannot change byte %lld of %s\n", (long long)off, path);
            close(fd);
            return 1;
        }
        es_status st = es_h5_read(path, &out, err, sizeof err);
        tried++;
        if (st != ES_ERR_INPUT || !strstr(err, "damaged: checksum mismatch") || !one_line(err)) {
            if (bad++ < 5) printf("# byte %lld: status %d, %s\n", (long long)off, (int)st, err);
            if (st == ES_OK) es_run_result_free(&out);
        }
        if (pwrite(fd, &b, 1, off) != 1) {
            printf("FAIL flip: cannot restore byte %lld of %s\n", (long long)off, path);
            close(fd);
            return 1;
        }
    }
    close(fd);
    printf("%s flip: %ld of %ld changed files (every byte of the first %ld, then every %ld-th) "
           "refused as damaged in-process\n",
           bad ? "FAIL" : "PASS", tried - bad, tried, head, stride);
    return bad != 0;
}

int main(int argc, char **argv)
{
    es_run_result r;
    if (argc == 5 && strcmp(argv[1], "--flip") == 0)
        return flip_sweep(argv[2], atol(argv[3]), atol(argv[4]) > 0 ? atol(argv[4]) : 1);
    if (argc == 3 && strcmp(argv[1], "--write-edge") == 0) {
        make_edge_result(&r);
        argv[1] = (char *)"--write";
    } else {
        make_result(&r);
    }
    if (argc == 3 && strcmp(argv[1], "--write") == 0) {
        char err[ERRLEN] = "";
        es_status st = es_h5_write(argv[2], &r, 1, err, sizeof err);
        if (st != ES_OK) fprintf(stderr, "test_h5: %s\n", err);
        es_run_result_free(&r);
        return st == ES_OK ? 0 : 1;
    }

    char dir[] = "/tmp/es_test_h5.XXXXXX";
    if (!mkdtemp(dir)) {
        printf("FAIL mkdtemp: %s\n", strerror(errno));
        return 1;
    }
    test_round_trip(dir, &r);
    test_refuse_and_force(dir, &r);
    test_string_scales_compact(dir, &r);
    test_unwritable(dir, &r);
    test_bad_inputs(dir);
    test_wrong_layout(dir, &r);
    test_shard_attributes(dir, &r);
    test_seal(dir, &r);
    test_storage(dir);
    CHECK(!temp_left(dir), "no temporary file left after all successes and failures");
    /* Files, groups, datasets, committed types and attributes; dataspaces
     * and property lists have no public count. */
    CHECK(H5Fget_obj_count(H5F_OBJ_ALL, H5F_OBJ_ALL) == 0,
          "no HDF5 object left open after all successes and failures");
    es_run_result_free(&r);
    rm_tree(dir);
    return TEST_END();
}
