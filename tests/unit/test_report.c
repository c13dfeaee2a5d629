/* test_report.c: sim/report/: the page buffer, escaping and number
 * formatting (html.h), and, when PLplot is built in, that a chart comes
 * back as inline-ready SVG (chart.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "../testlib.h"
#include "report/chart.h"
#include "core/text.h"
#include "report/html.h"

static int num_is(double v, int dp, const char *want)
{
    char buf[64];
    es_html_number(buf, sizeof buf, v, dp);
    if (strcmp(buf, want))
        printf("# es_html_number(%.17g, %d) = '%s', want '%s'\n", v, dp, buf, want);
    return !strcmp(buf, want);
}

static void test_numbers(void)
{
    CHECK(num_is(1234567.891, 2, "1,234,567.89"), "number_thousands_separators");
    CHECK(num_is(-1234.5, 0, "-1,234") || num_is(-1234.5, 0, "-1,235"), "number_negative");
    CHECK(num_is(999, 0, "999") && num_is(1000, 0, "1,000") && num_is(100000, 0, "100,000"),
          "number_group_boundaries");
    CHECK(num_is(0.90295, 4, "0.9030") || num_is(0.90295, 4, "0.9029"), "number_share");
    CHECK(num_is(NAN, 2, "n/a") && num_is(INFINITY, 0, "inf") && num_is(-INFINITY, 0, "-inf"),
          "number_non_finite");
    /* The decimals rule of `info`: magnitude, then two digits of the half-width. */
    CHECK(es_fmt_decimals(24104.2, 23855.0, 24353.0) == 0, "decimals_counts");
    CHECK(es_fmt_decimals(0.903, 0.8992, 0.9068) == 4, "decimals_share_narrow_interval");
    CHECK(es_fmt_decimals(9.8, 5.38, 14.22) == 2, "decimals_small_count");
    CHECK(es_fmt_decimals(2.385, NAN, NAN) == 2, "decimals_without_interval");
}

static void test_buffer(void)
{
    es_html h;
    es_html_init(&h);
    es_html_raw(&h, "<p>");
    es_html_text(&h, "a<b & \"c\" 'd'>");
    es_html_printf(&h, "</p>%d", 42);
    size_t len = 0;
    char *s = es_html_take(&h, &len);
    CHECK(s && !strcmp(s, "<p>a&lt;b &amp; &quot;c&quot; &#39;d&#39;&gt;</p>42") &&
              len == strlen(s),
          "text_is_escaped_raw_is_not");
    free(s);
    es_html_fini(&h);
    es_html_init(&h);
    for (int i = 0; i < 5000; i++) es_html_raw(&h, "0123456789");
    s = es_html_take(&h, &len);
    CHECK(s && len == 50000 && strlen(s) == 50000, "buffer_grows");
    free(s);
    es_html_fini(&h);
}

static void test_chart(void)
{
    if (!es_chart_available()) {
        printf("SKIP chart_svg: built without PLplot (libplplot-dev)\n");
        return;
    }
    double x[4] = {24204, 24205, 24206, 24207}, y[4] = {2.385, 3.1, NAN, 2.9};
    double lo[4] = {2, 2.7, NAN, 2.5}, hi[4] = {2.8, 3.5, NAN, 3.3};
    es_chart_series se = {"base <1>", 4, x, y, lo, hi, NULL, NULL};
    es_chart_rule rule = {24205.5, -1};
    es_chart_xy c = {"t1",
                     "title & more",
                     "a description",
                     "month",
                     "y (person)",
                     ES_AXIS_FMONTH,
                     ES_CHART_LINES,
                     1,
                     &se,
                     "95% interval",
                     NULL,
                     0,
                     NULL,
                     NULL,
                     1,
                     &rule,
                     "policy"};
    char *svg = NULL, err[256];
    es_status st = es_chart_xy_svg(&c, &svg, err, sizeof err);
    CHECK(st == ES_OK && svg, "chart_xy_draws");
    if (svg) {
        CHECK(!strncmp(svg, "<svg id=\"t1\" role=\"img\"", 23), "chart_svg_starts_inline");
        CHECK(strstr(svg, "<title id=\"t1-title\">title &amp; more</title>") &&
                  strstr(svg, "<desc id=\"t1-desc\">a description</desc>"),
              "chart_has_title_and_desc");
        CHECK(!strstr(svg, "<?xml") && !strstr(svg, "<!DOCTYPE"), "chart_has_no_prolog");
        CHECK(!strstr(svg, "id=\"text-clipping") && strstr(svg, "url(#t1-"),
              "chart_ids_are_prefixed");
        const char *end = strstr(svg, "</svg>");
        CHECK(end && end[6] == '\0', "chart_ends_with_svg");
    }
    free(svg);
    es_forest_row rows[2] = {{"apprehensions", 3.17, 2.92, 3.43, 1}, {"deaths", NAN, NAN, NAN, 0}};
    svg = NULL;
    st = es_chart_forest_svg("f1", "forest", "d", "relative change (%)", rows, 2, &svg, err,
                             sizeof err);
    CHECK(st == ES_OK && svg && strstr(svg, "id=\"f1\""), "chart_forest_draws_with_a_nan_row");
    free(svg);
    double hx[3] = {1, 2, 1}, hy[3] = {1, 1, 2}, hz[3] = {5, 6, 7};
    svg = NULL;
    st = es_chart_heat_svg("h1", "heat", "d", "x", "y", "z", 3, hx, hy, hz, &svg, err, sizeof err);
    CHECK(st == ES_OK && svg, "chart_heat_draws");
    free(svg);
    double cx[3] = {1, 1, 1};
    svg = NULL;
    st = es_chart_heat_svg("h2", "heat", "d", "x", "y", "z", 3, cx, hy, hz, &svg, err, sizeof err);
    CHECK(st == ES_ERR_INPUT && !svg, "chart_heat_refuses_a_constant_parameter");
}

int main(void)
{
    test_numbers();
    test_buffer();
    test_chart();
    return TEST_END();
}
