/* test_journal.c: the unit journal (io/journal.h). Round trips, refusals
 * of foreign journals, and the promise that matters for --resume: however
 * a journal file is damaged (bytes flipped, cut short, garbage appended),
 * opening it either refuses cleanly or yields only records whose payload
 * is exactly what was appended; a record is never half-trusted. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <gsl/gsl_rng.h>
#include "io/journal.h"
#include "../testlib.h"

#define ERRLEN  512
#define P       7 /* doubles per record */
#define N_UNITS 12
#define TRIALS  3000

static const char *identity =
    "program=test\nseed=1\nconfig:\nrun = { seed = 1; };\nhsi = { agents = 450; };\n";

static void payload_of(int64_t unit, double *v)
{
    for (int k = 0; k < P; k++)
        v[k] = 1000.0 * (double)unit + 0.125 * k + 1e-7 * (double)(unit * k);
}

static unsigned char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *b = malloc((size_t)len + 1);
    if (b && fread(b, 1, (size_t)len, f) != (size_t)len) {
        free(b);
        b = NULL;
    }
    fclose(f);
    *n = (size_t)len;
    return b;
}

static int spill(const char *path, const unsigned char *b, size_t n)
{
    FILE *f = fopen(path, "wb");
    if (!f) return -1;
    int rc = fwrite(b, 1, n, f) == n ? 0 : -1;
    return fclose(f) == 0 ? rc : -1;
}

