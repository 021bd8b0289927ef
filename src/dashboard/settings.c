/* settings.c — the county's policy settings (政策设置): the page and the JSON API of the `setting`
 * table for a county admin (CAP_SETTINGS).
 *
 * Every key the program reads is declared below with its label, range, the default the readers
 * fall back to and the source of that default (docs/LEGAL.md). A save checks every value, then
 * writes the changed keys in one audited change (entity "setting", before → after of those keys
 * only). Keys found in the table but not declared here are shown read-only. The contact counters
 * follow a new threshold by themselves: a trigger of 008_contact.sql marks them for recounting. */
#include "dashboard/dashboard.h"
#include "deliberation/deliberation.h"
#include "deliberation/stages.h"
#include "platform/audit.h"
#include "platform/auth.h"
#include "platform/db.h"
#include "platform/html.h"
#include "platform/json.h"
#include "platform/page.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------------------------------------
 * The known keys */

/* Checks a list of major-matter categories (重大事项类别): codes or Chinese names of the
 * deliberation categories, separated by commas, spaces or 、. Returns NULL or a message. */
static const char *check_categories(const char *v);

static const Field setting_fields[] = {
    {"committee.min_size", "组委会人数下限", FT_INT, true, 1, 9, NULL, NULL, "组委会成员少于这个人数时，系统提示人数不足"},
    {"committee.max_size", "组委会人数上限", FT_INT, true, 1, 15, NULL, NULL, "成员多于这个人数时，系统提示人数过多；不能小于人数下限"},
    {"committee.min_age", "成员最低年龄（周岁）", FT_INT, true, 16, 30, NULL, NULL, "按任职开始之日计算"},
    {"committee.term_years", "组委会任期（年）", FT_INT, true, 1, 10, NULL, NULL, "新组建的组委会按此计算任期届满日期"},
    {"committee.allow_migrant", "外出务工人员可以担任成员", FT_BOOL, false, 0, 0, NULL, NULL, "不勾选时，成员必须居住在本组"},
    {"contact.visits_per_month", "成员每月入户走访（次）", FT_INT, true, 0, 31, NULL, NULL,
     "修改后，每位成员的应走访次数和完成率会重新计算"},
    {"contact.guidance_per_quarter", "村干部每季度联系指导每个组委会（次）", FT_INT, true, 0, 12, NULL, NULL,
     "修改后，联系指导的应完成次数和完成率会重新计算"},
    {"deliberation.major_categories", "重大事项类别", FT_TEXT, false, 0, 200, NULL, check_categories,
     "这些类别的事项须经组民商议、组委会商议、组民决策三个阶段；用逗号分隔，留空则只有标为重大的事项走三个阶段"},
    {"deliberation.representatives_decide", "组民代表会议可以作出决策", FT_BOOL, false, 0, 0, NULL, NULL,
     "不勾选时，第三阶段只能由组民大会表决"},
};
enum { NSETTINGS = sizeof setting_fields / sizeof setting_fields[0] };

/* The default of each key above (what its reader falls back to) and where it comes from. */
static const char *const setting_defaults[NSETTINGS][2] = {
    {"3", "默认 3 人（县政策：一般3至5人）"},
    {"5", "默认 5 人（县政策：一般3至5人）"},
    {"18", "默认 18 周岁（系统默认）"},
    {"5", "默认 5 年（系统默认）"},
    {"0", "默认不可以（系统默认）"},
    {"5", "默认 5 次（县政策：每月不少于5次走进群众家中）"},
    {"1", "默认 1 次（县政策：每季度至少联系指导1次以上）"},
    {DELIB_MAJOR_DEFAULT, "默认集体资产、土地、资金使用、组规民约（系统默认）"},
    {"1", "默认可以（系统默认）"},
};

/* The sections of the page: a key prefix and its heading. */
static const char *const setting_sections[][2] = {
    {"committee.", "组委会"}, {"contact.", "双向联系"}, {"deliberation.", "议事决策"},
};

/* Finds the deliberation category whose code or Chinese name is the `len` bytes at s; NULL when none. */
static const Choice *category_find(const char *s, size_t len) {
    for (const Choice *c = category_choices; c->value; c++)
        if ((strlen(c->value) == len && strncmp(c->value, s, len) == 0) || (strlen(c->label) == len && strncmp(c->label, s, len) == 0))
            return c;
    return NULL;
}

