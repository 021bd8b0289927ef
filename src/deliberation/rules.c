/* rules.c — group rules and conventions (组规民约): the versions of a group's documents (GET
 * /groups/:id/rules, and the same read-only at GET /p/g/:id/rules without login), and adopting a
 * version through a passed 'rules' matter (GET/POST /matters/:id/rule). */
#include "deliberation/delib.h"
#include "org/org.h"
#include "platform/auth.h"
#include "platform/db.h"
#include "platform/html.h"
#include "platform/json.h"
#include <string.h>

static const Field rule_fields[] = {
    {"rule_id", "修订的组规民约", FT_ID, false, 0, 0, NULL, NULL, "修订已有的文件时选择；制定新文件时不选"},
    {"title", "名称", FT_TEXT, false, 0, 60, NULL, NULL, "制定新文件时填写，如：坝溪村一组组规民约"},
    {"body", "条文", FT_TEXTAREA, false, 0, 20000, NULL, NULL, "不填则采用表决通过的决议内容"},
    {"note", "修订说明", FT_TEXT, false, 0, 200, NULL, NULL, NULL},
};
enum { NRULE = sizeof rule_fields / sizeof rule_fields[0] };

/* Writes the documents of group `unit_id`: the current version of each in full, and its history. */
static void rules_html(Req *r, Buf *b, int64_t unit_id, bool public_links) {
    Stmt *st = db_prep("SELECT r.id, r.title, v.version, v.body, v.adopted_on, v.matter_id FROM group_rule r"
                       " JOIN group_rule_version v ON v.rule_id = r.id WHERE r.unit_id = :u ORDER BY r.id, v.version DESC");
    db_bind_int(st, ":u", unit_id);
    int64_t cur = 0;
    int n = 0;
    while (db_step(st) == SQLITE_ROW) {
        int64_t id = db_col_int(st, 0);
        const char *matter = public_links ? arena_printf(r->arena, "/p/m/%lld", (long long)db_col_int(st, 5))
                                          : arena_printf(r->arena, "/matters/%lld", (long long)db_col_int(st, 5));
        if (id != cur) {
            if (cur) html_raw(b, "</ul></details></section>");
            cur = id;
            n++;
            html(b, "<section class=\"card\"><h2>%s</h2><p class=\"hint\">%s · %s <a href=\"%s\">%s</a></p><div class=\"rule-text\">%s</div>",
                 db_col_text(st, 1), Tn(r, "第 {n} 版", db_col_int(st, 2)), delib_date(r, db_col_text(st, 4)), matter,
                 T(r, "表决记录"), db_col_text(st, 3));
            html(b, "<details><summary>%s</summary><ul>", T(r, "历次版本"));
        }
        html(b, "<li>%s · %s · <a href=\"%s\">%s</a><details><summary>%s</summary><div class=\"rule-text\">%s</div></details></li>",
             Tn(r, "第 {n} 版", db_col_int(st, 2)), delib_date(r, db_col_text(st, 4)), matter, T(r, "表决记录"), T(r, "条文"),
             db_col_text(st, 3));
    }
    sqlite3_reset(st);
    if (cur) html_raw(b, "</ul></details></section>");
    if (!n) html(b, "<div class=\"empty\"><p>%s</p></div>", T(r, "本组还没有经表决通过的组规民约。组规民约须作为“组规民约”类事项经三个阶段表决通过。"));
}

/* The documents of a group as JSON: [{id, title, versions: [{version, kind, body, adopted_on, matter_id}]}]. */
static json_t *rules_json(int64_t unit_id) {
    Stmt *st = db_prep("SELECT r.id, r.title, v.version, v.kind, v.body, v.adopted_on, v.matter_id, v.note FROM group_rule r"
                       " JOIN group_rule_version v ON v.rule_id = r.id WHERE r.unit_id = :u ORDER BY r.id, v.version DESC");
    db_bind_int(st, ":u", unit_id);
    json_t *arr = json_array(), *doc = NULL;
    int64_t cur = 0;
    while (db_step(st) == SQLITE_ROW) {
        if (db_col_int(st, 0) != cur) {
            cur = db_col_int(st, 0);
            doc = json_pack("{s:I, s:s, s:i, s:[]}", "id", (json_int_t)cur, "title", db_col_text(st, 1), "current_version",
                            (int)db_col_int(st, 2), "versions");
            json_array_append_new(arr, doc);
        }
        json_array_append_new(json_object_get(doc, "versions"),
                              json_pack("{s:i, s:s, s:s, s:s, s:I, s:s}", "version", (int)db_col_int(st, 2), "kind", db_col_text(st, 3),
                                        "body", db_col_text(st, 4), "adopted_on", db_col_text(st, 5), "matter_id",
                                        (json_int_t)db_col_int(st, 6), "note", db_col_text(st, 7)));
    }
    sqlite3_reset(st);
    return arr;
}

