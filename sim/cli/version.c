#include "cli.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "../core/mem.h"

#ifndef ES_VERSION
#define ES_VERSION "0.0.0"
#endif
#ifndef ES_GIT_COMMIT
#define ES_GIT_COMMIT "unknown"
#endif

const char *cli_version(void)
{
    return ES_VERSION;
}
const char *cli_git_commit(void)
{
    return ES_GIT_COMMIT;
}

void cli_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("enforcesim: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

char *cli_command_line(int argc, char **argv)
{
    size_t n = sizeof "enforcesim";
    for (int i = 0; i < argc; i++) n += strlen(argv[i]) + 1;
    char *s = es_malloc(n);
    if (!s) return NULL;
    strcpy(s, "enforcesim");
    for (int i = 0; i < argc; i++) {
        strcat(s, " ");
        strcat(s, argv[i]);
    }
    return s;
}

char *cli_iso_now(void)
{
    char buf[32];
    time_t t = time(NULL);
    struct tm tm;
    if (!gmtime_r(&t, &tm) || !strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm))
        strcpy(buf, "unknown");
    char *s = es_malloc(strlen(buf) + 1);
    if (s) strcpy(s, buf);
    return s;
}
