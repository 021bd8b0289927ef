/* list.c — the matter list for villages, townships and the county (GET /matters, GET
 * /api/v1/matters) with its filters (unit, stage, category, overdue, search) and paging, the Excel
 * export (GET /matters/export.xlsx and .csv, audited), and the public decision page (GET /p/m/:id). */
#include "deliberation/delib.h"
#include "org/org.h"
#include "platform/auth.h"
#include "platform/date.h"
#include "platform/db.h"
#include "platform/html.h"
#include "platform/json.h"
#include "platform/page.h"
#include "platform/xlsxout.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The filters of the list, from the query string. */
typedef struct MatterFilter {
    const char *scope, *stage, *category, *q;
    char key[8];                  /* a character every title matching q holds (search_key), or "" */
    bool overdue;
    char cutoff[DATE_ISO_SIZE];   /* stage_since before this is overdue */
} MatterFilter;

/* Counts the titles holding character ch (matter_char), stopping at cap. */
static long long titles_holding(const char *ch, long long cap) {
    Stmt *st = db_prep("SELECT count(*) FROM (SELECT 1 FROM matter_char WHERE ch = :ch LIMIT :cap)");
    db_bind_text(st, ":ch", ch);
    db_bind_int(st, ":cap", cap);
    return db_one_int(st, 0);
}

/* Picks the character of search q that the fewest titles hold, folded as LIKE and matter_char fold
 * it (ASCII to lower case), into key. The list then reads only the matters holding it and tests
 * their titles with the same LIKE as before, so the matches do not change. The wildcards % and _
 * are no character: key is "" when q has nothing else, and the list tests every title. */
static void search_key(const char *q, char key[8]) {
    key[0] = 0;
    long long fewest = -1;
    for (const unsigned char *c = (const unsigned char *)q; *c;) {
        size_t n = *c < 0x80 ? 1 : *c < 0xe0 ? 2 : *c < 0xf0 ? 3 : 4;   /* q is valid UTF-8 (http.c) */
        char ch[8];
        memcpy(ch, c, n);
        ch[n] = 0;
        c += n;
        if (n == 1 && (ch[0] == '%' || ch[0] == '_')) continue;
        if (n == 1 && ch[0] >= 'A' && ch[0] <= 'Z') ch[0] = (char)(ch[0] - 'A' + 'a');
        if (!strcmp(ch, key)) continue;
        if (!key[0]) { memcpy(key, ch, n + 1); continue; }
        if (fewest < 0) fewest = titles_holding(key, DELIB_EXPORT_CAP);
        long long here = titles_holding(ch, fewest);
        if (here < fewest) { memcpy(key, ch, n + 1); fewest = here; }
    }
}

/* Reads the filters. Returns false when the unit filter names a unit outside the scope; a stage,
 * category or overdue value the list does not offer, or a search over DELIB_QUERY_MAX characters,
 * lands in *bad (422). */
static bool read_filter(Req *r, MatterFilter *f, FilterError *bad) {
    memset(f, 0, sizeof *f);
    memset(bad, 0, sizeof *bad);
    f->scope = auth_scope(r);
    const char *unit = req_param_src(r, "unit", SRC_QUERY), *q = req_param_src(r, "q", SRC_QUERY);
    f->stage = filter_choice(r, "stage", stage_choices, NULL, bad);
    f->category = filter_choice(r, "category", category_choices, NULL, bad);
    const char *od = filter_choice(r, "overdue", FILTER_ON, NULL, bad);
    if (q && *q) f->q = q;
    if (q && utf8_chars(q) > DELIB_QUERY_MAX) filter_fail(bad, "q", "too_long", Tn(r, "搜索内容不能超过 {n} 个字", DELIB_QUERY_MAX));
    else if (f->q) search_key(f->q, f->key);
    f->overdue = od && !strcmp(od, "1");
    date_format(date_today() - DELIB_OVERDUE_DAYS, f->cutoff, sizeof f->cutoff);
    if (unit && *unit) {
        Unit u;
        int64_t id = id_parse(unit);
        if (!id || org_unit(r, id, &u) != 0) return false;
        f->scope = arena_strdup(r->arena, u.path);
    }
    return true;
}

