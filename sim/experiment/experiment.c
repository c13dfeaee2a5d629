/* experiment.c: units on worker threads, folding months into years, and
 * the across-replication statistics (contract in experiment.h). */
#include "experiment.h"
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_statistics_double.h>
#include "../core/check.h"
#include "../core/date.h"
#include "../core/mem.h"
#include "../model/model.h"
#include "threads.h"
#include "units.h"

#define ES_MAX_YEARS  200
#define ES_CONFIDENCE 0.95
#define ES_UNIT_ERR   512 /* a unit's own message buffer */

int es_experiment_fiscal_years(const es_params *p, int *out, int max)
{
    int n = 0;
    for (int y = es_date_fiscal_year(p->warmup_end_day); y <= es_date_fiscal_year(p->end_day) + 1;
         y++) {
        if (es_date_days(y - 1, 10, 1) >= p->warmup_end_day &&
            es_date_days(y, 9, 30) <= p->end_day && n < max)
            out[n++] = y;
    }
    return n;
}

int es_experiment_calendar_years(const es_params *p, int *out, int max)
{
    int y0, m, d, y1;
    es_date_civil(p->warmup_end_day, &y0, &m, &d);
    es_date_civil(p->end_day, &y1, &m, &d);
    int n = 0;
    for (int y = y0; y <= y1; y++)
        if (es_date_days(y, 1, 1) >= p->warmup_end_day && es_date_days(y, 12, 31) <= p->end_day &&
            n < max)
            out[n++] = y;
    return n;
}

void es_stats_summary(const double *x, int n, double *mean, double *sd, double *lo, double *hi)
{
    *mean = n > 0 ? gsl_stats_mean(x, 1, (size_t)n) : NAN;
    if (n < 2) {
        *sd = *lo = *hi = NAN;
        return;
    }
    *sd = gsl_stats_sd_m(x, 1, (size_t)n, *mean);
    double h = gsl_cdf_tdist_Pinv(0.5 + ES_CONFIDENCE / 2, n - 1) * *sd / sqrt((double)n);
    *lo = *mean - h;
    *hi = *mean + h;
}

/* Fold one replication's months into periods. `first[k]`, `last[k]` are
 * month indices (into the monthly series) of period k. */
static void fold_periods(const es_scenario_result *s, int rep, double *dst_base, int n_per,
                         const int *first, const int *last)
{
    for (int m = 0; m < ES_N_METRICS; m++) {
        const es_metric_def *d = &es_metric_table[m];
        double *dst = dst_base + ((size_t)rep * ES_N_METRICS + (size_t)m) * (size_t)n_per;
        for (int k = 0; k < n_per; k++) {
            if (d->agg == ES_AGG_RATIO) {
                const double *num = es_res_monthly(s, rep, d->num),
                             *den = es_res_monthly(s, rep, d->den);
                double a = 0, b = 0;
                for (int i = first[k]; i <= last[k]; i++) {
                    a += num[i];
                    b += den[i];
                }
                dst[k] = b > 0 ? a / b : NAN;
            } else {
                const double *src = es_res_monthly(s, rep, m);
                double a = 0;
                for (int i = first[k]; i <= last[k]; i++) a += src[i];
                dst[k] = d->agg == ES_AGG_STOCK ? a / (last[k] - first[k] + 1) : a;
            }
        }
    }
}

static es_status summarize(const es_scenario_result *s, const double *vals, int n_per,
                           es_summary *sum)
{
    size_t cells = (size_t)ES_N_METRICS * (size_t)n_per;
    es_status st = ES_ERR_NOMEM;
    double *x = NULL;
    es_summary_fini(sum);
    sum->mean = es_calloc(cells, sizeof(double));
    sum->sd = es_calloc(cells, sizeof(double));
    sum->lo = es_calloc(cells, sizeof(double));
    sum->hi = es_calloc(cells, sizeof(double));
    x = es_calloc((size_t)s->n_reps, sizeof(double));
    if (!sum->mean || !sum->sd || !sum->lo || !sum->hi || !x) goto out;
    for (int m = 0; m < ES_N_METRICS; m++)
        for (int k = 0; k < n_per; k++) {
            for (int r = 0; r < s->n_reps; r++)
                x[r] = vals[((size_t)r * ES_N_METRICS + (size_t)m) * (size_t)n_per + (size_t)k];
            size_t c = (size_t)m * (size_t)n_per + (size_t)k;
            es_stats_summary(x, s->n_reps, &sum->mean[c], &sum->sd[c], &sum->lo[c], &sum->hi[c]);
        }
    st = ES_OK;
out:
    free(x);
    return st;
}

