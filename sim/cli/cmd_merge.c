/* cmd_merge.c: `enforcesim merge OUT SHARD...`: the files of `run --shard
 * I/N` back into the file a serial run of the same config writes.
 *
 * Nothing is trusted before it is checked: every shard must be complete
 * (attribute `complete` = 1, written last), of the same run (config hash,
 * seed, generator, CRN, shard count, unit count, scenario and comparison
 * lists), given once, and the shards together must hold every unit of the
 * run exactly once, in their unit lists and in their data alike. Each
 * failure is exit 2 naming the shard and the problem; OUT is then not
 * touched.
 *
 * The merged data are bit-identical to a serial run's: a unit's result
 * depends only on (scenario, replication) (experiment.h), the replications
 * are placed in index order, and the summaries and comparisons are
 * recomputed by the same functions, on the same values in the same order,
 * as `run` uses. Provenance comes from the first shard, except command_line
 * (this merge), started (the earliest shard's) and finished (the latest).
 * Peak memory is every shard plus the merged result. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../core/mem.h"
#include "../experiment/compare.h"
#include "../experiment/experiment.h"
#include "../experiment/sweep_run.h"
#include "../io/fsdir.h"
#include "../io/h5in.h"
#include "../io/h5out.h"
#include "cli.h"

#define MERGE_MAX_SHARDS 100000

typedef struct {
    const char *path;
    es_run_result r;
} shard_file;

/* Splits a copy of list at sep; returns the number of items, -1 when out of
 * memory. *items points into *buf; the caller frees both. */
static int split(const char *list, char sep, char **buf, char ***items)
{
    int n = 0;
    if (!(*buf = es_strdup(list)) || !(*items = es_calloc(strlen(list) + 1, sizeof **items)))
        return -1;
    if (!**buf) return 0;
    for (char *p = *buf;;) {
        (*items)[n++] = p;
        char *q = strchr(p, sep);
        if (!q) break;
        *q = '\0';
        p = q + 1;
    }
    return n;
}

static int find_name(char *const *names, int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (!strcmp(names[i], name)) return i;
    return -1;
}

/* Do two shards come from the same run? Names the first difference in why. */
static int same_run(const es_run_result *a, const es_run_result *b, char *why, size_t whylen)
{
    const es_shard_info *x = &a->shard, *y = &b->shard;
    if (strcmp(x->config_hash, y->config_hash))
        snprintf(why, whylen,
                 "config hash %s, not %s (another config, --set, -r, --seed or --no-crn)",
                 y->config_hash, x->config_hash);
    else if (a->seed != b->seed)
        snprintf(why, whylen, "seed %lld, not %lld", (long long)b->seed, (long long)a->seed);
    else if (strcmp(a->rng, b->rng))
        snprintf(why, whylen, "generator %s, not %s", b->rng, a->rng);
    else if (a->crn != b->crn)
        snprintf(why, whylen, "common_random_numbers %d, not %d", b->crn, a->crn);
    else if (x->count != y->count)
        snprintf(why, whylen, "one of %d shards, not %d", y->count, x->count);
    else if (x->n_units != y->n_units)
        snprintf(why, whylen, "%lld units in the run, not %lld", (long long)y->n_units,
                 (long long)x->n_units);
    else if (strcmp(x->scenarios, y->scenarios) || strcmp(x->comparisons, y->comparisons))
        snprintf(why, whylen, "other scenarios or comparisons");
    else if (strcmp(a->config_text, b->config_text))
        snprintf(why, whylen, "another effective config");
    else
        return 1;
    return 0;
}

/* Sets up scenario s of the merged result from a shard's copy of it (axes,
 * config) with room for n_reps replications. */
