/* units.c — the store of the org tree: every SQL statement of units and party organisations
 * (see units.h). Scope is applied here, in the WHERE clause of every read, never left to pages. */
#include "org/units.h"
#include "platform/date.h"
#include "platform/db.h"
#include "platform/validate.h"
#include <stdio.h>
#include <string.h>

/* The columns every unit read returns, in the order row_to_unit() expects. The parent's name is
 * only given when the parent lies inside the scope. */
#define UNIT_COLS                                                                                       \
    "u.id, coalesce(u.parent_id, 0), u.kind, u.subkind, u.name, coalesce(u.code, ''), u.path, u.depth,"  \
    " u.sort, u.start_date, coalesce(u.end_date, ''),"                                                  \
    " coalesce((SELECT CASE u.kind WHEN 'county' THEN b.townships WHEN 'township' THEN b.villages"         \
    " WHEN 'village' THEN b.groups ELSE 0 END FROM unit_below b WHERE b.unit_id = u.id), 0),"             \
    " coalesce((SELECT p.name FROM unit p WHERE p.id = u.parent_id"                                     \
    " AND p.path BETWEEN :scope AND :scope || '~'), '')"

/* The scope predicate of the materialised path (see 002_org.sql). */
/* The same columns without the child count and the parent's name, for lists of ancestors. */
#define UNIT_COLS_BRIEF                                                                                 \
    "u.id, coalesce(u.parent_id, 0), u.kind, u.subkind, u.name, coalesce(u.code, ''), u.path, u.depth,"  \
    " u.sort, u.start_date, coalesce(u.end_date, ''), 0, ''"

#define IN_SCOPE " u.path BETWEEN :scope AND :scope || '~' "

/* ---------------------------------------------------------------------------------------------
 * Kinds */

static const char *const kind_names[] = {"county", "township", "village", "group"};

const char *unit_kind_name(UnitKind k) { return (unsigned)k < 4 ? kind_names[k] : "?"; }

int unit_kind_parse(const char *s, UnitKind *k) {
    for (int i = 0; s && i < 4; i++)
        if (strcmp(s, kind_names[i]) == 0) { *k = (UnitKind)i; return 0; }
    return -1;
}

const char *unit_kind_zh(UnitKind k, const char *subkind) {
    switch (k) {
    case UNIT_COUNTY: return "县";
    case UNIT_TOWNSHIP:
        if (strcmp(subkind, "street") == 0) return "街道";
        if (strcmp(subkind, "town") == 0) return "镇";
        if (strcmp(subkind, "xiang") == 0) return "乡";
        return "乡镇";
    case UNIT_VILLAGE: return "行政村";
    case UNIT_GROUP: return strcmp(subkind, "hamlet") == 0 ? "自然寨" : "村民组";
    }
    return "?";
}

bool unit_child_kind(UnitKind k, UnitKind *child) {
    if (k == UNIT_GROUP) return false;
    *child = (UnitKind)(k + 1);
    return true;
}

bool unit_subkind_fits(UnitKind k, const char *s) {
    switch (k) {
    case UNIT_TOWNSHIP: return !*s || !strcmp(s, "street") || !strcmp(s, "town") || !strcmp(s, "xiang");
    case UNIT_GROUP: return !strcmp(s, "group") || !strcmp(s, "hamlet");
    default: return !*s;
    }
}

bool unit_ended(const Unit *u) { return u->end_date[0] != 0; }

/* The township kind a township subkind names (TOWNSHIP_ANY for ''). */
static TownshipKind township_of(const char *subkind) {
    if (!strcmp(subkind, "street")) return TOWNSHIP_STREET;
    if (!strcmp(subkind, "town")) return TOWNSHIP_TOWN;
    if (!strcmp(subkind, "xiang")) return TOWNSHIP_XIANG;
    return TOWNSHIP_ANY;
}

/* The subkind a township code's digits 7-9 denote ('' when outside every range). */
static const char *subkind_of_code(const char *code) {
    switch (divcode_township_kind(code)) {
    case TOWNSHIP_STREET: return "street";
    case TOWNSHIP_TOWN: return "town";
    case TOWNSHIP_XIANG: return "xiang";
    case TOWNSHIP_ANY: break;
    }
    return "";
}

/* How many leading digits of a unit's code its descendants repeat: 6 (county), 9 (township),
 * 12 (village); 0 for a group, which has no descendants. */
static int inherited_digits(UnitKind k) {
    return k == UNIT_COUNTY ? 6 : k == UNIT_TOWNSHIP ? 9 : k == UNIT_VILLAGE ? 12 : 0;
}

void unit_today(char out[11]) {
    if (date_format(date_today(), out, 11) != 0) snprintf(out, 11, "1970-01-01");
}

