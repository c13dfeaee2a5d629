/* heap_impl.h: private to sim/engine. The pending-event set's layout and its
 * inline heap operations, shared by eventq.c (the public es_eventq calls) and
 * engine.c, whose event loop inlines them rather than paying a call per step.
 *
 * Layout. es_eventq is an implicit d-ary min-heap of 16-byte nodes in one
 * array: a[0..n) holds the pending events, the children of slot i are slots
 * d*i+1 .. d*i+d, and no child precedes its parent in (time, order), so a[0]
 * is the next event. A node carries only what the sifts compare: the time as
 * an unsigned key that orders like the double, and `order`, the push's
 * sequence number (high 32 bits) above the index of the slot in p[] that
 * holds the event's type and id (low 32 bits). Sequence numbers are unique
 * among pending events, so the slot never decides the order; it only rides
 * along. The payload stays put in p[] while its node moves: a sift moves 16
 * bytes per level and a node's four children fill exactly one cache line
 * (the array is placed so that a[1] starts a line), where 24-byte events
 * (time, 64-bit seq, type, id) spanned two. Reading p[] costs one access per
 * event executed, not one per level.
 *
 * Sequence numbers are 32 bits and restart when they run out (about once
 * per 2^32 pushes): es_eventq_renumber() sorts the nodes in place and gives
 * each its rank as its number, which keeps every comparison between pending
 * events as it was and, since a sorted array is a heap, the heap too. It
 * allocates nothing, so a handler that only reschedules its own entity
 * never allocates, however long the run.
 *
 * Choices, each measured with the workloads of tests/bench/run.sh against
 * the bare binary heap of the reference benchmarks (docs/development.md,
 * Benchmarks), on a shared 2-core machine (events/s as a fraction of the
 * reference's):
 *   - 16-byte nodes with the payload apart, and the next root's payload
 *     prefetched (heap_prefetch_next_root): hold 1e3 1.00 -> 1.05, hold 1e6
 *     0.92 -> 1.09 against 24-byte events sifted whole (same session). The
 *     payload apart without that prefetch made hold 1e6 slower than the
 *     24-byte events (0.6 to 0.9 of their events/s, on a loaded machine):
 *     the root's payload was a cache miss the next step waited for.
 *   - d = 4 with a branch-free choice of the least child, and software
 *     prefetch of the grandchildren on large heaps: with 24-byte events,
 *     hold 1e3 0.94 and hold 1e6 1.12 on the machine of that day, where
 *     d = 2 gave 0.99 and 0.77: a binary heap has twice the levels, so twice
 *     the dependent cache misses.
 *   - Branch-free comparisons: which child is least is a coin toss that the
 *     branch predictor cannot learn (d = 4 with branches: hold 1e3 0.75). But
 *     once the heap outgrows the cache, branchy code was faster, because the
 *     CPU speculates down the tree and overlaps the misses (d = 2 branch-free
 *     without prefetch: hold 1e6 0.43); the explicit prefetch restores that
 *     overlap.
 *   - Integer keys: two (key, order) pairs compare as one 128-bit unsigned
 *     number where the compiler has one (a subtraction with borrow, no
 *     floating-point equality test), and any double orders right, negative
 *     ones included (the set alone accepts them). Against the same pairs
 *     compared as (key < key) | ((key == key) & (order < order)): hold 1e3
 *     1.42e7 -> 2.00e7 events/s, hold 1e6 6.2e6 -> 7.6e6 (medians of 5
 *     alternating runs), M/M/1 unchanged, the model 0.965 (farm-bench).
 *   - Prefetch only from ES_HEAP_PREFETCH_MIN events up: on a heap that fits
 *     in L1/L2 it cost 4% (hold 1e3); it was neutral at 1e4 pending events,
 *     +10% at 1e5 and +40% at 1e6.
 *   - Classic top-down sift-down with early exit. Floyd's bottom-up variant
 *     (down to a leaf, then back up) was no faster with the same d and
 *     comparisons and always walks to the cold bottom levels.
 * ES_HEAP_ARITY overrides d for experiments; any d >= 2 is correct.
 *
 * Sift with a hole. Both sifts carry the moving node in a local and shift
 * the others over a "hole": one copy per level instead of a swap.
 *
 * Nothing here allocates; growth lives in eventq.c. */
#ifndef ES_HEAP_IMPL_H
#define ES_HEAP_IMPL_H
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "engine.h"