static void period_months(const es_scenario_result *s, int n, const int *years, int fiscal,
                          int *first, int *last)
{
    int m0 = es_date_month_index(s->month_start[0]);
    for (int k = 0; k < n; k++) {
        int32_t a = fiscal ? es_date_days(years[k] - 1, 10, 1) : es_date_days(years[k], 1, 1);
        first[k] = es_date_month_index(a) - m0;
        last[k] = first[k] + 11;
    }
}

int64_t es_experiment_independent_seed(int64_t seed, int index)
{
    /* SplitMix64 (Steele, Lea and Flood 2014): a bijective mix, so distinct
     * (seed, index) give unrelated 64-bit values. Two rounds: one for the
     * index, one for the seed combined with it. The top two bits are dropped
     * to stay inside run.seed's registry range [0, 9.2e18]. */
    uint64_t z = (uint64_t)index + 1;
    for (int round = 0; round < 2; round++) {
        z += 0x9E3779B97F4A7C15u;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
        z ^= z >> 31;
        if (round == 0) z ^= (uint64_t)seed;
    }
    return (int64_t)(z >> 2);
}

int es_precision_met(const es_scenario_result *s, int metric, double rel, double *worst_ratio,
                     int *worst_fy)
{
    int met = 1;
    *worst_ratio = 0;
    *worst_fy = s->n_fy > 0 ? s->fy[0] : 0;
    for (int k = 0; k < s->n_fy; k++) {
        size_t c = (size_t)metric * (size_t)s->n_fy + (size_t)k;
        double hw = (s->fy_sum.hi[c] - s->fy_sum.lo[c]) / 2, mean = fabs(s->fy_sum.mean[c]);
        /* hw <= rel * mean, written so that a NaN anywhere fails; an exact
         * zero (a metric without variance) passes. */
        int ok = hw <= rel * mean;
        double ratio = hw == 0 ? 0 : hw / mean;
        if (!ok && (met || !(ratio <= *worst_ratio))) {
            *worst_ratio = isnan(ratio) ? INFINITY : ratio;
            *worst_fy = s->fy[k];
        }
        if (!ok) met = 0;
    }
    return met;
}

/* Which months make up each period of one scenario (indices into its series). */
typedef struct {
    int fy_first[ES_MAX_YEARS], fy_last[ES_MAX_YEARS];
    int cy_first[ES_MAX_YEARS], cy_last[ES_MAX_YEARS];
} es_folds;

/* The state the workers share. Fields below `mu` are guarded by it. */
typedef struct {
    const es_experiment *x;
    es_scenario_result *out;
    const es_folds *folds; /* [n_scenarios] */
    int n_units;           /* this call's units: the k-th is run unit g0 + k * step */
    int64_t g0, step;      /* run unit g is scenario g % S, replication g / S */
    pthread_mutex_t mu;
    es_unit_space us; /* what a unit computes (no sweep) */
    int next, done, stop;
    es_status st; /* first failure */
    char *err;
    size_t errlen;
} es_work;

static void *worker(void *arg)
{
    es_work *w = arg;
    const int S = w->x->n_scenarios;
    char err[ES_UNIT_ERR];
    for (;;) {
        pthread_mutex_lock(&w->mu);
        int u = w->stop || w->st != ES_OK || w->next >= w->n_units ? -1 : w->next++;
        pthread_mutex_unlock(&w->mu);
        if (u < 0) break;
        int64_t g = w->g0 + (int64_t)u * w->step;
        int sc = (int)(g % S), r = (int)(g / S);
        es_scenario_result *s = &w->out[sc];
        const es_folds *f = &w->folds[sc];
        double *monthly = es_res_monthly(s, r, 0);
        uint64_t events = 0;
        err[0] = '\0';
        es_status st =
            es_unit_obtain(w->x, &w->us, g, NULL, monthly,
                           (size_t)ES_N_METRICS * (size_t)s->n_months, &events, err, sizeof err);
        if (st == ES_OK) {
            s->replication[r] = r;
            fold_periods(s, r, s->fiscal, s->n_fy, f->fy_first, f->fy_last);
            fold_periods(s, r, s->calendar, s->n_cy, f->cy_first, f->cy_last);
        }
        pthread_mutex_lock(&w->mu);
        if (st != ES_OK) {
            if (w->st == ES_OK) {
                w->st = st;
                snprintf(w->err, w->errlen, "scenario '%s', replication %d: %s", s->name, r, err);
            }
        } else {
            w->done++;
            if (w->x->progress && w->x->progress(w->x->pctx, w->done, w->n_units, events))
                w->stop = 1;
        }
        pthread_mutex_unlock(&w->mu);
    }
    return NULL;
}

