/* test_date.c: civil dates, day numbers, months and fiscal years (core/date.h).
 * Anchors are day numbers from Python's datetime (toordinal() - 719163); the
 * exhaustive checks walk the calendar day by day with a leap rule written
 * here, not the library's arithmetic. */
#include <stdio.h>
#include <string.h>
#include "../testlib.h"
#include "core/date.h"

static int is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int month_length(int y, int m)
{
    static const int len[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : len[m - 1];
}

static void test_anchors(void)
{
    CHECK(es_date_days(1970, 1, 1) == 0 && es_date_days(1969, 12, 31) == -1,
          "epoch_is_day_0_and_the_day_before_is_-1");
    CHECK(es_date_days(1900, 1, 1) == -25567 && es_date_days(2200, 12, 31) == 84370,
          "days_at_the_ends_of_the_accepted_range_1900_2200");
    CHECK(es_date_days(2000, 2, 29) == 11016 && es_date_days(2016, 2, 29) == 16860 &&
              es_date_days(2019, 2, 1) == 17928,
          "days_of_leap_days_and_the_baseline_seed_date");
    CHECK(es_date_days(1600, 3, 1) == -135080, "days_before_the_epoch_in_an_earlier_400_year_era");
}

/* Every day of 1600-01-01 .. 2400-12-31: consecutive day numbers, and the
 * civil date of each is the one the walk is on. */
static void test_walk(void)
{
    int32_t expect = es_date_days(1600, 1, 1);
    int ok_days = 1, ok_civil = 1, first_bad_y = 0, first_bad_m = 0, first_bad_d = 0;
    for (int y = 1600; y <= 2400; y++)
        for (int m = 1; m <= 12; m++)
            for (int d = 1; d <= month_length(y, m); d++, expect++) {
                int yy, mm, dd;
                int32_t z = es_date_days(y, m, d);
                es_date_civil(expect, &yy, &mm, &dd);
                if (z != expect) ok_days = 0;
                if (yy != y || mm != m || dd != d) ok_civil = 0;
                if ((!ok_days || !ok_civil) && !first_bad_y)
                    first_bad_y = y, first_bad_m = m, first_bad_d = d;
            }
    if (first_bad_y)
        printf("# first wrong date: %04d-%02d-%02d\n", first_bad_y, first_bad_m, first_bad_d);
    CHECK(ok_days, "days_are_consecutive_for_every_date_1600_to_2400");
    CHECK(ok_civil, "civil_inverts_days_for_every_date_1600_to_2400");
}

static int parses(const char *s, int32_t *out)
{
    int32_t d = -123456;
    int rc = es_date_parse(s, &d);
    if (out) *out = d;
    return rc == 0;
}

static void test_parse_valid(void)
{
    int32_t d;
    CHECK(parses("2016-02-29", &d) && d == 16860, "parse_leap_day_2016");
    CHECK(parses("2000-02-29", &d) && d == 11016, "parse_leap_day_of_a_400_year_2000");
    CHECK(parses("2019-02", &d) && d == 17928, "parse_year_month_is_the_first_of_the_month");
    CHECK(parses("1900-01-01", &d) && d == -25567 && parses("2200-12-31", &d) && d == 84370,
          "parse_accepts_the_range_ends_1900_and_2200");
    int ok = 1;
    for (int m = 1; m <= 12; m++) {
        char s[32];
        int32_t got;
        snprintf(s, sizeof s, "2017-%02d-%02d", m, month_length(2017, m));
        ok &= parses(s, &got) && got == es_date_days(2017, m, month_length(2017, m));
    }
    CHECK(ok, "parse_accepts_the_last_day_of_every_month");
}

static void test_parse_invalid(void)
{
    static const char *const bad[] = {
        "",           "2016",        "2016-",       "2016-1-1",    "2016-01-1",  "16-01-01",
        "2016/01/01", "2016-01-01 ", " 2016-01-01", "2016-01-01T", "20160101",   "2016-1",
        "2016-13-01", "2016-00-10",  "2016-01-00",  "2016-01-32",  "2017-02-29", "1900-02-29",
        "2100-02-29", "2016-04-31",  "2016-06-31",  "2016-09-31",  "2016-11-31", "1899-12-31",
        "2201-01-01", "abcd-ef-gh",  "2016-ab-01",  "2016-01-ab",  "2016-+1-01", "2016- 1-01",
        "2016-01-+1", "2016-01- 1",  "+016-01-01",  "-016-01-01",  "2016-01--1", "2016-1-011",
        "2016-13",    "2016-00",     "2016- 1",     "2016-+1",     "0x10-01-01", "2016-01-01\n",
        "2016x01-01", "2016-01x01",
    };
    int ok = 1;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int32_t d = 4242;
        if (es_date_parse(bad[i], &d) == 0 || d != 4242) {
            printf("# accepted or changed the output: \"%s\"\n", bad[i]);
            ok = 0;
        }
    }
    CHECK(ok, "parse_rejects_malformed_and_impossible_dates_and_leaves_the_output_alone");
}

