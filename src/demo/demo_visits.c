/* demo_visits.c — two-way contact in the demo county (双向联系机制): every committee member is
 * assigned a share of the group's households from the start of their seat and visits them for
 * the three years of the term; every village-cadre login guides the committees of its village
 * each quarter. Members differ: most make their 5 visits a month, some fall short now and then,
 * a few are far behind; everyone visits less at harvest (September–October) and around the Spring
 * Festival (January–February). The visits are made seat by seat and written in the order of
 * their days, as members record them. Everything goes through the contact module's bulk path
 * (contact_demo_*) in one transaction: the visits of each seat and month are also given as a sum,
 * from which the counters are rebuilt at the end, so `zuwei check` (which recounts the rows)
 * agrees. */
#include "contact/contact.h"
#include "contact/store.h"
#include "demo/demo.h"
#include "platform/audit.h"
#include "platform/date.h"
#include "platform/db.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Why a member came: the purpose written on the visit and the duties (八大员) it served. */
typedef struct Purpose { const char *text; unsigned duties; } Purpose;

static const Purpose purposes[] = {
    {"宣传惠农政策和医保缴费", 1},          {"了解家庭生产生活情况", 16},        {"调解邻里宅基地纠纷", 4},
    {"动员参加人居环境整治", 64},           {"倡导移风易俗、红白喜事从简", 8},    {"帮助申报产业补助", 32 | 16},
    {"了解外出务工人员情况", 16},           {"收集组民对组务的意见", 2},          {"宣传法律知识、防范电信诈骗", 128 | 1},
    {"慰问留守老人和儿童", 8 | 16},         {"督促落实防火防汛措施", 64 | 1},     {"介绍合作社务工岗位", 32},
};
enum { NPURPOSES = sizeof purposes / sizeof purposes[0] };

static const char *const requests[] = {"希望修通到家门口的联户路", "反映自来水压力不足", "申请临时救助", "咨询医保报销政策",
                                       "希望提供茶叶种植技术培训", "反映路灯损坏", NULL};
static const char *const problems[] = {"房屋漏雨需维修", "老人独居无人照料", "邻里因排水沟发生争执", NULL};
static const char *const helps[] = {"已向村委会反映", "当场讲解政策", "帮助填写申请表", "联系农技员上门指导", NULL};

/* A committee seat and the households its member looks after. */
typedef struct Seat {
    int64_t person, unit, township;
    int32_t start, end;          /* end 0 while serving; visits stop the day before */
    int64_t *hh;
    int nhh, cap;
} Seat;

static int seat_add_household(Seat *s, int64_t h) {
    if (s->nhh == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 16;
        int64_t *n = realloc(s->hh, (size_t)s->cap * sizeof *n);
        if (!n) return -1;
        s->hh = n;
    }
    s->hh[s->nhh++] = h;
    return 0;
}

/* Reads the seats of the active committees (ordered by group, then seat) into *out. Returns the
 * count or -1. */
static int load_seats(Seat **out) {
    int n = (int)db_one_int(db_prep("SELECT count(*) FROM committee_member cm JOIN committee c ON c.id = cm.committee_id"
                                    " WHERE c.ended_on IS NULL"), 0);
    Seat *s = calloc((size_t)(n > 0 ? n : 1), sizeof *s);
    Stmt *st = db_prep("SELECT cm.person_id, c.unit_id, cm.start_date, coalesce(cm.end_date, ''), t.township_id"
                       " FROM committee_member cm JOIN committee c ON c.id = cm.committee_id"
                       " JOIN group_township t ON t.unit_id = c.unit_id WHERE c.ended_on IS NULL ORDER BY c.unit_id, cm.id");
    int k = 0;
    while (s && st && k < n && db_step(st) == SQLITE_ROW) {
        s[k].person = db_col_int(st, 0);
        s[k].unit = db_col_int(st, 1);
        date_parse(db_col_text(st, 2), &s[k].start);
        if (*db_col_text(st, 3)) date_parse(db_col_text(st, 3), &s[k].end);
        s[k].township = db_col_int(st, 4);
        k++;
    }
    if (st) sqlite3_reset(st);
    *out = s;
    return s ? k : -1;
}

/* True when seat s serves on `day`. */
static bool serving(const Seat *s, int32_t day) { return s->start <= day && (!s->end || s->end > day); }

/* Assigns the households of one group (seats s[0..n)) from the start of the term: round robin among
 * the first members; a member who leaves hands their households to the one who takes the seat on
 * that day, otherwise to the others still serving. Returns 0 or -1. */
