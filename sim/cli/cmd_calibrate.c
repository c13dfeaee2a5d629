/* cmd_calibrate.c: `enforcesim calibrate CONFIG --targets FILE` (docs/calibration.md).
 *
 * History matching in waves, then ABC rejection (experiment/calibrate.h).
 * Each wave is an ordinary run: its points are written as a sweep of
 * design "points" on the config's effective parameters (DIR/waveN.cfg) and
 * run by `run` itself into DIR/waveN.h5, journal and all, so a wave killed
 * midway continues with --resume, and any wave can be rerun or inspected
 * by hand. The waves' points depend only on the config, the targets, the
 * seed and the earlier waves' data, so a resumed calibration writes the
 * same files as one never interrupted.
 *
 * Output, in DIR (default results/<config name>.calibration):
 *   waveN.cfg, waveN.h5   each wave's points and runs
 *   calibration.csv       every point of every wave: parameters, largest
 *                         implausibility and its target, non-implausible,
 *                         accepted (last wave)
 *   posterior.csv         the accepted sample, a column per parameter
 *   posterior.cfg         an `uncertainty` block drawing from that sample
 *                         jointly (empirical values inlined), to @include
 *                         or paste into a scenario config
 * Progress per wave on stderr; the fit (targets, parameters) on stdout. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <gsl/gsl_statistics_double.h>
#include "../core/mem.h"
#include "../core/text.h"
#include "../experiment/calibrate.h"
#include "../experiment/uncertainty.h"
#include "../io/cfg.h"
#include "../io/h5in.h"
#include "../io/h5out.h"
#include "../io/targets.h"
#include "../model/metrics.h"
#include "cli.h"

#define CAL_PATH 4096

typedef struct {
    const char *config, *targets, *dir;
    int jobs, resume, force, quiet;
} cal_args;

static int usage(const char *why)
{
    cli_error("calibrate: %s; usage: enforcesim calibrate CONFIG --targets FILE [-o DIR] [-j N] "
              "[--resume] [--force] [-q]",
              why);
    return 2;
}

static int parse(int argc, char **argv, cal_args *a)
{
    memset(a, 0, sizeof *a);
    for (int i = 1; i < argc; i++) {
        const char *s = argv[i];
        int more = i + 1 < argc;
        if (!strcmp(s, "--targets") && more)
            a->targets = argv[++i];
        else if ((!strcmp(s, "-o") || !strcmp(s, "--output")) && more)
            a->dir = argv[++i];
        else if ((!strcmp(s, "-j") || !strcmp(s, "--jobs")) && more) {
            char *end;
            long j = strtol(argv[++i], &end, 10);
            if (*end || j < 1 || j > 1024) return usage("-j needs a whole number of threads");
            a->jobs = (int)j;
        } else if (!strcmp(s, "--resume"))
            a->resume = 1;
        else if (!strcmp(s, "--force"))
            a->force = 1;
        else if (!strcmp(s, "-q") || !strcmp(s, "--quiet"))
            a->quiet = 1;
        else if (s[0] == '-') {
            cli_error("calibrate: unknown option '%s'; see 'enforcesim --help'", s);
            return 2;
        } else if (!a->config)
            a->config = s;
        else
            return usage("more than one CONFIG given");
    }
    if (!a->config) return usage("no CONFIG given");
    if (!a->targets) return usage("no --targets FILE given");
    if (a->resume && a->force)
        return usage("--resume continues a calibration, --force starts over: give one");
    return 0;
}

/* The whole file, or NULL. */
static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    char *s = NULL;
    size_t n = 0, cap = 0;
    for (;;) {
        if (n + 4096 + 1 > cap) {
            cap = cap ? 2 * cap : 65536;
            char *ns = realloc(s, cap);
            if (!ns) {
                free(s);
                fclose(f);
                return NULL;
            }
            s = ns;
        }
        size_t r = fread(s + n, 1, 4096, f);
        n += r;
        if (r < 4096) break;
    }
    fclose(f);
    s[n] = '\0';
    return s;
}

