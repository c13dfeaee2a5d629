/* experiment.h: replications of one scenario and their statistics
 * (DESIGN.md sections 1 and 8).
 *
 * A unit is (scenario, replication); its result is a pure function of the
 * parameters, the seed and the replication index. es_experiment_run runs
 * replications first..first+n-1 and fills an es_scenario_result (results.h):
 * monthly series, fiscal- and calendar-year values after the warm-up, and
 * across-replication summaries. The caller frees it with es_run_result_free
 * (through the run) or es_scenario_result_fini. */
#ifndef ES_EXPERIMENT_H
#define ES_EXPERIMENT_H
#include <stdint.h>
#include "../core/status.h"
#include "../model/params.h"
#include "../rng/rng.h"
#include "results.h"

/* Called after each completed unit; returning nonzero asks to stop. */
typedef int (*es_progress_fn)(void *ctx, int done, int total, uint64_t events);

es_status es_experiment_run(const es_params *p, es_rng_kind kind, const char *name, int n_reps,
                            es_progress_fn progress, void *pctx,
                            es_scenario_result *out, char *err, size_t errlen);

/* Fiscal and calendar years wholly inside [warmup_end, end]; fills up to
 * `max` years into out and returns their number. */
int es_experiment_fiscal_years(const es_params *p, int *out, int max);
int es_experiment_calendar_years(const es_params *p, int *out, int max);

/* Mean, sd and Student-t 95% bounds of x[0..n-1] (sd and bounds NaN for n < 2). */
void es_stats_summary(const double *x, int n, double *mean, double *sd, double *lo, double *hi);

void es_scenario_result_fini(es_scenario_result *s);

#endif
