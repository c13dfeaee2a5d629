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
 * Far events (es_engine_buckets). With a bucket width w > 0, time is cut
 * into buckets [k*w, (k+1)*w). The heap holds only the events of buckets up
 * to `cur`; a later event is appended, unsorted, to its bucket in a ring of
 * RING buckets (or to the `far` heap beyond the ring). When nothing is left
 * to run, the next non-empty bucket becomes `cur` and its events are sorted
 * (a stable radix sort on the time) into `run`; events scheduled into the
 * current bucket go to the heap, and the loop takes whichever of the run's
 * next and the heap's root comes first. Every event of a bucket precedes
 * every event of a later one, so the order (time, then scheduling) and every run
 * are exactly those of the heap alone; what changes is that the heap holds
 * only the events scheduled less than a bucket ahead, and parked events
 * cost a sort instead of a heap pop. Measured on the baseline model
 * (docs/development.md, Benchmarks): 46,000 pending events on average, of
 * which a day's bucket holds about 5,000.
 *
 * Invariants: handlers[t] is never NULL (unset types point at
 * missing_handler, so dispatch needs no check); every pending event has
 * time >= now; status is ES_OK until the first failure and never changes
 * after it. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "../core/check.h"
#include "../core/mem.h"
#include "engine.h"
#include "heap_impl.h"

/* Buckets in the ring; a bucket index more than RING - 1 past `cur` goes to
 * the far heap. A power of two. */
#define RING     1024
/* Events per chunk. A bucket is a chain of chunks from one arena, so that
 * parking an event never allocates once the arena has grown to the run's
 * working size (a few doublings), and memory follows the pending events:
 * at most one partly filled chunk per bucket. */
#define CHUNK    32
#define NO_CHUNK UINT32_MAX

typedef struct {
    es_event ev[CHUNK];
    uint32_t next; /* next chunk of the bucket, or of the free list */
} chunk;

typedef struct {
    uint32_t head, tail; /* chunks, NO_CHUNK when empty */
    uint32_t n;          /* events in the bucket */
} bucket;

struct es_engine {
    es_eventq q;   /* events scheduled into the current bucket (plus the held one) */
    es_eventq far; /* events of buckets > cur + RING - 1 (buckets on) */
    bucket *ring;  /* RING buckets, bucket k at ring[k % RING] (buckets on) */
    chunk *chunks; /* the arena: n_chunks chunks, ids are indices */
    uint32_t n_chunks;
    uint32_t free_chunk; /* head of the free list, or NO_CHUNK */
    double width;        /* bucket width; 0: no buckets, the heap holds all */
    double inv_width;    /* 1 / width */
    int64_t cur;         /* last bucket made current */
    es_event *run;       /* the current bucket's parked events, sorted (buckets on) */
    es_event *scratch;   /* the radix sort's second buffer, run_cap events */
    size_t run_n, run_i; /* events in run, and the next to execute */
    size_t run_cap;
    size_t in_ring;       /* events in the ring */
    double now;           /* time of the event running or last run */
    uint64_t events;      /* events executed */
    es_handler *handlers; /* n_types entries, never NULL */
    uint32_t n_types;
    int held;         /* 1 while the running event still occupies a[0] */
    int running;      /* 1 inside es_engine_run */
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
    free(e->chunks);
    free(e->ring);
    free(e->run);
    free(e->scratch);
    es_eventq_fini(&e->far);
    es_eventq_fini(&e->q);
    free(e->handlers);
    free(e);
}

void es_engine_on(es_engine *e, uint32_t type, es_handler h)
{
    ES_ASSERT(type < e->n_types);
    e->handlers[type] = h ? h : missing_handler;
}

/* The bucket of time t; monotone in t, which is all the order needs. Clamped,
 * so that a clock run to a huge time (or +infinity) has a bucket too. Times
 * here are never negative (the clock starts at 0 and events are scheduled at
 * or after it), so the conversion's truncation is floor(), which the x86-64
 * baseline has no instruction for. */
static int64_t bucket_of(const es_engine *e, double t)
{
    double k = t * e->inv_width;
    return k < (double)INT64_MAX ? (int64_t)k : INT64_MAX;
}

