/* profile.c — 组情民情: the profile of a unit's whole subtree, as a county office reports it up the
 * tree: its current households with their land, stock and poverty status, and its living roll
 * (at home or away working) by status and flag. Each figure is one row's counter, kept by the
 * triggers of unit_roll (012, 014_roll_filters.sql) and unit_profile (024_unit_profile.sql), so the
 * county's profile costs what a group's does.
 *
 * GET /org/:id/profile is the page: the unit's figures and a table of its child units'.
 * /org/:id/profile.xlsx and .csv export that table with the unit's total (audited), and
 * GET /api/v1/units/:id/profile answers both as JSON. people_unit_card puts the main figures on the
 * unit's own page (app.c registers it with org). */
#include "people/profile.h"
#include "people/store.h"
#include "platform/auth.h"
#include "platform/html.h"
#include "platform/json.h"
#include "platform/page.h"
#include "platform/xlsxout.h"
#include <string.h>

/* The flags are counted in person_flags order: party member first, labour force last. */
enum { PROFILE_FLAGS = 8, AT_PARTY = 0, AT_LABOUR = 7, PROFILE_CHILDREN_MAX = 300 };

typedef struct UnitProfile {
    int64_t id;
    char name[UNIT_NAME_SIZE];
    long long households, farmland_c, forest_c, livestock, poultry, lifted, monitored;
    long long living, migrant, moved, deceased;   /* living: at home or away working */
    long long flags[PROFILE_FLAGS];              /* among the living, in person_flags order */
} UnitProfile;

/* A unit's profile: its name, then unit_profile's and unit_roll's counters (no row: zeros). */
#define PROFILE_SELECT                                                                                            \
    "SELECT u.id, u.name, coalesce(p.households, 0), coalesce(p.farmland_c, 0), coalesce(p.forest_c, 0),"      \
    " coalesce(p.livestock, 0), coalesce(p.poultry, 0), coalesce(p.lifted, 0), coalesce(p.monitored, 0),"      \
    " coalesce(r.people - r.moved - r.deceased, 0), coalesce(r.migrant, 0), coalesce(r.moved, 0),"              \
    " coalesce(r.deceased, 0), coalesce(p.party, 0), coalesce(p.chunhui, 0), coalesce(p.wealth, 0),"           \
    " coalesce(p.veteran, 0), coalesce(p.retired, 0), coalesce(p.cadre, 0), coalesce(p.legal, 0),"             \
    " coalesce(p.labour, 0) FROM unit u LEFT JOIN unit_profile p ON p.unit_id = u.id"                          \
    " LEFT JOIN unit_roll r ON r.unit_id = u.id"

static void profile_from(Stmt *st, UnitProfile *p) {
    p->id = db_col_int(st, 0);
    str_copy(p->name, sizeof p->name, db_col_text(st, 1));
    long long *seq[] = {&p->households, &p->farmland_c, &p->forest_c, &p->livestock, &p->poultry, &p->lifted,
                        &p->monitored, &p->living, &p->migrant, &p->moved, &p->deceased};
    int col = 2;
    for (size_t i = 0; i < sizeof seq / sizeof seq[0]; i++) *seq[i] = db_col_int(st, col++);
    for (int i = 0; i < PROFILE_FLAGS; i++) p->flags[i] = db_col_int(st, col++);
}

/* The profile of unit `id`. Returns 0, or -1 when it cannot be read. */
static int profile_load(int64_t id, UnitProfile *out) {
    Stmt *st = db_prep(PROFILE_SELECT " WHERE u.id = :id");
    if (!st) return -1;
    db_bind_int(st, ":id", id);
    int rc = db_step(st);
    if (rc == SQLITE_ROW) profile_from(st, out);
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? 0 : -1;
}

/* The profiles of the active children of `parent` inside `scope`, in the tree's order. Returns how
 * many (at most max), or -1. */
static int profile_children(const char *scope, int64_t parent, UnitProfile *out, int max) {
    Stmt *st = db_prep(PROFILE_SELECT " WHERE u.parent_id = :parent AND u.path BETWEEN :scope AND :scope || '~'"
                       " AND u.end_date IS NULL ORDER BY u.sort, u.name, u.id LIMIT :max");
    if (!st) return -1;
    db_bind_int(st, ":parent", parent);
    db_bind_text(st, ":scope", scope);
    db_bind_int(st, ":max", max);
    int n = 0, rc;
    while ((rc = db_step(st)) == SQLITE_ROW) profile_from(st, &out[n++]);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? n : -1;
}

