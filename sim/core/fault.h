/* fault.h: named crash points for the crash-recovery tests.
 *
 * The journal's promise (docs/cluster.md, Crash safety) is about what survives SIGKILL at any
 * moment; a test cannot hit "between the write of the temporary file and
 * the rename" by timing. So the code names its dangerous moments, and when
 * the environment variable ES_FAULT equals "NAME" or "NAME:K" the process
 * kills itself with SIGKILL at the K-th passage (K as counted by the
 * caller; without K, the first). Unset, each point costs one getenv. No
 * state is kept, so threads need no coordination.
 *
 * Points: journal_created (the journal exists, no unit has run),
 * unit_computed:K (the K-th unit of this attempt finished computing and is
 * not journaled yet), unit_journaled:K (the K-th record of this attempt is
 * written), output_partial (half the final file is written to its
 * temporary name), output_renamed (the final file is in place, the journal
 * not yet removed). */
#ifndef ES_FAULT_H
#define ES_FAULT_H

void es_fault_point(const char *name, long k);

#endif
