/* page.c — the page frame, error pages and components (see page.h). */
#include "platform/page.h"
#include "platform/version.h"
#include "platform/auth.h"
#include "platform/embed.h"
#include "platform/html.h"
#include "platform/i18n.h"
#include "platform/json.h"
#include <stdlib.h>
#include <string.h>

static const MenuItem *menu;

void page_set_menu(const MenuItem *items) { menu = items; }

void ui_icon(Buf *b, const char *name) {
    static const char dir[] = "assets/icons/";
    char path[96];
    size_t d = sizeof dir - 1, n = strlen(name);
    if (d + n + sizeof ".svg" > sizeof path) return;
    memcpy(path, dir, d);
    memcpy(path + d, name, n);
    memcpy(path + d + n, ".svg", sizeof ".svg");
    const EmbeddedFile *f = embed_find(path);
    if (f) buf_append(b, f->data, embed_size(f));
}

void ui_csrf(Req *r, Buf *b) {
    if (r->who) html(b, "<input type=\"hidden\" name=\"csrf\" value=\"%s\">", r->who->csrf);
}

/* Takes the one-time flash message from its cookie (and clears it). */
static const char *take_flash(Req *r, Resp *w) {
    const char *f = req_cookie(r, "flash");
    if (!f || !*f) return NULL;
    resp_set_cookie(r, w, "flash", "", 0, true);
    char *s = arena_strdup(r->arena, f);
    url_decode(s, strlen(s));
    return s;
}

static bool item_visible(const Req *r, const MenuItem *m) {
    return m->cap == 0 || (r->who && auth_has(r, m->cap));
}

static void top_bar(Req *r, Buf *b, const PageOpts *o) {
    const char *back = o->back;
    if (!back && o->ncrumbs > 1) back = o->crumbs[o->ncrumbs - 2].href;
    html_raw(b, "<header class=\"topbar\">");
    if (back) {
        html(b, "<a class=\"back\" href=\"%s\" aria-label=\"%s\">", back, T(r, "返回"));
        ui_icon(b, "back");
        html_raw(b, "</a>");
    }
    html_raw(b, "<a class=\"brand\" href=\"/\">");
    ui_icon(b, "logo");
    html(b, " %s</a>", T(r, "组委"));
    const char *unit = o->unit ? o->unit : r->who ? r->who->scope_name : NULL;
    if (unit) html(b, "<span class=\"unit\">%s</span>", unit);
    html_raw(b, "<nav class=\"usermenu\">");
    if (r->who) html(b, "<a href=\"/me\">%s</a>", r->who->display_name);
    if (r->lang == LANG_EN) html(b, "<a class=\"lang\" href=\"?lang=zh\" lang=\"zh-CN\">中文</a>");
    else html(b, "<a class=\"lang\" href=\"?lang=en\" lang=\"en\">English</a>");
    if (r->who && !r->who->via_token) {
        html_raw(b, "<form method=\"post\" action=\"/logout\" class=\"inline\">");
        ui_csrf(r, b);
        html(b, "<button class=\"link\" type=\"submit\">%s</button></form>", T(r, "退出"));
    } else if (!r->who) {
        html(b, "<a href=\"/login\">%s</a>", T(r, "登录"));
    }
    html_raw(b, "</nav></header>");
}

static void side_menu(Req *r, Buf *b, const PageOpts *o) {
    html_raw(b, "<nav class=\"sidemenu\">");
    for (const MenuItem *m = menu; m && m->href; m++) {
        if (!item_visible(r, m)) continue;
        bool on = o->menu && strcmp(o->menu, m->href) == 0;
        html(b, "<a href=\"%s\"", m->href);
        html_raw(b, on ? " class=\"on\" aria-current=\"page\">" : ">");
        ui_icon(b, m->icon);
        html(b, " %s</a>", T(r, m->label));
    }
    html_raw(b, "</nav>");
}

static void bottom_bar(Req *r, Buf *b, const char *current) {
    if (!r->who) return;
    html_raw(b, "<nav class=\"bottombar\">");
    for (const MenuItem *m = menu; m && m->href; m++) {
        if (!m->bottom || !item_visible(r, m)) continue;
        bool on = current && strcmp(current, m->href) == 0;
        html(b, "<a href=\"%s\"", m->href);
        html_raw(b, on ? " class=\"on\" aria-current=\"page\">" : ">");
        ui_icon(b, m->icon);
        html(b, "<span>%s</span></a>", T(r, m->label));
    }
    html_raw(b, "</nav>");
}

