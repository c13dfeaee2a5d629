/* status.h: the one enum of environment failures and its messages.
 *
 * Bugs are assertions (check.h); everything the environment or the user can
 * cause (I/O, config, HDF5, memory, parameter values) is an es_status that
 * travels up to the CLI, which maps it to an exit code (docs/cli.md, Exit status and errors). */
#ifndef ES_STATUS_H
#define ES_STATUS_H

typedef enum {
    ES_OK = 0,
    ES_ERR_NOMEM,      /* allocation failed                          -> exit 1 */
    ES_ERR_IO,         /* file system, disk full, permissions        -> exit 1 */
    ES_ERR_HDF5,       /* the HDF5 library refused an operation      -> exit 1 */
    ES_ERR_MODEL,      /* a model invariant failed during a unit     -> exit 1 */
    ES_ERR_CONFIG,     /* invalid configuration or parameter value   -> exit 2 */
    ES_ERR_USAGE,      /* bad command line                           -> exit 2 */
    ES_ERR_INPUT,      /* an input file is missing or of wrong shape -> exit 2 */
    ES_ERR_EXISTS,     /* output exists and --force was not given    -> exit 2 */
    ES_ERR_INTERRUPTED /* stopped by a signal                        -> 130/143 */
} es_status;

const char *es_status_str(es_status s);

/* Exit code (docs/cli.md) for a status (interruptions return 130;
 * the CLI substitutes 143 when the signal was SIGTERM). */
int es_status_exit_code(es_status s);

#endif
