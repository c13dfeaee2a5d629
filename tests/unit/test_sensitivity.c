/* test_sensitivity.c: global sensitivity (experiment/sensitivity.h) against
 * functions whose indices are known in closed form, through the same
 * sample and estimator calls `enforcesim sensitivity` makes on model
 * output.
 *   Ishigami (a = 7, b = 0.1, inputs uniform on [-pi, pi]): Sobol indices
 *     at N = 2^12 hold the analytic values inside their bootstrap
 *     intervals; Morris ranks x1 and x2 above x3 by mu* and shows x3's
 *     effect as pure interaction (mu near 0, sigma large).
 *   Sobol G (a = 0, 1, 4.5, 9, 99, 99): the same, analytic values from the
 *     closed form V_i = 1 / (3 (1 + a_i)^2).
 *   f(x) = exp(x1): S1 = ST1 = 1, the rest 0.
 *   The same seed gives the same intervals (byte for byte). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_math.h>
#include <gsl/gsl_rng.h>
#include "experiment/sensitivity.h"
#include "../testlib.h"

#define N_BASE    4096 /* 2^12 */
#define N_BOOT    1000
#define BOOT_SEED 2385
#define ISH_A     7.0
#define ISH_B     0.1
#define MORRIS_R  100
#define MORRIS_P  4
#define MAX_WIDTH 0.15 /* an interval wider than this says nothing */
#define G_K       6

typedef double (*test_fn)(const double *u, const void *ctx);

static double ishigami(const double *u, const void *ctx)
{
    (void)ctx;
    double x1 = -M_PI + 2 * M_PI * u[0], x2 = -M_PI + 2 * M_PI * u[1], x3 = -M_PI + 2 * M_PI * u[2];
    double s2 = sin(x2);
    return sin(x1) + ISH_A * s2 * s2 + ISH_B * pow(x3, 4) * sin(x1);
}

static const double g_a[G_K] = {0, 1, 4.5, 9, 99, 99};

static double g_function(const double *u, const void *ctx)
{
    const double *a = ctx;
    double f = 1;
    for (int i = 0; i < G_K; i++) f *= (fabs(4 * u[i] - 2) + a[i]) / (1 + a[i]);
    return f;
}

static double x1_only(const double *u, const void *ctx)
{
    (void)ctx;
    return exp(2.385 * u[0]);
}

/* y[i] = f(u row i), malloc'd. */
static double *evaluate(test_fn f, const void *ctx, const double *u, size_t rows, int k)
{
    double *y = malloc(rows * sizeof *y);
    for (size_t i = 0; y && i < rows; i++) y[i] = f(u + i * (size_t)k, ctx);
    return y;
}

/* Sobol indices of f on a Saltelli sample of N_BASE points; 0 on success. */
static int sobol_of(test_fn f, const void *ctx, int k, unsigned long seed, es_sobol_index *out)
{
    size_t rows = es_saltelli_rows(N_BASE, k);
    double *u = malloc(rows * (size_t)k * sizeof *u), *y = NULL;
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    int rc = -1;
    if (!u || !r || es_saltelli_sample(N_BASE, k, u) != ES_OK) goto out;
    if (!(y = evaluate(f, ctx, u, rows, k))) goto out;
    gsl_rng_set(r, seed);
    rc = es_sobol_indices(y, N_BASE, k, N_BOOT, r, out, NULL) == ES_OK ? 0 : -1;
out:
    free(u);
    free(y);
    gsl_rng_free(r);
    return rc;
}

static int inside(double v, double lo, double hi)
{
    return lo <= v && v <= hi && hi - lo <= MAX_WIDTH;
}

static void check_indices(const char *fn, const es_sobol_index *ix, const double *s1,
                          const double *st, int k)
{
    char name[128];
    for (int i = 0; i < k; i++) {
        snprintf(name, sizeof name, "%s S%d = %.4g in [%.4g, %.4g] (estimate %.4g)", fn, i + 1,
                 s1[i], ix[i].s1_lo, ix[i].s1_hi, ix[i].s1);
        CHECK(inside(s1[i], ix[i].s1_lo, ix[i].s1_hi), name);
        snprintf(name, sizeof name, "%s ST%d = %.4g in [%.4g, %.4g] (estimate %.4g)", fn, i + 1,
                 st[i], ix[i].st_lo, ix[i].st_hi, ix[i].st);
        CHECK(inside(st[i], ix[i].st_lo, ix[i].st_hi), name);
    }
}

