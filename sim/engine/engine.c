/* engine.c: the event loop, the clock and the handler table.
 *
 * Deferred pop. The loop does not remove the running event before calling
 * its handler: it copies a[0] out and leaves it in the heap, marked by
 * `held`. If the handler schedules an event, that event takes the held
 * root's slot and sifts down once ("replace-top"), which is exactly a pop
 * followed by a push in one sift instead of two: sifting down from the root
 * restores the heap whatever the new value. Later events from the same
 * handler are ordinary pushes. If the handler schedules nothing, the loop
 * pops the root after it returns. Most handlers schedule their entity's
 * next event, so most steps cost one sift. Measured against the bare
 * reference of tests/bench/run.sh (which pops, then pushes): hold 1e3 went
 * from 0.88 to 0.96 of its events/s, hold 1e6 from 0.87 to 0.97, M/M/1
 * unchanged.
 *
 * Invariants: handlers[t] is never NULL (unset types point at
 * missing_handler, so dispatch needs no check); every pending event has
 * time >= now; status is ES_OK until the first failure and never changes
 * after it. */
#include <math.h>
#include <stdlib.h>
#include "../core/check.h"
#include "../core/mem.h"
#include "engine.h"
#include "heap_impl.h"

struct es_engine {
    es_eventq q;          /* pending events (plus the held one, see above) */
    double now;           /* time of the event running or last run */
    uint64_t seq;         /* sequence number of the next scheduled event */
    uint64_t events;      /* events executed */
    es_handler *handlers; /* n_types entries, never NULL */
    uint32_t n_types;
    int held;         /* 1 while the running event still occupies a[0] */
    int stopping;     /* es_engine_stop() was called during this run */
    es_status status; /* sticky: the first non-OK status given to stop */
};

/* An event whose type has no handler is a bug in the model's set-up. */
static void missing_handler(void *ctx, es_engine *eng, const es_event *ev)
{
    (void)ctx;
    (void)eng;
    (void)ev;
    es_assert_fail("event type has a handler (es_engine_on)", __FILE__, __LINE__);
}

es_engine *es_engine_new(uint32_t n_types, size_t queue_hint)
{
    ES_ASSERT(n_types > 0);
    es_engine *e = es_calloc(1, sizeof *e);
    if (!e) return NULL;
    e->handlers = es_reallocarray(NULL, n_types, sizeof *e->handlers);
    if (!e->handlers || es_eventq_init(&e->q, queue_hint) != ES_OK) {
        free(e->handlers);
        free(e);
        return NULL;
    }
    for (uint32_t t = 0; t < n_types; t++) e->handlers[t] = missing_handler;
    e->n_types = n_types;
    e->status = ES_OK;
    return e;
}

void es_engine_free(es_engine *e)
{
    if (!e) return;
    es_eventq_fini(&e->q);
    free(e->handlers);
    free(e);
}

void es_engine_on(es_engine *e, uint32_t type, es_handler h)
{
    ES_ASSERT(type < e->n_types);
    e->handlers[type] = h ? h : missing_handler;
}

es_status es_engine_at(es_engine *e, double t, uint32_t type, uint32_t id)
{
    ES_ASSERT(t >= e->now); /* also rejects NaN */
    ES_ASSERT(type < e->n_types);
    const es_event ev = {.time = t, .seq = e->seq++, .type = type, .id = id};
    es_eventq *q = &e->q;
    if (e->held) { /* take the running event's slot */
        e->held = 0;
        heap_sift_down(q->a, q->n, 0, ev);
        return ES_OK;
    }
    if (q->n == q->cap && es_eventq_grow(q) != ES_OK) {
        /* Also made sticky, so a handler that ignores the return value
         * still ends the run with the failure. */
        es_engine_stop(e, ES_ERR_NOMEM);
        return ES_ERR_NOMEM;
    }
    heap_sift_up(q->a, q->n++, ev);
    return ES_OK;
}

double es_engine_now(const es_engine *e)
{
    return e->now;
}

void es_engine_stop(es_engine *e, es_status why)
{
    e->stopping = 1;
    if (e->status == ES_OK) e->status = why;
}

es_status es_engine_status(const es_engine *e)
{
    return e->status;
}

es_status es_engine_run(es_engine *e, void *ctx, double until)
{
    ES_ASSERT(until >= e->now); /* also rejects NaN */
    ES_ASSERT(!e->held);        /* not re-entered from a handler */
    es_eventq *q = &e->q;
    if (e->status != ES_OK) return e->status;
    while (!e->stopping && q->n > 0 && q->a[0].time <= until) {
        const es_event ev = q->a[0]; /* a copy: a[0] may be overwritten */
        ES_ASSERT(ev.time >= e->now);
        e->now = ev.time;
        e->events++;
        e->held = 1;
        e->handlers[ev.type](ctx, e, &ev);
        if (e->held) { /* nothing was scheduled */
            e->held = 0;
            heap_pop_root(q);
        }
    }
    if (e->stopping) {
        e->stopping = 0; /* consumed by this run */
        return e->status;
    }
    if (isfinite(until)) e->now = until;
    return ES_OK;
}

uint64_t es_engine_events(const es_engine *e)
{
    return e->events;
}

size_t es_engine_pending(const es_engine *e)
{
    return e->q.n - (size_t)e->held;
}
