/* login.c — logging in and out, "me" and changing one's own password (pages and JSON API). */
#include "org/org_auth.h"
#include "org/roles.h"
#include "platform/audit.h"
#include "platform/auth.h"
#include "platform/crypto.h"
#include "platform/db.h"
#include "platform/html.h"
#include "platform/json.h"
#include "platform/page.h"
#include <string.h>

static const Field login_fields[] = {
    {"username", "用户名", FT_TEXT, true, 0, 32, NULL, NULL, NULL},
    {"password", "密码", FT_PASSWORD, true, 0, 128, NULL, NULL, NULL},
    {"next", "next", FT_TEXT, false, 0, 300, NULL, NULL, NULL},
};
enum { NLOGIN = sizeof login_fields / sizeof login_fields[0] };

/* Only same-site paths are followed after login, never another host ("//evil" or "http:"). */
static const char *safe_next(const char *next) {
    if (!next || next[0] != '/' || next[1] == '/' || next[1] == '\\') return "/";
    return next;
}

static void login_page(Req *r, Resp *w, Form *f, const char *message) {
    page_begin(r, w, T(r, "登录"), &(PageOpts){.bare = true});
    Buf *b = &w->body;
    html(b, "<section class=\"card login-card\"><h1>%s</h1>", T(r, "登录组委"));
    if (message) html(b, "<div class=\"flash err\" role=\"alert\">%s</div>", message);
    html_raw(b, "<form class=\"form\" method=\"post\" action=\"/login\">");
    ui_field(r, b, f, "username");
    ui_field(r, b, f, "password");
    const char *next = form_s(f, "next");
    if (next) html(b, "<input type=\"hidden\" name=\"next\" value=\"%s\">", next);
    html(b, "<div class=\"actions\"><button class=\"primary\" type=\"submit\">%s</button></div></form>", T(r, "登录"));
    html(b, "<p class=\"hint\">%s</p></section>", T(r, "忘记密码请联系上级管理员重置。"));
    page_end(r, w);
}

static void h_login_get(Req *r, Resp *w) {
    if (r->who) { resp_redirect(r, w, "/"); return; }
    Form f;
    form_init(&f, login_fields, NLOGIN);
    form_set(&f, "next", req_param(r, "next"));
    login_page(r, w, &f, NULL);
}

/* The Chinese message for a failed login. Deliberately the same for unknown users and wrong
 * passwords, so the form cannot be used to find out who has an account. */
static const char *login_failure(Req *r, AuthResult res) {
    switch (res.code) {
    case AUTH_DISABLED: return T(r, "该账户已停用，请联系管理员。");
    case AUTH_SLOW_DOWN: return Tn(r, "尝试次数过多，请 {n} 秒后再试。", res.wait);
    case AUTH_LOCKED: return Tn(r, "登录失败次数过多，账户已临时锁定，请 {n} 分钟后再试。", (res.wait + 59) / 60);
    case AUTH_ERROR: return T(r, "服务器出错了，请稍后再试。");
    default: return T(r, "用户名或密码不正确。");
    }
}

static void h_login_post(Req *r, Resp *w) {
    Form f;
    if (!auth_same_origin(r)) { page_error(r, w, 403, NULL); return; }
    if (form_read(r, &f, login_fields, NLOGIN)) { w->status = 422; login_page(r, w, &f, NULL); return; }
    AuthResult res = auth_login(r, w, form_s(&f, "username"), form_s(&f, "password"));
    if (res.code != AUTH_OK) {
        w->status = res.code == AUTH_SLOW_DOWN || res.code == AUTH_LOCKED ? 429 : 401;
        login_page(r, w, &f, login_failure(r, res));
        return;
    }
    resp_redirect(r, w, safe_next(form_s(&f, "next")));
}

static void h_logout(Req *r, Resp *w) {
    auth_logout(r, w);
    resp_redirect_flash(r, w, "/", T(r, "已安全退出。"));
}

/* ---------------------------------------------------------------------------------------------
 * Me */

static void h_me(Req *r, Resp *w) {
    page_begin(r, w, T(r, "我的"), &(PageOpts){.menu = "/me"});
    Buf *b = &w->body;
    const Role *role = role_find(r->who->role);
    html(b, "<div class=\"pagehead\"><h1>%s</h1></div><section class=\"card\"><dl class=\"facts\">", r->who->display_name);
    html(b, "<dt>%s</dt><dd>%s</dd>", T(r, "用户名"), r->who->username);
    html(b, "<dt>%s</dt><dd>%s</dd>", T(r, "角色"), role ? T(r, role->label) : r->who->role);
    if (auth_has(r, CAP_VIEW))
        html(b, "<dt>%s</dt><dd><a href=\"/org/%lld\">%s</a></dd></dl></section>", T(r, "管辖范围"),
             (long long)r->who->scope_unit, r->who->scope_name);
    else   /* a villager may not open the org tree */
        html(b, "<dt>%s</dt><dd>%s</dd></dl></section>", T(r, "管辖范围"), r->who->scope_name);
    html_raw(b, "<section class=\"card\"><p>");
    if (r->who->person_id) html(b, "<a class=\"button\" href=\"/me/household\">%s</a> ", T(r, "我家"));
    html(b, "<a class=\"button\" href=\"/me/password\">%s</a></p>", T(r, "修改密码"));
    html_raw(b, "<form method=\"post\" action=\"/logout\">");
    ui_csrf(r, b);
    html(b, "<button class=\"button\" type=\"submit\">%s</button></form></section>", T(r, "退出登录"));
    page_end(r, w);
}

