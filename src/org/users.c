/* users.c — logins (用户): the user store, the user and API-token pages, and `zuwei user`.
 *
 * Who may manage whom: a user with CAP_USERS manages logins whose scope lies inside their own and
 * whose role ranks below theirs (roles.c); a scope is changed only by someone whose scope holds
 * both the old and the new unit. The user tables are protected: writes here hold DB_KEY_AUTH. */
#include "org/org_auth.h"
#include "org/roles.h"
#include "platform/auth.h"
#include "platform/crypto.h"
#include "platform/db.h"
#include "platform/html.h"
#include "platform/json.h"
#include "platform/log.h"
#include "platform/page.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A login as the pages see it. */
typedef struct User {
    int64_t id, scope_unit, person_id;
    char username[40], display_name[100], phone[24], role[20], scope_path[200], scope_name[100], scope_code[20];
    bool active, must_change;
} User;

/* A unit found by code or id: what user forms need to place a login. */
typedef struct UnitRef { int64_t id; char path[200], kind[12], name[100]; } UnitRef;

/* Finds an active unit by its division code or its id. Returns true when found. */
static bool unit_ref(const char *code_or_id, UnitRef *u) {
    Stmt *st = db_prep("SELECT id, path, kind, name FROM unit WHERE (code = :c OR id = :id) AND end_date IS NULL");
    db_bind_text(st, ":c", code_or_id);
    db_bind_int(st, ":id", strlen(code_or_id) < 10 ? atoll(code_or_id) : -1);
    bool found = db_step(st) == SQLITE_ROW;
    if (found) {
        u->id = db_col_int(st, 0);
        str_copy(u->path, sizeof u->path, db_col_text(st, 1));
        str_copy(u->kind, sizeof u->kind, db_col_text(st, 2));
        str_copy(u->name, sizeof u->name, db_col_text(st, 3));
    }
    if (st) sqlite3_reset(st);
    return found;
}

static void user_from_row(Stmt *st, User *u) {
    u->id = db_col_int(st, 0);
    str_copy(u->username, sizeof u->username, db_col_text(st, 1));
    str_copy(u->display_name, sizeof u->display_name, db_col_text(st, 2));
    str_copy(u->phone, sizeof u->phone, db_col_text(st, 3));
    str_copy(u->role, sizeof u->role, db_col_text(st, 4));
    u->scope_unit = db_col_int(st, 5);
    str_copy(u->scope_path, sizeof u->scope_path, db_col_text(st, 6));
    str_copy(u->scope_name, sizeof u->scope_name, db_col_text(st, 7));
    u->active = db_col_int(st, 8) != 0;
    u->must_change = db_col_int(st, 9) != 0;
    str_copy(u->scope_code, sizeof u->scope_code, db_col_text(st, 10));
    u->person_id = db_col_int(st, 11);
}

/* Fetches a user whose scope lies inside `scope`; false when absent or out of scope (→ 404). */
static bool user_get(const char *scope, int64_t id, User *u) {
    Stmt *st = db_prep("SELECT u.id, u.username, u.display_name, u.phone, u.role, u.scope_unit, s.path, s.name, u.active,"
                       "  u.must_change, coalesce(s.code, ''), coalesce(u.person_id, 0) FROM user u JOIN unit s ON s.id = u.scope_unit"
                       " WHERE u.id = :id AND s.path BETWEEN :scope AND :scope || '~'");
    db_bind_int(st, ":id", id);
    db_bind_text(st, ":scope", scope);
    bool found = db_step(st) == SQLITE_ROW;
    if (found) user_from_row(st, u);
    if (st) sqlite3_reset(st);
    return found;
}

static json_t *user_json(const User *u) {
    return json_pack("{s:I, s:s, s:s, s:s, s:s, s:I, s:s, s:b, s:I}", "id", (json_int_t)u->id, "username", u->username,
                     "display_name", u->display_name, "phone", u->phone, "role", u->role, "scope_unit",
                     (json_int_t)u->scope_unit, "scope_name", u->scope_name, "active", u->active, "person_id",
                     (json_int_t)u->person_id);
}

bool user_password_matches(int64_t user_id, const char *password) {
    Stmt *st = db_prep("SELECT password_hash FROM user WHERE id = :id");
    db_bind_int(st, ":id", user_id);
    char hash[160] = "";
    if (db_step(st) == SQLITE_ROW) str_copy(hash, sizeof hash, db_col_text(st, 0));
    if (st) sqlite3_reset(st);
    return hash[0] && crypto_password_verify(hash, password);
}

typedef struct PasswordCtx { int64_t id; const char *hash; bool must_change; } PasswordCtx;

static int apply_password(void *ctx, int64_t *id) {
    PasswordCtx *c = ctx;
    int prev = db_unlock(DB_KEY_AUTH);
    Stmt *st = db_prep("UPDATE user SET password_hash = :h, must_change = :m,"
                       " password_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = :id");
    db_bind_text(st, ":h", c->hash);
    db_bind_int(st, ":m", c->must_change);
    db_bind_int(st, ":id", c->id);
    int rc = db_exec(st);
    if (rc == 0) {
        st = db_prep("UPDATE session SET ended_at = unixepoch(), end_reason = 'password' WHERE user_id = :id AND ended_at IS NULL");
        db_bind_int(st, ":id", c->id);
        rc = db_exec(st);
    }
    db_relock(prev);
    *id = c->id;
    return rc == 0 ? 0 : -1;
}

int user_set_password(const Actor *a, int64_t user_id, const char *password, bool must_change) {
    char hash[128];
    if (crypto_password_hash(password, hash) != 0) return -1;
    PasswordCtx ctx = {user_id, hash, must_change};
    Change c = {"password", "user", user_id, 0, NULL, json_pack("{s:b}", "must_change", must_change), apply_password, &ctx};
    return change_apply(a, &c) == 0 ? 0 : -1;
}

