/* cmd_merge.c: `enforcesim merge OUT SHARD...`: reads the files of `run
 * --shard I/N`, has the library check and merge them (experiment/run.h
 * es_run_merge: the serial run's result, bit for bit) and writes OUT.
 * Each refusal is exit 2 naming the shard and the problem; OUT is then
 * not touched. Peak memory is every shard plus the merged result. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../core/mem.h"
#include "../experiment/run.h"
#include "../io/fsdir.h"
#include "../io/h5in.h"
#include "../io/h5out.h"
#include "cli.h"
#include "opts.h"

#define MERGE_MAX_SHARDS 100000

enum { M_FORCE, M_QUIET, M_HELP };
static const cli_opt merge_opts[] = {
    {M_FORCE, NULL, "--force", CLI_FLAG, NULL, 0, 0, NULL, "overwrite an existing OUT"},
    {M_QUIET, "-q", "--quiet", CLI_FLAG, NULL, 0, 0, NULL, "no summary line"},
    {M_HELP, "-h", "--help", CLI_FLAG, NULL, 0, 0, NULL, "this help"},
};
#define N_MERGE_OPTS ((int)(sizeof merge_opts / sizeof merge_opts[0]))

typedef struct {
    int force, quiet, help, n;
    const char *out;
    const char **paths; /* [argc] */
} merge_args;

static int merge_set(void *ctx, const cli_opt *o, const cli_optval *v)
{
    merge_args *a = ctx;
    (void)v;
    if (o->id == M_FORCE) a->force = 1;
    if (o->id == M_QUIET) a->quiet = 1;
    if (o->id == M_HELP) a->help = 1;
    return 0;
}

static int merge_operand(void *ctx, const char *arg)
{
    merge_args *a = ctx;
    if (!a->out)
        a->out = arg;
    else
        a->paths[a->n++] = arg;
    return 0;
}

int cmd_merge(int argc, char **argv)
{
    merge_args a;
    int rc = 2;
    char err[2048] = "";
    es_run_result *sh = NULL, res;
    memset(&res, 0, sizeof res);
    memset(&a, 0, sizeof a);
    if (!(a.paths = es_calloc((size_t)argc + 1, sizeof *a.paths)) ||
        !(sh = es_calloc((size_t)argc + 1, sizeof *sh))) {
        cli_error("out of memory");
        rc = 1;
        goto out;
    }
    if ((rc = cli_opts_parse("merge", merge_opts, N_MERGE_OPTS, argc, argv, merge_set,
                             merge_operand, &a)) != 0)
        goto out;
    if (a.help) {
        printf("usage: enforcesim merge OUT SHARD... [options]\n\n"
               "Checks the shards of one run (complete, same config, each unit once) and writes\n"
               "the serial run's file.\n\noptions:\n");
        cli_opts_help(stdout, merge_opts, N_MERGE_OPTS);
        rc = 0;
        goto out;
    }
    rc = 2;
    if (!a.out || a.n == 0) {
        cli_error(
            "merge: usage: enforcesim merge OUT SHARD... [--force] (the files of run --shard I/N)");
        goto out;
    }
    if (a.n > MERGE_MAX_SHARDS) {
        cli_error("merge: at most %d shards", MERGE_MAX_SHARDS);
        goto out;
    }
    /* Inputs are sacred (io/fsdir.h): OUT is no shard, --force or not. */
    es_status st = ES_OK;
    for (int i = 0; i < a.n && st == ES_OK; i++)
        st = es_fs_check_output(a.out, "merge: OUT", 0, (const char *const *)&a.paths[i], 1, err,
                                sizeof err);
    /* Refuse early: a merge of many big shards should not end in "exists". */
    if (st == ES_OK) st = es_h5_check_output(a.out, a.force, err, sizeof err);
    if (st != ES_OK) {
        cli_error("%s", err);
        rc = es_status_exit_code(st);
        goto out;
    }
    for (int i = 0; i < a.n; i++)
        if ((st = es_h5_read(a.paths[i], &sh[i], err, sizeof err)) != ES_OK) {
            cli_error("merge: %s", err);
            rc = es_status_exit_code(st);
            goto out;
        }
    if ((st = es_run_merge(sh, a.paths, a.n, &res, err, sizeof err)) != ES_OK) {
        cli_error("%s", err);
        rc = es_status_exit_code(st);
        goto out;
    }
    rc = 1;
    if (!(res.command_line = cli_command_line(argc, argv))) {
        cli_error("out of memory");
        goto out;
    }
    if ((st = es_h5_write(a.out, &res, a.force, err, sizeof err)) != ES_OK) {
        cli_error("%s", err);
        rc = es_status_exit_code(st);
        goto out;
    }
    if (!a.quiet) {
        const int S = res.n_sweep > 0 ? res.n_sweep : res.n_scenarios;
        const long long U = sh[0].shard.n_units;
        if (res.n_sweep > 0)
            fprintf(stderr,
                    "enforcesim: wrote %s (%d shards: %d scenario%s x %d points x %lld "
                    "replications = %lld units)\n",
                    a.out, a.n, S, S == 1 ? "" : "s", res.design.n_points,
                    U / S / res.design.n_points, U);
        else
            fprintf(stderr,
                    "enforcesim: wrote %s (%d shards: %d scenario%s x %lld replications = %lld "
                    "units)\n",
                    a.out, a.n, S, S == 1 ? "" : "s", U / S, U);
    }
    rc = 0;
out:
    for (int i = 0; i < a.n && sh; i++) es_run_result_free(&sh[i]);
    free(sh);
    free(a.paths);
    es_run_result_free(&res);
    return rc;
}
