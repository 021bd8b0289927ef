/* roll.c — the write path of the registry: checking a person, sealing ID numbers, inserting and
 * updating people and households with their history and audit entries (see people.h). */
#include "people/people.h"
#include "people/idnum.h"
#include "org/units.h"
#include "people/pinyin.h"
#include "platform/crypto.h"
#include "platform/date.h"
#include "platform/db.h"
#include "platform/validate.h"
#include <stdio.h>
#include <string.h>

const FlagName person_flags[] = {
    {PF_PARTY, "party", "党员"},        {PF_CHUNHUI, "chunhui", "春晖使者"}, {PF_WEALTH, "wealth", "致富能手"},
    {PF_VETERAN, "veteran", "复转军人"}, {PF_RETIRED, "retired", "退休公职人员"}, {PF_CADRE, "cadre", "村两委干部"},
    {PF_LEGAL, "legal", "法律明白人"},   {PF_LABOUR, "labour", "劳动力"},      {0, NULL, NULL},
};

static bool one_of(const char *v, const char *const *set) {
    for (; *set; set++)
        if (strcmp(v, *set) == 0) return true;
    return false;
}

static const char *const relations[] = {"head", "spouse", "child", "parent", "grandchild", "grandparent",
                                        "sibling", "child_in_law", "other", NULL};
static const char *const statuses[] = {"resident", "moved", "migrant", "deceased", NULL};

static bool fail(PersonErr *e, const char *field, const char *code, const char *msg) {
    *e = (PersonErr){field, code, msg};
    return false;
}

bool person_check(const Person *p, int32_t today, PersonErr *err) {
    size_t n = utf8_chars(p->name);
    if (n == 0) return fail(err, "name", "required", "必填");
    if (n > 30) return fail(err, "name", "too_long", "姓名不能超过 30 个字");
    for (const char *c = p->name; *c; c++)
        if ((unsigned char)*c < 0x20 || *c == '<' || *c == '>') return fail(err, "name", "format", "姓名含有不允许的字符");
    if (p->sex != 'M' && p->sex != 'F') return fail(err, "sex", "choice", "请选择性别");
    if (p->birth <= days_from_civil(1900, 1, 1) || p->birth > today) return fail(err, "birth", "range", "出生日期不合理");
    if (p->idnum[0]) {
        int rc = idnum_check_against(p->idnum, p->birth, p->sex == 'M' ? IDNUM_SEX_MALE : IDNUM_SEX_FEMALE);
        if (rc != IDNUM_OK) return fail(err, "idnum", "idnum", idnum_error_zh(rc));
    }
    if (p->phone[0]) {
        Field f = {"phone", "联系电话", FT_PHONE, false, 0, 0, NULL, NULL, NULL};
        int64_t out;
        const char *code;
        if (field_check(NULL, &f, p->phone, &out, &code)) return fail(err, "phone", "format", "请填写11位手机号或带区号的固定电话（如 0856-1234567）");
    }
    if (!one_of(p->relation, relations)) return fail(err, "relation", "choice", "请选择与户主关系");
    if (!one_of(p->status, statuses)) return fail(err, "status", "choice", "请选择人员状态");
    if (strcmp(p->status, "resident") != 0 && p->status_date == 0)
        return fail(err, "status_date", "required", "外出、迁出或去世需填写日期");
    if (p->status_date && (p->status_date < p->birth || p->status_date > today))
        return fail(err, "status_date", "range", "状态日期不合理");
    if (utf8_chars(p->ethnicity) > 10) return fail(err, "ethnicity", "too_long", "民族不能超过 10 个字");
    if (utf8_chars(p->education) > 10) return fail(err, "education", "too_long", "文化程度不能超过 10 个字");
    if (p->flags & ~(unsigned)PF_ALL) return fail(err, "flags", "choice", "标记无效");
    return true;
}

/* Normalises an ID number as typed: trimmed, lower-case x made upper-case. */
static void normalise_idnum(const char *in, char out[20]) {
    while (*in == ' ') in++;
    size_t n = 0;
    for (; *in && *in != ' ' && n < 19; in++) out[n++] = *in == 'x' ? 'X' : *in;
    out[n] = 0;
}

void people_idnum_blind(const char *idnum, char out[33]) {
    char norm[20];
    normalise_idnum(idnum, norm);
    crypto_blind_index("idnum", norm, out);
}

int people_seal_idnum(const char *idnum, SealedId *s) { return people_seal_idnum_blind(idnum, NULL, s); }

