/* cmd_validate.c: `enforcesim validate CONFIG [--set k=v]...`.
 *
 * Loads the config exactly as `run` would (io/cfg.c) and prints the
 * effective config, every parameter with its value, on stdout, followed by
 * the scenarios (each with the settings in which it differs) and the
 * comparisons when the config lists scenarios; that text is itself a valid
 * config that loads to the same parameters. On an invalid config: one line
 * on stderr and exit status 2. Nothing else is written. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../core/mem.h"
#include "../experiment/run.h"
#include "../io/cfg.h"
#include "cli.h"

/* A config error can name a path, a file and a value: room for all three. */
#define VALIDATE_ERR_MAX 2048

static const char validate_usage[] =
    "usage: enforcesim validate CONFIG [--set path=value]...\n"
    "  Checks CONFIG (types, ranges, shares, dates, includes) and prints the\n"
    "  effective configuration: every parameter with its value.\n"
    "  --set path=value   override one parameter after the file, e.g.\n"
    "                     --set run.replications=50 --set run.seed=5000000000L\n"
    "exit status: 0 valid; 2 invalid config or bad usage\n";

int cmd_validate(int argc, char **argv)
{
    const char *config = NULL;
    const char **sets = es_calloc((size_t)argc, sizeof *sets);
    int n_sets = 0, rc = 2;
    es_plan pl;
    int planned = 0;
    es_run_spec *spec = NULL;
    char err[VALIDATE_ERR_MAX] = "";
    if (!sets) {
        cli_error("out of memory");
        return 1;
    }
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--set")) {
            if (i + 1 >= argc) {
                cli_error("validate: option '--set' needs a value path=value");
                goto out;
            }
            sets[n_sets++] = argv[++i];
        } else if (!strncmp(a, "--set=", 6)) {
            sets[n_sets++] = a + 6;
        } else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            fputs(validate_usage, stdout);
            rc = 0;
            goto out;
        } else if (a[0] == '-' && a[1]) {
            cli_error("validate: unknown option '%s'; see 'enforcesim validate --help'", a);
            goto out;
        } else if (!config) {
            config = a;
        } else {
            cli_error("validate: more than one CONFIG given ('%s' and '%s')", config, a);
            goto out;
        }
    }
    if (!config) {
        cli_error(
            "validate: no CONFIG given; usage: enforcesim validate CONFIG [--set path=value]...");
        goto out;
    }
    spec = es_calloc(1, sizeof *spec);
    if (!spec) {
        cli_error("out of memory");
        rc = 1;
        goto out;
    }
    es_status st = es_cfg_load_run(config, sets, n_sets, spec, err, sizeof err);
    if (st != ES_OK) {
        cli_error("%s", err);
        rc = es_status_exit_code(st);
        goto out;
    }
    if (spec->unc) {
        /* The draws are checked against every scenario when a run is
         * planned: validate refuses what run would. */
        es_run_options o;
        memset(&o, 0, sizeof o);
        o.crn = 1;
        es_run_spec *taken = spec;
        spec = NULL;
        if ((st = es_plan_init(&pl, taken, &o, config, err, sizeof err)) != ES_OK) {
            cli_error("%s", err);
            rc = es_status_exit_code(st);
            goto out;
        }
        planned = 1;
    }
    if (es_cfg_write_run(planned ? pl.spec : spec, stdout) != ES_OK || fflush(stdout) != 0) {
        cli_error("validate: cannot write the effective config to standard output");
        rc = 1;
        goto out;
    }
    rc = 0;
out:
    if (planned) es_plan_fini(&pl);
    es_run_spec_fini(spec);
    free(spec);
    free(sets);
    return rc;
}
