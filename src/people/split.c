/* split.c — 分户, 并户 and 整户迁组: a household's members leave it together. 分户 takes some of
 * its living members (at home or away working) into a new household of the same group (a son's
 * family setting up on its own); 并户 takes all of them into another household and ends the
 * emptied one for 'merged' (elderly parents joining a child's household); 整户迁组 moves the
 * household with everyone on it to another group (a resettled family). Each is one audited change
 * in which every move is kept in the person's history (roll.c), and a member or household changed
 * meanwhile by someone else stops it whole.
 *
 * GET/POST /households/:id/split, /merge and /move are the forms; POST /api/v1/households/:id/split,
 * /merge and /move answer the same with JSON. */
#include "committees/committees.h"
#include "org/org.h"
#include "people/store.h"
#include "platform/auth.h"
#include "platform/date.h"
#include "platform/html.h"
#include "platform/json.h"
#include "platform/page.h"
#include <string.h>

static const Field split_fields[] = {
    {"members", "分出的成员", FT_IDS, true, 0, HOUSEHOLD_MEMBERS_MAX, NULL, NULL, NULL},
    {"head_id", "新户户主", FT_ID, true, 0, 0, NULL, NULL, "从分出的成员中选，也是新户的户代表"},
    {"hh_no", "新户户号", FT_TEXT, true, 1, 20, NULL, NULL, "本组内唯一"},
    {"address", "新户住址", FT_TEXT, false, 0, 100, NULL, NULL, NULL},
    {"from_head_id", "原户户主", FT_ID, false, 0, 0, NULL, NULL, "原户主分出时必选，从留下的成员中选"},
};
enum { NSPLIT = sizeof split_fields / sizeof split_fields[0] };

static const Field merge_fields[] = {
    {"into", "并入户", FT_TEXT, true, 1, 20, NULL, NULL, "本组的户号，或其他组户页地址中的编号（如 /households/123 中的 123）"},
    {"on", "并户日期", FT_DATE, true, 0, 0, NULL, NULL, NULL},
};
enum { NMERGE = sizeof merge_fields / sizeof merge_fields[0] };

enum { MOVE_TO_GROUP = 0 };   /* move_fields' index of to_group, which move_page writes itself */
static const Field move_fields[] = {
    {"to_group", "迁往的组", FT_TEXT, true, 1, 60, NULL, NULL,
     "本村的组名，或其他组的15位区划代码，或组页面地址中的编号（如 /org/123 中的 123）"},
    {"hh_no", "新户号", FT_TEXT, false, 0, 20, NULL, NULL, "不填则用迁往组的下一个户号"},
    {"address", "新住址", FT_TEXT, false, 0, 100, NULL, NULL, "不填则保留原住址"},
    {"on", "迁组日期", FT_DATE, true, 0, 0, NULL, NULL, NULL},
};
enum { NMOVE = sizeof move_fields / sizeof move_fields[0] };

/* The living members of a household (at home or away working), in the household page's order. */
typedef struct Living {
    PersonRow *m;
    int n;
} Living;

static bool living_of(Req *r, int64_t household_id, Living *l) {
    PersonRow *all = arena_alloc(r->arena, sizeof(PersonRow) * HOUSEHOLD_MEMBERS_MAX);
    int n = household_members(household_id, all, HOUSEHOLD_MEMBERS_MAX);
    l->m = all;
    l->n = 0;
    for (int i = 0; i < n; i++)
        if (!strcmp(all[i].status, "resident") || !strcmp(all[i].status, "migrant")) all[l->n++] = all[i];
    return n >= 0;
}

static bool is_living(const Living *l, int64_t id) {
    for (int i = 0; i < l->n; i++)
        if (l->m[i].id == id) return true;
    return false;
}

/* Why the household cannot be split or merged now (409, in *err): ended, or its group dissolved;
 * 0 when it can. */
static int refused(Req *r, const Household *h, PersonErr *err) {
    Unit u;
    const char *why = NULL;
    if (*h->ended_at) {
        err->code = "ended";
        why = "此户已经注销。";
    } else if (org_unit(r, h->unit_id, &u) != 0) {
        return 500;
    } else if (unit_ended(&u)) {
        err->code = "group_ended";
        why = "这个组已撤销，不能在组里分户或并户。";
    }
    if (!why) return 0;
    err->field = NULL;
    err->message = T(r, why);
    return 409;
}

