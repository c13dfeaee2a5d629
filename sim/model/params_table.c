/* params_table.c: the registry of every scenario parameter (see params.h).
 * Sources: "fact" figures are from configs/calibration/targets.csv (docs/model.md, Calibration);
 * "assumption" are starting defaults a user may change; "calibrated" were
 * fitted to the baseline targets (the fitted values live in
 * configs/baseline.cfg; the defaults here are the pre-fit starting points). */
#include "params.h"
#include <math.h>

#define OFF(f) offsetof(es_params, f)

static const char *const rng_choices[] = {"philox", "mt19937", "ranlxd2", NULL};
static const char *const origins[] = {"mexico", "northern_triangle", "other_americas",
                                      "extra_hemispheric", NULL};
static const char *const methods[] = {"on_foot", "concealed", "port_documents", "surrender", NULL};
static const char *const ptypes[] = {"single_adult", "family", "uac", NULL};
static const char *const size3[] = {"min", "mean", "max", NULL};

static const double d_origin_share[] = {0.52, 0.43, 0.035, 0.015};
static const double d_type_mexico[] = {0.93, 0.05, 0.02};
static const double d_type_ntriangle[] = {0.52, 0.28, 0.20};
static const double d_type_other[] = {0.80, 0.15, 0.05};
static const double d_type_extra[] = {0.90, 0.08, 0.02};
static const double d_size_single[] = {1, 1.3, 3};
static const double d_size_family[] = {2, 2.6, 6};
static const double d_size_uac[] = {1, 1.1, 2};
static const double d_size_large[] = {20, 40, 120};
static const double d_smuggler_use[] = {0.9, 0.9, 0.9, 0.9};
static const double d_fee_median[] = {3000, 7000, 7000, 12000};
static const double d_method_single[] = {0.62, 0.20, 0.08, 0.10};
static const double d_method_family[] = {0.10, 0.05, 0.05, 0.80};
static const double d_method_uac[] = {0.08, 0.02, 0.02, 0.88};
static const double d_method_self[] = {0.75, 0.0, 0.10, 0.15};
static const double d_appr_prob[] = {0.55, 0.45, 0.35, 1.0};
static const double d_death_prob[] = {4e-4, 6e-4, 0.0, 2e-5};
static const double d_release_share[] = {0.05, 0.85, 0.97};
static const char *const tiers[] = {"tier0", "tier1", "tier2", NULL};
static const char *const legs[] = {"transit", "crossing", "us_side", NULL};
static const double d_lead_prob[] = {0.08, 0.15, 0.05, 0.01};
static const double d_in_act[] = {0.15, 0.50, 0.40, 0.0};
static const double d_group_extra[] = {4.0, 3.0, 0.0, 0.0};
static const double d_roles_contractor[] = {10, 2, 1};
static const double d_roles_hier[] = {60, 8, 2};
static const double d_recruit[] = {21, 120, 450};
static const double d_leg_share[] = {0.35, 0.35, 0.30};
static const double d_agents[] = {1550, 960, 640, 90, 450, 500, 350, 300, 900, 60, 200};
static const double d_demand[] = {142, 66, 88, 5.8, 0, 46, 64, 21, 124, 27.6, 0};
static const double d_item_hours[] = {60, 80, 40, 84.2, 0, 60, 30, 80, 40, 12, 3};
static const double d_shelf[] = {90, 120, 60, 60, 30, 90, 60, 90, 60, 30, 30};
static const double d_tier_hours[] = {60, 300, 800};
static const double d_arrests_extra[] = {0.8, 0.3, 0.1};
static const double d_foreign[] = {0.35, 0.25, 0.2, 0.3};
static const double d_corruption[] = {0.5, 0.5, 0.4, 0.3};
static const double d_attributed[] = {6, 40, 200};
static const double d_conviction[] = {0.85, 0.80, 0.75};
static const double d_sentence[] = {18, 60, 120};
static const double d_officers[] = {1500, 1200, 1500, 1300};
static const double d_ero_hours[] = {8, 3, 10, 6};
static const double d_pull_order[] = {0, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0};
static const char *const org_types[] = {"contractor", "hierarchical", NULL};
static const double d_violent[] = {0.2, 0.5};
static const double d_fee_elasticity[] = {0.9, 0.9, 0.9, 0.9};
static const char *const opening_models[] = {"leads_and_hours", "hours", NULL};

/* The program names once, for hsi.agents' labels and the choices of
 * hsi.special_operations_from ("all" or a program; params.c refuses
 * migrant_smuggling itself). */
#define PROGRAM_NAMES                                                                   \
    "drug_smuggling", "financial_crimes", "child_exploitation", "worksite_enforcement", \
        "migrant_smuggling", "gangs", "identity_fraud", "human_trafficking", "other",   \
        "ero_support", "prosecution_support"
const char *const es_program_names[] = {PROGRAM_NAMES, NULL};
static const char *const special_ops_sources[] = {"all", PROGRAM_NAMES, NULL};
_Static_assert(sizeof es_program_names / sizeof es_program_names[0] == ES_N_PROGRAMS + 1,
               "one name per program");
const char *const es_ero_task_names[] = {"interior_arrests", "processing", "detention_management",
                                         "removal_operations", NULL};
#define PROGS ((const char *const *)es_program_names)
#define TASKS ((const char *const *)es_ero_task_names)
#define A     ES_SRC_ASSUMPTION
#define F     ES_SRC_FACT
#define C     ES_SRC_CALIBRATED