#ifndef ES_HEAP_ARITY
#define ES_HEAP_ARITY 4
#endif
#if ES_HEAP_ARITY < 2
#error "ES_HEAP_ARITY must be at least 2"
#endif

/* Heaps with at least this many events prefetch (see above). */
#define ES_HEAP_PREFETCH_MIN 16384
/* Bytes per prefetch and the alignment of a[1]; 64 on every x86-64 and most
 * ARM cores. */
#define ES_HEAP_CACHE_LINE   64
/* Smallest capacity the set starts with, so a hint of 0 still works. */
#define ES_EVENTQ_MIN_CAP    16
/* End of the free list of payload slots. */
#define ES_HEAP_NO_SLOT      UINT32_MAX

/* The sifts are forced inline where the compiler supports it: GCC otherwise
 * keeps one shared out-of-line copy, and the call plus the round trip of the
 * event through memory cost more than the whole sift on a small heap. */
#if defined(__GNUC__)
#define HEAP_INLINE      static inline __attribute__((always_inline))
#define HEAP_PREFETCH(p) __builtin_prefetch(p)
#define HEAP_UNLIKELY(x) __builtin_expect(!!(x), 0)
#else
#define HEAP_INLINE      static inline
#define HEAP_PREFETCH(p) ((void)(p))
#define HEAP_UNLIKELY(x) (x)
#endif

typedef struct {
    uint64_t key;   /* heap_key(time) */
    uint64_t order; /* sequence number << 32 | payload slot */
} heap_node;

typedef struct {
    uint32_t type;
    uint32_t id; /* while the slot is free: the next free slot */
} heap_payload;

struct es_eventq {
    heap_node *a;        /* cap nodes, the first n in use; &a[1] is line-aligned */
    void *mem;           /* the allocation that holds a */
    heap_payload *p;     /* cap payload slots */
    size_t n;            /* pending events */
    size_t cap;          /* nodes and slots allocated */
    uint32_t free_slot;  /* head of the free slots' list, or ES_HEAP_NO_SLOT */
    uint32_t used_slots; /* slots [0, used_slots) have been handed out */
    uint32_t seq;        /* sequence number of the next push */
    uint32_t seq_limit;  /* renumber when seq reaches it (UINT32_MAX) */
};

/* For an engine that embeds its queue (engine.c): init allocates the arrays,
 * fini releases them. es_eventq_new/es_eventq_free wrap these. */
es_status es_eventq_init(es_eventq *q, size_t capacity_hint);
void es_eventq_fini(es_eventq *q);
/* Doubles the capacity; ES_ERR_NOMEM leaves q unchanged. */
es_status es_eventq_grow(es_eventq *q);
/* Replaces the pending events' sequence numbers by their ranks in (time,
 * sequence number) order and restarts the count after them. O(n log n),
 * in place. */
void es_eventq_renumber(es_eventq *q);
/* Tests only: the sequence number at which the queue renumbers, so that a
 * test reaches it without 2^32 pushes. limit > the pending events. */
void es_eventq_set_seq_limit(es_eventq *q, uint32_t limit);
/* Tests only: the engine's heap (far = 0) or far heap (far = 1, buckets
 * on), to set its sequence limit. */
es_eventq *es_engine_queue(es_engine *e, int far);

/* A double's bits, mapped so that unsigned order is the doubles' order
 * (negative values with their bits flipped, others with the sign set).
 * -0.0 and +0.0 map apart; callers add 0.0 first, which makes -0.0 +0.0. */
HEAP_INLINE uint64_t heap_key(double t)
{
    uint64_t b;
    memcpy(&b, &t, sizeof b);
    return b >> 63 ? ~b : b | (UINT64_C(1) << 63);
}

HEAP_INLINE double heap_time(uint64_t key)
{
    uint64_t b = key >> 63 ? key & ~(UINT64_C(1) << 63) : ~key;
    double t;
    memcpy(&t, &b, sizeof t);
    return t;
}

HEAP_INLINE uint32_t heap_slot(const heap_node *x)
{
    return (uint32_t)x->order;
}

/* The total order of events: time first, then push order. As one 128-bit
 * comparison (a subtraction with borrow) where the compiler has it; else
 * & and | instead of && and || so that it compiles to flag arithmetic, not
 * branches. */
