/* experiment.h: running the units of a run and their statistics
 * (docs/experiments.md: Work units, Random streams, Statistics across replications).
 *
 * A unit is (scenario, replication); its result is a pure function of the
 * scenario's parameters, the generator kind and the replication index. An
 * experiment holds the scenarios; es_experiment_extend runs the units that
 * take every scenario's results (results.h) from the replications they hold
 * to n_reps, on `threads` worker threads, and recomputes the summaries.
 *
 * Threads. Units are handed out in a fixed order (replication-major: all
 * scenarios of replication r, then r+1), but each unit writes only its own
 * slots of the result arrays, placed by (scenario, replication). So the
 * data are bit-identical for any thread count and any completion order;
 * summaries are computed once every unit is in. The model is re-entrant:
 * each unit owns its engine, pools and streams (model/model.h).
 *
 * Growth. Calling es_experiment_extend again with a larger n_reps adds
 * replications: the arrays grow at the end (layout [rep][metric][period]),
 * so earlier replications keep their values and positions. This is how
 * --precision adds batches; the caller decides only between calls, on
 * complete data, so the decision does not depend on the thread count.
 *
 * Progress and stopping: after each completed unit, one call at a time
 * (under the experiment's lock), progress(ctx, done, total, events) with
 * done and total counted within this call. A nonzero return stops handing
 * out units; those running finish, and the call returns ES_ERR_INTERRUPTED.
 * On any error the results must only be freed (es_scenario_result_fini). */
#ifndef ES_EXPERIMENT_H
#define ES_EXPERIMENT_H
#include <stddef.h>
#include <stdint.h>
#include "../core/status.h"
#include "../model/params.h"
#include "../rng/rng.h"
#include "results.h"

/* Called after each completed unit; returning nonzero asks to stop. */
typedef int (*es_progress_fn)(void *ctx, int done, int total, uint64_t events);

typedef struct {
    const char *name;   /* copied into the result */
    const es_params *p; /* effective parameters; seed included */
} es_scenario_in;

typedef struct {
    int n_scenarios;
    const es_scenario_in *scenarios;
    es_rng_kind kind;
    int threads;             /* worker threads; 1 runs every unit in the caller's thread */
    es_progress_fn progress; /* may be NULL */
    void *pctx;
    /* Shards (results.h, es_shard_info): with shard_count > 1 only the units
     * u with u % shard_count == shard_index run, where u = r * S + s counts
     * every unit of the run; afterwards each scenario keeps only its own
     * replications, in increasing order (n_reps may differ between
     * scenarios and be 0; then the summaries stay unset). One call of
     * es_experiment_extend only. 0 or 1: every unit. */
    int shard_index, shard_count;
    /* A journal of completed units (may be NULL; the experiment knows
     * nothing of files). Each unit g is first offered to load: 1 means its
     * monthly series ([metric][month], ES_N_METRICS x n_months values) and
     * events were filled from an earlier attempt, so it is folded, not run;
     * 0 means run it; -1 is an error (message in err). A unit that ran is
     * given to save before it counts as done; nonzero is an error that
     * stops the run. Both may be called from several threads at once. */
    int (*load)(void *jctx, int64_t unit, double *monthly, uint64_t *events, char *err,
                size_t errlen);
    int (*save)(void *jctx, int64_t unit, const double *monthly, uint64_t events, char *err,
                size_t errlen);
    void *jctx;
    /* Who computes unit g (may be NULL: the worker thread, units.h). The
     * MPI mode forwards it to another process, which must give what
     * es_unit_compute gives: n_values doubles of its monthly series. */
    es_status (*run_unit)(void *rctx, int64_t unit, double *monthly, size_t n_values,
                          uint64_t *events, char *err, size_t errlen);
    void *rctx;
    /* Parameter uncertainty (uncertainty.h), or NULL: replication r of
     * every scenario runs with row r of unc_x ([replication][unc->d]) set. */
    const struct es_uncertainty_s *unc;
    const double *unc_x;
} es_experiment;

/* Sets up out[0..n_scenarios-1] with their axes and no replications. */
es_status es_experiment_start(const es_experiment *x, es_scenario_result *out, char *err,
                              size_t errlen);

/* Runs replications out[s].n_reps .. n_reps-1 of every scenario s (every
 * out[s] must hold the same number), then recomputes the summaries. */
es_status es_experiment_extend(const es_experiment *x, es_scenario_result *out, int n_reps,
                               char *err, size_t errlen);

/* Recomputes s's fiscal and calendar summaries from its replications: what
 * es_experiment_extend does last, for `merge` to rebuild a serial run's
 * summaries bit for bit. */
es_status es_experiment_summarize(es_scenario_result *s, char *err, size_t errlen);

/* One scenario, replications 0..n_reps-1, in the caller's thread. */
es_status es_experiment_run(const es_params *p, es_rng_kind kind, const char *name, int n_reps,
                            es_progress_fn progress, void *pctx, es_scenario_result *out, char *err,
                            size_t errlen);

/* The master seed of scenario `index` when scenarios must NOT share random
 * numbers (--no-crn): a SplitMix64 hash of (seed, index), within the
 * registry's range of run.seed. With common random numbers (the default)
 * every scenario uses the master seed itself. */
int64_t es_experiment_independent_seed(int64_t seed, int index);

/* Fiscal and calendar years wholly inside [warmup_end, end]; fills up to
 * `max` years into out and returns their number. */
int es_experiment_fiscal_years(const es_params *p, int *out, int max);
int es_experiment_calendar_years(const es_params *p, int *out, int max);

/* Mean, sd and Student-t 95% bounds of x[0..n-1] (sd and bounds NaN for n < 2). */
void es_stats_summary(const double *x, int n, double *mean, double *sd, double *lo, double *hi);

/* Replicate-until-precise (--precision): is the 95% half-width of `metric`
 * at most rel * |mean| in every fiscal year of s? When not, *worst_ratio is
 * the largest half-width / |mean| and *worst_fy its year (NaN ratios, e.g.
 * n < 2 or a NaN mean, count as not met). */
int es_precision_met(const es_scenario_result *s, int metric, double rel, double *worst_ratio,
                     int *worst_fy);

#endif
