/* model_impl.h: the state of one replication, shared by the subsystem files
 * of sim/model/ (migration.c, border.c, model.c). Private to the model.
 *
 * Invariants: every party that arrived is either a live record in `parties`
 * in exactly one of the PS_* live states, or counted once in `terminal[]`;
 * state_count[] mirrors the live records' states. */
#ifndef ES_MODEL_IMPL_H
#define ES_MODEL_IMPL_H
#include <stdint.h>
#include <gsl/gsl_rng.h>
#include "../engine/engine.h"
#include "../engine/pool.h"
#include "metrics.h"
#include "params.h"
#include "workforce.h"
#include "../core/wmedian.h"

enum {
    EV_ARRIVAL,
    EV_ATTEMPT,
    EV_STASH_DONE,
    EV_MONTH_END,
    EV_WORK_DONE,        /* id: work item */
    EV_DEMAND,           /* id: program whose next non-smuggling work item arrives */
    EV_INTEL_LEAD,       /* next informant / intelligence lead */
    EV_SEIZURE,          /* next port seizure calling drug agents */
    EV_ROLE_FILLED,      /* id: actor slot filled after recruitment */
    EV_ORG_ENTRY,        /* id: organization slot re-entered by a new group */
    EV_POLICY,           /* id: index of a policy change (reassignments, budget) */
    EV_RELEASE_DETAINEE, /* id: a detention stay's people and removals (ero.c) */
    EV_ERO_DEMAND,       /* a day's ERO interior arrests */
    EV_ERO_ARRESTS_MADE, /* ERO interior arrests finished at this time are booked in */
    EV_PROACTIVE,        /* daily: idle smuggling agents start proactive work */
    EV_SUPPORT_CHECK,    /* weekly: prosecution-support backlog, agents pulled or returned */
    EV_MARKET_WEEK,      /* weekly: crossing capacity renewed, prices and organizations adjust */
    EV_COUNT
};

/* Work item kinds (workforce.h): what completion means. */
enum {
    WK_STREAM,   /* a non-smuggling case or audit */
    WK_REACTIVE, /* reactive border work */
    WK_TRIAGE,   /* screening a lead; ref = lead id */
    WK_TIER0,
    WK_TIER1,
    WK_TIER2,          /* case stages; ref = case id */
    WK_ENTRY_SUPPORT,  /* prosecution support for a 1325 case */
    WK_OVERSTAY,       /* ero_support: locate an overstay; ref = its serial in the stream */
    WK_ERO_REMOVAL,    /* the removal of a stay's people; ref = how many */
    WK_PROACTIVE,      /* background: agents developing their own smuggling leads */
    WK_CHARGE_SUPPORT, /* prosecution support for a 1324 charge */
    WK_COUNT
};
_Static_assert(WK_COUNT <= ES_WORK_KINDS, "more work kinds than the workforce holds");

/* Party states. Live states first; terminal outcomes release the record. */
/* PS_WAITING_CAPACITY: waiting for a transit or crossing organization with
 * room; PS_HELD_IN_STASH: across, waiting for a U.S.-side crew with room. */
enum {
    PS_STAGING,
    PS_WAITING_REATTEMPT,
    PS_IN_STASH,
    PS_WAITING_CAPACITY,
    PS_HELD_IN_STASH,
    PS_N_LIVE
};
enum { PT_DELIVERED, PT_DIED, PT_RELEASED, PT_RETURNED, PT_WENT_HOME, PT_N_TERMINAL };

typedef struct {
    uint64_t serial;            /* arrival order: keys the party's random draws */
    double fee;                 /* per person, USD; 0 when not smuggled */
    double paid;                /* of fee * size, collected so far */
    float leg_share[ES_N_LEGS]; /* of fee, paid on each leg (the legs' organizations' prices) */
    float wait_from;            /* model day the current wait for capacity began */
    uint16_t size;
    uint16_t org[ES_N_LEGS]; /* organization serving each leg (smuggled only) */
    uint8_t origin, type, method, smuggled, attempts, state, legs_paid;
    uint8_t waits;  /* weeks waited for capacity, all legs */
    uint8_t remote; /* crossing alone on a remote route (priced out or gave up) */
} es_party;