static int scenario_like(es_scenario_result *s, const es_scenario_result *t, int n_reps)
{
    memset(s, 0, sizeof *s);
    s->n_reps = n_reps;
    s->n_months = t->n_months;
    s->n_fy = t->n_fy;
    s->n_cy = t->n_cy;
    s->name = es_strdup(t->name);
    s->config = t->config ? es_strdup(t->config) : NULL;
    s->month_start = es_calloc((size_t)t->n_months + 1, sizeof *s->month_start);
    s->fy = es_calloc((size_t)t->n_fy + 1, sizeof *s->fy);
    s->cy = es_calloc((size_t)t->n_cy + 1, sizeof *s->cy);
    s->replication = es_calloc((size_t)n_reps, sizeof *s->replication);
    s->monthly = es_calloc((size_t)n_reps * ES_N_METRICS * (size_t)t->n_months + 1, sizeof(double));
    s->fiscal = es_calloc((size_t)n_reps * ES_N_METRICS * (size_t)t->n_fy + 1, sizeof(double));
    s->calendar = es_calloc((size_t)n_reps * ES_N_METRICS * (size_t)t->n_cy + 1, sizeof(double));
    if (!s->name || (t->config && !s->config) || !s->month_start || !s->fy || !s->cy ||
        !s->replication || !s->monthly || !s->fiscal || !s->calendar)
        return -1;
    memcpy(s->month_start, t->month_start, sizeof *s->month_start * (size_t)t->n_months);
    memcpy(s->fy, t->fy, sizeof *s->fy * (size_t)t->n_fy);
    memcpy(s->cy, t->cy, sizeof *s->cy * (size_t)t->n_cy);
    for (int r = 0; r < n_reps; r++) s->replication[r] = r;
    return 0;
}

static int same_axes(const es_scenario_result *a, const es_scenario_result *b)
{
    return a->n_months == b->n_months && a->n_fy == b->n_fy && a->n_cy == b->n_cy &&
           !memcmp(a->month_start, b->month_start, sizeof *a->month_start * (size_t)a->n_months) &&
           !memcmp(a->fy, b->fy, sizeof *a->fy * (size_t)a->n_fy) &&
           !memcmp(a->cy, b->cy, sizeof *a->cy * (size_t)a->n_cy);
}

/* Do two files hold the same design matrix, bit for bit? */
static int same_design(const es_design_result *a, const es_design_result *b)
{
    if (a->n_points != b->n_points || a->n_params != b->n_params ||
        strcmp(a->kind ? a->kind : "", b->kind ? b->kind : ""))
        return 0;
    for (int j = 0; j < a->n_params; j++)
        if (strcmp(a->names[j], b->names[j])) return 0;
    return !memcmp(a->x, b->x, (size_t)a->n_points * (size_t)a->n_params * sizeof *a->x);
}

/* A sweep's shards (rows = units, experiment/sweep_run.h) into res: the
 * design copied from the first shard after checking every shard has the
 * same, each unit's rows placed at (point, replication), then the per-point
 * summaries. owner[] is already checked; returns the exit status, 0 when
 * res is ready to write. */
