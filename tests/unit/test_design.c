/* test_design.c: sweep designs (experiment/design.h). Sobol and Halton
 * points are GSL's sequences mapped to the ranges; a Latin hypercube has
 * exactly one point per stratum per parameter; grids are the C-order
 * product of the levels; a sweep block in a config loads to the same
 * points; applying a point sets what it names; bad designs are refused. */
#define _GNU_SOURCE /* mkstemps */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <stddef.h>
#include <string.h>
#include <gsl/gsl_qrng.h>
#include "experiment/design.h"
#include "io/cfg.h"
#include "io/sweep.h"
#include "../testlib.h"

static int same_as_gsl(const gsl_qrng_type *t, es_design_kind kind)
{
    es_design_param p[3] = {
        {"a", 0, NULL, 0, 1, 0, 0}, {"b", 0, NULL, 10, 1000, 1, 0}, {"c", 0, NULL, -5, 5, 0, 1}};
    double *x = NULL, u[3];
    int n = 0, ok = 1;
    char err[256];
    gsl_qrng *q = gsl_qrng_alloc(t, 3);
    if (!q || es_design_build(kind, p, 3, 50, 1, &x, &n, err, sizeof err) != ES_OK || n != 50)
        ok = 0;
    for (int k = 0; ok && k < n; k++) {
        gsl_qrng_get(q, u);
        double want[3] = {u[0], 10 * pow(100, u[1]), -5 + floor(u[2] * 11)};
        if (want[2] > 5) want[2] = 5;
        for (int j = 0; j < 3; j++)
            if (x[k * 3 + j] != want[j]) ok = 0;
    }
    if (q) gsl_qrng_free(q);
    free(x);
    return ok;
}

/* The config path: a sobol/halton sweep block loads to exactly GSL's
 * points mapped to the ranges (a real, a log-scaled real, an integer). */
static int config_matches_gsl(const char *design, const gsl_qrng_type *t)
{
    char path[] = "/tmp/es_test_design_XXXXXX.cfg", err[512];
    int fd = mkstemps(path, 4), ok = 1;
    if (fd < 0) return 0;
    FILE *f = fdopen(fd, "w");
    if (!f) return 0;
    fprintf(f,
            "sweep = { design = \"%s\"; points = 20; parameters = (\n"
            "  { name = \"migration.fee_sigma\"; low = 0.1; high = 0.9; },\n"
            "  { name = \"migration.staging_days\"; low = 1.0; high = 100.0; scale = \"log\"; },\n"
            "  { name = \"migration.max_attempts\"; low = 1; high = 6; }\n); };\n",
            design);
    fclose(f);
    es_run_spec spec;
    memset(&spec, 0, sizeof spec);
    gsl_qrng *q = gsl_qrng_alloc(t, 3);
    if (!q || es_cfg_load_run(path, NULL, 0, &spec, err, sizeof err) != ES_OK || !spec.sweep ||
        spec.sweep->n_points != 20 || spec.sweep->d != 3)
        ok = 0;
    for (int k = 0; ok && k < 20; k++) {
        double u[3];
        gsl_qrng_get(q, u);
        double want[3] = {0.1 + u[0] * (0.9 - 0.1), 1.0 * pow(100.0 / 1.0, u[1]),
                          1 + floor(u[2] * 6)};
        if (want[2] > 6) want[2] = 6;
        for (int j = 0; j < 3; j++)
            if (spec.sweep->x[k * 3 + j] != want[j]) ok = 0;
    }
    if (q) gsl_qrng_free(q);
    es_run_spec_fini(&spec);
    unlink(path);
    return ok;
}

/* Loads a config holding `text` into spec (zeroed first); 0 on success. */
static int load_text(const char *text, es_run_spec *spec, char *err, size_t errlen)
{
    char path[] = "/tmp/es_test_design_XXXXXX.cfg";
    int fd = mkstemps(path, 4);
    memset(spec, 0, sizeof *spec);
    if (fd < 0) return -1;
    FILE *f = fdopen(fd, "w");
    if (!f) return -1;
    fputs(text, f);
    fclose(f);
    int rc = es_cfg_load_run(path, NULL, 0, spec, err, errlen) == ES_OK ? 0 : -1;
    unlink(path);
    return rc;
}