/* The profiles the page, the export and the API show: the unit's, then its children's (none for a
 * group). Answers 404 or 500 itself and returns -1. */
typedef struct ProfileSet {
    Unit unit;
    UnitProfile total, *kids;
    int nkids;
    bool capped;   /* more than PROFILE_CHILDREN_MAX children */
} ProfileSet;

static int profile_set_load(Req *r, Resp *w, ProfileSet *s) {
    if (org_unit_param(r, w, "id", &s->unit) != 0) return -1;
    /* Room for the children the unit has (one more shows the cap), not for the cap itself. */
    int room = s->unit.active_children < PROFILE_CHILDREN_MAX ? (int)s->unit.active_children + 1 : PROFILE_CHILDREN_MAX + 1;
    s->kids = s->unit.kind == UNIT_GROUP ? NULL : arena_alloc(r->arena, sizeof(UnitProfile) * (size_t)room);
    s->nkids = s->kids ? profile_children(auth_scope(r), s->unit.id, s->kids, room) : 0;
    if (profile_load(s->unit.id, &s->total) != 0 || s->nkids < 0) { page_error(r, w, 500, NULL); return -1; }
    s->capped = s->nkids > PROFILE_CHILDREN_MAX;
    if (s->capped) s->nkids = PROFILE_CHILDREN_MAX;
    return 0;
}

/* ---------------------------------------------------------------------------------------------
 * Pages */

/* "12.50 亩" */
static const char *mu_with_unit(Req *r, long long c) { return arena_printf(r->arena, "%s %s", mu_text(r, c), T(r, "亩")); }

/* The figures a unit's own page shows, and a link to the whole profile. */
void people_unit_card(Req *r, Buf *b, const Unit *u) {
    UnitProfile p;
    if (profile_load(u->id, &p) != 0) return;
    html(b, "<section class=\"card\"><h2>%s</h2><div class=\"stats\">", T(r, "组情民情"));
    ui_stat(b, p.households, T(r, "户数"));
    ui_stat(b, p.living, T(r, "在册人口"));
    ui_stat(b, p.migrant, T(r, "外出务工"));
    ui_stat(b, p.flags[AT_PARTY], T(r, "党员"));
    html(b, "</div><p><a href=\"/org/%lld/profile\">%s</a></p></section>", (long long)u->id, T(r, "查看组情民情"));
}

/* A fact with a count: its label, then the count in `fmt` ("{n} 头"). */
static void fact_count(Req *r, Buf *b, const char *label, const char *fmt, long long n) {
    html(b, "<dt>%s</dt><dd>", T(r, label));
    html_Tn(b, r, fmt, n);
    html_raw(b, "</dd>");
}

static void households_card(Req *r, Buf *b, const UnitProfile *p) {
    html(b, "<section class=\"card\"><h2>%s</h2><div class=\"stats\">", T(r, "户"));
    ui_stat(b, p->households, T(r, "户数"));
    ui_stat(b, p->lifted, T(r, "脱贫户"));
    ui_stat(b, p->monitored, T(r, "监测户"));
    html(b, "</div><dl class=\"facts\"><dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>%s</dd>", T(r, "耕地"),
         mu_with_unit(r, p->farmland_c), T(r, "林地"), mu_with_unit(r, p->forest_c));
    fact_count(r, b, "家畜存栏", "{n} 头", p->livestock);
    fact_count(r, b, "家禽", "{n} 只", p->poultry);
    html(b, "</dl><p class=\"hint\">%s</p></section>", T(r, "只计未注销的户。"));
}

static void people_card(Req *r, Buf *b, const UnitProfile *p) {
    html(b, "<section class=\"card\"><h2>%s</h2><div class=\"stats\">", T(r, "人口情况"));
    ui_stat(b, p->living, T(r, "在册人口"));
    ui_stat(b, p->living - p->migrant, T(r, "在家居住"));
    ui_stat(b, p->migrant, T(r, "外出务工"));
    html_raw(b, "</div><dl class=\"facts\">");
    for (int i = 0; i < PROFILE_FLAGS; i++) fact_count(r, b, person_flags[i].zh, "{n} 人", p->flags[i]);
    fact_count(r, b, "已迁出", "{n} 人", p->moved);
    fact_count(r, b, "已去世", "{n} 人", p->deceased);
    html(b, "</dl><p class=\"hint\">%s</p></section>",
         T(r, "在册人口是居住在本地和外出务工的人；各项标记只在他们中计数。已迁出、已去世的人留在名册中，不计入在册人口。"));
}