int people_seal_idnum_blind(const char *idnum, const char *blind, SealedId *s) {
    memset(s, 0, sizeof *s);
    if (!idnum || !*idnum) return 0;
    char norm[20];
    normalise_idnum(idnum, norm);
    if (crypto_seal(norm, s->sealed, sizeof s->sealed) != 0) return -1;
    if (blind) memcpy(s->blind, blind, sizeof s->blind);
    else crypto_blind_index("idnum", norm, s->blind);
    idnum_mask(norm, s->mask, sizeof s->mask);
    size_t n = strlen(norm);
    snprintf(s->tail, sizeof s->tail, "%.4s", n >= 4 ? norm + n - 4 : norm);
    s->present = true;
    return 0;
}

void person_bind(Stmt *st, const Person *p, const SealedId *s) {
    char birth[16], sd[16], initials[64];
    date_format(p->birth, birth, sizeof birth);
    pinyin_initials(p->name, initials, sizeof initials);
    db_bind_int(st, ":unit", p->unit_id);
    if (p->household_id) db_bind_int(st, ":hh", p->household_id);
    else db_bind_null(st, ":hh");
    db_bind_text(st, ":rel", p->relation);
    db_bind_text(st, ":name", p->name);
    db_bind_text(st, ":ini", initials);
    db_bind_textn(st, ":sex", &p->sex, 1);
    db_bind_text(st, ":birth", birth);
    db_bind_text(st, ":phone", p->phone);
    db_bind_text(st, ":eth", p->ethnicity);
    db_bind_text(st, ":edu", p->education);
    db_bind_text(st, ":status", p->status);
    if (p->status_date) {
        date_format(p->status_date, sd, sizeof sd);
        db_bind_text(st, ":sdate", sd);
    } else {
        db_bind_null(st, ":sdate");
    }
    db_bind_int(st, ":flags", p->flags);
    if (s) {
        db_bind_text(st, ":sealed", s->present ? s->sealed : NULL);
        db_bind_text(st, ":blind", s->present ? s->blind : NULL);
        db_bind_text(st, ":mask", s->mask);
        db_bind_text(st, ":tail", s->tail);
        db_bind_int(st, ":legacy", s->present && strlen(p->idnum) == 15);
    }
}

int person_event_add(int64_t person, const char *kind, const char *date, int64_t fu, int64_t tu, int64_t fh, int64_t th,
                     const char *detail) {
    Stmt *st = db_prep("INSERT INTO person_event (person_id, kind, on_date, from_unit, to_unit, from_household, to_household, detail)"
                       " VALUES (:p, :k, :d, nullif(:fu, 0), nullif(:tu, 0), nullif(:fh, 0), nullif(:th, 0), :detail)");
    db_bind_int(st, ":p", person);
    db_bind_text(st, ":k", kind);
    db_bind_text(st, ":d", date);
    db_bind_int(st, ":fu", fu);
    db_bind_int(st, ":tu", tu);
    db_bind_int(st, ":fh", fh);
    db_bind_int(st, ":th", th);
    db_bind_text(st, ":detail", detail ? detail : "");
    return db_exec(st);
}

int person_insert(Person *p, const char *event_date) {
    SealedId s;
    if (people_seal_idnum(p->idnum, &s) != 0) return -1;
    snprintf(p->idmask, sizeof p->idmask, "%s", s.mask);
    Stmt *st = db_prep("INSERT INTO person (unit_id, household_id, relation, name, initials, sex, birth, idnum_sealed,"
                       " idnum_blind, idnum_mask, idnum_tail, idnum_legacy, phone, ethnicity, education, status, status_date, flags)"
                       " VALUES (:unit, :hh, :rel, :name, :ini, :sex, :birth, :sealed, :blind, :mask, :tail, :legacy, :phone,"
                       " :eth, :edu, :status, :sdate, :flags)");
    person_bind(st, p, &s);
    int rc = db_exec(st);
    if (rc == SQLITE_CONSTRAINT) return sqlite3_extended_errcode(db_conn()) == SQLITE_CONSTRAINT_UNIQUE ? PEOPLE_DUP_ID : -1;
    if (rc) return -1;
    p->id = db_last_id();
    return person_event_add(p->id, "created", event_date, 0, p->unit_id, 0, p->household_id, NULL) ? -1 : 0;
}

