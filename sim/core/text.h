/* text.h: numbers to text and names near a typo, for every message and
 * file the program writes.
 *
 * es_fmt_double is the one way a double becomes text: the shortest of
 * %.15g, %.16g and %.17g that reads back (strtod) to exactly the same
 * double, so effective configs round-trip and messages show no noise
 * digits ("0.1", not "0.10000000000000001"). es_fmt_real adds ".0" where
 * that text would read back as an integer literal (libconfig types "1" as
 * an int). Both write at most ES_FMT_DOUBLE_MAX bytes with the NUL.
 *
 * es_edit_distance is the Levenshtein distance, for "did you mean" hints;
 * es_nearest_name picks such a hint from a short list of names. Pure
 * functions; no allocation. */
#ifndef ES_TEXT_H
#define ES_TEXT_H
#include <stddef.h>

#define ES_FMT_DOUBLE_MAX 32 /* "-1.2345678901234567e-308" and NUL fit */

void es_fmt_double(char *buf, size_t n, double v);
void es_fmt_real(char *buf, size_t n, double v);

/* Levenshtein distance of a and b, each cut to ES_EDIT_CUT characters (the
 * distance is only a hint). */
#define ES_EDIT_CUT 96
int es_edit_distance(const char *a, const char *b);

/* The index of `name` in the NULL-terminated `names`, or -1 with *near set
 * to the closest name when it is close enough to be a typo (distance at
 * most 2 + strlen(name)/4), or else to the one name that contains `name`
 * ("worksite" -> "worksite_enforcement"); *near is NULL when neither. */
int es_nearest_name(const char *const *names, const char *name, const char **near);
/* A typo's score is close enough to suggest when at most this (name = the
 * part the user typed). */
int es_typo_close(int distance, const char *name);

/* Decimals to print a mean and its interval with: enough for the magnitude
 * (counts in the thousands need none, shares three) and for two significant
 * digits of the half-width, so a narrow interval does not print as [x, x].
 * info and report share it, so their tables show the same figures. */
int es_fmt_decimals(double mean, double lo, double hi);

#endif
