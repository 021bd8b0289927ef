/* store.c — reading committees, members and formations, the settings, and the lists and
 * composition counts (see store.h). Changes are in formation.c and members.c. */
#include "committees/store.h"
#include "people/people.h"
#include "platform/date.h"
#include "platform/db.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define COPY(dst, col) str_copy((dst), sizeof(dst), db_col_text(st, (col)))

/* ---------------------------------------------------------------------------------------------
 * Settings and posts */

int committee_setting_int(const char *key, int dflt) {
    Stmt *st = db_prep("SELECT value FROM setting WHERE key = :k");
    if (!st) return dflt;
    db_bind_text(st, ":k", key);
    int v = dflt;
    if (db_step(st) == SQLITE_ROW) {
        const char *s = db_col_text(st, 0);
        char *end;
        long n = strtol(s, &end, 10);
        if (*s && !*end && n >= 0 && n <= 1000) v = (int)n;
    }
    sqlite3_reset(st);
    return v;
}

CommitteePolicy committee_policy(void) {
    CommitteePolicy p = COMMITTEE_POLICY_DEFAULT;
    p.min_size = committee_setting_int("committee.min_size", p.min_size);
    p.max_size = committee_setting_int("committee.max_size", p.max_size);
    p.min_age = committee_setting_int("committee.min_age", p.min_age);
    p.allow_migrant = committee_setting_int("committee.allow_migrant", 0) != 0;
    if (committee_policy_validate(&p) != COMMITTEE_OK) p = COMMITTEE_POLICY_DEFAULT;
    return p;
}

const Choice committee_post_choices[] = {
    {"chair", "理事长（召集人）"}, {"mediator", "调解委员"}, {"supervisor", "监督委员"}, {"environment", "环保委员"},
    {"member", "委员"}, {"custom", "其他职务（按需设职）"}, {NULL, NULL},
};
const Choice member_end_choices[] = {
    {"term_end", "任期届满"}, {"resigned", "辞职"}, {"replaced", "调配"}, {"removed", "罢免"}, {"deceased", "去世"}, {NULL, NULL},
};
const Choice formation_body_choices[] = {{"assembly", "组民大会"}, {"representatives", "组民代表会议"}, {NULL, NULL}};
const Choice formation_method_choices[] = {{"household_reps", "户代表选举"}, {"direct", "直接推选"}, {NULL, NULL}};
const Choice member_joined_choices[] = {{"elected", "选举产生"}, {"by_election", "补选"}, {"assigned", "调配"}, {NULL, NULL}};

Post committee_post_rule(const char *post) {
    if (strcmp(post, "chair") == 0) return POST_CHAIR;
    if (strcmp(post, "mediator") == 0) return POST_MEDIATOR;
    if (strcmp(post, "supervisor") == 0) return POST_SUPERVISOR;
    if (strcmp(post, "environment") == 0) return POST_ENVIRONMENT;
    return POST_OTHER;
}

const char *committee_post_label(const char *post, const char *post_name) {
    if (strcmp(post, "custom") == 0 && post_name && *post_name) return post_name;
    for (const Choice *c = committee_post_choices; c->value; c++)
        if (strcmp(c->value, post) == 0) return strcmp(post, "chair") == 0 ? "理事长" : c->label;
    return post;
}

/* ---------------------------------------------------------------------------------------------
 * Committees and members */

#define COMMITTEE_COLS                                                                                  \
    "SELECT c.id, c.unit_id, coalesce(c.formation_id, 0), c.term_start, c.term_end, coalesce(c.ended_on, ''),"   \
    " c.end_reason, c.size_note, c.attention, u.path, u.name FROM committee c JOIN unit u ON u.id = c.unit_id"

static void committee_from(Stmt *st, Committee *c) {
    memset(c, 0, sizeof *c);
    c->id = db_col_int(st, 0);
    c->unit_id = db_col_int(st, 1);
    c->formation_id = db_col_int(st, 2);
    COPY(c->term_start, 3);
    COPY(c->term_end, 4);
    COPY(c->ended_on, 5);
    COPY(c->end_reason, 6);
    COPY(c->size_note, 7);
    c->attention = db_col_int(st, 8) != 0;
    COPY(c->unit_path, 9);
    COPY(c->unit_name, 10);
}

