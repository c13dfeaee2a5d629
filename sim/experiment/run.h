/* run.h: one run, as library calls (docs/experiments.md, Work units, 8, 9, 10): plan, execute,
 * merge. The command line only parses options into es_run_options and
 * prints; everything a run decides is here.
 *
 * Plan. es_plan_init takes a loaded config (io/cfg.h es_run_spec) and the
 * run options (-r, --seed, --no-crn, --shard, --precision) and fixes the
 * units: S scenarios x P design points (P = 1 without a sweep: a plain run
 * is a sweep of one point) x R replications, unit u being scenario u % S,
 * point (u / S) % P, replication u / (S P). Nothing runs; every check that
 * can fail on bad input fails here (ES_ERR_USAGE / ES_ERR_CONFIG, exit 2).
 *
 * Execute. es_run_execute(plan, executor, hooks, res) runs the plan's units
 * (those of its shard) on the executor (threads here, or a unit forwarded
 * elsewhere: MPI), replaying and recording units through the journal
 * hooks, reporting progress and asking whether to stop. Replicate-until-
 * precise (--precision METRIC=REL) adds batches of R replications, each
 * decision taken between batches on complete data, so the count does not
 * depend on the executor. Afterwards res holds what the file stores: the
 * scenarios (or a sweep's points), comparisons (not in a shard), the
 * effective config of each scenario. es_plan_describe fills the run-level
 * fields of res (config text, seed, generator, shard identity, precision)
 * first, since the journal's identity is made of them.
 *
 * Merge. es_run_merge checks shards read back from their files (complete,
 * one run, each unit once) and rebuilds the serial run's result, bit for
 * bit: summaries and comparisons are recomputed by the same functions on
 * the same values in the same order. */
#ifndef ES_RUN_H
#define ES_RUN_H
#include <stddef.h>
#include <stdint.h>
#include "../core/status.h"
#include "../io/cfg.h"
#include "experiment.h"
#include "results.h"
#include "units.h"

#define ES_RUN_MAX_TARGETS      64
#define ES_RUN_DEFAULT_MAX_REPS 1000
#define ES_RUN_MAX_REPLICATIONS 1000000
/* replications_needed of stored comparisons aims at this share of
 * |mean_base|; run and merge agree, so merged files equal serial ones. */
#define ES_RUN_CMP_TARGET_REL   0.01

typedef struct {
    int metric; /* metrics.h id */
    double rel; /* 0 < rel < 1 */
} es_precision_target;

/* What the command line may change of a config's run. Zero is "as the
 * config says" for every field but crn (1: common random numbers). */
typedef struct {
    int replications; /* > 0: every scenario's run.replications (-r) */
    int seed_given;
    int64_t seed;                 /* with seed_given: run.seed of every scenario (--seed) */
    int crn;                      /* 0: --no-crn */
    int shard_index, shard_count; /* shard_count 0: the whole run */
    int n_targets;
    es_precision_target targets[ES_RUN_MAX_TARGETS];
    int max_replications; /* with targets; 0: the larger of R and 1000 */
    int no_uncertainty;   /* 1: --no-uncertainty, the config's uncertainty block dropped */
} es_run_options;

/* Owns spec and the scenario inputs; the scenarios' parameters live in spec. */
typedef struct {
    es_run_spec *spec;
    es_run_options opt;
    es_rng_kind kind;
    int n_scenarios, n_points, n_reps; /* n_reps: the first batch */
    int max_reps;                      /* with targets: the cap; else n_reps */
    int64_t n_units;                   /* of the whole run's first batch */
    int64_t n_held;                    /* of them in this plan's shard */
    es_scenario_in *in;                /* [n_scenarios] */
    char *config_text;                 /* the run's effective config (before --no-crn) */
    double *unc_x; /* with spec->unc: the draws of replications 0 .. max_reps - 1 */
} es_plan;