/* Returns the length of the separator at s (",", " ", "，" or "、"), 0 when there is none. */
static size_t separator_len(const char *s) {
    if (*s == ',' || *s == ' ') return 1;
    if (strncmp(s, "，", 3) == 0 || strncmp(s, "、", 3) == 0) return 3;
    return 0;
}

/* Marks in `seen` (indexed like category_choices) each category the list names. Returns false at
 * the first item that is not a category. */
static bool categories_parse(const char *v, bool *seen) {
    const char *p = v;
    while (*p) {
        size_t sep = separator_len(p);
        if (sep) { p += sep; continue; }
        size_t len = 0;
        while (p[len] && !separator_len(p + len)) len++;
        const Choice *c = category_find(p, len);
        if (!c) return false;
        seen[c - category_choices] = true;
        p += len;
    }
    return true;
}

static const char *check_categories(const char *v) {
    bool seen[16] = {false};
    return categories_parse(v, seen) ? NULL : "只能填写下面列出的类别，用逗号分隔";
}

/* Returns the category list in its stored form: the codes in the order of the category list,
 * each once, joined by commas (as matter_is_major reads it). The text lives in the arena. */
static const char *categories_normal(Arena *a, const char *v) {
    bool seen[16] = {false};
    categories_parse(v ? v : "", seen);
    Buf out = BUF_INIT;
    for (const Choice *c = category_choices; c->value; c++)
        if (seen[c - category_choices]) buf_printf(&out, "%s%s", out.len ? "," : "", c->value);
    const char *s = arena_strdup(a, out.len ? out.p : "");
    buf_free(&out);
    return s;
}

/* ---------------------------------------------------------------------------------------------
 * Reading and writing the table */

/* The values of the known keys as in effect: the stored text, or the default when a key has no
 * row (text in the arena). */
static void settings_current(Arena *a, const char *cur[NSETTINGS]) {
    for (int k = 0; k < NSETTINGS; k++) cur[k] = setting_defaults[k][0];
    Stmt *st = db_prep("SELECT key, value FROM setting");
    while (db_step(st) == SQLITE_ROW)
        for (int k = 0; k < NSETTINGS; k++)
            if (strcmp(db_col_text(st, 0), setting_fields[k].name) == 0) cur[k] = arena_strdup(a, db_col_text(st, 1));
}

/* True when `key` is one of the declared keys. */
static bool setting_known(const char *key) {
    for (int k = 0; k < NSETTINGS; k++)
        if (strcmp(setting_fields[k].name, key) == 0) return true;
    return false;
}

/* The JSON form of a stored value of field k: a number, a boolean or the text. A stored text that
 * is not a valid value stays text. */
static json_t *setting_value_json(int k, const char *v) {
    char *end;
    long long n = strtoll(v, &end, 10);
    bool number = *v && !*end;
    if (setting_fields[k].type == FT_INT && number) return json_integer(n);
    if (setting_fields[k].type == FT_BOOL && number) return json_boolean(n != 0);
    return json_string(v);
}

/* The changed keys of one save: their indexes and stored texts. */
typedef struct SettingsCtx {
    int n;
    int idx[NSETTINGS];
    const char *value[NSETTINGS];
} SettingsCtx;

/* Writes the changed keys (a key without a row gets one, noted with its label). Returns 0 or -1. */
static int apply_settings(void *ctx, int64_t *id) {
    SettingsCtx *c = ctx;
    *id = 0;
    for (int i = 0; i < c->n; i++) {
        const Field *fd = &setting_fields[c->idx[i]];
        Stmt *st = db_prep("INSERT INTO setting (key, value, note) VALUES (:k, :v, :note)"
                           " ON CONFLICT (key) DO UPDATE SET value = excluded.value");
        db_bind_text(st, ":k", fd->name);
        db_bind_text(st, ":v", c->value[i]);
        db_bind_text(st, ":note", fd->label);
        if (db_exec(st) != 0) return -1;
    }
    return 0;
}

/* ---------------------------------------------------------------------------------------------
 * Checking a submission */

/* Refuses (422) a JSON body that names a key this page does not know. Returns true when it did. */
static bool refuse_unknown_keys(Req *r, Resp *w) {
    json_t *obj = json_loadb(r->body, r->body_len, JSON_REJECT_DUPLICATES, NULL);
    const char *key;
    json_t *v;
    bool refused = false;
    if (json_is_object(obj)) {
        json_object_foreach(obj, key, v) {
            if (setting_known(key)) continue;
            json_error(r, w, 422, "unknown", arena_strdup(r->arena, key), T(r, "没有这项设置，或它不能在这里修改"));
            refused = true;
            break;
        }
    }
    json_decref(obj);
    return refused;
}

