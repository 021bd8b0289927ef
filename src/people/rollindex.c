/* rollindex.c — the roll's search lists in memory (see rollindex.h).
 *
 * An index is immutable once built: requests share it, counted in refs, and the last to let go
 * of one that has been replaced frees it. One builder thread, with its own connection, builds an
 * index when a request has seen a roll_version newer than the current one, then rests three times
 * as long as the build took, so that a roll edited without pause costs at most a quarter of a core
 * while its lists come from SQL. */
#include "people/rollindex.h"
#include "org/units.h"
#include "platform/db.h"
#include "platform/log.h"
#include <malloc.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* A person as the lists show them; the texts are offsets into the pool. */
typedef struct Entry {
    int64_t id, household_id, village_id;
    uint32_t rank;   /* the group's place in path order (RollIndex.units) */
    uint32_t name, initials, birth, idmask, phone, ethnicity, education, status, status_date, relation, hh_no;
    uint32_t flags;
    char sex;
    bool legacy, head, rep;
} Entry;

/* A place in one of the orders: the person's position in people, and their group's rank beside
 * it, so that a walk tests the scope without reading the person (a cache miss each: a search
 * counting its matches to the cap would read up to a thousand entries all over the index). */
typedef struct Slot {
    uint32_t pos, rank;
} Slot;

/* A unit, in path order. */
typedef struct UnitEntry {
    int64_t id, parent_id, sort;
    uint32_t path, name;
} UnitEntry;

enum { INTERN_SLOTS = 1 << 17 };   /* birth dates, statuses and the like: a few tens of thousands of texts */

struct RollIndex {
    int64_t version;
    int refs;
    char *pool;
    size_t pool_len, pool_cap;
    uint32_t *intern;                /* open addressing over the pool's short, repeated texts; 0 is empty */
    size_t interned;
    UnitEntry *units;
    uint32_t nunits;
    uint32_t *rank_by_id;            /* ranks in id order, to find a unit's rank */
    uint32_t *by_parent;             /* ranks by parent, then in unit_parent's order: sort, name, id */
    Entry *people;
    uint32_t n;
    Slot *by_path, *by_initials, *by_village;   /* people in RollOrder's orders */
    uint32_t *path_start;            /* [rank]: the first slot of by_path in that unit or after it */
};

static const char *S(const RollIndex *ix, uint32_t off) { return ix->pool + off; }

/* ---------------------------------------------------------------------------------------------
 * Building */

/* Appends s to the pool; returns its offset, or UINT32_MAX when out of memory or room. */
static uint32_t pool_add(RollIndex *ix, const char *s) {
    size_t len = strlen(s) + 1;
    if (ix->pool_len + len > ix->pool_cap) {
        size_t cap = ix->pool_cap ? ix->pool_cap * 2 : 1 << 20;
        while (cap < ix->pool_len + len) cap *= 2;
        if (cap > UINT32_MAX) return UINT32_MAX;
        char *p = realloc(ix->pool, cap);
        if (!p) return UINT32_MAX;
        ix->pool = p;
        ix->pool_cap = cap;
    }
    memcpy(ix->pool + ix->pool_len, s, len);
    ix->pool_len += len;
    return (uint32_t)(ix->pool_len - len);
}

/* The offset of a copy of s, shared with every equal text added through here. */
static uint32_t pool_intern(RollIndex *ix, const char *s) {
    if (ix->interned * 10 > INTERN_SLOTS * 7) return pool_add(ix, s);   /* full enough: copies from now on */
    uint32_t h = 2166136261u;
    for (const unsigned char *c = (const unsigned char *)s; *c; c++) h = (h ^ *c) * 16777619u;
    for (uint32_t i = h & (INTERN_SLOTS - 1);; i = (i + 1) & (INTERN_SLOTS - 1)) {
        uint32_t off = ix->intern[i];
        if (!off) {
            off = pool_add(ix, s);
            if (off != UINT32_MAX) {
                ix->intern[i] = off;
                ix->interned++;
            }
            return off;
        }
        if (strcmp(S(ix, off), s) == 0) return off;
    }
}

