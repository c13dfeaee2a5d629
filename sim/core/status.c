#include "status.h"

const char *es_status_str(es_status s)
{
    switch (s) {
    case ES_OK: return "success";
    case ES_ERR_NOMEM: return "out of memory";
    case ES_ERR_IO: return "input/output error";
    case ES_ERR_HDF5: return "HDF5 error";
    case ES_ERR_MODEL: return "model invariant failed";
    case ES_ERR_CONFIG: return "invalid configuration";
    case ES_ERR_USAGE: return "bad usage";
    case ES_ERR_INPUT: return "invalid input file";
    case ES_ERR_EXISTS: return "output exists";
    case ES_ERR_INTERRUPTED: return "interrupted";
    }
    return "unknown status";
}

int es_status_exit_code(es_status s)
{
    switch (s) {
    case ES_OK: return 0;
    case ES_ERR_CONFIG:
    case ES_ERR_USAGE:
    case ES_ERR_INPUT:
    case ES_ERR_EXISTS: return 2;
    case ES_ERR_INTERRUPTED: return 130;
    default: return 1;
    }
}
