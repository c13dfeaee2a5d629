/* period.c: --period FY2018 / CY2018 against the years a result file holds,
 * for compare and sensitivity (cli.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"

int cli_parse_period(const char *cmd, const char *path, const char *text, const int *fy, int n_fy,
                     const int *cy, int n_cy, cli_period *p)
{
    char *end;
    size_t len = strlen(text);
    int fiscal =
        len >= 3 && (text[0] == 'F' || text[0] == 'f') && (text[1] == 'Y' || text[1] == 'y');
    int calendar =
        len >= 3 && (text[0] == 'C' || text[0] == 'c') && (text[1] == 'Y' || text[1] == 'y');
    long y = 0;
    if (fiscal || calendar) {
        errno = 0;
        y = strtol(text + 2, &end, 10);
        if (errno || *end || end == text + 2) fiscal = calendar = 0;
    }
    if (!fiscal && !calendar) {
        cli_error("%s: --period '%s': write FY2018 (fiscal year) or CY2018 (calendar year)", cmd,
                  text);
        return 2;
    }
    const int *years = fiscal ? fy : cy, n = fiscal ? n_fy : n_cy;
    for (int i = 0; i < n; i++)
        if (years[i] == y) {
            p->fiscal = fiscal;
            p->index = i;
            return 0;
        }
    /* Name what the file has: a range, or none (not "FY0 to FY0"). */
    char fys[64] = "no fiscal year", cys[64] = "no calendar year";
    if (n_fy) snprintf(fys, sizeof fys, "fiscal years FY%d to FY%d", fy[0], fy[n_fy - 1]);
    if (n_cy) snprintf(cys, sizeof cys, "calendar years CY%d to CY%d", cy[0], cy[n_cy - 1]);
    cli_error("%s: --period '%s': not in %s (%s and %s after the warm-up)", cmd, text, path, fys,
              cys);
    return 2;
}