int household_insert(Household *h) {
    Stmt *st = db_prep("INSERT INTO household (unit_id, hh_no, address, farmland_c, forest_c, livestock, poultry, poverty, family_rules)"
                       " VALUES (:unit, :no, :addr, :farm, :forest, :live, :poul, :pov, :rules)");
    db_bind_int(st, ":unit", h->unit_id);
    db_bind_text(st, ":no", h->hh_no);
    db_bind_text(st, ":addr", h->address);
    db_bind_int(st, ":farm", h->farmland_c);
    db_bind_int(st, ":forest", h->forest_c);
    db_bind_int(st, ":live", h->livestock);
    db_bind_int(st, ":poul", h->poultry);
    db_bind_text(st, ":pov", h->poverty[0] ? h->poverty : "none");
    db_bind_text(st, ":rules", h->family_rules);
    if (db_exec(st)) return -1;
    h->id = db_last_id();
    return 0;
}

int household_set_head_rep(int64_t household_id, int64_t head_id, int64_t rep_id) {
    Stmt *st = db_prep("UPDATE household SET head_id = nullif(:head, 0), rep_id = nullif(:rep, 0) WHERE id = :id");
    db_bind_int(st, ":head", head_id);
    db_bind_int(st, ":rep", rep_id);
    db_bind_int(st, ":id", household_id);
    return db_exec(st) ? -1 : 0;
}

int64_t person_id_by_idnum(const char *idnum) {
    char blind[33];
    people_idnum_blind(idnum, blind);
    Stmt *st = db_prep("SELECT id FROM person WHERE idnum_blind = :b");
    db_bind_text(st, ":b", blind);
    return db_one_int(st, 0);
}

/* ---------------------------------------------------------------------------------------------
 * Loading */

bool person_load(int64_t id, Person *p) {
    Stmt *st = db_prep("SELECT id, unit_id, coalesce(household_id, 0), relation, name, sex, birth, idnum_mask, idnum_legacy,"
                       " phone, ethnicity, education, status, coalesce(status_date, ''), flags FROM person WHERE id = :id");
    db_bind_int(st, ":id", id);
    bool found = db_step(st) == SQLITE_ROW;
    if (found) {
        memset(p, 0, sizeof *p);
        p->id = db_col_int(st, 0);
        p->unit_id = db_col_int(st, 1);
        p->household_id = db_col_int(st, 2);
        snprintf(p->relation, sizeof p->relation, "%s", db_col_text(st, 3));
        snprintf(p->name, sizeof p->name, "%s", db_col_text(st, 4));
        p->sex = db_col_text(st, 5)[0];
        date_parse(db_col_text(st, 6), &p->birth);
        snprintf(p->idmask, sizeof p->idmask, "%s", db_col_text(st, 7));
        p->idnum_legacy = db_col_int(st, 8) != 0;
        snprintf(p->phone, sizeof p->phone, "%s", db_col_text(st, 9));
        snprintf(p->ethnicity, sizeof p->ethnicity, "%s", db_col_text(st, 10));
        snprintf(p->education, sizeof p->education, "%s", db_col_text(st, 11));
        snprintf(p->status, sizeof p->status, "%s", db_col_text(st, 12));
        if (*db_col_text(st, 13)) date_parse(db_col_text(st, 13), &p->status_date);
        p->flags = (unsigned)db_col_int(st, 14);
    }
    if (st) sqlite3_reset(st);
    return found;
}

bool household_load(int64_t id, Household *h) {
    Stmt *st = db_prep("SELECT id, unit_id, coalesce(head_id, 0), coalesce(rep_id, 0), hh_no, address, farmland_c, forest_c,"
                       " livestock, poultry, poverty, family_rules, members, labour, migrants, coalesce(ended_at, ''),"
                       " coalesce(end_reason, '') FROM household WHERE id = :id");
    db_bind_int(st, ":id", id);
    bool found = db_step(st) == SQLITE_ROW;
    if (found) {
        memset(h, 0, sizeof *h);
        h->id = db_col_int(st, 0);
        h->unit_id = db_col_int(st, 1);
        h->head_id = db_col_int(st, 2);
        h->rep_id = db_col_int(st, 3);
        snprintf(h->hh_no, sizeof h->hh_no, "%s", db_col_text(st, 4));
        snprintf(h->address, sizeof h->address, "%s", db_col_text(st, 5));
        h->farmland_c = db_col_int(st, 6);
        h->forest_c = db_col_int(st, 7);
        h->livestock = db_col_int(st, 8);
        h->poultry = db_col_int(st, 9);
        snprintf(h->poverty, sizeof h->poverty, "%s", db_col_text(st, 10));
        snprintf(h->family_rules, sizeof h->family_rules, "%s", db_col_text(st, 11));
        h->members = (int)db_col_int(st, 12);
        h->labour = (int)db_col_int(st, 13);
        h->migrants = (int)db_col_int(st, 14);
        str_copy(h->ended_at, sizeof h->ended_at, db_col_text(st, 15));
        str_copy(h->end_reason, sizeof h->end_reason, db_col_text(st, 16));
    }
    if (st) sqlite3_reset(st);
    return found;
}

