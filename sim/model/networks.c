/* networks.c: smuggling organizations (docs/model.md, Smuggling organizations and tiers).
 *
 * A fixed number of organization slots. A hierarchical organization serves
 * every leg of the journeys of its corridor (origin); a contractor serves
 * one leg, the transit leg for one corridor or the crossing or U.S.-side
 * leg for all. A party picks, per leg, an organization with probability
 * proportional to its effective capacity (active street-level actors,
 * degraded without coordinators or a leader), drawn from Fenwick trees so
 * a pick costs O(log n). If it picks a hierarchical organization for the
 * first leg, that organization serves the whole journey.
 *
 * Fees are paid by leg as the journey advances: transit when it starts,
 * crossing on a successful crossing, the U.S. leg on delivery; what a failed
 * journey never pays is forfeited. The cartel tax is a share of the
 * crossing leg. Arrests empty roles; each is refilled after a recruitment
 * delay that grows with tier. Losing the leader can break the organization
 * up: its roles go offline and a new group takes the slot after entry_days,
 * while competitors absorb its market through the capacity weights. */
#include <math.h>
#include <stdlib.h>
#include <gsl/gsl_randist.h>
#include "../core/check.h"
#include "../core/mem.h"
#include "../rng/rng.h"
#include "model.h"
#include "model_impl.h"

double es_networks_weight(const es_world *w, const es_org *o)
{
    if (!o->alive || o->roles[0] == 0) return 0.0;
    double cap = (double)o->active[0];
    if (o->roles[1] > 0 && o->active[1] == 0) cap *= w->p->capacity_without_tier1;
    if (o->roles[2] > 0 && o->active[2] == 0) cap *= w->p->capacity_without_tier2;
    return cap;
}

static void fen_add(es_market *m, int i, double d)
{
    for (int k = i + 1; k <= m->n; k += k & -k) m->tree[k] += d;
}

/* Smallest index whose prefix sum exceeds u (standard Fenwick descent). */
static int fen_find(const es_market *m, double u)
{
    int pos = 0, step = 1;
    while (step * 2 <= m->n) step *= 2;
    /* Without branches on the data: u is random, so each level's test is
     * a coin flip the branch predictor would lose half the time. */
    for (; step; step /= 2) {
        int k = pos + step;
        double t = k <= m->n ? m->tree[k] : INFINITY;
        int take = t <= u;
        pos = take ? k : pos;
        u -= take ? t : 0.0;
    }
    return pos < m->n ? pos : m->n - 1;
}

static double fen_total(const es_market *m)
{
    double s = 0;
    for (int k = m->n; k > 0; k -= k & -k) s += m->tree[k];
    return s;
}

int es_networks_serves(const es_org *o, int leg, int corridor)
{
    if (o->hierarchical) return leg == ES_LEG_TRANSIT ? o->corridor == corridor : 1;
    if (o->leg != leg) return 0;
    return leg != ES_LEG_TRANSIT || o->corridor == corridor;
}

/* Re-weigh organization k in every market it serves. */
void es_networks_reweigh(es_world *w, uint32_t k)
{
    double wt = es_networks_weight(w, &w->orgs[k]);
    for (int l = 0; l < ES_N_LEGS; l++)
        for (int c = 0; c < ES_N_ORIGINS; c++) {
            es_market *m = &w->market[l][c];
            int i = w->orgs[k].mpos[l][c];
            if (i < 0) continue;
            fen_add(m, i, wt - m->w[i]);
            m->w[i] = wt;
        }
}

static void staff(es_world *w, es_org *o)
{
    const double *r = o->hierarchical ? w->p->roles_hierarchical : w->p->roles_contractor;
    for (int t = 0; t < ES_N_TIERS; t++) o->roles[t] = o->active[t] = (int)r[t];
    o->alive = 1;
    o->base_roles = o->roles[0];
    o->growth = 0;
    o->own_risk = w->market_risk; /* a new group knows what the market knows */
    o->exposure_s = o->clients_s = 0;
}

