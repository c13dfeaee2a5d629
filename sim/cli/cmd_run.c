/* cmd_run.c: `enforcesim run`: parses the command line (an option table,
 * opts.h), hands the config and options to the library's plan and
 * execute (experiment/run.h) and prints what happened.
 *
 * Order matters for "bad input never destroys earlier results": the config
 * and the command line are validated and the output path is checked before
 * any unit runs; the file is written under a temporary name and renamed.
 * The journal of OUT (OUT.journal, experiment/run_journal.h) records every
 * completed unit, so a killed run continues with --resume. */
#define _GNU_SOURCE /* sched_getaffinity and CPU_COUNT: the cores this process may use */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "../core/check.h"
#include "../core/fault.h"
#include "../core/mem.h"
#include "../experiment/run.h"
#include "../experiment/uncertainty.h"
#include "../experiment/run_journal.h"
#include "../io/cfg.h"
#include "../io/fsdir.h"
#include "../io/h5out.h"
#include "../io/journal.h"
#include "../model/params.h"
#include "cli.h"
#include "opts.h"

#define MAX_SETS    256
#define MAX_THREADS 4096

/* The only file-scope mutable state allowed (docs/development.md, Style): set by signals,
 * read by the worker threads (through the stop hook). An atomic, not a
 * plain int, so a worker sees the store without a data race; lock-free, so
 * the handler may store it (C11 7.14.1.1: a signal handler may only touch
 * volatile sig_atomic_t or lock-free atomic objects). */
_Static_assert(ATOMIC_INT_LOCK_FREE == 2, "the stop flag must be a lock-free atomic");
static atomic_int stop_signal;

/* SIGINT, SIGTERM, SIGHUP (the terminal or ssh session went away) and
 * SIGUSR1 (Slurm's warning before a time limit) ask for a clean stop: no new units, those running finish and are journaled.
 * A second signal means "now": every completed unit is already on record
 * (journal records are written as units complete), so exiting at once
 * loses only the units in flight. */
static void on_signal(int sig)
{
    static const char msg[] =
        "enforcesim: second signal: stopping now; completed units are in the journal, "
        "run again with --resume\n";
    int first = atomic_load(&stop_signal);
    if (first) {
        ssize_t k = write(STDERR_FILENO, msg, sizeof msg - 1);
        (void)k;
        _exit(first == SIGINT ? 130 : 143);
    }
    atomic_store(&stop_signal, sig);
}

static const char *signal_name(int sig)
{
    return sig == SIGINT    ? "SIGINT"
           : sig == SIGTERM ? "SIGTERM"
           : sig == SIGUSR1 ? "SIGUSR1"
           : sig == SIGHUP  ? "SIGHUP"
                            : "a signal";
}

/* ---- options ------------------------------------------------------------------- */

enum {
    O_OUTPUT,
    O_REPS,
    O_JOBS,
    O_SEED,
    O_SET,
    O_NO_CRN,
    O_NO_UNCERTAINTY,
    O_PRECISION,
    O_MAX_REPS,
    O_SHARD,
    O_DRY,
    O_RESUME,
    O_KEEP,
    O_FORCE,
    O_QUIET,
    O_VERBOSE,
    O_HELP
};