int unit_child_path(char out[UNIT_PATH_SIZE], const char *parent_path, int64_t id) {
    char tmp[UNIT_PATH_SIZE + 24];
    int n = snprintf(tmp, sizeof tmp, "%s%lld/", parent_path, (long long)id);
    if (n < 0 || n >= UNIT_PATH_SIZE) return -1;
    memcpy(out, tmp, (size_t)n + 1);
    return 0;
}

static bool empty(const char *s) { return !s || !*s; }

static int fail(UnitErr *e, int status, const char *field, const char *code, const char *msg) {
    *e = (UnitErr){status, field, code, msg};
    return -1;
}

/* ---------------------------------------------------------------------------------------------
 * Reading */

/* Fills u from a row selected with UNIT_COLS. */
static void row_to_unit(Stmt *st, Unit *u) {
    memset(u, 0, sizeof *u);
    u->id = db_col_int(st, 0);
    u->parent_id = db_col_int(st, 1);
    if (unit_kind_parse(db_col_text(st, 2), &u->kind) != 0) u->kind = UNIT_GROUP;
    str_copy(u->subkind, sizeof u->subkind, db_col_text(st, 3));
    str_copy(u->name, sizeof u->name, db_col_text(st, 4));
    str_copy(u->code, sizeof u->code, db_col_text(st, 5));
    str_copy(u->path, sizeof u->path, db_col_text(st, 6));
    u->depth = (int)db_col_int(st, 7);
    u->sort = (int)db_col_int(st, 8);
    str_copy(u->start_date, sizeof u->start_date, db_col_text(st, 9));
    str_copy(u->end_date, sizeof u->end_date, db_col_text(st, 10));
    u->active_children = db_col_int(st, 11);
    str_copy(u->parent_name, sizeof u->parent_name, db_col_text(st, 12));
}

/* Steps a single-row statement into u. Returns 0, or -1 when there is no row. */
static int one_unit(Stmt *st, Unit *u) {
    int rc = db_step(st) == SQLITE_ROW ? (row_to_unit(st, u), 0) : -1;
    if (st) sqlite3_reset(st);
    return rc;
}

int unit_get(const char *scope, int64_t id, Unit *u) {
    Stmt *st = db_prep("SELECT " UNIT_COLS " FROM unit u WHERE u.id = :id AND" IN_SCOPE);
    db_bind_int(st, ":id", id);
    db_bind_text(st, ":scope", scope);
    return one_unit(st, u);
}

int unit_by_code(const char *scope, const char *code, Unit *u) {
    Stmt *st = db_prep("SELECT " UNIT_COLS " FROM unit u WHERE u.code = :code AND" IN_SCOPE);
    db_bind_text(st, ":code", code);
    db_bind_text(st, ":scope", scope);
    return one_unit(st, u);
}

/* Steps a listing statement into out (at most max rows). Returns the count. */
static int many_units(Stmt *st, Unit *out, int max) {
    int n = 0;
    while (n < max && db_step(st) == SQLITE_ROW) row_to_unit(st, &out[n++]);
    if (st) sqlite3_reset(st);
    return n;
}

int unit_children(const char *scope, int64_t parent_id, bool with_ended, int offset, int max, Unit *out,
                  long long *total) {
    Stmt *st = db_prep("SELECT count(*) FROM unit u WHERE u.parent_id = :parent AND" IN_SCOPE
                       "AND (:ended OR u.end_date IS NULL)");
    db_bind_int(st, ":parent", parent_id);
    db_bind_text(st, ":scope", scope);
    db_bind_int(st, ":ended", with_ended);
    *total = db_one_int(st, 0);
    st = db_prep("SELECT " UNIT_COLS " FROM unit u WHERE u.parent_id = :parent AND" IN_SCOPE
                 "AND (:ended OR u.end_date IS NULL) ORDER BY u.sort, u.name, u.id LIMIT :max OFFSET :off");
    db_bind_int(st, ":parent", parent_id);
    db_bind_text(st, ":scope", scope);
    db_bind_int(st, ":ended", with_ended);
    db_bind_int(st, ":max", max);
    db_bind_int(st, ":off", offset);
    return many_units(st, out, max);
}

