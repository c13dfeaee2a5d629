/* sensitivity.c: Saltelli and Morris samples, Sobol indices with bootstrap
 * intervals, Morris elementary effects (contract in sensitivity.h). */
#include "sensitivity.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_permutation.h>
#include <gsl/gsl_qrng.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include "../core/mem.h"

/* A step of a Morris trajectory moves one coordinate by D >= 1/2 (p >= 2);
 * anything below this is rounding, not a move. */
#define MORRIS_MOVE_EPS 1e-12

size_t es_saltelli_rows(int n, int k)
{
    return (size_t)n * (size_t)(k + 2);
}

es_status es_saltelli_sample(int n, int k, double *u)
{
    if (n < 1 || k < 1 || k > ES_SALTELLI_MAX_K) return ES_ERR_CONFIG;
    gsl_qrng *q = gsl_qrng_alloc(gsl_qrng_sobol, (unsigned)(2 * k));
    if (!q) return ES_ERR_NOMEM;
    double ab[2 * ES_SALTELLI_MAX_K];
    size_t kk = (size_t)k, nn = (size_t)n;
    for (size_t r = 0; r < nn; r++) {
        /* GSL's Sobol generator fails only past 2^30 points; n is smaller. */
        gsl_qrng_get(q, ab);
        double *a = u + r * kk, *b = u + (nn + r) * kk;
        memcpy(a, ab, kk * sizeof *a);
        memcpy(b, ab + kk, kk * sizeof *b);
        for (size_t i = 0; i < kk; i++) {
            double *abi = u + ((2 + i) * nn + r) * kk;
            memcpy(abi, a, kk * sizeof *abi);
            abi[i] = b[i];
        }
    }
    gsl_qrng_free(q);
    return ES_OK;
}

/* S_i and ST_i (unscaled by V) over the rows idx[0..n-1] (NULL: 0..n-1),
 * with f_B centred on c. */
static void sobol_sums(const double *y, int n, int i, const size_t *idx, double c, double *s1,
                       double *st)
{
    const double *fa = y, *fb = y + n, *fab = y + (size_t)(2 + i) * (size_t)n;
    double a1 = 0, a2 = 0;
    for (int j = 0; j < n; j++) {
        size_t r = idx ? idx[j] : (size_t)j;
        double d = fab[r] - fa[r];
        a1 += (fb[r] - c) * d;
        a2 += d * d;
    }
    *s1 = a1 / n;
    *st = a2 / (2.0 * n);
}

/* The variance of the A and B outputs of rows idx (NULL: all), as the
 * estimators' denominator, and in *mean their mean; work holds 2n doubles. */
static double ab_variance(const double *y, int n, const size_t *idx, double *work, double *mean)
{
    for (int j = 0; j < n; j++) {
        size_t r = idx ? idx[j] : (size_t)j;
        work[j] = y[r];
        work[n + j] = y[(size_t)n + r];
    }
    *mean = gsl_stats_mean(work, 1, 2 * (size_t)n);
    return gsl_stats_variance_m(work, 1, 2 * (size_t)n, *mean);
}

static double ratio(double num, double v)
{
    return v > 0 ? num / v : 0.0;
}

es_status es_sobol_indices(const double *y, int n, int k, int n_boot, gsl_rng *rng,
                           es_sobol_index *out, double *var)
{
    if (n < 2 || k < 1 || n_boot < 0 || n_boot == 1) return ES_ERR_CONFIG;
    if (!rng) n_boot = 0;
    es_status st = ES_ERR_NOMEM;
    size_t nb = (size_t)n_boot, kk = (size_t)k;
    double *work = es_calloc(2 * (size_t)n, sizeof *work);
    size_t *idx = n_boot ? es_calloc((size_t)n, sizeof *idx) : NULL;
    /* bs1[i][b], bst[i][b]: the resamples' indices, input by input. */
    double *bs1 = n_boot ? es_calloc(kk * nb, sizeof *bs1) : NULL;
    double *bst = n_boot ? es_calloc(kk * nb, sizeof *bst) : NULL;
    if (!work || (n_boot && (!idx || !bs1 || !bst))) goto out;

    double m, v = ab_variance(y, n, NULL, work, &m);
    for (int i = 0; i < k; i++) {
        double s1, stt;
        sobol_sums(y, n, i, NULL, m, &s1, &stt);
        out[i].s1 = out[i].s1_lo = out[i].s1_hi = ratio(s1, v);
        out[i].st = out[i].st_lo = out[i].st_hi = ratio(stt, v);
    }
    if (var) *var = v;
    /* Resample by resample, every input from the same rows, so the draws
     * do not depend on k's loop order. */
    for (size_t b = 0; b < nb; b++) {
        for (int j = 0; j < n; j++) idx[j] = gsl_rng_uniform_int(rng, (unsigned long)n);
        double cb, vb = ab_variance(y, n, idx, work, &cb);
        for (size_t i = 0; i < kk; i++) {
            double s1, stt;
            sobol_sums(y, n, (int)i, idx, cb, &s1, &stt);
            bs1[i * nb + b] = ratio(s1, vb);
            bst[i * nb + b] = ratio(stt, vb);
        }
    }
    const double lo = (1.0 - ES_SOBOL_CONF) / 2, hi = 1.0 - lo;
    for (size_t i = 0; n_boot && i < kk; i++) {
        double *a = bs1 + i * nb, *c = bst + i * nb;
        gsl_sort(a, 1, nb);
        gsl_sort(c, 1, nb);
        out[i].s1_lo = gsl_stats_quantile_from_sorted_data(a, 1, nb, lo);
        out[i].s1_hi = gsl_stats_quantile_from_sorted_data(a, 1, nb, hi);
        out[i].st_lo = gsl_stats_quantile_from_sorted_data(c, 1, nb, lo);
        out[i].st_hi = gsl_stats_quantile_from_sorted_data(c, 1, nb, hi);
    }
    st = ES_OK;
out:
    free(work);
    free(idx);
    free(bs1);
    free(bst);
    return st;
}