/* The filters on the matter itself. "Overdue" is also a range on stage_since (:before is the
 * cutoff, or a date after any stored one), so that the index serving the list stops there. */
#define MATTER_M_FILTER                                                                                                  \
    " AND (:stage IS NULL OR m.stage = :stage) AND (:cat IS NULL OR m.category = :cat) AND m.stage_since < :before"      \
    " AND (:od = 0 OR m.stage <> 'closed') AND (:q IS NULL OR m.title LIKE '%' || :q || '%')"
#define MATTER_FILTER " AND u.path BETWEEN :scope AND :scope || '~'" MATTER_M_FILTER
/* The key of each way to serve the list across the county (see matter_plan). Overdue matters are
 * open ones, whose number follows the current work rather than the years of closed matters. */
#define KEY_ALL "1"
#define KEY_STAGE "m.stage = :stage"
#define KEY_OPEN "m.stage IN ('consult', 'propose', 'decide', 'implement') AND m.stage_since < :before"
#define KEY_CAT "m.category = :cat"
/* Units first: the scope's units by path, then each group's matters (a township or smaller). */
#define MATTER_BY_UNIT " FROM unit u CROSS JOIN matter m ON m.unit_id = u.id WHERE 1" MATTER_FILTER
/* Matters first, through an index on matter that is already in display order (stage_since, id)
 * for every key but KEY_OPEN, and that holds stage and category so that the walk reads no rows.
 * Every matter is inside the county: no unit to test. */
#define MATTER_BY(key) " FROM matter m WHERE " key MATTER_M_FILTER
/* A search, at any scope: the matters whose title holds the search's key character. */
#define MATTER_BY_CHAR \
    " FROM matter_char c CROSS JOIN matter m ON m.id = c.matter_id CROSS JOIN unit u ON u.id = m.unit_id WHERE c.ch = :ch" MATTER_FILTER
#define MATTER_IDS "SELECT m.id"
#define MATTER_ORDER " ORDER BY m.stage_since, m.id LIMIT :lim OFFSET :off"
/* Counts that walk, up to the cap: a search or the overdue filter (others read matter_tally). */
#define MATTER_COUNT_UNITS "SELECT count(*) FROM (SELECT 1" MATTER_BY_UNIT " LIMIT :cap)"
#define MATTER_COUNT_CHAR "SELECT count(*) FROM (SELECT 1" MATTER_BY_CHAR " LIMIT :cap)"
#define MATTER_COUNT(key) "SELECT count(*) FROM (SELECT 1" MATTER_BY(key) " LIMIT :cap)"

/* Which way serves a filter: a search by its key character; else a township or smaller by its
 * units; the county by the index of the most selective filter given. */
typedef enum { MP_CHAR, MP_UNITS, MP_ALL, MP_STAGE, MP_OPEN, MP_CATEGORY } MatterPlan;

static MatterPlan matter_plan(const MatterFilter *f) {
    if (f->key[0]) return MP_CHAR;
    if (unit_path_levels(f->scope) > 1) return MP_UNITS;   /* below the county */
    return f->stage ? MP_STAGE : f->overdue ? MP_OPEN : f->category ? MP_CATEGORY : MP_ALL;
}

/* Binds the filters; the scope too when the statement has it, and the key character to MP_CHAR's. */
static void bind_filter(Stmt *st, const MatterFilter *f, bool scoped) {
    if (scoped) db_bind_text(st, ":scope", f->scope);
    if (f->key[0]) db_bind_text(st, ":ch", f->key);
    db_bind_text(st, ":stage", f->stage);
    db_bind_text(st, ":cat", f->category);
    db_bind_int(st, ":od", f->overdue);
    db_bind_text(st, ":before", f->overdue ? f->cutoff : "9999-12-31");
    db_bind_text(st, ":q", f->q);
}

