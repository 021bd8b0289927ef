/* party.c — the party side of the tree (党组织): the township party committee (党委), the village
 * branch (党支部) and the party group (党小组) of a village group, one active per unit, shown and
 * edited on the unit's page. The leader is a name until the registry of people exists. */
#include "org/org.h"
#include "platform/auth.h"
#include "platform/html.h"
#include <string.h>

void org_party_card(Req *r, Buf *b, const Unit *u, bool can_edit) {
    const char *kind = party_kind_for(u->kind);
    if (!kind) return;
    PartyOrg p;
    bool has = party_get(auth_scope(r), u->id, &p) == 0;
    html(b, "<section class=\"card\"><h2>%s</h2>", T(r, "党组织"));
    if (has) {
        html(b, "<dl class=\"facts\"><dt>%s</dt><dd>%s <span class=\"badge err\">%s</span></dd>", T(r, "名称"), p.name,
             T(r, party_kind_zh(p.kind)));
        html(b, "<dt>%s</dt><dd>%s</dd></dl>", T(r, "负责人"), p.leader_name[0] ? p.leader_name : T(r, "未填写"));
    } else {
        html(b, "<p class=\"hint\">%s</p>", T(r, "尚未登记党组织。"));
    }
    if (can_edit)
        html(b, "<p><a class=\"button\" href=\"/org/%lld/party\">%s</a></p>", (long long)u->id,
             has ? T(r, "修改党组织") : T(r, "登记党组织"));
    html_raw(b, "</section>");
}

static const Field party_fields[] = {
    {"name", "党组织名称", FT_TEXT, true, 0, UNIT_NAME_MAX, NULL, NULL, "如：云舍村党支部"},
    {"leader_name", "负责人（书记或组长）", FT_TEXT, false, 0, LEADER_NAME_MAX, NULL, NULL, NULL},
};

/* The name a new party organisation of `u` most likely has: the unit's name plus 党委, 党支部 or
 * 党小组. */
static const char *suggested_name(Req *r, const Unit *u) {
    return arena_printf(r->arena, "%s%s", u->name, party_kind_zh(party_kind_for(u->kind)));
}

void org_party_page(Req *r, Resp *w) {
    Unit u;
    if (org_unit_param(r, w, "id", &u) != 0) return;
    if (!auth_can(r, CAP_ORG, u.path)) { page_error(r, w, 403, NULL); return; }
    if (!party_kind_for(u.kind) || unit_ended(&u)) {
        page_error(r, w, 400, T(r, unit_ended(&u) ? "已撤销的单位不能修改" : "县级党组织不在这里登记"));
        return;
    }
    int nf = (int)(sizeof party_fields / sizeof party_fields[0]);
    Form f;
    const char *general = NULL;
    PartyOrg p;
    if (r->method == HTTP_POST) {
        if (form_read(r, &f, party_fields, nf) == 0) {
            Actor a = actor_of(r);
            UnitErr e;
            const char *leader = form_s(&f, "leader_name");
            if (party_save(&a, auth_scope(r), u.id, form_s(&f, "name"), leader ? leader : "", &e) == 0) {
                resp_redirect_flash(r, w, arena_printf(r->arena, "/org/%lld", (long long)u.id), T(r, "已保存"));
                return;
            }
            if (e.field) form_fail(&f, e.field, e.code, T(r, e.msg));
            else { general = T(r, e.msg); f.nerr++; }
        }
    } else {
        form_init(&f, party_fields, nf);
        bool has = party_get(auth_scope(r), u.id, &p) == 0;
        form_set(&f, "name", has ? arena_strdup(r->arena, p.name) : suggested_name(r, &u));
        if (has) form_set(&f, "leader_name", arena_strdup(r->arena, p.leader_name));
    }
    Crumb crumbs[ORG_CRUMBS_MAX];
    int n = org_crumbs(r, &u, crumbs, ORG_CRUMBS_MAX - 1);
    const char *title = T(r, "党组织");
    crumbs[n++] = (Crumb){title, NULL};
    page_begin(r, w, title, &(PageOpts){.crumbs = crumbs, .ncrumbs = n, .menu = "/org", .unit = u.name});
    Buf *b = &w->body;
    html(b, "<div class=\"pagehead\"><h1>%s · %s</h1></div>", u.name, T(r, party_kind_zh(party_kind_for(u.kind))));
    if (general) html(b, "<div class=\"flash err\" role=\"alert\">%s</div>", general);
    html(b, "<section class=\"card\"><form class=\"form\" method=\"post\" action=\"/org/%lld/party\" novalidate>",
         (long long)u.id);
    ui_csrf(r, b);
    for (int i = 0; i < nf; i++) ui_field(r, b, &f, party_fields[i].name);
    html(b, "<div class=\"actions\"><button class=\"primary\" type=\"submit\">%s</button>"
            "<a class=\"button\" href=\"/org/%lld\">%s</a></div></form></section>",
         T(r, "保存"), (long long)u.id, T(r, "取消"));
    page_end(r, w);
    if (f.submitted && f.nerr) w->status = 422;
}
