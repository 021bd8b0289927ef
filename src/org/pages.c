/* pages.c — the pages of the org tree: the unit page with its lazily loaded tree navigator, the
 * forms to add, change, move and end a unit, and the search. Each page is one function; the
 * store (units.c) applies the caller's scope, and every change also asks auth_can() for the unit
 * being changed and for the parent it goes under. */
#include "org/org.h"
#include "platform/auth.h"
#include "platform/date.h"
#include "platform/html.h"
#include "platform/json.h"
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------------------------------------
 * Helpers shared with api.c, party.c and other mechanisms */

int org_unit(const Req *r, int64_t id, Unit *u) { return unit_get(auth_scope(r), id, u); }


int org_unit_param(Req *r, Resp *w, const char *param, Unit *u) {
    int64_t id = id_parse(req_param_src(r, param, SRC_PATH));
    if (id > 0 && org_unit(r, id, u) == 0) return 0;
    page_error(r, w, 404, NULL);
    return -1;
}

const char *org_scope_param(Req *r) {
    const char *unit = req_param_src(r, "unit", SRC_QUERY);
    if (!unit || !*unit) return auth_scope(r);
    Unit u;
    int64_t id = id_parse(unit);
    return id && org_unit(r, id, &u) == 0 ? arena_strdup(r->arena, u.path) : NULL;
}

static void unit_option(void *b, int64_t id, const char *name) {
    html(b, "<option value=\"%lld\">%s</option>", (long long)id, name);
}

void org_unit_select(Req *r, Buf *b) {
    const char *cur = req_param_src(r, "unit", SRC_QUERY);
    Unit base;
    int64_t base_id = id_parse(cur);
    if (base_id && org_unit(r, base_id, &base) != 0) base_id = 0;
    if (!base_id && !r->who) return;
    html(b, "<select name=\"unit\" aria-label=\"%s\"><option value=\"\">%s</option>", T(r, "范围"), T(r, "全部范围"));
    if (base_id) html(b, "<option value=\"%lld\" selected>%s</option>", (long long)base.id, base.name);
    /* The options narrow the list by one level: the children of the chosen unit, or of the
     * user's own (a group has none, and the query finds none). */
    unit_child_names(auth_scope(r), base_id ? base_id : r->who->scope_unit, UNIT_PAGE, unit_option, b);
    html_raw(b, "</select>");
}

int org_crumbs(Req *r, const Unit *u, Crumb *out, int max) {
    Unit line[4];
    if (max > ORG_CRUMBS_MAX - 1) max = ORG_CRUMBS_MAX - 1;
    int n = unit_lineage(auth_scope(r), u, line, max < 4 ? max : 4);
    for (int i = 0; i < n; i++) {
        out[i].label = arena_strdup(r->arena, line[i].name);
        out[i].href = arena_printf(r->arena, "/org/%lld", (long long)line[i].id);
    }
    return n;
}

const char *org_kind_label(const Req *r, const Unit *u) { return T(r, unit_kind_zh(u->kind, u->subkind)); }

json_t *unit_json(const Unit *u) {
    json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:i, s:i, s:s, s:I}", "id", (json_int_t)u->id, "kind",
                          unit_kind_name(u->kind), "subkind", u->subkind, "name", u->name, "path", u->path, "depth",
                          u->depth, "sort", u->sort, "start_date", u->start_date, "active_children",
                          (json_int_t)u->active_children);
    json_object_set_new(o, "parent_id", u->parent_id ? json_integer(u->parent_id) : json_null());
    json_object_set_new(o, "code", u->code[0] ? json_string(u->code) : json_null());
    json_object_set_new(o, "end_date", u->end_date[0] ? json_string(u->end_date) : json_null());
    return o;
}

void org_children_json(Req *r, Resp *w, const Unit *u) {
    int page = ui_page_param(r);
    const char *e = req_param_src(r, "ended", SRC_QUERY);
    Unit *kids = arena_alloc(r->arena, sizeof(Unit) * UNIT_PAGE);
    long long total;
    int n = unit_children(auth_scope(r), u->id, e && !strcmp(e, "1"), (page - 1) * UNIT_PAGE, UNIT_PAGE, kids, &total);
    json_t *items = json_array();
    for (int i = 0; i < n; i++) json_array_append_new(items, unit_json(&kids[i]));
    json_send(w, 200, json_pack("{s:o, s:i, s:i, s:I}", "items", items, "page", page, "per_page", UNIT_PAGE, "total",
                                (json_int_t)total));
}

/* ---------------------------------------------------------------------------------------------
 * Page pieces */

static bool show_ended(const Req *r) {
    const char *e = req_param_src(r, "ended", SRC_QUERY);
    return e && strcmp(e, "1") == 0;
}

/* Opens the page frame for a page about `u`, with its breadcrumbs and, when `leaf` is set, one
 * more crumb for the sub-page. */
static void unit_page_begin(Req *r, Resp *w, const Unit *u, const char *title, const char *leaf) {
    Crumb crumbs[ORG_CRUMBS_MAX];
    int n = org_crumbs(r, u, crumbs, ORG_CRUMBS_MAX - 1);
    if (leaf) crumbs[n++] = (Crumb){leaf, NULL};
    page_begin(r, w, title, &(PageOpts){.crumbs = crumbs, .ncrumbs = n, .menu = "/org", .unit = u->name});
}

