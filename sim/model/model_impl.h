/* model_impl.h: the state of one replication, shared by the subsystem files
 * of sim/model/ (migration.c, border.c, model.c). Private to the model.
 *
 * Invariants: every party that arrived is either a live record in `parties`
 * in exactly one of the PS_* live states, or counted once in `terminal[]`;
 * state_count[] mirrors the live records' states. */
#ifndef ES_MODEL_IMPL_H
#define ES_MODEL_IMPL_H
#include <stdint.h>
#include <gsl/gsl_rng.h>
#include "../engine/engine.h"
#include "../engine/pool.h"
#include "metrics.h"
#include "params.h"

enum { EV_ARRIVAL, EV_ATTEMPT, EV_STASH_DONE, EV_MONTH_END, EV_COUNT };

/* Party states. Live states first; terminal outcomes release the record. */
enum { PS_STAGING, PS_WAITING_REATTEMPT, PS_IN_STASH, PS_N_LIVE };
enum { PT_DELIVERED, PT_DIED, PT_RELEASED, PT_RETURNED, PT_N_TERMINAL };

typedef struct {
    uint64_t serial;         /* arrival order: keys the party's random draws */
    double fee;              /* per person, USD; 0 when not smuggled */
    uint16_t size;
    uint8_t origin, type, method, smuggled, attempts, state;
} es_party;

typedef struct {
    const es_params *p;
    es_engine *eng;
    es_pool *parties;
    gsl_rng *r_arrivals, *r_party, *r_attempt, *r_stash;
    uint64_t seed, replication;
    double horizon;          /* days from start to the end of the last day */
    int n_months, month;     /* current month index into monthly[] */
    double *month_end;       /* [n_months] end of each month, in model days */
    double *monthly;         /* [metric][month], owned by the caller */
    uint64_t arrived, state_count[PS_N_LIVE], terminal[PT_N_TERMINAL];
    size_t peak_live;
    es_status status;
    char *err;
    size_t errlen;
} es_world;

static inline void es_world_add(es_world *w, int metric, double v)
{
    w->monthly[(size_t)metric * (size_t)w->n_months + (size_t)w->month] += v;
}

static inline void es_world_set_state(es_world *w, es_party *pt, int state)
{
    w->state_count[pt->state]--;
    pt->state = (uint8_t)state;
    w->state_count[state]++;
}

/* Day number of model time t. */
static inline int32_t es_world_day(const es_world *w, double t)
{
    return w->p->start_day + (int32_t)t;
}

/* migration.c */
void es_migration_start(es_world *w);
void es_migration_on_arrival(void *ctx, es_engine *eng, const es_event *ev);
void es_migration_on_stash_done(void *ctx, es_engine *eng, const es_event *ev);
void es_migration_finish(es_world *w, uint32_t id, int outcome);
/* border.c */
void es_border_on_attempt(void *ctx, es_engine *eng, const es_event *ev);

#endif