static void roll_index_free(RollIndex *ix) {
    if (!ix) return;
    free(ix->pool);
    free(ix->intern);
    free(ix->units);
    free(ix->rank_by_id);
    free(ix->by_parent);
    free(ix->people);
    free(ix->by_path);
    free(ix->by_initials);
    free(ix->by_village);
    free(ix->path_start);
    free(ix);
}

static int unit_by_path(const void *a, const void *b, void *ctx) {
    const RollIndex *ix = ctx;
    return strcmp(S(ix, ((const UnitEntry *)a)->path), S(ix, ((const UnitEntry *)b)->path));
}

static int rank_by_unit_id(const void *a, const void *b, void *ctx) {
    const RollIndex *ix = ctx;
    int64_t x = ix->units[*(const uint32_t *)a].id, y = ix->units[*(const uint32_t *)b].id;
    return (x > y) - (x < y);
}

static int cmp_id(int64_t x, int64_t y) { return (x > y) - (x < y); }

/* A unit's children in unit_parent's order (sort, name, id), each parent's side by side. */
static int rank_by_parent(const void *a, const void *b, void *ctx) {
    const RollIndex *ix = ctx;
    const UnitEntry *x = &ix->units[*(const uint32_t *)a], *y = &ix->units[*(const uint32_t *)b];
    if (x->parent_id != y->parent_id) return cmp_id(x->parent_id, y->parent_id);
    if (x->sort != y->sort) return cmp_id(x->sort, y->sort);
    int c = strcmp(S(ix, x->name), S(ix, y->name));
    return c ? c : cmp_id(x->id, y->id);
}

/* The ranks of units in id order (cmp), or NULL when out of memory. */
static uint32_t *unit_order(RollIndex *ix, int (*cmp)(const void *, const void *, void *)) {
    uint32_t *o = malloc(((size_t)ix->nunits + 1) * sizeof *o);
    if (!o) return NULL;
    for (uint32_t i = 0; i < ix->nunits; i++) o[i] = i;
    qsort_r(o, ix->nunits, sizeof *o, cmp, ix);
    return o;
}

/* The rank of unit id, or UINT32_MAX when there is no such unit. */
static uint32_t rank_of(const RollIndex *ix, int64_t id) {
    uint32_t lo = 0, hi = ix->nunits;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        int64_t m = ix->units[ix->rank_by_id[mid]].id;
        if (m == id) return ix->rank_by_id[mid];
        if (m < id) lo = mid + 1;
        else hi = mid;
    }
    return UINT32_MAX;
}

/* Reads every unit and puts them in path order. Returns 0 or -1. */
static int read_units(RollIndex *ix) {
    uint32_t cap = 0;
    Stmt *st = db_prep("SELECT id, coalesce(parent_id, 0), sort, path, name FROM unit");
    int rc = st ? SQLITE_ROW : SQLITE_ERROR;
    while (st && (rc = db_step(st)) == SQLITE_ROW) {
        if (ix->nunits == cap) {
            cap = cap ? cap * 2 : 2048;
            UnitEntry *u = realloc(ix->units, cap * sizeof *u);
            if (!u) { rc = SQLITE_NOMEM; break; }
            ix->units = u;
        }
        UnitEntry *u = &ix->units[ix->nunits++];
        *u = (UnitEntry){db_col_int(st, 0), db_col_int(st, 1), db_col_int(st, 2), pool_add(ix, db_col_text(st, 3)),
                         pool_add(ix, db_col_text(st, 4))};
        if (u->path == UINT32_MAX || u->name == UINT32_MAX) { rc = SQLITE_NOMEM; break; }
    }
    if (st) sqlite3_reset(st);
    if (rc != SQLITE_DONE) return -1;
    qsort_r(ix->units, ix->nunits, sizeof *ix->units, unit_by_path, ix);
    ix->rank_by_id = unit_order(ix, rank_by_unit_id);
    ix->by_parent = unit_order(ix, rank_by_parent);
    return ix->rank_by_id && ix->by_parent ? 0 : -1;
}

