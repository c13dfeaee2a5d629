/* hsi.c: HSI programs, leads, triage and the smuggling case lifecycle
 * (docs/model.md: HSI, budgets) on top of the workforce pools.
 *
 * Priority classes in every pool: 0 reactive border work (pre-empts),
 * 1 case work already under way (never dropped), 2-4 leads and new work by
 * urgency (dropped past the pool's shelf life). Non-smuggling programs are
 * Poisson streams of work items; whatever waits past its shelf life is
 * work not done, so moving agents changes each program's output. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_randist.h>
#include "../core/check.h"
#include "../core/date.h"
#include "../core/mem.h"
#include "../rng/rng.h"
#include "model.h"
#include "model_impl.h"

enum {
    PRIO_REACTIVE = 0,
    PRIO_CASE = 1,
    PRIO_URGENT = 2,
    PRIO_HIGH = 3,
    PRIO_ROUTINE = 4,
    PRIO_PROACTIVE = ES_PRIO_BACKGROUND
};
_Static_assert(PRIO_ROUTINE < ES_PRIO_BACKGROUND, "lead classes must pre-empt proactive work");

/* Triage scores by lead source (docs/model.md, leads: deaths > violence/hostages >
 * large group > special-interest link > routine). */
static const double source_score[LS_N] = {1.0, 3.0, 4.0, 3.5, 1.5, 0.0};
static const int source_prio[LS_N] = {PRIO_ROUTINE, PRIO_HIGH, PRIO_URGENT,
                                      PRIO_URGENT,  PRIO_HIGH, PRIO_ROUTINE};

/* Keys of a case's draws (es_rng_entity). The case stream also keys each
 * lead by its serial (below 2^40), so the layouts there start with a tag
 * bit above it: bit 62 for the stages, bit 60 for agents leaving. */
enum { KEY_CASE_LEAVES = 1 };

/* Stage draws: [tag 2 = 1][case serial 59][stage 3]; stage 0 opens the
 * case, stage t + 1 ends tier t. */
static uint64_t case_key(const es_case *cs, int stage)
{
    return ES_RNG_KEY3(2, 1, 59, cs->serial, 3, (uint64_t)stage);
}

/* The 1324 referral of a case's i-th arrest at a tier, in the prosecution
 * stream: [3: 2][i / 32: 6][case serial 48][tier 3][i % 32: 5]. The top two
 * bits (3) keep these keys apart from the attempt keys the same stream
 * reads for 1325 referrals (2) and caught-in-the-act referrals (border.c,
 * [use 2][party serial 57][attempt 5], use 0 or 2), which they once equalled
 * for some (lead, party) pairs. The arrest index is split so that later
 * arrests never share the key of an arrest at the next tier. */
static uint64_t referral_key(const es_case *cs, int tier, int i)
{
    uint64_t n = (uint64_t)i;
    ES_ASSERT(n >> 5 < 64);
    return ES_RNG_KEY4(8, (3u << 6) | (n >> 5), 48, cs->serial, 3, (uint64_t)tier, 5, n & 31u);
}

double es_world_hsc_factor(const es_world *w)
{
    double staff = es_path_at(&w->p->hsc_staff, es_world_day(w, es_engine_now(w->eng)));
    return w->p->hsc_ref_staff > 0 ? staff / w->p->hsc_ref_staff : 1.0;
}

/* Lognormal with the given mean; mu = hours_mu(mean, sigma), kept by the
 * world per program and per tier. */
static double hours_mu(double mean, double sigma)
{
    return mean > 0 ? log(mean) - 0.5 * sigma * sigma : 0.0;
}

static double draw_hours(gsl_rng *r, double mean, double mu, double sigma)
{
    if (mean <= 0) return 0;
    return gsl_ran_lognormal(r, mu, sigma);
}

static double clamp01(double x)
{
    return x < 0 ? 0 : x > 1 ? 1 : x;
}

/* ---- allocation: policy and budget ---- */

/* Special operations move hsi.special_operations agents into migrant
 * smuggling from one program or, with "all", from every investigative
 * program pro rata (each its floor share, the rest from the largest). */
