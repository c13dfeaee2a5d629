/* results.h: what a run produced, as plain data that io/ writes and reads.
 *
 * Layout of the arrays (C order): per replication, per metric, per period.
 *   monthly [rep][metric][month]       every month of the horizon (warm-up included)
 *   fiscal  [rep][metric][fy]          fiscal years after the warm-up
 *   calendar[rep][metric][cy]          calendar years fully after the warm-up
 * Summaries across replications are [metric][period]: mean, sd, and the
 * Student-t 95% bounds mean -/+ t(0.975, n-1) sd / sqrt(n) (sd, bounds NaN when n < 2).
 * Months are labelled by their first day (day numbers, core/date.h).
 *
 * A comparison (experiment/compare.h) pairs two scenarios by replication
 * index: per metric, statistic (ES_CMP_STAT_LIST) and period,
 *   fiscal  [metric][stat][fy]   calendar[metric][stat][cy]. */
#ifndef ES_RESULTS_H
#define ES_RESULTS_H
#include <stddef.h>
#include <stdint.h>
#include "../model/metrics.h"

typedef struct {
    double *mean, *sd, *lo, *hi; /* [metric][period] */
} es_summary;

typedef struct {
    char *name;   /* scenario name */
    char *config; /* its effective config text, or NULL (not stored) */
    int n_reps, n_months, n_fy, n_cy;
    int32_t *month_start; /* [n_months] day numbers */
    int *fy;              /* [n_fy] e.g. 2016 */
    int *cy;              /* [n_cy] */
    int64_t *replication; /* [n_reps] replication indices */
    double *monthly, *fiscal, *calendar;
    es_summary fy_sum, cy_sum;
} es_scenario_result;

/* The statistics of a paired comparison, in storage order:
 * X(ID, name, description). Names are the HDF5 `statistic` labels and the
 * CSV `statistic` column; compare.c defines each precisely. */
#define ES_CMP_STAT_LIST(X)                                                                       \
    X(N, "n", "replications paired (both values finite)")                                         \
    X(MEAN_BASE, "mean_base", "mean of the base scenario")                                        \
    X(MEAN_ALT, "mean_alt", "mean of the alternative scenario")                                   \
    X(DIFF_MEAN, "diff_mean", "mean paired difference alt - base")                                \
    X(DIFF_SD, "diff_sd", "standard deviation of the paired differences")                         \
    X(CI_LOW, "ci_low", "lower bound of the paired-t 95% interval of diff_mean")                  \
    X(CI_HIGH, "ci_high", "upper bound of the paired-t 95% interval of diff_mean")                \
    X(HALF_WIDTH, "half_width", "half-width of that interval")                                    \
    X(REL_CHANGE, "rel_change", "relative change diff_mean / mean_base")                          \
    X(REL_CI_LOW, "rel_ci_low", "lower bound of the 95% interval of rel_change (delta method)")   \
    X(REL_CI_HIGH, "rel_ci_high", "upper bound of the 95% interval of rel_change (delta method)") \
    X(CORR, "corr", "correlation of base and alt across replications")                            \
    X(VRF, "variance_reduction",                                                                  \
      "(var(base) + var(alt)) / var(alt - base): unpaired over paired variance")                  \
    X(SIGNIFICANT, "significant", "1 when the 95% interval of diff_mean excludes 0, else 0")      \
    X(N_NEEDED, "replications_needed", "replications for a paired 95% half-width at the target")

#define ES_CMP_ENUM(id, name, desc) ES_CMP_##id,
typedef enum { ES_CMP_STAT_LIST(ES_CMP_ENUM) ES_CMP_N_STATS } es_cmp_stat;
#undef ES_CMP_ENUM

typedef struct {
    char *base, *alt; /* scenario names */
    int n_reps;       /* replications of each (paired by index) */
    int n_fy, n_cy;
    int *fy, *cy;              /* [n_fy], [n_cy] */
    double *fiscal, *calendar; /* [metric][stat][period] */
    double target_rel;         /* replications_needed aims at target_rel * |mean_base| */
} es_comparison_result;

/* A shard: one slice of a run's units (`run --shard I/N`, docs/cluster.md, Slurm job arrays).
 * Unit u (0 .. n_units-1) of a run with S scenarios is scenario u % S,
 * replication u / S (the experiment's replication-major order); shard I of
 * N holds the units with u % N == I. A shard file stores only its own
 * replications per scenario (the replication axis says which; a scenario
 * with none is left out) and no comparisons; `enforcesim merge` checks the
 * shards against each other and rebuilds the serial run's file. count == 0:
 * not a shard. */
typedef struct {
    int index, count;
    uint64_t config_hash; /* FNV-1a 64 of config, seed, rng, crn, N */
    int n_scenarios;
    char **scenarios; /* [n_scenarios] every scenario of the run, in order */
    int n_comparisons;
    int *comparisons; /* [n_comparisons][2] every configured pair (base, alt) as
                         indices into scenarios */
    int64_t n_units;  /* units of the whole run */
    int n_held;
    int64_t *units; /* [n_held] the units this shard holds, increasing */
    int complete;   /* 1 once the writer got to the end (written last) */
} es_shard_info;

