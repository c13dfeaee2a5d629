/* experiment.c: units on worker threads, folding months into years, and
 * the across-replication statistics (contract in experiment.h). */
#include "experiment.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_statistics_double.h>
#include "../core/check.h"
#include "../core/date.h"
#include "../core/mem.h"
#include "../model/model.h"
#include "units.h"

#define ES_MAX_YEARS  ES_UNIT_MAX_YEARS
#define ES_CONFIDENCE 0.95

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

/* A plain run's layout: unit g is replication g / S of scenario g % S,
 * and keeps its months ([rep][metric][month], results.h). */
typedef struct {
    es_scenario_result *out;
    int S;
} plain_layout;

static void plain_slot(void *ctx, int64_t k, int64_t g, es_unit_slot *o)
{
    const plain_layout *l = ctx;
    es_scenario_result *s = &l->out[g % l->S];
    const int r = (int)(g / l->S);
    (void)k;
    s->replication[r] = r;
    o->monthly = es_res_monthly(s, r, 0);
    o->fiscal = es_res_fiscal(s, r, 0);
    o->calendar = es_res_calendar(s, r, 0);
    o->fy_stride = (size_t)s->n_fy;
    o->cy_stride = (size_t)s->n_cy;
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
    es_unit_folds *folds = NULL;
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
        es_unit_folds_init(&folds[i], x->scenarios[i].p, s->fy, s->n_fy, s->cy, s->n_cy);
    }

    /* A run without a sweep is a sweep of one point: the same units, the
     * same worker loop and fold, its own layout (plain_slot). */
    es_unit_space us = {S, x->scenarios, x->kind, NULL, 1, 0, x->unc, x->unc_x};
    plain_layout layout = {out, S};
    es_unit_batch b = {x,          &us,    folds, (int64_t)r0 * S, 1, (int64_t)(n_reps - r0) * S,
                       plain_slot, &layout};
    if (x->shard_count > 1) {
        /* Round-robin: the first unit of this batch in the shard, then every
         * shard_count-th. Balanced to within one unit, and the same units
         * whatever the thread count. */
        int64_t N = x->shard_count, end = (int64_t)n_reps * S;
        b.g0 += ((x->shard_index - b.g0) % N + N) % N;
        b.step = N;
        b.n_units = b.g0 < end ? (end - 1 - b.g0) / N + 1 : 0;
    }
    int64_t done;
    if ((st = es_units_run(&b, &done, err, errlen)) != ES_OK) goto out;
    if (x->shard_count > 1)
        for (int i = 0; i < S; i++) compact_shard(x, &out[i], i);
    for (int i = 0; i < S; i++)
        if (out[i].n_reps > 0 && (st = es_experiment_summarize(&out[i], err, errlen)) != ES_OK)
            goto out;
out:
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