/* A smuggling organization: roles by tier, some vacant. */
typedef struct {
    int roles[ES_N_TIERS], active[ES_N_TIERS];
    int hierarchical, leg, corridor, alive, violent;
    int base_roles;         /* street-level roles at entry; expansion grows from it */
    double growth;          /* fraction of the next street-level role added by expansion */
    double cap[ES_N_LEGS];  /* capacity this week by leg, people (0: leg not served) */
    double used[ES_N_LEGS]; /* people taken on each leg this week: at most cap, or one
                               party larger than cap that had the week to itself (alone) */
    int alone[ES_N_LEGS];
    double exposure;                       /* expected prison-months from this week's arrests */
    double clients;                        /* people it took on this week (any leg) */
    double exposure_s, clients_s;          /* both smoothed over market.risk_memory_days */
    double own_risk;                       /* exposure_s / clients_s: prison-months per client */
    double price;                          /* fee multiplier: risk and scarcity premiums */
    int32_t mpos[ES_N_LEGS][ES_N_ORIGINS]; /* index in each market, -1 if absent */
} es_org;

typedef struct {
    double score;
    uint64_t key; /* lead serial: keys the case it may open (CRN) */
    uint32_t org;
    uint8_t source, origin;
} es_lead;

typedef struct {
    uint32_t org;
    double hours; /* invested so far */
    uint8_t tier, origin, severe, reached;
    int arrests[ES_N_TIERS];
    uint64_t serial; /* keys the case's draws */
} es_case;

#define ES_N_POOLS (ES_N_PROGRAMS + ES_N_ERO_TASKS) /* HSI programs, then ERO tasks */

/* Fenwick tree of organization weights for one (leg, corridor) market. */
typedef struct {
    int n;
    double *tree;
    double *w;
    uint32_t *org;
} es_market;

struct es_world {
    const es_params *p;
    es_engine *eng;
    es_pool *parties, *leads, *cases;
    struct es_ero_interior *interior; /* interior arrests taken by an officer (ero.c) */
    es_workforce *wf;                 /* pools: HSI programs, then ERO tasks (ES_N_POOLS) */
    gsl_rng *r_arrivals, *r_party, *r_attempt, *r_stash;
    gsl_rng *r_net, *r_hsi, *r_case, *r_pros, *r_ero;
    es_org *orgs;
    es_market market[ES_N_LEGS][ES_N_ORIGINS];
    uint64_t lead_count[8], intel_count, seizure_count; /* lead_count by source */
    uint64_t stream_count[ES_N_PROGRAMS];
    double detention, beds; /* ERO detention occupancy and beds */
    double entry_today_day, entry_today_count;
    double money_factor; /* informant and travel money relative to reference */
    int agents_base[ES_N_PROGRAMS];
    int staffed[ES_N_PROGRAMS]; /* agents each program's allocation and budget give */
    double headcount;           /* HSI agents on board (the budget's cuts act through attrition) */
    int pulled[ES_N_PROGRAMS];  /* of those, lent to prosecution support now */
    double pull_since;          /* pulled[] holds since this time */
    double proactive_hours;     /* proactive hours not yet turned into a lead */
    uint64_t proactive_count;
    double hsc_left, attache_left; /* analyst and attache hours left this month */
    double fees_agreed, fees_collected, fees_forfeited;
    /* Fees agreed this month per person, weighted by party size: the whole
     * journey, then each leg; folded into monthly medians (market.c). */
    es_wsample *fee_sample[ES_N_LEGS + 1];
    size_t n_fee_sample, cap_fee_sample;
    double market_risk, utilisation;    /* smoothed, the whole market's */
    double exposure_week, clients_week; /* this week's prison-months and smuggled people */
    double exposure_s, clients_s;       /* smoothed */
    double pool;                        /* recruit pool */
    double fee_index[ES_N_LEGS];        /* capacity-weighted mean price per leg */
    double hire_scale[ES_N_ORIGINS];    /* index^-fee_elasticity, per origin, this week */
    /* Location parameters of lognormal draws, taken once instead of a log
     * per draw: fees by origin, hours of programs' items and case stages. */
    double fee_mu[ES_N_ORIGINS], item_mu[ES_N_PROGRAMS], tier_mu[ES_N_TIERS];
    uint64_t seed, replication;
    double horizon;      /* days from start to the end of the last day */
    int n_months, month; /* current month index into monthly[] */
    double *month_end;   /* [n_months] end of each month, in model days */
    double *monthly;     /* [metric][month], owned by the caller */
    uint64_t serials;    /* parties drawn, including those that did not come */
    uint64_t arrived, deterred, state_count[PS_N_LIVE], terminal[PT_N_TERMINAL];
    size_t peak_live;
    es_status status;
    char *err;
    size_t errlen;
};
typedef struct es_world es_world;

