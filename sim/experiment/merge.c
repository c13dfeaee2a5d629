/* merge.c: es_run_merge (contract in run.h): the shards of `run --shard
 * I/N` back into the result a serial run of the same config writes.
 *
 * Nothing is trusted before it is checked: every shard must be complete
 * (`complete` = 1, written last), of the same run (config hash, seed,
 * generator, CRN, shard count, unit count, scenario and comparison lists),
 * given once, and the shards together must hold every unit of the run
 * exactly once, in their unit lists and in their data alike.
 *
 * One path for plain runs and sweeps: a plain run is a sweep of one point.
 * Every stored row is one unit; claim() checks it belongs to the shard and
 * is seen once, then the layout's rows are copied to the unit's place
 * (plain: replication r of its scenario; sweep: row p R + r), and the
 * summaries (and a plain run's comparisons) are recomputed by the
 * functions `run` uses, on the same values in the same order. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../core/mem.h"
#include "compare.h"
#include "run.h"
#include "sweep_run.h"

typedef struct {
    const es_run_result *sh;
    const char *const *names; /* of the shard files */
    int n;
    char *const *scen; /* the run's scenario names (the first shard's) */
    int S, P, R;
    int64_t U;
    int64_t *owner;        /* [U] which shard's unit list holds the unit, -1 none */
    unsigned char *filled; /* [U] the unit's data seen */
    char *err;
    size_t errlen;
} merger;

#define FAIL(...)                                 \
    do {                                          \
        snprintf(m->err, m->errlen, __VA_ARGS__); \
        return ES_ERR_INPUT;                      \
    } while (0)

static int find_name(char *const *names, int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (!strcmp(names[i], name)) return i;
    return -1;
}

static int same_lists(const es_shard_info *x, const es_shard_info *y)
{
    if (x->n_scenarios != y->n_scenarios || x->n_comparisons != y->n_comparisons ||
        memcmp(x->comparisons, y->comparisons, 2 * (size_t)x->n_comparisons * sizeof(int)))
        return 0;
    for (int i = 0; i < x->n_scenarios; i++)
        if (strcmp(x->scenarios[i], y->scenarios[i])) return 0;
    return 1;
}

/* Do two shards come from the same run? Names the first difference in why. */
static int same_run(const es_run_result *a, const es_run_result *b, char *why, size_t whylen)
{
    const es_shard_info *x = &a->shard, *y = &b->shard;
    if (x->config_hash != y->config_hash)
        snprintf(why, whylen,
                 "config hash %016llx, not %016llx (another config, --set, -r, --seed or --no-crn)",
                 (unsigned long long)y->config_hash, (unsigned long long)x->config_hash);
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
    else if (!same_lists(x, y))
        snprintf(why, whylen, "other scenarios or comparisons");
    else if (strcmp(a->config_text, b->config_text))
        snprintf(why, whylen, "another effective config");
    else if ((a->n_sweep > 0) != (b->n_sweep > 0))
        snprintf(why, whylen, "not both shards of a sweep");
    else
        return 1;
    return 0;
}

/* Do two files hold the same design matrix, bit for bit? */
static int same_design(const es_design_result *a, const es_design_result *b)
{
    if (a->n_points != b->n_points || a->n_params != b->n_params ||
        strcmp(a->kind ? a->kind : "", b->kind ? b->kind : ""))
        return 0;
    for (int j = 0; j < a->n_params; j++)
        if (strcmp(a->names[j], b->names[j])) return 0;
    size_t n = (size_t)a->n_points * (size_t)a->n_params;
    /* A file without draws has no matrix at all (NULL), and memcmp must not see it. */
    return n == 0 || !memcmp(a->x, b->x, n * sizeof *a->x);
}

static int same_years(int n_fy, const int *fy, int n_cy, const int *cy, int m_fy, const int *mfy,
                      int m_cy, const int *mcy)
{
    return n_fy == m_fy && n_cy == m_cy && !memcmp(fy, mfy, sizeof *fy * (size_t)n_fy) &&
           !memcmp(cy, mcy, sizeof *cy * (size_t)n_cy);
}

/* Unit u, stored in shard i under scenario sc, must be one of the shard's
 * units and seen once. */
