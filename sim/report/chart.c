/* chart.c: PLplot's svg device into memory (open_memstream), tidied for
 * inline use (chart.h). */
#include "chart.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "html.h"

static void set_err(char *err, size_t errlen, const char *msg)
{
    if (err && errlen) snprintf(err, errlen, "%s", msg);
}

#ifndef ES_HAVE_PLPLOT

int es_chart_available(void)
{
    return 0;
}

static es_status unavailable(char **svg, char *err, size_t errlen)
{
    *svg = NULL;
    set_err(err, errlen,
            "this build has no PLplot; install " ES_CHART_PACKAGE " and rebuild (make clean all)");
    return ES_ERR_USAGE;
}

es_status es_chart_xy_svg(const es_chart_xy *c, char **svg, char *err, size_t errlen)
{
    (void)c;
    return unavailable(svg, err, errlen);
}

es_status es_chart_forest_svg(const char *id, const char *title, const char *desc,
                              const char *xlabel, const es_forest_row *rows, int n_rows, char **svg,
                              char *err, size_t errlen)
{
    (void)id, (void)title, (void)desc, (void)xlabel, (void)rows, (void)n_rows; /* no PLplot */
    return unavailable(svg, err, errlen);
}

es_status es_chart_heat_svg(const char *id, const char *title, const char *desc, const char *xlabel,
                            const char *ylabel, const char *zlabel, int n, const double *x,
                            const double *y, const double *z, char **svg, char *err, size_t errlen)
{
    (void)id, (void)title, (void)desc, (void)xlabel, (void)ylabel, (void)zlabel, (void)n, (void)x,
        (void)y, (void)z; /* no PLplot */
    return unavailable(svg, err, errlen);
}

#else
#include <plplot.h>

/* Page size in points; the page's CSS scales the SVG to the column. */
#define CHART_W         900
#define CHART_H         440
#define FOREST_ROW_PT   34
#define FOREST_BASE_PT  170
#define HEAT_W          760
#define HEAT_H          520
#define CHAR_SCALE      0.85
#define LABEL_MAX       512
#define N_TICKS         6
#define HEAT_GRID       28
#define HEAT_LEVELS     9 /* 8 bands */
#define HEAT_NEIGHBOURS 8
#define BAND_ALPHA      0.22
#define BAND2_ALPHA     0.10

/* cmap0: 0 background, 1 axes and text, 2 grid, 3 rules, 4.. Okabe-Ito
 * (Okabe and Ito 2008; blue, vermillion, bluish green, orange, sky blue,
 * reddish purple, yellow), 11 scratch slot for translucent fills. */
enum { COL_BG, COL_FG, COL_GRID, COL_RULE, COL_SERIES0, N_SERIES_COLS = 7, COL_SCRATCH = 11 };
#define N_CMAP0         12
static const PLINT pal_r[N_CMAP0] = {255, 26, 221, 110, 0, 213, 0, 230, 86, 204, 240, 0};
static const PLINT pal_g[N_CMAP0] = {255, 26, 221, 110, 114, 94, 158, 159, 180, 121, 228, 0};
static const PLINT pal_b[N_CMAP0] = {255, 26, 221, 110, 178, 0, 115, 0, 233, 167, 66, 0};

static const char SYM_DOT[] = "\xe2\x97\x8f";     /* U+25CF black circle */
static const char SYM_RING[] = "\xe2\x97\x8b";    /* U+25CB white circle */
static const char SYM_DIAMOND[] = "\xe2\x97\x86"; /* U+25C6 black diamond */

int es_chart_available(void)
{
    return 1;
}

static int series_col(int s)
{
    return s < 0 ? COL_FG : COL_SERIES0 + s % N_SERIES_COLS;
}

/* PLplot reads '#' as an escape: a literal one is "##". */
static void pl_text(char *out, size_t n, const char *s)
{
    size_t o = 0;
    for (; s && *s && o + 2 < n; s++) {
        if (*s == '#') out[o++] = '#';
        out[o++] = *s;
    }
    out[o] = '\0';
}

typedef struct {
    char *buf;
    size_t len;
    FILE *f;
} capture;