/* "3 个村": how many active children a unit has, named by their kind. */
static const char *children_label(const Req *r, const Unit *u) {
    switch (u->kind) {
    case UNIT_COUNTY: return Tn(r, "{n} 个乡镇", u->active_children);
    case UNIT_TOWNSHIP: return Tn(r, "{n} 个村", u->active_children);
    case UNIT_VILLAGE: return Tn(r, "{n} 个组", u->active_children);
    case UNIT_GROUP: break;
    }
    return "";
}

/* Writes one <li> of the tree navigator: a unit that can hold children becomes a <details> whose
 * children app.js loads from data-src when opened; without JavaScript the "打开" link inside it
 * leads to the unit's own page. */
static void tree_item(Req *r, Buf *b, const Unit *c, bool with_ended) {
    long long id = (long long)c->id;
    const char *ended = unit_ended(c) ? T(r, "已撤销") : NULL;
    if (c->kind != UNIT_GROUP && (c->active_children > 0 || with_ended)) {
        html(b, "<li><details data-src=\"/org/%lld/children%s\"><summary><a href=\"/org/%lld\">%s</a>", id,
             with_ended ? "?ended=1" : "", id, c->name);
        html(b, " <span class=\"count\">%s</span>", children_label(r, c));
        if (ended) html(b, " <span class=\"badge muted\">%s</span>", ended);
        html(b, "</summary><ul><li><a href=\"/org/%lld\">%s</a></li></ul></details></li>", id, T(r, "打开"));
    } else {
        html(b, "<li><a href=\"/org/%lld\">%s</a>", id, c->name);
        if (ended) html(b, " <span class=\"badge muted\">%s</span>", ended);
        html_raw(b, "</li>");
    }
}

/* Writes the <li> items of a page of children, and a "more" link when there are further pages. */
static void tree_items(Req *r, Buf *b, const Unit *u, const Unit *kids, int n, long long total, int page,
                       bool with_ended) {
    for (int i = 0; i < n; i++) tree_item(r, b, &kids[i], with_ended);
    if ((long long)page * UNIT_PAGE < total)
        html(b, "<li><a href=\"/org/%lld?page=%d%s\">%s</a></li>", (long long)u->id, page + 1,
             with_ended ? "&ended=1" : "", T(r, "更多下级单位…"));
}

/* The "已撤销" badge and the level badge after a unit's name. */
static void unit_badges(Req *r, Buf *b, const Unit *u) {
    html(b, " <span class=\"badge\">%s</span>", org_kind_label(r, u));
    if (unit_ended(u)) html(b, " <span class=\"badge muted\">%s</span>", T(r, "已撤销"));
}

/* A stored 'YYYY-MM-DD' as the request's language shows dates. */
static const char *show_date(const Req *r, const char *iso) {
    int32_t d;
    return date_parse(iso, &d) == 0 ? fmt_date(r, d) : iso;
}

/* ---------------------------------------------------------------------------------------------
 * GET /org, GET /org/:id, GET /org/:id/children */

/* Sends the caller to the page of their own scope unit. */
static void h_org_home(Req *r, Resp *w) {
    if (!r->who->scope_unit) { page_error(r, w, 404, NULL); return; }
    resp_redirect(r, w, arena_printf(r->arena, "/org/%lld", (long long)r->who->scope_unit));
}

/* "添加行政村": the button that adds a child of kind k. */
static const char *add_label(const Req *r, UnitKind k) {
    return T(r, k == UNIT_TOWNSHIP ? "添加乡镇" : k == UNIT_VILLAGE ? "添加行政村" : "添加村民组");
}

/* The buttons of the unit page, shown only to a caller who may change the unit. */
static void unit_actions(Req *r, Buf *b, const Unit *u) {
    if (!auth_can(r, CAP_ORG, u->path) || unit_ended(u)) return;
    long long id = (long long)u->id;
    UnitKind ck;
    html_raw(b, "<div class=\"actions\">");
    if (unit_child_kind(u->kind, &ck)) {
        html(b, "<a class=\"button primary\" href=\"/org/%lld/new\">", id);
        ui_icon(b, "plus");
        html(b, " %s</a>", add_label(r, ck));
    }
    html(b, "<a class=\"button\" href=\"/org/%lld/edit\">%s</a>", id, T(r, "修改"));
    if (u->kind != UNIT_COUNTY) {
        html(b, "<a class=\"button\" href=\"/org/%lld/move\">%s</a>", id, T(r, "移动"));
        html(b, "<a class=\"button danger\" href=\"/org/%lld/end\">%s</a>", id, T(r, "撤销"));
    }
    html_raw(b, "</div>");
}

/* The facts card: level, code, parent, dates, and the active units below by kind. */
static void unit_facts(Req *r, Buf *b, const Unit *u) {
    html(b, "<section class=\"card\"><h2>%s</h2><dl class=\"facts\">", T(r, "基本情况"));
    html(b, "<dt>%s</dt><dd>%s</dd>", T(r, "层级"), org_kind_label(r, u));
    html(b, "<dt>%s</dt><dd>%s</dd>", T(r, "区划代码"), u->code[0] ? u->code : T(r, "未填写"));
    if (u->parent_name[0])
        html(b, "<dt>%s</dt><dd><a href=\"/org/%lld\">%s</a></dd>", T(r, "上级"), (long long)u->parent_id, u->parent_name);
    html(b, "<dt>%s</dt><dd>%s</dd>", T(r, "成立日期"), show_date(r, u->start_date));
    if (unit_ended(u)) html(b, "<dt>%s</dt><dd>%s</dd>", T(r, "撤销日期"), show_date(r, u->end_date));
    html(b, "<dt>%s</dt><dd>%lld</dd></dl>", T(r, "编号"), (long long)u->id);
    long long counts[4];
    unit_descendant_counts(u, counts);
    static const char *const labels[] = {"县", "乡镇", "行政村", "村民组"};
    if (u->kind != UNIT_GROUP) {
        html_raw(b, "<div class=\"stats\">");
        for (int k = u->kind + 1; k <= UNIT_GROUP; k++) ui_stat(b, counts[k], T(r, labels[k]));
        html_raw(b, "</div>");
    }
    html_raw(b, "</section>");
}

