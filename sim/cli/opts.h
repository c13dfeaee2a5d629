/* opts.h: command-line options from a table. One row per option: its
 * names, the kind of value it takes, the range of a number, the words of
 * the error message and the --help text. The same table parses argv and
 * prints the option list, so the two cannot drift apart.
 *
 * Parsing: "-x V", "--long V" and flags; anything else starting with '-'
 * (but "-" itself) is an unknown option (exit 2); the rest are operands,
 * in order. A number outside [lo, hi] or with junk after it is refused
 * with "NAME 'V': give WHAT from LO to HI" (exit 2). Every accepted option
 * is handed to the caller's `set` with its row and value (text and, for a
 * number, its value); `set` returns 0, or the exit status after printing
 * its own message. */
#ifndef ES_CLI_OPTS_H
#define ES_CLI_OPTS_H
#include <stdint.h>
#include <stdio.h>

typedef enum {
    CLI_FLAG, /* no value */
    CLI_INT,  /* a whole number in [lo, hi] */
    CLI_TEXT  /* any text; the caller checks it (--seed: cmd_run.c, by run.seed's rule) */
} cli_opt_kind;

typedef struct {
    int id;           /* the caller's name for the option */
    const char *shrt; /* "-o", or NULL */
    const char *lng;  /* "--output" */
    cli_opt_kind kind;
    const char *meta; /* the value in --help: "FILE", "N" */
    long lo, hi;      /* CLI_INT range */
    const char *what; /* CLI_INT: "a whole number of replications" */
    const char *help; /* one line for --help */
} cli_opt;

typedef struct {
    const char *text; /* the value as given (NULL for a flag) */
    int64_t num;      /* CLI_INT */
} cli_optval;

/* Returns 0, or the exit status (2) after printing the error. */
int cli_opts_parse(const char *cmd, const cli_opt *tab, int n, int argc, char **argv,
                   int (*set)(void *ctx, const cli_opt *o, const cli_optval *v),
                   int (*operand)(void *ctx, const char *arg), void *ctx);

/* The option list for --help: one line per row, names, value and help. */
void cli_opts_help(FILE *f, const cli_opt *tab, int n);

#endif