static int canvas_begin(capture *cap, int w, int h)
{
    memset(cap, 0, sizeof *cap);
    if (!(cap->f = open_memstream(&cap->buf, &cap->len))) return -1;
    plsdev("svg");
    plsfile(cap->f);
    plspage(0, 0, w, h, 0, 0);
    plscmap0(pal_r, pal_g, pal_b, N_CMAP0);
    plinit();
    pladv(0);
    plschr(0, CHAR_SCALE);
    return 0;
}

/* plend closes the stream (PLplot's plCloseFile), which completes the buffer. */
static void canvas_end(capture *cap)
{
    plend();
    cap->f = NULL;
}

typedef struct {
    es_axis_kind xkind;
    int xdp, ydp;
    const char *const *rows; /* forest: y labels by row, top first */
    int n_rows;
} label_ctx;

static const char *const fy_month[12] = {"Oct", "Nov", "Dec", "Jan", "Feb", "Mar",
                                         "Apr", "May", "Jun", "Jul", "Aug", "Sep"};

static void label_cb(PLINT axis, PLFLT v, char *label, PLINT length, PLPointer data)
{
    const label_ctx *c = data;
    char num[64];
    if (axis == PL_Y_AXIS && c->rows) {
        long i = c->n_rows - 1 - lround(v);
        snprintf(label, (size_t)length, "%s", i >= 0 && i < c->n_rows ? c->rows[i] : "");
        return;
    }
    if (axis == PL_X_AXIS && c->xkind == ES_AXIS_FMONTH) {
        long k = lround(v), fy = k >= 0 ? k / 12 : -((-k + 11) / 12);
        long mo = k - 12 * fy;
        if (mo == 0)
            snprintf(label, (size_t)length, "FY%ld", fy);
        else
            snprintf(label, (size_t)length, "%s", fy_month[mo]);
        return;
    }
    int dp = axis == PL_X_AXIS ? c->xdp : c->ydp;
    if (fabs(v) < 1e-12 * (fabs(v) + 1)) v = 0; /* no "-0" */
    es_html_number(num, sizeof num, v, dp);
    snprintf(label, (size_t)length, "%s", num);
}

/* A tick step of 1, 2 or 5 x 10^k giving about N_TICKS ticks, and the
 * decimals its labels need. */
static double nice_step(double span, int *dp)
{
    double raw = span / N_TICKS;
    if (!(raw > 0) || !isfinite(raw)) raw = 1;
    double mag = pow(10, floor(log10(raw))), norm = raw / mag;
    double step = (norm < 1.5 ? 1 : norm < 3 ? 2 : norm < 7 ? 5 : 10) * mag;
    int d = (int)-floor(log10(step) + 1e-9);
    *dp = d < 0 ? 0 : d;
    return step;
}

/* Extend [lo, hi] by a finite v. */
static void extend(double v, double *lo, double *hi)
{
    if (!isfinite(v)) return;
    if (v < *lo) *lo = v;
    if (v > *hi) *hi = v;
}

/* Pad a range; a degenerate one gets a width; counts keep zero in view. */
static void pad_range(double *lo, double *hi, int keep_zero)
{
    if (!(*lo <= *hi)) *lo = 0, *hi = 1;
    if (keep_zero && *lo > 0) *lo = 0;
    double span = *hi - *lo;
    if (span <= 0) span = fabs(*hi) > 0 ? fabs(*hi) : 1;
    *hi += 0.05 * span;
    if (!(keep_zero && *lo == 0)) *lo -= 0.05 * span;
}

/* Attribute values the driver writes that are SVG's defaults anyway:
 * dropping them keeps heat maps (hundreds of cells) small. */
static const char *const svg_defaults[] = {" stroke-opacity=\"1.000000\"",
                                           " fill-opacity=\"1.000000\"", " fill-rule=\"nonzero\"",
                                           " dominant-baseline=\"no-change\""};

static void strip_all(char *s, const char *pat)
{
    size_t n = strlen(pat);
    char *w = s;
    for (const char *r = s; *r;) {
        if (!strncmp(r, pat, n)) {
            r += n;
            continue;
        }
        *w++ = *r++;
    }
    *w = '\0';
}

/* Inline-ready SVG: drop the prolog, prefix ids, add title/desc and ARIA,
 * collapse the driver's indentation. Frees raw. */