static const cli_opt run_opts[] = {
    {O_OUTPUT, "-o", "--output", CLI_TEXT, "FILE", 0, 0, NULL,
     "output file (default results/CONFIG.h5; a shard: results/CONFIG.shard-I-of-N.h5)"},
    {O_REPS, "-r", "--replications", CLI_INT, "REPS", 1, ES_RUN_MAX_REPLICATIONS,
     "a whole number of replications", "replications per scenario (and point)"},
    {O_JOBS, "-j", "--jobs", CLI_INT, "N", 1, MAX_THREADS, "a whole number of worker threads",
     "worker threads (default: the cores available)"},
    {O_SEED, NULL, "--seed", CLI_TEXT, "S", 0, 0, NULL,
     "master seed (run.seed: a whole number in its range, see enforcesim params)"},
    {O_SET, NULL, "--set", CLI_TEXT, "PATH=VALUE", 0, 0, NULL, "override a setting (repeatable)"},
    {O_NO_CRN, NULL, "--no-crn", CLI_FLAG, NULL, 0, 0, NULL,
     "independent random numbers per scenario (to see what common random numbers buy)"},
    {O_NO_UNCERTAINTY, NULL, "--no-uncertainty", CLI_FLAG, NULL, 0, 0, NULL,
     "drop the config's uncertainty block: every replication runs the central parameters"},
    {O_PRECISION, NULL, "--precision", CLI_TEXT, "METRIC=REL", 0, 0, NULL,
     "add batches of REPS until METRIC's 95% half-width is within REL of its mean"},
    {O_MAX_REPS, NULL, "--max-replications", CLI_INT, "N", 1, ES_RUN_MAX_REPLICATIONS,
     "a whole number", "cap of --precision (default 1000)"},
    {O_SHARD, NULL, "--shard", CLI_TEXT, "I/N", 0, 0, NULL,
     "run units u with u % N == I into their own file (Slurm: --array=0-(N-1))"},
    {O_DRY, NULL, "--dry-run", CLI_FLAG, NULL, 0, 0, NULL, "print the units as TSV, run nothing"},
    {O_RESUME, NULL, "--resume", CLI_FLAG, NULL, 0, 0, NULL,
     "continue a killed or interrupted run from FILE.journal"},
    {O_KEEP, NULL, "--keep-journal", CLI_FLAG, NULL, 0, 0, NULL,
     "keep FILE.journal after a successful run"},
    {O_FORCE, NULL, "--force", CLI_FLAG, NULL, 0, 0, NULL, "overwrite an existing FILE"},
    {O_QUIET, "-q", "--quiet", CLI_FLAG, NULL, 0, 0, NULL, "no progress"},
    {O_VERBOSE, "-v", "--verbose", CLI_FLAG, NULL, 0, 0, NULL, "say more"},
    {O_HELP, "-h", "--help", CLI_FLAG, NULL, 0, 0, NULL, "this help"},
};
#define N_RUN_OPTS ((int)(sizeof run_opts / sizeof run_opts[0]))

typedef struct {
    const char *config, *output, *sets[MAX_SETS];
    int n_sets, force, quiet, verbose, dry, resume, keep_journal, help;
    long threads;
    es_run_options ro;
} run_args;

/* "metric=rel" with a registered metric and 0 < rel < 1. */
static int parse_precision(const char *s, es_precision_target *t)
{
    char name[128], *end;
    const char *eq = strchr(s, '=');
    if (!eq || (size_t)(eq - s) >= sizeof name) return -1;
    snprintf(name, sizeof name, "%.*s", (int)(eq - s), s);
    if ((t->metric = es_metric_find(name)) < 0) return -2;
    errno = 0;
    t->rel = strtod(eq + 1, &end);
    if (errno || end == eq + 1 || *end || !(t->rel > 0 && t->rel < 1)) return -1;
    return 0;
}

/* "I/N" with 0 <= I < N <= 1000000: -1 when malformed, -2 when I is out of range. */
static int parse_shard(const char *s, long *index, long *count)
{
    char *end;
    errno = 0;
    long i = strtol(s, &end, 10);
    if (errno || end == s || *end != '/' || i < 0 || s[0] == '+') return -1;
    const char *c = end + 1;
    long n = strtol(c, &end, 10);
    if (errno || end == c || *end || n < 1 || n > 1000000 || c[0] == '+' || c[0] == '-') return -1;
    *index = i;
    *count = n;
    return i < n ? 0 : -2;
}

/* --seed takes only what run.seed takes, by the registry's own rule: the
 * seed is stored in the effective config of the result, which must
 * validate again so the run can be repeated from its own file. */
static int parse_seed(const char *text, int64_t *seed)
{
    const es_param_def *d = es_param_find("run.seed");
    char msg[256], *end;
    ES_ASSERT(d);
    errno = 0;
    unsigned long long v = strtoull(text, &end, 10);
    if (!errno && end != text && !*end && isdigit((unsigned char)text[0]) &&
        v <= (unsigned long long)INT64_MAX &&
        es_param_check_int64(d, (int64_t)v, msg, sizeof msg) == 0) {
        *seed = (int64_t)v;
        return 0;
    }
    cli_error("--seed '%s': give a whole number from %.0f to %.0f (the range of run.seed)", text,
              d->min, d->max);
    return 2;
}

