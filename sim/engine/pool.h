/* pool.h: fixed-size entity records handed out by 32-bit id, with a free
 * list so released records are reused before the pool grows.
 *
 * Ids are stable for the life of the record; pointers from es_pool_get()
 * stay valid only until the next es_pool_alloc() (growth may move storage).
 * Records are zeroed when allocated. Memory is proportional to the peak
 * number of live records, never to the number ever allocated: the pool grows
 * by doubling only when no released id is free, and never shrinks.
 *
 * Reuse order is LIFO: es_pool_alloc() returns the most recently released id
 * first (its record is the likeliest to be in cache). Ids never handed out
 * are issued in increasing order from 0. Records are elem_size bytes apart
 * from a malloc'd base, so pass sizeof(the record type) to keep each record
 * aligned. The pool owns its storage; es_pool_free() releases it all. */
#ifndef ES_POOL_H
#define ES_POOL_H
#include <stddef.h>
#include <stdint.h>

#define ES_POOL_NONE UINT32_MAX

typedef struct es_pool es_pool;

/* elem_size > 0 (asserted); capacity at least 16. NULL if out of memory. */
es_pool *es_pool_new(size_t elem_size, size_t initial_capacity);
void es_pool_free(es_pool *p); /* accepts NULL */
/* Returns a zeroed record's id, or ES_POOL_NONE if growth failed. */
uint32_t es_pool_alloc(es_pool *p);
void *es_pool_get(const es_pool *p, uint32_t id); /* id must be live (asserted) */
void es_pool_release(es_pool *p, uint32_t id);    /* id must be live (asserted) */
/* 1 if id is allocated and not released; 0 for any other value, ES_POOL_NONE included. */
int es_pool_is_live(const es_pool *p, uint32_t id);
size_t es_pool_live(const es_pool *p);     /* ids allocated and not released */
size_t es_pool_capacity(const es_pool *p); /* records with storage */

#endif
