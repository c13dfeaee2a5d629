/* pool.c: entity records by 32-bit id with a LIFO free list.
 *
 * Storage is two parallel arrays indexed by id: the records themselves
 * (cap * elem_size bytes) and one uint32_t link per id. A live id's link is
 * POOL_LIVE; a released id's link is the next released id, ES_POOL_NONE
 * ending the list. Ids in [used, cap) have storage but were never handed out.
 *
 * Reuse is LIFO: the most recently released id comes back first, because its
 * record is the likeliest to still be in cache. Growth happens only when the
 * free list is empty and every id below cap is live, so capacity stays
 * within twice the peak number of live records. */
#include <stdlib.h>
#include <string.h>
#include "../core/check.h"
#include "../core/mem.h"
#include "pool.h"

#define POOL_LIVE    (UINT32_MAX - 1)
/* Ids must differ from ES_POOL_NONE and POOL_LIVE, hence this many at most. */
#define POOL_MAX_CAP ((size_t)UINT32_MAX - 1)
#define POOL_MIN_CAP 16

struct es_pool {
    unsigned char *rec; /* cap records */
    uint32_t *link;     /* cap links, see above */
    size_t elem_size;
    size_t cap;         /* <= POOL_MAX_CAP */
    size_t used;        /* ids [0, used) have been handed out */
    size_t live;        /* live ids */
    uint32_t free_head; /* last released id, or ES_POOL_NONE */
};

es_pool *es_pool_new(size_t elem_size, size_t initial_capacity)
{
    ES_ASSERT(elem_size > 0);
    size_t cap = initial_capacity < POOL_MIN_CAP ? POOL_MIN_CAP : initial_capacity;
    if (cap > POOL_MAX_CAP) cap = POOL_MAX_CAP;
    es_pool *p = es_calloc(1, sizeof *p);
    if (!p) return NULL;
    p->rec = es_reallocarray(NULL, cap, elem_size);
    p->link = es_reallocarray(NULL, cap, sizeof *p->link);
    if (!p->rec || !p->link) {
        es_pool_free(p);
        return NULL;
    }
    p->elem_size = elem_size;
    p->cap = cap;
    p->free_head = ES_POOL_NONE;
    return p;
}

void es_pool_free(es_pool *p)
{
    if (!p) return;
    free(p->rec);
    free(p->link);
    free(p);
}

/* Doubles the capacity; 0 on failure (pool unchanged apart from a possibly
 * larger array, which is harmless). Records keep their contents and ids. */
static int pool_grow(es_pool *p)
{
    if (p->cap == POOL_MAX_CAP) return 0;
    size_t cap = p->cap > POOL_MAX_CAP / 2 ? POOL_MAX_CAP : 2 * p->cap;
    unsigned char *rec = es_reallocarray(p->rec, cap, p->elem_size);
    if (!rec) return 0;
    p->rec = rec;
    uint32_t *link = es_reallocarray(p->link, cap, sizeof *link);
    if (!link) return 0;
    p->link = link;
    p->cap = cap;
    return 1;
}

uint32_t es_pool_alloc(es_pool *p)
{
    uint32_t id;
    if (p->free_head != ES_POOL_NONE) {
        id = p->free_head;
        p->free_head = p->link[id];
    } else {
        if (p->used == p->cap && !pool_grow(p)) return ES_POOL_NONE;
        id = (uint32_t)p->used++;
    }
    p->link[id] = POOL_LIVE;
    p->live++;
    memset(p->rec + (size_t)id * p->elem_size, 0, p->elem_size);
    return id;
}

int es_pool_is_live(const es_pool *p, uint32_t id)
{
    return id < p->used && p->link[id] == POOL_LIVE;
}

void *es_pool_get(const es_pool *p, uint32_t id)
{
    ES_ASSERT(es_pool_is_live(p, id));
    return p->rec + (size_t)id * p->elem_size;
}

void es_pool_release(es_pool *p, uint32_t id)
{
    ES_ASSERT(es_pool_is_live(p, id));
    p->link[id] = p->free_head;
    p->free_head = id;
    p->live--;
}

size_t es_pool_live(const es_pool *p)
{
    return p->live;
}

size_t es_pool_capacity(const es_pool *p)
{
    return p->cap;
}