static const UnitLink *unit_links;
static const UnitCardFn *unit_cards;

void org_set_unit_extras(const UnitLink *links, const UnitCardFn *cards) {
    unit_links = links;
    unit_cards = cards;
}

/* The other mechanisms' pages about the unit that the caller may open, as a row of buttons. */
static void unit_link_bar(Req *r, Buf *b, const Unit *u) {
    bool open = false;
    for (const UnitLink *l = unit_links; l && l->label; l++) {
        if (!(l->kinds & UNIT_KIND_BIT(u->kind)) || !auth_can(r, l->cap, u->path)) continue;
        if (!open) html(b, "<nav class=\"actions\" aria-label=\"%s\">", T(r, "相关页面"));
        open = true;
        html(b, "<a class=\"button\" href=\"%s%lld%s\">%s</a>", l->before, (long long)u->id, l->after, T(r, l->label));
    }
    if (open) html_raw(b, "</nav>");
}

/* The children card: search box, show-ended switch, one page of the tree navigator. */
static void unit_children_card(Req *r, Buf *b, const Unit *u) {
    bool ended = show_ended(r);
    int page = ui_page_param(r);
    Unit *kids = arena_alloc(r->arena, sizeof(Unit) * UNIT_PAGE);
    long long total;
    int n = unit_children(auth_scope(r), u->id, ended, (page - 1) * UNIT_PAGE, UNIT_PAGE, kids, &total);
    html(b, "<section class=\"card\"><h2>%s</h2>", T(r, "下级单位"));
    html(b, "<form class=\"filters\" method=\"get\" action=\"/org/search\" role=\"search\">"
            "<input type=\"search\" name=\"q\" aria-label=\"%s\" placeholder=\"%s\"><button type=\"submit\">%s</button></form>",
         T(r, "查找单位"), T(r, "名称或区划代码"), T(r, "查找"));
    if (ended) html(b, "<p><a href=\"/org/%lld\">%s</a></p>", (long long)u->id, T(r, "隐藏已撤销的单位"));
    else html(b, "<p><a href=\"/org/%lld?ended=1\">%s</a></p>", (long long)u->id, T(r, "显示已撤销的单位"));
    if (n == 0) {
        html(b, "<div class=\"empty\"><p>%s</p>", T(r, "还没有下级单位。"));
        UnitKind ck;
        if (auth_can(r, CAP_ORG, u->path) && !unit_ended(u) && unit_child_kind(u->kind, &ck))
            html(b, "<a class=\"button primary\" href=\"/org/%lld/new\">%s</a>", (long long)u->id, T(r, "添加下级单位"));
        html_raw(b, "</div></section>");
        return;
    }
    html_raw(b, "<ul class=\"tree\">");
    for (int i = 0; i < n; i++) tree_item(r, b, &kids[i], ended);
    html_raw(b, "</ul>");
    ui_pager(r, b, page, UNIT_PAGE, total);
    html_raw(b, "</section>");
}

static void h_unit(Req *r, Resp *w) {
    Unit u;
    if (org_unit_param(r, w, "id", &u) != 0) return;
    unit_page_begin(r, w, &u, u.name, NULL);
    Buf *b = &w->body;
    html(b, "<div class=\"pagehead\"><h1>%s", u.name);
    unit_badges(r, b, &u);
    html_raw(b, "</h1>");
    unit_actions(r, b, &u);
    html_raw(b, "</div>");
    unit_link_bar(r, b, &u);
    unit_facts(r, b, &u);
    for (const UnitCardFn *card = unit_cards; card && *card; card++) (*card)(r, b, &u);
    org_party_card(r, b, &u, auth_can(r, CAP_ORG, u.path) && !unit_ended(&u));
    if (u.kind != UNIT_GROUP) unit_children_card(r, b, &u);
    page_end(r, w);
}

static void h_children(Req *r, Resp *w) {
    Unit u;
    if (org_unit_param(r, w, "id", &u) != 0) return;
    const char *fmt = req_param_src(r, "format", SRC_QUERY);
    if (r->want_json || (fmt && strcmp(fmt, "json") == 0)) { org_children_json(r, w, &u); return; }
    const char *accept = req_header(r, "Accept");
    if (!accept || !strstr(accept, "text/html-fragment")) {
        resp_redirect(r, w, arena_printf(r->arena, "/org/%lld", (long long)u.id));
        return;
    }
    bool ended = show_ended(r);
    int page = ui_page_param(r);
    Unit *kids = arena_alloc(r->arena, sizeof(Unit) * UNIT_PAGE);
    long long total;
    int n = unit_children(auth_scope(r), u.id, ended, (page - 1) * UNIT_PAGE, UNIT_PAGE, kids, &total);
    w->content_type = "text/html; charset=utf-8";
    resp_header(w, "Cache-Control", "no-store");
    resp_header(w, "Vary", "Accept");
    buf_reset(&w->body);
    if (n == 0) html(&w->body, "<li>%s</li>", T(r, "没有下级单位"));
    tree_items(r, &w->body, &u, kids, n, total, page, ended);
}