/* Reads and checks the submission into f and marks in sent[] the keys it changes. A JSON body
 * changes only the keys it sends (the others keep their current values and are checked with the
 * new ones); the page form sends every key, an unticked box meaning "no". */
static void settings_read(Req *r, Form *f, const char *const cur[NSETTINGS], bool sent[NSETTINGS]) {
    form_read(r, f, setting_fields, NSETTINGS);
    if (f->code[0] && strcmp(f->code[0], "bad_json") == 0) return;   /* not a JSON object: nothing to fill */
    for (int k = 0; k < NSETTINGS; k++) {
        sent[k] = !r->body || f->s[k];
        if (!sent[k]) form_fill_absent(r, f, setting_fields[k].name, cur[k]);
    }
    if (!f->err[0] && !f->err[1] && f->i[1] < f->i[0])
        form_fail(f, "committee.max_size", "range", T(r, "人数上限不能小于人数下限"));
}

/* The value of field k of a checked form in its stored form (text in the arena). */
static const char *setting_form_value(Req *r, const Form *f, int k) {
    if (setting_fields[k].type == FT_INT || setting_fields[k].type == FT_BOOL)
        return arena_printf(r->arena, "%lld", (long long)f->i[k]);
    return categories_normal(r->arena, f->s[k]);
}

/* ---------------------------------------------------------------------------------------------
 * The page */

/* Writes the read-only rows of keys in the table that this page does not know. */
static void unknown_settings(Req *r, Buf *b) {
    Stmt *st = db_prep("SELECT key, value, note FROM setting ORDER BY key");
    int n = 0;
    while (db_step(st) == SQLITE_ROW) {
        if (setting_known(db_col_text(st, 0))) continue;
        if (!n++)
            html(b, "<section class=\"card\"><h2>%s</h2><p class=\"hint\">%s</p><dl class=\"facts\">", T(r, "其他设置（只读）"),
                 T(r, "这些设置不在本页的管理范围内，只显示当前值。"));
        html(b, "<dt><code>%s</code></dt><dd>%s", db_col_text(st, 0), db_col_text(st, 1));
        if (*db_col_text(st, 2)) html(b, " <span class=\"hint\">%s</span>", db_col_text(st, 2));
        html_raw(b, "</dd>");
    }
    if (n) html_raw(b, "</dl></section>");
}

/* Writes the list of category codes and names under the major-category field. */
static void category_list(Req *r, Buf *b) {
    html(b, "<p class=\"hint\">%s", T(r, "可选类别："));
    for (const Choice *c = category_choices; c->value; c++)
        html(b, "%s<code>%s</code> %s", c == category_choices ? "" : T(r, "、"), c->value, T(r, c->label));
    html_raw(b, "</p>");
}

static void settings_page(Req *r, Resp *w, const Form *f, const char *const cur[NSETTINGS]) {
    page_begin(r, w, T(r, "政策设置"), &(PageOpts){.menu = "/settings"});
    Buf *b = &w->body;
    html(b, "<div class=\"pagehead\"><h1>%s</h1></div><p class=\"hint\">%s</p>", T(r, "政策设置"),
         T(r, "这些是县里的政策标准，全县统一适用。每次保存都记入操作日志。"));
    html_raw(b, "<form class=\"form\" method=\"post\" action=\"/settings\">");
    ui_csrf(r, b);
    for (size_t s = 0; s < sizeof setting_sections / sizeof setting_sections[0]; s++) {
        html(b, "<section class=\"card\"><h2>%s</h2>", T(r, setting_sections[s][1]));
        for (int k = 0; k < NSETTINGS; k++) {
            const Field *fd = &setting_fields[k];
            if (strncmp(fd->name, setting_sections[s][0], strlen(setting_sections[s][0])) != 0) continue;
            ui_field(r, b, f, fd->name);
            const char *now = fd->type == FT_BOOL ? T(r, strcmp(cur[k], "0") != 0 ? "是" : "否") : *cur[k] ? cur[k] : T(r, "（空）");
            html(b, "<p class=\"hint\">%s%s · %s</p>", T(r, "当前值："), now, T(r, setting_defaults[k][1]));
            if (fd->check == check_categories) category_list(r, b);
        }
        html_raw(b, "</section>");
    }
    html(b, "<div class=\"actions\"><button class=\"primary\" type=\"submit\">%s</button></div></form>", T(r, "保存"));
    unknown_settings(r, b);
    page_end(r, w);
}