/* Writes a temporary password that meets the policy: 10 characters, letters and digits, without
 * look-alikes (l/1, o/0) so it can be read out over the phone. */
static void temp_password(char out[32]) {
    static const char letters[] = "abcdefghjkmnpqrstuvwxyz", digits[] = "23456789";
    unsigned char raw[10];
    crypto_random(raw, sizeof raw);
    for (int i = 0; i < 10; i++)
        out[i] = i % 3 == 2 ? digits[raw[i] % (sizeof digits - 1)] : letters[raw[i] % (sizeof letters - 1)];
    out[10] = 0;
}

/* ---------------------------------------------------------------------------------------------
 * Creating and changing logins */

typedef struct UserCtx {
    User *u;
    const char *hash;    /* new password hash when creating */
    bool create;
} UserCtx;

static int apply_user(void *ctx, int64_t *id) {
    UserCtx *c = ctx;
    int prev = db_unlock(DB_KEY_AUTH);
    Stmt *st = c->create
        ? db_prep("INSERT INTO user (username, display_name, phone, role, scope_unit, active, must_change, password_hash,"
                  " person_id) VALUES (:un, :dn, :ph, :role, :scope, :active, 1, :hash, nullif(:person, 0))")
        : db_prep("UPDATE user SET display_name = :dn, phone = :ph, role = :role, scope_unit = :scope, active = :active,"
                  " person_id = nullif(:person, 0) WHERE id = :id");
    if (c->create) {
        db_bind_text(st, ":un", c->u->username);
        db_bind_text(st, ":hash", c->hash);
    } else {
        db_bind_int(st, ":id", c->u->id);
    }
    db_bind_text(st, ":dn", c->u->display_name);
    db_bind_text(st, ":ph", c->u->phone);
    db_bind_text(st, ":role", c->u->role);
    db_bind_int(st, ":scope", c->u->scope_unit);
    db_bind_int(st, ":active", c->u->active);
    db_bind_int(st, ":person", c->u->person_id);
    int rc = db_exec(st);
    if (rc == 0 && c->create) c->u->id = db_last_id();
    if (rc == 0 && !c->u->active) {   /* disabling ends every session at once */
        st = db_prep("UPDATE session SET ended_at = unixepoch(), end_reason = 'disabled' WHERE user_id = :id AND ended_at IS NULL");
        db_bind_int(st, ":id", c->u->id);
        rc = db_exec(st);
    }
    db_relock(prev);
    *id = c->u->id;
    return rc == 0 ? 0 : sqlite3_extended_errcode(db_conn()) == SQLITE_CONSTRAINT_UNIQUE ? 1 : -1;
}

static const Choice role_choices[] = {
    {"county_admin", "县级管理员"}, {"township", "乡镇干部"}, {"village", "村干部"}, {"member", "组委会成员"},
    {"villager", "组民"}, {"auditor", "审计"}, {NULL, NULL},
};

static const char *check_username(const char *v) {
    for (const char *p = v; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '_' || *p == '.' || *p == '-'))
            return "用户名只能包含字母、数字、下划线、点和连字符";
    return NULL;
}

static const Field user_fields[] = {
    {"username", "用户名", FT_TEXT, true, 3, 32, NULL, check_username, "字母、数字、下划线，3–32 位"},
    {"display_name", "姓名", FT_TEXT, true, 1, 30, NULL, NULL, NULL},
    {"phone", "手机号", FT_PHONE, false, 0, 0, NULL, NULL, NULL},
    {"role", "角色", FT_ENUM, true, 0, 0, role_choices, NULL, NULL},
    {"scope", "管辖单位", FT_TEXT, true, 1, 20, NULL, NULL, "填写单位的区划代码或编号，例如 522222100001"},
    {"active", "启用", FT_BOOL, false, 0, 0, NULL, NULL, NULL},
    {"person", "对应组民编号", FT_ID, false, 0, 0, NULL, NULL, "组委会成员和村干部请填写本人在组民名册中的编号（人员页面地址中的数字），走访等记录才会记在本人名下"},
    {"password", "初始密码", FT_PASSWORD, false, 0, 128, NULL, NULL, "留空则自动生成，保存后只显示一次"},
};
enum { NUSER = sizeof user_fields / sizeof user_fields[0] };
/* Editing a login: the same fields less username and password. */
static const Field user_edit_fields[] = {
    {"display_name", "姓名", FT_TEXT, true, 1, 30, NULL, NULL, NULL},
    {"phone", "手机号", FT_PHONE, false, 0, 0, NULL, NULL, NULL},
    {"role", "角色", FT_ENUM, true, 0, 0, role_choices, NULL, NULL},
    {"scope", "管辖单位", FT_TEXT, true, 1, 20, NULL, NULL, "填写单位的区划代码或编号，例如 522222100001"},
    {"active", "启用", FT_BOOL, false, 0, 0, NULL, NULL, NULL},
    {"person", "对应组民编号", FT_ID, false, 0, 0, NULL, NULL, "组委会成员和村干部请填写本人在组民名册中的编号（人员页面地址中的数字），走访等记录才会记在本人名下"},
};
enum { NUSER_EDIT = sizeof user_edit_fields / sizeof user_edit_fields[0] };

/* Checks role, scope and the caller's rights for a login being created or changed, filling u.
 * `old` is the login before the change (NULL when creating). Errors go onto the form. */