/* The changed-meanwhile refusal of a split or merge (409). */
static int changed(Req *r, PersonErr *err) {
    err->field = NULL;
    err->code = "changed";
    err->message = T(r, "户内成员或要并入的户刚被别人修改过，请刷新后重试。");
    return 409;
}

/* Opens the page of the form `action` ("split") about household h: the group's crumbs, its
 * household list and h; the title; what the form does; the form's errors; the form itself. */
static Buf *form_begin(Req *r, Resp *w, const Household *h, const char *action, const char *label, const char *about,
                       const Form *f) {
    Crumb extra[2] = {{T(r, "户"), arena_printf(r->arena, "/groups/%lld/households", (long long)h->unit_id)},
                      {arena_printf(r->arena, "%s %s", T(r, "户号"), h->hh_no), arena_printf(r->arena, "/households/%lld", (long long)h->id)}};
    const char *title = arena_printf(r->arena, "%s · %s %s", T(r, label), T(r, "户号"), h->hh_no);
    roll_page_begin(r, w, h->unit_id, title, extra, 2);
    Buf *b = &w->body;
    html(b, "<div class=\"pagehead\"><h1>%s</h1></div><section class=\"card\"><p class=\"hint\">%s</p>", title, T(r, about));
    if (f->nerr) html(b, "<div class=\"flash err\" role=\"alert\">%s</div>", T(r, "请按提示修改标红的项目。"));
    html(b, "<form class=\"form\" method=\"post\" action=\"/households/%lld/%s\" novalidate>", (long long)h->id, action);
    ui_csrf(r, b);
    return b;
}

/* Closes the form with its button `label` and a way back to the household, and the page. */
static void form_end(Req *r, Resp *w, const Household *h, const char *label) {
    html(&w->body, "<div class=\"actions\"><button class=\"primary\" type=\"submit\">%s</button>"
                   "<a class=\"button\" href=\"/households/%lld\">%s</a></div></form></section>",
         T(r, label), (long long)h->id, T(r, "取消"));
    page_end(r, w);
}

/* ---------------------------------------------------------------------------------------------
 * 分户 */

/* Checks the split form against the household's living members and writes it. Returns 0 (*made is
 * the new household), 422 with the errors on the form, 409 (*err) or 500. The caller (regroup)
 * has checked the right to edit and that the household can change. */
static int split_save(Req *r, Form *f, const Household *h, const InScope *where, const Living *l, int64_t *made,
                      PersonErr *err) {
    if (f->nerr) return 422;
    int64_t ids[HOUSEHOLD_MEMBERS_MAX];
    int n = form_ids(f, "members", ids, HOUSEHOLD_MEMBERS_MAX);
    for (int i = 0; i < n && !f->nerr; i++) {
        if (!is_living(l, ids[i])) form_fail(f, "members", "not_member", T(r, "只能选择本户在家或外出务工的成员"));
        else if (ids_contain(ids, i, ids[i])) form_fail(f, "members", "duplicate", T(r, "同一成员选了两次"));
    }
    if (!f->nerr && n == l->n) form_fail(f, "members", "all", T(r, "至少要有一人留在原户；全户迁走请修改户信息或注销此户"));
    int64_t head = form_i(f, "head_id"), from_head = form_i(f, "from_head_id");
    if (!f->nerr && !ids_contain(ids, n, head)) form_fail(f, "head_id", "not_member", T(r, "新户户主应是分出的成员之一"));
    if (from_head && (!is_living(l, from_head) || ids_contain(ids, n, from_head)))
        form_fail(f, "from_head_id", "not_member", T(r, "原户户主应是留在原户的成员"));
    else if (!from_head && h->head_id && ids_contain(ids, n, h->head_id))
        form_fail(f, "from_head_id", "required", T(r, "原户主分出了，请从留下的成员中选原户的新户主"));
    if (household_no_taken(h->unit_id, form_s(f, "hh_no"), 0)) form_fail(f, "hh_no", "taken", T(r, "本组已有这个户号"));
    if (f->nerr) return 422;
    Household out = {.unit_id = h->unit_id};
    str_copy(out.hh_no, sizeof out.hh_no, form_s(f, "hh_no"));
    str_copy(out.address, sizeof out.address, form_s(f, "address") ? form_s(f, "address") : "");
    HouseholdSplit s = {h, &out, ids, n, head, from_head ? from_head : h->head_id};
    Actor a = actor_of(r);
    int rc = household_split(&a, &s);
    *made = out.id;
    if (rc == PEOPLE_MEMBERS_CHANGED) return changed(r, err);
    return rc ? 500 : 0;
}