static int merge_sweep(const shard_file *sh, int n, char *const *names, int S, const int64_t *owner,
                       unsigned char *filled, es_run_result *res)
{
    const es_design_result *d0 = &sh[0].r.design;
    const int64_t U = sh[0].r.shard.n_units;
    const int P = d0->n_points;
    char err[1024];
    if (P < 1 || U % ((int64_t)S * P) != 0 || U / ((int64_t)S * P) > 1000000) {
        cli_error(
            "merge: %s: %lld units do not make whole replications of %d scenarios x %d points",
            sh[0].path, (long long)U, S, P);
        return 2;
    }
    const int R = (int)(U / ((int64_t)S * P));
    for (int i = 1; i < n; i++)
        if (!same_design(d0, &sh[i].r.design)) {
            cli_error("merge: %s has another /design than %s (another sweep or seed)", sh[i].path,
                      sh[0].path);
            return 2;
        }
    res->design.kind = es_strdup(d0->kind);
    res->design.points_setting = d0->points_setting;
    res->design.n_points = P;
    res->design.names = es_calloc((size_t)d0->n_params + 1, sizeof *res->design.names);
    res->design.x = es_calloc((size_t)P * (size_t)d0->n_params + 1, sizeof *res->design.x);
    res->sweep = es_calloc((size_t)S, sizeof *res->sweep);
    if (!res->design.kind || !res->design.names || !res->design.x || !res->sweep) goto nomem;
    res->design.n_params = d0->n_params;
    memcpy(res->design.x, d0->x, (size_t)P * (size_t)d0->n_params * sizeof *d0->x);
    for (int j = 0; j < d0->n_params; j++)
        if (!(res->design.names[j] = es_strdup(d0->names[j]))) goto nomem;
    res->n_sweep = S;
    for (int i = 0; i < n; i++) {
        const es_run_result *r = &sh[i].r;
        for (int k = 0; k < r->n_sweep; k++) {
            const es_sweep_result *t = &r->sweep[k];
            int sc = find_name(names, S, t->name);
            if (sc < 0 || t->n_points != P || t->n_reps != R) {
                cli_error("merge: %s: sweep scenario '%s' is not in the run's list, or has other "
                          "points or "
                          "replications",
                          sh[i].path, t->name);
                return 2;
            }
            es_sweep_result *m = &res->sweep[sc];
            if (!m->name) {
                m->name = es_strdup(t->name);
                m->config = t->config ? es_strdup(t->config) : NULL;
                m->n_points = P, m->n_reps = R, m->n_fy = t->n_fy, m->n_cy = t->n_cy;
                m->n_rows = (int64_t)P * R;
                m->fy = es_calloc((size_t)t->n_fy + 1, sizeof *m->fy);
                m->cy = es_calloc((size_t)t->n_cy + 1, sizeof *m->cy);
                m->unit = es_calloc((size_t)m->n_rows, sizeof *m->unit);
                m->fiscal = es_calloc(
                    (size_t)ES_N_METRICS * (size_t)m->n_rows * (size_t)t->n_fy + 1, sizeof(double));
                m->calendar = es_calloc(
                    (size_t)ES_N_METRICS * (size_t)m->n_rows * (size_t)t->n_cy + 1, sizeof(double));
                if (!m->name || (t->config && !m->config) || !m->fy || !m->cy || !m->unit ||
                    !m->fiscal || !m->calendar)
                    goto nomem;
                memcpy(m->fy, t->fy, sizeof *m->fy * (size_t)t->n_fy);
                memcpy(m->cy, t->cy, sizeof *m->cy * (size_t)t->n_cy);
            } else if (m->n_fy != t->n_fy || m->n_cy != t->n_cy ||
                       memcmp(m->fy, t->fy, sizeof *m->fy * (size_t)t->n_fy) ||
                       memcmp(m->cy, t->cy, sizeof *m->cy * (size_t)t->n_cy)) {
                cli_error("merge: %s: sweep scenario '%s' has other years than in the other shards",
                          sh[i].path, t->name);
                return 2;
            }
            for (int64_t j = 0; j < t->n_rows; j++) {
                int64_t u = t->unit[j];
                if (u < 0 || u >= U || u % S != sc || owner[u] != i || filled[u]) {
                    cli_error("merge: %s: sweep scenario '%s' row %lld (unit %lld) is not one of "
                              "this shard's units "
                              "(or is stored twice)",
                              sh[i].path, t->name, (long long)j, (long long)u);
                    return 2;
                }
                filled[u] = 1;
                int64_t row = (u / S) % P * R + u / ((int64_t)S * P);
                m->unit[row] = u;
                for (int mt = 0; mt < ES_N_METRICS; mt++) {
                    memcpy(m->fiscal +
                               ((size_t)mt * (size_t)m->n_rows + (size_t)row) * (size_t)m->n_fy,
                           t->fiscal +
                               ((size_t)mt * (size_t)t->n_rows + (size_t)j) * (size_t)t->n_fy,
                           (size_t)m->n_fy * sizeof(double));
                    memcpy(m->calendar +
                               ((size_t)mt * (size_t)m->n_rows + (size_t)row) * (size_t)m->n_cy,
                           t->calendar +
                               ((size_t)mt * (size_t)t->n_rows + (size_t)j) * (size_t)t->n_cy,
                           (size_t)m->n_cy * sizeof(double));
                }
            }
        }
    }
    for (int64_t u = 0; u < U; u++)
        if (!filled[u]) {
            cli_error("merge: %s lists unit %lld (scenario '%s', point %lld, replication %lld) but "
                      "holds no data for "
                      "it",
                      sh[owner[u]].path, (long long)u, names[u % S], (long long)(u / S % P),
                      (long long)(u / ((int64_t)S * P)));
            return 2;
        }
    for (int i = 0; i < S; i++) {
        es_status st = es_sweep_summarize(&res->sweep[i], err, sizeof err);
        if (st != ES_OK) {
            cli_error("%s", err);
            return es_status_exit_code(st);
        }
    }
    return 0;
nomem:
    cli_error("out of memory merging the sweep");
    return 1;
}