/* ---------------------------------------------------------------------------------------------
 * Forms */

static const Choice township_subkinds[] = {{"street", "街道"}, {"town", "镇"}, {"xiang", "乡"}, {NULL, NULL}};
static const Choice group_subkinds[] = {{"group", "村民组"}, {"hamlet", "自然寨"}, {NULL, NULL}};

static const Field unit_fields[] = {
    {"name", "名称", FT_TEXT, true, 0, UNIT_NAME_MAX, NULL, NULL, NULL},
    {"code", "区划代码", FT_DIGITS, false, 0, 15, NULL, NULL, "县、乡镇、村为12位，村民组为15位（村代码加3位组号）；没有可不填"},
    {"sort", "排序号", FT_INT, false, 0, 9999, NULL, NULL, "数字小的排在前面"},
    {"start_date", "成立日期", FT_DATE, false, 0, 0, NULL, NULL, "不填为今天"},
    {"subkind", "类型", FT_ENUM, true, 0, 0, NULL, NULL, NULL},
};

/* Copies the fields of the unit form for a unit of kind k into out: the start date only when
 * creating, the subkind only for townships and groups. Returns the count. */
static int unit_form_fields(UnitKind k, bool create, Field out[5]) {
    int n = 0;
    for (int i = 0; i < 5; i++) {
        const Field *f = &unit_fields[i];
        if (!create && !strcmp(f->name, "start_date")) continue;
        if (!strcmp(f->name, "subkind")) {
            if (k != UNIT_TOWNSHIP && k != UNIT_GROUP) continue;
            out[n] = *f;
            out[n++].choices = k == UNIT_TOWNSHIP ? township_subkinds : group_subkinds;
            continue;
        }
        out[n++] = *f;
    }
    return n;
}

/* Puts a store error next to its field; returns the message when the form has no such field, so
 * the page shows it above the form. */
static const char *form_take_err(Req *r, Form *f, const UnitErr *e) {
    for (int k = 0; e->field && k < f->n; k++)
        if (!strcmp(f->fields[k].name, e->field)) {
            form_fail(f, e->field, e->code, T(r, e->msg));
            return NULL;
        }
    f->nerr++;
    return T(r, e->msg);
}

/* Opens a form page about `u`: frame, heading, a general error when given, the <form>. */
static void form_open(Req *r, Resp *w, const Unit *u, const char *title, const char *general) {
    unit_page_begin(r, w, u, title, title);
    Buf *b = &w->body;
    html(b, "<div class=\"pagehead\"><h1>%s</h1></div>", title);
    if (general) html(b, "<div class=\"flash err\" role=\"alert\">%s</div>", general);
    html(b, "<section class=\"card\"><form class=\"form\" method=\"post\" action=\"%s\" novalidate>", r->path);
    ui_csrf(r, b);
}

/* Closes the form: the primary button (with a confirmation question when given) and a way back. */
static void form_close(Req *r, Resp *w, const Unit *u, const Form *f, const char *button, const char *confirm) {
    Buf *b = &w->body;
    html(b, "<div class=\"actions\"><button class=\"primary\" type=\"submit\"");
    if (confirm) html(b, " data-confirm=\"%s\"", confirm);
    html(b, ">%s</button><a class=\"button\" href=\"/org/%lld\">%s</a></div></form></section>", button,
         (long long)u->id, T(r, "取消"));
}

/* Ends a form page; a submission that failed answers 422 so scripts and tests can tell. */
static void form_page_end(Req *r, Resp *w, const Form *f) {
    page_end(r, w);
    if (f->submitted && f->nerr) w->status = 422;
}

/* Refuses a change the caller may not make on `u`. Returns true after answering 403. */
static bool refuse_change(Req *r, Resp *w, const Unit *u) {
    if (auth_can(r, CAP_ORG, u->path)) return false;
    page_error(r, w, 403, NULL);
    return true;
}

/* GET/POST /org/:id/new — adds a child of the next level under the unit. */
static void h_new(Req *r, Resp *w) {
    Unit parent;
    if (org_unit_param(r, w, "id", &parent) != 0 || refuse_change(r, w, &parent)) return;
    UnitKind k;
    if (!unit_child_kind(parent.kind, &k) || unit_ended(&parent)) {
        page_error(r, w, 400, T(r, unit_ended(&parent) ? "上级单位已撤销，不能再添加下级" : "村民组之下不能再设下级单位"));
        return;
    }
    Field fields[5];
    int nf = unit_form_fields(k, true, fields);
    Form f;
    const char *general = NULL;
    if (r->method == HTTP_POST) {
        if (form_read(r, &f, fields, nf) == 0) {
            UnitInput in = {parent.id, unit_kind_name(k), form_s(&f, "subkind"), form_s(&f, "name"),
                            form_s(&f, "code"), (int)form_i(&f, "sort"), form_s(&f, "start_date")};
            Actor a = actor_of(r);
            UnitErr e;
            int64_t id;
            if (unit_create(&a, auth_scope(r), &in, &id, &e) == 0) {
                resp_redirect_flash(r, w, arena_printf(r->arena, "/org/%lld", (long long)id), T(r, "已保存"));
                return;
            }
            general = form_take_err(r, &f, &e);
        }
    } else {
        form_init(&f, fields, nf);
        if (k == UNIT_GROUP) form_set(&f, "subkind", "group");
    }
    const char *title = arena_printf(r->arena, "%s · %s", T(r, "添加下级单位"), T(r, unit_kind_zh(k, "")));
    form_open(r, w, &parent, title, general);
    Buf *b = &w->body;
    html(b, "<p class=\"hint\">%s%s</p>", T(r, "上级单位："), parent.name);
    for (int i = 0; i < nf; i++) ui_field(r, b, &f, fields[i].name);
    form_close(r, w, &parent, &f, T(r, "保存"), NULL);
    form_page_end(r, w, &f);
}

