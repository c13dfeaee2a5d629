#include "cli.h"
#include <stdarg.h>
#include <stdio.h>

#ifndef ES_VERSION
#define ES_VERSION "0.0.0"
#endif
#ifndef ES_GIT_COMMIT
#define ES_GIT_COMMIT "unknown"
#endif

const char *cli_version(void) { return ES_VERSION; }
const char *cli_git_commit(void) { return ES_GIT_COMMIT; }

void cli_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("enforcesim: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}
