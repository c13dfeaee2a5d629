/* params.h: every parameter of a scenario, and the one registry that
 * describes them.
 *
 * es_params is plain data: the model reads it, nothing else owns it. The
 * registry es_param_table[] lists each parameter once: its dotted config
 * path, type, where it lives in es_params, default, allowed range, unit,
 * source (fact / assumption / calibrated) and meaning. Validation, defaults
 * and `enforcesim params` (and docs/reference/parameters.md) all read that table, so
 * adding a parameter is one entry here plus one field. What depends on a
 * parameter's type (field size, default, range and share checks,
 * reassignment rules, config text, allowed-values text, moving with the
 * horizon) is one row per type in params.c, read through the es_param_*
 * functions below: no other file switches over es_ptype.
 *
 * Units: time in days, money in USD, rates in parties per day. Dates are
 * day numbers (core/date.h). */
#ifndef ES_PARAMS_H
#define ES_PARAMS_H
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define ES_PATH_MAX   480 /* points in a time path: 40 years of months */
#define ES_VEC_MAX    12  /* elements in a fixed vector parameter */
#define ES_STR_MAX    32
/* Shares (ES_P_SHARES) sum to 1 within this, wherever they are checked. */
#define ES_SHARES_TOL 1e-6

/* A step function of time: v[i] holds from day[i] until day[i+1]; before
 * day[0] the value is v[0]. Days strictly increase. */
typedef struct {
    int n;
    int32_t day[ES_PATH_MAX];
    double v[ES_PATH_MAX];
} es_path;

typedef enum {
    ES_P_INT,    /* int, config int literal                              */
    ES_P_INT64,  /* int64_t, config int or int64 (L suffix over 2^31)     */
    ES_P_REAL,   /* double; an int literal is accepted                    */
    ES_P_BOOL,   /* int 0/1, config true/false                            */
    ES_P_CHOICE, /* char[ES_STR_MAX], one of `choices` (NULL-terminated)  */
    ES_P_DATE,   /* int32_t day number, config "YYYY-MM-DD" or "YYYY-MM"  */
    ES_P_VEC,    /* double[count], config array, each in [min, max]       */
    ES_P_SHARES, /* double[count] in [0,1] summing to 1 (ES_SHARES_TOL)   */
    ES_P_PATH,   /* es_path, config list of ("date", value) pairs         */
    ES_P_MOVES   /* es_moves, config list of reassignment groups          */
} es_ptype;

/* HSI program pools and ERO task pools (docs/model.md, HSI: workforce pools; ERO). */
enum {
    ES_PROG_DRUG,
    ES_PROG_FINANCIAL,
    ES_PROG_CHILD,
    ES_PROG_WORKSITE,
    ES_PROG_SMUGGLING,
    ES_PROG_GANGS,
    ES_PROG_IDENTITY,
    ES_PROG_TRAFFICKING,
    ES_PROG_OTHER,
    ES_PROG_ERO_SUPPORT,
    ES_PROG_PROSECUTION_SUPPORT,
    ES_N_PROGRAMS
};
/* Investigative programs, which special operations with "all" draw on:
 * not migrant smuggling itself, not the lending programs, and not worksite
 * enforcement, whose FY2017 output (a calibration target) shows no dip. */
static inline int es_program_detailable(int k)
{
    return k != ES_PROG_SMUGGLING && k != ES_PROG_ERO_SUPPORT && k != ES_PROG_PROSECUTION_SUPPORT &&
           k != ES_PROG_WORKSITE;
}
enum { ES_ERO_INTERIOR, ES_ERO_PROCESSING, ES_ERO_DETENTION, ES_ERO_REMOVAL, ES_N_ERO_TASKS };
enum { ES_N_TIERS = 3 };
enum { ES_LEG_TRANSIT, ES_LEG_CROSSING, ES_LEG_US, ES_N_LEGS };
#define ES_MOVES_MAX 64

