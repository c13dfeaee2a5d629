/* hsi.c: HSI programs, leads, triage and the smuggling case lifecycle
 * (MODEL.md 2.4-2.6, 2.9) on top of the workforce pools.
 *
 * Priority classes in every pool: 0 reactive border work (pre-empts),
 * 1 case work already under way (never dropped), 2-4 leads and new work by
 * urgency (dropped past the pool's shelf life). Non-smuggling programs are
 * Poisson streams of work items; whatever waits past its shelf life is
 * work not done, so moving agents changes each program's output. */
#include <math.h>
#include <stdlib.h>
#include <gsl/gsl_randist.h>
#include "../core/check.h"
#include "../core/date.h"
#include "../core/mem.h"
#include "../rng/rng.h"
#include "model.h"
#include "model_impl.h"

enum { PRIO_REACTIVE = 0, PRIO_CASE = 1, PRIO_URGENT = 2, PRIO_HIGH = 3, PRIO_ROUTINE = 4 };

/* Triage scores by lead source (MODEL 2.5: deaths > violence/hostages >
 * large group > special-interest link > routine). */
static const double source_score[LS_N] = {1.0, 3.0, 4.0, 3.5, 1.5};
static const int source_prio[LS_N] = {PRIO_ROUTINE, PRIO_HIGH, PRIO_URGENT, PRIO_URGENT, PRIO_HIGH};

double es_world_hsc_factor(const es_world *w)
{
    double staff = es_path_at(&w->p->hsc_staff, es_world_day(w, es_engine_now(w->eng)));
    return w->p->hsc_ref_staff > 0 ? staff / w->p->hsc_ref_staff : 1.0;
}

static double draw_hours(gsl_rng *r, double mean, double sigma)
{
    if (mean <= 0) return 0;
    /* lognormal with the given mean: mu = ln(mean) - sigma^2/2 */
    return gsl_ran_lognormal(r, log(mean) - 0.5 * sigma * sigma, sigma);
}

static double clamp01(double x)
{
    return x < 0 ? 0 : x > 1 ? 1 : x;
}

/* ---- allocation: policy and budget ---- */

/* Agents each program should have now: the initial allocation plus the
 * reassignments in force. */
static void assigned_agents(const es_world *w, int32_t day, double out[ES_N_PROGRAMS])
{
    const es_params *p = w->p;
    for (int k = 0; k < ES_N_PROGRAMS; k++) out[k] = p->agents[k];
    for (int i = 0; i < p->reassign.n; i++) {
        const es_move *m = &p->reassign.m[i];
        if (day < m->start || (m->end >= m->start && day > m->end)) continue;
        double n = m->agents >= 0 ? m->agents : floor(m->share * p->agents[m->from] + 0.5);
        if (n > out[m->from]) n = out[m->from];
        out[m->from] -= n;
        out[m->to] += n;
    }
}

static void close_case(es_world *w, uint32_t id, es_case *cs, int why);

/* Agents who leave a program take their open cases: each case is theirs
 * with probability `share` (agents leaving over agents there), and such a
 * case is handed over to those who stay with probability
 * hsi.case.handover_share, else closed. The draw is keyed by the case and
 * the day, so two scenarios that cut the same program on the same day close
 * nested sets of cases (common random numbers). */
static int case_leaves(es_world *w, const es_work *it, void *share)
{
    if (it->kind < WK_TIER0 || it->kind > WK_TIER2) return 0;
    const es_case *cs = es_pool_get(w->cases, it->ref);
    int32_t day = es_world_day(w, es_engine_now(w->eng)) - w->p->start_day;
    gsl_rng *r = w->r_case;
    es_rng_entity(r, (1ull << 60) | (cs->serial << 20) | ((uint64_t)day & 0xFFFFFu));
    return gsl_rng_uniform(r) < *(const double *)share * (1.0 - w->p->case_handover);
}

/* Budget (MODEL 2.9): the budget net of transfers to ERO funds agents at
 * cost_per_agent out of personnel_share; if the allocation exceeds that,
 * every program loses agents pro rata. What is left after personnel is
 * informant and travel money, which scales escalation. */
