/* reserve.h: making sure the result writer has the memory it needs before
 * it calls into libhdf5.
 *
 * Why. libhdf5 1.10 does not survive every failed allocation: under a
 * memory limit (ulimit -v) H5DSattach_scale crashed with SIGSEGV and the
 * heap was corrupted ("malloc(): smallbin double linked list corrupted").
 * So the writer first checks that the address space it will need is
 * there, and refuses cleanly (ES_ERR_NOMEM, exit 1, the journal intact)
 * when it is not. After the run's threads have finished nothing else
 * allocates, so memory that was free at the check is free for libhdf5.
 * No global state. */
#ifndef ES_RESERVE_H
#define ES_RESERVE_H
#include <stddef.h>
#include "../experiment/results.h"

/* What writing r may take at its peak, in bytes: the in-memory file image
 * (twice its data while it grows), per-object metadata, and libhdf5's own
 * caches (ES_RESERVE_BASE). An over-estimate by design. */
size_t es_reserve_write_need(const es_run_result *r);

/* 1 when `bytes` can be allocated now (allocated and freed at once, so the
 * space is there for the caller's next allocations), 0 when not. */
int es_reserve_available(size_t bytes);

#endif
