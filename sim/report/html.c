/* html.c: the page buffer, escaping and number formatting (html.h). */
#include "html.h"
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HTML_MIN_CAP 4096

void es_html_init(es_html *h)
{
    memset(h, 0, sizeof *h);
}

void es_html_fini(es_html *h)
{
    if (!h) return;
    free(h->buf);
    memset(h, 0, sizeof *h);
}

int es_html_failed(const es_html *h)
{
    return h->failed;
}

char *es_html_take(es_html *h, size_t *len)
{
    if (h->failed || !h->buf) return NULL;
    char *out = h->buf;
    if (len) *len = h->len;
    memset(h, 0, sizeof *h);
    return out;
}

/* Room for n more bytes and a NUL. */
static int reserve(es_html *h, size_t n)
{
    if (h->failed) return -1;
    if (h->len + n + 1 <= h->cap) return 0;
    size_t cap = h->cap ? h->cap : HTML_MIN_CAP;
    while (cap < h->len + n + 1) {
        if (cap > SIZE_MAX / 2) {
            h->failed = 1;
            return -1;
        }
        cap *= 2;
    }
    char *p = realloc(h->buf, cap);
    if (!p) {
        h->failed = 1;
        return -1;
    }
    h->buf = p;
    h->cap = cap;
    return 0;
}

void es_html_rawn(es_html *h, const char *s, size_t n)
{
    if (reserve(h, n) < 0) return;
    memcpy(h->buf + h->len, s, n);
    h->len += n;
    h->buf[h->len] = '\0';
}

void es_html_raw(es_html *h, const char *s)
{
    es_html_rawn(h, s, strlen(s));
}

void es_html_printf(es_html *h, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) {
        h->failed = 1;
        return;
    }
    if (reserve(h, (size_t)n) < 0) return;
    va_start(ap, fmt);
    vsnprintf(h->buf + h->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    h->len += (size_t)n;
}

void es_html_text(es_html *h, const char *s)
{
    if (!s) return;
    const char *run = s;
    for (const char *p = s; *p; p++) {
        const char *ent = NULL;
        switch (*p) {
        case '&': ent = "&amp;"; break;
        case '<': ent = "&lt;"; break;
        case '>': ent = "&gt;"; break;
        case '"': ent = "&quot;"; break;
        case '\'': ent = "&#39;"; break;
        default: continue;
        }
        es_html_rawn(h, run, (size_t)(p - run));
        es_html_raw(h, ent);
        run = p + 1;
    }
    es_html_raw(h, run);
}

/* Screen and print: system fonts, a readable measure, tables with
 * tabular figures, charts that shrink with the window. */
static const char page_css[] =
    "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;"
    "color:#1a1a1a;background:#fff;margin:0 auto;max-width:1100px;padding:1.5em;"
    "line-height:1.45}\n"
    "h1{font-size:1.6em;margin-bottom:.2em}h2{margin-top:2em;border-bottom:1px solid #ccc;"
    "padding-bottom:.2em}h3{font-size:1.05em;margin:.2em 0}\n"
    "table{border-collapse:collapse;margin:.8em 0;font-variant-numeric:tabular-nums}\n"
    "th,td{padding:.25em .7em;border-bottom:1px solid #e3e3e3;text-align:left;"
    "vertical-align:top}\n"
    "td.num,th.num{text-align:right;white-space:nowrap}\n"
    "caption{text-align:left;font-weight:600;padding:.3em 0}\n"
    "figure{margin:1.5em 0;break-inside:avoid}\n"
    "figure svg{width:100%;height:auto;max-width:900px;display:block}\n"
    "figcaption{color:#444;font-size:.9em;max-width:900px}\n"
    "details{margin:.8em 0}summary{cursor:pointer;font-weight:600}\n"
    "pre{background:#f6f6f6;padding:.8em;overflow-x:auto;font-size:.85em}\n"
    "dl.prov{display:grid;grid-template-columns:max-content auto;gap:.2em 1em}\n"
    "dl.prov dt{font-weight:600}dl.prov dd{margin:0;word-break:break-all}\n"
    ".sig{font-weight:700;color:#b34700}.note{color:#555;font-size:.9em}\n"
    "nav ul{columns:2}\n";

void es_html_begin(es_html *h, const char *title)
{
    es_html_raw(h, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                   "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                   "<title>");
    es_html_text(h, title);
    es_html_raw(h, "</title>\n<style>\n");
    es_html_raw(h, page_css);
    es_html_raw(h, "</style>\n</head>\n<body>\n");
}

void es_html_end(es_html *h)
{
    es_html_raw(h, "</body>\n</html>\n");
}

void es_html_number(char *buf, size_t n, double v, int dp)
{
    if (isnan(v)) {
        snprintf(buf, n, "n/a");
        return;
    }
    if (isinf(v)) {
        snprintf(buf, n, "%s", v < 0 ? "-inf" : "inf");
        return;
    }
    char plain[64];
    snprintf(plain, sizeof plain, "%.*f", dp < 0 ? 0 : dp, v);
    const char *digits = plain[0] == '-' ? plain + 1 : plain;
    size_t int_len = strcspn(digits, ".");
    size_t o = 0;
    if (plain[0] == '-' && o + 1 < n) buf[o++] = '-';
    for (size_t i = 0; digits[i] && o + 1 < n; i++) {
        if (i > 0 && i < int_len && (int_len - i) % 3 == 0 && o + 2 < n) buf[o++] = ',';
        buf[o++] = digits[i];
    }
    buf[o] = '\0';
}