static int write_text(const char *path, const char *text)
{
    char tmp[CAL_PATH + 64];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "w");
    if (!f) return -1;
    int bad = fputs(text, f) < 0;
    bad |= fflush(f) != 0 || fsync(fileno(f)) != 0;
    bad |= fclose(f) != 0;
    if (bad || rename(tmp, path) != 0) {
        remove(tmp);
        return -1;
    }
    return 0;
}

/* One wave's target means and variances of the mean from its result file:
 * mean[p * nt + j], vom[p * nt + j]. */
static int wave_outputs(const es_run_result *res, const es_cal_target *t, int nt, int n_points,
                        double *mean, double *vom, char *err, size_t errlen)
{
    if (res->n_sweep != 1 || res->sweep[0].n_points != n_points) {
        snprintf(err, errlen, "the wave's file does not hold one scenario at %d points", n_points);
        return -1;
    }
    const es_sweep_result *s = &res->sweep[0];
    const int R = s->n_reps;
    double *v = es_calloc((size_t)(R > 0 ? R : 1), sizeof *v);
    if (!v) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    for (int j = 0; j < nt; j++) {
        const int fy = t[j].period == ES_CAL_FY;
        const int ny = fy ? s->n_fy : s->n_cy;
        const int *years = fy ? s->fy : s->cy;
        const double *data = fy ? s->fiscal : s->calendar;
        int yi = -1;
        for (int k = 0; k < ny; k++)
            if (years[k] == t[j].year) yi = k;
        if (yi < 0) {
            snprintf(err, errlen, "target %s: the run has no such year after the warm-up",
                     t[j].label);
            free(v);
            return -1;
        }
        const size_t rows = (size_t)s->n_rows;
        for (int p = 0; p < n_points; p++) {
            double m = 0, q = 0;
            for (int r = 0; r < R; r++) {
                size_t row = (size_t)p * (size_t)R + (size_t)r;
                double a = data[((size_t)t[j].metric * rows + row) * (size_t)ny + (size_t)yi];
                if (t[j].den >= 0) {
                    double b = data[((size_t)t[j].den * rows + row) * (size_t)ny + (size_t)yi];
                    a = b != 0 ? a / b : NAN;
                }
                v[r] = a;
                m += a / R;
            }
            for (int r = 0; r < R; r++) q += (v[r] - m) * (v[r] - m);
            mean[(size_t)p * nt + j] = m;
            vom[(size_t)p * nt + j] = R > 1 ? q / (R - 1) / R : 0;
        }
    }
    free(v);
    return 0;
}

/* Runs (or, resuming, finishes or reads) wave w. */
static int run_wave(const cal_args *a, const char *cfg, const char *h5, int reps)
{
    char r[16], j[16];
    snprintf(r, sizeof r, "%d", reps);
    snprintf(j, sizeof j, "%d", a->jobs);
    const char *argv[16];
    int n = 0;
    argv[n++] = "run";
    argv[n++] = cfg;
    argv[n++] = "-o";
    argv[n++] = h5;
    argv[n++] = "-r";
    argv[n++] = r;
    argv[n++] = "-q";
    if (a->jobs > 0) {
        argv[n++] = "-j";
        argv[n++] = j;
    }
    if (a->resume) argv[n++] = "--resume";
    if (a->force) argv[n++] = "--force";
    argv[n] = NULL;
    return cmd_run(n, (char **)argv);
}

static void put_real(FILE *f, double v)
{
    char b[ES_FMT_DOUBLE_MAX];
    es_fmt_double(b, sizeof b, v);
    fputs(b, f);
}

/* What every wave shares. */
typedef struct {
    const cal_args *a;
    es_run_spec *spec;
    const es_calibration *cal;
    const es_cal_target *t;
    int nt;
    const char *dir;
} cal_ctx;

/* One wave: n points in the box lo..hi (design stream seed + index) into
 * *x, run (or read back when resuming) as DIR/<name>.cfg and .h5, its
 * target means and variances of the mean into mean, vom ([n][nt]).
 * Returns 0, or the exit status with the message given. */
