/* model.c: sets up one replication (engine, pools, streams, calendar),
 * runs it, folds ratio metrics, and checks conservation. */
#include "model.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../core/date.h"
#include "../core/mem.h"
#include "model_impl.h"

int es_model_months(const es_params *p)
{
    return es_date_month_index(p->end_day) - es_date_month_index(p->start_day) + 1;
}

static void on_month_end(void *ctx, es_engine *eng, const es_event *ev)
{
    es_world *w = ctx;
    es_world_add(w, ES_M_PARTIES_IN_SYSTEM, (double)es_pool_live(w->parties));
    if (w->month + 1 < w->n_months) w->month++;
}

/* Ratio metrics are recomputed from their parts, month by month. */
static void fold_ratios(es_world *w)
{
    for (int m = 0; m < ES_N_METRICS; m++) {
        const es_metric_def *d = &es_metric_table[m];
        if (d->agg != ES_AGG_RATIO) continue;
        for (int k = 0; k < w->n_months; k++) {
            double num = w->monthly[(size_t)d->num * (size_t)w->n_months + (size_t)k];
            double den = w->monthly[(size_t)d->den * (size_t)w->n_months + (size_t)k];
            w->monthly[(size_t)m * (size_t)w->n_months + (size_t)k] = den > 0 ? num / den : NAN;
        }
    }
}

static es_status check_conservation(es_world *w, es_model_stats *st)
{
    uint64_t live = 0, term = 0;
    for (int s = 0; s < PS_N_LIVE; s++) live += w->state_count[s];
    for (int s = 0; s < PT_N_TERMINAL; s++) term += w->terminal[s];
    st->live_parties = live;
    st->terminal_parties = term;
    if (live + term != w->arrived || live != es_pool_live(w->parties)) {
        snprintf(w->err, w->errlen,
                 "conservation of parties failed in replication %llu: %llu arrived, %llu live "
                 "(%zu records), %llu with a final outcome",
                 (unsigned long long)w->replication, (unsigned long long)w->arrived,
                 (unsigned long long)live, es_pool_live(w->parties), (unsigned long long)term);
        return ES_ERR_MODEL;
    }
    return ES_OK;
}

es_status es_model_run(const es_params *p, es_rng_kind kind, uint64_t replication,
                       double *monthly, es_model_stats *stats, char *err, size_t errlen)
{
    es_status st = ES_OK;
    es_world w;
    memset(&w, 0, sizeof w);
    memset(stats, 0, sizeof *stats);
    w.p = p;
    w.seed = (uint64_t)p->seed;
    w.replication = replication;
    w.err = err;
    w.errlen = errlen;
    w.monthly = monthly;
    w.n_months = es_model_months(p);
    w.horizon = (double)(p->end_day + 1 - p->start_day);
    memset(monthly, 0, sizeof(double) * ES_N_METRICS * (size_t)w.n_months);

    w.eng = es_engine_new(EV_COUNT, 1 << 14);
    w.parties = es_pool_new(sizeof(es_party), 1 << 14);
    w.month_end = es_calloc((size_t)w.n_months, sizeof(double));
    w.r_arrivals = es_rng_new(kind);
    w.r_party = es_rng_new(kind);
    w.r_attempt = es_rng_new(kind);
    w.r_stash = es_rng_new(kind);
    if (!w.eng || !w.parties || !w.month_end || !w.r_arrivals || !w.r_party || !w.r_attempt || !w.r_stash) {
        snprintf(err, errlen, "out of memory setting up replication %llu", (unsigned long long)replication);
        st = ES_ERR_NOMEM;
        goto out;
    }
    es_rng_name(w.r_arrivals, w.seed, ES_STREAM_ARRIVALS, replication);
    es_rng_name(w.r_party, w.seed, ES_STREAM_PARTY, replication);
    es_rng_name(w.r_attempt, w.seed, ES_STREAM_ATTEMPT, replication);
    es_rng_name(w.r_stash, w.seed, ES_STREAM_STASH, replication);

    es_engine_on(w.eng, EV_ARRIVAL, es_migration_on_arrival);
    es_engine_on(w.eng, EV_ATTEMPT, es_border_on_attempt);
    es_engine_on(w.eng, EV_STASH_DONE, es_migration_on_stash_done);
    es_engine_on(w.eng, EV_MONTH_END, on_month_end);

    /* Month ends are scheduled first, so an event at the exact boundary
     * (scheduled later, larger seq) counts in the new month. */
    int y, mo, d;
    es_date_civil(p->start_day, &y, &mo, &d);
    for (int k = 0; k < w.n_months; k++) {
        int ny = y + (mo - 1 + k + 1) / 12, nm = (mo - 1 + k + 1) % 12 + 1;
        double t = (double)(es_date_days(ny, nm, 1) - p->start_day);
        if (t > w.horizon) t = w.horizon;
        w.month_end[k] = t;
        if ((st = es_engine_at(w.eng, t, EV_MONTH_END, (uint32_t)k)) != ES_OK) goto out;
    }
    es_migration_start(&w);
    st = es_engine_run(w.eng, &w, w.horizon);
    if (st != ES_OK) {
        snprintf(err, errlen, "replication %llu stopped: %s", (unsigned long long)replication,
                 es_status_str(st));
        goto out;
    }
    fold_ratios(&w);
    st = check_conservation(&w, stats);
    stats->events = es_engine_events(w.eng);
    stats->parties = w.arrived;
    stats->peak_parties = w.peak_live;
out:
    gsl_rng_free(w.r_stash);
    gsl_rng_free(w.r_attempt);
    gsl_rng_free(w.r_party);
    gsl_rng_free(w.r_arrivals);
    free(w.month_end);
    es_pool_free(w.parties);
    es_engine_free(w.eng);
    return st;
}
