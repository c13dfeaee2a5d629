/* mpi_main.c: `enforcesim-mpi run ...` (make MPI=1), the MPI mode of
 * docs/cluster.md (MPI): one process per rank; rank 0 is `run` as usual (command
 * line, config, journal, --resume, signals, the one output file), except
 * that its worker threads do not compute units: each forwards its unit to
 * a free worker rank and waits for the monthly series. So units are handed
 * out dynamically (whichever rank is free takes the next one), rank 0 is
 * the only writer, and the data are those of a serial run: a unit's result
 * is a pure function of (scenario, point, replication), whoever computes it.
 *
 * Workers do not read the command line or the config: rank 0 broadcasts
 * its plan (experiment/run.h es_plan_pack) once it is made, or an empty one
 * when it refused the command line or config. A worker without a plan
 * still answers every unit, with the reason, so rank 0 reports it instead
 * of waiting. Workers ignore SIGINT, SIGTERM, SIGHUP and SIGUSR1 (mpirun forwards
 * them): rank 0 decides when to stop, finishes the units in flight,
 * journals them and then releases the workers.
 *
 * A worker that dies makes mpirun end the job; the units completed before
 * are in the journal, and `--resume` continues (with any number of ranks,
 * or without MPI). Needs MPI_THREAD_MULTIPLE (Open MPI has it).
 *
 * Messages, all on MPI_COMM_WORLD:
 *   rank 0 -> all     broadcast int64 n, then n bytes: the plan (n 0: none)
 *   rank 0 -> worker  TAG_UNIT  int64[2] {unit, values expected}
 *                     TAG_STOP  empty: exit
 *   worker -> rank 0  TAG_HEAD  int64[3] {status, events, n}
 *                     TAG_DATA  n doubles (status ES_OK) or n chars (the error) */
#include <mpi.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <gsl/gsl_errno.h>
#include "../core/mem.h"
#include "cli.h"

enum { TAG_UNIT = 1, TAG_STOP, TAG_HEAD, TAG_DATA };

/* Rank 0: which worker ranks are free. */
typedef struct {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int *free_ranks, n_free;
    int plan_sent; /* the broadcast of the plan happened */
} manager;

/* Broadcasts the plan (NULL: none) from rank 0; the workers wait in
 * receive_plan. A plan that cannot be packed goes as none: the workers
 * then answer every unit with an error, which rank 0 reports. */
static void send_plan(manager *m, const es_plan *pl)
{
    unsigned char *buf = NULL;
    size_t len = 0;
    char err[256];
    if (pl && (es_plan_pack(pl, &buf, &len, err, sizeof err) != ES_OK || len > INT_MAX)) len = 0;
    int64_t n = (int64_t)len;
    MPI_Bcast(&n, 1, MPI_INT64_T, 0, MPI_COMM_WORLD);
    if (n > 0) MPI_Bcast(buf, (int)n, MPI_BYTE, 0, MPI_COMM_WORLD);
    free(buf);
    m->plan_sent = 1;
}

static void on_planned(void *ctx, const es_plan *pl)
{
    send_plan(ctx, pl);
}

/* A worker: the plan rank 0 broadcast; 0 and a message in why when there is none. */
static int receive_plan(es_plan *pl, char *why, size_t whylen)
{
    int64_t n = 0;
    memset(pl, 0, sizeof *pl);
    MPI_Bcast(&n, 1, MPI_INT64_T, 0, MPI_COMM_WORLD);
    if (n <= 0) {
        snprintf(why, whylen, "rank 0 made no plan (bad command line or config)");
        return 0;
    }
    unsigned char *buf = es_malloc((size_t)n);
    if (!buf) {
        /* The broadcast cannot be taken part in without the buffer, and
         * rank 0 would wait for this rank forever. */
        fprintf(stderr, "enforcesim: MPI worker out of memory receiving the plan\n");
        MPI_Abort(MPI_COMM_WORLD, 1);
        return 0;
    }
    MPI_Bcast(buf, (int)n, MPI_BYTE, 0, MPI_COMM_WORLD);
    es_status st = es_plan_unpack(buf, (size_t)n, pl, why, whylen);
    free(buf);
    return st == ES_OK;
}