/* Fills e from the current row of read_people's statement; false when out of memory. */
static bool entry_from(RollIndex *ix, Stmt *st, Entry *e) {
    e->id = db_col_int(st, 0);
    e->rank = rank_of(ix, db_col_int(st, 1));
    e->village_id = db_col_int(st, 2);
    e->household_id = db_col_int(st, 3);
    e->name = pool_add(ix, db_col_text(st, 4));
    e->initials = pool_intern(ix, db_col_text(st, 5));
    e->sex = db_col_text(st, 6)[0];
    e->birth = pool_intern(ix, db_col_text(st, 7));
    e->idmask = pool_add(ix, db_col_text(st, 8));
    e->legacy = db_col_int(st, 9) != 0;
    e->phone = pool_add(ix, db_col_text(st, 10));
    e->ethnicity = pool_intern(ix, db_col_text(st, 11));
    e->education = pool_intern(ix, db_col_text(st, 12));
    e->status = pool_intern(ix, db_col_text(st, 13));
    e->status_date = pool_intern(ix, db_col_text(st, 14));
    e->relation = pool_intern(ix, db_col_text(st, 15));
    e->flags = (uint32_t)db_col_int(st, 16);
    e->hh_no = pool_intern(ix, db_col_text(st, 17));
    e->head = db_col_int(st, 18) != 0;
    e->rep = db_col_int(st, 19) != 0;
    uint32_t texts[] = {e->name, e->initials, e->birth, e->idmask, e->phone, e->ethnicity, e->education,
                        e->status, e->status_date, e->relation, e->hh_no};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
        if (texts[i] == UINT32_MAX) return false;
    return e->rank != UINT32_MAX;
}

/* Reads every person with the columns store.c's PR_COLS gives a list. Returns 0 or -1. */
static int read_people(RollIndex *ix) {
    int64_t total = db_one_int(db_prep("SELECT count(*) FROM person"), -1);
    if (total < 0 || total >= UINT32_MAX) return -1;
    ix->people = malloc(((size_t)total + 1) * sizeof *ix->people);
    if (!ix->people) return -1;
    Stmt *st = db_prep("SELECT p.id, p.unit_id, coalesce(p.village_id, 0), coalesce(p.household_id, 0), p.name, p.initials,"
                       " p.sex, p.birth, p.idnum_mask, p.idnum_legacy, p.phone, p.ethnicity, p.education, p.status,"
                       " coalesce(p.status_date, ''), p.relation, p.flags, coalesce(h.hh_no, ''), coalesce(h.head_id = p.id, 0),"
                       " coalesce(h.rep_id = p.id, 0) FROM person p LEFT JOIN household h ON h.id = p.household_id");
    int rc = st ? SQLITE_ROW : SQLITE_ERROR;
    while (st && (rc = db_step(st)) == SQLITE_ROW) {
        if (ix->n == total || !entry_from(ix, st, &ix->people[ix->n])) { rc = SQLITE_ERROR; break; }
        ix->n++;
    }
    if (st) sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : -1;
}

static int person_by_path(const void *a, const void *b, void *ctx) {
    const RollIndex *ix = ctx;
    const Entry *x = &ix->people[((const Slot *)a)->pos], *y = &ix->people[((const Slot *)b)->pos];
    if (x->rank != y->rank) return x->rank < y->rank ? -1 : 1;
    int c = strcmp(S(ix, x->name), S(ix, y->name));
    return c ? c : cmp_id(x->id, y->id);
}

static int person_by_initials(const void *a, const void *b, void *ctx) {
    const RollIndex *ix = ctx;
    const Entry *x = &ix->people[((const Slot *)a)->pos], *y = &ix->people[((const Slot *)b)->pos];
    int c = strcmp(S(ix, x->initials), S(ix, y->initials));
    return c ? c : cmp_id(x->id, y->id);
}

