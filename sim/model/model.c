/* model.c: sets up one replication (engine, pools, streams, calendar),
 * runs it, folds ratio metrics, and checks conservation. */
#include "model.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../core/check.h"
#include "../core/date.h"
#include "../core/mem.h"
#include "model_impl.h"

int es_model_months(const es_params *p)
{
    return es_date_month_index(p->end_day) - es_date_month_index(p->start_day) + 1;
}

int es_world_month_of(const es_world *w, double t)
{
    int lo = 0, hi = w->n_months - 1;
    while (lo < hi) { /* first month whose end is after t */
        int mid = (lo + hi) / 2;
        if (w->month_end[mid] > t)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

void es_world_add_span(es_world *w, int metric, double t0, double t1, double per_day)
{
    int k = es_world_month_of(w, t0);
    while (t0 < t1 && k < w->n_months) {
        double e = w->month_end[k] < t1 ? w->month_end[k] : t1;
        if (e > t0)
            w->monthly[(size_t)metric * (size_t)w->n_months + (size_t)k] += (e - t0) * per_day;
        t0 = e;
        k++;
    }
}

static void on_month_end(void *ctx, es_engine *eng, const es_event *ev)
{
    ES_UNUSED(eng);
    ES_UNUSED(ev);
    es_world *w = ctx;
    es_world_add(w, ES_M_PARTIES_IN_SYSTEM, (double)es_pool_live(w->parties));
    es_hsi_month_end(w);
    es_networks_snapshot(w);
    es_market_snapshot(w);
    es_ero_month_end(w);
    if (w->month + 1 < w->n_months) {
        w->month++;
        es_hsi_month_start(w);
    }
}

static void on_work_done(void *ctx, es_engine *eng, const es_event *ev)
{
    ES_UNUSED(eng);
    es_world *w = ctx;
    es_work_done(w->wf, ev->id);
}

static void add_span(void *ctx, int metric, double t0, double t1, double per_day)
{
    es_world_add_span(ctx, metric, t0, t1, per_day);
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
    /* Fees: agreed = collected + forfeited + still owed by live parties. */
    double owed = 0;
    for (uint32_t id = 0; id < es_pool_capacity(w->parties); id++)
        if (es_pool_is_live(w->parties, id)) {
            const es_party *pt = es_pool_get(w->parties, id);
            owed += pt->fee * pt->size - pt->paid;
        }
    double gap = w->fees_agreed - (w->fees_collected + w->fees_forfeited + owed);
    if (fabs(gap) > 1e-6 * (w->fees_agreed > 1 ? w->fees_agreed : 1)) {
        snprintf(w->err, w->errlen,
                 "conservation of fees failed in replication %llu: %.2f USD unaccounted",
                 (unsigned long long)w->replication, gap);
        return ES_ERR_MODEL;
    }
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

es_status es_model_run(const es_params *p, es_rng_kind kind, uint64_t replication, double *monthly,
                       es_model_stats *stats, char *err, size_t errlen)
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
    w.wf = w.eng ? es_workforce_new(w.eng, EV_WORK_DONE, ES_N_POOLS, &w, add_span) : NULL;
    w.leads = es_pool_new(sizeof(es_lead), 1 << 10);
    w.cases = es_pool_new(sizeof(es_case), 1 << 10);
    w.month_end = es_calloc((size_t)w.n_months, sizeof(double));
    gsl_rng **streams[] = {&w.r_arrivals, &w.r_party, &w.r_attempt, &w.r_stash, &w.r_net,
                           &w.r_hsi,      &w.r_case,  &w.r_pros,    &w.r_ero};
    int rng_ok = 1;
    for (size_t i = 0; i < sizeof streams / sizeof streams[0]; i++) {
        *streams[i] = es_rng_new(kind);
        rng_ok &= *streams[i] != NULL;
    }
    /* Most pending events lie days to months ahead (detention stays, work in
     * service, parties waiting): one-day buckets keep them out of the heap,
     * which then holds about a day's 5,000 (engine.h). */
    if (!w.eng || !w.parties || !w.wf || !w.leads || !w.cases || !w.month_end || !rng_ok ||
        es_engine_buckets(w.eng, 1.0) != ES_OK) {
        st = ES_ERR_NOMEM;
        goto setup_failed;
    }
    es_rng_name(w.r_arrivals, w.seed, ES_STREAM_ARRIVALS, replication);
    es_rng_name(w.r_party, w.seed, ES_STREAM_PARTY, replication);
    es_rng_name(w.r_attempt, w.seed, ES_STREAM_ATTEMPT, replication);
    es_rng_name(w.r_stash, w.seed, ES_STREAM_STASH, replication);
    es_rng_name(w.r_net, w.seed, ES_STREAM_NETWORKS, replication);
    es_rng_name(w.r_hsi, w.seed, ES_STREAM_HSI, replication);
    es_rng_name(w.r_case, w.seed, ES_STREAM_CASES, replication);
    es_rng_name(w.r_pros, w.seed, ES_STREAM_PROSECUTION, replication);
    es_rng_name(w.r_ero, w.seed, ES_STREAM_ERO, replication);

    es_engine_on(w.eng, EV_ARRIVAL, es_migration_on_arrival);
    es_engine_on(w.eng, EV_ATTEMPT, es_border_on_attempt);
    es_engine_on(w.eng, EV_STASH_DONE, es_migration_on_stash_done);
    es_engine_on(w.eng, EV_MONTH_END, on_month_end);
    es_engine_on(w.eng, EV_WORK_DONE, on_work_done);
    es_engine_on(w.eng, EV_DEMAND, es_hsi_on_demand);
    es_engine_on(w.eng, EV_INTEL_LEAD, es_hsi_on_intel);
    es_engine_on(w.eng, EV_SEIZURE, es_hsi_on_seizure);
    es_engine_on(w.eng, EV_ROLE_FILLED, es_networks_on_role_filled);
    es_engine_on(w.eng, EV_ORG_ENTRY, es_networks_on_org_entry);
    es_engine_on(w.eng, EV_POLICY, es_hsi_on_policy);
    es_engine_on(w.eng, EV_RELEASE_DETAINEE, es_ero_on_release);
    es_engine_on(w.eng, EV_ERO_DEMAND, es_ero_on_demand);
    es_engine_on(w.eng, EV_ERO_ARRESTS_MADE, es_ero_on_arrests_made);
    es_engine_on(w.eng, EV_PROACTIVE, es_hsi_on_proactive);
    es_engine_on(w.eng, EV_SUPPORT_CHECK, es_hsi_on_support_check);
    es_engine_on(w.eng, EV_MARKET_WEEK, es_market_on_week);

    /* Month ends are scheduled first, so an event at the exact boundary
     * (scheduled later, larger seq) counts in the new month. */
    int y, mo, d;
    es_date_civil(p->start_day, &y, &mo, &d);
    for (int k = 0; k < w.n_months; k++) {
        int ny = y + (mo - 1 + k + 1) / 12, nm = (mo - 1 + k + 1) % 12 + 1;
        double t = (double)(es_date_days(ny, nm, 1) - p->start_day);
        if (t > w.horizon) t = w.horizon;
        w.month_end[k] = t;
        if ((st = es_engine_at(w.eng, t, EV_MONTH_END, (uint32_t)k)) != ES_OK) goto setup_failed;
    }
    es_prosecution_init(&w);
    if ((st = es_networks_init(&w)) != ES_OK || (st = es_hsi_init(&w)) != ES_OK ||
        (st = es_ero_init(&w)) != ES_OK)
        goto setup_failed;
    es_market_init(&w);
    es_migration_start(&w);
    st = es_engine_run(w.eng, &w, w.horizon);
    if (st != ES_OK) {
        snprintf(err, errlen, "replication %llu stopped: %s", (unsigned long long)replication,
                 es_status_str(st));
        goto out;
    }
    es_hsi_finish(&w);
    fold_ratios(&w);
    st = check_conservation(&w, stats);
    stats->events = es_engine_events(w.eng);
    stats->parties = w.arrived;
    stats->peak_parties = w.peak_live;
    goto out;
setup_failed: /* every set-up failure is an allocation that failed */
    snprintf(err, errlen, "out of memory setting up replication %llu",
             (unsigned long long)replication);
out:
    for (size_t i = 0; i < sizeof streams / sizeof streams[0]; i++) gsl_rng_free(*streams[i]);
    es_ero_fini(&w);
    es_market_fini(&w);
    es_networks_fini(&w);
    free(w.month_end);
    es_pool_free(w.cases);
    es_pool_free(w.leads);
    es_workforce_free(w.wf);
    es_pool_free(w.parties);
    es_engine_free(w.eng);
    return st;
}
