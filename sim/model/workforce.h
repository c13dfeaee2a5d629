/* workforce.h: agents and officers as servers (MODEL.md 2.4, 2.8).
 *
 * A workforce is a set of pools (HSI programs, ERO tasks). Each pool has a
 * number of servers (agents), each giving `rate` case hours per calendar
 * day, and serves work items (a demand in hours) one per server, highest
 * priority class first, FIFO within a class. Class 0 is reactive work: when
 * every server is busy it pre-empts the lowest-priority discretionary item,
 * whose remaining hours go back to the head of its class.
 *
 * A queued item that waits longer than its pool's shelf life is dropped
 * (the owner is told). Hours used and available are accumulated per pool
 * into monthly metrics, split exactly at month boundaries, so used never
 * exceeds available.
 *
 * Items live in an es_pool; a pre-empted item's id is kept until its stale
 * completion event arrives (each scheduled event is consumed exactly once,
 * so a reused id can never receive an old event). */
#ifndef ES_WORKFORCE_H
#define ES_WORKFORCE_H
#include <stddef.h>
#include <stdint.h>
#include "../core/status.h"

#define ES_PRIO_N 6 /* priority classes; 0 = reactive, pre-empts */

struct es_world;

typedef struct {
    double hours; /* remaining demand */
    double enq_time, start;
    uint32_t next; /* FIFO link while queued; index in the pool's serving list while served */
    uint32_t ref;  /* owner's reference (case, lead) */
    uint16_t pool;
    uint8_t prio, kind, state;
} es_work;

/* Create an item and queue it (or start it). ES_ERR_NOMEM on failure. */
es_status es_work_submit(struct es_world *w, int pool, int prio, int kind, uint32_t ref,
                         double hours);
/* Change a pool's server count now (reassignment, budget). */
void es_work_set_servers(struct es_world *w, int pool, int servers);
int es_work_servers(const struct es_world *w, int pool);
/* Account available hours up to now (called at month ends). */
void es_work_account(struct es_world *w);
/* Drop queued items past their shelf life in every pool. */
void es_work_expire(struct es_world *w);
size_t es_work_queued(const struct es_world *w, int pool);
/* Remove every item of class prio in the pool, waiting or in service, for
 * which leave() returns nonzero: its hours so far are accounted and
 * es_hsi_on_work_dropped() is told. It does not start waiting work on
 * the servers it frees: call it just before lowering the server count
 * (es_work_set_servers then fills them), so that the work of agents who
 * leave goes with them and nothing starts only to be pre-empted. */
void es_work_remove_if(struct es_world *w, int pool, int prio,
                       int (*leave)(struct es_world *w, const es_work *it, void *ctx), void *ctx);

#endif