HEAP_INLINE int heap_before(const heap_node *x, const heap_node *y)
{
#if defined(__SIZEOF_INT128__)
    unsigned __int128 a = (unsigned __int128)x->key << 64 | x->order;
    unsigned __int128 b = (unsigned __int128)y->key << 64 | y->order;
    return a < b;
#else
    return (x->key < y->key) | ((x->key == y->key) & (x->order < y->order));
#endif
}

/* The root's event, as handlers see it. */
HEAP_INLINE es_event heap_root_event(const es_eventq *q)
{
    const heap_payload *p = &q->p[heap_slot(&q->a[0])];
    return (es_event){.time = heap_time(q->a[0].key), .type = p->type, .id = p->id};
}

/* Index of the least of the ES_HEAP_ARITY children starting at c, all of
 * which exist. For d = 4, a tournament: the two first-round selects do not
 * depend on each other. */
HEAP_INLINE size_t heap_min_child(const heap_node *a, size_t c)
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
HEAP_INLINE size_t heap_min_partial(const heap_node *a, size_t c, size_t n)
{
    size_t m = c;
    for (size_t k = c + 1; k < n; k++)
        if (heap_before(&a[k], &a[m])) m = k;
    return m;
}

/* Start loading the grandchildren of the node whose first child is c: they
 * are contiguous, d*d slots from d*c+1. By the time the sift has picked a
 * child and moved down, its children are (being) fetched. */
HEAP_INLINE void heap_prefetch_grandchildren(const heap_node *a, size_t n, size_t c)
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
HEAP_INLINE void heap_sift_up(heap_node *a, size_t i, const heap_node x)
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
 * down. Used to remove the root (x = the last node) and to replace it
 * (x = a new event). */
HEAP_INLINE void heap_sift_down(heap_node *a, size_t n, size_t i, const heap_node x)
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

/* The next push's sequence number, in `order`'s high half. */
HEAP_INLINE uint64_t heap_next_order(es_eventq *q)
{
    if (HEAP_UNLIKELY(q->seq >= q->seq_limit)) es_eventq_renumber(q);
    return (uint64_t)q->seq++ << 32;
}

/* A payload slot for a new event (n < cap, so one is free). */
HEAP_INLINE uint32_t heap_take_slot(es_eventq *q)
{
    uint32_t s = q->free_slot;
    if (s == ES_HEAP_NO_SLOT) return q->used_slots++;
    q->free_slot = q->p[s].id;
    return s;
}

HEAP_INLINE void heap_release_slot(es_eventq *q, uint32_t s)
{
    q->p[s].id = q->free_slot;
    q->free_slot = s;
}

/* Before a sift from the root of a large heap: start loading the payload
 * of the least child, the next root unless the sifted node beats it. Its
 * slot was written when the event was scheduled, long ago in a large heap,
 * so it is a cache miss that the sift's own misses now overlap, instead of
 * one the next step would wait for. */
HEAP_INLINE void heap_prefetch_next_root(const es_eventq *q, size_t n)
{
    if (n >= ES_HEAP_PREFETCH_MIN) HEAP_PREFETCH(&q->p[heap_slot(&q->a[heap_min_child(q->a, 1)])]);
}

/* Remove a[0]; the queue must not be empty. */
HEAP_INLINE void heap_pop_root(es_eventq *q)
{
    heap_release_slot(q, heap_slot(&q->a[0]));
    size_t n = --q->n;
    heap_prefetch_next_root(q, n);
    if (n > 0) heap_sift_down(q->a, n, 0, q->a[n]);
}

/* Replace the root by a new event in one sift: its payload takes the root's
 * slot. Same result as a pop followed by a push. */
HEAP_INLINE void heap_replace_root(es_eventq *q, uint64_t key, uint64_t order, uint32_t type,
                                   uint32_t id)
{
    uint32_t s = heap_slot(&q->a[0]);
    q->p[s] = (heap_payload){type, id};
    heap_prefetch_next_root(q, q->n);
    heap_sift_down(q->a, q->n, 0, (heap_node){key, order | s});
}

/* Insert; the caller made room (n < cap). */
HEAP_INLINE void heap_push(es_eventq *q, uint64_t key, uint64_t order, uint32_t type, uint32_t id)
{
    uint32_t s = heap_take_slot(q);
    q->p[s] = (heap_payload){type, id};
    heap_sift_up(q->a, q->n++, (heap_node){key, order | s});
}

#endif
