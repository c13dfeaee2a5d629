/* market.c: the smuggling market (docs/model.md, The smuggling market).
 *
 * Crossing capacity binds: each week an organization takes across at most
 * its active street-level actors times networks.capacity_per_actor_week
 * (degraded without coordinators or a leader). A smuggled party whose crew
 * is full tries one other crew, drawn by capacity; failing that it waits in
 * staging for the next week, where it may be extorted (violent crews) or
 * give up (going home, or crossing alone on a remote route).
 *
 * Prices follow risks and prices: an organization's fee multiplier is
 * (perceived risk / market.risk_reference)^market.risk_elasticity times a
 * scarcity premium once the market's crossing capacity is mostly used. The
 * risk is expected prison-months per client moved, from arrests (conviction
 * probability times sentence, by tier), smoothed over
 * market.risk_memory_days and blended between the organization's own and
 * the market's. Arriving migrants see the market's index and hire a
 * smuggler with probability smuggler_use x index^-elasticity.
 *
 * Weekly, organizations with nearly full crossing capacity add street-level
 * roles from the recruit pool (at the pool's share and recovery_speed), and
 * shed the roles they added when demand falls away. */
#include <math.h>
#include <stdlib.h>
#include <gsl/gsl_randist.h>
#include "../core/check.h"
#include "../core/mem.h"
#include "../core/wmedian.h"
#include "../rng/rng.h"
#include "model.h"
#include "model_impl.h"

enum { WEEK = 7 };

double es_market_price(const es_params *p, double own_risk, double market_risk, double utilisation)
{
    double r = p->own_risk_weight * own_risk + (1.0 - p->own_risk_weight) * market_risk;
    double floor = 0.05 * p->risk_reference; /* no organization prices risk as nil */
    double m = pow((r > floor ? r : floor) / p->risk_reference, p->risk_elasticity);
    if (utilisation > p->scarcity_from)
        m *=
            1.0 + p->scarcity_premium * (utilisation - p->scarcity_from) / (1.0 - p->scarcity_from);
    return m;
}

static int serves_leg(const es_org *o, int leg)
{
    return o->hierarchical || o->leg == leg;
}

/* Capacities and prices for the week starting now; the capacity offered is
 * booked in the month the week starts. */
static void open_week(es_world *w)
{
    static const int offered_metric[ES_N_LEGS] = {ES_M_TRANSIT_CAPACITY, ES_M_CROSSING_CAPACITY,
                                                  ES_M_US_CAPACITY};
    const es_params *p = w->p;
    const double per_actor[ES_N_LEGS] = {p->capacity_per_actor_week * p->transit_capacity_factor,
                                         p->capacity_per_actor_week,
                                         p->capacity_per_actor_week * p->us_capacity_factor};
    double num[ES_N_LEGS] = {0}, den[ES_N_LEGS] = {0}, offered[ES_N_LEGS] = {0};
    for (int k = 0; k < p->n_orgs; k++) {
        es_org *o = &w->orgs[k];
        double wt = es_networks_weight(w, o);
        o->price = es_market_price(p, o->own_risk, w->market_risk, w->utilisation);
        for (int l = 0; l < ES_N_LEGS; l++) {
            o->used[l] = 0;
            o->alone[l] = 0;
            o->cap[l] = serves_leg(o, l) ? wt * per_actor[l] : 0.0;
            offered[l] += o->cap[l];
            if (serves_leg(o, l)) {
                num[l] += wt * o->price;
                den[l] += wt;
            }
        }
    }
    for (int l = 0; l < ES_N_LEGS; l++) {
        w->fee_index[l] = den[l] > 0 ? num[l] / den[l] : 1.0;
        es_world_add(w, offered_metric[l], offered[l]);
    }
    /* Arrivals read the hiring factor; it changes only here. */
    double index = es_market_index(w);
    for (int o = 0; o < ES_N_ORIGINS; o++) w->hire_scale[o] = pow(index, -p->fee_elasticity[o]);
}

