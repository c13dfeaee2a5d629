/* units.c: see units.h. */
#include "units.h"
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../core/date.h"
#include "../core/mem.h"
#include "../model/model.h"
#include "uncertainty.h"
#include "threads.h"

#define ES_UNIT_ERR 512 /* a unit's own message buffer */

void es_unit_decode(const es_unit_space *us, int64_t g, int *scenario, int *point,
                    int64_t *replication)
{
    const int64_t S = us->n_scenarios, P = us->sweep ? us->sweep->n_points : 1;
    *scenario = (int)(g % S);
    *point = (int)((g / S) % P);
    *replication = g / (S * P);
}

size_t es_unit_values(const es_unit_space *us, int64_t g)
{
    const es_params *p = us->scenarios[g % us->n_scenarios].p;
    return (size_t)ES_N_METRICS * (size_t)es_model_months(p);
}

es_status es_unit_obtain(const es_experiment *x, const es_unit_space *us, int64_t g,
                         es_params *scratch, double *monthly, size_t n_values, uint64_t *events,
                         char *err, size_t errlen)
{
    *events = 0;
    int loaded = x->load ? x->load(x->jctx, g, monthly, events, err, errlen) : 0;
    if (loaded < 0) return ES_ERR_IO;
    if (loaded > 0) return ES_OK;
    es_status st = x->run_unit ? x->run_unit(x->rctx, g, monthly, n_values, events, err, errlen)
                               : es_unit_compute(us, g, scratch, monthly, events, err, errlen);
    if (st == ES_OK && x->save && x->save(x->jctx, g, monthly, *events, err, errlen) != 0)
        st = ES_ERR_IO;
    return st;
}

es_status es_unit_compute(const es_unit_space *us, int64_t g, es_params *scratch, double *monthly,
                          uint64_t *events, char *err, size_t errlen)
{
    int s, pt;
    int64_t r;
    es_unit_decode(us, g, &s, &pt, &r);
    const es_params *p = us->scenarios[s].p;
    if (us->sweep) {
        memcpy(scratch, p, sizeof *scratch);
        es_sweep_apply(us->sweep, pt, scratch);
        if (!us->crn)
            scratch->seed = es_experiment_independent_seed(us->seed, s * us->sweep->n_points + pt);
        p = scratch;
    }
    if (us->unc) {
        /* The same draws in every scenario of replication r: pairs stay pairs. */
        if (p != scratch) memcpy(scratch, p, sizeof *scratch);
        es_uncertainty_apply(us->unc, us->unc_x + (size_t)r * (size_t)us->unc->d, scratch);
        p = scratch;
    }
    es_model_stats ms;
    memset(&ms, 0, sizeof ms);
    es_status st = es_model_run(p, us->kind, (uint64_t)r, monthly, &ms, err, errlen);
    *events = ms.events;
    return st;
}

void es_unit_folds_init(es_unit_folds *f, const es_params *p, const int *fy, int n_fy,
                        const int *cy, int n_cy)
{
    int m0 = es_date_month_index(p->start_day);
    f->n_months = es_model_months(p);
    f->n_fy = n_fy;
    f->n_cy = n_cy;
    for (int k = 0; k < n_fy; k++)
        f->fy_first[k] = es_date_month_index(es_date_days(fy[k] - 1, 10, 1)) - m0;
    for (int k = 0; k < n_cy; k++)
        f->cy_first[k] = es_date_month_index(es_date_days(cy[k], 1, 1)) - m0;
}