int person_reveal_idnum(int64_t id, char out[20]) {
    Stmt *st = db_prep("SELECT idnum_sealed FROM person WHERE id = :id AND idnum_sealed IS NOT NULL");
    db_bind_int(st, ":id", id);
    int rc = -1;
    if (db_step(st) == SQLITE_ROW) rc = crypto_open(db_col_text(st, 0), out, 20);
    if (st) sqlite3_reset(st);
    return rc;
}

/* ---------------------------------------------------------------------------------------------
 * Audited changes */

/* The audit view of a person: every field but the ID number, which appears masked only. */
static json_t *person_json(const Person *p) {
    char birth[16], sd[16] = "";
    date_format(p->birth, birth, sizeof birth);
    if (p->status_date) date_format(p->status_date, sd, sizeof sd);
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:i}", "name", p->name, "sex",
                     p->sex == 'M' ? "M" : "F", "birth", birth, "idnum", p->idmask, "phone", p->phone, "relation",
                     p->relation, "status", p->status, "status_date", sd, "ethnicity", p->ethnicity, "unit",
                     (json_int_t)p->unit_id, "household", (json_int_t)p->household_id, "flags", (int)p->flags);
}

static json_t *household_json(const Household *h) {
    return json_pack("{s:s, s:s, s:I, s:I, s:I, s:I, s:s, s:I, s:I, s:I}", "hh_no", h->hh_no, "address", h->address,
                     "farmland_c", (json_int_t)h->farmland_c, "forest_c", (json_int_t)h->forest_c, "livestock",
                     (json_int_t)h->livestock, "poultry", (json_int_t)h->poultry, "poverty", h->poverty, "head",
                     (json_int_t)h->head_id, "rep", (json_int_t)h->rep_id, "unit", (json_int_t)h->unit_id);
}

static int apply_person_create(void *ctx, int64_t *id) {
    Person *p = ctx;
    char today[16];
    date_format(date_today(), today, sizeof today);
    int rc = person_insert(p, today);
    *id = p->id;
    return rc;
}

int person_create(const Actor *a, Person *p) {
    SealedId s;
    if (people_seal_idnum(p->idnum, &s) != 0) return CHANGE_DB_ERROR;
    snprintf(p->idmask, sizeof p->idmask, "%s", s.mask);
    Change c = {"create", "person", 0, p->unit_id, NULL, person_json(p), apply_person_create, p};
    return change_apply(a, &c);
}

typedef struct UpdateCtx { const Person *before; Person *after; } UpdateCtx;

static int apply_person_update(void *ctx, int64_t *id) {
    UpdateCtx *u = ctx;
    const Person *b = u->before;
    Person *p = u->after;
    SealedId s;
    bool new_id = p->idnum[0] != 0;    /* an empty idnum keeps the stored number */
    if (new_id && people_seal_idnum(p->idnum, &s) != 0) return -1;
    Stmt *st = new_id
        ? db_prep("UPDATE person SET unit_id = :unit, household_id = :hh, relation = :rel, name = :name, initials = :ini,"
                  " sex = :sex, birth = :birth, idnum_sealed = :sealed, idnum_blind = :blind, idnum_mask = :mask,"
                  " idnum_tail = :tail, idnum_legacy = :legacy, phone = :phone, ethnicity = :eth, education = :edu,"
                  " status = :status, status_date = :sdate, flags = :flags WHERE id = :id")
        : db_prep("UPDATE person SET unit_id = :unit, household_id = :hh, relation = :rel, name = :name, initials = :ini,"
                  " sex = :sex, birth = :birth, phone = :phone, ethnicity = :eth, education = :edu,"
                  " status = :status, status_date = :sdate, flags = :flags WHERE id = :id");
    person_bind(st, p, new_id ? &s : NULL);
    db_bind_int(st, ":id", b->id);
    int rc = db_exec(st);
    if (rc) return sqlite3_extended_errcode(db_conn()) == SQLITE_CONSTRAINT_UNIQUE ? PEOPLE_DUP_ID : -1;
    char today[16], sd[16];
    date_format(date_today(), today, sizeof today);
    if (b->unit_id != p->unit_id || b->household_id != p->household_id)
        rc = person_event_add(b->id, b->unit_id != p->unit_id ? "moved" : "household", today, b->unit_id, p->unit_id, b->household_id,
                   p->household_id, NULL);
    if (!rc && strcmp(b->status, p->status) != 0) {
        date_format(p->status_date ? p->status_date : date_today(), sd, sizeof sd);
        rc = person_event_add(b->id, "status", sd, 0, 0, 0, 0, p->status);
    }
    *id = b->id;
    return rc ? -1 : 0;
}