static void apply_allocation(es_world *w)
{
    const es_params *p = w->p;
    int32_t day = es_world_day(w, es_engine_now(w->eng));
    double want[ES_N_PROGRAMS], total = 0;
    assigned_agents(w, day, want);
    for (int k = 0; k < ES_N_PROGRAMS; k++) total += want[k];
    double budget = es_path_at(&p->hsi_budget, day) - es_path_at(&p->transfer_to_ero, day);
    double funded = p->cost_per_agent > 0 ? budget * p->personnel_share / p->cost_per_agent : total;
    double scale = total > funded && total > 0 ? funded / total : 1.0;
    double staffed = 0;
    for (int k = 0; k < ES_N_PROGRAMS; k++) {
        int n = (int)floor(want[k] * scale), had = es_work_servers(w, k);
        staffed += n;
        if (n < had && k == ES_PROG_SMUGGLING) {
            double share = (double)(had - n) / had;
            es_work_remove_if(w, k, PRIO_CASE, case_leaves, &share);
        }
        if (n != had) es_work_set_servers(w, k, n);
    }
    double ops = budget - staffed * p->cost_per_agent;
    w->money_factor =
        p->ops_money_ref > 0 && ops > 0 ? pow(ops / p->ops_money_ref, p->money_elasticity) : 1.0;
}

void es_hsi_on_policy(void *ctx, es_engine *eng, const es_event *ev)
{
    apply_allocation(ctx);
}

/* ---- streams of non-smuggling work ---- */

static double demand_rate(const es_world *w, int prog)
{
    double r = w->p->demand_rate[prog];
    if (prog == ES_PROG_WORKSITE)
        r *= es_path_at(&w->p->worksite_multiplier, es_world_day(w, es_engine_now(w->eng)));
    return r;
}

/* Each program's stream is keyed by (program, item count), so changing one
 * program's demand never shifts another's draws. */
static gsl_rng *prog_rng(es_world *w, int prog)
{
    static const uint64_t K = 1ull << 40;
    es_rng_entity(w->r_hsi, (uint64_t)prog * K + w->stream_count[prog]++);
    return w->r_hsi;
}

static void schedule_demand(es_world *w, int prog, gsl_rng *r)
{
    double rate = demand_rate(w, prog);
    double now = es_engine_now(w->eng);
    /* The rate of a path that steps up or down is picked up at the next
     * arrival; with items arriving hours apart the lag is negligible. A zero
     * rate is re-examined monthly. */
    double t = rate > 0 ? now + gsl_ran_exponential(r, 1.0 / rate) : w->month_end[w->month];
    if (t < w->horizon && es_engine_at(w->eng, t, EV_DEMAND, (uint32_t)prog) != ES_OK)
        es_engine_stop(w->eng, ES_ERR_NOMEM);
}

void es_hsi_on_demand(void *ctx, es_engine *eng, const es_event *ev)
{
    es_world *w = ctx;
    int prog = (int)ev->id;
    gsl_rng *r = prog_rng(w, prog);
    if (demand_rate(w, prog) > 0) {
        double h = draw_hours(r, w->p->item_hours[prog], w->p->item_hours_sigma);
        int kind = prog == ES_PROG_ERO_SUPPORT ? WK_OVERSTAY : WK_STREAM;
        if (es_work_submit(w, prog, PRIO_HIGH, kind, 0, h) != ES_OK)
            es_engine_stop(eng, ES_ERR_NOMEM);
    }
    schedule_demand(w, prog, r);
}

/* ---- leads and triage ---- */