es_status es_engine_buckets(es_engine *e, double width)
{
    /* Nothing scheduled yet: without buckets every event goes to the heap. */
    ES_ASSERT(width > 0 && isfinite(width) && e->q.n == 0 && e->events == 0 && !e->ring);
    e->ring = es_reallocarray(NULL, RING, sizeof *e->ring);
    if (!e->ring || es_eventq_init(&e->far, 0) != ES_OK) {
        free(e->ring);
        e->ring = NULL;
        return ES_ERR_NOMEM;
    }
    for (size_t k = 0; k < RING; k++) e->ring[k] = (bucket){NO_CHUNK, NO_CHUNK, 0};
    e->free_chunk = NO_CHUNK;
    e->width = width;
    e->inv_width = 1.0 / width;
    e->cur = bucket_of(e, e->now);
    return ES_OK;
}

static es_status nomem(es_engine *e)
{
    /* Also made sticky, so a handler that ignores the return value still
     * ends the run with the failure. */
    es_engine_stop(e, ES_ERR_NOMEM);
    return ES_ERR_NOMEM;
}

/* Room for at least `need` events in run and scratch, keeping run's. */
static es_status grow_run(es_engine *e, size_t need)
{
    size_t cap = e->run_cap ? e->run_cap : 1024;
    while (cap < need) cap *= 2;
    es_event *r = es_reallocarray(e->run, cap, sizeof *r);
    if (!r) return nomem(e);
    e->run = r;
    es_event *t = es_reallocarray(e->scratch, cap, sizeof *t);
    if (!t) return nomem(e);
    e->scratch = t;
    e->run_cap = cap;
    return ES_OK;
}

/* A chunk from the free list, the arena doubling when it is empty. */
static uint32_t take_chunk(es_engine *e)
{
    if (e->free_chunk == NO_CHUNK) {
        if (e->n_chunks > (NO_CHUNK - 1) / 2) return NO_CHUNK;
        uint32_t from = e->n_chunks, to = from ? 2 * from : 32;
        chunk *c = es_reallocarray(e->chunks, to, sizeof *c);
        if (!c) return NO_CHUNK;
        e->chunks = c;
        for (uint32_t i = from; i < to; i++) c[i].next = i + 1 < to ? i + 1 : NO_CHUNK;
        e->free_chunk = from;
        e->n_chunks = to;
    }
    uint32_t id = e->free_chunk;
    e->free_chunk = e->chunks[id].next;
    e->chunks[id].next = NO_CHUNK;
    return id;
}

/* An event of a bucket after cur: into its ring bucket, or the far heap. */
static es_status park(es_engine *e, int64_t k, const es_event *ev)
{
    if (k - e->cur >= RING) return es_eventq_push(&e->far, ev) == ES_OK ? ES_OK : nomem(e);
    bucket *b = &e->ring[(uint64_t)k % RING];
    uint32_t fill = b->n % CHUNK;
    if (fill == 0) { /* empty, or the tail chunk is full */
        uint32_t c = take_chunk(e);
        if (c == NO_CHUNK) return nomem(e);
        if (b->n == 0)
            b->head = c;
        else
            e->chunks[b->tail].next = c;
        b->tail = c;
    }
    e->chunks[b->tail].ev[fill] = *ev;
    b->n++;
    e->in_ring++;
    return ES_OK;
}

es_status es_engine_at(es_engine *e, double t, uint32_t type, uint32_t id)
{
    ES_ASSERT(t >= e->now); /* also rejects NaN */
    ES_ASSERT(type < e->n_types);
    /* + 0.0 makes -0.0 (which passes the assertion at now = 0) +0.0, whose
     * bit pattern sorts with the others' (sort_run, heap_key). */
    t += 0.0;
    if (e->width > 0) {
        int64_t k = bucket_of(e, t);
        if (k > e->cur) return park(e, k, &(es_event){.time = t, .type = type, .id = id});
    }
    es_eventq *q = &e->q;
    if (e->held) { /* take the running event's place */
        e->held = 0;
        heap_replace_root(q, heap_key(t), heap_next_order(q), type, id);
        return ES_OK;
    }
    if (q->n == q->cap && es_eventq_grow(q) != ES_OK) return nomem(e);
    heap_push(q, heap_key(t), heap_next_order(q), type, id);
    return ES_OK;
}

