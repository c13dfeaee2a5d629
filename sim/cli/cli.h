/* cli.h: the subcommands and the few helpers they share.
 * Each command takes (argc, argv) with argv[0] the subcommand name and
 * returns the process exit status (docs/cli.md, Exit status and errors). */
#ifndef ES_CLI_H
#define ES_CLI_H
#include <stdint.h>
#include "../core/status.h"
#include "../experiment/experiment.h"
#include "../experiment/run.h"
#include "../experiment/units.h"

int cmd_run(int argc, char **argv);
int cmd_validate(int argc, char **argv);
int cmd_params(int argc, char **argv);
int cmd_info(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_merge(int argc, char **argv);
int cmd_sensitivity(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_calibrate(int argc, char **argv);

/* Who computes the units of `run` when they do not run on threads here:
 * the MPI mode (sim/cli/mpi_main.c), on rank 0. run_unit computes unit g
 * elsewhere (experiment/run.h es_executor) with `workers` units in flight
 * at once; planned is called once the plan is made (before any unit,
 * never when the command line or config is refused) so the worker
 * processes can receive it. */
typedef struct {
    int workers;
    es_status (*run_unit)(void *ctx, int64_t unit, double *monthly, size_t n_values,
                          uint64_t *events, char *err, size_t errlen);
    void (*planned)(void *ctx, const es_plan *plan);
    void *ctx;
} cli_executor;
int cmd_run_with(int argc, char **argv, const cli_executor *ex);

/* One line to stderr: "enforcesim: <message>\n". */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "0.1.0" and the git commit the binary was built from. */
const char *cli_version(void);
/* "enforcesim <subcommand> <args...>", malloc'd (caller frees); NULL when out of memory. */
char *cli_command_line(int argc, char **argv);
/* The current UTC time as "YYYY-MM-DDTHH:MM:SSZ", malloc'd; NULL when out of memory. */
char *cli_iso_now(void);

/* A period of a result file: fiscal (1) or calendar (0) year, and its index
 * into the file's fy or cy years. */
typedef struct {
    int fiscal;
    int index;
} cli_period;
/* Reads --period TEXT (FY2018 or CY2018, any case) against the years fy[]
 * and cy[] of the file at path: 0 with *p set, or one line naming cmd and
 * what the file holds, and exit status 2. */
int cli_parse_period(const char *cmd, const char *path, const char *text, const int *fy, int n_fy,
                     const int *cy, int n_cy, cli_period *p);
const char *cli_git_commit(void);

#endif