static char *finish_svg(char *raw, size_t len, const char *id, const char *title, const char *desc)
{
    es_html h;
    es_html_init(&h);
    const char *p = strstr(raw, "<svg");
    if (!p) {
        free(raw);
        return NULL;
    }
    const char *end = raw + len;
    es_html_printf(&h, "<svg id=\"%s\" role=\"img\" aria-labelledby=\"%s-title %s-desc\"", id, id,
                   id);
    p += 4;
    const char *gt = strchr(p, '>');
    if (!gt) {
        free(raw);
        return NULL;
    }
    es_html_rawn(&h, p, (size_t)(gt - p + 1));
    es_html_printf(&h, "<title id=\"%s-title\">", id);
    es_html_text(&h, title);
    es_html_printf(&h, "</title><desc id=\"%s-desc\">", id);
    es_html_text(&h, desc);
    es_html_raw(&h, "</desc>");
    p = gt + 1;
    while (p < end) {
        if (*p == '\n') {
            while (p < end && (*p == '\n' || *p == ' ')) p++;
            es_html_raw(&h, " ");
            continue;
        }
        if (!strncmp(p, "id=\"", 4) || !strncmp(p, "url(#", 5)) {
            size_t k = p[0] == 'i' ? 4 : 5;
            es_html_rawn(&h, p, k);
            es_html_printf(&h, "%s-", id);
            p += k;
            continue;
        }
        const char *q = p;
        while (q < end && *q != '\n' && *q != 'i' && *q != 'u') q++;
        if (q == p) q++;
        es_html_rawn(&h, p, (size_t)(q - p));
        p = q;
    }
    free(raw);
    char *out = es_html_take(&h, NULL);
    if (!out) return NULL;
    for (size_t i = 0; i < sizeof svg_defaults / sizeof svg_defaults[0]; i++)
        strip_all(out, svg_defaults[i]);
    size_t n = strlen(out);
    while (n > 0 && (out[n - 1] == ' ' || out[n - 1] == '\n')) out[--n] = '\0';
    return out;
}

static es_status capture_done(capture *cap, const char *id, const char *title, const char *desc,
                              char **svg, char *err, size_t errlen)
{
    char *out = cap->buf ? finish_svg(cap->buf, cap->len, id, title, desc) : NULL;
    cap->buf = NULL;
    if (!out) {
        set_err(err, errlen, "out of memory drawing a chart");
        return ES_ERR_NOMEM;
    }
    *svg = out;
    return ES_OK;
}

static void title_top(const char *title, double top_disp, double k)
{
    char t[LABEL_MAX];
    pl_text(t, sizeof t, title);
    plcol0(COL_FG);
    /* Long titles (sweep parameter names) shrink to fit the page. */
    size_t len = strlen(t);
    plschr(0, k * CHAR_SCALE * (len > 60 ? 1.15 * 60 / (double)len : 1.15));
    plmtex("t", top_disp, 0.5, 0.5, t);
    plschr(0, k * CHAR_SCALE);
}

/* One translucent fill of series s between lo and hi, split at NaNs. */
static void band(const es_chart_series *se, const double *lo, const double *hi, int s, double a,
                 double *px, double *py)
{
    int col = series_col(s);
    plscol0a(COL_SCRATCH, pal_r[col], pal_g[col], pal_b[col], a);
    plcol0(COL_SCRATCH);
    int i = 0;
    while (i < se->n) {
        while (i < se->n && !(isfinite(lo[i]) && isfinite(hi[i]) && isfinite(se->x[i]))) i++;
        int j = i;
        while (j < se->n && isfinite(lo[j]) && isfinite(hi[j]) && isfinite(se->x[j])) j++;
        int m = j - i;
        if (m >= 2) {
            for (int k = 0; k < m; k++) {
                px[k] = se->x[i + k], py[k] = hi[i + k];
                px[2 * m - 1 - k] = se->x[i + k], py[2 * m - 1 - k] = lo[i + k];
            }
            plfill(2 * m, px, py);
        }
        i = j;
    }
}

static void line_runs(const es_chart_series *se)
{
    int i = 0;
    while (i < se->n) {
        while (i < se->n && !(isfinite(se->y[i]) && isfinite(se->x[i]))) i++;
        int j = i;
        while (j < se->n && isfinite(se->y[j]) && isfinite(se->x[j])) j++;
        if (j - i >= 2)
            plline(j - i, se->x + i, se->y + i);
        else if (j - i == 1)
            plstring(1, se->x + i, se->y + i, SYM_DOT);
        i = j;
    }
}