static int person_by_village(const void *a, const void *b, void *ctx) {
    const RollIndex *ix = ctx;
    const Entry *x = &ix->people[((const Slot *)a)->pos], *y = &ix->people[((const Slot *)b)->pos];
    if (x->village_id != y->village_id) return cmp_id(x->village_id, y->village_id);
    int c = strcmp(S(ix, x->initials), S(ix, y->initials));
    if (c) return c;
    c = cmp_id(ix->units[x->rank].id, ix->units[y->rank].id);
    return c ? c : cmp_id(x->id, y->id);
}

/* A slot of every person, sorted by cmp; NULL when out of memory. */
static Slot *order(RollIndex *ix, int (*cmp)(const void *, const void *, void *)) {
    Slot *o = malloc(((size_t)ix->n + 1) * sizeof *o);
    if (!o) return NULL;
    for (uint32_t i = 0; i < ix->n; i++) o[i] = (Slot){i, ix->people[i].rank};
    qsort_r(o, ix->n, sizeof *o, cmp, ix);
    return o;
}

/* Sorts the three orders and marks where each unit starts in by_path. Returns 0 or -1. */
static int sort_orders(RollIndex *ix) {
    ix->by_path = order(ix, person_by_path);
    ix->by_initials = order(ix, person_by_initials);
    ix->by_village = order(ix, person_by_village);
    ix->path_start = malloc(((size_t)ix->nunits + 1) * sizeof *ix->path_start);
    if (!ix->by_path || !ix->by_initials || !ix->by_village || !ix->path_start) return -1;
    uint32_t pos = 0;
    for (uint32_t r = 0; r <= ix->nunits; r++) {
        while (pos < ix->n && ix->by_path[pos].rank < r) pos++;
        ix->path_start[r] = pos;
    }
    return 0;
}

/* Builds an index from one read snapshot on this thread's connection; NULL on failure. */
static RollIndex *build(void) {
    RollIndex *ix = calloc(1, sizeof *ix);
    if (!ix || !(ix->intern = calloc(INTERN_SLOTS, sizeof *ix->intern)) || pool_add(ix, "") != 0) {
        roll_index_free(ix);
        return NULL;
    }
    db_snapshot_begin();
    ix->version = db_one_int(db_prep("SELECT v FROM roll_version WHERE id = 1"), -1);
    bool ok = ix->version > 0 && read_units(ix) == 0 && read_people(ix) == 0;
    db_snapshot_end();
    free(ix->intern);   /* only the build adds texts */
    ix->intern = NULL;
    char *fit = ok ? realloc(ix->pool, ix->pool_len) : NULL;
    if (fit) ix->pool = fit;
    if (!ok || sort_orders(ix) != 0) {
        roll_index_free(ix);
        return NULL;
    }
    return ix;
}

/* ---------------------------------------------------------------------------------------------
 * The current index and its builder */

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake = PTHREAD_COND_INITIALIZER;
static RollIndex *current;
static int64_t wanted, tried;        /* the newest roll_version a request saw; the last one built or tried */
static pthread_once_t started = PTHREAD_ONCE_INIT;
static bool switched_off;            /* ZUWEI_ROLL_INDEX=off, read by start_builder */
static atomic_ullong hits, misses, builds, failures;
static atomic_llong built_version, build_usec;

static double seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Puts ix in place of the current index, which is freed unless a request still holds it. */
static void install(RollIndex *ix) {
    pthread_mutex_lock(&mu);
    RollIndex *old = current;
    current = ix;
    bool drop = old && old->refs == 0;
    pthread_mutex_unlock(&mu);
    if (drop) roll_index_free(old);
}

