/* test_run.c: the run pipeline as library calls (experiment/run.h): a plan
 * from a config and options, execute on 1 and 2 threads (bit-identical),
 * shards merged equal the whole run (plain and sweep), merge refuses a
 * missing or repeated shard, the stop hook interrupts, the journal hooks
 * see every unit once, and --precision adds batches up to its cap. */
#define _GNU_SOURCE
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "../../sim/core/mem.h"
#include "../../sim/experiment/run.h"
#include "../testlib.h"

#define ERR_MAX 2048

static char dir[64] = "/tmp/es_test_run.XXXXXX";
static char err[ERR_MAX], why[512];

static const char plain_cfg[] =
    "run = { seed = 11; replications = 3; };\n"
    "horizon = { start = \"2016-09-01\"; warmup_end = \"2016-10-01\"; end = \"2017-12-31\"; };\n"
    "migration = { arrivals = 40.0; };\n"
    "scenarios = ( { name = \"a\"; }, { name = \"b\"; border = { intensity = 1.3; }; } );\n"
    "comparisons = ( (\"a\", \"b\") );\n";

static const char sweep_cfg[] =
    "run = { seed = 5; replications = 2; };\n"
    "horizon = { start = \"2016-09-01\"; warmup_end = \"2016-10-01\"; end = \"2017-12-31\"; };\n"
    "migration = { arrivals = 40.0; };\n"
    "scenarios = ( { name = \"a\"; }, { name = \"b\"; border = { intensity = 1.3; }; } );\n"
    "sweep = { design = \"grid\"; parameters = ( { name = \"border.intensity\"; values = [0.8, "
    "1.2, 1.6]; } ); };\n";

static const char *put(const char *name, const char *text)
{
    static char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (!f || fputs(text, f) < 0 || fclose(f) != 0) {
        printf("FAIL cannot write %s\n", path);
        exit(1);
    }
    return path;
}

static es_status plan(const char *cfg, const es_run_options *o, es_plan *pl)
{
    es_run_spec *spec = es_calloc(1, sizeof *spec);
    err[0] = '\0';
    if (!spec) return ES_ERR_NOMEM;
    es_status st = es_cfg_load_run(cfg, NULL, 0, spec, err, sizeof err);
    if (st != ES_OK) {
        free(spec);
        return st;
    }
    return es_plan_init(pl, spec, o, cfg, err, sizeof err);
}

static es_run_options opts(void)
{
    es_run_options o;
    memset(&o, 0, sizeof o);
    o.crn = 1;
    return o;
}

/* Plans and executes cfg with o on `threads` threads into res. */
static es_status run(const char *cfg, const es_run_options *o, int threads, const es_run_hooks *h,
                     es_run_result *res, int64_t *done)
{
    es_plan pl;
    memset(res, 0, sizeof *res);
    es_status st = plan(cfg, o, &pl);
    if (st != ES_OK) return st;
    es_executor ex = {threads, NULL, NULL};
    int64_t d = 0;
    if ((st = es_plan_describe(&pl, res, err, sizeof err)) == ES_OK)
        st = es_run_execute(&pl, &ex, h, res, &d, why, sizeof why, err, sizeof err);
    /* Provenance a file has; merge copies it. */
    res->program_version = es_strdup("test");
    res->git_commit = es_strdup("test");
    res->started = es_strdup("2026-01-01T00:00:00Z");
    res->finished = es_strdup("2026-01-01T00:00:01Z");
    res->host = es_strdup("test");
    if (done) *done = d;
    es_plan_fini(&pl);
    return st;
}

static int same_doubles(const double *a, const double *b, size_t n)
{
    return n == 0 || (a && b && !memcmp(a, b, n * sizeof *a));
}

