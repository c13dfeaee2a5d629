/* migration.c: migrant parties (docs/model.md, Arrivals): non-homogeneous Poisson
 * arrivals, origin, type, size, smuggler use, fee and crossing method, the
 * stash house after a successful smuggled crossing, and final outcomes. */
#include <math.h>
#include <gsl/gsl_randist.h>
#include "../core/check.h"
#include "../rng/rng.h"
#include "model.h"
#include "model_impl.h"

static int draw_index(gsl_rng *r, const double *share, int n)
{
    return es_world_pick_share(share, n, gsl_rng_uniform(r));
}

/* min + Poisson(mean - min), capped at max: a simple law with the right
 * support and mean (the cap removes little mass at the defaults). */
static int draw_size(gsl_rng *r, const double s[3])
{
    double extra = s[1] - s[0];
    unsigned k = extra > 0 ? gsl_ran_poisson(r, extra) : 0;
    double v = s[0] + k;
    return (int)(v > s[2] ? s[2] : v);
}

/* Next arrival after t by inverting the cumulative rate of the step path:
 * exact for a piecewise-constant NHPP and one draw per arrival. */
static double next_arrival(const es_world *w, double t)
{
    const es_path *a = &w->p->arrivals;
    double need = es_rng_exponential(w->r_arrivals, 1.0);
    for (;;) {
        int32_t day = es_world_day(w, t);
        double rate = es_path_at(a, day);
        /* end of the current constant segment, in model days */
        double seg_end = w->horizon;
        for (int i = 0; i < a->n; i++) {
            double s = (double)(a->day[i] - w->p->start_day);
            if (s > t) {
                seg_end = s < seg_end ? s : seg_end;
                break;
            }
        }
        double room = (seg_end - t) * rate;
        if (rate > 0 && room >= need) return t + need / rate;
        need -= room;
        t = seg_end;
        if (t >= w->horizon) return INFINITY;
    }
}

void es_migration_start(es_world *w)
{
    for (int o = 0; o < ES_N_ORIGINS; o++) w->fee_mu[o] = log(w->p->fee_median[o]);
    double t = next_arrival(w, 0.0);
    if (t < w->horizon) es_engine_at(w->eng, t, EV_ARRIVAL, 0);
}

