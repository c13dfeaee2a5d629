/* sweep_run.c: the units of a sweep (contract in sweep_run.h), on the one
 * worker loop and fold of units.h; only the layout is a sweep's own: no
 * monthly series, rows of (point, replication). */
#include "sweep_run.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../core/check.h"
#include "../core/date.h"
#include "../core/mem.h"
#include "../model/model.h"
#include "units.h"

#define SW_MAX_YEARS ES_UNIT_MAX_YEARS

/* A sweep's layout: rows of [metric][row][year] (results.h), no months. */
typedef struct {
    es_sweep_result *out;
    const int64_t *row_of; /* [n_units] row of the k-th unit in its scenario */
    int S;
} sweep_layout;

static void sweep_slot(void *ctx, int64_t k, int64_t g, es_unit_slot *o)
{
    const sweep_layout *l = ctx;
    es_sweep_result *s = &l->out[g % l->S];
    const int64_t row = l->row_of[k];
    s->unit[row] = g;
    o->monthly = NULL;
    o->fiscal = s->fiscal + (size_t)row * (size_t)s->n_fy;
    o->calendar = s->calendar + (size_t)row * (size_t)s->n_cy;
    o->fy_stride = (size_t)s->n_rows * (size_t)s->n_fy;
    o->cy_stride = (size_t)s->n_rows * (size_t)s->n_cy;
}

es_status es_sweep_summarize(es_sweep_result *s, char *err, size_t errlen)
{
    const int P = s->n_points, R = s->n_reps;
    ES_ASSERT(s->n_rows == (int64_t)P * R);
    for (int pass = 0; pass < 2; pass++) {
        const int n = pass ? s->n_cy : s->n_fy;
        const double *vals = pass ? s->calendar : s->fiscal;
        double **sum = pass ? &s->cy_sum : &s->fy_sum;
        free(*sum);
        *sum =
            es_calloc((size_t)ES_N_METRICS * (size_t)P * ES_SWEEP_N_STATS * (size_t)(n > 0 ? n : 1),
                      sizeof **sum);
        double *x = es_calloc((size_t)(R > 0 ? R : 1), sizeof *x);
        if (!*sum || !x) {
            free(x);
            snprintf(err, errlen, "out of memory summarizing sweep scenario '%s'", s->name);
            return ES_ERR_NOMEM;
        }
        for (int m = 0; m < ES_N_METRICS; m++)
            for (int p = 0; p < P; p++)
                for (int k = 0; k < n; k++) {
                    for (int r = 0; r < R; r++)
                        x[r] = vals[((size_t)m * (size_t)s->n_rows + (size_t)p * (size_t)R +
                                     (size_t)r) *
                                        (size_t)n +
                                    (size_t)k];
                    double *o =
                        *sum +
                        (((size_t)m * (size_t)P + (size_t)p) * ES_SWEEP_N_STATS) * (size_t)n +
                        (size_t)k;
                    es_stats_summary(x, R, &o[0], &o[(size_t)n], &o[2 * (size_t)n],
                                     &o[3 * (size_t)n]);
                }
        free(x);
    }
    return ES_OK;
}

es_status es_sweep_run(const es_experiment *x, const es_sweep *sw, int n_reps, int crn,
                       int64_t seed, es_sweep_result *out, char *err, size_t errlen)
{
    const int S = x->n_scenarios, P = sw->n_points;
    const int64_t N = x->shard_count > 1 ? x->shard_count : 1,
                  I = x->shard_count > 1 ? x->shard_index : 0;
    const int64_t total = (int64_t)S * P * n_reps;
    es_status st = ES_ERR_NOMEM;
    es_unit_folds *folds = NULL;
    int64_t *row_of = NULL, *held = NULL;
    const int64_t n_units = total > I ? (total - 1 - I) / N + 1 : 0;
    for (int s = 0; s < S; s++) memset(&out[s], 0, sizeof out[s]);
    if (!(folds = es_calloc((size_t)S, sizeof *folds)) ||
        !(held = es_calloc((size_t)S, sizeof *held))) {
        snprintf(err, errlen, "out of memory preparing the sweep");
        goto out;
    }
    if (!(row_of = es_calloc((size_t)(n_units > 0 ? n_units : 1), sizeof *row_of))) {
        snprintf(err, errlen, "out of memory for %lld units", (long long)n_units);
        goto out;
    }
    /* Rows: a whole run's are (point, replication); a shard's, its units in order. */
    for (int64_t k = 0; k < n_units; k++) {
        int64_t g = I + k * N;
        int sc = (int)(g % S), pt = (int)((g / S) % P), r = (int)(g / ((int64_t)S * P));
        row_of[k] = N > 1 ? held[sc] : (int64_t)pt * n_reps + r;
        held[sc]++;
    }
    for (int s = 0; s < S; s++) {
        const es_params *p = x->scenarios[s].p;
        es_sweep_result *o = &out[s];
        int fy[SW_MAX_YEARS], cy[SW_MAX_YEARS];
        o->n_points = P;
        o->n_reps = n_reps;
        o->n_fy = es_experiment_fiscal_years(p, fy, SW_MAX_YEARS);
        o->n_cy = es_experiment_calendar_years(p, cy, SW_MAX_YEARS);
        o->n_rows = held[s];
        o->name = es_strdup(x->scenarios[s].name);
        o->fy = es_calloc((size_t)(o->n_fy ? o->n_fy : 1), sizeof *o->fy);
        o->cy = es_calloc((size_t)(o->n_cy ? o->n_cy : 1), sizeof *o->cy);
        o->unit = es_calloc((size_t)(o->n_rows ? o->n_rows : 1), sizeof *o->unit);
        o->fiscal = es_calloc((size_t)ES_N_METRICS * (size_t)o->n_rows * (size_t)o->n_fy + 1,
                              sizeof *o->fiscal);
        o->calendar = es_calloc((size_t)ES_N_METRICS * (size_t)o->n_rows * (size_t)o->n_cy + 1,
                                sizeof *o->calendar);
        if (!o->name || !o->fy || !o->cy || !o->unit || !o->fiscal || !o->calendar) {
            snprintf(err, errlen, "out of memory for the sweep results of scenario '%s'",
                     x->scenarios[s].name);
            goto out;
        }
        memcpy(o->fy, fy, sizeof(int) * (size_t)o->n_fy);
        memcpy(o->cy, cy, sizeof(int) * (size_t)o->n_cy);
        es_unit_folds_init(&folds[s], p, fy, o->n_fy, cy, o->n_cy);
    }
    es_unit_space us = {x->n_scenarios, x->scenarios, x->kind, sw, crn, seed, NULL, NULL};
    sweep_layout layout = {out, row_of, S};
    es_unit_batch b = {x, &us, folds, I, N, n_units, sweep_slot, &layout};
    int64_t done;
    if ((st = es_units_run(&b, &done, err, errlen)) != ES_OK) goto out;
    if (N == 1)
        for (int s = 0; s < S && st == ES_OK; s++) st = es_sweep_summarize(&out[s], err, errlen);
out:
    free(row_of);
    free(held);
    free(folds);
    return st;
}