/* A sweep (io/sweep.h): the design matrix as stored in /design. The same
 * shape holds parameter uncertainty's draws (/parameters): a row per
 * replication, and each parameter's distribution in dists. */
typedef struct {
    char *kind;             /* "grid", "lhs", "sobol", "halton"; draws: NULL */
    int points_setting;     /* the config's `points` (0 when absent) */
    int n_params, n_points; /* n_points 0: not a sweep (draws: replications) */
    char **names;           /* [n_params] parameter names as in the config */
    char **dists;           /* draws: [n_params] distributions; a design: NULL */
    double *x;              /* [n_points][n_params] */
} es_design_result;

/* One scenario of a sweep. A sweep keeps no monthly series: each unit's
 * months are folded into years as it finishes (memory grows with
 * units x years, not units x months). Rows are units of this scenario:
 * in a whole run n_rows = n_points * n_reps and row p * n_reps + r is
 * (point p, replication r); a shard holds only its units, in increasing
 * unit order. Unit u of a sweep with S scenarios and P points is scenario
 * u % S, point (u / S) % P, replication u / (S P): replication-major as in
 * a run without a sweep (P = 1 gives the same numbering).
 *   fiscal  [metric][row][fy]     calendar [metric][row][cy]
 *   fy_sum  [metric][point][stat][fy], stat in ES_H5 order mean, sd,
 *           ci_low, ci_high over the point's replications; NULL in a shard. */
typedef struct {
    char *name;   /* scenario */
    char *config; /* its effective config (without the sweep), or NULL */
    int n_points, n_reps, n_fy, n_cy;
    int *fy, *cy; /* [n_fy], [n_cy] */
    int64_t n_rows;
    int64_t *unit; /* [n_rows] the run's unit of each row */
    double *fiscal, *calendar;
    double *fy_sum, *cy_sum;
} es_sweep_result;

#define ES_SWEEP_N_STATS 4 /* mean, sd, ci_low, ci_high */

static inline int64_t es_sweep_unit(int S, int P, int s, int p, int r)
{
    return ((int64_t)r * P + p) * S + s;
}

typedef struct {
    /* provenance, all owned strings */
    char *program_version, *git_commit, *rng, *config_text, *command_line;
    char *started, *finished, *host;
    int64_t seed;
    int crn;              /* 1: scenarios share random numbers; 0: --no-crn */
    char *precision;      /* "metric=rel,..." of --precision, or NULL */
    int precision_met;    /* with precision: 1 met, 0 stopped at the cap */
    int max_replications; /* with precision: the cap */
    int n_scenarios;
    es_scenario_result *scenarios;
    int n_comparisons;
    es_comparison_result *comparisons;
    es_shard_info shard; /* count 0 for a whole run */
    /* A sweep: the design, and per scenario its results (then n_scenarios
     * is 0 and there are no comparisons). n_sweep 0: not a sweep. */
    es_design_result design;
    /* Parameter uncertainty: replication r's draws in row r (n_params 0:
     * off; rows for every replication of the run, shards included). */
    es_design_result draws;
    int n_sweep;
    es_sweep_result *sweep;
} es_run_result;

static inline double *es_res_monthly(const es_scenario_result *s, int rep, int metric)
{
    return s->monthly + ((size_t)rep * ES_N_METRICS + (size_t)metric) * (size_t)s->n_months;
}
static inline double *es_res_fiscal(const es_scenario_result *s, int rep, int metric)
{
    return s->fiscal + ((size_t)rep * ES_N_METRICS + (size_t)metric) * (size_t)s->n_fy;
}
static inline double *es_res_calendar(const es_scenario_result *s, int rep, int metric)
{
    return s->calendar + ((size_t)rep * ES_N_METRICS + (size_t)metric) * (size_t)s->n_cy;
}

static inline double *es_cmp_fiscal(const es_comparison_result *c, int metric)
{
    return c->fiscal + (size_t)metric * ES_CMP_N_STATS * (size_t)c->n_fy;
}
static inline double *es_cmp_calendar(const es_comparison_result *c, int metric)
{
    return c->calendar + (size_t)metric * ES_CMP_N_STATS * (size_t)c->n_cy;
}

extern const char *const es_cmp_stat_names[ES_CMP_N_STATS];
extern const char *const es_cmp_stat_descs[ES_CMP_N_STATS];

void es_comparison_result_fini(es_comparison_result *c); /* accepts NULL */
void es_run_result_free(es_run_result *r);
void es_scenario_result_fini(es_scenario_result *s); /* frees contents; accepts NULL */
void es_summary_fini(es_summary *s);                 /* frees contents; accepts NULL */
void es_sweep_result_fini(es_sweep_result *s);       /* frees contents; accepts NULL */
void es_design_result_fini(es_design_result *d);     /* frees contents; accepts NULL */

#endif