/* GET/POST /org/:id/edit — name, code, subkind and sort of the unit. */
static void h_edit(Req *r, Resp *w) {
    Unit u;
    if (org_unit_param(r, w, "id", &u) != 0 || refuse_change(r, w, &u)) return;
    if (unit_ended(&u)) { page_error(r, w, 400, T(r, "已撤销的单位不能修改")); return; }
    Field fields[5];
    int nf = unit_form_fields(u.kind, false, fields);
    Form f;
    const char *general = NULL;
    if (r->method == HTTP_POST) {
        if (form_read(r, &f, fields, nf) == 0) {
            const char *sub = form_s(&f, "subkind");
            UnitInput in = {0, NULL, sub ? sub : "", form_s(&f, "name"), form_s(&f, "code"), (int)form_i(&f, "sort"), NULL};
            Actor a = actor_of(r);
            UnitErr e;
            if (unit_update(&a, auth_scope(r), u.id, &in, &e) == 0) {
                resp_redirect_flash(r, w, arena_printf(r->arena, "/org/%lld", (long long)u.id), T(r, "已保存"));
                return;
            }
            general = form_take_err(r, &f, &e);
        }
    } else {
        form_init(&f, fields, nf);
        form_set(&f, "name", u.name);
        form_set(&f, "code", u.code);
        form_set(&f, "subkind", u.subkind);
        form_set(&f, "sort", arena_printf(r->arena, "%d", u.sort));
    }
    form_open(r, w, &u, T(r, "修改单位"), general);
    for (int i = 0; i < nf; i++) ui_field(r, &w->body, &f, fields[i].name);
    html(&w->body, "<p class=\"hint\">%s</p>", T(r, "修改区划代码时，下级单位的区划代码会一并更新。"));
    form_close(r, w, &u, &f, T(r, "保存"), NULL);
    form_page_end(r, w, &f);
}

static const Field move_fields[] = {
    {"parent", "新上级（区划代码或编号）", FT_TEXT, true, 0, 20, NULL, NULL, "填写新上级单位的区划代码，或它页面上的编号"},
    {"code", "新区划代码", FT_DIGITS, false, 0, 15, NULL, NULL, "区划代码随上级改变时填写；下级单位的代码会一并更新"},
};

/* Finds the unit a move form names by division code (12 or 15 digits) or by id, in scope. */
static int find_target(const Req *r, const char *text, Unit *to) {
    size_t n = strlen(text);
    if (n == 12 || n == 15) return unit_by_code(auth_scope(r), text, to);
    int64_t id = id_parse(text);
    return id > 0 ? org_unit(r, id, to) : -1;
}

/* Lists the units the moved unit could go under nearby: the siblings of its current parent. */
static void move_choices(Req *r, Buf *b, const Unit *u) {
    Unit parent;
    if (!u->parent_id || org_unit(r, u->parent_id, &parent) != 0 || !parent.parent_id) return;
    Unit *near = arena_alloc(r->arena, sizeof(Unit) * UNIT_PAGE);
    long long total;
    int n = unit_children(auth_scope(r), parent.parent_id, false, 0, UNIT_PAGE, near, &total);
    if (n < 2) return;
    html(b, "<section class=\"card\"><h2>%s</h2>", T(r, "可选的上级单位"));
    static const UiCol cols[] = {{"名称", false}, {"区划代码", false}, {"编号", false}};
    UiTable t;
    ui_table_begin(r, b, &t, cols, UI_NCOLS(cols));
    for (int i = 0; i < n; i++) {
        if (near[i].id == parent.id) continue;
        ui_td(b, &t, 0);
        html(b, "%s", near[i].name);
        ui_td(b, &t, 1);
        html(b, "%s", near[i].code);
        ui_td(b, &t, 2);
        html(b, "%lld", (long long)near[i].id);
        ui_tr_end(b);
    }
    ui_table_end(b);
    html_raw(b, "</section>");
}

/* GET/POST /org/:id/move — puts the unit (and its whole subtree) under another parent. */
static void h_move(Req *r, Resp *w) {
    Unit u, to;
    if (org_unit_param(r, w, "id", &u) != 0 || refuse_change(r, w, &u)) return;
    Form f;
    const char *general = NULL;
    int nf = (int)(sizeof move_fields / sizeof move_fields[0]);
    if (r->method == HTTP_POST) {
        if (form_read(r, &f, move_fields, nf) == 0) {
            if (find_target(r, form_s(&f, "parent"), &to) != 0)
                form_fail(&f, "parent", "not_found", T(r, "找不到新上级单位，或它不在您的管辖范围内"));
            else if (!auth_can(r, CAP_ORG, to.path))
                form_fail(&f, "parent", "forbidden", T(r, "没有权限执行此操作。"));
        }
        if (f.nerr == 0) {
            Actor a = actor_of(r);
            UnitErr e;
            if (unit_move(&a, auth_scope(r), u.id, to.id, form_s(&f, "code"), &e) == 0) {
                resp_redirect_flash(r, w, arena_printf(r->arena, "/org/%lld", (long long)u.id), T(r, "已移动"));
                return;
            }
            if (e.status == 404) { page_error(r, w, 404, NULL); return; }
            if (e.field && !strcmp(e.field, "parent_id")) e.field = "parent";
            general = form_take_err(r, &f, &e);
        }
    } else {
        form_init(&f, move_fields, nf);
    }
    form_open(r, w, &u, T(r, "移动单位"), general);
    Buf *b = &w->body;
    if (u.parent_name[0]) html(b, "<p>%s%s</p>", T(r, "当前上级："), u.parent_name);
    html(b, "<p class=\"hint\">%s</p>", T(r, "它的全部下级单位随它一起移动。"));
    for (int i = 0; i < nf; i++) ui_field(r, b, &f, move_fields[i].name);
    form_close(r, w, &u, &f, T(r, "移动"), NULL);
    move_choices(r, b, &u);
    form_page_end(r, w, &f);
}