static void *builder(void *arg) {
    (void)arg;
    for (;;) {
        pthread_mutex_lock(&mu);
        while (wanted <= tried) pthread_cond_wait(&wake, &mu);
        tried = wanted;
        pthread_mutex_unlock(&mu);
        double t0 = seconds();
        RollIndex *ix = build();
        db_release_memory();   /* its page cache holds the whole roll read, 32 MB, until the next build */
        malloc_trim(0);      /* and hand that, and the build's spare room, back to the system */
        double took = seconds() - t0;
        if (ix) {
            atomic_store(&built_version, ix->version);
            atomic_store(&build_usec, (long long)(took * 1e6));
            atomic_fetch_add(&builds, 1);
            install(ix);
        } else {
            atomic_fetch_add(&failures, 1);
            log_error("roll index: build failed (the roll's lists come from SQL)");
        }
        double rest = 3 * took;   /* see the top of this file */
        if (rest < 0.001) rest = 0.001;
        struct timespec ts = {(time_t)rest, (long)((rest - (double)(time_t)rest) * 1e9)};
        nanosleep(&ts, NULL);
    }
    return NULL;
}

/* Reads ZUWEI_ROLL_INDEX once, and starts the builder unless it is "off". */
static void start_builder(void) {
    const char *e = getenv("ZUWEI_ROLL_INDEX");
    switched_off = e && strcmp(e, "off") == 0;
    if (switched_off) return;
    pthread_t t;
    if (pthread_create(&t, NULL, builder, NULL) == 0) pthread_detach(t);
    else log_error("roll index: cannot start its builder (the roll's lists come from SQL)");
}

RollIndex *roll_index_acquire(void) {
    pthread_once(&started, start_builder);
    if (switched_off) return NULL;
    int64_t v = db_one_int(db_prep("SELECT v FROM roll_version WHERE id = 1"), -1);
    if (v < 0) return NULL;
    pthread_mutex_lock(&mu);
    RollIndex *ix = current && current->version == v ? current : NULL;
    if (ix) ix->refs++;
    else if (v > wanted) {
        wanted = v;
        pthread_cond_signal(&wake);
    }
    pthread_mutex_unlock(&mu);
    atomic_fetch_add(ix ? &hits : &misses, 1);
    return ix;
}

void roll_index_release(RollIndex *ix) {
    if (!ix) return;
    pthread_mutex_lock(&mu);
    bool drop = --ix->refs == 0 && ix != current;
    pthread_mutex_unlock(&mu);
    if (drop) roll_index_free(ix);
}

void roll_index_metrics(Buf *b) {
    buf_printf(b, "# HELP zuwei_roll_index_version The roll_version the roll's lists in memory were built at (0: none).\n"
                  "# TYPE zuwei_roll_index_version gauge\nzuwei_roll_index_version %lld\n"
                  "# HELP zuwei_roll_index_build_seconds How long the last build took.\n"
                  "# TYPE zuwei_roll_index_build_seconds gauge\nzuwei_roll_index_build_seconds %.6f\n"
                  "# HELP zuwei_roll_index_builds_total Builds of the roll's lists in memory, and failed ones.\n"
                  "# TYPE zuwei_roll_index_builds_total counter\nzuwei_roll_index_builds_total{result=\"ok\"} %llu\n"
                  "zuwei_roll_index_builds_total{result=\"failed\"} %llu\n"
                  "# HELP zuwei_roll_index_requests_total Lists asked of the index: served, or sent to SQL.\n"
                  "# TYPE zuwei_roll_index_requests_total counter\nzuwei_roll_index_requests_total{result=\"hit\"} %llu\n"
                  "zuwei_roll_index_requests_total{result=\"miss\"} %llu\n",
               (long long)atomic_load(&built_version), (double)atomic_load(&build_usec) / 1e6,
               (unsigned long long)atomic_load(&builds), (unsigned long long)atomic_load(&failures),
               (unsigned long long)atomic_load(&hits), (unsigned long long)atomic_load(&misses));
}

/* ---------------------------------------------------------------------------------------------
 * Reading a list */

/* The ranks [*lo, *hi) of the units whose path lies in scope's range (SQL's
 * `path BETWEEN :scope AND :scope || '~'`). */