/* Builds the plan; takes spec (heap, es_run_spec_fini + free) in every case.
 * `config` names the file in messages. On failure *pl is zeroed. */
es_status es_plan_init(es_plan *pl, es_run_spec *spec, const es_run_options *opt,
                       const char *config, char *err, size_t errlen);
void es_plan_fini(es_plan *pl); /* accepts a zeroed plan */

/* What a unit computes under this plan (units.h), e.g. for an MPI worker. */
void es_plan_units(const es_plan *pl, es_unit_space *us);

/* Unit u of the whole run: scenario, point, replication. */
void es_plan_unit(const es_plan *pl, int64_t u, int *scenario, int *point, int64_t *replication);

/* The run-level fields of res from the plan (rng, config_text, seed, crn,
 * shard identity, precision, design); provenance (version, host, times,
 * command line) is the caller's. */
es_status es_plan_describe(const es_plan *pl, es_run_result *res, char *err, size_t errlen);

/* The plan as bytes, for another process of the same build (MPI workers
 * receive it from rank 0 instead of reading the command line and config
 * again): what a unit computes (scenarios' names and parameters, sweep
 * points, generator, seeds) and the options. *buf is malloc'd. A plan
 * unpacked holds no config text and no design labels: enough to compute
 * units (es_plan_units), not to describe a run. ES_ERR_INPUT when the bytes
 * are not a plan of this build (another build's parameter layout). */
es_status es_plan_pack(const es_plan *pl, unsigned char **buf, size_t *len, char *err,
                       size_t errlen);
es_status es_plan_unpack(const unsigned char *buf, size_t len, es_plan *pl, char *err,
                         size_t errlen);

/* Who computes the units: `threads` worker threads, each computing its
 * unit here, or, with run_unit, handing it to someone else (MPI), which
 * must give what es_unit_compute gives. */
typedef struct {
    int threads;
    es_status (*run_unit)(void *ctx, int64_t unit, double *monthly, size_t n_values,
                          uint64_t *events, char *err, size_t errlen);
    void *ctx;
} es_executor;

/* What the caller sees of a run and how it steers it; every field may be NULL.
 * progress: after each completed unit (one call at a time), units done and
 * planned in the whole run so far, and the unit's events.
 * stop: asked after each completed unit; nonzero stops handing out units
 * (those running finish; execute returns ES_ERR_INTERRUPTED).
 * batch: --precision not met yet; going to n_reps (why: the worst shortfall).
 * load/save/jctx: the journal (experiment.h; run_journal.h has them). */
typedef struct {
    void (*progress)(void *ctx, int64_t done, int64_t total, uint64_t events);
    int (*stop)(void *ctx);
    void (*batch)(void *ctx, int n_reps, const char *why);
    void *ctx;
    int (*load)(void *jctx, int64_t unit, double *monthly, uint64_t *events, char *err,
                size_t errlen);
    int (*save)(void *jctx, int64_t unit, const double *monthly, uint64_t events, char *err,
                size_t errlen);
    void *jctx;
} es_run_hooks;

/* Runs the plan into res (es_plan_describe'd). On success res is what the
 * file stores, *n_done the units completed, and with --precision
 * res->precision_met says whether the targets were met (why: the worst
 * shortfall when not). On failure res must only be freed. */
es_status es_run_execute(const es_plan *pl, const es_executor *ex, const es_run_hooks *h,
                         es_run_result *res, int64_t *n_done, char *why, size_t whylen, char *err,
                         size_t errlen);

/* Merges n shards (read back, each complete; names[i] names shard i in
 * messages) into out, the result a serial run writes, provenance aside:
 * out gets the first shard's, with started the earliest and finished the
 * latest; command_line is left NULL for the caller. ES_ERR_INPUT when the
 * shards are not one whole run (err says which and why). */
es_status es_run_merge(const es_run_result *shards, const char *const *names, int n,
                       es_run_result *out, char *err, size_t errlen);

#endif
