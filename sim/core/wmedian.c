/* wmedian.c: the weighted median (wmedian.h). */
#include "wmedian.h"
#include <stdlib.h>

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

/* The least value v with weight(values <= v) >= target > 0: quickselect on
 * the weight, so a month's few tens of thousands of fees cost linear time,
 * not a sort. Each round splits the range into < pivot, == pivot and
 * > pivot with two branch-free passes (three times faster on random fees
 * than one branching three-way pass); the pivot is the median of the
 * first, middle and last values, so the result and the reordering depend
 * on the input alone. */
static double select_weighted(es_wsample *a, size_t n, double target)
{
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
        else if (w_le >= target || gt == hi)
            /* gt == hi: nothing lies above the pivot, yet rounding left the
             * target unmet (fractional weights, or a target from another
             * sum, as bracketed's): the range's largest value, never one
             * past its end */
            return pivot;
        else {
            target -= w_le;
            lo = gt;
        }
    }
    return a[lo].v;
}

static int by_value(const void *pa, const void *pb)
{
    const es_wsample *x = pa, *y = pb;
    return (x->v > y->v) - (x->v < y->v);
}

/* Large inputs: a sample brackets the median between two of its values,
 * one pass weighs what lies below the bracket and gathers what lies in it
 * at the front, and quickselect runs on that fifth or so of the input
 * instead of all of it (the quickselect's partition passes, each a chain of
 * dependent loads and stores, were most of the monthly median's cost). The
 * sample is every step-th value, so the result depends on the input alone;
 * a bracket that misses the median (a sample unlike the whole) costs a
 * pass, and the quickselect then runs on everything. With whole-number
 * weights (people) every sum here is exact, so the answer is the same
 * value either way. */
enum { SAMPLE_FROM = 4096, SAMPLE = 256 };
#define BRACKET 0.1 /* of the sample's weight either side of the target's share */

static int bracketed(es_wsample *a, size_t n, double total, double target, double *out)
{
    es_wsample s[SAMPLE];
    size_t step = n / SAMPLE;
    double sw = 0;
    for (size_t j = 0; j < SAMPLE; j++) {
        s[j] = a[j * step + step / 2];
        sw += s[j].w;
    }
    if (!(sw > 0)) return 0;
    qsort(s, SAMPLE, sizeof *s, by_value);
    double share = target / total, want_lo = (share - BRACKET) * sw;
    double want_hi = (share + BRACKET) * sw, cum = 0;
    double lo = s[0].v, hi = s[SAMPLE - 1].v;
    int have_lo = want_lo <= 0;
    for (size_t j = 0; j < SAMPLE; j++) {
        cum += s[j].w;
        if (!have_lo && cum >= want_lo) {
            lo = s[j].v;
            have_lo = 1;
        }
        if (cum >= want_hi) {
            hi = s[j].v;
            break;
        }
    }
    double below = 0, inside = 0;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        es_wsample x = a[i];
        below += x.v < lo ? x.w : 0.0;
        if (x.v >= lo && x.v <= hi) {
            a[i] = a[k];
            a[k++] = x;
            inside += x.w;
        }
    }
    if (!(below < target) || below + inside < target) return 0;
    *out = select_weighted(a, k, target - below);
    return 1;
}

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
    double v;
    if (n >= SAMPLE_FROM && bracketed(a, n, total, target, &v)) return v;
    return select_weighted(a, n, target);
}
