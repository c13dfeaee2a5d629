/* run_journal.h: how `run` uses the unit journal (io/journal.h): which
 * run a journal belongs to, and the load/save hooks of the experiment.
 *
 * The journal of OUT is OUT.journal. A run creates it before its first
 * unit and removes it once OUT is in place; `--resume` opens it instead,
 * replays its units and computes only the others. Its identity is every
 * input a unit's result depends on: program version and commit, the whole
 * effective config text (seed and replications included), generator, CRN,
 * shard, precision targets and cap, and the metric table. */
#ifndef ES_RUN_JOURNAL_H
#define ES_RUN_JOURNAL_H
#include <stdatomic.h>
#include <stdint.h>
#include "../experiment/results.h"
#include "../io/journal.h"

typedef struct {
    es_journal *j;
    int S;                /* scenarios; unit g is scenario g % S */
    const size_t *n_vals; /* [S] values of each scenario's monthly series */
    size_t payload;       /* values per record: the largest n_vals */
    atomic_llong replayed, computed;
} run_journal;

/* The identity text (malloc'd; NULL when out of memory). */
char *run_journal_identity(const es_run_result *res, int max_replications);

/* The experiment's hooks (experiment.h), with jctx a run_journal. */
int run_journal_load(void *jctx, int64_t unit, double *monthly, uint64_t *events, char *err,
                     size_t errlen);
int run_journal_save(void *jctx, int64_t unit, const double *monthly, uint64_t events, char *err,
                     size_t errlen);

/* Inputs are sacred (io/fsdir.h): refuses an output or journal path that
 * is the config, one of its @includes, or not a regular file (a symbolic
 * link too, for the journal), --force or not. 0 when both are safe to
 * write; otherwise prints one line and returns the exit code (2, or 1 when
 * out of memory). Call before any work, once the config has loaded. */
int run_guard_outputs(const char *config, const char *out_path, const char *journal_path);

/* Removes OUT.tmp-PID files left by a killed writer of OUT (PID no longer
 * running). Only for --resume: the journal shows OUT is this run's. */
void run_journal_remove_stale_temps(const char *out_path);

#endif
