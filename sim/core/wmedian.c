/* wmedian.c: the weighted median (wmedian.h). */
#include "wmedian.h"

/* Moves the elements of a[lo..hi) below p (or, with `equal`, at p too) to
 * the front without branching on the data (random fees defeat the branch
 * predictor); returns the boundary and adds their weight to *w. */
static size_t partition(es_wsample *a, size_t lo, size_t hi, double p, int equal, double *w)
{
    size_t k = lo;
    double s = 0;
    for (size_t i = lo; i < hi; i++) {
        es_wsample x = a[i];
        int c = (x.v < p) | (equal & (x.v == p));
        a[i] = a[k];
        a[k] = x;
        k += (size_t)c;
        s += c ? x.w : 0.0;
    }
    *w += s;
    return k;
}

static double med3(double x, double y, double z)
{
    if (x > y) {
        double t = x;
        x = y;
        y = t;
    }
    if (y > z) y = z;
    return x > y ? x : y;
}

/* Quickselect on the weight: a month's few tens of thousands of fees cost
 * linear time, not a sort. Each round splits the range into < pivot,
 * == pivot and > pivot with two branch-free passes (three times faster on
 * random fees than one branching three-way pass); the pivot is the median
 * of the first, middle and last values, so the result and the reordering
 * depend on the input alone. */
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
        size_t mid = lo + (hi - lo) / 2;
        double pivot = med3(a[lo].v, a[mid].v, a[hi - 1].v);
        /* [lo, lt) < pivot, [lt, gt) == pivot, [gt, hi) > pivot */
        double w_lt = 0, w_le = 0;
        size_t lt = partition(a, lo, hi, pivot, 0, &w_lt);
        size_t gt = partition(a, lt, hi, pivot, 1, &w_le);
        w_le += w_lt;
        if (w_lt >= target && lt > lo)
            hi = lt;
        else if (w_le >= target)
            return pivot;
        else {
            target -= w_le;
            lo = gt;
        }
    }
    return a[lo].v;
}