static es_status claim(merger *m, int i, int sc, int64_t u, const char *what)
{
    if (u < 0 || u >= m->U || u % m->S != sc || m->owner[u] != i || m->filled[u])
        FAIL("merge: %s: %s is not one of this shard's units (or is stored twice)", m->names[i],
             what);
    m->filled[u] = 1;
    return ES_OK;
}

/* Sets up scenario s of the merged result from a shard's copy of it. */
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
        !s->replication || !s->monthly || !s->fiscal || !s->calendar) {
        es_scenario_result_fini(s); /* the caller counts s only on success */
        return -1;
    }
    memcpy(s->month_start, t->month_start, sizeof *s->month_start * (size_t)t->n_months);
    memcpy(s->fy, t->fy, sizeof *s->fy * (size_t)t->n_fy);
    memcpy(s->cy, t->cy, sizeof *s->cy * (size_t)t->n_cy);
    for (int r = 0; r < n_reps; r++) s->replication[r] = r;
    return 0;
}

static int sweep_like(es_sweep_result *s, const es_sweep_result *t, int P, int R)
{
    s->name = es_strdup(t->name);
    s->config = t->config ? es_strdup(t->config) : NULL;
    s->n_points = P, s->n_reps = R, s->n_fy = t->n_fy, s->n_cy = t->n_cy;
    s->n_rows = (int64_t)P * R;
    s->fy = es_calloc((size_t)t->n_fy + 1, sizeof *s->fy);
    s->cy = es_calloc((size_t)t->n_cy + 1, sizeof *s->cy);
    s->unit = es_calloc((size_t)s->n_rows, sizeof *s->unit);
    s->fiscal =
        es_calloc((size_t)ES_N_METRICS * (size_t)s->n_rows * (size_t)t->n_fy + 1, sizeof(double));
    s->calendar =
        es_calloc((size_t)ES_N_METRICS * (size_t)s->n_rows * (size_t)t->n_cy + 1, sizeof(double));
    if (!s->name || (t->config && !s->config) || !s->fy || !s->cy || !s->unit || !s->fiscal ||
        !s->calendar)
        return -1;
    memcpy(s->fy, t->fy, sizeof *s->fy * (size_t)t->n_fy);
    memcpy(s->cy, t->cy, sizeof *s->cy * (size_t)t->n_cy);
    return 0;
}

/* A plain run's rows: replication rep of scenario sc is unit rep S + sc. */
static es_status place_plain(merger *m, int i, es_run_result *res)
{
    const es_run_result *r = &m->sh[i];
    char what[256];
    for (int k = 0; k < r->n_scenarios; k++) {
        const es_scenario_result *t = &r->scenarios[k];
        int sc = find_name(m->scen, m->S, t->name);
        if (sc < 0)
            FAIL("merge: %s: scenario '%s' is not in the run's list of %d scenarios", m->names[i],
                 t->name, m->S);
        es_scenario_result *s = &res->scenarios[sc];
        if (!s->name) {
            res->n_scenarios = m->S; /* es_run_result_free must see every slot */
            if (scenario_like(s, t, m->R) < 0) {
                snprintf(m->err, m->errlen, "out of memory for scenario '%s'", t->name);
                return ES_ERR_NOMEM;
            }
        } else if (s->n_months != t->n_months ||
                   memcmp(s->month_start, t->month_start,
                          sizeof *s->month_start * (size_t)s->n_months) ||
                   !same_years(s->n_fy, s->fy, s->n_cy, s->cy, t->n_fy, t->fy, t->n_cy, t->cy)) {
            FAIL("merge: %s: scenario '%s' has other months or years than in the other shards",
                 m->names[i], t->name);
        }
        const size_t mrow = (size_t)ES_N_METRICS * (size_t)t->n_months,
                     frow = (size_t)ES_N_METRICS * (size_t)t->n_fy,
                     crow = (size_t)ES_N_METRICS * (size_t)t->n_cy;
        for (int j = 0; j < t->n_reps; j++) {
            int64_t rep = t->replication[j];
            snprintf(what, sizeof what, "scenario '%s' replication %lld", t->name, (long long)rep);
            es_status st = claim(m, i, sc, rep >= 0 && rep < m->R ? rep * m->S + sc : -1, what);
            if (st != ES_OK) return st;
            memcpy(s->monthly + (size_t)rep * mrow, t->monthly + (size_t)j * mrow,
                   mrow * sizeof(double));
            memcpy(s->fiscal + (size_t)rep * frow, t->fiscal + (size_t)j * frow,
                   frow * sizeof(double));
            memcpy(s->calendar + (size_t)rep * crow, t->calendar + (size_t)j * crow,
                   crow * sizeof(double));
        }
    }
    return ES_OK;
}

