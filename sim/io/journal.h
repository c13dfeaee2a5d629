/* journal.h: the crash-safe record of completed units beside an output
 * file (docs/cluster.md, Crash safety), so that a killed run continues with `run --resume`.
 *
 * A unit's result is a pure function of (scenario, replication) and the
 * run's identity (config, seed, generator, ...), so a journal is a header
 * holding that identity and one fixed-size record per completed unit:
 *
 *   header  "ESJRNL01", u64 byte-order mark 0x0102030405060708,
 *           u64 payload length P (doubles), u64 identity length L,
 *           L bytes of identity text, u64 FNV-1a 64 of everything before
 *   record  u64 magic "UNITREC1", i64 unit, u64 events, P doubles,
 *           u64 FNV-1a 64 of unit, events and the doubles
 *
 * in the machine's byte order (the mark tells another machine's journal
 * apart). Records are appended with write(2) as each unit completes, so
 * they survive the process being killed; they are fdatasync'ed in small
 * batches (at most ES_JOURNAL_SYNC_UNITS records or ES_JOURNAL_SYNC_SECONDS
 * apart, and on every es_journal_sync), so a power loss costs at most the
 * last batch, which is recomputed.
 *
 * Reading back, a record counts only if its magic and checksum hold: a
 * torn tail (the process died inside a write) is cut off before new
 * records are appended; a damaged record elsewhere is ignored, so its unit
 * runs again. The first valid record of a unit wins.
 *
 * Threads: es_journal_append and es_journal_read may be called from any
 * thread; appends are serialised inside. */
#ifndef ES_JOURNAL_H
#define ES_JOURNAL_H
#include <stddef.h>
#include <stdint.h>
#include "../core/status.h"

#define ES_JOURNAL_SYNC_UNITS   32
#define ES_JOURNAL_SYNC_SECONDS 2.0

typedef struct es_journal es_journal;

/* Creates path exclusively (never following a symlink, never replacing a
 * file) with the header, synced with its folder. ES_ERR_EXISTS when the
 * path exists: an interrupted run's journal, to resume or delete. */
es_status es_journal_create(const char *path, const char *identity, size_t payload,
                            es_journal **out, char *err, size_t errlen);

/* Opens an existing journal to continue it. The stored identity must equal
 * `identity` (ES_ERR_INPUT naming the first line that differs, as
 * "name: journal has X, this run has Y"); the payload length likewise.
 * Valid records are indexed, in an index of n_units slots (the run's
 * units are 0 .. n_units-1); a valid record of any other unit is a damaged
 * journal, ES_ERR_INPUT naming the record. A torn tail is truncated.
 * ES_ERR_INPUT for a file that is not a journal, ES_ERR_USAGE for a path
 * that is a symbolic link, folder, FIFO or device, ES_ERR_IO for a failed
 * read or truncate. (es_journal_create refuses those paths the same way.) */
es_status es_journal_open(const char *path, const char *identity, size_t payload, int64_t n_units,
                          es_journal **out, char *err, size_t errlen);

/* Records read back by es_journal_open (valid, distinct units), and the
 * damaged ones it skipped and the bytes of torn tail it cut. */
int64_t es_journal_replayable(const es_journal *j);
int64_t es_journal_damaged(const es_journal *j);
int64_t es_journal_torn_bytes(const es_journal *j);

/* Records this process appended. */
int64_t es_journal_appended(const es_journal *j);

/* 1 and the unit's payload and events when a valid record of `unit` exists
 * (the checksum is verified again on this read), 0 when none does, -1 on a
 * read error or a record that no longer verifies (err says which). */
int es_journal_read(es_journal *j, int64_t unit, double *payload, uint64_t *events, char *err,
                    size_t errlen);

/* Appends one record; ES_ERR_IO (a full disk, a size limit) leaves the
 * records before it intact. */
es_status es_journal_append(es_journal *j, int64_t unit, const double *payload, uint64_t events,
                            char *err, size_t errlen);

/* fdatasync of everything appended so far. */
es_status es_journal_sync(es_journal *j, char *err, size_t errlen);

/* Syncs and closes (errors are reported by es_journal_sync first if they
 * matter); accepts NULL. */
void es_journal_close(es_journal *j);

/* Removes a journal once its run's output is safely in place, and syncs
 * the folder. */
es_status es_journal_remove(const char *path, char *err, size_t errlen);

#endif