static void check_user_form(Req *r, Form *f, User *u, const User *old) {
    const char *role = form_s(f, "role");
    UnitRef unit;
    if (role && !role_may_manage(r->who->role, role))
        form_fail(f, "role", "forbidden", T(r, "您不能设置这个角色"));
    if (old && !role_may_manage(r->who->role, old->role))
        form_fail(f, "role", "forbidden", T(r, "您不能修改这个用户"));
    if (form_s(f, "scope")) {
        if (!unit_ref(form_s(f, "scope"), &unit) || !auth_can(r, CAP_USERS, unit.path)) {
            /* A unit outside the caller's scope is reported exactly like a unit that does not exist. */
            form_fail(f, "scope", "not_found", T(r, "找不到这个单位，或它不在您的管辖范围内"));
        } else {
            const Role *rl = role_find(role);
            if (rl && rl->scope_kind && strcmp(rl->scope_kind, unit.kind) != 0)
                form_fail(f, "scope", "kind", T(r, "这个角色的管辖单位类型不对（县级管理员对应县，乡镇干部对应乡镇，村干部对应村，组委会成员和组民对应村民组）"));
            u->scope_unit = unit.id;
            str_copy(u->scope_path, sizeof u->scope_path, unit.path);
            str_copy(u->scope_name, sizeof u->scope_name, unit.name);
        }
    }
    if (old && !auth_can(r, CAP_USERS, old->scope_path))
        form_fail(f, "scope", "forbidden", T(r, "您不能修改这个用户"));
    u->person_id = form_i(f, "person");
    if (u->person_id && u->scope_path[0]) {
        Stmt *st = db_prep("SELECT count(*) FROM person p JOIN unit un ON un.id = p.unit_id"
                           " WHERE p.id = :p AND un.path BETWEEN :scope AND :scope || '~'");
        db_bind_int(st, ":p", u->person_id);
        db_bind_text(st, ":scope", u->scope_path);
        if (db_one_int(st, 0) != 1) form_fail(f, "person", "not_found", T(r, "管辖单位的名册中没有这个编号的组民"));
    }
    if (role) str_copy(u->role, sizeof u->role, role);
    str_copy(u->display_name, sizeof u->display_name, form_s(f, "display_name") ? form_s(f, "display_name") : "");
    str_copy(u->phone, sizeof u->phone, form_s(f, "phone") ? form_s(f, "phone") : "");
    u->active = old ? form_i(f, "active") != 0 : true;
}

static json_t *user_change_json(const User *u) {
    return json_pack("{s:s, s:s, s:s, s:I, s:b, s:I}", "display_name", u->display_name, "phone", u->phone, "role", u->role,
                     "scope_unit", (json_int_t)u->scope_unit, "active", u->active, "person_id", (json_int_t)u->person_id);
}

/* ---------------------------------------------------------------------------------------------
 * Pages */

static void user_form_page(Req *r, Resp *w, Form *f, const User *old) {
    const char *title = old ? T(r, "修改用户") : T(r, "新增用户");
    page_begin(r, w, title, &(PageOpts){.menu = "/users", .back = "/users"});
    Buf *b = &w->body;
    html(b, "<div class=\"pagehead\"><h1>%s</h1></div><section class=\"card\">", title);
    if (old) html(b, "<form class=\"form\" method=\"post\" action=\"/users/%lld\">", (long long)old->id);
    else html_raw(b, "<form class=\"form\" method=\"post\" action=\"/users/new\">");
    ui_csrf(r, b);
    if (!old) ui_field(r, b, f, "username");
    ui_field(r, b, f, "display_name");
    ui_field(r, b, f, "phone");
    ui_field(r, b, f, "role");
    ui_field(r, b, f, "scope");
    ui_field(r, b, f, "person");
    if (old) ui_field(r, b, f, "active");
    else ui_field(r, b, f, "password");
    html(b, "<div class=\"actions\"><button class=\"primary\" type=\"submit\">%s</button><a class=\"button\" href=\"/users\">%s</a></div></form></section>",
         T(r, "保存"), T(r, "取消"));
    if (old && old->id != r->who->user_id) {
        html(b, "<section class=\"card\"><h2>%s</h2><p class=\"hint\">%s</p>", T(r, "重置密码"),
             T(r, "生成一个临时密码，用户下次登录时必须修改。该用户当前的登录会立即失效。"));
        html(b, "<form method=\"post\" action=\"/users/%lld/reset\" data-confirm=\"%s\">", (long long)old->id, T(r, "确定重置这个用户的密码吗？"));
        ui_csrf(r, b);
        html(b, "<button class=\"button\" type=\"submit\">%s</button></form></section>", T(r, "重置密码"));
    }
    page_end(r, w);
}

static void shown_once_page(Req *r, Resp *w, const char *title, const char *what, const char *secret, const char *back) {
    page_begin(r, w, title, &(PageOpts){.menu = "/users", .back = back});
    Buf *b = &w->body;
    html(b, "<div class=\"pagehead\"><h1>%s</h1></div><section class=\"card\"><p>%s</p><p class=\"secret\"><code>%s</code></p>"
            "<p class=\"hint\">%s</p><p><a class=\"button primary\" href=\"%s\">%s</a></p></section>",
         title, what, secret, T(r, "这段内容只显示这一次，请现在抄下或转交本人。"), back, T(r, "完成"));
    page_end(r, w);
}

/* The logins of the user list: a range of user_scope_path (the scope's logins in display order,
 * unit path then username), then the filters. */
#define USER_LIST                                                                                                      \
    " u.scope_path BETWEEN :scope AND :scope || '~' AND (:role IS NULL OR u.role = :role)"                            \
    " AND (:q IS NULL OR u.username LIKE '%' || :q || '%' OR u.display_name LIKE '%' || :q || '%')"