int person_update(const Actor *a, const Person *before, Person *after) {
    if (after->idnum[0]) {
        SealedId s;
        if (people_seal_idnum(after->idnum, &s) != 0) return CHANGE_DB_ERROR;
        snprintf(after->idmask, sizeof after->idmask, "%s", s.mask);
    } else {
        snprintf(after->idmask, sizeof after->idmask, "%s", before->idmask);
    }
    UpdateCtx u = {before, after};
    Change c = {"update", "person", before->id, after->unit_id, person_json(before), person_json(after), apply_person_update, &u};
    return change_apply(a, &c);
}

static int apply_household_create(void *ctx, int64_t *id) {
    Household *h = ctx;
    int rc = household_insert(h);
    *id = h->id;
    return rc;
}

int household_create(const Actor *a, Household *h) {
    Change c = {"create", "household", 0, h->unit_id, NULL, household_json(h), apply_household_create, h};
    return change_apply(a, &c);
}

typedef struct HhCtx { const Household *before; Household *after; } HhCtx;

static int apply_household_update(void *ctx, int64_t *id) {
    HhCtx *u = ctx;
    Household *h = u->after;
    Stmt *st = db_prep("UPDATE household SET unit_id = :unit, hh_no = :no, address = :addr, farmland_c = :farm, forest_c = :forest,"
                       " livestock = :live, poultry = :poul, poverty = :pov, family_rules = :rules,"
                       " head_id = nullif(:head, 0), rep_id = nullif(:rep, 0) WHERE id = :id");
    db_bind_int(st, ":unit", h->unit_id);
    db_bind_text(st, ":no", h->hh_no);
    db_bind_text(st, ":addr", h->address);
    db_bind_int(st, ":farm", h->farmland_c);
    db_bind_int(st, ":forest", h->forest_c);
    db_bind_int(st, ":live", h->livestock);
    db_bind_int(st, ":poul", h->poultry);
    db_bind_text(st, ":pov", h->poverty[0] ? h->poverty : "none");
    db_bind_text(st, ":rules", h->family_rules);
    db_bind_int(st, ":head", h->head_id);
    db_bind_int(st, ":rep", h->rep_id);
    db_bind_int(st, ":id", u->before->id);
    *id = u->before->id;
    return db_exec(st) ? -1 : 0;
}

int household_update(const Actor *a, const Household *before, Household *after) {
    HhCtx u = {before, after};
    Change c = {"update", "household", before->id, after->unit_id, household_json(before), household_json(after),
                apply_household_update, &u};
    return change_apply(a, &c);
}

typedef struct EndCtx { const Household *h; const char *on, *reason; } EndCtx;

/* Ends household `id` on `on` for `reason` unless it is ended or someone lives in it: the test is
 * in the UPDATE itself, so a member added meanwhile by another request keeps it current. Returns
 * 0, 1 when it stays as it is, or -1. */
static int end_if_empty(int64_t id, const char *on, const char *reason) {
    Stmt *st = db_prep("UPDATE household SET ended_at = :on, end_reason = :why WHERE id = :id AND ended_at IS NULL AND members = 0");
    db_bind_text(st, ":on", on);
    db_bind_text(st, ":why", reason);
    db_bind_int(st, ":id", id);
    if (db_exec(st)) return -1;
    return db_changes() == 1 ? 0 : 1;
}

static int apply_household_end(void *ctx, int64_t *id) {
    EndCtx *e = ctx;
    *id = e->h->id;
    int rc = end_if_empty(e->h->id, e->on, e->reason);
    return rc == 1 ? PEOPLE_HH_LIVED_IN : rc;
}

int household_end(const Actor *a, const Household *h, const char *on, const char *reason) {
    EndCtx e = {h, on, reason};
    Change c = {"end", "household", h->id, h->unit_id, json_pack("{s:s, s:i}", "hh_no", h->hh_no, "members", h->members),
                json_pack("{s:s, s:s}", "ended_at", on, "end_reason", reason), apply_household_end, &e};
    return change_apply(a, &c);
}

