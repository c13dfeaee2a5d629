/* journal.c: the unit journal (format and guarantees in journal.h). */
#define _GNU_SOURCE /* O_NOFOLLOW, O_CLOEXEC, fdatasync */
#include "journal.h"
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "../core/fault.h"
#include "../core/hash.h"
#include "../core/mem.h"
#include "fsdir.h"

#define MAGIC_HEADER    "ESJRNL01"
#define MAGIC_RECORD    "UNITREC1"
#define BYTE_ORDER_MARK 0x0102030405060708u
#define HEADER_FIXED    32          /* magic, mark, payload length, identity length */
#define MAX_IDENTITY    (64u << 20) /* a config is kilobytes; this bounds a damaged length */
#define MAX_PAYLOAD     (1u << 28)

struct es_journal {
    int fd;
    char *path;
    size_t payload; /* doubles per record */
    size_t rec_size;
    off_t data_start, end; /* first record; where the next one goes */
    off_t *where;          /* [n_where] record offset by unit, -1 none */
    int64_t n_where;
    int64_t replayable, damaged, torn, appended, unsynced;
    double last_sync;
    unsigned char *buf; /* one record, for appends (under mu) */
    pthread_mutex_t mu;
};

static void set_err(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Whole reads and writes at an offset; a short read (end of file) is n_done < n. */
static ssize_t pread_all(int fd, void *buf, size_t n, off_t off)
{
    size_t done = 0;
    while (done < n) {
        ssize_t k = pread(fd, (char *)buf + done, n - done, off + (off_t)done);
        if (k < 0 && errno == EINTR) continue;
        if (k < 0) return -1;
        if (k == 0) break;
        done += (size_t)k;
    }
    return (ssize_t)done;
}

static int pwrite_all(int fd, const void *buf, size_t n, off_t off)
{
    size_t done = 0;
    while (done < n) {
        ssize_t k = pwrite(fd, (const char *)buf + done, n - done, off + (off_t)done);
        if (k < 0 && errno == EINTR) continue;
        if (k < 0) return -1;
        done += (size_t)k;
    }
    return 0;
}

/* Makes a new or removed name in path's folder durable. */
static int fsync_dir_of(const char *path)
{
    char *dir = es_dir_of(path);
    if (!dir) return errno = ENOMEM, -1; /* callers report errno */
    int rc = es_fsync_dir(dir);
    free(dir);
    return rc;
}

static es_journal *journal_new(const char *path, size_t payload)
{
    es_journal *j = es_calloc(1, sizeof *j);
    if (!j) return NULL;
    j->fd = -1;
    j->payload = payload;
    j->rec_size = 32 + 8 * payload;
    j->path = es_strdup(path);
    j->buf = es_malloc(j->rec_size);
    if (!j->path || !j->buf || pthread_mutex_init(&j->mu, NULL) != 0) {
        free(j->path);
        free(j->buf);
        free(j);
        return NULL;
    }
    j->last_sync = now_s();
    return j;
}

static void journal_free(es_journal *j)
{
    if (!j) return;
    if (j->fd >= 0) close(j->fd);
    pthread_mutex_destroy(&j->mu);
    free(j->where);
    free(j->buf);
    free(j->path);
    free(j);
}

static uint64_t record_sum(const unsigned char *rec, size_t payload)
{
    return es_fnv1a(ES_FNV_OFFSET, rec + 8, 16 + 8 * payload);
}

/* Refuses a path that exists and is not a regular file: a folder, a FIFO
 * (whose read would block) or a device is no journal, and a symbolic link
 * is never followed. ES_OK when it is absent or regular. */
static es_status check_kind(const char *path, char *err, size_t errlen)
{
    struct stat sb;
    if (lstat(path, &sb) != 0 || S_ISREG(sb.st_mode)) return ES_OK;
    const char *kind = S_ISLNK(sb.st_mode)    ? "a symbolic link (never followed)"
                       : S_ISDIR(sb.st_mode)  ? "a folder"
                       : S_ISFIFO(sb.st_mode) ? "a FIFO (named pipe)"
                                              : "a device or socket";
    set_err(err, errlen, "journal %s is %s, not a journal file; remove it or choose another -o",
            path, kind);
    return ES_ERR_USAGE;
}

es_status es_journal_create(const char *path, const char *identity, size_t payload,
                            es_journal **out, char *err, size_t errlen)
{
    *out = NULL;
    size_t L = strlen(identity);
    if (payload == 0 || payload > MAX_PAYLOAD || L > MAX_IDENTITY) {
        set_err(err, errlen, "cannot create journal %s: record size out of range", path);
        return ES_ERR_INPUT;
    }
    es_journal *j = journal_new(path, payload);
    size_t hlen = HEADER_FIXED + L + 8;
    unsigned char *h = es_malloc(hlen);
    if (!j || !h) {
        journal_free(j);
        free(h);
        set_err(err, errlen, "cannot create journal %s: out of memory", path);
        return ES_ERR_NOMEM;
    }
    uint64_t mark = BYTE_ORDER_MARK, P = payload, LL = L;
    memcpy(h, MAGIC_HEADER, 8);
    memcpy(h + 8, &mark, 8);
    memcpy(h + 16, &P, 8);
    memcpy(h + 24, &LL, 8);
    memcpy(h + 32, identity, L);
    uint64_t sum = es_fnv1a(ES_FNV_OFFSET, h, HEADER_FIXED + L);
    memcpy(h + HEADER_FIXED + L, &sum, 8);

    es_status st = ES_ERR_IO;
    j->fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
    if (j->fd < 0) {
        int e = errno;
        if (e == EEXIST && (st = check_kind(path, err, errlen)) != ES_OK) {
            free(h);
            journal_free(j);
            return st;
        }
        if (e == EEXIST)
            set_err(
                err, errlen,
                "%s exists: the journal of an interrupted run; add --resume to finish that run, or "
                "delete it to start over",
                path);
        else
            set_err(err, errlen, "cannot create journal %s: %s", path, strerror(e));
        st = e == EEXIST ? ES_ERR_EXISTS : ES_ERR_IO;
        free(h);
        journal_free(j);
        return st;
    }
    if (pwrite_all(j->fd, h, hlen, 0) != 0 || fdatasync(j->fd) != 0 || fsync_dir_of(path) != 0) {
        int e = errno;
        set_err(err, errlen, "cannot write journal %s: %s", path,
                e == ENOMEM ? "out of memory" : strerror(e));
        close(j->fd);
        j->fd = -1;
        unlink(path);
        free(h);
        journal_free(j);
        return e == ENOMEM ? ES_ERR_NOMEM : ES_ERR_IO;
    }
    free(h);
    j->data_start = j->end = (off_t)hlen;
    *out = j;
    es_fault_point("journal_created", 0);
    return ES_OK;
}

/* The first line where a and b differ, as "name: journal has X, this run
 * has Y". Identity lines are "key=value"; after a line "config:" they are
 * the config text, reported by line number. */
static void describe_difference(const char *a, size_t alen, const char *b, char *out, size_t outlen)
{
    size_t blen = strlen(b), i = 0, k = 0;
    int line = 0, in_config = 0;
    for (;;) {
        size_t ie = i, ke = k;
        while (ie < alen && a[ie] != '\n') ie++;
        while (ke < blen && b[ke] != '\n') ke++;
        int a_end = i >= alen, b_end = k >= blen;
        if (a_end && b_end) break;
        if (a_end || b_end || ie - i != ke - k || memcmp(a + i, b + k, ie - i) != 0) {
            const char *la = a + i, *lb = b + k;
            int na = (int)(ie - i), nb = (int)(ke - k);
            if (!in_config) {
                const char *eq = memchr(lb, '=', (size_t)nb);
                int key = eq ? (int)(eq - lb) : nb;
                if (!a_end && eq && na > key && !memcmp(la, lb, (size_t)key + 1))
                    snprintf(out, outlen, "%.*s: the journal has %.*s, this run has %.*s", key, lb,
                             na - key - 1 > 60 ? 60 : na - key - 1, la + key + 1,
                             nb - key - 1 > 60 ? 60 : nb - key - 1, lb + key + 1);
                else
                    snprintf(out, outlen, "the journal has '%.*s', this run has '%.*s'",
                             na > 60 ? 60 : na, la, nb > 60 ? 60 : nb, lb);
            } else {
                snprintf(out, outlen, "config line %d: the journal has '%.*s', this run has '%.*s'",
                         line, na > 60 ? 60 : na, a_end ? "" : la, nb > 60 ? 60 : nb,
                         b_end ? "" : lb);
            }
            return;
        }
        if (in_config) line++;
        if (ie - i == 7 && !memcmp(a + i, "config:", 7)) in_config = 1, line = 1;
        i = ie + 1;
        k = ke + 1;
    }
    snprintf(out, outlen, "the identities differ");
}

es_status es_journal_open(const char *path, const char *identity, size_t payload, int64_t n_units,
                          es_journal **out, char *err, size_t errlen)
{
    *out = NULL;
    es_status st = check_kind(path, err, errlen);
    if (st != ES_OK) return st;
    es_journal *j = journal_new(path, payload);
    char *stored = NULL;
    unsigned char fixed[HEADER_FIXED];
    struct stat sb;
    st = ES_ERR_INPUT;
    if (!j) {
        set_err(err, errlen, "cannot open journal %s: out of memory", path);
        return ES_ERR_NOMEM;
    }
    /* O_NONBLOCK: a FIFO put there since check_kind must not block us. */
    if ((j->fd = open(path, O_RDWR | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)) < 0) {
        st = errno == ELOOP ? check_kind(path, err, errlen) : ES_OK;
        if (st == ES_OK) {
            set_err(err, errlen, "cannot open journal %s: %s", path, strerror(errno));
            st = errno == ENOENT ? ES_ERR_INPUT : ES_ERR_IO;
        }
        goto fail;
    }
    if (fstat(j->fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        set_err(err, errlen, "journal %s is not a regular file; remove it or choose another -o",
                path);
        st = ES_ERR_USAGE;
        goto fail;
    }
    /* One slot per unit of this run: a record naming any other unit is
     * damage, and cannot make the index grow. */
    if (n_units <= 0 || !(j->where = es_reallocarray(NULL, (size_t)n_units, sizeof *j->where))) {
        set_err(err, errlen, "cannot open journal %s: out of memory", path);
        st = ES_ERR_NOMEM;
        goto fail;
    }
    for (int64_t i = 0; i < n_units; i++) j->where[i] = -1;
    j->n_where = n_units;
    ssize_t got = pread_all(j->fd, fixed, sizeof fixed, 0);
    if (got < 0) {
        set_err(err, errlen, "cannot read journal %s: %s", path, strerror(errno));
        st = ES_ERR_IO;
        goto fail;
    }
    uint64_t mark, P, L, sum, want;
    if (got < (ssize_t)sizeof fixed || memcmp(fixed, MAGIC_HEADER, 8) != 0) {
        set_err(err, errlen, "%s is not an enforcesim journal (delete it, or give the right -o)",
                path);
        goto fail;
    }
    memcpy(&mark, fixed + 8, 8);
    memcpy(&P, fixed + 16, 8);
    memcpy(&L, fixed + 24, 8);
    if (mark != BYTE_ORDER_MARK) {
        set_err(err, errlen,
                "journal %s was written on a machine of another byte order; resume it there", path);
        goto fail;
    }
    if (L > MAX_IDENTITY || !(stored = es_malloc((size_t)L + 8))) {
        set_err(err, errlen, "journal %s has a damaged header (delete it to start over)", path);
        goto fail;
    }
    got = pread_all(j->fd, stored, (size_t)L + 8, HEADER_FIXED);
    if (got != (ssize_t)L + 8) {
        set_err(err, errlen, "journal %s has a damaged header (delete it to start over)", path);
        goto fail;
    }
    memcpy(&sum, stored + L, 8);
    want = es_fnv1a(es_fnv1a(ES_FNV_OFFSET, fixed, sizeof fixed), stored, (size_t)L);
    if (sum != want) {
        set_err(err, errlen, "journal %s has a damaged header (checksum); delete it to start over",
                path);
        goto fail;
    }
    if (L != strlen(identity) || memcmp(stored, identity, (size_t)L) != 0) {
        char diff[400];
        describe_difference(stored, (size_t)L, identity, diff, sizeof diff);
        set_err(err, errlen,
                "--resume: %s belongs to another run (%s); resume with the same config, seed and "
                "options, or delete the journal to start over",
                path, diff);
        goto fail;
    }
    if (P != payload) {
        set_err(err, errlen,
                "--resume: %s holds records of %llu values, this run needs %zu; delete it to start "
                "over",
                path, (unsigned long long)P, payload);
        goto fail;
    }
    j->data_start = (off_t)(HEADER_FIXED + L + 8);

    /* Scan the records; cut everything after the last valid one. */
    off_t off = j->data_start, good_end = j->data_start;
    int64_t invalid_since_good = 0;
    for (;;) {
        got = pread_all(j->fd, j->buf, j->rec_size, off);
        if (got < 0) {
            set_err(err, errlen, "cannot read journal %s: %s", path, strerror(errno));
            st = ES_ERR_IO;
            goto fail;
        }
        if (got < (ssize_t)j->rec_size) break;
        int64_t unit;
        memcpy(&unit, j->buf + 8, 8);
        memcpy(&sum, j->buf + j->rec_size - 8, 8);
        if (memcmp(j->buf, MAGIC_RECORD, 8) == 0 && sum == record_sum(j->buf, payload)) {
            if (unit < 0 || unit >= n_units) {
                /* A valid checksum on a unit this run does not have: not
                 * a torn write but a journal of something else. */
                set_err(err, errlen,
                        "journal %s is damaged: record %lld (at byte %lld) names unit %lld, "
                        "outside this run's %lld units; delete it to start over",
                        path, (long long)((off - j->data_start) / (off_t)j->rec_size),
                        (long long)off, (long long)unit, (long long)n_units);
                goto fail;
            }
            int fresh = j->where[unit] < 0;
            if (fresh) j->where[unit] = off; /* the first valid record wins */
            j->replayable += fresh;
            j->damaged += invalid_since_good;
            invalid_since_good = 0;
            good_end = off + (off_t)j->rec_size;
        } else {
            invalid_since_good++;
        }
        off += (off_t)j->rec_size;
    }
    if (fstat(j->fd, &sb) != 0) {
        set_err(err, errlen, "cannot read journal %s: %s", path, strerror(errno));
        st = ES_ERR_IO;
        goto fail;
    }
    if (sb.st_size > good_end) {
        j->torn = (int64_t)(sb.st_size - good_end);
        if (ftruncate(j->fd, good_end) != 0 || fdatasync(j->fd) != 0) {
            set_err(err, errlen, "cannot cut the damaged tail of journal %s: %s", path,
                    strerror(errno));
            st = ES_ERR_IO;
            goto fail;
        }
    }
    j->end = good_end;
    free(stored);
    *out = j;
    return ES_OK;
fail:
    free(stored);
    journal_free(j);
    return st;
}

int64_t es_journal_replayable(const es_journal *j)
{
    return j->replayable;
}
int64_t es_journal_damaged(const es_journal *j)
{
    return j->damaged;
}
int64_t es_journal_torn_bytes(const es_journal *j)
{
    return j->torn;
}
int64_t es_journal_appended(const es_journal *j)
{
    return j->appended;
}

int es_journal_read(es_journal *j, int64_t unit, double *payload, uint64_t *events, char *err,
                    size_t errlen)
{
    if (unit < 0 || unit >= j->n_where || j->where[unit] < 0) return 0;
    unsigned char *rec = es_malloc(j->rec_size);
    if (!rec) {
        set_err(err, errlen, "cannot read journal %s: out of memory", j->path);
        return -1;
    }
    int rc = -1;
    uint64_t sum;
    int64_t stored;
    ssize_t got = pread_all(j->fd, rec, j->rec_size, j->where[unit]);
    if (got != (ssize_t)j->rec_size) {
        set_err(err, errlen, "cannot read journal %s: %s", j->path,
                got < 0 ? strerror(errno) : "record cut short");
        goto out;
    }
    memcpy(&stored, rec + 8, 8);
    memcpy(&sum, rec + j->rec_size - 8, 8);
    if (memcmp(rec, MAGIC_RECORD, 8) != 0 || stored != unit || sum != record_sum(rec, j->payload)) {
        set_err(err, errlen,
                "journal %s changed while the run read it (unit %lld); run again with --resume",
                j->path, (long long)unit);
        goto out;
    }
    memcpy(events, rec + 16, 8);
    memcpy(payload, rec + 24, 8 * j->payload);
    rc = 1;
out:
    free(rec);
    return rc;
}

static es_status sync_locked(es_journal *j, char *err, size_t errlen)
{
    if (j->unsynced == 0) return ES_OK;
    if (fdatasync(j->fd) != 0) {
        set_err(err, errlen, "cannot sync journal %s: %s", j->path, strerror(errno));
        return ES_ERR_IO;
    }
    j->unsynced = 0;
    j->last_sync = now_s();
    return ES_OK;
}

es_status es_journal_append(es_journal *j, int64_t unit, const double *payload, uint64_t events,
                            char *err, size_t errlen)
{
    es_status st = ES_OK;
    pthread_mutex_lock(&j->mu);
    memcpy(j->buf, MAGIC_RECORD, 8);
    memcpy(j->buf + 8, &unit, 8);
    memcpy(j->buf + 16, &events, 8);
    memcpy(j->buf + 24, payload, 8 * j->payload);
    uint64_t sum = record_sum(j->buf, j->payload);
    memcpy(j->buf + j->rec_size - 8, &sum, 8);
    if (pwrite_all(j->fd, j->buf, j->rec_size, j->end) != 0) {
        int e = errno;
        /* Leave no torn record behind us if we can; --resume would cut it anyway. */
        if (ftruncate(j->fd, j->end) != 0) { /* the scan on resume handles it */
        }
        set_err(err, errlen, "cannot append to journal %s: %s", j->path, strerror(e));
        st = ES_ERR_IO;
    } else {
        j->end += (off_t)j->rec_size;
        j->appended++;
        j->unsynced++;
        if (j->unsynced >= ES_JOURNAL_SYNC_UNITS ||
            now_s() - j->last_sync >= ES_JOURNAL_SYNC_SECONDS)
            st = sync_locked(j, err, errlen);
    }
    int64_t k = j->appended;
    pthread_mutex_unlock(&j->mu);
    if (st == ES_OK) es_fault_point("unit_journaled", (long)k);
    return st;
}

es_status es_journal_sync(es_journal *j, char *err, size_t errlen)
{
    pthread_mutex_lock(&j->mu);
    es_status st = sync_locked(j, err, errlen);
    pthread_mutex_unlock(&j->mu);
    return st;
}

void es_journal_close(es_journal *j)
{
    if (!j) return;
    if (j->unsynced)
        fdatasync(j->fd); /* best effort: errors were the caller's to see via es_journal_sync */
    journal_free(j);
}

es_status es_journal_remove(const char *path, char *err, size_t errlen)
{
    if (unlink(path) != 0 && errno != ENOENT) {
        set_err(err, errlen, "cannot remove journal %s: %s", path, strerror(errno));
        return ES_ERR_IO;
    }
    if (fsync_dir_of(path) != 0) {
        int e = errno;
        set_err(err, errlen, "cannot sync the folder of %s: %s", path,
                e == ENOMEM ? "out of memory" : strerror(e));
        return e == ENOMEM ? ES_ERR_NOMEM : ES_ERR_IO;
    }
    return ES_OK;
}