static int run_set(void *ctx, const cli_opt *o, const cli_optval *v)
{
    run_args *a = ctx;
    long si = 0, sn = 0;
    int prc;
    switch (o->id) {
    case O_OUTPUT: a->output = v->text; break;
    case O_REPS: a->ro.replications = (int)v->num; break;
    case O_JOBS: a->threads = (long)v->num; break;
    case O_SEED:
        if (parse_seed(v->text, &a->ro.seed) != 0) return 2;
        a->ro.seed_given = 1;
        break;
    case O_SET:
        if (a->n_sets == MAX_SETS) {
            cli_error("--set: at most %d overrides", MAX_SETS);
            return 2;
        }
        a->sets[a->n_sets++] = v->text;
        break;
    case O_NO_CRN: a->ro.crn = 0; break;
    case O_NO_UNCERTAINTY: a->ro.no_uncertainty = 1; break;
    case O_PRECISION:
        if (a->ro.n_targets == ES_RUN_MAX_TARGETS) {
            cli_error("--precision: at most %d targets", ES_RUN_MAX_TARGETS);
            return 2;
        }
        prc = parse_precision(v->text, &a->ro.targets[a->ro.n_targets]);
        if (prc == -2) {
            cli_error("--precision '%s': unknown metric (enforcesim info FILE lists them)",
                      v->text);
            return 2;
        }
        if (prc) {
            cli_error("--precision '%s': give METRIC=REL with REL between 0 and 1, e.g. "
                      "apprehensions=0.01",
                      v->text);
            return 2;
        }
        a->ro.n_targets++;
        break;
    case O_MAX_REPS: a->ro.max_replications = (int)v->num; break;
    case O_SHARD:
        prc = parse_shard(v->text, &si, &sn);
        if (prc == -2) {
            cli_error("--shard '%s': the index must be 0 to %ld (a Slurm array of %ld tasks is "
                      "--array=0-%ld)",
                      v->text, sn - 1, sn, sn - 1);
            return 2;
        }
        if (prc) {
            cli_error("--shard '%s': give I/N with 0 <= I < N, e.g. --shard "
                      "$SLURM_ARRAY_TASK_ID/$SLURM_ARRAY_TASK_COUNT with #SBATCH --array=0-(N-1)",
                      v->text);
            return 2;
        }
        a->ro.shard_index = (int)si;
        a->ro.shard_count = (int)sn;
        break;
    case O_DRY: a->dry = 1; break;
    case O_RESUME: a->resume = 1; break;
    case O_KEEP: a->keep_journal = 1; break;
    case O_FORCE: a->force = 1; break;
    case O_QUIET: a->quiet = 1; break;
    case O_VERBOSE: a->verbose = 1; break;
    case O_HELP: a->help = 1; break;
    }
    return 0;
}

static int run_operand(void *ctx, const char *arg)
{
    run_args *a = ctx;
    if (a->config) {
        cli_error("run: more than one CONFIG given ('%s' and '%s')", a->config, arg);
        return 2;
    }
    a->config = arg;
    return 0;
}

/* Parses and checks the command line; 0, or the exit status. */
static int run_parse(int argc, char **argv, run_args *a)
{
    memset(a, 0, sizeof *a);
    a->ro.crn = 1;
    int rc = cli_opts_parse("run", run_opts, N_RUN_OPTS, argc, argv, run_set, run_operand, a);
    if (rc) return rc;
    if (a->help) return 0;
    if (a->quiet && a->verbose) {
        cli_error("run: -q and -v contradict each other; give one");
        return 2;
    }
    if (!a->config) {
        cli_error("run: no CONFIG given; usage: enforcesim run CONFIG [-o FILE]");
        return 2;
    }
    if (a->ro.max_replications > 0 && a->ro.n_targets == 0) {
        cli_error("run: --max-replications caps --precision; give --precision METRIC=REL too");
        return 2;
    }
    if (a->dry && (a->resume || a->keep_journal)) {
        cli_error("run: --dry-run runs nothing, so %s does not apply",
                  a->resume ? "--resume" : "--keep-journal");
        return 2;
    }
    /* --precision decides on all replications together; a shard sees a slice. */
    if (a->ro.n_targets > 0 && (a->ro.shard_count > 0 || a->dry)) {
        cli_error("run: --precision cannot be combined with %s", a->dry ? "--dry-run" : "--shard");
        return 2;
    }
    return 0;
}

/* ---- printing ------------------------------------------------------------------ */