es_status es_experiment_start(const es_experiment *x, es_scenario_result *out, char *err,
                              size_t errlen)
{
    int fy[ES_MAX_YEARS], cy[ES_MAX_YEARS];
    for (int i = 0; i < x->n_scenarios; i++) memset(&out[i], 0, sizeof out[i]);
    for (int i = 0; i < x->n_scenarios; i++) {
        const es_params *p = x->scenarios[i].p;
        es_scenario_result *s = &out[i];
        s->n_months = es_model_months(p);
        s->n_fy = es_experiment_fiscal_years(p, fy, ES_MAX_YEARS);
        s->n_cy = es_experiment_calendar_years(p, cy, ES_MAX_YEARS);
        s->name = es_strdup(x->scenarios[i].name);
        s->month_start = es_calloc((size_t)s->n_months, sizeof(int32_t));
        s->fy = es_calloc((size_t)s->n_fy, sizeof(int));
        s->cy = es_calloc((size_t)s->n_cy, sizeof(int));
        if (!s->name || !s->month_start || !s->fy || !s->cy) {
            snprintf(err, errlen, "out of memory setting up scenario '%s'", x->scenarios[i].name);
            return ES_ERR_NOMEM;
        }
        memcpy(s->fy, fy, sizeof(int) * (size_t)s->n_fy);
        memcpy(s->cy, cy, sizeof(int) * (size_t)s->n_cy);
        int y, mo, d;
        es_date_civil(p->start_day, &y, &mo, &d);
        for (int k = 0; k < s->n_months; k++)
            s->month_start[k] = es_date_days(y + (mo - 1 + k) / 12, (mo - 1 + k) % 12 + 1, 1);
    }
    return ES_OK;
}

/* Grows an array of `old` rows of `row` elements to `n` rows; the new rows are zero. */
static int grow(void *pp, size_t size, int old, int n, size_t row)
{
    void **p = pp;
    size_t cells = (size_t)n * row;
    void *q = es_reallocarray(*p, cells ? cells : 1, size);
    if (!q) return -1;
    memset((char *)q + (size_t)old * row * size, 0, (size_t)(n - old) * row * size);
    *p = q;
    return 0;
}

/* A shard ran only its units; move its replications of scenario sc to the
 * front rows, in order, so the arrays hold exactly what the file stores. */
static void compact_shard(const es_experiment *x, es_scenario_result *s, int sc)
{
    const int64_t S = x->n_scenarios, N = x->shard_count;
    const size_t mrow = (size_t)ES_N_METRICS * (size_t)s->n_months,
                 frow = (size_t)ES_N_METRICS * (size_t)s->n_fy,
                 crow = (size_t)ES_N_METRICS * (size_t)s->n_cy;
    int kept = 0;
    for (int r = 0; r < s->n_reps; r++) {
        if (((int64_t)r * S + sc) % N != x->shard_index) continue;
        if (kept != r) {
            /* Rows never overlap: kept < r. */
            memcpy(s->monthly + (size_t)kept * mrow, s->monthly + (size_t)r * mrow,
                   mrow * sizeof(double));
            memcpy(s->fiscal + (size_t)kept * frow, s->fiscal + (size_t)r * frow,
                   frow * sizeof(double));
            memcpy(s->calendar + (size_t)kept * crow, s->calendar + (size_t)r * crow,
                   crow * sizeof(double));
        }
        s->replication[kept++] = r;
    }
    s->n_reps = kept;
}

es_status es_experiment_summarize(es_scenario_result *s, char *err, size_t errlen)
{
    es_status st;
    if ((st = summarize(s, s->fiscal, s->n_fy, &s->fy_sum)) != ES_OK ||
        (st = summarize(s, s->calendar, s->n_cy, &s->cy_sum)) != ES_OK)
        snprintf(err, errlen, "out of memory summarizing scenario '%s'", s->name);
    return st;
}

