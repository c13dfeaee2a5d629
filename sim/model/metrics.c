#include "metrics.h"
#include <string.h>

#define ES_METRIC_ROW(id, name, unit, agg, num, den, desc) \
    {name, unit, agg, ES_M_##num, ES_M_##den, desc},
const es_metric_def es_metric_table[ES_N_METRICS] = {ES_METRIC_LIST(ES_METRIC_ROW)};
#undef ES_METRIC_ROW

int es_metric_find(const char *name)
{
    for (int i = 0; i < ES_N_METRICS; i++)
        if (strcmp(es_metric_table[i].name, name) == 0) return i;
    return -1;
}
