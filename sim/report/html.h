/* html.h: building one self-contained HTML page in memory.
 *
 * An es_html is a growing text buffer with a sticky out-of-memory flag
 * (SQLite's habit): appends after a failed allocation do nothing, and the
 * caller checks es_html_failed once at the end instead of after every call.
 * Text that comes from data (names, config text, command lines) goes
 * through es_html_text, which escapes &, <, >, " and '; raw markup (tags,
 * inline SVG from chart.h) goes through es_html_raw or es_html_printf.
 *
 * The page has no external references: its CSS is inline (es_html_begin),
 * charts are inline SVG, and nothing needs JavaScript. The buffer is owned
 * by the es_html until es_html_take hands it over (caller frees). */
#ifndef ES_REPORT_HTML_H
#define ES_REPORT_HTML_H
#include <stddef.h>

typedef struct {
    char *buf;
    size_t len, cap;
    int failed; /* sticky: an allocation failed; the content is incomplete */
} es_html;

void es_html_init(es_html *h);
void es_html_fini(es_html *h); /* accepts a zeroed or finished es_html */
int es_html_failed(const es_html *h);
/* The text (NUL-terminated) and its length; the es_html is empty afterwards.
 * NULL after an allocation failure. */
char *es_html_take(es_html *h, size_t *len);

void es_html_raw(es_html *h, const char *s);
void es_html_rawn(es_html *h, const char *s, size_t n);
void es_html_printf(es_html *h, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void es_html_text(es_html *h, const char *s); /* escaped */

/* <!DOCTYPE html> ... <body>, with the page's title and inline CSS. */
void es_html_begin(es_html *h, const char *title);
void es_html_end(es_html *h);

/* A number with thousands separators ("1,234,567.89"), dp decimals; NaN as
 * "n/a", infinities as "inf"/"-inf". buf of at least 64 bytes. */
void es_html_number(char *buf, size_t n, double v, int dp);

#endif
