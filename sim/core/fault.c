/* fault.c: see fault.h. */
#include "fault.h"
#include <signal.h>
#include <stdlib.h>
#include <string.h>

void es_fault_point(const char *name, long k)
{
    const char *want = getenv("ES_FAULT");
    if (!want) return;
    size_t n = strlen(name);
    if (strncmp(want, name, n) != 0) return;
    if (want[n] == '\0' ? k <= 1 : want[n] == ':' && strtol(want + n + 1, NULL, 10) == k)
        raise(SIGKILL);
}