static void test_ishigami_sobol(void)
{
    /* Analytic: V = a^2/8 + b pi^4/5 + b^2 pi^8/18 + 1/2, V1 = (1 + b pi^4/5)^2 / 2,
     * V2 = a^2/8, V13 = b^2 pi^8 (1/18 - 1/50). */
    const double a = ISH_A, b = ISH_B, p4 = pow(M_PI, 4), p8 = p4 * p4;
    const double v = a * a / 8 + b * p4 / 5 + b * b * p8 / 18 + 0.5;
    const double v1 = 0.5 * pow(1 + b * p4 / 5, 2), v2 = a * a / 8,
                 v13 = b * b * p8 * (1.0 / 18 - 1.0 / 50);
    const double s1[3] = {v1 / v, v2 / v, 0}, st[3] = {(v1 + v13) / v, v2 / v, v13 / v};
    es_sobol_index ix[3];
    CHECK(t_close(s1[0], 0.3139, 1e-3) && t_close(s1[1], 0.4424, 1e-3) &&
              t_close(st[0], 0.5576, 1e-3) && t_close(st[2], 0.2437, 1e-3),
          "Ishigami closed form gives the published indices");
    CHECK(sobol_of(ishigami, NULL, 3, BOOT_SEED, ix) == 0, "Ishigami Saltelli sample and indices");
    check_indices("Ishigami", ix, s1, st, 3);
}

static void test_g_sobol(void)
{
    double vi[G_K], prod = 1, s1[G_K], st[G_K];
    for (int i = 0; i < G_K; i++) {
        vi[i] = 1.0 / (3 * (1 + g_a[i]) * (1 + g_a[i]));
        prod *= 1 + vi[i];
    }
    const double v = prod - 1;
    for (int i = 0; i < G_K; i++) {
        s1[i] = vi[i] / v;
        st[i] = vi[i] * (prod / (1 + vi[i])) / v;
    }
    es_sobol_index ix[G_K];
    CHECK(sobol_of(g_function, g_a, G_K, BOOT_SEED, ix) == 0, "G function Saltelli sample");
    check_indices("G", ix, s1, st, G_K);
}

static void test_one_input(void)
{
    es_sobol_index ix[3];
    int ok = sobol_of(x1_only, NULL, 3, BOOT_SEED, ix) == 0;
    ok = ok && fabs(ix[0].s1 - 1) < 0.01 && fabs(ix[0].st - 1) < 0.01;
    CHECK(ok, "f(x1) only: S1 and ST1 within 0.01 of 1");
    ok = 1;
    for (int i = 1; i < 3; i++)
        ok = ok && fabs(ix[i].s1) < 0.01 && ix[i].st == 0 && ix[i].st_hi == 0;
    CHECK(ok, "f(x1) only: S2, S3 within 0.01 of 0; ST2 = ST3 = 0 exactly");
}

static void test_reproducible(void)
{
    es_sobol_index a[3], b[3], c[3];
    int ok = sobol_of(ishigami, NULL, 3, BOOT_SEED, a) == 0 &&
             sobol_of(ishigami, NULL, 3, BOOT_SEED, b) == 0 &&
             sobol_of(ishigami, NULL, 3, BOOT_SEED + 1, c) == 0;
    CHECK(ok && !memcmp(a, b, sizeof a), "same bootstrap seed: identical indices and intervals");
    CHECK(ok && a[0].s1 == c[0].s1 && a[0].s1_lo != c[0].s1_lo,
          "another seed: same estimates, other intervals");
}

static void test_bad_args(void)
{
    double u[1], y[8] = {0};
    es_sobol_index ix[1];
    es_morris_effect me[2];
    CHECK(es_saltelli_sample(4, ES_SALTELLI_MAX_K + 1, u) == ES_ERR_CONFIG &&
              es_sobol_indices(y, 1, 1, 0, NULL, ix, NULL) == ES_ERR_CONFIG,
          "Saltelli refuses k > 20 and n < 2");
    /* Two points moving both inputs at once are not a trajectory. */
    double two[4] = {0, 0, 2.0 / 3, 2.0 / 3}, yy[2] = {0, 1};
    CHECK(es_morris_effects(two, yy, 1, 2, me) == ES_ERR_CONFIG,
          "Morris refuses a step that moves two inputs");
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    CHECK(r && es_morris_sample(1, 1, 5, r, u) == ES_ERR_CONFIG, "Morris refuses odd levels");
    gsl_rng_free(r);
}