void es_market_init(es_world *w)
{
    w->market_risk = w->p->risk_reference;
    w->pool = w->p->recruit_pool;
    w->utilisation = 0;
    for (int k = 0; k < w->p->n_orgs; k++) w->orgs[k].own_risk = w->market_risk;
    open_week(w);
    if (WEEK < w->horizon && es_engine_at(w->eng, WEEK, EV_MARKET_WEEK, 0) != ES_OK)
        es_engine_stop(w->eng, ES_ERR_NOMEM);
}

/* Expansion and contraction of organization k after a week at utilisation u. */
static void adapt(es_world *w, uint32_t k, double u)
{
    const es_params *p = w->p;
    es_org *o = &w->orgs[k];
    int most = (int)floor(o->base_roles * p->max_growth);
    int changed = 0;
    if (u >= p->expansion_utilisation && o->roles[0] < most) {
        o->growth += p->expansion_per_week * p->recovery_speed * (w->pool / p->recruit_pool);
        while (o->growth >= 1.0 && o->roles[0] < most && w->pool >= 1) {
            o->roles[0]++;
            o->active[0]++;
            o->growth -= 1.0;
            w->pool -= 1;
            changed = 1;
        }
    } else if (u < 0.5 * p->expansion_utilisation && o->roles[0] > o->base_roles) {
        o->roles[0]--;
        if (o->active[0] > o->roles[0]) o->active[0] = o->roles[0];
        o->growth = 0;
        changed = 1;
    }
    if (changed) es_networks_reweigh(w, k);
}

void es_market_on_week(void *ctx, es_engine *eng, const es_event *ev)
{
    ES_UNUSED(ev);
    es_world *w = ctx;
    const es_params *p = w->p;
    double decay = exp(-(double)WEEK / p->risk_memory_days);
    double cap_all[ES_N_LEGS] = {0}, used_all[ES_N_LEGS] = {0};
    /* Risk per client: smoothed prison-months over smoothed clients served,
     * so a market that moves fewer people (and so loses fewer actors at the
     * border) does not look safer for it. */
    w->exposure_s = decay * w->exposure_s + (1.0 - decay) * w->exposure_week;
    w->clients_s = decay * w->clients_s + (1.0 - decay) * w->clients_week;
    if (w->clients_s > 0) w->market_risk = w->exposure_s / w->clients_s;
    w->exposure_week = w->clients_week = 0;
    for (int k = 0; k < p->n_orgs; k++) {
        es_org *o = &w->orgs[k];
        o->exposure_s = decay * o->exposure_s + (1.0 - decay) * o->exposure;
        o->clients_s = decay * o->clients_s + (1.0 - decay) * o->clients;
        o->own_risk = o->clients_s > 0 ? o->exposure_s / o->clients_s : w->market_risk;
        o->exposure = o->clients = 0;
        /* An organization grows or sheds by its fullest leg. */
        double most = -1;
        for (int l = 0; l < ES_N_LEGS; l++) {
            ES_ASSERT(o->used[l] <= o->cap[l] + 1e-9 || o->alone[l]); /* capacity binds */
            cap_all[l] += o->cap[l];
            used_all[l] += o->used[l];
            if (o->cap[l] > 0 && o->used[l] / o->cap[l] > most) most = o->used[l] / o->cap[l];
        }
        if (o->alive && most >= 0) adapt(w, (uint32_t)k, most);
    }
    /* Scarcity is priced at the market's tightest leg. */
    double u = 0;
    for (int l = 0; l < ES_N_LEGS; l++)
        if (cap_all[l] > 0 && used_all[l] / cap_all[l] > u) u = used_all[l] / cap_all[l];
    w->utilisation = decay * w->utilisation + (1.0 - decay) * u;
    w->pool += (p->recruit_pool - w->pool) * (1.0 - exp(-(double)WEEK / p->recruit_refill_days));
    open_week(w);
    double next = es_engine_now(eng) + WEEK;
    if (next < w->horizon && es_engine_at(eng, next, EV_MARKET_WEEK, 0) != ES_OK)
        es_engine_stop(eng, ES_ERR_NOMEM);
}