static void test_format(void)
{
    char buf[16];
    memset(buf, 'x', sizeof buf);
    es_date_format(es_date_days(2016, 2, 29), buf);
    CHECK(!strcmp(buf, "2016-02-29"), "format_zero_pads_month_and_day");
    es_date_format(es_date_days(1900, 1, 1), buf);
    CHECK(!strcmp(buf, "1900-01-01"), "format_range_start");
    int ok = 1;
    for (int32_t z = es_date_days(1900, 1, 1); z <= es_date_days(2200, 12, 31); z += 7) {
        int32_t back = 0;
        es_date_format(z, buf);
        ok &= strlen(buf) == 10 && es_date_parse(buf, &back) == 0 && back == z;
    }
    CHECK(ok, "format_then_parse_round_trips_every_week_1900_to_2200");
}

static void test_months(void)
{
    CHECK(es_date_month_index(es_date_days(2017, 1, 1)) -
                  es_date_month_index(es_date_days(2016, 12, 31)) ==
              1,
          "month_index_steps_by_one_across_a_year_end");
    CHECK(es_date_month_index(es_date_days(2016, 2, 1)) ==
              es_date_month_index(es_date_days(2016, 2, 29)),
          "month_index_is_the_same_on_the_first_and_last_day_of_a_month");
    CHECK(es_date_month_index(es_date_days(2018, 9, 30)) -
                  es_date_month_index(es_date_days(2015, 7, 1)) ==
              38,
          "month_index_difference_counts_months_2015_07_to_2018_09");
    CHECK(es_date_month_index(es_date_days(2016, 5, 17)) == 2016 * 12 + 4,
          "month_index_is_year_times_12_plus_month_minus_1");
    int ok = 1, prev = es_date_month_index(es_date_days(1900, 1, 1));
    for (int32_t z = es_date_days(1900, 1, 2); z <= es_date_days(2200, 12, 31); z++) {
        int y, m, d, k = es_date_month_index(z);
        es_date_civil(z, &y, &m, &d);
        ok &= k == (d == 1 ? prev + 1 : prev);
        prev = k;
    }
    CHECK(ok, "month_index_steps_exactly_on_the_first_of_each_month");
}

static void test_fiscal_years(void)
{
    CHECK(es_date_fiscal_year(es_date_days(2017, 9, 30)) == 2017 &&
              es_date_fiscal_year(es_date_days(2017, 10, 1)) == 2018,
          "fiscal_year_starts_on_1_october");
    CHECK(es_date_fiscal_year(es_date_days(2017, 12, 31)) == 2018 &&
              es_date_fiscal_year(es_date_days(2018, 1, 1)) == 2018,
          "fiscal_year_spans_the_calendar_year_end");
    CHECK(es_date_fiscal_year(es_date_days(2016, 2, 29)) == 2016, "fiscal_year_of_a_leap_day");
    /* Every FY 1901..2200 has 365 or 366 days, 366 exactly when its
     * February (in calendar year FY) has 29. */
    int ok = 1;
    for (int fy = 1901; fy <= 2200; fy++) {
        int32_t a = es_date_days(fy - 1, 10, 1), b = es_date_days(fy, 9, 30);
        ok &= es_date_fiscal_year(a) == fy && es_date_fiscal_year(b) == fy &&
              es_date_fiscal_year(a - 1) == fy - 1 && es_date_fiscal_year(b + 1) == fy + 1 &&
              b - a + 1 == (is_leap(fy) ? 366 : 365);
    }
    CHECK(ok, "every_fiscal_year_1901_to_2200_runs_1_october_to_30_september");
}

int main(void)
{
    test_anchors();
    test_walk();
    test_parse_valid();
    test_parse_invalid();
    test_format();
    test_months();
    test_fiscal_years();
    return TEST_END();
}
