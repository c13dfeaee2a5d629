#include "mem.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The fault-injection state of one thread: `countdown` counts allocations to
 * the one that fails (0: disarmed). Thread-local, so it is never shared. */
static _Thread_local struct {
    long countdown, failed;
    bool persist, tripped;
} fault;

void es_mem_fault_arm(long n, bool persist)
{
    fault.countdown = n > 0 ? n : 0;
    fault.persist = persist;
    fault.tripped = false;
    fault.failed = 0;
}

long es_mem_fault_disarm(void)
{
    long n = fault.failed;
    fault.countdown = 0;
    fault.tripped = false;
    fault.failed = 0;
    return n;
}

bool es_mem_fault_tick(void)
{
    if (fault.countdown == 0 && !fault.tripped) return false;
    if (fault.tripped || --fault.countdown == 0) {
        fault.tripped = fault.persist;
        fault.failed++;
        return true;
    }
    return false;
}

void *es_malloc(size_t size)
{
    if (es_mem_fault_tick()) return NULL;
    return malloc(size != 0 ? size : 1);
}

void *es_calloc(size_t n, size_t size)
{
    if (es_mem_fault_tick()) return NULL;
    if (n == 0 || size == 0) return calloc(1, 1);
    return calloc(n, size);
}

void *es_reallocarray(void *p, size_t n, size_t size)
{
    if (size != 0 && n > SIZE_MAX / size) return NULL;
    if (es_mem_fault_tick()) return NULL;
    size_t bytes = n * size;
    return realloc(p, bytes != 0 ? bytes : 1);
}

char *es_strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = es_malloc(n);
    if (d) memcpy(d, s, n);
    return d;
}