void es_hsi_lead(es_world *w, int source, uint32_t org, int origin, double score_bonus)
{
    static const int metric[LS_N] = {ES_M_LEADS_BORDER, ES_M_LEADS_STASH, ES_M_LEADS_DEATH,
                                     ES_M_LEADS_EXTORTION, ES_M_LEADS_INTEL};
    const es_params *p = w->p;
    es_world_add(w, metric[source], 1);
    uint64_t key = w->lead_serial++;
    gsl_rng *r = w->r_case;
    es_rng_entity(r, key);
    double score = source_score[source] + score_bonus + gsl_rng_uniform(r) +
                   p->hsc_score_effect * es_world_hsc_factor(w);
    if (origin == ES_ORIGIN_EXTRA_HEMI) score += 1.0; /* special-interest link */
    if (score < p->triage_min_score || org == UINT16_MAX) {
        es_world_add(w, ES_M_LEADS_DROPPED, 1);
        return;
    }
    uint32_t id = es_pool_alloc(w->leads);
    if (id == ES_POOL_NONE) {
        es_engine_stop(w->eng, ES_ERR_NOMEM);
        return;
    }
    es_lead *ld = es_pool_get(w->leads, id);
    ld->score = score;
    ld->key = key;
    ld->org = org;
    ld->source = (uint8_t)source;
    ld->origin = (uint8_t)origin;
    if (es_work_submit(w, ES_PROG_SMUGGLING, source_prio[source], WK_TRIAGE, id, p->triage_hours) !=
        ES_OK)
        es_engine_stop(w->eng, ES_ERR_NOMEM);
}

void es_hsi_on_intel(void *ctx, es_engine *eng, const es_event *ev)
{
    es_world *w = ctx;
    gsl_rng *r = w->r_hsi;
    es_rng_entity(r, (uint64_t)ES_N_PROGRAMS * (1ull << 40) + w->intel_count++);
    int origin = 0;
    double u = gsl_rng_uniform(r), c = 0;
    for (int i = 0; i < ES_N_ORIGINS; i++) {
        c += w->p->origin_share[i];
        origin = i;
        if (u < c) break;
    }
    /* an informant or partner points at an organization active in the corridor */
    uint32_t org = (uint32_t)gsl_rng_uniform_int(r, (unsigned long)w->p->n_orgs);
    double rate = es_path_at(&w->p->intel_leads, es_world_day(w, es_engine_now(eng)));
    double next = rate > 0 ? gsl_ran_exponential(r, 1.0 / rate) : 30.0;
    es_hsi_lead(w, LS_INTEL, org, origin, 0.0);
    if (es_engine_now(eng) + next < w->horizon)
        es_engine_at(eng, es_engine_now(eng) + next, EV_INTEL_LEAD, 0);
}

void es_hsi_on_seizure(void *ctx, es_engine *eng, const es_event *ev)
{
    es_world *w = ctx;
    gsl_rng *r = w->r_hsi;
    es_rng_entity(r, (uint64_t)(ES_N_PROGRAMS + 1) * (1ull << 40) + w->seizure_count++);
    double rate = es_path_at(&w->p->port_seizures, es_world_day(w, es_engine_now(eng)));
    double next = rate > 0 ? gsl_ran_exponential(r, 1.0 / rate) : 30.0;
    es_hsi_reactive(w, ES_PROG_DRUG, w->p->reactive_hours);
    if (es_engine_now(eng) + next < w->horizon)
        es_engine_at(eng, es_engine_now(eng) + next, EV_SEIZURE, 0);
}

void es_hsi_reactive(es_world *w, int pool, double hours)
{
    if (es_work_submit(w, pool, PRIO_REACTIVE, WK_REACTIVE, 0, hours) != ES_OK)
        es_engine_stop(w->eng, ES_ERR_NOMEM);
}

/* ---- the case lifecycle ---- */

enum { CLOSED_DONE, CLOSED_NO_PROGRESS, CLOSED_AGENTS_LEFT };

static void close_case(es_world *w, uint32_t id, es_case *cs, int why)
{
    es_world_add(w, ES_M_CASES_TIER0 + cs->reached, 1);
    if (why == CLOSED_NO_PROGRESS) es_world_add(w, ES_M_CASES_NO_PROGRESS, 1);
    /* a case its agents left is closed, not worked to completion */
    if (why == CLOSED_AGENTS_LEFT)
        es_world_add(w, ES_M_CASES_LEFT, 1);
    else
        es_world_add(w, ES_M_COMPLETED_0 + ES_PROG_SMUGGLING, 1);
    es_pool_release(w->cases, id);
}