static void h_users(Req *r, Resp *w) {
    const char *q = req_param(r, "q"), *role = req_param(r, "role");
    int page = ui_page_param(r), per = 50;
    Stmt *st = db_prep("SELECT count(*) FROM user u WHERE" USER_LIST);
    db_bind_text(st, ":scope", auth_scope(r));
    db_bind_text(st, ":role", role && *role ? role : NULL);
    db_bind_text(st, ":q", q && *q ? q : NULL);
    long long total = db_one_int(st, 0);
    page_begin(r, w, T(r, "用户管理"), &(PageOpts){.menu = "/users"});
    Buf *b = &w->body;
    html(b, "<div class=\"pagehead\"><h1>%s</h1><div class=\"actions\"><a class=\"button\" href=\"/tokens\">%s</a>"
            "<a class=\"button primary\" href=\"/users/new\">%s</a></div></div>",
         T(r, "用户管理"), T(r, "接口令牌"), T(r, "新增用户"));
    html(b, "<form class=\"filters\" method=\"get\"><input type=\"search\" name=\"q\" value=\"%s\" placeholder=\"%s\">"
            "<select name=\"role\"><option value=\"\">%s</option>", q ? q : "", T(r, "用户名或姓名"), T(r, "全部角色"));
    for (const Choice *c = role_choices; c->value; c++)
        html(b, "<option value=\"%s\"%s>%s</option>", c->value, role && strcmp(role, c->value) == 0 ? " selected" : "", T(r, c->label));
    html(b, "</select><button type=\"submit\">%s</button></form>", T(r, "筛选"));
    if (!total) {
        html(b, "<div class=\"empty\"><p>%s</p></div>", T(r, "没有符合条件的用户。"));
        page_end(r, w);
        return;
    }
    html(b, "<div class=\"tablewrap\"><table class=\"list\"><thead><tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr></thead><tbody>",
         T(r, "姓名"), T(r, "用户名"), T(r, "角色"), T(r, "管辖单位"), T(r, "状态"));
    st = db_prep("SELECT u.id, u.username, u.display_name, u.phone, u.role, u.scope_unit, s.path, s.name, u.active,"
                 "  u.must_change, coalesce(s.code, ''), coalesce(u.person_id, 0) FROM user u CROSS JOIN unit s ON s.id = u.scope_unit"
                 " WHERE" USER_LIST " ORDER BY u.scope_path, u.username LIMIT :lim OFFSET :off");
    db_bind_text(st, ":scope", auth_scope(r));
    db_bind_text(st, ":role", role && *role ? role : NULL);
    db_bind_text(st, ":q", q && *q ? q : NULL);
    db_bind_int(st, ":lim", per);
    db_bind_int(st, ":off", (int64_t)(page - 1) * per);
    while (db_step(st) == SQLITE_ROW) {
        User u;
        user_from_row(st, &u);
        const Role *rl = role_find(u.role);
        html(b, "<tr><td data-label=\"%s\"><a href=\"/users/%lld\">%s</a></td><td data-label=\"%s\">%s</td><td data-label=\"%s\">%s</td>"
                "<td data-label=\"%s\">%s</td><td data-label=\"%s\"><span class=\"badge%s\">%s</span></td></tr>",
             T(r, "姓名"), (long long)u.id, u.display_name, T(r, "用户名"), u.username, T(r, "角色"),
             rl ? T(r, rl->label) : u.role, T(r, "单位"), u.scope_name, T(r, "状态"), u.active ? " ok" : " muted",
             u.active ? T(r, "启用") : T(r, "停用"));
    }
    html_raw(b, "</tbody></table></div>");
    ui_pager(r, b, page, per, total);
    page_end(r, w);
}

static void h_user_new_get(Req *r, Resp *w) {
    Form f;
    form_init(&f, user_fields, NUSER);
    user_form_page(r, w, &f, NULL);
}

/* Creates a login from the form; on success answers with the one-time password page. */
static void h_user_new_post(Req *r, Resp *w) {
    Form f;
    User u = {0};
    form_read(r, &f, user_fields, NUSER);
    check_user_form(r, &f, &u, NULL);
    char pw[32] = "";
    const char *given = form_s(&f, "password");
    if (given) {
        const char *problem = auth_password_problem(form_s(&f, "username"), given);
        if (problem) form_fail(&f, "password", "weak", T(r, problem));
        else snprintf(pw, sizeof pw, "%.31s", given);
    } else {
        temp_password(pw);
    }
    if (!f.nerr) {
        str_copy(u.username, sizeof u.username, form_s(&f, "username"));
        char hash[128];
        crypto_password_hash(pw, hash);
        UserCtx ctx = {&u, hash, true};
        Change c = {"create", "user", 0, u.scope_unit, NULL, user_change_json(&u), apply_user, &ctx};
        Actor a = actor_of(r);
        int rc = change_apply(&a, &c);
        if (rc == 1) form_fail(&f, "username", "taken", T(r, "这个用户名已被使用"));
        else if (rc != 0) { page_error(r, w, 500, NULL); return; }
    }
    if (f.nerr) {
        if (r->want_json) { form_json_error(r, w, &f); return; }
        w->status = 422;
        user_form_page(r, w, &f, NULL);
        return;
    }
    if (r->want_json) {
        json_t *j = user_json(&u);
        if (!given) json_object_set_new(j, "initial_password", json_string(pw));
        json_send(w, 201, j);
        return;
    }
    shown_once_page(r, w, T(r, "用户已创建"), given ? T(r, "已按您填写的初始密码创建。首次登录时需修改密码。") : T(r, "初始密码如下，首次登录时需修改："),
                    given ? "••••••••" : pw, "/users");
}