/* The columns of the child units' table: name, then the figures below (UiTable holds 12). */
static const UiCol kid_cols[] = {{"单位", false}, {"户数", true}, {"在册人口", true}, {"外出务工", true},
                                 {"劳动力", true}, {"党员", true}, {"耕地（亩）", true}};

static void kid_row(Req *r, Buf *b, const UiTable *t, const UnitProfile *k) {
    ui_td(b, t, 0);
    html(b, "<a href=\"/org/%lld/profile\">%s</a>", (long long)k->id, k->name);
    long long nums[] = {k->households, k->living, k->migrant, k->flags[AT_LABOUR], k->flags[AT_PARTY]};
    for (int i = 0; i < 5; i++) {
        ui_td(b, t, i + 1);
        buf_put_grouped(b, nums[i]);
    }
    ui_td(b, t, 6);
    html(b, "%s", mu_text(r, k->farmland_c));
    ui_tr_end(b);
}

static void children_card(Req *r, Buf *b, const ProfileSet *s) {
    html(b, "<section class=\"card\"><h2>%s</h2>", T(r, "下级单位"));
    if (s->nkids == 0) {
        html(b, "<p class=\"empty\">%s</p></section>", T(r, "还没有下级单位。"));
        return;
    }
    UiTable t;
    ui_table_begin(r, b, &t, kid_cols, UI_NCOLS(kid_cols));
    for (int i = 0; i < s->nkids; i++) kid_row(r, b, &t, &s->kids[i]);
    ui_table_end(b);
    if (s->capped) {
        html_raw(b, "<p class=\"hint\">");
        html_Tn(b, r, "只列出前 {n} 个下级单位。", PROFILE_CHILDREN_MAX);
        html_raw(b, "</p>");
    }
    html_raw(b, "</section>");
}

/* A group's figures are its households': its list, and the ledger that exports them. Above a
 * group, the table of child units as a spreadsheet. Exports only for a caller who may export. */
static void profile_actions(Req *r, Buf *b, const Unit *u) {
    long long id = (long long)u->id;
    bool export = auth_can(r, CAP_EXPORT, u->path);
    html_raw(b, "<div class=\"actions\">");
    if (u->kind == UNIT_GROUP) {
        html(b, "<a class=\"button\" href=\"/groups/%lld/households\">%s</a>", id, T(r, "户"));
        if (export) html(b, "<a class=\"button\" href=\"/households/export.xlsx?unit=%lld\" download>%s</a>", id, T(r, "导出户情台账"));
    } else if (export) {
        html(b, "<a class=\"button\" href=\"/org/%lld/profile.xlsx\" download>%s</a>"
                "<a class=\"button\" href=\"/org/%lld/profile.csv\" download>%s</a>",
             id, T(r, "导出 Excel"), id, T(r, "导出 CSV"));
    }
    html_raw(b, "</div>");
}

static void h_profile(Req *r, Resp *w) {
    ProfileSet s;
    if (profile_set_load(r, w, &s) != 0) return;
    Crumb crumbs[ORG_CRUMBS_MAX + 1];
    int n = org_crumbs(r, &s.unit, crumbs, ORG_CRUMBS_MAX);
    crumbs[n++] = (Crumb){T(r, "组情民情"), NULL};
    const char *title = arena_printf(r->arena, "%s · %s", s.unit.name, T(r, "组情民情"));
    page_begin(r, w, title, &(PageOpts){.crumbs = crumbs, .ncrumbs = n, .menu = "/org", .unit = s.unit.name});
    Buf *b = &w->body;
    html(b, "<div class=\"pagehead\"><h1>%s</h1>", title);
    profile_actions(r, b, &s.unit);
    html_raw(b, "</div>");
    households_card(r, b, &s.total);
    people_card(r, b, &s.total);
    if (s.unit.kind != UNIT_GROUP) children_card(r, b, &s);
    page_end(r, w);
}

/* ---------------------------------------------------------------------------------------------
 * Export and API */

enum { SHEET_COLS = 21 };

static const SheetCol sheet_cols[SHEET_COLS] = {
    {"单位", false, 16},       {"户数", true, 0},         {"在册人口", true, 0},       {"在家居住", true, 0},
    {"外出务工", true, 0},     {"已迁出", true, 0},       {"已去世", true, 0},         {"党员", true, 0},
    {"春晖使者", true, 0},     {"致富能手", true, 0},     {"复转军人", true, 0},       {"退休公职人员", true, 0},
    {"村两委干部", true, 0},   {"法律明白人", true, 0},   {"劳动力", true, 0},         {"耕地（亩）", true, 0},
    {"林地（亩）", true, 0},   {"家畜存栏（头）", true, 0}, {"家禽（只）", true, 0},   {"脱贫户", true, 0},
    {"监测户", true, 0},
};