#define LEGEND_MAX 16

typedef struct {
    int n;
    PLINT opt[LEGEND_MAX], text_col[LEGEND_MAX], box_col[LEGEND_MAX], box_pat[LEGEND_MAX];
    PLINT line_col[LEGEND_MAX], line_sty[LEGEND_MAX], sym_col[LEGEND_MAX], sym_num[LEGEND_MAX];
    PLFLT box_scale[LEGEND_MAX], box_lw[LEGEND_MAX], line_w[LEGEND_MAX], sym_scale[LEGEND_MAX];
    char text[LEGEND_MAX][128];
    const char *textp[LEGEND_MAX], *sym[LEGEND_MAX];
} legend;

static void legend_add(legend *lg, PLINT opt, const char *text, int col, int style, const char *sym)
{
    if (lg->n == LEGEND_MAX) return;
    int i = lg->n++;
    lg->opt[i] = opt;
    pl_text(lg->text[i], sizeof lg->text[i], text);
    lg->textp[i] = lg->text[i];
    lg->text_col[i] = COL_FG;
    lg->box_col[i] = col;
    lg->box_pat[i] = 0;
    lg->box_scale[i] = 0.8;
    lg->box_lw[i] = 1;
    lg->line_col[i] = col;
    lg->line_sty[i] = style;
    lg->line_w[i] = 2;
    lg->sym_col[i] = col;
    lg->sym_scale[i] = 1;
    lg->sym_num[i] = 1;
    lg->sym[i] = sym ? sym : SYM_DOT;
}

/* right: one column outside the plot's right edge; else one row above it. */
static void legend_draw(const legend *lg, int right)
{
    if (lg->n == 0) return;
    PLFLT w, h;
    int ncol = right ? 1 : lg->n, nrow = right ? lg->n : 1;
    PLINT pos = PL_POSITION_OUTSIDE | (right ? PL_POSITION_RIGHT : PL_POSITION_TOP);
    pllegend(&w, &h, PL_LEGEND_ROW_MAJOR, pos, right ? 0.015 : 0, right ? 0 : 0.02, 0.05, COL_BG,
             COL_BG, 1, nrow, ncol, lg->n, lg->opt, 0.6, 0.85, 1.8, 0, lg->text_col, lg->textp,
             lg->box_col, lg->box_pat, lg->box_scale, lg->box_lw, lg->line_col, lg->line_sty,
             lg->line_w, lg->sym_col, lg->sym_scale, lg->sym_num, lg->sym);
}