int unit_child_names(const char *scope, int64_t parent_id, int max, UnitNameFn fn, void *ctx) {
    Stmt *st = db_prep("SELECT u.id, u.name FROM unit u INDEXED BY unit_parent WHERE u.parent_id = :parent AND" IN_SCOPE
                       "AND u.end_date IS NULL ORDER BY u.sort, u.name, u.id LIMIT :max");
    if (!st) return -1;
    db_bind_int(st, ":parent", parent_id);
    db_bind_text(st, ":scope", scope);
    db_bind_int(st, ":max", max);
    int n = 0, rc;
    while ((rc = db_step(st)) == SQLITE_ROW) {
        fn(ctx, db_col_int(st, 0), db_col_text(st, 1));
        n++;
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? n : -1;
}

int unit_search(const char *scope, const char *q, bool with_ended, int offset, int max, Unit *out,
                long long *total) {
    Stmt *st = db_prep("SELECT count(*) FROM unit u WHERE" IN_SCOPE "AND (:ended OR u.end_date IS NULL)"
                       " AND (instr(u.name, :q) > 0 OR substr(u.code, 1, length(:q)) = :q)");
    db_bind_text(st, ":scope", scope);
    db_bind_int(st, ":ended", with_ended);
    db_bind_text(st, ":q", q);
    *total = db_one_int(st, 0);
    st = db_prep("SELECT " UNIT_COLS " FROM unit u WHERE" IN_SCOPE "AND (:ended OR u.end_date IS NULL)"
                 " AND (instr(u.name, :q) > 0 OR substr(u.code, 1, length(:q)) = :q)"
                 " ORDER BY u.depth, coalesce(u.code, ''), u.name, u.id LIMIT :max OFFSET :off");
    db_bind_text(st, ":scope", scope);
    db_bind_int(st, ":ended", with_ended);
    db_bind_text(st, ":q", q);
    db_bind_int(st, ":max", max);
    db_bind_int(st, ":off", offset);
    return many_units(st, out, max);
}

int unit_path_levels(const char *path) {
    int n = 0;
    for (const char *c = path; *c; c++) n += *c == '/';
    return n > 0 ? n - 1 : 0;
}

void unit_scope_shape(const char *path, bool *group, bool *whole) {
    Stmt *st = db_prep("SELECT kind = 'group', parent_id IS NULL AND NOT EXISTS (SELECT 1 FROM unit o WHERE o.parent_id IS NULL AND o.id != u.id)"
                       " FROM unit u WHERE path = :path");
    db_bind_text(st, ":path", path);
    bool found = db_step(st) == SQLITE_ROW;
    *group = found && db_col_int(st, 0) != 0;
    *whole = found && db_col_int(st, 1) != 0;
    if (st) sqlite3_reset(st);
}

void unit_descendant_counts(const Unit *u, long long counts[4]) {
    memset(counts, 0, 4 * sizeof counts[0]);
    Stmt *st = db_prep("SELECT townships, villages, groups FROM unit_below WHERE unit_id = :id");   /* 025 */
    db_bind_int(st, ":id", u->id);
    if (db_step(st) == SQLITE_ROW)
        for (int k = UNIT_TOWNSHIP; k <= UNIT_GROUP; k++) counts[k] = db_col_int(st, k - UNIT_TOWNSHIP);
    if (st) sqlite3_reset(st);
}

int units_below_check(void) {
    return (int)db_one_int(db_prep("WITH c AS (SELECT j.value, sum(u.kind = 'township'), sum(u.kind = 'village'),"
                                   " sum(u.kind = 'group') FROM unit u, " UNIT_PATH_IDS("u.path") " AS j"
                                   " WHERE u.end_date IS NULL AND j.value != u.id GROUP BY j.value),"
                                   " r AS (SELECT unit_id, townships, villages, groups FROM unit_below"
                                   " WHERE townships != 0 OR villages != 0 OR groups != 0)"
                                   " SELECT count(*) FROM (SELECT value FROM (SELECT * FROM c EXCEPT SELECT * FROM r)"
                                   " UNION SELECT unit_id FROM (SELECT * FROM r EXCEPT SELECT * FROM c))"),
                           -1);
}

int unit_lineage(const char *scope, const Unit *u, Unit *out, int max) {
    /* The ancestors' ids come from the path ("/1/2/3/8/" → 1, 2, 3); a unit is at most the fourth
     * level, so three ancestors at most, read by one statement in path order. */
    int64_t up[3] = {0, 0, 0};
    int nup = 0;
    for (const char *p = u->path; *p == '/' && p[1] && nup < 3;) {
        long long id = 0;
        for (p++; *p >= '0' && *p <= '9'; p++) id = id * 10 + (*p - '0');
        if (id == u->id) break;
        up[nup++] = id;
    }
    /* A join from three constants in path order: 2 µs, where IN (...) with a sort took 7. */
    Stmt *st = db_prep("SELECT " UNIT_COLS_BRIEF " FROM (SELECT :a AS k UNION ALL SELECT :b UNION ALL SELECT :c) up"
                       " CROSS JOIN unit u ON u.id = up.k WHERE" IN_SCOPE);
    db_bind_int(st, ":a", up[0]);
    db_bind_int(st, ":b", up[1]);
    db_bind_int(st, ":c", up[2]);
    db_bind_text(st, ":scope", scope);
    int n = many_units(st, out, max);
    if (n < max) out[n++] = *u;
    return n;
}

/* ---------------------------------------------------------------------------------------------
 * Checks shared by create, update and move */

/* Checks a unit's name: 1..60 characters, no line breaks. Returns 0 or -1 with *e. */
static int check_name(const char *name, UnitErr *e) {
    if (empty(name)) return fail(e, 422, "name", "required", "请填写名称");
    if (utf8_chars(name) > UNIT_NAME_MAX) return fail(e, 422, "name", "too_long", "名称不能超过 60 个字");
    for (const char *p = name; *p; p++)
        if ((unsigned char)*p < 0x20) return fail(e, 422, "name", "format", "名称不能包含换行或控制字符");
    return 0;
}

/* True when another unit than `self` already holds `code` (anywhere: codes are unique in the
 * whole database, so the check cannot be scoped). */
static bool code_taken(const char *code, int64_t self) {
    Stmt *st = db_prep("SELECT count(*) FROM unit WHERE code = :code AND id <> :self");
    db_bind_text(st, ":code", code);
    db_bind_int(st, ":self", self);
    return db_one_int(st, 0) > 0;
}

/* Checks a code for a unit of kind k and subkind sub under `parent` (NULL for a county): format,
 * nesting in the parent's code when the parent has one, uniqueness. Returns 0 or -1 with *e. */
static int check_code(const char *code, UnitKind k, const char *sub, const Unit *parent, int64_t self, UnitErr *e) {
    int rc = divcode_validate(code, k, k == UNIT_TOWNSHIP ? township_of(sub) : TOWNSHIP_ANY);
    if (rc != DIVCODE_OK) return fail(e, 422, "code", "format", divcode_error_zh(rc));
    if (parent && parent->code[0]) {
        rc = divcode_check_parent(code, k, parent->code, parent->kind);
        if (rc != DIVCODE_OK) return fail(e, 422, "code", "not_child", divcode_error_zh(rc));
    }
    if (code_taken(code, self)) return fail(e, 422, "code", "duplicate", "这个区划代码已被其他单位使用");
    return 0;
}

/* Settles the subkind of a unit of kind k: the given one when it fits, else derived (a township
 * from its code, a group becomes 'group'). Writes it into out. Returns 0 or -1 with *e. */
static int settle_subkind(UnitKind k, const char *given, const char *code, char out[8], UnitErr *e) {
    const char *s = given ? given : "";
    if (!*s && k == UNIT_TOWNSHIP && !empty(code)) s = subkind_of_code(code);
    if (!*s && k == UNIT_GROUP) s = "group";
    if (!unit_subkind_fits(k, s)) return fail(e, 422, "subkind", "choice", "类型与层级不符");
    str_copy(out, 8, s);
    return 0;
}

/* Rewrites the leading digits of the codes below `u` from its old code to `new_code`, inside the
 * open transaction. Returns 0 or an SQLite error code (a constraint error when a rewritten code
 * is taken). */
static int rewrite_codes(const Unit *u, const char *new_code) {
    int n = inherited_digits(u->kind);
    if (!n || !u->code[0] || !new_code[0] || strncmp(u->code, new_code, (size_t)n) == 0) return 0;
    Stmt *st = db_prep("UPDATE unit SET code = :prefix || substr(code, :n + 1)"
                       " WHERE path > :path AND path < :path || '~' AND substr(code, 1, :n) = :old");
    db_bind_textn(st, ":prefix", new_code, n);
    db_bind_textn(st, ":old", u->code, n);
    db_bind_int(st, ":n", n);
    db_bind_text(st, ":path", u->path);
    return db_exec(st);
}

/* Maps a failed write to a UnitErr: a constraint on code means the code is taken. */
static int write_failed(int rc, UnitErr *e) {
    if (rc == SQLITE_CONSTRAINT || (rc & 0xff) == SQLITE_CONSTRAINT)
        return fail(e, 422, "code", "duplicate", "区划代码与已有单位重复");
    return fail(e, 500, NULL, "db_error", "保存失败，请稍后再试");
}

/* ---------------------------------------------------------------------------------------------
 * Create */

int unit_insert_tx(const Unit *parent, UnitKind kind, const char *subkind, const char *name, const char *code,
                   int sort, const char *start_date, int64_t *id) {
    int64_t next = db_one_int(db_prep("SELECT coalesce(max(id), 0) + 1 FROM unit"), -1);
    if (next < 1) return SQLITE_ERROR;
    char path[UNIT_PATH_SIZE];
    if (unit_child_path(path, parent ? parent->path : "/", next) != 0) return SQLITE_TOOBIG;
    Stmt *st = db_prep("INSERT INTO unit (id, parent_id, kind, subkind, name, code, path, depth, sort, start_date)"
                       " VALUES (:id, :parent, :kind, :subkind, :name, :code, :path, :depth, :sort, :start)");
    db_bind_int(st, ":id", next);
    if (parent) db_bind_int(st, ":parent", parent->id);
    else db_bind_null(st, ":parent");
    db_bind_text(st, ":kind", unit_kind_name(kind));
    db_bind_text(st, ":subkind", subkind ? subkind : "");
    db_bind_text(st, ":name", name);
    db_bind_text(st, ":code", empty(code) ? NULL : code);
    db_bind_text(st, ":path", path);
    db_bind_int(st, ":depth", parent ? parent->depth + 1 : 0);
    db_bind_int(st, ":sort", sort);
    db_bind_text(st, ":start", start_date);
    int rc = db_exec(st);
    if (rc == 0) *id = next;
    return rc;
}

int unit_rename_tx(int64_t id, const char *name) {
    Stmt *st = db_prep("UPDATE unit SET name = :name WHERE id = :id");
    db_bind_text(st, ":name", name);
    db_bind_int(st, ":id", id);
    return db_exec(st);
}

typedef struct CreateCtx {
    const Unit *parent;
    UnitKind kind;
    const char *subkind, *name, *code, *start;
    int sort;
} CreateCtx;

static int create_apply(void *ctx, int64_t *id) {
    CreateCtx *c = ctx;
    return unit_insert_tx(c->parent, c->kind, c->subkind, c->name, c->code, c->sort, c->start, id);
}

/* Settles the parent and the kind of a new unit. Returns 0 or -1 with *e. */
static int new_unit_place(const char *scope, const UnitInput *in, Unit *parent, bool *has_parent, UnitKind *k,
                          UnitErr *e) {
    *has_parent = in->parent_id != 0;
    if (*has_parent) {
        if (unit_get(scope, in->parent_id, parent) != 0)
            return fail(e, 404, "parent_id", "not_found", "找不到上级单位，或它不在您的管辖范围内");
        if (unit_ended(parent)) return fail(e, 422, "parent_id", "ended", "上级单位已撤销，不能再添加下级");
        if (!unit_child_kind(parent->kind, k)) return fail(e, 422, "kind", "kind", "村民组之下不能再设下级单位");
    } else if (strcmp(scope, SCOPE_ALL) != 0) {
        return fail(e, 422, "parent_id", "required", "请指定上级单位");
    } else {
        *k = UNIT_COUNTY;
    }
    UnitKind want;
    if (!empty(in->kind)) {
        if (unit_kind_parse(in->kind, &want) != 0) return fail(e, 422, "kind", "choice", "未知的组织层级");
        if (want != *k) return fail(e, 422, "kind", "kind", divcode_error_zh(DIVCODE_ERR_PARENT_KIND));
    }
    return 0;
}

int unit_create(const Actor *a, const char *scope, const UnitInput *in, int64_t *id, UnitErr *err) {
    Unit parent;
    bool has_parent;
    UnitKind k;
    char sub[8], start[11];
    if (new_unit_place(scope, in, &parent, &has_parent, &k, err) != 0) return -1;
    if (check_name(in->name, err) != 0) return -1;
    if (settle_subkind(k, in->subkind, in->code, sub, err) != 0) return -1;
    if (!empty(in->code) && check_code(in->code, k, sub, has_parent ? &parent : NULL, 0, err) != 0) return -1;
    if (empty(in->start_date)) unit_today(start);
    else {
        int32_t d;
        if (date_parse(in->start_date, &d) != 0) return fail(err, 422, "start_date", "format", "日期格式应为 2026-03-07");
        str_copy(start, sizeof start, in->start_date);
    }
    CreateCtx c = {has_parent ? &parent : NULL, k, sub, in->name, in->code, start, in->sort};
    json_t *after = json_pack("{s:s, s:s, s:s, s:s, s:i, s:s}", "kind", unit_kind_name(k), "subkind", sub, "name",
                              in->name, "code", empty(in->code) ? "" : in->code, "sort", in->sort, "start_date", start);
    if (has_parent) json_object_set_new(after, "parent_id", json_integer(parent.id));
    Change ch = {"create", "unit", 0, has_parent ? parent.id : 0, NULL, after, create_apply, &c};
    int rc = change_apply(a, &ch);
    if (rc != 0) return write_failed(rc, err);
    *id = ch.entity_id;
    return 0;
}

/* ---------------------------------------------------------------------------------------------
 * Update */

typedef struct UpdateCtx {
    const Unit *u;
    const char *name, *code, *subkind;
    int sort;
} UpdateCtx;

static int update_apply(void *ctx, int64_t *id) {
    UpdateCtx *c = ctx;
    int rc = rewrite_codes(c->u, c->code);
    if (rc) return rc;
    Stmt *st = db_prep("UPDATE unit SET name = :name, code = :code, subkind = :subkind, sort = :sort WHERE id = :id");
    db_bind_text(st, ":name", c->name);
    db_bind_text(st, ":code", c->code[0] ? c->code : NULL);
    db_bind_text(st, ":subkind", c->subkind);
    db_bind_int(st, ":sort", c->sort);
    db_bind_int(st, ":id", *id);
    return db_exec(st);
}

/* Adds field `name` to before/after when its values differ. */
static void diff_s(json_t *before, json_t *after, const char *name, const char *old, const char *new) {
    if (strcmp(old, new) == 0) return;
    json_object_set_new(before, name, json_string(old));
    json_object_set_new(after, name, json_string(new));
}

int unit_update(const Actor *a, const char *scope, int64_t id, const UnitInput *in, UnitErr *err) {
    Unit u, parent;
    if (unit_get(scope, id, &u) != 0) return fail(err, 404, NULL, "not_found", "找不到这个单位，或它不在您的管辖范围内");
    if (unit_ended(&u)) return fail(err, 422, NULL, "ended", "已撤销的单位不能修改");
    bool has_parent = u.parent_id && unit_get(SCOPE_ALL, u.parent_id, &parent) == 0;
    char sub[8];
    const char *code = in->code ? in->code : "";
    if (check_name(in->name, err) != 0) return -1;
    if (settle_subkind(u.kind, in->subkind, code, sub, err) != 0) return -1;
    if (*code && check_code(code, u.kind, sub, has_parent ? &parent : NULL, u.id, err) != 0) return -1;
    json_t *before = json_object(), *after = json_object();
    diff_s(before, after, "name", u.name, in->name);
    diff_s(before, after, "code", u.code, code);
    diff_s(before, after, "subkind", u.subkind, sub);
    if (u.sort != in->sort) {
        json_object_set_new(before, "sort", json_integer(u.sort));
        json_object_set_new(after, "sort", json_integer(in->sort));
    }
    if (json_object_size(after) == 0) {
        json_decref(before);
        json_decref(after);
        return 0;
    }
    UpdateCtx c = {&u, in->name, code, sub, in->sort};
    Change ch = {"update", "unit", u.id, u.id, before, after, update_apply, &c};
    int rc = change_apply(a, &ch);
    return rc == 0 ? 0 : write_failed(rc, err);
}

/* ---------------------------------------------------------------------------------------------
 * Move */

typedef struct MoveCtx {
    const Unit *u, *to;
    const char *code;    /* the unit's code after the move ("" none) */
} MoveCtx;

static int move_apply(void *ctx, int64_t *id) {
    MoveCtx *c = ctx;
    int rc = rewrite_codes(c->u, c->code);
    if (rc) return rc;
    Stmt *st = db_prep("UPDATE unit SET parent_id = :parent, code = :code WHERE id = :id");
    db_bind_int(st, ":parent", c->to->id);
    db_bind_text(st, ":code", c->code[0] ? c->code : NULL);
    db_bind_int(st, ":id", *id);
    if ((rc = db_exec(st))) return rc;
    /* One statement re-roots the whole subtree: the new prefix replaces the old one. A trigger
     * moves the scope paths of the subtree's logins with it (user_scope_path_move), hence the key. */
    char newpath[UNIT_PATH_SIZE];
    if (unit_child_path(newpath, c->to->path, c->u->id) != 0) return SQLITE_TOOBIG;
    int prev = db_unlock(DB_KEY_AUTH);
    st = db_prep("UPDATE unit SET path = :new || substr(path, length(:old) + 1), depth = depth + :delta"
                 " WHERE path BETWEEN :old AND :old || '~'");
    db_bind_text(st, ":new", newpath);
    db_bind_text(st, ":old", c->u->path);
    db_bind_int(st, ":delta", c->to->depth + 1 - c->u->depth);
    rc = db_exec(st);
    db_relock(prev);
    return rc;
}

/* Checks that `u` may go under `to` with code `code` (the new one, or "" to keep its own).
 * Returns 0 or -1 with *e. */
static int check_move(const Unit *u, const Unit *to, const char *code, UnitErr *e) {
    if (u->kind == UNIT_COUNTY) return fail(e, 422, "parent_id", "county", "县级单位不能移动");
    if (unit_ended(u)) return fail(e, 422, NULL, "ended", "已撤销的单位不能移动");
    if (unit_ended(to)) return fail(e, 422, "parent_id", "ended", "新上级单位已撤销");
    if (strncmp(to->path, u->path, strlen(u->path)) == 0)
        return fail(e, 422, "parent_id", "cycle", "不能移到它自己或它的下级单位之下");
    if (to->id == u->parent_id) return fail(e, 422, "parent_id", "same_parent", "它已经在这个上级单位之下");
    if (!kind_fits_parent(u->kind, to->kind))
        return fail(e, 422, "parent_id", "kind", divcode_error_zh(DIVCODE_ERR_PARENT_KIND));
    if (*code) return check_code(code, u->kind, u->subkind, to, u->id, e);
    if (u->code[0] && to->code[0] && divcode_check_parent(u->code, u->kind, to->code, to->kind) != DIVCODE_OK)
        return fail(e, 422, "code", "not_child", "区划代码与新上级的区划代码不对应，请填写新的区划代码");
    return 0;
}

int unit_move(const Actor *a, const char *scope, int64_t id, int64_t new_parent_id, const char *new_code,
              UnitErr *err) {
    Unit u, to;
    if (unit_get(scope, id, &u) != 0) return fail(err, 404, NULL, "not_found", "找不到这个单位，或它不在您的管辖范围内");
    if (unit_get(scope, new_parent_id, &to) != 0)
        return fail(err, 422, "parent_id", "not_found", "找不到新上级单位，或它不在您的管辖范围内");
    const char *code = new_code ? new_code : "";
    if (check_move(&u, &to, code, err) != 0) return -1;
    const char *final_code = *code ? code : u.code;
    MoveCtx c = {&u, &to, final_code};
    char newpath[UNIT_PATH_SIZE];
    if (unit_child_path(newpath, to.path, u.id) != 0) return fail(err, 422, "parent_id", "too_deep", "层级过深");
    json_t *before = json_pack("{s:I, s:s}", "parent_id", (json_int_t)u.parent_id, "path", u.path);
    json_t *after = json_pack("{s:I, s:s}", "parent_id", (json_int_t)to.id, "path", newpath);
    diff_s(before, after, "code", u.code, final_code);
    Change ch = {"move", "unit", u.id, u.id, before, after, move_apply, &c};
    int rc = change_apply(a, &ch);
    return rc == 0 ? 0 : write_failed(rc, err);
}

/* ---------------------------------------------------------------------------------------------
 * End */

typedef struct EndCtx { const char *date; } EndCtx;

static int end_apply(void *ctx, int64_t *id) {
    EndCtx *c = ctx;
    Stmt *st = db_prep("UPDATE unit SET end_date = :d WHERE id = :id AND end_date IS NULL");
    db_bind_text(st, ":d", c->date);
    db_bind_int(st, ":id", *id);
    int rc = db_exec(st);
    if (rc) return rc;
    st = db_prep("UPDATE party_org SET end_date = :d WHERE unit_id = :id AND end_date IS NULL");
    db_bind_text(st, ":d", c->date);
    db_bind_int(st, ":id", *id);
    return db_exec(st);
}

int unit_end(const Actor *a, const char *scope, int64_t id, const char *end_date, UnitErr *err) {
    Unit u;
    int32_t d, start;
    if (unit_get(scope, id, &u) != 0) return fail(err, 404, NULL, "not_found", "找不到这个单位，或它不在您的管辖范围内");
    if (u.kind == UNIT_COUNTY) return fail(err, 422, NULL, "county", "县级单位不能撤销");
    if (unit_ended(&u)) return fail(err, 422, NULL, "ended", "这个单位已经撤销");
    if (u.active_children > 0)
        return fail(err, 422, NULL, "active_children", "它还有未撤销的下级单位，请先撤销或移走下级单位");
    if (empty(end_date) || date_parse(end_date, &d) != 0)
        return fail(err, 422, "end_date", "format", "日期格式应为 2026-03-07");
    if (date_parse(u.start_date, &start) == 0 && d < start)
        return fail(err, 422, "end_date", "range", "撤销日期不能早于成立日期");
    if (d > date_today()) return fail(err, 422, "end_date", "range", "撤销日期不能晚于今天");
    EndCtx c = {end_date};
    Change ch = {"end", "unit", u.id, u.id, json_pack("{s:n}", "end_date"), json_pack("{s:s}", "end_date", end_date),
                 end_apply, &c};
    int rc = change_apply(a, &ch);
    return rc == 0 ? 0 : write_failed(rc, err);
}

/* ---------------------------------------------------------------------------------------------
 * Party organisations */

const char *party_kind_for(UnitKind k) {
    return k == UNIT_TOWNSHIP ? "committee" : k == UNIT_VILLAGE ? "branch" : k == UNIT_GROUP ? "group" : NULL;
}

const char *party_kind_zh(const char *kind) {
    return !strcmp(kind, "committee") ? "党委" : !strcmp(kind, "branch") ? "党支部" : "党小组";
}

int party_get(const char *scope, int64_t unit_id, PartyOrg *p) {
    Stmt *st = db_prep("SELECT o.id, o.unit_id, coalesce(o.parent_id, 0), o.kind, o.name, o.leader_name,"
                       " o.start_date, coalesce(o.end_date, '') FROM party_org o JOIN unit u ON u.id = o.unit_id"
                       " WHERE o.unit_id = :unit AND o.end_date IS NULL AND" IN_SCOPE);
    db_bind_int(st, ":unit", unit_id);
    db_bind_text(st, ":scope", scope);
    int rc = -1;
    if (db_step(st) == SQLITE_ROW) {
        memset(p, 0, sizeof *p);
        p->id = db_col_int(st, 0);
        p->unit_id = db_col_int(st, 1);
        p->parent_id = db_col_int(st, 2);
        str_copy(p->kind, sizeof p->kind, db_col_text(st, 3));
        str_copy(p->name, sizeof p->name, db_col_text(st, 4));
        str_copy(p->leader_name, sizeof p->leader_name, db_col_text(st, 5));
        str_copy(p->start_date, sizeof p->start_date, db_col_text(st, 6));
        str_copy(p->end_date, sizeof p->end_date, db_col_text(st, 7));
        rc = 0;
    }
    if (st) sqlite3_reset(st);
    return rc;
}

typedef struct PartyCtx {
    const Unit *u;
    const PartyOrg *old;     /* NULL when the unit has none yet */
    const char *name, *leader;
} PartyCtx;

static int party_apply(void *ctx, int64_t *id) {
    PartyCtx *c = ctx;
    Stmt *st;
    if (c->old) {
        st = db_prep("UPDATE party_org SET name = :name, leader_name = :leader WHERE id = :id");
        db_bind_int(st, ":id", c->old->id);
    } else {
        char today[11];
        unit_today(today);
        st = db_prep("INSERT INTO party_org (unit_id, parent_id, kind, name, leader_name, start_date)"
                     " VALUES (:unit, (SELECT id FROM party_org WHERE unit_id = :parent AND end_date IS NULL),"
                     " :kind, :name, :leader, :start)");
        db_bind_int(st, ":unit", c->u->id);
        db_bind_int(st, ":parent", c->u->parent_id);
        db_bind_text(st, ":kind", party_kind_for(c->u->kind));
        db_bind_text(st, ":start", today);
    }
    db_bind_text(st, ":name", c->name);
    db_bind_text(st, ":leader", c->leader);
    int rc = db_exec(st);
    *id = c->old ? c->old->id : db_last_id();
    return rc;
}

int party_save(const Actor *a, const char *scope, int64_t unit_id, const char *name, const char *leader_name,
               UnitErr *err) {
    Unit u;
    PartyOrg old;
    if (unit_get(scope, unit_id, &u) != 0) return fail(err, 404, NULL, "not_found", "找不到这个单位，或它不在您的管辖范围内");
    if (unit_ended(&u)) return fail(err, 422, NULL, "ended", "已撤销的单位不能修改");
    if (!party_kind_for(u.kind)) return fail(err, 422, NULL, "county", "县级党组织不在这里登记");
    if (check_name(name, err) != 0) return -1;
    const char *leader = leader_name ? leader_name : "";
    if (utf8_chars(leader) > LEADER_NAME_MAX)
        return fail(err, 422, "leader_name", "too_long", "负责人姓名不能超过 30 个字");
    bool has = party_get(scope, unit_id, &old) == 0;
    json_t *before = json_object(), *after = json_object();
    diff_s(before, after, "name", has ? old.name : "", name);
    diff_s(before, after, "leader_name", has ? old.leader_name : "", leader);
    if (json_object_size(after) == 0) {
        json_decref(before);
        json_decref(after);
        return 0;
    }
    PartyCtx c = {&u, has ? &old : NULL, name, leader};
    Change ch = {has ? "update" : "create", "party_org", has ? old.id : 0, u.id, has ? before : NULL, after,
                 party_apply, &c};
    if (!has) json_decref(before);
    int rc = change_apply(a, &ch);
    return rc == 0 ? 0 : write_failed(rc, err);
}