double es_market_index(const es_world *w)
{
    double m = 0;
    for (int l = 0; l < ES_N_LEGS; l++) m += w->p->leg_fee_share[l] * w->fee_index[l];
    return m;
}

double es_market_recruit_scale(const es_world *w)
{
    double share = w->pool / w->p->recruit_pool;
    return 1.0 / (w->p->recovery_speed * (share > 0.05 ? share : 0.05));
}

void es_market_price_party(es_world *w, es_party *pt)
{
    double m[ES_N_LEGS], tot = 0;
    for (int l = 0; l < ES_N_LEGS; l++) {
        uint16_t k = pt->org[l];
        m[l] = w->p->leg_fee_share[l] *
               (k < (uint32_t)w->p->n_orgs ? w->orgs[k].price : w->fee_index[l]);
        tot += m[l];
    }
    for (int l = 0; l < ES_N_LEGS; l++)
        pt->leg_share[l] = tot > 0 ? (float)(m[l] / tot) : (float)w->p->leg_fee_share[l];
    pt->fee *= tot;
}

static int fits(const es_world *w, uint16_t k, int leg, int size)
{
    if (k >= (uint32_t)w->p->n_orgs) return 0;
    const es_org *o = &w->orgs[k];
    if (!o->alive || o->cap[leg] <= 0) return 0;
    /* A party larger than a crew's whole week goes alone in an empty week. */
    return o->used[leg] + size <= o->cap[leg] || o->used[leg] == 0;
}

/* Party pt travels this leg with organization k this week. */
static void take(es_world *w, const es_party *pt, uint16_t k, int leg)
{
    static const int used_metric[ES_N_LEGS] = {ES_M_TRANSIT_USED, ES_M_CROSSING_USED, ES_M_US_USED};
    es_org *o = &w->orgs[k];
    o->alone[leg] = o->used[leg] == 0 && pt->size > o->cap[leg];
    o->used[leg] += pt->size;
    es_world_add(w, used_metric[leg], pt->size);
}

/* The organization with room for the party on `leg`, or UINT16_MAX. The
 * transit leg is arranged with one organization before the journey starts,
 * so the party waits for it unless it cannot serve at all this week (broken
 * up or without street-level actors); then, as on the other legs, one other
 * organization is drawn by capacity. A hierarchical organization found that
 * way takes the whole journey. */
static uint16_t room_for(es_world *w, es_party *pt, int leg, double u_pick)
{
    uint16_t k = pt->org[leg];
    if (fits(w, k, leg, pt->size)) return k;
    if (leg == ES_LEG_TRANSIT && k < (uint32_t)w->p->n_orgs && w->orgs[k].alive &&
        w->orgs[k].cap[leg] > 0)
        return UINT16_MAX;
    uint16_t k2 = es_networks_pick(w, leg, pt->origin, u_pick);
    if (!fits(w, k2, leg, pt->size)) return UINT16_MAX;
    pt->org[leg] = k2;
    if (leg == ES_LEG_TRANSIT && w->orgs[k2].hierarchical)
        pt->org[ES_LEG_CROSSING] = pt->org[ES_LEG_US] = k2;
    return k2;
}

/* The hazards of a week spent waiting since pt->wait_from for organization
 * k: extortion by a violent one (a relative's report is a lead). */
static void extortion_while_waiting(es_world *w, const es_party *pt, uint16_t k, double waited,
                                    double u_ext, double u_tip)
{
    const es_params *p = w->p;
    if (k < (uint32_t)p->n_orgs && w->orgs[k].violent &&
        u_ext < 1.0 - exp(-waited * p->staging_extortion_per_day)) {
        es_world_add(w, ES_M_STAGING_EXTORTION, 1);
        if (u_tip < p->extortion_tip_prob) es_hsi_lead(w, LS_EXTORTION, k, pt->origin, 0.0);
    }
}

/* Start or continue a wait for capacity: next week, within its first day
 * (those waiting go first). */
