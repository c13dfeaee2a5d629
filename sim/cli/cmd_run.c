/* cmd_run.c: `enforcesim run`: config -> replications -> HDF5 file.
 *
 * Order matters for "bad input never destroys earlier results": the config
 * and the command line are validated and the output path is checked before
 * any unit runs; the file is written under a temporary name and renamed. */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "../core/mem.h"
#include "../experiment/experiment.h"
#include "../io/cfg.h"
#include "../io/h5out.h"
#include "../rng/rng.h"
#include "cli.h"

#define MAX_SETS 256

/* The only file-scope mutable state allowed (STYLE.md 7): set by signals. */
static volatile sig_atomic_t stop_signal;

static void on_signal(int sig) { stop_signal = sig; }

typedef struct {
    int quiet, tty;
    double t0, last_pct;
    uint64_t events;
} progress_state;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Progress counts completed units: a live bar on a terminal, one plain
 * line every 5% otherwise so batch logs show liveness. */
static int progress(void *ctx, int done, int total, uint64_t events)
{
    progress_state *ps = ctx;
    ps->events += events;
    if (!ps->quiet) {
        double el = now_s() - ps->t0, rate = done / (el > 0 ? el : 1e-9);
        double eta = (total - done) / (rate > 0 ? rate : 1e-9);
        double pct = 100.0 * done / total;
        if (ps->tty) {
            int w = 30, fill = (int)(w * done / total);
            fprintf(stderr, "\r[%.*s%*s] %d/%d units  %.2f units/s  ETA %.0f s ", fill,
                    "##############################", w - fill, "", done, total, rate, eta);
            if (done == total) fputc('\n', stderr);
        } else if (pct - ps->last_pct >= 5.0 || done == total) {
            fprintf(stderr, "enforcesim: %d/%d units (%.0f%%), %.2f units/s, ETA %.0f s\n", done, total,
                    pct, rate, eta);
            ps->last_pct = pct;
        }
    }
    return stop_signal != 0;
}

static int parse_int(const char *s, long lo, long hi, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < lo || v > hi) return -1;
    *out = v;
    return 0;
}

static char *join_args(int argc, char **argv)
{
    size_t n = 1;
    for (int i = 0; i < argc; i++) n += strlen(argv[i]) + 1;
    char *s = malloc(n + 16);
    if (!s) return NULL;
    strcpy(s, "enforcesim");
    for (int i = 0; i < argc; i++) {
        strcat(s, " ");
        strcat(s, argv[i]);
    }
    return s;
}

static char *iso_now(void)
{
    char buf[32];
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return es_strdup(buf);
}

/* The scenario of a single-scenario config is named after its file. */
static char *config_stem(const char *config)
{
    const char *base = strrchr(config, '/');
    base = base ? base + 1 : config;
    size_t n = strlen(base);
    if (n > 4 && !strcmp(base + n - 4, ".cfg")) n -= 4;
    char *s = malloc(n + 1);
    if (s) snprintf(s, n + 1, "%.*s", (int)n, base);
    return s;
}

static char *default_output(const char *config)
{
    const char *base = strrchr(config, '/');
    base = base ? base + 1 : config;
    size_t n = strlen(base);
    if (n > 4 && !strcmp(base + n - 4, ".cfg")) n -= 4;
    char *out = malloc(n + 16);
    if (out) snprintf(out, n + 16, "results/%.*s.h5", (int)n, base);
    return out;
}

