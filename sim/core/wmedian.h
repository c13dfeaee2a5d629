/* wmedian.h: the lower weighted median of values with non-negative weights
 * (the monthly median fees of sim/model/market.c; tests/unit/test_wmedian.c). */
#ifndef ES_WMEDIAN_H
#define ES_WMEDIAN_H
#include <stddef.h>

/* A value and its weight. */
typedef struct {
    double v, w;
} es_wsample;

/* The least value v of a[0..n) such that the values at or below v carry at
 * least half of the total weight; n > 0, weights >= 0, values not NaN. It
 * reorders a. */
double es_weighted_median(es_wsample *a, size_t n);

#endif