static uint64_t time_bits(const es_event *ev)
{
    uint64_t k;
    memcpy(&k, &ev->time, sizeof k);
    return k;
}

/* Stable insertion sort of v[0..n) by time. */
static void insertion_sort(es_event *v, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        es_event x = v[i];
        size_t j = i;
        for (; j > 0 && v[j - 1].time > x.time; j--) v[j] = v[j - 1];
        v[j] = x;
    }
}

/* Sort v[0..n) by time, stably (so events of equal time keep their order),
 * into v or tmp; returns the buffer that holds the result. Most-significant-
 * digit radix on the time's bits (non-negative doubles order as their bit
 * patterns): one counting pass on the highest bits in which the keys
 * differ, then each part alone, by insertion when it is small. Within a
 * bucket the keys share their sign, exponent and leading mantissa bits, and
 * one pass on the next 8 to 11 bits leaves parts of a few events, so most
 * events are moved twice, not once per byte of the key as a least-
 * significant-digit sort would (about 6 passes: measured 7% of the model's
 * time before, docs/development.md). */
static es_event *sort_run(es_event *v, es_event *tmp, size_t n)
{
    if (n < 48) {
        insertion_sort(v, n);
        return v;
    }
    uint64_t first = time_bits(&v[0]), diff = 0;
    for (size_t i = 1; i < n; i++) diff |= time_bits(&v[i]) ^ first;
    if (diff == 0) return v;              /* equal times: already in order */
    int top = 63 - __builtin_clzll(diff); /* highest bit in which keys differ */
    int bits = 4;
    while (bits < 11 && ((size_t)1 << (bits + 3)) < n) bits++;
    int shift = top + 1 - bits;
    if (shift < 0) {
        bits += shift;
        shift = 0;
    }
    uint32_t mask = (1u << bits) - 1;
    uint32_t start[(1u << 11) + 1];
    memset(start, 0, ((size_t)mask + 2) * sizeof *start);
    for (size_t i = 0; i < n; i++) start[((time_bits(&v[i]) >> shift) & mask) + 1]++;
    for (uint32_t b = 1; b <= mask + 1; b++) start[b] += start[b - 1];
    uint32_t at[1u << 11];
    memcpy(at, start, ((size_t)mask + 1) * sizeof *at);
    for (size_t i = 0; i < n; i++) tmp[at[(time_bits(&v[i]) >> shift) & mask]++] = v[i];
    /* Each part, sorted in tmp with its slice of v as scratch. */
    for (uint32_t b = 0; b <= mask; b++) {
        size_t lo = start[b], m = start[b + 1] - lo;
        if (m < 2) continue;
        if (m < 48) {
            insertion_sort(tmp + lo, m);
        } else if (sort_run(tmp + lo, v + lo, m) != tmp + lo) {
            memcpy(tmp + lo, v + lo, m * sizeof *tmp);
        }
    }
    return tmp;
}

/* Nothing is left to run in the current bucket: make the next bucket that
 * holds events `cur` and sort its events (those of the far heap in it
 * first) into `run`. Returns 0 when no event is pending anywhere. */