/* The JSON answer: every setting by key (known ones typed) and the known ones described. */
static json_t *settings_json(Req *r, const char *const cur[NSETTINGS]) {
    json_t *values = json_object(), *fields = json_array();
    for (int k = 0; k < NSETTINGS; k++) {
        const Field *fd = &setting_fields[k];
        json_object_set_new(values, fd->name, setting_value_json(k, cur[k]));
        json_array_append_new(fields, json_pack("{s:s, s:s, s:o, s:o, s:s, s:s}", "key", fd->name, "label", T(r, fd->label),
                                                "value", setting_value_json(k, cur[k]), "default",
                                                setting_value_json(k, setting_defaults[k][0]), "source",
                                                T(r, setting_defaults[k][1]), "hint", T(r, fd->hint)));
        if (fd->type == FT_INT)
            json_object_update_new(json_array_get(fields, json_array_size(fields) - 1),
                                   json_pack("{s:I, s:I}", "min", (json_int_t)fd->min, "max", (json_int_t)fd->max));
    }
    json_t *other = json_object();
    Stmt *st = db_prep("SELECT key, value FROM setting ORDER BY key");
    while (db_step(st) == SQLITE_ROW)
        if (!setting_known(db_col_text(st, 0))) json_object_set_new(other, db_col_text(st, 0), json_string(db_col_text(st, 1)));
    return json_pack("{s:o, s:o, s:o}", "settings", values, "fields", fields, "read_only", other);
}

static void h_settings_get(Req *r, Resp *w) {
    const char *cur[NSETTINGS];
    settings_current(r->arena, cur);
    if (r->want_json) { json_send(w, 200, settings_json(r, cur)); return; }
    Form f;
    form_init(&f, setting_fields, NSETTINGS);
    for (int k = 0; k < NSETTINGS; k++) form_set(&f, setting_fields[k].name, cur[k]);
    settings_page(r, w, &f, cur);
}

/* Checks every value and saves the changed ones in one audited change; a page submission goes
 * back to the page with a message, an API call gets the settings after the change. */
static void h_settings_post(Req *r, Resp *w) {
    if (r->body && refuse_unknown_keys(r, w)) return;
    const char *cur[NSETTINGS];
    settings_current(r->arena, cur);
    Form f;
    bool sent[NSETTINGS] = {false};
    settings_read(r, &f, cur, sent);
    if (f.nerr) {
        if (r->want_json) { form_json_error(r, w, &f); return; }
        w->status = 422;
        settings_page(r, w, &f, cur);
        return;
    }
    SettingsCtx ctx = {0};
    json_t *before = json_object(), *after = json_object();
    for (int k = 0; k < NSETTINGS; k++) {
        const char *v = setting_form_value(r, &f, k);
        if (!sent[k] || strcmp(v, cur[k]) == 0) continue;
        json_object_set_new(before, setting_fields[k].name, setting_value_json(k, cur[k]));
        json_object_set_new(after, setting_fields[k].name, setting_value_json(k, v));
        ctx.idx[ctx.n] = k;
        ctx.value[ctx.n++] = cur[k] = v;
    }
    if (ctx.n) {
        Change c = {"update", "setting", 0, 0, before, after, apply_settings, &ctx};
        Actor a = actor_of(r);
        if (change_apply(&a, &c) != 0) { page_error(r, w, 500, NULL); return; }
    } else {
        json_decref(before);
        json_decref(after);
    }
    if (r->want_json) {
        json_t *j = settings_json(r, cur), *changed = json_array();
        for (int i = 0; i < ctx.n; i++) json_array_append_new(changed, json_string(setting_fields[ctx.idx[i]].name));
        json_object_set_new(j, "changed", changed);
        json_send(w, 200, j);
        return;
    }
    resp_redirect_flash(r, w, "/settings", ctx.n ? Tn(r, "已保存，修改了 {n} 项设置。", ctx.n) : T(r, "没有修改。"));
}