/* A reassignment: `agents` (or, when agents < 0, `share` of the source
 * pool's agents at start) move from one program to another on `start` and
 * return on the day after `end` (end < 0: never). */
typedef struct {
    int from, to;
    int agents;
    double share;
    int32_t start, end;
} es_move;

typedef struct {
    int n;
    es_move m[ES_MOVES_MAX];
} es_moves;

extern const char *const es_program_names[];  /* ES_N_PROGRAMS + NULL */
extern const char *const es_ero_task_names[]; /* ES_N_ERO_TASKS + NULL */

typedef enum { ES_SRC_FACT, ES_SRC_ASSUMPTION, ES_SRC_CALIBRATED, ES_SRC_RUN } es_psource;

typedef struct {
    const char *path; /* dotted config path, e.g. "border.intensity" */
    es_ptype type;
    size_t offset; /* offsetof(es_params, field) */
    int count;     /* elements of VEC/SHARES; 0 otherwise */
    double
        def; /* default for scalars, paths (constant), and vectors (every element) unless def_vec */
    const double *def_vec;      /* per-element defaults for VEC/SHARES, or NULL */
    const char *def_str;        /* default for CHOICE and DATE */
    const char *const *choices; /* allowed values for CHOICE */
    const char *const *labels;  /* element names for VEC/SHARES (e.g. origins) */
    double min, max;            /* inclusive bounds for numbers, elements and path values */
    const char *unit;
    es_psource source;
    const char *doc;
} es_param_def;

enum {
    ES_ORIGIN_MEXICO,
    ES_ORIGIN_NTRIANGLE,
    ES_ORIGIN_OTHER_AMERICAS,
    ES_ORIGIN_EXTRA_HEMI,
    ES_N_ORIGINS
};
enum { ES_TYPE_SINGLE, ES_TYPE_FAMILY, ES_TYPE_UAC, ES_N_TYPES };
enum { ES_METHOD_ON_FOOT, ES_METHOD_CONCEALED, ES_METHOD_PORT, ES_METHOD_SURRENDER, ES_N_METHODS };