es_status es_chart_xy_svg(const es_chart_xy *c, char **svg, char *err, size_t errlen)
{
    capture cap;
    double xlo = INFINITY, xhi = -INFINITY, ylo = INFINITY, yhi = -INFINITY;
    int maxn = 1, all_nonneg = 1;
    for (int s = 0; s < c->n_series; s++) {
        const es_chart_series *se = &c->series[s];
        if (se->n > maxn) maxn = se->n;
        for (int i = 0; i < se->n; i++) {
            if (!isfinite(se->x[i])) continue;
            extend(se->x[i], &xlo, &xhi);
            extend(se->y[i], &ylo, &yhi);
            if (se->lo) extend(se->lo[i], &ylo, &yhi), extend(se->hi[i], &ylo, &yhi);
            if (se->lo2) extend(se->lo2[i], &ylo, &yhi), extend(se->hi2[i], &ylo, &yhi);
        }
    }
    for (int i = 0; i < c->n_marks; i++) extend(c->marks[i].y, &ylo, &yhi);
    all_nonneg = ylo >= 0;
    if (c->xaxis == ES_AXIS_FMONTH) {
        if (!(xlo <= xhi)) xlo = 0, xhi = 1;
        xlo -= 0.5, xhi += 0.5;
    } else {
        pad_range(&xlo, &xhi, 0);
    }
    pad_range(&ylo, &yhi, all_nonneg && c->style == ES_CHART_LINES);

    double *px = malloc(2 * (size_t)maxn * sizeof *px), *py = malloc(2 * (size_t)maxn * sizeof *py);
    if (!px || !py) {
        free(px), free(py);
        set_err(err, errlen, "out of memory drawing a chart");
        return ES_ERR_NOMEM;
    }
    if (canvas_begin(&cap, CHART_W, CHART_H) < 0) {
        free(px), free(py);
        set_err(err, errlen, "out of memory drawing a chart");
        return ES_ERR_NOMEM;
    }
    label_ctx lc = {c->xaxis, 0, 0, NULL, 0};
    double xstep, ystep = nice_step(yhi - ylo, &lc.ydp);
    int nxsub = 0;
    if (c->xaxis == ES_AXIS_FMONTH) {
        double span = xhi - xlo;
        xstep = span <= 20 ? 3 : span <= 48 ? 6 : 12;
        nxsub = (int)xstep;
    } else {
        xstep = nice_step(xhi - xlo, &lc.xdp);
    }
    plslabelfunc(label_cb, &lc);
    plvpor(0.10, 0.70, 0.13, 0.88);
    plwind(xlo, xhi, ylo, yhi);
    plcol0(COL_GRID);
    plwidth(0.5);
    plbox("g", xstep, nxsub, "g", ystep, 0);
    plwidth(1);

    for (int s = 0; s < c->n_series; s++) {
        const es_chart_series *se = &c->series[s];
        if (c->style == ES_CHART_LINES) {
            if (se->lo2) band(se, se->lo2, se->hi2, s, BAND2_ALPHA, px, py);
            if (se->lo) band(se, se->lo, se->hi, s, BAND_ALPHA, px, py);
        }
    }
    for (int i = 0; i < c->n_rules; i++) {
        plcol0(c->rules[i].series < 0 ? COL_RULE : series_col(c->rules[i].series));
        pllsty(2);
        plwidth(1.5);
        pljoin(c->rules[i].x, ylo, c->rules[i].x, yhi);
    }
    pllsty(1);
    /* Several series at the same x would hide each other's error bars. */
    double dodge = c->style == ES_CHART_POINTS && c->n_series > 1 ? (xhi - xlo) * 0.006 : 0;
    for (int s = 0; s < c->n_series; s++) {
        const es_chart_series *se = &c->series[s];
        plcol0(series_col(s));
        if (c->style == ES_CHART_LINES) {
            plwidth(2.2);
            line_runs(se);
        } else {
            double off = dodge * (s - (c->n_series - 1) / 2.0);
            plwidth(1.4);
            for (int i = 0; i < se->n; i++) {
                double x = se->x[i] + off;
                if (!isfinite(x) || !isfinite(se->y[i])) continue;
                if (se->lo && isfinite(se->lo[i]) && isfinite(se->hi[i]))
                    plerry(1, &x, se->lo + i, se->hi + i);
                plstring(1, &x, se->y + i, SYM_DOT);
            }
        }
    }
    plwidth(1);
    for (int i = 0; i < c->n_marks; i++) {
        if (!isfinite(c->marks[i].x) || !isfinite(c->marks[i].y)) continue;
        plcol0(COL_FG);
        plschr(0, CHAR_SCALE * 1.2);
        plstring(1, &c->marks[i].x, &c->marks[i].y, SYM_DIAMOND);
        plschr(0, CHAR_SCALE);
    }
    plcol0(COL_FG);
    plbox("bcnsto", xstep, nxsub, "bcnstvo", ystep, 0);
    char xl[LABEL_MAX], yl[LABEL_MAX];
    pl_text(xl, sizeof xl, c->xlabel);
    pl_text(yl, sizeof yl, c->ylabel);
    plmtex("b", 2.8, 0.5, 0.5, xl);
    plmtex("l", 6.6, 0.5, 0.5, yl);
    title_top(c->title, 1.6, 1);

    legend lg;
    lg.n = 0;
    for (int s = 0; s < c->n_series && lg.n < LEGEND_MAX - 4; s++)
        legend_add(&lg, c->style == ES_CHART_LINES ? PL_LEGEND_LINE : PL_LEGEND_SYMBOL,
                   c->series[s].name, series_col(s), 1, SYM_DOT);
    int has_band = 0, has_band2 = 0;
    for (int s = 0; s < c->n_series; s++)
        has_band |= !!c->series[s].lo, has_band2 |= !!c->series[s].lo2;
    if (has_band && c->band_label) {
        if (c->style == ES_CHART_LINES) {
            plscol0a(COL_SCRATCH, 90, 90, 90, 0.35);
            legend_add(&lg, PL_LEGEND_COLOR_BOX, c->band_label, COL_SCRATCH, 1, NULL);
        } else {
            legend_add(&lg, PL_LEGEND_LINE, c->band_label, COL_RULE, 1, NULL);
        }
    }
    if (has_band2 && c->band2_label && c->style == ES_CHART_LINES)
        legend_add(&lg, PL_LEGEND_COLOR_BOX, c->band2_label, COL_GRID, 1, NULL);
    if (c->n_marks && c->mark_label)
        legend_add(&lg, PL_LEGEND_SYMBOL, c->mark_label, COL_FG, 1, SYM_DIAMOND);
    if (c->n_rules && c->rule_label)
        legend_add(&lg, PL_LEGEND_LINE, c->rule_label, COL_RULE, 2, NULL);
    legend_draw(&lg, 1);
    canvas_end(&cap);
    free(px), free(py);
    return capture_done(&cap, c->id, c->title, c->desc, svg, err, errlen);
}

