/* chart.h: charts as inline SVG, drawn by PLplot's svg device.
 *
 * Domain-free: a chart is plain arrays in, one SVG document out (malloc'd,
 * caller frees), ready to paste into an HTML page: no XML prolog or DTD,
 * ids prefixed with the chart's id so several charts share a page, and a
 * <title> and <desc> (with role="img" and aria-labelledby) as alt text.
 * Colours are the Okabe-Ito palette (distinguishable with the common
 * colour-vision deficiencies); heat maps use a viridis-like ramp.
 *
 * PLplot keeps its state in library globals: the functions here are not
 * thread-safe, and each draws one chart from plinit to plend. Without
 * PLplot at build time (no ES_HAVE_PLPLOT) every function fails with
 * ES_ERR_USAGE and es_chart_available() is 0.
 *
 * Non-finite values are not drawn: a NaN breaks a line and its band; a
 * point or row with a NaN estimate is skipped. */
#ifndef ES_REPORT_CHART_H
#define ES_REPORT_CHART_H
#include <stddef.h>
#include "../core/status.h"

/* 1 when this build can draw (PLplot found at build time). */
int es_chart_available(void);
/* The Debian package to install when it cannot. */
#define ES_CHART_PACKAGE "libplplot-dev"

typedef enum {
    ES_AXIS_NUMBER, /* ticks at 1, 2, 5 x 10^k, labels with thousands separators */
    ES_AXIS_FMONTH  /* x = 12 * fiscal year + months since October (FY2017 starts at 24204) */
} es_axis_kind;

typedef struct {
    const char *name; /* legend text */
    int n;
    const double *x, *y;     /* [n] */
    const double *lo, *hi;   /* [n] 95% interval (band or error bars), or NULL */
    const double *lo2, *hi2; /* [n] a second, wider band (e.g. 10-90%), or NULL */
} es_chart_series;

typedef struct {
    double x, y;
    int series; /* colour of that series; -1 black */
} es_chart_mark;

typedef struct {
    double x;
    int series; /* colour of that series; -1 grey */
} es_chart_rule;

typedef enum {
    ES_CHART_LINES, /* mean lines with bands */
    ES_CHART_POINTS /* point means with 95% error bars (sweeps) */
} es_chart_style;

typedef struct {
    const char *id;    /* unique in the page: [A-Za-z0-9_-] */
    const char *title; /* drawn above the plot and the SVG <title> */
    const char *desc;  /* alt text: what the chart shows, in a sentence or two */
    const char *xlabel, *ylabel;
    es_axis_kind xaxis;
    es_chart_style style;
    int n_series;
    const es_chart_series *series;
    const char *band_label, *band2_label; /* legend text of lo/hi and lo2/hi2 */
    int n_marks;                          /* e.g. calibration targets */
    const es_chart_mark *marks;
    const char *mark_label;
    int n_rules; /* vertical rules, e.g. policy change dates */
    const es_chart_rule *rules;
    const char *rule_label;
} es_chart_xy;

es_status es_chart_xy_svg(const es_chart_xy *c, char **svg, char *err, size_t errlen);

/* A forest plot: one row per label, estimate and interval on a common x
 * axis, a rule at zero; rows with marked = 1 are drawn filled (e.g. the
 * interval excludes 0) and their label ends in " *". The page has the
 * size of the other charts: a dozen rows read well, more get dense. */
typedef struct {
    const char *label;
    double est, lo, hi;
    int marked;
} es_forest_row;

es_status es_chart_forest_svg(const char *id, const char *title, const char *desc,
                              const char *xlabel, const es_forest_row *rows, int n_rows, char **svg,
                              char *err, size_t errlen);

/* A heat map of z over scattered (x, y) (a design's points): z is
 * interpolated onto a regular grid with PLplot's plgriddata (nearest
 * neighbours, inverse distance), shaded in nlevels bands with a colour bar,
 * and the points themselves marked. Points with non-finite z are left out. */
es_status es_chart_heat_svg(const char *id, const char *title, const char *desc, const char *xlabel,
                            const char *ylabel, const char *zlabel, int n, const double *x,
                            const double *y, const double *z, char **svg, char *err, size_t errlen);

#endif