static const Field password_fields[] = {
    {"current", "当前密码", FT_PASSWORD, true, 0, 128, NULL, NULL, NULL},
    {"password", "新密码", FT_PASSWORD, true, 0, 128, NULL, NULL, "至少 8 位，须同时包含字母和数字"},
    {"confirm", "再次输入新密码", FT_PASSWORD, true, 0, 128, NULL, NULL, NULL},
};
enum { NPASSWORD = sizeof password_fields / sizeof password_fields[0] };

static void password_page(Req *r, Resp *w, Form *f) {
    page_begin(r, w, T(r, "修改密码"), &(PageOpts){.menu = "/me", .back = "/me"});
    Buf *b = &w->body;
    html(b, "<div class=\"pagehead\"><h1>%s</h1></div>", T(r, "修改密码"));
    if (r->who->must_change_password)
        html(b, "<div class=\"flash warn\">%s</div>", T(r, "首次登录或密码已被重置，请先设置自己的新密码。"));
    html_raw(b, "<section class=\"card\"><form class=\"form\" method=\"post\" action=\"/me/password\">");
    ui_csrf(r, b);
    for (int i = 0; i < NPASSWORD; i++) ui_field(r, b, f, password_fields[i].name);
    html(b, "<div class=\"actions\"><button class=\"primary\" type=\"submit\">%s</button></div></form></section>", T(r, "保存"));
    page_end(r, w);
}

static void h_password_get(Req *r, Resp *w) {
    Form f;
    form_init(&f, password_fields, NPASSWORD);
    password_page(r, w, &f);
}

static void h_password_post(Req *r, Resp *w) {
    Form f;
    if (form_read(r, &f, password_fields, NPASSWORD) == 0) {
        const char *pw = form_s(&f, "password");
        const char *problem = auth_password_problem(r->who->username, pw);
        if (strcmp(pw, form_s(&f, "confirm")) != 0) form_fail(&f, "confirm", "mismatch", T(r, "两次输入的新密码不一致"));
        else if (problem) form_fail(&f, "password", "weak", T(r, problem));
        else if (!user_password_matches(r->who->user_id, form_s(&f, "current")))
            form_fail(&f, "current", "wrong", T(r, "当前密码不正确"));
    }
    if (f.nerr) {
        w->status = 422;
        password_page(r, w, &f);
        return;
    }
    Actor a = actor_of(r);
    if (user_set_password(&a, r->who->user_id, form_s(&f, "password"), false) != 0) {
        page_error(r, w, 500, NULL);
        return;
    }
    auth_log(r->who->username, r->who->user_id, r->client, "password", "self");
    /* Every other session of this user ends; this browser logs in afresh with the new password. */
    AuthResult res = auth_login(r, w, r->who->username, form_s(&f, "password"));
    (void)res;
    resp_redirect_flash(r, w, "/me", T(r, "密码已修改。"));
}

/* ---------------------------------------------------------------------------------------------
 * JSON API: POST /api/v1/login {username, password} → {user, csrf}; GET /api/v1/me */

static json_t *me_json(const Req *r, const char *csrf) {
    return json_pack("{s:I, s:s, s:s, s:s, s:I, s:s, s:s}", "id", (json_int_t)r->who->user_id, "username",
                     r->who->username, "display_name", r->who->display_name, "role", r->who->role, "scope_unit",
                     (json_int_t)r->who->scope_unit, "scope_name", r->who->scope_name, "csrf", csrf);
}

static void h_api_login(Req *r, Resp *w) {
    Form f;
    if (!auth_same_origin(r)) { json_error(r, w, 403, "forbidden", NULL, T(r, "来源不明的请求。")); return; }
    if (form_read(r, &f, login_fields, NLOGIN)) { form_json_error(r, w, &f); return; }
    AuthResult res = auth_login(r, w, form_s(&f, "username"), form_s(&f, "password"));
    if (res.code != AUTH_OK) {
        int status = res.code == AUTH_SLOW_DOWN || res.code == AUTH_LOCKED ? 429 : res.code == AUTH_DISABLED ? 403 : 401;
        json_error(r, w, status, res.code == AUTH_DISABLED ? "disabled" : status == 429 ? "throttled" : "bad_login", NULL,
                   login_failure(r, res));
        return;
    }
    json_send(w, 200, json_pack("{s:I, s:s}", "user_id", (json_int_t)res.user_id, "csrf", res.csrf));
}

static void h_api_me(Req *r, Resp *w) { json_send(w, 200, me_json(r, r->who->csrf)); }

static void h_api_logout(Req *r, Resp *w) {
    auth_logout(r, w);
    json_send(w, 200, json_pack("{s:b}", "ok", 1));
}

const Route login_routes[] = {
    {HTTP_GET, "/login", h_login_get, 0, 0, NULL},
    {HTTP_POST, "/login", h_login_post, 0, ROUTE_NO_CSRF, NULL},
    {HTTP_POST, "/logout", h_logout, CAP_LOGIN, ROUTE_ANY_LOGIN, NULL},
    {HTTP_GET, "/me", h_me, CAP_LOGIN, 0, NULL},
    {HTTP_GET, "/me/password", h_password_get, CAP_LOGIN, ROUTE_ANY_LOGIN, NULL},
    {HTTP_POST, "/me/password", h_password_post, CAP_LOGIN, ROUTE_ANY_LOGIN, NULL},
    {HTTP_POST, "/api/v1/login", h_api_login, 0, ROUTE_JSON | ROUTE_NO_CSRF, NULL},
    {HTTP_GET, "/api/v1/me", h_api_me, CAP_LOGIN, ROUTE_JSON | ROUTE_ANY_LOGIN, NULL},
    {HTTP_POST, "/api/v1/logout", h_api_logout, CAP_LOGIN, ROUTE_JSON | ROUTE_ANY_LOGIN, NULL},
    {0, NULL, NULL, 0, 0, NULL},
};