static es_status manager_run_unit(void *ctx, int64_t g, double *monthly, size_t n_values,
                                  uint64_t *events, char *err, size_t errlen)
{
    manager *m = ctx;
    pthread_mutex_lock(&m->mu);
    while (m->n_free == 0) pthread_cond_wait(&m->cv, &m->mu);
    int rank = m->free_ranks[--m->n_free];
    pthread_mutex_unlock(&m->mu);

    es_status st = ES_OK;
    int64_t unit[2] = {g, (int64_t)n_values}, head[3];
    if (MPI_Send(unit, 2, MPI_INT64_T, rank, TAG_UNIT, MPI_COMM_WORLD) != MPI_SUCCESS ||
        MPI_Recv(head, 3, MPI_INT64_T, rank, TAG_HEAD, MPI_COMM_WORLD, MPI_STATUS_IGNORE) !=
            MPI_SUCCESS) {
        snprintf(err, errlen, "MPI: lost contact with worker rank %d", rank);
        st = ES_ERR_IO;
    } else if (head[0] == ES_OK && head[2] != (int64_t)n_values) {
        /* Not the same build or config: never store a unit of another shape. */
        double *skip = es_malloc((size_t)(head[2] > 0 ? head[2] : 1) * sizeof *skip);
        MPI_Recv(skip, (int)head[2], MPI_DOUBLE, rank, TAG_DATA, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        free(skip);
        snprintf(
            err, errlen,
            "MPI rank %d computed %lld values for unit %lld, rank 0 expects %zu: are all ranks the "
            "same build?",
            rank, (long long)head[2], (long long)g, n_values);
        st = ES_ERR_MODEL;
    } else if (head[0] == ES_OK) {
        if (MPI_Recv(monthly, (int)head[2], MPI_DOUBLE, rank, TAG_DATA, MPI_COMM_WORLD,
                     MPI_STATUS_IGNORE) != MPI_SUCCESS) {
            snprintf(err, errlen, "MPI: lost contact with worker rank %d", rank);
            st = ES_ERR_IO;
        }
        *events = (uint64_t)head[1];
    } else {
        char msg[512] = "";
        int n = head[2] < (int64_t)sizeof msg - 1 ? (int)head[2] : (int)sizeof msg - 1;
        MPI_Recv(msg, n, MPI_CHAR, rank, TAG_DATA, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        msg[n] = '\0';
        snprintf(err, errlen, "on MPI rank %d: %s", rank, msg);
        st = (es_status)head[0];
    }
    pthread_mutex_lock(&m->mu);
    m->free_ranks[m->n_free++] = rank;
    pthread_cond_signal(&m->cv);
    pthread_mutex_unlock(&m->mu);
    return st;
}

/* A worker: answer units until TAG_STOP. */
static int worker_serve(const es_unit_space *us, const char *load_error)
{
    double *buf = NULL;
    size_t cap = 0;
    es_params *scratch = es_calloc(1, sizeof *scratch);
    for (;;) {
        int64_t unit[2];
        MPI_Status status;
        if (MPI_Recv(unit, 2, MPI_INT64_T, 0, MPI_ANY_TAG, MPI_COMM_WORLD, &status) != MPI_SUCCESS)
            break;
        if (status.MPI_TAG == TAG_STOP) break;
        char err[512] = "";
        es_status st = ES_OK;
        uint64_t events = 0;
        size_t n = 0;
        if (!us || unit[0] < 0) {
            snprintf(err, sizeof err, "%s", load_error ? load_error : "a negative unit number");
            st = ES_ERR_CONFIG;
        } else {
            n = es_unit_values(us, unit[0]);
            if (n > cap) {
                free(buf);
                cap = n;
                if (!(buf = es_malloc(cap * sizeof *buf))) cap = 0;
            }
            if (!buf || !scratch) {
                snprintf(err, sizeof err, "out of memory for a unit's results");
                st = ES_ERR_NOMEM;
            } else {
                st = es_unit_compute(us, unit[0], scratch, buf, &events, err, sizeof err);
            }
        }
        int64_t head[3] = {st, (int64_t)events, st == ES_OK ? (int64_t)n : (int64_t)strlen(err)};
        MPI_Send(head, 3, MPI_INT64_T, 0, TAG_HEAD, MPI_COMM_WORLD);
        if (st == ES_OK)
            MPI_Send(buf, (int)n, MPI_DOUBLE, 0, TAG_DATA, MPI_COMM_WORLD);
        else
            MPI_Send(err, (int)head[2], MPI_CHAR, 0, TAG_DATA, MPI_COMM_WORLD);
    }
    free(buf);
    free(scratch);
    return 0;
}

int main(int argc, char **argv)
{
    int provided = 0, rank = 0, size = 1;
    /* As in main.c: GSL's default handler aborts, which would take the
     * whole job down; every GSL call we make checks its result. */
    gsl_set_error_handler_off();
    if (MPI_Init_thread(&argc, &argv, MPI_THREAD_MULTIPLE, &provided) != MPI_SUCCESS) {
        fprintf(stderr, "enforcesim: MPI_Init_thread failed; start enforcesim-mpi with mpirun\n");
        return 1;
    }
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    if (argc < 2 || strcmp(argv[1], "run") != 0) {
        if (rank == 0)
            fprintf(stderr, "enforcesim: enforcesim-mpi runs one command: mpirun -np N "
                            "enforcesim-mpi run CONFIG "
                            "[options of enforcesim run]; other commands are in enforcesim\n");
        MPI_Finalize();
        return 2;
    }
    if (provided < MPI_THREAD_MULTIPLE) {
        if (rank == 0)
            fprintf(stderr,
                    "enforcesim: this MPI library does not support MPI_THREAD_MULTIPLE, which "
                    "enforcesim-mpi needs; use Open MPI, or Slurm arrays (--shard)\n");
        MPI_Finalize();
        return 1;
    }
    int rc;
    if (size == 1) {
        /* Nobody to hand units to: an ordinary run on threads. */
        rc = cmd_run(argc - 1, argv + 1);
    } else if (rank == 0) {
        manager m;
        memset(&m, 0, sizeof m);
        pthread_mutex_init(&m.mu, NULL);
        pthread_cond_init(&m.cv, NULL);
        if (!(m.free_ranks = es_calloc((size_t)size, sizeof *m.free_ranks))) {
            fprintf(stderr, "enforcesim: out of memory\n");
            MPI_Abort(MPI_COMM_WORLD, 1);
        }
        for (int r = size - 1; r >= 1; r--) m.free_ranks[m.n_free++] = r;
        cli_executor ex = {size - 1, manager_run_unit, on_planned, &m};
        rc = cmd_run_with(argc - 1, argv + 1, &ex);
        if (!m.plan_sent) send_plan(&m, NULL);
        /* Whatever happened (done, bad input, interrupted), release the workers. */
        for (int r = 1; r < size; r++) MPI_Send(NULL, 0, MPI_INT64_T, r, TAG_STOP, MPI_COMM_WORLD);
        free(m.free_ranks);
        pthread_cond_destroy(&m.cv);
        pthread_mutex_destroy(&m.mu);
    } else {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = SIG_IGN;
        sigaction(SIGINT, &sa, NULL);
        sigaction(SIGTERM, &sa, NULL);
        sigaction(SIGUSR1, &sa, NULL);
        sigaction(SIGHUP, &sa, NULL);
        /* Rank 0 says everything about the run; a worker's stderr would
         * repeat its messages (or progress) once per rank. */
        if (!freopen("/dev/null", "w", stderr)) { /* then it repeats them */
        }
        es_plan pl;
        char why[512];
        if (receive_plan(&pl, why, sizeof why)) {
            es_unit_space us;
            es_plan_units(&pl, &us);
            worker_serve(&us, NULL);
        } else {
            worker_serve(NULL, why);
        }
        es_plan_fini(&pl);
        rc = 0;
    }
    MPI_Finalize();
    return rc;
}
