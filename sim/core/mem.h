/* mem.h: overflow-checked allocation, and the fault injection that tests use
 * to run every out-of-memory path.
 *
 * Every allocation the library makes itself goes through these wrappers.
 * They return NULL on failure or overflow; callers turn NULL into
 * ES_ERR_NOMEM. Memory from them is released with free().
 *
 * Fault injection (modelled on SQLite's malloc fault simulation): after
 * es_mem_fault_arm(n), the n-th allocation through these wrappers made by the
 * calling thread fails (and, when `persist` is set, every later one too),
 * until es_mem_fault_disarm(). The countdown is thread-local, so arming it in
 * one thread never affects another; disarmed, it costs one thread-local
 * branch per allocation. Allocations made inside libhdf5, libconfig and GSL
 * are not counted, except where the library asks es_mem_fault_tick() before
 * calling them (es_rng_new). */
#ifndef ES_MEM_H
#define ES_MEM_H
#include <stdbool.h>
#include <stddef.h>

void *es_malloc(size_t size);
void *es_calloc(size_t n, size_t size);
void *es_reallocarray(void *p, size_t n, size_t size);
char *es_strdup(const char *s);

/* Fails the n-th (n >= 1) counted allocation of this thread from now on;
 * with `persist`, also every one after it. n <= 0 disarms. */
void es_mem_fault_arm(long n, bool persist);
/* Disarms; returns how many allocations were made to fail since arming. */
long es_mem_fault_disarm(void);
/* Counts one allocation; true when it must fail. For call sites that
 * allocate through another library (GSL) and want to be counted. */
bool es_mem_fault_tick(void);

#endif
