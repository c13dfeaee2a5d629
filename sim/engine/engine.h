/* engine.h: the discrete-event engine. It knows nothing about the domain.
 *
 * Semantics. An event is (time, type, id). Events are executed in order of
 * time; events with equal time run in the order they were scheduled, so a
 * run is fully deterministic. `type` selects a handler from the table set with
 * es_engine_on(); `id` is an entity handle the handler interprets (usually
 * an es_pool id). Time is a double in the model's unit (days for enforcesim).
 *
 * Ownership. The engine owns its pending-event set; the caller owns the
 * context pointer passed to handlers. Handlers return void: a recoverable
 * failure calls es_engine_stop() with a status, which the run returns.
 *
 * The event loop does no allocation once the pending-event set has grown to
 * its working size (size it with the hint), no I/O and no formatting.
 *
 * Errors. Bugs are assertions (sim/core/check.h): scheduling in the past or
 * at NaN, a type >= n_types, dispatching a type that has no handler, running
 * to a time before now. Running out of memory is a status: es_engine_at()
 * returns ES_ERR_NOMEM and also makes it the engine's sticky status, so a
 * handler that ignores the return value still ends the run with it.
 *
 * Memory is the handler table plus 24 bytes per event pending in the heap
 * at the peak (a 16-byte node and an 8-byte payload, heap_impl.h); the set
 * grows by doubling (for a moment the old nodes and the new array both
 * exist) and never shrinks. Buckets take chunks of 32 events of
 * 16 bytes from an arena that doubles when it runs out and recycles the
 * chunks of every bucket the clock reaches: memory within about twice the
 * pending events plus a chunk per bucket in use. */
#ifndef ES_ENGINE_H
#define ES_ENGINE_H
#include <stddef.h>
#include <stdint.h>
#include "../core/status.h"

typedef struct {
    double time;
    uint32_t type;
    uint32_t id;
} es_event;

/* ---- pending-event set (usable alone, e.g. by benchmarks) ---- */
typedef struct es_eventq es_eventq;

es_eventq *es_eventq_new(size_t capacity_hint);
void es_eventq_free(es_eventq *q); /* accepts NULL */
/* Insert a copy of *e (time not NaN; -0.0 counts as +0.0). Events of equal
 * time leave in the order they were pushed. Grows by doubling when full.
 * ES_ERR_NOMEM if growth fails, q unchanged. */
es_status es_eventq_push(es_eventq *q, const es_event *e);
/* Remove the first event (least time, then first pushed) into *out;
 * returns 0 when empty. */
int es_eventq_pop(es_eventq *q, es_event *out);
/* Copy the first event into *out without removing it; 0 when empty. */
int es_eventq_peek(const es_eventq *q, es_event *out);
size_t es_eventq_size(const es_eventq *q);

/* ---- the engine ---- */
typedef struct es_engine es_engine;
/* ctx is the pointer given to es_engine_run(); ev points to a copy of the
 * event that stays valid for the call, even if the handler schedules more. */
typedef void (*es_handler)(void *ctx, es_engine *eng, const es_event *ev);

/* Event types are 0 .. n_types-1 (n_types > 0); queue_hint is the expected
 * peak number of pending events. The clock starts at 0. NULL if out of memory. */
es_engine *es_engine_new(uint32_t n_types, size_t queue_hint);
void es_engine_free(es_engine *e); /* accepts NULL */
/* Keep events more than a bucket ahead out of the heap (engine.c, Far
 * events): time is cut into buckets of `width` (> 0, finite), and an event
 * waits unsorted in its bucket until the clock reaches the bucket. The
 * order of events and so every run are unchanged; a model whose pending
 * events mostly lie far ahead runs faster with a width of about the time in
 * which a few thousand events happen. Call before scheduling anything.
 * ES_ERR_NOMEM if out of memory (the engine then works without buckets). */
es_status es_engine_buckets(es_engine *e, double width);
/* Set the handler of `type`; NULL unsets it (dispatching it then asserts). */
void es_engine_on(es_engine *e, uint32_t type, es_handler h);
/* Schedule at absolute time t >= now (asserted). Callable from handlers; an
 * event at t == now runs after every event already scheduled at now. */
es_status es_engine_at(es_engine *e, double t, uint32_t type, uint32_t id);
double es_engine_now(const es_engine *e);
/* Ask the loop to stop after the current handler; the first non-OK status
 * sticks. A stop with ES_OK ends only the current run (or, called between
 * runs, the next one before it executes anything). A non-OK status is final:
 * every later run returns it at once and executes nothing. */
void es_engine_stop(es_engine *e, es_status why);
es_status es_engine_status(const es_engine *e); /* the sticky status */
/* Run events with time <= until (or until empty/stopped); until >= now
 * (asserted). If the run was not stopped the clock ends at `until`, or, when
 * until is +infinity, at the last event's time. A stopped run leaves the
 * clock at the last event executed. Returns the sticky status (ES_OK after a
 * stop with ES_OK). Not re-entrant: handlers must not call it. */
es_status es_engine_run(es_engine *e, void *ctx, double until);
uint64_t es_engine_events(const es_engine *e); /* events executed so far */
/* Events scheduled and not yet executed (the running one excluded). */
size_t es_engine_pending(const es_engine *e);

#endif