static inline void es_world_add(es_world *w, int metric, double v)
{
    w->monthly[(size_t)metric * (size_t)w->n_months + (size_t)w->month] += v;
}

static inline void es_world_set_state(es_world *w, es_party *pt, int state)
{
    w->state_count[pt->state]--;
    pt->state = (uint8_t)state;
    w->state_count[state]++;
}

/* Day number of model time t. */
static inline int32_t es_world_day(const es_world *w, double t)
{
    return w->p->start_day + (int32_t)t;
}

/* The index that uniform u falls in under shares share[0..n-1] (the last
 * takes any rounding remainder). */
static inline int es_world_pick_share(const double *share, int n, double u)
{
    double c = 0;
    for (int i = 0; i < n - 1; i++) {
        c += share[i];
        if (u < c) return i;
    }
    return n - 1;
}

/* Index of the month containing model time t. */
int es_world_month_of(const es_world *w, double t);
/* Add v spread evenly over [t0, t1) to a metric, split at month ends. */
void es_world_add_span(es_world *w, int metric, double t0, double t1, double per_day);
double es_world_hsc_factor(const es_world *w);

/* Case hours an agent or officer gives per calendar day. */
static inline double es_world_hours_per_day(const es_world *w)
{
    return w->p->case_hours_per_day * w->p->working_days / 365.25;
}

/* migration.c */
void es_migration_start(es_world *w);
void es_migration_on_arrival(void *ctx, es_engine *eng, const es_event *ev);
void es_migration_on_stash_done(void *ctx, es_engine *eng, const es_event *ev);
void es_migration_finish(es_world *w, uint32_t id, int outcome);
/* border.c */
void es_border_on_attempt(void *ctx, es_engine *eng, const es_event *ev);
/* networks.c */
es_status es_networks_init(es_world *w);
void es_networks_fini(es_world *w);
void es_networks_assign(es_world *w, es_party *pt, gsl_rng *r);
void es_networks_collect(es_world *w, es_party *pt, int leg);
void es_networks_forfeit(es_world *w, es_party *pt);
int es_networks_arrest(es_world *w, uint32_t org, int tier, int n, uint64_t key);
void es_networks_snapshot(es_world *w);
void es_networks_on_role_filled(void *ctx, es_engine *eng, const es_event *ev);
void es_networks_on_org_entry(void *ctx, es_engine *eng, const es_event *ev);
/* Effective capacity weight (active street level, degraded without
 * coordinators or a leader); 0 when the organization is not in business. */
double es_networks_weight(const es_world *w, const es_org *o);
int es_networks_serves(const es_org *o, int leg, int corridor);
void es_networks_reweigh(es_world *w, uint32_t k);
/* An organization serving (leg, corridor) drawn by weight with uniform u;
 * UINT16_MAX when none has capacity. */