/* Loads the login named by the path for the caller's scope; answers 404 when absent or outside. */
static bool load_user(Req *r, Resp *w, User *u) {
    const char *id = req_path_param(r, "id");
    if (!id || !user_get(auth_scope(r), atoll(id), u)) { page_error(r, w, 404, NULL); return false; }
    return true;
}

static void h_user_get(Req *r, Resp *w) {
    User u;
    if (!load_user(r, w, &u)) return;
    if (r->want_json) { json_send(w, 200, user_json(&u)); return; }
    Form f;
    form_init(&f, user_edit_fields, NUSER_EDIT);
    form_set(&f, "display_name", u.display_name);
    form_set(&f, "phone", u.phone);
    form_set(&f, "role", u.role);
    form_set(&f, "scope", u.scope_code[0] ? u.scope_code : arena_printf(r->arena, "%lld", (long long)u.scope_unit));
    form_set(&f, "active", u.active ? "1" : NULL);
    if (u.person_id) form_set(&f, "person", arena_printf(r->arena, "%lld", (long long)u.person_id));
    user_form_page(r, w, &f, &u);
}

static void h_user_post(Req *r, Resp *w) {
    User old, u;
    if (!load_user(r, w, &old)) return;
    u = old;
    Form f;
    form_read(r, &f, user_edit_fields, NUSER_EDIT);
    if (r->body) {   /* the JSON API changes only what it sends */
        form_fill_absent(r, &f, "display_name", old.display_name);
        form_fill_absent(r, &f, "phone", old.phone);
        form_fill_absent(r, &f, "role", old.role);
        form_fill_absent(r, &f, "scope", old.scope_code[0] ? old.scope_code : arena_printf(r->arena, "%lld", (long long)old.scope_unit));
        form_fill_absent(r, &f, "active", old.active ? "1" : "0");
        if (old.person_id) form_fill_absent(r, &f, "person", arena_printf(r->arena, "%lld", (long long)old.person_id));
    }
    check_user_form(r, &f, &u, &old);
    if (old.id == r->who->user_id && (!u.active || strcmp(u.role, old.role) != 0))
        form_fail(&f, "role", "self", T(r, "不能停用自己或修改自己的角色"));
    if (!f.nerr) {
        UserCtx ctx = {&u, NULL, false};
        Change c = {"update", "user", u.id, u.scope_unit, user_change_json(&old), user_change_json(&u), apply_user, &ctx};
        Actor a = actor_of(r);
        if (change_apply(&a, &c) != 0) { page_error(r, w, 500, NULL); return; }
        if (r->want_json) { json_send(w, 200, user_json(&u)); return; }
        resp_redirect_flash(r, w, "/users", T(r, "已保存。"));
        return;
    }
    if (r->want_json) { form_json_error(r, w, &f); return; }
    w->status = 422;
    user_form_page(r, w, &f, &old);
}

static void h_user_reset(Req *r, Resp *w) {
    User u;
    if (!load_user(r, w, &u)) return;
    if (!role_may_manage(r->who->role, u.role) || u.id == r->who->user_id) { page_error(r, w, 403, NULL); return; }
    char pw[32];
    temp_password(pw);
    Actor a = actor_of(r);
    if (user_set_password(&a, u.id, pw, true) != 0) { page_error(r, w, 500, NULL); return; }
    auth_log(u.username, u.id, r->client, "password", "reset");
    shown_once_page(r, w, T(r, "密码已重置"), T(r, "新的临时密码如下（用户下次登录时需修改）："), pw,
                    arena_printf(r->arena, "/users/%lld", (long long)u.id));
}

/* ---------------------------------------------------------------------------------------------
 * API tokens */

static void h_tokens(Req *r, Resp *w) {
    page_begin(r, w, T(r, "接口令牌"), &(PageOpts){.menu = "/users", .back = "/users"});
    Buf *b = &w->body;
    html(b, "<div class=\"pagehead\"><h1>%s</h1><div class=\"actions\"><a class=\"button primary\" href=\"/tokens/new\">%s</a></div></div>",
         T(r, "接口令牌"), T(r, "新建令牌"));
    html(b, "<p class=\"hint\">%s</p>", T(r, "令牌供其他系统调用 JSON 接口，权限和管辖范围与所属用户相同。"));
    Stmt *st = db_prep("SELECT t.id, t.name, u.username, t.created_at, coalesce(t.used_at, ''), t.revoked_at IS NOT NULL"
                       " FROM api_token t JOIN user u ON u.id = t.user_id JOIN unit s ON s.id = u.scope_unit"
                       " WHERE s.path BETWEEN :scope AND :scope || '~' ORDER BY t.id DESC LIMIT 200");
    db_bind_text(st, ":scope", auth_scope(r));
    html(b, "<div class=\"tablewrap\"><table class=\"list\"><thead><tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th></th></tr></thead><tbody>",
         T(r, "名称"), T(r, "所属用户"), T(r, "创建时间"), T(r, "最近使用"));
    int n = 0;
    while (db_step(st) == SQLITE_ROW) {
        n++;
        bool revoked = db_col_int(st, 5) != 0;
        html(b, "<tr><td data-label=\"%s\">%s</td><td data-label=\"%s\">%s</td><td data-label=\"%s\">%s</td><td data-label=\"%s\">%s</td><td>",
             T(r, "名称"), db_col_text(st, 1), T(r, "用户"), db_col_text(st, 2), T(r, "创建"), db_col_text(st, 3),
             T(r, "使用"), db_col_text(st, 4));
        if (revoked) {
            html(b, "<span class=\"badge muted\">%s</span>", T(r, "已撤销"));
        } else {
            html(b, "<form method=\"post\" action=\"/tokens/%lld/revoke\" data-confirm=\"%s\">", (long long)db_col_int(st, 0),
                 T(r, "撤销后使用这个令牌的系统将无法访问，确定吗？"));
            ui_csrf(r, b);
            html(b, "<button class=\"button\" type=\"submit\">%s</button></form>", T(r, "撤销"));
        }
        html_raw(b, "</td></tr>");
    }
    html_raw(b, "</tbody></table></div>");
    if (!n) html(b, "<div class=\"empty\"><p>%s</p></div>", T(r, "还没有令牌。"));
    page_end(r, w);
}

