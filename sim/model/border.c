/* border.c: a crossing attempt and Border Patrol's response (docs/model.md, Border).
 *
 * Order of an attempt: death risk first (it strikes whether or not the party
 * would have been caught), then apprehension. Surrender is an apprehension
 * by choice. Port-of-entry attempts are stopped by port officers, which CBP
 * does not count as Border Patrol apprehensions, so they have their own
 * metric. Apprehended people are released to await court (mostly families
 * and children) or returned; returned parties may try again, smuggled ones
 * under their package deal. */
#include <gsl/gsl_randist.h>
#include "../rng/rng.h"
#include "model.h"
#include "model_impl.h"

/* Intensity multiplies the odds, not the probability, so any intensity
 * keeps the probability inside (0, 1). */
static double apprehension_prob(const es_world *w, int method, double now)
{
    double p = w->p->apprehension_prob[method];
    if (method == ES_METHOD_SURRENDER || p <= 0.0 || p >= 1.0) return p;
    double k = es_path_at(&w->p->intensity, es_world_day(w, now));
    double odds = p / (1.0 - p) * k;
    return odds / (1.0 + odds);
}

/* Keys of an attempt (es_rng_entity): [use 2][party serial 57][attempt 5].
 * The attempt's own draws (ATTEMPT_DRAWS) come from the attempt stream; the
 * same key names the attempt in the prosecution (1325 referral) and ERO
 * streams, and the other uses name the arrest in the act (networks stream)
 * and its 1324 referral (prosecution stream). */
enum { ATTEMPT_DRAWS, ATTEMPT_ARREST, ATTEMPT_REFERRAL };

static uint64_t attempt_key(const es_party *pt, int use)
{
    return ES_RNG_KEY3(2, (uint64_t)use, 57, pt->serial, 5, pt->attempts);
}

static void count_apprehension(es_world *w, const es_party *pt)
{
    es_world_add(w, ES_M_APPREHENSIONS, pt->size);
    es_world_add(w, ES_M_APPREHENDED_PARTIES, 1);
    if (pt->origin == ES_ORIGIN_MEXICO || pt->origin == ES_ORIGIN_NTRIANGLE)
        es_world_add(w, ES_M_APPREHENSIONS_MEXICO_CA, pt->size);
    if (pt->type == ES_TYPE_FAMILY) es_world_add(w, ES_M_APPREHENSIONS_FAMILY, pt->size);
    if (pt->type == ES_TYPE_UAC) es_world_add(w, ES_M_APPREHENSIONS_UAC, pt->size);
}

