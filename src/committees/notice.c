/* notice.c — the printable election result notice (选举结果公告, A4 with a QR code to the group's
 * public page) and the Excel export of the committee list. */
#include "committees/pages.h"
#include "platform/auth.h"
#include "platform/date.h"
#include "platform/html.h"
#include "platform/page.h"
#include "platform/xlsxout.h"
#include "platform/qr.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

static const char *label_of(const Choice *c, const char *v) {
    for (; c->value; c++)
        if (strcmp(c->value, v) == 0) return c->label;
    return v;
}

/* The absolute address of a path on this server, for the QR code. */
static const char *absolute(Req *r, const char *path) {
    const char *host = req_header(r, "Host"), *proto = req_header(r, "X-Forwarded-Proto");
    return arena_printf(r->arena, "%s://%s%s", proto && strcmp(proto, "https") == 0 ? "https" : "http", host ? host : "localhost", path);
}

/* GET /formations/:id/notice — the notice of a formation's result, to print and post. */
void h_formation_notice(Req *r, Resp *w) {
    Formation f;
    int64_t id = path_id(r, "id");
    if (id <= 0 || formation_get(auth_scope(r), id, &f) != 0) { page_error(r, w, 404, NULL); return; }
    FCand *c = arena_alloc(r->arena, sizeof(FCand) * CANDS_MAX);
    int n = formation_cands(f.id, c, CANDS_MAX);
    if (n < 0) n = 0;
    Verdict v;
    formation_evaluate(&f, c, n, f.size_note, &v);
    bool confirmed = strcmp(f.status, "confirmed") == 0;
    page_begin(r, w, T(r, "选举结果公告"), &(PageOpts){.print = true});
    Buf *b = &w->body;
    int32_t day = 0;
    date_parse(f.held_on, &day);
    html(b, "<article class=\"print-doc\"><h1>%s%s</h1>", f.unit_name, T(r, "组委会选举结果公告"));
    if (!confirmed) html(b, "<p class=\"badge warn\">%s</p>", T(r, "草稿：结果尚未确认，不能张贴"));
    html(b, "<dl class=\"facts\"><dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>%s</dd><dt>%s</dt><dd>%s</dd>",
         T(r, "会议日期"), fmt_date(r, day), T(r, "会议地点"), f.place[0] ? f.place : T(r, "本组"), T(r, "召集单位"),
         f.convened_by[0] ? f.convened_by : T(r, "村“两委”和党小组"), T(r, "会议形式"), T(r, label_of(formation_body_choices, f.body)), T(r, "产生方式"),
         T(r, label_of(formation_method_choices, f.method)));
    html(b, "<dt>%s</dt><dd>%s · %s</dd><dt>%s</dt><dd>%s · %s · %s</dd><dt>%s</dt><dd>%s</dd>", T(r, "到会"), Tn(r, "应到 {n} 人", f.eligible),
         Tn(r, "实到 {n} 人", f.present), T(r, "选票"), Tn(r, "发出 {n} 张", f.issued), Tn(r, "收回 {n} 张", f.returned),
         Tn(r, "无效 {n} 张", f.void_ballots), T(r, "应选名额"), Tn(r, "{n} 名", f.seats));
    if (f.r_returned > 0)
        html(b, "<dt>%s</dt><dd>%s · %s · %s</dd>", T(r, "另行选举"), Tn(r, "发出 {n} 张", f.r_issued), Tn(r, "收回 {n} 张", f.r_returned),
             Tn(r, "无效 {n} 张", f.r_void));
    html_raw(b, "</dl>");
    html(b, "<h2>%s</h2><table class=\"list wide\"><thead><tr><th>%s</th><th>%s</th><th class=\"num\">%s</th></tr></thead><tbody>",
         T(r, "当选名单"), T(r, "姓名"), T(r, "职务"), T(r, "得票"));
    for (int i = 0; i < v.nwinners; i++) {
        const FCand *w0 = &c[v.winners[i]];
        html(b, "<tr><td>%s</td><td>%s</td><td class=\"num\">%d%s</td></tr>", w0->name, T(r, committee_post_label(w0->post, w0->post_name)),
             w0->votes, w0->runoff_votes >= 0 ? arena_printf(r->arena, " / %d", w0->runoff_votes) : "");
    }
    html_raw(b, "</tbody></table>");
    FProxy *x = arena_alloc(r->arena, sizeof(FProxy) * PROXIES_MAX);
    int k = formation_proxies(f.id, x, PROXIES_MAX);
    if (k > 0) {
        html(b, "<h2>%s</h2><p>", T(r, "委托投票名单"));
        for (int i = 0; i < k; i++)
            html(b, "%s%s → %s（%s）", i ? "；" : "", x[i].voter_name, x[i].proxy_name, x[i].relation);
        html_raw(b, "</p>");
    }
    html(b, "<p>%s</p>", T(r, "特此公告。如有异议，请在公告之日起 5 日内向村“两委”反映。"));
    html(b, "<div class=\"sign\"><p>%s<span class=\"line\">%s</span></p><p>%s</p></div>", T(r, "召集单位："), f.convened_by,
         confirmed ? fmt_date(r, day) : "");
    html_raw(b, "<div class=\"qr\">");
    qr_svg(b, absolute(r, arena_printf(r->arena, "/p/g/%lld", (long long)f.unit_id)));
    html(b, "<p>%s</p></div></article>", T(r, "扫码查看本组公开信息"));
    page_end(r, w);
}

