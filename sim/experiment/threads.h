/* threads.h: the worker pool of experiment.c and sweep_run.c.
 *
 * Runs fn(arg) on `want` threads, the caller's among them, and returns once
 * all have returned. fn pulls units from a shared queue inside arg, so a
 * thread the system refuses only means fewer workers: the units and their
 * results do not depend on who runs them. */
#ifndef ES_THREADS_H
#define ES_THREADS_H
#include <pthread.h>
#include <stdlib.h>
#include "../core/mem.h"

static inline void es_run_workers(void *(*fn)(void *), void *arg, long long want)
{
    pthread_t *tids = NULL;
    long long n_started = 0;
    if (want > 1 && (tids = es_calloc((size_t)want - 1, sizeof *tids)))
        for (long long i = 0; i < want - 1; i++) {
            if (pthread_create(&tids[i], NULL, fn, arg) != 0) break;
            n_started++;
        }
    fn(arg);
    for (long long i = 0; i < n_started; i++) pthread_join(tids[i], NULL);
    free(tids);
}

#endif
