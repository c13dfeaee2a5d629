#define _GNU_SOURCE /* mkdtemp */
/* test_uncertainty.c: parameter uncertainty (experiment/uncertainty.h,
 * io/cfg_uncertainty.c). Draws follow their distributions (Kolmogorov-
 * Smirnov at the 0.1% level on 4000 replications); a parameter's draws
 * depend only on the seed, the replication and its own name (not on the
 * other parameters or their order); a joint empirical sample keeps its
 * rows; integers round; scale multiplies a whole path; a config block
 * loads, writes back and loads to the same draws; every scenario of a
 * replication gets the same draws through the run plan. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "../testlib.h"
#include "experiment/run.h"
#include "experiment/uncertainty.h"
#include "io/cfg.h"

#define N_KS 4000
#define SEED 20190201u

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The KS statistic of the column j of x ([n][d]) against p's CDF. */
static double ks(const es_unc_param *p, const double *x, int n, int d, int j)
{
    double *v = malloc((size_t)n * sizeof *v), D = 0;
    for (int i = 0; i < n; i++) v[i] = x[(size_t)i * (size_t)d + (size_t)j];
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    for (int i = 0; i < n; i++) {
        double F = es_unc_cdf(p, v[i]);
        double a = fabs(F - (double)i / n), b = fabs((double)(i + 1) / n - F);
        if (a > D) D = a;
        if (b > D) D = b;
    }
    free(v);
    return D;
}

static es_unc_param param(const char *name, es_dist_kind k, double lo, double hi)
{
    es_unc_param p;
    memset(&p, 0, sizeof p);
    p.name = (char *)name;
    p.kind = k;
    p.low = lo;
    p.high = hi;
    return p;
}

static void test_distributions(void)
{
    es_unc_param p[5] = {param("u", ES_DIST_UNIFORM, 2, 5), param("l", ES_DIST_LOGUNIFORM, 0.1, 10),
                         param("t", ES_DIST_TRIANGULAR, 0.15, 0.45),
                         param("n", ES_DIST_NORMAL, 0.7, 1.3), param("b", ES_DIST_BETA, 0, 2)};
    p[2].mode = 0.3;
    p[3].mean = 1.1;
    p[3].sd = 0.15; /* truncated on the right more than on the left */
    p[4].alpha = 2;
    p[4].beta = 5;
    es_uncertainty u = {5, p};
    double *x = NULL;
    char err[256];
    CHECK(es_uncertainty_matrix(&u, SEED, N_KS, &x, err, sizeof err) == ES_OK, "draws_made");
    /* Critical value of the one-sample KS test at the 0.1% level. */
    const double crit = 1.95 / sqrt(N_KS);
    static const char *const names[5] = {
        "uniform_draws_pass_kolmogorov_smirnov", "loguniform_draws_pass_kolmogorov_smirnov",
        "triangular_draws_pass_kolmogorov_smirnov",
        "truncated_normal_draws_pass_kolmogorov_smirnov", "beta_draws_pass_kolmogorov_smirnov"};
    int inside = 1;
    for (int j = 0; j < 5; j++) {
        double D = ks(&p[j], x, N_KS, 5, j);
        printf("# %s: D = %.4f (critical %.4f)\n", es_dist_kind_name(p[j].kind), D, crit);
        CHECK(D < crit, names[j]);
        for (int i = 0; i < N_KS; i++) {
            double v = x[(size_t)i * 5 + (size_t)j];
            if (v < p[j].low || v > p[j].high) inside = 0;
        }
    }
    CHECK(inside, "every_draw_lies_in_its_support");
    /* A wrong distribution must fail the same test: the check can fail. */
    es_unc_param wrong = param("u", ES_DIST_UNIFORM, 2, 4.5);
    CHECK(ks(&wrong, x, N_KS, 5, 0) > crit, "kolmogorov_smirnov_rejects_the_wrong_range");
    free(x);
}