void es_border_on_attempt(void *ctx, es_engine *eng, const es_event *ev)
{
    static const int attempt_metric[ES_N_METHODS] = {ES_M_ATTEMPTS_ON_FOOT, ES_M_ATTEMPTS_CONCEALED,
                                                     ES_M_ATTEMPTS_PORT, ES_M_ATTEMPTS_SURRENDER};
    es_world *w = ctx;
    const es_params *p = w->p;
    double now = es_engine_now(eng);
    es_party *pt = es_pool_get(w->parties, ev->id);
    /* A smuggled party crosses only when a crew has room this week. */
    if (pt->smuggled && !es_market_admit(w, pt, ev->id)) return;
    int m = pt->method;

    /* Each attempt has its own keyed substream: how many attempts a party
     * makes never shifts the draws of its other attempts or other parties. */
    gsl_rng *r = w->r_attempt;
    uint64_t key = attempt_key(pt, ATTEMPT_DRAWS);
    es_rng_entity(r, key);
    double u_death = gsl_rng_uniform(r);
    double u_caught = gsl_rng_uniform(r);
    double u_release = gsl_rng_uniform(r);
    double u_retry = gsl_rng_uniform(r);
    double wait = es_rng_exponential(r, 1.0);
    double u_lead = gsl_rng_uniform(r), u_act = gsl_rng_uniform(r), u_react = gsl_rng_uniform(r);
    double u_stash = gsl_rng_uniform(r), u_tip = gsl_rng_uniform(r), u_det = gsl_rng_uniform(r);
    uint32_t crew = pt->smuggled ? pt->org[ES_LEG_CROSSING] : UINT16_MAX;
    uint64_t arrest_key = attempt_key(pt, ATTEMPT_ARREST);
    uint64_t referral_key = attempt_key(pt, ATTEMPT_REFERRAL);

    pt->attempts++;
    es_world_add(w, attempt_metric[m], 1);
    double risk = es_path_at(&p->death_risk, es_world_day(w, es_engine_now(w->eng)));
    if (pt->remote) risk *= p->alone_death_factor;
    if (u_death < p->death_prob[m] * risk) {
        if (pt->remote) es_world_add(w, ES_M_DEATHS_REMOTE, pt->size);
        /* deaths always yield a high-priority lead */
        if (pt->smuggled) es_hsi_lead(w, LS_DEATH, crew, pt->origin, 0.0);
        es_migration_finish(w, ev->id, PT_DIED);
        return;
    }
    if (u_caught >= apprehension_prob(w, m, now)) {
        es_world_add(w, ES_M_GOT_AWAYS, pt->size);
        if (!pt->smuggled) {
            es_migration_finish(w, ev->id, PT_DELIVERED);
            return;
        }
        es_networks_collect(w, pt, ES_LEG_CROSSING);
        es_world_set_state(w, pt, PS_IN_STASH);
        if (u_stash < p->stash_discovery_prob)
            es_hsi_lead(w, LS_STASH, pt->org[ES_LEG_US], pt->origin, 0.0);
        gsl_rng *rs = w->r_stash;
        es_rng_entity(rs, pt->serial);
        if (gsl_rng_uniform(rs) < p->extortion_prob) {
            es_world_add(w, ES_M_EXTORTION_EVENTS, 1);
            if (u_tip < p->extortion_tip_prob)
                es_hsi_lead(w, LS_EXTORTION, pt->org[ES_LEG_US], pt->origin, 0.0);
        }
        double stay = p->stash_days > 0 ? es_rng_exponential(rs, p->stash_days) : 0.0;
        if (now + stay < w->horizon) es_engine_at(eng, now + stay, EV_STASH_DONE, ev->id);
        return;
    }

    if (m == ES_METHOD_PORT) {
        es_world_add(w, ES_M_PORT_INTERCEPTIONS, pt->size);
    } else {
        count_apprehension(w, pt);
        if (m == ES_METHOD_SURRENDER) es_world_add(w, ES_M_SURRENDERS, pt->size);
        double adults = pt->type == ES_TYPE_SINGLE   ? pt->size
                        : pt->type == ES_TYPE_FAMILY ? 1.0
                                                     : 0.0;
        es_prosecution_entry(w, adults, key);
    }
    if (pt->smuggled) {
        int large = pt->size >= p->large_group_size;
        double pl = large ? p->lead_prob_large : p->lead_prob[m];
        if (u_lead < pl) es_hsi_lead(w, LS_BORDER, crew, pt->origin, large ? 1.0 : 0.0);
        if (u_react < p->reactive_prob * (large ? 3.0 : 1.0))
            es_hsi_reactive(w, ES_PROG_SMUGGLING, p->reactive_hours);
        /* Caught in the act: the guide or driver with the party. */
        if (u_act < p->caught_in_act_prob[m] && es_networks_arrest(w, crew, 0, 1, arrest_key)) {
            es_world_add(w, ES_M_ARRESTS_IN_ACT, 1);
            double moved = pt->size + gsl_ran_poisson(r, p->group_extra[m]);
            es_prosecution_refer(w, 0, moved, 0, 1, referral_key);
        }
        /* A coached surrender completes the smuggler's job. */
        if (m == ES_METHOD_SURRENDER) {
            es_networks_collect(w, pt, ES_LEG_CROSSING);
            es_networks_collect(w, pt, ES_LEG_US);
        }
    }
    if (u_release < p->release_share[pt->type]) {
        es_migration_finish(w, ev->id, PT_RELEASED);
        return;
    }
    /* Apprehended and not released: a share (any origin) is transferred to
     * ERO custody for removal, the rest returned by Border Patrol. Either
     * may try again: the booking counts people in ERO's custody, and the
     * party's next attempt does not wait for the removal (docs/model.md,
     * Limitations). */
    if (m != ES_METHOD_PORT && u_det < p->border_detention_share)
        es_ero_book_in(w, pt->size, ES_ERO_FROM_BORDER, key);
    int attempts_left = pt->attempts < p->max_attempts;
    double retry_p = pt->smuggled ? (p->package_deal ? p->reattempt_prob_smuggled : 0.0)
                                  : p->reattempt_prob_self;
    if (!attempts_left || u_retry >= retry_p) {
        es_migration_finish(w, ev->id, PT_RETURNED);
        return;
    }
    es_world_set_state(w, pt, PS_WAITING_REATTEMPT);
    double t = now + wait * p->reattempt_days;
    if (t < w->horizon) es_engine_at(eng, t, EV_ATTEMPT, ev->id);
}