/* A sweep's rows: unit u goes to row (point, replication) = p R + r. */
static es_status place_sweep(merger *m, int i, es_run_result *res)
{
    const es_run_result *r = &m->sh[i];
    const int S = m->S, P = m->P, R = m->R;
    char what[256];
    for (int k = 0; k < r->n_sweep; k++) {
        const es_sweep_result *t = &r->sweep[k];
        int sc = find_name(m->scen, S, t->name);
        if (sc < 0 || t->n_points != P || t->n_reps != R)
            FAIL("merge: %s: sweep scenario '%s' is not in the run's list, or has other points or "
                 "replications",
                 m->names[i], t->name);
        es_sweep_result *s = &res->sweep[sc];
        if (!s->name) {
            if (sweep_like(s, t, P, R) < 0) {
                snprintf(m->err, m->errlen, "out of memory merging the sweep");
                return ES_ERR_NOMEM;
            }
        } else if (!same_years(s->n_fy, s->fy, s->n_cy, s->cy, t->n_fy, t->fy, t->n_cy, t->cy)) {
            FAIL("merge: %s: sweep scenario '%s' has other years than in the other shards",
                 m->names[i], t->name);
        }
        for (int64_t j = 0; j < t->n_rows; j++) {
            int64_t u = t->unit[j];
            snprintf(what, sizeof what, "sweep scenario '%s' row %lld (unit %lld)", t->name,
                     (long long)j, (long long)u);
            es_status st = claim(m, i, sc, u, what);
            if (st != ES_OK) return st;
            int64_t row = (u / S) % P * R + u / ((int64_t)S * P);
            s->unit[row] = u;
            for (int mt = 0; mt < ES_N_METRICS; mt++) {
                memcpy(s->fiscal + ((size_t)mt * (size_t)s->n_rows + (size_t)row) * (size_t)s->n_fy,
                       t->fiscal + ((size_t)mt * (size_t)t->n_rows + (size_t)j) * (size_t)t->n_fy,
                       (size_t)s->n_fy * sizeof(double));
                memcpy(s->calendar +
                           ((size_t)mt * (size_t)s->n_rows + (size_t)row) * (size_t)s->n_cy,
                       t->calendar + ((size_t)mt * (size_t)t->n_rows + (size_t)j) * (size_t)t->n_cy,
                       (size_t)s->n_cy * sizeof(double));
            }
        }
    }
    return ES_OK;
}

/* The shards' unit lists: each holds exactly its round-robin slice, and
 * together every unit once. */
static es_status check_units(merger *m)
{
    const int N = m->sh[0].shard.count;
    for (int64_t u = 0; u < m->U; u++) m->owner[u] = -1;
    for (int i = 0; i < m->n; i++) {
        const es_shard_info *x = &m->sh[i].shard;
        int64_t want = x->index < m->U ? (m->U - 1 - x->index) / N + 1 : 0;
        if (x->n_held != want)
            FAIL("merge: %s: shard %d/%d lists %d units; it should hold %lld", m->names[i],
                 x->index, N, x->n_held, (long long)want);
        for (int k = 0; k < x->n_held; k++) {
            int64_t u = x->units[k];
            if (u < 0 || u >= m->U || u % N != x->index)
                FAIL("merge: %s: unit %lld does not belong to shard %d/%d", m->names[i],
                     (long long)u, x->index, N);
            if (m->owner[u] >= 0)
                FAIL("merge: %s and %s both hold unit %lld", m->names[m->owner[u]], m->names[i],
                     (long long)u);
            m->owner[u] = i;
        }
    }
    for (int64_t u = 0; u < m->U; u++)
        if (m->owner[u] < 0)
            FAIL("merge: shard %lld/%d is missing: no file holds unit %lld (scenario '%s', "
                 "replication %lld); %d of %d shards given",
                 (long long)(u % N), N, (long long)u, m->scen[u % m->S],
                 (long long)(u / ((int64_t)m->S * m->P)), m->n, N);
    return ES_OK;
}