static void special_operations(const es_params *p, int32_t day, double out[ES_N_PROGRAMS])
{
    double n = floor(es_path_at(&p->special_ops, day) + 0.5);
    if (n <= 0) return;
    if (strcmp(p->special_ops_from, "all") != 0) {
        for (int k = 0; k < ES_N_PROGRAMS; k++)
            if (!strcmp(es_program_names[k], p->special_ops_from)) {
                double m = n < out[k] ? n : out[k];
                out[k] -= m;
                out[ES_PROG_SMUGGLING] += m;
            }
        return;
    }
    double pool = 0, taken = 0;
    int largest = -1;
    for (int k = 0; k < ES_N_PROGRAMS; k++)
        if (es_program_detailable(k)) {
            pool += out[k];
            if (largest < 0 || out[k] > out[largest]) largest = k;
        }
    if (pool <= 0) return;
    if (n > pool) n = pool;
    for (int k = 0; k < ES_N_PROGRAMS; k++)
        if (es_program_detailable(k)) {
            double m = floor(n * out[k] / pool);
            out[k] -= m;
            taken += m;
        }
    double rest = n - taken;
    if (rest > out[largest]) rest = out[largest];
    out[largest] -= rest;
    out[ES_PROG_SMUGGLING] += taken + rest;
}

/* Agents each program should have now: the initial allocation, special
 * operations and the reassignments in force. */
