/* store.c — the records of deliberation: scoped reads and the rule-checked write path (delib.h). */
#include "deliberation/delib.h"
#include "deliberation/deliberation.h"
#include "people/counting.h"
#include "people/store.h"
#include "platform/date.h"
#include "platform/db.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------------------------------------
 * Choices, labels, settings */

const Choice category_choices[] = {
    {"assets", "集体资产"}, {"land", "土地"}, {"works", "公益事业"}, {"funds", "资金使用"},
    {"environment", "环境"}, {"rules", "组规民约"}, {"other", "其他"}, {NULL, NULL},
};
const Choice raised_by_choices[] = {{"villager", "组民提出"}, {"committee", "组委会提出"}, {"village", "村里交办"}, {NULL, NULL}};
const Choice meeting_body_choices[] = {{"assembly", "组民大会"}, {"representatives", "组民代表会议"}, {"committee", "组委会会议"}, {NULL, NULL}};
const Choice basis_choices[] = {{"adults", "按18周岁以上组民计"}, {"reps", "按户代表计"}, {NULL, NULL}};
const Choice stage_choices[] = {
    {"consult", "第一阶段：组民商议"}, {"propose", "第二阶段：组委会商议"}, {"decide", "第三阶段：组民决策"},
    {"implement", "实施中"}, {"closed", "已办结"}, {NULL, NULL},
};

const char *choice_text(const Choice *c, const char *value) {
    for (; c->value; c++)
        if (value && strcmp(c->value, value) == 0) return c->label;
    return value ? value : "";
}

void meeting_rule(const Meeting *m, VoteBody *body, QuorumBasis *basis) {
    if (m->body == MEET_ASSEMBLY) {
        *body = BODY_GROUP_MEETING;
        *basis = strcmp(m->basis, "reps") == 0 ? BASIS_HOUSEHOLD_REPS : BASIS_VILLAGERS_18;
    } else {
        /* A representatives' meeting (Art. 26) and, by county policy, a committee meeting: at
         * least 2/3 of the members present, more than half of those present in favour. */
        *body = BODY_REPRESENTATIVES_MEETING;
        *basis = BASIS_MEMBERS;
    }
}

void delib_setting(const char *key, const char *dflt, char *out, size_t n) {
    Stmt *st = db_prep("SELECT value FROM setting WHERE key = :k");
    db_bind_text(st, ":k", key);
    if (st && db_step(st) == SQLITE_ROW) snprintf(out, n, "%s", db_col_text(st, 0));
    else snprintf(out, n, "%s", dflt);
    if (st) sqlite3_reset(st);
}

/* Copies column `col` into a fixed buffer (snprintf here cost more than the rest of a list row). */
static void col_copy(Stmt *st, int col, char *out, size_t n) { str_copy(out, n, db_col_text(st, col)); }

static void fail(DelibErr *e, const char *field, const char *msg) {
    e->field = field;
    str_copy(e->msg, sizeof e->msg, msg);
}

/* ---------------------------------------------------------------------------------------------
 * Reading */

void matter_from_row(Stmt *st, Matter *m) {   /* every field is set: no memset of the 50 KB struct */
    m->id = db_col_int(st, 0);
    m->unit_id = db_col_int(st, 1);
    m->vote_id = db_col_int(st, 2);
    col_copy(st, 3, m->title, sizeof m->title);
    col_copy(st, 4, m->description, sizeof m->description);
    col_copy(st, 5, m->category, sizeof m->category);
    col_copy(st, 6, m->raised_by, sizeof m->raised_by);
    col_copy(st, 7, m->raised_on, sizeof m->raised_on);
    m->major = db_col_int(st, 8) != 0;
    int s = stage_parse(db_col_text(st, 9));
    m->stage = s < 0 ? STAGE_CONSULT : (Stage)s;
    col_copy(st, 10, m->stage_since, sizeof m->stage_since);
    col_copy(st, 11, m->proposal, sizeof m->proposal);
    col_copy(st, 12, m->decision, sizeof m->decision);
    col_copy(st, 13, m->decided_on, sizeof m->decided_on);
    col_copy(st, 14, m->closed_on, sizeof m->closed_on);
    col_copy(st, 15, m->unit_path, sizeof m->unit_path);
    col_copy(st, 16, m->unit_name, sizeof m->unit_name);
}

int matter_get(const char *scope, int64_t id, Matter *m) {
    Stmt *st = db_prep(MATTER_ROW_COLS " FROM matter m JOIN unit u ON u.id = m.unit_id"
                       " WHERE m.id = :id AND u.path BETWEEN :scope AND :scope || '~'");
    if (!st) return -1;
    db_bind_int(st, ":id", id);
    db_bind_text(st, ":scope", scope);
    int rc = -1;
    if (db_step(st) == SQLITE_ROW) {
        matter_from_row(st, m);
        rc = 0;
    }
    sqlite3_reset(st);
    return rc;
}