static const Field end_fields[] = {
    {"end_date", "撤销日期", FT_DATE, true, 0, 0, NULL, NULL, NULL},
    {"confirm", "我已核实，确认撤销这个单位", FT_BOOL, false, 0, 0, NULL, NULL, NULL},
};

/* GET/POST /org/:id/end — ends the unit on a date; its records stay readable. */
static void h_end(Req *r, Resp *w) {
    Unit u;
    if (org_unit_param(r, w, "id", &u) != 0 || refuse_change(r, w, &u)) return;
    Form f;
    const char *general = NULL;
    int nf = (int)(sizeof end_fields / sizeof end_fields[0]);
    if (r->method == HTTP_POST) {
        if (form_read(r, &f, end_fields, nf) == 0 && !form_i(&f, "confirm"))
            form_fail(&f, "confirm", "required", T(r, "请勾选确认"));
        if (f.nerr == 0) {
            Actor a = actor_of(r);
            UnitErr e;
            if (unit_end(&a, auth_scope(r), u.id, form_s(&f, "end_date"), &e) == 0) {
                resp_redirect_flash(r, w, arena_printf(r->arena, "/org/%lld", (long long)u.id), T(r, "已撤销"));
                return;
            }
            general = form_take_err(r, &f, &e);
        }
    } else {
        form_init(&f, end_fields, nf);
        char today[11];
        unit_today(today);
        form_set(&f, "end_date", arena_strdup(r->arena, today));
    }
    if (!general && u.active_children > 0) general = T(r, "它还有未撤销的下级单位，请先撤销或移走下级单位");
    form_open(r, w, &u, T(r, "撤销单位"), general);
    Buf *b = &w->body;
    html(b, "<p>%s</p>", T(r, "撤销后，这个单位不再出现在下级列表中（勾选“显示已撤销的单位”仍可查看），"
                              "它的记录全部保留，它的党组织同时撤销。"));
    for (int i = 0; i < nf; i++) ui_field(r, b, &f, end_fields[i].name);
    form_close(r, w, &u, &f, T(r, "撤销"), T(r, "确定撤销这个单位吗？"));
    form_page_end(r, w, &f);
}

/* ---------------------------------------------------------------------------------------------
 * GET /org/search */

static const Field search_fields[] = {
    {"q", "名称或区划代码", FT_TEXT, false, 0, 60, NULL, NULL, NULL},
};

static void search_results(Req *r, Buf *b, const char *q, bool ended) {
    int page = ui_page_param(r);
    Unit *found = arena_alloc(r->arena, sizeof(Unit) * UNIT_PAGE);
    long long total;
    int n = unit_search(auth_scope(r), q, ended, (page - 1) * UNIT_PAGE, UNIT_PAGE, found, &total);
    if (n == 0) {
        html(b, "<div class=\"empty\"><p>%s</p></div>", T(r, "没有找到符合条件的单位。请换个关键词，或勾选“含已撤销”。"));
        return;
    }
    static const UiCol cols[] = {{"名称", false}, {"层级", false}, {"区划代码", false}, {"上级", false}};
    UiTable t;
    ui_table_begin(r, b, &t, cols, UI_NCOLS(cols));
    for (int i = 0; i < n; i++) {
        const Unit *u = &found[i];
        ui_td(b, &t, 0);
        html(b, "<a href=\"/org/%lld\">%s</a>", (long long)u->id, u->name);
        if (unit_ended(u)) html(b, " <span class=\"badge muted\">%s</span>", T(r, "已撤销"));
        ui_td(b, &t, 1);
        html(b, "%s", org_kind_label(r, u));
        ui_td(b, &t, 2);
        html(b, "%s", u->code);
        ui_td(b, &t, 3);
        html(b, "%s", u->parent_name);
        ui_tr_end(b);
    }
    ui_table_end(b);
    ui_pager(r, b, page, UNIT_PAGE, total);
}

static void h_search(Req *r, Resp *w) {
    Form f;
    form_read(r, &f, search_fields, 1);
    const char *q = form_s(&f, "q");
    bool ended = show_ended(r);
    page_begin(r, w, T(r, "查找单位"), &(PageOpts){.menu = "/org"});
    Buf *b = &w->body;
    html(b, "<div class=\"pagehead\"><h1>%s</h1></div>", T(r, "查找单位"));
    html(b, "<form class=\"filters\" method=\"get\" action=\"/org/search\" role=\"search\">"
            "<input type=\"search\" name=\"q\" value=\"%s\" aria-label=\"%s\" placeholder=\"%s\">"
            "<label class=\"check\"><input type=\"checkbox\" name=\"ended\" value=\"1\"%s> %s</label>"
            "<button type=\"submit\">%s</button></form>",
         f.s[0] ? f.s[0] : "", T(r, "名称或区划代码"), T(r, "名称或区划代码"), ended ? " checked" : "", T(r, "含已撤销"),
         T(r, "查找"));
    if (f.nerr) html(b, "<p class=\"error\">%s</p>", f.err[0]);
    else if (!q) html(b, "<div class=\"empty\"><p>%s</p></div>", T(r, "输入名称中的字，或区划代码的前几位，查找您管辖范围内的单位。"));
    else search_results(r, b, q, ended);
    page_end(r, w);
}

