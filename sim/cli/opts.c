/* opts.c: see opts.h. */
#include "opts.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"

static const cli_opt *find(const cli_opt *tab, int n, const char *a)
{
    for (int i = 0; i < n; i++)
        if ((tab[i].shrt && !strcmp(a, tab[i].shrt)) || (tab[i].lng && !strcmp(a, tab[i].lng)))
            return &tab[i];
    return NULL;
}

/* A whole number in [lo, hi]; 0 or -1. */
static int number(const cli_opt *o, const char *s, int64_t *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < o->lo || v > o->hi) return -1;
    *out = v;
    return 0;
}

int cli_opts_parse(const char *cmd, const cli_opt *tab, int n, int argc, char **argv,
                   int (*set)(void *ctx, const cli_opt *o, const cli_optval *v),
                   int (*operand)(void *ctx, const char *arg), void *ctx)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const cli_opt *o = a[0] == '-' && a[1] ? find(tab, n, a) : NULL;
        int rc;
        if (!o) {
            if (a[0] == '-' && a[1]) {
                cli_error("%s: unknown option '%s'; see 'enforcesim --help'", cmd, a);
                return 2;
            }
            if ((rc = operand(ctx, a)) != 0) return rc;
            continue;
        }
        cli_optval v = {NULL, 0};
        if (o->kind != CLI_FLAG) {
            if (i + 1 >= argc) {
                cli_error("%s: option '%s' needs a value", cmd, a);
                return 2;
            }
            v.text = argv[++i];
            if (o->kind != CLI_TEXT && number(o, v.text, &v.num) < 0) {
                cli_error("%s '%s': give %s from %ld to %ld", a, v.text, o->what, o->lo, o->hi);
                return 2;
            }
        }
        if ((rc = set(ctx, o, &v)) != 0) return rc;
    }
    return 0;
}

void cli_opts_help(FILE *f, const cli_opt *tab, int n)
{
    for (int i = 0; i < n; i++) {
        char names[64];
        snprintf(names, sizeof names, "%s%s%s%s%s", tab[i].shrt ? tab[i].shrt : "",
                 tab[i].shrt ? ", " : "    ", tab[i].lng, tab[i].meta ? " " : "",
                 tab[i].meta ? tab[i].meta : "");
        fprintf(f, "    %-28s %s\n", names, tab[i].help);
    }
}