int cmd_merge(int argc, char **argv)
{
    const char *out_path = NULL;
    int force = 0, quiet = 0, n = 0, rc = 2, S = 0, n_pairs = 0;
    shard_file *sh = NULL;
    char err[2048] = "", why[512];
    char *names_buf = NULL, *pairs_buf = NULL, **names = NULL, **pairs = NULL;
    int64_t *owner = NULL;        /* [n_units]: which shard's unit list holds the unit, -1 none */
    unsigned char *filled = NULL; /* [n_units]: the unit's data seen */
    es_run_result res;
    memset(&res, 0, sizeof res);

    if (!(sh = es_calloc((size_t)argc + 1, sizeof *sh))) {
        cli_error("out of memory");
        return 1;
    }
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--force")) {
            force = 1;
        } else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
            quiet = 1;
        } else if (a[0] == '-' && a[1]) {
            cli_error("merge: unknown option '%s'; usage: enforcesim merge OUT SHARD... [--force]",
                      a);
            goto out;
        } else if (!out_path) {
            out_path = a;
        } else {
            sh[n++].path = a;
        }
    }
    if (!out_path || n == 0) {
        cli_error(
            "merge: usage: enforcesim merge OUT SHARD... [--force] (the files of run --shard I/N)");
        goto out;
    }
    if (n > MERGE_MAX_SHARDS) {
        cli_error("merge: at most %d shards", MERGE_MAX_SHARDS);
        goto out;
    }
    /* Inputs are sacred (io/fsdir.h): OUT is no shard, --force or not. */
    es_status st = ES_OK;
    for (int i = 0; i < n && st == ES_OK; i++)
        st = es_fs_check_output(out_path, "merge: OUT", 0, &sh[i].path, 1, err, sizeof err);
    /* Refuse early: a merge of many big shards should not end in "exists". */
    if (st == ES_OK) st = es_h5_check_output(out_path, force, err, sizeof err);
    if (st != ES_OK) {
        cli_error("%s", err);
        rc = es_status_exit_code(st);
        goto out;
    }
    for (int i = 0; i < n; i++) {
        if ((st = es_h5_read(sh[i].path, &sh[i].r, err, sizeof err)) != ES_OK) {
            cli_error("merge: %s", err);
            rc = es_status_exit_code(st);
            goto out;
        }
        const es_shard_info *x = &sh[i].r.shard;
        if (x->count == 0) {
            cli_error("merge: %s is not a shard (no shard_count attribute): merge takes the files "
                      "of run --shard I/N",
                      sh[i].path);
            goto out;
        }
        if (!x->complete) {
            cli_error("merge: %s: shard %d/%d is incomplete (its 'complete' attribute is not 1); "
                      "run that shard again",
                      sh[i].path, x->index, x->count);
            goto out;
        }
        if (i > 0 && !same_run(&sh[0].r, &sh[i].r, why, sizeof why)) {
            cli_error("merge: %s is from another run than %s: %s", sh[i].path, sh[0].path, why);
            goto out;
        }
        for (int j = 0; j < i; j++)
            if (sh[j].r.shard.index == x->index) {
                cli_error("merge: %s and %s are both shard %d/%d (a shard given twice?)",
                          sh[j].path, sh[i].path, x->index, x->count);
                goto out;
            }
    }

    const es_shard_info *s0 = &sh[0].r.shard;
    const int N = s0->count;
    const int64_t U = s0->n_units;
    if ((S = split(s0->scenarios, ',', &names_buf, &names)) <= 0 ||
        (n_pairs = split(s0->comparisons, ',', &pairs_buf, &pairs)) < 0 || U % S != 0 ||
        (sh[0].r.n_sweep == 0 && U / S > 1000000)) {
        cli_error("merge: %s: the shard's scenario list '%.200s' or unit count %lld is not usable",
                  sh[0].path, s0->scenarios ? s0->scenarios : "", (long long)U);
        goto out;
    }
    const int R = (int)(U / S);
    if (!(owner = malloc((size_t)U * sizeof *owner)) || !(filled = es_calloc((size_t)U, 1))) {
        cli_error("out of memory for %lld units", (long long)U);
        rc = 1;
        goto out;
    }
    for (int64_t u = 0; u < U; u++) owner[u] = -1;
    /* The unit lists: each shard holds exactly its round-robin slice. */
    for (int i = 0; i < n; i++) {
        const es_shard_info *x = &sh[i].r.shard;
        int64_t want = x->index < U ? (U - 1 - x->index) / N + 1 : 0;
        if (x->n_held != want) {
            cli_error("merge: %s: shard %d/%d lists %d units; it should hold %lld", sh[i].path,
                      x->index, N, x->n_held, (long long)want);
            goto out;
        }
        for (int k = 0; k < x->n_held; k++) {
            int64_t u = x->units[k];
            if (u < 0 || u >= U || u % N != x->index) {
                cli_error("merge: %s: unit %lld does not belong to shard %d/%d", sh[i].path,
                          (long long)u, x->index, N);
                goto out;
            }
            if (owner[u] >= 0) {
                cli_error("merge: %s and %s both hold unit %lld", sh[owner[u]].path, sh[i].path,
                          (long long)u);
                goto out;
            }
            owner[u] = i;
        }
    }
    for (int64_t u = 0; u < U; u++)
        if (owner[u] < 0) {
            cli_error("merge: shard %lld/%d is missing: no file holds unit %lld (scenario '%s', "
                      "replication %lld); "
                      "%d of %d shards given",
                      (long long)(u % N), N, (long long)u, names[u % S], (long long)(u / S), n, N);
            goto out;
        }

    /* A sweep's data, or (below) every stored replication of a plain run. */
    for (int i = 0; i < n; i++)
        if ((sh[i].r.n_sweep > 0) != (sh[0].r.n_sweep > 0)) {
            cli_error("merge: %s and %s are not both shards of a sweep", sh[0].path, sh[i].path);
            goto out;
        }
    if (sh[0].r.n_sweep > 0) {
        if ((rc = merge_sweep(sh, n, names, S, owner, filled, &res)) != 0) goto out;
        rc = 1;
        goto provenance;
    }
    /* The data: every stored replication is one of the shard's units. */
    rc = 1;
    res.scenarios = es_calloc((size_t)S, sizeof *res.scenarios);
    res.comparisons = es_calloc((size_t)n_pairs + 1, sizeof *res.comparisons);
    if (!res.scenarios || !res.comparisons) {
        cli_error("out of memory");
        goto out;
    }
    for (int i = 0; i < n; i++) {
        const es_run_result *r = &sh[i].r;
        for (int k = 0; k < r->n_scenarios; k++) {
            const es_scenario_result *t = &r->scenarios[k];
            int sc = find_name(names, S, t->name);
            if (sc < 0) {
                cli_error("merge: %s: scenario '%s' is not in the run's list '%s'", sh[i].path,
                          t->name, s0->scenarios);
                rc = 2;
                goto out;
            }
            es_scenario_result *m = &res.scenarios[sc];
            if (!m->name) {
                if (scenario_like(m, t, R) < 0) {
                    cli_error("out of memory for scenario '%s'", t->name);
                    goto out;
                }
                res.n_scenarios = S; /* es_run_result_free must see every slot */
            } else if (!same_axes(m, t)) {
                cli_error(
                    "merge: %s: scenario '%s' has other months or years than in the other shards",
                    sh[i].path, t->name);
                rc = 2;
                goto out;
            }
            const size_t mrow = (size_t)ES_N_METRICS * (size_t)t->n_months,
                         frow = (size_t)ES_N_METRICS * (size_t)t->n_fy,
                         crow = (size_t)ES_N_METRICS * (size_t)t->n_cy;
            for (int j = 0; j < t->n_reps; j++) {
                int64_t rep = t->replication[j], u = rep * S + sc;
                if (rep < 0 || rep >= R || owner[u] != i || filled[u]) {
                    cli_error("merge: %s: scenario '%s' replication %lld is not one of this "
                              "shard's units (or is "
                              "stored twice)",
                              sh[i].path, t->name, (long long)rep);
                    rc = 2;
                    goto out;
                }
                filled[u] = 1;
                memcpy(m->monthly + (size_t)rep * mrow, t->monthly + (size_t)j * mrow,
                       mrow * sizeof(double));
                memcpy(m->fiscal + (size_t)rep * frow, t->fiscal + (size_t)j * frow,
                       frow * sizeof(double));
                memcpy(m->calendar + (size_t)rep * crow, t->calendar + (size_t)j * crow,
                       crow * sizeof(double));
            }
        }
    }
    for (int64_t u = 0; u < U; u++)
        if (!filled[u]) {
            cli_error("merge: %s lists unit %lld (scenario '%s', replication %lld) but holds no "
                      "data for it",
                      sh[owner[u]].path, (long long)u, names[u % S], (long long)(u / S));
            rc = 2;
            goto out;
        }
    /* Every unit is filled, so every scenario was set up above. */
    for (int i = 0; i < S; i++)
        if ((st = es_experiment_summarize(&res.scenarios[i], err, sizeof err)) != ES_OK) {
            cli_error("%s", err);
            rc = es_status_exit_code(st);
            goto out;
        }
    for (int i = 0; i < n_pairs; i++) {
        char *sp = strchr(pairs[i], ' ');
        int b = -1, a = -1;
        if (sp) {
            *sp = '\0';
            b = find_name(names, S, pairs[i]);
            a = find_name(names, S, sp + 1);
        }
        if (b < 0 || a < 0) {
            cli_error("merge: %s: comparison list '%s' names unknown scenarios", sh[0].path,
                      s0->comparisons);
            rc = 2;
            goto out;
        }
        st = es_compare_scenarios(&res.scenarios[b], &res.scenarios[a], CLI_CMP_TARGET_REL,
                                  &res.comparisons[i], err, sizeof err);
        if (st != ES_OK) {
            cli_error("%s", err);
            rc = es_status_exit_code(st);
            goto out;
        }
        res.n_comparisons = i + 1;
    }

    /* Provenance: the run's, from the first shard; the span of the shards. */