static int same_scenarios(const es_run_result *x, const es_run_result *y)
{
    if (x->n_scenarios != y->n_scenarios || x->n_comparisons != y->n_comparisons) return 0;
    for (int i = 0; i < x->n_scenarios; i++) {
        const es_scenario_result *a = &x->scenarios[i], *b = &y->scenarios[i];
        size_t R = (size_t)a->n_reps, M = ES_N_METRICS;
        if (a->n_reps != b->n_reps || strcmp(a->name, b->name) ||
            !same_doubles(a->monthly, b->monthly, R * M * (size_t)a->n_months) ||
            !same_doubles(a->fiscal, b->fiscal, R * M * (size_t)a->n_fy) ||
            !same_doubles(a->calendar, b->calendar, R * M * (size_t)a->n_cy) ||
            !same_doubles(a->fy_sum.mean, b->fy_sum.mean, M * (size_t)a->n_fy) ||
            !same_doubles(a->fy_sum.hi, b->fy_sum.hi, M * (size_t)a->n_fy))
            return 0;
    }
    for (int i = 0; i < x->n_comparisons; i++)
        if (!same_doubles(x->comparisons[i].fiscal, y->comparisons[i].fiscal,
                          (size_t)ES_N_METRICS * ES_CMP_N_STATS * (size_t)x->comparisons[i].n_fy))
            return 0;
    return 1;
}

static int same_sweep(const es_run_result *x, const es_run_result *y)
{
    if (x->n_sweep != y->n_sweep || x->n_sweep == 0) return 0;
    for (int i = 0; i < x->n_sweep; i++) {
        const es_sweep_result *a = &x->sweep[i], *b = &y->sweep[i];
        size_t rows = (size_t)a->n_rows, M = ES_N_METRICS, P = (size_t)a->n_points;
        if (a->n_rows != b->n_rows || memcmp(a->unit, b->unit, rows * sizeof *a->unit) ||
            !same_doubles(a->fiscal, b->fiscal, M * rows * (size_t)a->n_fy) ||
            !same_doubles(a->calendar, b->calendar, M * rows * (size_t)a->n_cy) ||
            !same_doubles(a->fy_sum, b->fy_sum, M * P * ES_SWEEP_N_STATS * (size_t)a->n_fy))
            return 0;
    }
    return 1;
}

/* Runs n shards of cfg and merges them (all, or without shard `skip`, or
 * with shard 0 twice when skip == -2). */
static es_status shards_merged(const char *cfg, int n, int skip, es_run_result *merged)
{
    es_run_result sh[8];
    const char *names[8] = {"s0", "s1", "s2", "s3", "s4", "s5", "s6", "s7"};
    int k = 0;
    es_status st = ES_OK;
    for (int i = 0; i < n && st == ES_OK; i++) {
        if (i == skip) continue;
        es_run_options o = opts();
        o.shard_index = i;
        o.shard_count = n;
        st = run(cfg, &o, 2, NULL, &sh[k++], NULL);
    }
    if (skip == -2 && st == ES_OK) {
        es_run_options o = opts();
        o.shard_count = n;
        st = run(cfg, &o, 1, NULL, &sh[k++], NULL);
    }
    if (st == ES_OK) st = es_run_merge(sh, names, k, merged, err, sizeof err);
    for (int i = 0; i < k; i++) es_run_result_free(&sh[i]);
    return st;
}

static int stop_after(void *ctx)
{
    int *left = ctx;
    return --*left <= 0;
}

typedef struct {
    int saved[64];
} journal_seen;

static int count_save(void *jctx, int64_t unit, const double *monthly, uint64_t events, char *e,
                      size_t elen)
{
    journal_seen *j = jctx;
    (void)monthly, (void)events, (void)e, (void)elen;
    if (unit >= 0 && unit < 64) __atomic_add_fetch(&j->saved[unit], 1, __ATOMIC_RELAXED);
    return 0;
}