static int assign_group(Seat *s, int n, DemoLife *dl) {
    Stmt *st = db_prep("SELECT id FROM household WHERE unit_id = :u ORDER BY id");
    db_bind_int(st, ":u", s[0].unit);
    int32_t term = s[0].start;
    int first = 0;
    for (int i = 0; i < n; i++) if (s[i].start == term) first++;
    int k = 0, rc = 0;
    while (rc == 0 && db_step(st) == SQLITE_ROW) {
        int64_t h = db_col_int(st, 0);
        Seat *owner = &s[k++ % (first > 0 ? first : 1)];
        rc = seat_add_household(owner, h) || contact_demo_assign_household(owner->person, h, owner->unit, term);
        dl->assignments++;
    }
    sqlite3_reset(st);
    for (int i = 0; rc == 0 && i < n; i++) {
        if (!s[i].end) continue;
        int heir = -1, others[32], nothers = 0;
        for (int j = 0; j < n; j++) {
            if (j == i || !serving(&s[j], s[i].end)) continue;
            if (s[j].start == s[i].end) heir = j;
            else if (nothers < 32) others[nothers++] = j;
        }
        for (int x = 0; rc == 0 && x < s[i].nhh; x++) {
            int to = heir >= 0 ? heir : nothers > 0 ? others[x % nothers] : -1;
            if (to < 0) break;
            rc = seat_add_household(&s[to], s[i].hh[x]) || contact_demo_assign_household(s[to].person, s[i].hh[x], s[to].unit, s[i].end);
            dl->assignments++;
        }
    }
    return rc ? -1 : 0;
}

/* A member's habit: the least and most visits they make in an ordinary month. */
static void habit(Rng *r, int *lo, int *hi) {
    int x = (int)rng_below(r, 100);
    if (x < 70) *lo = 5, *hi = 8;        /* keeps to the rule */
    else if (x < 88) *lo = 3, *hi = 6;   /* now and then short */
    else *lo = 0, *hi = 3;               /* far behind */
}

/* Fewer visits at the Spring Festival (Jan–Feb) and at harvest (Sep–Oct). */
static double season(int month) {
    if (month == 1 || month == 2) return 0.6;
    if (month == 9 || month == 10) return 0.7;
    return 1.0;
}

/* A visit made and not yet written, kept small (24 bytes): all 1.26 M of the county are held until
 * the last is made, to be written in the order of their days. */
typedef struct MadeVisit {
    int64_t household;
    int32_t day, seat;                     /* seat: index of the member's Seat */
    uint8_t purpose;                       /* index in purposes */
    uint8_t request, problem, help;        /* 1 + index in requests, problems, helps; 0 for none */
} MadeVisit;

typedef struct MadeVisits { MadeVisit *v; size_t n, cap; } MadeVisits;

/* Appends visit m to list l. Returns 0 or -1 when memory runs out. */
static int made_push(MadeVisits *l, MadeVisit m) {
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 1 << 16;
        MadeVisit *v = realloc(l->v, cap * sizeof *v);
        if (!v) return -1;
        l->v = v;
        l->cap = cap;
    }
    l->v[l->n++] = m;
    return 0;
}

/* Picks an entry of a NULL-terminated list with probability p, as 1 + its index (0 for none). */
static uint8_t maybe_pick(Rng *r, double p, const char *const *list) {
    if (!rng_chance(r, p)) return 0;
    const char *s = rng_pick(r, list);
    uint8_t i = 0;
    while (list[i] != s) i++;
    return i + 1;
}

/* Makes the visits of seat s[k] from its start to today into *out. Returns 0 or -1. */
static int seat_visits(Rng *r, const Seat *seats, int k, int32_t today, MadeVisits *out, DemoLife *dl) {
    const Seat *s = &seats[k];
    if (s->nhh == 0) return 0;
    int lo, hi;
    habit(r, &lo, &hi);
    int32_t last = s->end ? s->end - 1 : today;
    if (last > today) last = today;
    for (int32_t m = date_month_first(s->start); m <= last; m = date_add_months(m, 1)) {
        int y, mo, d;
        civil_from_days(m, &y, &mo, &d);
        int32_t from = m < s->start ? s->start : m, to = date_month_last(m) < last ? date_month_last(m) : last;
        if (to < from) continue;
        double share = (double)(to - from + 1) / date_days_in_month(y, mo);
        double want = (lo + (int)rng_below(r, (uint32_t)(hi - lo + 1))) * season(mo) * share;
        int count = (int)want + (rng_chance(r, want - (int)want) ? 1 : 0);
        if (count > 0 && contact_demo_visit_sum(s->person, s->unit, s->unit, y * 100 + mo, count) != 0) return -1;
        for (int v = 0; v < count; v++) {
            MadeVisit mv = {.seat = k, .purpose = (uint8_t)rng_below(r, NPURPOSES)};
            mv.household = s->hh[rng_below(r, (uint32_t)s->nhh)];
            mv.day = from + (int32_t)rng_below(r, (uint32_t)(to - from + 1));
            mv.request = maybe_pick(r, 0.2, requests);
            mv.problem = maybe_pick(r, 0.1, problems);
            mv.help = maybe_pick(r, 0.25, helps);
            if (made_push(out, mv) != 0) return -1;
            dl->visits++;
        }
    }
    return 0;
}

