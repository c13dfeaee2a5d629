/* bench_model.c: one replication of a scenario through es_model_run, timed.
 * Prints one JSON line: events, seconds, events_per_s, simulated years,
 * seconds per simulated year and peak RSS (getrusage: the whole process,
 * so run one measurement per process).
 * usage: bench_model CONFIG [--set k=v]... */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include "core/mem.h"
#include "io/cfg.h"
#include "model/metrics.h"
#include "model/model.h"

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench_model CONFIG [--set k=v]...\n");
        return 2;
    }
    const char *sets[64];
    int n = 0;
    for (int i = 2; i + 1 < argc && n < 64; i += 2)
        if (!strcmp(argv[i], "--set")) sets[n++] = argv[i + 1];
    es_params *p = malloc(sizeof *p);
    char err[1024];
    if (!p || es_cfg_load(argv[1], sets, n, p, err, sizeof err) != ES_OK) {
        fprintf(stderr, "bench_model: %s\n", p ? err : "out of memory");
        return 2;
    }
    es_rng_kind kind;
    if (es_rng_kind_parse(p->rng, &kind)) return 2;
    int months = es_model_months(p);
    double *monthly = es_calloc((size_t)months * ES_N_METRICS, sizeof(double));
    es_model_stats st;
    double t0 = now_s();
    es_status s = es_model_run(p, kind, 0, monthly, &st, err, sizeof err);
    double secs = now_s() - t0;
    if (s != ES_OK) {
        fprintf(stderr, "bench_model: %s\n", err);
        return 1;
    }
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    double years = (p->end_day + 1 - p->start_day) / 365.25;
    printf("{\"bench\":\"model\",\"config\":\"%s\",\"years\":%.2f,\"events\":%llu,\"seconds\":%.4f,"
           "\"events_per_s\":%.4g,\"seconds_per_year\":%.4f,\"peak_parties\":%zu,\"peak_rss_kb\":%"
           "ld}\n",
           argv[1], years, (unsigned long long)st.events, secs, st.events / secs, secs / years,
           st.peak_parties, ru.ru_maxrss);
    free(monthly);
    free(p);
    return 0;
}