typedef struct {
    /* run */
    int64_t seed;
    int replications;
    char rng[ES_STR_MAX];
    /* horizon */
    int32_t start_day, end_day, warmup_end_day; /* end inclusive; summaries from warmup_end */
    /* migration (docs/model.md, Arrivals) */
    es_path arrivals;   /* parties per day arriving at the border */
    es_path death_risk; /* multiplier on border.death_prob */
    double origin_share[ES_N_ORIGINS];
    double type_share[ES_N_ORIGINS][ES_N_TYPES];
    double size_single[3], size_family[3], size_uac[3]; /* min, mean, max */
    double large_load_share;                            /* of smuggled concealed parties */
    double large_load_size[3];
    double smuggler_use[ES_N_ORIGINS];
    double fee_median[ES_N_ORIGINS];
    double fee_sigma;
    double method_share[ES_N_TYPES][ES_N_METHODS]; /* smuggled parties */
    double method_share_self[ES_N_METHODS];        /* parties crossing on their own */
    double staging_days;
    int package_deal;
    int max_attempts;
    double reattempt_days;
    double reattempt_prob_smuggled, reattempt_prob_self;
    double stash_days;
    double extortion_prob;
    double adapt_surrender, adapt_entry_ref; /* smuggler adaptation switch */
    /* border (docs/model.md, Border) */
    double apprehension_prob[ES_N_METHODS];
    es_path intensity;
    double death_prob[ES_N_METHODS];
    double release_share[ES_N_TYPES];
    double lead_prob[ES_N_METHODS]; /* lead from an apprehended smuggled party */
    double lead_prob_large;         /* ... when the party is a large group */
    int large_group_size;
    double stash_discovery_prob, extortion_tip_prob;
    double caught_in_act_prob[ES_N_METHODS]; /* guide/driver arrested with the party */
    double group_extra[ES_N_METHODS];        /* other migrants moved by the same guide/driver */
    es_path entry_prosecution_share;         /* apprehended adults referred under 1325 */
    double reactive_prob;                    /* apprehension event calling HSI agents */
    double reactive_hours;
    es_path port_seizures; /* per day, reactive drug work */
    /* smuggling organizations (docs/model.md, Smuggling organizations and tiers) */
    int n_orgs;
    double hierarchical_share;
    double roles_contractor[ES_N_TIERS], roles_hierarchical[ES_N_TIERS];
    double recruit_days[ES_N_TIERS];
    double breakup_prob, entry_days;
    double leg_fee_share[ES_N_LEGS];
    double cartel_tax;
    double capacity_without_tier1, capacity_without_tier2;
    /* the smuggling market (docs/model.md, The smuggling market) */
    double capacity_per_actor_week; /* people a street-level actor takes across a week */
    double transit_capacity_factor, us_capacity_factor; /* other legs, per actor, relative */
    double violent_share[2];                            /* contractor, hierarchical */
    double recruit_pool, recruit_refill_days, recovery_speed;
    double expansion_per_week, expansion_utilisation, max_growth;
    double risk_elasticity, risk_reference, risk_memory_days, own_risk_weight;
    double scarcity_premium, scarcity_from;
    double fee_elasticity[ES_N_ORIGINS];
    double priced_out_home_share, give_up_per_day, alone_death_factor;
    double staging_extortion_per_day;
    /* HSI (docs/model.md, HSI: workforce pools; HSI: leads and smuggling cases) */
    double agents[ES_N_PROGRAMS];
    es_moves reassign;
    es_path special_ops;               /* agents surged into migrant smuggling */
    char special_ops_from[ES_STR_MAX]; /* the program they come from */
    double case_hours_per_day, working_days;
    double demand_rate[ES_N_PROGRAMS]; /* work items per day, non-smuggling streams */
    double item_hours[ES_N_PROGRAMS];
    double item_hours_sigma;
    double shelf_days[ES_N_PROGRAMS];
    es_path worksite_multiplier;
    es_path intel_leads; /* informant, partner, intelligence leads per day */
    double triage_hours, triage_min_score, lead_shelf_days;
    double tier_hours[ES_N_TIERS];
    double arrests_extra[ES_N_TIERS];
    double coop_prob, tier1_success, tier2_success;
    double foreign_coop[ES_N_ORIGINS], corruption[ES_N_ORIGINS];
    double task_force_prob;
    double case_hour_budget;
    char opening_model[ES_STR_MAX]; /* "leads_and_hours" or "hours" */
    double proactive_hours_per_lead;
    double escalation_hours_scale;
    double hsc_hours_per_escalation;
    es_path attache_staff;
    double attache_hours;
    double pull_order[ES_N_PROGRAMS]; /* 0: never pulled; 1 first, 2 next ... */
    double pull_backlog_days, pull_max_share;
    double case_handover; /* share of a leaving agent's cases handed over */
    double migrants_attributed[ES_N_TIERS];
    es_path hsc_staff;
    double hsc_ref_staff, hsc_escalation_effect, hsc_score_effect, hsc_uac_deterrence;
    es_path hsi_budget, transfer_to_ero;
    double cost_per_agent, personnel_share, money_elasticity, ops_money_ref;
    double attrition_per_month; /* agents leaving a month under a hiring freeze */
    /* prosecution (docs/model.md, Prosecution) */
    es_path threshold;
    double prosecutor_accept, conviction_prob[ES_N_TIERS], sentence_months[ES_N_TIERS];
    double sentence_months_death;
    es_path entry_capacity; /* 1325 prosecutions per day courts can take */
    double entry_support_hours, charge_support_hours;
    /* ERO (docs/model.md, ERO) */
    double officers[ES_N_ERO_TASKS];
    double ero_task_hours[ES_N_ERO_TASKS];
    es_path ero_interior_rate; /* ERO's own interior arrests per day */
    double border_detention_share, worksite_arrests;
    double worksite_i9_share, worksite_criminal_arrests;
    double detention_days, detention_days_interior, removal_share;
    es_path ero_budget;
    double bed_cost, detention_budget_share, ero_backlog_days;
} es_params;