static const Field token_fields[] = {
    {"username", "所属用户", FT_TEXT, true, 3, 32, NULL, NULL, "令牌以这个用户的身份和范围访问"},
    {"name", "名称", FT_TEXT, true, 1, 60, NULL, NULL, "例如：县大数据平台对接"},
};

static void token_form(Req *r, Resp *w, Form *f) {
    page_begin(r, w, T(r, "新建令牌"), &(PageOpts){.menu = "/users", .back = "/tokens"});
    Buf *b = &w->body;
    html(b, "<div class=\"pagehead\"><h1>%s</h1></div><section class=\"card\"><form class=\"form\" method=\"post\" action=\"/tokens/new\">",
         T(r, "新建令牌"));
    ui_csrf(r, b);
    ui_field(r, b, f, "username");
    ui_field(r, b, f, "name");
    html(b, "<div class=\"actions\"><button class=\"primary\" type=\"submit\">%s</button></div></form></section>", T(r, "创建"));
    page_end(r, w);
}

static void h_token_new_get(Req *r, Resp *w) {
    Form f;
    form_init(&f, token_fields, 2);
    token_form(r, w, &f);
}

typedef struct TokenCtx { int64_t user_id, by; const char *name, *hash; } TokenCtx;

static int apply_token(void *ctx, int64_t *id) {
    TokenCtx *c = ctx;
    int prev = db_unlock(DB_KEY_AUTH);
    Stmt *st = db_prep("INSERT INTO api_token (user_id, name, token_hash, created_by) VALUES (:u, :n, :h, :by)");
    db_bind_int(st, ":u", c->user_id);
    db_bind_text(st, ":n", c->name);
    db_bind_text(st, ":h", c->hash);
    db_bind_int(st, ":by", c->by);
    int rc = db_exec(st);
    *id = db_last_id();
    db_relock(prev);
    return rc == 0 ? 0 : -1;
}

static void h_token_new_post(Req *r, Resp *w) {
    Form f;
    User u = {0};
    if (!form_read(r, &f, token_fields, 2)) {
        Stmt *st = db_prep("SELECT u.id FROM user u JOIN unit s ON s.id = u.scope_unit WHERE u.username = :n"
                           " AND s.path BETWEEN :scope AND :scope || '~'");
        db_bind_text(st, ":n", form_s(&f, "username"));
        db_bind_text(st, ":scope", auth_scope(r));
        int64_t uid = db_one_int(st, 0);
        if (!uid || !user_get(auth_scope(r), uid, &u)) form_fail(&f, "username", "not_found", T(r, "找不到这个用户，或它不在您的管辖范围内"));
        else if (!role_may_manage(r->who->role, u.role) && u.id != r->who->user_id)
            form_fail(&f, "username", "forbidden", T(r, "您不能为这个用户创建令牌"));
    }
    if (f.nerr) { w->status = 422; token_form(r, w, &f); return; }
    char token[48], hash[65];
    crypto_token(token);
    crypto_token_hash(token, hash);
    TokenCtx ctx = {u.id, r->who->user_id, form_s(&f, "name"), hash};
    Change c = {"create", "api_token", 0, u.scope_unit, NULL, json_pack("{s:s, s:I}", "name", ctx.name, "user_id", (json_int_t)u.id),
                apply_token, &ctx};
    Actor a = actor_of(r);
    if (change_apply(&a, &c) != 0) { page_error(r, w, 500, NULL); return; }
    shown_once_page(r, w, T(r, "令牌已创建"), T(r, "调用接口时在请求头中带上 Authorization: Bearer 加下面的令牌："), token, "/tokens");
}

typedef struct RevokeCtx { int64_t id; } RevokeCtx;

static int apply_revoke(void *ctx, int64_t *id) {
    RevokeCtx *c = ctx;
    int prev = db_unlock(DB_KEY_AUTH);
    Stmt *st = db_prep("UPDATE api_token SET revoked_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = :id AND revoked_at IS NULL");
    db_bind_int(st, ":id", c->id);
    int rc = db_exec(st);
    db_relock(prev);
    *id = c->id;
    return rc == 0 ? 0 : -1;
}

static void h_token_revoke(Req *r, Resp *w) {
    const char *id = req_path_param(r, "id");
    Stmt *st = db_prep("SELECT u.scope_unit FROM api_token t JOIN user u ON u.id = t.user_id JOIN unit s ON s.id = u.scope_unit"
                       " WHERE t.id = :id AND s.path BETWEEN :scope AND :scope || '~'");
    db_bind_int(st, ":id", id ? atoll(id) : 0);
    db_bind_text(st, ":scope", auth_scope(r));
    int64_t unit = db_one_int(st, 0);
    if (!unit) { page_error(r, w, 404, NULL); return; }
    RevokeCtx ctx = {atoll(id)};
    Change c = {"revoke", "api_token", ctx.id, unit, NULL, NULL, apply_revoke, &ctx};
    Actor a = actor_of(r);
    if (change_apply(&a, &c) != 0) { page_error(r, w, 500, NULL); return; }
    resp_redirect_flash(r, w, "/tokens", T(r, "令牌已撤销。"));
}

/* ---------------------------------------------------------------------------------------------
 * JSON list */

