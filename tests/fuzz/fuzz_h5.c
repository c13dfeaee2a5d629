/* fuzz_h5.c: fuzzes the results reader, es_h5_read (io/h5in.h), as info,
 * compare, merge and report use it (contract and input format in fuzz.h).
 *
 * The input becomes <dir>/in.h5. What is checked, beyond "no sanitizer
 * report in our code":
 * - a refusal is ES_ERR_INPUT (or ES_ERR_NOMEM) with one printable line
 *   that starts with the file's name;
 * - an accepted file is what h5in.h promises its users: every string info
 *   prints is there, every array has the length its counts say (each
 *   element is read, so AddressSanitizer sees a short one), and any two
 *   scenarios of the same shape can be compared as `enforcesim compare`
 *   does (es_compare_scenarios).
 *
 * Global heaps. HDF5 1.10.8 (Debian 12) reads variable-length data (our
 * strings, and the DIMENSION_LIST of every dimension scale) from "global
 * heap collections", a part of the format with no checksum, and trusts
 * them: H5HG_read copies an object by the size and index written in the
 * collection, without bounds checks, so a flipped byte there overflows a
 * heap block or dereferences a wild pointer inside libhdf5 (what the first
 * runs found, in H5HG_read under H5Aread and H5DSget_num_scales). No check
 * of ours can prevent that: the reference to the object lives inside the
 * library. So the fuzzer never changes those bytes: LLVMFuzzerCustomMutator
 * below lets libFuzzer mutate the input as usual, then copies every global
 * heap collection of the original input (signature "GCOL") back to its
 * offset. (The references themselves are safe where a checksum covers
 * them, in headers and compact datasets; the reader refuses string scales
 * stored elsewhere, see check_names in h5in.c.) Everything else is mutated
 * freely; in the files enforcesim writes
 * (and the seeds, made with libver "latest") object headers, B-trees and
 * the superblock carry checksums, which libhdf5 verifies, so most damage
 * there is refused cleanly; the unchecksummed raw data (our axes and
 * values) is what mostly reaches our checks. No AddressSanitizer or UBSan
 * report is suppressed; LeakSanitizer ignores allocations made inside
 * libhdf5, which leaks on some damaged headers (fuzz_util.h says why that
 * is safe).
 *
 * The seal. Every result starts with a checksummed user block (io/seal.h)
 * that the reader verifies before libhdf5 sees the file, so a mutated
 * file would never get past it. The input is therefore the HDF5 data
 * alone (a seal in front of it, as on a real result, is dropped), and the
 * harness seals it before reading: libhdf5 finds the superblock after the
 * block and counts addresses from there. The seal's own checks are tested
 * by tests/unit/test_h5.c and tests/e2e/byte_flip.sh. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "experiment/compare.h"
#include "io/h5in.h"
#include "io/seal.h"
#include "fuzz_util.h"

#define FUZZ_ERR_MAX 2048

int es_fuzz_h5_prepare(const char *dir)
{
    (void)dir;
    return 0;
}

/* Reads every element, so a short array is an ASan report; the sum keeps
 * the compiler from dropping the reads. */
static double touch(const void *p, size_t n, size_t esize)
{
    const unsigned char *b = p;
    double s = 0;
    if (n && !p) fuzz_bug("an array of the accepted result is missing", NULL);
    for (size_t i = 0; i < n * esize; i++) s += b[i];
    return s;
}

static void check_string(const char *s, const char *what)
{
    if (!s) fuzz_bug("an accepted result lacks a string", what);
}

static void check_result(const es_run_result *r)
{
    volatile double sink = 0;
    const size_t M = ES_N_METRICS;
    check_string(r->program_version, "version");
    check_string(r->git_commit, "git_commit");
    check_string(r->rng, "rng");
    check_string(r->config_text, "config");
    check_string(r->command_line, "command_line");
    check_string(r->started, "started");
    check_string(r->finished, "finished");
    check_string(r->host, "host");
    if (r->n_scenarios < 0 || (r->n_scenarios > 0 && !r->scenarios))
        fuzz_bug("bad scenario count", NULL);
    for (int i = 0; i < r->n_scenarios; i++) {
        const es_scenario_result *s = &r->scenarios[i];
        check_string(s->name, "scenario name");
        if (s->n_reps < 0 || s->n_months < 0 || s->n_fy < 0 || s->n_cy < 0)
            fuzz_bug("negative count", s->name);
        size_t R = (size_t)s->n_reps;
        sink += touch(s->month_start, (size_t)s->n_months, sizeof *s->month_start);
        sink += touch(s->fy, (size_t)s->n_fy, sizeof *s->fy);
        sink += touch(s->cy, (size_t)s->n_cy, sizeof *s->cy);
        sink += touch(s->replication, R, sizeof *s->replication);
        sink += touch(s->monthly, R * M * (size_t)s->n_months, sizeof(double));
        sink += touch(s->fiscal, R * M * (size_t)s->n_fy, sizeof(double));
        sink += touch(s->calendar, R * M * (size_t)s->n_cy, sizeof(double));
        const es_summary *sums[2] = {&s->fy_sum, &s->cy_sum};
        for (int k = 0; k < 2; k++) {
            size_t n = M * (size_t)(k ? s->n_cy : s->n_fy);
            sink += touch(sums[k]->mean, n, sizeof(double)) +
                    touch(sums[k]->sd, n, sizeof(double)) + touch(sums[k]->lo, n, sizeof(double)) +
                    touch(sums[k]->hi, n, sizeof(double));
        }
    }
    if (r->n_comparisons < 0 || (r->n_comparisons > 0 && !r->comparisons))
        fuzz_bug("bad comparison count", NULL);
    for (int i = 0; i < r->n_comparisons; i++) {
        const es_comparison_result *c = &r->comparisons[i];
        check_string(c->base, "comparison base");
        check_string(c->alt, "comparison alt");
        sink += touch(c->fy, (size_t)c->n_fy, sizeof *c->fy) +
                touch(c->cy, (size_t)c->n_cy, sizeof *c->cy);
        sink += touch(c->fiscal, M * ES_CMP_N_STATS * (size_t)c->n_fy, sizeof(double));
        sink += touch(c->calendar, M * ES_CMP_N_STATS * (size_t)c->n_cy, sizeof(double));
    }
    /* What `enforcesim compare FILE --base A --alt B` computes for the
     * first two scenarios (it refuses pairs of another shape, as this does). */
    if (r->n_scenarios >= 2) {
        char err[FUZZ_ERR_MAX] = "";
        es_comparison_result c;
        memset(&c, 0, sizeof c);
        if (es_compare_scenarios(&r->scenarios[0], &r->scenarios[1], 0.01, &c, err, sizeof err) ==
            ES_OK)
            es_comparison_result_fini(&c);
    }
    (void)sink;
}