static int do_wave(const cal_ctx *c, const char *name, int index, const double *lo,
                   const double *hi, int n, double **x, double *mean, double *vom)
{
    const es_calibration *cal = c->cal;
    const int k = cal->k;
    char err[1024], cfg_path[CAL_PATH + 32], h5_path[CAL_PATH + 32];
    es_status st = es_cal_wave_points(cal->params, k, lo, hi, n, (uint64_t)c->spec->base.seed,
                                      index, x, err, sizeof err);
    if (st != ES_OK) {
        cli_error("calibrate: %s: %s", name, err);
        return es_status_exit_code(st);
    }
    /* The wave as a config: the effective parameters and a sweep of its points. */
    es_sweep sw;
    memset(&sw, 0, sizeof sw);
    sw.kind = ES_DESIGN_POINTS;
    sw.d = k;
    sw.targets = cal->targets;
    sw.n_points = n;
    sw.x = *x;
    sw.params = es_calloc((size_t)k, sizeof *sw.params);
    int ok = sw.params != NULL;
    for (int j = 0; ok && j < k; j++) {
        sw.params[j] = cal->params[j];
        sw.params[j].low = sw.params[j].high = 0;
        sw.params[j].n_values = n;
        double *col = es_calloc((size_t)n, sizeof *col);
        sw.params[j].values = col;
        if (!col) ok = 0;
        for (int p = 0; col && p < n; p++) col[p] = (*x)[(size_t)p * k + j];
    }
    char *text = NULL;
    if (ok) {
        c->spec->sweep = &sw;
        text = es_cfg_render_run(c->spec);
        c->spec->sweep = NULL;
    }
    for (int j = 0; sw.params && j < k; j++) free((double *)sw.params[j].values);
    free(sw.params);
    if (!text) {
        cli_error("out of memory");
        return 1;
    }
    snprintf(cfg_path, sizeof cfg_path, "%s/%s.cfg", c->dir, name);
    snprintf(h5_path, sizeof h5_path, "%s/%s.h5", c->dir, name);
    char *old = c->a->resume ? slurp(cfg_path) : NULL;
    if (old && strcmp(old, text) != 0) {
        free(old);
        free(text);
        cli_error("calibrate: %s is another calibration's wave (another config, targets or "
                  "seed); use --force to start over",
                  cfg_path);
        return 2;
    }
    free(old);
    int wrote = write_text(cfg_path, text);
    free(text);
    if (wrote != 0) {
        cli_error("calibrate: cannot write %s: %s", cfg_path, strerror(errno));
        return 1;
    }
    struct stat sb;
    if (!(c->a->resume && stat(h5_path, &sb) == 0)) {
        if (c->a->force) {
            char j[CAL_PATH + 64];
            snprintf(j, sizeof j, "%s.journal", h5_path);
            remove(j);
        }
        if (!c->a->quiet)
            fprintf(stderr, "enforcesim: calibrate: %s: %d points x %d replication%s\n", name, n,
                    cal->opt.replications, cal->opt.replications == 1 ? "" : "s");
        int wrc = run_wave(c->a, cfg_path, h5_path, cal->opt.replications);
        if (wrc != 0) {
            cli_error("calibrate: %s did not finish; run the same command with --resume to "
                      "continue it",
                      cfg_path);
            return wrc;
        }
    }
    es_run_result res;
    memset(&res, 0, sizeof res);
    st = es_h5_read(h5_path, &res, err, sizeof err);
    int bad = st != ES_OK || wave_outputs(&res, c->t, c->nt, n, mean, vom, err, sizeof err) != 0;
    es_run_result_free(&res);
    if (bad) {
        cli_error("calibrate: %s: %s", h5_path, err);
        return 2;
    }
    return 0;
}

/* Points kept for calibration.h5: rows of (wave, point, parameters...,
 * implausibility, non_implausible, accepted), width k + 5. */
typedef struct {
    int n, cap, w;
    double *v;
} cal_rows;

static int rows_add(cal_rows *r, int wave, int p, const double *x, int k, double imax, int ni,
                    int acc)
{
    if (r->n == r->cap) {
        int cap = r->cap ? 2 * r->cap : 256;
        double *nv = realloc(r->v, (size_t)cap * (size_t)r->w * sizeof *nv);
        if (!nv) return -1;
        r->v = nv;
        r->cap = cap;
    }
    double *row = r->v + (size_t)r->n++ * (size_t)r->w;
    row[0] = wave;
    row[1] = p;
    memcpy(row + 2, x, (size_t)k * sizeof *row);
    row[k + 2] = imax;
    row[k + 3] = ni;
    row[k + 4] = acc;
    return 0;
}

