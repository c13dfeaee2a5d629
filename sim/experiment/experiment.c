#include "experiment.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_statistics_double.h>
#include "../core/date.h"
#include "../core/mem.h"
#include "../model/model.h"

#define ES_MAX_YEARS 200
#define ES_CONFIDENCE 0.95

int es_experiment_fiscal_years(const es_params *p, int *out, int max)
{
    int n = 0;
    for (int y = es_date_fiscal_year(p->warmup_end_day); y <= es_date_fiscal_year(p->end_day) + 1; y++) {
        if (es_date_days(y - 1, 10, 1) >= p->warmup_end_day && es_date_days(y, 9, 30) <= p->end_day && n < max)
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
        if (es_date_days(y, 1, 1) >= p->warmup_end_day && es_date_days(y, 12, 31) <= p->end_day && n < max)
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
static void fold_periods(const es_scenario_result *s, int rep, double *dst_base,
                         int n_per, const int *first, const int *last)
{
    for (int m = 0; m < ES_N_METRICS; m++) {
        const es_metric_def *d = &es_metric_table[m];
        double *dst = dst_base + ((size_t)rep * ES_N_METRICS + (size_t)m) * (size_t)n_per;
        for (int k = 0; k < n_per; k++) {
            if (d->agg == ES_AGG_RATIO) {
                const double *num = es_res_monthly(s, rep, d->num), *den = es_res_monthly(s, rep, d->den);
                double a = 0, b = 0;
                for (int i = first[k]; i <= last[k]; i++) { a += num[i]; b += den[i]; }
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

static es_status summarize(const es_scenario_result *s, const double *vals, int n_per, es_summary *sum)
{
    size_t cells = (size_t)ES_N_METRICS * (size_t)n_per;
    sum->mean = es_calloc(cells, sizeof(double));
    sum->sd = es_calloc(cells, sizeof(double));
    sum->lo = es_calloc(cells, sizeof(double));
    sum->hi = es_calloc(cells, sizeof(double));
    double *x = es_calloc((size_t)s->n_reps, sizeof(double));
    if (!sum->mean || !sum->sd || !sum->lo || !sum->hi || !x) {
        free(x);
        return ES_ERR_NOMEM;
    }
    for (int m = 0; m < ES_N_METRICS; m++)
        for (int k = 0; k < n_per; k++) {
            for (int r = 0; r < s->n_reps; r++)
                x[r] = vals[((size_t)r * ES_N_METRICS + (size_t)m) * (size_t)n_per + (size_t)k];
            size_t c = (size_t)m * (size_t)n_per + (size_t)k;
            es_stats_summary(x, s->n_reps, &sum->mean[c], &sum->sd[c], &sum->lo[c], &sum->hi[c]);
        }
    free(x);
    return ES_OK;
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

es_status es_experiment_run(const es_params *p, es_rng_kind kind, const char *name, int n_reps,
                            es_progress_fn progress, void *pctx,
                            es_scenario_result *s, char *err, size_t errlen)
{
    es_status st = ES_OK;
    int fy[ES_MAX_YEARS], cy[ES_MAX_YEARS];
    int fy_first[ES_MAX_YEARS], fy_last[ES_MAX_YEARS], cy_first[ES_MAX_YEARS], cy_last[ES_MAX_YEARS];
    memset(s, 0, sizeof *s);
    s->n_reps = n_reps;
    s->n_months = es_model_months(p);
    s->n_fy = es_experiment_fiscal_years(p, fy, ES_MAX_YEARS);
    s->n_cy = es_experiment_calendar_years(p, cy, ES_MAX_YEARS);
    s->name = es_strdup(name);
    s->month_start = es_calloc((size_t)s->n_months, sizeof(int32_t));
    s->fy = es_calloc((size_t)s->n_fy, sizeof(int));
    s->cy = es_calloc((size_t)s->n_cy, sizeof(int));
    s->replication = es_calloc((size_t)n_reps, sizeof(int64_t));
    s->monthly = es_calloc((size_t)n_reps * ES_N_METRICS * (size_t)s->n_months, sizeof(double));
    s->fiscal = es_calloc((size_t)n_reps * ES_N_METRICS * (size_t)s->n_fy, sizeof(double));
    s->calendar = es_calloc((size_t)n_reps * ES_N_METRICS * (size_t)s->n_cy, sizeof(double));
    if (!s->name || !s->month_start || !s->fy || !s->cy || !s->replication || !s->monthly || !s->fiscal || !s->calendar) {
        snprintf(err, errlen, "out of memory for %d replications of scenario '%s'", n_reps, name);
        st = ES_ERR_NOMEM;
        goto out;
    }
    memcpy(s->fy, fy, sizeof(int) * (size_t)s->n_fy);
    memcpy(s->cy, cy, sizeof(int) * (size_t)s->n_cy);
    int y, mo, d;
    es_date_civil(p->start_day, &y, &mo, &d);
    for (int k = 0; k < s->n_months; k++)
        s->month_start[k] = es_date_days(y + (mo - 1 + k) / 12, (mo - 1 + k) % 12 + 1, 1);
    period_months(s, s->n_fy, s->fy, 1, fy_first, fy_last);
    period_months(s, s->n_cy, s->cy, 0, cy_first, cy_last);

    for (int r = 0; r < n_reps; r++) {
        es_model_stats ms;
        s->replication[r] = r;
        st = es_model_run(p, kind, (uint64_t)r, es_res_monthly(s, r, 0), &ms, err, errlen);
        if (st != ES_OK) goto out;
        fold_periods(s, r, s->fiscal, s->n_fy, fy_first, fy_last);
        fold_periods(s, r, s->calendar, s->n_cy, cy_first, cy_last);
        if (progress && progress(pctx, r + 1, n_reps, ms.events)) {
            snprintf(err, errlen, "interrupted after %d of %d replications", r + 1, n_reps);
            st = ES_ERR_INTERRUPTED;
            goto out;
        }
    }
    if ((st = summarize(s, s->fiscal, s->n_fy, &s->fy_sum)) != ES_OK ||
        (st = summarize(s, s->calendar, s->n_cy, &s->cy_sum)) != ES_OK) {
        snprintf(err, errlen, "out of memory summarizing scenario '%s'", name);
        goto out;
    }
out:
    if (st != ES_OK) es_scenario_result_fini(s);
    return st;
}

static void summary_fini(es_summary *u)
{
    free(u->mean);
    free(u->sd);
    free(u->lo);
    free(u->hi);
}

void es_scenario_result_fini(es_scenario_result *s)
{
    if (!s) return;
    free(s->name);
    free(s->month_start);
    free(s->fy);
    free(s->cy);
    free(s->replication);
    free(s->monthly);
    free(s->fiscal);
    free(s->calendar);
    summary_fini(&s->fy_sum);
    summary_fini(&s->cy_sum);
    memset(s, 0, sizeof *s);
}