static void wait_a_week(es_world *w, es_party *pt, uint32_t id, int state, int event, double u)
{
    double now = es_engine_now(w->eng);
    if (pt->state != state) {
        es_world_set_state(w, pt, state);
        pt->wait_from = (float)now;
    }
    if (pt->waits < UINT8_MAX) pt->waits++;
    double t = (floor(now / WEEK) + 1.0) * WEEK + u;
    if (t < w->horizon && es_engine_at(w->eng, t, event, id) != ES_OK)
        es_engine_stop(w->eng, ES_ERR_NOMEM);
}

int es_market_admit(es_world *w, es_party *pt, uint32_t id)
{
    const es_params *p = w->p;
    double now = es_engine_now(w->eng);
    int leg = pt->legs_paid & (1u << ES_LEG_TRANSIT) ? ES_LEG_CROSSING : ES_LEG_TRANSIT;
    uint16_t k = pt->org[leg];
    if (pt->state != PS_WAITING_CAPACITY && fits(w, k, leg, pt->size)) {
        take(w, pt, k, leg); /* the common case: no draw needed */
        if (leg == ES_LEG_TRANSIT) es_networks_collect(w, pt, leg);
        return 1;
    }
    /* Keyed by the party and its weeks waited (the attempt keys' fourth
     * use), so skipping them above changes no other draw. */
    gsl_rng *r = w->r_attempt;
    es_rng_entity(r, ES_RNG_KEY3(2, 3, 57, pt->serial, 5, pt->waits));
    double u_pick = gsl_rng_uniform(r), u_give = gsl_rng_uniform(r);
    double u_home = gsl_rng_uniform(r), u_ext = gsl_rng_uniform(r);
    double u_tip = gsl_rng_uniform(r), u_method = gsl_rng_uniform(r);
    double u_when = gsl_rng_uniform(r);
    if (pt->state == PS_WAITING_CAPACITY) {
        double waited = now - pt->wait_from;
        extortion_while_waiting(w, pt, k, waited, u_ext, u_tip);
        if (pt->waits >= 31 || u_give < 1.0 - exp(-waited * p->give_up_per_day)) {
            es_networks_forfeit(w, pt);
            if (u_home < p->priced_out_home_share) {
                es_migration_finish(w, id, PT_WENT_HOME);
                return 0;
            }
            es_world_add(w, ES_M_GAVE_UP_ALONE, pt->size);
            pt->smuggled = 0;
            pt->remote = 1;
            pt->method = (uint8_t)es_world_pick_share(p->method_share_self, ES_N_METHODS, u_method);
            es_world_set_state(w, pt, PS_STAGING);
            return 1;
        }
    }
    k = room_for(w, pt, leg, u_pick);
    if (k != UINT16_MAX) {
        take(w, pt, k, leg);
        if (pt->state == PS_WAITING_CAPACITY) es_world_set_state(w, pt, PS_STAGING);
        if (leg == ES_LEG_CROSSING) return 1;
        /* Through transit after a wait: on to the border towns, then the
         * crossing attempt (the staging time drawn afresh from u_when). */
        es_networks_collect(w, pt, leg);
        double t = now + p->staging_days * -log(1.0 - u_when); /* as es_rng_exponential */
        if (t < w->horizon && es_engine_at(w->eng, t, EV_ATTEMPT, id) != ES_OK)
            es_engine_stop(w->eng, ES_ERR_NOMEM);
        return 0;
    }
    es_world_add(w, leg == ES_LEG_CROSSING ? ES_M_CAPACITY_WAITS : ES_M_TRANSIT_WAITS, 1);
    wait_a_week(w, pt, id, PS_WAITING_CAPACITY, EV_ATTEMPT, u_when);
    return 0;
}