static void scope_ranks(const RollIndex *ix, const char *scope, uint32_t *lo, uint32_t *hi) {
    char top[UNIT_PATH_SIZE + 2];
    size_t n = strlen(scope);
    if (n > UNIT_PATH_SIZE) n = UNIT_PATH_SIZE;
    memcpy(top, scope, n);
    top[n] = '~';
    top[n + 1] = 0;
    uint32_t a = 0, b = ix->nunits;
    while (a < b) {
        uint32_t m = a + (b - a) / 2;
        if (strcmp(S(ix, ix->units[m].path), scope) < 0) a = m + 1;
        else b = m;
    }
    *lo = a;
    b = ix->nunits;
    while (a < b) {
        uint32_t m = a + (b - a) / 2;
        if (strcmp(S(ix, ix->units[m].path), top) <= 0) a = m + 1;
        else b = m;
    }
    *hi = a;
}

/* The first position of `ord` (BY_INITIALS, or BY_VILLAGE within village) whose initials are not
 * below key, searching [a, b). */
static uint32_t initials_bound(const RollIndex *ix, const Slot *ord, uint32_t a, uint32_t b, const char *key) {
    while (a < b) {
        uint32_t m = a + (b - a) / 2;
        if (strcmp(S(ix, ix->people[ord[m].pos].initials), key) < 0) a = m + 1;
        else b = m;
    }
    return a;
}

/* The positions [*a, *b) of by_village that hold village v. */
static void village_span(const RollIndex *ix, int64_t v, uint32_t *a, uint32_t *b) {
    uint32_t lo = 0, hi = ix->n;
    while (lo < hi) {
        uint32_t m = lo + (hi - lo) / 2;
        if (ix->people[ix->by_village[m].pos].village_id < v) lo = m + 1;
        else hi = m;
    }
    *a = lo;
    hi = ix->n;
    while (lo < hi) {
        uint32_t m = lo + (hi - lo) / 2;
        if (ix->people[ix->by_village[m].pos].village_id <= v) lo = m + 1;
        else hi = m;
    }
    *b = lo;
}

/* The state of one list's walk over its spans of positions. */
typedef struct Walker {
    const RollIndex *ix;
    const RollWalk *w;
    uint32_t rlo, rhi;        /* the scope's ranks */
    bool one_group;           /* BY_VILLAGE: only the group of rank grank */
    uint32_t grank;
    bool any;                 /* no status, flag or birth test */
    long long skip;           /* matches still to pass over before the page */
    PersonRow *rows;
    int limit, n;
    bool more;
    long long cap, count;
} Walker;

static bool matches(const Walker *k, Slot at) {
    if (at.rank < k->rlo || at.rank >= k->rhi) return false;
    if (k->one_group && at.rank != k->grank) return false;
    if (k->any) return true;
    const RollWalk *w = k->w;
    const Entry *e = &k->ix->people[at.pos];
    if (w->status && *w->status && strcmp(S(k->ix, e->status), w->status) != 0) return false;
    if (w->flag && !(e->flags & w->flag)) return false;
    const char *birth = S(k->ix, e->birth);
    return strcmp(birth, w->bfrom) >= 0 && strcmp(birth, w->bto) <= 0;
}

/* Copies e as store.c's row_from() reads the same person from SQL. Every field is set, so the
 * row (560 bytes) is not cleared first. */
static void row_of(const RollIndex *ix, const Entry *e, PersonRow *p) {
    const UnitEntry *u = &ix->units[e->rank];
    p->id = e->id;
    p->unit_id = u->id;
    p->household_id = e->household_id;
    str_copy(p->name, sizeof p->name, S(ix, e->name));
    p->sex = e->sex;
    str_copy(p->birth, sizeof p->birth, S(ix, e->birth));
    str_copy(p->idmask, sizeof p->idmask, S(ix, e->idmask));
    p->idnum_legacy = e->legacy;
    str_copy(p->phone, sizeof p->phone, S(ix, e->phone));
    str_copy(p->ethnicity, sizeof p->ethnicity, S(ix, e->ethnicity));
    str_copy(p->education, sizeof p->education, S(ix, e->education));
    str_copy(p->status, sizeof p->status, S(ix, e->status));
    str_copy(p->status_date, sizeof p->status_date, S(ix, e->status_date));
    str_copy(p->relation, sizeof p->relation, S(ix, e->relation));
    p->flags = e->flags;
    str_copy(p->unit_name, sizeof p->unit_name, S(ix, u->name));
    str_copy(p->hh_no, sizeof p->hh_no, S(ix, e->hh_no));
    p->is_head = e->head;
    p->is_rep = e->rep;
}