/* Restores the household unless its number is now another current household's of the group. */
static int apply_household_restore(void *ctx, int64_t *id) {
    const Household *h = ctx;
    Stmt *st = db_prep("UPDATE household SET ended_at = NULL, end_reason = NULL WHERE id = :id AND ended_at IS NOT NULL"
                       " AND NOT EXISTS (SELECT 1 FROM household o WHERE o.unit_id = household.unit_id"
                       " AND o.hh_no = household.hh_no AND o.id != household.id AND o.ended_at IS NULL)");
    db_bind_int(st, ":id", h->id);
    *id = h->id;
    if (db_exec(st)) return -1;
    return db_changes() == 1 ? 0 : PEOPLE_HH_NO_TAKEN;
}

int household_restore(const Actor *a, const Household *h) {
    Change c = {"restore", "household", h->id, h->unit_id,
                json_pack("{s:s, s:s}", "ended_at", h->ended_at, "end_reason", h->end_reason), NULL,
                apply_household_restore, (void *)h};
    return change_apply(a, &c);
}

/* Moves living member `person` of household `from` to household `to` on `on` (its group when it
 * lies in another), with `relation` when given, and records it in their history. The UPDATE tests
 * that they are still a living member and that `to` is current, so a concurrent change makes it
 * PEOPLE_MEMBERS_CHANGED. */
static int move_living(int64_t person, const Household *from, const Household *to, const char *on, const char *relation) {
    Stmt *st = db_prep("UPDATE person SET household_id = :to, unit_id = :unit, relation = coalesce(:rel, relation)"
                       " WHERE id = :id AND household_id = :from AND (status = 'resident' OR status = 'migrant')"
                       " AND EXISTS (SELECT 1 FROM household WHERE id = :to AND ended_at IS NULL)");
    db_bind_int(st, ":to", to->id);
    db_bind_int(st, ":unit", to->unit_id);
    if (relation) db_bind_text(st, ":rel", relation);
    else db_bind_null(st, ":rel");
    db_bind_int(st, ":id", person);
    db_bind_int(st, ":from", from->id);
    if (db_exec(st)) return -1;
    if (db_changes() != 1) return PEOPLE_MEMBERS_CHANGED;
    const char *kind = from->unit_id != to->unit_id ? "moved" : "household";
    return person_event_add(person, kind, on, from->unit_id, to->unit_id, from->id, to->id, NULL) ? -1 : 0;
}

static int set_relation(int64_t person, const char *relation) {
    Stmt *st = db_prep("UPDATE person SET relation = :rel WHERE id = :id");
    db_bind_text(st, ":rel", relation);
    db_bind_int(st, ":id", person);
    return db_exec(st) ? -1 : 0;
}

static int apply_household_split(void *ctx, int64_t *id) {
    HouseholdSplit *s = ctx;
    char today[DATE_ISO_SIZE];
    date_format(date_today(), today, sizeof today);
    if (household_insert(s->to) != 0) return -1;
    *id = s->to->id;
    for (int i = 0; i < s->nmembers; i++) {
        int rc = move_living(s->members[i], s->from, s->to, today, s->members[i] == s->head_id ? "head" : NULL);
        if (rc) return rc;
    }
    if (household_set_head_rep(s->to->id, s->head_id, s->head_id) != 0) return -1;
    /* The old household's head and representative afterwards: the head named (or kept), and the
     * representative unless they left. A former head who stays is the head no longer. */
    int64_t head = s->from_head_id, old = s->from->head_id, rep = s->from->rep_id;
    if (!rep || ids_contain(s->members, s->nmembers, rep)) rep = head;
    if (head == old && rep == s->from->rep_id) return 0;
    if (household_set_head_rep(s->from->id, head, rep) != 0) return -1;
    if (head == old || !head) return 0;
    if (set_relation(head, "head") != 0) return -1;
    return old && !ids_contain(s->members, s->nmembers, old) ? set_relation(old, "other") : 0;
}

int household_split(const Actor *a, HouseholdSplit *s) {
    json_t *moved = json_array();
    for (int i = 0; i < s->nmembers; i++) json_array_append_new(moved, json_integer(s->members[i]));
    Change c = {"split", "household", 0, s->to->unit_id,
                json_pack("{s:I, s:s, s:I}", "from_household", (json_int_t)s->from->id, "from_hh_no", s->from->hh_no,
                          "from_head_id", (json_int_t)s->from->head_id),
                json_pack("{s:s, s:s, s:o, s:I, s:I}", "hh_no", s->to->hh_no, "address", s->to->address, "members", moved,
                          "head_id", (json_int_t)s->head_id, "from_head_id", (json_int_t)s->from_head_id),
                apply_household_split, s};
    return change_apply(a, &c);
}

