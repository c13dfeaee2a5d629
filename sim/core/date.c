#include "date.h"
#include <ctype.h>
#include <stdio.h>
#include <string.h>

/* Howard Hinnant's days_from_civil / civil_from_days: exact for all int32 ranges we use. */
int32_t es_date_days(int y, int m, int d)
{
    y -= m <= 2;
    int era = (y >= 0 ? y : y - 399) / 400;
    int yoe = y - era * 400;
    int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (int32_t)(era * 146097 + doe - 719468);
}

void es_date_civil(int32_t z, int *y, int *m, int *d)
{
    z += 719468;
    int32_t era = (z >= 0 ? z : z - 146096) / 146097;
    int32_t doe = z - era * 146097;
    int32_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int32_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int32_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

static int days_in_month(int y, int m)
{
    static const int dm[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 ? 28 + leap : dm[m - 1];
}

int es_date_parse(const char *s, int32_t *days)
{
    int y, m, d = 1, n = 0;
    size_t len = strlen(s);
    /* Digits and the dashes only: %d alone would take " 1" and "+1". */
    for (size_t i = 0; i < len; i++)
        if (i == 4 || i == 7 ? s[i] != '-' : !isdigit((unsigned char)s[i])) return -1;
    if (len == 10) {
        if (sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 || n != 10) return -1;
    } else if (len == 7) {
        if (sscanf(s, "%4d-%2d%n", &y, &m, &n) != 2 || n != 7) return -1;
    } else {
        return -1;
    }
    if (y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m)) return -1;
    *days = es_date_days(y, m, d);
    return 0;
}

void es_date_format(int32_t days, char *buf)
{
    int y, m, d;
    es_date_civil(days, &y, &m, &d);
    /* Format in room enough for any int, then keep the 10 characters of a
     * date of years 0-9999 (the compiler cannot see that range). */
    char tmp[48];
    snprintf(tmp, sizeof tmp, "%04d-%02d-%02d", y % 10000, m % 100, d % 100);
    memcpy(buf, tmp, 10);
    buf[10] = '\0';
}

int es_date_month_index(int32_t days)
{
    int y, m, d;
    es_date_civil(days, &y, &m, &d);
    return y * 12 + (m - 1);
}

int es_date_fiscal_year(int32_t days)
{
    int y, m, d;
    es_date_civil(days, &y, &m, &d);
    return m >= 10 ? y + 1 : y;
}