static void split_page(Req *r, Resp *w, const Household *h, const InScope *where, const Living *l, Form *f) {
    Buf *b = form_begin(r, w, h, "split", "分户",
                        "勾选要分出去的成员，他们在本组另立一户，变动记入各人的变动记录。请分户后核对各成员与户主的关系。", f);
    int64_t ids[HOUSEHOLD_MEMBERS_MAX];
    int n = form_ids(f, "members", ids, HOUSEHOLD_MEMBERS_MAX);
    field_open(r, b, f, "members", "分出的成员", true);
    html(b, "<div class=\"choices\" role=\"group\" aria-labelledby=\"f-members-l\">");
    for (int i = 0; i < l->n; i++) {
        html(b, "<label><input type=\"checkbox\" name=\"members\" value=\"%lld\"", (long long)l->m[i].id);
        if (i == 0) html_raw(b, " id=\"f-members\"");   /* the label's for= lands on the first */
        if (ids_contain(ids, n, l->m[i].id)) html_raw(b, " checked");
        html(b, "> %s（%s）</label>", l->m[i].name, T(r, choice_label(relation_choices, l->m[i].relation)));
    }
    html_raw(b, "</div>");
    field_close(r, b, f, "members", NULL);
    member_select(r, b, f, "head_id", "新户户主", l->m, l->n);
    ui_field(r, b, f, "hh_no");
    ui_field(r, b, f, "address");
    member_select(r, b, f, "from_head_id", "原户户主", l->m, l->n);
    form_end(r, w, h, "分户");
}

/* The form's first values: the group's next 户号 and this household's address. */
static void split_prefill(Req *r, Form *f, const Household *h) {
    char *no = arena_alloc(r->arena, 24);
    household_next_no(h->unit_id, no);
    form_set(f, "hh_no", no);
    form_set(f, "address", h->address);
}

/* ---------------------------------------------------------------------------------------------
 * 并户 */

/* Checks the merge form and writes it. Returns 0 (*into is the household merged into), 422 with
 * the errors on the form, 403 (no right to edit the other household), 409 (*err) or 500. */
static int merge_save(Req *r, Form *f, const Household *h, const InScope *where, const Living *l, int64_t *into,
                      PersonErr *err) {
    if (l->n == 0) {
        *err = (PersonErr){NULL, "empty", T(r, "户内已没有在家或外出务工的成员，请直接注销此户。")};
        return 409;
    }
    if (!f->nerr && form_i(f, "on") > date_today()) form_fail(f, "on", "future", T(r, "并户日期不能晚于今天"));
    InScope to;
    Household target;
    *into = f->nerr ? 0 : household_named(r, h->unit_id, form_s(f, "into"), &to);
    if (!f->nerr && (!*into || !household_load(*into, &target)))
        form_fail(f, "into", "not_found", T(r, "找不到这个户，或它不在您的管辖范围内"));
    else if (!f->nerr && *into == h->id) form_fail(f, "into", "same", T(r, "不能并入本户"));
    else if (!f->nerr && *target.ended_at) form_fail(f, "into", "ended", T(r, "这户已注销，不能并入"));
    else if (!f->nerr && !auth_can(r, CAP_EDIT, to.unit_path)) return 403;
    if (f->nerr) return 422;
    char on[DATE_ISO_SIZE];
    date_format((int32_t)form_i(f, "on"), on, sizeof on);
    Actor a = actor_of(r);
    int rc = household_merge(&a, h, &target, on);
    if (rc == PEOPLE_MEMBERS_CHANGED) return changed(r, err);
    return rc ? 500 : 0;
}