const Route settings_routes[] = {
    {HTTP_GET, "/settings", h_settings_get, CAP_SETTINGS, 0, NULL},
    {HTTP_POST, "/settings", h_settings_post, CAP_SETTINGS, 0, NULL},
    {HTTP_GET, "/api/v1/settings", h_settings_get, CAP_SETTINGS, ROUTE_JSON, "api_settings"},
    {HTTP_POST, "/api/v1/settings", h_settings_post, CAP_SETTINGS, ROUTE_JSON, "api_settings_post"},
    {0, NULL, NULL, 0, 0, NULL},
};

const Msg settings_msgs[] = {
    {"政策设置", "Policy settings"},
    {"这些是县里的政策标准，全县统一适用。每次保存都记入操作日志。",
     "These are the county's policy standards and apply county-wide. Every save is recorded in the audit log."},
    {"组委会", "Committees"},
    {"双向联系", "Two-way contact"},
    {"议事决策", "Deliberation"},
    {"组委会人数下限", "Minimum committee size"},
    {"组委会人数上限", "Maximum committee size"},
    {"成员最低年龄（周岁）", "Minimum age of members (years)"},
    {"组委会任期（年）", "Committee term (years)"},
    {"外出务工人员可以担任成员", "Migrant workers may be members"},
    {"成员每月入户走访（次）", "Household visits per member per month"},
    {"村干部每季度联系指导每个组委会（次）", "Guidance contacts per cadre and committee per quarter"},
    {"重大事项类别", "Major-matter categories"},
    {"组民代表会议可以作出决策", "A representatives' meeting may decide"},
    {"组委会成员少于这个人数时，系统提示人数不足", "A committee with fewer members is flagged as too small"},
    {"成员多于这个人数时，系统提示人数过多；不能小于人数下限",
     "A committee with more members is flagged as too large; not below the minimum"},
    {"按任职开始之日计算", "Counted on the day the term of office starts"},
    {"新组建的组委会按此计算任期届满日期", "New committees get their term end date from this"},
    {"不勾选时，成员必须居住在本组", "When unticked, members must live in the group"},
    {"修改后，每位成员的应走访次数和完成率会重新计算", "After a change, every member's visits owed and rates are recounted"},
    {"修改后，联系指导的应完成次数和完成率会重新计算", "After a change, guidance contacts owed and rates are recounted"},
    {"这些类别的事项须经组民商议、组委会商议、组民决策三个阶段；用逗号分隔，留空则只有标为重大的事项走三个阶段",
     "Matters of these categories go through all three stages; separate with commas; when empty only matters "
     "marked as major do"},
    {"不勾选时，第三阶段只能由组民大会表决", "When unticked, only a villagers' assembly may vote in stage 3"},
    {"默认 3 人（县政策：一般3至5人）", "Default 3 (county policy: usually 3 to 5 members)"},
    {"默认 5 人（县政策：一般3至5人）", "Default 5 (county policy: usually 3 to 5 members)"},
    {"默认 18 周岁（系统默认）", "Default 18 years (program default)"},
    {"默认 5 年（系统默认）", "Default 5 years (program default)"},
    {"默认不可以（系统默认）", "Default no (program default)"},
    {"默认 5 次（县政策：每月不少于5次走进群众家中）", "Default 5 (county policy: at least 5 household visits a month)"},
    {"默认 1 次（县政策：每季度至少联系指导1次以上）", "Default 1 (county policy: at least one guidance contact a quarter)"},
    {"默认集体资产、土地、资金使用、组规民约（系统默认）",
     "Default collective assets, land, use of funds, group rules (program default)"},
    {"默认可以（系统默认）", "Default yes (program default)"},
    {"只能填写下面列出的类别，用逗号分隔", "Only the categories listed below, separated by commas"},
    {"可选类别：", "Categories: "},
    {"、", ", "},
    {"当前值：", "Current value: "},
    {"（空）", "(empty)"},
    {"是", "Yes"},
    {"否", "No"},
    {"人数上限不能小于人数下限", "The maximum size cannot be below the minimum"},
    {"没有这项设置，或它不能在这里修改", "No such setting, or it cannot be changed here"},
    {"其他设置（只读）", "Other settings (read-only)"},
    {"这些设置不在本页的管理范围内，只显示当前值。", "These settings are not managed on this page; only their values are shown."},
    {"已保存，修改了 {n} 项设置。", "Saved: {n} settings changed."},
    {"没有修改。", "Nothing changed."},
    {NULL, NULL},
};
