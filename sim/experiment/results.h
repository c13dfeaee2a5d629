/* results.h: what a run produced, as plain data that io/ writes and reads.
 *
 * Layout of the arrays (C order): per replication, per metric, per period.
 *   monthly [rep][metric][month]       every month of the horizon (warm-up included)
 *   fiscal  [rep][metric][fy]          fiscal years after the warm-up
 *   calendar[rep][metric][cy]          calendar years fully after the warm-up
 * Summaries across replications are [metric][period]: mean, sd, and the
 * Student-t 95% bounds mean -/+ t(0.975, n-1) sd / sqrt(n) (sd, bounds NaN when n < 2).
 * Months are labelled by their first day (day numbers, core/date.h). */
#ifndef ES_RESULTS_H
#define ES_RESULTS_H
#include <stddef.h>
#include <stdint.h>
#include "../model/metrics.h"

typedef struct {
    double *mean, *sd, *lo, *hi;   /* [metric][period] */
} es_summary;

typedef struct {
    char *name;                    /* scenario name */
    int n_reps, n_months, n_fy, n_cy;
    int32_t *month_start;          /* [n_months] day numbers */
    int *fy;                       /* [n_fy] e.g. 2016 */
    int *cy;                       /* [n_cy] */
    int64_t *replication;          /* [n_reps] replication indices */
    double *monthly, *fiscal, *calendar;
    es_summary fy_sum, cy_sum;
} es_scenario_result;

typedef struct {
    /* provenance, all owned strings */
    char *program_version, *git_commit, *rng, *config_text, *command_line;
    char *started, *finished, *host;
    int64_t seed;
    int n_scenarios;
    es_scenario_result *scenarios;
} es_run_result;

static inline double *es_res_monthly(const es_scenario_result *s, int rep, int metric)
{ return s->monthly + ((size_t)rep * ES_N_METRICS + (size_t)metric) * (size_t)s->n_months; }
static inline double *es_res_fiscal(const es_scenario_result *s, int rep, int metric)
{ return s->fiscal + ((size_t)rep * ES_N_METRICS + (size_t)metric) * (size_t)s->n_fy; }
static inline double *es_res_calendar(const es_scenario_result *s, int rep, int metric)
{ return s->calendar + ((size_t)rep * ES_N_METRICS + (size_t)metric) * (size_t)s->n_cy; }

void es_run_result_free(es_run_result *r);     /* frees contents; accepts NULL */

#endif