int meeting_get(const char *scope, int64_t id, Meeting *m) {
    Stmt *st = db_prep("SELECT g.id, g.unit_id, g.body, g.basis, g.held_on, g.place, g.convener, g.agenda, g.minutes,"
                       " g.eligible, g.present, g.attendance_at IS NOT NULL, u.path, u.name,"
                       " (SELECT count(*) FROM meeting_attendance a WHERE a.meeting_id = g.id AND a.mode = 'proxy')"
                       " FROM meeting g JOIN unit u ON u.id = g.unit_id"
                       " WHERE g.id = :id AND u.path BETWEEN :scope AND :scope || '~'");
    if (!st) return -1;
    db_bind_int(st, ":id", id);
    db_bind_text(st, ":scope", scope);
    int rc = -1;
    if (db_step(st) == SQLITE_ROW) {
        memset(m, 0, sizeof *m);
        m->id = db_col_int(st, 0);
        m->unit_id = db_col_int(st, 1);
        int b = body_parse(db_col_text(st, 2));
        m->body = b < 0 ? MEET_ASSEMBLY : (MeetingBody)b;
        col_copy(st, 3, m->basis, sizeof m->basis);
        col_copy(st, 4, m->held_on, sizeof m->held_on);
        col_copy(st, 5, m->place, sizeof m->place);
        col_copy(st, 6, m->convener, sizeof m->convener);
        col_copy(st, 7, m->agenda, sizeof m->agenda);
        col_copy(st, 8, m->minutes, sizeof m->minutes);
        m->eligible = (int)db_col_int(st, 9);
        m->present = (int)db_col_int(st, 10);
        m->attendance_taken = db_col_int(st, 11) != 0;
        col_copy(st, 12, m->unit_path, sizeof m->unit_path);
        col_copy(st, 13, m->unit_name, sizeof m->unit_name);
        m->proxies = (int)db_col_int(st, 14);
        rc = 0;
    }
    sqlite3_reset(st);
    return rc;
}

/* Reads one day number from a YYYY-MM-DD column value; 0 when empty. */
static int32_t day_of(const char *iso) {
    int32_t d;
    return iso && *iso && date_parse(iso, &d) == 0 ? d : 0;
}

int matter_state_load(const Matter *m, MatterState *s) {
    memset(s, 0, sizeof *s);
    s->major = m->major;
    s->stage = m->stage;
    s->rules_category = strcmp(m->category, "rules") == 0;
    s->has_passed_vote = m->vote_id != 0;
    Stmt *st = db_prep("SELECT kind, max(on_date) FROM matter_entry WHERE matter_id = :m AND kind IN ('consult', 'proposal')"
                       " GROUP BY kind");
    if (!st) return -1;
    db_bind_int(st, ":m", m->id);
    while (db_step(st) == SQLITE_ROW) {
        if (strcmp(db_col_text(st, 0), "consult") == 0) {
            s->has_consult = true;
            s->last_consult = day_of(db_col_text(st, 1));
        } else {
            s->has_proposal = true;
            s->last_proposal = day_of(db_col_text(st, 1));
        }
    }
    sqlite3_reset(st);
    st = db_prep("SELECT count(*) FROM group_rule_version WHERE matter_id = :m");
    db_bind_int(st, ":m", m->id);
    s->rule_adopted = db_one_int(st, 0) > 0;
    return 0;
}

int vote_load(int64_t id, VoteRec *v) {
    Stmt *st = db_prep("SELECT id, matter_id, meeting_id, secret, result = 'passed', eligible, present, votes_for,"
                       " votes_against, abstentions, void_ballots, reason FROM vote WHERE id = :id");
    if (!st) return -1;
    db_bind_int(st, ":id", id);
    int rc = -1;
    if (db_step(st) == SQLITE_ROW) {
        *v = (VoteRec){db_col_int(st, 0), db_col_int(st, 1), db_col_int(st, 2), db_col_int(st, 3) != 0,
                       db_col_int(st, 4) != 0, (int)db_col_int(st, 5), (int)db_col_int(st, 6), (int)db_col_int(st, 7),
                       (int)db_col_int(st, 8), (int)db_col_int(st, 9), (int)db_col_int(st, 10), ""};
        col_copy(st, 11, v->reason, sizeof v->reason);
        rc = 0;
    }
    sqlite3_reset(st);
    return rc;
}

/* Committee members of group `unit_id` serving on `held_on` (YYYY-MM-DD). */
static int committee_members_on(int64_t unit_id, const char *held_on) {
    Stmt *st = db_prep("SELECT count(*) FROM committee_member cm JOIN committee c ON c.id = cm.committee_id"
                       " WHERE c.unit_id = :u AND cm.start_date <= :d AND (cm.end_date IS NULL OR cm.end_date > :d)");
    db_bind_int(st, ":u", unit_id);
    db_bind_text(st, ":d", held_on);
    return (int)db_one_int(st, 0);
}

