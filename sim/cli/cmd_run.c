/* cmd_run.c: `enforcesim run`: config -> units (scenario x replication)
 * on worker threads -> comparisons -> HDF5 file.
 *
 * Order matters for "bad input never destroys earlier results": the config
 * and the command line are validated and the output path is checked before
 * any unit runs; the file is written under a temporary name and renamed.
 *
 * Replicate-until-precise (--precision METRIC=REL, repeatable): the first
 * batch is the configured replication count n0 (run.replications or -r),
 * then batches of n0 more, each capped at --max-replications, until every
 * named metric's 95% half-width is at most REL * |mean| in every fiscal
 * year of every scenario. The decision is taken only between batches, on
 * complete data, so the count does not depend on -j. */
#define _GNU_SOURCE /* sched_getaffinity and CPU_COUNT: the cores this process may use */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "../core/fault.h"
#include "../core/hash.h"
#include "../core/mem.h"
#include "../experiment/compare.h"
#include "../experiment/experiment.h"
#include "../experiment/sweep_run.h"
#include "../experiment/units.h"
#include "../io/cfg.h"
#include "../io/h5out.h"
#include "../io/journal.h"
#include "../model/model.h"
#include "../rng/rng.h"
#include "cli.h"
#include "run_journal.h"

#define MAX_SETS                 256
#define MAX_PRECISION            64
#define MAX_THREADS              4096
#define DEFAULT_MAX_REPLICATIONS 1000

/* The only file-scope mutable state allowed (STYLE.md 7): set by signals. */
static volatile sig_atomic_t stop_signal;

/* SIGINT, SIGTERM and SIGUSR1 (Slurm's warning before a time limit) ask
 * for a clean stop: no new units, those running finish and are journaled.
 * A second signal means "now": every completed unit is already on record
 * (journal records are written as units complete), so exiting at once
 * loses only the units in flight. */
static void on_signal(int sig)
{
    static const char msg[] =
        "enforcesim: second signal: stopping now; completed units are in the journal, "
        "run again with --resume\n";
    if (stop_signal) {
        ssize_t k = write(STDERR_FILENO, msg, sizeof msg - 1);
        (void)k;
        _exit(stop_signal == SIGINT ? 130 : 143);
    }
    stop_signal = sig;
}

static const char *signal_name(int sig)
{
    return sig == SIGINT    ? "SIGINT"
           : sig == SIGTERM ? "SIGTERM"
           : sig == SIGUSR1 ? "SIGUSR1"
                            : "a signal";
}

/* Progress across calls of es_experiment_extend: `before` units were done
 * in earlier batches, `planned` is the total including this batch. */
typedef struct {
    int quiet, tty;
    double t0, last_pct;
    int before, planned;
    uint64_t events;
    atomic_llong *replayed; /* units read back from the journal: they take no time */
} progress_state;

typedef struct {
    int metric;
    double rel;
} precision_target;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Progress counts completed units (the experiment calls this once per
 * completed unit, one call at a time): a live bar on a terminal, one plain
 * line every 5% otherwise so batch logs show liveness. */