es_status es_chart_forest_svg(const char *id, const char *title, const char *desc,
                              const char *xlabel, const es_forest_row *rows, int n_rows, char **svg,
                              char *err, size_t errlen)
{
    capture cap;
    const char **labels = calloc((size_t)n_rows + 1, sizeof *labels);
    char(*text)[LABEL_MAX] = calloc((size_t)n_rows + 1, sizeof *text);
    if (!labels || !text) {
        free(labels), free(text);
        set_err(err, errlen, "out of memory drawing a chart");
        return ES_ERR_NOMEM;
    }
    double xlo = 0, xhi = 0;
    for (int i = 0; i < n_rows; i++) {
        char t[LABEL_MAX - 4];
        pl_text(t, sizeof t, rows[i].label);
        snprintf(text[i], sizeof text[i], "%s%s", t, rows[i].marked ? " *" : "");
        labels[i] = text[i];
        extend(rows[i].est, &xlo, &xhi);
        extend(rows[i].lo, &xlo, &xhi);
        extend(rows[i].hi, &xlo, &xhi);
    }
    pad_range(&xlo, &xhi, 0);
    int height = CHART_H;
    if (canvas_begin(&cap, CHART_W, height) < 0) {
        free(labels), free(text);
        set_err(err, errlen, "out of memory drawing a chart");
        return ES_ERR_NOMEM;
    }
    /* The svg driver sizes text with the page: one page size for every
     * chart keeps text alike (callers keep rows to a dozen or so). */
    double k = 1;
    plschr(0, k * CHAR_SCALE);
    label_ctx lc = {ES_AXIS_NUMBER, 0, 0, NULL, 0};
    double xstep = nice_step(xhi - xlo, &lc.xdp);
    plslabelfunc(label_cb, &lc);
    /* Margins in points, so rows keep their size whatever their number. */
    double bottom = 70.0 / height, top = 1 - 80.0 / height;
    plvpor(0.40, 0.97, bottom, top);
    plwind(xlo, xhi, -0.6, n_rows - 0.4);
    plcol0(COL_GRID);
    plwidth(0.5);
    plbox("g", xstep, 0, "", 0, 0);
    plcol0(COL_RULE);
    pllsty(2);
    plwidth(1.5);
    pljoin(0, -0.6, 0, n_rows - 0.4);
    pllsty(1);
    for (int i = 0; i < n_rows; i++) {
        const es_forest_row *r = &rows[i];
        if (!isfinite(r->est)) continue;
        double y = n_rows - 1 - i;
        int col = r->marked ? COL_SERIES0 + 1 : COL_SERIES0;
        plcol0(col);
        plwidth(2);
        if (isfinite(r->lo) && isfinite(r->hi)) plerrx(1, &r->lo, &r->hi, &y);
        plschr(0, k * CHAR_SCALE * 1.3);
        plstring(1, &r->est, &y, r->marked ? SYM_DOT : SYM_RING);
        plschr(0, k * CHAR_SCALE);
    }
    plwidth(1);
    plcol0(COL_FG);
    plbox("bcnsto", xstep, 0, "bc", 0, 0);
    /* Row labels beside the axis, right-aligned (pos: share of the axis from the bottom). */
    for (int i = 0; i < n_rows; i++) {
        double pos = (n_rows - 1 - i + 0.6) / (double)n_rows;
        plmtex("lv", 0.8, pos, 1.0, labels[i]);
    }
    char xl[LABEL_MAX];
    pl_text(xl, sizeof xl, xlabel);
    plmtex("b", 2.8, 0.5, 0.5, xl);
    title_top(title, 4.2, k);
    legend lg;
    lg.n = 0;
    legend_add(&lg, PL_LEGEND_SYMBOL | PL_LEGEND_LINE, "interval excludes 0 (*)", COL_SERIES0 + 1,
               1, SYM_DOT);
    legend_add(&lg, PL_LEGEND_SYMBOL | PL_LEGEND_LINE, "interval includes 0", COL_SERIES0, 1,
               SYM_RING);
    legend_draw(&lg, 0);
    canvas_end(&cap);
    free(labels), free(text);
    return capture_done(&cap, id, title, desc, svg, err, errlen);
}

