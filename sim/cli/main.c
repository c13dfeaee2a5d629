/* main.c: dispatches `enforcesim <command>` to sim/cli/cmd_*.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_errno.h>
#include "../core/mem.h"
#include "cli.h"

static const char usage[] =
    "usage: enforcesim <command> [options]\n"
    "\n"
    "commands:\n"
    "  run CONFIG [-o FILE] [-j N] [-r REPS] [--seed S] [--set k=v]... [--no-crn] "
    "[--no-uncertainty]\n"
    "             [--precision METRIC=REL]... [--max-replications N] [--force] [-q | -v]\n"
    "             [--shard I/N] [--dry-run] [--resume] [--keep-journal]\n"
    "                      run every replication of every scenario (at every point of\n"
    "                      the config's sweep, if any) into an HDF5 file:\n"
    "                      -j N worker threads (default: the cores available);\n"
    "                      --no-crn independent random numbers per scenario (only to\n"
    "                      see what common random numbers buy); --precision adds\n"
    "                      batches of REPS replications until METRIC's 95% half-width\n"
    "                      is within REL of its mean (cap: --max-replications, 1000);\n"
    "                      --shard I/N runs unit u (scenario u % S, point (u / S) % P,\n"
    "                      replication u / (S P); P = 1 without a sweep)\n"
    "                      when u % N == I, into its own file (Slurm: --array=0-(N-1),\n"
    "                      --shard $SLURM_ARRAY_TASK_ID/$SLURM_ARRAY_TASK_COUNT);\n"
    "                      --dry-run prints the units as TSV and runs nothing;\n"
    "                      completed units go to FILE.journal as they finish;\n"
    "                      --resume continues a killed or interrupted run from it\n"
    "                      (same config, seed and options), --keep-journal keeps it\n"
    "  merge OUT SHARD... [--force]     check the shards of one run (complete, same\n"
    "                      config, each unit once) and write the serial run's file\n"
    "  validate CONFIG [--set k=v]...   print the effective config, or the errors\n"
    "  params [--markdown]              every parameter: default, range, unit, source, meaning\n"
    "  info FILE [--metric M]...        what a result file holds, with headline figures\n"
    "  compare FILE --base A --alt B [--metric M]... [--period FY2018]... [--csv]\n"
    "          [--half-width H|P%]      paired differences with confidence intervals\n"
    "  sensitivity FILE [--metric M]... [--period FY2018]... [--csv] [--boot B] [--diff A B]\n"
    "                      Sobol indices (saltelli sweep) or Morris effects (morris sweep)\n"
    "  calibrate CONFIG --targets CSV [-o DIR] [-j N] [--resume | --force] [-q]\n"
    "                      fit the config's calibration block to the targets: history\n"
    "                      matching in waves, then ABC rejection; a posterior sample\n"
    "                      and an uncertainty block drawing from it, in DIR\n"
    "  report FILE [-o OUT.html] [--metric M]... [--period FY2018]... [--targets CSV]\n"
    "          [--heatmap P,Q] [--force]  one HTML page with charts (needs PLplot)\n"
    "\n"
    "  --help, --version; run --help and merge --help list every option\n"
    "\n"
    "exit status: 0 success; 1 failure while running; 2 bad usage or invalid input;\n"
    "130/143 interrupted by SIGINT/SIGTERM (or SIGUSR1), resumable with --resume\n";

int main(int argc, char **argv)
{
    /* GSL's default handler aborts; every GSL call we make checks its result. */
    gsl_set_error_handler_off();
    /* For tests/e2e/nomem.sh: ES_MEM_FAULT=N fails the N-th allocation made
     * by this thread (with -j 1, every one of a run; core/mem.h). */
    const char *fault = getenv("ES_MEM_FAULT");
    if (fault) es_mem_fault_arm(strtol(fault, NULL, 10), false);
    if (argc < 2) {
        fputs(usage, stderr);
        return 2;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
        fputs(usage, stdout);
        return 0;
    }
    if (!strcmp(cmd, "--version")) {
        printf("enforcesim %s (commit %s)\n", cli_version(), cli_git_commit());
        return 0;
    }
    if (!strcmp(cmd, "run")) return cmd_run(argc - 1, argv + 1);
    if (!strcmp(cmd, "validate")) return cmd_validate(argc - 1, argv + 1);
    if (!strcmp(cmd, "params")) return cmd_params(argc - 1, argv + 1);
    if (!strcmp(cmd, "info")) return cmd_info(argc - 1, argv + 1);
    if (!strcmp(cmd, "compare")) return cmd_compare(argc - 1, argv + 1);
    if (!strcmp(cmd, "merge")) return cmd_merge(argc - 1, argv + 1);
    if (!strcmp(cmd, "sensitivity")) return cmd_sensitivity(argc - 1, argv + 1);
    if (!strcmp(cmd, "report")) return cmd_report(argc - 1, argv + 1);
    if (!strcmp(cmd, "calibrate")) return cmd_calibrate(argc - 1, argv + 1);
    cli_error("unknown command '%s'; run 'enforcesim --help' for the list", cmd);
    return 2;
}