static void merge_page(Req *r, Resp *w, const Household *h, const InScope *where, const Living *l, Form *f) {
    Buf *b = form_begin(r, w, h, "merge", "并户",
                        "这些在家或外出务工的成员都迁入另一户，本户随后注销（原因：并入他户）。请并户后核对各成员与户主的关系。", f);
    html_raw(b, "<ul>");
    for (int i = 0; i < l->n; i++)
        html(b, "<li>%s（%s）</li>", l->m[i].name, T(r, choice_label(relation_choices, l->m[i].relation)));
    html_raw(b, "</ul>");
    committee_seats_note(r, b, h->id);   /* a merge may take them into another group */
    ui_field(r, b, f, "into");
    ui_field(r, b, f, "on");
    form_end(r, w, h, "并户");
}

/* The form's first value: today (the merge's and the move's date). */
static void merge_prefill(Req *r, Form *f, const Household *h) {
    char *today = arena_alloc(r->arena, DATE_ISO_SIZE);
    date_format(date_today(), today, DATE_ISO_SIZE);
    form_set(f, "on", today);
}

/* ---------------------------------------------------------------------------------------------
 * 整户迁组 */

/* The village's active groups inside the caller's scope, for the form's list and to find one by name. */
typedef struct Siblings { Req *r; const char **names; int64_t *ids; int n; } Siblings;

static void sibling(void *ctx, int64_t id, const char *name) {
    Siblings *s = ctx;
    s->names[s->n] = arena_strdup(s->r->arena, name);
    s->ids[s->n++] = id;
}

static void siblings_of(Req *r, const InScope *where, Siblings *s) {
    enum { SIBLINGS_MAX = 200 };
    Unit g;
    *s = (Siblings){r, arena_alloc(r->arena, SIBLINGS_MAX * sizeof *s->names), arena_alloc(r->arena, SIBLINGS_MAX * sizeof *s->ids), 0};
    if (org_unit(r, where->unit_id, &g) == 0) unit_child_names(auth_scope(r), g.parent_id, SIBLINGS_MAX, sibling, s);
}

/* The group a typed text names: a group of the same village by name, else a division code, else
 * a unit id; active and inside the scope. Returns 0 and fills *g, or -1. */
static int group_named(Req *r, const InScope *where, const char *text, Unit *g) {
    Siblings s;
    siblings_of(r, where, &s);
    for (int i = 0; i < s.n; i++)
        if (!strcmp(s.names[i], text)) return org_unit(r, s.ids[i], g);
    if (unit_by_code(auth_scope(r), text, g) != 0 && org_unit(r, id_parse(text), g) != 0) return -1;
    return g->kind == UNIT_GROUP && !unit_ended(g) ? 0 : -1;
}

/* Checks the move form and writes it. Returns 0 (*moved is the household), 422 with the errors on
 * the form, 403 (no right to edit the other group), 409 (*err) or 500. */
static int move_save(Req *r, Form *f, const Household *h, const InScope *where, const Living *l, int64_t *moved,
                     PersonErr *err) {
    if (!f->nerr && form_i(f, "on") > date_today()) form_fail(f, "on", "future", T(r, "迁组日期不能晚于今天"));
    Unit g;
    if (!f->nerr && group_named(r, where, form_s(f, "to_group"), &g) != 0)
        form_fail(f, "to_group", "not_found", T(r, "找不到这个组，或它不在您的管辖范围内"));
    else if (!f->nerr && g.id == h->unit_id) form_fail(f, "to_group", "same", T(r, "这户已在这个组"));
    else if (!f->nerr && !auth_can(r, CAP_EDIT, g.path)) return 403;
    char no[24];
    if (!f->nerr && form_s(f, "hh_no")) str_copy(no, sizeof no, form_s(f, "hh_no"));
    else if (!f->nerr) household_next_no(g.id, no);
    if (!f->nerr && household_no_taken(g.id, no, 0)) form_fail(f, "hh_no", "taken", T(r, "迁往的组已有这个户号"));
    if (f->nerr) return 422;
    char on[DATE_ISO_SIZE];
    date_format((int32_t)form_i(f, "on"), on, sizeof on);
    Actor a = actor_of(r);
    int rc = household_move(&a, h, g.id, no, form_s(f, "address") ? form_s(f, "address") : h->address, on);
    *moved = h->id;
    if (rc == PEOPLE_MEMBERS_CHANGED) return changed(r, err);
    return rc ? 500 : 0;
}

