/* eventq.c: the pending-event set (heap_impl.h holds its layout and the
 * inline sifts; this file owns allocation and the out-of-line public calls). */
#include <stdlib.h>
#include "../core/check.h"
#include "../core/mem.h"
#include "engine.h"
#include "heap_impl.h"

es_status es_eventq_init(es_eventq *q, size_t capacity_hint)
{
    size_t cap = capacity_hint < ES_EVENTQ_MIN_CAP ? ES_EVENTQ_MIN_CAP : capacity_hint;
    q->n = 0;
    q->a = es_reallocarray(NULL, cap, sizeof *q->a);
    q->cap = q->a ? cap : 0;
    return q->a ? ES_OK : ES_ERR_NOMEM;
}

void es_eventq_fini(es_eventq *q)
{
    free(q->a);
    q->a = NULL;
    q->n = q->cap = 0;
}

es_status es_eventq_grow(es_eventq *q)
{
    size_t cap = q->cap < ES_EVENTQ_MIN_CAP ? ES_EVENTQ_MIN_CAP : q->cap;
    if (cap > SIZE_MAX / 2) return ES_ERR_NOMEM;
    es_event *a = es_reallocarray(q->a, 2 * cap, sizeof *a);
    if (!a) return ES_ERR_NOMEM;
    q->a = a;
    q->cap = 2 * cap;
    return ES_OK;
}

es_eventq *es_eventq_new(size_t capacity_hint)
{
    es_eventq *q = es_malloc(sizeof *q);
    if (!q) return NULL;
    if (es_eventq_init(q, capacity_hint) != ES_OK) {
        free(q);
        return NULL;
    }
    return q;
}

void es_eventq_free(es_eventq *q)
{
    if (!q) return;
    es_eventq_fini(q);
    free(q);
}

es_status es_eventq_push(es_eventq *q, const es_event *e)
{
    ES_ASSERT(e->time == e->time); /* NaN would break the order */
    if (q->n == q->cap) {
        es_status st = es_eventq_grow(q);
        if (st != ES_OK) return st;
    }
    heap_sift_up(q->a, q->n++, *e);
    return ES_OK;
}

int es_eventq_pop(es_eventq *q, es_event *out)
{
    if (q->n == 0) return 0;
    *out = q->a[0];
    heap_pop_root(q);
    return 1;
}

const es_event *es_eventq_peek(const es_eventq *q)
{
    return q->n > 0 ? &q->a[0] : NULL;
}

size_t es_eventq_size(const es_eventq *q)
{
    return q->n;
}