static int progress(void *ctx, int done_here, int total_here, uint64_t events)
{
    progress_state *ps = ctx;
    int done = ps->before + done_here, total = ps->before + total_here;
    (void)total_here;
    ps->events += events;
    if (total < ps->planned) total = ps->planned;
    if (!ps->quiet) {
        long long replayed = ps->replayed ? atomic_load(ps->replayed) : 0;
        double el = now_s() - ps->t0, rate = (double)(done - replayed) / (el > 0 ? el : 1e-9);
        /* No ETA when nothing is left, or before a unit was computed here
         * (units read back from the journal take no time to estimate by). */
        char eta[48] = "";
        if (done < total && done > replayed)
            snprintf(eta, sizeof eta, "ETA %.0f s", (total - done) / rate);
        double pct = 100.0 * done / total;
        if (ps->tty) {
            int w = 30, fill = (int)(w * (double)done / total);
            fprintf(stderr, "\r[%.*s%*s] %d/%d units  %.2f units/s  %s ", fill,
                    "##############################", w - fill, "", done, total, rate, eta);
            if (done == total) fputc('\n', stderr);
        } else if (pct - ps->last_pct >= 5.0 || done == total) {
            fprintf(stderr, "enforcesim: %d/%d units (%.0f%%), %.2f units/s%s%s\n", done, total,
                    pct, rate, *eta ? ", " : "", eta);
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

/* "metric=rel" with a registered metric and 0 < rel < 1. */
static int parse_precision(const char *s, precision_target *t)
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
    char *out = malloc(n + 64);
    if (!out) return NULL;
    if (shard_count > 0)
        snprintf(out, n + 64, "results/%.*s.shard-%d-of-%d.h5", (int)n, base, shard_index,
                 shard_count);
    else
        snprintf(out, n + 64, "results/%.*s.h5", (int)n, base);
    return out;
}

/* "I/N" with 0 <= I < N: -1 when malformed, -2 when I is out of range. */
static int parse_shard(const char *s, long *index, long *count)
{
    const char *slash = strchr(s, '/');
    char head[32];
    if (!slash || (size_t)(slash - s) >= sizeof head) return -1;
    snprintf(head, sizeof head, "%.*s", (int)(slash - s), s);
    if (parse_int(head, 0, LONG_MAX, index) || parse_int(slash + 1, 1, 1000000, count)) return -1;
    return *index < *count ? 0 : -2;
}

/* What must be equal for shards to belong to one run: the effective config
 * of the whole run (every scenario, replications and seed included), the
 * seed and generator again (they are run-wide), CRN, and the shard count.
 * Fills the shard identity of res; 0 or -1 when out of memory. */
static int shard_identity(es_run_result *res, const es_run_spec *spec, int shard_index,
                          int shard_count, int64_t n_units)
{
    es_shard_info *sh = &res->shard;
    char num[96];
    uint64_t h = ES_FNV_OFFSET;
    size_t cap_s = 1, cap_c = 1;
    h = es_fnv1a(h, res->config_text, strlen(res->config_text) + 1);
    snprintf(num, sizeof num, "seed=%lld;rng=%s;crn=%d;shards=%d", (long long)res->seed, res->rng,
             res->crn, shard_count);
    h = es_fnv1a(h, num, strlen(num));
    for (int i = 0; i < spec->n_scenarios; i++) cap_s += strlen(spec->scenarios[i].name) + 1;
    for (int i = 0; i < spec->n_comparisons; i++)
        cap_c += strlen(spec->scenarios[spec->comparisons[i].base].name) +
                 strlen(spec->scenarios[spec->comparisons[i].alt].name) + 2;
    sh->index = shard_index;
    sh->count = shard_count;
    sh->n_units = n_units;
    sh->n_held = (int)((n_units - 1 - shard_index) / shard_count + 1);
    sh->config_hash = malloc(17);
    sh->scenarios = malloc(cap_s);
    sh->comparisons = malloc(cap_c);
    sh->units = es_calloc((size_t)sh->n_held, sizeof *sh->units);
    if (!sh->config_hash || !sh->scenarios || !sh->comparisons || !sh->units) return -1;
    snprintf(sh->config_hash, 17, "%016llx", (unsigned long long)h);
    /* Names hold no ',' or ' ' (io/cfg.h), so these lists split cleanly. */
    sh->scenarios[0] = sh->comparisons[0] = '\0';
    for (int i = 0; i < spec->n_scenarios; i++) {
        if (i) strcat(sh->scenarios, ",");
        strcat(sh->scenarios, spec->scenarios[i].name);
    }
    for (int i = 0; i < spec->n_comparisons; i++) {
        if (i) strcat(sh->comparisons, ",");
        strcat(sh->comparisons, spec->scenarios[spec->comparisons[i].base].name);
        strcat(sh->comparisons, " ");
        strcat(sh->comparisons, spec->scenarios[spec->comparisons[i].alt].name);
    }
    for (int k = 0; k < sh->n_held; k++) sh->units[k] = shard_index + (int64_t)k * shard_count;
    sh->complete = 1;
    return 0;
}

/* --dry-run: the units as TSV on stdout, their number on stderr. Unit u is
 * scenario u % S, point (u / S) % P, replication u / (S P) (the order the
 * experiment hands them out; P = 1 without a sweep, results.h); its shard
 * of N is u % N. */
static int dry_run(const es_run_spec *spec, int n_reps, int shard_index, int shard_count)
{
    const int64_t S = spec->n_scenarios, P = spec->sweep ? spec->sweep->n_points : 1,
                  total = S * P * n_reps, N = shard_count > 0 ? shard_count : 1;
    int64_t listed = 0;
    char points[64] = "";
    if (printf("unit\tscenario\tpoint\treplication\tshard\n") < 0) goto fail;
    for (int64_t u = shard_count > 0 ? shard_index : 0; u < total; u += N) {
        if (printf("%lld\t%s\t%lld\t%lld\t%lld\n", (long long)u, spec->scenarios[u % S].name,
                   (long long)(u / S % P), (long long)(u / (S * P)), (long long)(u % N)) < 0)
            goto fail;
        listed++;
    }
    if (fflush(stdout) != 0) goto fail;
    if (spec->sweep) snprintf(points, sizeof points, " x %lld points", (long long)P);
    if (shard_count > 0)
        fprintf(stderr,
                "enforcesim: %lld units in shard %d/%d (%lld in the run: %lld scenario%s%s x %d "
                "replications)\n",
                (long long)listed, shard_index, shard_count, (long long)total, (long long)S,
                S == 1 ? "" : "s", points, n_reps);
    else
        fprintf(stderr, "enforcesim: %lld units (%lld scenario%s%s x %d replications)\n",
                (long long)listed, (long long)S, S == 1 ? "" : "s", points, n_reps);
    return 0;
fail:
    cli_error("--dry-run: cannot write the unit list to stdout: %s", strerror(errno));
    return 1;
}

/* A new --seed moves a Latin hypercube (its draws come from run.seed,
 * experiment/design.h): rebuild it, and check every point again. */
static es_status reseed_sweep(es_run_spec *spec, const char *config, char *err, size_t errlen)
{
    es_sweep *sw = spec->sweep;
    double *x = NULL;
    int n = 0;
    char why[512];
    if (!sw || sw->kind != ES_DESIGN_LHS) return ES_OK;
    es_status st = es_design_build(sw->kind, sw->params, sw->d, sw->points,
                                   (uint64_t)spec->base.seed, &x, &n, why, sizeof why);
    if (st != ES_OK) {
        snprintf(err, errlen, "%s: %s", config, why);
        return st;
    }
    free(sw->x);
    sw->x = x;
    sw->n_points = n;
    return es_cfg_check_sweep(spec, config, err, errlen);
}

/* The design matrix as the file stores it (results.h es_design_result). */
static int design_result(const es_sweep *sw, es_design_result *d)
{
    d->kind = es_strdup(es_design_kind_name(sw->kind));
    d->points_setting = sw->points;
    d->n_params = sw->d;
    d->n_points = sw->n_points;
    d->names = es_calloc((size_t)sw->d, sizeof *d->names);
    d->x = es_calloc((size_t)sw->n_points * (size_t)sw->d, sizeof *d->x);
    if (!d->kind || !d->names || !d->x) return -1;
    memcpy(d->x, sw->x, (size_t)sw->n_points * (size_t)sw->d * sizeof *d->x);
    for (int j = 0; j < sw->d; j++)
        if (!(d->names[j] = es_strdup(sw->params[j].path))) return -1;
    return 0;
}

/* "m1=r1,m2=r2" for the root attribute; malloc'd. */
static char *precision_text(const precision_target *t, int n)
{
    size_t cap = 1;
    for (int i = 0; i < n; i++) cap += strlen(es_metric_table[t[i].metric].name) + 32;
    char *s = malloc(cap), *p = s;
    if (!s) return NULL;
    *p = '\0';
    for (int i = 0; i < n; i++) {
        char num[32];
        /* The shortest text that reads back as the same double. */
        snprintf(num, sizeof num, "%.15g", t[i].rel);
        if (strtod(num, NULL) != t[i].rel) snprintf(num, sizeof num, "%.17g", t[i].rel);
        p += snprintf(p, cap - (size_t)(p - s), "%s%s=%s", i ? "," : "",
                      es_metric_table[t[i].metric].name, num);
    }
    return s;
}

/* Is every target met in every scenario? When not, describes the worst
 * shortfall in why. */
static int precision_met(const es_run_result *res, const precision_target *t, int n, char *why,
                         size_t whylen)
{
    double worst = -1;
    for (int i = 0; i < n; i++)
        for (int s = 0; s < res->n_scenarios; s++) {
            double ratio;
            int fy;
            if (es_precision_met(&res->scenarios[s], t[i].metric, t[i].rel, &ratio, &fy)) continue;
            if (ratio / t[i].rel > worst) {
                worst = ratio / t[i].rel;
                snprintf(why, whylen,
                         "%s in scenario '%s', FY%d: half-width %.3g%% of the mean, target %.3g%%",
                         es_metric_table[t[i].metric].name, res->scenarios[s].name, fy, 100 * ratio,
                         100 * t[i].rel);
            }
        }
    return worst < 0;
}

/* The scenarios as the experiment takes them. Common random numbers:
 * every scenario keeps the master seed, so replication r names the same
 * streams everywhere (DESIGN.md 3); --no-crn gives each its own. */
static void scenario_inputs(es_run_spec *spec, int crn, es_scenario_in *in)
{
    for (int i = 0; i < spec->n_scenarios; i++) {
        es_params *p = &spec->scenarios[i].p;
        if (!crn) p->seed = es_experiment_independent_seed(spec->base.seed, i);
        in[i].name = spec->scenarios[i].name;
        in[i].p = p;
    }
}

int cmd_run(int argc, char **argv)
{
    return cmd_run_with(argc, argv, NULL);
}

int cmd_run_with(int argc, char **argv, const cli_executor *ex)
{
    const char *config = NULL, *output = NULL, *sets[MAX_SETS];
    precision_target targets[MAX_PRECISION];
    int n_sets = 0, n_targets = 0, force = 0, quiet = 0, verbose = 0, seed_given = 0, crn = 1,
        dry = 0;
    int resume = 0, keep_journal = 0;
    long reps = -1, threads = 0, max_reps = -1, shard_index = 0, shard_count = 0;
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
            if (!v) goto missing;
            if (parse_int(v, 1, MAX_THREADS, &threads)) {
                cli_error("-j '%s': give a whole number of worker threads from 1 to %d", v,
                          MAX_THREADS);
                return 2;
            }
            i++;
        } else if (!strcmp(a, "--seed")) {
            char *end;
            if (!v) goto missing;
            errno = 0;
            unsigned long long s = strtoull(v, &end, 10);
            if (errno || end == v || *end || v[0] == '-' || s > (unsigned long long)INT64_MAX) {
                cli_error("--seed '%s': give a whole number from 0 to %lld", v,
                          (long long)INT64_MAX);
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
        } else if (!strcmp(a, "--precision")) {
            if (!v) goto missing;
            if (n_targets == MAX_PRECISION) {
                cli_error("--precision: at most %d targets", MAX_PRECISION);
                return 2;
            }
            int prc = parse_precision(v, &targets[n_targets]);
            if (prc == -2) {
                cli_error("--precision '%s': unknown metric (enforcesim info FILE lists them)", v);
                return 2;
            }
            if (prc) {
                cli_error("--precision '%s': give METRIC=REL with REL between 0 and 1, e.g. "
                          "apprehensions=0.01",
                          v);
                return 2;
            }
            n_targets++;
            i++;
        } else if (!strcmp(a, "--max-replications")) {
            if (!v) goto missing;
            if (parse_int(v, 1, 1000000, &max_reps)) {
                cli_error("--max-replications '%s': give a whole number from 1 to 1000000", v);
                return 2;
            }
            i++;
        } else if (!strcmp(a, "--shard")) {
            if (!v) goto missing;
            int src = parse_shard(v, &shard_index, &shard_count);
            if (src == -2) {
                cli_error("--shard '%s': the index must be 0 to %ld (a Slurm array of %ld tasks is "
                          "--array=0-%ld)",
                          v, shard_count - 1, shard_count, shard_count - 1);
                return 2;
            }
            if (src) {
                cli_error(
                    "--shard '%s': give I/N with 0 <= I < N, e.g. --shard $SLURM_ARRAY_TASK_ID/"
                    "$SLURM_ARRAY_TASK_COUNT with #SBATCH --array=0-(N-1)",
                    v);
                return 2;
            }
            i++;
        } else if (!strcmp(a, "--dry-run")) {
            dry = 1;
        } else if (!strcmp(a, "--resume")) {
            resume = 1;
        } else if (!strcmp(a, "--keep-journal")) {
            keep_journal = 1;
        } else if (!strcmp(a, "--no-crn")) {
            crn = 0;
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
    if (max_reps > 0 && n_targets == 0) {
        cli_error("run: --max-replications caps --precision; give --precision METRIC=REL too");
        return 2;
    }
    if (dry && (resume || keep_journal)) {
        cli_error("run: --dry-run runs nothing, so %s does not apply",
                  resume ? "--resume" : "--keep-journal");
        return 2;
    }
    /* --precision decides on all replications together; a shard sees a slice. */
    if (n_targets > 0 && (shard_count > 0 || dry)) {
        cli_error("run: --precision cannot be combined with %s", dry ? "--dry-run" : "--shard");
        return 2;
    }

    char err[2048] = "";
    int rc = 2;
    es_run_spec *spec = es_calloc(1, sizeof *spec);
    es_scenario_in *in = NULL;
    char *journal_path = NULL, *identity = NULL;
    size_t *n_vals = NULL;
    run_journal rj;
    memset(&rj, 0, sizeof rj);
    int journal_kept = 0; /* say so in every later message */
    char *out_path =
        output ? es_strdup(output) : default_output(config, (int)shard_index, (int)shard_count);
    es_run_result res;
    memset(&res, 0, sizeof res);
    if (!spec || !out_path) {
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
    /* -r and --seed are run-wide: the base and every scenario alike. */
    for (int i = -1; i < spec->n_scenarios; i++) {
        es_params *p = i < 0 ? &spec->base : &spec->scenarios[i].p;
        if (seed_given) p->seed = seed;
        if (reps > 0) p->replications = (int)reps;
    }
    if (seed_given && (st = reseed_sweep(spec, config, err, sizeof err)) != ES_OK) {
        cli_error("%s", err);
        rc = es_status_exit_code(st);
        goto out;
    }
    if (spec->sweep && n_targets > 0) {
        /* --precision adds replications to every scenario; a sweep's
         * precision would be per point, which no one has asked for yet. */
        cli_error("run: --precision is not available for sweeps (%s has a sweep block)", config);
        goto out;
    }
    const es_params *base = &spec->base;
    const int n0 = base->replications, S = spec->n_scenarios;
    if (n_targets > 0 && max_reps < 0)
        max_reps = n0 > DEFAULT_MAX_REPLICATIONS ? n0 : DEFAULT_MAX_REPLICATIONS;
    if (n_targets > 0 && max_reps < n0) {
        cli_error("run: --max-replications %ld is below the first batch of %d replications",
                  max_reps, n0);
        goto out;
    }
    es_rng_kind kind;
    if (es_rng_kind_parse(base->rng, &kind)) {
        cli_error("%s: run.rng '%s' is not a known generator", config, base->rng);
        goto out;
    }
    const int64_t n_units = (int64_t)S * n0 * (spec->sweep ? spec->sweep->n_points : 1);
    if (shard_count > n_units) {
        cli_error("run: --shard %ld/%ld: the run has only %lld units (%d scenario%s x %d "
                  "replications); use at most "
                  "%lld shards (--array=0-%lld)",
                  shard_index, shard_count, (long long)n_units, S, S == 1 ? "" : "s", n0,
                  (long long)n_units, (long long)n_units - 1);
        goto out;
    }
    if (ex && ex->serve) {
        /* A worker process (MPI): the same command line gives the same
         * scenarios; compute the units the manager sends until it says stop. */
        if (!(in = es_calloc((size_t)S, sizeof *in))) {
            rc = ex->serve(ex->ctx, NULL, "out of memory loading the config");
            goto out;
        }
        scenario_inputs(spec, crn, in);
        es_unit_space us = {S, in, kind, spec->sweep, crn, base->seed};
        rc = ex->serve(ex->ctx, &us, NULL);
        goto out;
    }
    if (dry) {
        rc = dry_run(spec, n0, (int)shard_index, (int)shard_count);
        goto out;
    }
    int fy_probe[4];
    if (n_targets > 0 && es_experiment_fiscal_years(base, fy_probe, 4) == 0) {
        cli_error("run: --precision needs a fiscal year after the warm-up (horizon.warmup_end to "
                  "horizon.end)");
        goto out;
    }
    if (!(journal_path = malloc(strlen(out_path) + 9))) {
        cli_error("out of memory");
        rc = 1;
        goto out;
    }
    sprintf(journal_path, "%s.journal", out_path);
    if ((rc = run_guard_outputs(config, out_path, journal_path)) != 0) goto out;
    rc = 2;
    struct stat jsb;
    const int resuming = resume && lstat(journal_path, &jsb) == 0;
    /* Resuming, the output may be there already: the run was killed after
     * the rename and before the journal was removed. It is this run's file
     * (the journal's identity is checked below) and is rewritten. */
    if (!resuming) {
        st = es_h5_check_output(out_path, force, err, sizeof err);
        if (st != ES_OK) {
            cli_error("%s", err);
            rc = es_status_exit_code(st);
            goto out;
        }
        if (lstat(journal_path, &jsb) == 0) {
            cli_error("%s exists: the journal of an interrupted run of %s; add --resume to finish "
                      "it, or delete it to "
                      "start over",
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

    rc = 1; /* from here on, failures are the environment's */
    res.scenarios = es_calloc((size_t)S, sizeof *res.scenarios);
    res.comparisons = es_calloc((size_t)spec->n_comparisons + 1, sizeof *res.comparisons);
    in = es_calloc((size_t)S, sizeof *in);
    res.program_version = es_strdup(cli_version());
    res.git_commit = es_strdup(cli_git_commit());
    res.rng = es_strdup(base->rng);
    res.config_text = es_cfg_render_run(spec); /* before --no-crn changes the scenarios' seeds */
    res.command_line = cli_command_line(argc, argv);
    res.started = cli_iso_now();
    res.seed = base->seed;
    res.crn = crn;
    char host[256] = "unknown";
    if (gethostname(host, sizeof host - 1) != 0) strcpy(host, "unknown");
    res.host = es_strdup(host);
    if (!res.scenarios || !res.comparisons || !in || !res.program_version || !res.git_commit ||
        !res.rng || !res.config_text || !res.command_line || !res.started || !res.host) {
        cli_error("out of memory preparing the run");
        goto out;
    }
    scenario_inputs(spec, crn, in);

    if (threads == 0) threads = default_threads();
    if (ex) threads = ex->workers; /* one unit in flight per worker process */
    progress_state ps = {quiet, isatty(STDERR_FILENO), now_s(), 0, 0, 0, 0, &rj.replayed};
    es_experiment x = {.n_scenarios = S,
                       .scenarios = in,
                       .kind = kind,
                       .threads = (int)threads,
                       .progress = progress,
                       .pctx = &ps,
                       .shard_index = (int)shard_index,
                       .shard_count = (int)shard_count};
    if (shard_count > 0 &&
        shard_identity(&res, spec, (int)shard_index, (int)shard_count, n_units) < 0) {
        cli_error("out of memory preparing the shard");
        goto out;
    }
    if (n_targets > 0) {
        res.max_replications = (int)max_reps;
        if (!(res.precision = precision_text(targets, n_targets))) {
            cli_error("out of memory");
            goto out;
        }
    }
    if (spec->sweep) {
        /* A sweep's results are per point (experiment/sweep_run.h); the
         * runner sets them up itself, the design goes in as it is. */
        if (!(res.sweep = es_calloc((size_t)S, sizeof *res.sweep)) ||
            design_result(spec->sweep, &res.design) < 0) {
            cli_error("out of memory preparing the sweep");
            goto out;
        }
    } else {
        st = es_experiment_start(&x, res.scenarios, err, sizeof err);
        res.n_scenarios = S;
        if (st != ES_OK) {
            cli_error("%s", err);
            rc = es_status_exit_code(st);
            goto out;
        }
    }

    /* The journal: opened to continue, or created before the first unit. */
    if (!(identity = run_journal_identity(&res, n_targets > 0 ? (int)max_reps : 0)) ||
        !(n_vals = es_calloc((size_t)S, sizeof *n_vals))) {
        cli_error("out of memory preparing the journal");
        goto out;
    }
    rj.S = S;
    rj.n_vals = n_vals;
    for (int i = 0; i < S; i++) {
        n_vals[i] = (size_t)ES_N_METRICS * (size_t)es_model_months(in[i].p);
        if (n_vals[i] > rj.payload) rj.payload = n_vals[i];
    }
    if (resuming) {
        /* --precision numbers units up to its cap of replications. */
        const int64_t units = n_targets > 0 ? (int64_t)S * max_reps : n_units;
        st = es_journal_open(journal_path, identity, rj.payload, units, &rj.j, err, sizeof err);
        if (st == ES_OK) run_journal_remove_stale_temps(out_path);
    } else {
        st = es_journal_create(journal_path, identity, rj.payload, &rj.j, err, sizeof err);
    }
    if (st != ES_OK) {
        cli_error("%s", err);
        rc = es_status_exit_code(st);
        goto out;
    }
    journal_kept = 1;
    if (resuming && !quiet) {
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
    x.load = run_journal_load;
    x.save = run_journal_save;
    x.jctx = &rj;
    if (ex) {
        x.run_unit = ex->run_unit;
        x.rctx = ex->ctx;
    }

    if (verbose)
        fprintf(stderr,
                "enforcesim: %s: %d scenario%s x %d replications, seed %lld%s, generator %s, %ld "
                "thread%s -> %s\n",
                config, S, S == 1 ? "" : "s", n0, (long long)base->seed, crn ? "" : " (--no-crn)",
                base->rng, threads, threads == 1 ? "" : "s", out_path);
    char why[512] = "";
    if (spec->sweep) {
        ps.planned = shard_count > 0 ? res.shard.n_held : (int)n_units;
        st = es_sweep_run(&x, spec->sweep, n0, crn, base->seed, res.sweep, err, sizeof err);
        res.n_sweep = S;
    }
    for (int n = n0; st == ES_OK && !spec->sweep;) {
        ps.before = res.scenarios[0].n_reps * S;
        ps.planned = shard_count > 0 ? res.shard.n_held : n * S;
        st = es_experiment_extend(&x, res.scenarios, n, err, sizeof err);
        if (st != ES_OK || n_targets == 0) break;
        res.precision_met = precision_met(&res, targets, n_targets, why, sizeof why);
        if (res.precision_met || n >= max_reps) break;
        n = n + n0 < max_reps ? n + n0 : (int)max_reps;
        if (verbose)
            fprintf(stderr, "enforcesim: --precision not met yet (%s); going to %d replications\n",
                    why, n);
    }
    /* Whatever happened, what completed is on disk before we say so. */
    char jerr[512];
    es_status jst = es_journal_sync(rj.j, jerr, sizeof jerr);
    const long long on_record = (long long)(atomic_load(&rj.replayed) + es_journal_appended(rj.j));
    if (st == ES_ERR_INTERRUPTED) {
        if (jst != ES_OK) cli_error("%s", jerr);
        cli_error("interrupted by %s (%s); %s keeps %lld completed unit%s: run the same command "
                  "with --resume to "
                  "finish",
                  signal_name(stop_signal), err, journal_path, on_record,
                  on_record == 1 ? "" : "s");
        journal_kept = 0;
        rc = stop_signal == SIGINT ? 130 : 143;
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
    const int n_done = shard_count > 0 ? res.shard.n_held
                       : spec->sweep   ? (int)n_units
                                       : res.scenarios[0].n_reps * S;
    if (n_targets > 0) {
        if (!res.precision_met)
            cli_error("--precision not met at --max-replications %ld: %s; the file records "
                      "precision_met = 0",
                      max_reps, why);
        else if (!quiet)
            fprintf(stderr, "enforcesim: --precision met with %d replications per scenario\n",
                    n_done / S);
    }
    for (int i = 0; i < S; i++)
        if (!(*(spec->sweep ? &res.sweep[i].config : &res.scenarios[i].config) =
                  es_cfg_render(&spec->scenarios[i].p))) {
            cli_error("out of memory");
            goto out;
        }
    /* A shard stores only the scenarios it has replications of, and no
     * comparisons: `merge` computes them on all replications. */
    if (shard_count > 0 && !spec->sweep) {
        int kept = 0;
        for (int i = 0; i < S; i++) {
            if (res.scenarios[i].n_reps == 0) {
                es_scenario_result_fini(&res.scenarios[i]);
                continue;
            }
            if (kept != i) {
                res.scenarios[kept] = res.scenarios[i];
                memset(&res.scenarios[i], 0, sizeof res.scenarios[i]);
            }
            kept++;
        }
        res.n_scenarios = kept;
    }
    for (int i = 0; i < spec->n_comparisons && shard_count == 0; i++) {
        st = es_compare_scenarios(&res.scenarios[spec->comparisons[i].base],
                                  &res.scenarios[spec->comparisons[i].alt], CLI_CMP_TARGET_REL,
                                  &res.comparisons[i], err, sizeof err);
        if (st != ES_OK) {
            cli_error("%s", err);
            rc = es_status_exit_code(st);
            goto out;
        }
        res.n_comparisons = i + 1;
    }
    res.finished = cli_iso_now();
    st = es_h5_write(out_path, &res, force || resuming, err, sizeof err);
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
    if (!keep_journal && (st = es_journal_remove(journal_path, err, sizeof err)) != ES_OK)
        cli_error("%s (the results are complete in %s; delete the journal by hand)", err, out_path);
    if (!quiet) {
        double el = now_s() - ps.t0;
        if (spec->sweep)
            fprintf(stderr,
                    "enforcesim: wrote %s (%s%d scenario%s x %d points x %d replications: %d of "
                    "%lld units, "
                    "%.1f s, %.2f units/s, %.2e events/s)\n",
                    out_path, shard_count > 0 ? "shard, " : "", S, S == 1 ? "" : "s",
                    spec->sweep->n_points, n0, n_done, (long long)n_units, el, n_done / el,
                    ps.events / el);
        else if (shard_count > 0)
            fprintf(stderr,
                    "enforcesim: wrote %s (shard %ld/%ld: %d of %lld units, %.1f s, %.2f units/s, "
                    "%.2e events/s)\n",
                    out_path, shard_index, shard_count, n_done, (long long)n_units, el, n_done / el,
                    ps.events / el);
        else
            fprintf(stderr,
                    "enforcesim: wrote %s (%d scenario%s x %d replications = %d units, %.1f s, "
                    "%.2f units/s, "
                    "%.2e events/s)\n",
                    out_path, S, S == 1 ? "" : "s", n_done / S, n_done, el, n_done / el,
                    ps.events / el);
    }
    if (!quiet && resuming)
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
    es_journal_close(rj.j);
    free(journal_path);
    free(identity);
    free(n_vals);
    es_run_result_free(&res);
    es_run_spec_fini(spec);
    free(spec);
    free(in);
    free(out_path);
    return rc;
}
