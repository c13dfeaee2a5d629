/* calibrate.c: see calibrate.h. */
#include "calibrate.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../core/mem.h"

void es_calibration_free(es_calibration *c)
{
    if (!c) return;
    for (int j = 0; c->params && j < c->k; j++) {
        free((char *)c->params[j].path);
        free((double *)c->params[j].values);
    }
    free(c->params);
    free(c->targets);
    free(c);
}

void es_cal_defaults(es_cal_options *o)
{
    o->threshold = 3.0;
    o->discrepancy = 0.02;
    o->margin = 0.1;
    o->stop_share = 0.5;
    o->max_waves = 5;
    o->points = 40;
    o->replications = 2;
}

void es_cal_implausibility(const es_cal_target *t, int nt, const double *mean,
                           const double *var_of_mean, int n, double discrepancy, double *imax,
                           int *worst)
{
    for (int p = 0; p < n; p++) {
        double best = -1;
        int w = -1;
        for (int j = 0; j < nt; j++) {
            double z = t[j].value, m = mean[(size_t)p * nt + j];
            double s_obs = t[j].tol * fabs(z) / 3, s_md = discrepancy * fabs(z);
            double v = s_obs * s_obs + s_md * s_md + var_of_mean[(size_t)p * nt + j];
            /* A NaN output (a ratio over an empty year) is implausible. */
            double I = isfinite(m) ? fabs(z - m) / sqrt(v > 0 ? v : 1e-300) : HUGE_VAL;
            if (I > best) {
                best = I;
                w = j;
            }
        }
        imax[p] = best < 0 ? 0 : best;
        worst[p] = w;
    }
}

static double to_unit(const es_design_param *p, double v)
{
    return p->log_scale ? log(v) : v;
}

static double from_unit(const es_design_param *p, double v)
{
    return p->log_scale ? exp(v) : v;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int es_cal_box(const es_design_param *prior, int k, const double *x, int n, const double *imax,
               double threshold, double margin, double *lo, double *hi)
{
    int m = 0;
    for (int p = 0; p < n; p++)
        if (imax[p] <= threshold) m++;
    /* Too few non-implausible points to outline the region (a narrow
     * region in a wide box): the tenth of the points with the smallest
     * implausibility outline where it lies instead. */
    const int least = n / 10 > 2 ? n / 10 : 2 < n ? 2 : n;
    double cut = threshold;
    if (m < least) {
        double *s = malloc((size_t)n * sizeof *s);
        if (!s) return m;
        memcpy(s, imax, (size_t)n * sizeof *s);
        qsort(s, (size_t)n, sizeof *s, cmp_double);
        cut = s[least - 1];
        free(s);
    }
    for (int j = 0; j < k; j++) {
        const es_design_param *q = &prior[j];
        double a = HUGE_VAL, b = -HUGE_VAL;
        for (int p = 0; p < n; p++)
            if (imax[p] <= cut) {
                double v = to_unit(q, x[(size_t)p * k + j]);
                if (v < a) a = v;
                if (v > b) b = v;
            }
        /* At least one LHS stratum of the current box wide: points that
         * agree on a parameter still leave room around them. */
        double w = b - a, cell = (to_unit(q, hi[j]) - to_unit(q, lo[j])) / n;
        if (w < cell) {
            a -= (cell - w) / 2;
            b += (cell - w) / 2;
            w = cell;
        }
        a -= margin * w;
        b += margin * w;
        a = from_unit(q, a);
        b = from_unit(q, b);
        lo[j] = a < q->low ? q->low : a;
        hi[j] = b > q->high ? q->high : b;
    }
    return m;
}

double es_cal_box_volume(const es_design_param *prior, int k, const double *lo, const double *hi)
{
    double v = 1;
    for (int j = 0; j < k; j++) {
        const es_design_param *q = &prior[j];
        double w = to_unit(q, q->high) - to_unit(q, q->low);
        v *= w > 0 ? (to_unit(q, hi[j]) - to_unit(q, lo[j])) / w : 1;
    }
    return v;
}

int es_cal_accept(const es_cal_target *t, int nt, const double *mean, int n, int *accepted)
{
    int m = 0;
    for (int p = 0; p < n; p++) {
        int ok = 1;
        for (int j = 0; j < nt && ok; j++) {
            double v = mean[(size_t)p * nt + j];
            ok = isfinite(v) && fabs(v / t[j].value - 1) <= t[j].tol;
        }
        accepted[p] = ok;
        m += ok;
    }
    return m;
}

es_status es_cal_wave_points(const es_design_param *prior, int k, const double *lo,
                             const double *hi, int n, uint64_t seed, int wave, double **x,
                             char *err, size_t errlen)
{
    es_design_param *box = es_calloc((size_t)k, sizeof *box);
    if (!box) {
        snprintf(err, errlen, "out of memory for a wave's design");
        return ES_ERR_NOMEM;
    }
    for (int j = 0; j < k; j++) {
        box[j] = prior[j];
        box[j].n_values = 0;
        box[j].values = NULL;
        box[j].integer = 0;
        box[j].low = lo[j];
        box[j].high = hi[j];
    }
    int got = 0;
    /* Each wave its own Latin hypercube: the design stream of seed + wave. */
    es_status st =
        es_design_build(ES_DESIGN_LHS, box, k, n, seed + (uint64_t)wave, x, &got, err, errlen);
    free(box);
    for (int j = 0; st == ES_OK && j < k; j++)
        if (prior[j].integer)
            for (int p = 0; p < got; p++) (*x)[(size_t)p * k + j] = round((*x)[(size_t)p * k + j]);
    return st;
}
