/* text.c: numbers to text and edit distance (contract in text.h). */
#include "text.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void es_fmt_double(char *buf, size_t n, double v)
{
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(buf, n, "%.*g", prec, v);
        if (strtod(buf, NULL) == v) return;
    }
}

void es_fmt_real(char *buf, size_t n, double v)
{
    es_fmt_double(buf, n, v);
    /* "1" would read back as an int, "-0" as +0; "inf" and "nan" hold an 'n'. */
    if (!strpbrk(buf, ".eEn")) {
        size_t used = strlen(buf);
        snprintf(buf + used, n - used, ".0");
    }
}

int es_edit_distance(const char *a, const char *b)
{
    int row[ES_EDIT_CUT + 1];
    size_t la = strlen(a), lb = strlen(b);
    if (la > ES_EDIT_CUT) la = ES_EDIT_CUT;
    if (lb > ES_EDIT_CUT) lb = ES_EDIT_CUT;
    for (size_t j = 0; j <= lb; j++) row[j] = (int)j;
    for (size_t i = 1; i <= la; i++) {
        int diag = row[0];
        row[0] = (int)i;
        for (size_t j = 1; j <= lb; j++) {
            int up = row[j];
            int best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best) best = up + 1;
            if (row[j - 1] + 1 < best) best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

int es_typo_close(int distance, const char *name)
{
    return distance <= 2 + (int)strlen(name) / 4;
}

int es_nearest_name(const char *const *names, const char *name, const char **near)
{
    int best = -1, best_d = 0, n_containing = 0;
    const char *containing = NULL;
    *near = NULL;
    for (int i = 0; names[i]; i++) {
        if (!strcmp(names[i], name)) return i;
        int dist = es_edit_distance(name, names[i]);
        if (best < 0 || dist < best_d) best = i, best_d = dist;
        if (*name && strstr(names[i], name)) containing = names[i], n_containing++;
    }
    if (best >= 0 && es_typo_close(best_d, name))
        *near = names[best];
    else if (n_containing == 1)
        *near = containing;
    return -1;
}

int es_fmt_decimals(double mean, double lo, double hi)
{
    double a = fabs(mean), hw = (hi - lo) / 2;
    int d = a >= 100 ? 0 : a >= 10 ? 1 : a >= 1 ? 2 : 3;
    if (isfinite(hw) && hw > 0) {
        int dh = (int)ceil(-log10(hw)) + 1;
        if (dh > d) d = dh;
    }
    return d > 6 ? 6 : d;
}