/* Counts the rows of st (birth, status, status_date or '', household representative, joined or
 * '') that are on the roll on day `on` and count for the basis: adults (roll_eligible), else
 * household representatives on the roll, as group_roll() and roll_count() read them. Resets st.
 * Returns the count, or -1 on a database error. */
static int roll_rows_count(Stmt *st, int32_t on, bool adults) {
    int n = 0, rc;
    while ((rc = db_step(st)) == SQLITE_ROW) {
        RollEntry e = {0, ROLL_RESIDENT, 0, INT32_MIN, db_col_int(st, 3) != 0, 0};
        if (date_parse(db_col_text(st, 0), &e.birth) != 0 || roll_status_parse(db_col_text(st, 1), &e.status) != 0) continue;
        if (*db_col_text(st, 2)) date_parse(db_col_text(st, 2), &e.status_date);
        if (*db_col_text(st, 4)) date_parse(db_col_text(st, 4), &e.joined);
        if (adults ? roll_eligible(&e, on) : (roll_on_roll(&e, on) && e.is_rep)) n++;
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? n : -1;
}

/* The household representatives of group `unit_id` on the roll on day `on`: the reps count of
 * group_eligible_counts(), reading only the representatives' rows. Returns -1 on error. */
static int group_reps_on(int64_t unit_id, int32_t on) {
    Stmt *st = db_prep("SELECT p.birth, p.status, coalesce(p.status_date, ''), 1,"
                       " coalesce((SELECT max(e.on_date) FROM person_event e WHERE e.person_id = p.id AND e.kind = 'moved'"
                       " AND e.to_unit = p.unit_id), '')"
                       " FROM person p JOIN household h ON h.id = p.household_id AND h.rep_id = p.id WHERE p.unit_id = :u");
    if (!st) return -1;
    db_bind_int(st, ":u", unit_id);
    return roll_rows_count(st, on, false);
}

int meeting_eligible(const Meeting *m) {
    if (m->body == MEET_COMMITTEE) return committee_members_on(m->unit_id, m->held_on);
    if (strcmp(m->basis, "adults") != 0) return group_reps_on(m->unit_id, day_of(m->held_on));
    int adults = 0, reps = 0;
    if (group_eligible_counts(m->unit_id, day_of(m->held_on), &adults, &reps) != 0) return -1;
    return adults;
}

/* Counts the attendees of meeting m present in person who count for its quorum basis: adults on
 * the roll on the day, household representatives on the roll, or committee members serving.
 * Returns -1 on a database error. */
static int meeting_present(const Meeting *m) {
    if (m->body == MEET_COMMITTEE) {
        Stmt *st = db_prep("SELECT count(DISTINCT a.person_id) FROM meeting_attendance a"
                           " JOIN committee_member cm ON cm.person_id = a.person_id JOIN committee c ON c.id = cm.committee_id"
                           " WHERE a.meeting_id = :m AND a.mode = 'present' AND c.unit_id = :u AND cm.start_date <= :d"
                           " AND (cm.end_date IS NULL OR cm.end_date > :d)");
        db_bind_int(st, ":m", m->id);
        db_bind_int(st, ":u", m->unit_id);
        db_bind_text(st, ":d", m->held_on);
        return (int)db_one_int(st, -1);
    }
    Stmt *st = db_prep("SELECT p.birth, p.status, coalesce(p.status_date, ''), coalesce(h.rep_id = p.id, 0),"
                       " coalesce((SELECT max(e.on_date) FROM person_event e WHERE e.person_id = p.id AND e.kind = 'moved'"
                       " AND e.to_unit = p.unit_id), '')"
                       " FROM meeting_attendance a JOIN person p ON p.id = a.person_id LEFT JOIN household h ON h.id = p.household_id"
                       " WHERE a.meeting_id = :m AND a.mode = 'present' AND p.unit_id = :u");
    if (!st) return -1;
    db_bind_int(st, ":m", m->id);
    db_bind_int(st, ":u", m->unit_id);
    return roll_rows_count(st, day_of(m->held_on), strcmp(m->basis, "adults") == 0);
}

/* Recomputes and stores a meeting's eligible and present counts. Returns 0 or -1. */
static int meeting_recount(Meeting *m) {
    int eligible = meeting_eligible(m), present = meeting_present(m);
    if (eligible < 0 || present < 0) return -1;
    m->eligible = eligible;
    m->present = present;
    Stmt *st = db_prep("UPDATE meeting SET eligible = :e, present = :p WHERE id = :id");
    db_bind_int(st, ":e", eligible);
    db_bind_int(st, ":p", present);
    db_bind_int(st, ":id", m->id);
    return db_exec(st) == 0 ? 0 : -1;
}

/* ---------------------------------------------------------------------------------------------
 * Meetings */

/* Loads a group unit (active, kind group) for a write. Returns 0 or -1. */
static int group_check(int64_t unit_id, DelibErr *e) {
    Stmt *st = db_prep("SELECT count(*) FROM unit WHERE id = :id AND kind = 'group' AND end_date IS NULL");
    db_bind_int(st, ":id", unit_id);
    if (db_one_int(st, 0) == 1) return 0;
    fail(e, "unit_id", "找不到这个村民组，或它已撤销");
    return -1;
}

/* Checks and inserts meeting m (its counts left at 0) and sets m->id. Returns DELIB_OK,
 * DELIB_REFUSED with e filled, or DELIB_DB. */
static int meeting_insert(Meeting *m, DelibErr *e) {
    int32_t d;
    if (group_check(m->unit_id, e) != 0) return DELIB_REFUSED;
    if (date_parse(m->held_on, &d) != 0) { fail(e, "held_on", "日期格式应为 2026-03-07"); return DELIB_REFUSED; }
    if (m->body == MEET_COMMITTEE) snprintf(m->basis, sizeof m->basis, "members");
    else if (m->body == MEET_REPRESENTATIVES) snprintf(m->basis, sizeof m->basis, "reps");
    else if (strcmp(m->basis, "adults") != 0 && strcmp(m->basis, "reps") != 0) {
        fail(e, "basis", "请选择法定人数的计算口径");
        return DELIB_REFUSED;
    }
    Stmt *st = db_prep("INSERT INTO meeting (unit_id, body, basis, held_on, place, convener, agenda, minutes)"
                       " VALUES (:u, :b, :basis, :d, :p, :c, :a, :min)");
    db_bind_int(st, ":u", m->unit_id);
    db_bind_text(st, ":b", body_key(m->body));
    db_bind_text(st, ":basis", m->basis);
    db_bind_text(st, ":d", m->held_on);
    db_bind_text(st, ":p", m->place);
    db_bind_text(st, ":c", m->convener);
    db_bind_text(st, ":a", m->agenda);
    db_bind_text(st, ":min", m->minutes);
    if (db_exec(st) != 0) return DELIB_DB;
    m->id = db_last_id();
    return DELIB_OK;
}

int dl_meeting_create_tx(Meeting *m, DelibErr *e) {
    int rc = meeting_insert(m, e);
    if (rc != DELIB_OK) return rc;
    return meeting_recount(m) == 0 ? DELIB_OK : DELIB_DB;
}

int dl_meeting_update_tx(const Meeting *m, DelibErr *e) {
    Stmt *st = db_prep("UPDATE meeting SET place = :p, convener = :c, agenda = :a, minutes = :min WHERE id = :id");
    db_bind_text(st, ":p", m->place);
    db_bind_text(st, ":c", m->convener);
    db_bind_text(st, ":a", m->agenda);
    db_bind_text(st, ":min", m->minutes);
    db_bind_int(st, ":id", m->id);
    return db_exec(st) == 0 ? DELIB_OK : DELIB_DB;
}

/* True when person `pid` may be on the attendance of meeting m: on the group's roll, or (for a
 * committee meeting) a member of the group's committee. */
static bool attendee_allowed(const Meeting *m, int64_t pid) {
    Stmt *st = db_prep("SELECT (SELECT count(*) FROM person WHERE id = :p AND unit_id = :u)"
                       " + (SELECT count(*) FROM committee_member cm JOIN committee c ON c.id = cm.committee_id"
                       "    WHERE cm.person_id = :p AND c.unit_id = :u AND :committee)");
    db_bind_int(st, ":p", pid);
    db_bind_int(st, ":u", m->unit_id);
    db_bind_int(st, ":committee", m->body == MEET_COMMITTEE);
    return db_one_int(st, 0) > 0;
}

/* Replaces the attendance of meeting `meeting_id` after checking every attendee, marks it taken
 * and, when `recount`, recomputes the meeting's counts. Returns DELIB_OK, DELIB_REFUSED or DELIB_DB. */
static int attendance_write(int64_t meeting_id, const Attend *a, int n, bool recount, DelibErr *e) {
    Meeting *m = xmalloc(sizeof *m);
    int rc = DELIB_DB;
    if (meeting_get("/", meeting_id, m) != 0) { fail(e, NULL, "找不到这个会议"); rc = DELIB_REFUSED; goto out; }
    if (n > DELIB_ATTEND_MAX) { fail(e, "present", "到会名单人数过多"); rc = DELIB_REFUSED; goto out; }
    for (int i = 0; i < n; i++)
        if (!attendee_allowed(m, a[i].person_id)) {
            snprintf(e->msg, sizeof e->msg, "编号 %lld 的人员不在本组名册中", (long long)a[i].person_id);
            e->field = "present";
            rc = DELIB_REFUSED;
            goto out;
        }
    Stmt *st = db_prep("DELETE FROM meeting_attendance WHERE meeting_id = :m");
    db_bind_int(st, ":m", meeting_id);
    if (db_exec(st) != 0) goto out;
    for (int i = 0; i < n; i++) {
        bool proxy = !a[i].present && a[i].proxy_name && *a[i].proxy_name;
        if (!a[i].present && !proxy) continue;
        st = db_prep("INSERT OR REPLACE INTO meeting_attendance (meeting_id, person_id, mode, proxy_name) VALUES (:m, :p, :mode, :pn)");
        db_bind_int(st, ":m", meeting_id);
        db_bind_int(st, ":p", a[i].person_id);
        db_bind_text(st, ":mode", proxy ? "proxy" : "present");
        db_bind_text(st, ":pn", proxy ? a[i].proxy_name : "");
        if (db_exec(st) != 0) goto out;
    }
    st = db_prep("UPDATE meeting SET attendance_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = :m");
    db_bind_int(st, ":m", meeting_id);
    if (db_exec(st) != 0 || (recount && meeting_recount(m) != 0)) goto out;
    rc = DELIB_OK;
out:
    free(m);
    return rc;
}

int dl_attendance_tx(int64_t meeting_id, const Attend *a, int n, DelibErr *e) {
    return attendance_write(meeting_id, a, n, true, e);
}

int dl_meeting_held_tx(Meeting *m, const Attend *a, int n, bool vote_follows, DelibErr *e) {
    int rc = meeting_insert(m, e);
    if (rc != DELIB_OK) return rc;
    return attendance_write(m->id, a, n, !vote_follows, e);
}

int dl_photo_add_tx(int64_t meeting_id, const char *content_type, const char *caption, const void *data, size_t n,
                    int64_t *photo_id, DelibErr *e) {
    if (n == 0 || n > DELIB_PHOTO_MAX) { fail(e, "photo", "照片不能超过 2 MB"); return DELIB_REFUSED; }
    Stmt *st = db_prep("SELECT count(*) FROM meeting_photo WHERE meeting_id = :m");
    db_bind_int(st, ":m", meeting_id);
    if (db_one_int(st, 0) >= DELIB_PHOTOS_PER_MEETING) { fail(e, "photo", "每次会议最多上传 12 张照片"); return DELIB_REFUSED; }
    st = db_prep("INSERT INTO meeting_photo (meeting_id, content_type, caption, data) VALUES (:m, :t, :c, :d)");
    db_bind_int(st, ":m", meeting_id);
    db_bind_text(st, ":t", content_type);
    db_bind_text(st, ":c", caption ? caption : "");
    db_bind_blob(st, ":d", data, (int)n);
    if (db_exec(st) != 0) return DELIB_DB;
    *photo_id = db_last_id();
    return DELIB_OK;
}

/* ---------------------------------------------------------------------------------------------
 * Matters and their stages */

int dl_matter_create_tx(Matter *m, DelibErr *e) {
    int32_t d;
    if (group_check(m->unit_id, e) != 0) return DELIB_REFUSED;
    if (date_parse(m->raised_on, &d) != 0) { fail(e, "raised_on", "日期格式应为 2026-03-07"); return DELIB_REFUSED; }
    if (!*choice_text(category_choices, m->category) || strcmp(choice_text(category_choices, m->category), m->category) == 0) {
        fail(e, "category", "请从列表中选择");
        return DELIB_REFUSED;
    }
    char majors[200];
    delib_setting("deliberation.major_categories", DELIB_MAJOR_DEFAULT, majors, sizeof majors);
    m->major = matter_is_major(m->category, m->major, majors);
    m->stage = m->major ? STAGE_CONSULT : STAGE_PROPOSE;
    str_copy(m->stage_since, sizeof m->stage_since, m->raised_on);
    Stmt *st = db_prep("INSERT INTO matter (unit_id, title, description, category, raised_by, raised_on, major, stage, stage_since)"
                       " VALUES (:u, :t, :d, :c, :rb, :ro, :major, :stage, :since)");
    db_bind_int(st, ":u", m->unit_id);
    db_bind_text(st, ":t", m->title);
    db_bind_text(st, ":d", m->description);
    db_bind_text(st, ":c", m->category);
    db_bind_text(st, ":rb", m->raised_by);
    db_bind_text(st, ":ro", m->raised_on);
    db_bind_int(st, ":major", m->major);
    db_bind_text(st, ":stage", stage_key(m->stage));
    db_bind_text(st, ":since", m->stage_since);
    if (db_exec(st) != 0) return DELIB_DB;
    m->id = db_last_id();
    return DELIB_OK;
}

/* Everything a stage step needs: the matter, its rule state, and the cited meeting. */
typedef struct StepCtx {
    Matter m;
    MatterState s;
    Meeting g;
    MatterStep step;
} StepCtx;

/* Loads the matter and (when meeting_id is not 0) the meeting of the same group, and checks the
 * step against the stage rules. Returns DELIB_OK with c filled, or DELIB_REFUSED / DELIB_DB. */
static int step_prepare(StepCtx *c, int64_t matter_id, int64_t meeting_id, MatterAction act, const char *on, DelibErr *e) {
    if (matter_get("/", matter_id, &c->m) != 0) { fail(e, NULL, "找不到这个事项"); return DELIB_REFUSED; }
    if (matter_state_load(&c->m, &c->s) != 0) return DELIB_DB;
    c->step = (MatterStep){act, false, MEET_ASSEMBLY, 0, true};
    char reps[8];
    delib_setting("deliberation.representatives_decide", "1", reps, sizeof reps);
    c->step.reps_may_decide = strcmp(reps, "0") != 0;
    if (meeting_id) {
        if (meeting_get("/", meeting_id, &c->g) != 0 || c->g.unit_id != c->m.unit_id) {
            fail(e, "meeting_id", "找不到这个会议，或它不是本组的会议");
            return DELIB_REFUSED;
        }
        c->step.has_meeting = true;
        c->step.body = c->g.body;
        on = c->g.held_on;
    }
    if (act != ACT_ADOPT_RULE && (!on || date_parse(on, &c->step.on) != 0)) {
        fail(e, "on_date", "日期格式应为 2026-03-07");
        return DELIB_REFUSED;
    }
    const char *why = matter_step_check(&c->s, &c->step);
    if (why) { fail(e, act == ACT_VOTE || act == ACT_PROPOSE ? "meeting_id" : NULL, why); return DELIB_REFUSED; }
    return DELIB_OK;
}

/* Appends a timeline entry. Returns 0 or -1. */
static int entry_add(int64_t matter_id, const char *kind, const char *on, int64_t meeting_id, int64_t vote_id,
                     const char *text, const char *result, int opinions, int64_t by) {
    Stmt *st = db_prep("INSERT INTO matter_entry (matter_id, kind, on_date, meeting_id, vote_id, text, result, opinions, created_by)"
                       " VALUES (:m, :k, :d, :g, :v, :t, :r, :o, :by)");
    db_bind_int(st, ":m", matter_id);
    db_bind_text(st, ":k", kind);
    db_bind_text(st, ":d", on);
    if (meeting_id) db_bind_int(st, ":g", meeting_id); else db_bind_null(st, ":g");
    if (vote_id) db_bind_int(st, ":v", vote_id); else db_bind_null(st, ":v");
    db_bind_text(st, ":t", text ? text : "");
    db_bind_text(st, ":r", result ? result : "");
    db_bind_int(st, ":o", opinions);
    if (by) db_bind_int(st, ":by", by); else db_bind_null(st, ":by");
    return db_exec(st) == 0 ? 0 : -1;
}

/* Moves the matter to the stage the step leads to (stage_since = the step's date when it changes). */
static int stage_move(StepCtx *c, bool passed, const char *on) {
    Stage next = matter_next_stage(&c->s, &c->step, passed);
    if (next == c->m.stage) return 0;
    Stmt *st = db_prep("UPDATE matter SET stage = :s, stage_since = :d WHERE id = :id");
    db_bind_text(st, ":s", stage_key(next));
    db_bind_text(st, ":d", on);
    db_bind_int(st, ":id", c->m.id);
    if (db_exec(st) != 0) return -1;
    c->m.stage = next;
    return 0;
}

int dl_consult_tx(int64_t matter_id, int64_t meeting_id, const char *on, const char *text, int opinions, int64_t by,
                  DelibErr *e) {
    StepCtx *c = xmalloc(sizeof *c);
    int rc = step_prepare(c, matter_id, meeting_id, ACT_CONSULT, on, e);
    if (rc == DELIB_OK && !meeting_id && (!text || !*text)) { fail(e, "text", "请填写收集到的意见，或选择商议会议"); rc = DELIB_REFUSED; }
    if (rc == DELIB_OK) {
        const char *day = meeting_id ? c->g.held_on : on;
        rc = entry_add(matter_id, "consult", day, meeting_id, 0, text, NULL, opinions < 0 ? 0 : opinions, by) == 0 &&
                     stage_move(c, false, day) == 0 ? DELIB_OK : DELIB_DB;
    }
    free(c);
    return rc;
}

int dl_propose_tx(int64_t matter_id, int64_t meeting_id, const char *proposal, int64_t by, DelibErr *e) {
    StepCtx *c = xmalloc(sizeof *c);
    int rc = meeting_id ? step_prepare(c, matter_id, meeting_id, ACT_PROPOSE, NULL, e) : DELIB_REFUSED;
    if (!meeting_id) fail(e, "meeting_id", "第二阶段应在组委会会议上商议并提出方案");
    if (rc == DELIB_OK && (!proposal || !*proposal)) { fail(e, "proposal", "请填写组委会提出的方案"); rc = DELIB_REFUSED; }
    if (rc == DELIB_OK) {
        Stmt *st = db_prep("UPDATE matter SET proposal = :p WHERE id = :id");
        db_bind_text(st, ":p", proposal);
        db_bind_int(st, ":id", matter_id);
        rc = db_exec(st) == 0 && entry_add(matter_id, "proposal", c->g.held_on, meeting_id, 0, proposal, NULL, 0, by) == 0 &&
                     stage_move(c, false, c->g.held_on) == 0 ? DELIB_OK : DELIB_DB;
    }
    free(c);
    return rc;
}

/* Stores the vote row of a checked tally. Returns 0 or -1. */
static int vote_insert(VoteRec *v) {
    Stmt *st = db_prep("INSERT INTO vote (matter_id, meeting_id, secret, eligible, present, votes_for, votes_against,"
                       " abstentions, void_ballots, result, reason) VALUES (:m, :g, :s, :e, :p, :f, :a, :ab, :v, :r, :why)");
    db_bind_int(st, ":m", v->matter_id);
    db_bind_int(st, ":g", v->meeting_id);
    db_bind_int(st, ":s", v->secret);
    db_bind_int(st, ":e", v->eligible);
    db_bind_int(st, ":p", v->present);
    db_bind_int(st, ":f", v->votes_for);
    db_bind_int(st, ":a", v->votes_against);
    db_bind_int(st, ":ab", v->abstentions);
    db_bind_int(st, ":v", v->void_ballots);
    db_bind_text(st, ":r", v->passed ? "passed" : "failed");
    db_bind_text(st, ":why", v->reason);
    if (db_exec(st) != 0) return -1;
    v->id = db_last_id();
    return 0;
}

/* Applies vote.h to the counts of v at meeting g (eligible and present from the roll and the
 * attendance, recomputed now). Returns DELIB_OK with v->passed and v->reason set, or
 * DELIB_REFUSED for counts that cannot be recorded at all. */
static int vote_judge(Meeting *g, VoteRec *v, DelibErr *e) {
    if (!g->attendance_taken) { fail(e, "meeting_id", "请先登记这次会议的到会人员，再录入表决结果"); return DELIB_REFUSED; }
    if (meeting_recount(g) != 0) return DELIB_DB;
    v->eligible = g->eligible;
    v->present = g->present;
    if (v->void_ballots > 0 && (int64_t)v->votes_for + v->votes_against + v->abstentions + v->void_ballots > v->present) {
        fail(e, "void_ballots", "赞成、反对、弃权和无效票数之和不能多于实到人数");
        return DELIB_REFUSED;
    }
    VoteBody body;
    QuorumBasis basis;
    meeting_rule(g, &body, &basis);
    VoteTally t = {v->eligible, v->present, v->votes_for, v->votes_against, v->abstentions};
    VoteCheck chk = vote_check(body, basis, &t, v->reason, sizeof v->reason);
    if (chk.status < 0) { fail(e, chk.status == VOTE_ERR_BALLOTS_OVER ? "votes_for" : "meeting_id", v->reason); return DELIB_REFUSED; }
    v->passed = chk.ok;
    return DELIB_OK;
}

int dl_vote_tx(int64_t matter_id, int64_t meeting_id, VoteRec *v, const char *decision, int64_t by, DelibErr *e) {
    StepCtx *c = xmalloc(sizeof *c);
    int rc = step_prepare(c, matter_id, meeting_id, ACT_VOTE, NULL, e);
    if (rc == DELIB_OK) rc = vote_judge(&c->g, v, e);
    if (rc == DELIB_OK) {
        v->matter_id = matter_id;
        v->meeting_id = meeting_id;
        rc = vote_insert(v) == 0 && entry_add(matter_id, "vote", c->g.held_on, meeting_id, v->id, v->reason, v->passed ? "passed" : "failed", 0, by) == 0 &&
                     stage_move(c, v->passed, c->g.held_on) == 0 ? DELIB_OK : DELIB_DB;
    }
    if (rc == DELIB_OK && v->passed) {
        const char *text = decision && *decision ? decision : *c->m.proposal ? c->m.proposal : c->m.title;
        Stmt *st = db_prep("UPDATE matter SET vote_id = :v, decision = :d, decided_on = :on WHERE id = :id");
        db_bind_int(st, ":v", v->id);
        db_bind_text(st, ":d", text);
        db_bind_text(st, ":on", c->g.held_on);
        db_bind_int(st, ":id", matter_id);
        if (db_exec(st) != 0) rc = DELIB_DB;
    }
    free(c);
    return rc;
}

int dl_implement_tx(int64_t matter_id, const char *on, const char *text, const char *result, int64_t by, DelibErr *e) {
    StepCtx *c = xmalloc(sizeof *c);
    int rc = step_prepare(c, matter_id, 0, ACT_IMPLEMENT, on, e);
    if (rc == DELIB_OK && (!text || !*text)) { fail(e, "text", "请填写实施情况"); rc = DELIB_REFUSED; }
    if (rc == DELIB_OK) rc = entry_add(matter_id, "implement", on, 0, 0, text, result, 0, by) == 0 ? DELIB_OK : DELIB_DB;
    free(c);
    return rc;
}

int dl_close_tx(int64_t matter_id, const char *on, const char *note, int64_t by, DelibErr *e) {
    StepCtx *c = xmalloc(sizeof *c);
    int rc = step_prepare(c, matter_id, 0, ACT_CLOSE, on, e);
    if (rc == DELIB_OK) {
        Stmt *st = db_prep("UPDATE matter SET closed_on = :d WHERE id = :id");
        db_bind_text(st, ":d", on);
        db_bind_int(st, ":id", matter_id);
        rc = db_exec(st) == 0 && entry_add(matter_id, "close", on, 0, 0, note, NULL, 0, by) == 0 && stage_move(c, false, on) == 0
                 ? DELIB_OK : DELIB_DB;
    }
    free(c);
    return rc;
}

int dl_adopt_rule_tx(int64_t matter_id, int64_t rule_id, const char *title, const char *body, const char *note,
                     int64_t *version_id, DelibErr *e) {
    StepCtx *c = xmalloc(sizeof *c);
    bool amend = rule_id != 0;
    int rc = step_prepare(c, matter_id, 0, ACT_ADOPT_RULE, NULL, e);
    if (rc != DELIB_OK) goto out;
    const char *text = body && *body ? body : c->m.decision;
    if (!*text) { fail(e, "body", "请填写组规民约的条文"); rc = DELIB_REFUSED; goto out; }
    Stmt *st;
    if (rule_id) {
        st = db_prep("SELECT count(*) FROM group_rule WHERE id = :r AND unit_id = :u");
        db_bind_int(st, ":r", rule_id);
        db_bind_int(st, ":u", c->m.unit_id);
        if (db_one_int(st, 0) != 1) { fail(e, "rule_id", "找不到这份组规民约，或它不属于本组"); rc = DELIB_REFUSED; goto out; }
    } else {
        if (!title || !*title) { fail(e, "title", "请填写组规民约的名称"); rc = DELIB_REFUSED; goto out; }
        st = db_prep("INSERT INTO group_rule (unit_id, title) VALUES (:u, :t)");
        db_bind_int(st, ":u", c->m.unit_id);
        db_bind_text(st, ":t", title);
        if (db_exec(st) != 0) { rc = DELIB_DB; goto out; }
        rule_id = db_last_id();
    }
    st = db_prep("INSERT INTO group_rule_version (rule_id, version, kind, body, note, matter_id, vote_id, adopted_on)"
                 " VALUES (:r, (SELECT coalesce(max(version), 0) + 1 FROM group_rule_version WHERE rule_id = :r),"
                 " :k, :b, :n, :m, :v, :d)");
    db_bind_int(st, ":r", rule_id);
    db_bind_text(st, ":k", amend ? "amendment" : "new");
    db_bind_text(st, ":b", text);
    db_bind_text(st, ":n", note ? note : "");
    db_bind_int(st, ":m", matter_id);
    db_bind_int(st, ":v", c->m.vote_id);
    db_bind_text(st, ":d", c->m.decided_on);
    rc = db_exec(st) == 0 ? DELIB_OK : DELIB_DB;
    if (rc == DELIB_OK) *version_id = db_last_id();
out:
    free(c);
    return rc;
}

/* The matters of each (unit, stage, category), counted in the group and every ancestor, against
 * matter_tally; a row counted down to zero is as good as no row. */
int matter_counts_check(void) {
    Stmt *st = db_prep("WITH want AS (SELECT j.value AS unit_id, m.stage, m.category, count(*) AS n FROM matter m"
                       " JOIN unit g ON g.id = m.unit_id, json_each('[' || replace(trim(g.path, '/'), '/', ',') || ']') AS j"
                       " GROUP BY 1, 2, 3),"
                       " diff AS (SELECT unit_id, stage, category, n FROM want"
                       " EXCEPT SELECT unit_id, stage, category, matters FROM matter_tally"
                       " UNION ALL SELECT * FROM (SELECT unit_id, stage, category, matters FROM matter_tally WHERE matters != 0"
                       " EXCEPT SELECT unit_id, stage, category, n FROM want))"
                       " SELECT count(*) FROM (SELECT DISTINCT unit_id, stage, category FROM diff)");
    return st ? (int)db_one_int(st, -1) : -1;
}