static void sheet_profile(Req *r, SheetOut *sh, const UnitProfile *p, const char *name) {
    long long nums[] = {p->households, p->living, p->living - p->migrant, p->migrant, p->moved, p->deceased};
    const char *cells[SHEET_COLS];
    int c = 0;
    cells[c++] = name;
    for (size_t i = 0; i < sizeof nums / sizeof nums[0]; i++) cells[c++] = arena_printf(r->arena, "%lld", nums[i]);
    for (int i = 0; i < PROFILE_FLAGS; i++) cells[c++] = arena_printf(r->arena, "%lld", p->flags[i]);
    cells[c++] = mu_decimal(r, p->farmland_c);
    cells[c++] = mu_decimal(r, p->forest_c);
    cells[c++] = arena_printf(r->arena, "%lld", p->livestock);
    cells[c++] = arena_printf(r->arena, "%lld", p->poultry);
    cells[c++] = arena_printf(r->arena, "%lld", p->lifted);
    cells[c++] = arena_printf(r->arena, "%lld", p->monitored);
    sheet_row(sh, cells);
}

/* The child units' profiles, then the unit's own as the total line (a group: its own line only). */
static void h_profile_export(Req *r, Resp *w) {
    ProfileSet s;
    if (profile_set_load(r, w, &s) != 0) return;
    SheetOut sh;
    if (sheet_open(&sh, r, w, "组情民情", sheet_cols, SHEET_COLS, false) != 0) { page_error(r, w, 500, NULL); return; }
    for (int i = 0; i < s.nkids; i++) sheet_profile(r, &sh, &s.kids[i], s.kids[i].name);
    sheet_profile(r, &sh, &s.total, s.nkids ? arena_printf(r->arena, "%s%s", T(r, "合计："), s.unit.name) : s.unit.name);
    Actor a = actor_of(r);
    if (sheet_finish(&sh) != 0
        || audit_event(&a, "export", "unit_profile", s.unit.id, s.unit.id,
                       json_pack("{s:s, s:I}", "format", sh.csv ? "csv" : "xlsx", "rows", (json_int_t)sh.rows)) != 0) {
        buf_reset(&w->body);
        page_error(r, w, 500, NULL);
        return;
    }
    sheet_attach(&sh, w, "profile", "组情民情");
}

static json_t *profile_json(Req *r, const UnitProfile *p) {
    json_t *flags = json_object();
    for (int i = 0; i < PROFILE_FLAGS; i++) json_object_set_new(flags, person_flags[i].key, json_integer(p->flags[i]));
    return json_pack("{s:I, s:s, s:I, s:s, s:s, s:I, s:I, s:I, s:I, s:{s:I, s:I, s:I, s:I, s:I}, s:o}", "id",
                     (json_int_t)p->id, "name", p->name, "households", (json_int_t)p->households, "farmland",
                     mu_text(r, p->farmland_c), "forest", mu_text(r, p->forest_c), "livestock", (json_int_t)p->livestock,
                     "poultry", (json_int_t)p->poultry, "lifted", (json_int_t)p->lifted, "monitored",
                     (json_int_t)p->monitored, "people", "living", (json_int_t)p->living, "at_home",
                     (json_int_t)(p->living - p->migrant), "migrant", (json_int_t)p->migrant, "moved",
                     (json_int_t)p->moved, "deceased", (json_int_t)p->deceased, "flags", flags);
}

static void api_profile(Req *r, Resp *w) {
    ProfileSet s;
    if (profile_set_load(r, w, &s) != 0) return;
    json_t *kids = json_array();
    for (int i = 0; i < s.nkids; i++) json_array_append_new(kids, profile_json(r, &s.kids[i]));
    json_send(w, 200, json_pack("{s:o, s:o, s:b}", "unit", profile_json(r, &s.total), "children", kids, "children_capped",
                                s.capped));
}

const Route profile_routes[] = {
    {HTTP_GET, "/org/:id/profile", h_profile, CAP_VIEW, 0, "unit_profile"},
    {HTTP_GET, "/org/:id/profile.xlsx", h_profile_export, CAP_EXPORT, 0, "unit_profile_xlsx"},
    {HTTP_GET, "/org/:id/profile.csv", h_profile_export, CAP_EXPORT, 0, "unit_profile_csv"},
    {HTTP_GET, "/api/v1/units/:id/profile", api_profile, CAP_VIEW, ROUTE_JSON, "api_unit_profile"},
    {0, NULL, NULL, 0, 0, NULL},
};