static void move_page(Req *r, Resp *w, const Household *h, const InScope *where, const Living *l, Form *f) {
    Siblings s;
    siblings_of(r, where, &s);
    Buf *b = form_begin(r, w, h, "move", "整户迁组",
                        "这户连同全部成员迁到另一个组，变动记入各人的变动记录；本户原来的走访分配在迁组日期结束，请在新组重新分配。", f);
    html_raw(b, "<datalist id=\"groups\">");
    for (int i = 0; i < s.n; i++)
        if (s.ids[i] != h->unit_id) html(b, "<option value=\"%s\">", s.names[i]);
    html_raw(b, "</datalist>");
    committee_seats_note(r, b, h->id);
    /* As ui_field writes a text field, with the village's groups offered as the user types. */
    const char *typed = form_s(f, "to_group");
    field_open(r, b, f, "to_group", "迁往的组", true);
    html(b, "<input id=\"f-to_group\" name=\"to_group\" type=\"text\" list=\"groups\" value=\"%s\" required maxlength=\"60\"",
         typed ? typed : "");
    html_raw(b, f->err[MOVE_TO_GROUP] ? " aria-invalid=\"true\" aria-describedby=\"f-to_group-err\">" : ">");
    field_close(r, b, f, "to_group", NULL);
    ui_field(r, b, f, "hh_no");
    ui_field(r, b, f, "address");
    ui_field(r, b, f, "on");
    form_end(r, w, h, "整户迁组");
}

/* ---------------------------------------------------------------------------------------------
 * The forms' requests */

/* A split, a merge or a move: its fields, its form's first values, its checks and write (0: *done is the
 * household to show), its page, and the answer when done. */
typedef struct Regroup {
    const Field *fields;
    int nfields;
    void (*prefill)(Req *r, Form *f, const Household *h);
    int (*save)(Req *r, Form *f, const Household *h, const InScope *where, const Living *l, int64_t *done, PersonErr *err);
    void (*page)(Req *r, Resp *w, const Household *h, const InScope *where, const Living *l, Form *f);
    int status;
    const char *note;
} Regroup;

/* For an editor of the household's group while the change can be made (else 403, or the refusal):
 * GET, the form; POST, the change, or the form again with its errors (422), or the refusal. */
static void regroup(Req *r, Resp *w, const Regroup *op) {
    Household h;
    InScope where;
    if (!load_household(r, w, &h, &where)) return;
    Living l;
    if (!living_of(r, h.id, &l)) { page_error(r, w, 500, NULL); return; }
    if (!auth_can(r, CAP_EDIT, where.unit_path)) { page_error(r, w, 403, NULL); return; }
    PersonErr err;
    int rc = refused(r, &h, &err);
    if (rc) { household_refused(r, w, &h, rc, &err); return; }
    Form f;
    if (r->method == HTTP_GET) {
        form_init(&f, op->fields, op->nfields);
        op->prefill(r, &f, &h);
        op->page(r, w, &h, &where, &l, &f);
        return;
    }
    form_read(r, &f, op->fields, op->nfields);
    int64_t done = 0;
    rc = op->save(r, &f, &h, &where, &l, &done, &err);
    if (rc == 0) household_changed(r, w, done, op->status, T(r, op->note));
    else if (rc == 422 && r->want_json) form_json_error(r, w, &f);
    else if (rc == 422) {
        w->status = 422;
        op->page(r, w, &h, &where, &l, &f);
    } else household_refused(r, w, &h, rc, &err);
}

void h_household_split(Req *r, Resp *w) {
    static const Regroup split = {split_fields, NSPLIT, split_prefill, split_save, split_page, 201, "已分户。请核对各成员与户主的关系。"};
    regroup(r, w, &split);
}

void h_household_merge(Req *r, Resp *w) {
    static const Regroup merge = {merge_fields, NMERGE, merge_prefill, merge_save, merge_page, 200, "已并入此户。请核对各成员与户主的关系。"};
    regroup(r, w, &merge);
}

void h_household_move(Req *r, Resp *w) {
    static const Regroup move = {move_fields, NMOVE, merge_prefill, move_save, move_page, 200, "已整户迁组。请在新组为这户分配走访。"};
    regroup(r, w, &move);
}