static void assigned_agents(const es_world *w, int32_t day, double out[ES_N_PROGRAMS])
{
    const es_params *p = w->p;
    for (int k = 0; k < ES_N_PROGRAMS; k++) out[k] = p->agents[k];
    special_operations(p, day, out);
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
static int case_leaves(void *ctx, const es_work *it, void *share)
{
    es_world *w = ctx;
    if (it->kind < WK_TIER0 || it->kind > WK_TIER2) return 0;
    const es_case *cs = es_pool_get(w->cases, it->ref);
    int32_t day = es_world_day(w, es_engine_now(w->eng)) - w->p->start_day;
    gsl_rng *r = w->r_case;
    es_rng_entity(r, ES_RNG_KEY3(4, KEY_CASE_LEAVES, 40, cs->serial, 20, (uint64_t)day));
    return gsl_rng_uniform(r) < *(const double *)share * (1.0 - w->p->case_handover);
}

/* Servers of each pool: its staff less the agents it lends to prosecution
 * support, which gets them on top of its own. Pulled hours are counted up
 * to now first, while pulled[] still holds. */
static void count_pulled(es_world *w)
{
    double now = es_engine_now(w->eng), lent = 0;
    double per_day = es_world_hours_per_day(w);
    if (now > w->pull_since) {
        for (int k = 0; k < ES_N_PROGRAMS; k++) lent += w->pulled[k];
        if (lent > 0)
            es_world_add_span(w, ES_M_HOURS_PULLED_TO_SUPPORT, w->pull_since, now, lent * per_day);
        if (w->pulled[ES_PROG_SMUGGLING] > 0)
            es_world_add_span(w, ES_M_HOURS_PULLED_FROM_SMUGGLING, w->pull_since, now,
                              w->pulled[ES_PROG_SMUGGLING] * per_day);
    }
    w->pull_since = now;
}

static void set_servers(es_world *w)
{
    int lent = 0;
    count_pulled(w);
    for (int k = 0; k < ES_N_PROGRAMS; k++) lent += w->pulled[k];
    for (int k = 0; k < ES_N_PROGRAMS; k++) {
        int n = w->staffed[k] - w->pulled[k] + (k == ES_PROG_PROSECUTION_SUPPORT ? lent : 0);
        if (n != es_work_servers(w->wf, k)) es_work_set_servers(w->wf, k, n);
    }
}

/* Budget (docs/model.md, budgets): the budget net of transfers to ERO funds agents at
 * cost_per_agent out of personnel_share; if the allocation exceeds that,
 * every program loses agents pro rata, but only as fast as attrition under
 * a hiring freeze takes them (at month starts, month_start set). What is
 * left after personnel is informant and travel money, which scales
 * escalation. */
static void apply_allocation(es_world *w, int month_start)
{
    const es_params *p = w->p;
    int32_t day = es_world_day(w, es_engine_now(w->eng));
    double want[ES_N_PROGRAMS], total = 0;
    assigned_agents(w, day, want);
    for (int k = 0; k < ES_N_PROGRAMS; k++) total += want[k];
    double budget = es_path_at(&p->hsi_budget, day) - es_path_at(&p->transfer_to_ero, day);
    double funded = p->cost_per_agent > 0 ? budget * p->personnel_share / p->cost_per_agent : total;
    double target = total > funded ? funded : total;
    if (w->headcount < 0 || target >= w->headcount)
        w->headcount = target;
    else if (month_start)
        w->headcount = fmax(target, w->headcount * (1.0 - p->attrition_per_month));
    double scale = total > 0 && w->headcount < total ? w->headcount / total : 1.0;
    double staffed = 0;
    for (int k = 0; k < ES_N_PROGRAMS; k++) {
        int n = (int)floor(want[k] * scale), had = w->staffed[k];
        staffed += n;
        /* Cases go with agents who leave the program, not with those lent
         * to prosecution support for a while (their cases wait). */
        if (n < had && k == ES_PROG_SMUGGLING) {
            double share = (double)(had - n) / had;
            es_work_remove_if(w->wf, k, PRIO_CASE, case_leaves, &share);
        }
        w->staffed[k] = n;
        if (w->pulled[k] > n) w->pulled[k] = n;
    }
    set_servers(w);
    double ops = budget - staffed * p->cost_per_agent;
    w->money_factor =
        p->ops_money_ref > 0 && ops > 0 ? pow(ops / p->ops_money_ref, p->money_elasticity) : 1.0;
}

void es_hsi_on_policy(void *ctx, es_engine *eng, const es_event *ev)
{
    ES_UNUSED(eng);
    ES_UNUSED(ev);
    apply_allocation(ctx, 0);
}

/* ---- streams of non-smuggling work ---- */

static double demand_rate(const es_world *w, int prog)
{
    double r = w->p->demand_rate[prog];
    if (prog == ES_PROG_WORKSITE)
        r *= es_path_at(&w->p->worksite_multiplier, es_world_day(w, es_engine_now(w->eng)));
    return r;
}

/* Keys of the HSI stream: [source 24][serial 40]. Each program's demand is
 * keyed by (program, item count), so changing one program's demand never
 * shifts another's draws; intelligence leads and port seizures follow the
 * programs as sources of their own. *serial (if not NULL) gets the count. */
enum { SRC_INTEL = ES_N_PROGRAMS, SRC_SEIZURE, SRC_PROACTIVE, SRC_WORKSITE };
static gsl_rng *hsi_rng(es_world *w, int source, uint64_t count)
{
    es_rng_entity(w->r_hsi, ES_RNG_KEY2(24, (uint64_t)source, 40, count));
    return w->r_hsi;
}

static gsl_rng *prog_rng(es_world *w, int prog, uint64_t *serial)
{
    uint64_t n = w->stream_count[prog]++;
    if (serial) *serial = n;
    return hsi_rng(w, prog, n);
}

static void schedule_demand(es_world *w, int prog, gsl_rng *r)
{
    double rate = demand_rate(w, prog);
    double now = es_engine_now(w->eng);
    /* The rate of a path that steps up or down is picked up at the next
     * arrival; with items arriving hours apart the lag is negligible. A zero
     * rate is re-examined monthly. */
    double t = rate > 0 ? now + es_rng_exponential(r, 1.0 / rate) : w->month_end[w->month];
    if (t < w->horizon && es_engine_at(w->eng, t, EV_DEMAND, (uint32_t)prog) != ES_OK)
        es_engine_stop(w->eng, ES_ERR_NOMEM);
}

void es_hsi_on_demand(void *ctx, es_engine *eng, const es_event *ev)
{
    es_world *w = ctx;
    int prog = (int)ev->id;
    uint64_t serial;
    gsl_rng *r = prog_rng(w, prog, &serial);
    if (demand_rate(w, prog) > 0) {
        double h = draw_hours(r, w->p->item_hours[prog], w->item_mu[prog], w->p->item_hours_sigma);
        int kind = prog == ES_PROG_ERO_SUPPORT ? WK_OVERSTAY : WK_STREAM;
        ES_ASSERT(serial <= UINT32_MAX); /* the item's ref names it */
        if (es_work_submit(w->wf, prog, PRIO_HIGH, kind, (uint32_t)serial, h) != ES_OK)
            es_engine_stop(eng, ES_ERR_NOMEM);
    }
    schedule_demand(w, prog, r);
}

/* ---- leads and triage ---- */

void es_hsi_lead(es_world *w, int source, uint32_t org, int origin, double score_bonus)
{
    static const int metric[LS_N] = {ES_M_LEADS_BORDER,    ES_M_LEADS_STASH, ES_M_LEADS_DEATH,
                                     ES_M_LEADS_EXTORTION, ES_M_LEADS_INTEL, ES_M_LEADS_PROACTIVE};
    const es_params *p = w->p;
    es_world_add(w, metric[source], 1);
    /* [source 3][count 37]: each source counts its own leads, so more or
     * fewer leads of one source (proactive work above all) leave the keys
     * and so the cases of the others unchanged (common random numbers). */
    uint64_t key = ES_RNG_KEY2(3, (uint64_t)source, 37, w->lead_count[source]++);
    gsl_rng *r = w->r_case;
    es_rng_entity(r, key);
    double score = source_score[source] + score_bonus + gsl_rng_uniform(r) +
                   p->hsc_score_effect * es_world_hsc_factor(w);
    if (origin == ES_ORIGIN_EXTRA_HEMI) score += 1.0; /* special-interest link */
    /* Proactive leads were developed by the agents themselves: already
     * judged worth opening. */
    if ((source != LS_PROACTIVE && score < p->triage_min_score) || org == UINT16_MAX) {
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
    if (es_work_submit(w->wf, ES_PROG_SMUGGLING, source_prio[source], WK_TRIAGE, id,
                       p->triage_hours) != ES_OK)
        es_engine_stop(w->eng, ES_ERR_NOMEM);
}

/* A lead that does not come from a party: its origin by the origin mix, an
 * organization at random. */
static void lead_at_random(es_world *w, int source, gsl_rng *r)
{
    int origin = 0;
    double u = gsl_rng_uniform(r), c = 0;
    for (int i = 0; i < ES_N_ORIGINS; i++) {
        c += w->p->origin_share[i];
        origin = i;
        if (u < c) break;
    }
    uint32_t org = (uint32_t)gsl_rng_uniform_int(r, (unsigned long)w->p->n_orgs);
    es_hsi_lead(w, source, org, origin, 0.0);
}

void es_hsi_on_intel(void *ctx, es_engine *eng, const es_event *ev)
{
    es_world *w = ctx;
    ES_UNUSED(ev);
    gsl_rng *r = hsi_rng(w, SRC_INTEL, w->intel_count++);
    /* an informant or partner points at an organization active in the corridor */
    lead_at_random(w, LS_INTEL, r);
    double rate = es_path_at(&w->p->intel_leads, es_world_day(w, es_engine_now(eng)));
    double next = rate > 0 ? es_rng_exponential(r, 1.0 / rate) : 30.0;
    if (es_engine_now(eng) + next < w->horizon)
        es_engine_at(eng, es_engine_now(eng) + next, EV_INTEL_LEAD, 0);
}

void es_hsi_on_seizure(void *ctx, es_engine *eng, const es_event *ev)
{
    es_world *w = ctx;
    ES_UNUSED(ev);
    gsl_rng *r = hsi_rng(w, SRC_SEIZURE, w->seizure_count++);
    double rate = es_path_at(&w->p->port_seizures, es_world_day(w, es_engine_now(eng)));
    double next = rate > 0 ? es_rng_exponential(r, 1.0 / rate) : 30.0;
    es_hsi_reactive(w, ES_PROG_DRUG, w->p->reactive_hours);
    if (es_engine_now(eng) + next < w->horizon)
        es_engine_at(eng, es_engine_now(eng) + next, EV_SEIZURE, 0);
}

/* ---- proactive leads (leads_and_hours) ----
 * Smuggling agents with no lead, case or call-out to work develop leads of
 * their own (informants, record checks, surveillance): background work that
 * any other work pre-empts. Every hsi.proactive.hours_per_lead hours of it
 * yield a lead worth opening, so openings are limited by leads when leads
 * are scarce and by hours when they are plentiful. */

static int proactive_on(const es_world *w)
{
    return strcmp(w->p->opening_model, "leads_and_hours") == 0;
}

/* A week of one agent's proactive work, started on each idle server. */
static void start_proactive(es_world *w)
{
    int idle =
        es_work_servers(w->wf, ES_PROG_SMUGGLING) - (int)es_work_serving(w->wf, ES_PROG_SMUGGLING);
    double h = 7.0 * es_world_hours_per_day(w);
    for (int i = 0; i < idle; i++)
        if (es_work_submit(w->wf, ES_PROG_SMUGGLING, PRIO_PROACTIVE, WK_PROACTIVE, 0, h) != ES_OK) {
            es_engine_stop(w->eng, ES_ERR_NOMEM);
            return;
        }
}

void es_hsi_on_proactive(void *ctx, es_engine *eng, const es_event *ev)
{
    es_world *w = ctx;
    ES_UNUSED(ev);
    double per = w->p->proactive_hours_per_lead;
    while (w->proactive_hours >= per) {
        w->proactive_hours -= per;
        lead_at_random(w, LS_PROACTIVE, hsi_rng(w, SRC_PROACTIVE, w->proactive_count++));
    }
    start_proactive(w);
    double next = es_engine_now(eng) + 1.0;
    if (next < w->horizon && es_engine_at(eng, next, EV_PROACTIVE, 0) != ES_OK)
        es_engine_stop(eng, ES_ERR_NOMEM);
}

/* ---- prosecution support ----
 * Weekly: when the support backlog is more than pull_backlog_days of work
 * for its own agents, programs lend agents by pull_order (1 first),
 * each up to pull_max_share of its staff; when it falls, the last lent go
 * back first. */
void es_hsi_on_support_check(void *ctx, es_engine *eng, const es_event *ev)
{
    es_world *w = ctx;
    const es_params *p = w->p;
    ES_UNUSED(ev);
    double backlog = es_work_queued_hours(w->wf, ES_PROG_PROSECUTION_SUPPORT);
    double window = p->pull_backlog_days * es_world_hours_per_day(w);
    int lent = 0, last = 0;
    for (int k = 0; k < ES_N_PROGRAMS; k++) {
        lent += w->pulled[k];
        if (p->pull_order[k] > last) last = (int)p->pull_order[k];
    }
    /* agents who would clear the backlog within the window, beyond its own */
    int need = (int)ceil(backlog / window) - w->staffed[ES_PROG_PROSECUTION_SUPPORT];
    if (need < 0) need = 0;
    if (need > lent) {
        int want = need - lent;
        for (int o = 1; o <= last && want > 0; o++)
            for (int k = 0; k < ES_N_PROGRAMS && want > 0; k++) {
                if ((int)p->pull_order[k] != o || k == ES_PROG_PROSECUTION_SUPPORT) continue;
                int room = (int)floor(p->pull_max_share * w->staffed[k]) - w->pulled[k];
                int n = room < want ? room : want;
                if (n <= 0) continue;
                w->pulled[k] += n;
                want -= n;
            }
    } else if (need < lent) {
        int give = lent - need;
        for (int o = last; o >= 1 && give > 0; o--)
            for (int k = ES_N_PROGRAMS - 1; k >= 0 && give > 0; k--) {
                if ((int)p->pull_order[k] != o) continue;
                int n = w->pulled[k] < give ? w->pulled[k] : give;
                w->pulled[k] -= n;
                give -= n;
            }
    }
    set_servers(w);
    double next = es_engine_now(eng) + 7.0;
    if (next < w->horizon && es_engine_at(eng, next, EV_SUPPORT_CHECK, 0) != ES_OK)
        es_engine_stop(eng, ES_ERR_NOMEM);
}

void es_hsi_reactive(es_world *w, int pool, double hours)
{
    if (es_work_submit(w->wf, pool, PRIO_REACTIVE, WK_REACTIVE, 0, hours) != ES_OK)
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
    double h = draw_hours(r, w->p->tier_hours[tier], w->tier_mu[tier], w->p->item_hours_sigma);
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
    if (es_work_submit(w->wf, ES_PROG_SMUGGLING, PRIO_CASE, WK_TIER0 + tier, id, h) != ES_OK)
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
    es_rng_entity(r, case_key(cs, 0));
    next_stage(w, id, cs, 0, r);
}

/* Probability that a case whose tier's work just ended reaches the next
 * tier (docs/model.md, HSI: escalation). Tier 0 -> 1 needs an arrestee the
 * prosecutor charged, who cooperates for a lighter sentence; tier 1 -> 2
 * needs a foreign partner (worked by an attache, whose hours are finite) or,
 * for extra-hemispheric networks, the extraterritorial task force. Either
 * rises with the hours invested, saturating, relative to a case with the
 * mean hours of its tiers so far; Human Smuggling Cell analysis is drawn from
 * the cell's hours of the month, and without it the chance is smaller. */
static double escalation_prob(es_world *w, const es_case *cs, int tier, int charged)
{
    const es_params *p = w->p;
    double pe;
    if (tier == 0) {
        if (!charged) return 0.0;
        pe = p->coop_prob;
    } else if (cs->origin == ES_ORIGIN_EXTRA_HEMI) {
        pe = p->task_force_prob;
    } else if (w->attache_left >= p->attache_hours) {
        w->attache_left -= p->attache_hours;
        pe = p->foreign_coop[cs->origin] * (1.0 - p->corruption[cs->origin]);
    } else {
        es_world_add(w, ES_M_TIER2_NO_ATTACHE, 1);
        return 0.0;
    }
    double ref = 0, s = p->escalation_hours_scale;
    for (int t = 0; t <= tier; t++) ref += p->tier_hours[t];
    if (ref > 0) pe *= (1.0 - exp(-cs->hours / s)) / (1.0 - exp(-ref / s));
    if (w->hsc_left >= p->hsc_hours_per_escalation) {
        w->hsc_left -= p->hsc_hours_per_escalation;
    } else {
        pe /= 1.0 + p->hsc_escalation_effect;
        es_world_add(w, ES_M_ESCALATIONS_NO_CELL, 1);
    }
    return pe * w->money_factor;
}

/* A stage's work is done: arrests at that tier, referrals, then escalation. */
static void stage_done(es_world *w, uint32_t id)
{
    const es_params *p = w->p;
    es_case *cs = es_pool_get(w->cases, id);
    int tier = cs->tier;
    gsl_rng *r = w->r_case;
    es_rng_entity(r, case_key(cs, tier + 1));
    double success = tier == 0 ? 1.0 : tier == 1 ? p->tier1_success : p->tier2_success;
    int charged = 0;
    if (gsl_rng_uniform(r) < success) {
        int want = 1 + (int)gsl_ran_poisson(r, p->arrests_extra[tier]);
        int got = es_networks_arrest(w, cs->org, tier, want,
                                     ES_RNG_KEY3(3, 1, 59, cs->serial, 2, (uint64_t)tier));
        cs->arrests[tier] += got;
        es_world_add(w, ES_M_ARRESTS_T0 + tier, got);
        for (int i = 0; i < got; i++) {
            double migrants = (double)gsl_ran_poisson(r, p->migrants_attributed[tier]);
            charged +=
                es_prosecution_refer(w, tier, migrants, cs->severe, 0, referral_key(cs, tier, i));
        }
    }
    if (tier == 0 && charged) es_world_add(w, ES_M_CASES_CHARGED_ARRESTEE, 1);
    double pe = tier < 2 ? escalation_prob(w, cs, tier, charged) : 0.0;
    if (tier < 2 && gsl_rng_uniform(r) < clamp01(pe))
        next_stage(w, id, cs, tier + 1, r);
    else
        close_case(w, id, cs, CLOSED_DONE);
}

/* ---- work kinds (workforce.h) ---- */

static void completed(void *ctx, const es_work *it)
{
    es_world_add(ctx, ES_M_COMPLETED_0 + it->pool, 1);
}

static void stream_done(void *ctx, const es_work *it)
{
    es_world *w = ctx;
    completed(w, it);
    if (it->pool == ES_PROG_WORKSITE) {
        /* keyed by the investigation's serial: its outcome does not depend
         * on how many others were opened or finished before it */
        const es_params *p = w->p;
        gsl_rng *r = hsi_rng(w, SRC_WORKSITE, it->ref);
        es_world_add(w, ES_M_WORKSITE_INVESTIGATIONS, 1);
        if (gsl_rng_uniform(r) < p->worksite_i9_share) es_world_add(w, ES_M_WORKSITE_I9_AUDITS, 1);
        es_world_add(w, ES_M_WORKSITE_ARRESTS_CRIMINAL,
                     gsl_ran_poisson(r, p->worksite_criminal_arrests));
        unsigned n = gsl_ran_poisson(r, p->worksite_arrests);
        es_world_add(w, ES_M_WORKSITE_ARRESTS_ADMIN, n);
        if (n) es_ero_book_in(w, n, ES_ERO_FROM_WORKSITE, it->ref);
    }
}

static void overstay_done(void *ctx, const es_work *it)
{
    completed(ctx, it);
    es_ero_book_in(ctx, 1, ES_ERO_FROM_OVERSTAY, it->ref);
}

static void triage_done(void *ctx, const es_work *it)
{
    es_world *w = ctx;
    es_lead ld = *(es_lead *)es_pool_get(w->leads, it->ref);
    es_pool_release(w->leads, it->ref);
    open_case(w, &ld);
}

static void triage_dropped(void *ctx, const es_work *it)
{
    es_world *w = ctx;
    es_world_add(w, ES_M_LEADS_DROPPED, 1);
    es_pool_release(w->leads, it->ref);
}

static void stage_work_done(void *ctx, const es_work *it)
{
    stage_done(ctx, it->ref);
}

/* Case work left with its agents. */
static void stage_dropped(void *ctx, const es_work *it)
{
    es_world *w = ctx;
    close_case(w, it->ref, es_pool_get(w->cases, it->ref), CLOSED_AGENTS_LEFT);
}

/* Migrant-smuggling hours by kind of work; HSI hours lent to ERO count to
 * ERO interior work as well. */
static void hsi_hours(void *ctx, const es_work *it, double t0, double t1, double per_day)
{
    es_world *w = ctx;
    if (it->pool == ES_PROG_SMUGGLING) {
        int m = it->kind == WK_REACTIVE ? ES_M_HOURS_REACTIVE
                : it->kind == WK_TRIAGE ? ES_M_HOURS_TRIAGE
                                        : ES_M_HOURS_INVESTIGATION;
        es_world_add_span(w, m, t0, t1, per_day);
    }
    if (it->kind == WK_OVERSTAY)
        es_world_add_span(w, ES_M_ERO_USED_0 + ES_ERO_INTERIOR, t0, t1, per_day);
}

static void proactive_hours(void *ctx, const es_work *it, double t0, double t1, double per_day)
{
    es_world *w = ctx;
    ES_UNUSED(it);
    es_world_add_span(w, ES_M_HOURS_PROACTIVE, t0, t1, per_day);
    w->proactive_hours += (t1 - t0) * per_day;
}

/* An agent's week of proactive work ends: another while nothing else waits. */
static void proactive_done(void *ctx, const es_work *it)
{
    ES_UNUSED(it);
    es_world *w = ctx;
    if (es_work_queued(w->wf, ES_PROG_SMUGGLING) == 0) start_proactive(w);
}

static void register_kinds(es_workforce *wf)
{
    const es_work_kind stream = {NULL, stream_done, NULL, hsi_hours};
    const es_work_kind overstay = {NULL, overstay_done, NULL, hsi_hours};
    const es_work_kind reactive = {NULL, completed, NULL, hsi_hours};
    const es_work_kind triage = {NULL, triage_done, triage_dropped, hsi_hours};
    const es_work_kind stage = {NULL, stage_work_done, stage_dropped, hsi_hours};
    const es_work_kind proactive = {NULL, proactive_done, NULL, proactive_hours};
    es_workforce_kind(wf, WK_PROACTIVE, &proactive);
    es_workforce_kind(wf, WK_STREAM, &stream);
    es_workforce_kind(wf, WK_OVERSTAY, &overstay);
    es_workforce_kind(wf, WK_REACTIVE, &reactive);
    es_workforce_kind(wf, WK_TRIAGE, &triage);
    for (int k = WK_TIER0; k <= WK_TIER2; k++) es_workforce_kind(wf, k, &stage);
}

void es_hsi_month_end(es_world *w)
{
    es_work_accrue(w->wf);
    es_work_account(w->wf);
    es_work_expire(w->wf);
    /* stocks of the month that ends: its last day's levels */
    for (int k = 0; k < ES_N_PROGRAMS; k++)
        es_world_add(w, ES_M_AGENTS_0 + k, es_work_servers(w->wf, k));
    es_world_add(w, ES_M_AGENTS_PULLED_FROM_SMUGGLING, w->pulled[ES_PROG_SMUGGLING]);
    count_pulled(w);
    es_world_add(w, ES_M_HSC_STAFF,
                 es_path_at(&w->p->hsc_staff, es_world_day(w, es_engine_now(w->eng)) - 1));
}

/* The Human Smuggling Cell's and the attaches' hours of the month now
 * starting (unused hours do not carry over). */
static void refill_analysts(es_world *w)
{
    double t0 = w->month > 0 ? w->month_end[w->month - 1] : 0.0;
    double days = w->month_end[w->month] - t0, per_day = es_world_hours_per_day(w);
    int32_t day = es_world_day(w, t0);
    w->hsc_left = es_path_at(&w->p->hsc_staff, day) * per_day * days;
    w->attache_left = es_path_at(&w->p->attache_staff, day) * per_day * days;
}

/* After the run: worksite agents' idle hours, month by month (moved agents
 * are idle only when the audit order leaves them nothing to work). */
void es_hsi_finish(es_world *w)
{
    for (int k = 0; k < w->n_months; k++) {
        size_t n = (size_t)w->n_months, kk = (size_t)k;
        double avail = w->monthly[(size_t)(ES_M_HOURS_AVAIL_0 + ES_PROG_WORKSITE) * n + kk];
        double used = w->monthly[(size_t)(ES_M_HOURS_USED_0 + ES_PROG_WORKSITE) * n + kk];
        w->monthly[(size_t)ES_M_HOURS_IDLE_WORKSITE * n + kk] = avail > used ? avail - used : 0.0;
    }
}

/* Budget paths step at month starts; called once the new month is current,
 * so that what a cut does (cases closed) counts in the month it happens. */
void es_hsi_month_start(es_world *w)
{
    apply_allocation(w, 1);
    refill_analysts(w);
}

es_status es_hsi_init(es_world *w)
{
    const es_params *p = w->p;
    register_kinds(w->wf);
    for (int k = 0; k < ES_N_PROGRAMS; k++)
        w->item_mu[k] = hours_mu(p->item_hours[k], p->item_hours_sigma);
    for (int t = 0; t < ES_N_TIERS; t++)
        w->tier_mu[t] = hours_mu(p->tier_hours[t], p->item_hours_sigma);
    for (int k = 0; k < ES_N_PROGRAMS; k++)
        es_workforce_pool(w->wf, k, es_world_hours_per_day(w),
                          k == ES_PROG_SMUGGLING ? p->lead_shelf_days : p->shelf_days[k],
                          ES_M_HOURS_USED_0 + k, ES_M_HOURS_AVAIL_0 + k);
    w->money_factor = 1.0;
    w->headcount = -1; /* the start state is what the budget funds */
    apply_allocation(w, 0);
    refill_analysts(w);
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
            schedule_demand(w, k, prog_rng(w, k, NULL));
    if (es_engine_at(w->eng, 0.0, EV_INTEL_LEAD, 0) != ES_OK) return ES_ERR_NOMEM;
    if (es_engine_at(w->eng, 0.0, EV_SEIZURE, 0) != ES_OK) return ES_ERR_NOMEM;
    if (proactive_on(w) && es_engine_at(w->eng, 0.5, EV_PROACTIVE, 0) != ES_OK) return ES_ERR_NOMEM;
    if (es_engine_at(w->eng, 3.5, EV_SUPPORT_CHECK, 0) != ES_OK) return ES_ERR_NOMEM;
    return ES_OK;
}