int main(void)
{
    if (!mkdtemp(dir)) {
        printf("FAIL mkdtemp\n");
        return 1;
    }
    const char *pc = put("plain.cfg", plain_cfg);
    char plain_path[PATH_MAX];
    snprintf(plain_path, sizeof plain_path, "%s", pc);
    const char *sc = put("sweep.cfg", sweep_cfg);
    char sweep_path[PATH_MAX];
    snprintf(sweep_path, sizeof sweep_path, "%s", sc);

    /* ---- plan ---- */
    es_plan pl;
    es_run_options o = opts();
    o.replications = 5;
    o.shard_index = 2;
    o.shard_count = 4;
    CHECK(plan(plain_path, &o, &pl) == ES_OK && pl.n_scenarios == 2 && pl.n_points == 1 &&
              pl.n_reps == 5 && pl.n_units == 10 && pl.n_held == 2,
          "plan_counts_units_of_the_run_and_of_its_shard");
    es_plan_fini(&pl);
    o = opts();
    CHECK(plan(sweep_path, &o, &pl) == ES_OK && pl.n_points == 3 && pl.n_units == 12,
          "plan_of_a_sweep_has_its_points");
    int s, p;
    int64_t r;
    es_plan_unit(&pl, 7, &s, &p, &r);
    CHECK(s == 1 && p == 0 && r == 1, "plan_unit_is_scenario_point_replication_major");
    es_plan_fini(&pl);
    o = opts();
    o.shard_count = 11;
    o.shard_index = 0;
    CHECK(plan(plain_path, &o, &pl) == ES_ERR_USAGE && strstr(err, "only 6 units"),
          "plan_refuses_more_shards_than_units");
    o = opts();
    o.n_targets = 1;
    o.targets[0].metric = 0;
    o.targets[0].rel = 0.1;
    CHECK(plan(sweep_path, &o, &pl) == ES_ERR_USAGE && strstr(err, "not available for sweeps"),
          "plan_refuses_precision_for_a_sweep");
    o.max_replications = 2;
    CHECK(plan(plain_path, &o, &pl) == ES_ERR_USAGE && strstr(err, "below the first batch"),
          "plan_refuses_a_cap_below_the_first_batch");

    /* ---- the plan as bytes (MPI workers) ---- */
    o = opts();
    o.seed_given = 1;
    o.seed = 987654321;
    es_plan back;
    unsigned char *buf = NULL;
    size_t len = 0;
    int same_units = 0;
    if (plan(sweep_path, &o, &pl) == ES_OK &&
        es_plan_pack(&pl, &buf, &len, err, sizeof err) == ES_OK &&
        es_plan_unpack(buf, len, &back, err, sizeof err) == ES_OK) {
        es_unit_space ua, ub;
        es_plan_units(&pl, &ua);
        es_plan_units(&back, &ub);
        es_params *scratch = es_calloc(2, sizeof *scratch);
        size_t nv = es_unit_values(&ua, 7);
        double *ma = es_calloc(nv, sizeof *ma), *mb = es_calloc(nv, sizeof *mb);
        uint64_t ea = 0, eb = 0;
        same_units = scratch && ma && mb && back.n_units == pl.n_units && back.n_points == 3 &&
                     !strcmp(back.in[1].name, "b") && ub.seed == 987654321 &&
                     es_unit_compute(&ua, 7, &scratch[0], ma, &ea, err, sizeof err) == ES_OK &&
                     es_unit_compute(&ub, 7, &scratch[1], mb, &eb, err, sizeof err) == ES_OK &&
                     ea == eb && !memcmp(ma, mb, nv * sizeof *ma);
        free(scratch);
        free(ma);
        free(mb);
        es_plan_fini(&back);
    }
    CHECK(same_units, "unpacked_plan_computes_the_same_unit");
    CHECK(buf && es_plan_unpack(buf, len - 1, &back, err, sizeof err) == ES_ERR_INPUT,
          "truncated_plan_is_refused");
    if (buf) buf[8] ^= 0x01; /* the parameter size word: another build */
    CHECK(buf && es_plan_unpack(buf, len, &back, err, sizeof err) == ES_ERR_INPUT,
          "plan_of_another_build_is_refused");
    free(buf);
    es_plan_fini(&pl);

    /* ---- execute: threads do not matter ---- */
    es_run_result one, two, merged;
    int64_t done = 0;
    o = opts();
    journal_seen js;
    memset(&js, 0, sizeof js);
    es_run_hooks jh = {.save = count_save, .jctx = &js};
    es_status st1 = run(plain_path, &o, 1, &jh, &one, &done);
    es_status st2 = run(plain_path, &o, 2, NULL, &two, NULL);
    CHECK(st1 == ES_OK && st2 == ES_OK && done == 6 && one.n_comparisons == 1,
          "execute_runs_every_unit_and_the_comparison");
    CHECK(st1 == ES_OK && st2 == ES_OK && same_scenarios(&one, &two),
          "execute_on_1_and_2_threads_is_bit_identical");
    int once = 1;
    for (int u = 0; u < 6; u++) once &= js.saved[u] == 1;
    CHECK(once && js.saved[6] == 0, "journal_save_hook_sees_every_unit_once");

    /* ---- merge: shards equal the whole run ---- */
    es_status st = shards_merged(plain_path, 4, -1, &merged);
    CHECK(st == ES_OK && same_scenarios(&one, &merged), "four_shards_merged_equal_the_whole_run");
    es_run_result_free(&merged);
    st = shards_merged(plain_path, 3, 1, &merged);
    CHECK(st == ES_ERR_INPUT && strstr(err, "shard 1/3 is missing"),
          "merge_refuses_a_missing_shard");
    es_run_result_free(&merged);
    st = shards_merged(plain_path, 3, -2, &merged);
    CHECK(st == ES_ERR_INPUT && strstr(err, "both shard 0/3"), "merge_refuses_a_repeated_shard");
    es_run_result_free(&merged);
    es_run_result_free(&one);
    es_run_result_free(&two);

    /* ---- a sweep: the same pipeline ---- */
    o = opts();
    st1 = run(sweep_path, &o, 1, NULL, &one, &done);
    st2 = run(sweep_path, &o, 2, NULL, &two, NULL);
    CHECK(st1 == ES_OK && st2 == ES_OK && done == 12 && same_sweep(&one, &two),
          "sweep_on_1_and_2_threads_is_bit_identical");
    st = shards_merged(sweep_path, 5, -1, &merged);
    CHECK(st == ES_OK && same_sweep(&one, &merged), "sweep_shards_merged_equal_the_whole_sweep");
    es_run_result_free(&merged);
    es_run_result_free(&one);
    es_run_result_free(&two);

    /* ---- stop and precision ---- */
    int left = 2;
    es_run_hooks sh = {.stop = stop_after, .ctx = &left};
    o = opts();
    st = run(plain_path, &o, 1, &sh, &one, &done);
    CHECK(st == ES_ERR_INTERRUPTED && strstr(err, "interrupted after 2 of 6"),
          "stop_hook_interrupts_after_the_units_running");
    es_run_result_free(&one);
    o = opts();
    o.n_targets = 1;
    o.targets[0].metric = es_metric_find("apprehensions");
    o.targets[0].rel = 1e-9;
    o.max_replications = 7;
    st = run(plain_path, &o, 2, NULL, &one, &done);
    CHECK(st == ES_OK && !one.precision_met && one.scenarios[0].n_reps == 7 && done == 14 &&
              strstr(why, "apprehensions"),
          "precision_adds_batches_up_to_its_cap_and_says_why");
    es_run_result_free(&one);
    o.targets[0].rel = 0.99;
    st = run(plain_path, &o, 2, NULL, &one, &done);
    CHECK(st == ES_OK && one.precision_met && one.scenarios[0].n_reps == 3,
          "precision_met_at_the_first_batch_adds_nothing");
    es_run_result_free(&one);

    unlink(plain_path);
    unlink(sweep_path);
    rmdir(dir);
    return TEST_END();
}