/* after: the audit entry's, which learns who moved. */
typedef struct MergeCtx { const Household *from, *into; const char *on; json_t *after; } MergeCtx;

static int apply_household_merge(void *ctx, int64_t *id) {
    MergeCtx *m = ctx;
    *id = m->from->id;
    Stmt *st = db_prep("SELECT id, relation = 'head' FROM person WHERE household_id = :from"
                       " AND (status = 'resident' OR status = 'migrant') ORDER BY id");
    db_bind_int(st, ":from", m->from->id);
    enum { MOVED_MAX = 200 };   /* more living members than any household has; past it the end fails */
    int64_t ids[MOVED_MAX];
    bool was_head[MOVED_MAX];
    int n = 0, rc;
    while (n < MOVED_MAX && (rc = db_step(st)) == SQLITE_ROW) {
        ids[n] = db_col_int(st, 0);
        was_head[n++] = db_col_int(st, 1) != 0;
    }
    sqlite3_reset(st);
    json_t *moved = json_array();
    json_object_set_new(m->after, "members", moved);
    for (int i = 0; i < n; i++) {
        if ((rc = move_living(ids[i], m->from, m->into, m->on, was_head[i] ? "other" : NULL)) != 0) return rc;
        json_array_append_new(moved, json_integer(ids[i]));
    }
    rc = end_if_empty(m->from->id, m->on, "merged");
    return rc == 1 ? PEOPLE_MEMBERS_CHANGED : rc;
}

int household_merge(const Actor *a, const Household *from, const Household *into, const char *on) {
    MergeCtx m = {from, into, on,
                  json_pack("{s:I, s:s, s:s, s:s}", "into_household", (json_int_t)into->id, "into_hh_no", into->hh_no,
                            "ended_at", on, "end_reason", "merged")};
    Change c = {"merge", "household", from->id, from->unit_id, json_pack("{s:s, s:i}", "hh_no", from->hh_no, "members", from->members),
                m.after, apply_household_merge, &m};
    return change_apply(a, &c);
}

/* after: the audit entry's, which learns how many members moved. */
typedef struct MoveCtx { const Household *h; int64_t to_unit; const char *hh_no, *address, *on; json_t *after; } MoveCtx;

static int apply_household_move(void *ctx, int64_t *id) {
    MoveCtx *m = ctx;
    *id = m->h->id;
    Stmt *st = db_prep("UPDATE household SET unit_id = :to, hh_no = :no, address = :addr WHERE id = :id AND ended_at IS NULL");
    db_bind_int(st, ":to", m->to_unit);
    db_bind_text(st, ":no", m->hh_no);
    db_bind_text(st, ":addr", m->address);
    db_bind_int(st, ":id", m->h->id);
    if (db_exec(st)) return -1;
    if (db_changes() != 1) return PEOPLE_MEMBERS_CHANGED;
    /* Every member's history first, while person still holds the group they leave. */
    st = db_prep("INSERT INTO person_event (person_id, kind, on_date, from_unit, to_unit, from_household, to_household, detail)"
                 " SELECT id, 'moved', :on, unit_id, :to, :id, :id, '' FROM person WHERE household_id = :id ORDER BY id");
    db_bind_text(st, ":on", m->on);
    db_bind_int(st, ":to", m->to_unit);
    db_bind_int(st, ":id", m->h->id);
    if (db_exec(st)) return -1;
    json_object_set_new(m->after, "members", json_integer(db_changes()));
    st = db_prep("UPDATE person SET unit_id = :to WHERE household_id = :id");
    db_bind_int(st, ":to", m->to_unit);
    db_bind_int(st, ":id", m->h->id);
    if (db_exec(st)) return -1;
    st = db_prep("UPDATE visit_assignment SET end_date = max(start_date, :on) WHERE household_id = :id AND end_date IS NULL");
    db_bind_text(st, ":on", m->on);
    db_bind_int(st, ":id", m->h->id);
    return db_exec(st) ? -1 : 0;
}

int household_move(const Actor *a, const Household *h, int64_t to_unit, const char *hh_no, const char *address,
                   const char *on) {
    MoveCtx m = {h, to_unit, hh_no, address, on,
                 json_pack("{s:I, s:s, s:s, s:s}", "unit_id", (json_int_t)to_unit, "hh_no", hh_no, "address", address, "on", on)};
    Change c = {"move", "household", h->id, to_unit,
                json_pack("{s:I, s:s, s:s}", "unit_id", (json_int_t)h->unit_id, "hh_no", h->hh_no, "address", h->address),
                m.after, apply_household_move, &m};
    return change_apply(a, &c);
}

