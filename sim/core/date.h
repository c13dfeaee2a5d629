/* date.h: civil dates as day numbers (days since 1970-01-01, proleptic
 * Gregorian), months and U.S. federal fiscal years (FY N = 1 Oct N-1 .. 30 Sep N).
 * Pure functions; no time zones. */
#ifndef ES_DATE_H
#define ES_DATE_H
#include <stdint.h>

int32_t es_date_days(int y, int m, int d);                /* civil -> day number */
void es_date_civil(int32_t days, int *y, int *m, int *d); /* day number -> civil */
/* Parse "YYYY-MM-DD" or "YYYY-MM" (first of month). 0 on success, -1 if malformed or invalid. */
int es_date_parse(const char *s, int32_t *days);
/* Format as "YYYY-MM-DD" into buf (at least 11 bytes). */
void es_date_format(int32_t days, char *buf);
/* Months since year 0 (y*12 + m-1): a linear month index. */
int es_date_month_index(int32_t days);
int es_date_fiscal_year(int32_t days); /* FY of a date */

#endif