/* A viridis-like ramp (perceptually uniform, readable in grey and with
 * colour-vision deficiencies): five anchors of matplotlib's viridis. */
static void viridis(void)
{
    static const PLFLT pos[5] = {0, 0.25, 0.5, 0.75, 1};
    static const PLFLT r[5] = {68 / 255.0, 59 / 255.0, 33 / 255.0, 94 / 255.0, 253 / 255.0};
    static const PLFLT g[5] = {1 / 255.0, 82 / 255.0, 145 / 255.0, 201 / 255.0, 231 / 255.0};
    static const PLFLT b[5] = {84 / 255.0, 139 / 255.0, 140 / 255.0, 98 / 255.0, 37 / 255.0};
    plscmap1n(256);
    plscmap1l(1, 5, pos, r, g, b, NULL);
}

es_status es_chart_heat_svg(const char *id, const char *title, const char *desc, const char *xlabel,
                            const char *ylabel, const char *zlabel, int n, const double *x,
                            const double *y, const double *z, char **svg, char *err, size_t errlen)
{
    capture cap;
    double xlo = INFINITY, xhi = -INFINITY, ylo = INFINITY, yhi = -INFINITY, zlo = INFINITY,
           zhi = -INFINITY;
    double *fx = malloc(((size_t)n + 1) * sizeof *fx), *fy = malloc(((size_t)n + 1) * sizeof *fy),
           *fz = malloc(((size_t)n + 1) * sizeof *fz);
    PLFLT **zg = NULL;
    int m = 0;
    es_status st = ES_OK;
    if (!fx || !fy || !fz) {
        set_err(err, errlen, "out of memory drawing a chart");
        st = ES_ERR_NOMEM;
        goto out;
    }
    for (int i = 0; i < n; i++) {
        if (!isfinite(x[i]) || !isfinite(y[i]) || !isfinite(z[i])) continue;
        fx[m] = x[i], fy[m] = y[i], fz[m] = z[i], m++;
        extend(x[i], &xlo, &xhi);
        extend(y[i], &ylo, &yhi);
        extend(z[i], &zlo, &zhi);
    }
    if (m < 3 || !(xhi > xlo) || !(yhi > ylo)) {
        set_err(err, errlen, "a heat map needs at least 3 points spread over both parameters");
        st = ES_ERR_INPUT;
        goto out;
    }
    if (canvas_begin(&cap, HEAT_W, HEAT_H) < 0) {
        set_err(err, errlen, "out of memory drawing a chart");
        st = ES_ERR_NOMEM;
        goto out;
    }
    plAlloc2dGrid(&zg, HEAT_GRID, HEAT_GRID);
    /* The design's parameters have different scales: grid in [0,1]^2. */
    for (int i = 0; i < m; i++)
        fx[i] = (fx[i] - xlo) / (xhi - xlo), fy[i] = (fy[i] - ylo) / (yhi - ylo);
    double ug[HEAT_GRID];
    for (int i = 0; i < HEAT_GRID; i++) ug[i] = (double)i / (HEAT_GRID - 1);
    plgriddata(fx, fy, fz, m, ug, HEAT_GRID, ug, HEAT_GRID, zg, GRID_NNIDW,
               m < HEAT_NEIGHBOURS ? m : HEAT_NEIGHBOURS);
    /* A grid node on a design point is a zero distance: take that point. */
    for (int i = 0; i < HEAT_GRID; i++)
        for (int j = 0; j < HEAT_GRID; j++) {
            if (isfinite(zg[i][j])) continue;
            double best = INFINITY;
            for (int k = 0; k < m; k++) {
                double dx = fx[k] - ug[i], dy = fy[k] - ug[j], d2 = dx * dx + dy * dy;
                if (d2 < best) best = d2, zg[i][j] = fz[k];
            }
        }
    /* Interpolated values stay within the data's range up to rounding: the
     * outer levels take a margin so no cell falls outside every band. */
    for (int i = 0; i < HEAT_GRID; i++)
        for (int j = 0; j < HEAT_GRID; j++) extend(zg[i][j], &zlo, &zhi);
    double zpad = (zhi - zlo) * 1e-6 + fabs(zhi) * 1e-12;
    zlo -= zpad, zhi += zpad;
    for (int i = 0; i < m; i++)
        fx[i] = xlo + fx[i] * (xhi - xlo), fy[i] = ylo + fy[i] * (yhi - ylo);
    if (!(zhi - zlo > 1e-9 * (fabs(zhi) + fabs(zlo))))
        zlo -= fabs(zlo) > 0 ? fabs(zlo) * 0.005 : 0.5,
            zhi = zlo + (fabs(zlo) > 0 ? fabs(zlo) * 0.01 : 1);
    viridis();
    PLFLT clevel[HEAT_LEVELS];
    for (int i = 0; i < HEAT_LEVELS; i++) clevel[i] = zlo + (zhi - zlo) * i / (HEAT_LEVELS - 1);
    label_ctx lc = {ES_AXIS_NUMBER, 0, 0, NULL, 0};
    double xstep = nice_step(xhi - xlo, &lc.xdp), ystep = nice_step(yhi - ylo, &lc.ydp);
    plslabelfunc(label_cb, &lc);
    plvpor(0.13, 0.80, 0.12, 0.86);
    plwind(xlo, xhi, ylo, yhi);
    plshades((PLFLT_MATRIX)zg, HEAT_GRID, HEAT_GRID, NULL, xlo, xhi, ylo, yhi, clevel, HEAT_LEVELS,
             1, 0, 0, plfill, 1, NULL, NULL);
    plcol0(COL_FG);
    plbox("bcnsto", xstep, 0, "bcnstvo", ystep, 0);
    plcol0(COL_BG);
    plstring(m, fx, fy, SYM_DOT);
    plcol0(COL_FG);
    plstring(m, fx, fy, SYM_RING);
    char xl[LABEL_MAX], yl[LABEL_MAX], zl[LABEL_MAX];
    pl_text(xl, sizeof xl, xlabel);
    pl_text(yl, sizeof yl, ylabel);
    pl_text(zl, sizeof zl, zlabel);
    plmtex("b", 2.8, 0.5, 0.5, xl);
    plmtex("l", 6.6, 0.5, 0.5, yl);
    title_top(title, 1.6, 1);
    {
        PLFLT cw, ch;
        PLINT label_opts[1] = {PL_COLORBAR_LABEL_RIGHT};
        const char *labels[1] = {zl};
        const char *axis_opts[1] = {"bcvtm"};
        PLFLT ticks[1] = {0};
        PLINT sub_ticks[1] = {0}, n_values[1] = {HEAT_LEVELS};
        const PLFLT *values[1] = {clevel};
        plcolorbar(&cw, &ch, PL_COLORBAR_SHADE | PL_COLORBAR_SHADE_LABEL, PL_POSITION_RIGHT, 0.03,
                   0, 0.04, 0.74, COL_BG, COL_FG, 1, 0, 0, 0, 0, 1, label_opts, labels, 1,
                   axis_opts, ticks, sub_ticks, n_values, values);
    }
    plFree2dGrid(zg, HEAT_GRID, HEAT_GRID);
    zg = NULL;
    canvas_end(&cap);
    st = capture_done(&cap, id, title, desc, svg, err, errlen);
out:
    free(fx), free(fy), free(fz);
    return st;
}

#endif