void page_begin(Req *r, Resp *w, const char *title, const PageOpts *o) {
    static const PageOpts none;
    if (!o) o = &none;
    Buf *b = &w->body;
    w->content_type = "text/html; charset=utf-8";
    resp_header(w, "Cache-Control", "no-store");
    buf_reset(b);
    buf_reserve(b, 32768);   /* most pages are 8–30 KB: no regrowing (and copying) on the way */
    html(b, "<!doctype html><html lang=\"%s\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
            "<title>%s · %s</title><link rel=\"icon\" href=\"%s\" type=\"image/svg+xml\"><link rel=\"stylesheet\" href=\"%s\">",
         r->lang == LANG_EN ? "en" : "zh-CN", title, T(r, "组委"), asset_url("assets/icons/logo.svg"), asset_url("assets/css/app.css"));
    html(b, "<script src=\"%s\" defer nonce=\"%s\"></script></head>", asset_url("assets/js/app.js"), r->nonce);
    html_raw(b, o->print ? "<body class=\"printable\">" : o->bare ? "<body class=\"bare\">" : "<body>");
    if (o->print) {
        w->page_mode = 3;
        html_raw(b, "<main class=\"content\">");
        return;
    }
    top_bar(r, b, o);
    html_raw(b, "<div class=\"layout\">");
    if (!o->bare && r->who) side_menu(r, b, o);
    html_raw(b, "<main class=\"content\">");
    if (o->ncrumbs) {
        html_raw(b, "<nav class=\"crumbs\">");
        for (int i = 0; i < o->ncrumbs; i++) {
            if (i) html_raw(b, "<span class=\"sep\">›</span>");
            if (o->crumbs[i].href && i < o->ncrumbs - 1) html(b, "<a href=\"%s\">%s</a>", o->crumbs[i].href, o->crumbs[i].label);
            else html(b, "<span>%s</span>", o->crumbs[i].label);
        }
        html_raw(b, "</nav>");
    }
    const char *flash = take_flash(r, w);
    if (flash && flash[0] == '!') html(b, "<div class=\"flash err\" role=\"alert\">%s</div>", flash + 1);
    else if (flash) html(b, "<div class=\"flash ok\" role=\"status\">%s</div>", flash);
    w->page_menu = o->menu;
    w->page_mode = o->bare ? 2 : 1;
}

void page_end(Req *r, Resp *w) {
    Buf *b = &w->body;
    html_raw(b, "</main>");
    if (w->page_mode == 3) { html_raw(b, "</body></html>"); return; }
    html_raw(b, "</div>");
    if (w->page_mode == 1) bottom_bar(r, b, w->page_menu);
    html(b, "<footer class=\"footer\">%s · v%s</footer></body></html>", T(r, "组委 · 民心党建+组委会 治理平台"), ZUWEI_VERSION);
}

static const char *status_text(const Req *r, int status) {
    switch (status) {
    case 400: return T(r, "请求无效：提交的内容格式不正确（例如含有非 UTF-8 字符）。");
    case 401: return T(r, "请先登录。");
    case 403: return T(r, "没有权限执行此操作。");
    case 404: return T(r, "找不到这个页面，或者它不在您的管辖范围内。");
    case 405: return T(r, "不支持这种请求方式。");
    case 413: return T(r, "提交的内容太大：表单最多 1 MB，上传文件最多 20 MB。");
    case 415: return T(r, "不支持的内容类型。");
    case 422: return T(r, "提交的内容有误，请检查后再试。");
    case 429: return T(r, "操作太频繁，请稍后再试。");
    default: return T(r, "服务器出错了，请稍后再试。如果一直出现，请联系县里的管理员。");
    }
}

void page_error(Req *r, Resp *w, int status, const char *msg) {
    if (!msg) msg = status_text(r, status);
    if (r->want_json) {
        const char *code = status == 404 ? "not_found" : status == 403 ? "forbidden" : status == 413 ? "too_large"
                         : status == 400 ? "bad_request" : status == 401 ? "unauthorized" : "error";
        json_error(r, w, status, code, NULL, msg);
        return;
    }
    page_begin(r, w, status == 404 ? T(r, "找不到页面") : T(r, "出错了"), NULL);
    Buf *b = &w->body;
    html(b, "<section class=\"card notfound\"><p class=\"code\">%d</p><h1>%s</h1><p><a class=\"button primary\" href=\"/\">%s</a></p></section>",
         status, msg, T(r, "回到首页"));
    page_end(r, w);
    w->status = status;
}