int committee_get(const char *scope, int64_t id, Committee *c) {
    Stmt *st = db_prep(COMMITTEE_COLS " WHERE c.id = :id AND u.path BETWEEN :scope AND :scope || '~'");
    if (!st) return -1;
    db_bind_int(st, ":id", id);
    db_bind_text(st, ":scope", scope);
    int rc = db_step(st) == SQLITE_ROW ? 0 : -1;
    if (rc == 0) committee_from(st, c);
    sqlite3_reset(st);
    return rc;
}

int64_t committee_active_id(int64_t unit_id) {
    Stmt *st = db_prep("SELECT id FROM committee WHERE unit_id = :u AND ended_on IS NULL");
    if (!st) return 0;
    db_bind_int(st, ":u", unit_id);
    return db_one_int(st, 0);
}

int committee_history(int64_t unit_id, Committee *out, int max) {
    Stmt *st = db_prep(COMMITTEE_COLS " WHERE c.unit_id = :u AND c.ended_on IS NOT NULL ORDER BY c.term_start DESC, c.id DESC LIMIT :max");
    if (!st) return -1;
    db_bind_int(st, ":u", unit_id);
    db_bind_int(st, ":max", max);
    int n = 0, rc;
    while ((rc = db_step(st)) == SQLITE_ROW) committee_from(st, &out[n++]);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? n : -1;
}