const es_param_def es_param_table[] = {
    /* run */
    {"run.seed", ES_P_INT64, OFF(seed), 0, 20190201, NULL, NULL, NULL, NULL, 0, 9.2e18, "1",
     ES_SRC_RUN, "master seed of all random streams; values over 2^31 need the L suffix"},
    {"run.replications", ES_P_INT, OFF(replications), 0, 20, NULL, NULL, NULL, NULL, 1, 1000000,
     "1", ES_SRC_RUN, "replications per scenario (the command line's -r overrides it)"},
    {"run.rng", ES_P_CHOICE, OFF(rng), 0, 0, NULL, "philox", rng_choices, NULL, 0, 0, "",
     ES_SRC_RUN,
     "generator: philox (counter-based, independent streams) or classic GSL mt19937/ranlxd2 (no "
     "independence guarantee)"},
    /* horizon */
    {"horizon.start", ES_P_DATE, OFF(start_day), 0, 0, NULL, "2014-10-01", NULL, NULL, 0, 0, "date",
     ES_SRC_RUN, "first simulated day (the warm-up starts here)"},
    {"horizon.end", ES_P_DATE, OFF(end_day), 0, 0, NULL, "2018-09-30", NULL, NULL, 0, 0, "date",
     ES_SRC_RUN, "last simulated day (inclusive)"},
    {"horizon.warmup_end", ES_P_DATE, OFF(warmup_end_day), 0, 0, NULL, "2015-10-01", NULL, NULL, 0,
     0, "date", ES_SRC_RUN,
     "first day counted in fiscal- and calendar-year summaries; months before it are warm-up"},
    /* migration */
    {"migration.arrivals", ES_P_PATH, OFF(arrivals), 0, 550, NULL, NULL, NULL, NULL, 0, 1e6,
     "party/day", ES_SRC_CALIBRATED,
     "rate of migrant parties arriving at the southwest border, a step path (fitted to Border "
     "Patrol apprehensions)"},
    {"migration.origin_share", ES_P_SHARES, OFF(origin_share), ES_N_ORIGINS, 0, d_origin_share,
     NULL, NULL, origins, 0, 1, "1", ES_SRC_ASSUMPTION,
     "share of arriving parties by origin (fact: about 95% of 2017 border arrests were Mexican or "
     "Central American)"},
    {"migration.type_share.mexico", ES_P_SHARES, OFF(type_share[ES_ORIGIN_MEXICO]), ES_N_TYPES, 0,
     d_type_mexico, NULL, NULL, ptypes, 0, 1, "1", ES_SRC_CALIBRATED,
     "party types of Mexican parties: single adults, family units, unaccompanied children"},
    {"migration.type_share.northern_triangle", ES_P_SHARES, OFF(type_share[ES_ORIGIN_NTRIANGLE]),
     ES_N_TYPES, 0, d_type_ntriangle, NULL, NULL, ptypes, 0, 1, "1", ES_SRC_CALIBRATED,
     "party types of Guatemalan, Honduran and Salvadoran parties"},
    {"migration.type_share.other_americas", ES_P_SHARES, OFF(type_share[ES_ORIGIN_OTHER_AMERICAS]),
     ES_N_TYPES, 0, d_type_other, NULL, NULL, ptypes, 0, 1, "1", ES_SRC_ASSUMPTION,
     "party types of parties from the rest of the Americas"},
    {"migration.type_share.extra_hemispheric", ES_P_SHARES, OFF(type_share[ES_ORIGIN_EXTRA_HEMI]),
     ES_N_TYPES, 0, d_type_extra, NULL, NULL, ptypes, 0, 1, "1", ES_SRC_ASSUMPTION,
     "party types of extra-hemispheric (special-interest) parties"},
    {"migration.party_size.single_adult", ES_P_VEC, OFF(size_single), 3, 0, d_size_single, NULL,
     NULL, size3, 1, 200, "person", ES_SRC_ASSUMPTION,
     "size of single-adult parties: min, mean, max (min + truncated Poisson)"},
    {"migration.party_size.family", ES_P_VEC, OFF(size_family), 3, 0, d_size_family, NULL, NULL,
     size3, 1, 200, "person", ES_SRC_ASSUMPTION, "size of family units: min, mean, max"},
    {"migration.party_size.uac", ES_P_VEC, OFF(size_uac), 3, 0, d_size_uac, NULL, NULL, size3, 1,
     200, "person", ES_SRC_ASSUMPTION, "size of unaccompanied-children parties: min, mean, max"},
    {"migration.large_load_share", ES_P_REAL, OFF(large_load_share), 0, 0.01, NULL, NULL, NULL,
     NULL, 0, 1, "1", ES_SRC_ASSUMPTION,
     "share of smuggled single-adult concealed crossings that are tractor-trailer loads"},
    {"migration.party_size.large_load", ES_P_VEC, OFF(large_load_size), 3, 0, d_size_large, NULL,
     NULL, size3, 1, 500, "person", ES_SRC_ASSUMPTION,
     "size of tractor-trailer loads: min, mean, max"},
    {"migration.smuggler_use", ES_P_VEC, OFF(smuggler_use), ES_N_ORIGINS, 0, d_smuggler_use, NULL,
     NULL, origins, 0, 1, "1", ES_SRC_FACT,
     "share of parties hiring smugglers, by origin (fact: 80-95%)"},
    {"migration.fee_median", ES_P_VEC, OFF(fee_median), ES_N_ORIGINS, 0, d_fee_median, NULL, NULL,
     origins, 0, 1e6, "USD", ES_SRC_ASSUMPTION,
     "median smuggling fee per person, by origin (lognormal)"},
    {"migration.fee_sigma", ES_P_REAL, OFF(fee_sigma), 0, 0.3, NULL, NULL, NULL, NULL, 0, 3, "1",
     ES_SRC_ASSUMPTION,
     "log-scale standard deviation of fees (0.3 puts the Central American 95th percentile near "
     "$11,400)"},
    {"migration.method_share.single_adult", ES_P_SHARES, OFF(method_share[ES_TYPE_SINGLE]),
     ES_N_METHODS, 0, d_method_single, NULL, NULL, methods, 0, 1, "1", ES_SRC_ASSUMPTION,
     "crossing methods of smuggled single adults"},
    {"migration.method_share.family", ES_P_SHARES, OFF(method_share[ES_TYPE_FAMILY]), ES_N_METHODS,
     0, d_method_family, NULL, NULL, methods, 0, 1, "1", ES_SRC_ASSUMPTION,
     "crossing methods of smuggled family units (mostly coached to surrender)"},
    {"migration.method_share.uac", ES_P_SHARES, OFF(method_share[ES_TYPE_UAC]), ES_N_METHODS, 0,
     d_method_uac, NULL, NULL, methods, 0, 1, "1", ES_SRC_ASSUMPTION,
     "crossing methods of smuggled unaccompanied children"},
    {"migration.method_share.self", ES_P_SHARES, OFF(method_share_self), ES_N_METHODS, 0,
     d_method_self, NULL, NULL, methods, 0, 1, "1", ES_SRC_ASSUMPTION,
     "crossing methods of parties crossing without a smuggler"},
    {"migration.staging_days", ES_P_REAL, OFF(staging_days), 0, 2.0, NULL, NULL, NULL, NULL, 0, 365,
     "d", ES_SRC_ASSUMPTION,
     "mean wait between arrival at the border and the first attempt (exponential)"},
    {"migration.package_deal", ES_P_BOOL, OFF(package_deal), 0, 1, NULL, NULL, NULL, NULL, 0, 1, "",
     ES_SRC_ASSUMPTION,
     "smuggled parties that are apprehended and returned may re-attempt at no new fee"},
    {"migration.max_attempts", ES_P_INT, OFF(max_attempts), 0, 3, NULL, NULL, NULL, NULL, 1, 20,
     "attempt", ES_SRC_ASSUMPTION, "attempts included in a package deal (K)"},
    {"migration.reattempt_days", ES_P_REAL, OFF(reattempt_days), 0, 7.0, NULL, NULL, NULL, NULL, 0,
     365, "d", ES_SRC_ASSUMPTION, "mean time from return to the next attempt (exponential)"},
    {"migration.reattempt_prob.smuggled", ES_P_REAL, OFF(reattempt_prob_smuggled), 0, 0.7, NULL,
     NULL, NULL, NULL, 0, 1, "1", ES_SRC_ASSUMPTION,
     "probability that a returned smuggled party uses its next included attempt"},
    {"migration.reattempt_prob.self", ES_P_REAL, OFF(reattempt_prob_self), 0, 0.4, NULL, NULL, NULL,
     NULL, 0, 1, "1", ES_SRC_ASSUMPTION,
     "probability that a returned party without smuggler tries again (up to max_attempts)"},
    {"migration.stash_days", ES_P_REAL, OFF(stash_days), 0, 5.0, NULL, NULL, NULL, NULL, 0, 365,
     "d", ES_SRC_ASSUMPTION,
     "mean stay of a smuggled party in a stash house after crossing (exponential)"},
    {"migration.extortion_prob", ES_P_REAL, OFF(extortion_prob), 0, 0.03, NULL, NULL, NULL, NULL, 0,
     1, "1", ES_SRC_ASSUMPTION,
     "probability that a stash-house stay turns into extortion or hostage-taking (assumed range "
     "2-5%)"},
    {"migration.adaptation.surrender_elasticity", ES_P_REAL, OFF(adapt_surrender), 0, 0.0, NULL,
     NULL, NULL, NULL, 0, 10, "1", A,
     "smuggler adaptation switch (0 = off): the surrender share of smuggled parties scales by 1 + "
     "e x (entry share / reference - 1) as entry prosecution rises"},
    {"migration.adaptation.reference_entry_share", ES_P_REAL, OFF(adapt_entry_ref), 0, 0.12, NULL,
     NULL, NULL, NULL, 1e-6, 1, "1", A,
     "entry-prosecution share at which smugglers coach surrender at the configured method shares"},
    /* border */
    {"border.apprehension_prob", ES_P_VEC, OFF(apprehension_prob), ES_N_METHODS, 0, d_appr_prob,
     NULL, NULL, methods, 0, 1, "1", ES_SRC_ASSUMPTION,
     "probability that an attempt is stopped, by method, at intensity 1 (port_documents: stopped "
     "by port officers)"},
    {"border.intensity", ES_P_PATH, OFF(intensity), 0, 1.0, NULL, NULL, NULL, NULL, 0, 10, "1",
     ES_SRC_ASSUMPTION,
     "enforcement intensity path; multiplies the odds of apprehension of non-surrender attempts"},
    {"border.death_prob", ES_P_VEC, OFF(death_prob), ES_N_METHODS, 0, d_death_prob, NULL, NULL,
     methods, 0, 1, "1", ES_SRC_ASSUMPTION,
     "probability of death per attempt, by method (heat, asphyxiation, drowning)"},
    {"border.death_risk", ES_P_PATH, OFF(death_risk), 0, 1.0, NULL, NULL, NULL, NULL, 0, 1000, "1",
     C,
     "multiplier on border.death_prob, a path by fiscal year: deaths per crossing rose in FY2017 "
     "(remote routes, heat) by more than the model's method mix explains, and no mechanism here "
     "carries it; fitted to Border Patrol recorded deaths FY2016 and FY2017"},
    {"border.release_share", ES_P_VEC, OFF(release_share), ES_N_TYPES, 0, d_release_share, NULL,
     NULL, ptypes, 0, 1, "1", ES_SRC_ASSUMPTION,
     "share of apprehended people released to await court, by party type (the rest are returned)"},
    /* border: leads, caught in the act, entry prosecutions, reactive work */
    {"border.lead_prob", ES_P_VEC, OFF(lead_prob), ES_N_METHODS, 0, d_lead_prob, NULL, NULL,
     methods, 0, 1, "1", A,
     "probability that an apprehended smuggled party yields a lead on its crossing crew (assumed "
     "range "
     "5-15%; surrender hides the smugglers)"},
    {"border.lead_prob_large", ES_P_REAL, OFF(lead_prob_large), 0, 0.6, NULL, NULL, NULL, NULL, 0,
     1, "1", A, "lead probability for a large group (size >= border.large_group_size)"},
    {"border.large_group_size", ES_P_INT, OFF(large_group_size), 0, 10, NULL, NULL, NULL, NULL, 2,
     1000, "person", A,
     "party size from which a group counts as large (more leads, more reactive work)"},
    {"border.stash_discovery_prob", ES_P_REAL, OFF(stash_discovery_prob), 0, 0.01, NULL, NULL, NULL,
     NULL, 0, 1, "1", A,
     "probability that a stash-house stay is discovered (always a high-priority lead)"},
    {"border.extortion_tip_prob", ES_P_REAL, OFF(extortion_tip_prob), 0, 0.3, NULL, NULL, NULL,
     NULL, 0, 1, "1", A, "probability that relatives report an extortion event to law enforcement"},
    {"border.caught_in_act_prob", ES_P_VEC, OFF(caught_in_act_prob), ES_N_METHODS, 0, d_in_act,
     NULL, NULL, methods, 0, 1, "1", A,
     "probability that the guide or driver is arrested with an apprehended party, by method"},
    {"border.group_extra_migrants", ES_P_VEC, OFF(group_extra), ES_N_METHODS, 0, d_group_extra,
     NULL, NULL, methods, 0, 1000, "person", A,
     "mean other migrants (Poisson) moved by the same guide or driver as an apprehended party; "
     "they count towards the 1324 threshold"},
    {"border.entry_prosecution_share", ES_P_PATH, OFF(entry_prosecution_share), 0, 0.1, NULL, NULL,
     NULL, NULL, 0, 1, "1", C,
     "share of apprehended adults referred for illegal-entry (1325) prosecution, a policy path"},
    {"border.reactive_prob", ES_P_REAL, OFF(reactive_prob), 0, 0.03, NULL, NULL, NULL, NULL, 0, 1,
     "1", A,
     "probability that an apprehended smuggled party calls HSI agents to the border (x3 for large "
     "groups)"},
    {"border.reactive_hours", ES_P_REAL, OFF(reactive_hours), 0, 6, NULL, NULL, NULL, NULL, 0, 1000,
     "agent_hour", A, "agent hours of one reactive call-out (pre-empts investigation time)"},
    {"border.port_seizures", ES_P_PATH, OFF(port_seizures), 0, 20, NULL, NULL, NULL, NULL, 0, 1e5,
     "1/d", A, "seizures of drugs, guns or money at ports per day that call drug-smuggling agents"},
    /* smuggling organizations */
    {"networks.organizations", ES_P_INT, OFF(n_orgs), 0, 1500, NULL, NULL, NULL, NULL, 1, 60000,
     "organization", A, "organization slots in the smuggling market"},
    {"networks.hierarchical_share", ES_P_REAL, OFF(hierarchical_share), 0, 0.15, NULL, NULL, NULL,
     NULL, 0, 1, "1", A,
     "share of large hierarchical organizations serving whole journeys (the rest are contractors "
     "serving one leg)"},
    {"networks.roles.contractor", ES_P_VEC, OFF(roles_contractor), ES_N_TIERS, 0,
     d_roles_contractor, NULL, NULL, tiers, 0, 1000, "actor", A,
     "roles per tier of a contractor organization"},
    {"networks.roles.hierarchical", ES_P_VEC, OFF(roles_hierarchical), ES_N_TIERS, 0, d_roles_hier,
     NULL, NULL, tiers, 0, 1000, "actor", A, "roles per tier of a hierarchical organization"},
    {"networks.recruit_days", ES_P_VEC, OFF(recruit_days), ES_N_TIERS, 0, d_recruit, NULL, NULL,
     tiers, 0.01, 1e4, "d", A,
     "mean delay to fill a role emptied by arrest (days to weeks, months, a year or more)"},
    {"networks.breakup_prob", ES_P_REAL, OFF(breakup_prob), 0, 0.5, NULL, NULL, NULL, NULL, 0, 1,
     "1", A, "probability that an organization breaks up when it loses its last leader"},
    {"networks.entry_days", ES_P_REAL, OFF(entry_days), 0, 180, NULL, NULL, NULL, NULL, 0.01, 1e4,
     "d", A, "mean time until a new group takes a broken-up organization's slot"},
    {"networks.leg_fee_share", ES_P_SHARES, OFF(leg_fee_share), ES_N_LEGS, 0, d_leg_share, NULL,
     NULL, legs, 0, 1, "1", A,
     "share of the fee paid on each leg (fact: a border-segment crew takes about $2,500 a head)"},
    {"networks.cartel_tax", ES_P_REAL, OFF(cartel_tax), 0, 0.15, NULL, NULL, NULL, NULL, 0, 1, "1",
     A, "share of the crossing-leg fee taken by the cartel controlling the corridor"},
    {"networks.capacity_without_tier1", ES_P_REAL, OFF(capacity_without_tier1), 0, 0.6, NULL, NULL,
     NULL, NULL, 0, 1, "1", A, "capacity kept by an organization with no active coordinator"},
    {"networks.capacity_without_tier2", ES_P_REAL, OFF(capacity_without_tier2), 0, 0.8, NULL, NULL,
     NULL, NULL, 0, 1, "1", A, "capacity kept by an organization with no active leader"},
    {"networks.capacity_per_actor_week", ES_P_REAL, OFF(capacity_per_actor_week), 0, 0.85, NULL,
     NULL, NULL, NULL, 0.01, 1e4, "person", A,
     "people an active street-level actor of a crossing crew takes across the border in a week, "
     "before the coordinator and leader factors; an organization's weekly crossing capacity binds "
     "(docs/model.md, The smuggling market)"},
    {"networks.transit_capacity_factor", ES_P_REAL, OFF(transit_capacity_factor), 0, 0.73, NULL,
     NULL, NULL, NULL, 0.001, 1e4, "1", A,
     "people an active street-level actor of a transit organization moves to the border towns in "
     "a week, as a multiple of networks.capacity_per_actor_week (sized so the transit leg is as "
     "full as the crossing in FY2016)"},
    {"networks.us_capacity_factor", ES_P_REAL, OFF(us_capacity_factor), 0, 0.33, NULL, NULL, NULL,
     NULL, 0.001, 1e4, "1", A,
     "people an active street-level actor of a U.S.-side crew moves from stash houses to their "
     "destination in a week, as a multiple of networks.capacity_per_actor_week (sized so the "
     "U.S.-side leg is as full as the crossing in FY2016)"},
    {"networks.violent_share", ES_P_VEC, OFF(violent_share), 2, 0, d_violent, NULL, NULL, org_types,
     0, 1, "1", A,
     "share of organizations, by type, that extort or hold hostage the people waiting for them"},
    {"networks.recruit_pool", ES_P_REAL, OFF(recruit_pool), 0, 60000, NULL, NULL, NULL, NULL, 1,
     1e7, "person", A,
     "people willing to take a smuggling role when full; each role filled draws one, and a pool "
     "at share s stretches recruitment delays by 1 / s"},
    {"networks.recruit_pool_refill_days", ES_P_REAL, OFF(recruit_refill_days), 0, 180, NULL, NULL,
     NULL, NULL, 1, 1e5, "d", A, "time constant of the recruit pool's return towards full"},
    {"networks.recovery_speed", ES_P_REAL, OFF(recovery_speed), 0, 1.0, NULL, NULL, NULL, NULL,
     0.01, 100, "1", A,
     "how fast networks recover from disruption: divides recruitment delays and new groups' entry "
     "time, multiplies expansion (criminal networks recover fast; vary it, docs/model.md)"},
    {"networks.expansion_per_week", ES_P_REAL, OFF(expansion_per_week), 0, 0.25, NULL, NULL, NULL,
     NULL, 0, 100, "actor", A,
     "street-level roles a crossing crew adds a week while its capacity is nearly all used (times "
     "recovery_speed and the recruit pool's share)"},
    {"networks.expansion_utilisation", ES_P_REAL, OFF(expansion_utilisation), 0, 0.9, NULL, NULL,
     NULL, NULL, 0.01, 1, "1", A,
     "weekly utilisation of an organization's crossing capacity above which it expands (below "
     "half of it, roles added earlier are shed)"},
    {"networks.max_growth", ES_P_REAL, OFF(max_growth), 0, 2.0, NULL, NULL, NULL, NULL, 1, 100, "1",
     A, "largest multiple of its starting street-level roles an organization grows to"},
    /* the smuggling market: prices and demand */
    {"market.risk_elasticity", ES_P_REAL, OFF(risk_elasticity), 0, 0.4, NULL, NULL, NULL, NULL, 0,
     10, "1", C,
     "elasticity of an organization's fee with respect to the enforcement risk its actors bear "
     "(risks-and-prices)"},
    {"market.risk_reference", ES_P_REAL, OFF(risk_reference), 0, 1.39, NULL, NULL, NULL, NULL, 1e-6,
     1e6, "prison_month", C,
     "expected prison-months (from arrests) per client moved at which fees carry no risk premium "
     "beyond the base "
     "fee (migration.fee_median)"},
    {"market.risk_memory_days", ES_P_REAL, OFF(risk_memory_days), 0, 90, NULL, NULL, NULL, NULL, 1,
     1e4, "d", A, "time constant over which smugglers perceive the arrest hazard"},
    {"market.own_risk_weight", ES_P_REAL, OFF(own_risk_weight), 0, 0.3, NULL, NULL, NULL, NULL, 0,
     1, "1", A,
     "weight of an organization's own arrests in the risk it prices (the rest: the whole "
     "market's)"},
    {"market.scarcity_premium", ES_P_REAL, OFF(scarcity_premium), 0, 0.3, NULL, NULL, NULL, NULL, 0,
     100, "1", A,
     "fee premium when crossing capacity is fully used (linear from market.scarcity_from)"},
    {"market.scarcity_from", ES_P_REAL, OFF(scarcity_from), 0, 0.8, NULL, NULL, NULL, NULL, 0, 0.99,
     "1", A, "utilisation of crossing capacity from which fees carry a scarcity premium"},
    {"market.fee_elasticity", ES_P_VEC, OFF(fee_elasticity), ES_N_ORIGINS, 0, d_fee_elasticity,
     NULL, NULL, origins, 0, 20, "1", C,
     "elasticity of smuggler use with respect to the market fee index, by origin: the share hiring "
     "a smuggler is migration.smuggler_use x index^-e (at most 1)"},
    {"market.priced_out_home_share", ES_P_REAL, OFF(priced_out_home_share), 0, 0.6, NULL, NULL,
     NULL, NULL, 0, 1, "1", A,
     "of those priced out of a smuggler or giving up on waiting, the share who do not cross (the "
     "rest cross alone on remote routes)"},
    {"market.give_up_per_day", ES_P_REAL, OFF(give_up_per_day), 0, 0.03, NULL, NULL, NULL, NULL, 0,
     10, "1/d", A, "daily hazard that a party waiting for crossing capacity gives up"},
    {"market.alone_death_factor", ES_P_REAL, OFF(alone_death_factor), 0, 3.0, NULL, NULL, NULL,
     NULL, 0, 1000, "1", A,
     "death risk, relative to border.death_prob, of those crossing alone on remote routes after "
     "being priced out or giving up"},
    {"market.staging_extortion_per_day", ES_P_REAL, OFF(staging_extortion_per_day), 0, 0.004, NULL,
     NULL, NULL, NULL, 0, 10, "1/d", A,
     "daily hazard that a party waiting for a violent organization's crossing capacity is extorted "
     "or held hostage"},
    /* HSI */
    {"hsi.agents", ES_P_VEC, OFF(agents), ES_N_PROGRAMS, 0, d_agents, NULL, NULL, PROGS, 0, 1e5,
     "agent", A, "initial allocation of special agents to programs (fact: more than 6,000 agents)"},
    {"hsi.case_hours_per_agent_day", ES_P_REAL, OFF(case_hours_per_day), 0, 7, NULL, NULL, NULL,
     NULL, 0, 24, "h", A, "case hours an agent gives per working day"},
    {"hsi.working_days", ES_P_REAL, OFF(working_days), 0, 230, NULL, NULL, NULL, NULL, 0, 366, "d",
     A, "working days per agent-year"},
    {"hsi.demand_rate", ES_P_VEC, OFF(demand_rate), ES_N_PROGRAMS, 0, d_demand, NULL, NULL, PROGS,
     0, 1e6, "1/d", A,
     "work items arriving per day in each non-smuggling program (set about 25% above the baseline "
     "capacity)"},
    {"hsi.item_hours", ES_P_VEC, OFF(item_hours), ES_N_PROGRAMS, 0, d_item_hours, NULL, NULL, PROGS,
     0, 1e5, "agent_hour", A,
     "mean hours of a work item per program (prosecution_support has no stream of its own: its "
     "work comes from prosecutions, prosecution.entry_support_hours and charge_support_hours)"},
    {"hsi.item_hours_sigma", ES_P_REAL, OFF(item_hours_sigma), 0, 0.6, NULL, NULL, NULL, NULL, 0, 3,
     "1", A, "log-scale spread of work-item hours (lognormal)"},
    {"hsi.shelf_days", ES_P_VEC, OFF(shelf_days), ES_N_PROGRAMS, 0, d_shelf, NULL, NULL, PROGS,
     0.01, 1e4, "d", A,
     "days a work item may wait before it is dropped (migrant_smuggling uses "
     "hsi.triage.shelf_days)"},
    {"hsi.worksite_multiplier", ES_P_PATH, OFF(worksite_multiplier), 0, 1, NULL, NULL, NULL, NULL,
     0, 100, "1", A,
     "multiplier on worksite-audit demand (fact: audits ordered up four to fivefold in fall 2017)"},
    {"hsi.intel_leads", ES_P_PATH, OFF(intel_leads), 0, 2, NULL, NULL, NULL, NULL, 0, 1e4, "lead/d",
     C,
     "smuggling leads per day from informants, foreign partners, intelligence and special "
     "operations"},
    {"hsi.triage.hours", ES_P_REAL, OFF(triage_hours), 0, 6, NULL, NULL, NULL, NULL, 0, 1000,
     "agent_hour", A, "hours to screen a lead"},
    {"hsi.triage.min_score", ES_P_REAL, OFF(triage_min_score), 0, 1.5, NULL, NULL, NULL, NULL, 0,
     100, "1", A,
     "minimum lead score to open a case (scores: death 4, extortion 3.5, stash house 3, "
     "intelligence 1.5, border 1; +1 large group or special-interest; + U(0,1) + Human Smuggling "
     "Cell bonus)"},
    {"hsi.triage.shelf_days", ES_P_REAL, OFF(lead_shelf_days), 0, 30, NULL, NULL, NULL, NULL, 0.01,
     1e4, "d", A, "days a lead may wait for screening before it goes cold and is dropped"},
    {"hsi.case.tier_hours", ES_P_VEC, OFF(tier_hours), ES_N_TIERS, 0, d_tier_hours, NULL, NULL,
     tiers, 0, 1e5, "agent_hour", A,
     "mean hours of the tier-0, tier-1 and tier-2 stages of a smuggling case"},
    {"hsi.case.arrests_extra", ES_P_VEC, OFF(arrests_extra), ES_N_TIERS, 0, d_arrests_extra, NULL,
     NULL, tiers, 0, 100, "person", A,
     "arrests per successful stage beyond the first (Poisson mean)"},
    {"hsi.case.cooperation_prob", ES_P_REAL, OFF(coop_prob), 0, 0.3, NULL, NULL, NULL, NULL, 0, 1,
     "1", A, "probability that an arrested street-level actor cooperates and points to tier 1"},
    {"hsi.case.tier1_success", ES_P_REAL, OFF(tier1_success), 0, 0.6, NULL, NULL, NULL, NULL, 0, 1,
     "1", A, "probability that tier-1 work ends in arrests"},
    {"hsi.case.tier2_success", ES_P_REAL, OFF(tier2_success), 0, 0.4, NULL, NULL, NULL, NULL, 0, 1,
     "1", A, "probability that tier-2 work ends in arrests"},
    {"hsi.case.foreign_cooperation", ES_P_VEC, OFF(foreign_coop), ES_N_ORIGINS, 0, d_foreign, NULL,
     NULL, origins, 0, 1, "1", A,
     "effectiveness of foreign partners (attaches, vetted units) by region, a policy level"},
    {"hsi.case.corruption", ES_P_VEC, OFF(corruption), ES_N_ORIGINS, 0, d_corruption, NULL, NULL,
     origins, 0, 1, "1", A, "share of foreign cooperation lost to corruption by region"},
    {"hsi.case.task_force_prob", ES_P_REAL, OFF(task_force_prob), 0, 0.5, NULL, NULL, NULL, NULL, 0,
     1, "1", A,
     "probability of reaching tier 2 of an extra-hemispheric network with the extraterritorial "
     "task force"},
    {"hsi.case.hour_budget", ES_P_REAL, OFF(case_hour_budget), 0, 5000, NULL, NULL, NULL, NULL, 0,
     1e6, "agent_hour", A,
     "hours after which a case is closed for lack of progress, a policy level; it may not be "
     "below the sum of hsi.case.tier_hours (a mean tier-2 case would be cut short)"},
    {"hsi.opening_model", ES_P_CHOICE, OFF(opening_model), 0, 0, NULL, "leads_and_hours",
     opening_models, NULL, 0, 0, "", A,
     "how smuggling cases are opened: leads_and_hours (leads from the border, stash houses, "
     "deaths, extortion and intelligence are screened first; agents with no lead to work develop "
     "their own at hsi.proactive.hours_per_lead, so openings are limited by leads and by hours) "
     "or hours (the older structure: no proactive leads; openings limited by screened leads "
     "and hours only)"},
    {"hsi.proactive.hours_per_lead", ES_P_REAL, OFF(proactive_hours_per_lead), 0, 600, NULL, NULL,
     NULL, NULL, 1, 1e6, "agent_hour", C,
     "agent hours of proactive work (informant development, record checks, surveillance) that "
     "yield one lead worth opening, under leads_and_hours; fitted to new smuggling cases FY2016"},
    {"hsi.case.escalation_hours_scale", ES_P_REAL, OFF(escalation_hours_scale), 0, 300, NULL, NULL,
     NULL, NULL, 1, 1e6, "agent_hour", A,
     "escalation probabilities rise with the hours invested in a case as 1 - exp(-hours/scale), "
     "relative to a case with the mean hours of its tiers so far (where they are as set)"},
    {"hsi.smuggling_cell.hours_per_escalation", ES_P_REAL, OFF(hsc_hours_per_escalation), 0, 80,
     NULL, NULL, NULL, NULL, 0, 1e5, "analyst_hour", A,
     "Human Smuggling Cell analyst hours an escalation attempt draws (phone, financial and "
     "intelligence work); when the month's cell hours are spent, the attempt goes without and its "
     "probability is divided by 1 + hsi.smuggling_cell.escalation_effect"},
    {"hsi.attache_staff", ES_P_PATH, OFF(attache_staff), 0, 20, NULL, NULL, NULL, NULL, 0, 1e4,
     "person", A,
     "HSI attaches and vetted-unit liaisons abroad who work tier-2 referrals with foreign "
     "partners"},
    {"hsi.case.attache_hours", ES_P_REAL, OFF(attache_hours), 0, 40, NULL, NULL, NULL, NULL, 0, 1e5,
     "agent_hour", A,
     "attache hours a tier-2 attempt through a foreign partner draws; with none left that month "
     "the partner is not engaged and only the extraterritorial task force can reach tier 2"},
    {"hsi.prosecution_support.pull_order", ES_P_VEC, OFF(pull_order), ES_N_PROGRAMS, 0,
     d_pull_order, NULL, NULL, PROGS, 0, 100, "1", A,
     "order in which programs lend agents to prosecution_support when its backlog exceeds what "
     "its own agents can clear (1 first, then 2, ...; 0 never): migrant smuggling first, as "
     "officials described in FY2018"},
    {"hsi.prosecution_support.pull_backlog_days", ES_P_REAL, OFF(pull_backlog_days), 0, 14, NULL,
     NULL, NULL, NULL, 1, 365, "d", A,
     "agents are pulled (weekly) when the prosecution-support backlog exceeds this many days of "
     "its staff's hours, and returned when it falls below"},
    {"hsi.prosecution_support.pull_max_share", ES_P_REAL, OFF(pull_max_share), 0, 0.5, NULL, NULL,
     NULL, NULL, 0, 1, "1", A, "largest share of a program's agents that may be pulled"},
    {"hsi.case.handover_share", ES_P_REAL, OFF(case_handover), 0, 0.5, NULL, NULL, NULL, NULL, 0, 1,
     "1", A,
     "share of the open cases of agents who leave the program (reassignment, end of a surge, "
     "budget cut) handed over to the agents who stay; the rest are closed"},
    {"hsi.case.migrants_attributed", ES_P_VEC, OFF(migrants_attributed), ES_N_TIERS, 0,
     d_attributed, NULL, NULL, tiers, 0, 1e5, "person", A,
     "mean migrants attributed to an actor arrested in an HSI case (Poisson), compared with the "
     "1324 threshold"},
    {"hsi.smuggling_cell_staff", ES_P_PATH, OFF(hsc_staff), 0, 50, NULL, NULL, NULL, NULL, 0, 1e4,
     "person", F,
     "Human Smuggling Cell staff path (fact: about 50 at its peak, about half by 2018)"},
    {"hsi.smuggling_cell.reference_staff", ES_P_REAL, OFF(hsc_ref_staff), 0, 50, NULL, NULL, NULL,
     NULL, 1, 1e4, "person", A, "staff level at which the cell's effects are as calibrated"},
    {"hsi.smuggling_cell.escalation_effect", ES_P_REAL, OFF(hsc_escalation_effect), 0, 0.6, NULL,
     NULL, NULL, NULL, 0, 10, "1", A,
     "an escalation attempt that finds no cell analyst hours left in the month "
     "(hsi.smuggling_cell.hours_per_escalation) has its probability divided by 1 + effect"},
    {"hsi.smuggling_cell.score_effect", ES_P_REAL, OFF(hsc_score_effect), 0, 0.3, NULL, NULL, NULL,
     NULL, 0, 10, "1", A, "lead-score bonus per reference staff level (better lead quality)"},
    {"hsi.smuggling_cell.uac_deterrence", ES_P_REAL, OFF(hsc_uac_deterrence), 0, 0.0, NULL, NULL,
     NULL, NULL, 0, 1, "1", A,
     "share of children's journeys not attempted per reference staff level, as funders are "
     "identified (off by default)"},
    {"hsi.budget", ES_P_PATH, OFF(hsi_budget), 0, 2.1e9, NULL, NULL, NULL, NULL, 0, 1e12, "USD/yr",
     F, "HSI budget path (fact: $2.1 billion in FY2018, $1.864 billion in FY2019)"},
    {"hsi.transfer_to_ero", ES_P_PATH, OFF(transfer_to_ero), 0, 0, NULL, NULL, NULL, NULL, 0, 1e12,
     "USD/yr", F,
     "money moved from HSI to ERO (fact: $40 million in FY2017, $25 million in FY2018)"},
    {"hsi.cost_per_agent", ES_P_REAL, OFF(cost_per_agent), 0, 250000, NULL, NULL, NULL, NULL, 0,
     1e8, "USD/yr", A, "loaded yearly cost of an agent"},
    {"hsi.personnel_share", ES_P_REAL, OFF(personnel_share), 0, 0.72, NULL, NULL, NULL, NULL, 0, 1,
     "1", A,
     "share of the net budget that can pay agents; allocations above it are cut pro rata, "
     "through attrition (hsi.attrition_per_month)"},
    {"hsi.attrition_per_month", ES_P_REAL, OFF(attrition_per_month), 0, 0.0075, NULL, NULL, NULL,
     NULL, 0, 1, "1", A,
     "share of agents who leave each month while the budget funds fewer than are on board: cuts "
     "come through attrition under a hiring freeze, not in one day (about 9% a year, federal "
     "law-enforcement turnover); agents are hired back at once when the budget allows"},
    {"hsi.money_elasticity", ES_P_REAL, OFF(money_elasticity), 0, 0.5, NULL, NULL, NULL, NULL, 0, 5,
     "1", A, "elasticity of escalation probabilities to informant and travel money"},
    {"hsi.ops_money_reference", ES_P_REAL, OFF(ops_money_ref), 0, 6e8, NULL, NULL, NULL, NULL, 0,
     1e12, "USD/yr", A,
     "informant, travel and operations money at which escalation is as calibrated"},
    /* prosecution */
    {"prosecution.threshold", ES_P_PATH, OFF(threshold), 0, 5, NULL, NULL, NULL, NULL, 0, 1000,
     "person", F,
     "migrants attributed to an actor needed for a 1324 charge (fact: 5 or 10 by district; 3 from "
     "April 2017)"},
    {"prosecution.accept_prob", ES_P_REAL, OFF(prosecutor_accept), 0, 0.5, NULL, NULL, NULL, NULL,
     0, 1, "1", C, "probability that prosecutors take a 1324 referral that meets the threshold"},
    {"prosecution.conviction_prob", ES_P_VEC, OFF(conviction_prob), ES_N_TIERS, 0, d_conviction,
     NULL, NULL, tiers, 0, 1, "1", A, "conviction probability of a charged actor by tier"},
    {"prosecution.sentence_months", ES_P_VEC, OFF(sentence_months), ES_N_TIERS, 0, d_sentence, NULL,
     NULL, tiers, 0, 1200, "month", A, "median sentence by tier (lognormal, log-sd 0.5)"},
    {"prosecution.sentence_months_death", ES_P_REAL, OFF(sentence_months_death), 0, 300, NULL, NULL,
     NULL, NULL, 0, 1200, "month", A,
     "median sentence when the case involved deaths or hostage-taking (up to life)"},
    {"prosecution.entry_support_hours", ES_P_REAL, OFF(entry_support_hours), 0, 6, NULL, NULL, NULL,
     NULL, 0, 1000, "agent_hour", A,
     "HSI prosecution-support hours per 1325 prosecution (booking, record checks, the criminal "
     "complaint and court appearances)"},
    {"prosecution.charge_support_hours", ES_P_REAL, OFF(charge_support_hours), 0, 16, NULL, NULL,
     NULL, NULL, 0, 1000, "agent_hour", A,
     "HSI prosecution-support hours per 1324 charge (evidence, material-witness interviews, "
     "testimony)"},
    {"prosecution.entry_capacity", ES_P_PATH, OFF(entry_capacity), 0, 400, NULL, NULL, NULL, NULL,
     0, 1e6, "person/d", A, "1325 prosecutions courts can take per day"},
    /* ERO */
    {"ero.officers", ES_P_VEC, OFF(officers), ES_N_ERO_TASKS, 0, d_officers, NULL, NULL, TASKS, 0,
     1e5, "officer", A, "ERO officers by task"},
    {"ero.task_hours", ES_P_VEC, OFF(ero_task_hours), ES_N_ERO_TASKS, 0, d_ero_hours, NULL, NULL,
     TASKS, 0, 1e4, "officer_hour", A,
     "officer hours per interior arrest, per person processed, per detention stay and per removal"},
    {"ero.interior_arrest_rate", ES_P_PATH, OFF(ero_interior_rate), 0, 278.5, NULL, NULL, NULL,
     NULL, 0, 1e6, "1/d", C,
     "ERO's own interior arrests sought per day, a policy path (each needs an interior officer's "
     "ero.task_hours; those not made within ero.backlog_days are not made); the baseline steps "
     "up on 2017-01-25 (executive order); fitted to ERO administrative arrests FY2016-17"},
    {"ero.border_detention_share", ES_P_REAL, OFF(border_detention_share), 0, 0.8192, NULL, NULL,
     NULL, NULL, 0, 1, "1", C,
     "share of people apprehended at the border and returned (neither released nor trying again) "
     "who are transferred to ERO custody, any origin (fitted to ICE removals FY2016)"},
    {"ero.worksite_arrests", ES_P_REAL, OFF(worksite_arrests), 0, 0.1017, NULL, NULL, NULL, NULL, 0,
     1000, "person", C,
     "mean administrative arrests per worksite investigation (Poisson), booked into ERO; fitted to "
     "worksite administrative arrests FY2017 (172 of 1,691 investigations)"},
    {"hsi.worksite.i9_audit_share", ES_P_REAL, OFF(worksite_i9_share), 0, 0.8042, NULL, NULL, NULL,
     NULL, 0, 1, "1", C,
     "share of worksite investigations that serve an I-9 audit notice; fitted to I-9 audits "
     "initiated FY2017 (1,360 of 1,691 investigations)"},
    {"hsi.worksite.criminal_arrests", ES_P_REAL, OFF(worksite_criminal_arrests), 0, 0.0822, NULL,
     NULL, NULL, NULL, 0, 1000, "person", C,
     "mean criminal arrests per worksite investigation (Poisson); fitted to worksite criminal "
     "arrests FY2017 (139)"},
    {"ero.detention_days", ES_P_REAL, OFF(detention_days), 0, 19.52, NULL, NULL, NULL, NULL, 0.01,
     3650, "d", C,
     "mean length of detention of border transfers (exponential; fitted with "
     "ero.detention_days_interior to the detention population FY2016-17)"},
    {"ero.detention_days_interior", ES_P_REAL, OFF(detention_days_interior), 0, 69.94, NULL, NULL,
     NULL, NULL, 0.01, 3650, "d", C,
     "mean length of detention of people arrested in the interior (ERO, overstays, worksites)"},
    {"ero.removal_share", ES_P_REAL, OFF(removal_share), 0, 0.75, NULL, NULL, NULL, NULL, 0, 1, "1",
     A, "share of detention stays that end in removal"},
    {"ero.budget", ES_P_PATH, OFF(ero_budget), 0, 4.0e9, NULL, NULL, NULL, NULL, 0, 1e12, "USD/yr",
     F, "ERO budget path (fact: raised by $163 million to $4.2 billion for FY2019)"},
    {"ero.bed_cost", ES_P_REAL, OFF(bed_cost), 0, 48000, NULL, NULL, NULL, NULL, 0, 1e7, "USD/yr",
     A, "yearly cost of a detention bed"},
    {"ero.detention_share", ES_P_REAL, OFF(detention_budget_share), 0, 0.45, NULL, NULL, NULL, NULL,
     0, 1, "1", A, "share of the ERO budget spent on detention beds"},
    {"ero.backlog_days", ES_P_REAL, OFF(ero_backlog_days), 0, 90, NULL, NULL, NULL, NULL, 0.01, 1e4,
     "d", A, "days an ERO task may wait before it is abandoned"},
    {"hsi.special_operations", ES_P_PATH, OFF(special_ops), 0, 0, NULL, NULL, NULL, NULL, 0, 1e5,
     "agent", C,
     "agents surged into migrant-smuggling work by special operations, a path (targets.csv: FY2017 "
     "new cases were inflated by special operations); apart from hsi.reassignments, so scenarios "
     "that set their own reassignments keep it; fitted to new smuggling cases FY2017"},
    {"hsi.special_operations_from", ES_P_CHOICE, OFF(special_ops_from), 0, 0, NULL, "all",
     special_ops_sources, NULL, 0, 0, "", A,
     "program the special-operations surge draws its agents from, or all: every investigative "
     "program pro rata (not migrant smuggling, ero_support, prosecution_support or worksite "
     "enforcement, whose FY2017 output shows no dip), as HSI-wide operations detail agents from "
     "across the agency"},
    {"hsi.reassignments", ES_P_MOVES, OFF(reassign), 0, 0, NULL, NULL, NULL, NULL, 0, 0, "agent",
     ES_SRC_ASSUMPTION,
     "agents moved between programs for a period: list of {from, to, agents | share, start, end}"},
};

const size_t es_param_count = sizeof es_param_table / sizeof es_param_table[0];