provenance:;
    const es_run_result *r0 = &sh[0].r;
    const char *started = r0->started, *finished = r0->finished;
    for (int i = 1; i < n; i++) {
        /* ISO 8601 UTC text orders as time does. */
        if (strcmp(sh[i].r.started, started) < 0) started = sh[i].r.started;
        if (strcmp(sh[i].r.finished, finished) > 0) finished = sh[i].r.finished;
    }
    res.program_version = es_strdup(r0->program_version);
    res.git_commit = es_strdup(r0->git_commit);
    res.rng = es_strdup(r0->rng);
    res.config_text = es_strdup(r0->config_text);
    res.command_line = cli_command_line(argc, argv);
    res.started = es_strdup(started);
    res.finished = es_strdup(finished);
    res.host = es_strdup(r0->host);
    res.seed = r0->seed;
    res.crn = r0->crn;
    if (!res.program_version || !res.git_commit || !res.rng || !res.config_text ||
        !res.command_line || !res.started || !res.finished || !res.host) {
        cli_error("out of memory");
        goto out;
    }
    if ((st = es_h5_write(out_path, &res, force, err, sizeof err)) != ES_OK) {
        cli_error("%s", err);
        rc = es_status_exit_code(st);
        goto out;
    }
    if (!quiet && res.n_sweep > 0)
        fprintf(stderr,
                "enforcesim: wrote %s (%d shards: %d scenario%s x %d points x %lld replications = "
                "%lld units)\n",
                out_path, n, S, S == 1 ? "" : "s", res.design.n_points,
                (long long)(U / S / res.design.n_points), (long long)U);
    else if (!quiet)
        fprintf(stderr,
                "enforcesim: wrote %s (%d shards: %d scenario%s x %d replications = %lld units)\n",
                out_path, n, S, S == 1 ? "" : "s", R, (long long)U);
    rc = 0;
out:
    for (int i = 0; i < n; i++) es_run_result_free(&sh[i].r);
    free(sh);
    es_run_result_free(&res);
    free(names_buf);
    free(pairs_buf);
    free(names);
    free(pairs);
    free(owner);
    free(filled);
    return rc;
}
