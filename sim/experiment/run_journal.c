/* run_journal.c: see run_journal.h. */
#define _GNU_SOURCE
#include "run_journal.h"
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>
#include "../core/fault.h"
#include "../core/hash.h"
#include "../core/mem.h"
#include "../model/metrics.h"
#include "../model/model.h"

char *es_run_journal_identity(const es_run_result *res, int max_replications)
{
    uint64_t metrics = ES_FNV_OFFSET;
    for (int m = 0; m < ES_N_METRICS; m++)
        metrics = es_fnv1a(metrics, es_metric_table[m].name, strlen(es_metric_table[m].name) + 1);
    const char *fmt =
        "program=%s\ncommit=%s\nseed=%lld\nrng=%s\ncommon_random_numbers=%d\nshard=%d/%d\n"
        "precision=%s\nmax_replications=%d\nmetrics=%d:%016llx\nconfig:\n%s";
    const char *prec = res->precision ? res->precision : "none";
    int n = snprintf(NULL, 0, fmt, res->program_version, res->git_commit, (long long)res->seed,
                     res->rng, res->crn, res->shard.index, res->shard.count, prec, max_replications,
                     ES_N_METRICS, (unsigned long long)metrics, res->config_text);
    char *s = n >= 0 ? es_malloc((size_t)n + 1) : NULL;
    if (s)
        snprintf(s, (size_t)n + 1, fmt, res->program_version, res->git_commit, (long long)res->seed,
                 res->rng, res->crn, res->shard.index, res->shard.count, prec, max_replications,
                 ES_N_METRICS, (unsigned long long)metrics, res->config_text);
    return s;
}

/* Records hold `payload` values, the longest scenario's series; a shorter
 * series is stored as a prefix with zeros after it. */
int es_run_journal_load(void *jctx, int64_t unit, double *monthly, uint64_t *events, char *err,
                        size_t errlen)
{
    es_run_journal *rj = jctx;
    size_t n = rj->n_vals[unit % rj->S];
    double *buf = n == rj->payload ? monthly : es_calloc(rj->payload, sizeof *buf);
    if (!buf) {
        snprintf(err, errlen, "out of memory reading the journal");
        return -1;
    }
    int rc = es_journal_read(rj->j, unit, buf, events, err, errlen);
    if (buf != monthly) {
        if (rc == 1) memcpy(monthly, buf, n * sizeof *buf);
        free(buf);
    }
    if (rc == 1) atomic_fetch_add(&rj->replayed, 1);
    return rc;
}

int es_run_journal_save(void *jctx, int64_t unit, const double *monthly, uint64_t events, char *err,
                        size_t errlen)
{
    es_run_journal *rj = jctx;
    long k = (long)atomic_fetch_add(&rj->computed, 1) + 1;
    /* Killed here, the unit was computed but is not on record: --resume
     * computes it again (it never completed). */
    es_fault_point("unit_computed", k);
    size_t n = rj->n_vals[unit % rj->S];
    double *buf = (double *)monthly;
    if (n != rj->payload) {
        if (!(buf = es_calloc(rj->payload, sizeof *buf))) {
            snprintf(err, errlen, "out of memory writing the journal");
            return -1;
        }
        memcpy(buf, monthly, n * sizeof *buf);
    }
    es_status st = es_journal_append(rj->j, unit, buf, events, err, errlen);
    if (buf != monthly) free(buf);
    return st == ES_OK ? 0 : -1;
}

void es_run_journal_remove_stale_temps(const char *out_path)
{
    const char *slash = strrchr(out_path, '/');
    char dir[4096];
    const char *base = slash ? slash + 1 : out_path;
    if (slash)
        snprintf(dir, sizeof dir, "%.*s", (int)(slash - out_path) ? (int)(slash - out_path) : 1,
                 out_path);
    else
        snprintf(dir, sizeof dir, ".");
    DIR *d = opendir(dir);
    if (!d) return;
    size_t bl = strlen(base);
    struct dirent *e;
    while ((e = readdir(d))) {
        /* OUT.tmp-PID, exactly (es_h5_write's temporary name). */
        if (strncmp(e->d_name, base, bl) != 0 || strncmp(e->d_name + bl, ".tmp-", 5) != 0) continue;
        char *end;
        long pid = strtol(e->d_name + bl + 5, &end, 10);
        if (*end || pid <= 0 || pid == (long)getpid()) continue;
        if (kill((pid_t)pid, 0) == 0 || errno != ESRCH) continue; /* alive, or not ours to judge */
        char p[8192];
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        unlink(p);
    }
    closedir(d);
}

es_status es_run_journal_begin(es_run_journal *rj, const char *path, int resuming,
                               const char *identity, const es_scenario_in *in, int S,
                               int64_t n_units, char *err, size_t errlen)
{
    es_status st;
    if (!(rj->n_vals = es_calloc((size_t)S, sizeof *rj->n_vals))) {
        snprintf(err, errlen, "out of memory preparing the journal");
        return ES_ERR_NOMEM;
    }
    rj->S = S;
    for (int i = 0; i < S; i++) {
        rj->n_vals[i] = (size_t)ES_N_METRICS * (size_t)es_model_months(in[i].p);
        if (rj->n_vals[i] > rj->payload) rj->payload = rj->n_vals[i];
    }
    if (resuming)
        st = es_journal_open(path, identity, rj->payload, n_units, &rj->j, err, errlen);
    else
        st = es_journal_create(path, identity, rj->payload, &rj->j, err, errlen);
    return st;
}

void es_run_journal_fini(es_run_journal *rj)
{
    es_journal_close(rj->j);
    rj->j = NULL;
    free(rj->n_vals);
    rj->n_vals = NULL;
}