/* Visit m of seats[m->seat] as the contact module takes it. */
static ContactDemoVisit visit_of(const Seat *seats, const MadeVisit *m) {
    const Seat *s = &seats[m->seat];
    const Purpose *p = &purposes[m->purpose];
    return (ContactDemoVisit){s->person, s->unit, m->household, s->unit, m->day, p->duties, p->text,
                              m->request ? requests[m->request - 1] : NULL, m->problem ? problems[m->problem - 1] : NULL,
                              m->help ? helps[m->help - 1] : NULL, NULL, 0, s->township};
}

/* The positions of the visits in l in the order of their days, those of a day in the order they
 * were made (a counting sort: the days span a few years). Returns a new array or NULL. */
static uint32_t *by_day(const MadeVisits *l) {
    int32_t lo = l->n ? l->v[0].day : 0, hi = lo;
    for (size_t i = 0; i < l->n; i++) {
        if (l->v[i].day < lo) lo = l->v[i].day;
        if (l->v[i].day > hi) hi = l->v[i].day;
    }
    size_t *next = calloc((size_t)(hi - lo) + 2, sizeof *next);
    uint32_t *order = malloc((l->n ? l->n : 1) * sizeof *order);
    if (next && order) {
        for (size_t i = 0; i < l->n; i++) next[l->v[i].day - lo + 1]++;
        for (int32_t d = lo; d <= hi; d++) next[d - lo + 1] += next[d - lo];
        for (size_t i = 0; i < l->n; i++) order[next[l->v[i].day - lo]++] = (uint32_t)i;
    } else {
        free(order);
        order = NULL;
    }
    free(next);
    return order;
}

enum { WRITE_BATCH = 16384 };   /* visits given to contact_demo_visits at once */

/* Writes the visits made for the seats in the order of their days, as members record them, so
 * that the visit ids follow the dates. Returns 0 or -1. */
static int write_visits(const Seat *seats, const MadeVisits *made) {
    uint32_t *order = by_day(made);
    ContactDemoVisit *batch = malloc(WRITE_BATCH * sizeof *batch);
    int rc = order && batch ? 0 : -1;
    for (size_t i = 0; rc == 0 && i < made->n; i += WRITE_BATCH) {
        size_t k = 0;
        for (; k < WRITE_BATCH && i + k < made->n; k++) batch[k] = visit_of(seats, &made->v[order[i + k]]);
        rc = contact_demo_visits(batch, k) == 0 ? 0 : -1;
    }
    free(order);
    free(batch);
    return rc;
}

/* Guidance of every village-cadre login with the committees of its village, from the start of
 * each term: usually once a quarter, sometimes twice, now and then missed. Returns 0 or -1. */
