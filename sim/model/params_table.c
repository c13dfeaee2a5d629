/* params_table.c: the registry of every scenario parameter (see params.h).
 * Sources: "fact" figures are from MODEL.md / calibration/targets.csv;
 * "assumption" are starting defaults a user may change; "calibrated" were
 * fitted to the baseline targets (the fitted values live in
 * configs/baseline.cfg; the defaults here are the pre-fit starting points). */
#include "params.h"
#include <math.h>

#define OFF(f) offsetof(es_params, f)

static const char *const rng_choices[] = {"philox", "mt19937", "ranlxd2", NULL};
static const char *const origins[] = {"mexico", "northern_triangle", "other_americas", "extra_hemispheric", NULL};
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

const es_param_def es_param_table[] = {
    /* run */
    {"run.seed", ES_P_INT64, OFF(seed), 0, 20190201, NULL, NULL, NULL, NULL, 0, 9.2e18, "1", ES_SRC_RUN,
     "master seed of all random streams; values over 2^31 need the L suffix"},
    {"run.replications", ES_P_INT, OFF(replications), 0, 20, NULL, NULL, NULL, NULL, 1, 1000000, "1", ES_SRC_RUN,
     "replications per scenario (the command line's -r overrides it)"},
    {"run.rng", ES_P_CHOICE, OFF(rng), 0, 0, NULL, "philox", rng_choices, NULL, 0, 0, "", ES_SRC_RUN,
     "generator: philox (counter-based, independent streams) or classic GSL mt19937/ranlxd2 (no independence guarantee)"},
    /* horizon */
    {"horizon.start", ES_P_DATE, OFF(start_day), 0, 0, NULL, "2014-10-01", NULL, NULL, 0, 0, "date", ES_SRC_RUN,
     "first simulated day (the warm-up starts here)"},
    {"horizon.end", ES_P_DATE, OFF(end_day), 0, 0, NULL, "2018-09-30", NULL, NULL, 0, 0, "date", ES_SRC_RUN,
     "last simulated day (inclusive)"},
    {"horizon.warmup_end", ES_P_DATE, OFF(warmup_end_day), 0, 0, NULL, "2015-10-01", NULL, NULL, 0, 0, "date", ES_SRC_RUN,
     "first day counted in fiscal- and calendar-year summaries; months before it are warm-up"},
    /* migration */
    {"migration.arrivals", ES_P_PATH, OFF(arrivals), 0, 550, NULL, NULL, NULL, NULL, 0, 1e6, "party/day", ES_SRC_CALIBRATED,
     "rate of migrant parties arriving at the southwest border, a step path (fitted to Border Patrol apprehensions)"},
    {"migration.origin_share", ES_P_SHARES, OFF(origin_share), ES_N_ORIGINS, 0, d_origin_share, NULL, NULL, origins, 0, 1, "1", ES_SRC_ASSUMPTION,
     "share of arriving parties by origin (fact: about 95% of 2017 border arrests were Mexican or Central American)"},
    {"migration.type_share.mexico", ES_P_SHARES, OFF(type_share[ES_ORIGIN_MEXICO]), ES_N_TYPES, 0, d_type_mexico, NULL, NULL, ptypes, 0, 1, "1", ES_SRC_CALIBRATED,
     "party types of Mexican parties: single adults, family units, unaccompanied children"},
    {"migration.type_share.northern_triangle", ES_P_SHARES, OFF(type_share[ES_ORIGIN_NTRIANGLE]), ES_N_TYPES, 0, d_type_ntriangle, NULL, NULL, ptypes, 0, 1, "1", ES_SRC_CALIBRATED,
     "party types of Guatemalan, Honduran and Salvadoran parties"},
    {"migration.type_share.other_americas", ES_P_SHARES, OFF(type_share[ES_ORIGIN_OTHER_AMERICAS]), ES_N_TYPES, 0, d_type_other, NULL, NULL, ptypes, 0, 1, "1", ES_SRC_ASSUMPTION,
     "party types of parties from the rest of the Americas"},
    {"migration.type_share.extra_hemispheric", ES_P_SHARES, OFF(type_share[ES_ORIGIN_EXTRA_HEMI]), ES_N_TYPES, 0, d_type_extra, NULL, NULL, ptypes, 0, 1, "1", ES_SRC_ASSUMPTION,
     "party types of extra-hemispheric (special-interest) parties"},
    {"migration.party_size.single_adult", ES_P_VEC, OFF(size_single), 3, 0, d_size_single, NULL, NULL, size3, 1, 200, "person", ES_SRC_ASSUMPTION,
     "size of single-adult parties: min, mean, max (min + truncated Poisson)"},
    {"migration.party_size.family", ES_P_VEC, OFF(size_family), 3, 0, d_size_family, NULL, NULL, size3, 1, 200, "person", ES_SRC_ASSUMPTION,
     "size of family units: min, mean, max"},
    {"migration.party_size.uac", ES_P_VEC, OFF(size_uac), 3, 0, d_size_uac, NULL, NULL, size3, 1, 200, "person", ES_SRC_ASSUMPTION,
     "size of unaccompanied-children parties: min, mean, max"},
    {"migration.large_load_share", ES_P_REAL, OFF(large_load_share), 0, 0.01, NULL, NULL, NULL, NULL, 0, 1, "1", ES_SRC_ASSUMPTION,
     "share of smuggled single-adult concealed crossings that are tractor-trailer loads"},
    {"migration.party_size.large_load", ES_P_VEC, OFF(large_load_size), 3, 0, d_size_large, NULL, NULL, size3, 1, 500, "person", ES_SRC_ASSUMPTION,
     "size of tractor-trailer loads: min, mean, max"},
    {"migration.smuggler_use", ES_P_VEC, OFF(smuggler_use), ES_N_ORIGINS, 0, d_smuggler_use, NULL, NULL, origins, 0, 1, "1", ES_SRC_FACT,
     "share of parties hiring smugglers, by origin (fact: 80-95%)"},
    {"migration.fee_median", ES_P_VEC, OFF(fee_median), ES_N_ORIGINS, 0, d_fee_median, NULL, NULL, origins, 0, 1e6, "USD", ES_SRC_ASSUMPTION,
     "median smuggling fee per person, by origin (lognormal)"},
    {"migration.fee_sigma", ES_P_REAL, OFF(fee_sigma), 0, 0.3, NULL, NULL, NULL, NULL, 0, 3, "1", ES_SRC_ASSUMPTION,
     "log-scale standard deviation of fees (0.3 puts the Central American 95th percentile near $11,400)"},
    {"migration.method_share.single_adult", ES_P_SHARES, OFF(method_share[ES_TYPE_SINGLE]), ES_N_METHODS, 0, d_method_single, NULL, NULL, methods, 0, 1, "1", ES_SRC_ASSUMPTION,
     "crossing methods of smuggled single adults"},
    {"migration.method_share.family", ES_P_SHARES, OFF(method_share[ES_TYPE_FAMILY]), ES_N_METHODS, 0, d_method_family, NULL, NULL, methods, 0, 1, "1", ES_SRC_ASSUMPTION,
     "crossing methods of smuggled family units (mostly coached to surrender)"},
    {"migration.method_share.uac", ES_P_SHARES, OFF(method_share[ES_TYPE_UAC]), ES_N_METHODS, 0, d_method_uac, NULL, NULL, methods, 0, 1, "1", ES_SRC_ASSUMPTION,
     "crossing methods of smuggled unaccompanied children"},
    {"migration.method_share.self", ES_P_SHARES, OFF(method_share_self), ES_N_METHODS, 0, d_method_self, NULL, NULL, methods, 0, 1, "1", ES_SRC_ASSUMPTION,
     "crossing methods of parties crossing without a smuggler"},
    {"migration.staging_days", ES_P_REAL, OFF(staging_days), 0, 2.0, NULL, NULL, NULL, NULL, 0, 365, "d", ES_SRC_ASSUMPTION,
     "mean wait between arrival at the border and the first attempt (exponential)"},
    {"migration.package_deal", ES_P_BOOL, OFF(package_deal), 0, 1, NULL, NULL, NULL, NULL, 0, 1, "", ES_SRC_ASSUMPTION,
     "smuggled parties that are apprehended and returned may re-attempt at no new fee"},
    {"migration.max_attempts", ES_P_INT, OFF(max_attempts), 0, 3, NULL, NULL, NULL, NULL, 1, 20, "attempt", ES_SRC_ASSUMPTION,
     "attempts included in a package deal (K)"},
    {"migration.reattempt_days", ES_P_REAL, OFF(reattempt_days), 0, 7.0, NULL, NULL, NULL, NULL, 0, 365, "d", ES_SRC_ASSUMPTION,
     "mean time from return to the next attempt (exponential)"},
    {"migration.reattempt_prob.smuggled", ES_P_REAL, OFF(reattempt_prob_smuggled), 0, 0.7, NULL, NULL, NULL, NULL, 0, 1, "1", ES_SRC_ASSUMPTION,
     "probability that a returned smuggled party uses its next included attempt"},
    {"migration.reattempt_prob.self", ES_P_REAL, OFF(reattempt_prob_self), 0, 0.4, NULL, NULL, NULL, NULL, 0, 1, "1", ES_SRC_ASSUMPTION,
     "probability that a returned party without smuggler tries again (up to max_attempts)"},
    {"migration.stash_days", ES_P_REAL, OFF(stash_days), 0, 5.0, NULL, NULL, NULL, NULL, 0, 365, "d", ES_SRC_ASSUMPTION,
     "mean stay of a smuggled party in a stash house after crossing (exponential)"},
    {"migration.extortion_prob", ES_P_REAL, OFF(extortion_prob), 0, 0.03, NULL, NULL, NULL, NULL, 0, 1, "1", ES_SRC_ASSUMPTION,
     "probability that a stash-house stay turns into extortion or hostage-taking (MODEL: 2-5%)"},
    /* border */
    {"border.apprehension_prob", ES_P_VEC, OFF(apprehension_prob), ES_N_METHODS, 0, d_appr_prob, NULL, NULL, methods, 0, 1, "1", ES_SRC_ASSUMPTION,
     "probability that an attempt is stopped, by method, at intensity 1 (port_documents: stopped by port officers)"},
    {"border.intensity", ES_P_PATH, OFF(intensity), 0, 1.0, NULL, NULL, NULL, NULL, 0, 10, "1", ES_SRC_ASSUMPTION,
     "enforcement intensity path; multiplies the odds of apprehension of non-surrender attempts"},
    {"border.death_prob", ES_P_VEC, OFF(death_prob), ES_N_METHODS, 0, d_death_prob, NULL, NULL, methods, 0, 1, "1", ES_SRC_ASSUMPTION,
     "probability of death per attempt, by method (heat, asphyxiation, drowning)"},
    {"border.release_share", ES_P_VEC, OFF(release_share), ES_N_TYPES, 0, d_release_share, NULL, NULL, ptypes, 0, 1, "1", ES_SRC_ASSUMPTION,
     "share of apprehended people released to await court, by party type (the rest are returned)"},
};

const size_t es_param_count = sizeof es_param_table / sizeof es_param_table[0];