static void h_api_users(Req *r, Resp *w) {
    int page = ui_page_param(r), per = 100;
    Stmt *st = db_prep("SELECT u.id, u.username, u.display_name, u.phone, u.role, u.scope_unit, s.path, s.name, u.active,"
                       "  u.must_change, coalesce(s.code, ''), coalesce(u.person_id, 0) FROM user u CROSS JOIN unit s ON s.id = u.scope_unit"
                       " WHERE u.scope_path BETWEEN :scope AND :scope || '~' ORDER BY u.id LIMIT :lim OFFSET :off");
    db_bind_text(st, ":scope", auth_scope(r));
    db_bind_int(st, ":lim", per);
    db_bind_int(st, ":off", (int64_t)(page - 1) * per);
    json_t *arr = json_array();
    while (db_step(st) == SQLITE_ROW) {
        User u;
        user_from_row(st, &u);
        json_array_append_new(arr, user_json(&u));
    }
    json_send(w, 200, json_pack("{s:o, s:i}", "users", arr, "page", page));
}

const Route user_routes[] = {
    {HTTP_GET, "/users", h_users, CAP_USERS, 0, NULL},
    {HTTP_GET, "/users/new", h_user_new_get, CAP_USERS, 0, NULL},
    {HTTP_POST, "/users/new", h_user_new_post, CAP_USERS, 0, NULL},
    {HTTP_GET, "/users/:id", h_user_get, CAP_USERS, 0, NULL},
    {HTTP_POST, "/users/:id", h_user_post, CAP_USERS, 0, NULL},
    {HTTP_POST, "/users/:id/reset", h_user_reset, CAP_USERS, 0, NULL},
    {HTTP_GET, "/tokens", h_tokens, CAP_USERS, 0, NULL},
    {HTTP_GET, "/tokens/new", h_token_new_get, CAP_USERS, 0, NULL},
    {HTTP_POST, "/tokens/new", h_token_new_post, CAP_USERS, 0, NULL},
    {HTTP_POST, "/tokens/:id/revoke", h_token_revoke, CAP_USERS, 0, NULL},
    {HTTP_GET, "/api/v1/users", h_api_users, CAP_USERS, ROUTE_JSON, NULL},
    {HTTP_POST, "/api/v1/users", h_user_new_post, CAP_USERS, ROUTE_JSON, NULL},
    {HTTP_GET, "/api/v1/users/:id", h_user_get, CAP_USERS, ROUTE_JSON, NULL},
    {HTTP_POST, "/api/v1/users/:id", h_user_post, CAP_USERS, ROUTE_JSON, NULL},
    {0, NULL, NULL, 0, 0, NULL},
};

/* ---------------------------------------------------------------------------------------------
 * zuwei user add|passwd|list|disable */

/* Links a login to a person on the roll of its scope (a committee member's own registry entry:
 * their visits are recorded as theirs). Returns 0, or -1 when the person is not in scope. */
static int link_person(int64_t user_id, int64_t person_id, const char *scope_path) {
    Stmt *st = db_prep("SELECT count(*) FROM person p JOIN unit u ON u.id = p.unit_id"
                       " WHERE p.id = :p AND u.path BETWEEN :scope AND :scope || '~'");
    db_bind_int(st, ":p", person_id);
    db_bind_text(st, ":scope", scope_path);
    if (db_one_int(st, 0) != 1) return -1;
    int prev = db_unlock(DB_KEY_AUTH);
    st = db_prep("UPDATE user SET person_id = :p WHERE id = :id");
    db_bind_int(st, ":p", person_id);
    db_bind_int(st, ":id", user_id);
    int rc = db_exec(st);
    db_relock(prev);
    return rc ? -1 : 0;
}

/* Finds the value after a --flag in argv, or NULL. */
static const char *flag(int argc, char **argv, const char *name) {
    for (int i = 0; i < argc - 1; i++)
        if (strcmp(argv[i], name) == 0) return argv[i + 1];
    return NULL;
}

static bool has_flag(int argc, char **argv, const char *name) {
    for (int i = 0; i < argc; i++)
        if (strcmp(argv[i], name) == 0) return true;
    return false;
}

/* The password for a command: --password, else ZUWEI_PASSWORD, else a generated one (printed). */
static const char *cli_password(int argc, char **argv, char gen[32], bool *generated) {
    const char *p = flag(argc, argv, "--password");
    if (!p) p = getenv("ZUWEI_PASSWORD");
    *generated = !p;
    if (!p) { temp_password(gen); p = gen; }
    return p;
}

/* `zuwei user add ...`; with `hash` (crypto_password_hash of the given password) the password is
 * not hashed again. Returns 0, 1 when it failed, 2 on a wrong command line. */
