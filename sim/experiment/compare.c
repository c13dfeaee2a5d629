/* compare.c: paired comparisons (definitions in compare.h). */
#include "compare.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_statistics_double.h>
#include "../core/mem.h"

#define ES_CMP_CONFIDENCE  0.95
/* Beyond this many replications the t quantile is the normal one to many
 * digits: replications_needed stops refining. */
#define ES_CMP_N_EXACT_MAX 1e9

/* Smallest m >= 2 with t(0.975, m-1) sd / sqrt(m) <= target. The normal
 * quantile gives a lower bound (t > z), and t falls towards z as m grows,
 * so counting up from there ends after a few steps. */
static double reps_needed(double sd, double target)
{
    const double p = 0.5 + ES_CMP_CONFIDENCE / 2;
    if (!(sd >= 0) || !(target > 0) || !isfinite(target) || !isfinite(sd)) return NAN;
    if (sd == 0) return 2;
    double z = gsl_cdf_ugaussian_Pinv(p) * sd / target;
    double m = ceil(z * z);
    if (m < 2) m = 2;
    if (m > ES_CMP_N_EXACT_MAX) return m;
    while (gsl_cdf_tdist_Pinv(p, m - 1) * sd / sqrt(m) > target) m++;
    return m;
}

static int constant(const double *x, size_t n)
{
    double lo, hi;
    gsl_stats_minmax(&lo, &hi, x, 1, n);
    return lo == hi;
}

void es_compare_pairs(const double *a, const double *b, int n_in, es_hw_target target, double *st,
                      double *work)
{
    double *A = work, *B = work + n_in, *D = work + 2 * n_in;
    size_t n = 0;
    for (int i = 0; i < ES_CMP_N_STATS; i++) st[i] = NAN;
    for (int i = 0; i < n_in; i++)
        if (isfinite(a[i]) && isfinite(b[i])) {
            A[n] = a[i];
            B[n] = b[i];
            D[n] = b[i] - a[i];
            n++;
        }
    st[ES_CMP_N] = (double)n;
    if (n == 0) return;
    double ma = gsl_stats_mean(A, 1, n), mb = gsl_stats_mean(B, 1, n), md = gsl_stats_mean(D, 1, n);
    st[ES_CMP_MEAN_BASE] = ma;
    st[ES_CMP_MEAN_ALT] = mb;
    st[ES_CMP_DIFF_MEAN] = md;
    if (ma != 0) st[ES_CMP_REL_CHANGE] = md / ma;
    if (n < 2) return;
    double sd = constant(D, n) ? 0 : gsl_stats_sd_m(D, 1, n, md);
    double t = gsl_cdf_tdist_Pinv(0.5 + ES_CMP_CONFIDENCE / 2, (double)(n - 1));
    double hw = t * sd / sqrt((double)n);
    st[ES_CMP_DIFF_SD] = sd;
    st[ES_CMP_HALF_WIDTH] = hw;
    st[ES_CMP_CI_LOW] = md - hw;
    st[ES_CMP_CI_HIGH] = md + hw;
    st[ES_CMP_SIGNIFICANT] = md - hw > 0 || md + hw < 0 ? 1 : 0;
    /* Constancy is decided exactly (min == max), not by a variance that
     * rounding may leave a hair above zero: the statistics that divide by
     * a variance are then NaN or infinite by definition, the same in any
     * implementation. */
    int ca = constant(A, n), cb = constant(B, n), cd = constant(D, n);
    double va = gsl_stats_variance_m(A, 1, n, ma), vb = gsl_stats_variance_m(B, 1, n, mb);
    st[ES_CMP_CORR] = ca || cb ? NAN : gsl_stats_correlation(A, 1, B, 1, n);
    st[ES_CMP_VRF] = !cd ? (va + vb) / (sd * sd) : ca && cb ? NAN : INFINITY;
    st[ES_CMP_N_NEEDED] = reps_needed(sd, target.relative ? target.value * fabs(ma) : target.value);
    if (ma != 0) {
        /* Delta method for R = mean(B)/mean(A): Var(R) ~ Var(B - R A)/(n mean(A)^2).
         * D is free now: it takes the residuals B - R A. */
        double R = mb / ma;
        for (size_t i = 0; i < n; i++) D[i] = B[i] - R * A[i];
        double rhw = t * gsl_stats_sd(D, 1, n) / (fabs(ma) * sqrt((double)n));
        st[ES_CMP_REL_CI_LOW] = st[ES_CMP_REL_CHANGE] - rhw;
        st[ES_CMP_REL_CI_HIGH] = st[ES_CMP_REL_CHANGE] + rhw;
    }
}

