/* reserve.c: see reserve.h. */
#define _GNU_SOURCE /* MAP_ANONYMOUS */
#include "reserve.h"
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>

/* libhdf5's share of a write, whatever the result: the metadata cache
 * (which grows toward its 32 MB default maximum on large files), the
 * dimension-scale and attribute buffers of the high-level library, and
 * the library's start-up. Measured with tests/fuzz/tiny.cfg (1514
 * datasets, a 1.4 MB file): its write needs between 16 and 26 MB free;
 * this base and ES_RESERVE_PER_OBJECT ask for 34 MB. */
#define ES_RESERVE_BASE       ((size_t)16 << 20)
/* Object headers, B-tree nodes and heaps of one dataset with its
 * attributes and scales, in the image and in the metadata cache (which
 * keeps every dirty entry of an in-memory file until it closes), with a
 * margin. */
#define ES_RESERVE_PER_OBJECT ((size_t)12 << 10)

static size_t add(size_t a, size_t b)
{
    return a > SIZE_MAX - b ? SIZE_MAX : a + b;
}

static size_t mul(size_t a, size_t b)
{
    return b && a > SIZE_MAX / b ? SIZE_MAX : a * b;
}

size_t es_reserve_write_need(const es_run_result *r)
{
    const size_t M = ES_N_METRICS, D = sizeof(double);
    size_t values = 0, objects = 16;
    for (int i = 0; i < r->n_scenarios; i++) {
        const es_scenario_result *s = &r->scenarios[i];
        size_t periods = (size_t)s->n_months + (size_t)s->n_fy + (size_t)s->n_cy;
        values = add(values, mul(mul((size_t)s->n_reps, M), periods));
        values = add(values, mul(4 * M, (size_t)s->n_fy + (size_t)s->n_cy));
        objects = add(objects, 5 * M + 16);
    }
    for (int i = 0; i < r->n_comparisons; i++) {
        const es_comparison_result *c = &r->comparisons[i];
        values = add(values, mul(M * ES_CMP_N_STATS, (size_t)c->n_fy + (size_t)c->n_cy));
        objects = add(objects, 2 * M + 8);
    }
    for (int i = 0; i < r->n_sweep; i++) {
        const es_sweep_result *s = &r->sweep[i];
        size_t years = (size_t)s->n_fy + (size_t)s->n_cy;
        values = add(values, mul(mul(mul((size_t)s->n_points, (size_t)s->n_reps + 4), M), years));
        objects = add(objects, 4 * M + 16);
    }
    /* The image holds the values once; growing it by realloc may need a
     * second copy for a moment. */
    return add(add(mul(values, 2 * D), mul(objects, ES_RESERVE_PER_OBJECT)), ES_RESERVE_BASE);
}

/* mmap, not malloc: the address space is what a limit (ulimit -v) counts,
 * and a freed malloc block of this size would move glibc's mmap threshold
 * and so change how the rest of the program allocates. */
int es_reserve_available(size_t bytes)
{
    void *p = mmap(NULL, bytes ? bytes : 1, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED) return 0;
    munmap(p, bytes ? bytes : 1);
    return 1;
}