void es_unit_fold(const double *monthly, int n_months, const int *first, int n_per, double *dst,
                  size_t stride)
{
    for (int m = 0; m < ES_N_METRICS; m++) {
        const es_metric_def *d = &es_metric_table[m];
        double *o = dst + (size_t)m * stride;
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

/* The state the workers share. Fields below `mu` are guarded by it. */
typedef struct {
    const es_unit_batch *b;
    int max_months;
    pthread_mutex_t mu;
    int64_t next, done;
    int stop;
    es_status st; /* first failure */
    char *err;
    size_t errlen;
} unit_work;

static void fail(unit_work *w, es_status st, const char *msg)
{
    pthread_mutex_lock(&w->mu);
    if (w->st == ES_OK) {
        w->st = st;
        snprintf(w->err, w->errlen, "%s", msg);
    }
    pthread_mutex_unlock(&w->mu);
}

static void *unit_worker(void *arg)
{
    unit_work *w = arg;
    const es_unit_batch *b = w->b;
    const es_experiment *x = b->x;
    char err[ES_UNIT_ERR], msg[ES_UNIT_ERR + 256];
    /* The worker's scratch: one parameter set (a sweep writes its point
     * there) and one unit's months for slots that keep none. */
    es_params *scratch = es_calloc(1, sizeof *scratch);
    double *months = es_calloc(
        (size_t)ES_N_METRICS * (size_t)(w->max_months > 0 ? w->max_months : 1), sizeof *months);
    if (!scratch || !months) {
        fail(w, ES_ERR_NOMEM, "out of memory for a worker's scratch");
        goto out;
    }
    for (;;) {
        pthread_mutex_lock(&w->mu);
        int64_t k = w->stop || w->st != ES_OK || w->next >= b->n_units ? -1 : w->next++;
        pthread_mutex_unlock(&w->mu);
        if (k < 0) break;
        int64_t g = b->g0 + k * b->step, r;
        int sc, pt;
        es_unit_decode(b->us, g, &sc, &pt, &r);
        const es_unit_folds *f = &b->folds[sc];
        es_unit_slot slot;
        b->slot(b->ctx, k, g, &slot);
        double *monthly = slot.monthly ? slot.monthly : months;
        uint64_t events = 0;
        err[0] = '\0';
        /* Replayed from the journal, or computed here or elsewhere (MPI)
         * and journaled before it counts. */
        es_status st =
            es_unit_obtain(x, b->us, g, scratch, monthly,
                           (size_t)ES_N_METRICS * (size_t)f->n_months, &events, err, sizeof err);
        if (st != ES_OK) {
            if (b->us->sweep)
                snprintf(msg, sizeof msg, "scenario '%s', point %d, replication %lld: %s",
                         b->us->scenarios[sc].name, pt, (long long)r, err);
            else
                snprintf(msg, sizeof msg, "scenario '%s', replication %lld: %s",
                         b->us->scenarios[sc].name, (long long)r, err);
            fail(w, st, msg);
            break;
        }
        es_unit_fold(monthly, f->n_months, f->fy_first, f->n_fy, slot.fiscal, slot.fy_stride);
        es_unit_fold(monthly, f->n_months, f->cy_first, f->n_cy, slot.calendar, slot.cy_stride);
        pthread_mutex_lock(&w->mu);
        w->done++;
        if (x->progress && x->progress(x->pctx, (int)w->done, (int)b->n_units, events)) w->stop = 1;
        pthread_mutex_unlock(&w->mu);
    }
out:
    free(months);
    free(scratch);
    return NULL;
}

es_status es_units_run(const es_unit_batch *b, int64_t *done, char *err, size_t errlen)
{
    unit_work w;
    memset(&w, 0, sizeof w);
    *done = 0;
    if (b->n_units <= 0) return ES_OK;
    w.b = b;
    w.err = err;
    w.errlen = errlen;
    for (int s = 0; s < b->us->n_scenarios; s++)
        if (b->folds[s].n_months > w.max_months) w.max_months = b->folds[s].n_months;
    if (pthread_mutex_init(&w.mu, NULL) != 0) {
        snprintf(err, errlen, "cannot create a mutex for the worker threads");
        return ES_ERR_NOMEM;
    }
    int64_t threads = b->x->threads > 0 ? b->x->threads : 1;
    es_run_workers(unit_worker, &w, threads < b->n_units ? threads : b->n_units);
    pthread_mutex_destroy(&w.mu);
    *done = w.done;
    if (w.st != ES_OK) return w.st;
    if (w.stop) {
        snprintf(err, errlen, "interrupted after %lld of %lld units", (long long)w.done,
                 (long long)b->n_units);
        return ES_ERR_INTERRUPTED;
    }
    return ES_OK;
}