/* The total of a filter without search or "overdue", at any scope: the scope's rows of matter_tally
 * (one per stage and category). */
#define MATTER_TALLY                                                                                          \
    "SELECT coalesce(sum(t.matters), 0) FROM unit s CROSS JOIN matter_tally t ON t.unit_id = s.id"           \
    " WHERE s.path = :scope AND (:stage IS NULL OR t.stage = :stage) AND (:cat IS NULL OR t.category = :cat)"

/* Counts the matters of the filter, stopping at `cap` (cap means "cap or more"). */
static long long filter_count(const MatterFilter *f, long long cap) {
    if (!f->q && !f->overdue) {
        Stmt *st = db_prep(MATTER_TALLY);
        db_bind_text(st, ":scope", f->scope);
        db_bind_text(st, ":stage", f->stage);
        db_bind_text(st, ":cat", f->category);
        long long n = db_one_int(st, 0);
        return n < cap ? n : cap;
    }
    MatterPlan p = matter_plan(f);
    Stmt *st = NULL;
    switch (p) {   /* each plan's statement a literal, prepared once */
    case MP_CHAR: st = db_prep(MATTER_COUNT_CHAR); break;
    case MP_UNITS: st = db_prep(MATTER_COUNT_UNITS); break;
    case MP_ALL: st = db_prep(MATTER_COUNT(KEY_ALL)); break;
    case MP_STAGE: st = db_prep(MATTER_COUNT(KEY_STAGE)); break;
    case MP_OPEN: st = db_prep(MATTER_COUNT(KEY_OPEN)); break;
    case MP_CATEGORY: st = db_prep(MATTER_COUNT(KEY_CAT)); break;
    }
    bind_filter(st, f, p == MP_UNITS || p == MP_CHAR);
    db_bind_int(st, ":cap", cap);
    return db_one_int(st, 0);
}

/* Called for each matter of a page, in display order, with a struct reused from row to row. */
typedef void (*MatterRowFn)(Req *r, void *ctx, const Matter *m);

/* Lists a page of the filter in display order (stage_since, id), calling fn for each matter.
 * The walk yields only the ids, so that whatever it sorts or passes over is an id and a date, not
 * a whole matter; then the page's matters are read in one statement, in the walk's order (the
 * key of json_each: a sort of the page's rows alone). Returns the number of rows. */
static int filter_page(Req *r, const MatterFilter *f, int offset, int limit, MatterRowFn fn, void *ctx) {
    MatterPlan plan = matter_plan(f);
    Stmt *st = NULL;
    switch (plan) {
    case MP_CHAR: st = db_prep(MATTER_IDS MATTER_BY_CHAR MATTER_ORDER); break;
    case MP_UNITS: st = db_prep(MATTER_IDS MATTER_BY_UNIT MATTER_ORDER); break;
    case MP_ALL: st = db_prep(MATTER_IDS MATTER_BY(KEY_ALL) MATTER_ORDER); break;
    case MP_STAGE: st = db_prep(MATTER_IDS MATTER_BY(KEY_STAGE) MATTER_ORDER); break;
    case MP_OPEN: st = db_prep(MATTER_IDS MATTER_BY(KEY_OPEN) MATTER_ORDER); break;
    case MP_CATEGORY: st = db_prep(MATTER_IDS MATTER_BY(KEY_CAT) MATTER_ORDER); break;
    }
    if (!st) return 0;
    bind_filter(st, f, plan == MP_UNITS || plan == MP_CHAR);
    db_bind_int(st, ":lim", limit);
    db_bind_int(st, ":off", offset);
    int64_t ids[DELIB_PAGE];
    int n = 0;
    while (n < limit && n < DELIB_PAGE && db_step(st) == SQLITE_ROW) ids[n++] = db_col_int(st, 0);
    sqlite3_reset(st);
    if (!n) return 0;
    st = db_prep(MATTER_ROW_COLS " FROM json_each(:ids) j CROSS JOIN matter m ON m.id = j.value"
                 " CROSS JOIN unit u ON u.id = m.unit_id ORDER BY j.key");
    if (!st) return 0;
    db_bind_ids(st, ":ids", ids, n);
    Matter *m = xmalloc(sizeof *m);
    n = 0;
    while (db_step(st) == SQLITE_ROW) {
        matter_from_row(st, m);
        fn(r, ctx, m);
        n++;
    }
    free(m);
    sqlite3_reset(st);
    return n;
}

