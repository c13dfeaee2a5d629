/* h5in.h: reading a results file (layout in h5out.h) back into an
 * es_run_result, for info, compare, merge and report.
 *
 * The reader trusts nothing in the file. A missing file, a file that is not
 * HDF5, a truncated or damaged one, or one of another layout gives
 * ES_ERR_INPUT and one line naming the file and what is wrong, never a
 * crash. Checked: the root attributes (program must be "enforcesim", the
 * layout version not newer than this build's), every scenario group and its
 * five subgroups, every metric of this build's registry in each, dataset
 * ranks, shapes and numeric types, the dimension scales attached to each
 * axis, equal replication and year axes across the subgroups, the order of
 * the summary statistics, and n_replications. When present (files before
 * them have none), /comparisons is checked the same way: base and alt name
 * stored scenarios, replications and years match theirs, and the
 * statistics are exactly this build's list; the optional root attributes
 * common_random_numbers (1 when absent) and precision* and the scenarios'
 * config texts are read. A shard file (run --shard) also fills out->shard
 * (results.h): its attributes are checked for type and range and its unit
 * list is read; `complete` is 0 when absent, and merge does the rest of
 * the checking. Extra groups, datasets and attributes are
 * ignored, so later versions may add some.
 *
 * Files open read-only with HDF5 file locking disabled: locking fails on
 * NFS and Lustre (docs/cluster.md, Slurm job arrays), and a reader needs none.
 *
 * On success *out owns every array and string (free with
 * es_run_result_free); on failure *out is left untouched. ES_ERR_NOMEM when
 * the file's arrays do not fit in memory. */
#ifndef ES_H5IN_H
#define ES_H5IN_H
#include <stddef.h>
#include "../core/status.h"
#include "../experiment/results.h"

es_status es_h5_read(const char *path, es_run_result *out, char *err, size_t errlen);

#endif