static void test_keyed_by_name(void)
{
    es_unc_param a[2] = {param("alpha", ES_DIST_UNIFORM, 0, 1),
                         param("beta", ES_DIST_UNIFORM, 0, 1)};
    es_unc_param b[3] = {param("gamma", ES_DIST_NORMAL, -1, 1),
                         param("beta", ES_DIST_UNIFORM, 0, 1),
                         param("alpha", ES_DIST_UNIFORM, 0, 1)};
    b[0].sd = 1;
    es_uncertainty ua = {2, a}, ub = {3, b};
    double *xa = NULL, *xb = NULL, *xc = NULL;
    char err[256];
    es_uncertainty_matrix(&ua, SEED, 50, &xa, err, sizeof err);
    es_uncertainty_matrix(&ub, SEED, 50, &xb, err, sizeof err);
    es_uncertainty_matrix(&ua, SEED + 1, 50, &xc, err, sizeof err);
    int same = 1, differ_rep = 0, differ_seed = 0;
    for (int r = 0; r < 50; r++) {
        same &= xa[r * 2] == xb[r * 3 + 2] && xa[r * 2 + 1] == xb[r * 3 + 1];
        if (r > 0) differ_rep |= xa[r * 2] != xa[0];
        differ_seed |= xa[r * 2] != xc[r * 2];
    }
    CHECK(same, "a_parameters_draws_do_not_depend_on_the_others_or_their_order");
    CHECK(differ_rep && differ_seed, "draws_differ_between_replications_and_seeds");
    /* Two parameters with the same distribution still draw independently. */
    int equal = 0;
    for (int r = 0; r < 50; r++) equal += xa[r * 2] == xa[r * 2 + 1];
    CHECK(equal == 0, "two_parameters_draw_from_their_own_substreams");
    free(xa);
    free(xb);
    free(xc);
}

static void test_joint_and_integer(void)
{
    double va[4] = {1, 2, 3, 4}, vb[4] = {10, 20, 30, 40};
    es_unc_param p[3] = {param("x", ES_DIST_EMPIRICAL, 1, 4), param("y", ES_DIST_EMPIRICAL, 10, 40),
                         param("k", ES_DIST_UNIFORM, 0.5, 10.5)};
    p[0].values = va;
    p[1].values = vb;
    p[0].n_values = p[1].n_values = 4;
    char tag[] = "posterior.csv";
    p[0].joint = p[1].joint = tag;
    p[2].integer = 1;
    es_uncertainty u = {3, p};
    double *x = NULL;
    char err[256];
    es_uncertainty_matrix(&u, SEED, 2000, &x, err, sizeof err);
    int rows_kept = 1, whole = 1, count[4] = {0};
    for (int r = 0; r < 2000; r++) {
        rows_kept &= x[r * 3 + 1] == 10 * x[r * 3];
        whole &= x[r * 3 + 2] == floor(x[r * 3 + 2]) && x[r * 3 + 2] >= 0 && x[r * 3 + 2] <= 11;
        count[(int)x[r * 3] - 1]++;
    }
    CHECK(rows_kept, "a_joint_empirical_sample_draws_whole_rows");
    CHECK(whole, "an_integer_parameter_draws_whole_numbers");
    /* Each row about 500 times in 2000 (binomial sd 19.4; 5 sd). */
    int even = 1;
    for (int i = 0; i < 4; i++) even &= abs(count[i] - 500) < 97;
    CHECK(even, "empirical_rows_are_drawn_with_equal_probability");
    free(x);
}

static const char *cfg_text =
    "run = { seed = 7; replications = 6; };\n"
    "horizon = { start = \"2016-09-01\"; warmup_end = \"2016-10-01\"; end = \"2017-03-31\"; };\n"
    "migration = { arrivals = ((\"2016-09-01\", 100.0), (\"2017-01-01\", 200.0)); };\n"
    "scenarios = ( { name = \"a\"; }, { name = \"b\"; border = { intensity = 1.2; }; } );\n"
    "uncertainty = { parameters = (\n"
    "  { name = \"migration.staging_days\"; distribution = \"triangular\"; low = 1.0; mode = 2.0; "
    "high = 6.0; },\n"
    "  { name = \"border.apprehension_prob.on_foot\"; distribution = \"beta\"; alpha = 2.0; beta "
    "= 3.0; low = 0.3; high = 0.7; },\n"
    "  { name = \"migration.arrivals\"; distribution = \"uniform\"; low = 0.8; high = 1.2; apply = "
    "\"scale\"; }\n"
    "); };\n";