void page_login_required(Req *r, Resp *w) {
    if (r->want_json) { json_error(r, w, 401, "unauthorized", NULL, T(r, "请先登录。")); return; }
    Buf b = BUF_INIT;
    buf_puts(&b, "/login?next=");
    url_escape(&b, r->path);
    resp_redirect(r, w, arena_strdup(r->arena, b.p));
    buf_free(&b);
}

/* ---------------------------------------------------------------------------------------------
 * Form fields */

static const Field *find_field(const Form *f, const char *name, int *k) {
    for (*k = 0; *k < f->n; (*k)++)
        if (strcmp(f->fields[*k].name, name) == 0) return &f->fields[*k];
    return NULL;
}

void ui_field(Req *r, Buf *b, const Form *f, const char *name) {
    int k;
    const Field *fd = find_field(f, name, &k);
    if (!fd) return;
    const char *v = fd->type == FT_PASSWORD ? NULL : f->s[k];
    const char *err = f->err[k];
    html(b, "<div class=\"field%s\">", err ? " has-error" : "");
    if (fd->type == FT_BOOL) {
        html(b, "<label class=\"check\"><input type=\"checkbox\" name=\"%s\" value=\"1\"%s> %s</label>", fd->name,
             f->i[k] || (v && strcmp(v, "1") == 0) ? " checked" : "", T(r, fd->label));
    } else {
        html(b, "<label for=\"f-%s\">%s%s</label>", fd->name, T(r, fd->label), fd->required ? " *" : "");
        const char *aria = err ? arena_printf(r->arena, " aria-invalid=\"true\" aria-describedby=\"f-%s-err\"", fd->name) : "";
        if (fd->type == FT_TEXTAREA) {
            html(b, "<textarea id=\"f-%s\" name=\"%s\" rows=\"4\"", fd->name, fd->name);
            html_raw(b, aria);
            html(b, ">%s</textarea>", v ? v : "");
        } else if (fd->type == FT_ENUM) {
            html(b, "<select id=\"f-%s\" name=\"%s\"", fd->name, fd->name);
            html_raw(b, aria);
            html(b, "><option value=\"\">%s</option>", T(r, "请选择"));
            for (const Choice *c = fd->choices; c && c->value; c++)
                html(b, "<option value=\"%s\"%s>%s</option>", c->value, v && strcmp(v, c->value) == 0 ? " selected" : "",
                     T(r, c->label));
            html_raw(b, "</select>");
        } else {
            const char *type = "text", *mode = NULL;
            switch (fd->type) {
            case FT_DATE: type = "date"; break;
            case FT_PASSWORD: type = "password"; break;
            case FT_PHONE: type = "tel"; mode = "tel"; break;
            case FT_INT: case FT_ID: case FT_DIGITS: mode = "numeric"; break;
            case FT_DECIMAL: mode = "decimal"; break;
            default: break;
            }
            html(b, "<input id=\"f-%s\" name=\"%s\" type=\"%s\" value=\"%s\"", fd->name, fd->name, type, v ? v : "");
            if (mode) html(b, " inputmode=\"%s\"", mode);
            if (fd->required) html_raw(b, " required");
            if ((fd->type == FT_TEXT || fd->type == FT_PASSWORD) && fd->max) html(b, " maxlength=\"%lld\"", (long long)fd->max);
            if (fd->type == FT_PASSWORD) html_raw(b, " autocomplete=\"current-password\"");
            html_raw(b, aria);
            html_raw(b, ">");
        }
    }
    if (fd->hint) html(b, "<p class=\"hint\">%s</p>", T(r, fd->hint));
    if (err) html(b, "<p class=\"error\" id=\"f-%s-err\">%s</p>", fd->name, err);
    html_raw(b, "</div>");
}

/* ---------------------------------------------------------------------------------------------
 * Pager and figures */

int ui_page_param(const Req *r) {
    const char *p = req_param_src(r, "page", SRC_QUERY);
    long v = p ? strtol(p, NULL, 10) : 1;
    return v < 1 ? 1 : v > 100000 ? 100000 : (int)v;
}