typedef struct {
    int quiet, tty, verbose;
    double t0, last_pct;
    uint64_t events;
    atomic_llong *replayed; /* units read back from the journal: they take no time */
} progress_state;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Inputs are sacred (io/fsdir.h): refuses an output or journal path that
 * is the config, one of its @includes, or not a regular file (a symbolic
 * link too, for the journal), --force or not. 0 when both are safe to
 * write; otherwise prints one line and returns the exit code (2, or 1 when
 * out of memory). Called before any work, once the config has loaded. */
static int guard_outputs(const char *config, const char *out_path, const char *journal_path)
{
    char **files = NULL, err[2048];
    int n = 0, rc = 0;
    if (es_cfg_files(config, &files, &n) != ES_OK) {
        cli_error("out of memory listing the config's files");
        return 1;
    }
    es_status st = es_fs_check_output(out_path, "run: output", 0, (const char *const *)files, n,
                                      err, sizeof err);
    if (st == ES_OK)
        st = es_fs_check_output(journal_path, "run: journal", ES_FS_NO_SYMLINK,
                                (const char *const *)files, n, err, sizeof err);
    if (st != ES_OK) {
        cli_error("%s", err);
        rc = es_status_exit_code(st);
    }
    es_cfg_files_free(files, n);
    return rc;
}

/* Progress counts completed units (one call at a time): a live bar on a
 * terminal, one plain line every 5% otherwise so batch logs show liveness. */
static void on_progress(void *ctx, int64_t done, int64_t total, uint64_t events)
{
    progress_state *ps = ctx;
    ps->events += events;
    if (ps->quiet) return;
    long long replayed = ps->replayed ? atomic_load(ps->replayed) : 0;
    double el = now_s() - ps->t0, rate = (double)(done - replayed) / (el > 0 ? el : 1e-9);
    /* No ETA when nothing is left, or before a unit was computed here
     * (units read back from the journal take no time to estimate by). */
    char eta[48] = "";
    if (done < total && done > replayed)
        snprintf(eta, sizeof eta, "ETA %.0f s", (double)(total - done) / rate);
    double pct = 100.0 * (double)done / (double)total;
    if (ps->tty) {
        int w = 30, fill = (int)(w * (double)done / (double)total);
        fprintf(stderr, "\r[%.*s%*s] %lld/%lld units  %.2f units/s  %s ", fill,
                "##############################", w - fill, "", (long long)done, (long long)total,
                rate, eta);
        if (done == total) fputc('\n', stderr);
    } else if (pct - ps->last_pct >= 5.0 || done == total) {
        fprintf(stderr, "enforcesim: %lld/%lld units (%.0f%%), %.2f units/s%s%s\n", (long long)done,
                (long long)total, pct, rate, *eta ? ", " : "", eta);
        ps->last_pct = pct;
    }
}

static int on_stop(void *ctx)
{
    (void)ctx;
    return atomic_load(&stop_signal) != 0;
}

static void on_batch(void *ctx, int n_reps, const char *why)
{
    const progress_state *ps = ctx;
    if (ps->verbose)
        fprintf(stderr, "enforcesim: --precision not met yet (%s); going to %d replications\n", why,
                n_reps);
}

/* The cores this process may run on (taskset, cgroups, Slurm), else the
 * online ones, else 1. */
static int default_threads(void)
{
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0) return CPU_COUNT(&set);
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (n < MAX_THREADS ? (int)n : MAX_THREADS) : 1;
}

/* results/<config>.h5, or results/<config>.shard-I-of-N.h5 for a shard. */
static char *default_output(const char *config, int shard_index, int shard_count)
{
    const char *base = strrchr(config, '/');
    base = base ? base + 1 : config;
    size_t n = strlen(base);
    if (n > 4 && !strcmp(base + n - 4, ".cfg")) n -= 4;
    char *out = es_malloc(n + 64);
    if (!out) return NULL;
    if (shard_count > 0)
        snprintf(out, n + 64, "results/%.*s.shard-%d-of-%d.h5", (int)n, base, shard_index,
                 shard_count);
    else
        snprintf(out, n + 64, "results/%.*s.h5", (int)n, base);
    return out;
}

