/* texts.c — the sentences that explain a formation's verdict, with the numbers in them
 * ("到会人数不足：应到 120 人，实到 70 人，至少需 80 人"). */
#include "committees/store.h"
#include "platform/i18n.h"
#include <stdio.h>
#include <string.h>

/* Replaces {a} {b} {c} {p} in tmpl; the result lives in the request arena, or in a per-thread
 * buffer when there is no request (command line, demo generator). */
static const char *fill(const Req *r, const char *tmpl, long long a, long long b, long long c, const char *post) {
    static _Thread_local char spare[512];
    Buf out = BUF_INIT;
    for (const char *s = tmpl; *s; s++) {
        if (s[0] == '{' && s[1] && s[2] == '}' && strchr("abcp", s[1])) {
            if (s[1] == 'p') buf_puts(&out, post ? post : "");
            else buf_printf(&out, "%lld", s[1] == 'a' ? a : s[1] == 'b' ? b : c);
            s += 2;
        } else {
            buf_putc(&out, *s);
        }
    }
    const char *res;
    if (r) {
        res = arena_strdup(r->arena, out.p ? out.p : "");
    } else {
        str_copy(spare, sizeof spare, out.p ? out.p : "");
        res = spare;
    }
    buf_free(&out);
    return res;
}

static const char *name_of(const FCand *c, int n, int64_t person_id) {
    for (int i = 0; i < n; i++)
        if (c[i].person_id == person_id) return c[i].name;
    return "";
}

const char *verdict_problem_text(const Req *r, const Problem *p, const FCand *c, int n) {
    const char *post = p->post == POST_OTHER && p->post_name && *p->post_name ? p->post_name
                     : T(r, p->post == POST_CHAIR ? "理事长" : p->post == POST_MEDIATOR ? "调解委员"
                          : p->post == POST_SUPERVISOR ? "监督委员" : p->post == POST_ENVIRONMENT ? "环保委员" : "委员");
    const char *round = p->round == 2 ? T(r, "另行选举") : T(r, "第一轮");
    switch (p->code) {
    case VP_NO_ELIGIBLE: return T(r, "会议当天本组名册上没有有选举权的人，请先核对组民名册");
    case VP_PRESENT_OVER: return fill(r, T(r, "实到人数 {a} 人多于应到人数 {b} 人"), p->a, p->b, 0, NULL);
    case VP_QUORUM: return fill(r, T(r, "到会人数不足：应到 {a} 人，实到 {b} 人，至少需 {c} 人"), p->a, p->b, p->c, NULL);
    case VP_ISSUED_OVER: return fill(r, T(r, "{p}：发出选票 {a} 张，多于有选举权的 {b} 人"), p->a, p->b, 0, round);
    case VP_RETURNED_OVER: return fill(r, T(r, "{p}：收回选票 {a} 张，多于发出的 {b} 张"), p->a, p->b, 0, round);
    case VP_VOID_OVER: return fill(r, T(r, "{p}：无效票 {a} 张，多于收回的 {b} 张"), p->a, p->b, 0, round);
    case VP_TURNOUT: return fill(r, T(r, "{p}选举无效：有选举权 {a} 人，参加投票 {b} 人，未过半数（至少需 {c} 人）"), p->a, p->b, p->c, round);
    case VP_NO_CANDIDATES: return T(r, "还没有登记候选人");
    case VP_POSTS_OVER_SEATS: return fill(r, T(r, "设立了 {a} 个职务，多于应选名额 {b} 名"), p->a, p->b, 0, NULL);
    case VP_NO_MEMBER_SEATS: return fill(r, T(r, "应选 {b} 名，已有 {c} 个职务各占 1 名，{a} 名委员候选人没有名额"), p->a, p->b, p->c, NULL);
    case VP_FEW_CANDIDATES: return fill(r, T(r, "{p}：候选人 {a} 名，少于应选 {b} 名"), p->a, p->b, 0, post);
    case VP_VOTES_INPUT: return T(r, p->text ? p->text : "选举数据有误");
    case VP_REVOTE: return fill(r, T(r, "{p}：{a} 名候选人得票相等，争 {b} 个名额，须重新投票"), p->a, p->b, 0, post);
    case VP_RUNOFF_NEEDED: return fill(r, T(r, "{p}：得票过半数的不足，尚缺 {a} 名，须另行选举（得票不少于选票的三分之一即可当选）"), p->a, 0, 0, post);
    case VP_VACANT: return fill(r, T(r, "{p}：另行选举后仍缺 {a} 名，名额空缺"), p->a, 0, 0, post);
    case VP_SIZE:
        return fill(r, T(r, "当选 {a} 人，不在规定的 {b} 至 {c} 人之间：须填写理由确认，确认后列为“需关注”"), p->a, p->b, p->c, NULL);
    case VP_RULE: {
        const char *who = name_of(c, n, p->person_id);
        const char *rule = T(r, committee_rule_zh(p->a));
        if (!*who) return rule;
        char tmpl[400];
        snprintf(tmpl, sizeof tmpl, "{p}：%s", rule);
        return fill(r, tmpl, 0, 0, 0, who);
    }
    }
    return T(r, "选举结果不符合规定");
}