static int user_add(int argc, char **argv, const char *hash) {
    const char *name = argc > 2 ? argv[2] : NULL;
    const char *display = flag(argc, argv, "--name"), *role = flag(argc, argv, "--role"), *scope = flag(argc, argv, "--scope");
    if (!name || name[0] == '-' || !role || !scope) {
        fprintf(stderr, "usage: zuwei user add USERNAME --role ROLE --scope UNIT_CODE_OR_ID [--name 姓名] [--phone P] [--password P]\n"
                        "                     [--person PERSON_ID] [--no-change]\n");
        return 2;
    }
    const Role *rl = role_find(role);
    UnitRef unit;
    if (!rl) { fprintf(stderr, "zuwei user add: unknown role %s (county_admin, township, village, member, villager, auditor)\n", role); return 2; }
    if (check_username(name) || strlen(name) < 3 || strlen(name) > 32) { fprintf(stderr, "zuwei user add: 用户名须为 3–32 位字母、数字或下划线\n"); return 1; }
    if (!unit_ref(scope, &unit)) { fprintf(stderr, "zuwei user add: no active unit with code or id %s\n", scope); return 1; }
    if (rl->scope_kind && strcmp(rl->scope_kind, unit.kind) != 0) {
        fprintf(stderr, "zuwei user add: a %s must be scoped to a %s, and %s is a %s\n", role, rl->scope_kind, scope, unit.kind);
        return 1;
    }
    char gen[32];
    bool generated;
    const char *pw = cli_password(argc, argv, gen, &generated);
    const char *problem = auth_password_problem(name, pw);
    if (problem) { fprintf(stderr, "zuwei user add: %s\n", problem); return 1; }
    User u = {0};
    str_copy(u.username, sizeof u.username, name);
    str_copy(u.display_name, sizeof u.display_name, display ? display : name);
    const char *phone = flag(argc, argv, "--phone");
    str_copy(u.phone, sizeof u.phone, phone ? phone : "");
    str_copy(u.role, sizeof u.role, role);
    u.scope_unit = unit.id;
    u.active = true;
    char made[128];
    if (!hash) {
        crypto_password_hash(pw, made);
        hash = made;
    }
    UserCtx ctx = {&u, hash, true};
    Change c = {"create", "user", 0, u.scope_unit, NULL, user_change_json(&u), apply_user, &ctx};
    Actor a = actor_cli();
    int rc = change_apply(&a, &c);
    if (rc == 1) { fprintf(stderr, "zuwei user add: username %s is taken\n", name); return 1; }
    if (rc) { fprintf(stderr, "zuwei user add: %s\n", db_errmsg()); return 1; }
    const char *person = flag(argc, argv, "--person");
    if (person && link_person(u.id, atoll(person), unit.path) != 0) {
        fprintf(stderr, "zuwei user add: person %s is not on the roll of %s\n", person, scope);
        return 1;
    }
    if (has_flag(argc, argv, "--no-change")) {   /* demo and test accounts start usable */
        int prev = db_unlock(DB_KEY_AUTH);
        Stmt *st = db_prep("UPDATE user SET must_change = 0 WHERE id = :id");
        db_bind_int(st, ":id", u.id);
        db_exec(st);
        db_relock(prev);
    }
    printf("user %s (%s) created, id %lld%s%s\n", name, role, (long long)u.id, generated ? ", password: " : "", generated ? pw : "");
    return 0;
}

int user_add_hashed(int argc, char **argv, const char *hash) { return user_add(argc, argv, hash); }

static int64_t user_id_by_name(const char *name) {
    Stmt *st = db_prep("SELECT id FROM user WHERE username = :n");
    db_bind_text(st, ":n", name);
    return db_one_int(st, 0);
}

static int user_passwd_cli(int argc, char **argv) {
    if (argc < 3) { fprintf(stderr, "usage: zuwei user passwd USERNAME [--password P]\n"); return 2; }
    int64_t id = user_id_by_name(argv[2]);
    if (!id) { fprintf(stderr, "zuwei user passwd: no user %s\n", argv[2]); return 1; }
    char gen[32];
    bool generated;
    const char *pw = cli_password(argc, argv, gen, &generated);
    const char *problem = auth_password_problem(argv[2], pw);
    if (problem) { fprintf(stderr, "zuwei user passwd: %s\n", problem); return 1; }
    Actor a = actor_cli();
    if (user_set_password(&a, id, pw, true) != 0) { fprintf(stderr, "zuwei user passwd: failed\n"); return 1; }
    auth_log(argv[2], id, "local", "password", "cli");
    printf("password of %s changed%s%s (must be changed at next login)\n", argv[2], generated ? ": " : "", generated ? pw : "");
    return 0;
}

static int user_list_cli(void) {
    Stmt *st = db_prep("SELECT u.username, u.display_name, u.role, s.name, u.active FROM user u JOIN unit s ON s.id = u.scope_unit ORDER BY u.id");
    while (db_step(st) == SQLITE_ROW)
        printf("%-20s %-12s %-13s %-20s %s\n", db_col_text(st, 0), db_col_text(st, 1), db_col_text(st, 2), db_col_text(st, 3),
               db_col_int(st, 4) ? "active" : "disabled");
    return 0;
}

static int user_disable_cli(int argc, char **argv) {
    if (argc < 3) { fprintf(stderr, "usage: zuwei user disable USERNAME\n"); return 2; }
    User u;
    int64_t id = user_id_by_name(argv[2]);
    if (!id || !user_get("/", id, &u)) { fprintf(stderr, "zuwei user disable: no user %s\n", argv[2]); return 1; }
    User after = u;
    after.active = false;
    UserCtx ctx = {&after, NULL, false};
    Change c = {"update", "user", u.id, u.scope_unit, user_change_json(&u), user_change_json(&after), apply_user, &ctx};
    Actor a = actor_cli();
    if (change_apply(&a, &c) != 0) { fprintf(stderr, "zuwei user disable: failed\n"); return 1; }
    printf("user %s disabled\n", argv[2]);
    return 0;
}

int cmd_user(int argc, char **argv) {
    const char *sub = argc > 1 ? argv[1] : "";
    if (strcmp(sub, "add") == 0) return user_add(argc, argv, NULL);
    if (strcmp(sub, "passwd") == 0) return user_passwd_cli(argc, argv);
    if (strcmp(sub, "list") == 0) return user_list_cli();
    if (strcmp(sub, "disable") == 0) return user_disable_cli(argc, argv);
    fprintf(stderr, "usage: zuwei user add|passwd|list|disable ...\n");
    return 2;
}

int user_paths_check(void) {
    Stmt *st = db_prep("SELECT count(*) FROM user u LEFT JOIN unit s ON s.id = u.scope_unit WHERE u.scope_path IS NOT s.path");
    return st ? (int)db_one_int(st, -1) : -1;
}