uint16_t es_networks_pick(es_world *w, int leg, int corridor, double u);
/* market.c */
void es_market_init(es_world *w);
void es_market_on_week(void *ctx, es_engine *eng, const es_event *ev);
void es_market_snapshot(es_world *w);
/* A smuggled party's agreed fees, for the month's median fees. */
void es_market_note_fee(es_world *w, const es_party *pt);
void es_market_fini(es_world *w);
/* An organization's fee multiplier: risk premium (its own and the
 * market's prison-months per client) times the scarcity premium. */
double es_market_price(const es_params *p, double own_risk, double market_risk, double utilisation);
double es_market_index(const es_world *w);         /* the fee multiplier quoted for a journey */
double es_market_recruit_scale(const es_world *w); /* stretch of recruitment delays */
void es_market_price_party(es_world *w, es_party *pt);
/* A smuggled party's next leg before the border: transit (at arrival, or
 * after a wait) or the crossing. Returns 1 when the party goes on now (to
 * staging after transit, to the attempt at the crossing, or alone after
 * giving up); 0 when it waits, has been scheduled onwards, or has gone home
 * (its record may then be released). */
int es_market_admit(es_world *w, es_party *pt, uint32_t id);
/* The U.S.-side leg out of a stash house: 1 when a crew moves the party on,
 * 0 when it gives up waiting and leaves alone, -1 when it stays a week. */
int es_market_move_on(es_world *w, es_party *pt, uint32_t id);
/* hsi.c */
es_status es_hsi_init(es_world *w);
void es_hsi_lead(es_world *w, int source, uint32_t org, int origin, double score_bonus);
void es_hsi_reactive(es_world *w, int pool, double hours);
void es_hsi_on_demand(void *ctx, es_engine *eng, const es_event *ev);
void es_hsi_on_intel(void *ctx, es_engine *eng, const es_event *ev);
void es_hsi_on_seizure(void *ctx, es_engine *eng, const es_event *ev);
void es_hsi_on_policy(void *ctx, es_engine *eng, const es_event *ev);
void es_hsi_on_proactive(void *ctx, es_engine *eng, const es_event *ev);
void es_hsi_on_support_check(void *ctx, es_engine *eng, const es_event *ev);
void es_hsi_month_end(es_world *w);
void es_hsi_month_start(es_world *w);
void es_hsi_finish(es_world *w); /* after the run, before ratios are folded */
/* prosecution.c */
void es_prosecution_init(es_world *w);
/* Returns 1 when the actor is charged (the prosecutor accepted the case). */
int es_prosecution_refer(es_world *w, int tier, double migrants, int severe, int in_act,
                         uint64_t key);
void es_prosecution_entry(es_world *w, double adults, uint64_t key);
/* ero.c */
es_status es_ero_init(es_world *w);
void es_ero_fini(es_world *w); /* also when es_ero_init failed or never ran */
/* Who an ERO booking concerns: the source and an id unique within it
 * (< 2^61) key its draws, so a booking's outcome does not depend on the
 * order of other bookings (docs/experiments.md, Random streams). */
enum {
    ES_ERO_FROM_BORDER,   /* id: the apprehended party's attempt key (border.c) */
    ES_ERO_FROM_WORKSITE, /* id: the audit's serial in the worksite program's stream */
    ES_ERO_FROM_OVERSTAY, /* id: the overstay item's serial in the ero_support stream */
    ES_ERO_FROM_INTERIOR  /* id: (day, index within the day) of ERO's own interior arrest */
};
void es_ero_book_in(es_world *w, double people, int source, uint64_t id);
void es_ero_on_release(void *ctx, es_engine *eng, const es_event *ev);
void es_ero_on_demand(void *ctx, es_engine *eng, const es_event *ev);
void es_ero_on_arrests_made(void *ctx, es_engine *eng, const es_event *ev);
void es_ero_month_end(es_world *w);

/* Lead sources */
enum { LS_BORDER, LS_STASH, LS_DEATH, LS_EXTORTION, LS_INTEL, LS_PROACTIVE, LS_N };
_Static_assert(LS_N <= 8, "a lead key holds its source in 3 bits");

#endif