/* ---------------------------------------------------------------------------------------------
 * Export of the committee list (.xlsx or CSV) */

enum { CCOLS = 11 };

static const SheetCol ccols[CCOLS] = {
    {"村", false, 14},       {"村民组", false, 14},   {"理事长", false, 0}, {"人数", true, 0},     {"党员", true, 0},
    {"女性", true, 0},       {"任期开始", false, 12}, {"任期结束", false, 12}, {"需关注", false, 0}, {"无理事长", false, 0},
    {"人数说明", false, 0},
};

typedef struct SheetCtx { Req *r; SheetOut sheet; } SheetCtx;

static int committee_line(void *ctx, const CommitteeRow *c) {
    SheetCtx *s = ctx;
    Req *r = s->r;
    const char *cells[CCOLS] = {
        c->village_name, c->group_name, c->chair, arena_printf(r->arena, "%d", c->members),
        arena_printf(r->arena, "%d", c->party), arena_printf(r->arena, "%d", c->women), c->term_start, c->term_end,
        c->attention ? T(r, "需关注") : "", c->nochair ? T(r, "无理事长") : "", c->size_note,
    };
    sheet_row(&s->sheet, cells);
    return s->sheet.failed;
}

/* GET /committees/export.xlsx and .csv — the committee list with its filters, as an audited export. */
void h_committees_export(Req *r, Resp *w) {
    CommitteeFilter f;
    FilterError fe;
    bool ok = committee_filters(r, &f, &fe);
    if (fe.field) { page_error(r, w, 422, fe.message); return; }
    if (!ok) { page_error(r, w, 404, NULL); return; }
    SheetCtx ctx = {r, {0}};
    if (sheet_open(&ctx.sheet, r, w, "组委会", ccols, CCOLS, false) != 0) { page_error(r, w, 500, NULL); return; }
    if (committee_list(&f, 0, 100000, committee_line, &ctx, NULL) < 0) ctx.sheet.failed = true;
    Actor a = actor_of(r);
    if (sheet_finish(&ctx.sheet) != 0
        || audit_event(&a, "export", "committee", 0, r->who->scope_unit,
                       json_pack("{s:s, s:s, s:I, s:b, s:b, s:i}", "format", ctx.sheet.csv ? "csv" : "xlsx", "scope", f.scope,
                                 "rows", (json_int_t)ctx.sheet.rows, "attention", f.attention, "nochair", f.nochair, "ending",
                                 f.ending_days)) != 0) {
        buf_reset(&w->body);
        page_error(r, w, 500, NULL);
        return;
    }
    sheet_attach(&ctx.sheet, w, "committees", "组委会");
}
