/* sweep_run.c: the units of a sweep on worker threads (contract in
 * sweep_run.h). Kept apart from experiment.c's worker: a sweep keeps no
 * monthly series and applies a design point per unit. */
#include "sweep_run.h"
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../core/check.h"
#include "../core/date.h"
#include "../core/mem.h"
#include "../model/model.h"
#include "threads.h"
#include "units.h"

#define SW_MAX_YEARS 200
#define SW_UNIT_ERR  512

/* Months of each year of one scenario (indices into its monthly series). */
typedef struct {
    int n_months;
    int fy_first[SW_MAX_YEARS], cy_first[SW_MAX_YEARS]; /* each year is 12 months */
} sw_folds;

typedef struct {
    const es_experiment *x;
    const es_sweep *sw;
    es_sweep_result *out;
    const sw_folds *folds;     /* [S] */
    const int64_t *row_of;     /* [n_units] row of the k-th unit in its scenario */
    es_unit_space us;          /* what a unit computes */
    int64_t n_units, g0, step; /* the k-th unit is run unit g0 + k * step */
    pthread_mutex_t mu;
    int64_t next, done;
    int stop;
    es_status st;
    char *err;
    size_t errlen;
} sw_work;

/* Years of one unit from its months, into rows `row` of dst[metric][row][year]:
 * the arithmetic of experiment.c's fold, so a sweep point equals a plain run. */
static void fold(const double *monthly, int n_months, int64_t n_rows, int64_t row, double *dst,
                 int n_per, const int *first)
{
    for (int m = 0; m < ES_N_METRICS; m++) {
        const es_metric_def *d = &es_metric_table[m];
        double *o = dst + ((size_t)m * (size_t)n_rows + (size_t)row) * (size_t)n_per;
        for (int k = 0; k < n_per; k++) {
            int a0 = first[k], a1 = first[k] + 11;
            if (d->agg == ES_AGG_RATIO) {
                const double *num = monthly + (size_t)d->num * (size_t)n_months;
                const double *den = monthly + (size_t)d->den * (size_t)n_months;
                double a = 0, b = 0;
                for (int i = a0; i <= a1; i++) {
                    a += num[i];
                    b += den[i];
                }
                o[k] = b > 0 ? a / b : NAN;
            } else {
                const double *src = monthly + (size_t)m * (size_t)n_months;
                double a = 0;
                for (int i = a0; i <= a1; i++) a += src[i];
                o[k] = d->agg == ES_AGG_STOCK ? a / (a1 - a0 + 1) : a;
            }
        }
    }
}

