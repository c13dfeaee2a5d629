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
#include "../io/journal.h"
#include "experiment.h"
#include "results.h"

typedef struct {
    es_journal *j;
    int S;          /* scenarios; unit g is scenario g % S */
    size_t *n_vals; /* [S] values of each scenario's monthly series (owned) */
    size_t payload; /* values per record: the largest n_vals */
    atomic_llong replayed, computed;
} es_run_journal;

/* Opens the journal at path to continue it (resuming: its identity must
 * be `identity`) or creates it, for the S scenarios in[] of a run of
 * n_units units (a record outside them is a damaged journal). */
es_status es_run_journal_begin(es_run_journal *rj, const char *path, int resuming,
                               const char *identity, const es_scenario_in *in, int S,
                               int64_t n_units, char *err, size_t errlen);
/* Closes the journal (es_journal_close) and frees what begin made; accepts a zeroed one. */
void es_run_journal_fini(es_run_journal *rj);

/* The identity text (malloc'd; NULL when out of memory). */
char *es_run_journal_identity(const es_run_result *res, int max_replications);

/* The experiment's hooks (experiment.h), with jctx a es_run_journal. */
int es_run_journal_load(void *jctx, int64_t unit, double *monthly, uint64_t *events, char *err,
                        size_t errlen);
int es_run_journal_save(void *jctx, int64_t unit, const double *monthly, uint64_t events, char *err,
                        size_t errlen);

/* Removes OUT.tmp-PID files left by a killed writer of OUT (PID no longer
 * running). Only for --resume: the journal shows OUT is this run's. */
void es_run_journal_remove_stale_temps(const char *out_path);

#endif