es_status es_networks_init(es_world *w)
{
    const es_params *p = w->p;
    int n = p->n_orgs;
    w->orgs = es_calloc((size_t)n, sizeof(es_org));
    if (!w->orgs) return ES_ERR_NOMEM;
    gsl_rng *r = w->r_net;
    es_rng_entity(r, 0);
    for (int k = 0; k < n; k++) {
        es_org *o = &w->orgs[k];
        o->hierarchical = gsl_rng_uniform(r) < p->hierarchical_share;
        o->corridor = 0;
        double u = gsl_rng_uniform(r), c = 0;
        for (int i = 0; i < ES_N_ORIGINS; i++) {
            c += p->origin_share[i];
            if (u < c) {
                o->corridor = i;
                break;
            }
            o->corridor = i;
        }
        o->leg = (int)gsl_rng_uniform_int(r, ES_N_LEGS);
        staff(w, o);
    }
    /* Violence is drawn apart so the draws above keep their meaning. */
    es_rng_entity(r, 1);
    for (int k = 0; k < n; k++)
        w->orgs[k].violent = gsl_rng_uniform(r) < p->violent_share[w->orgs[k].hierarchical];
    for (int l = 0; l < ES_N_LEGS; l++)
        for (int c = 0; c < ES_N_ORIGINS; c++) {
            es_market *m = &w->market[l][c];
            int cnt = 0;
            for (int k = 0; k < n; k++) cnt += es_networks_serves(&w->orgs[k], l, c);
            m->n = cnt;
            m->tree = es_calloc((size_t)cnt + 1, sizeof(double));
            m->w = es_calloc((size_t)cnt + 1, sizeof(double));
            m->org = es_calloc((size_t)cnt + 1, sizeof(uint32_t));
            if (!m->tree || !m->w || !m->org) return ES_ERR_NOMEM;
            int i = 0;
            for (int k = 0; k < n; k++) w->orgs[k].mpos[l][c] = -1;
            for (int k = 0; k < n; k++)
                if (es_networks_serves(&w->orgs[k], l, c)) {
                    w->orgs[k].mpos[l][c] = i;
                    m->org[i] = (uint32_t)k;
                    m->w[i] = es_networks_weight(w, &w->orgs[k]);
                    fen_add(m, i, m->w[i]);
                    i++;
                }
        }
    return ES_OK;
}

void es_networks_fini(es_world *w)
{
    for (int l = 0; l < ES_N_LEGS; l++)
        for (int c = 0; c < ES_N_ORIGINS; c++) {
            free(w->market[l][c].tree);
            free(w->market[l][c].w);
            free(w->market[l][c].org);
        }
    free(w->orgs);
}

uint16_t es_networks_pick(es_world *w, int leg, int corridor, double u)
{
    es_market *m = &w->market[leg][corridor];
    double tot = fen_total(m);
    if (m->n == 0 || tot <= 0) return UINT16_MAX;
    return (uint16_t)m->org[fen_find(m, u * tot)];
}

void es_networks_assign(es_world *w, es_party *pt, gsl_rng *r)
{
    double u[ES_N_LEGS];
    for (int l = 0; l < ES_N_LEGS; l++) u[l] = gsl_rng_uniform(r);
    pt->org[ES_LEG_TRANSIT] = es_networks_pick(w, ES_LEG_TRANSIT, pt->origin, u[0]);
    uint16_t first = pt->org[ES_LEG_TRANSIT];
    if (first != UINT16_MAX && w->orgs[first].hierarchical) {
        pt->org[ES_LEG_CROSSING] = pt->org[ES_LEG_US] = first;
    } else {
        pt->org[ES_LEG_CROSSING] = es_networks_pick(w, ES_LEG_CROSSING, pt->origin, u[1]);
        pt->org[ES_LEG_US] = es_networks_pick(w, ES_LEG_US, pt->origin, u[2]);
    }
    es_market_price_party(w, pt);
    /* Clients, for the risk per client each organization prices. */
    w->clients_week += pt->size;
    for (int l = 0; l < ES_N_LEGS; l++) {
        uint16_t k = pt->org[l];
        if (k < (uint32_t)w->p->n_orgs && (l == 0 || k != pt->org[l - 1]))
            w->orgs[k].clients += pt->size;
    }
}

void es_networks_collect(es_world *w, es_party *pt, int leg)
{
    if (!pt->smuggled || (pt->legs_paid & (1u << leg))) return;
    pt->legs_paid |= (uint8_t)(1u << leg);
    /* The last leg pays what is left, so the shares' float rounding never
     * makes a journey pay more or less than its fee. */
    double amount = pt->legs_paid == (1u << ES_N_LEGS) - 1
                        ? pt->fee * pt->size - pt->paid
                        : pt->fee * pt->size * pt->leg_share[leg];
    double tax = leg == ES_LEG_CROSSING ? amount * w->p->cartel_tax : 0.0;
    pt->paid += amount;
    w->fees_collected += amount;
    es_world_add(w, ES_M_SMUGGLER_REVENUE, amount - tax);
    es_world_add(w, ES_M_CARTEL_TAX, tax);
    uint16_t k = pt->org[leg];
    int hier = k < (uint32_t)w->p->n_orgs && w->orgs[k].hierarchical;
    es_world_add(w, hier ? ES_M_SMUGGLER_REVENUE_HIER : ES_M_SMUGGLER_REVENUE_CONTRACTOR,
                 amount - tax);
}