void h_group_rules(Req *r, Resp *w) {
    Unit u;
    if (delib_group_param(r, w, &u) != 0) return;
    if (r->want_json) { json_send(w, 200, json_pack("{s:o}", "items", rules_json(u.id))); return; }
    delib_page_begin(r, w, &u, T(r, "组规民约"), (Crumb[]){{T(r, "议事决策"), arena_printf(r->arena, "/groups/%lld/matters", (long long)u.id)},
                                                  {T(r, "组规民约"), NULL}}, 2);
    Buf *b = &w->body;
    html(b, "<div class=\"pagehead\"><h1>%s · %s</h1><div class=\"actions\"><a class=\"button\" href=\"/p/g/%lld/rules\">%s</a></div></div>",
         u.name, T(r, "组规民约"), (long long)u.id, T(r, "公开页面"));
    rules_html(r, b, u.id, false);
    page_end(r, w);
}

void h_public_rules(Req *r, Resp *w) {
    int64_t id = path_id(r, "id");
    Unit u;
    if (!id || unit_get(SCOPE_ALL, id, &u) != 0 || u.kind != UNIT_GROUP) { page_error(r, w, 404, NULL); return; }
    if (r->want_json) { json_send(w, 200, json_pack("{s:s, s:o}", "group", u.name, "items", rules_json(u.id))); return; }
    page_begin(r, w, T(r, "组规民约"), &(PageOpts){.unit = u.name});
    Buf *b = &w->body;
    html(b, "<div class=\"pagehead\"><h1>%s · %s</h1></div>", u.name, T(r, "组规民约"));
    rules_html(r, b, u.id, true);
    page_end(r, w);
}

/* ---------------------------------------------------------------------------------------------
 * Adopting a version: GET/POST /matters/:id/rule */

static void rule_form(Req *r, Resp *w, const Matter *m, Form *f) {
    Unit u;
    if (org_unit(r, m->unit_id, &u) != 0) { page_error(r, w, 404, NULL); return; }
    delib_page_begin(r, w, &u, T(r, "通过组规民约"), (Crumb[]){{m->title, arena_printf(r->arena, "/matters/%lld", (long long)m->id)},
                                                     {T(r, "通过组规民约"), NULL}}, 2);
    Buf *b = &w->body;
    for (int k = 0; k < f->n; k++)
        if (f->err[k]) { html(b, "<div class=\"flash err\" role=\"alert\">%s</div>", f->err[k]); break; }
    html(b, "<div class=\"pagehead\"><h1>%s</h1></div><section class=\"card\"><p>%s</p>", T(r, "通过组规民约"), m->decision);
    html(b, "<form class=\"form\" method=\"post\" action=\"/matters/%lld/rule\">", (long long)m->id);
    ui_csrf(r, b);
    html(b, "<div class=\"field\"><label for=\"f-rule_id\">%s</label><select id=\"f-rule_id\" name=\"rule_id\"><option value=\"\">%s</option>",
         T(r, "修订的组规民约"), T(r, "制定新的组规民约"));
    Stmt *st = db_prep("SELECT id, title FROM group_rule WHERE unit_id = :u ORDER BY id");
    db_bind_int(st, ":u", m->unit_id);
    while (db_step(st) == SQLITE_ROW)
        html(b, "<option value=\"%lld\"%s>%s</option>", (long long)db_col_int(st, 0), f->i[0] == db_col_int(st, 0) ? " selected" : "",
             db_col_text(st, 1));
    sqlite3_reset(st);
    html_raw(b, "</select></div>");
    ui_field(r, b, f, "title");
    ui_field(r, b, f, "body");
    ui_field(r, b, f, "note");
    html(b, "<div class=\"actions\"><button class=\"primary\" type=\"submit\">%s</button></div></form></section>", T(r, "保存"));
    page_end(r, w);
}

void h_matter_rule(Req *r, Resp *w) {
    Matter *m = arena_alloc(r->arena, sizeof *m);
    int64_t id = path_id(r, "id");
    if (!id || matter_get(auth_scope(r), id, m) != 0) { page_error(r, w, 404, NULL); return; }
    if (!auth_can(r, CAP_EDIT, m->unit_path)) { page_error(r, w, 403, NULL); return; }
    Form f;
    if (r->method != HTTP_POST) {
        form_init(&f, rule_fields, NRULE);
        rule_form(r, w, m, &f);
        return;
    }
    form_read(r, &f, rule_fields, NRULE);
    DelibCall c = {.op = OP_ADOPT_RULE, .matter_id = m->id, .rule_id = form_i(&f, "rule_id"), .title = form_s(&f, "title"),
                   .body = form_s(&f, "body"), .note = form_s(&f, "note"), .by = r->who->user_id};
    if (!f.nerr) {
        Actor a = actor_of(r);
        int rc = dl_apply(&a, m->unit_id, &c);
        if (rc != DELIB_OK && delib_refused(r, w, rc, &f, &c)) return;
    }
    if (f.nerr) {
        if (r->want_json) { form_json_error(r, w, &f); return; }
        w->status = 422;
        rule_form(r, w, m, &f);
        return;
    }
    if (r->want_json) { json_send(w, 201, json_pack("{s:I, s:o}", "version_id", (json_int_t)c.out_id, "rules", rules_json(m->unit_id))); return; }
    resp_redirect_flash(r, w, arena_printf(r->arena, "/groups/%lld/rules", (long long)m->unit_id), T(r, "组规民约已按表决结果通过并公布。"));
}