static es_status check_shards(merger *m)
{
    char why[512];
    for (int i = 0; i < m->n; i++) {
        const es_shard_info *x = &m->sh[i].shard;
        if (x->count == 0)
            FAIL("merge: %s is not a shard (no shard_count attribute): merge takes the files of "
                 "run --shard I/N",
                 m->names[i]);
        if (!x->complete)
            FAIL("merge: %s: shard %d/%d is incomplete (its 'complete' attribute is not 1); run "
                 "that shard again",
                 m->names[i], x->index, x->count);
        if (i > 0 && !same_run(&m->sh[0], &m->sh[i], why, sizeof why))
            FAIL("merge: %s is from another run than %s: %s", m->names[i], m->names[0], why);
        for (int j = 0; j < i; j++)
            if (m->sh[j].shard.index == x->index)
                FAIL("merge: %s and %s are both shard %d/%d (a shard given twice?)", m->names[j],
                     m->names[i], x->index, x->count);
        if (i > 0 && m->sh[0].n_sweep > 0 && !same_design(&m->sh[0].design, &m->sh[i].design))
            FAIL("merge: %s has another /design than %s (another sweep or seed)", m->names[i],
                 m->names[0]);
        if (i > 0 && !same_design(&m->sh[0].draws, &m->sh[i].draws))
            FAIL("merge: %s has other /parameters draws than %s (another uncertainty block or "
                 "seed)",
                 m->names[i], m->names[0]);
    }
    return ES_OK;
}

/* A design, or parameter uncertainty's draws (kind NULL, dists set). */
static es_status copy_design(const es_design_result *d0, es_design_result *d)
{
    d->kind = d0->kind ? es_strdup(d0->kind) : NULL;
    d->points_setting = d0->points_setting;
    d->n_points = d0->n_points;
    d->names = es_calloc((size_t)d0->n_params + 1, sizeof *d->names);
    d->dists = d0->dists ? es_calloc((size_t)d0->n_params + 1, sizeof *d->dists) : NULL;
    d->x = es_calloc((size_t)d0->n_points * (size_t)d0->n_params + 1, sizeof *d->x);
    if ((d0->kind && !d->kind) || !d->names || (d0->dists && !d->dists) || !d->x)
        return ES_ERR_NOMEM;
    d->n_params = d0->n_params;
    memcpy(d->x, d0->x, (size_t)d0->n_points * (size_t)d0->n_params * sizeof *d0->x);
    for (int j = 0; j < d0->n_params; j++)
        if (!(d->names[j] = es_strdup(d0->names[j])) ||
            (d0->dists && !(d->dists[j] = es_strdup(d0->dists[j]))))
            return ES_ERR_NOMEM;
    return ES_OK;
}

/* Provenance: the run's, from the first shard; the span of the shards. */
static es_status provenance(const merger *m, es_run_result *res)
{
    const es_run_result *r0 = &m->sh[0];
    const char *started = r0->started, *finished = r0->finished;
    for (int i = 1; i < m->n; i++) {
        /* ISO 8601 UTC text orders as time does. */
        if (strcmp(m->sh[i].started, started) < 0) started = m->sh[i].started;
        if (strcmp(m->sh[i].finished, finished) > 0) finished = m->sh[i].finished;
    }
    res->program_version = es_strdup(r0->program_version);
    res->git_commit = es_strdup(r0->git_commit);
    res->rng = es_strdup(r0->rng);
    res->config_text = es_strdup(r0->config_text);
    res->started = es_strdup(started);
    res->finished = es_strdup(finished);
    res->host = es_strdup(r0->host);
    res->seed = r0->seed;
    res->crn = r0->crn;
    return res->program_version && res->git_commit && res->rng && res->config_text &&
                   res->started && res->finished && res->host
               ? ES_OK
               : ES_ERR_NOMEM;
}