extern const es_param_def es_param_table[];
extern const size_t es_param_count;

const es_param_def *es_param_find(const char *path);
/* The entry whose field starts at offset in es_params, or NULL. */
const es_param_def *es_param_at(size_t offset);
/* The registry entry nearest to `path` by edit distance (for "did you mean"). */
const es_param_def *es_param_nearest(const char *path);
void es_params_defaults(es_params *p);
const char *es_psource_name(es_psource s);
const char *es_ptype_name(es_ptype t);

/* ---- the rules of each parameter type ----
 * Every rule that depends on a parameter's type lives in one row per type
 * in params.c (its size, default, checks, text and how it follows the
 * horizon); loaders, writers and the reference read them through these
 * functions. Messages fill msg without location or setting name unless
 * said otherwise. */

/* Bytes of d's field in es_params. */
size_t es_param_size(const es_param_def *d);
/* Elements of a vector or shares parameter (d->count), 0 for other types. */
int es_param_elements(const es_param_def *d);
/* One number in [min, max] (int, int64, real); whole: an int or int64. */
int es_param_scalar(const es_param_def *d);
int es_param_whole(const es_param_def *d);
/* Written in a config as a string (choice, date): --set may leave the
 * quotes out. */
int es_param_quoted(const es_param_def *d);
/* How a value of d's type is written, for the reference's meaning column
 * (" (a number, or ...)"), or "" when the type needs no hint. */
const char *es_param_syntax(const es_param_def *d);

/* A number v for d: finite, inside [min, max] (and, for shares, [0, 1]).
 * `what` starts the message ("" for a scalar, "element 2 (family) = ").
 * 0, or -1 with "<what><v> is out of range [min, max]" in msg. */
int es_param_check_number(const es_param_def *d, const char *what, double v, char *msg, size_t n);
/* An int64 v for d inside [min, max], compared exactly (not as a double);
 * 0, or -1 with "<v> is out of range [min, max]" in msg. */
int es_param_check_int64(const es_param_def *d, int64_t v, char *msg, size_t n);
/* Shares sum to 1 within ES_SHARES_TOL (0 when d is no ES_P_SHARES). */
int es_param_check_sum(const es_param_def *d, const double *v, char *msg, size_t n);
/* The rules of one reassignment alone: two different known programs,
 * agents >= 0 or else a share in (0, 1], end (when set) not before start.
 * 0, or -1 with the reason, naming the field ("'end' ... is before ..."). */
int es_move_check(const es_move *m, char *msg, size_t n);
/* Every parameter's own rules and the cross-field ones (horizon order,
 * dates inside the horizon, reassignments that fit their pools). Returns 0,
 * or -1 with a message naming the offending setting's path in err. */
int es_params_check(const es_params *p, char *err, size_t errlen, const char **bad_path);

/* The value at `field` as config text that es_cfg_load reads back to the
 * same bytes; nested lines indented for `depth` (two spaces a level). */
void es_param_write(FILE *f, const es_param_def *d, const void *field, int depth);
/* Style of the allowed-values text: the reference table's column, or the
 * comment above a setting in the effective config. */
typedef enum { ES_TEXT_TABLE, ES_TEXT_COMMENT } es_ptext;
#define ES_PARAM_TEXT_MAX 640 /* es_param_range_text and es_param_default_text */
void es_param_range_text(const es_param_def *d, es_ptext style, char *buf, size_t n);
void es_param_default_text(const es_param_def *d, char *buf, size_t n);

/* Moves dated values that stand for "from the start" to p's horizon start:
 * paths given as a constant are one point at horizon.start. `constant`
 * holds one flag per registry entry (that entry was given as a constant);
 * NULL: every path (the defaults). */
void es_params_to_horizon(es_params *p, const unsigned char *constant);

/* Value of a path at day t. */
double es_path_at(const es_path *path, int32_t t);

#endif