/* --dry-run: the plan's units as TSV on stdout, their number on stderr. */
static int dry_run(const es_plan *pl)
{
    const int64_t S = pl->n_scenarios, P = pl->n_points, total = pl->n_units,
                  N = pl->opt.shard_count > 0 ? pl->opt.shard_count : 1;
    const int sharded = pl->opt.shard_count > 0;
    int64_t listed = 0;
    char points[64] = "";
    if (printf("unit\tscenario\tpoint\treplication\tshard\n") < 0) goto fail;
    for (int64_t u = sharded ? pl->opt.shard_index : 0; u < total; u += N) {
        int s, p;
        int64_t r;
        es_plan_unit(pl, u, &s, &p, &r);
        if (printf("%lld\t%s\t%d\t%lld\t%lld\n", (long long)u, pl->in[s].name, p, (long long)r,
                   (long long)(u % N)) < 0)
            goto fail;
        listed++;
    }
    if (fflush(stdout) != 0) goto fail;
    if (pl->spec->sweep) snprintf(points, sizeof points, " x %lld points", (long long)P);
    if (sharded)
        fprintf(stderr,
                "enforcesim: %lld units in shard %d/%d (%lld in the run: %lld scenario%s%s x %d "
                "replications)\n",
                (long long)listed, pl->opt.shard_index, pl->opt.shard_count, (long long)total,
                (long long)S, S == 1 ? "" : "s", points, pl->n_reps);
    else
        fprintf(stderr, "enforcesim: %lld units (%lld scenario%s%s x %d replications)\n",
                (long long)listed, (long long)S, S == 1 ? "" : "s", points, pl->n_reps);
    return 0;
fail:
    cli_error("--dry-run: cannot write the unit list to stdout: %s", strerror(errno));
    return 1;
}

static void run_help(void)
{
    printf("usage: enforcesim run CONFIG [options]\n\n"
           "Runs every replication of every scenario (at every point of the config's sweep,\n"
           "if any) into an HDF5 file. Unit u is scenario u %% S, point (u / S) %% P,\n"
           "replication u / (S P) (P = 1 without a sweep).\n\noptions:\n");
    cli_opts_help(stdout, run_opts, N_RUN_OPTS);
}

/* ---- the run --------------------------------------------------------------------- */

int cmd_run(int argc, char **argv)
{
    return cmd_run_with(argc, argv, NULL);
}

/* Loads the config and builds the plan; 0 or the exit status. */
static int cli_run_plan(const run_args *a, es_plan *pl)
{
    char err[2048] = "";
    es_run_spec *spec = es_calloc(1, sizeof *spec);
    if (!spec) {
        cli_error("out of memory");
        return 1;
    }
    es_status st = es_cfg_load_run(a->config, a->sets, a->n_sets, spec, err, sizeof err);
    if (st == ES_OK)
        st = es_plan_init(pl, spec, &a->ro, a->config, err, sizeof err);
    else
        free(spec);
    if (st != ES_OK) {
        cli_error("%s", err);
        return es_status_exit_code(st);
    }
    return 0;
}