static int next_bucket(es_engine *e)
{
    if (e->in_ring == 0 && e->far.n == 0) return 0;
    if (e->in_ring == 0) {
        e->cur = bucket_of(e, heap_time(e->far.a[0].key));
    } else {
        do e->cur++;
        while (e->ring[(uint64_t)e->cur % RING].n == 0);
        /* A far event may belong to an earlier bucket than the ring's next. */
        if (e->far.n > 0 && bucket_of(e, heap_time(e->far.a[0].key)) < e->cur)
            e->cur = bucket_of(e, heap_time(e->far.a[0].key));
    }
    bucket *b = &e->ring[(uint64_t)e->cur % RING];
    size_t n = 0;
    /* Far events first: they were all scheduled before any event parked in
     * the ring for this bucket (the ring takes a bucket only once it is
     * within RING of cur), so with the ring's events after them, in the
     * order they were parked, the input is in scheduling order and the
     * stable sort keeps (time, scheduling) order. The far heap gives its events
     * in that order already. */
    /* Out of memory on the way: the events moved so far stay in the run,
     * unsorted, so that es_engine_pending still counts them; the engine's
     * status is final (nomem), so they never run out of order. */
    e->run_i = e->run_n = 0;
    es_event ev;
    while (e->far.n > 0 && bucket_of(e, heap_time(e->far.a[0].key)) == e->cur) {
        if (n == e->run_cap && grow_run(e, n + 1) != ES_OK) {
            e->run_n = n;
            return 0;
        }
        es_eventq_pop(&e->far, &ev);
        e->run[n++] = ev;
    }
    if (n + b->n > e->run_cap && grow_run(e, n + b->n) != ES_OK) {
        e->run_n = n;
        return 0;
    }
    for (uint32_t left = b->n, c = b->head; left > 0;) {
        uint32_t m = left < CHUNK ? left : CHUNK;
        memcpy(e->run + n, e->chunks[c].ev, m * sizeof *e->run);
        n += m;
        left -= m;
        uint32_t next = e->chunks[c].next;
        e->chunks[c].next = e->free_chunk;
        e->free_chunk = c;
        c = next;
    }
    e->in_ring -= b->n;
    *b = (bucket){NO_CHUNK, NO_CHUNK, 0};
    es_event *sorted = sort_run(e->run, e->scratch, n);
    if (sorted != e->run) {
        e->scratch = e->run;
        e->run = sorted;
    }
    e->run_n = n;
    e->run_i = 0;
    return 1;
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

/* Run the heap's root, which stays in place (held) while its handler runs. */
static inline void run_root(es_engine *e, void *ctx, const es_event ev)
{
    e->now = ev.time;
    e->events++;
    e->held = 1;
    e->handlers[ev.type](ctx, e, &ev);
    if (e->held) { /* nothing was scheduled */
        e->held = 0;
        heap_pop_root(&e->q);
    }
}

/* The loop without buckets: the heap holds every event. Kept apart from the
 * bucketed loop so that a model with few pending events (M/M/1: two) pays
 * nothing for the sorted run it never has. */
static void run_heap(es_engine *e, void *ctx, double until)
{
    es_eventq *q = &e->q;
    while (q->n > 0 && !e->stopping) {
        const es_event ev = heap_root_event(q); /* a copy: a[0] may be overwritten */
        if (ev.time > until) break;
        ES_ASSERT(ev.time >= e->now);
        run_root(e, ctx, ev);
    }
}

/* The loop with buckets: the next event is the sorted run's or the heap's,
 * whichever is first in (time, scheduling order). */
static void run_buckets(es_engine *e, void *ctx, double until)
{
    es_eventq *q = &e->q;
    for (;;) {
        int have_run = e->run_i < e->run_n;
        if (q->n == 0 && !have_run) {
            if (!next_bucket(e)) break;
            continue;
        }
        /* On equal times the run's event goes first: it was parked before
         * `cur` became current, and the heap was empty then, so it was
         * scheduled before every event in the heap. */
        int from_run = have_run && (q->n == 0 || heap_key(e->run[e->run_i].time) <= q->a[0].key);
        const es_event ev = from_run ? e->run[e->run_i] : heap_root_event(q); /* a copy */
        if (e->stopping || ev.time > until) break;
        ES_ASSERT(ev.time >= e->now);
        if (!from_run) {
            run_root(e, ctx, ev);
            continue;
        }
        e->now = ev.time;
        e->events++;
        e->run_i++;
        e->handlers[ev.type](ctx, e, &ev);
    }
}

es_status es_engine_run(es_engine *e, void *ctx, double until)
{
    ES_ASSERT(until >= e->now); /* also rejects NaN */
    ES_ASSERT(!e->running);     /* not re-entered from a handler */
    if (e->status != ES_OK) return e->status;
    e->running = 1;
    if (e->width > 0)
        run_buckets(e, ctx, until);
    else
        run_heap(e, ctx, until);
    e->running = 0;
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
    return e->q.n - (size_t)e->held + e->in_ring + e->far.n + (e->run_n - e->run_i);
}

es_eventq *es_engine_queue(es_engine *e, int far)
{
    ES_ASSERT(!far || e->ring);
    return far ? &e->far : &e->q;
}