/* ---------------------------------------------------------------------------------------------
 * Routes */

const Route org_routes[] = {
    {HTTP_GET, "/org", h_org_home, CAP_VIEW, 0, "org_home"},
    {HTTP_GET, "/org/search", h_search, CAP_VIEW, 0, "org_search"},
    {HTTP_GET, "/org/:id", h_unit, CAP_VIEW, 0, "org_unit"},
    {HTTP_GET, "/org/:id/children", h_children, CAP_VIEW, 0, "org_children"},
    {HTTP_GET | HTTP_POST, "/org/:id/new", h_new, CAP_ORG, 0, "org_new"},
    {HTTP_GET | HTTP_POST, "/org/:id/edit", h_edit, CAP_ORG, 0, "org_edit"},
    {HTTP_GET | HTTP_POST, "/org/:id/move", h_move, CAP_ORG, 0, "org_move"},
    {HTTP_GET | HTTP_POST, "/org/:id/end", h_end, CAP_ORG, 0, "org_end"},
    {HTTP_GET | HTTP_POST, "/org/:id/party", org_party_page, CAP_ORG, 0, "org_party"},
    {HTTP_GET, "/api/v1/units/:id", api_unit_get, CAP_VIEW, ROUTE_JSON, "api_unit"},
    {HTTP_GET, "/api/v1/units/:id/children", api_unit_children, CAP_VIEW, ROUTE_JSON, "api_unit_children"},
    {HTTP_POST, "/api/v1/units", api_unit_create, CAP_ORG, ROUTE_JSON, "api_unit_create"},
    {HTTP_POST, "/api/v1/units/:id", api_unit_update, CAP_ORG, ROUTE_JSON, "api_unit_update"},
    {HTTP_POST, "/api/v1/units/:id/move", api_unit_move, CAP_ORG, ROUTE_JSON, "api_unit_move"},
    {HTTP_POST, "/api/v1/units/:id/end", api_unit_end, CAP_ORG, ROUTE_JSON, "api_unit_end"},
    {0, NULL, NULL, 0, 0, NULL},
};

/* ---------------------------------------------------------------------------------------------
 * Messages: every Chinese text of the org pages, the store's refusals and the division-code
 * rules, with its English pair. */