/* The current query string without page=, lang=, `drop`= and empty parameters (ui_query_kept). */
static const char *query_kept_but(Req *r, const char *drop) {
    Buf u = BUF_INIT;
    for (size_t i = 0; i < r->nparams; i++) {
        const Param *p = &r->params[i];
        if (p->src != SRC_QUERY || !strcmp(p->name, "page") || !strcmp(p->name, drop) || !strcmp(p->name, "lang") || !*p->value)
            continue;
        if (u.len) buf_putc(&u, '&');
        url_escape(&u, p->name);
        buf_putc(&u, '=');
        url_escape(&u, p->value);
    }
    const char *s = arena_strdup(r->arena, u.p ? u.p : "");
    buf_free(&u);
    return s;
}

const char *ui_query_kept(Req *r) { return query_kept_but(r, "page"); }

/* Writes the current path and query string with page=N replacing any page parameter. */
static void page_link(Req *r, Buf *b, int page) {
    const char *kept = ui_query_kept(r);
    html(b, "%s?%s%spage=%d", r->path, kept, *kept ? "&" : "", page);
}

void ui_pager(Req *r, Buf *b, int page, int per_page, long long total) {
    long long pages = total ? (total + per_page - 1) / per_page : 1;
    html_raw(b, "<nav class=\"pager\">");
    if (page > 1) {   /* past the end (an old link, a list that shrank): back to the last page */
        html_raw(b, "<a rel=\"prev\" href=\"");
        page_link(r, b, page > pages ? (int)pages : page - 1);
        html(b, "\">%s</a>", T(r, "上一页"));
    }
    html(b, "<span>%s</span>", Tn2(r, "第 {n} / {m} 页", page, pages));
    html(b, "<span>%s</span>", Tcount(r, "共 {n} 条", total));
    if (page < pages) {
        html_raw(b, "<a rel=\"next\" href=\"");
        page_link(r, b, page + 1);
        html(b, "\">%s</a>", T(r, "下一页"));
    }
    html_raw(b, "</nav>");
}

void ui_filter_refused(Req *r, Resp *w, const char *message) {
    html(&w->body, "<div class=\"flash err\" role=\"alert\">%s</div>", message);
    page_end(r, w);
    w->status = 422;
}

void ui_capped_pager(Req *r, Buf *b, int page, bool more) {
    html_raw(b, "<nav class=\"pager\">");
    if (page > 1) {
        html_raw(b, "<a rel=\"prev\" href=\"");
        page_link(r, b, page - 1);
        html(b, "\">%s</a>", T(r, "上一页"));
    }
    html(b, "<span>%s</span><span>%s</span>", Tn(r, "第 {n} 页", page), T(r, "共 1,000 条以上，请用筛选缩小范围"));
    if (more) {
        html_raw(b, "<a rel=\"next\" href=\"");
        page_link(r, b, page + 1);
        html(b, "\">%s</a>", T(r, "下一页"));
    }
    html_raw(b, "</nav>");
}

void ui_keyset_pager(Req *r, Buf *b, bool newer, int64_t older_than, long long total) {
    const char *kept = query_kept_but(r, "before");
    html_raw(b, "<nav class=\"pager\">");
    if (newer) html(b, "<a rel=\"first\" href=\"%s%s%s\">%s</a>", r->path, *kept ? "?" : "", kept, T(r, "最新"));
    html(b, "<span>%s</span>", total < 0 ? T(r, "共 1,000 条以上，请用筛选缩小范围") : Tcount(r, "共 {n} 条", total));
    if (older_than)
        html(b, "<a rel=\"next\" href=\"%s?%s%sbefore=%lld\">%s</a>", r->path, kept, *kept ? "&" : "", (long long)older_than,
             T(r, "更早"));
    html_raw(b, "</nav>");
}

void ui_table_begin(Req *r, Buf *b, UiTable *t, const UiCol *cols, int n) {
    if (n > UI_TABLE_COLS) n = UI_TABLE_COLS;
    html_raw(b, "<div class=\"tablewrap\"><table class=\"list\"><thead><tr>");
    Buf cells = BUF_INIT;
    size_t at[UI_TABLE_COLS + 1];
    for (int i = 0; i < n; i++) {
        const char *label = cols[i].label ? T(r, cols[i].label) : "";
        html(b, cols[i].num ? "<th class=\"num\">%s</th>" : "<th>%s</th>", label);
        at[i] = cells.len;
        html_raw(&cells, i ? "</td>" : "<tr>");
        if (!cols[i].label) html_raw(&cells, cols[i].num ? "<td class=\"num\">" : "<td>");
        else html(&cells, cols[i].num ? "<td class=\"num\" data-label=\"%s\">" : "<td data-label=\"%s\">", label);
    }
    at[n] = cells.len;
    html_raw(b, "</tr></thead><tbody>");
    char *all = arena_strndup(r->arena, cells.p ? cells.p : "", cells.len);
    buf_free(&cells);
    t->n = n;
    for (int i = 0; i < n; i++) {
        t->cell[i] = all + at[i];
        t->len[i] = at[i + 1] - at[i];
    }
}