/* Start the next stage unless its hours would break the case's budget. */
static void next_stage(es_world *w, uint32_t id, es_case *cs, int tier, gsl_rng *r)
{
    double h = draw_hours(r, w->p->tier_hours[tier], w->p->item_hours_sigma);
    if (cs->hours + h > w->p->case_hour_budget) {
        close_case(w, id, cs, CLOSED_NO_PROGRESS);
        return;
    }
    cs->hours += h;
    cs->tier = (uint8_t)tier;
    if (tier > cs->reached) {
        cs->reached = (uint8_t)tier;
        es_world_add(w, tier == 1 ? ES_M_CASES_REACH_T1 : ES_M_CASES_REACH_T2, 1);
    }
    if (es_work_submit(w, ES_PROG_SMUGGLING, PRIO_CASE, WK_TIER0 + tier, id, h) != ES_OK)
        es_engine_stop(w->eng, ES_ERR_NOMEM);
}

static void open_case(es_world *w, const es_lead *ld)
{
    uint32_t id = es_pool_alloc(w->cases);
    if (id == ES_POOL_NONE) {
        es_engine_stop(w->eng, ES_ERR_NOMEM);
        return;
    }
    es_case *cs = es_pool_get(w->cases, id);
    cs->org = ld->org;
    cs->origin = ld->origin;
    cs->severe = ld->source == LS_DEATH || ld->source == LS_EXTORTION;
    /* Keyed by the lead, not by opening order: the same lead draws the same
     * case in every scenario (common random numbers). */
    cs->serial = ld->key;
    es_world_add(w, ES_M_CASES_OPENED, 1);
    gsl_rng *r = w->r_case;
    es_rng_entity(r, (1ull << 62) | (cs->serial << 3));
    next_stage(w, id, cs, 0, r);
}

/* A stage's work is done: arrests at that tier, referrals, then escalation. */
static void stage_done(es_world *w, uint32_t id)
{
    const es_params *p = w->p;
    es_case *cs = es_pool_get(w->cases, id);
    int tier = cs->tier;
    gsl_rng *r = w->r_case;
    es_rng_entity(r, (1ull << 62) | (cs->serial << 3) | (uint64_t)(tier + 1));
    double success = tier == 0 ? 1.0 : tier == 1 ? p->tier1_success : p->tier2_success;
    if (gsl_rng_uniform(r) < success) {
        int want = 1 + (int)gsl_ran_poisson(r, p->arrests_extra[tier]);
        int got = es_networks_arrest(w, cs->org, tier, want,
                                     (1ull << 61) | (cs->serial << 2) | (uint64_t)tier);
        cs->arrests[tier] += got;
        es_world_add(w, ES_M_ARRESTS_T0 + tier, got);
        for (int i = 0; i < got; i++) {
            double migrants = (double)gsl_ran_poisson(r, p->migrants_attributed[tier]);
            es_prosecution_refer(w, tier, migrants, cs->severe, 0,
                                 (cs->serial << 8) | (uint64_t)(tier * 32 + i));
        }
    }
    double hsc = 1.0 + p->hsc_escalation_effect * (es_world_hsc_factor(w) - 1.0);
    double pe;
    if (tier == 0) {
        /* someone arrested must cooperate and point up the chain */
        pe = cs->arrests[0] > 0 ? p->coop_prob * hsc * w->money_factor : 0.0;
    } else if (tier == 1) {
        pe = cs->origin == ES_ORIGIN_EXTRA_HEMI
                 ? p->task_force_prob
                 : p->foreign_coop[cs->origin] * (1.0 - p->corruption[cs->origin]);
        pe *= hsc * w->money_factor;
    } else {
        pe = 0.0;
    }
    if (tier < 2 && gsl_rng_uniform(r) < clamp01(pe))
        next_stage(w, id, cs, tier + 1, r);
    else
        close_case(w, id, cs, CLOSED_DONE);
}