static int csv_rows(FILE *csv, cal_rows *rows, int wave_no, const char *wave, const double *x,
                    int n, int k, const double *imax, const int *worst, const es_cal_target *t,
                    double threshold, const int *acc)
{
    for (int p = 0; p < n; p++)
        if (rows_add(rows, wave_no, p, x + (size_t)p * k, k, imax[p], imax[p] <= threshold,
                     acc ? acc[p] : 0) != 0)
            return -1;
    for (int p = 0; p < n; p++) {
        fprintf(csv, "%s,%d", wave, p);
        for (int j = 0; j < k; j++) {
            fputc(',', csv);
            put_real(csv, x[(size_t)p * k + j]);
        }
        fputc(',', csv);
        put_real(csv, imax[p]);
        fprintf(csv, ",%s,%d,%d\n", worst[p] >= 0 ? t[worst[p]].label : "", imax[p] <= threshold,
                acc ? acc[p] : 0);
    }
    return 0;
}

/* DIR/calibration.h5: the history-matching points (/waves), the
 * acceptance step (/accept) and the accepted sample (/posterior), each a
 * table over its rows (io/h5out.h es_h5_write_tables), sealed. */
static int write_h5(const char *path, const es_calibration *cal, const cal_rows *wv,
                    const cal_rows *ac, const cal_args *a, int waves, char *err, size_t errlen)
{
    const int k = cal->k, w = k + 5;
    int n_post = 0;
    for (int i = 0; i < ac->n; i++) n_post += ac->v[(size_t)i * w + (size_t)(k + 4)] != 0;
    const cal_rows *src[2] = {wv, ac};
    const int nr[3] = {wv->n, ac->n, n_post};
    double *col = es_calloc((size_t)(wv->n + ac->n + n_post + 1) * (size_t)w, sizeof *col);
    es_h5_column *cols = es_calloc(3 * (size_t)w, sizeof *cols);
    if (!col || !cols) {
        free(col);
        free(cols);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    static const char *const fixed[2] = {"wave", "point"};
    static const char *const tail[3] = {"implausibility", "non_implausible", "accepted"};
    static const char *const tail_desc[3] = {
        "largest implausibility over the targets",
        "1 when the implausibility is at most the "
        "threshold",
        "1 when every target is within its tolerance (acceptance step)"};
    double *at = col;
    for (int s = 0; s < 2; s++) {
        for (int c = 0; c < w; c++) {
            for (int i = 0; i < src[s]->n; i++) at[i] = src[s]->v[(size_t)i * w + (size_t)c];
            es_h5_column *e = &cols[(size_t)s * w + (size_t)c];
            e->v = at;
            at += src[s]->n;
            if (c < 2) {
                e->name = fixed[c];
                e->units = "1";
                e->desc = c == 0 ? "history-matching wave (acceptance step: waves + 1)"
                                 : "point within its wave";
            } else if (c < k + 2) {
                e->name = cal->params[c - 2].path;
                e->units = cal->targets[c - 2].scale ? "factor" : "config units";
                e->desc = "parameter value at the point";
            } else {
                e->name = tail[c - k - 2];
                e->units = "1";
                e->desc = tail_desc[c - k - 2];
            }
        }
    }
    for (int j = 0; j < k; j++) {
        es_h5_column *e = &cols[2 * (size_t)w + (size_t)j];
        *e = cols[(size_t)w + (size_t)(j + 2)];
        e->desc = "parameter value of an accepted point";
        e->v = at;
        for (int i = 0; i < ac->n; i++)
            if (ac->v[(size_t)i * w + (size_t)(k + 4)] != 0)
                *at++ = ac->v[(size_t)i * w + (size_t)(j + 2)];
    }
    const es_h5_table tables[3] = {
        {"waves", "every point of every history-matching wave", "row", NULL, nr[0], w, cols},
        {"accept", "the acceptance step: points in the final non-implausible box", "row", NULL,
         nr[1], w, cols + w},
        {"posterior", "the accepted sample (the posterior)", "sample", NULL, nr[2], k,
         cols + 2 * w}};
    char nw[16];
    snprintf(nw, sizeof nw, "%d", waves);
    const es_h5_attr attrs[] = {{"title", "enforcesim calibration"},
                                {"program", "enforcesim"},
                                {"version", cli_version()},
                                {"git_commit", cli_git_commit()},
                                {"config", a->config},
                                {"targets", a->targets},
                                {"waves", nw}};
    es_status st = es_h5_write_tables(path, 1, attrs, (int)(sizeof attrs / sizeof attrs[0]), tables,
                                      3, err, errlen);
    free(col);
    free(cols);
    return st == ES_OK ? 0 : -1;
}

/* Every corner of the prior box, validated as a sweep point is, before
 * any work: a range that lets a wave's point break a rule (more agents
 * surged than a pool holds) is refused now, not after waves of runs. The
 * rules are monotone in each parameter in practice, so the corners stand
 * for the box; with more than 12 parameters only the two extreme corners. */
static int check_prior_corners(es_run_spec *spec, const char *config)
{
    const es_calibration *cal = spec->cal;
    const int k = cal->k, n = k <= 12 ? 1 << k : 2;
    char err[1024];
    es_sweep sw;
    memset(&sw, 0, sizeof sw);
    sw.kind = ES_DESIGN_POINTS;
    sw.d = k;
    sw.targets = cal->targets;
    sw.n_points = n;
    sw.params = cal->params;
    if (!(sw.x = es_calloc((size_t)n * (size_t)k, sizeof *sw.x))) {
        cli_error("out of memory");
        return 1;
    }
    for (int p = 0; p < n; p++)
        for (int j = 0; j < k; j++) {
            int high = n == 2 ? p : (p >> j) & 1;
            sw.x[(size_t)p * k + j] = high ? cal->params[j].high : cal->params[j].low;
        }
    spec->sweep = &sw;
    es_status st = es_cfg_check_sweep(spec, config, err, sizeof err);
    spec->sweep = NULL;
    free(sw.x);
    if (st != ES_OK) {
        cli_error("calibrate: the calibration block's ranges reach invalid parameters at a "
                  "corner: %s",
                  err);
        return es_status_exit_code(st);
    }
    return 0;
}

/* DIR/posterior.cfg: the accepted sample (post[j * n + i]) as an
 * uncertainty block, each parameter empirical, one joint tag. */
static int write_posterior_cfg(const char *path, const cal_args *a, const es_calibration *cal,
                               const double *post, int n, const char *dir)
{
    char tag[CAL_PATH + 32];
    snprintf(tag, sizeof tag, "%s/posterior.csv", dir);
    es_unc_param *p = es_calloc((size_t)cal->k, sizeof *p);
    FILE *f = NULL;
    int rc = -1;
    if (!p) {
        cli_error("out of memory");
        return -1;
    }
    es_uncertainty u = {cal->k, p};
    for (int j = 0; j < cal->k; j++) {
        p[j].name = (char *)cal->params[j].path;
        p[j].target = cal->targets[j];
        p[j].integer = cal->params[j].integer;
        p[j].kind = ES_DIST_EMPIRICAL;
        p[j].n_values = n;
        p[j].values = (double *)post + (size_t)j * n;
        p[j].joint = tag;
    }
    if (!(f = fopen(path, "w"))) {
        cli_error("calibrate: cannot write %s: %s", path, strerror(errno));
        goto out;
    }
    fprintf(f,
            "# The calibration posterior of %s against %s: %d accepted points,\n"
            "# drawn jointly per replication (enforcesim calibrate; docs/calibration.md).\n",
            a->config, a->targets, n);
    es_cfg_write_uncertainty(&u, f);
    int bad = fclose(f) != 0;
    f = NULL;
    if (bad)
        cli_error("calibrate: cannot write %s", path);
    else
        rc = 0;
out:
    if (f) fclose(f);
    free(p);
    return rc;
}

int cmd_calibrate(int argc, char **argv)
{
    cal_args a;
    int rc = parse(argc, argv, &a);
    if (rc) return rc;
    char err[1024], dir[CAL_PATH], path[CAL_PATH + 32];
    es_run_spec *spec = es_calloc(1, sizeof *spec);
    es_cal_target *t = NULL;
    int nt = 0;
    double *x = NULL, *mean = NULL, *vom = NULL, *imax = NULL, *lo = NULL, *hi = NULL;
    int *worst = NULL, *acc = NULL;
    double *post = NULL;
    FILE *csv = NULL;
    cal_rows wrows = {0, 0, 0, NULL}, arows = {0, 0, 0, NULL};
    rc = 2;
    if (!spec) {
        cli_error("out of memory");
        return 1;
    }
    es_status st = es_cfg_load_run(a.config, NULL, 0, spec, err, sizeof err);
    if (st != ES_OK) {
        cli_error("%s", err);
        rc = es_status_exit_code(st);
        goto out;
    }
    const es_calibration *cal = spec->cal;
    if (!cal) {
        cli_error("calibrate: %s has no calibration block (docs/calibration.md: the parameters "
                  "to fit and their ranges)",
                  a.config);
        goto out;
    }
    if (spec->n_scenarios != 1 || spec->sweep || spec->unc) {
        cli_error("calibrate: %s: a calibration config holds one scenario and no sweep or "
                  "uncertainty block",
                  a.config);
        goto out;
    }
    if ((st = es_targets_read(a.targets, &t, &nt, err, sizeof err)) != ES_OK) {
        cli_error("calibrate: %s", err);
        rc = es_status_exit_code(st);
        goto out;
    }
    /* Every target's year must be one the run reports: refused before any work. */
    {
        int fy[64], cy[64];
        int nfy = es_experiment_fiscal_years(&spec->base, fy, 64),
            ncy = es_experiment_calendar_years(&spec->base, cy, 64);
        for (int j = 0; j < nt; j++) {
            int found = 0, fiscal = t[j].period == ES_CAL_FY;
            for (int y = 0; y < (fiscal ? nfy : ncy); y++)
                found |= (fiscal ? fy : cy)[y] == t[j].year;
            if (!found) {
                cli_error("calibrate: %s: target %s falls outside %s's years after the warm-up",
                          a.targets, t[j].label, a.config);
                goto out;
            }
        }
    }
    if ((rc = check_prior_corners(spec, a.config)) != 0) goto out;
    rc = 2;
    const int k = cal->k, N = cal->opt.points, NA = 2 * cal->opt.points;
    wrows.w = arows.w = k + 5;
    if (a.dir)
        snprintf(dir, sizeof dir, "%s", a.dir);
    else
        snprintf(dir, sizeof dir, "results/%s.calibration", spec->scenarios[0].name);
    struct stat sb;
    if (stat(dir, &sb) == 0) {
        if (!S_ISDIR(sb.st_mode)) {
            cli_error("calibrate: %s exists and is not a folder", dir);
            goto out;
        }
        if (!a.resume && !a.force) {
            cli_error("calibrate: %s exists; --resume continues that calibration, --force starts "
                      "over",
                      dir);
            goto out;
        }
    } else if (mkdir(dir, 0777) != 0) {
        cli_error("calibrate: cannot create %s: %s", dir, strerror(errno));
        rc = 1;
        goto out;
    }
    rc = 1;
    if (!(mean = es_calloc((size_t)NA * (size_t)nt, sizeof *mean)) ||
        !(vom = es_calloc((size_t)NA * (size_t)nt, sizeof *vom)) ||
        !(imax = es_calloc((size_t)NA, sizeof *imax)) ||
        !(worst = es_calloc((size_t)NA, sizeof *worst)) ||
        !(acc = es_calloc((size_t)NA, sizeof *acc)) || !(lo = es_calloc((size_t)k, sizeof *lo)) ||
        !(hi = es_calloc((size_t)k, sizeof *hi))) {
        cli_error("out of memory");
        goto out;
    }
    snprintf(path, sizeof path, "%s/calibration.csv", dir);
    if (!(csv = fopen(path, "w"))) {
        cli_error("calibrate: cannot write %s: %s", path, strerror(errno));
        goto out;
    }
    fputs("wave,point", csv);
    for (int j = 0; j < k; j++) fprintf(csv, ",%s", cal->params[j].path);
    fputs(",implausibility,worst_target,non_implausible,accepted\n", csv);
    for (int j = 0; j < k; j++) {
        lo[j] = cal->params[j].low;
        hi[j] = cal->params[j].high;
    }
    cal_ctx c = {&a, spec, cal, t, nt, dir};
    int wave, n_ok = 0;
    for (wave = 1; wave <= cal->opt.max_waves; wave++) {
        char name[32];
        snprintf(name, sizeof name, "wave%d", wave);
        free(x);
        x = NULL;
        if ((rc = do_wave(&c, name, wave, lo, hi, N, &x, mean, vom)) != 0) goto out;
        rc = 1;
        es_cal_implausibility(t, nt, mean, vom, N, cal->opt.discrepancy, imax, worst);
        double best = HUGE_VAL;
        n_ok = 0;
        for (int p = 0; p < N; p++) {
            n_ok += imax[p] <= cal->opt.threshold;
            if (imax[p] < best) best = imax[p];
        }
        snprintf(name, sizeof name, "%d", wave);
        if (csv_rows(csv, &wrows, wave, name, x, N, k, imax, worst, t, cal->opt.threshold, NULL) !=
            0) {
            cli_error("out of memory");
            goto out;
        }
        if (!a.quiet)
            fprintf(stderr,
                    "enforcesim: calibrate: wave %d: %d of %d points non-implausible (I <= %g), "
                    "smallest I %.2f\n",
                    wave, n_ok, N, cal->opt.threshold, best);
        if (n_ok < (N / 10 > 2 ? N / 10 : 2) && !a.quiet)
            fprintf(stderr,
                    "enforcesim: calibrate: wave %d: too few points non-implausible to outline "
                    "the region; the next box outlines the tenth with the smallest I\n",
                    wave);
        const double v0 = es_cal_box_volume(cal->params, k, lo, hi);
        es_cal_box(cal->params, k, x, N, imax, cal->opt.threshold, cal->opt.margin, lo, hi);
        const double v1 = es_cal_box_volume(cal->params, k, lo, hi);
        if (!a.quiet) {
            for (int j = 0; j < k; j++)
                fprintf(stderr, "enforcesim: calibrate:   %s in [%.6g, %.6g]\n",
                        cal->params[j].path, lo[j], hi[j]);
            fprintf(stderr,
                    "enforcesim: calibrate:   next box: %.3g of the prior's volume (%.0f%% of "
                    "this wave's)\n",
                    v1, 100 * v1 / v0);
        }
        /* Converged: the region is outlined (stop_share of the points in
         * it) or the box has stopped closing (it keeps over 80% of its
         * volume: more waves would redraw the same box). */
        if (n_ok >= cal->opt.stop_share * N || (n_ok >= (N / 10 > 2 ? N / 10 : 2) && v1 > 0.8 * v0))
            break;
    }
    const int waves = wave > cal->opt.max_waves ? cal->opt.max_waves : wave;
    const int converged = wave <= cal->opt.max_waves;
    /* Acceptance: twice a wave's points in the final non-implausible box,
     * each kept when every target is within its tolerance (ABC rejection). */
    free(x);
    x = NULL;
    if ((rc = do_wave(&c, "accept", cal->opt.max_waves + 1, lo, hi, NA, &x, mean, vom)) != 0)
        goto out;
    rc = 1;
    es_cal_implausibility(t, nt, mean, vom, NA, cal->opt.discrepancy, imax, worst);
    const int n_acc = es_cal_accept(t, nt, mean, NA, acc);
    if (csv_rows(csv, &arows, waves + 1, "accept", x, NA, k, imax, worst, t, cal->opt.threshold,
                 acc) != 0) {
        cli_error("out of memory");
        goto out;
    }
    if (!a.quiet)
        fprintf(stderr,
                "enforcesim: calibrate: acceptance: %d of %d points within every "
                "target's tolerance\n",
                n_acc, NA);
    int bad = fclose(csv) != 0;
    csv = NULL;
    if (bad) {
        cli_error("calibrate: cannot write %s/calibration.csv", dir);
        goto out;
    }
    /* The accepted sample, column by column: post[j * n_acc + i]. */
    if (!(post = es_calloc((size_t)(n_acc ? n_acc : 1) * (size_t)k, sizeof *post))) {
        cli_error("out of memory");
        goto out;
    }
    for (int p = 0, i = 0; p < NA; p++)
        if (acc[p]) {
            for (int j = 0; j < k; j++) post[(size_t)j * n_acc + (size_t)i] = x[(size_t)p * k + j];
            i++;
        }
    snprintf(path, sizeof path, "%s/posterior.csv", dir);
    if (!(csv = fopen(path, "w"))) {
        cli_error("calibrate: cannot write %s: %s", path, strerror(errno));
        goto out;
    }
    for (int j = 0; j < k; j++) fprintf(csv, "%s%s", j ? "," : "", cal->params[j].path);
    fputc('\n', csv);
    for (int i = 0; i < n_acc; i++) {
        for (int j = 0; j < k; j++) {
            if (j) fputc(',', csv);
            put_real(csv, post[(size_t)j * n_acc + (size_t)i]);
        }
        fputc('\n', csv);
    }
    bad = fclose(csv) != 0;
    csv = NULL;
    if (bad) {
        cli_error("calibrate: cannot write %s", path);
        goto out;
    }
    /* An uncertainty block drawing that sample jointly, written by the
     * config writer itself (io/cfg.h), so it reads back as written. */
    snprintf(path, sizeof path, "%s/posterior.cfg", dir);
    if (n_acc > 0 && write_posterior_cfg(path, &a, cal, post, n_acc, dir) != 0) goto out;
    snprintf(path, sizeof path, "%s/calibration.h5", dir);
    if (write_h5(path, cal, &wrows, &arows, &a, waves, err, sizeof err) != 0) {
        cli_error("calibrate: %s", err);
        goto out;
    }
    /* The fit, on stdout. */
    printf("calibration  %s against %s: %d history-matching wave%s of %d points (%s), then %d "
           "points in the final box; %d accepted (every target within its tolerance); %d "
           "replication%s a point\n\n",
           a.config, a.targets, waves, waves == 1 ? "" : "s", N,
           converged ? "converged" : "stopped at the wave limit", NA, n_acc, cal->opt.replications,
           cal->opt.replications == 1 ? "" : "s");
    printf("%-36s %12s %12s %14s %10s  %s\n", "parameter", "prior low", "prior high",
           "posterior mean", "sd", "[min, max]");
    for (int j = 0; j < k; j++) {
        const double *v = post + (size_t)j * n_acc;
        double m = n_acc ? gsl_stats_mean(v, 1, (size_t)n_acc) : 0;
        double sd = n_acc > 1 ? gsl_stats_sd_m(v, 1, (size_t)n_acc, m) : 0;
        double mn = HUGE_VAL, mx = -HUGE_VAL;
        if (n_acc) gsl_stats_minmax(&mn, &mx, v, 1, (size_t)n_acc);
        printf("%-36s %12.6g %12.6g %14.6g %10.3g  [%.6g, %.6g]\n", cal->params[j].path,
               cal->params[j].low, cal->params[j].high, m, sd, mn, mx);
    }
    printf("\n%-48s %12s %14s %8s %5s\n", "target", "observed", "accepted mean", "diff", "tol");
    int all = n_acc > 0;
    for (int j = 0; j < nt; j++) {
        double m = 0;
        for (int p = 0; p < NA; p++)
            if (acc[p]) m += mean[(size_t)p * nt + j] / n_acc;
        double d = m / t[j].value - 1;
        all &= fabs(d) <= t[j].tol;
        printf("%-48s %12.6g %14.6g %+7.1f%% %4.0f%%%s\n", t[j].label, t[j].value, m, 100 * d,
               100 * t[j].tol, fabs(d) <= t[j].tol ? "" : "  outside");
    }
    printf(
        "\noutput: %s/ (waveN and accept .cfg and .h5, calibration.csv and .h5, posterior.csv%s)\n",
        dir, n_acc > 0 ? ", posterior.cfg" : "");
    if (n_acc == 0)
        cli_error("calibrate: no point of the acceptance step met every target within its "
                  "tolerance; add waves or points, or widen the ranges");
    rc = all ? 0 : 1;
out:
    if (csv) fclose(csv);
    free(post);
    free(wrows.v);
    free(arows.v);
    free(x);
    free(mean);
    free(vom);
    free(imax);
    free(worst);
    free(acc);
    free(lo);
    free(hi);
    free(t);
    es_run_spec_fini(spec);
    free(spec);
    return rc;
}
