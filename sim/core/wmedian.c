/* wmedian.c: the weighted median (wmedian.h). */
#include "wmedian.h"

/* Quickselect with a three-way partition: a month's few tens of thousands
 * of fees cost linear time, not a sort. The pivot is the middle element, so
 * the result and the reordering depend on the input alone. */
double es_weighted_median(es_wsample *a, size_t n)
{
    double total = 0;
    for (size_t i = 0; i < n; i++) total += a[i].w;
    double target = 0.5 * total;
    if (!(target > 0)) { /* no weight: every value qualifies, the least is the answer */
        double m = a[0].v;
        for (size_t i = 1; i < n; i++)
            if (a[i].v < m) m = a[i].v;
        return m;
    }
    size_t lo = 0, hi = n;
    while (hi - lo > 1) {
        double pivot = a[lo + (hi - lo) / 2].v;
        /* [lo, lt) < pivot, [lt, i) == pivot, [gt, hi) > pivot */
        size_t lt = lo, i = lo, gt = hi;
        double w_lt = 0, w_eq = 0;
        while (i < gt) {
            es_wsample x = a[i];
            if (x.v < pivot) {
                a[i++] = a[lt];
                a[lt++] = x;
                w_lt += x.w;
            } else if (x.v > pivot) {
                a[i] = a[--gt];
                a[gt] = x;
            } else {
                i++;
                w_eq += x.w;
            }
        }
        if (w_lt >= target && lt > lo) {
            hi = lt;
        } else if (w_lt + w_eq >= target) {
            return pivot;
        } else {
            target -= w_lt + w_eq;
            lo = gt;
        }
    }
    return a[lo].v;
}