/* The units whose counters `cols` in `table` differ from a recount `totals` of `rows` (grouped by
 * unit_id and summed up each group's path), a row of zeros on either side standing for no row. */
#define COUNTERS_DIFF(table, cols, totals, rows)                                                                    \
    "WITH c AS (SELECT j.value, " totals " FROM (" rows " GROUP BY unit_id) AS c JOIN unit g ON g.id = c.unit_id, "  \
    UNIT_PATH_IDS("g.path") " AS j GROUP BY j.value HAVING max(" totals ") != 0 OR min(" totals ") != 0),"          \
    " r AS (SELECT unit_id, " cols " FROM " table " WHERE max(" cols ") != 0 OR min(" cols ") != 0)"                \
    " SELECT count(*) FROM (SELECT value FROM (SELECT * FROM c EXCEPT SELECT * FROM r)"                             \
    " UNION SELECT unit_id FROM (SELECT * FROM r EXCEPT SELECT * FROM c))"

/* The units whose profile (024_unit_profile.sql) differs from a recount, in its households'
 * figures (*hh) and in its living roll's flags (*living). Returns 0, or -1 when it cannot be read. */
static int profile_mismatches(int64_t *hh, int64_t *living) {
    *hh = db_one_int(db_prep(COUNTERS_DIFF("unit_profile", PROFILE_HH_COLS, PROFILE_HH_TOTALS,
                                           "SELECT unit_id, " PROFILE_HH_SUMS " FROM household WHERE ended_at IS NULL")), -1);
    *living = db_one_int(db_prep(COUNTERS_DIFF("unit_profile", FLAG_COLS, FLAG_TOTALS, "SELECT unit_id, " FLAG_SUMS
                                               " FROM person WHERE status = 'resident' OR status = 'migrant'")), -1);
    return *hh < 0 || *living < 0 ? -1 : 0;
}

int people_counts_check(void) {
    Stmt *st = db_prep("SELECT count(*) FROM household h LEFT JOIN (SELECT household_id,"
                       " sum(status IN ('resident', 'migrant')) AS m,"
                       " sum(status IN ('resident', 'migrant') AND (flags & 128) != 0) AS l, sum(status = 'migrant') AS g"
                       " FROM person WHERE household_id IS NOT NULL GROUP BY household_id) c ON c.household_id = h.id"
                       " WHERE h.members != coalesce(c.m, 0) OR h.labour != coalesce(c.l, 0) OR h.migrants != coalesce(c.g, 0)"
                       " OR h.head_name != coalesce((SELECT name FROM person WHERE id = h.head_id), '')");
    int64_t households = db_one_int(st, -1);
    /* Each unit's roll counts its whole subtree (012, 014_roll_filters.sql): the units whose row
     * differs from a recount, a row of zeros standing for no row. */
    int64_t groups = db_one_int(db_prep(COUNTERS_DIFF("unit_roll", ROLL_COLS, ROLL_TOTALS, "SELECT unit_id, " ROLL_SUMS " FROM person")), -1);
    /* Each person's village is the parent of their group (011_person_village.sql). */
    int64_t people = db_one_int(db_prep("SELECT count(*) FROM person p JOIN unit u ON u.id = p.unit_id"
                                        " WHERE u.kind != 'group' OR p.village_id IS NOT u.parent_id"), -1);
    /* Nobody lives in an ended household (022): the end and every write since refuse it. */
    int64_t ended = db_one_int(db_prep("SELECT count(*) FROM household INDEXED BY household_ended"
                                       " WHERE ended_at IS NOT NULL AND members > 0"), -1);
    int64_t profile_hh, profile_living;
    if (households < 0 || groups < 0 || people < 0 || ended < 0 || profile_mismatches(&profile_hh, &profile_living) != 0) {
        printf("roll counters: cannot be read\n");
        return -1;
    }
    if (households + groups + people == 0) printf("roll counters: ok\n");
    else
        printf("roll counters: MISMATCH in %lld households, %lld units' roll sizes and %lld people's villages\n",
               (long long)households, (long long)groups, (long long)people);
    if (ended == 0) printf("ended households: ok\n");
    else printf("ended households: %lld still have a member at home or away\n", (long long)ended);
    if (profile_hh + profile_living == 0) printf("unit profiles: ok\n");
    else
        printf("unit profiles: MISMATCH in %lld units' households and %lld units' living roll\n", (long long)profile_hh,
               (long long)profile_living);
    return (int)(households + groups + people + ended + profile_hh + profile_living);
}