/* Saltelli: A is the first k coordinates of GSL's 2k-dimensional Sobol
 * points and B the last k, mapped; each AB_i block equals A except in
 * column i, which equals B's. */
static int saltelli_blocks_ok(void)
{
    enum { K = 3, N = 16 };
    es_design_param p[K] = {
        {"a", 0, NULL, 0, 1, 0, 0}, {"b", 0, NULL, 10, 1000, 1, 0}, {"c", 0, NULL, -5, 5, 0, 1}};
    double *x = NULL, u[2 * K];
    int n = 0, ok = 1;
    char err[256];
    gsl_qrng *q = gsl_qrng_alloc(gsl_qrng_sobol, 2 * K);
    if (!q || es_design_build(ES_DESIGN_SALTELLI, p, K, N, 1, &x, &n, err, sizeof err) != ES_OK ||
        n != N * (K + 2))
        ok = 0;
    for (int r = 0; ok && r < N; r++) {
        gsl_qrng_get(q, u);
        const double *a = x + r * K, *b = x + (N + r) * K;
        for (int j = 0; j < K; j++)
            ok = ok && a[j] == es_design_map(&p[j], u[j]) && b[j] == es_design_map(&p[j], u[K + j]);
        for (int i = 0; i < K; i++) {
            const double *abi = x + ((2 + i) * N + r) * K;
            for (int j = 0; j < K; j++) ok = ok && abi[j] == (j == i ? b[j] : a[j]);
        }
    }
    if (q) gsl_qrng_free(q);
    free(x);
    return ok;
}

/* Morris: r (k + 1) points; within a trajectory each step changes exactly
 * one parameter, each parameter once; the seed moves it. */
static int morris_steps_ok(uint64_t seed, double **keep)
{
    enum { K = 3, R = 7 };
    es_design_param p[K] = {
        {"a", 0, NULL, 0, 1, 0, 0}, {"b", 0, NULL, 10, 1000, 1, 0}, {"c", 0, NULL, -2.5, 7, 0, 0}};
    double *x = NULL;
    int n = 0, ok = 1;
    char err[256];
    if (es_design_build_levels(ES_DESIGN_MORRIS, p, K, R, 6, seed, &x, &n, err, sizeof err) !=
            ES_OK ||
        n != R * (K + 1))
        ok = 0;
    for (int t = 0; ok && t < R; t++) {
        int seen[K] = {0};
        for (int s = 0; s < K; s++) {
            const double *a = x + (t * (K + 1) + s) * K, *b = a + K;
            int moved = 0;
            for (int j = 0; j < K; j++)
                if (a[j] != b[j]) moved++, seen[j]++;
            ok = ok && moved == 1;
        }
        for (int j = 0; j < K; j++) ok = ok && seen[j] == 1;
    }
    *keep = x;
    return ok;
}

