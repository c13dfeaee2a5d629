/* testlib.h: minimal PASS/FAIL helpers shared by the C unit tests.
 * Each test program prints one line per check ("PASS name" / "FAIL name: why")
 * and returns the number of failures; tests/run.sh adds them up. */
#ifndef ES_TESTLIB_H
#define ES_TESTLIB_H
#include <math.h>
#include <stdio.h>

static int t_pass, t_fail;

#define CHECK(cond, name)                                                     \
    do {                                                                      \
        if (cond) {                                                           \
            t_pass++;                                                         \
            printf("PASS %s\n", name);                                        \
        } else {                                                              \
            t_fail++;                                                         \
            printf("FAIL %s (%s:%d: %s)\n", name, __FILE__, __LINE__, #cond); \
        }                                                                     \
    } while (0)

/* Relative closeness, with an absolute floor for values near zero. */
static inline int t_close(double a, double b, double rel)
{
    double m = fabs(a) > fabs(b) ? fabs(a) : fabs(b);
    return fabs(a - b) <= rel * (m > 1e-300 ? m : 1.0);
}

#define TEST_END() (printf("# %d passed, %d failed\n", t_pass, t_fail), t_fail ? 1 : 0)

#endif