es_status es_run_merge(const es_run_result *shards, const char *const *names, int n,
                       es_run_result *res, char *err, size_t errlen)
{
    merger mg = {shards, names, n, NULL, 0, 1, 0, 0, NULL, NULL, err, errlen}, *m = &mg;
    int n_pairs = 0;
    es_status st;
    memset(res, 0, sizeof *res);
    if (n < 1) {
        snprintf(err, errlen, "merge: no shards given");
        return ES_ERR_USAGE;
    }
    if ((st = check_shards(m)) != ES_OK) goto out;
    const es_shard_info *s0 = &shards[0].shard;
    const int sweep = shards[0].n_sweep > 0;
    m->U = s0->n_units;
    m->P = sweep ? shards[0].design.n_points : 1;
    m->S = s0->n_scenarios;
    m->scen = s0->scenarios;
    n_pairs = s0->n_comparisons;
    st = ES_ERR_INPUT;
    if (m->S == 0 || m->P < 1 || m->U % ((int64_t)m->S * m->P) != 0 ||
        m->U / ((int64_t)m->S * m->P) > ES_RUN_MAX_REPLICATIONS) {
        snprintf(err, errlen,
                 "merge: %s: the shard's scenario list or unit count %lld is not usable "
                 "(whole replications of %d scenarios x %d points)",
                 names[0], (long long)m->U, m->S, m->P);
        goto out;
    }
    m->R = (int)(m->U / ((int64_t)m->S * m->P));
    st = ES_ERR_NOMEM;
    if (!(m->owner = malloc((size_t)m->U * sizeof *m->owner)) ||
        !(m->filled = es_calloc((size_t)m->U, 1))) {
        snprintf(err, errlen, "out of memory for %lld units", (long long)m->U);
        goto out;
    }
    if ((st = check_units(m)) != ES_OK) goto out;
    st = ES_ERR_NOMEM;
    if (shards[0].draws.n_params > 0 && copy_design(&shards[0].draws, &res->draws) != ES_OK) {
        snprintf(err, errlen, "out of memory merging the parameter draws");
        goto out;
    }
    if (sweep) {
        if (copy_design(&shards[0].design, &res->design) != ES_OK ||
            !(res->sweep = es_calloc((size_t)m->S, sizeof *res->sweep))) {
            snprintf(err, errlen, "out of memory merging the sweep");
            goto out;
        }
        res->n_sweep = m->S;
    } else if (!(res->scenarios = es_calloc((size_t)m->S, sizeof *res->scenarios)) ||
               !(res->comparisons = es_calloc((size_t)n_pairs + 1, sizeof *res->comparisons))) {
        snprintf(err, errlen, "out of memory");
        goto out;
    }
    for (int i = 0; i < n; i++)
        if ((st = sweep ? place_sweep(m, i, res) : place_plain(m, i, res)) != ES_OK) goto out;
    st = ES_ERR_INPUT;
    for (int64_t u = 0; u < m->U; u++)
        if (!m->filled[u]) {
            if (sweep)
                snprintf(err, errlen,
                         "merge: %s lists unit %lld (scenario '%s', point %lld, replication "
                         "%lld) but holds no data for it",
                         names[m->owner[u]], (long long)u, m->scen[u % m->S],
                         (long long)(u / m->S % m->P), (long long)(u / ((int64_t)m->S * m->P)));
            else
                snprintf(err, errlen,
                         "merge: %s lists unit %lld (scenario '%s', replication %lld) but holds "
                         "no data for it",
                         names[m->owner[u]], (long long)u, m->scen[u % m->S],
                         (long long)(u / m->S));
            goto out;
        }
    /* Every unit is filled, so every scenario was set up above. */
    for (int i = 0; i < m->S; i++) {
        st = sweep ? es_sweep_summarize(&res->sweep[i], err, errlen)
                   : es_experiment_summarize(&res->scenarios[i], err, errlen);
        if (st != ES_OK) goto out;
    }
    for (int i = 0; i < n_pairs && !sweep; i++) { /* a sweep stores no comparisons */
        int b = s0->comparisons[2 * i], a = s0->comparisons[2 * i + 1];
        if (b < 0 || b >= m->S || a < 0 || a >= m->S || a == b) {
            snprintf(err, errlen, "merge: %s: comparison %d names no scenario of the run", names[0],
                     i + 1);
            st = ES_ERR_INPUT;
            goto out;
        }
        st = es_compare_scenarios(&res->scenarios[b], &res->scenarios[a], ES_RUN_CMP_TARGET_REL,
                                  &res->comparisons[i], err, errlen);
        if (st != ES_OK) goto out;
        res->n_comparisons = i + 1;
    }
    if ((st = provenance(m, res)) != ES_OK) snprintf(err, errlen, "out of memory");
out:
    free(m->owner);
    free(m->filled);
    return st;
}