static int guidance(Rng *r, int32_t today, DemoLife *dl) {
    static const char *const hows[] = {"site", "site", "site", "meeting", "phone", NULL};
    static const char *const checked[] = {"查看走访记录和组务公开栏", "检查矛盾纠纷调解台账", "查看组民议事记录",
                                          "了解人居环境整治进展", NULL};
    static const char *const advice[] = {"走访记录要写清组民诉求和办理结果", "按季度更新公开栏", "议事程序要完整、留好会议记录",
                                         "对困难户要多走访、多帮扶", NULL};
    int n = (int)db_one_int(db_prep("SELECT count(*) FROM user u JOIN unit g ON g.parent_id = u.scope_unit JOIN committee c"
                                    " ON c.unit_id = g.id AND c.ended_on IS NULL WHERE u.role = 'village' AND u.active"), 0);
    Stmt *st = db_prep("SELECT u.id, c.id, c.unit_id, c.term_start FROM user u JOIN unit g ON g.parent_id = u.scope_unit"
                       " JOIN committee c ON c.unit_id = g.id AND c.ended_on IS NULL WHERE u.role = 'village' AND u.active"
                       " ORDER BY u.id, c.id");
    typedef struct Pair { int64_t user, committee, unit; int32_t start; } Pair;
    Pair *p = calloc((size_t)(n > 0 ? n : 1), sizeof *p);
    int k = 0;
    while (p && st && k < n && db_step(st) == SQLITE_ROW) {
        p[k] = (Pair){db_col_int(st, 0), db_col_int(st, 1), db_col_int(st, 2), 0};
        date_parse(db_col_text(st, 3), &p[k].start);
        k++;
    }
    if (st) sqlite3_reset(st);
    int rc = p ? 0 : -1;
    for (int i = 0; rc == 0 && i < k; i++) {
        rc = contact_demo_assign_guide(p[i].user, p[i].committee, p[i].unit, p[i].start);
        dl->guide_pairs++;
        for (int32_t q = date_quarter_first(p[i].start); rc == 0 && q <= today; q = date_add_months(q, 3)) {
            int times = rng_chance(r, 0.1) ? 0 : rng_chance(r, 0.25) ? 2 : 1;
            int32_t from = q < p[i].start ? p[i].start : q, to = date_quarter_last(q) < today ? date_quarter_last(q) : today;
            for (int t = 0; rc == 0 && t < times; t++) {
                ContactDemoGuidance g = {p[i].user, p[i].committee, p[i].unit,
                                         from + (int32_t)rng_below(r, (uint32_t)(to - from + 1)), rng_pick(r, hows),
                                         rng_pick(r, checked), rng_chance(r, 0.3) ? "走访记录偏少，个别户长期未走访" : "",
                                         rng_pick(r, advice), rng_chance(r, 0.3) ? "下季度复查" : "", 2 | 1};
                rc = contact_demo_guidance(&g);
                dl->guidance++;
            }
        }
    }
    free(p);
    return rc ? -1 : 0;
}

/* The secondary indexes of visit and guidance, each as migrations 008 and 016 create it, dropped for the
 * load and created after it: created once, each is one sort (~2.4 s for the four at 1.26 M
 * visits). Kept up row by row they cost more, even visit_recent, whose keys come in order now that
 * the visits are written by date: 2.4 s against 1.0 s for its sort, as every insert searches the
 * index from its root. */
typedef struct BulkIndex { const char *create, *drop; } BulkIndex;

static const BulkIndex bulk_indexes[] = {
    {"CREATE INDEX visit_member ON visit (member_id, visited_on)", "DROP INDEX visit_member"},
    {"CREATE INDEX visit_unit ON visit (unit_id, visited_on, duties, void_at)", "DROP INDEX visit_unit"},
    {"CREATE INDEX visit_household ON visit (household_id, visited_on)", "DROP INDEX visit_household"},
    {"CREATE INDEX visit_recent ON visit (visited_on, id, unit_id, void_at, duties)", "DROP INDEX visit_recent"},
    {"CREATE INDEX visit_township ON visit (township_id, visited_on, id, unit_id, void_at, duties)", "DROP INDEX visit_township"},
    {"CREATE INDEX guidance_pair ON guidance (user_id, committee_id, quarter)", "DROP INDEX guidance_pair"},
    {"CREATE INDEX guidance_quarter ON guidance (quarter, user_id, committee_id) WHERE void_at IS NULL",
     "DROP INDEX guidance_quarter"},
    {"CREATE INDEX guidance_unit ON guidance (unit_id, held_on)", "DROP INDEX guidance_unit"},
    {"CREATE INDEX guidance_recent ON guidance (held_on, id, unit_id)", "DROP INDEX guidance_recent"},
    {"CREATE INDEX guidance_voided ON guidance (unit_id) WHERE void_at IS NOT NULL", "DROP INDEX guidance_voided"},
};
enum { NBULK_INDEXES = sizeof bulk_indexes / sizeof bulk_indexes[0] };

/* Drops, for the bulk load, each index of bulk_indexes that the database has exactly as the table
 * says, so that creating it again gives the same index (one a later migration changed stays and is
 * kept up row by row), and marks it in dropped[]. Returns 0 or -1. */
