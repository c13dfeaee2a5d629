/* eventq.c: the pending-event set (heap_impl.h holds its layout and the
 * inline sifts; this file owns allocation, renumbering and the out-of-line
 * public calls). */
#include <stdint.h>
#include <stdlib.h>
#include "../core/check.h"
#include "../core/mem.h"
#include "engine.h"
#include "heap_impl.h"

/* Slots are 32-bit indices, ES_HEAP_NO_SLOT excluded. */
#define MAX_CAP ((size_t)UINT32_MAX - 1)

/* A queue that holds nothing and owns no memory. */
static const es_eventq EMPTY = {.free_slot = ES_HEAP_NO_SLOT, .seq_limit = UINT32_MAX};

/* Node storage for cap nodes with &a[1] on a cache-line boundary, so that
 * the four children of every node (4i+1 .. 4i+4) share one line. */
static heap_node *alloc_nodes(size_t cap, void **mem)
{
    if (cap > (SIZE_MAX - ES_HEAP_CACHE_LINE) / sizeof(heap_node)) return NULL;
    char *raw = es_malloc(cap * sizeof(heap_node) + ES_HEAP_CACHE_LINE);
    if (!raw) return NULL;
    uintptr_t want = ES_HEAP_CACHE_LINE - sizeof(heap_node); /* a[0]'s offset in a line */
    uintptr_t off = (want - (uintptr_t)raw % ES_HEAP_CACHE_LINE) % ES_HEAP_CACHE_LINE;
    *mem = raw;
    return (heap_node *)(void *)(raw + off);
}

es_status es_eventq_init(es_eventq *q, size_t capacity_hint)
{
    size_t cap = capacity_hint < ES_EVENTQ_MIN_CAP ? ES_EVENTQ_MIN_CAP : capacity_hint;
    *q = EMPTY;
    if (cap > MAX_CAP) return ES_ERR_NOMEM;
    q->a = alloc_nodes(cap, &q->mem);
    q->p = q->a ? es_reallocarray(NULL, cap, sizeof *q->p) : NULL;
    if (!q->p) {
        free(q->mem);
        *q = EMPTY;
        return ES_ERR_NOMEM;
    }
    q->cap = cap;
    return ES_OK;
}

void es_eventq_fini(es_eventq *q)
{
    free(q->mem);
    free(q->p);
    *q = EMPTY;
}

es_status es_eventq_grow(es_eventq *q)
{
    size_t cap = q->cap < ES_EVENTQ_MIN_CAP ? ES_EVENTQ_MIN_CAP : q->cap;
    if (cap > MAX_CAP / 2) return ES_ERR_NOMEM;
    void *mem;
    heap_node *a = alloc_nodes(2 * cap, &mem);
    if (!a) return ES_ERR_NOMEM;
    heap_payload *p = es_reallocarray(q->p, 2 * cap, sizeof *p);
    if (!p) {
        free(mem);
        return ES_ERR_NOMEM;
    }
    if (q->n > 0) memcpy(a, q->a, q->n * sizeof *a);
    free(q->mem);
    q->a = a;
    q->mem = mem;
    q->p = p;
    q->cap = 2 * cap;
    return ES_OK;
}

void es_eventq_renumber(es_eventq *q)
{
    /* Heapsort in place: each step moves the least node to the end of the
     * shrinking heap, which leaves a[0..n) in decreasing order; reversed, it
     * is in increasing (key, order) order, which is a heap (every parent
     * precedes its children) with the least node, the held root of the
     * engine included, still at a[0]. A node's rank there is its new
     * number: ranks keep the order of every pair of nodes, equal keys
     * included. No allocation, so scheduling never fails for this. */
    heap_node *a = q->a;
    for (size_t m = q->n; m > 1; m--) {
        heap_node least = a[0];
        heap_sift_down(a, m - 1, 0, a[m - 1]);
        a[m - 1] = least;
    }
    for (size_t i = 0, j = q->n; i + 1 < j; i++, j--) {
        heap_node t = a[i];
        a[i] = a[j - 1];
        a[j - 1] = t;
    }
    for (size_t r = 0; r < q->n; r++) a[r].order = (uint64_t)r << 32 | heap_slot(&a[r]);
    q->seq = (uint32_t)q->n;
}

void es_eventq_set_seq_limit(es_eventq *q, uint32_t limit)
{
    ES_ASSERT(limit > q->n);
    q->seq_limit = limit;
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
    heap_push(q, heap_key(e->time + 0.0), heap_next_order(q), e->type, e->id);
    return ES_OK;
}

int es_eventq_pop(es_eventq *q, es_event *out)
{
    if (q->n == 0) return 0;
    *out = heap_root_event(q);
    heap_pop_root(q);
    return 1;
}

int es_eventq_peek(const es_eventq *q, es_event *out)
{
    if (q->n == 0) return 0;
    *out = heap_root_event(q);
    return 1;
}

size_t es_eventq_size(const es_eventq *q)
{
    return q->n;
}
