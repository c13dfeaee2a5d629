/* heap_impl.h: private to sim/engine. The pending-event set's layout and its
 * inline heap operations, shared by eventq.c (the public es_eventq calls) and
 * engine.c, whose event loop inlines them rather than paying a call per step.
 *
 * Layout. es_eventq is an implicit d-ary min-heap in one array: a[0..n) holds
 * the pending events, the children of slot i are slots d*i+1 .. d*i+d, and no
 * child precedes its parent in (time, seq) order, so a[0] is the next event.
 * The array grows by doubling and never shrinks; n <= cap.
 *
 * Choices, each measured with the workloads of tests/bench/run.sh against
 * the bare binary heap of the reference
 * benchmarks (docs/development.md, Benchmarks), on a shared 2-core machine (best
 * of 2 to 5 runs; figures are events/s as a fraction of the reference's):
 *   - d = 4 with a branch-free choice of the least child, and software
 *     prefetch of the grandchildren on large heaps: hold 1e3 0.94, hold 1e6
 *     1.12. With d = 2 the same code gave 0.99 and 0.77: a binary heap has
 *     twice the levels, so twice the dependent cache misses.
 *   - Branch-free comparisons: which child is least is a coin toss that the
 *     branch predictor cannot learn (d = 4 with branches: hold 1e3 0.75). But
 *     once the heap outgrows the cache, branchy code was faster, because the
 *     CPU speculates down the tree and overlaps the misses (d = 2 branch-free
 *     without prefetch: hold 1e6 0.43); the explicit prefetch restores that
 *     overlap.
 *   - Prefetch only from ES_HEAP_PREFETCH_MIN events up: on a heap that fits
 *     in L1/L2 it cost 4% (hold 1e3); it was neutral at 1e4 pending events,
 *     +10% at 1e5 and +40% at 1e6.
 *   - Classic top-down sift-down with early exit. Floyd's bottom-up variant
 *     (down to a leaf, then back up) was no faster with the same d and
 *     comparisons (hold 1e6: 0.71 to 0.91 against 0.82 to 0.88) and always
 *     walks to the cold bottom levels.
 * ES_HEAP_ARITY overrides d for experiments; any d >= 2 is correct.
 *
 * Sift with a hole. Both sifts carry the moving event in a local and shift
 * the others over a "hole": one copy per level instead of a swap.
 *
 * Nothing here allocates; growth lives in eventq.c. */
#ifndef ES_HEAP_IMPL_H
#define ES_HEAP_IMPL_H
#include <stddef.h>
#include "engine.h"

#ifndef ES_HEAP_ARITY
#define ES_HEAP_ARITY 4
#endif
#if ES_HEAP_ARITY < 2
#error "ES_HEAP_ARITY must be at least 2"
#endif

/* Heaps with at least this many events prefetch (see above). */
#define ES_HEAP_PREFETCH_MIN 16384
/* Bytes per prefetch; 64 on every x86-64 and most ARM cores. */
#define ES_HEAP_CACHE_LINE   64
/* Smallest capacity the set starts with, so a hint of 0 still works. */
#define ES_EVENTQ_MIN_CAP    16

/* The sifts are forced inline where the compiler supports it: GCC otherwise
 * keeps one shared out-of-line copy, and the call plus the round trip of the
 * event through memory cost more than the whole sift on a small heap. */
#if defined(__GNUC__)
#define HEAP_INLINE      static inline __attribute__((always_inline))
#define HEAP_PREFETCH(p) __builtin_prefetch(p)
#else
#define HEAP_INLINE      static inline
#define HEAP_PREFETCH(p) ((void)(p))
#endif

struct es_eventq {
    es_event *a; /* heap array; cap slots, the first n in use */
    size_t n;    /* pending events */
    size_t cap;  /* slots allocated */
};

/* For an engine that embeds its queue (engine.c): init allocates the array,
 * fini releases it. es_eventq_new/es_eventq_free wrap these. */
