/* sweep_run.h: running the units of a sweep (docs/experiments.md, Work units: a unit is
 * (scenario, point, replication)); results in es_sweep_result (results.h).
 *
 * Units are numbered replication-major, u = (r P + p) S + s (results.h,
 * es_sweep_unit), handed out in that order to `threads` workers as in
 * experiment.h, and each writes only its own rows, so the data are
 * bit-identical for any thread count, completion order and shard split.
 * A unit runs the scenario's parameters with point p's values applied
 * (es_sweep_apply) and replication r's streams of the scenario's seed: with
 * common random numbers every point of every scenario uses the master seed;
 * without (crn = 0), scenario s at point p uses
 * es_experiment_independent_seed(seed, s P + p) (s with one point, as a run
 * without a sweep).
 *
 * Memory: each worker has one scratch es_params and one month buffer; a
 * unit's months are folded into fiscal and calendar years right after it
 * runs, and only the years are kept. Progress and stopping as experiment.h
 * (ES_ERR_INTERRUPTED). With x->shard_count > 1 only units u with
 * u % shard_count == shard_index run and are kept, and no summaries are
 * made (merge makes them on all replications). On any error out[] must
 * only be freed (es_sweep_result_fini). */
#ifndef ES_SWEEP_RUN_H
#define ES_SWEEP_RUN_H
#include <stddef.h>
#include "design.h"
#include "experiment.h"
#include "results.h"

es_status es_sweep_run(const es_experiment *x, const es_sweep *sw, int n_reps, int crn,
                       int64_t seed, es_sweep_result *out, char *err, size_t errlen);

/* The summaries of every point of s from its rows (a whole run's rows:
 * n_rows == n_points * n_reps); what es_sweep_run does last, for merge. */
es_status es_sweep_summarize(es_sweep_result *s, char *err, size_t errlen);

#endif