static void *sw_worker(void *arg)
{
    sw_work *w = arg;
    const int S = w->x->n_scenarios, P = w->sw->n_points;
    char err[SW_UNIT_ERR];
    int max_months = 0;
    for (int s = 0; s < S; s++)
        if (w->folds[s].n_months > max_months) max_months = w->folds[s].n_months;
    /* The worker's scratch: one parameter set and one unit's months. */
    es_params *p = es_calloc(1, sizeof *p);
    double *monthly = es_calloc((size_t)ES_N_METRICS * (size_t)(max_months > 0 ? max_months : 1),
                                sizeof *monthly);
    if (!p || !monthly) {
        pthread_mutex_lock(&w->mu);
        if (w->st == ES_OK) {
            w->st = ES_ERR_NOMEM;
            snprintf(w->err, w->errlen, "out of memory for a worker's scratch");
        }
        pthread_mutex_unlock(&w->mu);
        goto out;
    }
    for (;;) {
        pthread_mutex_lock(&w->mu);
        int64_t k = w->stop || w->st != ES_OK || w->next >= w->n_units ? -1 : w->next++;
        pthread_mutex_unlock(&w->mu);
        if (k < 0) break;
        int64_t g = w->g0 + k * w->step;
        int sc = (int)(g % S), pt = (int)((g / S) % P), r = (int)(g / ((int64_t)S * P));
        es_sweep_result *o = &w->out[sc];
        const sw_folds *f = &w->folds[sc];
        /* As experiment.c's worker: replayed from the journal, or computed
         * here or elsewhere (MPI) and journaled before it counts. */
        const size_t n_values = (size_t)ES_N_METRICS * (size_t)f->n_months;
        uint64_t events = 0;
        err[0] = '\0';
        es_status st =
            es_unit_obtain(w->x, &w->us, g, p, monthly, n_values, &events, err, sizeof err);
        if (st == ES_OK) {
            int64_t row = w->row_of[k];
            o->unit[row] = g;
            fold(monthly, f->n_months, o->n_rows, row, o->fiscal, o->n_fy, f->fy_first);
            fold(monthly, f->n_months, o->n_rows, row, o->calendar, o->n_cy, f->cy_first);
        }
        pthread_mutex_lock(&w->mu);
        if (st != ES_OK) {
            if (w->st == ES_OK) {
                w->st = st;
                snprintf(w->err, w->errlen, "scenario '%s', point %d, replication %d: %s", o->name,
                         pt, r, err);
            }
        } else {
            w->done++;
            if (w->x->progress && w->x->progress(w->x->pctx, (int)w->done, (int)w->n_units, events))
                w->stop = 1;
        }
        pthread_mutex_unlock(&w->mu);
    }
out:
    free(monthly);
    free(p);
    return NULL;
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
    sw_folds *folds = NULL;
    int64_t *row_of = NULL, *held = NULL;
    int mu_ready = 0;
    sw_work w;
    memset(&w, 0, sizeof w);
    for (int s = 0; s < S; s++) memset(&out[s], 0, sizeof out[s]);
    if (!(folds = es_calloc((size_t)S, sizeof *folds)) ||
        !(held = es_calloc((size_t)S, sizeof *held))) {
        snprintf(err, errlen, "out of memory preparing the sweep");
        goto out;
    }
    w.g0 = I;
    w.step = N;
    w.n_units = total > I ? (total - 1 - I) / N + 1 : 0;
    if (!(row_of = es_calloc((size_t)(w.n_units > 0 ? w.n_units : 1), sizeof *row_of))) {
        snprintf(err, errlen, "out of memory for %lld units", (long long)w.n_units);
        goto out;
    }
    /* Rows: a whole run's are (point, replication); a shard's, its units in order. */
    for (int64_t k = 0; k < w.n_units; k++) {
        int64_t g = w.g0 + k * w.step;
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
        folds[s].n_months = es_model_months(p);
        int m0 = es_date_month_index(p->start_day);
        for (int k = 0; k < o->n_fy; k++)
            folds[s].fy_first[k] = es_date_month_index(es_date_days(fy[k] - 1, 10, 1)) - m0;
        for (int k = 0; k < o->n_cy; k++)
            folds[s].cy_first[k] = es_date_month_index(es_date_days(cy[k], 1, 1)) - m0;
    }
    w.x = x;
    w.sw = sw;
    w.out = out;
    w.folds = folds;
    w.row_of = row_of;
    w.us = (es_unit_space){x->n_scenarios, x->scenarios, x->kind, sw, crn, seed};
    w.err = err;
    w.errlen = errlen;
    if (pthread_mutex_init(&w.mu, NULL) != 0) {
        snprintf(err, errlen, "cannot create a mutex for the worker threads");
        goto out;
    }
    mu_ready = 1;
    es_run_workers(sw_worker, &w, x->threads < w.n_units ? x->threads : w.n_units);
    if ((st = w.st) != ES_OK) goto out;
    if (w.stop) {
        snprintf(err, errlen, "interrupted after %lld of %lld units", (long long)w.done,
                 (long long)w.n_units);
        st = ES_ERR_INTERRUPTED;
        goto out;
    }
    st = ES_OK;
    if (N == 1)
        for (int s = 0; s < S && st == ES_OK; s++) st = es_sweep_summarize(&out[s], err, errlen);
out:
    if (mu_ready) pthread_mutex_destroy(&w.mu);
    free(row_of);
    free(held);
    free(folds);
    return st;
}