/* Appends the JSON of a matter to the array ctx. */
static void json_row(Req *r, void *ctx, const Matter *m) { json_array_append_new(ctx, matter_json(m)); }

typedef struct RowCtx { Buf *b; const UiTable *t; } RowCtx;

/* Writes the table row of a matter (ctx: a RowCtx). */
static void html_row(Req *r, void *ctx, const Matter *m) {
    RowCtx *c = ctx;
    Buf *b = c->b;
    ui_td(b, c->t, 0);
    html(b, "<a href=\"/matters/%lld\">%s</a>%s", (long long)m->id, m->title, m->major ? T(r, "（重大）") : "");
    ui_td(b, c->t, 1);
    html(b, "<a href=\"/groups/%lld/matters\">%s</a>", (long long)m->unit_id, m->unit_name);
    ui_td(b, c->t, 2);
    html(b, "%s", T(r, choice_text(category_choices, m->category)));
    ui_td(b, c->t, 3);
    html(b, "%s", T(r, stage_zh(m->stage)));
    ui_td(b, c->t, 4);
    html(b, "%s", delib_date(r, m->stage_since));
    ui_tr_end(b);
}

static void select_filter(Req *r, Buf *b, const char *name, const char *all, const Choice *c, const char *cur) {
    html(b, "<select name=\"%s\" aria-label=\"%s\"><option value=\"\">%s</option>", name, T(r, all), T(r, all));
    for (; c->value; c++)
        html(b, "<option value=\"%s\"%s>%s</option>", c->value, cur && !strcmp(cur, c->value) ? " selected" : "", T(r, c->label));
    html_raw(b, "</select>");
}

void h_matters(Req *r, Resp *w) {
    MatterFilter f;
    FilterError fe;
    bool ok = read_filter(r, &f, &fe);
    const char *bad = fe.message;
    if (bad && r->want_json) { json_error(r, w, 422, fe.code, fe.field, bad); return; }
    if (bad) ok = false;
    int page = ui_page_param(r), per = DELIB_PAGE;
    long long total = ok ? filter_count(&f, DELIB_COUNT_CAP + 1) : 0;
    bool capped = total > DELIB_COUNT_CAP;
    if (r->want_json) {
        json_t *arr = json_array();
        if (ok) filter_page(r, &f, (page - 1) * per, per, json_row, arr);
        json_send(w, 200, json_pack("{s:o, s:i, s:i, s:I, s:b}", "items", arr, "page", page, "per_page", per, "total",
                                    (json_int_t)(capped ? DELIB_COUNT_CAP : total), "total_capped", capped));
        return;
    }
    page_begin(r, w, T(r, "议事决策"), &(PageOpts){.menu = "/matters"});
    Buf *b = &w->body;
    html(b, "<div class=\"pagehead\"><h1>%s</h1><div class=\"actions\">", T(r, "议事决策"));
    if (auth_has(r, CAP_EXPORT) && !bad) {
        const char *kept = ui_query_kept(r);
        html(b, "<a class=\"button\" href=\"/matters/export.xlsx?%s\">%s</a><a class=\"button\" href=\"/matters/export.csv?%s\">%s</a>",
             kept, T(r, "导出 Excel"), kept, T(r, "导出 CSV"));
    }
    html_raw(b, "</div></div><form class=\"filters\" method=\"get\">");
    const char *unit = req_param_src(r, "unit", SRC_QUERY);
    html(b, "<input type=\"search\" name=\"q\" value=\"%s\" placeholder=\"%s\">", f.q ? f.q : "", T(r, "事项名称"));
    if (unit) html(b, "<input type=\"hidden\" name=\"unit\" value=\"%s\">", unit);
    select_filter(r, b, "stage", "全部阶段", stage_choices, f.stage);
    select_filter(r, b, "category", "全部类别", category_choices, f.category);
    html(b, "<label class=\"check\"><input type=\"checkbox\" name=\"overdue\" value=\"1\"%s> %s</label><button type=\"submit\">%s</button></form>",
         f.overdue ? " checked" : "", T(r, "只看超过30天未推进的"), T(r, "筛选"));
    if (bad) { ui_filter_refused(r, w, bad); return; }
    if (!total) {
        html(b, "<div class=\"empty\"><p>%s</p></div>", T(r, "没有符合条件的事项。村民组的事项从组的“议事决策”页面新建。"));
        page_end(r, w);
        return;
    }
    static const UiCol cols[] = {{"事项名称", false}, {"村民组", false}, {"类别", false}, {"阶段", false}, {"进入本阶段", false}};
    UiTable t;
    ui_table_begin(r, b, &t, cols, UI_NCOLS(cols));
    RowCtx c = {b, &t};
    int n = filter_page(r, &f, (page - 1) * per, per, html_row, &c);
    ui_table_end(b);
    if (capped) ui_capped_pager(r, b, page, n == per);
    else ui_pager(r, b, page, per, total);
    page_end(r, w);
}