int committee_members(int64_t committee_id, bool active_only, Member *out, int max) {
    Stmt *st = db_prep("SELECT m.id, m.committee_id, m.person_id, coalesce(m.formation_id, 0), p.name, p.sex, p.birth, p.status,"
                       " p.flags, p.unit_id, m.post, m.post_name, m.start_date, coalesce(m.end_date, ''), coalesce(m.end_reason, ''),"
                       " m.joined_how, m.end_note, m.cadre_reason, m.outside_reason, m.join_note"
                       " FROM committee_member m JOIN person p ON p.id = m.person_id"
                       " WHERE m.committee_id = :c AND (:all = 1 OR m.end_date IS NULL)"
                       " ORDER BY m.end_date IS NOT NULL, m.post != 'chair', m.post = 'member', m.start_date, m.id LIMIT :max");
    if (!st) return -1;
    db_bind_int(st, ":c", committee_id);
    db_bind_int(st, ":all", !active_only);
    db_bind_int(st, ":max", max);
    int n = 0, rc;
    while ((rc = db_step(st)) == SQLITE_ROW) {
        Member *m = &out[n++];
        memset(m, 0, sizeof *m);
        m->id = db_col_int(st, 0);
        m->committee_id = db_col_int(st, 1);
        m->person_id = db_col_int(st, 2);
        m->formation_id = db_col_int(st, 3);
        COPY(m->name, 4);
        m->sex = db_col_text(st, 5)[0];
        COPY(m->birth, 6);
        COPY(m->status, 7);
        m->flags = (unsigned)db_col_int(st, 8);
        m->person_unit = db_col_int(st, 9);
        COPY(m->post, 10);
        COPY(m->post_name, 11);
        COPY(m->start_date, 12);
        COPY(m->end_date, 13);
        COPY(m->end_reason, 14);
        COPY(m->joined_how, 15);
        COPY(m->end_note, 16);
        COPY(m->cadre_reason, 17);
        COPY(m->outside_reason, 18);
        COPY(m->join_note, 19);
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? n : -1;
}

/* ---------------------------------------------------------------------------------------------
 * Formations */

#define FORMATION_COLS                                                                                             \
    "SELECT f.id, f.unit_id, coalesce(f.committee_id, 0), f.kind, f.held_on, f.place, f.body, f.method, f.convened_by,"   \
    " f.status, f.seats, f.eligible, f.present, f.ballots_issued, f.ballots_returned, f.ballots_void, f.round,"          \
    " f.runoff_issued, f.runoff_returned, f.runoff_void, f.result_note, f.size_note, coalesce(f.confirmed_at, ''),"      \
    " u.path, u.name FROM formation f JOIN unit u ON u.id = f.unit_id"

static void formation_from(Stmt *st, Formation *f) {
    memset(f, 0, sizeof *f);
    f->id = db_col_int(st, 0);
    f->unit_id = db_col_int(st, 1);
    f->committee_id = db_col_int(st, 2);
    COPY(f->kind, 3);
    COPY(f->held_on, 4);
    COPY(f->place, 5);
    COPY(f->body, 6);
    COPY(f->method, 7);
    COPY(f->convened_by, 8);
    COPY(f->status, 9);
    f->seats = (int)db_col_int(st, 10);
    f->eligible = (int)db_col_int(st, 11);
    f->present = (int)db_col_int(st, 12);
    f->issued = (int)db_col_int(st, 13);
    f->returned = (int)db_col_int(st, 14);
    f->void_ballots = (int)db_col_int(st, 15);
    f->round = (int)db_col_int(st, 16);
    f->r_issued = (int)db_col_int(st, 17);
    f->r_returned = (int)db_col_int(st, 18);
    f->r_void = (int)db_col_int(st, 19);
    COPY(f->result_note, 20);
    COPY(f->size_note, 21);
    COPY(f->confirmed_at, 22);
    COPY(f->unit_path, 23);
    COPY(f->unit_name, 24);
}

int formation_get(const char *scope, int64_t id, Formation *f) {
    Stmt *st = db_prep(FORMATION_COLS " WHERE f.id = :id AND u.path BETWEEN :scope AND :scope || '~'");
    if (!st) return -1;
    db_bind_int(st, ":id", id);
    db_bind_text(st, ":scope", scope);
    int rc = db_step(st) == SQLITE_ROW ? 0 : -1;
    if (rc == 0) formation_from(st, f);
    sqlite3_reset(st);
    return rc;
}

int group_formations(int64_t unit_id, Formation *out, int max) {
    Stmt *st = db_prep(FORMATION_COLS " WHERE f.unit_id = :u ORDER BY f.held_on DESC, f.id DESC LIMIT :max");
    if (!st) return -1;
    db_bind_int(st, ":u", unit_id);
    db_bind_int(st, ":max", max);
    int n = 0, rc;
    while ((rc = db_step(st)) == SQLITE_ROW) formation_from(st, &out[n++]);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? n : -1;
}

int formation_cands(int64_t formation_id, FCand *out, int max) {
    Stmt *st = db_prep("SELECT c.id, c.person_id, p.name, p.sex, p.birth, p.idnum_mask, p.flags, c.post, c.post_name, c.votes,"
                       " coalesce(c.runoff_votes, -1), c.elected, c.cadre_reason, c.outside_reason"
                       " FROM formation_candidate c JOIN person p ON p.id = c.person_id WHERE c.formation_id = :f"
                       " ORDER BY CASE c.post WHEN 'chair' THEN 0 WHEN 'mediator' THEN 1 WHEN 'supervisor' THEN 2"
                       " WHEN 'environment' THEN 3 WHEN 'custom' THEN 4 ELSE 5 END, c.post_name, c.id LIMIT :max");
    if (!st) return -1;
    db_bind_int(st, ":f", formation_id);
    db_bind_int(st, ":max", max);
    int n = 0, rc;
    while ((rc = db_step(st)) == SQLITE_ROW) {
        FCand *c = &out[n++];
        memset(c, 0, sizeof *c);
        c->id = db_col_int(st, 0);
        c->person_id = db_col_int(st, 1);
        COPY(c->name, 2);
        c->sex = db_col_text(st, 3)[0];
        COPY(c->birth, 4);
        COPY(c->idmask, 5);
        c->flags = (unsigned)db_col_int(st, 6);
        COPY(c->post, 7);
        COPY(c->post_name, 8);
        c->votes = (int)db_col_int(st, 9);
        c->runoff_votes = (int)db_col_int(st, 10);
        c->elected = db_col_int(st, 11) != 0;
        COPY(c->cadre_reason, 12);
        COPY(c->outside_reason, 13);
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? n : -1;
}

int formation_proxies(int64_t formation_id, FProxy *out, int max) {
    Stmt *st = db_prep("SELECT x.id, x.voter_id, x.proxy_id, v.name, p.name, x.relation FROM formation_proxy x"
                       " JOIN person v ON v.id = x.voter_id JOIN person p ON p.id = x.proxy_id"
                       " WHERE x.formation_id = :f ORDER BY x.id LIMIT :max");
    if (!st) return -1;
    db_bind_int(st, ":f", formation_id);
    db_bind_int(st, ":max", max);
    int n = 0, rc;
    while ((rc = db_step(st)) == SQLITE_ROW) {
        FProxy *x = &out[n++];
        x->id = db_col_int(st, 0);
        x->voter_id = db_col_int(st, 1);
        x->proxy_id = db_col_int(st, 2);
        COPY(x->voter_name, 3);
        COPY(x->proxy_name, 4);
        COPY(x->relation, 5);
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? n : -1;
}

static PersonStatus status_rule(const char *s) {
    if (strcmp(s, "moved") == 0) return PERSON_MOVED;
    if (strcmp(s, "migrant") == 0) return PERSON_MIGRANT;
    if (strcmp(s, "deceased") == 0) return PERSON_DECEASED;
    return PERSON_LIVING;
}

/* The active committee of another group than `unit_id` that a person sits on, or 0. */
static int64_t other_committee(int64_t person_id, int64_t unit_id) {
    Stmt *st = db_prep("SELECT c.id FROM committee_member m JOIN committee c ON c.id = m.committee_id"
                       " WHERE m.person_id = :p AND m.end_date IS NULL AND c.unit_id != :u");
    if (!st) return 0;
    db_bind_int(st, ":p", person_id);
    db_bind_int(st, ":u", unit_id);
    return db_one_int(st, 0);
}

void formation_evaluate(const Formation *f, const FCand *c, int n, const char *size_note, Verdict *v) {
    int32_t start = 0;
    date_parse(f->held_on, &start);
    MeetingFacts m = {strcmp(f->body, "representatives") == 0, strcmp(f->method, "household_reps") == 0, f->seats,
                      f->eligible, f->present, f->issued, f->returned, f->void_ballots, f->r_issued, f->r_returned,
                      f->r_void, start, f->unit_id, !text_is_blank(size_note)};
    CandFacts cf[VERDICT_MAX_CANDS];
    if (n > VERDICT_MAX_CANDS) n = VERDICT_MAX_CANDS;
    for (int i = 0; i < n; i++) {
        Person p;
        bool found = person_load(c[i].person_id, &p);
        cf[i] = (CandFacts){c[i].person_id, committee_post_rule(c[i].post), strcmp(c[i].post, "custom") == 0 ? c[i].post_name : "",
                            c[i].votes, c[i].runoff_votes, found ? p.birth : 0, found ? status_rule(p.status) : PERSON_MOVED,
                            found ? p.unit_id : 0, found && (p.flags & PF_CADRE), c[i].cadre_reason, c[i].outside_reason,
                            other_committee(c[i].person_id, f->unit_id)};
    }
    CommitteePolicy pol = committee_policy();
    formation_judge(&m, cf, n, &pol, v);
}

/* ---------------------------------------------------------------------------------------------
 * Lists */

/* The list reads active committees through the index of its first filter, in unit-path order:
 * committee.path and the counts on the row are kept by the triggers of 006_committees.sql. */
#define LIST_COLS                                                                                                \
    "SELECT c.id, g.id, g.name, coalesce(v.name, ''), c.term_start, c.term_end, c.attention, c.size_note,"       \
    " c.members, c.party, c.women, coalesce(ch.name, '') FROM committee c"
#define LIST_JOINS                                                                                               \
    " JOIN unit g ON g.id = c.unit_id LEFT JOIN unit v ON v.id = g.parent_id LEFT JOIN person ch ON ch.id = c.chair_id"
#define LIST_REST                                                                                                \
    " AND (:att = 0 OR c.attention = 1) AND (:nochair = 0 OR c.chairs = 0) AND (:ending = '' OR c.term_end <= :ending)"
#define IN_SCOPE " c.path BETWEEN :scope AND :scope || '~'"
#define BY_ATTENTION " WHERE c.ended_on IS NULL AND c.attention = 1 AND" IN_SCOPE LIST_REST
#define BY_NOCHAIR " WHERE c.ended_on IS NULL AND c.chairs = 0 AND" IN_SCOPE LIST_REST
/* Few committees end soon: those are read by the end of their term, then sorted. */
#define BY_ENDING " WHERE c.ended_on IS NULL AND c.term_end <= :ending AND" IN_SCOPE LIST_REST
#define BY_PATH " WHERE c.ended_on IS NULL AND" IN_SCOPE LIST_REST
#define PAGE " ORDER BY c.path LIMIT :lim OFFSET :off"

enum { COMMITTEE_COUNT_CAP = 1000 };

static void bind_filter(Stmt *st, const CommitteeFilter *f) {
    db_bind_text(st, ":scope", f->scope);
    db_bind_int(st, ":att", f->attention);
    db_bind_int(st, ":nochair", f->nochair);
    char ending[11] = "";
    if (f->ending_days > 0) date_format(f->today + f->ending_days, ending, sizeof ending);
    db_bind_text(st, ":ending", ending);
}

/* The number of committees matching f: the maintained count of the scope's unit when one filter
 * at most (need attention, no chair) is set, else a count of the rows capped at
 * COMMITTEE_COUNT_CAP. Returns -1 on a database error. */
static long long list_count(const CommitteeFilter *f) {
    Stmt *st;
    if (f->ending_days <= 0 && !(f->attention && f->nochair)) {
        st = db_prep("SELECT CASE WHEN :att THEN t.attention WHEN :nochair THEN t.nochair ELSE t.committees END"
                     " FROM unit u JOIN committee_tally t ON t.unit_id = u.id WHERE u.path = :scope");
        if (!st) return -1;
        db_bind_text(st, ":scope", f->scope);
        db_bind_int(st, ":att", f->attention);
        db_bind_int(st, ":nochair", f->nochair);
        return db_one_int(st, 0);
    }
    if (f->attention) st = db_prep("SELECT count(*) FROM (SELECT 1 FROM committee c" BY_ATTENTION " LIMIT :cap)");
    else if (f->nochair) st = db_prep("SELECT count(*) FROM (SELECT 1 FROM committee c" BY_NOCHAIR " LIMIT :cap)");
    else st = db_prep("SELECT count(*) FROM (SELECT 1 FROM committee c INDEXED BY committee_term_end" BY_ENDING " LIMIT :cap)");
    if (!st) return -1;
    bind_filter(st, f);
    db_bind_int(st, ":cap", COMMITTEE_COUNT_CAP);
    return db_one_int(st, -1);
}

int committee_list(const CommitteeFilter *f, int offset, int limit, CommitteeRowFn fn, void *ctx, long long *total) {
    if (total && (*total = list_count(f)) < 0) return -1;
    Stmt *st;
    if (f->attention) st = db_prep(LIST_COLS LIST_JOINS BY_ATTENTION PAGE);
    else if (f->nochair) st = db_prep(LIST_COLS LIST_JOINS BY_NOCHAIR PAGE);
    else if (f->ending_days > 0) st = db_prep(LIST_COLS " INDEXED BY committee_term_end" LIST_JOINS BY_ENDING PAGE);
    else st = db_prep(LIST_COLS LIST_JOINS BY_PATH PAGE);
    if (!st) return -1;
    bind_filter(st, f);
    db_bind_int(st, ":lim", limit);
    db_bind_int(st, ":off", offset);
    int n = 0, rc;
    CommitteeRow row;
    while ((rc = db_step(st)) == SQLITE_ROW) {
        memset(&row, 0, sizeof row);
        row.id = db_col_int(st, 0);
        row.unit_id = db_col_int(st, 1);
        COPY(row.group_name, 2);
        COPY(row.village_name, 3);
        COPY(row.term_start, 4);
        COPY(row.term_end, 5);
        row.attention = db_col_int(st, 6) != 0;
        COPY(row.size_note, 7);
        row.members = (int)db_col_int(st, 8);
        row.party = (int)db_col_int(st, 9);
        row.women = (int)db_col_int(st, 10);
        COPY(row.chair, 11);
        row.nochair = !row.chair[0];
        n++;
        if (fn(ctx, &row)) break;
    }
    sqlite3_reset(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? n : -1;
}
