/* rollindex.h — the roll's search lists in memory (docs/decisions/0009-roll-index.md).
 *
 * The roster search and the roll's first pages read up to three b-tree rows per person shown (the
 * person, their group, their household) and count by stepping through index entries: ~12,000
 * instructions a row, most of a search's cost. A RollIndex holds what those lists show of every
 * person, in the three orders the lists use, built from one read snapshot of the database. It
 * serves a request only when the roll has not changed since: roll_version (026) counts every
 * change, a request reads it in its own snapshot, and a different count sends the request to SQL
 * as before while a background thread builds the index again. So what a list shows never depends
 * on which of the two answered it; tests/api/roll_index.test.mjs compares them.
 *
 * ZUWEI_ROLL_INDEX=off leaves the index out (every list from SQL). */
#ifndef ZUWEI_ROLLINDEX_H
#define ZUWEI_ROLLINDEX_H
#include "people/store.h"
#include "platform/buf.h"

typedef struct RollIndex RollIndex;

/* The orders of the lists, each as SQL's ORDER BY of the same list in store.c. */
typedef enum {
    ROLL_BY_PATH,       /* the group's path, name, id: the roll (Q_ALL) */
    ROLL_BY_INITIALS,   /* initials, id: a county-wide initials search */
    ROLL_BY_VILLAGE,    /* village, initials, group, id: an initials search in a township or below */
} RollOrder;

/* One list: its order, the scope and the filters, as people_page's plan reads them. */
typedef struct RollWalk {
    RollOrder order;
    const char *scope;           /* a unit's path: everyone whose group's path lies in its range */
    const char *lo, *hi;         /* BY_INITIALS and BY_VILLAGE: initials from lo up to, not with, hi */
    int64_t township;            /* BY_VILLAGE: the villages of this township in their order, or */
    int64_t village, group;      /* this village (and only this group of it, when not 0) */
    const char *status;          /* "" or NULL for any */
    unsigned flag;               /* 0 for any */
    const char *bfrom, *bto;     /* birth dates from, to (inclusive), as YYYY-MM-DD */
} RollWalk;

/* The index of the roll as this request's snapshot sees it, or NULL when there is none (not built
 * yet, the roll changed, or switched off); then the caller answers from SQL. Starts the builder
 * the first time. A non-NULL index is the caller's until roll_index_release(). */
RollIndex *roll_index_acquire(void);
void roll_index_release(RollIndex *ix);

/* The page of w from match `offset` on: fills up to `limit` rows, sets *more when another match
 * follows them, and *count to the number of matches, counted no further than `cap` (cap ≤ 0:
 * exactly). Returns the rows filled. */
int roll_index_page(const RollIndex *ix, const RollWalk *w, long long offset, PersonRow *rows, int limit, bool *more,
                    long long cap, long long *count);

/* Writes the index's state for GET /metrics: the version built, builds, hits and misses. */
void roll_index_metrics(Buf *b);

#endif