/* ---------------------------------------------------------------------------------------------
 * GET /matters/export.xlsx and .csv */

enum { MCOLS = 12 };

static const SheetCol mcols[MCOLS] = {
    {"编号", true, 0},       {"村民组", false, 20}, {"事项名称", false, 20}, {"类别", false, 0},
    {"重大事项", false, 0},  {"提出方", false, 0},  {"提出日期", false, 12}, {"阶段", false, 0},
    {"进入本阶段", false, 12}, {"决议", false, 40}, {"表决通过日期", false, 12}, {"办结日期", false, 12},
};

/* Writes the filtered matters into the sheet. */
static void write_sheet(Req *r, const MatterFilter *f, SheetOut *out) {
#define SHEET_COLS "SELECT m.id, u.name, m.title, m.category, m.major, m.raised_by, m.raised_on, m.stage, m.stage_since," \
                   " m.decision, coalesce(m.decided_on, ''), coalesce(m.closed_on, '')"
#define SHEET_ORDER " ORDER BY u.path, m.id LIMIT :lim"
    Stmt *st = f->key[0] ? db_prep(SHEET_COLS MATTER_BY_CHAR SHEET_ORDER) : db_prep(SHEET_COLS MATTER_BY_UNIT SHEET_ORDER);
#undef SHEET_COLS
#undef SHEET_ORDER
    if (!st) { out->failed = true; return; }
    bind_filter(st, f, true);
    db_bind_int(st, ":lim", DELIB_EXPORT_CAP);
    int rc;
    while ((rc = db_step(st)) == SQLITE_ROW) {
        int s = stage_parse(db_col_text(st, 7));
        const char *cells[MCOLS] = {
            arena_printf(r->arena, "%lld", (long long)db_col_int(st, 0)),
            db_col_text(st, 1),
            db_col_text(st, 2),
            T(r, choice_text(category_choices, db_col_text(st, 3))),
            db_col_int(st, 4) ? T(r, "是") : T(r, "否"),
            T(r, choice_text(raised_by_choices, db_col_text(st, 5))),
            db_col_text(st, 6),
            T(r, stage_zh(s < 0 ? STAGE_CONSULT : (Stage)s)),
            db_col_text(st, 8),
            db_col_text(st, 9),
            db_col_text(st, 10),
            db_col_text(st, 11),
        };
        sheet_row(out, cells);
    }
    if (rc != SQLITE_DONE) out->failed = true;
    sqlite3_reset(st);
}