static int drop_bulk_indexes(bool dropped[NBULK_INDEXES]) {
    for (int i = 0; i < NBULK_INDEXES; i++) {
        Stmt *st = db_prep("SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND sql = :ddl");
        db_bind_text(st, ":ddl", bulk_indexes[i].create);
        dropped[i] = db_one_int(st, 0) == 1;
        if (dropped[i] && sqlite3_exec(db_conn(), bulk_indexes[i].drop, NULL, NULL, NULL) != SQLITE_OK) return -1;
    }
    return 0;
}

/* Creates again the indexes drop_bulk_indexes dropped, reading the table through a memory map
 * (it is far larger than the stage's page cache, see demo_contact). Returns 0 or -1. */
static int create_bulk_indexes(const bool dropped[NBULK_INDEXES]) {
    sqlite3_exec(db_conn(), "PRAGMA mmap_size = 2147418112", NULL, NULL, NULL);
    int rc = 0;
    for (int i = 0; rc == 0 && i < NBULK_INDEXES; i++)
        if (dropped[i] && sqlite3_exec(db_conn(), bulk_indexes[i].create, NULL, NULL, NULL) != SQLITE_OK) rc = -1;
    sqlite3_exec(db_conn(), "PRAGMA mmap_size = 0", NULL, NULL, NULL);
    return rc;
}

/* Writes the assignments, visits and guidance of all seats s[0..n), creates the indexes dropped
 * for the load and rebuilds the counters, inside the caller's transaction. Returns 0 or -1. */
static int contact_rows(Rng *r, Seat *s, int n, int32_t today, DemoLife *dl, const bool dropped[NBULK_INDEXES]) {
    MadeVisits made = {0};
    int rc = 0;
    for (int i = 0; rc == 0 && i < n;) {
        int j = i;
        while (j < n && s[j].unit == s[i].unit) j++;
        rc = assign_group(&s[i], j - i, dl);
        for (int x = i; rc == 0 && x < j; x++) rc = seat_visits(r, s, x, today, &made, dl);
        i = j;
    }
    if (rc == 0) rc = write_visits(s, &made);
    free(made.v);
    if (rc != 0 || guidance(r, today, dl) != 0 || create_bulk_indexes(dropped) != 0) return -1;
    if (contact_demo_finish() != 0) {
        fprintf(stderr, "zuwei demo: contact counters: %s\n", db_errmsg());
        return -1;
    }
    Actor a = actor_cli();
    json_t *after = json_pack("{s:s, s:I, s:I, s:I, s:I, s:I, s:I}", "part", "contact", "cadre_logins",
                              (json_int_t)dl->cadre_logins, "guide_pairs", (json_int_t)dl->guide_pairs, "guidance",
                              (json_int_t)dl->guidance, "assignments", (json_int_t)dl->assignments, "visits",
                              (json_int_t)dl->visits, "members", (json_int_t)n);
    return audit_append(&a, "demo", "visit", 0, 0, NULL, after) == 0 ? 0 : -1;
}

int demo_contact(uint64_t seed, int32_t today, DemoLife *dl) {
    Rng r = demo_rng(seed, 5);
    Seat *s = NULL;
    int n = load_seats(&s);
    if (n < 0 || contact_demo_begin() != 0) { free(s); return -1; }
    /* The rows name only members, households and units just read from the database (four
     * foreign-key lookups saved for each of 1.26 M visits); the load writes ~300 MB of new pages.
     * It appends (visits in id order, the client_id index's NULL keys at its end), so a small
     * page cache holds all it touches, and the pages it fills are written as it goes rather than
     * all at the commit. SQLite's sorter cuts an index's keys into runs of the cache's size, sorts
     * each in memory and merges them: runs of 16 MB sort within the processor's caches, where one
     * run of a whole visit index (~50 MB) did not. With the 256 MB cache of the roll the index
     * builds and the commit took ~1.5 s more. */
    sqlite3_exec(db_conn(), "PRAGMA cache_size = -16384", NULL, NULL, NULL);
    demo_bulk_begin();
    int rc = db_begin() == 0 ? 0 : -1;
    bool dropped[NBULK_INDEXES] = {false};
    if (rc == 0) rc = drop_bulk_indexes(dropped);
    if (rc == 0) rc = contact_rows(&r, s, n, today, dl, dropped);
    if (rc == 0) rc = db_commit() == 0 ? 0 : -1;
    if (rc != 0) fprintf(stderr, "zuwei demo: contact: %s\n", db_errmsg());
    if (db_in_tx()) db_rollback();
    demo_bulk_end();
    sqlite3_exec(db_conn(), DEMO_CACHE_SIZE, NULL, NULL, NULL);
    for (int i = 0; i < n; i++) free(s[i].hh);
    free(s);
    return rc;
}
