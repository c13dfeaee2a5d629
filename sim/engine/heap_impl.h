/* heap_impl.h: private to sim/engine. The pending-event set's layout and its
 * inline heap operations, shared by eventq.c (the public es_eventq calls) and
 * engine.c (whose event loop inlines them instead of paying a call per step).
 *
 * Layout. es_eventq is an implicit d-ary min-heap in one array: a[0..n) holds
 * the pending events, the children of slot i are slots d*i+1 .. d*i+d, and no
 * child precedes its parent in (time, seq) order, so a[0] is the next event.
 * The array grows by doubling and never shrinks; 0 < n <= cap unless empty.
 *
 * Arity. d = 4 measured faster than d = 2 on every workload of `make bench`
 * (tests/bench/run.sh): half as many levels means half as many cache misses
 * when a million events no longer fit in cache, and the four children of a
 * slot are contiguous (96 bytes, two cache lines). ES_HEAP_ARITY overrides it
 * for experiments; it must be a power of two >= 2 only for speed, any >= 2
 * is correct.
 *
 * Sift with a hole. Both sifts carry the moving event in a local and shift
 * the others over a "hole", one copy per level instead of a swap.
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

/* The sifts are forced inline where the compiler supports it: GCC otherwise
 * keeps one shared out-of-line copy, and the call plus the round trip of the
 * event through memory cost more than the whole sift on a small heap. */
#if defined(__GNUC__)
#define HEAP_INLINE static inline __attribute__((always_inline))
#else
#define HEAP_INLINE static inline
#endif

/* Smallest capacity the set starts with, so a hint of 0 still works. */
#define ES_EVENTQ_MIN_CAP 16

struct es_eventq {
    es_event *a;    /* heap array; cap slots, the first n in use */
    size_t n;       /* pending events */
    size_t cap;     /* slots allocated */
};

/* For an engine that embeds its queue (engine.c): init allocates the array,
 * fini releases it. es_eventq_new/es_eventq_free wrap these. */
es_status es_eventq_init(es_eventq *q, size_t capacity_hint);
void es_eventq_fini(es_eventq *q);
/* Doubles the capacity (at least once); ES_ERR_NOMEM leaves q unchanged. */
es_status es_eventq_grow(es_eventq *q);

/* The total order of events: time first, then scheduling order. Written
 * with & and | rather than && and || so that it compiles to flag arithmetic
 * without branches: which child is smaller is a coin toss the branch
 * predictor cannot learn. */
HEAP_INLINE int heap_before(const es_event *x, const es_event *y)
{
#if ES_HEAP_BRANCHLESS
    return (x->time < y->time) | ((x->time == y->time) & (x->seq < y->seq));
#else
    return x->time < y->time || (x->time == y->time && x->seq < y->seq);
#endif
}

/* Index of the least of the ES_HEAP_ARITY children starting at c, all of
 * which exist. A tournament, so the selects do not depend on each other. */
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

/* Place *e at hole i (slots below i valid) and restore the heap by moving it
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

/* Place *e at hole i of a[0..n) and restore the heap below i. Used to remove
 * the root (e = the last event) and to replace it (e = a new event).
 *
 * Bottom-up (Floyd): the hole first goes all the way down along the least
 * children, one comparison per level and no early exit, then *e moves up
 * from that leaf to its place. Both callers sift an event that belongs near
 * the bottom (the last event is among the latest; a new event is at a
 * random rank, and most slots are near the leaves), so the climb is short,
 * while the classic sift-down would pay a second, unpredictable comparison
 * against *e at every level. */
#if !ES_HEAP_BOTTOMUP
HEAP_INLINE void heap_sift_down(es_event *a, size_t n, size_t i, const es_event x)
{
    for (;;) {
        size_t c = ES_HEAP_ARITY * i + 1;
        if (c >= n) break;
#if ES_HEAP_PREFETCH
        {
            size_t g = ES_HEAP_ARITY * c + 1;   /* first grandchild */
            if (g < n && n >= ES_HEAP_PREFETCH_MIN) {
                const char *p0 = (const char *)&a[g];
                const char *p1 = (const char *)&a[g + ES_HEAP_ARITY * ES_HEAP_ARITY] - 1;
                for (const char *p = p0; p <= p1; p += 64) __builtin_prefetch(p);
                __builtin_prefetch(p1);
            }
        }
#endif
        size_t m;
        if (c + ES_HEAP_ARITY <= n) m = heap_min_child(a, c);
        else {
            m = c;
            for (size_t k = c + 1; k < n; k++)
                if (heap_before(&a[k], &a[m])) m = k;
        }
        if (!heap_before(&a[m], &x)) break;
        a[i] = a[m];
        i = m;
    }
    a[i] = x;
}
#else
HEAP_INLINE void heap_sift_down(es_event *a, size_t n, size_t i, const es_event x)
{
    const size_t top = i;
    size_t c = ES_HEAP_ARITY * i + 1;
    while (c + ES_HEAP_ARITY <= n) {            /* all children present */
        size_t m = heap_min_child(a, c);
        a[i] = a[m];
        i = m;
        c = ES_HEAP_ARITY * i + 1;
    }
    if (c < n) {                                /* the one node with fewer */
        size_t m = c;
        for (size_t k = c + 1; k < n; k++)
            if (heap_before(&a[k], &a[m])) m = k;
        a[i] = a[m];
        i = m;
    }
    while (i > top) {                           /* climb back to x's place */
        size_t p = (i - 1) / ES_HEAP_ARITY;
        if (!heap_before(&x, &a[p])) break;
        a[i] = a[p];
        i = p;
    }
    a[i] = x;
}
#endif

/* Remove a[0]; the queue must not be empty. */
HEAP_INLINE void heap_pop_root(es_eventq *q)
{
    size_t n = --q->n;
    if (n > 0) heap_sift_down(q->a, n, 0, q->a[n]);
}

#endif