es_status es_experiment_extend(const es_experiment *x, es_scenario_result *out, int n_reps,
                               char *err, size_t errlen)
{
    const int S = x->n_scenarios;
    es_status st = ES_OK;
    es_folds *folds = NULL;
    int mu_ready = 0;
    es_work w;
    memset(&w, 0, sizeof w);
    if (S == 0) return ES_OK;
    const int r0 = out[0].n_reps;
    if (n_reps <= r0) return ES_OK;
    if (!(folds = es_calloc((size_t)S, sizeof *folds))) {
        snprintf(err, errlen, "out of memory preparing %d scenarios", S);
        st = ES_ERR_NOMEM;
        goto out;
    }
    for (int i = 0; i < S; i++) {
        es_scenario_result *s = &out[i];
        ES_ASSERT(s->n_reps == r0);
        if (grow(&s->replication, sizeof *s->replication, r0, n_reps, 1) ||
            grow(&s->monthly, sizeof *s->monthly, r0, n_reps,
                 (size_t)ES_N_METRICS * (size_t)s->n_months) ||
            grow(&s->fiscal, sizeof *s->fiscal, r0, n_reps,
                 (size_t)ES_N_METRICS * (size_t)s->n_fy) ||
            grow(&s->calendar, sizeof *s->calendar, r0, n_reps,
                 (size_t)ES_N_METRICS * (size_t)s->n_cy)) {
            snprintf(err, errlen, "out of memory for %d replications of scenario '%s'", n_reps,
                     s->name);
            st = ES_ERR_NOMEM;
            goto out;
        }
        s->n_reps = n_reps;
        period_months(s, s->n_fy, s->fy, 1, folds[i].fy_first, folds[i].fy_last);
        period_months(s, s->n_cy, s->cy, 0, folds[i].cy_first, folds[i].cy_last);
    }

    w.x = x;
    w.us = (es_unit_space){S, x->scenarios, x->kind, NULL, 1, 0};
    w.out = out;
    w.folds = folds;
    w.g0 = (int64_t)r0 * S;
    w.step = 1;
    w.n_units = (n_reps - r0) * S;
    if (x->shard_count > 1) {
        /* Round-robin: the first unit of this batch in the shard, then every
         * shard_count-th. Balanced to within one unit, and the same units
         * whatever the thread count. */
        int64_t N = x->shard_count, end = (int64_t)n_reps * S;
        w.g0 += ((x->shard_index - w.g0) % N + N) % N;
        w.step = N;
        w.n_units = w.g0 < end ? (int)((end - 1 - w.g0) / N + 1) : 0;
    }
    w.err = err;
    w.errlen = errlen;
    if (pthread_mutex_init(&w.mu, NULL) != 0) {
        snprintf(err, errlen, "cannot create a mutex for the worker threads");
        st = ES_ERR_NOMEM;
        goto out;
    }
    mu_ready = 1;
    es_run_workers(worker, &w, x->threads < w.n_units ? x->threads : w.n_units);
    if ((st = w.st) != ES_OK) goto out;
    if (w.stop) {
        snprintf(err, errlen, "interrupted after %d of %d units", w.done, w.n_units);
        st = ES_ERR_INTERRUPTED;
        goto out;
    }
    if (x->shard_count > 1)
        for (int i = 0; i < S; i++) compact_shard(x, &out[i], i);
    for (int i = 0; i < S; i++)
        if (out[i].n_reps > 0 && (st = es_experiment_summarize(&out[i], err, errlen)) != ES_OK)
            goto out;
out:
    if (mu_ready) pthread_mutex_destroy(&w.mu);
    free(folds);
    return st;
}

es_status es_experiment_run(const es_params *p, es_rng_kind kind, const char *name, int n_reps,
                            es_progress_fn progress, void *pctx, es_scenario_result *s, char *err,
                            size_t errlen)
{
    es_scenario_in in = {name, p};
    es_experiment x = {.n_scenarios = 1,
                       .scenarios = &in,
                       .kind = kind,
                       .threads = 1,
                       .progress = progress,
                       .pctx = pctx};
    es_status st = es_experiment_start(&x, s, err, errlen);
    if (st == ES_OK) st = es_experiment_extend(&x, s, n_reps, err, errlen);
    if (st != ES_OK) es_scenario_result_fini(s);
    return st;
}