int cmd_run_with(int argc, char **argv, const cli_executor *ex)
{
    run_args a;
    int rc = run_parse(argc, argv, &a);
    if (rc) return rc;
    if (a.help) {
        run_help();
        return 0;
    }
    char err[2048] = "", why[512] = "";
    es_plan pl;
    memset(&pl, 0, sizeof pl);
    char *journal_path = NULL, *identity = NULL;
    es_run_journal rj;
    memset(&rj, 0, sizeof rj);
    int journal_kept = 0; /* say so in every later message */
    char *out_path = a.output ? es_strdup(a.output)
                              : default_output(a.config, a.ro.shard_index, a.ro.shard_count);
    es_run_result res;
    memset(&res, 0, sizeof res);
    es_status st;
    if (!out_path) {
        cli_error("out of memory");
        rc = 1;
        goto out;
    }
    if ((rc = cli_run_plan(&a, &pl)) != 0) goto out;
    if (ex && ex->planned) ex->planned(ex->ctx, &pl);
    rc = 2;
    if (a.dry) {
        rc = dry_run(&pl);
        goto out;
    }
    if (!(journal_path = es_malloc(strlen(out_path) + 9))) {
        cli_error("out of memory");
        rc = 1;
        goto out;
    }
    sprintf(journal_path, "%s.journal", out_path);
    if ((rc = guard_outputs(a.config, out_path, journal_path)) != 0) goto out;
    rc = 2;
    struct stat jsb;
    const int resuming = a.resume && lstat(journal_path, &jsb) == 0;
    /* Resuming, the output may be there already: the run was killed after
     * the rename and before the journal was removed. It is this run's file
     * (the journal's identity is checked below) and is rewritten. */
    if (!resuming) {
        st = es_h5_check_output(out_path, a.force, err, sizeof err);
        if (st != ES_OK) {
            cli_error("%s", err);
            rc = es_status_exit_code(st);
            goto out;
        }
        if (lstat(journal_path, &jsb) == 0) {
            cli_error("%s exists: the journal of an interrupted run of %s; add --resume to finish "
                      "it, or delete it to start over",
                      journal_path, out_path);
            goto out;
        }
    }

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGUSR1, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);

    rc = 1; /* from here on, failures are the environment's */
    char host[256] = "unknown";
    if (gethostname(host, sizeof host - 1) != 0) strcpy(host, "unknown");
    res.program_version = es_strdup(cli_version());
    res.git_commit = es_strdup(cli_git_commit());
    res.command_line = cli_command_line(argc, argv);
    res.started = cli_iso_now();
    res.host = es_strdup(host);
    if (!res.program_version || !res.git_commit || !res.command_line || !res.started || !res.host) {
        cli_error("out of memory preparing the run");
        goto out;
    }
    if ((st = es_plan_describe(&pl, &res, err, sizeof err)) != ES_OK) {
        cli_error("%s", err);
        goto out;
    }

    /* The journal: opened to continue, or created before the first unit. */
    if (!(identity = es_run_journal_identity(&res, a.ro.n_targets > 0 ? pl.max_reps : 0))) {
        cli_error("out of memory preparing the journal");
        goto out;
    }
    /* --precision numbers units up to its cap of replications. */
    const int64_t journal_units =
        a.ro.n_targets > 0 ? (int64_t)pl.n_scenarios * pl.max_reps * pl.n_points : pl.n_units;
    st = es_run_journal_begin(&rj, journal_path, resuming, identity, pl.in, pl.n_scenarios,
                              journal_units, err, sizeof err);
    if (st != ES_OK) {
        cli_error("%s", err);
        rc = es_status_exit_code(st);
        goto out;
    }
    if (resuming) es_run_journal_remove_stale_temps(out_path);
    journal_kept = 1;
    if (resuming && !a.quiet) {
        int64_t dmg = es_journal_damaged(rj.j), torn = es_journal_torn_bytes(rj.j);
        fprintf(stderr, "enforcesim: resuming from %s: %lld unit%s on record", journal_path,
                (long long)es_journal_replayable(rj.j),
                es_journal_replayable(rj.j) == 1 ? "" : "s");
        if (dmg)
            fprintf(stderr, ", %lld damaged record%s skipped (recomputed)", (long long)dmg,
                    dmg == 1 ? "" : "s");
        if (torn) fprintf(stderr, ", a torn tail of %lld bytes cut (recomputed)", (long long)torn);
        fputc('\n', stderr);
    }

    long threads = a.threads ? a.threads : default_threads();
    es_executor exe = {(int)threads, NULL, NULL};
    if (ex) {
        /* One unit in flight per worker process. */
        exe = (es_executor){ex->workers, ex->run_unit, ex->ctx};
        threads = ex->workers;
    }
    progress_state ps = {a.quiet, isatty(STDERR_FILENO), a.verbose, now_s(), 0, 0, &rj.replayed};
    es_run_hooks hooks = {on_progress,         on_stop, on_batch, &ps, es_run_journal_load,
                          es_run_journal_save, &rj};
    const es_params *base = &pl.spec->base;
    const int S = pl.n_scenarios;
    if (a.verbose)
        fprintf(stderr,
                "enforcesim: %s: %d scenario%s x %d replications, seed %lld%s, generator %s, %ld "
                "thread%s -> %s\n",
                a.config, S, S == 1 ? "" : "s", pl.n_reps, (long long)base->seed,
                pl.opt.crn ? "" : " (--no-crn)", base->rng, threads, threads == 1 ? "" : "s",
                out_path);
    if (!a.quiet && pl.spec->unc)
        fprintf(stderr,
                "enforcesim: parameter uncertainty: %d parameter%s drawn per replication (the "
                "same in every scenario); --no-uncertainty runs without\n",
                pl.spec->unc->d, pl.spec->unc->d == 1 ? "" : "s");
    int64_t n_done = 0;
    st = es_run_execute(&pl, &exe, &hooks, &res, &n_done, why, sizeof why, err, sizeof err);
    /* Whatever happened, what completed is on disk before we say so. */
    char jerr[512];
    es_status jst = es_journal_sync(rj.j, jerr, sizeof jerr);
    const long long on_record = (long long)(atomic_load(&rj.replayed) + es_journal_appended(rj.j));
    if (st == ES_ERR_INTERRUPTED) {
        if (jst != ES_OK) cli_error("%s", jerr);
        int sig = atomic_load(&stop_signal);
        cli_error("interrupted by %s (%s); %s keeps %lld completed unit%s: run the same command "
                  "with --resume to finish",
                  signal_name(sig), err, journal_path, on_record, on_record == 1 ? "" : "s");
        journal_kept = 0;
        rc = sig == SIGINT ? 130 : 143;
        goto out;
    }
    if (st != ES_OK) {
        cli_error("%s; %s keeps %lld completed unit%s: run the same command with --resume once "
                  "this is fixed",
                  err, journal_path, on_record, on_record == 1 ? "" : "s");
        journal_kept = 0;
        rc = es_status_exit_code(st);
        goto out;
    }
    if (a.ro.n_targets > 0) {
        if (!res.precision_met)
            cli_error("--precision not met at --max-replications %d: %s; the file records "
                      "precision_met = 0",
                      pl.max_reps, why);
        else if (!a.quiet)
            fprintf(stderr, "enforcesim: --precision met with %lld replications per scenario\n",
                    (long long)(n_done / S));
    }
    if (!(res.finished = cli_iso_now())) {
        st = ES_ERR_NOMEM;
        snprintf(err, sizeof err, "out of memory");
    }
    if (st == ES_OK) st = es_h5_write(out_path, &res, a.force || resuming, err, sizeof err);
    if (st != ES_OK) {
        cli_error(
            "%s; %s keeps all %lld units: run the same command with --resume once this is fixed",
            err, journal_path, on_record);
        journal_kept = 0;
        rc = es_status_exit_code(st);
        goto out;
    }
    /* Killed here, the file is complete and the journal still there:
     * --resume replays every unit and writes the same file again. */
    es_fault_point("output_renamed", 0);
    es_journal_close(rj.j);
    rj.j = NULL;
    journal_kept = 0;
    if (!a.keep_journal && (st = es_journal_remove(journal_path, err, sizeof err)) != ES_OK)
        cli_error("%s (the results are complete in %s; delete the journal by hand)", err, out_path);
    if (!a.quiet) {
        double el = now_s() - ps.t0;
        if (pl.spec->sweep)
            fprintf(stderr,
                    "enforcesim: wrote %s (%s%d scenario%s x %d points x %d replications: %lld "
                    "of %lld units, %.1f s, %.2f units/s, %.2e events/s)\n",
                    out_path, pl.opt.shard_count > 0 ? "shard, " : "", S, S == 1 ? "" : "s",
                    pl.n_points, pl.n_reps, (long long)n_done, (long long)pl.n_units, el,
                    (double)n_done / el, (double)ps.events / el);
        else if (pl.opt.shard_count > 0)
            fprintf(stderr,
                    "enforcesim: wrote %s (shard %d/%d: %lld of %lld units, %.1f s, %.2f "
                    "units/s, %.2e events/s)\n",
                    out_path, pl.opt.shard_index, pl.opt.shard_count, (long long)n_done,
                    (long long)pl.n_units, el, (double)n_done / el, (double)ps.events / el);
        else
            fprintf(stderr,
                    "enforcesim: wrote %s (%d scenario%s x %lld replications = %lld units, %.1f "
                    "s, %.2f units/s, %.2e events/s)\n",
                    out_path, S, S == 1 ? "" : "s", (long long)(n_done / S), (long long)n_done, el,
                    (double)n_done / el, (double)ps.events / el);
    }
    if (!a.quiet && resuming)
        fprintf(stderr,
                "enforcesim: resumed: %lld unit%s replayed from the journal, %lld computed now\n",
                (long long)atomic_load(&rj.replayed), atomic_load(&rj.replayed) == 1 ? "" : "s",
                (long long)atomic_load(&rj.computed));
    rc = 0;
out:
    if (journal_kept && rj.j) {
        /* A failure after the journal was opened and before any message about it. */
        if (es_journal_sync(rj.j, err, sizeof err) == ES_OK)
            cli_error("%s keeps the completed units: run the same command with --resume",
                      journal_path);
    }
    es_run_journal_fini(&rj);
    free(journal_path);
    free(identity);
    es_run_result_free(&res);
    es_plan_fini(&pl);
    free(out_path);
    return rc;
}