static void test_sensitivity_designs(void)
{
    char err[512];
    es_run_spec spec;
    double *m1 = NULL, *m2 = NULL, *m3 = NULL;
    CHECK(saltelli_blocks_ok(), "saltelli_ab_i_is_a_with_column_i_from_b");
    int ok = morris_steps_ok(7, &m1) && morris_steps_ok(7, &m2) && morris_steps_ok(8, &m3);
    CHECK(ok, "morris_each_step_moves_one_parameter_each_once");
    CHECK(ok && !memcmp(m1, m2, 28 * 3 * sizeof *m1) && memcmp(m1, m3, 28 * 3 * sizeof *m1),
          "morris_same_seed_same_design_other_seed_other_design");
    free(m1);
    free(m2);
    free(m3);

    /* Through a config: point counts, levels, and the block written back
     * reads to the same points. */
    const char *sal = "sweep = { design = \"saltelli\"; points = 8; parameters = (\n"
                      "  { name = \"migration.fee_sigma\"; low = 0.1; high = 0.9; },\n"
                      "  { name = \"migration.max_attempts\"; low = 1; high = 6; }\n); };\n";
    ok = load_text(sal, &spec, err, sizeof err) == 0 && spec.sweep && spec.sweep->n_points == 32;
    es_run_spec_fini(&spec);
    CHECK(ok, "saltelli_sweep_block_gives_n_times_k_plus_2_points");
    const char *mor = "sweep = { design = \"morris\"; points = 5; levels = 6; parameters = (\n"
                      "  { name = \"migration.fee_sigma\"; low = 0.1; high = 0.9; },\n"
                      "  { name = \"migration.staging_days\"; low = 1.0; high = 100.0; },\n"
                      "  { name = \"migration.max_attempts\"; low = 1; high = 6; }\n); };\n";
    ok = load_text(mor, &spec, err, sizeof err) == 0 && spec.sweep && spec.sweep->n_points == 20 &&
         spec.sweep->levels == 6;
    char *text = NULL;
    size_t len = 0;
    FILE *mf = ok ? open_memstream(&text, &len) : NULL;
    if (mf) {
        es_sweep_write(spec.sweep, mf);
        fclose(mf);
    }
    es_run_spec again;
    ok = ok && text && strstr(text, "levels = 6;") &&
         load_text(text, &again, err, sizeof err) == 0 && again.sweep &&
         again.sweep->n_points == 20 &&
         !memcmp(again.sweep->x, spec.sweep->x, 20 * 3 * sizeof(double));
    if (text) es_run_spec_fini(&again);
    free(text);
    es_run_spec_fini(&spec);
    CHECK(ok, "morris_sweep_block_with_levels_writes_back_to_the_same_points");
    const char *odd = "sweep = { design = \"morris\"; points = 5; levels = 5; parameters = (\n"
                      "  { name = \"migration.fee_sigma\"; low = 0.1; high = 0.9; }); };\n";
    ok = load_text(odd, &spec, err, sizeof err) != 0 && strstr(err, "levels");
    es_run_spec_fini(&spec);
    CHECK(ok, "morris_odd_levels_refused");
    const char *lhs = "sweep = { design = \"lhs\"; points = 5; levels = 4; parameters = (\n"
                      "  { name = \"migration.fee_sigma\"; low = 0.1; high = 0.9; }); };\n";
    ok = load_text(lhs, &spec, err, sizeof err) != 0 && strstr(err, "only design \"morris\"");
    es_run_spec_fini(&spec);
    CHECK(ok, "levels_outside_morris_refused");
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(void)
{
    char err[256];
    double *x = NULL;
    int n = 0;

    CHECK(same_as_gsl(gsl_qrng_sobol, ES_DESIGN_SOBOL),
          "sobol_points_are_gsl_sobol_mapped_to_ranges");
    CHECK(same_as_gsl(gsl_qrng_halton, ES_DESIGN_HALTON),
          "halton_points_are_gsl_halton_mapped_to_ranges");
    CHECK(config_matches_gsl("sobol", gsl_qrng_sobol),
          "sobol_sweep_block_loads_to_gsl_sobol_points");
    CHECK(config_matches_gsl("halton", gsl_qrng_halton),
          "halton_sweep_block_loads_to_gsl_halton_points");

    /* LHS: every stratum of every parameter exactly once; reproducible. */
    es_design_param lp[2] = {{"a", 0, NULL, 0, 1, 0, 0}, {"b", 0, NULL, 100, 300, 0, 0}};
    enum { NL = 37 };
    int strata_ok =
        es_design_build(ES_DESIGN_LHS, lp, 2, NL, 42, &x, &n, err, sizeof err) == ES_OK && n == NL;
    for (int j = 0; strata_ok && j < 2; j++) {
        int seen[NL] = {0};
        for (int k = 0; k < n; k++) {
            double u = (x[k * 2 + j] - lp[j].low) / (lp[j].high - lp[j].low);
            int s = (int)floor(u * NL);
            if (s < 0 || s >= NL || seen[s]++) strata_ok = 0;
        }
    }
    CHECK(strata_ok, "lhs_has_one_point_per_stratum_per_parameter");
    double *y = NULL;
    int m = 0;
    CHECK(es_design_build(ES_DESIGN_LHS, lp, 2, NL, 42, &y, &m, err, sizeof err) == ES_OK &&
              m == n && !memcmp(x, y, sizeof *x * (size_t)n * 2),
          "lhs_same_seed_same_design");
    free(y);
    y = NULL;
    CHECK(es_design_build(ES_DESIGN_LHS, lp, 2, NL, 43, &y, &m, err, sizeof err) == ES_OK &&
              memcmp(x, y, sizeof *x * (size_t)n * 2) != 0,
          "lhs_other_seed_other_design");
    free(y);
    free(x);
    x = NULL;

    /* Grid: C order, values lists and ranged levels with both ends. */
    const double vals[2] = {3, 7};
    es_design_param gp[2] = {{"a", 2, vals, 0, 0, 0, 0}, {"b", 0, NULL, 1, 100, 1, 0}};
    int grid_ok =
        es_design_build(ES_DESIGN_GRID, gp, 2, 3, 0, &x, &n, err, sizeof err) == ES_OK && n == 6;
    const double want[12] = {3, 1, 3, 10, 3, 100, 7, 1, 7, 10, 7, 100};
    for (int i = 0; grid_ok && i < 12; i++) grid_ok = t_close(x[i], want[i], 1e-12);
    CHECK(grid_ok, "grid_is_the_c_order_product_of_levels");
    free(x);
    x = NULL;

    /* A level list in a Latin hypercube: level i takes the strata
     * [i/m, (i+1)/m), so each of m levels holds floor(n/m) or ceil(n/m)
     * points, and every stratum of the ranged column still holds one. */
    const double levels[3] = {3, 5, 10};
    es_design_param lv[2] = {{"thr", 3, levels, 0, 0, 0, 0}, {"agents", 0, NULL, 0, 1500, 0, 1}};
    enum { NV = 64 };
    int lv_ok =
        es_design_build(ES_DESIGN_LHS, lv, 2, NV, 2.385e6, &x, &n, err, sizeof err) == ES_OK &&
        n == NV;
    int count[3] = {0, 0, 0};
    double sorted_a[NV];
    for (int k = 0; lv_ok && k < n; k++) {
        double t = x[k * 2], a = x[k * 2 + 1];
        int li = t == 3 ? 0 : t == 5 ? 1 : t == 10 ? 2 : -1;
        if (li < 0)
            lv_ok = 0;
        else
            count[li]++;
        if (a != floor(a)) lv_ok = 0;
        sorted_a[k] = a;
    }
    /* Integers a = floor(u 1501) with one u per stratum [i/n, (i+1)/n): the
     * i-th smallest lies in [floor(1501 i/n), 1501 (i+1)/n). */
    if (lv_ok) qsort(sorted_a, NV, sizeof *sorted_a, cmp_double);
    for (int i = 0; lv_ok && i < NV; i++)
        if (sorted_a[i] < floor(1501.0 * i / NV) || !(sorted_a[i] < 1501.0 * (i + 1) / NV))
            lv_ok = 0;
    for (int i = 0; i < 3; i++)
        if (count[i] < NV / 3 || count[i] > NV / 3 + 1) lv_ok = 0;
    CHECK(lv_ok, "lhs_level_list_gives_each_level_an_equal_share");
    free(x);
    x = NULL;
    CHECK(es_design_map(&lv[0], 0.0) == 3 && es_design_map(&lv[0], 0.34) == 5 &&
              es_design_map(&lv[0], 0.9999) == 10,
          "level_map_is_equal_shares_of_the_unit_interval");

    /* Applying a point: a scalar, a vector element, a path made constant,
     * a reassignment entry's agents (by share before: by count after). */
    es_sweep_target tg[4] = {
        {ES_SWEEP_SCALAR, offsetof(es_params, fee_sigma), 0, 0, 0, 0},
        {ES_SWEEP_ELEMENT, offsetof(es_params, agents), 0, 0, ES_PROG_WORKSITE, 0},
        {ES_SWEEP_PATH, offsetof(es_params, threshold), 0, 0, 0, 0},
        {ES_SWEEP_AGENTS, offsetof(es_params, reassign), 0, 0, 1, 0}};
    double px[8] = {0.25, 123, 7, 42, 0.5, 321, 10, 0};
    es_sweep sw = {ES_DESIGN_GRID, 0, 4, NULL, tg, 2, px, 0};
    es_params *pp = calloc(1, sizeof *pp);
    int ap_ok = pp != NULL;
    if (pp) {
        es_params_defaults(pp);
        pp->reassign.n = 2;
        pp->reassign.m[1].agents = -1;
        pp->reassign.m[1].share = 0.3;
        pp->threshold.n = 3;
        es_sweep_apply(&sw, 1, pp);
        ap_ok = pp->fee_sigma == 0.5 && pp->agents[ES_PROG_WORKSITE] == 321 &&
                pp->threshold.n == 1 && pp->threshold.v[0] == 10 &&
                pp->threshold.day[0] == pp->start_day && pp->reassign.m[1].agents == 0 &&
                pp->reassign.m[0].agents == 0;
        es_sweep_apply(&sw, 0, pp);
        ap_ok = ap_ok && pp->reassign.m[1].agents == 42 && pp->agents[ES_PROG_WORKSITE] == 123;
    }
    free(pp);
    CHECK(ap_ok, "sweep_apply_sets_scalars_elements_paths_and_agents");

    /* Refusals. */
    es_design_param nanv = {"n", 1, (const double[]){NAN}, 0, 0, 0, 0};
    CHECK(es_design_build(ES_DESIGN_LHS, &nanv, 1, 3, 0, &x, &n, err, sizeof err) ==
                  ES_ERR_CONFIG &&
              strstr(err, "'n'"),
          "level_list_needs_finite_values");
    es_design_param empty = {"e", 0, NULL, 5, 1, 0, 0};
    CHECK(es_design_build(ES_DESIGN_SOBOL, &empty, 1, 3, 0, &x, &n, err, sizeof err) ==
              ES_ERR_CONFIG,
          "empty_range_refused");
    es_design_param one = {"o", 0, NULL, 0, 1, 0, 0};
    CHECK(es_design_build(ES_DESIGN_LHS, &one, 1, 0, 0, &x, &n, err, sizeof err) == ES_ERR_CONFIG,
          "zero_points_refused");
    es_design_param bad = {"z", 0, NULL, 0, 1, 1, 0};
    CHECK(es_design_build(ES_DESIGN_SOBOL, &bad, 1, 3, 0, &x, &n, err, sizeof err) == ES_ERR_CONFIG,
          "log_scale_needs_positive_low");
    es_design_param many[41];
    for (int j = 0; j < 41; j++) many[j] = (es_design_param){"p", 0, NULL, 0, 1, 0, 0};
    CHECK(es_design_build(ES_DESIGN_SOBOL, many, 41, 3, 0, &x, &n, err, sizeof err) ==
              ES_ERR_CONFIG,
          "sobol_takes_at_most_40_parameters");
    CHECK(es_design_build(ES_DESIGN_HALTON, many, 41, 3, 0, &x, &n, err, sizeof err) == ES_OK &&
              n == 3,
          "halton_takes_41_parameters");
    free(x);
    test_sensitivity_designs();
    es_design_kind k;
    CHECK(es_design_kind_parse("sobol", &k) == 0 && k == ES_DESIGN_SOBOL &&
              es_design_kind_parse("saltelli", &k) == 0 && k == ES_DESIGN_SALTELLI &&
              es_design_kind_parse("morris", &k) == 0 && k == ES_DESIGN_MORRIS &&
              es_design_kind_parse("x", &k) < 0,
          "design_names_parse");
    return TEST_END();
}