int es_market_move_on(es_world *w, es_party *pt, uint32_t id)
{
    const es_params *p = w->p;
    uint16_t k = pt->org[ES_LEG_US];
    if (pt->state != PS_HELD_IN_STASH && fits(w, k, ES_LEG_US, pt->size)) {
        take(w, pt, k, ES_LEG_US);
        return 1;
    }
    /* The stash stream's keys for waits (use 1; the stay itself is keyed by
     * the serial alone, whose top bits are 0). */
    gsl_rng *r = w->r_stash;
    es_rng_entity(r, ES_RNG_KEY3(2, 1, 57, pt->serial, 5, pt->waits));
    double u_pick = gsl_rng_uniform(r), u_give = gsl_rng_uniform(r), u_ext = gsl_rng_uniform(r);
    double u_tip = gsl_rng_uniform(r), u_found = gsl_rng_uniform(r), u_when = gsl_rng_uniform(r);
    if (pt->state == PS_HELD_IN_STASH) {
        double waited = es_engine_now(w->eng) - pt->wait_from;
        extortion_while_waiting(w, pt, k, waited, u_ext, u_tip);
        /* A stash house full for longer is likelier to be found: the
         * ordinary stay's discovery chance, per day of it. */
        if (p->stash_days > 0 &&
            u_found < 1.0 - exp(-waited * p->stash_discovery_prob / p->stash_days))
            es_hsi_lead(w, LS_STASH, k, pt->origin, 0.0);
        if (pt->waits >= 31 || u_give < 1.0 - exp(-waited * p->give_up_per_day)) {
            es_world_add(w, ES_M_LEFT_STASH, pt->size);
            return 0; /* delivered without the U.S.-side crew; its fee is forfeited */
        }
    }
    k = room_for(w, pt, ES_LEG_US, u_pick);
    if (k != UINT16_MAX) {
        take(w, pt, k, ES_LEG_US);
        return 1;
    }
    es_world_add(w, ES_M_STASH_WAITS, 1);
    wait_a_week(w, pt, id, PS_HELD_IN_STASH, EV_STASH_DONE, u_when);
    return -1;
}

void es_market_note_fee(es_world *w, const es_party *pt)
{
    if (w->n_fee_sample == w->cap_fee_sample) {
        size_t cap = w->cap_fee_sample ? 2 * w->cap_fee_sample : 4096;
        for (int l = 0; l <= ES_N_LEGS; l++) {
            es_wsample *a = es_reallocarray(w->fee_sample[l], cap, sizeof *a);
            if (!a) {
                es_engine_stop(w->eng, ES_ERR_NOMEM);
                return;
            }
            w->fee_sample[l] = a;
        }
        w->cap_fee_sample = cap;
    }
    size_t i = w->n_fee_sample++;
    w->fee_sample[0][i] = (es_wsample){pt->fee, pt->size};
    for (int l = 0; l < ES_N_LEGS; l++)
        w->fee_sample[l + 1][i] = (es_wsample){pt->fee * pt->leg_share[l], pt->size};
}

void es_market_fini(es_world *w)
{
    for (int l = 0; l <= ES_N_LEGS; l++) free(w->fee_sample[l]);
}

void es_market_snapshot(es_world *w)
{
    static const int median_metric[ES_N_LEGS + 1] = {ES_M_MEDIAN_FEE, ES_M_MEDIAN_FEE_TRANSIT,
                                                     ES_M_MEDIAN_FEE_CROSSING, ES_M_MEDIAN_FEE_US};
    for (int l = 0; l <= ES_N_LEGS; l++)
        es_world_add(w, median_metric[l],
                     w->n_fee_sample > 0 ? es_weighted_median(w->fee_sample[l], w->n_fee_sample)
                                         : NAN);
    w->n_fee_sample = 0;
    es_world_add(w, ES_M_FEE_INDEX, es_market_index(w));
    es_world_add(w, ES_M_PERCEIVED_RISK, w->market_risk);
    es_world_add(w, ES_M_RECRUIT_POOL, w->pool);
    es_world_add(w, ES_M_PARTIES_WAITING, (double)w->state_count[PS_WAITING_CAPACITY]);
    es_world_add(w, ES_M_PARTIES_HELD, (double)w->state_count[PS_HELD_IN_STASH]);
}