void es_networks_forfeit(es_world *w, es_party *pt)
{
    if (!pt->smuggled) return;
    double left = pt->fee * pt->size - pt->paid;
    if (left <= 0) return;
    w->fees_forfeited += left;
    pt->paid += left;
    es_world_add(w, ES_M_FEES_FORFEITED, left);
}

/* `key` names the arrest (the case stage or the apprehension), so the
 * recruitment delays it draws do not depend on the order of other arrests. */
int es_networks_arrest(es_world *w, uint32_t k, int tier, int n, uint64_t key)
{
    if (k >= (uint32_t)w->p->n_orgs) return 0;
    es_org *o = &w->orgs[k];
    if (!o->alive) return 0;
    int got = n < o->active[tier] ? n : o->active[tier];
    if (got <= 0) return 0;
    o->active[tier] -= got;
    /* What the arrest costs its actors, priced by the market (market.c). */
    double exposure = got * w->p->conviction_prob[tier] * w->p->sentence_months[tier];
    o->exposure += exposure;
    w->exposure_week += exposure;
    double now = es_engine_now(w->eng);
    gsl_rng *r = w->r_net;
    es_rng_entity(r, key);
    double delay = w->p->recruit_days[tier] * es_market_recruit_scale(w);
    for (int i = 0; i < got; i++) {
        double t = now + es_rng_exponential(r, delay);
        if (t < w->horizon &&
            es_engine_at(w->eng, t, EV_ROLE_FILLED, (uint32_t)(k * 4u + (uint32_t)tier)) != ES_OK)
            es_engine_stop(w->eng, ES_ERR_NOMEM);
    }
    if (tier == 2 && o->active[2] == 0 && gsl_rng_uniform(r) < w->p->breakup_prob) {
        o->alive = 0;
        es_world_add(w, ES_M_ORGS_BROKEN_UP, 1);
        double t = now + es_rng_exponential(r, w->p->entry_days / w->p->recovery_speed);
        if (t < w->horizon && es_engine_at(w->eng, t, EV_ORG_ENTRY, k) != ES_OK)
            es_engine_stop(w->eng, ES_ERR_NOMEM);
    }
    es_networks_reweigh(w, k);
    return got;
}

void es_networks_on_role_filled(void *ctx, es_engine *eng, const es_event *ev)
{
    ES_UNUSED(eng);
    es_world *w = ctx;
    uint32_t k = ev->id / 4u;
    int tier = (int)(ev->id % 4u);
    es_org *o = &w->orgs[k];
    if (!o->alive) return; /* the slot's new group is staffed whole on entry */
    if (o->active[tier] < o->roles[tier]) {
        o->active[tier]++;
        w->pool = w->pool > 1 ? w->pool - 1 : 0;
    }
    es_networks_reweigh(w, k);
}

void es_networks_on_org_entry(void *ctx, es_engine *eng, const es_event *ev)
{
    ES_UNUSED(eng);
    es_world *w = ctx;
    staff(w, &w->orgs[ev->id]);
    es_networks_reweigh(w, ev->id);
}

void es_networks_snapshot(es_world *w)
{
    double act[ES_N_TIERS] = {0}, cap = 0, nominal = 0, alive = 0, sq = 0;
    for (int k = 0; k < w->p->n_orgs; k++) {
        const es_org *o = &w->orgs[k];
        if (o->alive)
            for (int t = 0; t < ES_N_TIERS; t++) act[t] += o->active[t];
        alive += o->alive;
        cap += es_networks_weight(w, o);
        nominal += o->roles[0];
    }
    /* Concentration of the crossing market, by capacity share. */
    const es_market *m = &w->market[ES_LEG_CROSSING][0];
    double tot = 0;
    for (int i = 0; i < m->n; i++) tot += m->w[i];
    for (int i = 0; i < m->n; i++) sq += tot > 0 ? (m->w[i] / tot) * (m->w[i] / tot) : 0;
    es_world_add(w, ES_M_ORGS_ACTIVE, alive);
    es_world_add(w, ES_M_MARKET_HHI, sq);
    for (int t = 0; t < ES_N_TIERS; t++) es_world_add(w, ES_M_ACTORS_T0 + t, act[t]);
    es_world_add(w, ES_M_CAPACITY_OFFLINE, nominal > 0 ? 1.0 - cap / nominal : 0.0);
}
