/* workforce.h: pools of servers serving prioritized work items
 * (docs/model.md, HSI: workforce pools; ERO: HSI agents and ERO officers). The workforce knows nothing of the
 * domain: what an item means is the business of its kind's handlers.
 *
 * A workforce holds n pools. Each pool has a number of servers, each giving
 * `rate` hours of work per day, and serves items (a demand in hours) one per
 * server: highest priority class first (0 is highest), FIFO within a class.
 * Class 0 pre-empts: an item of class 0 submitted when every server is busy
 * stops the most recently started item of the lowest class in service (if
 * any class above 0 is in service), whose remaining hours go back to the
 * head of its class. Items of class ES_PRIO_EXPIRES and above that wait
 * longer than the pool's shelf life are dropped when the pool is next
 * filled (at a completion, a server change or es_work_expire); classes
 * below it never expire.
 *
 * Servers: es_work_set_servers takes effect now. Raising the count starts
 * queued work at once; lowering it pre-empts items in service, lowest class
 * and most recently started first, and puts their remaining hours back at
 * the head of their class (the same as pre-emption by class 0).
 *
 * Handlers: each kind (0 .. ES_WORK_KINDS-1) registers an es_work_kind; a
 * NULL hook is skipped. For every item, on_done or on_dropped is called
 * exactly once, never both; on_start is called at each (re)start of service
 * and on_hours for each stretch of hours worked. Submitting an item of a
 * kind never registered is a bug (asserted).
 *
 * Hours: each pool counts hours used and available into two metric ids it
 * was given (opaque to the workforce) through the span hook, which adds
 * `per_day` per day over [t0, t1). Used hours of a pool never exceed its
 * available hours over any interval that es_work_account closes.
 *
 * Events: completions are scheduled on the engine with the event type given
 * to es_workforce_new, id = the item's id; the owner's handler for that type
 * calls es_work_done. A pre-empted or removed item keeps its id until its
 * completion event arrives (each scheduled event is consumed exactly once,
 * so a reused id can never receive an old event).
 *
 * Out of memory inside the pool stops the engine with ES_ERR_NOMEM. Time is
 * the engine's (days). */
#ifndef ES_WORKFORCE_H
#define ES_WORKFORCE_H
#include <stddef.h>
#include <stdint.h>
#include "../core/status.h"
#include "../engine/engine.h"

#define ES_PRIO_N          6 /* priority classes; 0 = pre-empts */
#define ES_PRIO_EXPIRES    2 /* classes from this one on are dropped past the shelf life */
/* The last class is background work (what servers do when nothing else
 * waits): an item of any other class submitted when every server is busy
 * pre-empts a background item in service, as class 0 pre-empts the rest. */
#define ES_PRIO_BACKGROUND (ES_PRIO_N - 1)
#define ES_WORK_KINDS      16 /* kinds an item may have */

typedef struct {
    double hours;    /* remaining demand */
    double enq_time; /* when it joined the queue (restarts after pre-emption) */
    double start;    /* when its current service began */
    uint32_t next;   /* while served: index in the pool's serving list */
    uint32_t ref;    /* owner's reference (case, lead, batch) */
    uint16_t pool;
    uint8_t prio, kind, state;
} es_work;

/* A kind's hooks; ctx is the workforce's. */
typedef struct {
    void (*on_start)(void *ctx, const es_work *it);
    /* The item's id is already released: keep no reference to it. */
    void (*on_done)(void *ctx, const es_work *it);
    /* Expired in the queue, or removed by es_work_remove_if. */
    void (*on_dropped)(void *ctx, const es_work *it);
    /* Hours worked on the item over [t0, t1) at per_day hours a day, after
     * they were counted to the pool (for per-kind metrics). */
    void (*on_hours)(void *ctx, const es_work *it, double t0, double t1, double per_day);
} es_work_kind;

/* Adds per_day a day over [t0, t1) to a metric. */
typedef void (*es_work_span_fn)(void *ctx, int metric, double t0, double t1, double per_day);

typedef struct es_workforce es_workforce;

/* n_pools pools with no servers, rate 1 and infinite shelf life; completion
 * events of type ev_done on eng; ctx is passed to every hook. NULL when out
 * of memory. */
es_workforce *es_workforce_new(es_engine *eng, uint32_t ev_done, int n_pools, void *ctx,
                               es_work_span_fn span);
void es_workforce_free(es_workforce *wf); /* accepts NULL */
/* Register a kind's hooks (copied). */
void es_workforce_kind(es_workforce *wf, int kind, const es_work_kind *k);
/* Set a pool's hours per server-day (> 0), shelf life (days, >= 0, may be
 * infinite) and metric ids. */
void es_workforce_pool(es_workforce *wf, int pool, double rate, double shelf, int m_used,
                       int m_avail);

/* Make a pool fluid, before any work reaches it. A fluid pool serves
 * divisible work (docs/model.md, ERO: processing and detention management):
 * no items, no events, a backlog of hours that every server works down at
 * `rate` hours a day, first in first out; hours that would wait longer than
 * the shelf life are never done. Used hours are booked as worked. */
void es_workforce_fluid(es_workforce *wf, int pool);
/* Add hours to a fluid pool's backlog. */
void es_work_add(es_workforce *wf, int pool, double hours);
/* Create an item and start it or queue it (not in a fluid pool). ES_ERR_NOMEM on failure. */
es_status es_work_submit(es_workforce *wf, int pool, int prio, int kind, uint32_t ref,
                         double hours);
/* The completion event of item `id` (the ev_done handler calls it). */
void es_work_done(es_workforce *wf, uint32_t id);
/* Change a pool's server count now (counts available hours up to now first). */
void es_work_set_servers(es_workforce *wf, int pool, int servers);
int es_work_servers(const es_workforce *wf, int pool);
/* Count available hours of every pool up to now (call at month ends). */
void es_work_account(es_workforce *wf);
/* Book the hours of every item in service up to now (call at month ends,
 * before es_work_account): used hours then accrue month by month. */
void es_work_accrue(es_workforce *wf);
/* Drop queued items past their shelf life in every pool, then fill them. */
void es_work_expire(es_workforce *wf);
size_t es_work_queued(const es_workforce *wf, int pool);
size_t es_work_serving(const es_workforce *wf, int pool);
/* Hours of the items waiting in a pool (all classes); walks the queues. A
 * fluid pool's backlog, in progress or not. */
double es_work_queued_hours(const es_workforce *wf, int pool);
/* Remove every item of class prio in the pool, waiting or in service, for
 * which leave() returns nonzero: its hours so far are counted and its kind's
 * on_dropped is called. It does not start waiting work on the servers it
 * frees: call it just before lowering the server count (es_work_set_servers
 * then fills them), so that the work of servers who leave goes with them and
 * nothing starts only to be pre-empted. The hooks it calls may read the
 * pool but must not put work of class prio in it (asserted). */
void es_work_remove_if(es_workforce *wf, int pool, int prio,
                       int (*leave)(void *ctx, const es_work *it, void *arg), void *arg);

#endif