/* True once the walk knows all it must: its page, whether more follow, and the count to its cap. */
static bool walk_done(const Walker *k) { return k->more && k->cap > 0 && k->count >= k->cap; }

/* Walks the positions [a, b) of ord. Returns true when the walk is done. */
static bool walk_span(Walker *k, const Slot *ord, uint32_t a, uint32_t b) {
    for (uint32_t i = a; i < b; i++) {
        if (!matches(k, ord[i])) continue;
        k->count++;
        if (k->skip) k->skip--;
        else if (k->n < k->limit) row_of(k->ix, &k->ix->people[ord[i].pos], &k->rows[k->n++]);
        else k->more = true;
        if (walk_done(k)) return true;
    }
    return false;
}

/* Walks the initials range of one village in by_village. Returns true when the walk is done. */
static bool walk_village(Walker *k, int64_t village) {
    uint32_t a, b;
    village_span(k->ix, village, &a, &b);
    const Slot *ord = k->ix->by_village;
    return walk_span(k, ord, initials_bound(k->ix, ord, a, b, k->w->lo), initials_bound(k->ix, ord, a, b, k->w->hi));
}

/* Walks the villages of township t in their order (by_parent). */
static void walk_township(Walker *k, int64_t t) {
    const RollIndex *ix = k->ix;
    uint32_t a = 0, b = ix->nunits;
    while (a < b) {
        uint32_t m = a + (b - a) / 2;
        if (ix->units[ix->by_parent[m]].parent_id < t) a = m + 1;
        else b = m;
    }
    for (; a < ix->nunits && ix->units[ix->by_parent[a]].parent_id == t; a++)
        if (walk_village(k, ix->units[ix->by_parent[a]].id)) break;
}

int roll_index_page(const RollIndex *ix, const RollWalk *w, long long offset, PersonRow *rows, int limit, bool *more,
                    long long cap, long long *count) {
    Walker k = {.ix = ix, .w = w, .skip = offset, .rows = rows, .limit = limit, .cap = cap};
    scope_ranks(ix, w->scope, &k.rlo, &k.rhi);
    k.any = (!w->status || !*w->status) && !w->flag && strcmp(w->bfrom, "0000-00-00") == 0
            && strcmp(w->bto, "9999-99-99") == 0;
    if (w->order == ROLL_BY_PATH && k.any) {   /* the scope's people lie side by side: no walk */
        uint32_t a = ix->path_start[k.rlo], b = ix->path_start[k.rhi];
        long long from = a + offset;
        for (long long i = from; i < b && k.n < limit; i++) row_of(ix, &ix->people[ix->by_path[i].pos], &rows[k.n++]);
        *more = from + k.n < b;
        *count = b - a;
        return k.n;
    }
    switch (w->order) {
    case ROLL_BY_PATH:
        walk_span(&k, ix->by_path, ix->path_start[k.rlo], ix->path_start[k.rhi]);
        break;
    case ROLL_BY_INITIALS:
        walk_span(&k, ix->by_initials, initials_bound(ix, ix->by_initials, 0, ix->n, w->lo),
                  initials_bound(ix, ix->by_initials, 0, ix->n, w->hi));
        break;
    case ROLL_BY_VILLAGE:
        k.one_group = w->group != 0;
        k.grank = rank_of(ix, w->group);
        if (w->township) walk_township(&k, w->township);
        else walk_village(&k, w->village);
        break;
    }
    *more = k.more;
    *count = k.count;
    return k.n;
}