void ui_td(Buf *b, const UiTable *t, int col) {
    if (col >= 0 && col < t->n) buf_append(b, t->cell[col], t->len[col]);
}

void ui_tr_end(Buf *b) { html_raw(b, "</td></tr>"); }

void ui_table_end(Buf *b) { html_raw(b, "</tbody></table></div>"); }

void ui_stat(Buf *b, long long value, const char *label) {
    html_raw(b, "<div class=\"stat\"><b>");
    buf_put_grouped(b, value);
    html(b, "</b><span>%s</span></div>", label);
}

const Msg platform_msgs[] = {
    {"组委", "Zuwei"},
    {"返回", "Back"},
    {"退出", "Log out"},
    {"登录", "Log in"},
    {"组委 · 民心党建+组委会 治理平台", "Zuwei · village-group committee governance"},
    {"请求无效：提交的内容格式不正确（例如含有非 UTF-8 字符）。", "Bad request: the input is malformed (for example not valid UTF-8)."},
    {"请先登录。", "Please log in first."},
    {"没有权限执行此操作。", "You are not allowed to do this."},
    {"找不到这个页面，或者它不在您的管辖范围内。", "This page does not exist, or it is outside your area."},
    {"不支持这种请求方式。", "Method not allowed."},
    {"提交的内容太大：表单最多 1 MB，上传文件最多 20 MB。", "Too large: forms up to 1 MB, uploads up to 20 MB."},
    {"不支持的内容类型。", "Unsupported content type."},
    {"操作太频繁，请稍后再试。", "Too many attempts; please wait and try again."},
    {"服务器出错了，请稍后再试。如果一直出现，请联系县里的管理员。", "Something went wrong on the server. Please try again; if it keeps happening, contact the county administrator."},
    {"找不到页面", "Page not found"},
    {"出错了", "Error"},
    {"回到首页", "Back to the home page"},
    {"请选择", "Please choose"},
    {"上一页", "Previous"},
    {"最新", "Newest"},
    {"更早", "Older"},
    {"筛选条件无效，请从页面上的选项中选择。", "That filter is not one the page offers; choose from its options."},
    {"编号无效，请从页面上的链接进入。", "That id is not a valid one; follow a link from the pages."},
    {"提交的内容有误，请检查后再试。", "Something in the request is not valid; check it and try again."},
    {"下一页", "Next"},
    {"第 {n} 页", "Page {n}"},
    {"共 1,000 条以上，请用筛选缩小范围", "More than 1,000; narrow the list with the filters"},
    {"第 {n} / {m} 页", "Page {n} of {m}"},
    {"共 {n} 条", "{n} in all"},
    {"必填", "Required"},
    {"不能超过 {n} 个字", "At most {n} characters"},
    {"至少 {n} 个字", "At least {n} characters"},
    {"不能包含换行或控制字符", "Must not contain line breaks or control characters"},
    {"请填写整数", "Enter a whole number"},
    {"编号无效", "Invalid id"},
    {"最多选择 {n} 项", "Choose at most {n}"},
    {"应在 {n} 到 {m} 之间", "Must be between {n} and {m}"},
    {"请填写数字，最多两位小数", "Enter a number with at most two decimals"},
    {"不能大于 {n}", "Must not exceed {n}"},
    {"日期格式应为 2026-03-07", "Date must look like 2026-03-07"},
    {"日期超出允许范围", "Date out of the allowed range"},
    {"请从列表中选择", "Choose a value from the list"},
    {"取值无效", "Invalid value"},
    {"请填写11位手机号或带区号的固定电话（如 0856-1234567）", "Enter an 11-digit mobile number or a landline with area code (e.g. 0856-1234567)"},
    {"应为 {n} 位数字", "Must be {n} digits"},
    {"只能填写数字", "Digits only"},
    {"请求体不是有效的 JSON 对象", "The body is not a valid JSON object"},
    {"请先修改初始密码。", "Please change your initial password first."},
    {"表单已过期或来源不明，请刷新页面后重试。", "The form has expired or came from elsewhere; reload the page and try again."},
    {NULL, NULL},
};