static void test_morris_sample(void)
{
    const int r = 20, k = 5, p = 6;
    size_t rows = es_morris_rows(r, k);
    double *u = malloc(rows * k * sizeof *u), delta = p / (2.0 * (p - 1));
    gsl_rng *g = gsl_rng_alloc(gsl_rng_mt19937);
    int ok = u && g && es_morris_sample(r, k, p, g, u) == ES_OK;
    /* Every point on the grid, every step one input by +-delta, each input
     * once per trajectory. */
    for (size_t i = 0; ok && i < rows * k; i++) {
        double lv = u[i] * (p - 1);
        ok = u[i] >= 0 && u[i] <= 1 && fabs(lv - round(lv)) < 1e-9;
    }
    for (int t = 0; ok && t < r; t++) {
        int seen[5] = {0};
        for (int s = 0; ok && s < k; s++) {
            const double *a = u + ((size_t)t * (k + 1) + s) * k, *b = a + k;
            int moved = 0;
            for (int i = 0; i < k; i++)
                if (a[i] != b[i]) {
                    moved++;
                    seen[i]++;
                    ok = ok && fabs(fabs(b[i] - a[i]) - delta) < 1e-9;
                }
            ok = ok && moved == 1;
        }
        for (int i = 0; i < k; i++) ok = ok && seen[i] == 1;
    }
    CHECK(ok, "Morris trajectories: grid points, one input per step by +-delta, each once");
    free(u);
    gsl_rng_free(g);
}

static void test_ishigami_morris(void)
{
    size_t rows = es_morris_rows(MORRIS_R, 3);
    double *u = malloc(rows * 3 * sizeof *u), *y = NULL;
    gsl_rng *g = gsl_rng_alloc(gsl_rng_mt19937);
    es_morris_effect e[3];
    int ok = u && g;
    gsl_rng_set(g, BOOT_SEED);
    ok = ok && es_morris_sample(MORRIS_R, 3, MORRIS_P, g, u) == ES_OK;
    ok = ok && (y = evaluate(ishigami, NULL, u, rows, 3)) != NULL;
    ok = ok && es_morris_effects(u, y, MORRIS_R, 3, e) == ES_OK;
    char name[200];
    snprintf(name, sizeof name, "Morris Ishigami mu*: x1 %.3f, x2 %.3f above x3 %.3f",
             ok ? e[0].mu_star : 0, ok ? e[1].mu_star : 0, ok ? e[2].mu_star : 0);
    CHECK(ok && e[0].mu_star > e[2].mu_star && e[1].mu_star > e[2].mu_star && e[0].n == MORRIS_R &&
              e[2].n == MORRIS_R,
          name);
    /* x3 acts only through x1 (b x3^4 sin x1): its effects change sign with
     * x1, so they average near 0 and spread widely. x2 acts alone. */
    snprintf(name, sizeof name,
             "Morris Ishigami x3 interacts: mu %.3f, mu* %.3f, sigma %.3f; x2 sigma/mu* %.3f",
             ok ? e[2].mu : 0, ok ? e[2].mu_star : 0, ok ? e[2].sigma : 0,
             ok ? e[1].sigma / e[1].mu_star : 0);
    CHECK(ok && fabs(e[2].mu) < 0.25 * e[2].mu_star && e[2].sigma > e[2].mu_star &&
              e[2].sigma / e[2].mu_star > e[1].sigma / e[1].mu_star,
          name);
    /* The contrast: on the same trajectories an additive linear function
     * has every effect equal to its coefficient, so sigma is 0. */
    for (size_t i = 0; ok && i < rows; i++) {
        const double *x = u + i * 3;
        y[i] = 2.385 * x[0] - 1.5 * x[1] + 0.25 * x[2];
    }
    ok = ok && es_morris_effects(u, y, MORRIS_R, 3, e) == ES_OK;
    CHECK(ok && t_close(e[0].mu, 2.385, 1e-9) && t_close(e[1].mu, -1.5, 1e-9) &&
              t_close(e[1].mu_star, 1.5, 1e-9) && t_close(e[2].mu, 0.25, 1e-9) &&
              e[0].sigma < 1e-9 && e[1].sigma < 1e-9 && e[2].sigma < 1e-9,
          "Morris on a linear function: mu = coefficient, mu* = |coefficient|, sigma = 0");
    free(u);
    free(y);
    gsl_rng_free(g);
}

int main(void)
{
    test_ishigami_sobol();
    test_g_sobol();
    test_one_input();
    test_reproducible();
    test_bad_args();
    test_morris_sample();
    test_ishigami_morris();
    return TEST_END();
}