const Msg org_msgs[] = {
    {"相关页面", "Related pages"},
    {"{n} 个乡镇", "{n} townships"},
    {"{n} 个村", "{n} villages"},
    {"{n} 个组", "{n} groups"},
    {"打开", "Open"},
    {"已撤销", "Ended"},
    {"更多下级单位…", "More units…"},
    {"添加乡镇", "Add township"},
    {"添加行政村", "Add village"},
    {"添加村民组", "Add village group"},
    {"修改", "Edit"},
    {"移动", "Move"},
    {"撤销", "End"},
    {"基本情况", "Facts"},
    {"层级", "Level"},
    {"区划代码", "Division code"},
    {"未填写", "Not given"},
    {"上级", "Parent"},
    {"成立日期", "Start date"},
    {"撤销日期", "End date"},
    {"编号", "ID"},
    {"县", "County"},
    {"乡镇", "Township"},
    {"街道", "Street"},
    {"镇", "Town"},
    {"乡", "Township (xiang)"},
    {"行政村", "Village"},
    {"村民组", "Village group"},
    {"自然寨", "Hamlet"},
    {"下级单位", "Units below"},
    {"查找单位", "Find a unit"},
    {"名称或区划代码", "Name or division code"},
    {"查找", "Search"},
    {"隐藏已撤销的单位", "Hide ended units"},
    {"显示已撤销的单位", "Show ended units"},
    {"还没有下级单位。", "No units below yet."},
    {"添加下级单位", "Add a unit below"},
    {"没有下级单位", "No units below"},
    {"名称", "Name"},
    {"县、乡镇、村为12位，村民组为15位（村代码加3位组号）；没有可不填",
     "12 digits for a county, township or village, 15 for a village group (village code + 3-digit group number); "
     "leave empty when there is none"},
    {"排序号", "Sort number"},
    {"数字小的排在前面", "Smaller numbers come first"},
    {"不填为今天", "Empty means today"},
    {"类型", "Type"},
    {"取消", "Cancel"},
    {"上级单位已撤销，不能再添加下级", "The parent unit has ended; no units can be added below it"},
    {"村民组之下不能再设下级单位", "A village group cannot have units below it"},
    {"已保存", "Saved"},
    {"上级单位：", "Parent unit: "},
    {"保存", "Save"},
    {"已撤销的单位不能修改", "An ended unit cannot be changed"},
    {"修改单位", "Edit unit"},
    {"修改区划代码时，下级单位的区划代码会一并更新。", "When the division code changes, the codes of the units below change with it."},
    {"新上级（区划代码或编号）", "New parent (division code or ID)"},
    {"填写新上级单位的区划代码，或它页面上的编号", "The division code of the new parent, or the ID shown on its page"},
    {"新区划代码", "New division code"},
    {"区划代码随上级改变时填写；下级单位的代码会一并更新", "Fill in when the code changes with the parent; the codes of the units below change with it"},
    {"可选的上级单位", "Possible parents"},
    {"找不到新上级单位，或它不在您的管辖范围内", "The new parent does not exist or is outside your area"},
    {"已移动", "Moved"},
    {"移动单位", "Move unit"},
    {"当前上级：", "Current parent: "},
    {"它的全部下级单位随它一起移动。", "All the units below it move with it."},
    {"我已核实，确认撤销这个单位", "I have checked: end this unit"},
    {"请勾选确认", "Tick the box to confirm"},
    {"它还有未撤销的下级单位，请先撤销或移走下级单位", "It still has active units below it; end or move them first"},
    {"撤销单位", "End unit"},
    {"撤销后，这个单位不再出现在下级列表中（勾选“显示已撤销的单位”仍可查看），它的记录全部保留，它的党组织同时撤销。",
     "Once ended, the unit no longer appears among the units below (\"Show ended units\" still shows it); all its "
     "records are kept, and its party organisation ends with it."},
    {"确定撤销这个单位吗？", "End this unit?"},
    {"没有找到符合条件的单位。请换个关键词，或勾选“含已撤销”。", "No unit matches. Try other words, or tick \"Include ended\"."},
    {"含已撤销", "Include ended"},
    {"输入名称中的字，或区划代码的前几位，查找您管辖范围内的单位。",
     "Type part of a name, or the first digits of a division code, to find a unit in your area."},
    {"党组织", "Party organisation"},
    {"负责人", "Leader"},
    {"尚未登记党组织。", "No party organisation recorded yet."},
    {"修改党组织", "Edit party organisation"},
    {"登记党组织", "Record party organisation"},
    {"党组织名称", "Name of the party organisation"},
    {"如：云舍村党支部", "e.g. Yunshe Village Party Branch"},
    {"负责人（书记或组长）", "Leader (secretary or group leader)"},
    {"县级党组织不在这里登记", "The county party committee is not recorded here"},
    {"党委", "Party committee"},
    {"党支部", "Party branch"},
    {"党小组", "Party group"},
    {"上级单位", "Parent unit"},
    {"新上级单位", "New parent unit"},
    {"找不到上级单位，或它不在您的管辖范围内", "The parent unit does not exist or is outside your area"},
    {"请填写名称", "Enter a name"},
    {"名称不能超过 60 个字", "The name can have at most 60 characters"},
    {"名称不能包含换行或控制字符", "The name must not contain line breaks or control characters"},
    {"这个区划代码已被其他单位使用", "Another unit already has this division code"},
    {"类型与层级不符", "The type does not fit the level"},
    {"区划代码与已有单位重复", "The division code clashes with an existing unit"},
    {"保存失败，请稍后再试", "Could not save; please try again"},
    {"请指定上级单位", "Choose the parent unit"},
    {"未知的组织层级", "Unknown level"},
    {"找不到这个单位，或它不在您的管辖范围内", "This unit does not exist or is outside your area"},
    {"县级单位不能移动", "A county cannot be moved"},
    {"已撤销的单位不能移动", "An ended unit cannot be moved"},
    {"新上级单位已撤销", "The new parent has ended"},
    {"不能移到它自己或它的下级单位之下", "A unit cannot move under itself or a unit below it"},
    {"它已经在这个上级单位之下", "It is already under this parent"},
    {"区划代码与新上级的区划代码不对应，请填写新的区划代码",
     "The division code does not fit the new parent's; enter the new division code"},
    {"层级过深", "The tree is too deep"},
    {"县级单位不能撤销", "A county cannot be ended"},
    {"这个单位已经撤销", "This unit has already ended"},
    {"撤销日期不能早于成立日期", "The end date cannot be before the start date"},
    {"撤销日期不能晚于今天", "The end date cannot be after today"},
    {"负责人姓名不能超过 30 个字", "The leader's name can have at most 30 characters"},
    {"区划代码有效", "The division code is valid"},
    {"请填写区划代码", "Enter the division code"},
    {"区划代码位数不对：县、乡镇、村为12位，村民组为15位",
     "Wrong number of digits: 12 for a county, township or village, 15 for a village group"},
    {"区划代码只能由数字组成", "A division code has digits only"},
    {"区划代码前6位不是有效的县级代码", "Digits 1-6 are not a valid county code"},
    {"区划代码第7至9位应为乡镇代码001至399", "Digits 7-9 must be a township number 001-399"},
    {"乡镇代码与乡镇类型不符：街道为001至099，镇为100至199，乡为200至399",
     "The township number does not fit the type: streets 001-099, towns 100-199, xiang 200-399"},
    {"村级区划代码第10至12位不能为000", "Digits 10-12 of a village code cannot be 000"},
    {"村民组编号（第13至15位）应为001至999", "The group number (digits 13-15) must be 001-999"},
    {"县级代码后6位、乡镇代码后3位应为0", "A county code ends in six zeros, a township code in three"},
    {"上级组织层级不对：应为县—乡镇—村—村民组逐级隶属",
     "Wrong parent level: the tree goes county - township - village - village group"},
    {"上级组织的区划代码无效", "The parent's division code is invalid"},
    {"区划代码与上级组织的区划代码不对应", "The division code does not extend the parent's code"},
    {"生成村民组代码的参数无效", "Invalid arguments for a group code"},
    {"区划代码无效", "Invalid division code"},
    {NULL, NULL},
};