es_status es_eventq_init(es_eventq *q, size_t capacity_hint);
void es_eventq_fini(es_eventq *q);
/* Doubles the capacity; ES_ERR_NOMEM leaves q unchanged. */
es_status es_eventq_grow(es_eventq *q);

/* The total order of events: time first, then scheduling order. & and |
 * instead of && and || so that it compiles to flag arithmetic, not branches. */
HEAP_INLINE int heap_before(const es_event *x, const es_event *y)
{
    return (x->time < y->time) | ((x->time == y->time) & (x->seq < y->seq));
}

/* Index of the least of the ES_HEAP_ARITY children starting at c, all of
 * which exist. For d = 4, a tournament: the two first-round selects do not
 * depend on each other. */
HEAP_INLINE size_t heap_min_child(const es_event *a, size_t c)
{
#if ES_HEAP_ARITY == 2
    return c + (size_t)heap_before(&a[c + 1], &a[c]);
#elif ES_HEAP_ARITY == 4
    size_t l = c + (size_t)heap_before(&a[c + 1], &a[c]);
    size_t r = c + 2 + (size_t)heap_before(&a[c + 3], &a[c + 2]);
    return heap_before(&a[r], &a[l]) ? r : l;
#else
    size_t m = c;
    for (size_t k = c + 1; k < c + ES_HEAP_ARITY; k++)
        if (heap_before(&a[k], &a[m])) m = k;
    return m;
#endif
}

/* Index of the least of the children c .. n-1 of the one node that has
 * fewer than ES_HEAP_ARITY. */
HEAP_INLINE size_t heap_min_partial(const es_event *a, size_t c, size_t n)
{
    size_t m = c;
    for (size_t k = c + 1; k < n; k++)
        if (heap_before(&a[k], &a[m])) m = k;
    return m;
}

/* Start loading the grandchildren of the node whose first child is c: they
 * are contiguous, d*d slots from d*c+1. By the time the sift has picked a
 * child and moved down, its children are (being) fetched. */
HEAP_INLINE void heap_prefetch_grandchildren(const es_event *a, size_t n, size_t c)
{
    size_t g = ES_HEAP_ARITY * c + 1;
    if (g >= n) return;
    size_t end = n - g < ES_HEAP_ARITY * ES_HEAP_ARITY ? n : g + ES_HEAP_ARITY * ES_HEAP_ARITY;
    const char *p = (const char *)&a[g], *last = (const char *)&a[end] - 1;
    for (; p < last; p += ES_HEAP_CACHE_LINE) HEAP_PREFETCH(p);
    HEAP_PREFETCH(last);
}

/* Place x at hole i (slots before i valid) and restore the heap by moving x
 * up. Used for insertion at i = n - 1. */
HEAP_INLINE void heap_sift_up(es_event *a, size_t i, const es_event x)
{
    while (i > 0) {
        size_t p = (i - 1) / ES_HEAP_ARITY;
        if (!heap_before(&x, &a[p])) break;
        a[i] = a[p];
        i = p;
    }
    a[i] = x;
}

/* Place x at hole i of a[0..n) and restore the heap below i by moving x
 * down. Used to remove the root (x = the last event) and to replace it
 * (x = a new event). */
HEAP_INLINE void heap_sift_down(es_event *a, size_t n, size_t i, const es_event x)
{
    const int far = n >= ES_HEAP_PREFETCH_MIN;
    for (;;) {
        size_t c = ES_HEAP_ARITY * i + 1;
        if (c >= n) break;
        if (far) heap_prefetch_grandchildren(a, n, c);
        size_t m = n - c >= ES_HEAP_ARITY ? heap_min_child(a, c) : heap_min_partial(a, c, n);
        if (!heap_before(&a[m], &x)) break;
        a[i] = a[m];
        i = m;
    }
    a[i] = x;
}

/* Remove a[0]; the queue must not be empty. */
HEAP_INLINE void heap_pop_root(es_eventq *q)
{
    size_t n = --q->n;
    if (n > 0) heap_sift_down(q->a, n, 0, q->a[n]);
}

#endif