void h_matters_export(Req *r, Resp *w) {
    MatterFilter f;
    FilterError fe;
    bool ok = read_filter(r, &f, &fe);
    if (fe.field) { page_error(r, w, 422, fe.message); return; }
    if (!ok) { page_error(r, w, 404, NULL); return; }
    SheetOut out;
    if (sheet_open(&out, r, w, "议事决策", mcols, MCOLS, false) != 0) { page_error(r, w, 500, NULL); return; }
    write_sheet(r, &f, &out);
    Actor a = actor_of(r);
    if (sheet_finish(&out) != 0
        || audit_event(&a, "export", "matter", 0, r->who->scope_unit,
                       json_pack("{s:s, s:s, s:I, s:s?, s:s?, s:b}", "format", out.csv ? "csv" : "xlsx", "scope", f.scope, "rows",
                                 (json_int_t)out.rows, "stage", f.stage, "category", f.category, "overdue", f.overdue)) != 0) {
        buf_reset(&w->body);
        page_error(r, w, 500, NULL);
        return;
    }
    sheet_attach(&out, w, "matters", "议事决策");
}

/* ---------------------------------------------------------------------------------------------
 * The public decision page: GET /p/m/:id (no login). Only a matter whose vote passed is shown,
 * with the decision, the tally and the names of the group's committee; nothing else. */

void h_public_matter(Req *r, Resp *w) {
    Matter *m = arena_alloc(r->arena, sizeof *m);
    VoteRec v;
    int64_t id = path_id(r, "id");
    if (!id || matter_get(SCOPE_ALL, id, m) != 0 || !m->vote_id || vote_load(m->vote_id, &v) != 0 || !v.passed) {
        page_error(r, w, 404, NULL);
        return;
    }
    if (r->want_json) {
        json_send(w, 200, json_pack("{s:I, s:s, s:s, s:s, s:s, s:i, s:i, s:i, s:i}", "id", (json_int_t)m->id, "group", m->unit_name,
                                    "title", m->title, "decision", m->decision, "decided_on", m->decided_on, "present", v.present,
                                    "for", v.votes_for, "against", v.votes_against, "abstain", v.abstentions));
        return;
    }
    page_begin(r, w, T(r, "决议公告"), &(PageOpts){.unit = m->unit_name});
    Buf *b = &w->body;
    html(b, "<article class=\"print-doc\"><h1>%s%s</h1><p><b>%s：</b>%s</p><p><b>%s：</b>%s</p><p>%s %s</p>", m->unit_name,
         T(r, "决议公告"), T(r, "事项"), m->title, T(r, "决议"), m->decision, T(r, "表决通过日期"), delib_date(r, m->decided_on));
    html(b, "<p>%s</p>", Tn2(r, "应到 {n} 人，实到 {m} 人。", v.eligible, v.present));
    html(b, "<p>%s</p>", Tn2(r, "赞成 {n} 票，反对 {m} 票。", v.votes_for, v.votes_against));
    Stmt *st = db_prep("SELECT p.name FROM committee c JOIN committee_member cm ON cm.committee_id = c.id JOIN person p ON p.id = cm.person_id"
                       " WHERE c.unit_id = :u AND c.ended_on IS NULL AND cm.end_date IS NULL ORDER BY cm.post = 'chair' DESC, cm.id");
    db_bind_int(st, ":u", m->unit_id);
    html(b, "<p>%s：", T(r, "组委会"));
    while (db_step(st) == SQLITE_ROW) html(b, "%s　", db_col_text(st, 0));
    sqlite3_reset(st);
    html(b, "</p><p><a href=\"/p/g/%lld/rules\">%s</a></p></article>", (long long)m->unit_id, T(r, "本组组规民约"));
    page_end(r, w);
}