void es_migration_on_arrival(void *ctx, es_engine *eng, const es_event *ev)
{
    ES_UNUSED(ev);
    es_world *w = ctx;
    const es_params *p = w->p;
    double now = es_engine_now(eng);

    uint32_t id = es_pool_alloc(w->parties);
    if (id == ES_POOL_NONE) {
        es_engine_stop(eng, ES_ERR_NOMEM);
        return;
    }
    es_party *pt = es_pool_get(w->parties, id);
    /* Serials never repeat: a party that does not come keeps its own. */
    pt->serial = w->serials++;
    w->arrived++;
    pt->state = PS_STAGING;
    w->state_count[PS_STAGING]++;
    if (es_pool_live(w->parties) > w->peak_live) w->peak_live = es_pool_live(w->parties);

    /* Every attribute draw is keyed by the party's serial: a policy that
     * changes how parties fare never changes who arrives (CRN). */
    gsl_rng *r = w->r_party;
    es_rng_entity(r, pt->serial);
    pt->origin = (uint8_t)draw_index(r, p->origin_share, ES_N_ORIGINS);
    pt->type = (uint8_t)draw_index(r, p->type_share[pt->origin], ES_N_TYPES);
    /* Smuggler use answers the market's price (market.c): at an index
     * above 1 some who would hire a smuggler are priced out; below 1 more
     * hire one. */
    double u_hire = gsl_rng_uniform(r), use = p->smuggler_use[pt->origin];
    double hire = use * w->hire_scale[pt->origin];
    pt->smuggled = u_hire < hire;
    int priced_out = !pt->smuggled && u_hire < use;
    const double *mshare = pt->smuggled ? p->method_share[pt->type] : p->method_share_self;
    double adapted[ES_N_METHODS];
    if (pt->smuggled && p->adapt_surrender > 0) {
        /* Smugglers coach more surrenders when crossing adults risk
         * prosecution (docs/model.md, Smuggler adaptation). */
        double share = es_path_at(&p->entry_prosecution_share, es_world_day(w, now));
        double k = 1.0 + p->adapt_surrender * (share / p->adapt_entry_ref - 1.0), tot = 0;
        for (int i = 0; i < ES_N_METHODS; i++) {
            adapted[i] = mshare[i] * (i == ES_METHOD_SURRENDER ? (k > 0 ? k : 0) : 1.0);
            tot += adapted[i];
        }
        for (int i = 0; i < ES_N_METHODS; i++) adapted[i] = tot > 0 ? adapted[i] / tot : mshare[i];
        mshare = adapted;
    }
    pt->method = (uint8_t)draw_index(r, mshare, ES_N_METHODS);
    const double *sz = pt->type == ES_TYPE_FAMILY ? p->size_family
                       : pt->type == ES_TYPE_UAC  ? p->size_uac
                                                  : p->size_single;
    double u_load = gsl_rng_uniform(r);
    if (pt->smuggled && pt->type == ES_TYPE_SINGLE && pt->method == ES_METHOD_CONCEALED &&
        u_load < p->large_load_share)
        sz = p->large_load_size;
    pt->size = (uint16_t)draw_size(r, sz);
    double fee = gsl_ran_lognormal(r, w->fee_mu[pt->origin], p->fee_sigma);
    pt->fee = pt->smuggled ? fee : 0.0;
    double stage = es_rng_exponential(r, p->staging_days > 0 ? p->staging_days : 1.0);
    if (p->staging_days <= 0) stage = 0;
    double u_deter = gsl_rng_uniform(r);
    double u_home = gsl_rng_uniform(r);
    /* The Human Smuggling Cell identifies U.S. relatives who fund children's
     * crossings; some such journeys are then not attempted. */
    int uac_deterred =
        pt->type == ES_TYPE_UAC && u_deter < p->hsc_uac_deterrence * es_world_hsc_factor(w);
    int stays_home = priced_out && u_home < p->priced_out_home_share;
    if (uac_deterred || stays_home) {
        if (uac_deterred)
            es_world_add(w, ES_M_UAC_DETERRED, 1);
        else
            es_world_add(w, ES_M_PRICED_OUT_HOME, pt->size);
        w->state_count[PS_STAGING]--;
        w->arrived--;
        w->deterred++;
        es_pool_release(w->parties, id);
        double tn = next_arrival(w, now);
        if (tn < w->horizon) es_engine_at(eng, tn, EV_ARRIVAL, 0);
        return;
    }
    if (priced_out) {
        pt->remote = 1;
        es_world_add(w, ES_M_PRICED_OUT_ALONE, pt->size);
    }
    if (pt->smuggled) {
        es_networks_assign(w, pt, r);
        w->fees_agreed += pt->fee * pt->size;
    }

    es_world_add(w, ES_M_ARRIVAL_PARTIES, 1);
    es_world_add(w, ES_M_ARRIVAL_PEOPLE, pt->size);
    if (pt->smuggled) {
        es_world_add(w, ES_M_SMUGGLED_PEOPLE, pt->size);
        es_world_add(w, ES_M_FEES_PAID, pt->fee * pt->size);
        static const int leg_metric[ES_N_LEGS] = {ES_M_FEES_TRANSIT, ES_M_FEES_CROSSING,
                                                  ES_M_FEES_US};
        for (int l = 0; l < ES_N_LEGS; l++)
            es_world_add(w, leg_metric[l], pt->fee * pt->size * pt->leg_share[l]);
        es_market_note_fee(w, pt);
    }
    /* A smuggled journey starts when its transit organization has room. */
    int go = !pt->smuggled || es_market_admit(w, pt, id);
    if (go && now + stage < w->horizon) es_engine_at(eng, now + stage, EV_ATTEMPT, id);

    double t = next_arrival(w, now);
    if (t < w->horizon) es_engine_at(eng, t, EV_ARRIVAL, 0);
}

void es_migration_on_stash_done(void *ctx, es_engine *eng, const es_event *ev)
{
    ES_UNUSED(eng);
    es_world *w = ctx;
    es_party *pt = es_pool_get(w->parties, ev->id);
    if (pt->smuggled && !(pt->legs_paid & (1u << ES_LEG_US))) {
        int moved = es_market_move_on(w, pt, ev->id);
        if (moved < 0) return; /* held another week */
        if (moved) es_networks_collect(w, pt, ES_LEG_US);
    }
    es_migration_finish(w, ev->id, PT_DELIVERED);
}

void es_migration_finish(es_world *w, uint32_t id, int outcome)
{
    es_party *pt = es_pool_get(w->parties, id);
    static const int metric[PT_N_TERMINAL] = {ES_M_DELIVERED, ES_M_DEATHS, ES_M_RELEASED,
                                              ES_M_RETURNED, ES_M_GAVE_UP_HOME};
    es_world_add(w, metric[outcome], pt->size);
    es_networks_forfeit(w, pt); /* whatever a finished journey did not pay is lost */
    ES_ASSERT(w->state_count[pt->state] > 0);
    w->state_count[pt->state]--;
    w->terminal[outcome]++;
    es_pool_release(w->parties, id);
}