int cmd_run(int argc, char **argv)
{
    const char *config = NULL, *output = NULL, *sets[MAX_SETS];
    int n_sets = 0, force = 0, quiet = 0, verbose = 0, seed_given = 0;
    long reps = -1;
    int64_t seed = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "-o") || !strcmp(a, "--output")) {
            if (!v) goto missing;
            output = v;
            i++;
        } else if (!strcmp(a, "-r") || !strcmp(a, "--replications")) {
            if (!v) goto missing;
            if (parse_int(v, 1, 1000000, &reps)) {
                cli_error("-r '%s': give a whole number of replications from 1 to 1000000", v);
                return 2;
            }
            i++;
        } else if (!strcmp(a, "-j") || !strcmp(a, "--jobs")) {
            long j;
            if (!v) goto missing;
            if (parse_int(v, 1, 4096, &j)) {
                cli_error("-j '%s': give a whole number of worker threads from 1 to 4096", v);
                return 2;
            }
            i++;
        } else if (!strcmp(a, "--seed")) {
            char *end;
            if (!v) goto missing;
            errno = 0;
            unsigned long long s = strtoull(v, &end, 10);
            if (errno || end == v || *end || v[0] == '-' || s > (unsigned long long)INT64_MAX) {
                cli_error("--seed '%s': give a whole number from 0 to %lld", v, (long long)INT64_MAX);
                return 2;
            }
            seed = (int64_t)s;
            seed_given = 1;
            i++;
        } else if (!strcmp(a, "--set")) {
            if (!v) goto missing;
            if (n_sets == MAX_SETS) {
                cli_error("--set: at most %d overrides", MAX_SETS);
                return 2;
            }
            sets[n_sets++] = v;
            i++;
        } else if (!strcmp(a, "--force")) {
            force = 1;
        } else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
            quiet = 1;
        } else if (!strcmp(a, "-v") || !strcmp(a, "--verbose")) {
            verbose = 1;
        } else if (a[0] == '-' && a[1]) {
            cli_error("run: unknown option '%s'; see 'enforcesim --help'", a);
            return 2;
        } else if (!config) {
            config = a;
        } else {
            cli_error("run: more than one CONFIG given ('%s' and '%s')", config, a);
            return 2;
        }
        continue;
    missing:
        cli_error("run: option '%s' needs a value", a);
        return 2;
    }
    if (quiet && verbose) {
        cli_error("run: -q and -v contradict each other; give one");
        return 2;
    }
    if (!config) {
        cli_error("run: no CONFIG given; usage: enforcesim run CONFIG [-o FILE]");
        return 2;
    }

    char err[1024] = "";
    int rc = 2;
    es_params *p = malloc(sizeof *p);
    char *out_path = output ? es_strdup(output) : default_output(config);
    es_run_result res;
    memset(&res, 0, sizeof res);
    if (!p || !out_path) {
        cli_error("out of memory");
        rc = 1;
        goto out;
    }
    es_status st = es_cfg_load(config, sets, n_sets, p, err, sizeof err);
    if (st != ES_OK) {
        cli_error("%s", err);
        rc = es_status_exit_code(st);
        goto out;
    }
    if (seed_given) p->seed = seed;
    if (reps > 0) p->replications = (int)reps;
    es_rng_kind kind;
    if (es_rng_kind_parse(p->rng, &kind)) {
        cli_error("%s: run.rng '%s' is not a known generator", config, p->rng);
        goto out;
    }
    st = es_h5_check_output(out_path, force, err, sizeof err);
    if (st != ES_OK) {
        cli_error("%s", err);
        rc = es_status_exit_code(st);
        goto out;
    }

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);

    res.n_scenarios = 1;
    res.scenarios = es_calloc(1, sizeof(es_scenario_result));
    res.program_version = es_strdup(cli_version());
    res.git_commit = es_strdup(cli_git_commit());
    res.rng = es_strdup(p->rng);
    res.config_text = es_cfg_render(p);
    res.command_line = join_args(argc, argv);
    res.started = iso_now();
    res.seed = p->seed;
    char host[256] = "unknown";
    if (gethostname(host, sizeof host - 1) != 0) strcpy(host, "unknown");
    res.host = es_strdup(host);
    if (!res.scenarios || !res.program_version || !res.git_commit || !res.rng || !res.config_text ||
        !res.command_line || !res.started || !res.host) {
        cli_error("out of memory preparing the run");
        rc = 1;
        goto out;
    }

    progress_state ps = {quiet, isatty(STDERR_FILENO), now_s(), 0, 0};
    if (verbose)
        fprintf(stderr, "enforcesim: %s: %d replications, seed %lld, generator %s -> %s\n", config,
                p->replications, (long long)p->seed, p->rng, out_path);
    char *stem = config_stem(config);
    if (!stem) {
        cli_error("out of memory");
        rc = 1;
        goto out;
    }
    st = es_experiment_run(p, kind, stem, p->replications, progress, &ps, &res.scenarios[0],
                           err, sizeof err);
    free(stem);
    if (st == ES_ERR_INTERRUPTED) {
        cli_error("%s; nothing was written to %s (run again to recompute)", err, out_path);
        rc = stop_signal == SIGTERM ? 143 : 130;
        goto out;
    }
    if (st != ES_OK) {
        cli_error("%s", err);
        rc = es_status_exit_code(st);
        goto out;
    }
    res.finished = iso_now();
    st = es_h5_write(out_path, &res, force, err, sizeof err);
    if (st != ES_OK) {
        cli_error("%s", err);
        rc = es_status_exit_code(st);
        goto out;
    }
    if (!quiet)
        fprintf(stderr, "enforcesim: wrote %s (%d replications, %.1f s, %.2e events/s)\n", out_path,
                p->replications, now_s() - ps.t0, ps.events / (now_s() - ps.t0));
    rc = 0;
out:
    es_run_result_free(&res);
    free(out_path);
    free(p);
    return rc;
}
