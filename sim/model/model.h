/* model.h: one replication of the domain model (docs/model.md), as a pure
 * function of (parameters, generator kind, replication index).
 *
 * The model owns its engine, entity pools and random streams for the
 * duration of es_model_run and frees them before returning. It writes the
 * monthly value of every registered metric (metrics.h) into `monthly`,
 * laid out [metric][month] for es_model_months(p) months starting with the
 * month of the horizon start. Ratio metrics are filled from their
 * numerator and denominator. Time inside the model is in days since the
 * horizon start.
 *
 * At the end of the replication the model checks conservation (every party
 * that arrived is in exactly one state) and returns ES_ERR_MODEL with a
 * message if it does not hold: a unit that breaks it never yields numbers. */
#ifndef ES_MODEL_H
#define ES_MODEL_H
#include <stddef.h>
#include <stdint.h>
#include "../core/status.h"
#include "../rng/rng.h"
#include "params.h"

/* Stream ids: one per model process, never per scenario (docs/experiments.md, Random streams). */
enum {
    ES_STREAM_ARRIVALS = 1,    /* arrival times (process level) */
    ES_STREAM_PARTY = 2,       /* party attributes, keyed by party serial */
    ES_STREAM_ATTEMPT = 3,     /* crossing outcomes, keyed by (party, attempt) */
    ES_STREAM_STASH = 4,       /* stash-house stay and extortion, keyed by party */
    ES_STREAM_NETWORKS = 5,    /* organizations, recruitment, break-ups */
    ES_STREAM_HSI = 6,         /* non-smuggling work streams, keyed by (program, item) */
    ES_STREAM_CASES = 7,       /* triage and case stages, keyed by lead and case */
    ES_STREAM_PROSECUTION = 8, /* charging, conviction, sentences, keyed by actor */
    ES_STREAM_ERO = 9          /* detention stays and removals */
};

typedef struct {
    uint64_t events;     /* events executed */
    uint64_t parties;    /* parties that arrived */
    size_t peak_parties; /* most parties alive at once */
    /* conservation ledger at the end of the run (people and parties) */
    uint64_t live_parties, terminal_parties;
} es_model_stats;

int es_model_months(const es_params *p);
es_status es_model_run(const es_params *p, es_rng_kind kind, uint64_t replication, double *monthly,
                       es_model_stats *stats, char *err, size_t errlen);

#endif