static int write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (!f) return -1;
    fputs(text, f);
    return fclose(f);
}

static void test_config_and_plan(void)
{
    char path[] = "/tmp/test_uncertainty_XXXXXX", cfg[64], back[64], err[512];
    if (!mkdtemp(path)) {
        CHECK(0, "temporary_folder");
        return;
    }
    snprintf(cfg, sizeof cfg, "%s/u.cfg", path);
    snprintf(back, sizeof back, "%s/back.cfg", path);
    write_file(cfg, cfg_text);
    es_run_spec *spec = calloc(1, sizeof *spec), *spec2 = calloc(1, sizeof *spec2);
    es_status st = es_cfg_load_run(cfg, NULL, 0, spec, err, sizeof err);
    if (st != ES_OK) printf("# %s\n", err);
    CHECK(st == ES_OK && spec->unc && spec->unc->d == 3, "an_uncertainty_block_loads");
    if (st != ES_OK) return;
    /* The effective config holds the block and loads to the same draws. */
    char *text = es_cfg_render_run(spec);
    write_file(back, text);
    free(text);
    st = es_cfg_load_run(back, NULL, 0, spec2, err, sizeof err);
    if (st != ES_OK) printf("# %s\n", err);
    double *x1 = NULL, *x2 = NULL;
    int same = st == ES_OK && spec2->unc && spec2->unc->d == 3 &&
               es_uncertainty_matrix(spec->unc, 7, 20, &x1, err, sizeof err) == ES_OK &&
               es_uncertainty_matrix(spec2->unc, 7, 20, &x2, err, sizeof err) == ES_OK &&
               !memcmp(x1, x2, 20 * 3 * sizeof *x1);
    CHECK(same, "the_effective_config_loads_back_to_the_same_draws");
    free(x1);
    free(x2);
    es_run_spec_fini(spec2);
    free(spec2);

    /* Through the plan: replication r of both scenarios gets row r. */
    es_plan pl;
    es_run_options o;
    memset(&o, 0, sizeof o);
    o.crn = 1;
    st = es_plan_init(&pl, spec, &o, cfg, err, sizeof err);
    CHECK(st == ES_OK && pl.unc_x, "a_plan_draws_every_replication");
    if (st != ES_OK) return;
    es_unit_space us;
    es_plan_units(&pl, &us);
    es_params *a = malloc(sizeof *a), *b = malloc(sizeof *b);
    int paired = 1, scaled = 1;
    for (int r = 0; r < 6; r++) {
        const double *row = pl.unc_x + (size_t)r * 3;
        memcpy(a, &pl.spec->scenarios[0].p, sizeof *a);
        memcpy(b, &pl.spec->scenarios[1].p, sizeof *b);
        es_uncertainty_apply(us.unc, row, a);
        es_uncertainty_apply(us.unc, row, b);
        paired &= a->staging_days == b->staging_days && a->staging_days == row[0];
        scaled &= a->arrivals.n == 2 && a->arrivals.v[0] == 100 * row[2] &&
                  a->arrivals.v[1] == 200 * row[2];
    }
    CHECK(paired, "every_scenario_of_a_replication_gets_the_same_draws");
    CHECK(scaled, "scale_multiplies_every_value_of_a_time_path");
    free(a);
    free(b);
    es_plan_fini(&pl);

    /* --no-uncertainty: the plan drops the block, config text and all. */
    es_run_spec *spec3 = calloc(1, sizeof *spec3);
    es_cfg_load_run(cfg, NULL, 0, spec3, err, sizeof err);
    o.no_uncertainty = 1;
    st = es_plan_init(&pl, spec3, &o, cfg, err, sizeof err);
    CHECK(st == ES_OK && !pl.spec->unc && !pl.unc_x && !strstr(pl.config_text, "uncertainty ="),
          "no_uncertainty_runs_the_central_parameters");
    if (st == ES_OK) es_plan_fini(&pl);
    remove(cfg);
    remove(back);
    rmdir(path);
}

int main(void)
{
    test_distributions();
    test_keyed_by_name();
    test_joint_and_integer();
    test_config_and_plan();
    return TEST_END();
}