static int same_ints(const int *a, const int *b, int n)
{
    return n == 0 || !memcmp(a, b, (size_t)n * sizeof *a);
}

es_status es_compare_scenarios(const es_scenario_result *A, const es_scenario_result *B,
                               double target_rel, es_comparison_result *out, char *err,
                               size_t errlen)
{
    es_comparison_result c;
    es_status st = ES_ERR_NOMEM;
    double *work = NULL, *xa = NULL, *xb = NULL;
    const es_hw_target target = {1, target_rel};
    memset(&c, 0, sizeof c);
    if (A->n_reps != B->n_reps ||
        (A->n_reps > 0 &&
         memcmp(A->replication, B->replication, (size_t)A->n_reps * sizeof *A->replication))) {
        snprintf(
            err, errlen,
            "scenarios '%s' and '%s' do not hold the same replications (%d and %d); they cannot "
            "be paired",
            A->name, B->name, A->n_reps, B->n_reps);
        return ES_ERR_INPUT;
    }
    if (A->n_fy != B->n_fy || A->n_cy != B->n_cy || !same_ints(A->fy, B->fy, A->n_fy) ||
        !same_ints(A->cy, B->cy, A->n_cy)) {
        snprintf(err, errlen,
                 "scenarios '%s' and '%s' cover different years; they cannot be paired", A->name,
                 B->name);
        return ES_ERR_INPUT;
    }
    const int n = A->n_reps;
    c.n_reps = n;
    c.n_fy = A->n_fy;
    c.n_cy = A->n_cy;
    c.target_rel = target_rel;
    c.base = es_strdup(A->name);
    c.alt = es_strdup(B->name);
    c.fy = es_calloc((size_t)c.n_fy, sizeof *c.fy);
    c.cy = es_calloc((size_t)c.n_cy, sizeof *c.cy);
    c.fiscal = es_calloc((size_t)ES_N_METRICS * ES_CMP_N_STATS * (size_t)c.n_fy, sizeof *c.fiscal);
    c.calendar =
        es_calloc((size_t)ES_N_METRICS * ES_CMP_N_STATS * (size_t)c.n_cy, sizeof *c.calendar);
    work = es_calloc(3 * (size_t)n, sizeof *work);
    xa = es_calloc((size_t)n, sizeof *xa);
    xb = es_calloc((size_t)n, sizeof *xb);
    if (!c.base || !c.alt || !c.fy || !c.cy || !c.fiscal || !c.calendar || !work || !xa || !xb) {
        snprintf(err, errlen, "out of memory comparing '%s' with '%s'", A->name, B->name);
        goto out;
    }
    if (c.n_fy) memcpy(c.fy, A->fy, (size_t)c.n_fy * sizeof *c.fy);
    if (c.n_cy) memcpy(c.cy, A->cy, (size_t)c.n_cy * sizeof *c.cy);
    double stats[ES_CMP_N_STATS];
    for (int fiscal = 1; fiscal >= 0; fiscal--) {
        int np = fiscal ? c.n_fy : c.n_cy;
        for (int m = 0; m < ES_N_METRICS; m++) {
            double *dst = fiscal ? es_cmp_fiscal(&c, m) : es_cmp_calendar(&c, m);
            for (int k = 0; k < np; k++) {
                for (int r = 0; r < n; r++) {
                    xa[r] = (fiscal ? es_res_fiscal(A, r, m) : es_res_calendar(A, r, m))[k];
                    xb[r] = (fiscal ? es_res_fiscal(B, r, m) : es_res_calendar(B, r, m))[k];
                }
                es_compare_pairs(xa, xb, n, target, stats, work);
                for (int i = 0; i < ES_CMP_N_STATS; i++)
                    dst[(size_t)i * (size_t)np + (size_t)k] = stats[i];
            }
        }
    }
    *out = c;
    memset(&c, 0, sizeof c);
    st = ES_OK;
out:
    es_comparison_result_fini(&c);
    free(xb);
    free(xa);
    free(work);
    return st;
}