size_t es_morris_rows(int r, int k)
{
    return (size_t)r * (size_t)(k + 1);
}

es_status es_morris_sample(int r, int k, int p, gsl_rng *rng, double *u)
{
    if (r < 1 || k < 1 || p < 2 || p > ES_MORRIS_MAX_LEVELS || p % 2 || !rng) return ES_ERR_CONFIG;
    gsl_permutation *perm = gsl_permutation_alloc((size_t)k);
    double *x = es_calloc((size_t)k, sizeof *x);
    if (!perm || !x) {
        gsl_permutation_free(perm);
        free(x);
        return ES_ERR_NOMEM;
    }
    const double delta = p / (2.0 * (p - 1));
    size_t kk = (size_t)k;
    for (int t = 0; t < r; t++) {
        double *row = u + (size_t)t * (kk + 1) * kk;
        /* Morris's B* = (J x* + (D/2)[(2B - J) D* + J]) P*: base levels in
         * the lower half of the grid, so x* + D <= 1; an input going down
         * starts at x* + D. */
        for (size_t i = 0; i < kk; i++) {
            double base = (double)gsl_rng_uniform_int(rng, (unsigned long)(p / 2)) / (p - 1);
            int down = gsl_rng_uniform_int(rng, 2) == 1;
            row[i] = down ? base + delta : base;
            x[i] = down ? -delta : delta;
        }
        gsl_permutation_init(perm);
        gsl_ran_shuffle(rng, perm->data, kk, sizeof(size_t));
        for (size_t s = 0; s < kk; s++) {
            double *next = row + kk;
            memcpy(next, row, kk * sizeof *next);
            size_t i = gsl_permutation_get(perm, s);
            next[i] += x[i];
            /* Rounding of base + D - D must not leave the unit interval. */
            if (next[i] < 0) next[i] = 0;
            if (next[i] > 1) next[i] = 1;
            row = next;
        }
    }
    gsl_permutation_free(perm);
    free(x);
    return ES_OK;
}

es_status es_morris_effects(const double *u, const double *y, int r, int k, es_morris_effect *out)
{
    if (r < 1 || k < 1) return ES_ERR_CONFIG;
    size_t kk = (size_t)k, rr = (size_t)r;
    /* ee[i][t]: input i's effect in trajectory t (each moves once). */
    double *ee = es_calloc(kk * rr, sizeof *ee), *abs_ee = es_calloc(rr, sizeof *abs_ee);
    int *cnt = es_calloc(kk, sizeof *cnt);
    es_status st = ES_ERR_NOMEM;
    if (!ee || !abs_ee || !cnt) goto out;
    st = ES_ERR_CONFIG;
    for (size_t t = 0; t < rr; t++)
        for (size_t s = 0; s < kk; s++) {
            size_t a = t * (kk + 1) + s;
            const double *ua = u + a * kk, *ub = ua + kk;
            int moved = -1;
            for (size_t i = 0; i < kk; i++)
                if (fabs(ub[i] - ua[i]) > MORRIS_MOVE_EPS) {
                    if (moved >= 0) goto out;
                    moved = (int)i;
                }
            if (moved < 0 || cnt[moved] >= r) goto out;
            ee[(size_t)moved * rr + (size_t)cnt[moved]++] =
                (y[a + 1] - y[a]) / (ub[moved] - ua[moved]);
        }
    for (size_t i = 0; i < kk; i++) {
        size_t m = (size_t)cnt[i];
        const double *e = ee + i * rr;
        out[i].n = cnt[i];
        if (!m) {
            out[i].mu = out[i].mu_star = out[i].sigma = 0;
            continue;
        }
        for (size_t t = 0; t < m; t++) abs_ee[t] = fabs(e[t]);
        out[i].mu = gsl_stats_mean(e, 1, m);
        out[i].mu_star = gsl_stats_mean(abs_ee, 1, m);
        out[i].sigma = m > 1 ? gsl_stats_sd(e, 1, m) : 0.0;
    }
    st = ES_OK;
out:
    free(ee);
    free(abs_ee);
    free(cnt);
    return st;
}