int es_fuzz_h5_one(const char *dir, const uint8_t *data, size_t size)
{
    char path[PATH_MAX], err[FUZZ_ERR_MAX] = "";
    es_run_result r;
    static const char magic[] = "enforcesim sealed result\n";
    if (size > ES_SEAL_BLOCK && memcmp(data, magic, sizeof magic - 1) == 0)
        data += ES_SEAL_BLOCK, size -= ES_SEAL_BLOCK;
    if (size == 0) {
        fuzz_put(dir, "in.h5", data, 0);
    } else {
        unsigned char *sealed = malloc(ES_SEAL_BLOCK + size);
        if (!sealed) fuzz_bug("out of memory sealing the input", NULL);
        memcpy(sealed + ES_SEAL_BLOCK, data, size);
        es_seal_image(sealed, ES_SEAL_BLOCK + size);
        fuzz_put(dir, "in.h5", sealed, ES_SEAL_BLOCK + size);
        free(sealed);
    }
    fuzz_path(path, sizeof path, dir, "in.h5");
    memset(&r, 0, sizeof r);
    es_status st = es_h5_read(path, &r, err, sizeof err);
    if (st == ES_OK) {
        check_result(&r);
        es_run_result_free(&r);
        return 0;
    }
    if (st != ES_ERR_INPUT && st != ES_ERR_NOMEM)
        fuzz_bug("refused with a status other than INPUT", err);
    fuzz_check_message(err, path, NULL);
    return 1;
}

#ifndef ES_FUZZ_NO_MAIN
int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max_size);
size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed);

#define GCOL_HEADER 16 /* "GCOL", version 1, 3 reserved bytes, 8-byte collection size */

/* libFuzzer's mutation, then every global heap collection of the input
 * restored at its offset (see the file comment). The collection's length
 * is the size in its header, cut to the input. */
size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max_size, unsigned int seed)
{
    (void)seed; /* LLVMFuzzerMutate draws from libFuzzer's own generator */
    uint8_t *orig = malloc(size ? size : 1);
    if (!orig) return LLVMFuzzerMutate(data, size, max_size);
    memcpy(orig, data, size);
    size_t n = LLVMFuzzerMutate(data, size, max_size);
    for (size_t off = 0; off + GCOL_HEADER <= size; off++) {
        if (memcmp(orig + off, "GCOL\1", 5) != 0) continue;
        uint64_t len = 0;
        for (int i = 7; i >= 0; i--) len = len << 8 | orig[off + 8 + (size_t)i];
        if (len < GCOL_HEADER || len > size - off) len = size - off;
        size_t keep = off < n ? (len < n - off ? (size_t)len : n - off) : 0;
        memcpy(data + off, orig + off, keep);
        off += (size_t)len - 1;
    }
    free(orig);
    return n;
}

static char fuzz_dir[512];

static void fuzz_at_exit(void)
{
    es_fuzz_cleanup(fuzz_dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv; /* libFuzzer's signature */
    const char *tmp = getenv("TMPDIR");
    snprintf(fuzz_dir, sizeof fuzz_dir, "%s/es-fuzz-h5.XXXXXX",
             tmp && strlen(tmp) < 400 ? tmp : "/tmp");
    if (!mkdtemp(fuzz_dir)) fuzz_bug("mkdtemp failed", fuzz_dir);
    atexit(fuzz_at_exit);
    return es_fuzz_h5_prepare(fuzz_dir);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    (void)es_fuzz_h5_one(fuzz_dir, data, size);
    return 0;
}
#endif