void es_hsi_on_work_done(es_world *w, es_work *it, uint32_t id)
{
    switch (it->kind) {
    case WK_STREAM:
        es_world_add(w, ES_M_COMPLETED_0 + it->pool, 1);
        if (it->pool == ES_PROG_WORKSITE) {
            es_world_add(w, ES_M_WORKSITE_AUDITS, 1);
            gsl_rng *r = prog_rng(w, it->pool);
            unsigned n = gsl_ran_poisson(r, w->p->worksite_arrests);
            if (n) es_ero_book_in(w, n, 0);
        }
        break;
    case WK_OVERSTAY:
        es_world_add(w, ES_M_COMPLETED_0 + it->pool, 1);
        es_ero_book_in(w, 1, 0);
        break;
    case WK_REACTIVE:
    case WK_ENTRY_SUPPORT: es_world_add(w, ES_M_COMPLETED_0 + it->pool, 1); break;
    case WK_TRIAGE: {
        es_lead ld = *(es_lead *)es_pool_get(w->leads, it->ref);
        es_pool_release(w->leads, it->ref);
        open_case(w, &ld);
        break;
    }
    case WK_TIER0:
    case WK_TIER1:
    case WK_TIER2: stage_done(w, it->ref); break;
    case WK_ERO_TASK: es_ero_task_done(w, it); break;
    default: ES_ASSERT(0);
    }
}

void es_hsi_on_work_dropped(es_world *w, es_work *it)
{
    if (it->kind == WK_TRIAGE) {
        es_world_add(w, ES_M_LEADS_DROPPED, 1);
        es_pool_release(w->leads, it->ref);
    } else if (it->kind >= WK_TIER0 && it->kind <= WK_TIER2) {
        close_case(w, it->ref, es_pool_get(w->cases, it->ref), CLOSED_AGENTS_LEFT);
    }
}

void es_hsi_month_end(es_world *w)
{
    es_work_account(w);
    es_work_expire(w);
    /* stocks of the month that ends: its last day's levels */
    for (int k = 0; k < ES_N_PROGRAMS; k++)
        es_world_add(w, ES_M_AGENTS_0 + k, es_work_servers(w, k));
    es_world_add(w, ES_M_HSC_STAFF,
                 es_path_at(&w->p->hsc_staff, es_world_day(w, es_engine_now(w->eng)) - 1));
}

/* Budget paths step at month starts; called once the new month is current,
 * so that what a cut does (cases closed) counts in the month it happens. */
void es_hsi_month_start(es_world *w)
{
    apply_allocation(w);
}

es_status es_hsi_init(es_world *w)
{
    const es_params *p = w->p;
    double rate = p->case_hours_per_day * p->working_days / 365.25;
    for (int k = 0; k < ES_N_POOLS; k++) {
        es_wpool *pl = &w->pool[k];
        for (int c = 0; c < ES_PRIO_N; c++) pl->head[c] = pl->tail[c] = ES_POOL_NONE;
        pl->rate = rate;
        if (k < ES_N_PROGRAMS) {
            pl->shelf = k == ES_PROG_SMUGGLING ? p->lead_shelf_days : p->shelf_days[k];
            pl->m_used = ES_M_HOURS_USED_0 + k;
            pl->m_avail = ES_M_HOURS_AVAIL_0 + k;
        } else {
            pl->shelf = p->ero_backlog_days;
            pl->m_used = ES_M_ERO_USED_0 + (k - ES_N_PROGRAMS);
            pl->m_avail = ES_M_ERO_AVAIL_0 + (k - ES_N_PROGRAMS);
        }
    }
    w->money_factor = 1.0;
    apply_allocation(w);
    /* Reassignments start and end on their dates. */
    for (int i = 0; i < p->reassign.n; i++) {
        const es_move *m = &p->reassign.m[i];
        double t0 = (double)(m->start - p->start_day), t1 = (double)(m->end + 1 - p->start_day);
        if (t0 >= 0 && t0 < w->horizon && es_engine_at(w->eng, t0, EV_POLICY, (uint32_t)i) != ES_OK)
            return ES_ERR_NOMEM;
        if (m->end >= m->start && t1 < w->horizon &&
            es_engine_at(w->eng, t1, EV_POLICY, (uint32_t)i) != ES_OK)
            return ES_ERR_NOMEM;
    }
    for (int k = 0; k < ES_N_PROGRAMS; k++)
        if (k != ES_PROG_SMUGGLING && k != ES_PROG_PROSECUTION_SUPPORT)
            schedule_demand(w, k, prog_rng(w, k));
    if (es_engine_at(w->eng, 0.0, EV_INTEL_LEAD, 0) != ES_OK) return ES_ERR_NOMEM;
    if (es_engine_at(w->eng, 0.0, EV_SEIZURE, 0) != ES_OK) return ES_ERR_NOMEM;
    return ES_OK;
}
