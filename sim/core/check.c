#include "check.h"
#include <stdio.h>
#include <stdlib.h>

_Noreturn void es_assert_fail(const char *expr, const char *file, int line)
{
    fprintf(stderr,
            "enforcesim: internal error: assertion '%s' failed at %s:%d; please report it\n", expr,
            file, line);
    abort();
}