int main(void)
{
    char dir[] = "/tmp/es_test_journal_XXXXXX", path[256], link_path[256], err[ERRLEN];
    if (!mkdtemp(dir)) {
        printf("FAIL mkdtemp: %s\n", strerror(errno));
        return 1;
    }
    snprintf(path, sizeof path, "%s/out.h5.journal", dir);
    snprintf(link_path, sizeof link_path, "%s/link.journal", dir);
    double v[P], got[P];
    uint64_t ev = 0;

    /* ---- round trip ---- */
    es_journal *j = NULL;
    CHECK(es_journal_create(path, identity, P, &j, err, sizeof err) == ES_OK,
          "journal_create_succeeds");
    int ok = j != NULL;
    for (int64_t u = 0; ok && u < N_UNITS; u++) {
        payload_of(u, v);
        ok = es_journal_append(j, u, v, (uint64_t)(u * 3 + 1), err, sizeof err) == ES_OK;
    }
    CHECK(ok && es_journal_appended(j) == N_UNITS, "journal_appends_every_unit");
    es_journal_close(j);
    j = NULL;
    es_status st = es_journal_open(path, identity, P, N_UNITS, &j, err, sizeof err);
    CHECK(st == ES_OK && es_journal_replayable(j) == N_UNITS && es_journal_damaged(j) == 0 &&
              es_journal_torn_bytes(j) == 0,
          "journal_reopens_with_every_unit");
    ok = st == ES_OK;
    for (int64_t u = 0; ok && u < N_UNITS; u++) {
        payload_of(u, v);
        ok = es_journal_read(j, u, got, &ev, err, sizeof err) == 1 && !memcmp(got, v, sizeof v) &&
             ev == (uint64_t)(u * 3 + 1);
    }
    CHECK(ok, "journal_reads_back_payload_and_events_bit_for_bit");
    CHECK(st == ES_OK && es_journal_read(j, N_UNITS + 5, got, &ev, err, sizeof err) == 0,
          "journal_read_of_an_absent_unit_is_0");
    es_journal_close(j);
    j = NULL;

    /* ---- refusals ---- */
    st = es_journal_create(path, identity, P, &j, err, sizeof err);
    CHECK(st == ES_ERR_EXISTS && j == NULL && strstr(err, "--resume"),
          "journal_create_never_replaces_a_journal");
    CHECK(symlink(path, link_path) == 0 &&
              es_journal_create(link_path, identity, P, &j, err, sizeof err) != ES_OK && j == NULL,
          "journal_create_refuses_a_symlink");
    st = es_journal_open(link_path, identity, P, N_UNITS, &j, err, sizeof err);
    CHECK(st != ES_OK && j == NULL, "journal_open_does_not_follow_a_symlink");
    char other[512];
    snprintf(other, sizeof other, "%s", identity);
    other[strlen("program=test\nseed=")] = '2';
    st = es_journal_open(path, other, P, N_UNITS, &j, err, sizeof err);
    CHECK(st == ES_ERR_INPUT && j == NULL && strstr(err, "seed: the journal has 1, this run has 2"),
          "journal_of_another_seed_is_refused_naming_the_seed");
    snprintf(other, sizeof other, "%s", identity);
    *strstr(other, "450") = '5';
    st = es_journal_open(path, other, P, N_UNITS, &j, err, sizeof err);
    CHECK(st == ES_ERR_INPUT &&
              strstr(err, "config line 2: the journal has 'hsi = { agents = 450; };'"),
          "journal_of_another_config_is_refused_naming_the_line");
    st = es_journal_open(path, identity, P + 1, N_UNITS, &j, err, sizeof err);
    CHECK(st == ES_ERR_INPUT && j == NULL, "journal_of_another_record_size_is_refused");
    char notj[256];
    snprintf(notj, sizeof notj, "%s/not.journal", dir);
    spill(notj, (const unsigned char *)"HDF5 or anything else", 21);
    st = es_journal_open(notj, identity, P, N_UNITS, &j, err, sizeof err);
    CHECK(st == ES_ERR_INPUT && strstr(err, "not an enforcesim journal"),
          "a_file_that_is_not_a_journal_is_refused");

    /* ---- damage: never trust a record that was not written whole ---- */
    size_t n0 = 0;
    unsigned char *orig = slurp(path, &n0);
    const size_t rec = 32 + 8 * P, data_start = n0 - N_UNITS * rec;
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(r, 20190201);
    unsigned char *b = malloc(n0 + 4 * rec);
    char dpath[256];
    snprintf(dpath, sizeof dpath, "%s/damaged.journal", dir);
    int wrong = 0, refused_badly = 0, accepted = 0, refused = 0, not_cut = 0;
    for (int t = 0; orig && b && t < TRIALS; t++) {
        size_t n = n0;
        memcpy(b, orig, n0);
        switch (t % 3) {
        case 0: /* flip 1-4 bytes anywhere */
            for (int k = 0, m = 1 + (int)gsl_rng_uniform_int(r, 4); k < m; k++)
                b[gsl_rng_uniform_int(r, n0)] ^= (unsigned char)(1 + gsl_rng_uniform_int(r, 255));
            break;
        case 1: /* cut short, as a crash inside a write leaves it */
            n = (size_t)gsl_rng_uniform_int(r, n0);
            break;
        default: /* garbage after the last record */
            for (size_t k = 0, m = 1 + gsl_rng_uniform_int(r, 2 * rec); k < m; k++)
                b[n++] = (unsigned char)gsl_rng_uniform_int(r, 256);
        }
        if (spill(dpath, b, n) != 0) break;
        err[0] = '\0';
        st = es_journal_open(dpath, identity, P, N_UNITS, &j, err, sizeof err);
        if (st != ES_OK) {
            refused++;
            if (st != ES_ERR_INPUT || !err[0] || strchr(err, '\n')) refused_badly++;
            continue;
        }
        accepted++;
        for (int64_t u = 0; u < N_UNITS + 2; u++) {
            int rc = es_journal_read(j, u, got, &ev, err, sizeof err);
            payload_of(u, v);
            if (rc == 1 &&
                (u >= N_UNITS || memcmp(got, v, sizeof v) != 0 || ev != (uint64_t)(u * 3 + 1)))
                wrong++;
            if (rc < 0) wrong++;
        }
        es_journal_close(j);
        j = NULL;
        struct stat sb;
        if (stat(dpath, &sb) != 0 || ((size_t)sb.st_size - data_start) % rec != 0) not_cut++;
    }
    printf("# damage trials: %d accepted, %d refused\n", accepted, refused);
    CHECK(accepted > TRIALS / 2 && refused > 0, "damage_trials_exercise_both_outcomes");
    CHECK(wrong == 0, "a_damaged_journal_never_yields_a_wrong_record");
    CHECK(refused_badly == 0, "a_damaged_header_is_refused_as_input_with_one_line");
    CHECK(not_cut == 0, "opening_cuts_a_torn_tail_to_whole_records");

    /* ---- append after a torn tail: the new record is found ---- */
    memcpy(b, orig, n0);
    spill(dpath, b, n0 - rec / 2); /* the last record torn */
    st = es_journal_open(dpath, identity, P, N_UNITS, &j, err, sizeof err);
    int64_t before = st == ES_OK ? es_journal_replayable(j) : -1;
    payload_of(N_UNITS - 1, v);
    if (st == ES_OK)
        st = es_journal_append(j, N_UNITS - 1, v, (uint64_t)((N_UNITS - 1) * 3 + 1), err,
                               sizeof err);
    es_journal_close(j);
    j = NULL;
    if (st == ES_OK) st = es_journal_open(dpath, identity, P, N_UNITS, &j, err, sizeof err);
    CHECK(before == N_UNITS - 1 && st == ES_OK && es_journal_replayable(j) == N_UNITS &&
              es_journal_damaged(j) == 0 &&
              es_journal_read(j, N_UNITS - 1, got, &ev, err, sizeof err) == 1 &&
              !memcmp(got, v, sizeof v),
          "a_torn_unit_appended_again_is_read_back_whole");
    es_journal_close(j);

    /* ---- a valid record of a unit the run does not have: damage ---- */
    const int64_t outside[] = {N_UNITS, (int64_t)1 << 40};
    for (int k = 0; k < 2 && orig; k++) {
        spill(dpath, orig, n0);
        st = es_journal_open(dpath, identity, P, N_UNITS, &j, err, sizeof err);
        payload_of(0, v);
        if (st == ES_OK) st = es_journal_append(j, outside[k], v, 1, err, sizeof err);
        es_journal_close(j);
        j = NULL;
        char want[64];
        snprintf(want, sizeof want, "record %d (at byte", N_UNITS);
        st = es_journal_open(dpath, identity, P, N_UNITS, &j, err, sizeof err);
        CHECK(st == ES_ERR_INPUT && j == NULL && strstr(err, want) && strstr(err, "damaged") &&
                  !strchr(err, '\n'),
              k ? "a_record_of_unit_2^40_is_a_damaged_journal_not_out_of_memory"
                : "a_record_of_unit_n_units_is_a_damaged_journal_naming_the_record");
        if (st != ES_ERR_INPUT) printf("# status %d: %s\n", (int)st, err);
    }

    /* ---- paths that are no journal file ---- */
    char odd[256];
    snprintf(odd, sizeof odd, "%s/folder.journal", dir);
    mkdir(odd, 0700);
    st = es_journal_open(odd, identity, P, N_UNITS, &j, err, sizeof err);
    CHECK(st == ES_ERR_USAGE && strstr(err, "a folder, not a journal file"),
          "journal_open_of_a_folder_says_so");
    st = es_journal_create(odd, identity, P, &j, err, sizeof err);
    CHECK(st == ES_ERR_USAGE && strstr(err, "a folder"), "journal_create_over_a_folder_says_so");
    rmdir(odd);
    snprintf(odd, sizeof odd, "%s/fifo.journal", dir);
    mkfifo(odd, 0600);
    st = es_journal_open(odd, identity, P, N_UNITS, &j, err, sizeof err);
    CHECK(st == ES_ERR_USAGE && strstr(err, "FIFO"),
          "journal_open_of_a_fifo_says_so_without_blocking");
    unlink(odd);
    st = es_journal_open(link_path, identity, P, N_UNITS, &j, err, sizeof err);
    CHECK(st == ES_ERR_USAGE && strstr(err, "symbolic link"), "journal_open_of_a_symlink_says_so");
    st = es_journal_create(link_path, identity, P, &j, err, sizeof err);
    CHECK(st == ES_ERR_USAGE && strstr(err, "symbolic link"),
          "journal_create_over_a_symlink_says_so");

    CHECK(es_journal_remove(path, err, sizeof err) == ES_OK && access(path, F_OK) != 0,
          "journal_remove_removes_it");
    CHECK(es_journal_remove(path, err, sizeof err) == ES_OK,
          "journal_remove_of_a_missing_journal_is_fine");

    gsl_rng_free(r);
    free(b);
    free(orig);
    unlink(dpath);
    unlink(notj);
    unlink(link_path);
    rmdir(dir);
    return TEST_END();
}
